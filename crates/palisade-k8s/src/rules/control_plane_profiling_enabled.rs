//! Flags control-plane components that serve Go profiling endpoints.
//!
//! ## What it checks
//! A container that runs `kube-apiserver`, `kube-controller-manager` or `kube-scheduler`
//! (recognised by its program, see `k8s/apiserver-anonymous-auth`) and sets
//! `--profiling=true` (or the bare `--profiling`), reported on that flag's line, or does not
//! set `--profiling` at all, reported with medium confidence on the container's `command:`
//! line (or `args:`): the flag defaults to true. A scheduler started with `--config` is not
//! judged, because it then ignores `--profiling` and takes `enableProfiling` from its
//! configuration file. In a kubeadm `ClusterConfiguration` only an explicit
//! `profiling: "true"` under `apiServer`, `controllerManager` or `scheduler` `extraArgs` is
//! reported. Application containers that happen to take a `--profiling` flag are not
//! components and are never checked.
//!
//! ## Why it matters
//! Profiling adds the `/debug/pprof` handlers to the component's secure port. They reveal
//! the program's internals (goroutine stacks, heap contents, command line) to whoever is
//! authorized for them, and CPU or trace profiles are expensive enough to degrade the
//! control plane when requested repeatedly. A production control plane rarely needs them;
//! turning them off shrinks the attack surface at no cost.
//!
//! ## Example
//! ```yaml
//! command:                         # flagged when --profiling is absent
//!   - kube-controller-manager
//!   - --profiling=true             # flagged
//! ```
//!
//! ## Remediation
//! Add `--profiling=false` to kube-apiserver, kube-controller-manager and kube-scheduler (in
//! kubeadm, to each component's `extraArgs`); for a scheduler started with `--config`, set
//! `enableProfiling: false` in its `KubeSchedulerConfiguration`. Turn profiling on briefly
//! when you need to investigate a performance problem.
//!
//! ## References
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - Kubernetes documentation, kube-apiserver, kube-controller-manager and kube-scheduler
//!   flag references (`--profiling`)
//! - CIS Kubernetes Benchmark, API server, controller manager and scheduler: profiling

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, invocations};
use crate::object::Object;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/control-plane-profiling-enabled",
    title: "Control-plane component serves profiling endpoints",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[200],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("control_plane_profiling_enabled.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        let judged = match inv.component {
            Component::ApiServer | Component::ControllerManager => true,
            // With --config the scheduler ignores --profiling (enableProfiling decides).
            Component::Scheduler => !inv.has("config"),
            Component::Etcd | Component::Kubelet => false,
        };
        if !judged {
            continue;
        }
        match inv.bool_flag("profiling") {
            Some(flag) if flag.truth() == Some(true) => cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} sets --profiling={}: it serves /debug/pprof profiling endpoints",
                    inv.describe(),
                    flag.text()
                ),
            )),
            Some(_) => {}
            None if inv.judges_missing() => cx.report(
                Finding::new(
                    &META,
                    inv.missing_span(),
                    format!(
                        "{} does not set --profiling, which defaults to true: it serves \
                         /debug/pprof profiling endpoints; add --profiling=false",
                        inv.describe()
                    ),
                )
                .with_confidence(Confidence::Medium),
            ),
            None => {}
        }
    }
}
