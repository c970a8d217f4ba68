//! The scan pipeline: walk, select each file's analyzers, then read and analyse the sorted
//! file list in parallel; a project pass and a sources phase per analyzer; then suppressions,
//! configuration, confidence filter, fingerprints and baseline; sort.
//!
//! Analyzers plug in through [`Analyzer`]. They never see each other, and never read files
//! themselves: the engine reads each file once and hands the same text to every analyzer whose
//! file selector takes it. Side commands that need an analyzer's facts rather than findings
//! (`who-can`, `rbac`, `endpoints`) use [`collect`], which walks and reads exactly like a scan.
//!
//! - `analyzer.rs`: the contract and the contexts analyzers report through;
//! - `read.rs`: reading and decoding a file once;
//! - `finalize.rs`: suppressions, severities, snippets, fingerprints;
//! - `ignores.rs`: the configuration's `[[ignore]]` entries;
//! - `network.rs`: what a run may reach over the network, and the sources phase.

mod analyzer;
mod finalize;
mod ignores;
mod network;
mod read;

pub use analyzer::{
    Analyzer, DynAnalyzer, ErasedFacts, ErasedState, FileContext, ProjectContext, ScannedPaths,
};
pub use network::{History, NetworkAccess, Online, SourcesContext};
pub use read::decode;

use crate::baseline::Baseline;
use crate::cache::ResultCache;
use crate::config::{Config, RuleSet, SettingsSection};
use crate::coverage::{self, AnalyzerInputs, CoverageNote, FileInputs, LedgerFacts};
use crate::date::Date;
use crate::diff::ChangedLines;
use crate::discover::{self, FileList, WalkSettings, WalkedFile};
use crate::finding::{Confidence, Finding, Place, ReportedFinding};
use crate::report::{Diagnostic, DiagnosticKind, Report, Stats};
use crate::rule::RuleMeta;
use crate::source::{CommentStyle, CompiledSelector, SourceFile};
use crate::suppress;
use crate::taxonomy::Recommendation;
use finalize::{Counts, Finalizer};
use ignores::Ignores;
use palisade_knowledge::roles::FileRole;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

/// Everything a scan needs besides the analyzers.
pub struct ScanOptions<'a> {
    /// Folders or files to scan, as the user gave them.
    pub roots: Vec<PathBuf>,
    pub config: &'a Config,
    pub rules: &'a RuleSet,
    pub min_confidence: Confidence,
    pub baseline: Option<&'a Baseline>,
    /// A file that is not on disk (standard input), analysed beside the walked ones.
    pub stdin: Option<Stdin>,
    /// Called after each analysed file with (files done, files to do, findings so far).
    pub progress: Option<&'a (dyn Fn(usize, usize, usize) + Sync)>,
    /// Whether the user allowed network access (`--online`).
    pub network: NetworkAccess,
    /// Live targets the user named, for the analyzers' sources phase.
    pub targets: &'a [String],
    /// Whether snippets show found secrets in full (`--show-secrets`); by default they show
    /// the first characters then `…`.
    pub show_secrets: bool,
    /// The scan's date (`--today`), for reproducible runs; `None` is today in UTC (or
    /// `PALISADE_TODAY`).
    pub today: Option<Date>,
    /// The git history to read for secrets (`--history`); `None` reads none.
    pub history: Option<History>,
    /// A diff-aware scan (`--diff`): only findings the change brought in are reported.
    pub diff: Option<&'a ChangedLines>,
    /// The result cache, when the run uses one (see [`crate::cache`]).
    pub cache: Option<&'a ResultCache>,
}

impl<'a> ScanOptions<'a> {
    /// The options of a plain scan of `roots`: every finding whatever its confidence, no
    /// baseline, no standard input, no progress, offline, no live target.
    pub fn new(roots: Vec<PathBuf>, config: &'a Config, rules: &'a RuleSet) -> ScanOptions<'a> {
        ScanOptions {
            roots,
            config,
            rules,
            min_confidence: Confidence::Low,
            baseline: None,
            stdin: None,
            progress: None,
            network: NetworkAccess::Offline,
            targets: &[],
            show_secrets: false,
            today: None,
            history: None,
            diff: None,
            cache: None,
        }
    }
}

/// Standard input as a file of the scan, for one analyzer (it has no name to select by).
pub struct Stdin {
    pub file: SourceFile,
    /// The [`Analyzer::name`] of the analyzer that reads it.
    pub analyzer: &'static str,
}

/// A scan that could not run at all (bad roots). Per-file problems are diagnostics instead.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{0}: no such file or folder")]
    NotFound(String),
}

/// One file's journey through the passes.
#[derive(Default)]
struct FileOutcome {
    analyzed: bool,
    bytes: u64,
    /// The file, while something may still be reported or suppressed in it.
    file: Option<KeptFile>,
    /// Findings before suppressions and filters.
    raw: Vec<Finding>,
    suppressions: Vec<suppress::Suppression>,
    /// Facts for the project pass, by analyzer index (moved to [`FirstPass::facts`] at the
    /// end of the first pass).
    facts: Vec<(usize, ErasedFacts)>,
    /// The analyzers (by index) that checked the file, or that would have, had it been
    /// readable (`readable` false): for the coverage ledger.
    takers: Vec<usize>,
    readable: bool,
    findings: Vec<ReportedFinding>,
    diagnostics: Vec<Diagnostic>,
    counts: Counts,
}

impl FileOutcome {
    /// Whether anything is left to do with it after the first pass (its facts taken out):
    /// findings to finalise, suppressions to apply, notices, or a text that cannot be read
    /// again. Most files of a large tree have none of these.
    fn worth_keeping(&self) -> bool {
        !self.raw.is_empty()
            || !self.suppressions.is_empty()
            || !self.diagnostics.is_empty()
            || self.file.as_ref().is_some_and(|f| f.text.is_some())
    }

