//! The scan pipeline: walk, classify, then read and analyse the sorted file list in parallel;
//! apply suppressions, confidence filter, fingerprints and baseline; sort.
//!
//! Analyzers plug in through [`Analyzer`]. They never see each other, and never read files
//! themselves: the engine reads each file once and hands the same text to every analyzer that
//! accepts its kind.

use crate::baseline::Baseline;
use crate::config::{Config, RuleSet};
use crate::date::Date;
use crate::discover::{self, DiscoveredFile, WalkSettings};
use crate::finding::{Confidence, Finding, Span};
use crate::fingerprint;
use crate::report::{Diagnostic, DiagnosticKind, Report, Stats};
use crate::rule::RuleMeta;
use crate::rules::{expired_suppression, unused_suppression};
use crate::source::{FileKind, SourceFile};
use crate::suppress;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One analysis domain (Python, Kubernetes, …): its rules and how it checks a file.
pub trait Analyzer: Send + Sync {
    /// The domain, the first part of its rule ids.
    fn domain(&self) -> &'static str;
    /// Every rule of the domain, in registration order.
    fn rules(&self) -> &'static [&'static RuleMeta];
    /// Whether files of this kind are for this analyzer.
    fn accepts(&self, kind: FileKind) -> bool;
    /// Checks one file, reporting through `cx`. Must not panic on any input: malformed input
    /// becomes `cx.notice(...)`.
    fn check_file(&self, file: &SourceFile, cx: &mut FileContext<'_>);
    /// Called once after every file was checked, with what `check_file` kept through
    /// [`FileContext::keep`], for rules that look across files (RBAC bindings in one file,
    /// roles in another). Findings must name their file (`Finding::with_path`).
    fn check_project(&self, _facts: Vec<Facts>, _cx: &mut ProjectContext<'_>) {}
}

/// What an analyzer keeps from one file for its project pass.
pub type Facts = Box<dyn std::any::Any + Send>;

/// What an analyzer may do in its project pass.
pub struct ProjectContext<'a> {
    rules: &'a RuleSet,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
}

impl ProjectContext<'_> {
    pub fn wants(&self, rule: &RuleMeta) -> bool {
        self.rules.is_enabled(rule.id)
    }

    pub fn rules(&self) -> &RuleSet {
        self.rules
    }

    /// Reports a finding; its location must carry the file's path.
    pub fn report(&mut self, finding: Finding) {
        if self.rules.applies(&finding.rule_id, &finding.location.path) {
            self.findings.push(finding);
        }
    }

    /// Records that something could not be checked (one notice for a whole Helm chart, …).
    pub fn notice(&mut self, path: Option<&str>, kind: DiagnosticKind, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            path: path.map(str::to_string),
            line: None,
            kind,
            message: message.into(),
        });
    }
}

/// What an analyzer may do while checking one file.
pub struct FileContext<'a> {
    file: &'a SourceFile,
    rules: &'a RuleSet,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    facts: Option<Facts>,
    scanned: Option<&'a HashSet<String>>,
}

