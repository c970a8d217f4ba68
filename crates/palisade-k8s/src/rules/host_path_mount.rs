//! Flags pods that mount a directory or file of the node with a `hostPath` volume.
//!
//! ## What it checks
//! Every `volumes[].hostPath.path` in the pod spec of a built-in workload (Pod, PodTemplate,
//! ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
//! OpenShift DeploymentConfig, including `List` items and `kubectl get -o yaml` output); and
//! `allowHostDirVolumePlugin: true` in an OpenShift `SecurityContextConstraints`, which lets
//! every pod admitted under it mount any host path (high). The finding points at the
//! `path:` line. It is *critical* when the path (after removing `.`, `..`, doubled and
//! trailing slashes) is:
//! - a container runtime socket (`docker.sock`, `containerd.sock`, `crio.sock`,
//!   `dockershim.sock`, `cri-dockerd.sock`, `podman.sock` anywhere, such as
//!   `/var/run/docker.sock` or `/run/containerd/containerd.sock`) or the runtime directory
//!   that holds one (`/run/containerd`, `/run/crio` and their `/var/run` spellings);
//! - the node's root `/`, `/etc` or anything below it;
//! - `/proc`, `/root`, `/var/lib/kubelet`, `/var/run` or `/run` themselves;
//!
//! and *high* for any other host path. The message says whether the containers that use the
//! volume mount it read-only (`volumeMounts[].readOnly`), and each of those mounts is given
//! as a related location, but a read-only mount is still reported: it still exposes the
//! node's files, and a read-only mount of a socket does not stop anyone from connecting to
//! it. Other volume types (`emptyDir`, `configMap`, `secret`, `persistentVolumeClaim`,
//! `projected`, …) are not flagged, nor is a `PersistentVolume` object with `spec.hostPath`
//! (an administrator's storage definition, not a pod reaching into its node), nor custom
//! resources that share a workload's kind name, nor YAML that is not a Kubernetes object.
//!
//! ## Why it matters
//! A `hostPath` volume punches through the container's filesystem isolation. With the node's
//! runtime socket a pod can start a privileged container on the node and own it; with `/`,
//! `/etc` or `/root` it can read the node's credentials and SSH keys or, if writable, add a
//! user, a cron job or a systemd unit; `/var/lib/kubelet` holds every pod's mounted secrets
//! and the kubelet's own client certificate. Even a harmless-looking directory can be a
//! foothold: writable host paths have been the root of several container escapes through
//! symlinks. The OWASP Kubernetes Security Cheat Sheet asks to avoid host path mounts, and
//! the Pod Security Standards' *baseline* profile forbids `hostPath` volumes altogether.
//!
//! ## Example
//! ```yaml
//! spec:
//!   containers:
//!     - name: builder
//!       image: registry.example.com/ci/builder:5.2.0
//!       volumeMounts:
//!         - name: docker
//!           mountPath: /var/run/docker.sock
//!   volumes:
//!     - name: docker
//!       hostPath:
//!         path: /var/run/docker.sock   # flagged, critical
//! ```
//!
//! ## Remediation
//! Use a volume that belongs to the pod: `emptyDir` for scratch space, a
//! `persistentVolumeClaim` for data, `configMap`/`secret`/`projected` volumes for
//! configuration. Build images with a daemonless builder (BuildKit rootless, kaniko, buildah)
//! instead of the node's Docker socket. A node agent that truly needs host files should mount
//! the narrowest path, with `readOnly: true`, run in a dedicated namespace, and be the only
//! exception to a `pod-security.kubernetes.io/enforce: baseline` label.
//!
//! ## References
//! - CWE-668: Exposure of Resource to Wrong Sphere
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Volumes: hostPath; Pod Security Standards (baseline: HostPath
//!   volumes)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, get_str, is_true, items, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/host-path-mount",
    title: "Pod mounts a path of the node",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[668],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("host_path_mount.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

/// File names of container runtime API sockets.
const RUNTIME_SOCKETS: [&str; 6] = [
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "dockershim.sock",
    "cri-dockerd.sock",
    "podman.sock",
];

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if let Some(span) = object.scc_allows("allowHostDirVolumePlugin") {
        cx.report(Finding::new(
            &META,
            span,
            format!(
                "{} sets `allowHostDirVolumePlugin: true`: every pod admitted under it may \
                 mount any path of the node, its root file system and runtime socket included",
                object.describe()
            ),
        ));
    }
    let Some(spec) = object.pod_spec() else {
        return;
    };
    let Some(volumes) = get(spec, "volumes") else {
        return;
    };
    let containers = object.containers();
    for volume in items(volumes) {
        let Some(host_path) = get(volume, "hostPath") else {
            continue;
        };
        let Some((key, value)) = entry(host_path, "path") else {
            continue;
        };
        let Some(path) = scalar(value).filter(|p| !p.trim().is_empty()) else {
            continue;
        };
        let volume_name = get_str(volume, "name").unwrap_or("<unnamed>");
        let normalized = normalize(path);

        // Who mounts it, and how.
        let mut read_only = Vec::new();
        let mut writable = Vec::new();
        let mut related = Vec::new();
        for container in &containers {
            let Some(mounts) = get(container.node, "volumeMounts") else {
                continue;
            };
            for mount in items(mounts) {
                if get_str(mount, "name") != Some(volume_name) {
                    continue;
                }
                let ro = get(mount, "readOnly").is_some_and(is_true);
                let at = get_str(mount, "mountPath").unwrap_or("?");
                let mode = if ro { "read-only" } else { "writable" };
                if ro {
                    read_only.push(container.describe());
                } else {
                    writable.push(container.describe());
                }
                let span = match entry(mount, "mountPath") {
                    Some((k, v)) => crate::key_value_span(k, v),
                    None => crate::node_span(mount),
                };
                related.push((
                    span,
                    format!("{} mounts it at `{at}`, {mode}", container.describe()),
                ));
            }
        }
        let usage = if writable.is_empty() && read_only.is_empty() {
            "no container mounts it".to_string()
        } else if writable.is_empty() {
            format!("mounted read-only by {}", read_only.join(", "))
        } else if read_only.is_empty() {
            format!("mounted writable by {}", writable.join(", "))
        } else {
            format!(
                "mounted writable by {} and read-only by {}",
                writable.join(", "),
                read_only.join(", ")
            )
        };

        let (severity, exposure) = match critical_reason(&normalized) {
            Some(reason) => (Severity::Critical, reason),
            None => (Severity::High, "a path of the node"),
        };
        let mut finding = Finding::new(
            &META,
            crate::key_value_span(key, value),
            format!(
                "{} mounts host path `{path}` as volume `{volume_name}`, {exposure} ({usage})",
                object.describe()
            ),
        )
        .with_severity(severity);
        for (span, message) in related {
            finding = finding.with_related(span, message);
        }
        cx.report(finding);
    }
}

/// Why a host path is critical, or None when it is merely high.
fn critical_reason(path: &str) -> Option<&'static str> {
    let file_name = path.rsplit('/').next().unwrap_or(path);
    if RUNTIME_SOCKETS.contains(&file_name) {
        return Some(
            "the container runtime's API socket: whoever can connect to it can start a \
             privileged container on the node, and a read-only mount does not prevent connecting",
        );
    }
    Some(match path {
        "/" => "the node's whole filesystem",
        "/etc" => "the node's configuration: accounts, credentials, kubelet and system config",
        p if p.starts_with("/etc/") => {
            "part of the node's configuration (`/etc`), where credentials and system config live"
        }
        "/proc" => "the node's `/proc`: every process on the node and kernel settings",
        "/root" => "the home directory of the node's root user (SSH keys, cloud credentials)",
        "/var/lib/kubelet" => {
            "the kubelet's state: every pod's mounted secrets and the kubelet's credentials"
        }
        "/var/run" | "/run" => {
            "the node's runtime directory, which holds the container runtime's API socket"
        }
        "/run/containerd" | "/var/run/containerd" | "/run/crio" | "/var/run/crio" => {
            "the container runtime's directory, which holds its API socket"
        }
        _ => return None,
    })
}