    fn skipped(diagnostic: Diagnostic, takers: &[usize]) -> FileOutcome {
        FileOutcome {
            diagnostics: vec![diagnostic],
            takers: takers.to_vec(),
            ..FileOutcome::default()
        }
    }
}

/// A file between the passes. Its text is kept only when the first pass reported or found a
/// suppression in it (most files have neither) or when it cannot be read again (standard
/// input); a file that a later pass reports in is read again for its snippets. So memory
/// holds the texts of the files with findings, not of the whole tree.
struct KeptFile {
    path: String,
    abs_path: PathBuf,
    comment: CommentStyle,
    role: FileRole,
    text: Option<String>,
}

impl KeptFile {
    /// The file with its text, read again from disk if it was dropped. A file that cannot be
    /// read again (deleted or changed into something unreadable during the scan) gives empty
    /// text: its findings are still reported, without snippets, and the reason is returned.
    fn into_source(self) -> (SourceFile, Option<Diagnostic>) {
        let (text, problem) = match self.text {
            Some(text) => (text, None),
            None => match std::fs::read(&self.abs_path)
                .map_err(|e| e.to_string())
                .and_then(|b| read::decode(&b).map_err(|(_, m)| m))
            {
                Ok(text) => (text, None),
                Err(e) => (
                    String::new(),
                    Some(Diagnostic::file(
                        &self.path,
                        DiagnosticKind::Unreadable,
                        format!("could not be read again for its findings' snippets: {e}"),
                    )),
                ),
            },
        };
        (
            SourceFile::from_walk(self.path, self.abs_path, self.comment, self.role, text),
            problem,
        )
    }
}

/// What the first pass produced: the walked files, the outcomes of the files with anything
/// left to do, findings that are in no file of the scan, and the walk's own notices.
struct FirstPass {
    files_discovered: usize,
    walked: Walked,
    /// Outcomes worth keeping ([`FileOutcome::worth_keeping`]), in file order; a later pass
    /// that reports in another file of the scan reopens it ([`Walked::reopen`]).
    outcomes: Vec<FileOutcome>,
    /// By analyzer: the facts of its files for the project pass, in file order.
    facts: Vec<Vec<ErasedFacts>>,
    tally: Tally,
    loose: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
}

/// What every file of the first pass adds to the scan's statistics, whether or not its
/// outcome is kept.
#[derive(Default)]
struct Tally {
    analyzed: AtomicUsize,
    bytes: AtomicU64,
    skipped: AtomicUsize,
}

