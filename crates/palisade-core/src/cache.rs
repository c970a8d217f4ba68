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
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// Entries removed at the end of the scan (unused too long, or another build's).
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
    pruned: AtomicUsize,
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
            pruned: AtomicUsize::new(0),
        }
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
    ///   scan that died while writing; a scan writing now has younger ones).
    ///
    /// Two scans pruning at once only find less to do. An entry removed as another scan
    /// rewrites it is a miss for the next scan, never a wrong answer. Errors are ignored.
    pub fn prune(&self) {
        let results = self.dir.join("results");
        let Ok(folders) = std::fs::read_dir(&results) else {
            return;
        };
        let own = self.build_dir();
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
                let trash = results.join(format!(
                    ".trash-{}-{}",
                    std::process::id(),
                    self.temp.fetch_add(1, Ordering::Relaxed)
                ));
                if std::fs::rename(&path, &trash).is_ok() {
                    let removed = count_entries(&trash);
                    let _ = std::fs::remove_dir_all(&trash);
                    self.pruned.fetch_add(removed, Ordering::Relaxed);
                }
            }
        }
        let stamp = own.join("pruned");
        if !own.is_dir() || modified(&stamp).is_some_and(|t| age(t) < PRUNE_EVERY) {
            return;
        }
        // Stamped first: a scan finishing meanwhile skips the walk.
        touch(&stamp);
        let Ok(shards) = std::fs::read_dir(&own) else {
            return;
        };
        for shard in shards.flatten() {
            if !shard.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(shard.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let Some(time) = entry.metadata().and_then(|m| m.modified()).ok() else {
                    continue;
                };
                let old = if name.starts_with(".tmp-") {
                    age(time) > STALE_TEMP
                } else {
                    self.max_age.is_some_and(|max| age(time) > max)
                };
                if old && std::fs::remove_file(entry.path()).is_ok() && !name.starts_with('.') {
                    self.pruned.fetch_add(1, Ordering::Relaxed);
                }
            }
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
        let Ok(bytes) = serde_json::to_vec(&stored) else {
            return;
        };
        let path = self.entry_path(key);
        let Some(folder) = path.parent() else {
            return;
        };
        if std::fs::create_dir_all(folder).is_err() {
            return;
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
            Ok(()) => self.count(analyzer, |c| c.writes += 1),
            Err(_) => {
                let _ = std::fs::remove_file(&temp);
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

/// The entries (`*.json` files) under `dir`, at any depth.
fn count_entries(dir: &Path) -> usize {
    let Ok(children) = std::fs::read_dir(dir) else {
        return 0;
    };
    children
        .flatten()
        .map(|c| match c.file_type() {
            Ok(t) if t.is_dir() => count_entries(&c.path()),
            _ => usize::from(c.file_name().to_string_lossy().ends_with(".json")),
        })
        .sum()
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
