//! OSV advisories, offline: records read from folders of OSV JSON files (searched
//! recursively) and from OSV's per-ecosystem `all.zip` exports (read in memory, never
//! unpacked), indexed by package, and matched with each ecosystem's own version order.

use crate::inventory::Ecosystem;
use crate::version::Version;
use serde::Deserialize;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// One OSV record, as far as matching needs it (unknown fields are ignored).
#[derive(Clone, Debug, Deserialize)]
pub struct Record {
    pub id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub withdrawn: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub severity: Vec<SeverityEntry>,
    #[serde(default)]
    pub affected: Vec<Affected>,
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SeverityEntry {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Affected {
    #[serde(default)]
    pub package: Option<AffectedPackage>,
    #[serde(default)]
    pub ranges: Vec<Range>,
    #[serde(default)]
    pub versions: Vec<String>,
    #[serde(default)]
    pub severity: Vec<SeverityEntry>,
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
    #[serde(default)]
    pub ecosystem_specific: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AffectedPackage {
    pub ecosystem: String,
    pub name: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub events: Vec<Event>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Event {
    #[serde(default)]
    pub introduced: Option<String>,
    #[serde(default)]
    pub fixed: Option<String>,
    #[serde(default)]
    pub last_affected: Option<String>,
    #[serde(default)]
    pub limit: Option<String>,
}

/// The packages a record is about, read before the whole record: most records of an export
/// are about packages the scan does not have, and are never parsed further.
#[derive(Deserialize)]
struct Light {
    #[serde(default)]
    affected: Vec<LightAffected>,
}

#[derive(Deserialize)]
struct LightAffected {
    #[serde(default)]
    package: Option<AffectedPackage>,
}

/// What one file or entry gave: a record about the scan's packages, nothing of use, or an
/// error to report.
enum Parsed {
    Wanted(Box<Record>),
    Other { withdrawn: bool },
    Broken(String),
}

fn parse_one(bytes: &[u8], name: &str, wanted: &HashSet<Key>) -> Parsed {
    let light: Light = match serde_json::from_slice(bytes) {
        Ok(l) => l,
        Err(e) => return Parsed::Broken(format!("{name}: not an OSV record: {e}")),
    };
    let relevant = light.affected.iter().any(|a| {
        a.package.as_ref().is_some_and(|p| {
            Ecosystem::from_osv(&p.ecosystem)
                .is_some_and(|eco| wanted.contains(&(eco, eco.normalise(&p.name))))
        })
    });
    if !relevant {
        return Parsed::Other { withdrawn: false };
    }
    match serde_json::from_slice::<Record>(bytes) {
        Ok(r) if r.withdrawn.is_some() => Parsed::Other { withdrawn: true },
        Ok(r) => Parsed::Wanted(Box::new(r)),
        Err(e) => Parsed::Broken(format!("{name}: not an OSV record: {e}")),
    }
}

/// One member of an export: inflated into `buffer` (reused across members) and parsed;
/// `None` for what is not an advisory file (folders, other names).
fn read_member(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    i: usize,
    display: &str,
    buffer: &mut Vec<u8>,
    wanted: &HashSet<Key>,
    ecosystems: &[Ecosystem],
) -> Option<Parsed> {
    let mut entry = match archive.by_index(i) {
        Ok(e) => e,
        Err(e) => return Some(Parsed::Broken(format!("{display} entry {i}: {e}"))),
    };
    let entry_name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
    if !entry.is_file() || !entry_name.ends_with(".json") {
        return None;
    }
    // One advisory is a few kilobytes; a huge entry is not an advisory.
    if entry.size() > 64 * 1024 * 1024 {
        return Some(Parsed::Broken(format!(
            "{display}!{entry_name}: larger than 64 MiB, skipped"
        )));
    }
    buffer.clear();
    if let Err(e) = entry.read_to_end(buffer) {
        return Some(Parsed::Broken(format!("{display}!{entry_name}: {e}")));
    }
    // A member that is not even shaped like one JSON object (cut off, not JSON) is parsed,
    // so that it is reported; a well-shaped record about other packages is skipped unparsed.
    if looks_whole(buffer) && !may_be_wanted(buffer, wanted, ecosystems) {
        return Some(Parsed::Other { withdrawn: false });
    }
    Some(parse_one(
        buffer,
        &format!("{display}!{entry_name}"),
        wanted,
    ))
}

/// Whether raw bytes start with `{` and end with `}` (around whitespace).
fn looks_whole(bytes: &[u8]) -> bool {
    let trimmed = bytes.trim_ascii();
    trimmed.first() == Some(&b'{') && trimmed.last() == Some(&b'}')
}

/// A cheap look at a record's raw JSON before any parsing: whether some `"name": "…"` in it
/// (package names, and other names, which only cost a full parse) is a package of the scan
/// in one of the scan's ecosystems. A name written with escapes is taken as possibly wanted.
/// Records it rejects cannot be about the scan's packages: OSV writes `affected[].package.name`
/// as a plain `"name"` key.
fn may_be_wanted(bytes: &[u8], wanted: &HashSet<Key>, ecosystems: &[Ecosystem]) -> bool {
    const KEY: &[u8] = b"\"name\"";
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], KEY) {
        let mut i = at + found + KEY.len();
        at = i;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) != Some(&b':') {
            continue;
        }
        i += 1;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'"') {
            continue;
        }
        let start = i + 1;
        let Some(len) = bytes[start..].iter().position(|&b| b == b'"' || b == b'\\') else {
            return true;
        };
        if bytes[start + len] == b'\\' {
            return true;
        }
        let Ok(name) = std::str::from_utf8(&bytes[start..start + len]) else {
            return true;
        };
        if ecosystems
            .iter()
            .any(|eco| wanted.contains(&(*eco, eco.normalise(name))))
        {
            return true;
        }
        at = start + len;
    }
    false
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut from = 0;
    while let Some(p) = haystack[from..].iter().position(|&b| b == first) {
        let at = from + p;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The severity levels OSV data gives, in palisade's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn from_score(score: f64) -> Option<Level> {
        match score {
            s if s >= 9.0 => Some(Level::Critical),
            s if s >= 7.0 => Some(Level::High),
            s if s >= 4.0 => Some(Level::Medium),
            s if s > 0.0 => Some(Level::Low),
            _ => None,
        }
    }

