//! `palisade db update`: downloads OSV's per-ecosystem advisory exports into the cache that
//! scans read when no `--advisory-db` is given. Running it is the user's request for network
//! access; it contacts only the download address (the `--url` flag, `download-url` in
//! palisade.toml, else OSV's public bucket).

use crate::cli::{DbCommand, DbUpdateArgs};
use crate::{Failure, exit, sources};
use palisade_core::engine::Online;
use palisade_deps::cache;
use std::path::{Path, PathBuf};

pub fn run(command: DbCommand) -> Result<u8, Failure> {
    match command {
        DbCommand::Update(args) => update(args),
    }
}

fn update(args: DbUpdateArgs) -> Result<u8, Failure> {
    let config = sources::load_config(args.config.as_deref(), &[PathBuf::from(".")])?;
    let settings = palisade_deps::settings_of(&config);
    let ecosystems = cache::parse_ecosystems(&args.ecosystems)
        .map_err(|e| Failure::usage(format!("--ecosystem: {e}")))?;
    let url = args
        .url
        .or_else(|| settings.download_url.clone())
        .unwrap_or_else(|| cache::DEFAULT_DOWNLOAD_URL.to_string());
    palisade_deps::net::Url::parse(&url).map_err(|e| Failure::usage(format!("--url: {e}")))?;
    let base = config
        .source
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let dir = match args.cache_dir {
        Some(dir) => std::path::absolute(&dir).unwrap_or(dir),
        None => settings.cache_dir(&base).ok_or_else(|| {
            Failure::usage(
                "no cache folder: neither XDG_CACHE_HOME nor HOME is set (pass --cache-dir)",
            )
        })?,
    };
    let client = settings.client();
    let online = Online::for_download_command();
    let mut failed = 0;
    for ecosystem in ecosystems {
        let name = ecosystem.osv_name();
        eprintln!("palisade: downloading the OSV {name} export from {url} …");
        match cache::update(online, &client, &url, &dir, ecosystem) {
            Ok(meta) => println!(
                "{name}: {} records, {:.1} MB, downloaded {} from {} into {}",
                meta.records,
                meta.bytes as f64 / 1_000_000.0,
                meta.downloaded_at,
                meta.url,
                cache::export_dir(&dir, ecosystem).join("all.zip").display()
            ),
            Err(e) => {
                failed += 1;
                eprintln!("palisade: {name}: {e} (the export cached before, if any, is kept)");
            }
        }
    }
    Ok(if failed == 0 {
        exit::CLEAN
    } else {
        exit::USAGE
    })
}
