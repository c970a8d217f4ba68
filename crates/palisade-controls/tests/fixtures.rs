//! `cargo test -p palisade-controls` runs this crate's fixtures through the real engine, with
//! only this crate's analyzer (the workspace-wide run is `crates/palisade/tests/fixtures.rs`).

use palisade_fixtures::{assert_holds, check_fixture_dir};
use std::path::Path;

#[test]
fn every_fixture_annotation_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    assert_holds(&check_fixture_dir(
        &dir,
        &["ci", "controls"],
        &[
            &palisade_controls::CiAnalyzer,
            &palisade_controls::ControlsAnalyzer,
        ],
    ));
}

/// A workflow named directly on the command line is read as a workflow: it is selected by
/// the path it was given as, though reported under its file name.
#[test]
fn a_workflow_given_directly_is_analysed() {
    use palisade_core::Analyzer;
    use palisade_core::config::{Config, RuleSet};
    use palisade_core::engine::{self, ScanOptions};
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/permissions/.github/workflows/release.yml");
    let config = Config::default();
    let rules = RuleSet::all(palisade_controls::CiAnalyzer.rules());
    let options = ScanOptions::new(vec![file], &config, &rules);
    let report = engine::scan(&[&palisade_controls::CiAnalyzer], &options).unwrap();
    let ids: Vec<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(
        ids,
        ["ci/github-token-write-all"],
        "{:?}",
        report.diagnostics
    );
}
