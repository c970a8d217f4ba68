//! The result cache: what an analyzer found in one file, kept on disk so that a re-scan of an
//! unchanged file answers without parsing it again (as ruff's cache does).
//!
//! An entry holds one analyzer's output for one file: its findings, its notices and the
//! facts its project pass needs. Its key is a SHA-256 of everything that output depends on:
//!
//! - the file's path, role, comment syntax and content;
//! - the analyzer (its name and the version of its [`FactsCodec`]);
//! - palisade's build (its version, and the size and time of the executable, so a rebuilt
//!   development binary never reads its predecessor's entries);
//! - the rules of the analyzer that run, with their `ignore-paths` and options, and the
//!   analyzer's `[analyzers.<name>]` settings;
//! - whether the run is online.
//!
//! Project-level rules are not cached: they run again over the per-file facts, cached or not.
//! Only analyzers that opt in ([`crate::Analyzer::cache`]) are cached; their file checks are
//! then not told the scan's other files ([`crate::FileContext::scanned_paths`] is `None`), so
//! that an entry depends on its key alone.
//!
//! Entries live under `<dir>/results/<build>/<2 hex>/<62 hex>.json`, where `<build>` is a
//! digest of the entry format and the build. Each is written to a temporary file in its
//! folder and renamed into place, so two scans sharing a cache never see half an entry; the
//! last writer of a key wins, and both wrote the same thing. An entry that cannot be read or
//! decoded, or whose recorded key or build differs, is a miss, never an error.
//!
//! ## Pruning
//!
//! At the end of a scan ([`ResultCache::prune`]) the folders of other builds not used for a
//! day are removed (each scan marks its build's folder in use when it starts and ends), and,
//! at most once a day, this build's entries not read or written for
//! `scan.cache-max-age-days` (30 by default; an entry's time is refreshed when a scan reads
//! it, at most once a day) and temporary files a dead scan left. Removing never races a
//! writer into a wrong answer: a writer renames a complete file into place, and an entry
//! removed meanwhile is only a miss for the next scan.
//!
//! ## The size cap
//!
//! Age alone lets a busy cache (a CI runner scanning a monorepo on every push) grow without
//! bound between two daily prunes, so the whole cache is also kept under
//! `scan.cache-max-size-mb` (1024 MiB by default; `0`: no cap). Other builds' folders count
//! first: when the cache exceeds the cap, those not used within the hour are removed, the
//! least recently used first, until the cache takes at most 80% of the cap (a folder used
//! within the hour may be another palisade scanning now; it counts, and waits for the
//! age rule). Then this build's entries are kept under what the other folders leave of the
//! cap: when they exceed it, the least recently used (oldest time first; reading refreshes
//! the time at most once a day, so recency is told to the day) are removed until they take
//! at most 80% of it (the low-water mark), so that the next scans do not each remove a few
//! entries again. The size is the entries' length in bytes (the disk gives each file whole
//! blocks, a little more); another build's is what its ledger says. Temporary files are
//! neither counted nor removed by the cap: only those older than an hour, as above.
//!
//! Measuring the size means walking every entry, which a scan of an unchanged tree should
//! not pay for. So the walk is not done on every scan: the build's folder holds a ledger,
//! `size`, whose first line is the size the last walk measured, followed by one line per
//! scan since with the bytes of the entries it wrote (appended at its end, in one small
//! write). A scan walks the entries only when the ledger's sum is over the cap (or the
//! ledger cannot be read), or for the daily age prune, which measures the size too (a walk
//! for the cap removes what the daily one would as well); each walk rewrites the ledger
//! with what it measured. A warm scan that wrote nothing therefore
//! reads one small file; a scan that writes walks only when the cache may be full, and
//! after a removal down to the low-water mark the next walk waits until a fifth of the cap
//! was written again. The sum can overstate the size (an entry rewritten counts twice;
//! another scan removed entries), which only costs a walk that finds less to do. It can
//! understate it when a scan dies before appending, or appends while another scan
//! walks (its line is lost with the rewritten ledger); the daily walk measures afresh, so
//! the cache is then over the cap for at most a day, by what such scans wrote.

use crate::config::RuleSet;
use crate::engine::NetworkAccess;
use crate::finding::Finding;
use crate::report::Diagnostic;
use crate::rule::RuleMeta;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

/// Bumped when the entry format or the key recipe changes.
const FORMAT: u32 = 2;

/// A used entry's time is refreshed when it is older than this (pruning's resolution).
const TOUCH_AFTER: Duration = Duration::from_secs(24 * 3600);
/// How often a cache's entries are walked for old ones (at the end of a scan).
const PRUNE_EVERY: Duration = Duration::from_secs(24 * 3600);
/// Another build's (or entry format's) folder unused this long is removed.
const OTHER_BUILD_GRACE: Duration = Duration::from_secs(24 * 3600);
/// A temporary file (or a pruner's trash folder) this old was left by a scan that died.
const STALE_TEMP: Duration = Duration::from_secs(3600);
/// The default `scan.cache-max-age-days`.
pub const DEFAULT_MAX_AGE_DAYS: u32 = 30;
/// The default `scan.cache-max-size-mb`.
pub const DEFAULT_MAX_SIZE_MB: u64 = 1024;
/// Over the size cap, entries are removed until they take at most this share of it (%).
const LOW_WATER_PERCENT: u64 = 80;
/// The ledger of the build's size (see the module's "The size cap").
const LEDGER: &str = "size";

