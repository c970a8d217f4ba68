//! Runs every analyzer crate's fixtures through the real engine and checks every registered
//! rule: unique kebab-case id, complete documentation, a rule file of its own, and at least
//! one positive and one negative fixture.

use palisade_core::engine;
use palisade_core::fixtures::{FixtureResults, check_fixture_dir};
use palisade_core::rule::is_valid_rule_id;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use palisade::analyzers;

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `palisade-python` → `python`; palisade-core holds the `palisade` domain.
fn domain_of(crate_dir: &Path) -> String {
    let name = crate_dir.file_name().unwrap().to_string_lossy().to_string();
    match name.as_str() {
        "palisade-core" => "palisade".to_string(),
        other => other.trim_start_matches("palisade-").to_string(),
    }
}

fn crate_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(crates_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn all_fixture_results() -> FixtureResults {
    let analyzers = analyzers();
    let mut total = FixtureResults::default();
    for dir in crate_dirs() {
        let fixtures = dir.join("fixtures");
        if !fixtures.is_dir() {
            continue;
        }
        let r = check_fixture_dir(&fixtures, &domain_of(&dir), &analyzers);
        total.files += r.files;
        total.failures.extend(r.failures.into_iter().map(|f| {
            format!(
                "{}/fixtures/{f}",
                dir.file_name().unwrap().to_string_lossy()
            )
        }));
        total.positive.extend(r.positive);
        total.negative.extend(r.negative);
        total.todos.extend(r.todos);
    }
    total
}

#[test]
fn every_fixture_annotation_holds() {
    let results = all_fixture_results();
    assert!(results.files > 0, "no fixtures found");
    for todo in &results.todos {
        eprintln!("known gap: {todo}");
    }
    assert!(
        results.failures.is_empty(),
        "{} fixture failure(s):\n{}",
        results.failures.len(),
        results.failures.join("\n")
    );
}

#[test]
fn every_rule_is_registered_documented_and_has_fixtures() {
    let registry = engine::registry(&analyzers());
    let results = all_fixture_results();
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    for rule in &registry {
        if !ids.insert(rule.id) {
            problems.push(format!("{}: id registered twice", rule.id));
        }
        if !is_valid_rule_id(rule.id) {
            problems.push(format!("{}: id is not <domain>/<kebab-case>", rule.id));
        }
        let doc = rule.doc();
        if doc.summary.is_empty() {
            problems.push(format!("{}: documentation has no summary line", rule.id));
        }
        for section in doc.missing_sections() {
            problems.push(format!("{}: documentation lacks `## {section}`", rule.id));
        }
        if !results.positive.contains(rule.id) {
            problems.push(format!("{}: no passing `ruleid:` fixture", rule.id));
        }
        if !results.negative.contains(rule.id) {
            problems.push(format!("{}: no passing `ok:` fixture", rule.id));
        }
    }
    // Every rule file is registered, and every registered rule has its own file.
    for dir in crate_dirs() {
        let domain = domain_of(&dir);
        let rules_dir = dir.join("src/rules");
        let Ok(entries) = std::fs::read_dir(&rules_dir) else {
            continue;
        };
        let files: BTreeSet<String> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                let stem = name.strip_suffix(".rs")?.to_string();
                (stem != "mod").then(|| stem.replace('_', "-"))
            })
            .collect();
        for slug in &files {
            let id = format!("{domain}/{slug}");
            if !ids.contains(id.as_str()) {
                problems.push(format!(
                    "{}: rule file is not registered",
                    rules_dir.join(slug.replace('-', "_") + ".rs").display()
                ));
            }
        }
        for rule in registry.iter().filter(|r| r.domain() == domain) {
            if !files.contains(rule.slug()) {
                problems.push(format!(
                    "{}: no file src/rules/{}.rs",
                    rule.id,
                    rule.slug().replace('-', "_")
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
