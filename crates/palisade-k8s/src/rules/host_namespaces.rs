//! Flags pods that share the node's process, IPC or network namespace.
//!
//! ## What it checks
//! `hostPID: true`, `hostIPC: true` and `hostNetwork: true` in the pod spec of a built-in workload:
//! Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
//! CronJob and OpenShift DeploymentConfig, including the items of a `List` and `kubectl get -o
//! yaml` output; and `allowHostPID`, `allowHostIPC` and `allowHostNetwork: true` in an OpenShift
//! `SecurityContextConstraints`, which let every pod admitted under it do the same. Each key that
//! is set gets its own finding, on its own line. Values are read as Kubernetes reads them: `yes`
//! and `on` are true, while a quoted `"true"` is a string the API server rejects. The keys are only
//! meaningful in the pod spec: the same words inside a container, in a custom resource that shares
//! a kind name, or in YAML that is not a Kubernetes object (docker-compose's `network_mode: host`,
//! Helm values) are not flagged.
//!
//! ## Why it matters
//! Containers are isolated from the node mostly by Linux namespaces, and these three keys
//! switch that isolation off for the whole pod:
//! - `hostPID` lets the pod see every process on the node, read their environment and
//!   command lines (where secrets often travel) and, as root, signal or `ptrace` them or
//!   enter their namespaces through `/proc/<pid>/root`.
//! - `hostIPC` shares the node's System V IPC and POSIX shared memory with the pod, so it
//!   can read or corrupt the shared memory of other workloads on the node.
//! - `hostNetwork` puts the pod on the node's network stack: it can bind any port of the
//!   node, reach services listening only on the node's loopback (the kubelet's read-only
//!   port, local agents, cloud metadata endpoints), sniff traffic with `NET_RAW`, and
//!   NetworkPolicies no longer apply to it.
//!
//! The OWASP Kubernetes Security Cheat Sheet asks that pods do not share host namespaces,
//! and the Pod Security Standards' *baseline* profile forbids all three.
//!
//! ## Example
//! ```yaml
//! spec:
//!   hostNetwork: true   # flagged
//!   hostPID: true       # flagged
//!   containers:
//!     - name: agent
//!       image: registry.example.com/ops/agent:2.1.0
//! ```
//!
//! ## Remediation
//! Remove the keys (they default to false). A service that must be reachable on a node port
//! needs a `Service` of type `NodePort` or `LoadBalancer`, not `hostNetwork`; a process that
//! needs to talk to a sidecar shares a namespace with `shareProcessNamespace` inside its own
//! pod, not with the node. Reserve host namespaces for audited node agents (CNI plugins,
//! node exporters) in dedicated namespaces, and enforce the rest with the Pod Security
//! Admission label `pod-security.kubernetes.io/enforce: baseline`.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Pod Security Standards (baseline: host namespaces)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, is_true};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/host-namespaces",
    title: "Pod shares a host namespace",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("host_namespaces.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

/// Each key, with what sharing that namespace gives the pod.
const KEYS: [(&str, &str); 3] = [
    (
        "hostPID",
        "the node's process namespace: it sees every process on the node and, as root, can \
         inspect and enter them",
    ),
    (
        "hostIPC",
        "the node's IPC namespace: it can read and write other workloads' shared memory",
    ),
    (
        "hostNetwork",
        "the node's network namespace: it can bind node ports, reach services on the node's \
         loopback and escapes NetworkPolicies",
    ),
];

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for (name, consequence) in KEYS {
        let allow = format!("allow{}", name.replacen("host", "Host", 1));
        if let Some(span) = object.scc_allows(&allow) {
            cx.report(Finding::new(
                &META,
                span,
                format!(
                    "{} sets `{allow}: true`, so every pod admitted under it may share \
                     {consequence}",
                    object.describe()
                ),
            ));
        }
    }
    let Some(spec) = object.pod_spec() else {
        return;
    };
    for (name, consequence) in KEYS {
        let Some((key, value)) = entry(spec, name) else {
            continue;
        };
        if !is_true(value) {
            continue;
        }
        cx.report(Finding::new(
            &META,
            crate::key_value_span(key, value),
            format!(
                "{} sets `{name}: true`, so its pods share {consequence}",
                object.describe()
            ),
        ));
    }
}
