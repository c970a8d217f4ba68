//! Reading files for the commands that need sources without running a scan (`who-can`,
//! `rbac`, `endpoints`), and finding the configuration every command shares.

use crate::Failure;
use crate::commands::{is_stdin, registry, settings_sections};
use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, Analyzer, ScanOptions, Stdin};
use std::path::{Path, PathBuf};

/// The configuration: `--config FILE`, else `palisade.toml` in the first path (not `-`) or
/// one of its parents, else the defaults.
pub fn load_config(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Config, Failure> {
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => {
            let first = paths.iter().find(|p| !is_stdin(p));
            Config::discover(first.map_or(Path::new("."), |p| p.as_path()))
        }
    };
    match path {
        Some(path) => {
            let config = Config::load(&path, &registry(), &settings_sections())
                .map_err(|e| Failure::usage(e.to_string()))?;
            for notice in &config.notices {
                eprintln!("palisade: {notice}");
            }
            Ok(config)
        }
        None => Ok(Config::default()),
    }
}

/// What `analyzer` keeps of every file under `paths` (and of `stdin`, a file that is not on
/// disk), through the engine's collect mode: the same walk, reading and Kustomize renderings
/// as `palisade scan`, so that a side command sees what a scan sees. Files that could not be
/// read or parsed are named on stderr; the rest still count.
pub fn collect_facts<A: Analyzer>(
    analyzer: &A,
    paths: &[PathBuf],
    config: &Config,
    stdin: Option<Stdin>,
) -> Result<Vec<A::Facts>, Failure> {
    let collected = collect(analyzer, paths, config, stdin)?;
    for d in &collected.diagnostics {
        let place = match (&d.path, d.line) {
            (Some(path), Some(line)) => format!("{path}:{line}: "),
            (Some(path), None) => format!("{path}: "),
            (None, _) => String::new(),
        };
        eprintln!("palisade: {place}{}", d.message);
    }
    Ok(collected.facts)
}

/// [`collect_facts`] without naming the unreadable files on stderr (a scan that already
/// reported them as notices).
pub fn collect_facts_quietly<A: Analyzer>(
    analyzer: &A,
    paths: &[PathBuf],
    config: &Config,
) -> Result<Vec<A::Facts>, Failure> {
    Ok(collect(analyzer, paths, config, None)?.facts)
}

fn collect<A: Analyzer>(
    analyzer: &A,
    paths: &[PathBuf],
    config: &Config,
    stdin: Option<Stdin>,
) -> Result<engine::Collected<A::Facts>, Failure> {
    let rules = RuleSet::all(analyzer.rules()).with_analyzer_settings_of(config);
    let roots = paths.iter().filter(|p| !is_stdin(p)).cloned().collect();
    let options = ScanOptions {
        stdin,
        ..ScanOptions::new(roots, config, &rules)
    };
    engine::collect(analyzer, &options).map_err(|e| Failure::usage(e.to_string()))
}
