//! The analyzer end to end through the engine: advisory data from an OSV `all.zip` export
//! read in memory, "not checked" when there is none, JSON properties, and a broken lockfile
//! that becomes a notice with its line while the other files still count.

use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, ScanOptions};
use palisade_core::{DiagnosticKind, Report};
use palisade_deps::DepsAnalyzer;
use std::io::Write;
use std::path::Path;

const RECORD: &str = r#"{"id":"TEST-ZIP-1","aliases":["CVE-0000-0009"],"summary":"zipped","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.20.0"}]}]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#;
const OTHER: &str = r#"{"id":"TEST-ZIP-2","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.3.0"},{"fixed":"2.31.0"}]}]}],"database_specific":{"severity":"MODERATE"}}"#;

fn write_zip(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("TEST-ZIP-1.json", deflated).unwrap();
    zip.write_all(RECORD.as_bytes()).unwrap();
    zip.start_file("TEST-ZIP-2.json", stored).unwrap();
    zip.write_all(OTHER.as_bytes()).unwrap();
    zip.start_file("broken.json", stored).unwrap();
    zip.write_all(b"{ not json").unwrap();
    zip.finish().unwrap();
}

fn scan(root: &Path, config_text: Option<&str>) -> Report {
    let analyzers: [&dyn engine::DynAnalyzer; 1] = [&DepsAnalyzer];
    let registry = engine::registry(&analyzers);
    let config = match config_text {
        Some(text) => {
            let path = root.join("palisade.toml");
            std::fs::write(&path, text).unwrap();
            Config::load(&path, &registry, &engine::settings_sections(&analyzers)).unwrap()
        }
        None => Config::default(),
    };
    let rules = RuleSet::resolve(&registry, &config, None);
    let mut options = ScanOptions::new(vec![root.to_path_buf()], &config, &rules);
    options.today = palisade_core::date::Date::parse("2026-12-01");
    engine::scan(&analyzers, &options).unwrap()
}

#[test]
fn a_zip_export_is_read_in_memory_and_findings_carry_properties() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("db")).unwrap();
    write_zip(&dir.path().join("db/all.zip"));
    std::fs::write(
        dir.path().join("requirements.txt"),
        "requests==2.19.1\nflask==3.0.3\n",
    )
    .unwrap();
    let report = scan(
        dir.path(),
        Some("[analyzers.deps]\nadvisory-db = \"db/all.zip\"\n"),
    );
    let vulnerable: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "deps/vulnerable-dependency")
        .collect();
    assert_eq!(vulnerable.len(), 1, "{:?}", report.findings);
    let f = vulnerable[0];
    assert_eq!(f.location.line(), 1);
    assert_eq!(f.severity, palisade_core::Severity::Critical);
    assert_eq!(f.properties["package"], "requests");
    assert_eq!(f.properties["version"], "2.19.1");
    assert_eq!(f.properties["fixed_version"], "2.31.0");
    assert_eq!(
        f.properties["ids"],
        serde_json::json!(["CVE-0000-0009", "TEST-ZIP-1", "TEST-ZIP-2"])
    );
    assert!(
        f.message.contains("2 known vulnerabilities"),
        "{}",
        f.message
    );
    // The unreadable entry is named; the rest of the export still counts.
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("broken.json")),
        "{:?}",
        report.diagnostics
    );
    // Nothing was unpacked beside the export.
    let entries: Vec<_> = std::fs::read_dir(dir.path().join("db")).unwrap().collect();
    assert_eq!(entries.len(), 1);
}

#[test]
fn without_advisory_data_the_packages_are_reported_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "requests==2.19.1\n").unwrap();
    // An empty cache folder: the user's own cache must not change the outcome.
    let report = scan(
        dir.path(),
        Some("[analyzers.deps]\ncache-dir = \"empty-cache\"\n"),
    );
    assert!(report.findings.is_empty());
    let notice = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("NOT CHECKED for known vulnerabilities"))
        .expect("a not-checked notice");
    assert_eq!(notice.kind, DiagnosticKind::Skipped);
    assert!(
        notice.message.contains("1 package version in 1 file"),
        "{}",
        notice.message
    );
}

#[test]
fn a_broken_lockfile_is_a_notice_with_its_line_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("poetry.lock"),
        "[[package]]\nname = \"x\"\nversion = \n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("package-lock.json"),
        "{\n  \"packages\": {\n    \"node_modules/a\": \n",
    )
    .unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM python:latest\n").unwrap();
    let report = scan(dir.path(), None);
    let parse: Vec<(Option<&str>, Option<u32>)> = report
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::Parse)
        .map(|d| (d.path.as_deref(), d.line))
        .collect();
    assert_eq!(
        parse,
        [
            (Some("package-lock.json"), Some(4)),
            (Some("poetry.lock"), Some(3))
        ]
    );
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].rule_id, "deps/base-image-not-pinned");
}

#[test]
fn a_missing_advisory_folder_is_named_and_nothing_passes_silently() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "requests==2.19.1\n").unwrap();
    let report = scan(
        dir.path(),
        Some("[analyzers.deps]\nadvisory-db = [\"nowhere\"]\n"),
    );
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("nowhere")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("NOT CHECKED")),
        "{messages:?}"
    );
}

#[test]
fn workspace_lockfiles_in_parent_folders_lock_their_members() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("backend")).unwrap();
    std::fs::create_dir_all(root.join("frontend")).unwrap();
    std::fs::create_dir_all(root.join("lonely")).unwrap();
    std::fs::write(root.join("uv.lock"), "version = 1\n").unwrap();
    std::fs::write(
        root.join("backend/pyproject.toml"),
        "[project]\nname = \"b\"\ndependencies = [\"fastapi>=0.100\"]\n",
    )
    .unwrap();
    std::fs::write(root.join("bun.lock"), "{\n  \"lockfileVersion\": 1,\n}\n").unwrap();
    std::fs::write(
        root.join("frontend/package.json"),
        "{\n  \"dependencies\": { \"react\": \"^19.0.0\" }\n}\n",
    )
    .unwrap();
    std::fs::write(root.join("lonely/requirements.txt"), "flask>=2\n").unwrap();
    let report = scan(root, None);
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule_id.as_str(), f.location.path().unwrap_or("")))
        .collect();
    assert_eq!(
        found,
        [("deps/unlocked-dependencies", "lonely/requirements.txt")]
    );
    // bun.lock is JSONC: its trailing comma is no parse error.
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("bun.lock")),
        "{:?}",
        report.diagnostics
    );
}
