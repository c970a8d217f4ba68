//! Advisory data over the network, against a server on loopback started by each test:
//! `db update` (download, atomic replace, metadata, a failed download keeping the old
//! export, retries), scans reading the cache and saying how old it is, and `--online`
//! asking the OSV API (batch queries with pages, then each record).

mod common;

use palisade_core::Report;
use palisade_core::engine::{NetworkAccess, Online};
use palisade_core::taxonomy::Recommendation;
use palisade_deps::cache;
use palisade_deps::inventory::Ecosystem;
use palisade_deps::net::Client;
use palisade_fixtures::loopback::{Request, Server};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const REQUESTS_ADVISORY: &str = r#"{"id":"TEST-NET-1","aliases":["CVE-0000-0100"],"summary":"over the network","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.20.0"}]}]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#;
const FLASK_ADVISORY: &str = r#"{"id":"TEST-NET-2","affected":[{"package":{"ecosystem":"PyPI","name":"flask"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.2.5"}]}]}],"database_specific":{"severity":"HIGH"}}"#;

/// Online scans here ask the OSV API only: the registries' latest releases
/// (`deps/outdated-dependency`) are tested in `outdated_online.rs`, and no test may reach
/// beyond loopback.
const NO_REGISTRIES: &str = "\n[rules.\"deps/outdated-dependency\"]\nenabled = false\n";

