//! The last pass over findings: inline suppressions, configured severities, the confidence
//! filter, snippets with secrets masked, fingerprints, then the central `[[ignore]]` entries.
//! Runs per file in parallel, and once for the findings that are not in a scanned file.

use super::FileOutcome;
use super::ignores::Ignores;
use crate::config::{ActiveRule, RuleSet};
use crate::date::Date;
use crate::finding::{Confidence, Finding, Place, ReportedFinding, Severity, Span};
use crate::fingerprint;
use crate::rules::{expired_suppression, unused_suppression};
use crate::source::SourceFile;
use crate::suppress;
use crate::taxonomy::Recommendation;
use std::collections::HashMap;

/// What finalising needs from the scan.
pub(crate) struct Finalizer<'a> {
    pub rules: &'a RuleSet,
    pub min_confidence: Confidence,
    pub ignores: &'a Ignores<'a>,
    pub today: Date,
    /// `--show-secrets`: snippets show secrets in full (fingerprints never hold them).
    pub show_secrets: bool,
}

/// Counts kept while finalising.
#[derive(Default)]
pub(crate) struct Counts {
    pub suppressed: usize,
    pub below_min_confidence: usize,
    /// The recommendation of each suppressed finding (at or above the minimum confidence),
    /// for the coverage ledger; palisade's own rules left out.
    pub suppressed_of: Vec<Recommendation>,
}

impl Finalizer<'_> {
    /// Finalises the findings of one analysed file.
    pub(crate) fn file(&self, mut outcome: FileOutcome) -> FileOutcome {
        let Some(file) = outcome.file.take() else {
            return outcome;
        };
        if outcome.raw.is_empty() && outcome.suppressions.is_empty() {
            return outcome;
        }
        let (source, problem) = file.into_source();
        outcome.diagnostics.extend(problem);
        let mut raw = std::mem::take(&mut outcome.raw);
        for finding in &mut raw {
            if let Place::File(location) = &mut finding.location {
                finalize_span(&source, &mut location.span);
            }
            self.configure_severity(finding);
        }
        let raw = fold_secret_occurrences(raw);
        let applied = suppress::apply(raw, &outcome.suppressions, self.today);
        outcome.counts.suppressed = applied.suppressed;
        outcome.counts.suppressed_of.extend(
            applied
                .hidden
                .iter()
                .filter(|(_, confidence)| *confidence >= self.min_confidence)
                .map(|(recommendation, _)| *recommendation),
        );
        let mut findings = applied.kept;
        findings.extend(suppression_findings(
            &source,
            &outcome.suppressions,
            &applied.used,
            self.rules,
            self.today,
        ));
        let findings = self.filter_confidence(findings, &mut outcome.counts);
        outcome.findings =
            self.fingerprint_and_ignore(findings, Some(&source), &mut outcome.counts);
        outcome
    }

    /// Finalises findings that are not in a file of the scan: folders, the repository, live
    /// targets, commits, and lines of the configuration file. Their snippet is the content
    /// the rule supplied.
    pub(crate) fn loose(
        &self,
        mut findings: Vec<Finding>,
        counts: &mut Counts,
    ) -> Vec<ReportedFinding> {
        for finding in &mut findings {
            self.configure_severity(finding);
        }
        let findings = self.filter_confidence(findings, counts);
        self.fingerprint_and_ignore(findings, None, counts)
    }

    fn configure_severity(&self, finding: &mut Finding) {
        if let Some(active) = self.rules.get(finding.rule.id) {
            finding.severity = reported_severity(finding.severity, active);
        }
    }

    fn filter_confidence(&self, mut findings: Vec<Finding>, counts: &mut Counts) -> Vec<Finding> {
        let before = findings.len();
        findings.retain(|f| f.confidence >= self.min_confidence);
        counts.below_min_confidence += before - findings.len();
        findings
    }

    /// Sorts, folds duplicates, computes snippets and fingerprints, then applies the
    /// `[[ignore]]` entries (which may name a fingerprint).
    fn fingerprint_and_ignore(
        &self,
        mut findings: Vec<Finding>,
        source: Option<&SourceFile>,
        counts: &mut Counts,
    ) -> Vec<ReportedFinding> {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // The same rule at the same place twice (a Kustomize base rendered by two overlays)
        // is one finding.
        findings.dedup_by(|a, b| {
            a.rule.id == b.rule.id
                && a.location == b.location
                && (source.is_some() || a.message == b.message)
        });
        let mut occurrences: HashMap<(&'static str, String, String), usize> = HashMap::new();
        let mut out = Vec::with_capacity(findings.len());
        for finding in findings {
            let lines = match (source, &finding.location) {
                (Some(source), Place::File(l)) => snippet_lines(source, &l.span),
                (_, place) => supplied_lines(&finding, place.span()),
            };
            let snippet = render_lines(
                &lines,
                &finding.secrets,
                Masking::redacted(self.show_secrets),
            );
            // What identifies the finding besides its rule and place: its lines where it has
            // lines (secrets masked the same way whatever the display, so `--show-secrets`
            // and the redaction style never change a fingerprint), else the content the rule
            // supplied, else its message.
            let identity = match &finding.location {
                Place::File(_) | Place::Commit { .. } => {
                    render_lines(&lines, &finding.secrets, Masking::Fingerprint)
                }
                _ => finding
                    .content
                    .clone()
                    .unwrap_or_else(|| finding.message.clone()),
            };
            let identity = fingerprint::normalise(&identity);
            let place_key = fingerprint::place_key(&finding.location);
            let n = occurrences
                .entry((finding.rule.id, place_key.clone(), identity.clone()))
                .or_default();
            let fingerprint = fingerprint::fingerprint(finding.rule.id, &place_key, &identity, *n);
            *n += 1;
            let reported = ReportedFinding::new(finding, snippet, fingerprint);
            if self.ignores.hides(&reported) {
                counts.suppressed += 1;
                if !reported.rule_id.starts_with("palisade/") {
                    counts.suppressed_of.push(reported.recommendation);
                }
                continue;
            }
            out.push(reported);
        }
        out
    }
}