    fn from_word(word: &str) -> Option<Level> {
        match word.to_ascii_uppercase().as_str() {
            "CRITICAL" => Some(Level::Critical),
            "HIGH" => Some(Level::High),
            "MODERATE" | "MEDIUM" => Some(Level::Medium),
            "LOW" => Some(Level::Low),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

impl Record {
    /// Every id this record is known by: its own and its aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The record's severity: the highest CVSS v3.x or v4.0 base score it (or an affected
    /// entry) gives, computed from the vector; else the database-specific word (`HIGH`,
    /// `MODERATE`). `None` when the record says nothing usable.
    pub fn level(&self) -> (Option<Level>, Option<f64>) {
        let vectors = self
            .severity
            .iter()
            .chain(self.affected.iter().flat_map(|a| a.severity.iter()));
        let score = vectors
            .filter_map(|s| match s.kind.as_str() {
                "CVSS_V3" => crate::cvss::base_score_v3(&s.score),
                "CVSS_V4" => crate::cvss::base_score_v4(&s.score),
                _ => None,
            })
            .fold(None, |best: Option<f64>, s| {
                Some(best.map_or(s, |b| b.max(s)))
            });
        if let Some(score) = score {
            return (Level::from_score(score), Some(score));
        }
        let word = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .and_then(|d| d.get("severity"))
                .and_then(|s| s.as_str())
                .and_then(Level::from_word)
        };
        let level = word(&self.database_specific).or_else(|| {
            self.affected
                .iter()
                .find_map(|a| word(&a.database_specific).or_else(|| word(&a.ecosystem_specific)))
        });
        (level, None)
    }
}

/// A version in a range's event list: `0` (introduced at the start) sorts below all.
#[derive(Clone, Debug)]
enum Bound {
    Zero,
    At(Version),
}

fn bound_cmp(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Zero, Bound::Zero) => Ordering::Equal,
        (Bound::Zero, _) => Ordering::Less,
        (_, Bound::Zero) => Ordering::Greater,
        (Bound::At(x), Bound::At(y)) => x.compare(y).unwrap_or(Ordering::Equal),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Introduced,
    Fixed,
    LastAffected,
}

/// Why a range could not be evaluated.
#[derive(Debug)]
pub struct Unreadable(pub String);

/// Whether a `SEMVER` or `ECOSYSTEM` range covers `version`: its events sorted in the
/// ecosystem's order and swept from the lowest, `introduced` opening, `fixed` closing at
/// the fixed version, `last_affected` closing after it; no version at or above a `limit` is
/// covered. Other range types (`GIT`) cover nothing here.
pub fn range_covers(range: &Range, eco: Ecosystem, version: &Version) -> Result<bool, Unreadable> {
    if range.kind != "SEMVER" && range.kind != "ECOSYSTEM" {
        return Ok(false);
    }
    let parse = |text: &str| -> Result<Bound, Unreadable> {
        if text == "0" {
            return Ok(Bound::Zero);
        }
        Version::parse(eco, text)
            .map(Bound::At)
            .ok_or_else(|| Unreadable(format!("version `{text}`")))
    };
    let mut events: Vec<(Bound, Kind)> = Vec::new();
    for e in &range.events {
        if let Some(limit) = &e.limit
            && limit != "*"
        {
            let limit = parse(limit)?;
            if bound_cmp(&Bound::At(version.clone()), &limit) != Ordering::Less {
                return Ok(false);
            }
        }
        if let Some(v) = &e.introduced {
            events.push((parse(v)?, Kind::Introduced));
        }
        if let Some(v) = &e.fixed {
            events.push((parse(v)?, Kind::Fixed));
        }
        if let Some(v) = &e.last_affected {
            events.push((parse(v)?, Kind::LastAffected));
        }
    }
    crate::version::sort_by_rank(&mut events, |a, b| bound_cmp(&a.0, &b.0));
    let here = Bound::At(version.clone());
    let mut covered = false;
    for (bound, kind) in &events {
        let order = bound_cmp(&here, bound);
        match kind {
            Kind::Introduced if order != Ordering::Less => covered = true,
            Kind::Fixed if order != Ordering::Less => covered = false,
            Kind::LastAffected if order == Ordering::Greater => covered = false,
            _ => {}
        }
    }
    Ok(covered)
}

/// Whether an affected entry covers `version` (a range or its explicit `versions` list).
pub fn affected_covers(
    affected: &Affected,
    eco: Ecosystem,
    text: &str,
    version: &Version,
) -> Result<bool, Unreadable> {
    if affected.versions.iter().any(|v| {
        v == text
            || Version::parse(eco, v)
                .and_then(|p| p.compare(version))
                .is_some_and(Ordering::is_eq)
    }) {
        return Ok(true);
    }
    let mut unreadable = None;
    for range in &affected.ranges {
        match range_covers(range, eco, version) {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(e) => unreadable = Some(e),
        }
    }
    unreadable.map_or(Ok(false), Err)
}

/// The fixed versions an affected entry names.
pub fn fixed_versions(affected: &Affected) -> Vec<String> {
    affected
        .ranges
        .iter()
        .filter(|r| r.kind == "SEMVER" || r.kind == "ECOSYSTEM")
        .flat_map(|r| r.events.iter().filter_map(|e| e.fixed.clone()))
        .collect()
}

/// Advisories, indexed by ecosystem and (normalised) package name.
#[derive(Debug, Default)]
pub struct Database {
    records: Vec<Record>,
    index: HashMap<(Ecosystem, String), Vec<usize>>,
    /// Records read (before filtering to the scan's packages), withdrawn ones included.
    pub records_read: usize,
    pub withdrawn: usize,
    /// What could not be read, one line each.
    pub problems: Vec<String>,
    /// The folders and exports that were read.
    pub sources: Vec<String>,
}

/// A package of the scan, as the index is asked about it.
pub type Key = (Ecosystem, String);

impl Database {
    /// Reads every source; `wanted` keeps only the records about those packages (a full
    /// export holds hundreds of thousands, a project needs a few).
    pub fn load(paths: &[PathBuf], wanted: &HashSet<Key>) -> Database {
        let mut db = Database::default();
        for path in paths {
            db.sources.push(path.display().to_string());
            let meta = match std::fs::metadata(path) {
                Ok(m) => m,
                Err(e) => {
                    db.problems.push(format!("{}: {e}", path.display()));
                    continue;
                }
            };
            if meta.is_dir() {
                db.load_dir(path, wanted);
            } else {
                db.load_file(path, wanted);
            }
        }
        db
    }

