//! Kubernetes manifests: the `image:` of each container and init container of a workload
//! (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod), for the end-of-life
//! table that Dockerfile `FROM` lines are checked against. Digests and `latest` tags are the
//! Kubernetes analyzer's rules; only runtimes are kept here.
//!
//! Not read: Helm templates (not YAML until rendered), images a kustomization rewrites
//! (`images:`), `kind: List` wrappers.

use super::{FileFacts, Role, runtimes::image_runtimes};
use palisade_core::SourceFile;
use palisade_syntax::yaml::{self, MarkedYaml};

/// Whether a lower-case file name is YAML.
pub fn is_yaml(lower: &str) -> bool {
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// The workload images of a YAML file that holds Kubernetes objects; `None` for a file
/// that holds none (any other YAML, or YAML that does not load: the Kubernetes analyzer
/// reports those).
pub fn read_manifest(file: &SourceFile) -> Option<FileFacts> {
    // Most YAML files of a repository are not workloads: skip them before loading.
    if !file.text.contains("image:") || !file.text.contains("kind:") {
        return None;
    }
    let (documents, _) = yaml::load(&file.text);
    let mut facts = FileFacts::new(&file.path, "Kubernetes manifest", Role::Runtime, None);
    let mut workloads = 0;
    for doc in &documents {
        let Some(pod) = pod_spec(&doc.root) else {
            continue;
        };
        workloads += 1;
        for list in ["initContainers", "containers"] {
            let Some(containers) = yaml::get(pod, list) else {
                continue;
            };
            for container in yaml::items(containers) {
                let Some(node) = yaml::get(container, "image") else {
                    continue;
                };
                let Some(image) = yaml::scalar(node).map(str::trim) else {
                    continue;
                };
                if image.is_empty() || image.contains("{{") || image.contains('$') {
                    continue;
                }
                let line = node.span.start.line() as u32;
                for mut r in image_runtimes(image, line) {
                    r.how = format!("image: {image}");
                    facts.runtimes.push(r);
                }
            }
        }
    }
    (workloads > 0).then_some(facts)
}

/// The pod spec of a workload object, by its kind.
fn pod_spec<'a, 'i>(root: &'a MarkedYaml<'i>) -> Option<&'a MarkedYaml<'i>> {
    let kind = yaml::get_str(root, "kind")?;
    yaml::get_str(root, "apiVersion")?;
    let path: &[&str] = match kind {
        "Pod" => &["spec"],
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            &["spec", "template", "spec"]
        }
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => return None,
    };
    yaml::get_path(root, path)
}