impl<'a> FileContext<'a> {
    pub fn new(file: &'a SourceFile, rules: &'a RuleSet) -> FileContext<'a> {
        FileContext {
            file,
            rules,
            findings: Vec::new(),
            diagnostics: Vec::new(),
            facts: None,
            scanned: None,
        }
    }

    /// Tells the context which files the scan analyses (their paths), for
    /// [`FileContext::is_scanned`].
    pub fn with_scanned(mut self, scanned: &'a HashSet<String>) -> FileContext<'a> {
        self.scanned = Some(scanned);
        self
    }

    /// Whether the file at `path` (relative to the scan root, like `SourceFile::path`) is
    /// analysed in this scan, so that [`FileContext::report_in`] may point a finding there.
    /// True when the context was not told (a context made for a single file).
    pub fn is_scanned(&self, path: &str) -> bool {
        self.scanned.is_none_or(|s| s.contains(path))
    }

    /// Keeps `facts` about this file for the analyzer's project pass.
    pub fn keep(&mut self, facts: impl std::any::Any + Send) {
        self.facts = Some(Box::new(facts));
    }

    /// Whether `rule` runs on this file; analyzers skip work for rules that do not.
    pub fn wants(&self, rule: &RuleMeta) -> bool {
        self.rules.applies(rule.id, &self.file.path)
    }

    /// Whether any of `rules` runs on this file.
    pub fn wants_any(&self, rules: &[&RuleMeta]) -> bool {
        rules.iter().any(|r| self.wants(r))
    }

    pub fn rules(&self) -> &RuleSet {
        self.rules
    }

    /// Reports a finding in this file. Findings of rules that do not run here are dropped.
    pub fn report(&mut self, mut finding: Finding) {
        if !self.rules.applies(&finding.rule_id, &self.file.path) {
            return;
        }
        finding.location.path = self.file.path.clone();
        for related in &mut finding.related {
            if related.location.path.is_empty() {
                related.location.path = self.file.path.clone();
            }
        }
        self.findings.push(finding);
    }

    /// Reports a finding in ANOTHER file of the scan (its location's path, relative to the
    /// scan root, must be set): an analyzer that renders several files into one (Kustomize)
    /// points findings back at the file that defined the offending line.
    pub fn report_in(&mut self, finding: Finding) {
        if finding.location.path.is_empty() {
            return self.report(finding);
        }
        if self.rules.applies(&finding.rule_id, &finding.location.path) {
            self.findings.push(finding);
        }
    }

    /// The scan root this file was found under (its absolute path minus its relative one).
    pub fn root(&self) -> Option<std::path::PathBuf> {
        let depth = self.file.path.split('/').count();
        let mut root = self.file.abs_path.as_path();
        for _ in 0..depth {
            root = root.parent()?;
        }
        Some(root.to_path_buf())
    }

    /// Records that (part of) this file could not be checked.
    pub fn notice(&mut self, kind: DiagnosticKind, line: Option<u32>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            path: Some(self.file.path.clone()),
            line,
            kind,
            message: message.into(),
        });
    }

    pub fn into_parts(self) -> (Vec<Finding>, Vec<Diagnostic>, Option<Facts>) {
        (self.findings, self.diagnostics, self.facts)
    }
}

/// Everything a scan needs besides the analyzers.
pub struct ScanOptions<'a> {
    /// Folders or files to scan, as the user gave them.
    pub roots: Vec<PathBuf>,
    pub config: &'a Config,
    pub rules: &'a RuleSet,
    pub min_confidence: Confidence,
    pub baseline: Option<&'a Baseline>,
    /// A file that is not on disk (standard input), analysed beside the walked ones.
    pub stdin: Option<SourceFile>,
    /// Called after each analysed file with (files done, files to do, findings so far).
    pub progress: Option<&'a (dyn Fn(usize, usize, usize) + Sync)>,
}

/// A scan that could not run at all (bad roots). Per-file problems are diagnostics instead.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{0}: no such file or folder")]
    NotFound(String),
}

