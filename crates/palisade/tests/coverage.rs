//! End-to-end tests of the coverage ledger: every report lists the eleven recommendations
//! with a status, in every format, and `--fail-on-coverage` gates on them.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn palisade() -> Command {
    let mut cmd = Command::cargo_bin("palisade").unwrap();
    // Tests never write to the user's cache folder.
    cmd.env("PALISADE_NO_CACHE", "1");
    cmd.env_remove("NO_COLOR")
        .env("PALISADE_TODAY", "2026-11-27");
    cmd
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn json_report(root: &Path, extra: &[&str]) -> Value {
    let out = palisade()
        .args(["scan", "--format", "json", "--no-progress"])
        .args(extra)
        .arg(root)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn status_of(report: &Value, recommendation: &str) -> (String, String) {
    let entry = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["recommendation"] == recommendation)
        .unwrap_or_else(|| panic!("{recommendation} missing from {report}"));
    (
        entry["status"].as_str().unwrap().to_string(),
        entry["reason"].as_str().unwrap().to_string(),
    )
}

const FRESH: &str = r#"[controls.backup]
last-restore-test = "2026-11-01"
runbook = "docs/dr.md"

[controls.access-review]
last-review = "2026-11-01"
"#;

const RUNBOOK: &str = "# DR\n\n## Scope\nThe database.\n## RPO and RTO\nOne hour.\n## Restore steps\nRestore the dump.\n## Contacts\nAda.\n";

#[test]
fn every_report_lists_all_eleven_recommendations() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", "print('hello')\n");
    let report = json_report(dir.path(), &[]);
    let coverage = report["coverage"].as_array().unwrap();
    let ids: Vec<&str> = coverage
        .iter()
        .map(|e| e["recommendation"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "access-control",
            "backup",
            "training",
            "vendor-security",
            "audits",
            "incident-response",
            "kubernetes",
            "mobile",
            "web-frontend",
            "mysql",
            "python-backend"
        ]
    );
    for e in coverage {
        for key in [
            "status",
            "reason",
            "rules",
            "inputs",
            "inputs_total",
            "findings",
        ] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
    }
    // Without any palisade.toml, the organisational recommendations are unattested.
    for rec in ["backup", "training", "audits", "incident-response"] {
        assert_eq!(status_of(&report, rec).0, "needs-attestation", "{rec}");
    }
    let (status, reason) = status_of(&report, "kubernetes");
    assert_eq!(status, "not-applicable");
    assert_eq!(reason, "no Kubernetes manifests found");
    let (status, _) = status_of(&report, "python-backend");
    assert_eq!(status, "passing", "{report}");
    // The mobile rules ran, but a Python-only tree has no app for them to read.
    let (status, reason) = status_of(&report, "mobile");
    assert_eq!(status, "not-applicable");
    assert!(reason.starts_with("no Android manifests"), "{reason}");
}

#[test]
fn a_fresh_record_with_its_document_passes_and_a_stale_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "palisade.toml", FRESH);
    write(dir.path(), "docs/dr.md", RUNBOOK);
    let report = json_report(dir.path(), &["--select", "controls"]);
    let (status, reason) = status_of(&report, "backup");
    assert_eq!(status, "passing", "{reason}");
    let entry = report["coverage"][1].clone();
    assert_eq!(
        entry["inputs"],
        serde_json::json!(["docs/dr.md", "palisade.toml [controls.backup]"])
    );
    assert_eq!(status_of(&report, "training").0, "needs-attestation");
    // Only controls/ rules ran: Kubernetes was not checked at all.
    let (status, reason) = status_of(&report, "kubernetes");
    assert_eq!(status, "not-checked");
    assert!(reason.contains("selected"), "{reason}");

    let report = json_report(
        dir.path(),
        &["--select", "controls", "--today", "2027-06-01"],
    );
    assert_eq!(status_of(&report, "backup").0, "failing");
}

#[test]
fn fail_on_coverage_gates_on_unattested_recommendations() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "palisade.toml", FRESH);
    write(dir.path(), "docs/dr.md", RUNBOOK);
    palisade()
        .args(["scan", "--no-progress", "--select", "controls"])
        .arg(dir.path())
        .assert()
        .code(0);
    let out = palisade()
        .args([
            "scan",
            "--no-progress",
            "--select",
            "controls",
            "--fail-on-coverage",
            "needs-attestation",
        ])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("training is needs-attestation"), "{stderr}");
    assert!(!stderr.contains("backup is"), "{stderr}");
    // A status no recommendation has does not fail the run.
    palisade()
        .args([
            "scan",
            "--no-progress",
            "--select",
            "controls/backup-record",
            "--fail-on-coverage",
            "failing",
        ])
        .arg(dir.path())
        .assert()
        .code(0);
    palisade()
        .args(["scan", "--fail-on-coverage", "maybe"])
        .arg(dir.path())
        .assert()
        .code(2);
}

#[test]
fn text_sarif_and_markdown_carry_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", "print('hello')\n");
    let text = palisade()
        .args(["scan", "--no-progress", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("policy coverage:"), "{text}");
    assert!(
        text.contains("kubernetes         not-applicable     no Kubernetes manifests found"),
        "{text}"
    );
    let sarif = palisade()
        .args(["scan", "--no-progress", "--format", "sarif"])
        .arg(dir.path())
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["properties"]["coverage"]
            .as_array()
            .unwrap()
            .len(),
        11
    );
    let markdown = palisade()
        .args(["scan", "--no-progress", "--format", "markdown"])
        .arg(dir.path())
        .output()
        .unwrap();
    let markdown = String::from_utf8_lossy(&markdown.stdout);
    assert!(markdown.contains("### Policy coverage"), "{markdown}");
    assert!(
        markdown.contains("| `training` | ✍️ needs-attestation |"),
        "{markdown}"
    );
}
