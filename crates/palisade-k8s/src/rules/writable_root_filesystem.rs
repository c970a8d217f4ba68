//! Flags containers whose root filesystem is writable.
//!
//! ## What it checks
//! Every container — regular, init and ephemeral — of a built-in workload's pod template
//! (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob, also inside a `List` or `kubectl get -o yaml` dump) should set
//! `securityContext.readOnlyRootFilesystem: true`.
//!
//! - An explicit `false` (also `no`, `off`, …) or an explicit null is reported on that line.
//! - A missing field is reported on the container's `name:` entry (the `- name: api` line).
//!
//! The field exists only on the container's security context; a value in the pod-level
//! `spec.securityContext` does nothing and does not count (the finding then points at it as a
//! related location). Pods that declare `spec.os.name: windows` are skipped (the field cannot
//! be set there), as are custom resources that only share a kind name and YAML that is not a
//! Kubernetes object. A quoted `"true"` is not a boolean and the API server rejects the
//! object, so it is not reported.
//!
//! A pod-spec fragment, where no container has an `image` (a kubeadm patch of a static pod, a
//! patch file, a `replicas: 0` stub), is not judged: what it lacks comes from the workload it
//! is merged into.
//!
//! ## Why it matters
//! A writable root filesystem lets whoever gets code execution in the container change it:
//! drop tools and malware into it, replace the application's binaries, scripts or
//! configuration so that the change survives until the container is recreated, or fill the
//! node's disk. A read-only root makes the image what actually runs and forces every writable
//! path to be declared as a volume, where it is visible and can be limited. The OWASP
//! Kubernetes Security Cheat Sheet recommends an immutable root filesystem. The severity is
//! low because it hardens against what comes after a compromise rather than preventing one.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api                          # flagged: field missing
//!     image: registry.example.com/shop/api:1.4.2
//!   - name: worker
//!     image: registry.example.com/shop/worker:1.4.2
//!     securityContext:
//!       readOnlyRootFilesystem: false    # flagged
//! ```
//!
//! ## Remediation
//! Set it on every container and mount an `emptyDir` where the process needs to write
//! (temporary files, caches, sockets):
//!
//! ```yaml
//! containers:
//!   - name: api
//!     securityContext:
//!       readOnlyRootFilesystem: true
//!     volumeMounts:
//!       - name: tmp
//!         mountPath: /tmp
//! volumes:
//!   - name: tmp
//!     emptyDir:
//!       sizeLimit: 64Mi
//! ```
//!
//! ## References
//! - CWE-732: Incorrect Permission Assignment for Critical Resource
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Configure a Security Context for a Pod or Container

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, is_false, is_null};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/writable-root-filesystem",
    title: "Container root filesystem is writable",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[732],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("writable_root_filesystem.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.is_windows() || object.is_fragment() {
        return;
    }
    let misplaced = object
        .pod_security_context()
        .and_then(|sc| entry(sc, "readOnlyRootFilesystem"));
    for container in object.containers() {
        let setting = container
            .security_context()
            .and_then(|sc| entry(sc, "readOnlyRootFilesystem"));
        let finding = match setting {
            Some((key, value)) if is_false(value) || is_null(value) => Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} of {} sets readOnlyRootFilesystem to {}: its root filesystem is writable",
                    container.describe(),
                    object.describe(),
                    if is_null(value) {
                        "null (false)"
                    } else {
                        "false"
                    }
                ),
            ),
            // Explicit true, or a value the API server rejects.
            Some(_) => continue,
            None => Finding::new(
                &META,
                container.name_span(),
                format!(
                    "{} of {} does not set securityContext.readOnlyRootFilesystem: true, so its \
                     root filesystem is writable",
                    container.describe(),
                    object.describe()
                ),
            ),
        };
        let finding = match misplaced {
            Some((key, value)) => finding.with_related(
                crate::key_value_span(key, value),
                "readOnlyRootFilesystem in the pod-level securityContext is not a pod field: \
                 Kubernetes ignores it",
            ),
            None => finding,
        };
        cx.report(finding);
    }
}
