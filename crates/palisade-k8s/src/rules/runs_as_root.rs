//! Flags containers that run, or may run, as root.
//!
//! ## What it checks
//! For every container — regular, init and ephemeral — of a built-in workload's pod template
//! (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob, also inside a `List` or `kubectl get -o yaml` dump), the user it runs as,
//! resolved the way the kubelet does: `runAsUser` and `runAsNonRoot` in the container's
//! `securityContext` take precedence over the same fields in the pod's `spec.securityContext`
//! (an explicit null counts as unset).
//!
//! - `runAsUser: 0` is reported on that line, with high confidence. When it comes from the
//!   pod-level security context, one finding on the pod-level line names every container that
//!   inherits it.
//! - Otherwise, when no non-zero `runAsUser` applies and `runAsNonRoot: true` applies neither
//!   from the container nor from the pod, the finding is on the container's `name:` entry (the
//!   `- name: api` line), with medium confidence: the container then runs as whatever user
//!   the image names, which is root unless its Dockerfile says `USER` with another user.
//!
//! Not reported: a non-zero `runAsUser` (container, or pod when the container does not set one),
//! `runAsNonRoot: true` (container, or pod when the container does not override it with `false`).
//! The *restricted* profile wants `runAsNonRoot: true` even beside a non-zero `runAsUser`; this
//! rule reports only what can actually run as root. Pods that declare `spec.os.name: windows` are
//! skipped (Windows picks its user with `windowsOptions.runAsUserName`), as are custom resources
//! that only share a kind name and YAML that is not a Kubernetes object. A quoted `"0"` or `"true"`
//! is not an integer or a boolean and the API server rejects it; it counts as unset.
//!
//! A pod-spec fragment, where no container has an `image` (a kubeadm patch of a static pod, a
//! patch file, a `replicas: 0` stub), is not judged: what it lacks comes from the workload it
//! is merged into.
//!
//! ## Why it matters
//! Container root is the same UID 0 as root on the node unless user namespaces are in use. A
//! process running as root in a container owns everything in its filesystem, can use every
//! capability the container was given, and needs only one kernel or runtime bug, a writable
//! host mount or a misplaced socket to become root on the node. The OWASP Kubernetes Security
//! Cheat Sheet asks for containers to run as a non-root user, and the Pod Security Standards'
//! *restricted* profile requires `runAsNonRoot: true` and forbids `runAsUser: 0`.
//!
//! ## Example
//! ```yaml
//! spec:
//!   securityContext:
//!     runAsUser: 0                 # flagged: every container inherits it
//!   containers:
//!     - name: api                  # (named in the finding above)
//!       image: registry.example.com/shop/api:1.4.2
//! ---
//! spec:
//!   containers:
//!     - name: worker               # flagged: nothing says non-root
//!       image: registry.example.com/shop/worker:1.4.2
//! ```
//!
//! ## Remediation
//! Build images that run as an unprivileged user (`USER 10001` in the Dockerfile) and say so
//! in the pod spec, where the kubelet enforces it:
//!
//! ```yaml
//! spec:
//!   securityContext:
//!     runAsNonRoot: true
//!     runAsUser: 10001
//!     runAsGroup: 10001
//! ```
//!
//! With `runAsNonRoot: true` the kubelet refuses to start a container whose user would be
//! root. Enforce it with the Pod Security Admission label
//! `pod-security.kubernetes.io/enforce: restricted` on the namespace.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Configure a Security Context for a Pod or Container
//! - Kubernetes documentation, Pod Security Standards (restricted: running as non-root)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{as_int, entry, is_null, is_true};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use saphyr::MarkedYaml;

pub static META: RuleMeta = RuleMeta {
    id: "k8s/runs-as-root",
    title: "Container may run as root",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("runs_as_root.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

type Entry<'a, 'input> = (&'a MarkedYaml<'input>, &'a MarkedYaml<'input>);

/// A field of a security context, unless absent or null.
fn setting<'a, 'input>(
    security_context: Option<&'a MarkedYaml<'input>>,
    key: &str,
) -> Option<Entry<'a, 'input>> {
    security_context
        .and_then(|sc| entry(sc, key))
        .filter(|(_, value)| !is_null(value))
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.is_windows() || object.is_fragment() {
        return;
    }
    let pod = object.pod_security_context();
    let pod_user = setting(pod, "runAsUser");
    let pod_non_root = setting(pod, "runAsNonRoot");
    // Containers that run as root because of the pod-level `runAsUser: 0`.
    let mut inheriting_root = Vec::new();
    for container in object.containers() {
        let own = container.security_context();
        let own_user = setting(own, "runAsUser");
        let user = own_user.or(pod_user);
        match user.and_then(|(_, value)| as_int(value)) {
            Some(0) if own_user.is_some() => {
                let (key, value) = own_user.expect("checked above");
                cx.report(Finding::new(
                    &META,
                    crate::key_value_span(key, value),
                    format!(
                        "{} of {} sets runAsUser: 0 and runs as root",
                        container.describe(),
                        object.describe()
                    ),
                ));
                continue;
            }
            Some(0) => {
                inheriting_root.push(container.describe());
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        let non_root = setting(own, "runAsNonRoot").or(pod_non_root);
        if non_root.is_some_and(|(_, value)| is_true(value)) {
            continue;
        }
        let reason = match non_root {
            Some((_, value)) => format!(
                "runAsNonRoot is `{}` and no non-zero runAsUser applies",
                crate::object::text(value)
            ),
            None => {
                "neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser".to_string()
            }
        };
        let mut finding = Finding::new(
            &META,
            container.name_span(),
            format!(
                "{} of {} may run as root: {reason}, so it runs as the image's user, which is \
                 root unless the image names another",
                container.describe(),
                object.describe()
            ),
        )
        .with_confidence(Confidence::Medium);
        if let Some((key, value)) = non_root {
            finding = finding.with_related(
                crate::key_value_span(key, value),
                "runAsNonRoot that applies to this container",
            );
        }
        cx.report(finding);
    }
    if let (false, Some((key, value))) = (inheriting_root.is_empty(), pod_user) {
        cx.report(Finding::new(
            &META,
            crate::key_value_span(key, value),
            format!(
                "the pod-level securityContext of {} sets runAsUser: 0, so {} run{} as root",
                object.describe(),
                join_and(&inheriting_root),
                if inheriting_root.len() == 1 { "s" } else { "" }
            ),
        ));
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
