//! Flags containers that keep the container runtime's default capabilities.
//!
//! ## What it checks
//! Every container — regular, init and ephemeral — of a built-in workload's pod template
//! (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob, also inside a `List` or `kubectl get -o yaml` dump) must list `ALL` (in any
//! case) under `securityContext.capabilities.drop`.
//!
//! - When the container has a `drop` list without `ALL` (or an empty one), the finding is on
//!   the `drop:` line.
//! - When it has no `drop` list at all, the finding is on the container's `name:` entry (the
//!   `- name: api` line).
//!
//! Capabilities exist only in the container's security context; there is no pod-level
//! equivalent. Pods that declare `spec.os.name: windows` are skipped (the field cannot be set
//! there), as are custom resources that only share a kind name and YAML that is not a
//! Kubernetes object.
//!
//! A pod-spec fragment, where no container has an `image` (a kubeadm patch of a static pod, a
//! patch file, a `replicas: 0` stub), is not judged: what it lacks comes from the workload it
//! is merged into.
//!
//! ## Why it matters
//! Without a `drop` list, a container starts with the runtime's default capabilities — for
//! Docker and containerd fourteen of them, among them `NET_RAW` (forging packets on the pod
//! network), `DAC_OVERRIDE` (ignoring file permissions), `SETUID`/`SETGID`, `SETFCAP`, `MKNOD`
//! and `CHOWN`. Almost no application needs any of them, but each one is a step an attacker
//! who gets code execution in the container can use. Dropping `ALL` and adding back the one or
//! two a process needs is what the OWASP Kubernetes Security Cheat Sheet recommends, and the
//! Pod Security Standards' *restricted* profile requires `drop: ["ALL"]` on every container.
//! The severity is low because the default set is already limited; the finding matters most
//! for containers that run as root.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api                    # flagged: no drop list
//!     image: registry.example.com/shop/api:1.4.2
//!   - name: worker
//!     image: registry.example.com/shop/worker:1.4.2
//!     securityContext:
//!       capabilities:
//!         drop: ["NET_RAW"]        # flagged: drops one, keeps the rest
//! ```
//!
//! ## Remediation
//! ```yaml
//! securityContext:
//!   capabilities:
//!     drop: ["ALL"]
//!     add: ["NET_BIND_SERVICE"]    # only if the process listens below port 1024
//! ```
//!
//! Write `ALL` in capitals: the runtimes accept any case, but the Pod Security admission
//! check of the *restricted* profile looks for `ALL` exactly.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Pod Security Standards (restricted: capabilities)
//! - Linux manual page capabilities(7)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, items, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/capabilities-not-dropped",
    title: "Container does not drop all capabilities",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("capabilities_not_dropped.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.is_windows() || object.is_fragment() {
        return;
    }
    for container in object.containers() {
        let drop = container
            .security_context()
            .and_then(|sc| get(sc, "capabilities"))
            .and_then(|caps| entry(caps, "drop"));
        let finding = match drop {
            Some((key, value)) => {
                let drops_all = items(value)
                    .iter()
                    .filter_map(scalar)
                    .any(|cap| cap.trim().eq_ignore_ascii_case("ALL"));
                if drops_all {
                    continue;
                }
                let what = if items(value).is_empty() {
                    "has an empty capabilities.drop list: it keeps the runtime's default set"
                } else {
                    "drops some capabilities but not ALL: it keeps the rest of the runtime's \
                     default set"
                };
                Finding::new(
                    &META,
                    crate::key_value_span(key, value),
                    format!("{} of {} {what}", container.describe(), object.describe()),
                )
            }
            None => Finding::new(
                &META,
                container.name_span(),
                format!(
                    "{} of {} does not drop capabilities: it keeps the runtime's default set \
                     (NET_RAW, DAC_OVERRIDE, SETUID, …); add capabilities.drop: [\"ALL\"]",
                    container.describe(),
                    object.describe()
                ),
            ),
        };
        cx.report(finding);
    }
}