    /// Whether any record was read at all.
    pub fn is_empty(&self) -> bool {
        self.records_read == 0
    }

    fn load_dir(&mut self, dir: &Path, wanted: &HashSet<Key>) {
        let mut stack = vec![dir.to_path_buf()];
        let mut files = Vec::new();
        while let Some(d) = stack.pop() {
            let entries = match std::fs::read_dir(&d) {
                Ok(e) => e,
                Err(e) => {
                    self.problems.push(format!("{}: {e}", d.display()));
                    continue;
                }
            };
            for entry in entries.flatten() {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                // Links are not followed: the database is what lies in the folder.
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file() {
                    files.push(path);
                }
            }
        }
        files.sort();
        for file in files {
            self.load_file(&file, wanted);
        }
    }

    fn load_file(&mut self, path: &Path, wanted: &HashSet<Key>) {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "json" => match std::fs::read(path) {
                Ok(bytes) => self.add_json(&bytes, &path.display().to_string(), wanted),
                Err(e) => self.problems.push(format!("{}: {e}", path.display())),
            },
            "zip" => self.load_zip(path, wanted),
            _ => {}
        }
    }

    fn load_zip(&mut self, path: &Path, wanted: &HashSet<Key>) {
        // The export is read whole (an OSV export is tens to a few hundred MB) and its
        // members are inflated and parsed in parallel, each worker with its own view of the
        // archive, in chunks whose results are put back in archive order.
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                self.problems.push(format!("{}: {e}", path.display()));
                return;
            }
        };
        let archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())) {
            Ok(a) => a,
            Err(e) => {
                self.problems.push(format!(
                    "{}: not a readable zip archive: {e}",
                    path.display()
                ));
                return;
            }
        };
        use rayon::prelude::*;
        const CHUNK: usize = 1024;
        let display = path.display().to_string();
        let ecosystems: Vec<Ecosystem> = wanted
            .iter()
            .map(|(e, _)| *e)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let chunks = archive.len().div_ceil(CHUNK);
        let parsed: Vec<Vec<Parsed>> = (0..chunks)
            .into_par_iter()
            .map(|c| {
                let mut archive = archive.clone();
                let mut out = Vec::new();
                let mut buffer = Vec::new();
                for i in c * CHUNK..((c + 1) * CHUNK).min(archive.len()) {
                    if let Some(p) =
                        read_member(&mut archive, i, &display, &mut buffer, wanted, &ecosystems)
                    {
                        out.push(p);
                    }
                }
                out
            })
            .collect();
        for p in parsed.into_iter().flatten() {
            self.take(p, wanted);
        }
    }

    fn take(&mut self, parsed: Parsed, wanted: &HashSet<Key>) {
        match parsed {
            Parsed::Wanted(record) => self.add(*record, wanted),
            Parsed::Other { withdrawn } => {
                self.records_read += 1;
                self.withdrawn += usize::from(withdrawn);
            }
            Parsed::Broken(problem) => self.problems.push(problem),
        }
    }

    fn add_json(&mut self, bytes: &[u8], name: &str, wanted: &HashSet<Key>) {
        let record: Record = match serde_json::from_slice(bytes) {
            Ok(r) => r,
            Err(e) => {
                self.problems
                    .push(format!("{name}: not an OSV record: {e}"));
                return;
            }
        };
        self.add(record, wanted);
    }

    /// Adds one record (tests and callers with records in memory).
    pub fn add(&mut self, record: Record, wanted: &HashSet<Key>) {
        self.records_read += 1;
        if record.withdrawn.is_some() {
            self.withdrawn += 1;
            return;
        }
        let keys: BTreeSet<Key> = record
            .affected
            .iter()
            .filter_map(|a| {
                let p = a.package.as_ref()?;
                let eco = Ecosystem::from_osv(&p.ecosystem)?;
                Some((eco, eco.normalise(&p.name)))
            })
            .filter(|k| wanted.contains(k))
            .collect();
        if keys.is_empty() {
            return;
        }
        let index = self.records.len();
        self.records.push(record);
        for key in keys {
            self.index.entry(key).or_default().push(index);
        }
    }

    /// The records about a package.
    pub fn about(&self, key: &Key) -> impl Iterator<Item = &Record> {
        self.index
            .get(key)
            .into_iter()
            .flatten()
            .map(|&i| &self.records[i])
    }

    /// Every record that covers `version` of the package, with the fixed versions its
    /// matching entries name; ranges that cannot be read are returned as problems.
    pub fn matches(&self, eco: Ecosystem, name: &str, text: &str) -> Matches<'_> {
        let mut out = Matches::default();
        let Some(version) = Version::parse(eco, text) else {
            out.unreadable_version = true;
            return out;
        };
        let key = (eco, eco.normalise(name));
        for record in self.about(&key) {
            let mut hit = false;
            let mut fixed = Vec::new();
            for affected in entries_for(record, &key) {
                match affected_covers(affected, eco, text, &version) {
                    Ok(true) => {
                        hit = true;
                        fixed.extend(fixed_versions(affected));
                    }
                    Ok(false) => {}
                    Err(Unreadable(what)) => out
                        .problems
                        .push(format!("{}: unreadable {what}", record.id)),
                }
            }
            if hit {
                out.hits.push((record, fixed));
            }
        }
        out
    }

    /// The smallest version above `text` that none of `records` covers, taken among their
    /// fixed versions: the upgrade that clears every advisory at once.
    pub fn remediation(
        &self,
        eco: Ecosystem,
        name: &str,
        text: &str,
        hits: &[(&Record, Vec<String>)],
    ) -> Option<String> {
        let current = Version::parse(eco, text)?;
        let key = (eco, eco.normalise(name));
        let mut candidates: Vec<(Version, String)> = hits
            .iter()
            .flat_map(|(_, fixed)| fixed.iter())
            .filter_map(|f| Some((Version::parse(eco, f)?, f.clone())))
            .filter(|(v, _)| v.compare(&current) == Some(Ordering::Greater))
            .collect();
        crate::version::sort_by_rank(&mut candidates, |a, b| {
            a.0.compare(&b.0).unwrap_or(Ordering::Equal)
        });
        candidates.into_iter().find_map(|(v, text)| {
            let clear = hits.iter().all(|(record, _)| {
                entries_for(record, &key)
                    .all(|a| matches!(affected_covers(a, eco, &text, &v), Ok(false)))
            });
            clear.then_some(text)
        })
    }
}

