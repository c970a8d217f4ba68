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
    // Tests never write to the user's cache folder.
    cmd.env("PALISADE_NO_CACHE", "1");
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

/// One repository scanned on three dates, in CI-artifact layout `<date>/api/palisade.json`:
/// an old report without `scanned_at` (as palisade made them before it), then two dated
/// with `--today`. Between them one finding is fixed and one appears.
fn dated_reports(dir: &Path) -> Vec<PathBuf> {
    let src = dir.join("api-src");
    fs::create_dir_all(&src).unwrap();
    let versions = [
        // 2026-10-01: TLS verification off.
        "import requests\n\n\ndef pay(url, body):\n    return requests.post(url, json=body, verify=False, timeout=5)\n",
        // 2026-11-01: the same.
        "import requests\n\n\ndef pay(url, body):\n    return requests.post(url, json=body, verify=False, timeout=5)\n",
        // 2026-11-27: TLS verification fixed, a shell injection brought in.
        "import subprocess\nimport requests\n\n\ndef pay(url, body):\n    return requests.post(url, json=body, timeout=5)\n\n\ndef archive(name):\n    subprocess.run(\"tar czf /tmp/a.tgz \" + name, shell=True, check=True)\n",
    ];
    let dates = ["2026-10-01", "2026-11-01", "2026-11-27"];
    let mut out = Vec::new();
    for (source, date) in versions.iter().zip(dates) {
        fs::write(src.join("client.py"), source).unwrap();
        let report = dir.join(date).join("api/palisade.json");
        fs::create_dir_all(report.parent().unwrap()).unwrap();
        palisade()
            .args(["scan", "-f", "json", "--fail-on", "none", "--no-progress"])
            .args(["--today", date, "-o"])
            .arg(&report)
            .arg(&src)
            .assert()
            .code(0);
        out.push(report);
    }
    // The oldest as an older palisade wrote it: no `scanned_at`, dated by its file.
    let mut old = json_file(&out[0]);
    assert_eq!(old["scanned_at"], "2026-10-01T00:00:00Z");
    old.as_object_mut().unwrap().remove("scanned_at");
    fs::write(&out[0], serde_json::to_string(&old).unwrap()).unwrap();
    let file = fs::File::options().write(true).open(&out[0]).unwrap();
    // 2026-10-01T12:00:00Z
    let noon = std::time::UNIX_EPOCH + std::time::Duration::from_secs(20_727 * 86_400 + 43_200);
    file.set_modified(noon).unwrap();
    out
}

#[test]
fn merge_shows_trends_when_reports_of_several_dates_are_given() {
    let dir = tempfile::tempdir().unwrap();
    let api = dated_reports(dir.path());
    let (shop, _) = two_reports(dir.path());
    // Given newest first: the merge orders them by date.
    let mut args: Vec<PathBuf> = api.iter().rev().cloned().collect();
    args.push(shop);
    let out = palisade()
        .args(["report", "merge", "-f", "json"])
        .args(&args)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let merged: Value = serde_json::from_slice(&out).unwrap();
    // The findings and totals are each repository's latest report.
    let repos = merged["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 2, "{repos:?}");
    assert_eq!(repos[0]["name"], "api");
    assert_eq!(repos[0]["scanned"], "2026-11-27");
    let latest = json_file(&api[2]);
    assert_eq!(
        repos[0]["findings"],
        latest["findings"].as_array().unwrap().len()
    );

    let trend = &merged["trends"]["repositories"][0];
    assert_eq!(trend["name"], "api");
    let reports = trend["reports"].as_array().unwrap();
    let dated: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| {
            (
                r["scanned_at"].as_str().unwrap(),
                r["dated_by"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dated,
        [
            ("2026-10-01T12:00:00Z", "file-modified"),
            ("2026-11-01T00:00:00Z", "scan"),
            ("2026-11-27T00:00:00Z", "scan"),
        ]
    );
    let rules = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["rule_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules(&reports[1]["new"]).is_empty());
    assert!(rules(&reports[1]["fixed"]).is_empty());
    assert_eq!(
        rules(&reports[2]["new"]),
        ["python/shell-command-injection"]
    );
    assert_eq!(
        rules(&reports[2]["fixed"]),
        ["python/tls-verification-disabled"]
    );
    // The shop has one report: no trend of its own, but it counts in the organisation's
    // totals from its day on.
    assert_eq!(
        merged["trends"]["repositories"][1]["reports"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let org = merged["trends"]["organisation"].as_array().unwrap();
    let days: Vec<&str> = org.iter().map(|p| p["date"].as_str().unwrap()).collect();
    assert_eq!(days, ["2026-10-01", "2026-11-01", "2026-11-27"]);
    let shop_total = json_file(&args[3])["findings"].as_array().unwrap().len();
    assert_eq!(
        org[2]["findings"],
        latest["findings"].as_array().unwrap().len() + shop_total
    );
    assert_eq!(org[2]["repositories"], 2);
    assert_eq!(org[0]["repositories"], 1);

    let md = palisade()
        .args(["report", "merge", "-f", "markdown"])
        .args(&args)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("### Trends\n"), "{md}");
    assert!(md.contains("| 2026-10-01 12:00 UTC (file date) |"), "{md}");
    assert!(
        md.contains("<details><summary>New by 2026-11-27: 1</summary>"),
        "{md}"
    );
    assert!(md.contains("1 report had no scan date"), "{md}");

    let html = palisade()
        .args(["report", "merge", "-f", "html"])
        .args(&args)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8(html).unwrap();
    assert!(page.contains("<section id=\"trends\">"));
    assert!(page.contains("id=\"chart-trend-organisation\""));
    assert!(page.contains("id=\"chart-trend-api\""));
    assert!(page.contains("data-label=\"2026-11-27\""));
    assert!(page.contains("python/shell-command-injection at client.py"));
}

#[test]
fn two_reports_of_one_repository_and_one_date_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let api = dated_reports(dir.path());
    palisade()
        .args(["report", "merge"])
        .arg(format!("api={}", api[2].display()))
        .arg(format!("api={}", api[2].display()))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "two reports of `api` have the same date (2026-11-27T00:00:00Z)",
        ));
}

/// The scan's own HTML report has the endpoint and RBAC matrices when it read Python files
/// and Kubernetes manifests, and neither when it read none.
#[test]
fn scan_html_shows_the_matrices_it_has_data_for() {
    let out = palisade()
        .args(["scan", "examples/shop", "-f", "html"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8(out).unwrap();
    assert!(page.contains("<section id=\"endpoints\">"));
    assert!(page.contains("<section id=\"rbac\">"));
    assert!(page.contains("<td>Group system:authenticated</td>"));
    let out = palisade()
        .args([
            "scan",
            "examples/shop/frontend",
            "-f",
            "html",
            "--fail-on",
            "none",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8(out).unwrap();
    assert!(!page.contains("<section id=\"endpoints\">"));
    assert!(!page.contains("<section id=\"rbac\">"));
}
