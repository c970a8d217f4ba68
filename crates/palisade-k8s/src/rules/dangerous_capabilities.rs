//! Flags containers that add dangerous Linux capabilities.
//!
//! ## What it checks
//! Each entry of `securityContext.capabilities.add` on every container — regular, init and
//! ephemeral — of a built-in workload's pod template (Pod, PodTemplate, ReplicationController,
//! Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, OpenShift DeploymentConfig, also
//! inside a `List` or `kubectl get -o yaml` dump). One finding per dangerous entry, on the entry's
//! line. Names are compared in any case and without a `CAP_` prefix (containerd upper-cases the
//! names it is given; the prefixed spelling is the kernel's and some tools use it), so a spelling
//! variant does not hide a capability.
//!
//! Reported with high severity: `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`,
//! `SYS_RAWIO`, `SYS_BOOT`, `SYS_TIME`, `DAC_READ_SEARCH`, `DAC_OVERRIDE`, `BPF`, `PERFMON`,
//! `MAC_ADMIN`, `MAC_OVERRIDE` and `SETFCAP`.
//!
//! `NET_RAW` is reported with **low** severity. It is in Docker's and containerd's default
//! set, so adding it usually changes nothing unless the container first drops `ALL` (or the
//! runtime is CRI-O, whose default set leaves it out); but it lets a process forge packets on
//! the pod network (ARP and DNS spoofing of neighbours on the node) and has been the entry
//! point of kernel exploits, and neither Pod Security Standards profile allows adding it:
//! *baseline* permits only a short list of additions that does not include it, *restricted*
//! permits only `NET_BIND_SERVICE`.
//!
//! Not reported: harmless additions such as `NET_BIND_SERVICE`, `CHOWN` or `KILL`, an empty
//! `add` list, capabilities listed only under `drop`, custom resources that only share a kind
//! name, and YAML that is not a Kubernetes object (docker-compose `cap_add`, Helm values).
//!
//! ## Why it matters
//! Capabilities split root's power into pieces; the ones above are the pieces that break
//! container isolation or the node's integrity. `SYS_ADMIN` is close to full root (mounts,
//! namespaces, BPF in older kernels) and is the usual way out of a container;
//! `SYS_MODULE` loads kernel code; `SYS_PTRACE` reads and alters other processes (and,
//! with a shared PID namespace, their secrets); `NET_ADMIN` rewrites routing and firewall
//! rules; `DAC_READ_SEARCH` and `DAC_OVERRIDE` bypass file permissions (the former was used in
//! the "shocker" escape); `SYS_RAWIO`, `SYS_BOOT` and `SYS_TIME` reach hardware, reboot and the
//! node's clock; `BPF` and `PERFMON` load programs into and read from the kernel;
//! `MAC_ADMIN`/`MAC_OVERRIDE` change or bypass AppArmor and SELinux; `SETFCAP` grants file
//! capabilities to binaries. `ALL` grants all of these at once. The OWASP Kubernetes Security
//! Cheat Sheet asks to grant only the capabilities a container needs.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: vpn
//!     image: registry.example.com/net/wireguard:1.0.20210914
//!     securityContext:
//!       capabilities:
//!         add:
//!           - NET_ADMIN          # flagged
//!           - NET_BIND_SERVICE   # fine
//! ```
//!
//! ## Remediation
//! Drop everything and add back only what the process needs, which for most applications is
//! nothing (or `NET_BIND_SERVICE` to listen below port 1024):
//!
//! ```yaml
//! securityContext:
//!   capabilities:
//!     drop: ["ALL"]
//!     add: ["NET_BIND_SERVICE"]
//! ```
//!
//! Node agents that truly need a dangerous capability (CNI plugins, CSI drivers, eBPF
//! monitors) belong in a dedicated namespace with a Pod Security exemption, reviewed like any
//! other privileged component. Suppress the finding there with a reason.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Pod Security Standards (baseline and restricted: capabilities)
//! - Linux manual page capabilities(7)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{get_path, items, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/dangerous-capabilities",
    title: "Container adds a dangerous Linux capability",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("dangerous_capabilities.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

/// Capabilities that break isolation or the node's integrity, with what they allow.
const DANGEROUS: &[(&str, &str)] = &[
    ("ALL", "every capability"),
    ("SYS_ADMIN", "mounts, namespaces and most of root's powers"),
    (
        "NET_ADMIN",
        "changing routes, firewall rules and interfaces",
    ),
    ("SYS_PTRACE", "tracing and altering other processes"),
    ("SYS_MODULE", "loading kernel modules"),
    ("SYS_RAWIO", "raw access to devices and I/O ports"),
    ("SYS_BOOT", "rebooting and loading a new kernel"),
    ("SYS_TIME", "setting the node's clock"),
    ("DAC_READ_SEARCH", "reading any file, bypassing permissions"),
    (
        "DAC_OVERRIDE",
        "reading and writing any file, bypassing permissions",
    ),
    ("BPF", "loading BPF programs into the kernel"),
    ("PERFMON", "kernel performance monitoring and BPF tracing"),
    ("MAC_ADMIN", "changing AppArmor/SELinux policy"),
    ("MAC_OVERRIDE", "bypassing AppArmor/SELinux policy"),
    ("SETFCAP", "granting capabilities to files"),
];

/// The canonical name: upper case, without a `CAP_` prefix.
fn canonical(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => upper,
    }
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for container in object.containers() {
        let Some(add) = container
            .security_context()
            .and_then(|sc| get_path(sc, &["capabilities", "add"]))
        else {
            continue;
        };
        for item in items(add) {
            let Some(name) = scalar(item) else {
                continue;
            };
            let cap = canonical(name);
            let finding = if let Some((_, what)) = DANGEROUS.iter().find(|(c, _)| *c == cap) {
                Finding::new(
                    &META,
                    crate::node_span(item),
                    format!(
                        "{} of {} adds the {cap} capability ({what})",
                        container.describe(),
                        object.describe()
                    ),
                )
            } else if cap == "NET_RAW" {
                Finding::new(
                    &META,
                    crate::node_span(item),
                    format!(
                        "{} of {} adds the NET_RAW capability (raw sockets: forging packets on \
                         the pod network); neither Pod Security profile allows adding it",
                        container.describe(),
                        object.describe()
                    ),
                )
                .with_severity(Severity::Low)
            } else {
                continue;
            };
            cx.report(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn names_are_compared_without_prefix_and_case() {
        assert_eq!(canonical("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(canonical("CAP_NET_RAW"), "NET_RAW");
        assert_eq!(canonical("Sys_Ptrace"), "SYS_PTRACE");
        assert_eq!(canonical("all"), "ALL");
    }
}
