//! Flags kubelets that accept anonymous requests.
//!
//! ## What it checks
//! - `authentication.anonymous.enabled: true` in a `KubeletConfiguration`
//!   (`kubelet.config.k8s.io`), reported on the `enabled:` line. Left out, it defaults to
//!   false in `v1beta1`, which is not reported.
//! - A container that runs `kubelet` (recognised by its program, see
//!   `k8s/apiserver-anonymous-auth`) with `--anonymous-auth=true` (or the bare
//!   `--anonymous-auth`), reported on the flag's line; or with neither `--anonymous-auth`
//!   nor `--config`, reported with medium confidence on its `command:` line (or `args:`),
//!   because the command-line flag, unlike the configuration file, defaults to true.
//! - `anonymous-auth: "true"` in a kubeadm `InitConfiguration` or `JoinConfiguration`
//!   under `nodeRegistration.kubeletExtraArgs`.
//!
//! A kubelet configuration embedded as a string (kubeadm's `kubelet-config` ConfigMap) is not
//! parsed.
//!
//! ## Why it matters
//! The kubelet's API on port 10250 can list every pod on the node, read their logs, and run
//! commands inside their containers (`/exec`, `/run`). With anonymous authentication on,
//! requests without credentials are served as `system:anonymous`; if authorization is
//! `AlwaysAllow` as well, anyone who can reach the node runs code in every container on it,
//! which is how many cryptomining campaigns enter clusters.
//!
//! ## Example
//! ```yaml
//! apiVersion: kubelet.config.k8s.io/v1beta1
//! kind: KubeletConfiguration
//! authentication:
//!   anonymous:
//!     enabled: true     # flagged
//! ```
//!
//! ## Remediation
//! Set `authentication.anonymous.enabled: false` (or `--anonymous-auth=false`), enable
//! `authentication.webhook.enabled: true` and `authentication.x509.clientCAFile` so the API
//! server's client certificate and service account tokens are accepted, and use
//! `authorization.mode: Webhook`.
//!
//! ## References
//! - CWE-287: Improper Authentication
//! - OWASP Top 10 2021, A07 Identification and Authentication Failures
//! - OWASP Kubernetes Security Cheat Sheet (securing the kubelet)
//! - Kubernetes documentation, Kubelet authentication/authorization; Kubelet Configuration
//!   (v1beta1)
//! - CIS Kubernetes Benchmark, worker nodes: kubelet anonymous authentication

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, describe_document, invocations, kubelet_configuration};
use crate::object::Object;
use crate::yaml::{entry, get_path, is_true};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/kubelet-anonymous-auth",
    title: "Kubelet accepts anonymous requests",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[287],
    owasp: Owasp::A07,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("kubelet_anonymous_auth.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if let Some(config) = kubelet_configuration(object) {
        let enabled = get_path(config, &["authentication", "anonymous"])
            .and_then(|anonymous| entry(anonymous, "enabled"));
        if let Some((key, value)) = enabled.filter(|(_, v)| is_true(v)) {
            cx.report(Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} enables anonymous authentication: requests to the kubelet API \
                     without credentials are served as system:anonymous",
                    describe_document(object)
                ),
            ));
        }
    }
    for inv in invocations(object) {
        if inv.component != Component::Kubelet {
            continue;
        }
        match inv.bool_flag("anonymous-auth") {
            Some(flag) if flag.truth() == Some(true) => cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} sets --anonymous-auth={}: requests to the kubelet API without \
                     credentials are served as system:anonymous",
                    inv.describe(),
                    flag.text()
                ),
            )),
            Some(_) => {}
            None if inv.judges_missing() && !inv.has("config") => cx.report(
                Finding::new(
                    &META,
                    inv.missing_span(),
                    format!(
                        "{} sets neither --anonymous-auth nor --config: the flag defaults to \
                         true, so requests without credentials are served; add \
                         --anonymous-auth=false",
                        inv.describe()
                    ),
                )
                .with_confidence(Confidence::Medium),
            ),
            None => {}
        }
    }
}