impl Tally {
    fn add(&self, outcome: &FileOutcome) {
        if outcome.analyzed {
            self.analyzed.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(outcome.bytes, Ordering::Relaxed);
        } else if !outcome.diagnostics.is_empty() {
            // Not read (too large, binary, …): its notice says why. A file that every
            // selecting analyzer's content sniff declined is neither analysed nor skipped.
            self.skipped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Every file of the walk, sorted by path, with what the end of the scan needs of each in a
/// few bytes ([`FileMark`]): the memory of a scan grows with its tree by little more than the
/// list of paths.
struct Walked {
    files: FileList,
    /// By file of `files`.
    marks: FileMarks,
}

/// A [`FileMark`] for each file of a walk, in one byte each: the files of a tree share a
/// handful of distinct marks (a comment syntax and the inputs of the analyzers that read
/// them), so each file keeps its mark's place in a table of them. Past 255 distinct marks,
/// a file's own is kept aside.
#[derive(Default)]
struct FileMarks {
    /// By file: its mark's index in `distinct`, or [`FileMarks::ASIDE`].
    of_file: Vec<u8>,
    distinct: Vec<FileMark>,
    /// By file index (sorted once gathered): the marks that did not fit in `distinct`.
    aside: Vec<(u32, FileMark)>,
}

impl FileMarks {
    const ASIDE: u8 = u8::MAX;

    /// The marks of files `0..len`, `mark_of` asked once for each, on all cores.
    fn gather(len: usize, mark_of: impl Fn(usize) -> FileMark + Sync) -> FileMarks {
        let table = Mutex::new(FileMarks::default());
        let of_file: Vec<u8> = (0..len)
            .into_par_iter()
            .map(|index| {
                let mark = mark_of(index);
                let mut table = table.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(at) = table.distinct.iter().position(|m| *m == mark) {
                    return at as u8;
                }
                if table.distinct.len() < usize::from(FileMarks::ASIDE) {
                    table.distinct.push(mark);
                    return (table.distinct.len() - 1) as u8;
                }
                table.aside.push((index as u32, mark));
                FileMarks::ASIDE
            })
            .collect();
        let mut marks = table.into_inner().unwrap_or_else(|e| e.into_inner());
        marks.aside.sort_unstable_by_key(|(index, _)| *index);
        marks.of_file = of_file;
        marks
    }

    fn get(&self, index: usize) -> FileMark {
        match self.of_file.get(index) {
            Some(&FileMarks::ASIDE) => self
                .aside
                .binary_search_by_key(&(index as u32), |(i, _)| *i)
                .map_or_else(|_| FileMark::default(), |at| self.aside[at].1),
            Some(&at) => self.distinct[usize::from(at)],
            None => FileMark::default(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = FileMark> + '_ {
        (0..self.of_file.len()).map(|index| self.get(index))
    }
}

/// What the end of a scan needs of a file once its outcome is dropped.
#[derive(Clone, Copy, PartialEq)]
struct FileMark {
    /// Read and handed to analyzers: a later pass may report in it.
    read: bool,
    /// Its comment syntax (from the analyzers that read it), for its suppressions.
    comment: CommentStyle,
    /// The recommendations it counts as an input of ([`coverage::file_input_bits`]).
    inputs: u16,
}

impl Default for FileMark {
    fn default() -> FileMark {
        FileMark {
            read: false,
            comment: CommentStyle::None,
            inputs: 0,
        }
    }
}

impl Walked {
    fn index_of(&self, path: &str) -> Option<usize> {
        self.files.index_of(path)
    }

    /// The outcome of a file whose first-pass outcome was dropped (it had no findings, no
    /// suppressions, no facts and no notices), for findings a later pass reports in it; its
    /// text is read again for their snippets. `None` for a file that was not read.
    fn reopen(&self, path: &str) -> Option<FileOutcome> {
        let index = self.index_of(path)?;
        let (file, mark) = (self.files.get(index), self.marks.get(index));
        mark.read.then(|| FileOutcome {
            readable: true,
            file: Some(KeptFile {
                path: file.path.to_string(),
                abs_path: file.abs_path(),
                comment: mark.comment,
                role: file.role,
                text: None,
            }),
            ..FileOutcome::default()
        })
    }
}

/// Runs a scan.
pub fn scan(
    analyzers: &[&dyn DynAnalyzer],
    options: &ScanOptions<'_>,
) -> Result<Report, ScanError> {
    let started = Instant::now();
    let cache_before = options.cache.map(ResultCache::stats);
    if let Some(cache) = options.cache {
        cache.mark_in_use();
    }
    let all_analyzers = analyzers;
    // Analyzers none of whose rules run are not consulted at all: their files are not read.
    let analyzers: Vec<&dyn DynAnalyzer> = analyzers
        .iter()
        .copied()
        .filter(|a| a.rules().iter().any(|r| options.rules.is_enabled(r.id)))
        .collect();
    let first = first_pass(&analyzers, options, false)?;
    let FirstPass {
        files_discovered,
        walked,
        mut outcomes,
        mut facts,
        tally,
        mut loose,
        mut diagnostics,
    } = first;

    let today = options.today.unwrap_or_else(Date::today);
    // Pass 2: analyzers that look across files.
    let mut notes: Vec<CoverageNote> = Vec::new();
    for (index, analyzer) in analyzers.iter().enumerate() {
        let facts = std::mem::take(&mut facts[index]);
        let mut cx =
            ProjectContext::new(options.rules, options.network).with_scan(options.config, today);
        let result = guarded(
            analyzer.name(),
            "project checks",
            "cross-file findings",
            || {
                analyzer.check_project_erased(facts, &mut cx);
                notes.append(&mut cx.coverage);
                (cx.findings, cx.diagnostics)
            },
        );
        absorb(result, &mut outcomes, &walked, &mut loose, &mut diagnostics);
    }

    // The sources phase: what is not a file of the walk (history, live targets, advisories).
    for analyzer in &analyzers {
        let mut cx = SourcesContext {
            rules: options.rules,
            network: options.network,
            roots: &options.roots,
            walked: &walked.files,
            targets: options.targets,
            config: options.config,
            today,
            history: options.history.as_ref(),
            findings: Vec::new(),
            diagnostics: Vec::new(),
            coverage: Vec::new(),
        };
        let result = guarded(
            analyzer.name(),
            "sources phase",
            "findings about history and live targets",
            || {
                analyzer.check_sources(&mut cx);
                notes.append(&mut cx.coverage);
                (cx.findings, cx.diagnostics)
            },
        );
        absorb(result, &mut outcomes, &walked, &mut loose, &mut diagnostics);
    }
    diagnostics.extend(network::offline_notice(
        options.rules,
        options.network,
        !options.targets.is_empty(),
    ));
    let inputs = analyzer_inputs(&analyzers, &outcomes);

    // Pass 3, in parallel: suppressions, confidence filter, snippets and fingerprints.
    let ignores = Ignores::new(options.config, today);
    let finalizer = Finalizer {
        rules: options.rules,
        min_confidence: options.min_confidence,
        ignores: &ignores,
        today,
        show_secrets: options.show_secrets,
    };
    let outcomes: Vec<FileOutcome> = outcomes
        .into_par_iter()
        .map(|o| finalizer.file(o))
        .collect();

    let mut stats = Stats {
        files_discovered,
        files_analyzed: tally.analyzed.into_inner(),
        bytes_analyzed: tally.bytes.into_inner(),
        files_skipped: tally.skipped.into_inner(),
        scanned_at: Some(crate::date::scan_timestamp(options.today)),
        ..Stats::default()
    };
    let mut findings = Vec::new();
    let mut file_diagnostics = Vec::new();
    let mut suppressed_of: Vec<Recommendation> = Vec::new();
    for mut outcome in outcomes {
        stats.suppressed += outcome.counts.suppressed;
        stats.below_min_confidence += outcome.counts.below_min_confidence;
        suppressed_of.append(&mut outcome.counts.suppressed_of);
        findings.extend(outcome.findings);
        file_diagnostics.extend(outcome.diagnostics);
    }
    diagnostics.extend(file_diagnostics);

    // Findings in no scanned file, then the `[[ignore]]` entries that hid nothing or expired
    // (known only now that every finding went past them).
    let mut counts = Counts::default();
    findings.extend(finalizer.loose(loose, &mut counts));
    let leftovers = ignore_leftovers(&ignores, options);
    findings.extend(finalizer.loose(leftovers, &mut counts));
    stats.suppressed += counts.suppressed;
    stats.below_min_confidence += counts.below_min_confidence;
    suppressed_of.append(&mut counts.suppressed_of);

    let mut baselined = Vec::new();
    if let Some(baseline) = options.baseline {
        let known = baseline.fingerprints();
        findings.retain(|f| {
            let known = known.contains(f.fingerprint.as_str());
            if known && !f.rule_id.starts_with("palisade/") {
                baselined.push((f.recommendation, f.severity));
            }
            !known
        });
        stats.baselined = baselined.len();
    }
    if let Some(changed) = options.diff {
        let before = findings.len();
        findings.retain(|f| changed.touches(&f.location));
        stats.outside_diff = before - findings.len();
        stats.diff = Some(changed.scope().clone());
    }

    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.sort();
    diagnostics.dedup();
    if let Some(cache) = options.cache {
        cache.mark_in_use();
        cache.prune();
    }
    stats.cache = options
        .cache
        .zip(cache_before)
        .map(|(cache, before)| cache.stats().since(&before));
    stats.duration_ms = started.elapsed().as_millis() as u64;
    let mut rules: Vec<&'static RuleMeta> = options.rules.metas().collect();
    rules.sort_by_key(|r| r.id);
    let network = options.network;
    let bits_of = |path: &str| {
        walked
            .index_of(path)
            .map_or(0, |index| walked.marks.get(index).inputs)
    };
    let coverage = coverage::build(&LedgerFacts {
        registry: &registry(all_analyzers),
        ran: &|r| network::runs(options.rules, r, network),
        analyzers: &inputs,
        files: FileInputs::new(
            // Only files with inputs: a path is put together for each.
            walked
                .marks
                .iter()
                .enumerate()
                .filter(|(_, m)| m.inputs != 0)
                .map(|(index, m)| (walked.files.get(index).path, m.inputs)),
            &bits_of,
        ),
        notes: &notes,
        findings: &findings,
        baselined: &baselined,
        suppressed: &suppressed_of,
    });
    let mut roots: Vec<String> = options.roots.iter().map(|r| display_root(r)).collect();
    if let Some(stdin) = &options.stdin {
        roots.push(stdin.file.path.clone());
    }
    Ok(Report {
        roots,
        findings,
        diagnostics,
        rules,
        stats,
        coverage,
    })
}

/// What each analyzer was handed, for the coverage ledger.
fn analyzer_inputs(
    analyzers: &[&dyn DynAnalyzer],
    outcomes: &[FileOutcome],
) -> Vec<AnalyzerInputs> {
    let mut inputs: Vec<AnalyzerInputs> = analyzers
        .iter()
        .map(|a| AnalyzerInputs {
            rules: a.rules(),
            description: match a.input_kind() {
                "" => format!("files for the {} analyzer", a.name()),
                kind => kind.to_string(),
            },
            unreadable: 0,
        })
        .collect();
    // An unreadable file has a notice, so its outcome is always kept.
    for outcome in outcomes.iter().filter(|o| !o.readable) {
        for &index in &outcome.takers {
            if let Some(entry) = inputs.get_mut(index) {
                entry.unreadable += 1;
            }
        }
    }
    inputs
}

/// What [`collect`] returns: one analyzer's facts of every file, as its project pass would
/// receive them, and the notices about what could not be read or parsed.
pub struct Collected<F> {
    pub facts: Vec<F>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs `analyzer` over the files a scan with `options` would give it — the same walk, the
/// same reading, Kustomize renderings and all — and returns its facts instead of findings.
/// This is how side commands see exactly what `scan` sees.
pub fn collect<A: Analyzer>(
    analyzer: &A,
    options: &ScanOptions<'_>,
) -> Result<Collected<A::Facts>, ScanError> {
    let erased: &dyn DynAnalyzer = analyzer;
    let first = first_pass(&[erased], options, true)?;
    let FirstPass {
        outcomes,
        facts,
        mut diagnostics,
        ..
    } = first;
    let facts = facts
        .into_iter()
        .flatten()
        .filter_map(|f| f.downcast::<A::Facts>().ok().map(|f| *f))
        .collect();
    for outcome in outcomes {
        diagnostics.extend(outcome.diagnostics);
    }
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Collected { facts, diagnostics })
}

/// Pass 1: walk every root, then read each wanted file once and let every interested analyzer
/// check it, in parallel. Findings an analyzer reported in another file are moved there.
fn first_pass(
    analyzers: &[&dyn DynAnalyzer],
    options: &ScanOptions<'_>,
    collecting: bool,
) -> Result<FirstPass, ScanError> {
    for root in &options.roots {
        if !root.exists() {
            return Err(ScanError::NotFound(root.display().to_string()));
        }
    }
    let (files, mut diagnostics) = walk_roots(options);
    let selectors: Vec<CompiledSelector> = analyzers.iter().map(|a| a.files().compile()).collect();
    // By file: the analyzers (one bit each) whose selectors take its name. A file given
    // directly on the command line is reported under its file name, but is also selected by
    // the path it was given as (`.github/workflows/ci.yml` is a workflow even when named
    // alone).
    let given_files: Vec<&PathBuf> = options.roots.iter().filter(|r| r.is_file()).collect();
    // Decided twice (for the scanned set, then for the analysis) rather than kept: a large
    // tree would hold eight bytes per file for it.
    let takers_of = |f: &WalkedFile<'_>| {
        let given = (!given_files.is_empty())
            .then(|| f.abs_path())
            .and_then(|abs| given_files.iter().find(|root| ***root == abs))
            .map(|root| root.to_string_lossy().replace('\\', "/"));
        Takers::from_fn(selectors.len(), |i| {
            selectors[i].selects(&f.path)
                || given.as_deref().is_some_and(|p| selectors[i].selects(p))
        })
    };

    // Files an analyzer may report in from another file's check (not those too large to read).
    let max_size = options.config.max_file_size();
    // The configured limit, or the larger one an analyzer that takes the file asks for.
    let limit_for = |f: &WalkedFile<'_>, takers: Takers| {
        takers
            .iter()
            .filter_map(|i| analyzers[i].size_limit(&f.path))
            .fold(max_size, u64::max)
    };
    let scanned = ScannedPaths::of_walk(
        &files,
        |index| {
            let f = files.get(index);
            let takers = takers_of(&f);
            // The walk kept the sizes of files over `max_size` only: any other is no larger.
            !takers.is_empty() && f.large_size.unwrap_or(0) <= limit_for(&f, takers)
        },
        options.stdin.as_ref().map(|s| s.file.path.as_str()),
    );
    let total = scanned.len();
    let scanned = &scanned;
    // Each analyzer's state for this scan, dropped when the scan ends.
    let states: Vec<ErasedState> = analyzers.iter().map(|a| a.new_scan_state()).collect();
    // What the cache keys of each cached analyzer share (none in a collect run, whose checks
    // may skip their rules).
    let salts: Vec<Option<Vec<u8>>> = analyzers
        .iter()
        .map(|a| {
            let cache = options.cache.filter(|_| !collecting)?;
            let version = a.cache_version()?;
            Some(cache.analyzer_salt(a.name(), version, options.rules, a.rules(), options.network))
        })
        .collect();
    let run = Run {
        cache: options.cache,
        salts: &salts,
        network: options.network,
        states: &states,
        analyzers,
        selectors: &selectors,
        rules: options.rules,
        scanned,
        collecting,
    };

    let done = AtomicUsize::new(0);
    let found = AtomicUsize::new(0);
    let report_progress = |n: usize| {
        if let Some(progress) = options.progress {
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            let f = found.fetch_add(n, Ordering::Relaxed) + n;
            progress(d, total, f);
        }
    };
    let tally = Tally::default();
    // Each file's mark, and its facts and outcome when it has any (boxed: most files of a
    // large tree have neither).
    type Analysed = (Vec<(usize, ErasedFacts)>, Option<FileOutcome>);
    let analysed: Mutex<Vec<(u32, Box<Analysed>)>> = Mutex::new(Vec::new());
    let marks = FileMarks::gather(files.len(), |index| {
        let file = files.get(index);
        let selected = takers_of(&file);
        if selected.is_empty() {
            return FileMark::default();
        }
        let takers: Vec<usize> = selected.iter().collect();
        let mut outcome = match read::read_text(&file, limit_for(&file, selected)) {
            Ok(text) => {
                let comment = analyzers[takers[0]].comment_style(&file.path);
                let source = SourceFile::from_walk(
                    file.path.to_string(),
                    file.abs_path(),
                    comment,
                    file.role,
                    text,
                )
                .with_root(file.root.to_path_buf());
                run.analyze(source, &takers, true)
            }
            Err(diagnostic) if diagnostic.kind == DiagnosticKind::Binary => {
                run.analyze_binary(&file, &takers, diagnostic)
            }
            Err(diagnostic) => FileOutcome::skipped(diagnostic, &takers),
        };
        report_progress(outcome.raw.len());
        tally.add(&outcome);
        let mark = FileMark {
            read: outcome.file.is_some(),
            comment: outcome
                .file
                .as_ref()
                .map_or(CommentStyle::None, |f| f.comment),
            inputs: run.input_bits(&outcome),
        };
        let mut facts = std::mem::take(&mut outcome.facts);
        facts.shrink_to_fit();
        let kept = outcome.worth_keeping().then_some(outcome);
        if !facts.is_empty() || kept.is_some() {
            let mut analysed = analysed.lock().unwrap_or_else(|e| e.into_inner());
            analysed.push((index as u32, Box::new((facts, kept))));
        }
        mark
    });
    let mut analysed = analysed.into_inner().unwrap_or_else(|e| e.into_inner());
    // In file order, as the project passes expect their facts.
    analysed.sort_unstable_by_key(|(index, _)| *index);
    let mut outcomes = Vec::new();
    let mut facts: Vec<Vec<ErasedFacts>> = analyzers.iter().map(|_| Vec::new()).collect();
    for (_, rest) in analysed {
        let (file_facts, outcome) = *rest;
        for (index, f) in file_facts {
            facts[index].push(f);
        }
        outcomes.extend(outcome);
    }
    if let Some(stdin) = &options.stdin {
        let copy = SourceFile::new(
            stdin.file.path.clone(),
            stdin.file.abs_path.clone(),
            stdin.file.comment,
            stdin.file.text.clone(),
        );
        let takers: Vec<usize> = (0..analyzers.len())
            .filter(|&i| analyzers[i].name() == stdin.analyzer)
            .collect();
        let mut outcome = run.analyze(copy, &takers, false);
        report_progress(outcome.raw.len());
        tally.add(&outcome);
        for (index, f) in outcome.facts.drain(..) {
            facts[index].push(f);
        }
        outcomes.push(outcome);
    }
    let walked = Walked { files, marks };

    // Findings an analyzer reported in another file than the one it was checking, or about
    // a place that is no file.
    let mut elsewhere = Vec::new();
    for outcome in &mut outcomes {
        let Some(path) = outcome.file.as_ref().map(|s| s.path.clone()) else {
            continue;
        };
        let (here, there): (Vec<Finding>, Vec<Finding>) =
            std::mem::take(&mut outcome.raw).into_iter().partition(
                |f| matches!(&f.location, Place::File(l) if l.path.is_empty() || l.path == path),
            );
        outcome.raw = here;
        elsewhere.extend(there);
    }
    let mut loose = Vec::new();
    route(
        &mut outcomes,
        &walked,
        elsewhere,
        &mut loose,
        &mut diagnostics,
    );
    outcomes.shrink_to_fit();
    Ok(FirstPass {
        files_discovered: walked.files.len(),
        walked,
        outcomes,
        facts,
        tally,
        loose,
        diagnostics,
    })
}

/// The analyzers that take a file, one bit per analyzer index (a scan has a few dozen at
/// most; indexes from 64 on are never set).
#[derive(Clone, Copy, Default)]
struct Takers(u64);

impl Takers {
    fn from_fn(count: usize, mut takes: impl FnMut(usize) -> bool) -> Takers {
        Takers(
            (0..count.min(64))
                .filter(|&i| takes(i))
                .fold(0, |bits, i| bits | 1 << i),
        )
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn iter(self) -> impl Iterator<Item = usize> {
        (0..64).filter(move |i| self.0 & (1 << i) != 0)
    }
}

/// What a phase beyond single files produced, or the notice that replaces it when the
/// analyzer panicked.
type PhaseResult = Result<(Vec<Finding>, Vec<Diagnostic>), Diagnostic>;

/// Runs one analyzer phase that looks beyond a single file, turning a panic into a notice
/// that says which findings are incomplete: one bad input never ends a scan.
fn guarded(
    analyzer: &str,
    phase: &str,
    incomplete: &str,
    run: impl FnOnce() -> (Vec<Finding>, Vec<Diagnostic>),
) -> PhaseResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).map_err(|_| Diagnostic {
        path: None,
        line: None,
        kind: DiagnosticKind::Parse,
        message: format!(
            "internal error in the {analyzer} analyzer's {phase}; its {incomplete} are incomplete (please report it)"
        ),
    })
}

/// Routes a phase's findings and keeps its notices.
fn absorb(
    result: PhaseResult,
    outcomes: &mut Vec<FileOutcome>,
    walked: &Walked,
    loose: &mut Vec<Finding>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match result {
        Ok((findings, notes)) => {
            diagnostics.extend(notes);
            route(outcomes, walked, findings, loose, diagnostics);
        }
        Err(notice) => diagnostics.push(notice),
    }
}

/// Walks every root; files found twice (a root inside another) are kept once.
fn walk_roots(options: &ScanOptions<'_>) -> (FileList, Vec<Diagnostic>) {
    let settings = WalkSettings {
        prune_dirs: options.config.prune_dirs(),
        exclude: options.config.scan.exclude.clone(),
        sizes_kept_over: options.config.max_file_size(),
    };
    let mut files = FileList::default();
    let mut diagnostics = Vec::new();
    let several = options.roots.len() > 1;
    for root in &options.roots {
        let prefix = if several {
            display_root(root)
        } else {
            String::new()
        };
        let (found, notes) = discover::walk(root, &prefix, &settings);
        diagnostics.extend(notes);
        if !files.merge(found) {
            diagnostics.push(Diagnostic {
                path: Some(display_root(root)),
                line: None,
                kind: DiagnosticKind::Walk,
                message:
                    "the scan's paths together exceed 4 GB; this root's files were not scanned"
                        .to_string(),
            });
        }
    }
    (files, diagnostics)
}

/// Hands file findings to the outcome of the file they are in (reopening a file whose
/// outcome the first pass dropped), and keeps the others (a folder, the repository, a
/// target, a commit) aside. A finding in a file that was not analysed is a bug in the
/// analyzer that reported it: it becomes a diagnostic.
fn route(
    outcomes: &mut Vec<FileOutcome>,
    walked: &Walked,
    findings: Vec<Finding>,
    loose: &mut Vec<Finding>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if findings.is_empty() {
        return;
    }
    let mut by_path: HashMap<String, usize> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| Some((o.file.as_ref()?.path.clone(), i)))
        .collect();
    for finding in findings {
        let Place::File(location) = &finding.location else {
            loose.push(finding);
            continue;
        };
        let at = by_path.get(location.path.as_str()).copied().or_else(|| {
            let reopened = walked.reopen(&location.path)?;
            outcomes.push(reopened);
            by_path.insert(location.path.clone(), outcomes.len() - 1);
            Some(outcomes.len() - 1)
        });
        match at {
            Some(i) => outcomes[i].raw.push(finding),
            // A file outside the walk (the configuration file in a parent folder) whose rule
            // supplied the lines' content: finalised from that content.
            None if finding.content.is_some() => loose.push(finding),
            None => diagnostics.push(Diagnostic {
                path: Some(location.path.clone()),
                line: Some(location.span.start_line),
                kind: DiagnosticKind::Skipped,
                message: format!(
                    "internal error: {} reported in a file that was not analysed",
                    finding.rule.id
                ),
            }),
        }
    }
}

/// The `[[ignore]]` entries that expired or hid nothing, as findings in the configuration
/// file (whose text is read again only when there is such an entry).
fn ignore_leftovers(ignores: &Ignores<'_>, options: &ScanOptions<'_>) -> Vec<Finding> {
    let Some(config_path) = &options.config.source else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(config_path).unwrap_or_default();
    let shown = ignores::config_display_path(config_path, &options.roots, options.roots.len() > 1);
    ignores
        .leftovers(&shown, &text)
        .into_iter()
        .filter(|f| options.rules.is_enabled(f.rule.id))
        .collect()
}

/// A root as reported paths start with it when a scan has several: as given, with `/`
/// separators and no trailing `/`.
pub fn display_root(root: &Path) -> String {
    let shown = root.to_string_lossy().replace('\\', "/");
    let trimmed = shown.trim_end_matches('/');
    if trimmed.is_empty() {
        shown
    } else {
        trimmed.to_string()
    }
}

/// What every file of one run is checked with.
struct Run<'a> {
    cache: Option<&'a ResultCache>,
    /// By analyzer: the shared part of its cache keys, when its checks are cached.
    salts: &'a [Option<Vec<u8>>],
    network: NetworkAccess,
    states: &'a [ErasedState],
    analyzers: &'a [&'a dyn DynAnalyzer],
    selectors: &'a [CompiledSelector],
    rules: &'a RuleSet,
    scanned: &'a ScannedPaths<'a>,
    collecting: bool,
}

