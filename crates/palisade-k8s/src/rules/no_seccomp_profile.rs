//! Flags containers that run without a seccomp profile.
//!
//! ## What it checks
//! For every container — regular, init or ephemeral — of a built-in workload (Pod,
//! PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
//! CronJob, including `List` items and `kubectl get -o yaml` output), the seccomp profile
//! that applies to it, in the order the kubelet resolved it: the container's
//! `securityContext.seccompProfile.type`, then the legacy container annotation
//! `container.seccomp.security.alpha.kubernetes.io/<container name>`, then the pod's
//! `securityContext.seccompProfile.type`, then the legacy pod annotation
//! `seccomp.security.alpha.kubernetes.io/pod` (on the pod template's metadata).
//! `RuntimeDefault` and `Localhost` (annotations: `runtime/default`, `docker/default`,
//! `localhost/…`) are fine. Two cases are reported:
//! - an explicit `type: Unconfined` (or the annotation value `unconfined`), with high
//!   confidence, at that line; a pod-level `Unconfined` is one finding that names the
//!   containers that inherit it;
//! - no profile at all, with medium confidence, at the container's `name:` line (the
//!   `- name:` line of the usual layout), because a kubelet started with
//!   `--seccomp-default` applies `RuntimeDefault` to such containers and palisade cannot
//!   see the nodes' configuration.
//!
//! Windows pods (`spec.os.name: windows`), where seccomp does not exist, custom resources that
//! share a workload's kind name, and YAML that is not a Kubernetes object are not checked.
//! The legacy annotations count as a profile, as they did on older clusters; note however
//! that they were deprecated in Kubernetes v1.19, ignored by kubelets from v1.25 and have no
//! effect at all from v1.27, so a manifest that relies on them should move to the
//! `seccompProfile` field.
//!
//! A pod-spec fragment, where no container has an `image` (a kubeadm patch of a static pod, a
//! patch file, a `replicas: 0` stub), is not judged: what it lacks comes from the workload it
//! is merged into.
//!
//! ## Why it matters
//! seccomp filters the system calls a process may make. The container runtime's default
//! profile blocks a few dozen calls that ordinary applications never make but kernel
//! exploits and container escapes rely on (`keyctl`, `unshare`, `mount`, `bpf`, `ptrace` on
//! older kernels, …). Without it the whole kernel attack surface is one compromised process
//! away. Kubernetes still runs containers `Unconfined` unless the manifest or the kubelet
//! says otherwise. The OWASP Kubernetes Security Cheat Sheet recommends seccomp, the Pod
//! Security Standards' *baseline* profile forbids an explicit `Unconfined`, and the
//! *restricted* profile requires `RuntimeDefault` or `Localhost`.
//!
//! ## Example
//! ```yaml
//! spec:
//!   containers:
//!     - name: api            # flagged: no profile applies
//!       image: registry.example.com/shop/api:1.4.2
//!     - name: profiler
//!       image: registry.example.com/tools/profiler:0.3.1
//!       securityContext:
//!         seccompProfile:
//!           type: Unconfined # flagged
//! ```
//!
//! ## Remediation
//! Set the profile once for the whole pod, and let containers inherit it:
//! ```yaml
//! spec:
//!   securityContext:
//!     seccompProfile:
//!       type: RuntimeDefault
//! ```
//! A workload that needs a call the default profile blocks should get a `Localhost` profile
//! that allows just that call rather than `Unconfined`. Enabling the kubelet's
//! `--seccomp-default` on every node and the `pod-security.kubernetes.io/enforce: restricted`
//! namespace label makes the safe choice the default.
//!
//! ## References
//! - CWE-693: Protection Mechanism Failure
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Restrict a Container's Syscalls with seccomp; Pod Security
//!   Standards (baseline and restricted: seccomp)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, get_path, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity, Span};
use saphyr::MarkedYaml;

