//! `palisade init`: what it writes, that it never overwrites, that a scan right after it
//! attests nothing, and that its workflow passes palisade's own ci/ rules.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn palisade() -> Command {
    let mut cmd = Command::cargo_bin("palisade").unwrap();
    // Tests never write to the user's cache folder.
    cmd.env("PALISADE_NO_CACHE", "1");
    cmd.env("PALISADE_TODAY", "2026-12-02");
    cmd
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const ORGANISATIONAL: [&str; 6] = [
    "access-control",
    "backup",
    "training",
    "vendor-security",
    "audits",
    "incident-response",
];

#[test]
fn a_fresh_init_then_scan_attests_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "app/views.py", "def index():\n    return 'hi'\n");
    write(root, "app/migrations/0001_initial.py", "# migration\n");
    write(root, "poetry.lock", "# lock\n");
    palisade().arg("init").arg(root).assert().code(0);
    for file in [
        "palisade.toml",
        "docs/incident-response.md",
        "docs/disaster-recovery.md",
        "security/training.csv",
        "security/vendors.csv",
        "SECURITY.md",
        ".github/CODEOWNERS",
        ".github/workflows/palisade.yml",
    ] {
        assert!(root.join(file).is_file(), "{file} not written");
    }
    let owners = fs::read_to_string(root.join(".github/CODEOWNERS")).unwrap();
    assert!(
        owners.contains("/app/migrations/ @your-org/security"),
        "{owners}"
    );
    assert!(
        owners.contains("/poetry.lock @your-org/security"),
        "{owners}"
    );
    let toml = fs::read_to_string(root.join("palisade.toml")).unwrap();
    assert!(
        toml.contains("# last-restore-test = \"2026-12-02\""),
        "{toml}"
    );

    let out = palisade()
        .args(["scan", "--format", "json", "--no-progress"])
        .arg(root)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"], Value::Array(vec![]), "{report}");
    for rec in ORGANISATIONAL {
        let entry = report["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["recommendation"] == rec)
            .unwrap();
        let status = entry["status"].as_str().unwrap();
        assert!(
            status == "needs-attestation" || status == "failing",
            "{rec} is {status} right after init: {entry}"
        );
    }
    // The CI gate that waits for the records fails until they are kept.
    palisade()
        .args([
            "scan",
            "--no-progress",
            "--fail-on-coverage",
            "needs-attestation",
        ])
        .arg(root)
        .assert()
        .code(1);
}

#[test]
fn the_generated_workflow_passes_the_ci_rules() {
    let dir = tempfile::tempdir().unwrap();
    palisade().arg("init").arg(dir.path()).assert().code(0);
    let out = palisade()
        .args([
            "scan",
            "--format",
            "json",
            "--no-progress",
            "--select",
            "ci",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"], Value::Array(vec![]), "{report}");
    assert_eq!(report["diagnostics"], Value::Array(vec![]), "{report}");
    let workflow = fs::read_to_string(dir.path().join(".github/workflows/palisade.yml")).unwrap();
    assert!(workflow.contains("permissions: {}"));
    assert!(workflow.contains("upload-sarif@"));
    let access = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["recommendation"] == "access-control")
        .unwrap();
    assert!(
        access["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == ".github/workflows/palisade.yml"),
        "{access}"
    );
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "SECURITY.md", "mine\n");
    write(dir.path(), "CODEOWNERS", "* @me\n");
    let out = palisade().arg("init").arg(dir.path()).assert().code(0);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("kept SECURITY.md (it exists)"), "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.path().join("SECURITY.md")).unwrap(),
        "mine\n"
    );
    assert!(
        !dir.path().join(".github/CODEOWNERS").exists(),
        "no suggestion beside an existing CODEOWNERS"
    );
    let first = fs::read_to_string(dir.path().join("palisade.toml")).unwrap();
    palisade()
        .args(["init", "--today", "2030-01-01"])
        .arg(dir.path())
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(dir.path().join("palisade.toml")).unwrap(),
        first
    );
    palisade()
        .arg("init")
        .arg(dir.path().join("nope"))
        .assert()
        .code(2);
}