impl Run<'_> {
    /// The recommendations `outcome`'s file counts as an input of in the coverage ledger
    /// (none in a collect run, which has no ledger).
    fn input_bits(&self, outcome: &FileOutcome) -> u16 {
        let Some(file) = outcome.file.as_ref().filter(|_| outcome.readable) else {
            return 0;
        };
        let readers = outcome
            .takers
            .iter()
            .flat_map(|&i| self.analyzers[i].rules_for(&file.path));
        coverage::file_input_bits(
            readers,
            |r| network::runs(self.rules, r, self.network),
            |id| self.rules.applies(id, &file.path),
        )
    }

    /// A binary file the selectors took by name: the analyzers that read its format in
    /// binary form (`Analyzer::decode_binary`) check their text rendering of it; when none
    /// does, it is skipped with the binary notice, as before. The rendering exists only in
    /// memory, so it is kept for the findings' snippets.
    fn analyze_binary(
        &self,
        file: &WalkedFile<'_>,
        takers: &[usize],
        binary_notice: Diagnostic,
    ) -> FileOutcome {
        let Ok(bytes) = std::fs::read(file.abs_path()) else {
            return FileOutcome::skipped(binary_notice, takers);
        };
        let mut outcome: Option<FileOutcome> = None;
        let mut notices = Vec::new();
        for &index in takers {
            let analyzer = self.analyzers[index];
            let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                analyzer.decode_binary(&file.path, &bytes)
            }));
            let text = match decoded {
                Ok(None) => continue,
                Ok(Some(Ok(text))) => text,
                Ok(Some(Err(why))) => {
                    notices.push(Diagnostic::file(&file.path, DiagnosticKind::Parse, why));
                    continue;
                }
                Err(_) => {
                    notices.push(Diagnostic::file(
                        &file.path,
                        DiagnosticKind::Parse,
                        format!(
                            "internal error in the {} analyzer while decoding this binary file (please report it)",
                            analyzer.name()
                        ),
                    ));
                    continue;
                }
            };
            let source = SourceFile::from_walk(
                file.path.to_string(),
                file.abs_path(),
                analyzer.comment_style(&file.path),
                file.role,
                text,
            )
            .with_root(file.root.to_path_buf());
            let mut one = self.analyze(source, &[index], false);
            one.bytes = bytes.len() as u64;
            // Two analyzers reading one binary format is not a case palisade has; the first
            // one's outcome stands and the others' would only repeat the file.
            match &mut outcome {
                None => outcome = Some(one),
                Some(first) => first.diagnostics.extend(one.diagnostics),
            }
        }
        match outcome {
            Some(mut outcome) => {
                outcome.diagnostics.extend(notices);
                outcome
            }
            None if notices.is_empty() => FileOutcome::skipped(binary_notice, takers),
            None => {
                let mut outcome = FileOutcome::skipped(notices.remove(0), takers);
                outcome.diagnostics.extend(notices);
                outcome
            }
        }
    }

    /// Runs every interested analyzer over one file. Never panics on file content: an
    /// analyzer that panics anyway is caught and turned into a diagnostic, so one bad file
    /// cannot end a scan. `rereadable`: the file can be read from disk again later.
    fn analyze(&self, source: SourceFile, takers: &[usize], rereadable: bool) -> FileOutcome {
        let mut outcome = FileOutcome {
            bytes: source.text.len() as u64,
            ..FileOutcome::default()
        };
        let mut digest: Option<[u8; 32]> = None;
        for &index in takers {
            let analyzer = self.analyzers[index];
            if !self.selectors[index].takes(&source.text) {
                continue;
            }
            // Read, and taken by at least one analyzer (its content sniff, if any, agreed).
            outcome.analyzed = true;
            outcome.readable = true;
            outcome.takers.push(index);
            // A cached analyzer's entry for this file: its result without running it.
            let state: &(dyn std::any::Any + Send + Sync) = self.states[index].as_ref();
            let cached = self
                .cache
                .zip(self.salts.get(index).and_then(Option::as_deref))
                .filter(|_| rereadable)
                .and_then(|(cache, salt)| {
                    let keying = FileContext::new(&source, self.rules)
                        .with_network(self.network)
                        .with_scanned(self.scanned)
                        .with_stash(crate::cache::Stash::new(cache, analyzer.name()));
                    let extra = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        analyzer.cache_key_erased(&source, &keying, state)
                    }))
                    .ok()
                    .flatten()?;
                    let digest =
                        digest.get_or_insert_with(|| ResultCache::digest(source.text.as_bytes()));
                    let context = format!("{:?} {:?} {extra}", source.role, source.comment);
                    Some((
                        cache,
                        ResultCache::key(salt, &source.path, &context, digest),
                    ))
                });
            if let Some((cache, key)) = &cached
                && let Some(entry) = cache.get(analyzer.name(), key, analyzer.rules(), |v| {
                    analyzer.decode_facts(v)
                })
            {
                outcome.raw.extend(entry.findings);
                outcome.diagnostics.extend(entry.diagnostics);
                outcome.facts.extend(entry.facts.map(|f| (index, f)));
                continue;
            }
            let mut cx = FileContext::new(&source, self.rules).with_network(self.network);
            if let Some(cache) = self.cache {
                cx = cx.with_stash(crate::cache::Stash::new(cache, analyzer.name()));
            }
            // A cached check must not depend on the scan's other files.
            if cached.is_none() {
                cx = cx.with_scanned(self.scanned);
            }
            if self.collecting {
                cx = cx.collecting();
            }
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let facts = analyzer.check_file_erased(&source, &mut cx, state);
                (cx.into_parts(), facts)
            }));
            match run {
                Ok(((findings, diagnostics), facts)) => {
                    if let Some((cache, key)) = &cached {
                        // Facts that cannot be stored leave the file uncached.
                        let stored = match &facts {
                            None => Some(None),
                            Some(f) => analyzer.encode_facts(f).map(Some),
                        };
                        if let Some(stored) = stored {
                            cache.put(analyzer.name(), key, &findings, &diagnostics, stored);
                        }
                    }
                    if !self.collecting {
                        outcome.raw.extend(findings);
                    }
                    outcome.diagnostics.extend(diagnostics);
                    outcome.facts.extend(facts.map(|f| (index, f)));
                }
                Err(_) => outcome.diagnostics.push(Diagnostic::file(
                    &source.path,
                    DiagnosticKind::Parse,
                    format!(
                        "internal error in the {} analyzer; this file's {} findings are incomplete (please report it)",
                        analyzer.name(),
                        analyzer.name()
                    ),
                )),
            }
        }
        if !self.collecting {
            outcome.suppressions = suppress::parse(&source);
            for s in &outcome.suppressions {
                for (old, new) in &s.renamed {
                    outcome.diagnostics.push(
                        Diagnostic::file(
                            &source.path,
                            DiagnosticKind::RenamedRule,
                            crate::rule::renamed_rule_notice(old, new),
                        )
                        .at_line(s.span.start_line),
                    );
                }
            }
            // Kept: findings may still arrive from other files' checks and the project pass.
            let keep_text =
                !rereadable || !outcome.raw.is_empty() || !outcome.suppressions.is_empty();
            outcome.file = Some(KeptFile {
                path: source.path,
                abs_path: source.abs_path,
                comment: source.comment,
                role: source.role,
                text: keep_text.then_some(source.text),
            });
        }
        outcome
    }
}

