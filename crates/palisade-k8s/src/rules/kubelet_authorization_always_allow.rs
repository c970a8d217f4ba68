//! Flags kubelets that authorize every request to their API.
//!
//! ## What it checks
//! - `authorization.mode: AlwaysAllow` in a `KubeletConfiguration`
//!   (`kubelet.config.k8s.io`), reported on the `mode:` line. Left out, the mode defaults to
//!   `Webhook` in `v1beta1`, which is not reported.
//! - A container that runs `kubelet` (recognised by its program, see
//!   `k8s/apiserver-anonymous-auth`) with `--authorization-mode=AlwaysAllow`, reported on the
//!   flag's line; or with neither `--authorization-mode` nor `--config`, reported with medium
//!   confidence on its `command:` line (or `args:`), because the command-line flag, unlike
//!   the configuration file, defaults to `AlwaysAllow`.
//! - `authorization-mode: AlwaysAllow` in a kubeadm `InitConfiguration` or
//!   `JoinConfiguration` under `nodeRegistration.kubeletExtraArgs`.
//!
//! ## Why it matters
//! With `AlwaysAllow`, every caller the kubelet authenticates (and every anonymous caller,
//! if anonymous authentication is on) may use its whole API: list the node's pods, read
//! their logs and environment, and execute commands in any container through `/exec` and
//! `/run`. The `Webhook` mode instead asks the API server, through a SubjectAccessReview,
//! whether the caller holds the `nodes/proxy`, `nodes/log` or `nodes/stats` permission.
//!
//! ## Example
//! ```yaml
//! apiVersion: kubelet.config.k8s.io/v1beta1
//! kind: KubeletConfiguration
//! authorization:
//!   mode: AlwaysAllow     # flagged
//! ```
//!
//! ## Remediation
//! Set `authorization.mode: Webhook` (or `--authorization-mode=Webhook`) with
//! `authentication.webhook.enabled: true`, and grant the `nodes/*` subresources only to the
//! API server, monitoring agents and the people who need them.
//!
//! ## References
//! - CWE-862: Missing Authorization
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP Kubernetes Security Cheat Sheet (securing the kubelet)
//! - Kubernetes documentation, Kubelet authentication/authorization; Kubelet Configuration
//!   (v1beta1)
//! - CIS Kubernetes Benchmark, worker nodes: kubelet authorization mode

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, describe_document, invocations, kubelet_configuration};
use crate::object::Object;
use crate::yaml::{entry, get, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/kubelet-authorization-always-allow",
    title: "Kubelet authorizes every request",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[862],
    owasp: Owasp::A01,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("kubelet_authorization_always_allow.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if let Some(config) = kubelet_configuration(object) {
        let mode = get(config, "authorization").and_then(|a| entry(a, "mode"));
        if let Some((key, value)) = mode.filter(|(_, v)| scalar(v) == Some("AlwaysAllow")) {
            cx.report(Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} sets authorization.mode: AlwaysAllow: every caller of the kubelet API \
                     may read pod logs and run commands in the node's containers",
                    describe_document(object)
                ),
            ));
        }
    }
    for inv in invocations(object) {
        if inv.component != Component::Kubelet {
            continue;
        }
        match inv.flag("authorization-mode") {
            Some(flag) if flag.text().trim() == "AlwaysAllow" => cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} sets --authorization-mode=AlwaysAllow: every caller of the kubelet API \
                     may read pod logs and run commands in the node's containers",
                    inv.describe()
                ),
            )),
            Some(_) => {}
            None if inv.judges_missing() && !inv.has("config") => cx.report(
                Finding::new(
                    &META,
                    inv.missing_span(),
                    format!(
                        "{} sets neither --authorization-mode nor --config: the flag defaults \
                         to AlwaysAllow; add --authorization-mode=Webhook",
                        inv.describe()
                    ),
                )
                .with_confidence(Confidence::Medium),
            ),
            None => {}
        }
    }
}