/// Runs a scan.
pub fn scan(analyzers: &[&dyn Analyzer], options: &ScanOptions<'_>) -> Result<Report, ScanError> {
    let started = Instant::now();
    for root in &options.roots {
        if !root.exists() {
            return Err(ScanError::NotFound(root.display().to_string()));
        }
    }
    let settings = WalkSettings {
        prune_dirs: options.config.prune_dirs(),
        exclude: options.config.scan.exclude.clone(),
    };
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let several = options.roots.len() > 1;
    for root in &options.roots {
        let prefix = if several {
            display_root(root)
        } else {
            String::new()
        };
        let (found, notes) = discover::walk(root, &prefix, &settings);
        files.extend(found);
        diagnostics.extend(notes);
    }
    files.sort();
    files.dedup_by(|a, b| a.path == b.path);

    // Analyzers none of whose rules run are not consulted at all: their files are not read.
    let analyzers: Vec<&dyn Analyzer> = analyzers
        .iter()
        .copied()
        .filter(|a| a.rules().iter().any(|r| options.rules.is_enabled(r.id)))
        .collect();
    let analyzers = analyzers.as_slice();
    let mut stats = Stats {
        files_discovered: files.len(),
        ..Stats::default()
    };
    let wanted: Vec<&DiscoveredFile> = files
        .iter()
        .filter(|f| analyzers.iter().any(|a| a.accepts(f.kind)))
        .collect();

    // Files an analyzer may report in from another file's check (not those too large to read).
    let max_size = options.config.max_file_size();
    let mut scanned: HashSet<String> = wanted
        .iter()
        .filter(|f| f.size <= max_size)
        .map(|f| f.path.clone())
        .collect();
    if let Some(stdin) = &options.stdin {
        scanned.insert(stdin.path.clone());
    }
    let scanned = &scanned;

    // Pass 1, in parallel: read each file once and let every interested analyzer check it.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let found = std::sync::atomic::AtomicUsize::new(0);
    let total = wanted.len() + usize::from(options.stdin.is_some());
    let report_progress = |n: usize| {
        if let Some(progress) = options.progress {
            use std::sync::atomic::Ordering::Relaxed;
            let d = done.fetch_add(1, Relaxed) + 1;
            let f = found.fetch_add(n, Relaxed) + n;
            progress(d, total, f);
        }
    };
    let mut outcomes: Vec<FileOutcome> = wanted
        .par_iter()
        .map(|file| {
            let outcome = match read_text(file, options.config.max_file_size()) {
                Ok(text) => {
                    let source =
                        SourceFile::new(file.path.clone(), file.abs_path.clone(), file.kind, text);
                    analyze(source, analyzers, options.rules, scanned)
                }
                Err(diagnostic) => FileOutcome::skipped(diagnostic),
            };
            report_progress(outcome.raw.len());
            outcome
        })
        .collect();
    if let Some(stdin) = &options.stdin {
        let copy = SourceFile::new(
            stdin.path.clone(),
            stdin.abs_path.clone(),
            stdin.kind,
            stdin.text.clone(),
        );
        let outcome = analyze(copy, analyzers, options.rules, scanned);
        report_progress(outcome.raw.len());
        outcomes.push(outcome);
    }

    // Findings an analyzer reported in another file than the one it was checking.
    let mut elsewhere = Vec::new();
    for outcome in &mut outcomes {
        let Some(path) = outcome.source.as_ref().map(|s| s.path.clone()) else {
            continue;
        };
        let (here, there): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut outcome.raw)
            .into_iter()
            .partition(|f| f.location.path.is_empty() || f.location.path == path);
        outcome.raw = here;
        elsewhere.extend(there);
    }
    let mut extra_diagnostics = Vec::new();
    route(&mut outcomes, elsewhere, &mut extra_diagnostics);

    // Pass 2: analyzers that look across files.
    for (index, analyzer) in analyzers.iter().enumerate() {
        let facts: Vec<Facts> = outcomes
            .iter_mut()
            .filter_map(|o| {
                let at = o.facts.iter().position(|(i, _)| *i == index)?;
                Some(o.facts.swap_remove(at).1)
            })
            .collect();
        let mut cx = ProjectContext {
            rules: options.rules,
            findings: Vec::new(),
            diagnostics: Vec::new(),
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            analyzer.check_project(facts, &mut cx);
            (cx.findings, cx.diagnostics)
        }));
        match run {
            Ok((findings, diagnostics)) => {
                extra_diagnostics.extend(diagnostics);
                route(&mut outcomes, findings, &mut extra_diagnostics);
            }
            Err(_) => extra_diagnostics.push(Diagnostic {
                path: None,
                line: None,
                kind: DiagnosticKind::Parse,
                message: format!(
                    "internal error in the {} analyzer's project checks; its cross-file findings are incomplete (please report it)",
                    analyzer.domain()
                ),
            }),
        }
    }

    // Pass 3, in parallel: suppressions, confidence filter, snippets and fingerprints.
    let today = Date::today();
    let outcomes: Vec<FileOutcome> = outcomes
        .into_par_iter()
        .map(|o| finalize(o, options, today))
        .collect();

    let mut findings = Vec::new();
    for outcome in outcomes {
        if outcome.analyzed {
            stats.files_analyzed += 1;
            stats.bytes_analyzed += outcome.bytes;
        } else {
            stats.files_skipped += 1;
        }
        stats.suppressed += outcome.suppressed;
        stats.below_min_confidence += outcome.below_min_confidence;
        findings.extend(outcome.findings);
        diagnostics.extend(outcome.diagnostics);
    }
    diagnostics.extend(extra_diagnostics);

    if let Some(baseline) = options.baseline {
        let known = baseline.fingerprints();
        let before = findings.len();
        findings.retain(|f| !known.contains(f.fingerprint.as_str()));
        stats.baselined = before - findings.len();
    }

    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.sort();
    diagnostics.dedup();
    stats.duration_ms = started.elapsed().as_millis() as u64;
    let mut rules: Vec<&'static RuleMeta> = options.rules.metas().collect();
    rules.sort_by_key(|r| r.id);
    let mut roots: Vec<String> = options.roots.iter().map(|r| display_root(r)).collect();
    if let Some(stdin) = &options.stdin {
        roots.push(stdin.path.clone());
    }
    Ok(Report {
        roots,
        findings,
        diagnostics,
        rules,
        stats,
    })
}

