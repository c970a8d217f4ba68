//! No output format prints a found secret in full: every secret the secrets analyzer finds
//! in its fixture corpus is looked for in the text, JSON and SARIF reports and the baseline
//! of a scan of that corpus (issue #12). `--show-secrets` is the only way to see them, and
//! the same check proves it is not vacuous.

use palisade::analyzers;
use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, ScanOptions};
use palisade_secrets::matcher::{FileKind, Matcher};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../palisade-secrets/fixtures")
}

/// Every secret the table finds in the corpus (at least 8 characters: shorter ones could
/// appear by chance in unrelated text).
fn secrets_in_corpus() -> Vec<String> {
    let matcher = Matcher::new();
    let mut secrets = Vec::new();
    for entry in std::fs::read_dir(corpus()).unwrap().flatten() {
        let path = entry.path();
        // Folder fixtures (a project's layout) hold the same secrets as the files.
        if path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for hit in matcher.find(&text, FileKind::of(&name), &|_| true) {
            let secret = &text[hit.secret.clone()];
            if secret.len() >= 8 {
                secrets.push(secret.to_string());
            }
        }
    }
    assert!(secrets.len() > 150, "{} secrets", secrets.len());
    secrets
}

/// Every rendering of a scan of the corpus, one string per format.
fn outputs(show_secrets: bool) -> Vec<(&'static str, String)> {
    let config = Config::default();
    let analyzers = analyzers();
    let rules = RuleSet::all(&engine::registry(&analyzers));
    let options = ScanOptions {
        show_secrets,
        ..ScanOptions::new(vec![corpus()], &config, &rules)
    };
    let report = engine::scan(&analyzers, &options).unwrap();
    assert!(report.findings.len() > 150, "{}", report.findings.len());
    vec![
        (
            "text",
            palisade_report::text::render(&report, Default::default()),
        ),
        ("json", palisade_report::json::render(&report)),
        ("sarif", palisade_report::sarif::render(&report)),
        (
            "baseline",
            palisade_core::baseline::Baseline::from_findings(&report.findings).to_json(),
        ),
    ]
}

/// The secret as an output may spell it: as is, or JSON-escaped (`\n` in a key block,
/// `\"`).
fn leaks(output: &str, secret: &str) -> bool {
    let escaped = serde_json::to_string(secret).unwrap();
    let escaped = &escaped[1..escaped.len() - 1];
    // A key block is reported line by line: any of its lines in full is a leak.
    let pieces: Vec<&str> = if secret.contains('\n') {
        secret.lines().filter(|l| l.trim().len() >= 16).collect()
    } else {
        vec![secret]
    };
    output.contains(escaped) || pieces.iter().any(|p| output.contains(p.trim()))
}

#[test]
fn no_output_format_contains_a_full_secret() {
    let secrets = secrets_in_corpus();
    for (format, output) in outputs(false) {
        let leaked: Vec<&String> = secrets.iter().filter(|s| leaks(&output, s)).collect();
        assert!(leaked.is_empty(), "{format} leaks {} secrets", leaked.len());
        assert!(output.contains('…') || format == "baseline", "{format}");
    }
}

#[test]
fn show_secrets_shows_them_in_snippets_and_never_in_fingerprints() {
    let secrets = secrets_in_corpus();
    let shown = outputs(true);
    let json = &shown.iter().find(|(f, _)| *f == "json").unwrap().1;
    let visible = secrets.iter().filter(|s| leaks(json, s)).count();
    assert!(
        visible > secrets.len() / 2,
        "{visible} of {}",
        secrets.len()
    );
    let baseline = &shown.iter().find(|(f, _)| *f == "baseline").unwrap().1;
    assert!(secrets.iter().all(|s| !leaks(baseline, s)));
    // The same fingerprints either way: showing secrets changes no baseline.
    let hidden = outputs(false);
    assert_eq!(
        baseline,
        &hidden.iter().find(|(f, _)| *f == "baseline").unwrap().1
    );
}
