//! Flags containers that ask to run without AppArmor confinement.
//!
//! ## What it checks
//! For every container — regular, init or ephemeral — of a built-in workload (Pod,
//! PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
//! CronJob, OpenShift DeploymentConfig), the AppArmor profile it asks for, as Kubernetes
//! picks it: its own `securityContext.appArmorProfile.type`, else the legacy pod annotation
//! `container.apparmor.security.beta.kubernetes.io/<container name>`, else the pod's
//! `securityContext.appArmorProfile.type`. A type `Unconfined` (annotation value
//! `unconfined`) is reported on its line; a pod-level `Unconfined` is reported once, on the
//! pod's line, naming the containers that inherit it. `RuntimeDefault` and `Localhost` (the
//! annotations `runtime/default` and `localhost/<profile>`) are not reported, and neither is
//! a container that sets nothing: the runtime's default profile then applies on nodes with
//! AppArmor. Windows pods (`spec.os.name: windows`) have no AppArmor and are skipped.
//!
//! ## Why it matters
//! On nodes with AppArmor (Ubuntu, Debian, SUSE) the container runtime confines every
//! container with a default profile that denies writes to `/proc` and `/sys` files, mounting,
//! and access to kernel interfaces used in container escapes. `Unconfined` removes that
//! layer: a process that gains root or a capability inside the container meets one barrier
//! fewer on its way to the node. The Pod Security Standards' *baseline* profile forbids it.
//!
//! ## Example
//! ```yaml
//! metadata:
//!   annotations:
//!     container.apparmor.security.beta.kubernetes.io/api: unconfined   # flagged
//! spec:
//!   containers:
//!     - name: worker
//!       securityContext:
//!         appArmorProfile:
//!           type: Unconfined                                          # flagged
//! ```
//!
//! ## Remediation
//! Remove the setting so that the runtime's default profile applies, or set
//! `appArmorProfile.type: RuntimeDefault`. If the workload needs an operation the default
//! profile denies, write a `Localhost` profile that allows only that operation and load it on
//! the nodes.
//!
//! ## References
//! - CWE-693: Protection Mechanism Failure
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Restrict a Container's Access to Resources with AppArmor; Pod
//!   Security Standards (baseline: AppArmor)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity, Span};
use saphyr::MarkedYaml;

pub static META: RuleMeta = RuleMeta {
    id: "k8s/apparmor-unconfined",
    title: "Container runs without AppArmor confinement",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("apparmor_unconfined.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// What one setting asks for: `Some(span)` for unconfined, `None` for anything else.
type Asked = Option<Span>;

fn field(security_context: Option<&MarkedYaml<'_>>) -> Option<Asked> {
    let profile = get(security_context?, "appArmorProfile")?;
    let (key, value) = entry(profile, "type")?;
    let unconfined = scalar(value)?.trim() == "Unconfined";
    Some(unconfined.then(|| crate::key_value_span(key, value)))
}

fn annotation(annotations: Option<&MarkedYaml<'_>>, container: &str) -> Option<Asked> {
    let (key, value) = entry(annotations?, &format!("{ANNOTATION_PREFIX}{container}"))?;
    let unconfined = scalar(value)?.trim() == "unconfined";
    Some(unconfined.then(|| crate::key_value_span(key, value)))
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    let Some(spec) = object.pod_spec() else {
        return;
    };
    if object.is_windows() {
        return;
    }
    let annotations = object
        .pod_metadata()
        .and_then(|metadata| get(metadata, "annotations"));
    let pod = field(get(spec, "securityContext"));
    let mut inheriting = Vec::new();
    for container in object.containers() {
        let own =
            field(container.security_context()).or_else(|| annotation(annotations, container.name));
        match own {
            Some(Some(span)) => cx.report(Finding::new(
                &META,
                span,
                format!(
                    "{} of {} runs without AppArmor confinement (`Unconfined`): the \
                     runtime's default profile no longer stands between it and the node",
                    container.describe(),
                    object.describe()
                ),
            )),
            Some(None) => {}
            None => {
                if let Some(Some(_)) = pod {
                    inheriting.push(container.describe());
                }
            }
        }
    }
    if let (Some(Some(span)), false) = (pod, inheriting.is_empty()) {
        cx.report(Finding::new(
            &META,
            span,
            format!(
                "{} runs its pods without AppArmor confinement (`Unconfined`): {} have no \
                 profile standing between them and the node",
                object.describe(),
                inheriting.join(", ")
            ),
        ));
    }
}