/// Hands findings to the outcome of the file they are in. A finding in a file that was not
/// analysed is a bug in the analyzer that reported it: it becomes a diagnostic.
fn route(outcomes: &mut [FileOutcome], findings: Vec<Finding>, diagnostics: &mut Vec<Diagnostic>) {
    if findings.is_empty() {
        return;
    }
    let by_path: HashMap<String, usize> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| Some((o.source.as_ref()?.path.clone(), i)))
        .collect();
    for finding in findings {
        match by_path.get(finding.location.path.as_str()) {
            Some(&i) => outcomes[i].raw.push(finding),
            None => diagnostics.push(Diagnostic {
                path: Some(finding.location.path.clone()),
                line: Some(finding.location.span.start_line),
                kind: DiagnosticKind::Skipped,
                message: format!(
                    "internal error: {} reported in a file that was not analysed",
                    finding.rule_id
                ),
            }),
        }
    }
}

fn display_root(root: &Path) -> String {
    let shown = root.to_string_lossy().replace('\\', "/");
    let trimmed = shown.trim_end_matches('/');
    if trimmed.is_empty() {
        shown
    } else {
        trimmed.to_string()
    }
}

/// The severity a finding is reported at: the one configured for its rule when the
/// configuration changed the rule's severity (it then applies to all the rule's findings);
/// otherwise the one the rule gave the finding, its default or a finer one chosen with
/// `Finding::with_severity`.
fn reported_severity(
    finding: crate::finding::Severity,
    active: &crate::config::ActiveRule,
) -> crate::finding::Severity {
    if active.severity != active.meta.severity {
        active.severity
    } else {
        finding
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ActiveRule;
    use crate::finding::Severity;

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
    }
}

/// One file's journey through the passes.
#[derive(Default)]
struct FileOutcome {
    analyzed: bool,
    bytes: u64,
    /// Kept while something may still be reported or suppressed in it.
    source: Option<SourceFile>,
    /// Findings before suppressions and filters.
    raw: Vec<Finding>,
    suppressions: Vec<suppress::Suppression>,
    /// Facts for the project pass, by analyzer index.
    facts: Vec<(usize, Facts)>,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    suppressed: usize,
    below_min_confidence: usize,
}

impl FileOutcome {
    fn skipped(diagnostic: Diagnostic) -> FileOutcome {
        FileOutcome {
            diagnostics: vec![diagnostic],
            ..FileOutcome::default()
        }
    }
}

