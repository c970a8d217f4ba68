//! The advisory cache: `palisade db update` downloads OSV's per-ecosystem `all.zip` exports
//! into the user's cache folder (`$XDG_CACHE_HOME/palisade/osv/<ecosystem>/all.zip`, else
//! `~/.cache/palisade/osv/…`), each beside a `meta.json` saying from where and when. A
//! download is written to a temporary file in the same folder, checked to be a readable zip
//! of OSV records, then renamed over the old export: a scan never sees half an export.
//! Scans without `--advisory-db` read the cache, and say how old it is.

use crate::inventory::Ecosystem;
use crate::net::Client;
use palisade_core::date::Date;
use palisade_core::engine::Online;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where OSV publishes its exports: `<base>/<ecosystem>/all.zip`.
pub const DEFAULT_DOWNLOAD_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// A cached export older than this is reported as stale.
pub const STALE_AFTER_DAYS: i64 = 7;

/// No export is anywhere near this large (npm's is a few hundred MB).
const MAX_EXPORT_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// Every ecosystem palisade reads lockfiles of.
pub const ECOSYSTEMS: [Ecosystem; 4] = [
    Ecosystem::PyPI,
    Ecosystem::Npm,
    Ecosystem::Maven,
    Ecosystem::CratesIo,
];

/// What `meta.json` records about one export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportMeta {
    pub ecosystem: String,
    pub url: String,
    /// When the download finished, UTC (`2026-12-02T17:40:05Z`).
    pub downloaded_at: String,
    pub downloaded_unix: u64,
    pub bytes: u64,
    /// JSON entries in the archive.
    pub records: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

impl ExportMeta {
    /// The download's date (UTC).
    pub fn date(&self) -> Date {
        Date::from_days_since_epoch((self.downloaded_unix / 86_400) as i64)
    }
}

/// The user's cache folder for palisade (the scan's result cache lives there too).
pub use palisade_core::cache::default_cache_dir;

/// The folder of one ecosystem's export in a cache.
pub fn export_dir(cache: &Path, ecosystem: Ecosystem) -> PathBuf {
    cache.join("osv").join(ecosystem.osv_name())
}

/// An export found in the cache.
#[derive(Clone, Debug)]
pub struct CachedExport {
    pub ecosystem: Ecosystem,
    pub zip: PathBuf,
    /// `None` when `meta.json` is missing or unreadable (the export is still used).
    pub meta: Option<ExportMeta>,
}

/// The exports the cache holds for these ecosystems.
pub fn cached_exports(cache: &Path, ecosystems: &[Ecosystem]) -> Vec<CachedExport> {
    ecosystems
        .iter()
        .filter_map(|&ecosystem| {
            let dir = export_dir(cache, ecosystem);
            let zip = dir.join("all.zip");
            if !zip.is_file() {
                return None;
            }
            let meta = std::fs::read(dir.join("meta.json"))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok());
            Some(CachedExport {
                ecosystem,
                zip,
                meta,
            })
        })
        .collect()
}

/// The ecosystems named by `--ecosystem` (OSV's spelling, any case).
pub fn parse_ecosystems(list: &[String]) -> Result<Vec<Ecosystem>, String> {
    let mut out = Vec::new();
    for name in list.iter().flat_map(|l| l.split(',')) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let eco = ECOSYSTEMS
            .iter()
            .copied()
            .find(|e| e.osv_name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!(
                    "unknown ecosystem `{name}` (palisade reads: {})",
                    ECOSYSTEMS.map(|e| e.osv_name()).join(", ")
                )
            })?;
        if !out.contains(&eco) {
            out.push(eco);
        }
    }
    Ok(if out.is_empty() {
        ECOSYSTEMS.to_vec()
    } else {
        out
    })
}