/// An absolute path without `.`/`..` components, doubled or trailing slashes. A relative
/// path is kept as written (Kubernetes rejects it anyway).
fn normalize(path: &str) -> String {
    let path = path.trim();
    if !path.starts_with('/') {
        return path.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_before_classification() {
        assert_eq!(normalize("/var/run/"), "/var/run");
        assert_eq!(normalize("//etc/./kubernetes/../"), "/etc");
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("/.."), "/");
        assert_eq!(normalize("data"), "data");
    }

    #[test]
    fn critical_paths() {
        for path in [
            "/",
            "/etc",
            "/etc/kubernetes/pki",
            "/proc",
            "/root",
            "/var/lib/kubelet",
            "/var/run",
            "/run",
            "/var/run/docker.sock",
            "/run/docker.sock",
            "/run/containerd/containerd.sock",
            "/var/run/containerd/containerd.sock",
            "/var/run/crio/crio.sock",
            "/run/crio/crio.sock",
            "/run/k3s/containerd/containerd.sock",
            "/run/containerd",
        ] {
            assert!(critical_reason(path).is_some(), "{path}");
        }
        for path in [
            "/var/log",
            "/var/lib/kubelet/plugins/ebs.csi.aws.com",
            "/proc/sys/vm",
            "/etcd-data",
            "/run/xtables.lock",
            "/sys",
            "/var/lib/docker/containers",
        ] {
            assert!(critical_reason(path).is_none(), "{path}");
        }
    }
}

#[cfg(test)]
mod severity_tests {
    use palisade_core::Severity;

    #[test]
    fn sockets_and_system_paths_are_critical_other_paths_high() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n      volumeMounts:\n        - name: sock\n          mountPath: /s\n          readOnly: true\n        - name: logs\n          mountPath: /l\n  volumes:\n    - name: sock\n      hostPath:\n        path: /run/docker.sock\n    - name: logs\n      hostPath:\n        path: /var/log\n    - name: unused\n      hostPath:\n        path: /etc/\n";
        let findings = crate::findings_of("k8s/host-path-mount", text);
        let got: Vec<(u32, Severity)> = findings
            .iter()
            .map(|f| (f.location.line(), f.severity))
            .collect();
        assert_eq!(
            got,
            [
                (18, Severity::Critical),
                (21, Severity::High),
                (24, Severity::Critical)
            ]
        );
        assert!(
            findings[0]
                .message
                .contains("mounted read-only by container `c`")
        );
        assert!(
            findings[1]
                .message
                .contains("mounted writable by container `c`")
        );
        assert!(findings[2].message.contains("no container mounts it"));
        assert_eq!(findings[0].related.len(), 1);
    }
}