/// How long ago `time` was (zero for a time in the future).
fn age(time: SystemTime) -> Duration {
    SystemTime::now().duration_since(time).unwrap_or_default()
}

/// When a file or folder was last modified; `None` when it cannot be told.
fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
}

/// Sets a marker file's time to now, making it (and not its folder) when missing.
fn touch(path: &Path) {
    let done = std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()));
    if done.is_err() {
        let _ = std::fs::write(path, b"");
    }
}

/// How an analyzer's facts go to and come from the cache. Built with [`FactsCodec::json`] for
/// facts that derive `Serialize` and `Deserialize`.
pub struct FactsCodec<F> {
    /// Bump it when the facts or the findings of the analyzer change meaning without the
    /// palisade version changing (part of every key).
    pub version: u32,
    encode: fn(&F) -> Option<serde_json::Value>,
    decode: fn(serde_json::Value) -> Option<F>,
}

impl<F: Serialize + DeserializeOwned> FactsCodec<F> {
    /// Facts stored as JSON.
    pub fn json(version: u32) -> FactsCodec<F> {
        FactsCodec {
            version,
            encode: |facts| serde_json::to_value(facts).ok(),
            decode: |value| serde_json::from_value(value).ok(),
        }
    }
}

impl<F> FactsCodec<F> {
    pub(crate) fn encode(&self, facts: &F) -> Option<serde_json::Value> {
        (self.encode)(facts)
    }

    pub(crate) fn decode(&self, value: serde_json::Value) -> Option<F> {
        (self.decode)(value)
    }
}

/// The user's cache folder for palisade: `$XDG_CACHE_HOME/palisade`, else
/// `$HOME/.cache/palisade`; `None` when neither is set.
pub fn default_cache_dir() -> Option<PathBuf> {
    let nonempty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(xdg) = nonempty("XDG_CACHE_HOME") {
        return Some(PathBuf::from(xdg).join("palisade"));
    }
    nonempty("HOME").map(|home| PathBuf::from(home).join(".cache").join("palisade"))
}

/// What a scan did with the cache (the JSON report's `stats.cache`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CacheStats {
    /// File checks answered from the cache.
    pub hits: usize,
    /// File checks of cached analyzers that ran (no entry, or an unusable one).
    pub misses: usize,
    /// Entries written.
    pub writes: usize,
    /// Entries removed at the end of the scan (unused too long, another build's, or the
    /// least recently used of a cache over `scan.cache-max-size-mb`).
    pub pruned: usize,
    /// The same counts by analyzer (those that used the cache in the scan).
    pub analyzers: BTreeMap<String, CacheCounts>,
}

/// One analyzer's use of the cache in a scan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CacheCounts {
    pub hits: usize,
    pub misses: usize,
    pub writes: usize,
}

/// A result cache in a folder, for one or more scans.
pub struct ResultCache {
    dir: PathBuf,
    build: String,
    counts: Mutex<BTreeMap<String, CacheCounts>>,
    temp: AtomicUsize,
    max_age: Option<Duration>,
    /// The size cap in bytes, `None` for none.
    max_size: Option<u64>,
    pruned: AtomicUsize,
    /// Bytes of the entries written since the last [`ResultCache::prune`].
    written: AtomicU64,
}

impl ResultCache {
    /// A cache in `dir` (made when the first entry is written). `build` tells palisade builds
    /// apart: see [`ResultCache::build_id`].
    pub fn new(dir: impl Into<PathBuf>, build: impl Into<String>) -> ResultCache {
        ResultCache {
            dir: dir.into(),
            build: build.into(),
            counts: Mutex::new(BTreeMap::new()),
            temp: AtomicUsize::new(0),
            max_age: Some(Duration::from_secs(
                u64::from(DEFAULT_MAX_AGE_DAYS) * 86_400,
            )),
            max_size: Some(DEFAULT_MAX_SIZE_MB << 20),
            pruned: AtomicUsize::new(0),
            written: AtomicU64::new(0),
        }
    }

    /// [`ResultCache::prune`] keeps this build's entries under `mb` MiB, removing the least
    /// recently used; `0`: no cap.
    pub fn with_max_size_mb(mut self, mb: u64) -> ResultCache {
        self.max_size = (mb > 0).then(|| mb.saturating_mul(1 << 20));
        self
    }

    /// Entries not used for `days` days are removed by [`ResultCache::prune`]; `0` keeps
    /// them (other builds' entries are removed all the same).
    pub fn with_max_age_days(mut self, days: u32) -> ResultCache {
        self.max_age = (days > 0).then(|| Duration::from_secs(u64::from(days) * 86_400));
        self
    }

    /// Marks this build's entries as in use (the time of `in-use` in their folder), so that
    /// a scan of another build pruning the same cache keeps them. Makes nothing when the
    /// folder does not exist.
    pub fn mark_in_use(&self) {
        let dir = self.build_dir();
        if dir.is_dir() {
            touch(&dir.join("in-use"));
        }
    }

