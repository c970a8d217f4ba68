//! Reading files for the commands that need sources without running a scan (`who-can`,
//! `rbac`, `endpoints`), and finding the configuration every command shares.

use crate::Failure;
use crate::commands::{is_stdin, registry};
use palisade_core::config::Config;
use palisade_core::discover::{self, WalkSettings};
use palisade_core::engine;
use palisade_core::{FileKind, SourceFile};
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
        Some(path) => Config::load(&path, &registry()).map_err(|e| Failure::usage(e.to_string())),
        None => Ok(Config::default()),
    }
}

/// Every file of the given kinds under `paths` (`-` is left to the caller), walked like a
/// scan walks them. Files that cannot be read are named on stderr; the rest still count.
pub fn read_files(
    paths: &[PathBuf],
    config: &Config,
    kinds: &[FileKind],
) -> Result<Vec<SourceFile>, Failure> {
    let settings = WalkSettings {
        prune_dirs: config.prune_dirs(),
        exclude: config.scan.exclude.clone(),
    };
    let roots: Vec<&PathBuf> = paths.iter().filter(|p| !is_stdin(p)).collect();
    let several = roots.len() > 1;
    let mut files = Vec::new();
    for root in roots {
        if !root.exists() {
            return Err(Failure::usage(format!(
                "{}: no such file or folder",
                root.display()
            )));
        }
        let prefix = if several {
            root.to_string_lossy().trim_end_matches('/').to_string()
        } else {
            String::new()
        };
        let (found, notices) = discover::walk(root, &prefix, &settings);
        for notice in notices {
            eprintln!(
                "palisade: {}: {}",
                notice.path.unwrap_or_default(),
                notice.message
            );
        }
        for file in found {
            if !kinds.contains(&file.kind) || file.size > config.max_file_size() {
                continue;
            }
            let text = std::fs::read(&file.abs_path)
                .map_err(|e| e.to_string())
                .and_then(|bytes| engine::decode(&bytes).map_err(|(_, m)| m));
            match text {
                Ok(text) => files.push(SourceFile::new(file.path, file.abs_path, file.kind, text)),
                Err(e) => eprintln!("palisade: {}: {e}", file.path),
            }
        }
    }
    Ok(files)
}
