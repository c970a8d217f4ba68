//! Flags RBAC rules that use `*` for verbs, resources or API groups.
//!
//! ## What it checks
//! Every rule of every Role and ClusterRole in the manifests whose `verbs`, `resources` or
//! `apiGroups` contain `*`, bound or not (an unbound role is one binding away from use).
//! One finding per rule, at the first `*` item; the message lists which fields are
//! wildcards. ClusterRoles with an `aggregationRule` have their rules filled in by the
//! control plane and are checked through the roles they aggregate; Kubernetes' own default
//! roles (labelled `kubernetes.io/bootstrapping: rbac-defaults`, as in a `kubectl get
//! clusterroles -o yaml` dump, where `cluster-admin` is all wildcards) are left out.
//!
//! Two shapes are judged apart:
//! - a rule only on the metrics APIs (`metrics.k8s.io`, `custom.metrics.k8s.io`,
//!   `external.metrics.k8s.io`) is not reported: those aggregated APIs serve `get`, `list`
//!   and `watch` only, so `*` grants nothing more than reading metrics;
//! - `*` verbs (only) on named resources of custom API groups (`monitoring.coreos.com`) is
//!   how an operator grants itself its own kinds: reported at low severity and low
//!   confidence (a custom resource can still be powerful, an Argo CD `Application` for one).
//!
//! ## Why it matters
//! A wildcard grants everything that exists today and everything added later: `verbs: ["*"]`
//! includes `escalate`, `bind` and `impersonate`; `resources: ["*"]` includes Secrets and
//! every custom resource an operator installs next year. Least privilege needs the list of
//! what is granted to be written out, so that a reviewer can read it.
//!
//! ## Example
//! ```yaml
//! rules:
//!   - apiGroups: ["apps"]
//!     resources: ["deployments"]
//!     verbs: ["*"]          # flagged
//! ```
//!
//! ## Remediation
//! List the verbs and resources the subject needs (for a deployer: `get`, `list`, `watch`,
//! `create`, `update`, `patch` on `deployments`). Use `kubectl auth can-i --list` or
//! `palisade who-can` to check what a role really grants.
//!
//! ## References
//! - CWE-269: Improper Privilege Management
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - Kubernetes documentation, RBAC good practices — avoid wildcard permissions

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{get, get_path, get_str, items, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/rbac-wildcard",
    title: "RBAC rule grants a wildcard",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[269],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("rbac_wildcard.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.group() != "rbac.authorization.k8s.io"
        || !matches!(object.kind, "Role" | "ClusterRole")
    {
        return;
    }
    let bootstrap = get_path(object.node, &["metadata", "labels"])
        .and_then(|labels| get_str(labels, "kubernetes.io/bootstrapping"))
        == Some("rbac-defaults");
    if bootstrap || (object.kind == "ClusterRole" && get(object.node, "aggregationRule").is_some())
    {
        return;
    }
    let Some(rules) = get(object.node, "rules") else {
        return;
    };
    for rule in items(rules) {
        let mut fields = Vec::new();
        let mut first = None;
        for field in ["apiGroups", "resources", "verbs"] {
            let Some(list) = get(rule, field) else {
                continue;
            };
            if let Some(star) = items(list).iter().find(|i| scalar(i) == Some("*")) {
                fields.push(field);
                first = first.or(Some(star));
            }
        }
        let Some(star) = first else {
            continue;
        };
        let groups: Vec<&str> = get(rule, "apiGroups")
            .map(items)
            .unwrap_or_default()
            .iter()
            .filter_map(scalar)
            .collect();
        if !groups.is_empty() && groups.iter().all(|g| METRICS_GROUPS.contains(g)) {
            continue;
        }
        let mut finding = Finding::new(
            &META,
            crate::facts::node_span(star),
            format!(
                "{} grants `*` in {} of one of its rules",
                object.describe(),
                fields.join(", ")
            ),
        );
        if fields == ["verbs"] && !groups.is_empty() && groups.iter().all(|g| is_custom_group(g)) {
            finding = finding
                .with_severity(Severity::Low)
                .with_confidence(Confidence::Low);
            finding.message.push_str(&format!(
                " (every verb on named custom resources of {}: the way an operator grants \
                 itself its own kinds)",
                groups.join(", ")
            ));
        }
        cx.report(finding);
    }
}

/// The aggregated metrics APIs: read-only (`get`, `list`, `watch`).
const METRICS_GROUPS: &[&str] = &[
    "metrics.k8s.io",
    "custom.metrics.k8s.io",
    "external.metrics.k8s.io",
];

/// Whether an API group is a custom resource's (`monitoring.coreos.com`), not one Kubernetes
/// serves itself (the core group, `apps`, `batch`, `*.k8s.io`, …).
fn is_custom_group(group: &str) -> bool {
    group.contains('.') && !group.ends_with("k8s.io") && group != "*"
}
