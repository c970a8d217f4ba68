//! Flags containers that see the node's `/proc` unmasked.
//!
//! ## What it checks
//! `securityContext.procMount: Unmasked` on any container — regular, init or ephemeral — of
//! a built-in workload (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet,
//! DaemonSet, ReplicaSet, Job, CronJob, OpenShift DeploymentConfig), reported on that line.
//! `Default` is not reported.
//!
//! ## Why it matters
//! The container runtime masks parts of `/proc` (`/proc/kcore`, `/proc/sched_debug`,
//! `/proc/timer_list`, …) and makes others read-only (`/proc/sys`, `/proc/sysrq-trigger`),
//! because they expose the node's kernel memory and state or let a process change kernel
//! settings. `Unmasked` removes those protections; it is meant for nested container runtimes
//! in user-namespaced pods, and the Pod Security Standards' *baseline* profile forbids it.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: builder
//!     securityContext:
//!       procMount: Unmasked     # flagged
//! ```
//!
//! ## Remediation
//! Remove `procMount` (or set `Default`). A workload that builds or runs containers can
//! usually do so rootless (BuildKit rootless, Kaniko) without an unmasked `/proc`; if it truly
//! needs one, run it in a user-namespaced pod (`hostUsers: false`) on dedicated nodes.
//!
//! ## References
//! - CWE-668: Exposure of Resource to Wrong Sphere
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - Kubernetes documentation, Pod Security Standards (baseline: /proc Mount Type);
//!   SecurityContext `procMount`

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/proc-mount-unmasked",
    title: "Container sees /proc unmasked",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[668],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("proc_mount_unmasked.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for container in object.containers() {
        let Some((key, value)) = container
            .security_context()
            .and_then(|sc| entry(sc, "procMount"))
        else {
            continue;
        };
        if scalar(value).map(str::trim) != Some("Unmasked") {
            continue;
        }
        cx.report(Finding::new(
            &META,
            crate::key_value_span(key, value),
            format!(
                "{} of {} sets `procMount: Unmasked`: the node's kernel files under /proc \
                 are neither masked nor read-only for it",
                container.describe(),
                object.describe()
            ),
        ));
    }
}