    /// Removes what a later scan has no use for, at the end of a scan:
    ///
    /// - the folders of other builds and entry formats (palisade upgraded, a development
    ///   binary rebuilt, the layout of an older palisade) not used for a day: moved aside
    ///   with one rename, then deleted, so a scan never sees half a folder;
    /// - at most once a day, this build's entries not used for the maximum age (their time
    ///   is refreshed when a scan reads them), and temporary files older than an hour (a
    ///   scan that died while writing; a scan writing now has younger ones);
    /// - when the cache is over the size cap, other builds' folders not used within the
    ///   hour, the least recently used first, until the cache takes 80% of the cap;
    /// - when the size ledger says this build's entries may be over what the cap leaves
    ///   them (and in the daily walk), the least recently used entries until they take 80%
    ///   of it, never a temporary file (see the module's "The size cap").
    ///
    /// Two scans pruning at once only find less to do. An entry removed as another scan
    /// rewrites it is a miss for the next scan, never a wrong answer. Errors are ignored.
    pub fn prune(&self) {
        let results = self.dir.join("results");
        let Ok(folders) = std::fs::read_dir(&results) else {
            return;
        };
        let own = self.build_dir();
        // Other builds' folders kept for now: (last used, size, path).
        let mut others: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
        for folder in folders.flatten() {
            let path = folder.path();
            if path == own {
                continue;
            }
            let name = folder.file_name().to_string_lossy().into_owned();
            let is_dir = folder.file_type().is_ok_and(|t| t.is_dir());
            if let Some(_trash) = name.strip_prefix(".trash-") {
                if modified(&path).is_some_and(|t| age(t) > STALE_TEMP) {
                    let _ = std::fs::remove_dir_all(&path);
                }
                continue;
            }
            if !is_dir {
                continue;
            }
            let used = modified(&path.join("in-use")).or_else(|| modified(&path));
            if used.is_some_and(|t| age(t) > OTHER_BUILD_GRACE) {
                self.remove_folder(&results, &path);
            } else if self.max_size.is_some() {
                // Its own ledger says its size (a folder of a palisade without one is
                // measured).
                let size = ledger_sum(&path.join(LEDGER))
                    .filter(|&size| size > 0)
                    .unwrap_or_else(|| tally(&path).1);
                others.push((used.unwrap_or(SystemTime::UNIX_EPOCH), size, path));
            }
        }
        if !own.is_dir() {
            return;
        }
        let ledger = own.join(LEDGER);
        let written = self.written.swap(0, Ordering::Relaxed);
        if written > 0 {
            append_line(&ledger, written);
        }
        // The cap is the whole cache's: over it, other builds' folders go first, the least
        // recently used first, down to the low-water mark of what is left.
        let mut others_size: u64 = others.iter().map(|o| o.1).fold(0, u64::saturating_add);
        // A folder used within the hour may be another palisade's scanning now: it counts,
        // but is left to the age rule (removing it would only have the two builds evict
        // each other's entries on every scan).
        let own_size = ledger_sum(&ledger).unwrap_or(0);
        if let Some(cap) = self.max_size
            && own_size.saturating_add(others_size) > cap
        {
            others.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
            for (used, size, path) in &others {
                if own_size.saturating_add(others_size) <= low_water(cap) {
                    break;
                }
                if age(*used) > STALE_TEMP {
                    self.remove_folder(&results, path);
                    others_size = others_size.saturating_sub(*size);
                }
            }
        }
        // What is left of the cap for this build's entries.
        let own_cap = self.max_size.map(|cap| cap.saturating_sub(others_size));
        let stamp = own.join("pruned");
        let daily = modified(&stamp).is_none_or(|t| age(t) >= PRUNE_EVERY);
        let full = own_cap.is_some_and(|cap| ledger_sum(&ledger).is_none_or(|size| size > cap));
        if !daily && !full {
            return;
        }
        if daily {
            // Stamped first: a scan finishing meanwhile skips the walk.
            touch(&stamp);
        }
        self.walk(&own, &ledger, own_cap);
    }

    /// Removes another build's folder `path` (in `results`): moved aside with one rename,
    /// then deleted, so that a scan never sees half a folder.
    fn remove_folder(&self, results: &Path, path: &Path) {
        let trash = results.join(format!(
            ".trash-{}-{}",
            std::process::id(),
            self.temp.fetch_add(1, Ordering::Relaxed)
        ));
        if std::fs::rename(path, &trash).is_ok() {
            let (removed, _) = tally(&trash);
            let _ = std::fs::remove_dir_all(&trash);
            self.pruned.fetch_add(removed, Ordering::Relaxed);
        }
    }

