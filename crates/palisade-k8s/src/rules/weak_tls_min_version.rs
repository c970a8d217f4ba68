//! Flags control-plane and node components that accept TLS 1.0 or 1.1.
//!
//! ## What it checks
//! - `--tls-min-version=VersionTLS10` or `VersionTLS11` on a container that runs
//!   `kube-apiserver`, `kube-controller-manager`, `kube-scheduler` or `kubelet` (recognised
//!   by its program, see `k8s/apiserver-anonymous-auth`);
//! - `--tls-min-version=TLS1.0` or `TLS1.1` on a container that runs `etcd` (or the same in
//!   its `ETCD_TLS_MIN_VERSION` environment variable);
//! - `tlsMinVersion: VersionTLS10` or `VersionTLS11` in a `KubeletConfiguration`;
//! - the same flags in a kubeadm configuration's `extraArgs` or `kubeletExtraArgs`.
//!
//! The finding is on the line of the flag or field. A component that does not set a minimum
//! is not reported: Kubernetes components and etcd default to TLS 1.2.
//!
//! ## Why it matters
//! TLS 1.0 and 1.1 rely on SHA-1 and MD5 in their handshake and on CBC constructions with
//! known attacks (BEAST, Lucky 13, POODLE-style downgrades); they were formally deprecated by
//! RFC 8996. Allowing them on the API server, the kubelet or etcd lets an attacker on the
//! network path push an old client into a weaker protocol and attack the credentials and
//! Secrets that cross it.
//!
//! ## Example
//! ```yaml
//! kind: KubeletConfiguration
//! apiVersion: kubelet.config.k8s.io/v1beta1
//! tlsMinVersion: VersionTLS10     # flagged
//! ```
//!
//! ## Remediation
//! Remove the setting (the default is TLS 1.2) or raise it to `VersionTLS12` or
//! `VersionTLS13` (`TLS1.2`/`TLS1.3` for etcd). Upgrade the rare client that cannot speak
//! TLS 1.2 rather than weakening the server.
//!
//! ## References
//! - CWE-327: Use of a Broken or Risky Cryptographic Algorithm
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - RFC 8996: Deprecating TLS 1.0 and TLS 1.1
//! - Kubernetes documentation, kube-apiserver and kubelet flag references (`--tls-min-version`);
//!   Kubelet Configuration (v1beta1)
//! - etcd documentation, Transport security model (`--tls-min-version`)

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, describe_document, invocations, kubelet_configuration};
use crate::object::Object;
use crate::yaml::{entry, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/weak-tls-min-version",
    title: "Component accepts TLS 1.0 or 1.1",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[327],
    owasp: Owasp::A02,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("weak_tls_min_version.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

/// The TLS version a weak setting allows, for the message.
fn weak(component: Component, value: &str) -> Option<&'static str> {
    match (component, value.trim()) {
        (Component::Etcd, "TLS1.0") | (_, "VersionTLS10") => Some("TLS 1.0"),
        (Component::Etcd, "TLS1.1") | (_, "VersionTLS11") => Some("TLS 1.1"),
        _ => None,
    }
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        let Some(flag) = inv.flag("tls-min-version") else {
            continue;
        };
        if let Some(version) = weak(inv.component, flag.text()) {
            cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} sets --tls-min-version={}: it accepts {version}, a deprecated \
                     protocol version",
                    inv.describe(),
                    flag.text().trim()
                ),
            ));
        }
    }
    if let Some(config) = kubelet_configuration(object)
        && let Some((key, value)) = entry(config, "tlsMinVersion")
    {
        let text = scalar(value).unwrap_or("");
        if let Some(version) = weak(Component::Kubelet, text) {
            cx.report(Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} sets tlsMinVersion: {}: the kubelet accepts {version}, a \
                     deprecated protocol version",
                    describe_document(object),
                    text.trim()
                ),
            ));
        }
    }
}
