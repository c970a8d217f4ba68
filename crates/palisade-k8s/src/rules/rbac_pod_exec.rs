//! Flags subjects that can run commands in, attach to, or tunnel into pods and nodes.
//!
//! ## What it checks
//! Every subject of a RoleBinding or ClusterRoleBinding whose role allows `create` or `get`
//! on `pods/exec`, `pods/attach` or `pods/portforward`, or on `nodes/proxy` (directly, through
//! the wildcards `*` and `*/exec`, through aggregation or through the built-in `admin`/`edit`
//! roles). As in Kubernetes, `pods/*` grants nothing, and `nodes/proxy` only counts through
//! a ClusterRoleBinding (nodes are not in any namespace). Kubernetes' own components and
//! cluster-admin grants (their own rule) are left out. The finding points at the subject in
//! the binding.
//!
//! A Role or ClusterRole of the manifests that gives exec, attach, port-forward or node proxy access but that no binding of the
//! manifests names is reported too, at low severity, on its `name:` line: nothing holds it
//! yet, but a binding can be added at any time, by hand or by another tool. Kubernetes'
//! default roles (`cluster-admin`, `admin`, `edit`, `view`, `system:` roles and anything
//! labelled `kubernetes.io/bootstrapping: rbac-defaults`), roles aggregated into another
//! ClusterRole (judged through that one) and roles that grant everything
//! (`k8s/rbac-wildcard`) are left out.
//!
//! ## Why it matters
//! `exec` is a shell in a running container: its environment, its mounted Secrets, its
//! service-account token and the network position of the pod all come with it, whatever
//! other RBAC restrictions say. `nodes/proxy` reaches the kubelet API, which can run commands
//! in any pod of the node. These are the answers to "who can exec into our pods?", and the
//! list should be short and deliberate.
//!
//! ## Example
//! ```yaml
//! rules:
//!   - apiGroups: [""]
//!     resources: ["pods/exec"]
//!     verbs: ["create"]     # bound to Group support: flagged at the binding
//! ```
//!
//! ## Remediation
//! Grant `pods/exec` only to an on-call group, ideally just in time, and only in the
//! namespaces it supports; prefer logs, metrics and ephemeral debug containers with audited
//! access. Never grant `nodes/proxy` to people or workloads.
//!
//! ## References
//! - CWE-269: Improper Privilege Management
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, RBAC good practices — exec, nodes/proxy

use super::{ProjectRule, report_grants};
use crate::project::Project;
use crate::rbac::{EXEC, rules_granting_in};
use crate::test_data::ProjectOut;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/rbac-pod-exec",
    title: "Subject can exec into pods or proxy to nodes",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[269],
    owasp: Owasp::A01,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("rbac_pod_exec.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    report_grants(project, cx, &META, |rules, scope| {
        let rules = rules_granting_in(rules, scope, &EXEC);
        (!rules.is_empty()).then(|| (EXEC.description.to_string(), rules))
    });
}
