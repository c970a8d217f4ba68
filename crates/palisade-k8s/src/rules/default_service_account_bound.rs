//! Flags roles bound to a namespace's `default` service account.
//!
//! ## What it checks
//! RoleBinding and ClusterRoleBinding subjects of kind ServiceAccount named `default`, or
//! the same account written as the user `system:serviceaccount:<namespace>:default` (in any
//! namespace, `kube-system` included: its `default` account is no Kubernetes component),
//! whatever the role grants. The finding points at the
//! subject's `name:`.
//!
//! ## Why it matters
//! Every pod that does not name a service account runs as `default`. A role bound to it is
//! therefore given to every such pod of the namespace — today's and every one added later —
//! instead of to the one workload that needed it. It also makes "which workload can do
//! what?" unanswerable from the manifests.
//!
//! ## Example
//! ```yaml
//! subjects:
//!   - kind: ServiceAccount
//!     name: default          # flagged
//!     namespace: shop
//! ```
//!
//! ## Remediation
//! Create a dedicated ServiceAccount for the workload that needs the permissions, bind the
//! role to it, and set `serviceAccountName` in that workload's pod template. Leave `default`
//! without bindings and with `automountServiceAccountToken: false`.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP Kubernetes Security Cheat Sheet — service accounts
//! - Kubernetes documentation, RBAC good practices

use super::ProjectRule;
use crate::facts::SubjectKind;
use crate::project::Project;
use crate::test_data::ProjectOut;
use palisade_core::{
    Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity,
};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/default-service-account-bound",
    title: "Role bound to the default service account",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("default_service_account_bound.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    for grant in &project.graph().grants {
        let subject = &grant.subject;
        if subject.kind != SubjectKind::ServiceAccount
            || subject.name != "default"
            || subject.is_system_component()
        {
            continue;
        }
        let finding = Finding::new(
            &META,
            subject.location.span,
            format!(
                "{} is bound to the default service account of namespace {}: every pod there that names no service account gets it",
                grant.path(),
                subject.namespace.as_deref().unwrap_or("default")
            ),
        )
        .with_path(subject.location.path.clone())
        .with_related_in(grant.binding.role_name.location.clone(), "the role is bound here");
        cx.report(finding);
    }
}
