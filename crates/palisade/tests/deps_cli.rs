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
        .env("PALISADE_NO_CACHE", "1")
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
        .env("PALISADE_NO_CACHE", "1")
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
        .env("PALISADE_NO_CACHE", "1")
        .args(["scan", "--advisory-db", "/nonexistent/osv"])
        .arg(shop().join("backend"))
        .assert()
        .code(2);
}

/// An OSV export (`all.zip`) holding one record about PyPI `requests`.
fn export() -> Vec<u8> {
    use std::io::Write;
    let record = r#"{"id":"TEST-CLI-1","summary":"served on loopback","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.20.0"}]}]}],"database_specific":{"severity":"HIGH"}}"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("TEST-CLI-1.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(record.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn db_update_fills_the_cache_that_a_scan_then_reads() {
    let zip = export();
    let server = palisade_fixtures::loopback::Server::start(move |r| match r.path.as_str() {
        "/osv/PyPI/all.zip" => (200, Vec::new(), zip.clone()),
        _ => (404, Vec::new(), Vec::new()),
    });
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("xdg-cache");
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "requests==2.19.1\n").unwrap();
    std::fs::write(project.join("palisade.toml"), "").unwrap();

    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(&project)
        .env("XDG_CACHE_HOME", &cache)
        .args(["db", "update", "--ecosystem", "PyPI,npm", "--url"])
        .arg(format!("{}/osv", server.base))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // PyPI is downloaded; npm is not served: exit 2, and the error names it.
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stdout.starts_with("PyPI: 1 records"), "{stdout}");
    assert!(
        stderr.contains("npm:") && stderr.contains("HTTP 404"),
        "{stderr}"
    );
    assert!(cache.join("palisade/osv/PyPI/all.zip").is_file());
    assert!(cache.join("palisade/osv/PyPI/meta.json").is_file());

    // A scan with no --advisory-db reads that cache, and the ledger says how old it is.
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .env("XDG_CACHE_HOME", &cache)
        .args([
            "scan",
            "--select",
            "deps/",
            "--format",
            "json",
            "--fail-on",
            "none",
        ])
        .arg(&project)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("TEST-CLI-1")),
        "{findings:?}"
    );
    let ledger = report["coverage"].as_array().unwrap();
    let vendor = ledger
        .iter()
        .find(|e| e["recommendation"] == "vendor-security")
        .unwrap();
    assert!(
        vendor["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i.as_str().unwrap().contains("OSV PyPI export")),
        "{vendor}"
    );

    // A bad --ecosystem is a usage error before any download.
    Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(&project)
        .env("XDG_CACHE_HOME", &cache)
        .args(["db", "update", "--ecosystem", "Go"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown ecosystem `Go`"));
}
