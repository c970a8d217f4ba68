//! The Kubernetes rules, one per file, each registered by one line below: in `RULES` if it
//! checks one object at a time, in `PROJECT_RULES` if it looks across every manifest (RBAC,
//! namespaces and their policies, backups).

use crate::facts::PolicyRule;
use crate::object::Object;
use crate::project::Project;
use crate::rbac::{Grant, Scope, grants_everything};
use crate::test_data::ProjectOut;
use palisade_core::{FileContext, Finding, RuleMeta, Severity};

palisade_core::register_rules! {
    /// The metadata of every Kubernetes rule.
    pub static METAS: [RuleMeta];
    /// Every object rule.
    pub static RULES: [K8sRule] = [
        apiserver_anonymous_auth,
        apiserver_audit_log_disabled,
        apiserver_authorization_always_allow,
        apiserver_encryption_at_rest_disabled,
        apiserver_insecure_port,
        apparmor_unconfined,
        capabilities_not_dropped,
        control_plane_bound_to_all_interfaces,
        control_plane_profiling_enabled,
        dangerous_capabilities,
        etcd_client_auth_disabled,
        exposed_service,
        host_namespaces,
        host_path_mount,
        image_not_pinned,
        ingress_without_tls,
        kubelet_anonymous_auth,
        kubelet_authorization_always_allow,
        kubelet_read_only_port,
        missing_resource_limits,
        namespace_without_pod_security,
        no_seccomp_profile,
        privilege_escalation_allowed,
        privileged_container,
        proc_mount_unmasked,
        rbac_wildcard,
        runs_as_root,
        secret_in_env_literal,
        unsafe_sysctls,
        weak_tls_min_version,
        writable_root_filesystem,
    ];
    /// Every project rule.
    pub static PROJECT_RULES: [ProjectRule] = [
        cluster_admin_binding,
        default_service_account_bound,
        namespace_without_network_policy,
        rbac_anonymous_binding,
        rbac_binding_to_missing_role,
        rbac_pod_exec,
        rbac_privilege_escalation,
        rbac_secrets_access,
        service_account_token_automount,
        stateful_data_without_backup,
    ];
}

/// A rule that checks one object at a time.
pub struct K8sRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Object<'_, '_>, &mut RuleContext<'_, '_>),
}

/// A rule that looks across every manifest of the scan.
pub struct ProjectRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Project, &mut ProjectOut<'_, '_>),
}

/// What an object rule's check can do.
pub struct RuleContext<'a, 'f> {
    sink: Sink<'a, 'f>,
    /// For a test, test-data or example manifest: how its findings are reported.
    test_data: Option<crate::settings::TestManifests>,
    /// How many findings were softened or left out as test data.
    pub softened: usize,
}

/// Where an object rule's findings go.
enum Sink<'a, 'f> {
    /// Reported in the file being checked.
    File(&'a mut FileContext<'f>),
    /// Kept as they are (spans in a Kustomize rendering, mapped back to their source files
    /// before they are reported).
    Collect(&'a mut Vec<Finding>),
}

impl<'a, 'f> RuleContext<'a, 'f> {
    /// Findings are reported in the file `out` checks.
    pub fn new(out: &'a mut FileContext<'f>) -> RuleContext<'a, 'f> {
        RuleContext {
            sink: Sink::File(out),
            test_data: None,
            softened: 0,
        }
    }

    /// The file checked is test data: its findings are reported as `setting` says.
    pub fn in_test_data(mut self, setting: crate::settings::TestManifests) -> Self {
        self.test_data = Some(setting);
        self
    }

    /// Findings are pushed to `into`, unfiltered and without a path.
    pub fn collecting(into: &'a mut Vec<Finding>) -> RuleContext<'a, 'f> {
        RuleContext {
            sink: Sink::Collect(into),
            test_data: None,
            softened: 0,
        }
    }

