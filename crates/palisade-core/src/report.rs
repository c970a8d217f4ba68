//! The result of a scan, before rendering: findings, notices about what could not be
//! checked, and counts.

use crate::coverage::Coverage;
use crate::finding::{Confidence, ReportedFinding, Severity};
use crate::rule::RuleMeta;
use serde::{Deserialize, Serialize};

/// Why a diagnostic was raised. Diagnostics are never findings: they say what palisade could
/// not check, so that nothing is skipped silently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// Larger than the configured size limit.
    TooLarge,
    /// Holds NUL bytes: not text.
    Binary,
    /// Not valid UTF-8 (or UTF-16 with a BOM).
    Encoding,
    /// Could not be read (permissions, vanished, …).
    Unreadable,
    /// Read, but its parser rejected all or part of it.
    Parse,
    /// A symbolic link that points outside the scanned root, or a linked folder.
    Symlink,
    /// Left out on purpose (a format palisade recognises but cannot analyze yet, …).
    Skipped,
    /// The walk itself failed for an entry.
    Walk,
    /// An inline suppression names a rule by an old id; it applies to the renamed rule.
    RenamedRule,
}

impl DiagnosticKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::TooLarge => "too-large",
            DiagnosticKind::Binary => "binary",
            DiagnosticKind::Encoding => "encoding",
            DiagnosticKind::Unreadable => "unreadable",
            DiagnosticKind::Parse => "parse",
            DiagnosticKind::Symlink => "symlink",
            DiagnosticKind::Skipped => "skipped",
            DiagnosticKind::Walk => "walk",
            DiagnosticKind::RenamedRule => "renamed-rule",
        }
    }
}

/// A notice about a file (or the run) that could not be fully checked.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    pub path: Option<String>,
    pub line: Option<u32>,
    pub kind: DiagnosticKind,
    pub message: String,
}

impl Diagnostic {
    pub fn file(path: &str, kind: DiagnosticKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: Some(path.to_string()),
            line: None,
            kind,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: u32) -> Diagnostic {
        self.line = Some(line);
        self
    }
}

/// Counts describing a scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Files the walk found after ignore rules and pruning.
    pub files_discovered: usize,
    /// Files read and handed to at least one analyzer.
    pub files_analyzed: usize,
    /// Files that could not be analyzed (each has a diagnostic).
    pub files_skipped: usize,
    pub bytes_analyzed: u64,
    /// Findings hidden by an inline suppression.
    pub suppressed: usize,
    /// Findings hidden because the baseline already has them.
    pub baselined: usize,
    /// Findings dropped because their confidence is below `--min-confidence`.
    pub below_min_confidence: usize,
    /// Findings left out of a diff-aware scan (`--diff`) because the change did not bring
    /// them in.
    #[serde(skip_serializing_if = "is_zero")]
    pub outside_diff: usize,
    /// Set when the scan was diff-aware: against what.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<crate::diff::DiffScope>,
    /// Set when the scan used the result cache: what it found there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<crate::cache::CacheStats>,
    pub duration_ms: u64,
    /// When the scan ran, RFC 3339 in UTC (see [`crate::date::scan_timestamp`]). JSON
    /// writes it at the top level as `scanned_at`, not among the counts.
    #[serde(skip)]
    pub scanned_at: Option<String>,
}

/// A finished scan.
#[derive(Debug)]
pub struct Report {
    /// The roots as the user gave them.
    pub roots: Vec<String>,
    /// Sorted deterministically (see `Finding::sort_key`).
    pub findings: Vec<ReportedFinding>,
    /// Sorted by path, line, kind, message.
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule that ran, sorted by id.
    pub rules: Vec<&'static RuleMeta>,
    pub stats: Stats,
    /// The coverage ledger: every policy recommendation with its status, the rules that ran
    /// for it, what they read and what they found (see [`crate::coverage`]).
    pub coverage: Coverage,
}

impl Report {
    /// The findings that fail a run: at or above `threshold` in severity and at or above
    /// `confidence` in confidence.
    pub fn count_failing(&self, threshold: Severity, confidence: Confidence) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity >= threshold && f.confidence >= confidence)
            .count()
    }

    pub fn count_by_severity(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn rule(&self, id: &str) -> Option<&'static RuleMeta> {
        self.rules.iter().copied().find(|r| r.id == id)
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
