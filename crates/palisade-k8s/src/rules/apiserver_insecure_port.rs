//! Flags API servers that serve the unauthenticated, unencrypted insecure port.
//!
//! ## What it checks
//! A container that runs `kube-apiserver` (recognised by its program, see
//! `k8s/apiserver-anonymous-auth`) and sets `--insecure-port` to anything but `0`, reported on
//! that flag's line, or sets `--insecure-bind-address` without `--insecure-port=0`, reported
//! on the bind address's line. The finding is critical when the port listens on a routable
//! address, and high when it is bound to loopback (`--insecure-bind-address` absent means
//! `127.0.0.1`), where every process on the node, including any pod with `hostNetwork`, can
//! still reach it. A manifest that sets neither flag is not reported: the insecure port was
//! disabled in Kubernetes 1.20 and the flags removed in 1.24. The same flags set in a kubeadm
//! `ClusterConfiguration` under `apiServer.extraArgs` are reported too.
//!
//! ## Why it matters
//! The insecure port (8080 by convention) speaks plain HTTP and skips authentication and
//! authorization altogether: every request on it acts as a cluster administrator. Anyone who
//! can reach it can read every Secret, start privileged pods and take over the nodes, and
//! everything sent over it, tokens included, crosses the network in clear text.
//!
//! ## Example
//! ```yaml
//! command:
//!   - kube-apiserver
//!   - --insecure-port=8080              # flagged
//!   - --insecure-bind-address=0.0.0.0
//! ```
//!
//! ## Remediation
//! Set `--insecure-port=0` and remove `--insecure-bind-address` (or upgrade: from 1.24 the
//! flags no longer exist). Give local tools a kubeconfig with a client certificate or token
//! for the secure port (6443) instead.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP Kubernetes Security Cheat Sheet (securing the API server)
//! - Kubernetes documentation, Controlling Access to the Kubernetes API: API server ports
//! - CIS Kubernetes Benchmark, API server: insecure port and bind address

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, invocations};
use crate::object::Object;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/apiserver-insecure-port",
    title: "API server serves the insecure port",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("apiserver_insecure_port.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        if inv.component != Component::ApiServer {
            continue;
        }
        let port = inv.flag("insecure-port");
        let bind = inv.flag("insecure-bind-address");
        let port_is_off = port.is_some_and(|p| p.text().trim() == "0");
        if port_is_off {
            continue;
        }
        // Without --insecure-bind-address the insecure port listened on 127.0.0.1.
        let address = bind.map_or("127.0.0.1", |b| b.text().trim());
        let severity = if palisade_knowledge::hosts::is_loopback(address) {
            Severity::High
        } else {
            Severity::Critical
        };
        let finding = match (port, bind) {
            (Some(port), bind) => {
                let mut finding = Finding::new(
                    &META,
                    port.span,
                    format!(
                        "{} serves the insecure port {} on {address}: plain HTTP, with no \
                         authentication or authorization",
                        inv.describe(),
                        port.text().trim()
                    ),
                );
                if let Some(bind) = bind {
                    finding = finding.with_related(bind.span, "the insecure port's address");
                }
                finding
            }
            (None, Some(bind)) => Finding::new(
                &META,
                bind.span,
                format!(
                    "{} sets --insecure-bind-address={address} without --insecure-port=0: \
                     before Kubernetes 1.20 this serves plain HTTP on port 8080 with no \
                     authentication or authorization",
                    inv.describe()
                ),
            )
            .with_confidence(Confidence::Medium),
            (None, None) => continue,
        };
        cx.report(finding.with_severity(severity));
    }
}