/// Runs every interested analyzer over one file. Never panics on file content: an analyzer
/// that panics anyway is caught and turned into a diagnostic, so one bad file cannot end a
/// scan.
fn analyze(
    source: SourceFile,
    analyzers: &[&dyn Analyzer],
    rules: &RuleSet,
    scanned: &HashSet<String>,
) -> FileOutcome {
    let mut outcome = FileOutcome {
        analyzed: true,
        bytes: source.text.len() as u64,
        ..FileOutcome::default()
    };
    for (index, analyzer) in analyzers.iter().enumerate() {
        if !analyzer.accepts(source.kind) {
            continue;
        }
        let mut cx = FileContext::new(&source, rules).with_scanned(scanned);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            analyzer.check_file(&source, &mut cx);
            cx.into_parts()
        }));
        match run {
            Ok((findings, diagnostics, facts)) => {
                outcome.raw.extend(findings);
                outcome.diagnostics.extend(diagnostics);
                outcome.facts.extend(facts.map(|f| (index, f)));
            }
            Err(_) => outcome.diagnostics.push(Diagnostic::file(
                &source.path,
                DiagnosticKind::Parse,
                format!(
                    "internal error in the {} analyzer; this file's {} findings are incomplete (please report it)",
                    analyzer.domain(),
                    analyzer.domain()
                ),
            )),
        }
    }
    outcome.suppressions = suppress::parse(&source);
    // Kept: findings may still arrive from other files' checks and the project pass.
    outcome.source = Some(source);
    outcome
}

/// Applies suppressions, severity overrides and the confidence filter, and fills in snippets
/// and fingerprints.
fn finalize(mut outcome: FileOutcome, options: &ScanOptions<'_>, today: Date) -> FileOutcome {
    let Some(source) = outcome.source.take() else {
        return outcome;
    };
    let mut raw = std::mem::take(&mut outcome.raw);
    for finding in &mut raw {
        finalize_span(&source, &mut finding.location.span);
        if let Some(active) = options.rules.get(&finding.rule_id) {
            finding.severity = reported_severity(finding.severity, active);
        }
    }
    let applied = suppress::apply(raw, &outcome.suppressions, today);
    outcome.suppressed = applied.suppressed;
    let mut findings = applied.kept;
    findings.extend(suppression_findings(
        &source,
        &outcome.suppressions,
        &applied.used,
        options.rules,
        today,
    ));
    let before = findings.len();
    findings.retain(|f| f.confidence >= options.min_confidence);
    outcome.below_min_confidence = before - findings.len();

    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // The same rule at the same place twice (a Kustomize base rendered by two overlays) is
    // one finding.
    findings.dedup_by(|a, b| a.rule_id == b.rule_id && a.location.span == b.location.span);
    let mut occurrences: HashMap<(String, String), usize> = HashMap::new();
    for finding in &mut findings {
        finding.snippet = snippet(&source, &finding.location.span, &finding.secrets);
        let n = occurrences
            .entry((
                finding.rule_id.clone(),
                fingerprint::normalise(&finding.snippet),
            ))
            .or_default();
        finding.fingerprint =
            fingerprint::fingerprint(&finding.rule_id, &source.path, &finding.snippet, *n);
        *n += 1;
    }
    outcome.findings = findings;
    outcome
}

/// Turns a suppression's leftovers into findings of palisade's own rules.
fn suppression_findings(
    source: &SourceFile,
    suppressions: &[suppress::Suppression],
    used: &[Vec<bool>],
    rules: &RuleSet,
    today: Date,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (s, used) in suppressions.iter().zip(used) {
        let mut finding = None;
        if s.is_expired(today) {
            finding = Some(expired_suppression::finding(
                s.span,
                s.until,
                s.bad_until.as_deref(),
            ));
        } else {
            for (id, used) in s.rule_ids.iter().zip(used) {
                let known = rules.is_known(id);
                // A rule that did not run on this file cannot have matched: that is no
                // evidence of a stale suppression.
                if *used || (known && !rules.applies(id, &source.path)) {
                    continue;
                }
                out.push(unused_suppression::finding(s.span, id, known));
            }
        }
        out.extend(finding);
    }
    out.retain(|f| rules.applies(&f.rule_id, &source.path));
    for f in &mut out {
        f.location.path = source.path.clone();
    }
    out
}

