//! Flags containers without a memory or CPU limit.
//!
//! ## What it checks
//! Every regular and init container of a built-in workload (Pod, PodTemplate,
//! ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, OpenShift
//! DeploymentConfig, including `List` items and `kubectl get -o yaml` output) must set both
//! `resources.limits.memory` and `resources.limits.cpu`, in any unit. A container lacking either is
//! reported at its `name:` line (the `- name:` line of the usual layout), and the message says
//! which limit is missing. Ephemeral debug containers are skipped: Kubernetes does not let them
//! declare resources. Requests alone do not count: they reserve capacity but cap nothing.
//!
//! palisade reads manifests, not the cluster: a `LimitRange` in the target namespace that
//! gives containers default limits is not seen, so such containers are still reported (the
//! finding's confidence is medium for that reason). Custom resources that share a workload's
//! kind name and YAML that is not a Kubernetes object are not checked.
//!
//! A pod-spec fragment, where no container has an `image` (a kubeadm patch of a static pod, a
//! patch file, a `replicas: 0` stub), is not judged: what it lacks comes from the workload it
//! is merged into.
//!
//! ## Why it matters
//! Without a memory limit one container can take all of its node's memory, and the kernel's
//! out-of-memory killer then ends other pods on the node — a single leaking or attacked
//! service becomes a node-wide outage. Without a CPU limit a busy or hijacked container (a
//! crypto-miner is the usual guest) starves its neighbours. Limits turn a compromise or a bug
//! in one workload into a problem of that workload only. The OWASP Kubernetes Security Cheat
//! Sheet asks to limit the resources of every container, with namespace `ResourceQuota`s
//! and `LimitRange`s as a backstop.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api                 # flagged: no CPU limit
//!     image: registry.example.com/shop/api:1.4.2
//!     resources:
//!       requests:
//!         cpu: 250m
//!         memory: 256Mi
//!       limits:
//!         memory: 512Mi
//! ```
//!
//! ## Remediation
//! Give every container both limits, sized from observed usage with some headroom:
//! ```yaml
//! resources:
//!   requests: {cpu: 250m, memory: 256Mi}
//!   limits: {cpu: "1", memory: 512Mi}
//! ```
//! Add a `LimitRange` with defaults and a `ResourceQuota` to each namespace so that a
//! container that forgets them is still bounded. Teams that deliberately run without CPU
//! limits (to avoid throttling latency-sensitive services) should record that choice with a
//! `palisade: ignore[k8s/missing-resource-limits]` comment and a reason, and keep the
//! memory limit.
//!
//! ## References
//! - CWE-770: Allocation of Resources Without Limits or Throttling
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Resource Management for Pods and Containers; Limit Ranges

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{get, get_path, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/missing-resource-limits",
    title: "Container has no memory or CPU limit",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    cwe: &[770],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("missing_resource_limits.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.is_fragment() {
        return;
    }
    for container in object.containers() {
        if container.list == "ephemeralContainers" {
            continue;
        }
        let limits = get_path(container.node, &["resources", "limits"]);
        let has = |resource: &str| {
            limits
                .and_then(|l| get(l, resource))
                .and_then(scalar)
                .is_some_and(|v| !v.trim().is_empty())
        };
        let missing = match (has("memory"), has("cpu")) {
            (true, true) => continue,
            (false, true) => "has no memory limit",
            (true, false) => "has no CPU limit",
            (false, false) => "has neither a memory nor a CPU limit",
        };
        cx.report(Finding::new(
            &META,
            container.name_span(),
            format!(
                "{} of {} {missing} (`resources.limits`): nothing stops it from \
                 exhausting its node",
                container.describe(),
                object.describe()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_message_names_the_missing_limits() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: x\n      resources:\n        limits:\n          cpu: 100m\n    - name: b\n      image: x\n      resources:\n        limits:\n          memory: 1Gi\n    - name: c\n      image: x\n";
        let messages: Vec<String> = crate::findings_of("k8s/missing-resource-limits", text)
            .into_iter()
            .map(|f| f.message)
            .collect();
        assert_eq!(messages.len(), 3);
        assert!(messages[0].contains("has no memory limit"));
        assert!(messages[1].contains("has no CPU limit"));
        assert!(messages[2].contains("neither a memory nor a CPU limit"));
    }
}
