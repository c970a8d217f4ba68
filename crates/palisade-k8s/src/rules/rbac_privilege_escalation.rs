//! Flags subjects whose permissions let them gain more permissions.
//!
//! ## What it checks
//! Every subject of a RoleBinding or ClusterRoleBinding whose role allows one of the known
//! escalation paths, for any object:
//! - `create` on pods or on workload controllers (Deployments, StatefulSets, DaemonSets,
//!   ReplicaSets, ReplicationControllers, Jobs, CronJobs): the pod can run as any service
//!   account of the namespace and mount its token, Secrets and host paths;
//! - `escalate` or `bind` on Roles/ClusterRoles: grant oneself permissions one does not have;
//! - `impersonate` on users, groups, service accounts or uids: act as someone else;
//! - `create` on `serviceaccounts/token`: mint tokens for any service account in scope;
//! - `create` on PersistentVolumes: a `hostPath` volume opens the node's file system;
//! - `update`/`patch` on `certificatesigningrequests/approval` or `approve` on `signers`:
//!   issue client certificates, e.g. for `system:masters`;
//! - `create`/`update`/`patch` on validating or mutating webhook configurations: see or
//!   rewrite every object sent to the API server.
//!
//! Permissions on cluster-scoped resources (PersistentVolumes, CSRs, webhook
//! configurations, users and groups) count only through a ClusterRoleBinding: a RoleBinding
//! cannot grant them. Kubernetes' own components and cluster-admin grants (their own rule)
//! are left out. The finding points at the subject in the binding and names each path
//! found.
//!
//! A Role or ClusterRole of the manifests that gives one of these paths but that no binding of the
//! manifests names is reported too, at low severity, on its `name:` line: nothing holds it
//! yet, but a binding can be added at any time, by hand or by another tool. Kubernetes'
//! default roles (`cluster-admin`, `admin`, `edit`, `view`, `system:` roles and anything
//! labelled `kubernetes.io/bootstrapping: rbac-defaults`), roles aggregated into another
//! ClusterRole (judged through that one) and roles that grant everything
//! (`k8s/rbac-wildcard`) are left out.
//!
//! ## Why it matters
//! RBAC only limits what a subject can do if the subject cannot rewrite the limits. Each
//! permission above is documented by Kubernetes as a route to broader access, so a role that
//! holds one is worth as much as the most powerful thing reachable through it.
//!
//! ## Example
//! ```yaml
//! rules:
//!   - apiGroups: ["rbac.authorization.k8s.io"]
//!     resources: ["clusterroles"]
//!     verbs: ["bind", "escalate"]    # bound to ServiceAccount ci/deployer: flagged
//! ```
//!
//! ## Remediation
//! Remove the permission, or confine it: workload creation to the namespaces a deployer
//! owns (with Pod Security Admission enforcing what pods may do), `bind` with
//! `resourceNames` listing the roles that may be handed out, no `impersonate`, `escalate`
//! or CSR approval outside the control plane.
//!
//! ## References
//! - CWE-269: Improper Privilege Management
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - Kubernetes documentation, RBAC good practices — privilege escalation risks

use super::{ProjectRule, push_unique, report_grants};
use crate::facts::PolicyRule;
use crate::project::Project;
use crate::rbac::{ESCALATIONS, Scope, rules_granting_in};
use crate::test_data::ProjectOut;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/rbac-privilege-escalation",
    title: "Subject holds a privilege-escalation permission",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[269],
    owasp: Owasp::A01,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("rbac_privilege_escalation.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn escalations<'r>(
    role_rules: &'r [PolicyRule],
    scope: &Scope,
) -> Option<(String, Vec<&'r PolicyRule>)> {
    let mut found = Vec::new();
    let mut rules: Vec<&PolicyRule> = Vec::new();
    for danger in ESCALATIONS {
        let granting = rules_granting_in(role_rules, scope, danger);
        if granting.is_empty() {
            continue;
        }
        found.push(danger.description);
        for r in granting {
            push_unique(&mut rules, r);
        }
    }
    (!found.is_empty()).then(|| (found.join("; "), rules))
}

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    report_grants(project, cx, &META, escalations);
}
