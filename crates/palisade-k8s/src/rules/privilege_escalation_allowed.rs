//! Flags containers that do not set `allowPrivilegeEscalation: false`.
//!
//! ## What it checks
//! Every container — regular, init and ephemeral — of a built-in workload's pod template
//! (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob, also inside a `List` or `kubectl get -o yaml` dump) must set
//! `securityContext.allowPrivilegeEscalation: false`. The field exists only on the
//! container's security context, so a value put in the pod-level `spec.securityContext`
//! protects nothing and does not count.
//!
//! - An explicit `true` (also `yes`, `on`, … as Kubernetes' YAML decoder reads them) or an
//!   explicit null is reported on that line, with high confidence.
//! - A missing field is reported on the container's `name:` entry (the `- name: api` line),
//!   with medium confidence: the container still allows escalation, but whether that can be
//!   used depends on what the image contains.
//!
//! Pods that declare `spec.os.name: windows` are skipped (the field cannot be set there), as
//! are custom resources that only share a kind name and YAML that is not a Kubernetes object
//! (docker-compose, Helm values). A quoted `"false"` is not a boolean and the API server
//! rejects it, so such an object never runs; it is not reported either.
//!
//! A pod-spec fragment, where no container has an `image` (a kubeadm patch of a static pod, a
//! patch file, a `replicas: 0` stub), is not judged: what it lacks comes from the workload it
//! is merged into.
//!
//! ## Why it matters
//! Unless this field is false, the container's processes start without the kernel's
//! `no_new_privs` flag, so a set-user-ID binary (`su`, `sudo`, `ping` in some images) or a
//! file capability can raise a process's privileges above those it started with. An attacker
//! who gets code execution as an unprivileged user inside the container can use that to
//! become root in it and reach for the next step out. The OWASP Kubernetes Security Cheat
//! Sheet asks for privilege escalation to be disabled, and the Pod Security Standards'
//! *restricted* profile requires `allowPrivilegeEscalation: false` on every container.
//! (A container that is privileged or has `CAP_SYS_ADMIN` can always escalate, whatever the
//! field says; see `k8s/privileged-container` and `k8s/dangerous-capabilities`.)
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api                              # flagged: field missing
//!     image: registry.example.com/shop/api:1.4.2
//!   - name: worker
//!     image: registry.example.com/shop/worker:1.4.2
//!     securityContext:
//!       allowPrivilegeEscalation: true      # flagged
//! ```
//!
//! ## Remediation
//! Set it on every container, init and ephemeral containers included:
//!
//! ```yaml
//! securityContext:
//!   allowPrivilegeEscalation: false
//! ```
//!
//! Images rarely need set-user-ID binaries at run time; if one does, rebuild it so that the
//! work happens as the right user from the start. Enforce it with the Pod Security Admission
//! label `pod-security.kubernetes.io/enforce: restricted` on the namespace.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - CWE-269: Improper Privilege Management
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Pod Security Standards (restricted: privilege escalation)
//! - Linux kernel documentation, `no_new_privs`

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, is_null, is_true};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/privilege-escalation-allowed",
    title: "Container allows privilege escalation",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[250, 269],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("privilege_escalation_allowed.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.is_windows() || object.is_fragment() {
        return;
    }
    let misplaced = object
        .pod_security_context()
        .and_then(|sc| entry(sc, "allowPrivilegeEscalation"));
    for container in object.containers() {
        let setting = container
            .security_context()
            .and_then(|sc| entry(sc, "allowPrivilegeEscalation"));
        let finding = match setting {
            Some((key, value)) if is_true(value) => Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} of {} sets allowPrivilegeEscalation: true: set-user-ID binaries and \
                     file capabilities can raise its processes' privileges",
                    container.describe(),
                    object.describe()
                ),
            ),
            Some((key, value)) if is_null(value) => Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} of {} leaves allowPrivilegeEscalation null, which means allowed: \
                     set it to false",
                    container.describe(),
                    object.describe()
                ),
            ),
            // Explicit false, or a value the API server rejects.
            Some(_) => continue,
            None => Finding::new(
                &META,
                container.name_span(),
                format!(
                    "{} of {} does not set securityContext.allowPrivilegeEscalation: false, so \
                     its processes may gain privileges (set-user-ID binaries, file capabilities)",
                    container.describe(),
                    object.describe()
                ),
            )
            .with_confidence(Confidence::Medium),
        };
        let finding = match misplaced {
            Some((key, value)) => finding.with_related(
                crate::key_value_span(key, value),
                "allowPrivilegeEscalation in the pod-level securityContext is not a pod field: \
                 Kubernetes ignores it",
            ),
            None => finding,
        };
        cx.report(finding);
    }
}
