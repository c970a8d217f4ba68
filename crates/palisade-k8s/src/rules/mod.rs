//! The Kubernetes rules, one per file, each registered by one line below: in `RULES` if it
//! checks one object at a time, in `PROJECT_RULES` if it looks across every manifest (RBAC,
//! namespaces and their policies, backups).

use crate::facts::PolicyRule;
use crate::object::Object;
use crate::project::Project;
use crate::rbac::Grant;
use palisade_core::{FileContext, Finding, ProjectContext, RuleMeta};

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
        rbac_wildcard,
        runs_as_root,
        secret_in_env_literal,
        weak_tls_min_version,
        writable_root_filesystem,
    ];
    /// Every project rule.
    pub static PROJECT_RULES: [ProjectRule] = [
        cluster_admin_binding,
        default_service_account_bound,
        namespace_without_network_policy,
        rbac_anonymous_binding,
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
    pub check: fn(&Project, &mut ProjectContext<'_>),
}

/// What an object rule's check can do.
pub struct RuleContext<'a, 'f> {
    sink: Sink<'a, 'f>,
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
        }
    }

    /// Findings are pushed to `into`, unfiltered and without a path.
    pub fn collecting(into: &'a mut Vec<Finding>) -> RuleContext<'a, 'f> {
        RuleContext {
            sink: Sink::Collect(into),
        }
    }

    pub fn report(&mut self, finding: Finding) {
        match &mut self.sink {
            Sink::File(out) => out.report(finding),
            Sink::Collect(into) => into.push(finding),
        }
    }
}

/// Reports one finding per grant whose role gives its subject a dangerous permission, at the
/// subject's line in the binding, with the role rules that grant it as related locations.
/// `what` returns a description of the permission and the rules that grant it, or `None`.
/// System components are skipped, and so are cluster-admin grants (their own rule covers
/// everything such a role can do).
pub fn report_grants(
    project: &Project,
    cx: &mut ProjectContext<'_>,
    meta: &'static RuleMeta,
    what: impl Fn(&Grant) -> Option<(String, Vec<&PolicyRule>)>,
) {
    for grant in &project.graph().grants {
        if grant.subject.is_system_component() || grant.is_cluster_admin() {
            continue;
        }
        let Some((description, rules)) = what(grant) else {
            continue;
        };
        cx.report(grant_finding(meta, grant, &description, &rules));
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
