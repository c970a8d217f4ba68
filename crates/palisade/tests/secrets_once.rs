//! One finding per secret occurrence across the report (issue #12): where the Python
//! hard-coded secret key rule or the Kubernetes literal secret in env rule reports a value,
//! the secrets analyzer's finding on the same value is folded into it by the engine — unless
//! the secrets finding is surer (a Stripe live key in an env var whose name only weakly says
//! "secret").

use palisade::analyzers;
use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, ScanOptions};
use std::fs;

const SETTINGS: &str =
    "import os\nDEBUG = False\nSECRET_KEY = \"q8Z2mK9vR4tY7wP1xN6cB3hJ5sL0dF8gA2eU7iO9\"\n";

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          env:
            - name: STRIPE_KEY
              value: sk_live_Zq3mW8pLx2Rt7VbN4cKj9HsQ
            - name: DB_PASSWORD
              value: \"Xk9vR4tY7wP1xN6c\"
            - name: SIGNING_SECRET
              value: \"ghp_notavalidchecksumtoken0000000000000\"
";

fn secret_findings(only: Option<&[&str]>) -> Vec<(String, u32, String)> {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("app")).unwrap();
    fs::create_dir_all(dir.path().join("k8s")).unwrap();
    fs::write(dir.path().join("app/settings.py"), SETTINGS).unwrap();
    fs::write(dir.path().join("k8s/deploy.yaml"), DEPLOYMENT).unwrap();
    let config = Config::default();
    let analyzers = analyzers();
    let registry = engine::registry(&analyzers);
    let rules = match only {
        Some(ids) => RuleSet::only(&registry, ids),
        None => RuleSet::all(&registry),
    };
    let options = ScanOptions::new(vec![dir.path().to_path_buf()], &config, &rules);
    let report = engine::scan(&analyzers, &options).unwrap();
    let mut out: Vec<(String, u32, String)> = report
        .findings
        .iter()
        .filter(|f| f.cwe.contains(&798))
        .map(|f| {
            (
                f.location.path().unwrap_or_default().to_string(),
                f.location.line(),
                f.rule_id.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn each_secret_is_reported_once_by_its_most_specific_rule() {
    let found = secret_findings(None);
    assert_eq!(
        found,
        [
            (
                "app/settings.py".to_string(),
                3,
                "python/hardcoded-secret-key".to_string()
            ),
            (
                "k8s/deploy.yaml".to_string(),
                13,
                "secrets/stripe-secret-key".to_string()
            ),
            (
                "k8s/deploy.yaml".to_string(),
                15,
                "k8s/secret-in-env-literal".to_string()
            ),
            (
                "k8s/deploy.yaml".to_string(),
                17,
                "k8s/secret-in-env-literal".to_string()
            ),
        ]
    );
}

#[test]
fn alone_the_secrets_analyzer_reports_what_was_folded() {
    let found = secret_findings(Some(&[
        "secrets/generic-secret-assignment",
        "secrets/stripe-secret-key",
    ]));
    assert!(
        found.contains(&(
            "app/settings.py".to_string(),
            3,
            "secrets/generic-secret-assignment".to_string()
        )),
        "{found:?}"
    );
}
