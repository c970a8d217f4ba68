//! Flags API servers that keep no audit log.
//!
//! ## What it checks
//! A container that runs `kube-apiserver` (recognised by its program, see
//! `k8s/apiserver-anonymous-auth`) with no audit backend (neither `--audit-log-path` nor
//! `--audit-webhook-config-file`) or no audit policy (`--audit-policy-file`): without a
//! policy the server records no events even when a backend is configured. A missing flag is
//! reported on the container's `command:` line (or `args:`) with medium confidence, naming
//! what is missing. An explicitly empty `--audit-log-path=` or `--audit-policy-file=` is
//! reported on its own line. In a kubeadm `ClusterConfiguration` only such explicitly empty
//! values are reported: the policy and backend are often added there through patches.
//!
//! ## Why it matters
//! The audit log is the only record of who did what through the Kubernetes API: which
//! account read a Secret, created a privileged pod or changed a RoleBinding. Without it an
//! intrusion cannot be detected from the control plane, and after one there is nothing to
//! investigate. Kubernetes records nothing by default.
//!
//! ## Example
//! ```yaml
//! command:                 # flagged: no --audit-policy-file, no --audit-log-path
//!   - kube-apiserver
//!   - --authorization-mode=Node,RBAC
//! ```
//!
//! ## Remediation
//! Write an audit `Policy` (`audit.k8s.io/v1`) that records at least metadata for every
//! request and request bodies for Secrets, RBAC objects and pod exec, mount it into the
//! API server's pod and add `--audit-policy-file=/etc/kubernetes/audit-policy.yaml` with
//! `--audit-log-path=/var/log/kubernetes/audit/audit.log` (and `--audit-log-maxage`,
//! `--audit-log-maxbackup`, `--audit-log-maxsize`) or `--audit-webhook-config-file`. Ship the
//! log off the node, where an attacker on it cannot erase it.
//!
//! ## References
//! - CWE-778: Insufficient Logging
//! - OWASP Top 10 2021, A09 Security Logging and Monitoring Failures
//! - OWASP Kubernetes Security Cheat Sheet (logging and auditing)
//! - Kubernetes documentation, Auditing: audit policy and backends
//! - CIS Kubernetes Benchmark, API server and logging: audit log and policy

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, invocations};
use crate::object::Object;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/apiserver-audit-log-disabled",
    title: "API server keeps no audit log",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[778],
    owasp: Owasp::A09,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("apiserver_audit_log_disabled.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        if inv.component != Component::ApiServer {
            continue;
        }
        let mut missing = Vec::new();
        let log = inv.flag("audit-log-path");
        let webhook = inv.flag("audit-webhook-config-file");
        let policy = inv.flag("audit-policy-file");
        for (name, flag) in [("--audit-log-path", log), ("--audit-policy-file", policy)] {
            if let Some(flag) = flag.filter(|f| f.text().trim().is_empty()) {
                cx.report(Finding::new(
                    &META,
                    flag.span,
                    format!(
                        "{} sets {name} to an empty value, which turns audit logging off",
                        inv.describe()
                    ),
                ));
            }
        }
        let has = |f: Option<crate::control_plane::Flag<'_>>| {
            f.is_some_and(|f| !f.text().trim().is_empty())
        };
        if !inv.judges_missing() {
            continue;
        }
        if log.is_none() && !has(webhook) {
            missing.push("no audit backend (--audit-log-path or --audit-webhook-config-file)");
        }
        if policy.is_none() {
            missing.push("no --audit-policy-file, without which no event is recorded");
        }
        if missing.is_empty() {
            continue;
        }
        cx.report(
            Finding::new(
                &META,
                inv.missing_span(),
                format!(
                    "{} keeps no audit log of API requests: {}",
                    inv.describe(),
                    missing.join("; ")
                ),
            )
            .with_confidence(Confidence::Medium),
        );
    }
}
