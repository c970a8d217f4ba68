//! `cargo test -p palisade-mobile` runs this crate's fixtures through the real engine, with
//! only this crate's analyzers (the workspace-wide run is `crates/palisade/tests/fixtures.rs`).

use palisade_fixtures::{assert_holds, check_fixture_dir};
use std::path::Path;

#[test]
fn every_fixture_annotation_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    assert_holds(&check_fixture_dir(
        &dir,
        &["android", "ios"],
        &[
            &palisade_mobile::AndroidAnalyzer,
            &palisade_mobile::IosAnalyzer,
        ],
    ));
}
