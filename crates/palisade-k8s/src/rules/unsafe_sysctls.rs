//! Flags pods that set kernel parameters outside Kubernetes' safe set.
//!
//! ## What it checks
//! Every `spec.securityContext.sysctls[].name` of a built-in workload (Pod, PodTemplate,
//! ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
//! OpenShift DeploymentConfig) that is not one of the sysctls Kubernetes considers safe
//! (the Pod Security Standards' baseline list): `kernel.shm_rmid_forced`,
//! `net.ipv4.ip_local_port_range`, `net.ipv4.ip_local_reserved_ports`,
//! `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`,
//! `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.tcp_keepalive_time`,
//! `net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`,
//! `net.ipv4.tcp_rmem` and `net.ipv4.tcp_wmem`. Names written with `/` (`net/core/somaxconn`)
//! are read as with `.`. The finding points at the sysctl's `name:` line. Sysctls set by a
//! privileged init container running `sysctl -w` are not seen here (that container is
//! reported by `k8s/privileged-container`).
//!
//! ## Why it matters
//! Safe sysctls are namespaced and isolated: changing them affects only the pod. Every other
//! sysctl either is not namespaced, so it changes the whole node for every pod on it, or can
//! exhaust or destabilise node resources (`kernel.msgmax`, `net.core.somaxconn`,
//! `vm.overcommit_memory`). The kubelet refuses them unless an administrator allows them with
//! `--allowed-unsafe-sysctls`, and the Pod Security Standards' *baseline* profile forbids
//! them; a workload that needs one is asking for a node-level change.
//!
//! ## Example
//! ```yaml
//! spec:
//!   securityContext:
//!     sysctls:
//!       - name: net.ipv4.ip_local_port_range    # safe, not flagged
//!         value: "1024 65000"
//!       - name: kernel.msgmax                   # flagged
//!         value: "65536"
//! ```
//!
//! ## Remediation
//! Use only safe sysctls in pods. Tune node-level parameters on the nodes themselves (node
//! configuration, a tuning DaemonSet run by the platform team on dedicated nodes), and keep
//! `--allowed-unsafe-sysctls` off the kubelet unless a node pool is reserved for the workload
//! that needs it.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - Kubernetes documentation, Using sysctls in a Kubernetes Cluster; Pod Security Standards
//!   (baseline: Sysctls)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, items, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/unsafe-sysctls",
    title: "Pod sets an unsafe sysctl",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("unsafe_sysctls.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

/// The Pod Security Standards' baseline list of safe sysctls (Kubernetes 1.32).
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/// Whether a sysctl name is in the safe set (`/` read as `.`).
fn is_safe(name: &str) -> bool {
    let name = name.trim().replace('/', ".");
    SAFE.contains(&name.as_str())
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    let Some(sysctls) = object
        .pod_security_context()
        .and_then(|sc| get(sc, "sysctls"))
    else {
        return;
    };
    for sysctl in items(sysctls) {
        let Some((key, value)) = entry(sysctl, "name") else {
            continue;
        };
        let Some(name) = scalar(value).filter(|n| !n.trim().is_empty()) else {
            continue;
        };
        if is_safe(name) {
            continue;
        }
        cx.report(Finding::new(
            &META,
            crate::key_value_span(key, value),
            format!(
                "{} sets the sysctl `{}`, which is not in Kubernetes' safe set: it is not \
                 isolated to the pod and can change or exhaust the node for every pod on it",
                object.describe(),
                name.trim()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_safe_set_in_both_spellings() {
        assert!(is_safe("net.ipv4.ip_local_port_range"));
        assert!(is_safe("net/ipv4/tcp_syncookies"));
        assert!(!is_safe("net.core.somaxconn"));
        assert!(!is_safe("kernel.msgmax"));
        assert!(!is_safe("net.ipv4.ip_forward"));
    }
}
