//! Flags containers that run privileged.
//!
//! ## What it checks
//! `securityContext.privileged: true` on any container — regular, init or ephemeral — of a
//! pod template in a built-in workload: Pod, PodTemplate, ReplicationController, Deployment,
//! StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and OpenShift DeploymentConfig,
//! including the items of a `List` and `kubectl get -o yaml` output. A pod spec none of whose
//! containers has an `image` (a kubeadm patch of a static pod, a patch file) is a fragment
//! merged into a workload elsewhere: what it sets lands there, so it is checked too.
//!
//! Also reported: Windows HostProcess containers (`securityContext.windowsOptions.hostProcess:
//! true`, on the pod or a container), which run as processes on the node and are Windows'
//! privileged containers; and an OpenShift `SecurityContextConstraints` with
//! `allowPrivilegedContainer: true` (high severity: it permits rather than runs), on that
//! line. The value is read as Kubernetes reads it, so `yes` and `on`
//! count as true, while a quoted `"true"` (rejected by the API server) does not. Custom
//! resources that only share a kind name, and YAML that is not a Kubernetes object
//! (docker-compose, Helm values), are not checked. The finding points at the
//! `privileged:` line.
//!
//! ## Why it matters
//! A privileged container gets every Linux capability and access to all host devices; it is
//! root on the node in all but name. Whoever compromises it — or can `exec` into it — can
//! load kernel modules, read every other pod's secrets from the node and take over the
//! kubelet's credentials. The OWASP Kubernetes Security Cheat Sheet lists it first among the
//! pod settings to forbid, and the Pod Security Standards' *baseline* profile already
//! rejects it.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api
//!     image: registry.example.com/shop/api:1.4.2
//!     securityContext:
//!       privileged: true   # flagged
//! ```
//!
//! ## Remediation
//! Remove `privileged: true` (the default is false). Grant only what the workload needs:
//! a specific capability in `capabilities.add` after `drop: ["ALL"]`, a device plugin for
//! hardware, or a dedicated, audited node agent for the rare system component that truly
//! needs the host. Enforce it cluster-wide with the Pod Security Admission label
//! `pod-security.kubernetes.io/enforce: baseline` (or `restricted`).
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Pod Security Standards (baseline: privileged containers)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, get_path, is_true};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/privileged-container",
    title: "Container runs privileged",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("privileged_container.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if let Some(span) = object.scc_allows("allowPrivilegedContainer") {
        cx.report(
            Finding::new(
                &META,
                span,
                format!(
                    "{} allows privileged containers: every pod admitted under it may run \
                     with every capability and the host's devices",
                    object.describe()
                ),
            )
            .with_severity(Severity::High),
        );
    }
    // A HostProcess pod (Windows) runs its containers as processes on the node itself.
    let pod_host_process = object
        .pod_security_context()
        .and_then(|sc| get_path(sc, &["windowsOptions", "hostProcess"]))
        .is_some_and(is_true);
    if let Some((key, value)) = object
        .pod_security_context()
        .and_then(|sc| get(sc, "windowsOptions"))
        .and_then(|w| entry(w, "hostProcess"))
        .filter(|(_, v)| is_true(v))
    {
        cx.report(Finding::new(
            &META,
            crate::key_value_span(key, value),
            format!(
                "{} sets `hostProcess: true`: its Windows containers run as processes on the \
                 node, with the node's file system, network and (as SYSTEM) full control of it",
                object.describe()
            ),
        ));
    }
    for container in object.containers() {
        let Some(security_context) = get(container.node, "securityContext") else {
            continue;
        };
        if let Some((key, value)) = get(security_context, "windowsOptions")
            .and_then(|w| entry(w, "hostProcess"))
            .filter(|(_, v)| is_true(v) && !pod_host_process)
        {
            cx.report(Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} of {} sets `hostProcess: true`: it runs as a process on the Windows \
                     node, with the node's file system, network and full control of it",
                    container.describe(),
                    object.describe()
                ),
            ));
        }
        let Some((key, value)) = entry(security_context, "privileged") else {
            continue;
        };
        if !is_true(value) {
            continue;
        }
        let finding = Finding::new(
            &META,
            crate::key_value_span(key, value),
            format!(
                "{} of {} runs privileged: it has every capability and the host's devices",
                container.describe(),
                object.describe()
            ),
        );
        cx.report(finding);
    }
}
