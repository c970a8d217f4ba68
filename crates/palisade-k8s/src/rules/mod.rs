//! The Kubernetes rules, one per file, registered here in explicit lists: rules that check
//! one object at a time, and project rules that look across every manifest (RBAC, namespaces
//! and their policies, backups).

pub mod apiserver_anonymous_auth;
pub mod apiserver_audit_log_disabled;
pub mod apiserver_authorization_always_allow;
pub mod apiserver_encryption_at_rest_disabled;
pub mod apiserver_insecure_port;
pub mod apparmor_unconfined;
pub mod capabilities_not_dropped;
pub mod cluster_admin_binding;
pub mod control_plane_bound_to_all_interfaces;
pub mod control_plane_profiling_enabled;
pub mod dangerous_capabilities;
pub mod default_service_account_bound;
pub mod etcd_client_auth_disabled;
pub mod exposed_service;
pub mod host_namespaces;
pub mod host_path_mount;
pub mod image_not_pinned;
pub mod ingress_without_tls;
pub mod kubelet_anonymous_auth;
pub mod kubelet_authorization_always_allow;
pub mod kubelet_read_only_port;
pub mod missing_resource_limits;
pub mod namespace_without_network_policy;
pub mod namespace_without_pod_security;
pub mod no_seccomp_profile;
pub mod privilege_escalation_allowed;
pub mod privileged_container;
pub mod proc_mount_unmasked;
pub mod rbac_anonymous_binding;
pub mod rbac_binding_to_missing_role;
pub mod rbac_pod_exec;
pub mod rbac_privilege_escalation;
pub mod rbac_secrets_access;
pub mod rbac_wildcard;
pub mod runs_as_root;
pub mod secret_in_env_literal;
pub mod service_account_token_automount;
pub mod stateful_data_without_backup;
pub mod unsafe_sysctls;
pub mod weak_tls_min_version;
pub mod writable_root_filesystem;

use crate::facts::PolicyRule;
use crate::object::Object;
use crate::project::Project;
use crate::rbac::{Grant, Scope, grants_everything};
use palisade_core::{FileContext, Finding, ProjectContext, RuleMeta, Severity};

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

/// Every object rule.
pub static RULES: &[&K8sRule] = &[
    &apiserver_anonymous_auth::RULE,
    &apiserver_audit_log_disabled::RULE,
    &apiserver_authorization_always_allow::RULE,
    &apiserver_encryption_at_rest_disabled::RULE,
    &apiserver_insecure_port::RULE,
    &apparmor_unconfined::RULE,
    &capabilities_not_dropped::RULE,
    &control_plane_bound_to_all_interfaces::RULE,
    &control_plane_profiling_enabled::RULE,
    &dangerous_capabilities::RULE,
    &etcd_client_auth_disabled::RULE,
    &exposed_service::RULE,
    &host_namespaces::RULE,
    &host_path_mount::RULE,
    &image_not_pinned::RULE,
    &ingress_without_tls::RULE,
    &kubelet_anonymous_auth::RULE,
    &kubelet_authorization_always_allow::RULE,
    &kubelet_read_only_port::RULE,
    &missing_resource_limits::RULE,
    &namespace_without_pod_security::RULE,
    &no_seccomp_profile::RULE,
    &privilege_escalation_allowed::RULE,
    &privileged_container::RULE,
    &proc_mount_unmasked::RULE,
    &rbac_wildcard::RULE,
    &runs_as_root::RULE,
    &secret_in_env_literal::RULE,
    &unsafe_sysctls::RULE,
    &weak_tls_min_version::RULE,
    &writable_root_filesystem::RULE,
];

/// Every project rule.
pub static PROJECT_RULES: &[&ProjectRule] = &[
    &cluster_admin_binding::RULE,
    &default_service_account_bound::RULE,
    &namespace_without_network_policy::RULE,
    &rbac_anonymous_binding::RULE,
    &rbac_binding_to_missing_role::RULE,
    &rbac_pod_exec::RULE,
    &rbac_privilege_escalation::RULE,
    &rbac_secrets_access::RULE,
    &service_account_token_automount::RULE,
    &stateful_data_without_backup::RULE,
];

/// The metadata of every Kubernetes rule.
pub static METAS: &[&RuleMeta] = &[
    &apiserver_anonymous_auth::META,
    &apiserver_audit_log_disabled::META,
    &apiserver_authorization_always_allow::META,
    &apiserver_encryption_at_rest_disabled::META,
    &apiserver_insecure_port::META,
    &apparmor_unconfined::META,
    &capabilities_not_dropped::META,
    &cluster_admin_binding::META,
    &control_plane_bound_to_all_interfaces::META,
    &control_plane_profiling_enabled::META,
    &dangerous_capabilities::META,
    &default_service_account_bound::META,
    &etcd_client_auth_disabled::META,
    &exposed_service::META,
    &host_namespaces::META,
    &host_path_mount::META,
    &image_not_pinned::META,
    &ingress_without_tls::META,
    &kubelet_anonymous_auth::META,
    &kubelet_authorization_always_allow::META,
    &kubelet_read_only_port::META,
    &missing_resource_limits::META,
    &namespace_without_network_policy::META,
    &namespace_without_pod_security::META,
    &no_seccomp_profile::META,
    &privilege_escalation_allowed::META,
    &privileged_container::META,
    &proc_mount_unmasked::META,
    &rbac_anonymous_binding::META,
    &rbac_binding_to_missing_role::META,
    &rbac_pod_exec::META,
    &rbac_privilege_escalation::META,
    &rbac_secrets_access::META,
    &rbac_wildcard::META,
    &runs_as_root::META,
    &secret_in_env_literal::META,
    &service_account_token_automount::META,
    &stateful_data_without_backup::META,
    &unsafe_sysctls::META,
    &weak_tls_min_version::META,
    &writable_root_filesystem::META,
];

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
    cx: &mut ProjectContext<'_>,
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