/// Every rule of `analyzers` plus palisade's own rules, for registries and `rules`.
pub fn registry(analyzers: &[&dyn DynAnalyzer]) -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = crate::rules::RULES.to_vec();
    for a in analyzers {
        all.extend_from_slice(a.rules());
    }
    // A hash set: every scan builds the registry for its coverage ledger, and ordered
    // string comparisons of hundreds of ids were a tenth of a small scan's time.
    let mut seen = HashSet::with_capacity(all.len());
    all.retain(|r| seen.insert(r.id));
    all
}

/// The `[analyzers.<name>]` sections and top-level tables of `analyzers` that have them.
pub fn settings_sections(analyzers: &[&dyn DynAnalyzer]) -> Vec<SettingsSection> {
    analyzers
        .iter()
        .map(|a| SettingsSection {
            analyzer: a.name(),
            settings: a.settings(),
            table: a.config_table(),
        })
        .filter(|s| s.settings.is_some() || s.table.is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::finalize::{mask_line, redact_line, reported_severity};
    use super::{FileMark, FileMarks};
    use crate::source::CommentStyle;

    #[test]
    fn file_marks_share_a_table_and_keep_the_rest_aside() {
        // 300 distinct marks over 1,000 files: the first 255 go in the table.
        let mark_of = |index: usize| FileMark {
            read: index.is_multiple_of(2),
            comment: if index.is_multiple_of(3) {
                CommentStyle::Hash
            } else {
                CommentStyle::Slash
            },
            inputs: (index % 300) as u16,
        };
        let marks = FileMarks::gather(1_000, mark_of);
        assert_eq!(marks.distinct.len(), 255);
        assert!(!marks.aside.is_empty());
        for index in 0..1_000 {
            assert!(marks.get(index) == mark_of(index), "file {index}");
        }
        assert!(marks.iter().eq((0..1_000).map(mark_of)));
        assert!(marks.get(1_000) == FileMark::default());
    }
    use crate::config::ActiveRule;
    use crate::finding::{Severity, Span};
    use crate::rule::RuleMeta;

    #[test]
    fn a_finding_keeps_its_own_severity_unless_the_configuration_changes_the_rules() {
        let meta: &'static RuleMeta = &crate::rules::unused_suppression::META;
        let lower = if meta.severity == Severity::Low {
            Severity::Info
        } else {
            Severity::Low
        };
        let default = ActiveRule {
            meta,
            severity: meta.severity,
            ignore_paths: None,
            options: Default::default(),
        };
        assert_eq!(reported_severity(lower, &default), lower);
        assert_eq!(reported_severity(meta.severity, &default), meta.severity);
        let configured = ActiveRule {
            severity: Severity::Critical,
            ..default
        };
        assert_eq!(reported_severity(lower, &configured), Severity::Critical);
    }

    #[test]
    fn secrets_are_masked_in_snippets() {
        let secret = Span {
            start_line: 1,
            start_column: 11,
            end_line: 1,
            end_column: 25,
        };
        let masked = mask_line("password: \"hunter2-prod\"", 1, &[secret]);
        assert_eq!(masked, "password: \"h************");
        assert_eq!(mask_line("other line", 2, &[secret]), "other line");
        let shown = redact_line("password: \"hunter2-prod\"", 1, &[secret]);
        assert_eq!(shown, "password: \"hun…");
        let short = Span {
            start_column: 12,
            end_column: 19,
            ..secret
        };
        assert_eq!(
            redact_line("password: \"hunter2\"", 1, &[short]),
            "password: \"hu…\""
        );
    }
}
