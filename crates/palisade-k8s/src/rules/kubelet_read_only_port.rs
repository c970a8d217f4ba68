//! Flags kubelets that serve the unauthenticated read-only port.
//!
//! ## What it checks
//! - A non-zero `readOnlyPort` in a `KubeletConfiguration` (`kubelet.config.k8s.io`),
//!   reported on its line. Left out, it defaults to 0 (off) in `v1beta1`, which is not
//!   reported.
//! - A container that runs `kubelet` (recognised by its program, see
//!   `k8s/apiserver-anonymous-auth`) with a non-zero `--read-only-port`, reported on the
//!   flag's line; or with neither `--read-only-port` nor `--config`, reported with medium
//!   confidence on its `command:` line (or `args:`), because the command-line flag, unlike
//!   the configuration file, defaults to 10255.
//! - A non-zero `read-only-port` in a kubeadm `InitConfiguration` or `JoinConfiguration`
//!   under `nodeRegistration.kubeletExtraArgs`.
//!
//! ## Why it matters
//! The read-only port (10255 by convention) serves part of the kubelet API over plain HTTP
//! with no authentication and no authorization at all: the full specs of every pod on the
//! node (environment variables, images, volumes, service account names) and resource
//! metrics. Anyone who can reach the node learns the layout of the workloads and often
//! credentials passed in environment variables.
//!
//! ## Example
//! ```yaml
//! apiVersion: kubelet.config.k8s.io/v1beta1
//! kind: KubeletConfiguration
//! readOnlyPort: 10255     # flagged
//! ```
//!
//! ## Remediation
//! Set `readOnlyPort: 0` (or `--read-only-port=0`) and have monitoring agents scrape the
//! authenticated port 10250 with a service account allowed `nodes/stats` and `nodes/metrics`.
//!
//! ## References
//! - CWE-306: Missing Authentication for Critical Function
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet (securing the kubelet)
//! - Kubernetes documentation, Kubelet Configuration (v1beta1); kubelet flag reference
//! - CIS Kubernetes Benchmark, worker nodes: kubelet read-only port

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, describe_document, invocations, kubelet_configuration};
use crate::object::Object;
use crate::yaml::{entry, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/kubelet-read-only-port",
    title: "Kubelet serves the unauthenticated read-only port",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[306],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("kubelet_read_only_port.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

/// A port that is set and not 0 (YAML's null leaves the default, 0).
fn is_open(port: &str) -> bool {
    let port = port.trim().trim_matches(['"', '\'']);
    !matches!(port, "" | "null" | "Null" | "NULL" | "~") && port.parse::<u32>() != Ok(0)
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if let Some(config) = kubelet_configuration(object)
        && let Some((key, value)) = entry(config, "readOnlyPort")
    {
        let port = scalar(value).unwrap_or("");
        if is_open(port) {
            cx.report(Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} sets readOnlyPort: {port}: the kubelet serves pod specs and \
                     metrics over plain HTTP without authentication",
                    describe_document(object)
                ),
            ));
        }
    }
    for inv in invocations(object) {
        if inv.component != Component::Kubelet {
            continue;
        }
        match inv.flag("read-only-port") {
            Some(flag) if is_open(flag.text()) => cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} sets --read-only-port={}: the kubelet serves pod specs and metrics \
                     over plain HTTP without authentication",
                    inv.describe(),
                    flag.text().trim()
                ),
            )),
            Some(_) => {}
            None if inv.judges_missing() && !inv.has("config") => cx.report(
                Finding::new(
                    &META,
                    inv.missing_span(),
                    format!(
                        "{} sets neither --read-only-port nor --config: the flag defaults to \
                         10255, an unauthenticated plain-HTTP port; add --read-only-port=0",
                        inv.describe()
                    ),
                )
                .with_confidence(Confidence::Medium),
            ),
            None => {}
        }
    }
}
