//! The worked example of docs/engine.md: a whole analyzer in one file, used only by these
//! tests. It reads shell scripts, reports a finding on a line, keeps typed facts for its
//! project pass, and there reports about a folder, the repository, a live target and a
//! commit — so that every kind of place goes through the engine, the suppressions, the
//! fingerprints and every renderer.

use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{
    self, Analyzer, FileContext, NetworkAccess, ProjectContext, ScanOptions, SourcesContext,
};
use palisade_core::{
    Confidence, FileSelector, Finding, Location, Owasp, Recommendation, RuleMeta, Severity,
    SourceFile, Span,
};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// The rule of the example: `curl -k` (or `--insecure`) switches TLS verification off.
static CURL_INSECURE: RuleMeta = RuleMeta {
    id: "example/curl-insecure",
    title: "curl without TLS verification",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[295],
    owasp: Owasp::A02,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: "//! Flags `curl -k`.\n",
};

/// A rule that needs the network: it would ask each live target the user named. It runs only
/// in an online run (the example does not really connect: tests touch no address).
static TARGET_UNCHECKED: RuleMeta = RuleMeta {
    id: "example/target-unchecked",
    title: "Live target not verified",
    severity: Severity::Info,
    confidence: Confidence::High,
    cwe: &[295],
    owasp: Owasp::A02,
    recommendation: Recommendation::Audits,
    needs_network: true,
    options: &[],
    source: "//! Asks live targets.\n",
};

/// What the example keeps of each script for its project pass.
struct ScriptFacts {
    path: String,
    insecure_lines: Vec<u32>,
    urls: Vec<String>,
}

struct ExampleAnalyzer;

impl Analyzer for ExampleAnalyzer {
    type Facts = ScriptFacts;
    type ScanState = ();

    fn name(&self) -> &'static str {
        "example"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        static RULES: [&RuleMeta; 2] = [&CURL_INSECURE, &TARGET_UNCHECKED];
        &RULES
    }

    fn files(&self) -> FileSelector {
        FileSelector {
            extensions: &["sh"],
            names: &[],
            except_names: &[],
            globs: &[],
            // Only scripts that call curl at all.
            sniff: Some(|text| text.contains("curl")),
        }
    }

    fn check_file(
        &self,
        file: &SourceFile,
        cx: &mut FileContext<'_>,
        _state: &(),
    ) -> Option<ScriptFacts> {
        let mut facts = ScriptFacts {
            path: file.path.clone(),
            insecure_lines: Vec::new(),
            urls: Vec::new(),
        };
        for n in 1..=file.line_count() {
            let line = file.line(n);
            if line.contains("curl") && (line.contains(" -k") || line.contains("--insecure")) {
                facts.insecure_lines.push(n);
                cx.report(Finding::new(
                    &CURL_INSECURE,
                    file.line_span(n),
                    "curl runs with TLS verification switched off",
                ));
            }
            facts.urls.extend(
                line.split_whitespace()
                    .filter(|w| w.starts_with("https://"))
                    .map(str::to_string),
            );
        }
        Some(facts)
    }

    fn check_sources(&self, cx: &mut SourcesContext<'_>) {
        ExampleAnalyzer::ask_targets(cx);
    }

    fn check_project(&self, facts: Vec<ScriptFacts>, cx: &mut ProjectContext<'_>) {
        let insecure: Vec<&ScriptFacts> = facts
            .iter()
            .filter(|f| !f.insecure_lines.is_empty())
            .collect();
        if let Some(first) = insecure.first() {
            let folder = first.path.rsplit_once('/').map_or(".", |(d, _)| d);
            cx.report(
                Finding::in_path(
                    &CURL_INSECURE,
                    folder,
                    "this folder's scripts skip TLS verification",
                )
                .with_content(folder.to_string()),
            );
            cx.report(
                Finding::in_repository(
                    &CURL_INSECURE,
                    format!("{} script(s) skip TLS verification", insecure.len()),
                )
                .with_content("scripts skip TLS verification")
                .with_confidence(Confidence::Medium),
            );
            cx.report(
                Finding::in_commit(
                    &CURL_INSECURE,
                    "0123456789abcdef0123456789abcdef01234567",
                    Location {
                        path: first.path.clone(),
                        span: Span::line(first.insecure_lines[0]),
                    },
                    "curl -k https://token:hunter2@api.example/",
                    "the insecure call was there in history too",
                )
                .with_secret(Span {
                    start_line: first.insecure_lines[0],
                    start_column: 23,
                    end_line: first.insecure_lines[0],
                    end_column: 30,
                }),
            );
        }
        for url in facts.iter().flat_map(|f| &f.urls) {
            cx.report(Finding::at_target(
                &CURL_INSECURE,
                url.clone(),
                "a script calls this target without verifying its certificate",
            ));
        }
    }
}