    pub fn report(&mut self, finding: Finding) {
        let finding = match self.test_data {
            Some(setting) if setting != crate::settings::TestManifests::Full => {
                self.softened += 1;
                match crate::test_data::soften(finding, setting) {
                    Some(finding) => finding,
                    None => return,
                }
            }
            _ => finding,
        };
        match &mut self.sink {
            Sink::File(out) => out.report(finding),
            Sink::Collect(into) => into.push(finding),
        }
    }
}

/// What a dangerous-permission rule looks for in a role's rules granted with a scope: a
/// description of the permission and the rules that grant it, or `None`.
pub trait DangerCheck:
    for<'r> Fn(&'r [PolicyRule], &Scope) -> Option<(String, Vec<&'r PolicyRule>)>
{
}
impl<F> DangerCheck for F where
    F: for<'r> Fn(&'r [PolicyRule], &Scope) -> Option<(String, Vec<&'r PolicyRule>)>
{
}

/// Reports one finding per grant whose role gives its subject a dangerous permission, at the
/// subject's line in the binding, with the role rules that grant it as related locations.
/// System components are skipped, and so are cluster-admin grants (their own rule covers
/// everything such a role can do).
///
/// Then reports, at low severity, each role of the manifests that gives the permission but
/// that nothing binds yet (a binding can be added later, by hand or by another tool),
/// Kubernetes' default roles and roles granting everything (`k8s/rbac-wildcard`) left out.
pub fn report_grants(
    project: &Project,
    cx: &mut ProjectOut<'_, '_>,
    meta: &'static RuleMeta,
    what: impl DangerCheck,
) {
    let graph = project.graph();
    for grant in &graph.grants {
        if grant.subject.is_system_component() || grant.is_cluster_admin() {
            continue;
        }
        let Some((description, rules)) = what(&grant.rules, &grant.scope) else {
            continue;
        };
        cx.report(grant_finding(meta, grant, &description, &rules));
    }
    for unbound in graph.unbound_roles() {
        if grants_everything(unbound.rules) {
            continue;
        }
        let Some((description, rules)) = what(unbound.rules, &unbound.scope) else {
            continue;
        };
        let mut finding = Finding::new(
            meta,
            unbound.role.location.span,
            format!(
                "{} lets whoever it is bound to {description} {}; nothing in the scanned \
                 manifests binds it yet, but a binding can be added at any time",
                unbound.describe(),
                unbound.scope.describe()
            ),
        )
        .with_path(unbound.role.location.path.clone())
        .with_severity(Severity::Low);
        for rule in rules {
            if !rule.location.path.is_empty() {
                finding = finding.with_related_in(rule.location.clone(), "this rule grants it");
            }
        }
        cx.report(finding);
    }
}

/// Adds `rule` to `rules` unless it is already there (the same rule can grant several of
/// the verbs or resources a check asks about, and reach a role through several aggregation
/// paths).
pub fn push_unique<'a>(rules: &mut Vec<&'a PolicyRule>, rule: &'a PolicyRule) {
    let same = |x: &&PolicyRule| {
        std::ptr::eq(*x, rule) || (!rule.location.path.is_empty() && x.location == rule.location)
    };
    if !rules.iter().any(same) {
        rules.push(rule);
    }
}

/// A finding at a grant's subject line.
pub fn grant_finding(
    meta: &'static RuleMeta,
    grant: &Grant,
    description: &str,
    rules: &[&PolicyRule],
) -> Finding {
    let mut finding = Finding::new(
        meta,
        grant.subject.location.span,
        format!(
            "{} can {description} {} through {}",
            grant.subject.describe(),
            grant.scope.describe(),
            grant.path()
        ),
    )
    .with_path(grant.subject.location.path.clone())
    .with_related_in(
        grant.binding.role_name.location.clone(),
        "the role is bound here",
    );
    for rule in rules {
        if !rule.location.path.is_empty() {
            finding = finding.with_related_in(rule.location.clone(), "this rule grants it");
        }
    }
    finding
}