fn export(records: &[&str]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (i, record) in records.iter().enumerate() {
        zip.start_file(format!("R-{i}.json"), options).unwrap();
        zip.write_all(record.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn client(retries: u32) -> Client {
    let mut client = Client::new(Duration::from_secs(5), retries);
    client.backoff = Duration::from_millis(10);
    client
}

fn ok(body: Vec<u8>) -> (u16, Vec<(String, String)>, Vec<u8>) {
    (200, Vec::new(), body)
}

fn vendor_inputs(report: &Report) -> Vec<String> {
    report
        .coverage
        .get(Recommendation::VendorSecurity)
        .map(|e| e.inputs.clone())
        .unwrap_or_default()
}

#[test]
fn db_update_downloads_records_where_from_and_scans_read_the_cache() {
    let zip = export(&[REQUESTS_ADVISORY]);
    let server = Server::start(move |r: &Request| match r.path.as_str() {
        "/mirror/PyPI/all.zip" => ok(zip.clone()),
        _ => (404, Vec::new(), b"no such export".to_vec()),
    });
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("cache");
    let online = Online::for_download_command();
    let base = format!("{}/mirror/", server.base);
    let meta = cache::update(online, &client(0), &base, &cache_dir, Ecosystem::PyPI).unwrap();
    assert_eq!(meta.records, 1);
    assert_eq!(meta.url, format!("{}/mirror/PyPI/all.zip", server.base));
    let pypi = cache::export_dir(&cache_dir, Ecosystem::PyPI);
    let written: cache::ExportMeta =
        serde_json::from_slice(&std::fs::read(pypi.join("meta.json")).unwrap()).unwrap();
    assert_eq!(written, meta);
    // Nothing but the export and its metadata is left in the folder.
    let mut names: Vec<String> = std::fs::read_dir(&pypi)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["all.zip", "meta.json"]);
    // npm is not published at this address: an error, and no folder content for it.
    let err = cache::update(online, &client(0), &base, &cache_dir, Ecosystem::Npm).unwrap_err();
    assert!(err.contains("HTTP 404"), "{err}");
    assert!(
        !cache::export_dir(&cache_dir, Ecosystem::Npm)
            .join("all.zip")
            .exists()
    );

    // A scan with no advisory data given reads the cache and says how old it is.
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "requests==2.19.1\n").unwrap();
    std::fs::write(project.join("package-lock.json"), r#"{"name":"x","lockfileVersion":3,"packages":{"":{"name":"x"},"node_modules/left-pad":{"version":"1.3.0"}}}"#).unwrap();
    let config = format!(
        "[analyzers.deps]\ncache-dir = {:?}\n",
        cache_dir.display().to_string()
    );
    let today = meta.date().to_string();
    let report = common::scan(&project, &config, NetworkAccess::Offline, &today);
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule_id == "deps/vulnerable-dependency")
        .expect("requests 2.19.1 is vulnerable in the cached export");
    assert!(
        finding.message.contains("TEST-NET-1"),
        "{}",
        finding.message
    );
    let inputs = vendor_inputs(&report);
    assert!(
        inputs
            .iter()
            .any(|i| i.starts_with("OSV PyPI export") && i.ends_with("(0 days old)")),
        "{inputs:?}"
    );
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    // The npm package is not checked (no npm export), and that is said.
    assert!(
        messages
            .iter()
            .any(|m| m.contains("1 package of npm NOT CHECKED")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("older than")),
        "{messages:?}"
    );

    // Thirty days later the same cache is stale, and the scan says so.
    let later =
        palisade_core::date::Date::from_days_since_epoch(meta.date().days_since_epoch() + 30);
    let report = common::scan(
        &project,
        &config,
        NetworkAccess::Offline,
        &later.to_string(),
    );
    assert!(
        vendor_inputs(&report)
            .iter()
            .any(|i| i.ends_with("(30 days old)"))
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("PyPI (30 days) is older than 7 days")),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn a_broken_download_keeps_the_export_cached_before() {
    let good = export(&[REQUESTS_ADVISORY]);
    let calls = AtomicUsize::new(0);
    let server = Server::start(move |_: &Request| {
        match calls.fetch_add(1, Ordering::SeqCst) {
            0 => ok(good.clone()),
            // An error page served as 200: not a zip.
            1 => ok(b"<html>maintenance</html>".to_vec()),
            // A zip without any record.
            _ => ok(export(&[])[..].to_vec()),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::for_download_command();
    let first = cache::update(
        online,
        &client(0),
        &server.base,
        dir.path(),
        Ecosystem::PyPI,
    )
    .unwrap();
    let zip = cache::export_dir(dir.path(), Ecosystem::PyPI).join("all.zip");
    let before = std::fs::read(&zip).unwrap();
    let err = cache::update(
        online,
        &client(0),
        &server.base,
        dir.path(),
        Ecosystem::PyPI,
    )
    .unwrap_err();
    assert!(err.contains("not a readable zip"), "{err}");
    assert_eq!(std::fs::read(&zip).unwrap(), before);
    let meta: cache::ExportMeta =
        serde_json::from_slice(&std::fs::read(zip.with_file_name("meta.json")).unwrap()).unwrap();
    assert_eq!(meta, first);
    // A zip without a single record is refused as well.
    let err = cache::update(
        online,
        &client(0),
        &server.base,
        dir.path(),
        Ecosystem::PyPI,
    )
    .unwrap_err();
    assert!(err.contains("no OSV JSON record"), "{err}");
    assert_eq!(std::fs::read(&zip).unwrap(), before);
    // No partial file is left behind.
    assert_eq!(std::fs::read_dir(zip.parent().unwrap()).unwrap().count(), 2);
}

#[test]
fn failed_requests_are_tried_again_within_the_configured_retries() {
    let zip = export(&[REQUESTS_ADVISORY]);
    let calls = AtomicUsize::new(0);
    let server = Server::start(move |_: &Request| {
        if calls.fetch_add(1, Ordering::SeqCst) < 2 {
            (
                503,
                vec![("Retry-After".to_string(), "0".to_string())],
                Vec::new(),
            )
        } else {
            ok(zip.clone())
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let online = Online::for_download_command();
    let err = cache::update(
        online,
        &client(1),
        &server.base,
        dir.path(),
        Ecosystem::PyPI,
    )
    .unwrap_err();
    assert!(err.contains("HTTP 503"), "{err}");
    assert_eq!(server.requests().len(), 2);
    cache::update(
        online,
        &client(1),
        &server.base,
        dir.path(),
        Ecosystem::PyPI,
    )
    .unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn online_scans_ask_the_osv_api_in_batches_with_pages_then_fetch_each_record() {
    let batches = Mutex::new(Vec::<serde_json::Value>::new());
    let server = Server::start(
        move |r: &Request| match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/api/v1/querybatch") => {
                let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
                batches.lock().unwrap().push(body.clone());
                let results: Vec<serde_json::Value> = body["queries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| match (q["package"]["name"].as_str(), q.get("page_token")) {
                    // requests: its advisory comes on a second page.
                    (Some("requests"), None) => serde_json::json!({"vulns": [], "next_page_token": "p2"}),
                    (Some("requests"), Some(_)) => serde_json::json!({"vulns": [{"id": "TEST-NET-1", "modified": "2026-01-01T00:00:00Z"}]}),
                    (Some("flask"), _) => serde_json::json!({"vulns": [{"id": "TEST-NET-2", "modified": "2026-01-01T00:00:00Z"}]}),
                    _ => serde_json::json!({}),
                })
                .collect();
                ok(serde_json::json!({ "results": results })
                    .to_string()
                    .into_bytes())
            }
            ("GET", "/api/v1/vulns/TEST-NET-1") => ok(REQUESTS_ADVISORY.as_bytes().to_vec()),
            ("GET", "/api/v1/vulns/TEST-NET-2") => ok(FLASK_ADVISORY.as_bytes().to_vec()),
            _ => (404, Vec::new(), Vec::new()),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "requests==2.19.1\nFlask==2.2.5\nclick==8.1.7\n",
    )
    .unwrap();
    let config = format!(
        "[analyzers.deps]\napi-url = \"{}/api\"\ncache-dir = \"no-cache\"\nretries = 0\n{NO_REGISTRIES}",
        server.base
    );
    let report = common::scan(dir.path(), &config, NetworkAccess::Online, "2026-12-01");
    let ids: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    // requests 2.19.1 is affected; flask 2.2.5 is the fixed version: the API named the
    // record, the local matching (the same as offline) clears it.
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert!(ids[0].contains("TEST-NET-1"), "{ids:?}");
    let requests = server.requests();
    let posts: Vec<&Request> = requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 2, "one batch, then the page of requests");
    let first: serde_json::Value = serde_json::from_slice(&posts[0].body).unwrap();
    assert_eq!(first["queries"].as_array().unwrap().len(), 3);
    assert_eq!(
        first["queries"][0]["package"],
        serde_json::json!({"ecosystem": "PyPI", "name": "click"})
    );
    let second: serde_json::Value = serde_json::from_slice(&posts[1].body).unwrap();
    assert_eq!(
        second["queries"],
        serde_json::json!([{"package": {"ecosystem": "PyPI", "name": "requests"}, "version": "2.19.1", "page_token": "p2"}])
    );
    assert!(
        vendor_inputs(&report)
            .iter()
            .any(|i| i.contains("OSV API") && i.contains("3 package versions")),
        "{:?}",
        vendor_inputs(&report)
    );

    // An offline scan with the same configuration opens no connection: the cache (empty
    // here) is the source, and the packages are reported not checked.
    let before = server.requests().len();
    let report = common::scan(dir.path(), &config, NetworkAccess::Offline, "2026-12-01");
    assert_eq!(server.requests().len(), before);
    assert!(report.findings.is_empty());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("NOT CHECKED"))
    );
}

#[test]
fn an_unreachable_api_is_a_not_checked_notice_not_a_clean_result() {
    let port = palisade_fixtures::loopback::closed_port();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "requests==2.19.1\n").unwrap();
    let config = format!(
        "[analyzers.deps]\napi-url = \"http://127.0.0.1:{port}\"\nretries = 0\ntimeout-seconds = 2\n{NO_REGISTRIES}"
    );
    let report = common::scan(dir.path(), &config, NetworkAccess::Online, "2026-12-01");
    assert!(report.findings.is_empty());
    let notice = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("NOT CHECKED"))
        .expect("a not-checked notice");
    assert!(
        notice.message.contains("could not be asked"),
        "{}",
        notice.message
    );
}
