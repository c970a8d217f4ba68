//! `palisade scan --advisory-db`: the demo's pinned packages against its OSV folder, through
//! the binary, and the usage error for a path that does not exist.

use assert_cmd::Command;
use std::path::Path;

fn shop() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop")
}

#[test]
fn advisory_db_on_the_command_line_finds_the_demo_vulnerabilities() {
    // Only the backend folder: the shop's palisade.toml (found in a parent) is not used
    // with --config pointing at an empty file, so the advisories come from the flag alone.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("palisade.toml");
    std::fs::write(&config, "").unwrap();
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .args([
            "scan",
            "--select",
            "deps/",
            "--format",
            "json",
            "--fail-on",
            "none",
        ])
        .arg("--config")
        .arg(&config)
        .arg("--advisory-db")
        .arg(shop().join("advisories"))
        .arg(shop().join("backend"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let pyyaml = findings
        .iter()
        .find(|f| f["properties"]["package"] == "PyYAML")
        .expect("PyYAML 5.1 is vulnerable");
    assert_eq!(pyyaml["rule_id"], "deps/vulnerable-dependency");
    assert_eq!(pyyaml["severity"], "critical");
    assert_eq!(pyyaml["properties"]["version"], "5.1");
    assert_eq!(pyyaml["properties"]["fixed_version"], "5.4");
    assert_eq!(
        pyyaml["properties"]["ids"],
        serde_json::json!([
            "CVE-2020-14343",
            "CVE-2020-1747",
            "GHSA-6757-jp84-gxfx",
            "GHSA-8q59-q68h-6hv4"
        ])
    );
    assert_eq!(pyyaml["location"]["path"], "requirements.txt");
    assert_eq!(pyyaml["location"]["start_line"], 15);

    // Without the flag, the same scan says the packages were not checked.
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .args([
            "scan",
            "--select",
            "deps/",
            "--format",
            "json",
            "--fail-on",
            "none",
        ])
        .arg("--config")
        .arg(&config)
        .arg(shop().join("backend"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["findings"], 0);
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["message"].as_str().unwrap_or("").contains("NOT CHECKED"))
    );
}

#[test]
fn a_missing_advisory_db_is_a_usage_error() {
    Command::cargo_bin("palisade")
        .unwrap()
        .args(["scan", "--advisory-db", "/nonexistent/osv"])
        .arg(shop().join("backend"))
        .assert()
        .code(2);
}
