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
//! Entries live under `<dir>/results/<2 hex>/<62 hex>.json`. Each is written to a temporary
//! file in its folder and renamed into place, so two scans sharing a cache never see half an
//! entry; the last writer of a key wins, and both wrote the same thing. An entry that cannot
//! be read or decoded, or whose recorded key or build differs, is a miss, never an error.

use crate::config::RuleSet;
use crate::engine::NetworkAccess;
use crate::finding::Finding;
use crate::report::Diagnostic;
use crate::rule::RuleMeta;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bumped when the entry format or the key recipe changes.
const FORMAT: u32 = 1;

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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CacheStats {
    /// File checks answered from the cache.
    pub hits: usize,
    /// File checks of cached analyzers that ran (no entry, or an unusable one).
    pub misses: usize,
    /// Entries written.
    pub writes: usize,
}

/// A result cache in a folder, for one or more scans.
pub struct ResultCache {
    dir: PathBuf,
    build: String,
    hits: AtomicUsize,
    misses: AtomicUsize,
    writes: AtomicUsize,
    temp: AtomicUsize,
}

impl ResultCache {
    /// A cache in `dir` (made when the first entry is written). `build` tells palisade builds
    /// apart: see [`ResultCache::build_id`].
    pub fn new(dir: impl Into<PathBuf>, build: impl Into<String>) -> ResultCache {
        ResultCache {
            dir: dir.into(),
            build: build.into(),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            writes: AtomicUsize::new(0),
            temp: AtomicUsize::new(0),
        }
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
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
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

    fn entry_path(&self, key: &str) -> PathBuf {
        let (shard, rest) = key.split_at(2.min(key.len()));
        self.dir
            .join("results")
            .join(shard)
            .join(format!("{rest}.json"))
    }

    /// The entry stored under `key`, decoded with `rules` (the analyzer's rules, by which its
    /// findings are named) and `facts`; `None` (a miss) when there is none or it is unusable.
    pub(crate) fn get<F>(
        &self,
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
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn read(&self, key: &str, rules: &'static [&'static RuleMeta]) -> Option<Stored> {
        let bytes = std::fs::read(self.entry_path(key)).ok()?;
        let stored: Stored =
            crate::finding::with_rules(rules, || serde_json::from_slice(&bytes).ok())?;
        (stored.key == key && stored.build == self.build).then_some(stored)
    }

    /// Stores an entry under `key`; a failure only means the next scan misses.
    pub(crate) fn put(
        &self,
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
            Ok(()) => {
                self.writes.fetch_add(1, Ordering::Relaxed);
            }
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
    pub fn since(self, before: CacheStats) -> CacheStats {
        CacheStats {
            hits: self.hits - before.hits,
            misses: self.misses - before.misses,
            writes: self.writes - before.writes,
        }
    }
}
