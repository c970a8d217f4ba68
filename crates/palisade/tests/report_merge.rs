//! `palisade report merge`: JSON reports of several repositories rolled into one.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn palisade() -> Command {
    let mut cmd = Command::cargo_bin("palisade").unwrap();
    cmd.current_dir(workspace())
        .env("PALISADE_TODAY", "2026-11-27");
    cmd
}

/// Two repositories' reports, in CI-artifact layout: `<repo>/palisade.json`.
fn two_reports(dir: &Path) -> (PathBuf, PathBuf) {
    let api = dir.join("api-src");
    fs::create_dir_all(&api).unwrap();
    fs::write(
        api.join("client.py"),
        "import requests\n\n\ndef pay(url, body):\n    return requests.post(url, json=body, verify=False, timeout=5)\n",
    )
    .unwrap();
    let shop = dir.join("shop/palisade.json");
    let api_json = dir.join("api/palisade.json");
    fs::create_dir_all(shop.parent().unwrap()).unwrap();
    fs::create_dir_all(api_json.parent().unwrap()).unwrap();
    palisade()
        .args(["scan", "examples/shop", "-f", "json", "-o"])
        .arg(&shop)
        .assert()
        .code(1);
    palisade()
        .args([
            "scan",
            "-f",
            "json",
            "--fail-on",
            "none",
            "--no-progress",
            "-o",
        ])
        .arg(&api_json)
        .arg(&api)
        .assert()
        .code(0);
    (shop, api_json)
}

fn json_file(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn merge_to_json_keeps_every_finding_and_totals_per_repository() {
    let dir = tempfile::tempdir().unwrap();
    let (shop, api) = two_reports(dir.path());
    let out = palisade()
        .args(["report", "merge", "-f", "json"])
        .arg(&shop)
        .arg(&api)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let merged: Value = serde_json::from_slice(&out).unwrap();
    let (shop, api) = (json_file(&shop), json_file(&api));
    let n = |v: &Value| v["findings"].as_array().unwrap().len();
    assert_eq!(n(&merged), n(&shop) + n(&api));
    let repos = merged["repositories"].as_array().unwrap();
    // Named after their folders, since both files are palisade.json.
    assert_eq!(repos[0]["name"], "shop");
    assert_eq!(repos[1]["name"], "api");
    assert_eq!(repos[0]["findings"], n(&shop));
    assert_eq!(repos[1]["findings"], n(&api));
    assert_eq!(repos[0]["by_severity"], shop["summary"]["by_severity"]);
    assert!(merged["findings"].as_array().unwrap().iter().all(|f| {
        // A finding on a repository as a whole is on the folder of that repository.
        let path = f["location"]["path"].as_str().unwrap_or("shop/");
        path == "shop" || path.starts_with("shop/") || path.starts_with("api/")
    }));
    assert_eq!(merged["version"], 1);
}

#[test]
fn merge_to_markdown_and_html_show_the_repositories() {
    let dir = tempfile::tempdir().unwrap();
    let (shop, api) = two_reports(dir.path());
    let md = palisade()
        .args(["report", "merge", "-f", "markdown"])
        .arg(format!("storefront={}", shop.display()))
        .arg(&api)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    assert!(
        md.starts_with("## Organisation view: 2 repositories\n"),
        "{md}"
    );
    assert!(md.contains("\n| storefront | "), "{md}");
    assert!(md.encode_utf16().count() < 65_536);

    let html = dir.path().join("org.html");
    palisade()
        .args(["report", "merge", "-o"])
        .arg(&html)
        .arg(&shop)
        .arg(&api)
        .assert()
        .code(0);
    let page = fs::read_to_string(&html).unwrap();
    assert!(page.contains("<title>palisade: 2 repositories</title>"));
    assert!(page.contains("<section id=\"repositories\">"));
    assert!(page.contains("<tr><td>shop</td>"));
    assert!(page.contains("data-file=\"api/client.py\""));
    // Each repository's coverage ledger, read back from its JSON report, named.
    assert!(page.contains("<section id=\"ledger\">"), "no ledger");
    assert!(
        page.contains("<tr class=\"ledger failing\"><td>shop</td><td>python-backend</td>"),
        "the shop's python-backend row"
    );
    assert!(page.contains("<td>api</td><td>python-backend</td>"));
}

#[test]
fn merge_refuses_what_is_not_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    fs::write(&bad, "{\"version\": 7}").unwrap();
    palisade()
        .args(["report", "merge"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("version 7"));
    fs::write(&bad, "not json").unwrap();
    palisade()
        .args(["report", "merge"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a palisade JSON report"));
}

/// The demo's findings as DefectDojo's Generic Findings Import JSON, checked against the
/// fields and types DefectDojo documents.
#[test]
fn defectdojo_format_is_what_defectdojo_documents() {
    let out = palisade()
        .args(["scan", "examples/shop", "--format", "defectdojo"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let value: Value = serde_json::from_slice(&out).unwrap();
    palisade_report::defectdojo::validate(&value).unwrap();
    let findings = value["findings"].as_array().unwrap();
    assert!(findings.len() > 20);
    assert!(findings.iter().all(|f| {
        f["unique_id_from_tool"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    }));
    assert!(
        findings
            .iter()
            .any(|f| f["mitigation"].as_str().is_some_and(|s| !s.is_empty()))
    );
}

/// `rbac` and `endpoints` render their matrices as a page with the report's safety.
#[test]
fn rbac_and_endpoints_matrices_as_html() {
    for (args, section, row) in [
        (
            ["rbac", "examples/shop", "-f", "html"],
            "<section id=\"rbac\">",
            "<td>Group system:authenticated</td>",
        ),
        (
            ["endpoints", "examples/shop", "-f", "html"],
            "<section id=\"endpoints\">",
            "<td>NONE</td>",
        ),
    ] {
        let out = palisade()
            .args(args)
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains(section), "{page}");
        assert!(page.contains(row), "{row}");
        assert!(page.contains("content=\"default-src &#39;none&#39;; "));
        assert!(!page.contains("id=\"findings\""));
    }
}