    /// Walks this build's entries (in `own`): removes those past the maximum age and the
    /// temporary files of dead scans, then, over `cap` (what the size cap leaves this
    /// build), the least recently used entries down to the low-water mark, and writes the
    /// size left to the `ledger`.
    fn walk(&self, own: &Path, ledger: &Path, cap: Option<u64>) {
        let Ok(children) = std::fs::read_dir(own) else {
            return;
        };
        // (time, length, path) of each entry kept.
        let mut kept: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
        for child in children.flatten() {
            let Ok(kind) = child.file_type() else {
                continue;
            };
            if !kind.is_dir() {
                // The folder's markers and ledger; a ledger's temporary file a dead scan left.
                let name = child.file_name();
                if name.to_string_lossy().starts_with(".tmp-")
                    && modified(&child.path()).is_some_and(|t| age(t) > STALE_TEMP)
                {
                    let _ = std::fs::remove_file(child.path());
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(child.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let Ok(meta) = entry.metadata() else {
                    continue;
                };
                let Ok(time) = meta.modified() else {
                    continue;
                };
                // A live writer's temporary file is younger than STALE_TEMP: left alone.
                let old = if name.starts_with(".tmp-") {
                    age(time) > STALE_TEMP
                } else {
                    self.max_age.is_some_and(|max| age(time) > max)
                };
                if old {
                    if std::fs::remove_file(entry.path()).is_ok() && !name.starts_with('.') {
                        self.pruned.fetch_add(1, Ordering::Relaxed);
                    }
                } else if !name.starts_with('.') && meta.is_file() {
                    kept.push((time, meta.len(), entry.path()));
                }
            }
        }
        let mut size = kept
            .iter()
            .map(|(_, len, _)| *len)
            .fold(0, u64::saturating_add);
        if let Some(cap) = cap
            && size > cap
        {
            let low = low_water(cap);
            kept.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
            for (_, len, path) in &kept {
                if size <= low {
                    break;
                }
                if std::fs::remove_file(path).is_ok() {
                    self.pruned.fetch_add(1, Ordering::Relaxed);
                }
                // Gone, or removed by another scan meanwhile; one that cannot be removed is
                // not made up for by removing more.
                size = size.saturating_sub(*len);
            }
        }
        let temp = own.join(format!(
            ".tmp-{}-{}-{LEDGER}",
            std::process::id(),
            self.temp.fetch_add(1, Ordering::Relaxed)
        ));
        if std::fs::write(&temp, format!("{size}\n"))
            .and_then(|()| std::fs::rename(&temp, ledger))
            .is_err()
        {
            let _ = std::fs::remove_file(&temp);
        }
    }

    /// Entries removed by [`ResultCache::prune`] since the cache was made.
    pub fn pruned(&self) -> usize {
        self.pruned.load(Ordering::Relaxed)
    }

    /// palisade's version plus the size and modification time of the running executable:
    /// a release keeps its entries, a rebuilt binary starts afresh.
    pub fn build_id() -> String {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .ok()
            .map(|m| {
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}:{mtime}", m.len())
            })
            .unwrap_or_default();
        format!("{}+{exe}", env!("CARGO_PKG_VERSION"))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the cache did since it was made.
    pub fn stats(&self) -> CacheStats {
        let analyzers = self.counts.lock().map(|c| c.clone()).unwrap_or_default();
        let sum = |f: fn(&CacheCounts) -> usize| analyzers.values().map(f).sum();
        CacheStats {
            hits: sum(|c| c.hits),
            misses: sum(|c| c.misses),
            writes: sum(|c| c.writes),
            pruned: self.pruned(),
            analyzers,
        }
    }

    fn count(&self, analyzer: &str, f: impl FnOnce(&mut CacheCounts)) {
        if let Ok(mut counts) = self.counts.lock() {
            f(counts.entry(analyzer.to_string()).or_default());
        }
    }

    /// What every key of one analyzer in one run shares.
    pub(crate) fn analyzer_salt(
        &self,
        analyzer: &str,
        version: u32,
        rules: &RuleSet,
        metas: &[&'static RuleMeta],
        network: NetworkAccess,
    ) -> Vec<u8> {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(format!("palisade-result-cache/{FORMAT}").as_bytes());
        field(self.build.as_bytes());
        field(analyzer.as_bytes());
        field(&version.to_le_bytes());
        field(rules.cache_material(analyzer, metas).as_bytes());
        field(format!("{network:?}").as_bytes());
        h.finalize().to_vec()
    }

    /// The digest of a file's content, computed once for all its analyzers' keys.
    pub(crate) fn digest(content: &[u8]) -> [u8; 32] {
        Sha256::digest(content).into()
    }

    /// The key of one file (its content's [`ResultCache::digest`]) for one analyzer.
    pub(crate) fn key(salt: &[u8], path: &str, context: &str, digest: &[u8; 32]) -> String {
        let mut h = Sha256::new();
        for bytes in [salt, path.as_bytes(), context.as_bytes(), digest] {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        let mut hex = String::with_capacity(64);
        for b in h.finalize() {
            let _ = write!(hex, "{b:02x}");
        }
        hex
    }

    /// The folder of this build's entries: `results/<16 hex>`, a digest of the entry format
    /// and the build, so that each build's entries can be removed as a whole.
    fn build_dir(&self) -> PathBuf {
        let digest = Sha256::digest(format!("{FORMAT}\n{}", self.build).as_bytes());
        let mut name = String::with_capacity(16);
        for b in &digest[..8] {
            let _ = write!(name, "{b:02x}");
        }
        self.dir.join("results").join(name)
    }

    fn entry_path(&self, key: &str) -> PathBuf {
        let (shard, rest) = key.split_at(2.min(key.len()));
        self.build_dir().join(shard).join(format!("{rest}.json"))
    }

    /// The entry stored under `key`, decoded with `rules` (the analyzer's rules, by which its
    /// findings are named) and `facts`; `None` (a miss) when there is none or it is unusable.
    pub(crate) fn get<F>(
        &self,
        analyzer: &str,
        key: &str,
        rules: &'static [&'static RuleMeta],
        facts: impl FnOnce(serde_json::Value) -> Option<F>,
    ) -> Option<Entry<F>> {
        let found = self.read(key, rules).and_then(|mut stored| {
            // Facts may hold findings too (waiting for the project pass).
            let decoded = match stored.facts.pop() {
                None => None,
                Some(value) => Some(crate::finding::with_rules(rules, || facts(value))?),
            };
            Some(Entry {
                findings: stored.findings,
                diagnostics: stored.diagnostics,
                facts: decoded,
            })
        });
        let hit = found.is_some();
        self.count(analyzer, |c| {
            if hit {
                c.hits += 1;
            } else {
                c.misses += 1;
            }
        });
        found
    }

    fn read(&self, key: &str, rules: &'static [&'static RuleMeta]) -> Option<Stored> {
        let path = self.entry_path(key);
        let mut file = std::fs::File::open(&path).ok()?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).ok()?;
        let stored: Stored =
            crate::finding::with_rules(rules, || serde_json::from_slice(&bytes).ok())?;
        if stored.key != key || stored.build != self.build {
            return None;
        }
        // Used: its time says so (at most once a day), so that pruning keeps it.
        let modified = file.metadata().and_then(|m| m.modified()).ok();
        if modified.is_none_or(|t| age(t) > TOUCH_AFTER) {
            let _ = std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(SystemTime::now()));
        }
        Some(stored)
    }

