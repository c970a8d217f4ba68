//! Flags `cluster-admin` (or a role just as powerful) bound to anyone but Kubernetes' own
//! components.
//!
//! ## What it checks
//! Every subject of every RoleBinding and ClusterRoleBinding whose role is the built-in
//! `cluster-admin` ClusterRole, or any role with a rule granting every verb (`*`) on every resource
//! (`*`) of every API group (`*`). Kubernetes' own components — `system:` users and groups other
//! than `system:anonymous`, `system:unauthenticated`, `system:authenticated` and the
//! service-account groups `system:serviceaccounts[:<namespace>]`, and the service accounts of
//! `kube-system` that the controller manager's controllers run as (`generic-garbage-collector`,
//! `replicaset-controller`, …) — are left out. Any other service account of `kube-system` (an
//! add-on's, `kube-system/superadmin`) is reported. A user
//! `system:serviceaccount:<namespace>:<name>` is treated as that service account. The finding
//! points at the subject's `name:` in the binding; the related locations show the role reference
//! and the rule.
//!
//! ## Why it matters
//! `cluster-admin` through a ClusterRoleBinding is full control of the cluster: every
//! secret, every workload, RBAC itself. Through a RoleBinding it is full control of the
//! namespace, including its secrets and the ability to run pods as any of its service
//! accounts. A leaked kubeconfig or a compromised pod whose service account holds it is a
//! compromised cluster. Least privilege (policy `access-control`) means nobody holds it as a
//! standing permission.
//!
//! ## Example
//! ```yaml
//! kind: ClusterRoleBinding
//! roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
//! subjects:
//!   - kind: ServiceAccount
//!     name: ci-deployer        # flagged
//!     namespace: ci
//! ```
//!
//! ## Remediation
//! Bind a role that lists what the subject actually does (for a deployer: create/update of
//! its Deployments and Services in its namespaces). Keep break-glass cluster-admin access in
//! a group that is empty day to day, granted through an audited process.
//!
//! ## References
//! - CWE-269: Improper Privilege Management
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Using RBAC Authorization — default roles; RBAC good practices

use super::{ProjectRule, grant_finding};
use crate::project::Project;
use crate::test_data::ProjectOut;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/cluster-admin-binding",
    title: "cluster-admin granted to a user, group or service account",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[269],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("cluster_admin_binding.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    for grant in &project.graph().grants {
        if grant.subject.is_system_component() || !grant.is_cluster_admin() {
            continue;
        }
        let finding = grant_finding(&META, grant, "do anything (full control)", &[]);
        cx.report(finding);
    }
}