/// Clamps a span into the file and gives whole-line spans (end column 1 on the start line)
/// their real end.
fn finalize_span(source: &SourceFile, span: &mut Span) {
    let last = source.line_count().max(1);
    span.start_line = span.start_line.clamp(1, last);
    span.end_line = span.end_line.clamp(span.start_line, last);
    span.start_column = span.start_column.max(1);
    if span.end_line == span.start_line && span.end_column <= span.start_column {
        let line_end = source.line(span.start_line).trim_end().chars().count() as u32 + 1;
        span.end_column = line_end.max(span.start_column + 1);
    }
}

/// The primary span's lines (at most five), as the finding's snippet, with secrets masked.
fn snippet(source: &SourceFile, span: &Span, secrets: &[Span]) -> String {
    let end = span.end_line.min(span.start_line + 4);
    (span.start_line..=end)
        .map(|n| mask_line(source.line(n), n, secrets))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces the characters of `line` (number `n`) that fall in a secret span: the first two
/// characters stay (enough to recognise which value it is), the rest becomes `*`.
fn mask_line(line: &str, n: u32, secrets: &[Span]) -> String {
    let covering: Vec<&Span> = secrets
        .iter()
        .filter(|s| s.start_line <= n && n <= s.end_line)
        .collect();
    if covering.is_empty() {
        return line.to_string();
    }
    line.chars()
        .enumerate()
        .map(|(i, c)| {
            let column = i as u32 + 1;
            let inside = covering.iter().find(|s| {
                (s.start_line < n || column >= s.start_column)
                    && (s.end_line > n || column < s.end_column)
            });
            match inside {
                Some(s) if s.start_line == n && column < s.start_column + 2 => c,
                Some(_) => '*',
                None => c,
            }
        })
        .collect()
}

/// Reads a discovered file as text, or says why it cannot be analysed.
fn read_text(file: &DiscoveredFile, max_size: u64) -> Result<String, Diagnostic> {
    let skip = |kind, message: String| Diagnostic::file(&file.path, kind, message);
    if file.size > max_size {
        return Err(skip(
            DiagnosticKind::TooLarge,
            format!(
                "{} bytes is over the {} byte limit (scan.max-file-size); not analysed",
                file.size, max_size
            ),
        ));
    }
    let bytes = std::fs::read(&file.abs_path)
        .map_err(|e| skip(DiagnosticKind::Unreadable, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max_size {
        return Err(skip(
            DiagnosticKind::TooLarge,
            format!("grew past the {max_size} byte limit while scanning; not analysed"),
        ));
    }
    decode(&bytes).map_err(|(kind, message)| skip(kind, message))
}

/// UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is not analysed.
pub fn decode(bytes: &[u8]) -> Result<String, (DiagnosticKind, String)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest);
    }
    let utf16 = |rest: &[u8], little: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if little {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| {
            (
                DiagnosticKind::Encoding,
                "invalid UTF-16; not analysed".to_string(),
            )
        })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err((
            DiagnosticKind::Binary,
            "binary content (NUL bytes); not analysed".to_string(),
        ));
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> Result<String, (DiagnosticKind, String)> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        (
            DiagnosticKind::Encoding,
            format!("not valid UTF-8 (first bad byte on line {line}); not analysed"),
        )
    })
}

/// Every rule id of `analyzers` plus palisade's own rules, for registries and `rules`.
pub fn registry(analyzers: &[&dyn Analyzer]) -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = crate::rules::RULES.to_vec();
    for a in analyzers {
        all.extend_from_slice(a.rules());
    }
    let mut seen = BTreeSet::new();
    all.retain(|r| seen.insert(r.id));
    all
}