pub static META: RuleMeta = RuleMeta {
    id: "k8s/no-seccomp-profile",
    title: "Container runs without a seccomp profile",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("no_seccomp_profile.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// What one setting says.
enum Profile {
    /// `RuntimeDefault`, `Localhost` or their annotation spellings.
    Confined,
    /// `Unconfined`, at this span.
    Unconfined(Span),
    /// A value the API server would reject: no judgement.
    Invalid,
}

/// The profile a `seccompProfile` mapping sets, if it sets a type.
fn field_profile(security_context: Option<&MarkedYaml<'_>>) -> Option<Profile> {
    let profile = get(security_context?, "seccompProfile")?;
    let (key, value) = entry(profile, "type")?;
    Some(match scalar(value)? {
        "RuntimeDefault" | "Localhost" => Profile::Confined,
        "Unconfined" => Profile::Unconfined(crate::key_value_span(key, value)),
        _ => Profile::Invalid,
    })
}

/// The profile a legacy annotation sets, if present.
fn annotation_profile(annotations: Option<&MarkedYaml<'_>>, key: &str) -> Option<Profile> {
    let (k, v) = entry(annotations?, key)?;
    Some(match scalar(v)?.trim() {
        "runtime/default" | "docker/default" => Profile::Confined,
        p if p.starts_with("localhost/") => Profile::Confined,
        "unconfined" => Profile::Unconfined(crate::key_value_span(k, v)),
        _ => Profile::Invalid,
    })
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    let Some(spec) = object.pod_spec().filter(|_| !object.is_fragment()) else {
        return;
    };
    if get_path(spec, &["os", "name"])
        .and_then(scalar)
        .is_some_and(|os| os.eq_ignore_ascii_case("windows"))
    {
        return;
    }
    let annotations = object
        .pod_metadata()
        .and_then(|metadata| get(metadata, "annotations"));
    let pod_field = field_profile(get(spec, "securityContext"));
    let pod_annotation = annotation_profile(annotations, POD_ANNOTATION);

    // Containers that inherit a pod-level Unconfined, reported once at that line.
    let mut inherit_unconfined: Vec<String> = Vec::new();
    for container in object.containers() {
        let own = field_profile(get(container.node, "securityContext")).or_else(|| {
            let key = format!("{CONTAINER_ANNOTATION_PREFIX}{}", container.name);
            annotation_profile(annotations, &key)
        });
        match own {
            Some(Profile::Confined | Profile::Invalid) => {}
            Some(Profile::Unconfined(span)) => cx.report(
                Finding::new(
                    &META,
                    span,
                    format!(
                        "{} of {} asks for the `Unconfined` seccomp profile: every system call \
                         of the kernel is open to it",
                        container.describe(),
                        object.describe()
                    ),
                )
                .with_confidence(Confidence::High),
            ),
            None => match pod_field.as_ref().or(pod_annotation.as_ref()) {
                Some(Profile::Confined | Profile::Invalid) => {}
                Some(Profile::Unconfined(_)) => inherit_unconfined.push(container.describe()),
                None => cx.report(Finding::new(
                    &META,
                    container.name_span(),
                    format!(
                        "{} of {} has no seccomp profile (neither it nor the pod sets \
                         `securityContext.seccompProfile`): it runs `Unconfined` unless the \
                         kubelet defaults to `RuntimeDefault`",
                        container.describe(),
                        object.describe()
                    ),
                )),
            },
        }
    }
    if inherit_unconfined.is_empty() {
        return;
    }
    if let Some(Profile::Unconfined(span)) = pod_field.as_ref().or(pod_annotation.as_ref()) {
        cx.report(
            Finding::new(
                &META,
                *span,
                format!(
                    "{} asks for the `Unconfined` seccomp profile for its pods: {} run with \
                     every system call of the kernel open",
                    object.describe(),
                    inherit_unconfined.join(", ")
                ),
            )
            .with_confidence(Confidence::High),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_values() {
        let (docs, _) = crate::yaml::load(
            "a: runtime/default\nb: docker/default\nc: localhost/profiles/audit.json\n\
             d: unconfined\ne: nonsense\n",
        );
        let root = Some(&docs[0].root);
        assert!(matches!(
            annotation_profile(root, "a"),
            Some(Profile::Confined)
        ));
        assert!(matches!(
            annotation_profile(root, "b"),
            Some(Profile::Confined)
        ));
        assert!(matches!(
            annotation_profile(root, "c"),
            Some(Profile::Confined)
        ));
        assert!(matches!(
            annotation_profile(root, "d"),
            Some(Profile::Unconfined(_))
        ));
        assert!(matches!(
            annotation_profile(root, "e"),
            Some(Profile::Invalid)
        ));
        assert!(annotation_profile(root, "f").is_none());
    }
}

#[cfg(test)]
mod confidence_tests {
    use palisade_core::Confidence;

    #[test]
    fn explicit_unconfined_is_certain_a_missing_profile_is_not() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n    - name: a\n      image: x\n    - name: b\n      image: x\n      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n    - name: c\n      image: x\n";
        let findings = crate::findings_of("k8s/no-seccomp-profile", text);
        let got: Vec<(u32, Confidence)> = findings
            .iter()
            .map(|f| (f.location.line(), f.confidence))
            .collect();
        assert_eq!(got, [(8, Confidence::High), (24, Confidence::Medium)]);
        assert!(findings[0].message.contains("container `a`"));
        assert!(!findings[0].message.contains("container `b`"));
    }
}