    /// Stores an entry under `key`; a failure only means the next scan misses.
    pub(crate) fn put(
        &self,
        analyzer: &str,
        key: &str,
        findings: &[Finding],
        diagnostics: &[Diagnostic],
        facts: Option<serde_json::Value>,
    ) {
        let stored = StoredRef {
            key,
            build: &self.build,
            findings,
            diagnostics,
            facts: facts.into_iter().collect(),
        };
        if self.write(&stored) {
            self.count(analyzer, |c| c.writes += 1);
        }
    }

    /// Writes an entry in its place, atomically; whether it was written.
    fn write(&self, stored: &StoredRef<'_>) -> bool {
        let Ok(bytes) = serde_json::to_vec(stored) else {
            return false;
        };
        let path = self.entry_path(stored.key);
        let Some(folder) = path.parent() else {
            return false;
        };
        if std::fs::create_dir_all(folder).is_err() {
            return false;
        }
        self.tag();
        let temp = folder.join(format!(
            ".tmp-{}-{}-{}",
            std::process::id(),
            self.temp.fetch_add(1, Ordering::Relaxed),
            path.file_name().and_then(|n| n.to_str()).unwrap_or("entry")
        ));
        let written = std::fs::write(&temp, &bytes).and_then(|()| std::fs::rename(&temp, &path));
        match written {
            Ok(()) => {
                self.written
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                true
            }
            Err(_) => {
                let _ = std::fs::remove_file(&temp);
                false
            }
        }
    }

    /// Marks the folder as a cache (CACHEDIR.TAG), so backup tools skip it.
    fn tag(&self) {
        let tag = self.dir.join("CACHEDIR.TAG");
        if !tag.exists() {
            let _ = std::fs::write(
                tag,
                "Signature: 8a477f597d28d172789f06886806bc55\n# palisade's cache; see https://bford.info/cachedir/\n",
            );
        }
    }
}

/// A keyed store for what an analyzer derives from several files at once and is dear to
/// make again (a Kustomize rendering, which runs a tool): a text under a key that the
/// analyzer computes from everything the text depends on ([`StashKey`]). Its entries live
/// with the result cache's, in this build's folder, and are pruned and capped alike; a
/// missing or unreadable one is a miss. What the analyzer makes of the text is not stored:
/// its file checks run again (or are cached on their own terms).
#[derive(Clone, Copy)]
pub struct Stash<'a> {
    cache: &'a ResultCache,
    analyzer: &'static str,
}

/// The key of a [`Stash`] entry: a digest of the fields added, each length-prefixed so that
/// no two lists of fields make the same key.
#[derive(Clone)]
pub struct StashKey(Sha256);

impl Default for StashKey {
    fn default() -> StashKey {
        StashKey::new()
    }
}

impl StashKey {
    pub fn new() -> StashKey {
        StashKey(Sha256::new())
    }

    /// Adds one field to the key.
    pub fn field(&mut self, bytes: &[u8]) -> &mut StashKey {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// The digest of the fields added so far, in hex.
    pub fn hex(&self) -> String {
        let mut hex = String::with_capacity(64);
        for b in self.0.clone().finalize() {
            let _ = write!(hex, "{b:02x}");
        }
        hex
    }
}

impl<'a> Stash<'a> {
    /// The stash of `analyzer` in `cache`.
    pub fn new(cache: &'a ResultCache, analyzer: &'static str) -> Stash<'a> {
        Stash { cache, analyzer }
    }

    /// The entry's key: the analyzer's key, salted with the entry format, the build and the
    /// analyzer's name (so a rebuilt binary, or another analyzer, never reads it).
    fn key(&self, key: &StashKey) -> String {
        key.clone()
            .field(format!("palisade-stash/{FORMAT}").as_bytes())
            .field(self.cache.build.as_bytes())
            .field(self.analyzer.as_bytes())
            .hex()
    }

