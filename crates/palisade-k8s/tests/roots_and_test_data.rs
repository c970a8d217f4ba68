//! The project pass looks at one scan root at a time, and manifests of tests, test data and
//! examples are reported as `[analyzers.k8s] test-manifests` says, with a notice.

use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, ScanOptions};
use palisade_core::{Analyzer, Report};
use palisade_k8s::KubernetesAnalyzer;
use std::path::{Path, PathBuf};

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn scan(roots: &[PathBuf], rule: &str, config: &str) -> Report {
    let registry = KubernetesAnalyzer.rules();
    let sections = engine::settings_sections(&[&KubernetesAnalyzer]);
    let config = Config::parse(config, Path::new("palisade.toml"), registry, &sections).unwrap();
    let mut rules = RuleSet::resolve(registry, &config, None);
    rules.retain(|r| r.id == rule);
    let options = ScanOptions::new(roots.to_vec(), &config, &rules);
    engine::scan(&[&KubernetesAnalyzer], &options).unwrap()
}

const BINDING: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-deployer
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: deployer
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: ci
";

const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: deployer
  namespace: shop
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, list]
";

/// A Role in one project does not complete a binding of another scanned beside it.
#[test]
fn roots_scanned_together_do_not_change_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("platform");
    let b = dir.path().join("shop");
    write(&a, "rbac/binding.yaml", BINDING);
    write(&b, "rbac/role.yaml", ROLE);
    let rule = "k8s/rbac-binding-to-missing-role";
    let alone = scan(std::slice::from_ref(&a), rule, "");
    assert_eq!(alone.findings.len(), 1, "{:?}", alone.findings);
    let together = scan(&[a.clone(), b.clone()], rule, "");
    assert_eq!(together.findings.len(), 1, "{:?}", together.findings);
    assert!(
        together.findings[0]
            .location
            .path()
            .is_some_and(|p| p.ends_with("platform/rbac/binding.yaml")),
        "{:?}",
        together.findings
    );
}

const PRIVILEGED_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: cni
spec:
  containers:
    - name: cni
      image: registry.example/cni:1.0.0
      securityContext:
        privileged: true
";

#[test]
fn test_manifests_are_low_by_default_and_said_in_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    write(&root, "deploy/cni.yaml", PRIVILEGED_POD);
    write(&root, "tests/e2e/kind/cni.yaml", PRIVILEGED_POD);
    write(&root, "examples/demo/cni.yaml", PRIVILEGED_POD);
    let rule = "k8s/privileged-container";
    let summary = |report: &Report| {
        let mut out: Vec<(String, String, String)> = report
            .findings
            .iter()
            .map(|f| {
                (
                    f.location.path().unwrap_or_default().to_string(),
                    format!("{:?}", f.severity),
                    format!("{:?}", f.confidence),
                )
            })
            .collect();
        out.sort();
        out
    };
    let notices = |report: &Report| -> Vec<String> {
        report
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect()
    };

    let report = scan(std::slice::from_ref(&root), rule, "");
    let found = summary(&report);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, "deploy/cni.yaml");
    assert_ne!(found[0].1, "Low");
    for test in &found[1..] {
        assert_eq!(
            (test.1.as_str(), test.2.as_str()),
            ("Low", "Low"),
            "{test:?}"
        );
    }
    let said = notices(&report);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].starts_with("2 finding(s) in test"), "{said:?}");

    let report = scan(
        std::slice::from_ref(&root),
        rule,
        "[analyzers.k8s]\ntest-manifests = \"skip\"\n",
    );
    assert_eq!(summary(&report).len(), 1);
    assert_eq!(notices(&report).len(), 1);

    let report = scan(
        std::slice::from_ref(&root),
        rule,
        "[analyzers.k8s]\ntest-manifests = \"full\"\n",
    );
    let found = summary(&report);
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|f| f.1 != "Low"), "{found:?}");
    assert_eq!(notices(&report), Vec::<String>::new());
}