impl ExampleAnalyzer {
    /// The sources phase of the example: one finding per live target, only with the
    /// capability an online run gives.
    fn ask_targets(cx: &mut SourcesContext<'_>) {
        let Some(_online) = cx.online() else {
            return;
        };
        for target in cx.targets().to_vec() {
            cx.report(Finding::at_target(
                &TARGET_UNCHECKED,
                target,
                "would be asked over the network",
            ));
        }
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn scan(root: &Path, config: &Config) -> palisade_core::Report {
    let analyzer = ExampleAnalyzer;
    let rules = RuleSet::all(&engine::registry(&[&analyzer]));
    let options = ScanOptions::new(vec![root.to_path_buf()], config, &rules);
    engine::scan(&[&analyzer], &options).unwrap()
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ops/deploy.sh",
        "#!/bin/sh\nset -e\ncurl -k https://api.example/health\n",
    );
    dir
}

#[test]
fn every_kind_of_place_reaches_the_report_with_its_own_fingerprint() {
    let dir = tree();
    // Read but declined by the selector's content sniff: not counted as analysed.
    write(dir.path(), "ops/hello.sh", "echo hi\n");
    let report = scan(dir.path(), &Config::default());
    assert_eq!(report.stats.files_analyzed, 1);
    assert_eq!(report.stats.files_skipped, 0);
    let kinds: Vec<(&str, String)> = report
        .findings
        .iter()
        .map(|f| (f.location.kind(), f.location.display()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("file", "ops/deploy.sh:3".to_string()),
            ("path", "ops".to_string()),
            ("commit", "commit 0123456789ab ops/deploy.sh:3".to_string()),
            ("target", "https://api.example/health".to_string()),
            ("repository", "repository".to_string()),
        ]
    );
    // The commit's secret is masked in its snippet, never printed in full.
    let commit = &report.findings[2];
    assert!(!commit.snippet.contains("hunter2"), "{}", commit.snippet);
    assert!(commit.snippet.contains("hu…"), "{}", commit.snippet);
    // Every fingerprint differs, and none depends on a message that carries a count.
    let mut prints: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), 5);

    // Adding a second script changes the repository finding's message, not its fingerprint.
    write(
        dir.path(),
        "ops/other.sh",
        "curl --insecure https://b.example\n",
    );
    let again = scan(dir.path(), &Config::default());
    let repo = |r: &palisade_core::Report| {
        r.findings
            .iter()
            .find(|f| f.location.kind() == "repository")
            .map(|f| (f.message.clone(), f.fingerprint.clone()))
            .unwrap()
    };
    assert_ne!(repo(&report).0, repo(&again).0);
    assert_eq!(repo(&report).1, repo(&again).1);
}

