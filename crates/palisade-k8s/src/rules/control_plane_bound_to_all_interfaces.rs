//! Flags controller managers and schedulers that listen on every network interface.
//!
//! ## What it checks
//! A container that runs `kube-controller-manager` or `kube-scheduler` (recognised by its
//! program, see `k8s/apiserver-anonymous-auth`) with `--bind-address` set to `0.0.0.0` or `::`,
//! reported on the flag's line, or without `--bind-address`, reported
//! with medium confidence on its `command:` line (or `args:`), because the flag defaults to
//! `0.0.0.0`. kubeadm's manifests set `--bind-address=127.0.0.1`, which is not reported; a
//! specific node address is not reported either. In a kubeadm `ClusterConfiguration` only an
//! explicit all-interfaces `bind-address` under `controllerManager.extraArgs` or
//! `scheduler.extraArgs` is reported.
//!
//! ## Why it matters
//! Both components run with powerful credentials and only need to be reached by the local
//! kubelet (health checks) and by whatever scrapes their metrics. Listening on every
//! interface exposes their secure ports (10257 and 10259), with `/healthz`, `/metrics` and
//! `/debug` handlers, to every pod and host that can route to the control-plane node, adding
//! attack surface for delegated-authentication mistakes and denial of service.
//!
//! ## Example
//! ```yaml
//! command:
//!   - kube-scheduler
//!   - --bind-address=0.0.0.0    # flagged
//! ```
//!
//! ## Remediation
//! Set `--bind-address=127.0.0.1` (kubeadm's default) and scrape metrics from the node
//! itself, or bind to a dedicated management address that only monitoring can reach.
//!
//! ## References
//! - CWE-1327: Binding to an Unrestricted IP Address
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - Kubernetes documentation, kube-controller-manager and kube-scheduler flag references
//!   (`--bind-address`)
//! - CIS Kubernetes Benchmark, controller manager and scheduler: bind address

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, invocations, is_all_interfaces};
use crate::object::Object;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/control-plane-bound-to-all-interfaces",
    title: "Controller manager or scheduler listens on every interface",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[1327],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("control_plane_bound_to_all_interfaces.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        if !matches!(
            inv.component,
            Component::ControllerManager | Component::Scheduler
        ) {
            continue;
        }
        match inv.flag("bind-address") {
            Some(flag) if is_all_interfaces(flag.text()) => cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} sets --bind-address={}: its secure port listens on every network \
                     interface",
                    inv.describe(),
                    flag.text().trim()
                ),
            )),
            Some(_) => {}
            None if inv.judges_missing() => cx.report(
                Finding::new(
                    &META,
                    inv.missing_span(),
                    format!(
                        "{} does not set --bind-address, which defaults to 0.0.0.0: its secure \
                         port listens on every network interface; add --bind-address=127.0.0.1",
                        inv.describe()
                    ),
                )
                .with_confidence(Confidence::Medium),
            ),
            None => {}
        }
    }
}
