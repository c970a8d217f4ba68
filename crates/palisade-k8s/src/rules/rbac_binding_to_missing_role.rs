//! Notes bindings whose role is defined nowhere in the scanned manifests.
//!
//! ## What it checks
//! Every RoleBinding and ClusterRoleBinding whose `roleRef` names a Role or ClusterRole that
//! none of the scanned manifests defines, other than Kubernetes' default ClusterRoles
//! (`cluster-admin`, `admin`, `edit`, `view`), the `system:` roles and the Role
//! `kube-system/extension-apiserver-authentication-reader`, which a cluster always has. A RoleBinding's Role must be in the binding's namespace. The note points at the
//! `roleRef` name, with informational severity and medium confidence: the role may well be
//! installed by something outside the scan (a Helm chart dependency, an operator).
//!
//! ## Why it matters
//! A binding to a missing role grants nothing today, so the RBAC picture of the repository
//! is incomplete: `palisade who-can` and the RBAC rules cannot say what its subjects may do.
//! And whoever can later create a role of that name in that place decides, without touching
//! the binding, what those subjects get. A typo in `roleRef.name` also fails silently: the
//! subjects lack the access the binding was meant to give.
//!
//! ## Example
//! ```yaml
//! kind: RoleBinding
//! metadata: {name: ci-deployer, namespace: shop}
//! roleRef:
//!   apiGroup: rbac.authorization.k8s.io
//!   kind: Role
//!   name: deployer      # noted: no Role shop/deployer in the manifests
//! ```
//!
//! ## Remediation
//! Keep the role next to its binding in the same repository, or scan the repository that
//! defines it together with this one. Fix the name if it is a typo.
//!
//! ## References
//! - CWE-1220: Insufficient Granularity of Access Control
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - Kubernetes documentation, Using RBAC Authorization (RoleBinding and ClusterRoleBinding)

use super::ProjectRule;
use crate::facts::{BindingKind, RoleKind};
use crate::project::Project;
use crate::rbac::is_default_role_name;
use crate::test_data::ProjectOut;
use palisade_core::{
    Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity,
};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/rbac-binding-to-missing-role",
    title: "Binding names a role that is not in the manifests",
    severity: Severity::Info,
    confidence: Confidence::Medium,
    cwe: &[1220],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("rbac_binding_to_missing_role.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    for binding in project.graph().dangling_bindings() {
        let role = &binding.role_name.value;
        if is_default_role_name(binding.role_kind, binding.namespace.as_deref(), role) {
            continue;
        }
        let kind = match binding.kind {
            BindingKind::RoleBinding => "RoleBinding",
            BindingKind::ClusterRoleBinding => "ClusterRoleBinding",
        };
        let wanted = match (binding.role_kind, &binding.namespace) {
            (RoleKind::Role, Some(ns)) => format!("Role {ns}/{role}"),
            (RoleKind::Role, None) => format!("Role {role}"),
            (RoleKind::ClusterRole, _) => format!("ClusterRole {role}"),
        };
        let namespace = binding
            .namespace
            .as_ref()
            .map(|ns| format!("{ns}/"))
            .unwrap_or_default();
        cx.report(
            Finding::new(
                &META,
                binding.role_name.location.span,
                format!(
                    "{kind} {namespace}{} names {wanted}, which none of the scanned \
                     manifests defines: it grants nothing until such a role exists, and then \
                     whatever that role says",
                    binding.name
                ),
            )
            .with_path(binding.role_name.location.path.clone()),
        );
    }
}
