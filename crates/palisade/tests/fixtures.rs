//! Runs every analyzer crate's fixtures through the real engine and checks every registered
//! rule: unique kebab-case id, complete documentation, a rule file of its own, and at least
//! one positive and one negative fixture.

use palisade_core::engine;
use palisade_core::rule::is_valid_rule_id;
use palisade_fixtures::{FixtureResults, assert_holds, check_fixture_dir};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use palisade::analyzers;

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `palisade-python` → `python`; palisade-core holds the `palisade` domain. This is the
/// domain of the rule files directly in `src/rules/`.
fn domain_of(crate_dir: &Path) -> String {
    let name = crate_dir.file_name().unwrap().to_string_lossy().to_string();
    match name.as_str() {
        "palisade-core" => "palisade".to_string(),
        other => other.trim_start_matches("palisade-").to_string(),
    }
}

/// The rule files of a crate by domain: `src/rules/<slug>.rs` belongs to the crate's own
/// domain, `src/rules/<domain>/<slug>.rs` to that domain (a crate may hold several, as the
/// mobile crate holds `android` and `ios`). Values are slugs.
fn rule_files(crate_dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let rules_dir = crate_dir.join("src/rules");
    let Ok(entries) = std::fs::read_dir(&rules_dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            let slugs = std::fs::read_dir(&path)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| slug_of(&e.file_name().to_string_lossy()));
            out.entry(name).or_default().extend(slugs);
        } else if let Some(slug) = slug_of(&name) {
            out.entry(domain_of(crate_dir)).or_default().insert(slug);
        }
    }
    out
}

fn slug_of(file_name: &str) -> Option<String> {
    let stem = file_name.strip_suffix(".rs")?;
    (stem != "mod").then(|| stem.replace('_', "-"))
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
        let mut domains: Vec<String> = rule_files(&dir).into_keys().collect();
        if domains.is_empty() {
            domains.push(domain_of(&dir));
        }
        let domains: Vec<&str> = domains.iter().map(String::as_str).collect();
        let r = check_fixture_dir(&fixtures, &domains, &analyzers);
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
    assert_holds(&all_fixture_results());
}

/// Rules that read the scanned files offline (to say what they did not check) but report
/// only with `--online`, and where their flagged cases and near-misses are tested instead.
const ONLINE_ONLY: &[&str] = &[
    // crates/palisade-deps/tests/outdated_online.rs: registry documents on loopback.
    "deps/outdated-dependency",
];

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
        if rule.options.len() > 1 {
            problems.push(format!(
                "{}: `options` names more than one options type",
                rule.id
            ));
        }
        let doc = rule.doc();
        if doc.summary.is_empty() {
            problems.push(format!("{}: documentation has no summary line", rule.id));
        }
        for section in doc.missing_sections() {
            problems.push(format!("{}: documentation lacks `## {section}`", rule.id));
        }
        // Live rules (`needs_network`: probe/, mysql-server/) have no files to annotate: they
        // are tested against real servers on 127.0.0.1 in crates/palisade-live/tests. Rules
        // that read files but find only with --online are tested against registries served
        // on 127.0.0.1 (ONLINE_ONLY).
        let online_only = rule.needs_network || ONLINE_ONLY.contains(&rule.id);
        if !online_only && !results.positive.contains(rule.id) {
            problems.push(format!("{}: no passing `ruleid:` fixture", rule.id));
        }
        if !online_only && !results.negative.contains(rule.id) {
            problems.push(format!("{}: no passing `ok:` fixture", rule.id));
        }
    }
    // An old id of a renamed rule is never reused, and leads to a registered rule.
    for (old, new) in palisade_core::rule::RENAMED_RULES {
        if ids.contains(old) {
            problems.push(format!("{old}: renamed to {new}, but registered again"));
        }
        if !ids.contains(new) {
            problems.push(format!("{old}: renamed to {new}, which is not registered"));
        }
    }
    // Every rule file is registered, and every registered rule has its own file.
    for dir in crate_dirs() {
        for (domain, files) in rule_files(&dir) {
            for slug in &files {
                let id = format!("{domain}/{slug}");
                if !ids.contains(id.as_str()) {
                    problems.push(format!(
                        "{}: rule file {slug} of domain {domain} is not registered",
                        dir.display()
                    ));
                }
            }
            for rule in registry.iter().filter(|r| r.domain() == domain) {
                if !files.contains(rule.slug()) {
                    problems.push(format!(
                        "{}: no rule file for it in {}/src/rules",
                        rule.id,
                        dir.display()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
