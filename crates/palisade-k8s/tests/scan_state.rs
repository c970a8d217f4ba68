//! Kustomize renderings are the analyzer's per-scan state: a second scan in the same process
//! renders the files as they are then, never a rendering cached by an earlier scan.

use palisade_core::Analyzer;
use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, ScanOptions};
use palisade_k8s::KubernetesAnalyzer;
use std::path::Path;

fn privileged_findings(root: &Path) -> usize {
    let config = Config::default();
    let rules = RuleSet::only(KubernetesAnalyzer.rules(), &["k8s/privileged-container"]);
    let options = ScanOptions::new(vec![root.to_path_buf()], &config, &rules);
    engine::scan(&[&KubernetesAnalyzer], &options)
        .unwrap()
        .findings
        .len()
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: registry.example/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      securityContext:
        privileged: PRIVILEGED
";

#[test]
fn a_second_scan_renders_again() {
    if palisade_fixtures::required_tool(&["kubectl", "kustomize"]).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("kustomization.yaml"),
        "resources:\n  - pod.yaml\n",
    )
    .unwrap();
    std::fs::write(root.join("pod.yaml"), POD.replace("PRIVILEGED", "true")).unwrap();
    assert_eq!(privileged_findings(root), 1);
    std::fs::write(root.join("pod.yaml"), POD.replace("PRIVILEGED", "false")).unwrap();
    assert_eq!(privileged_findings(root), 0);
}