#[test]
fn every_kind_of_place_renders_in_text_json_sarif_and_baseline() {
    let dir = tree();
    let report = scan(dir.path(), &Config::default());

    let text = palisade_report::text::render(&report, Default::default());
    for heading in [
        "ops/deploy.sh",
        "ops (whole file or folder)",
        "ops/deploy.sh in commit 0123456789ab",
        "live target https://api.example/health",
        "the repository as a whole",
    ] {
        assert!(text.contains(heading), "{heading} missing from:\n{text}");
    }

    let markdown = palisade_report::markdown::render(&report, Default::default());
    for cell in [
        "| ops/deploy.sh:3 |",
        "| ops (whole file or folder) |",
        " in commit 0123456789ab |",
        "| live target https://api.example/health |",
        "| the repository as a whole |",
    ] {
        assert!(markdown.contains(cell), "{cell} missing from:\n{markdown}");
    }

    let json: Value = serde_json::from_str(&palisade_report::json::render(&report)).unwrap();
    let locations: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["location"])
        .collect();
    assert_eq!(locations[0]["kind"], "file");
    assert_eq!(locations[0]["start_line"], 3);
    assert_eq!(
        locations[1],
        &serde_json::json!({"kind": "path", "path": "ops"})
    );
    assert_eq!(
        locations[2]["commit"],
        "0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(locations[2]["path"], "ops/deploy.sh");
    assert_eq!(
        locations[3],
        &serde_json::json!({"kind": "target", "target": "https://api.example/health"})
    );
    assert_eq!(locations[4], &serde_json::json!({"kind": "repository"}));

    let sarif: Value = serde_json::from_str(&palisade_report::sarif::render(&report)).unwrap();
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../palisade-report/tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // GitHub code scanning needs a repository path and a start line on every result.
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let physical = &result["locations"][0]["physicalLocation"];
        assert!(
            !physical["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert!(
            !physical["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .contains("://")
        );
        assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let target = &sarif["runs"][0]["results"][3]["locations"][0];
    assert_eq!(
        target["physicalLocation"]["artifactLocation"]["uri"],
        "live/api.example/health"
    );
    assert_eq!(
        target["logicalLocations"][0]["fullyQualifiedName"],
        "https://api.example/health"
    );

    let baseline = palisade_core::baseline::Baseline::from_findings(&report.findings);
    let json = baseline.to_json();
    assert!(json.contains("\"kind\": \"repository\""), "{json}");
    assert!(json.contains("\"kind\": \"target\""), "{json}");
}

#[test]
fn central_ignores_reach_places_without_a_comment_line() {
    let dir = tree();
    write(
        dir.path(),
        "palisade.toml",
        "[[ignore]]\nrule = \"example/curl-insecure\"\ntarget = \"https://api.example/health/\"\nreason = \"staging endpoint with a private CA\"\n",
    );
    let registry = engine::registry(&[&ExampleAnalyzer]);
    let config = Config::load(&dir.path().join("palisade.toml"), &registry, &[]).unwrap();
    let report = scan(dir.path(), &config);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.location.kind() != "target")
    );
    assert_eq!(report.stats.suppressed, 1);
}

#[test]
fn collect_mode_returns_the_typed_facts_of_every_file() {
    let dir = tree();
    write(dir.path(), "ops/other.sh", "curl https://b.example\n");
    // Not calling curl at all: the selector's sniff leaves it out.
    write(dir.path(), "ops/hello.sh", "echo hi\n");
    let config = Config::default();
    let rules = RuleSet::all(&engine::registry(&[&ExampleAnalyzer]));
    let options = ScanOptions::new(vec![dir.path().to_path_buf()], &config, &rules);
    let collected = engine::collect(&ExampleAnalyzer, &options).unwrap();
    let mut paths: Vec<(&str, usize)> = collected
        .facts
        .iter()
        .map(|f| (f.path.as_str(), f.insecure_lines.len()))
        .collect();
    paths.sort();
    assert_eq!(paths, [("ops/deploy.sh", 1), ("ops/other.sh", 0)]);
}

#[test]
fn rules_that_need_the_network_run_only_online() {
    let dir = tree();
    let config = Config::default();
    let rules = RuleSet::all(&engine::registry(&[&ExampleAnalyzer]));
    let targets = vec!["https://shop.example".to_string()];
    let run = |network| {
        let options = ScanOptions {
            network,
            targets: &targets,
            ..ScanOptions::new(vec![dir.path().to_path_buf()], &config, &rules)
        };
        engine::scan(&[&ExampleAnalyzer], &options).unwrap()
    };
    let offline = run(NetworkAccess::Offline);
    assert!(
        offline
            .findings
            .iter()
            .all(|f| f.rule_id != TARGET_UNCHECKED.id)
    );
    assert!(
        offline
            .diagnostics
            .iter()
            .any(|d| d.message.contains("example/target-unchecked")
                && d.message.contains("--online")),
        "{:?}",
        offline.diagnostics
    );
    let online = run(NetworkAccess::Online);
    assert_eq!(
        online
            .findings
            .iter()
            .filter(|f| f.rule_id == TARGET_UNCHECKED.id)
            .count(),
        1
    );
    assert!(
        online
            .diagnostics
            .iter()
            .all(|d| !d.message.contains("--online"))
    );
}