    /// The text stored under `key`, if any.
    pub fn get(&self, key: &StashKey) -> Option<String> {
        let mut stored = self.cache.read(&self.key(key), &[])?;
        match stored.facts.pop()? {
            serde_json::Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// Stores `text` under `key`; a failure only means the next scan misses.
    pub fn put(&self, key: &StashKey, text: &str) {
        let key = self.key(key);
        self.cache.write(&StoredRef {
            key: &key,
            build: &self.cache.build,
            findings: &[],
            diagnostics: &[],
            facts: vec![serde_json::Value::String(text.to_string())],
        });
    }
}

/// Appends `bytes` as a line to the size ledger (made when missing), in one write: scans
/// appending at once do not mix their lines.
fn append_line(ledger: &Path, bytes: u64) {
    use std::io::Write as _;
    if let Ok(mut file) = std::fs::File::options()
        .append(true)
        .create(true)
        .open(ledger)
    {
        let _ = file.write_all(format!("{bytes}\n").as_bytes());
    }
}

/// The low-water mark of a size cap (see the module's "The size cap").
fn low_water(cap: u64) -> u64 {
    u64::try_from(u128::from(cap) * u128::from(LOW_WATER_PERCENT) / 100).unwrap_or(cap)
}

/// The size the ledger tells: its lines summed, `0` when there is none yet, `None` when it
/// cannot be read or holds something other than numbers (a walk then measures afresh).
fn ledger_sum(ledger: &Path) -> Option<u64> {
    let text = match std::fs::read_to_string(ledger) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(0),
        Err(_) => return None,
    };
    text.lines()
        .filter(|line| !line.is_empty())
        .try_fold(0u64, |sum, line| {
            Some(sum.saturating_add(line.parse().ok()?))
        })
}

/// The entries (`*.json` files) under `dir`, at any depth, and the bytes of all its files.
fn tally(dir: &Path) -> (usize, u64) {
    let Ok(children) = std::fs::read_dir(dir) else {
        return (0, 0);
    };
    children
        .flatten()
        .map(|c| match c.file_type() {
            Ok(t) if t.is_dir() => tally(&c.path()),
            _ => (
                usize::from(c.file_name().to_string_lossy().ends_with(".json")),
                c.metadata().map_or(0, |m| m.len()),
            ),
        })
        .fold((0, 0), |(n, b), (m, c)| (n + m, b.saturating_add(c)))
}

/// One analyzer's output for one file, as read from the cache.
pub(crate) struct Entry<F> {
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub facts: Option<F>,
}

#[derive(Deserialize)]
struct Stored {
    key: String,
    build: String,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    /// The facts, when the check returned some (a list, as facts may be JSON `null`).
    facts: Vec<serde_json::Value>,
}

#[derive(Serialize)]
struct StoredRef<'a> {
    key: &'a str,
    build: &'a str,
    findings: &'a [Finding],
    diagnostics: &'a [Diagnostic],
    facts: Vec<serde_json::Value>,
}

impl CacheStats {
    /// What happened between `before` and `self`.
    pub fn since(self, before: &CacheStats) -> CacheStats {
        let mut analyzers = BTreeMap::new();
        for (name, now) in self.analyzers {
            let was = before.analyzers.get(&name).copied().unwrap_or_default();
            let counts = CacheCounts {
                hits: now.hits - was.hits,
                misses: now.misses - was.misses,
                writes: now.writes - was.writes,
            };
            if counts != CacheCounts::default() {
                analyzers.insert(name, counts);
            }
        }
        CacheStats {
            hits: self.hits - before.hits,
            misses: self.misses - before.misses,
            writes: self.writes - before.writes,
            pruned: self.pruned - before.pruned,
            analyzers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const DAY: Duration = Duration::from_secs(86_400);

    /// A cache in `dir` with a cap of `cap` bytes.
    fn capped(dir: &Path, cap: Option<u64>) -> ResultCache {
        let mut cache = ResultCache::new(dir, "test-build");
        cache.max_size = cap;
        cache
    }

    fn set_time(path: &Path, time: SystemTime) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(time)
            .unwrap();
    }

    /// Entry `i`: `len` bytes, last used `i` days ago, in a shard of its own (shard names do
    /// not follow the age, so a walk's order is not the eviction's).
    fn entry(cache: &ResultCache, i: u64, len: usize) -> PathBuf {
        let shard = cache
            .build_dir()
            .join(format!("{:02x}", (i * 53 + 7) % 256));
        std::fs::create_dir_all(&shard).unwrap();
        let path = shard.join(format!("{i:062x}.json"));
        std::fs::write(&path, vec![b'x'; len]).unwrap();
        set_time(&path, SystemTime::now() - DAY * i as u32);
        path
    }

    /// Twelve entries of 1,000 bytes, entry `i` used `i` days ago.
    fn twelve(cache: &ResultCache) -> Vec<PathBuf> {
        (0..12).map(|i| entry(cache, i, 1000)).collect()
    }

    fn kept(paths: &[PathBuf]) -> BTreeSet<usize> {
        (0..paths.len()).filter(|&i| paths[i].exists()).collect()
    }

    /// The daily walk's stamp set now, so that only the ledger can start a walk.
    fn walked_today(cache: &ResultCache) {
        touch(&cache.build_dir().join("pruned"));
    }

    #[test]
    fn over_the_cap_the_least_recently_used_go_first_down_to_the_low_water_mark() {
        let dir = tempfile::tempdir().unwrap();
        let cache = capped(dir.path(), Some(10_000));
        let entries = twelve(&cache);
        // No stamp yet: the daily walk, which measures 12,000 bytes against a 10,000 cap.
        cache.prune();
        // Down to 8,000 bytes: the four oldest go, the eight newest stay.
        assert_eq!(kept(&entries), (0..8).collect());
        assert_eq!(cache.pruned(), 4);
        assert_eq!(cache.stats().pruned, 4);
        assert_eq!(ledger_sum(&cache.build_dir().join(LEDGER)), Some(8000));
        // Under the cap now: the next walk removes nothing.
        cache.prune();
        let _ = std::fs::remove_file(cache.build_dir().join("pruned"));
        cache.prune();
        assert_eq!(kept(&entries), (0..8).collect());
        assert_eq!(cache.pruned(), 4);
    }

    /// Between daily walks the entries are walked only when the ledger (the last measure
    /// plus what scans wrote since) says the cap may be reached.
    #[test]
    fn the_ledger_decides_when_a_scan_walks_the_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = capped(dir.path(), Some(10_000));
        let entries = twelve(&cache);
        walked_today(&cache);
        // 12,000 bytes the ledger does not know of: no walk, nothing removed.
        cache.prune();
        assert_eq!(kept(&entries).len(), 12);
        let ledger = cache.build_dir().join(LEDGER);
        std::fs::write(&ledger, "9900\n").unwrap();
        cache.prune();
        assert_eq!(kept(&entries).len(), 12);
        assert_eq!(cache.pruned(), 0);
        // A scan writes one entry: it is appended, the sum passes the cap, the walk measures
        // 12,000 bytes plus the entry and removes the oldest down to 8,000.
        let key = ResultCache::key(b"salt", "a.txt", "", &ResultCache::digest(b"a"));
        cache.put("test", &key, &[], &[], None);
        let new = cache.entry_path(&key);
        let len = std::fs::metadata(&new).unwrap().len();
        assert_eq!(ledger_sum(&ledger), Some(9900));
        cache.prune();
        let removed = (4000 + len).div_ceil(1000) as usize;
        assert_eq!(kept(&entries), (0..12 - removed).collect());
        assert!(new.exists(), "the newest entry is kept");
        assert_eq!(cache.pruned(), removed);
        assert_eq!(
            ledger_sum(&ledger),
            Some(12_000 + len - 1000 * removed as u64)
        );
    }

