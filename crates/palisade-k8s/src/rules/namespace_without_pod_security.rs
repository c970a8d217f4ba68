//! Flags namespaces that do not enforce a Pod Security Standard.
//!
//! ## What it checks
//! Every core `Namespace` object (`apiVersion: v1`, including the items of a `List` and
//! `kubectl get namespaces -o yaml` output) and its Pod Security Admission label
//! `pod-security.kubernetes.io/enforce`:
//! - no such label: the finding points at the namespace's `metadata.name` line. When the
//!   namespace only has the `warn` or `audit` labels the message says so: those modes report
//!   a violating pod but let it run;
//! - `enforce: privileged`: the finding points at that label's line, since the privileged
//!   level enforces nothing.
//!
//! `baseline` and `restricted` are fine, with or without a pinned `enforce-version`. Other
//! values are not reported: the Pod Security admission plugin refuses to store a namespace
//! with an invalid level. The namespaces Kubernetes runs its own components in
//! (`kube-system`, `kube-public`, `kube-node-lease`) are left out, and so are custom
//! resources named `Namespace` in another API group and labels on any other kind of object.
//! The rule sees one namespace at a time: a cluster-wide default set in the API server's
//! `PodSecurity` admission configuration, or another admission controller (Kyverno,
//! Gatekeeper, OpenShift's SCCs), can make up for a missing label, which is why the
//! confidence is medium.
//!
//! ## Why it matters
//! Pod Security Admission is Kubernetes' built-in guard against pods that break out of
//! their isolation: privileged containers, host namespaces, `hostPath` volumes, added
//! capabilities, running as root. It only acts on namespaces that ask for it, and out of the
//! box every namespace is `privileged`, so anyone who may create a Deployment in the
//! namespace can also run a pod that owns its node. The per-workload hardening rules catch
//! the manifests in this repository; the namespace label also stops what is deployed by
//! hand, by a compromised CI token or by a third-party chart. The OWASP Kubernetes Security
//! Cheat Sheet and the CIS Kubernetes Benchmark both ask for an enforcing policy on every
//! namespace that runs user workloads.
//!
//! ## Example
//! ```yaml
//! apiVersion: v1
//! kind: Namespace
//! metadata:
//!   name: shop                                 # flagged: no enforce label
//!   labels:
//!     pod-security.kubernetes.io/warn: restricted
//! ```
//!
//! ## Remediation
//! Label the namespace with the strictest level its workloads pass, and pin the version so
//! that a cluster upgrade does not change the rules under you:
//! ```yaml
//! metadata:
//!   name: shop
//!   labels:
//!     pod-security.kubernetes.io/enforce: restricted
//!     pod-security.kubernetes.io/enforce-version: v1.30
//! ```
//! Start with `warn`/`audit` at the target level to see what would be rejected
//! (`kubectl label --dry-run=server --overwrite ns shop
//! pod-security.kubernetes.io/enforce=restricted` lists the offending pods), fix those
//! workloads, then add `enforce`. Keep `privileged` for the few namespaces that really run
//! node agents, and restrict who may deploy there.
//!
//! ## References
//! - CWE-693: Protection Mechanism Failure
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Pod Security Admission; Enforce Pod Security Standards with
//!   Namespace Labels
//! - CIS Kubernetes Benchmark, section 5.2 (Pod Security Standards)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use saphyr::MarkedYaml;

pub static META: RuleMeta = RuleMeta {
    id: "k8s/namespace-without-pod-security",
    title: "Namespace does not enforce a Pod Security Standard",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("namespace_without_pod_security.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

const SYSTEM_NAMESPACES: [&str; 3] = ["kube-system", "kube-public", "kube-node-lease"];

const ENFORCE: &str = "pod-security.kubernetes.io/enforce";

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.kind != "Namespace" || object.api_version != "v1" {
        return;
    }
    if SYSTEM_NAMESPACES.contains(&object.name) {
        return;
    }
    let metadata = get(object.node, "metadata");
    let labels = metadata.and_then(|m| get(m, "labels"));

    if let Some((key, value)) = labels.and_then(|l| entry(l, ENFORCE)) {
        match scalar(value).map(str::trim) {
            Some("privileged") => cx.report(Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{} sets `{ENFORCE}: privileged`, which enforces nothing: any pod, \
                     privileged or sharing the node's namespaces, is admitted",
                    object.describe()
                ),
            )),
            // `baseline`, `restricted`, or an invalid level the admission plugin refuses.
            Some(v) if !v.is_empty() => {}
            // An empty or null label is as good as none.
            _ => report_missing(object, metadata, labels, cx),
        }
        return;
    }
    report_missing(object, metadata, labels, cx);
}

/// A finding at the namespace's `name:` line, saying which non-blocking modes it has.
fn report_missing(
    object: &Object<'_, '_>,
    metadata: Option<&MarkedYaml<'_>>,
    labels: Option<&MarkedYaml<'_>>,
    cx: &mut RuleContext<'_, '_>,
) {
    let span = match metadata.and_then(|m| entry(m, "name")) {
        Some((key, value)) => crate::key_value_span(key, value),
        None => crate::node_start_span(object.node),
    };
    let observing: Vec<String> = ["warn", "audit"]
        .iter()
        .filter_map(|mode| {
            let name = format!("pod-security.kubernetes.io/{mode}");
            let level = labels
                .and_then(|l| get(l, &name))
                .and_then(scalar)
                .map(str::trim)
                .filter(|l| !l.is_empty())?;
            Some(format!("`{mode}: {level}`"))
        })
        .collect();
    let message = if observing.is_empty() {
        format!(
            "{} has no `{ENFORCE}` label: Pod Security Admission admits any pod in it, \
             privileged containers and host namespaces included",
            object.describe()
        )
    } else {
        format!(
            "{} only has {} Pod Security labels and no `{ENFORCE}`: warn and audit report a \
             violating pod but do not block it, so any pod is still admitted",
            object.describe(),
            observing.join(" and ")
        )
    };
    cx.report(Finding::new(&META, span, message));
}

#[cfg(test)]
mod tests {
    #[test]
    fn warn_and_audit_only_say_they_do_not_block() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/audit: restricted\n";
        let findings = crate::findings_of("k8s/namespace-without-pod-security", text);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].location.line(), 4);
        assert!(
            findings[0]
                .message
                .contains("`warn: restricted` and `audit: restricted`")
        );
        assert!(findings[0].message.contains("do not block"));
    }
}
