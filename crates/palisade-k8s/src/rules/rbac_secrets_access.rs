//! Flags subjects that can read Secrets.
//!
//! ## What it checks
//! Every subject of a RoleBinding or ClusterRoleBinding whose role allows `get`, `list` or
//! `watch` on `secrets` (directly, or through `*` in verbs, resources or API groups, or
//! through ClusterRole aggregation, or through the built-in `admin`/`edit` roles) for any
//! Secret — rules limited by `resourceNames` are not reported. Through a ClusterRoleBinding
//! the access is to every namespace's secrets. Kubernetes' own components are left out, and
//! so are cluster-admin grants (reported by `k8s/cluster-admin-binding`). The finding points
//! at the subject in the binding; related locations show the role reference and the rule.
//!
//! A Role or ClusterRole of the manifests that gives Secret access but that no binding of the
//! manifests names is reported too, at low severity, on its `name:` line: nothing holds it
//! yet, but a binding can be added at any time, by hand or by another tool. Kubernetes'
//! default roles (`cluster-admin`, `admin`, `edit`, `view`, `system:` roles and anything
//! labelled `kubernetes.io/bootstrapping: rbac-defaults`), roles aggregated into another
//! ClusterRole (judged through that one) and roles that grant everything
//! (`k8s/rbac-wildcard`) are left out.
//!
//! ## Why it matters
//! Secrets hold database passwords, API keys, TLS keys and service-account tokens. `list`
//! and `watch` return the values of every Secret in scope, not just their names. Whoever
//! holds this permission — or steals the token of a pod that holds it — holds every
//! credential stored there, often including ones that lead to other systems.
//!
//! ## Example
//! ```yaml
//! kind: Role
//! rules:
//!   - apiGroups: [""]
//!     resources: ["secrets"]
//!     verbs: ["get", "list"]     # bound to ServiceAccount shop/api: flagged at the binding
//! ```
//!
//! ## Remediation
//! Mount the few Secrets a workload needs as volumes or environment variables instead of
//! reading them through the API. If API access is necessary, limit the rule with
//! `resourceNames` to the named Secrets and drop `list`/`watch`.
//!
//! ## References
//! - CWE-732: Incorrect Permission Assignment for Critical Resource
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP Kubernetes Security Cheat Sheet — secrets management
//! - Kubernetes documentation, RBAC good practices — listing secrets

use super::{ProjectRule, report_grants};
use crate::project::Project;
use crate::rbac::{READ_SECRETS, rules_granting_in};
use crate::test_data::ProjectOut;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/rbac-secrets-access",
    title: "Subject can read Secrets",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[732],
    owasp: Owasp::A01,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("rbac_secrets_access.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    report_grants(project, cx, &META, |rules, scope| {
        let rules = rules_granting_in(rules, scope, &READ_SECRETS);
        (!rules.is_empty()).then(|| (READ_SECRETS.description.to_string(), rules))
    });
}