    #[test]
    fn no_cap_removes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = capped(dir.path(), Some(10_000)).with_max_size_mb(0);
        let entries = twelve(&cache);
        cache.prune();
        assert_eq!(kept(&entries).len(), 12);
        std::fs::write(cache.build_dir().join(LEDGER), "99999999999\n").unwrap();
        let _ = std::fs::remove_file(cache.build_dir().join("pruned"));
        cache.prune();
        assert_eq!(kept(&entries).len(), 12);
        assert_eq!(cache.pruned(), 0);
        assert_eq!(
            ResultCache::new(dir.path(), "b")
                .with_max_size_mb(2)
                .max_size,
            Some(2 << 20)
        );
    }

    /// A concurrent scan's temporary files (younger than STALE_TEMP) are neither removed
    /// nor counted toward the cap; a dead scan's are removed, and not counted as pruned.
    #[test]
    fn a_live_writers_temporary_files_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let cache = capped(dir.path(), Some(10_000));
        let entries = twelve(&cache);
        let shard = entries[3].parent().unwrap().to_path_buf();
        let live = shard.join(".tmp-4242-0-0123.json");
        std::fs::write(&live, vec![b'x'; 50_000]).unwrap();
        set_time(&live, SystemTime::now() - STALE_TEMP / 6);
        let dead = shard.join(".tmp-4243-0-4567.json");
        std::fs::write(&dead, b"{").unwrap();
        set_time(&dead, SystemTime::now() - STALE_TEMP * 2);
        // A ledger being rewritten, and one a dead scan left.
        let live_ledger = cache.build_dir().join(".tmp-4242-1-size");
        std::fs::write(&live_ledger, "1\n").unwrap();
        let dead_ledger = cache.build_dir().join(".tmp-4243-1-size");
        std::fs::write(&dead_ledger, "1\n").unwrap();
        set_time(&dead_ledger, SystemTime::now() - STALE_TEMP * 2);
        cache.prune();
        assert!(live.exists());
        assert!(live_ledger.exists());
        assert!(!dead.exists());
        assert!(!dead_ledger.exists());
        // The 50,000 bytes being written did not count: only the four oldest entries went.
        assert_eq!(kept(&entries), (0..8).collect());
        assert_eq!(cache.pruned(), 4);
    }

    /// The cap is the whole cache's: another build's folder not used within the hour goes
    /// first, whole; one in use now counts, and this build's entries make room instead.
    #[test]
    fn over_the_cap_other_builds_go_first_unless_in_use_now() {
        let dir = tempfile::tempdir().unwrap();
        let cache = capped(dir.path(), Some(10_000));
        let own = (0..6).map(|i| entry(&cache, i, 1000)).collect::<Vec<_>>();
        walked_today(&cache);
        std::fs::write(cache.build_dir().join(LEDGER), "6000\n").unwrap();
        let older = capped(dir.path(), Some(10_000));
        let older = ResultCache {
            build: "older-build".to_string(),
            ..older
        };
        let theirs = (0..6).map(|i| entry(&older, i, 1000)).collect::<Vec<_>>();
        std::fs::write(older.build_dir().join(LEDGER), "6000\n").unwrap();
        let in_use = older.build_dir().join("in-use");
        touch(&in_use);

        // 12,000 bytes, but the other build scanned a minute ago: this build's entries
        // are kept under the 4,000 bytes left to them (down to 3,200).
        set_time(&in_use, SystemTime::now() - Duration::from_secs(60));
        cache.prune();
        assert_eq!(kept(&theirs).len(), 6);
        assert_eq!(kept(&own), (0..3).collect());

        // Two hours later it is not in use: it goes, whole, and this build's entries stay.
        let own = (0..6).map(|i| entry(&cache, i, 1000)).collect::<Vec<_>>();
        std::fs::write(cache.build_dir().join(LEDGER), "6000\n").unwrap();
        set_time(&in_use, SystemTime::now() - Duration::from_secs(2 * 3600));
        cache.prune();
        assert!(!older.build_dir().exists());
        assert_eq!(kept(&own).len(), 6);

        // Under the cap, another build's recent folder is left alone.
        let theirs = (0..2).map(|i| entry(&older, i, 1000)).collect::<Vec<_>>();
        touch(&older.build_dir().join("in-use"));
        set_time(
            &older.build_dir().join("in-use"),
            SystemTime::now() - Duration::from_secs(2 * 3600),
        );
        cache.prune();
        assert_eq!(kept(&theirs).len(), 2);
        assert_eq!(kept(&own).len(), 6);
    }

    #[test]
    fn a_ledger_that_cannot_be_read_is_measured_afresh() {
        assert_eq!(ledger_sum(Path::new("/nonexistent/palisade/size")), Some(0));
        let dir = tempfile::tempdir().unwrap();
        let cache = capped(dir.path(), Some(10_000));
        let entries = twelve(&cache);
        walked_today(&cache);
        let ledger = cache.build_dir().join(LEDGER);
        std::fs::write(&ledger, "12\n3").unwrap();
        assert_eq!(ledger_sum(&ledger), Some(15));
        std::fs::write(&ledger, "12\n3 garbled").unwrap();
        assert_eq!(ledger_sum(&ledger), None);
        cache.prune();
        assert_eq!(kept(&entries), (0..8).collect());
        assert_eq!(ledger_sum(&ledger), Some(8000));
    }

    /// Through whole scans: entries removed over the cap are misses, analysed again, and the
    /// report is the same.
    #[test]
    fn a_scan_after_eviction_gives_the_same_report() {
        use crate::config::{Config, RuleSet};
        use crate::engine::{self, Analyzer, FileContext, ScanOptions};
        use crate::finding::{Confidence, Severity};
        use crate::source::{FileSelector, SourceFile};
        use crate::taxonomy::{Owasp, Recommendation};

        static WORD: RuleMeta = RuleMeta {
            id: "test/word",
            title: "A word",
            severity: Severity::Low,
            confidence: Confidence::High,
            cwe: &[],
            owasp: Owasp::A05,
            recommendation: Recommendation::PythonBackend,
            needs_network: false,
            options: &[],
            source: "",
        };
        /// Reports every line that says `secret`, cached.
        struct Words;
        impl Analyzer for Words {
            type Facts = ();
            type ScanState = ();
            fn name(&self) -> &'static str {
                "words"
            }
            fn rules(&self) -> &'static [&'static RuleMeta] {
                static RULES: [&RuleMeta; 1] = [&WORD];
                &RULES
            }
            fn files(&self) -> FileSelector {
                FileSelector {
                    extensions: &["txt"],
                    names: &[],
                    except_names: &[],
                    globs: &[],
                    sniff: None,
                }
            }
            fn cache(&self) -> Option<FactsCodec<()>> {
                Some(FactsCodec::json(1))
            }
            fn check_file(
                &self,
                file: &SourceFile,
                cx: &mut FileContext<'_>,
                _state: &(),
            ) -> Option<()> {
                for n in 1..=file.line_count() {
                    if file.line(n).contains("secret") {
                        cx.report(Finding::new(&WORD, file.line_span(n), "a secret"));
                    }
                }
                None
            }
        }

        let tree = tempfile::tempdir().unwrap();
        for i in 0..20 {
            let text = format!("line {i}\nsecret {i}\n{}secret again\n", "pad\n".repeat(i));
            std::fs::write(tree.path().join(format!("f{i:02}.txt")), text).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let analyzers: [&dyn engine::DynAnalyzer; 1] = [&Words];
        let registry = engine::registry(&analyzers);
        let config = Config::default();
        let rules = RuleSet::all(&registry);
        let scan = |cache: &ResultCache| {
            let mut options = ScanOptions::new(vec![tree.path().to_path_buf()], &config, &rules);
            options.cache = Some(cache);
            let report = engine::scan(&analyzers, &options).unwrap();
            let stats = report.stats.cache.clone().unwrap();
            (report, stats)
        };
        let uncapped = capped(dir.path(), None);
        let (first, stats) = scan(&uncapped);
        assert_eq!(first.findings.len(), 40);
        assert_eq!((stats.misses, stats.writes, stats.pruned), (20, 20, 0));
        let ledger = uncapped.build_dir().join(LEDGER);
        let size = ledger_sum(&ledger).unwrap();
        assert!(size > 0);

        // Half the size as the cap: the scan reads every entry, then removes the least
        // recently used down to 40% of what there was.
        let cache = capped(dir.path(), Some(size / 2));
        let (second, stats) = scan(&cache);
        assert_eq!((stats.hits, stats.misses), (20, 0));
        assert!(stats.pruned >= 10, "{stats:?}");
        assert!(ledger_sum(&ledger).unwrap() <= size / 2 * 4 / 5);
        assert_eq!(second.findings, first.findings);

        // The next scan analyses the removed files again: same findings, same notices.
        let (third, third_stats) = scan(&cache);
        assert_eq!(third_stats.misses, stats.pruned);
        assert_eq!(third_stats.hits, 20 - stats.pruned);
        assert_eq!(third_stats.writes, stats.pruned);
        assert_eq!(third.findings, first.findings);
        assert_eq!(third.diagnostics, first.diagnostics);
    }
}
