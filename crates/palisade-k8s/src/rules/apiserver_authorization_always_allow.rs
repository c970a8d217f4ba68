//! Flags API servers that authorize every request, or authorize without RBAC.
//!
//! ## What it checks
//! A container that runs `kube-apiserver` (recognised by its program, see
//! `k8s/apiserver-anonymous-auth`) whose `--authorization-mode`:
//! - contains `AlwaysAllow`: reported on the flag's line, critical;
//! - lists modes without `RBAC` (for example `Node`, `ABAC` or `Webhook` alone): reported on
//!   the flag's line with medium severity, because role-based access control is what the rest
//!   of the cluster's tooling, and palisade's own RBAC rules, assume;
//! - is not set at all, and neither is `--authorization-config`: reported on the container's
//!   `command:` line (or `args:`) with medium confidence, because the flag then defaults to
//!   `AlwaysAllow`.
//!
//! A server configured with `--authorization-config` (structured authorization, Kubernetes
//! 1.29 and later) is judged by that file, which palisade does not read. A mode list of only
//! `AlwaysDeny` refuses everything and is not reported. In a kubeadm `ClusterConfiguration`
//! only an explicit `authorization-mode` under `apiServer.extraArgs` is judged (kubeadm's own
//! default is `Node,RBAC`).
//!
//! ## Why it matters
//! Authorization decides what an authenticated (or anonymous) caller may do. `AlwaysAllow`
//! lets every caller do everything: any service account token, any kubelet credential and,
//! with anonymous authentication on, any unauthenticated request can read every Secret and
//! create privileged pods. The mode is meant for tests only. Without `RBAC` the cluster's
//! Roles and RoleBindings are ignored, so least-privilege grants silently stop working.
//!
//! ## Example
//! ```yaml
//! command:
//!   - kube-apiserver
//!   - --authorization-mode=AlwaysAllow   # flagged
//! ```
//!
//! ## Remediation
//! Use `--authorization-mode=Node,RBAC` (kubeadm's default), adding `Webhook` only for an
//! external authorizer you operate, and grant permissions through Roles and RoleBindings.
//! Together with `Node`, enable the `NodeRestriction` admission plugin.
//!
//! ## References
//! - CWE-862: Missing Authorization
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP Kubernetes Security Cheat Sheet (use RBAC)
//! - Kubernetes documentation, Authorization: authorization modes; kube-apiserver flag reference
//! - CIS Kubernetes Benchmark, API server: authorization mode

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, invocations};
use crate::object::Object;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/apiserver-authorization-always-allow",
    title: "API server authorizes every request",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[862],
    owasp: Owasp::A01,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("apiserver_authorization_always_allow.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        if inv.component != Component::ApiServer {
            continue;
        }
        // A list flag: repeating it appends to the list.
        let occurrences = inv.flags("authorization-mode");
        let Some(last) = occurrences.last() else {
            if inv.judges_missing() && !inv.has("authorization-config") {
                cx.report(
                    Finding::new(
                        &META,
                        inv.missing_span(),
                        format!(
                            "{} sets neither --authorization-mode nor --authorization-config: \
                             the mode defaults to AlwaysAllow, so every request is authorized; \
                             add --authorization-mode=Node,RBAC",
                            inv.describe()
                        ),
                    )
                    .with_confidence(Confidence::Medium),
                );
            }
            continue;
        };
        let modes_of = |text: &'_ str| -> Vec<String> {
            text.split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_string)
                .collect()
        };
        let modes: Vec<String> = occurrences
            .iter()
            .flat_map(|f| modes_of(f.text()))
            .collect();
        let flag = occurrences
            .iter()
            .find(|f| modes_of(f.text()).iter().any(|m| m == "AlwaysAllow"))
            .unwrap_or(last);
        if modes.iter().any(|m| m == "AlwaysAllow") {
            cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} uses --authorization-mode={}: AlwaysAllow authorizes every request, \
                     whoever makes it",
                    inv.describe(),
                    flag.text()
                ),
            ));
        } else if !modes.iter().any(|m| m == "RBAC") && modes.iter().any(|m| m != "AlwaysDeny") {
            cx.report(
                Finding::new(
                    &META,
                    flag.span,
                    format!(
                        "{} uses --authorization-mode={} without RBAC: Roles and RoleBindings \
                         are not enforced",
                        inv.describe(),
                        modes.join(",")
                    ),
                )
                .with_severity(Severity::Medium),
            );
        }
    }
}
