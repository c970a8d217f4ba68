//! Unit tests of the table: every pattern compiles, every example is found by its own
//! detector, ids are unique.

use crate::detectors::DETECTORS;
use crate::matcher::{FileKind, Matcher};

#[test]
fn the_table_compiles_and_is_big_enough() {
    let matcher = Matcher::new();
    assert!(matcher.is_complete());
    assert!(DETECTORS.len() >= 60, "{} detectors", DETECTORS.len());
    let mut slugs: Vec<&str> = DETECTORS.iter().map(|d| d.slug).collect();
    slugs.sort_unstable();
    let before = slugs.len();
    slugs.dedup();
    assert_eq!(before, slugs.len(), "duplicate slug");
}

#[test]
fn every_detector_finds_its_own_example() {
    let matcher = Matcher::new();
    let mut missing = Vec::new();
    for d in DETECTORS.iter() {
        let (path, text) = match d.files {
            crate::table::Files::DotEnv => (".env", d.example.to_string()),
            crate::table::Files::Config => ("app.yaml", d.example.to_string()),
            _ if d.slug == "kubernetes-secret-data" => ("secret.yaml", d.example.to_string()),
            _ => ("app.txt", d.example.to_string()),
        };
        let hits = matcher.find(&text, FileKind::of(path), &|x| std::ptr::eq(x, *d));
        if hits.is_empty() {
            missing.push(d.slug);
        }
    }
    assert!(missing.is_empty(), "examples not found: {missing:?}");
}
