//! What the dependency analyzer's integration tests share: a scan of a folder with the deps
//! analyzer alone, under a palisade.toml written for the test, on a fixed date.

use palisade_core::Report;
use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, NetworkAccess, ScanOptions};
use palisade_deps::DepsAnalyzer;
use std::path::Path;

/// Writes `config_text` as the folder's palisade.toml and scans the folder as of `today`.
pub fn scan(root: &Path, config_text: &str, network: NetworkAccess, today: &str) -> Report {
    let analyzers: [&dyn engine::DynAnalyzer; 1] = [&DepsAnalyzer];
    let registry = engine::registry(&analyzers);
    let path = root.join("palisade.toml");
    std::fs::write(&path, config_text).unwrap();
    let config = Config::load(&path, &registry, &engine::settings_sections(&analyzers)).unwrap();
    let rules = RuleSet::resolve(&registry, &config, None);
    let mut options = ScanOptions::new(vec![root.to_path_buf()], &config, &rules);
    options.today = palisade_core::date::Date::parse(today);
    options.network = network;
    engine::scan(&analyzers, &options).unwrap()
}