/// The severity a finding is reported at: the one configured for its rule when the
/// configuration changed the rule's severity (it then applies to all the rule's findings);
/// otherwise the one the rule gave the finding, its default or a finer one chosen with
/// `Finding::with_severity`.
pub(crate) fn reported_severity(finding: Severity, active: &ActiveRule) -> Severity {
    if active.severity != active.meta.severity {
        active.severity
    } else {
        finding
    }
}

/// Turns a file's suppression leftovers into findings of palisade's own rules.
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
    out.retain(|f| rules.applies(f.rule.id, &source.path));
    out.into_iter()
        .map(|f| f.with_path(source.path.clone()))
        .collect()
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

/// The primary span's lines (at most five), numbered.
fn snippet_lines<'s>(source: &'s SourceFile, span: &Span) -> Vec<SnippetLine<'s>> {
    let end = span.end_line.min(span.start_line + 4);
    (span.start_line..=end)
        .map(|n| SnippetLine::window(n, source.line(n), span))
        .collect()
}

/// A line longer than this (in bytes) is shown as a window around the finding: a minified
/// bundle's one line is megabytes long.
const LONG_LINE: usize = 600;
/// How many characters a window shows, and how many of them come before the span's start.
const WINDOW: usize = 400;
const WINDOW_BEFORE: usize = 80;

/// One line of a snippet: its number, its text (the whole line, or a window of a long one)
/// and how many characters of the line the window leaves out at its start.
struct SnippetLine<'s> {
    n: u32,
    text: &'s str,
    dropped: u32,
    cut: bool,
}

impl<'s> SnippetLine<'s> {
    fn whole(n: u32, text: &'s str) -> SnippetLine<'s> {
        SnippetLine {
            n,
            text,
            dropped: 0,
            cut: false,
        }
    }

    /// The line, or for a long one the window that starts a little before the span (on the
    /// span's first line) or at the line's start (on the others).
    fn window(n: u32, line: &'s str, span: &Span) -> SnippetLine<'s> {
        if line.len() <= LONG_LINE {
            return SnippetLine::whole(n, line);
        }
        let skip = if n == span.start_line {
            (span.start_column as usize).saturating_sub(1 + WINDOW_BEFORE)
        } else {
            0
        };
        let mut indices = line.char_indices().map(|(i, _)| i).skip(skip);
        let start = indices.next().unwrap_or(line.len());
        let end = indices.nth(WINDOW - 1).unwrap_or(line.len());
        SnippetLine {
            n,
            text: line.get(start..end).unwrap_or_default(),
            dropped: skip as u32,
            cut: end < line.len(),
        }
    }

    /// The secret spans as columns of this line's window: a secret that starts before the
    /// window is treated as continuing from an earlier line, so none of it is kept.
    fn spans(&self, secrets: &[Span]) -> Vec<Span> {
        let d = self.dropped;
        secrets
            .iter()
            .filter(|s| s.start_line <= self.n && self.n <= s.end_line)
            .map(|s| {
                let mut s = *s;
                if s.start_line == self.n {
                    if s.start_column <= d {
                        s.start_line = self.n.saturating_sub(1);
                        s.start_column = 1;
                    } else {
                        s.start_column -= d;
                    }
                }
                if s.end_line == self.n {
                    s.end_column = s.end_column.saturating_sub(d).max(1);
                }
                s
            })
            .collect()
    }
}

/// The lines of a finding whose lines the engine cannot read: the content the rule
/// supplied when the place has lines (a commit), numbered from the span's start; nothing for
/// a folder, the repository or a target.
fn supplied_lines(finding: &Finding, span: Option<Span>) -> Vec<SnippetLine<'_>> {
    let (Some(content), Some(span)) = (&finding.content, span) else {
        return Vec::new();
    };
    content
        .lines()
        .take(5)
        .zip(span.start_line..)
        .map(|(l, n)| SnippetLine::whole(n, l))
        .collect()
}

/// How secrets are hidden when lines are rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Masking {
    /// What reports show: the first characters of the secret (at most 4, at most a third of
    /// it), then `…` in place of the rest.
    Redacted,
    /// What fingerprints hash: the first two characters, then one `*` per character (the
    /// form fingerprints have always hashed, so baselines keep matching).
    Fingerprint,
    /// `--show-secrets`: nothing hidden.
    Shown,
}

