//! Kubernetes objects found in YAML/JSON documents, and the pod templates inside them.
//!
//! An object is a mapping with string `apiVersion` and `kind`; anything else (docker-compose
//! files, Helm values, CI configuration) is left alone. `kind: List` (what `kubectl get -o
//! yaml` prints) is unpacked into its items.

use crate::yaml::{entry, get, get_path, get_str, items, scalar};
use palisade_core::Span;
use saphyr::MarkedYaml;

/// One Kubernetes object in a manifest.
pub struct Object<'a, 'input> {
    pub api_version: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub node: &'a MarkedYaml<'input>,
}

impl Object<'_, '_> {
    /// `Deployment shop/shop-api`, for messages.
    pub fn describe(&self) -> String {
        match self.namespace {
            Some(ns) => format!("{} {}/{}", self.kind, ns, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }

    /// The API group (`apps`, `batch`, `` for the core group).
    pub fn group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }

    /// Whether the pod spec is a fragment: none of its `containers` has an `image` key (a
    /// kubeadm patch of a static pod, a strategic-merge patch file, a `replicas: 0` stub).
    /// The API server would refuse it as it stands; it is merged into a workload elsewhere.
    /// What it sets explicitly (`privileged: true`, a hostPath) still lands in that workload,
    /// but what it lacks says nothing: the hardening rules, which report missing settings,
    /// and the project facts leave it alone.
    pub fn is_fragment(&self) -> bool {
        self.pod_spec().is_some_and(|spec| {
            !get(spec, "containers")
                .map(items)
                .unwrap_or_default()
                .iter()
                .any(|c| entry(c, "image").is_some())
        })
    }

    /// The pod spec this object runs, for the built-in workload kinds (and OpenShift's
    /// `DeploymentConfig`) only. Custom resources that merely share a kind name
    /// (`example.com/v1 Deployment`) have none.
    pub fn pod_spec(&self) -> Option<&MarkedYaml<'_>> {
        let path: &[&str] = match (self.group(), self.kind) {
            ("", "Pod") => &["spec"],
            ("", "PodTemplate") => &["template", "spec"],
            ("", "ReplicationController") => &["spec", "template", "spec"],
            ("apps" | "extensions", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet") => {
                &["spec", "template", "spec"]
            }
            ("batch", "Job") => &["spec", "template", "spec"],
            // OpenShift; `v1` (no group) is how OpenShift 3 wrote it.
            ("apps.openshift.io" | "", "DeploymentConfig") => &["spec", "template", "spec"],
            ("batch", "CronJob") => &["spec", "jobTemplate", "spec", "template", "spec"],
            _ => return None,
        };
        get_path(self.node, path)
    }

    /// An OpenShift `SecurityContextConstraints` (`security.openshift.io`): the admission
    /// policy pods are checked against. What it allows, any pod of whoever may `use` it can do.
    pub fn security_context_constraints(&self) -> Option<&MarkedYaml<'_>> {
        (self.group() == "security.openshift.io" && self.kind == "SecurityContextConstraints")
            .then_some(self.node)
    }

    /// `key: true` at the top of a SecurityContextConstraints, as its key and value spans.
    pub fn scc_allows(&self, key: &str) -> Option<Span> {
        let (k, v) = entry(self.security_context_constraints()?, key)?;
        crate::yaml::is_true(v).then(|| crate::key_value_span(k, v))
    }

    /// The pod-level `spec.securityContext`, whose `runAsUser`, `runAsNonRoot` (and a few
    /// others) apply to every container that does not set them itself.
    pub fn pod_security_context(&self) -> Option<&MarkedYaml<'_>> {
        self.pod_spec()
            .and_then(|spec| get(spec, "securityContext"))
    }

    /// Whether the pod declares `spec.os.name: windows`: Linux-only security settings
    /// (`allowPrivilegeEscalation`, `capabilities`, `readOnlyRootFilesystem`, `runAsUser`, …)
    /// cannot be set on such a pod, so their absence is no finding.
    pub fn is_windows(&self) -> bool {
        self.pod_spec()
            .and_then(|spec| get_path(spec, &["os", "name"]))
            .and_then(scalar)
            == Some("windows")
    }

    /// The metadata of the pods this object runs (where pod annotations live): the object's
    /// own for a Pod, the pod template's otherwise. None for objects without a pod spec.
    pub fn pod_metadata(&self) -> Option<&MarkedYaml<'_>> {
        let path: &[&str] = match (self.group(), self.kind) {
            ("", "Pod") => &["metadata"],
            ("", "PodTemplate") => &["template", "metadata"],
            ("batch", "CronJob") => &["spec", "jobTemplate", "spec", "template", "metadata"],
            _ => &["spec", "template", "metadata"],
        };
        self.pod_spec()?;
        get_path(self.node, path)
    }

    /// Every container of the pod spec: regular, init and ephemeral, with which list it is in.
    pub fn containers(&self) -> Vec<Container<'_, '_>> {
        let Some(spec) = self.pod_spec() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            if let Some(seq) = get(spec, list) {
                for node in items(seq) {
                    out.push(Container {
                        list,
                        name: get_str(node, "name").unwrap_or("<unnamed>"),
                        node,
                    });
                }
            }
        }
        out
    }
}

/// A container of a pod template.
pub struct Container<'a, 'input> {
    /// `containers`, `initContainers` or `ephemeralContainers`.
    pub list: &'static str,
    pub name: &'a str,
    pub node: &'a MarkedYaml<'input>,
}

impl<'a, 'input> Container<'a, 'input> {
    /// The container's own `securityContext`, if it has one.
    pub fn security_context(&self) -> Option<&'a MarkedYaml<'input>> {
        get(self.node, "securityContext")
    }

    /// Where a finding about something the container LACKS is reported: its `name:` entry
    /// (the `- name: api` line in the usual layout), or the container's first line when it
    /// has no name.
    pub fn name_span(&self) -> Span {
        match entry(self.node, "name") {
            Some((key, value)) => crate::key_value_span(key, value),
            None => crate::node_start_span(self.node),
        }
    }

    pub fn describe(&self) -> String {
        match self.list {
            "initContainers" => format!("init container `{}`", self.name),
            "ephemeralContainers" => format!("ephemeral container `{}`", self.name),
            _ => format!("container `{}`", self.name),
        }
    }
}

/// The Kubernetes objects of a document (several for a `List`).
pub fn objects<'a, 'input>(root: &'a MarkedYaml<'input>) -> Vec<Object<'a, 'input>> {
    let mut out = Vec::new();
    collect(root, &mut out, 0);
    out
}

fn collect<'a, 'input>(node: &'a MarkedYaml<'input>, out: &mut Vec<Object<'a, 'input>>, depth: u8) {
    let (Some(api_version), Some(kind)) = (get_str(node, "apiVersion"), get_str(node, "kind"))
    else {
        return;
    };
    if kind.ends_with("List") && api_version == "v1" && depth < 4 {
        if let Some(list) = get(node, "items") {
            for item in items(list) {
                collect(item, out, depth + 1);
            }
        }
        return;
    }
    let metadata = get(node, "metadata");
    out.push(Object {
        api_version,
        kind,
        name: metadata
            .and_then(|m| get_str(m, "name"))
            .unwrap_or("<unnamed>"),
        namespace: metadata.and_then(|m| get_str(m, "namespace")),
        node,
    });
}

/// The value of a scalar node, for messages.
pub fn text<'a>(node: &'a MarkedYaml<'_>) -> &'a str {
    scalar(node).unwrap_or("")
}