/// Downloads one ecosystem's export from `base` into `cache`, replacing the old one only
/// when the new one is complete and readable.
pub fn update(
    online: Online,
    client: &Client,
    base: &str,
    cache: &Path,
    ecosystem: Ecosystem,
) -> Result<ExportMeta, String> {
    let url = format!(
        "{}/{}/all.zip",
        base.trim_end_matches('/'),
        ecosystem.osv_name()
    );
    let dir = export_dir(cache, ecosystem);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let partial = dir.join(format!(".all.zip.{}.partial", std::process::id()));
    let outcome = download(online, client, &url, &partial);
    let (bytes, last_modified, etag) = match outcome {
        Ok(got) => got,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    let records = match count_records(&partial) {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(format!("{url}: {e}"));
        }
    };
    let zip = dir.join("all.zip");
    std::fs::rename(&partial, &zip).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        format!("{}: {e}", zip.display())
    })?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let meta = ExportMeta {
        ecosystem: ecosystem.osv_name().to_string(),
        url,
        downloaded_at: timestamp(now),
        downloaded_unix: now,
        bytes,
        records,
        last_modified,
        etag,
    };
    let text = serde_json::to_string_pretty(&meta).unwrap_or_default() + "\n";
    let meta_partial = dir.join(format!(".meta.json.{}.partial", std::process::id()));
    std::fs::write(&meta_partial, text)
        .and_then(|_| std::fs::rename(&meta_partial, dir.join("meta.json")))
        .map_err(|e| format!("{}: {e}", dir.join("meta.json").display()))?;
    Ok(meta)
}

type Downloaded = (u64, Option<String>, Option<String>);

/// The body of a GET written to `path`, tried again from the start when it breaks off.
fn download(online: Online, client: &Client, url: &str, path: &Path) -> Result<Downloaded, String> {
    let mut attempt = 0;
    loop {
        match download_once(online, client, url, path) {
            Ok(got) => return Ok(got),
            Err((e, final_answer)) if final_answer || attempt >= client.retries => return Err(e),
            Err(_) => {
                std::thread::sleep(client.backoff * 2u32.saturating_pow(attempt));
                attempt += 1;
            }
        }
    }
}

/// One download; the error says whether trying again could help.
fn download_once(
    online: Online,
    client: &Client,
    url: &str,
    path: &Path,
) -> Result<Downloaded, (String, bool)> {
    let response = client.get(online, url).map_err(|e| (e, true))?;
    if response.status != 200 {
        return Err((
            format!("{url}: the server answered HTTP {}", response.status),
            true,
        ));
    }
    let expected: Option<u64> = response
        .header("content-length")
        .and_then(|v| v.trim().parse().ok());
    let last_modified = response.header("last-modified").map(str::to_string);
    let etag = response.header("etag").map(str::to_string);
    let mut file =
        std::fs::File::create(path).map_err(|e| (format!("{}: {e}", path.display()), true))?;
    let bytes = response
        .copy_body(&mut file, MAX_EXPORT_BYTES)
        .map_err(|e| (format!("{url}: {e}"), false))?;
    if let Some(expected) = expected
        && expected != bytes
    {
        return Err((
            format!("{url}: the download broke off after {bytes} of {expected} bytes"),
            false,
        ));
    }
    file.flush()
        .and_then(|_| file.sync_all())
        .map_err(|e| (format!("{}: {e}", path.display()), true))?;
    Ok((bytes, last_modified, etag))
}

/// The JSON entries of a downloaded archive; an archive that is not a zip, or holds no
/// JSON at all, is refused (an error page saved as `all.zip` must not replace an export).
fn count_records(path: &Path) -> Result<usize, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| format!("not a readable zip archive: {e}"))?;
    let mut records = 0;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i)
            && entry.is_file()
            && entry.name().is_ok_and(|n| n.ends_with(".json"))
        {
            records += 1;
        }
    }
    if records == 0 {
        return Err("the archive holds no OSV JSON record".to_string());
    }
    Ok(records)
}

/// `2026-12-02T17:40:05Z` for a Unix time.
pub fn timestamp(unix: u64) -> String {
    let date = Date::from_days_since_epoch((unix / 86_400) as i64);
    let secs = unix % 86_400;
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystem_lists() {
        assert_eq!(parse_ecosystems(&[]).unwrap(), ECOSYSTEMS.to_vec());
        assert_eq!(
            parse_ecosystems(&["pypi,npm".into(), "PyPI".into()]).unwrap(),
            vec![Ecosystem::PyPI, Ecosystem::Npm]
        );
        assert!(parse_ecosystems(&["Go".into()]).unwrap_err().contains("Go"));
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(1_764_697_205), "2025-12-02T17:40:05Z");
    }
}