impl Masking {
    fn redacted(show_secrets: bool) -> Masking {
        if show_secrets {
            Masking::Shown
        } else {
            Masking::Redacted
        }
    }
}

fn render_lines(lines: &[SnippetLine<'_>], secrets: &[Span], masking: Masking) -> String {
    lines
        .iter()
        .map(|line| {
            let spans = line.spans(secrets);
            let text = match masking {
                Masking::Shown => line.text.to_string(),
                Masking::Fingerprint => mask_line(line.text, line.n, &spans),
                Masking::Redacted => redact_line(line.text, line.n, &spans),
            };
            let before = if line.dropped > 0 { "…" } else { "" };
            let after = if line.cut { "…" } else { "" };
            format!("{before}{text}{after}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One finding per secret occurrence: when a finding that only reports a secret
/// ([`Finding::reporting_only_a_secret`], the secrets analyzer's) declares a secret span
/// that overlaps one declared by another rule's finding in the same file (the Python
/// hard-coded secret key rule, the Kubernetes literal secret in env rule), the other,
/// more specific finding is kept, unless the secret-only one is surer.
fn fold_secret_occurrences(findings: Vec<Finding>) -> Vec<Finding> {
    if !findings.iter().any(|f| f.only_a_secret) {
        return findings;
    }
    let overlaps = |a: &Span, b: &Span| {
        (a.start_line, a.start_column) < (b.end_line, b.end_column)
            && (b.start_line, b.start_column) < (a.end_line, a.end_column)
    };
    let shares_secret = |a: &Finding, b: &Finding| {
        a.secrets
            .iter()
            .any(|x| b.secrets.iter().any(|y| overlaps(x, y)))
    };
    let dropped: Vec<bool> = findings
        .iter()
        .map(|f| {
            f.only_a_secret
                && findings.iter().any(|other| {
                    !other.only_a_secret
                        && other.rule.id != f.rule.id
                        && other.confidence >= f.confidence
                        && shares_secret(f, other)
                })
        })
        .collect();
    let kept_secret_only: Vec<&Finding> = findings
        .iter()
        .zip(&dropped)
        .filter(|(f, d)| f.only_a_secret && !**d)
        .map(|(f, _)| f)
        .collect();
    // A surer secret-only finding replaces the other rule's finding on the same secret.
    let replaced: Vec<bool> = findings
        .iter()
        .map(|f| {
            !f.only_a_secret
                && kept_secret_only
                    .iter()
                    .any(|s| s.confidence > f.confidence && shares_secret(f, s))
        })
        .collect();
    findings
        .into_iter()
        .zip(dropped.into_iter().zip(replaced))
        .filter(|(_, (dropped, replaced))| !dropped && !replaced)
        .map(|(f, _)| f)
        .collect()
}

/// Replaces the part of `line` (number `n`) that falls in a secret span with its first
/// characters (at most 4, at most a third of the secret's length on this line) and one `…`.
pub(crate) fn redact_line(line: &str, n: u32, secrets: &[Span]) -> String {
    let covering: Vec<&Span> = secrets
        .iter()
        .filter(|s| s.start_line <= n && n <= s.end_line)
        .collect();
    if covering.is_empty() {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let inside = |column: u32, s: &Span| {
        (s.start_line < n || column >= s.start_column) && (s.end_line > n || column < s.end_column)
    };
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let column = i as u32 + 1;
        let Some(span) = covering.iter().find(|s| inside(column, s)) else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        let mut end = i;
        while end < chars.len() && covering.iter().any(|s| inside(end as u32 + 1, s)) {
            end += 1;
        }
        let keep = if span.start_line == n {
            ((end - i) / 3).min(4)
        } else {
            0
        };
        out.extend(&chars[i..i + keep]);
        out.push('…');
        i = end;
    }
    out
}

/// Replaces the characters of `line` (number `n`) that fall in a secret span: the first two
/// characters stay (enough to recognise which value it is), the rest becomes `*`.
pub(crate) fn mask_line(line: &str, n: u32, secrets: &[Span]) -> String {
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