fn entries_for<'r>(record: &'r Record, key: &'r Key) -> impl Iterator<Item = &'r Affected> {
    record.affected.iter().filter(move |a| {
        a.package.as_ref().is_some_and(|p| {
            Ecosystem::from_osv(&p.ecosystem) == Some(key.0) && key.0.normalise(&p.name) == key.1
        })
    })
}

/// What [`Database::matches`] found for one package version.
#[derive(Default)]
pub struct Matches<'a> {
    /// Each covering record with the fixed versions of its matching entries.
    pub hits: Vec<(&'a Record, Vec<String>)>,
    pub problems: Vec<String>,
    /// The installed version is not one the ecosystem's order can read.
    pub unreadable_version: bool,
}

/// Records that are the same advisory under several ids (a GHSA, its CVE, a PYSEC entry),
/// grouped: two records are one advisory when they share an id or alias.
pub fn group_aliases(hits: &[(&Record, Vec<String>)]) -> Vec<Vec<usize>> {
    let n = hits.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, (record, _)) in hits.iter().enumerate() {
        for id in record.ids() {
            if let Some(&j) = owner.get(id) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            } else {
                owner.insert(id, i);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    fn db(records: &[&str]) -> Database {
        let mut db = Database::default();
        let mut wanted = HashSet::new();
        wanted.insert((Ecosystem::PyPI, "django".to_string()));
        wanted.insert((Ecosystem::Npm, "lodash".to_string()));
        for r in records {
            db.add(record(r), &wanted);
        }
        db
    }

    const A: &str = r#"{"id":"GHSA-aaaa","aliases":["CVE-1"],"affected":[{"package":{"ecosystem":"PyPI","name":"Django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"3.0"},{"fixed":"3.2.5"},{"introduced":"4.0"},{"fixed":"4.0.2"}]}]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#;
    const B: &str = r#"{"id":"PYSEC-1","aliases":["CVE-1"],"affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.2.5"}]}]}]}"#;
    const C: &str = r#"{"id":"GHSA-cccc","affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"3.1"},{"last_affected":"3.2.6"}]}]}],"database_specific":{"severity":"MODERATE"}}"#;
    const W: &str = r#"{"id":"GHSA-wwww","withdrawn":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"django"},"versions":["3.2.0"]}]}"#;
    const V: &str = r#"{"id":"GHSA-vvvv","affected":[{"package":{"ecosystem":"npm","name":"lodash"},"versions":["4.17.20"],"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}"#;

    #[test]
    fn ranges_aliases_withdrawn_and_remediation() {
        let db = db(&[A, B, C, W, V]);
        assert_eq!(db.withdrawn, 1);
        let m = db.matches(Ecosystem::PyPI, "Django", "3.2.0");
        let ids: Vec<&str> = m.hits.iter().map(|(r, _)| r.id.as_str()).collect();
        assert_eq!(ids, ["GHSA-aaaa", "PYSEC-1", "GHSA-cccc"]);
        assert_eq!(group_aliases(&m.hits), [vec![0, 1], vec![2]]);
        // 3.2.5 fixes A and B, but C is affected up to 3.2.6: 4.0.2 is the first clear one.
        assert_eq!(
            db.remediation(Ecosystem::PyPI, "django", "3.2.0", &m.hits)
                .as_deref(),
            Some("4.0.2")
        );
        let m = db.matches(Ecosystem::PyPI, "django", "4.0.1");
        assert_eq!(m.hits.len(), 1);
        assert_eq!(
            db.remediation(Ecosystem::PyPI, "django", "4.0.1", &m.hits)
                .as_deref(),
            Some("4.0.2")
        );
        assert!(
            db.matches(Ecosystem::PyPI, "django", "3.2.7")
                .hits
                .is_empty()
        );
        assert!(db.matches(Ecosystem::PyPI, "django", "2.2").hits.len() == 1);
        assert_eq!(
            db.matches(Ecosystem::Npm, "lodash", "4.17.20").hits.len(),
            1
        );
        assert!(
            db.matches(Ecosystem::Npm, "lodash", "4.17.21")
                .hits
                .is_empty()
        );
        assert_eq!(record(A).level(), (Some(Level::Critical), Some(9.8)));
        assert_eq!(record(C).level(), (Some(Level::Medium), None));
    }

    #[test]
    fn the_raw_prefilter_keeps_every_record_about_a_wanted_package() {
        let wanted: HashSet<Key> = [
            (Ecosystem::PyPI, "django".to_string()),
            (Ecosystem::Npm, "lodash".to_string()),
        ]
        .into();
        let ecos = [Ecosystem::PyPI, Ecosystem::Npm];
        let keep = |json: &str| may_be_wanted(json.as_bytes(), &wanted, &ecos);
        for r in [A, B, C, W, V] {
            assert!(keep(r), "{r}");
        }
        // Spacing and PEP 503 spelling as OSV's exporters or others may write them.
        assert!(keep(
            r#"{"affected": [{"package": {"ecosystem": "PyPI", "name" :  "Django_"}}]}"#
        ));
        assert!(keep(
            r#"{"affected": [{"package": {"ecosystem": "PyPI", "name" :  "DJANGO"}}]}"#
        ));
        assert!(keep(
            "{\"affected\":[{\"package\":{\"name\":\n\"lodash\"}}]}"
        ));
        // An escaped name is parsed rather than guessed at.
        assert!(keep(r#"{"affected":[{"package":{"name":"lod\u0061sh"}}]}"#));
        // Other packages, and names only in the text, are not.
        assert!(!keep(
            r#"{"affected":[{"package":{"ecosystem":"npm","name":"left-pad"}}]}"#
        ));
        assert!(!keep(
            r#"{"details":"lodash and django","affected":[{"package":{"name":"x"}}]}"#
        ));
        assert!(!keep(r#"{"details":"\"name\": \"lodash\""}"#));
    }

    #[test]
    fn limits_and_unreadable_events() {
        let r = record(
            r#"{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"limit":"2.0.0"}]},{"type":"SEMVER","events":[{"introduced":"not-a-version"}]}]}]}"#,
        );
        let v = |s| Version::parse(Ecosystem::Npm, s).unwrap();
        let a = &r.affected[0];
        assert!(range_covers(&a.ranges[0], Ecosystem::Npm, &v("1.5.0")).unwrap());
        assert!(!range_covers(&a.ranges[0], Ecosystem::Npm, &v("2.0.0")).unwrap());
        assert!(range_covers(&a.ranges[1], Ecosystem::Npm, &v("1.0.0")).is_err());
        // A readable range that covers wins over an unreadable one.
        assert!(affected_covers(a, Ecosystem::Npm, "1.5.0", &v("1.5.0")).unwrap());
    }
}
