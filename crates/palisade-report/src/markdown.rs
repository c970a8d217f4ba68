//! The Markdown report, for pull-request comments and `$GITHUB_STEP_SUMMARY`: a heading with
//! the CI verdict, counts, a table of the (new) findings, one collapsed `<details>` per
//! finding, and the notices in one collapsed section.
//!
//! GitHub refuses comments longer than 65,536 characters, so the report is fitted to a
//! budget: details are dropped first (from the last finding up), then table rows, and a
//! closing note says how many findings are not shown and where to find them all.
//! Everything taken from scanned files is escaped (see `escape`).

pub(crate) mod escape;
#[cfg(test)]
mod tests;

use escape::{clip, fenced, github_length, html, text};
use palisade_core::{
    CommentStyle, Confidence, CoverageStatus, Owasp, Place, Recommendation, Report,
    ReportedFinding, Severity,
};
use std::fmt::Write;

/// GitHub's limit for a comment body, in UTF-16 code units.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// What the report is fitted to by default: GitHub's limit less a margin for whatever a CI
/// step wraps around it (a marker comment, a title, a link to the run).
pub const DEFAULT_BUDGET: usize = 60_000;

/// Longest message, path or title shown in a table cell, in characters.
const MAX_CELL: usize = 300;
/// Longest snippet shown in a finding's details, in characters.
const MAX_SNIPPET: usize = 2_000;
/// Most notices listed one by one; the rest are counted.
const MAX_NOTICES: usize = 50;
/// Room kept for the closing note about what was cut.
const NOTE_RESERVE: usize = 600;

/// The gate the scan ran with: which findings fail CI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gate {
    /// `--fail-on`; `None` when findings never fail the run (`--fail-on none`).
    pub fail_on: Option<Severity>,
    /// `--fail-confidence`.
    pub fail_confidence: Confidence,
}

/// How to render.
#[derive(Clone, Copy, Debug)]
pub struct MarkdownOptions {
    /// The gate, when known: the heading then says whether the run fails CI.
    pub gate: Option<Gate>,
    /// The scan was given a baseline: the table holds only findings that are not in it.
    pub baseline: bool,
    /// Largest output, in UTF-16 code units (what GitHub counts).
    pub budget: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            gate: None,
            baseline: false,
            budget: DEFAULT_BUDGET,
        }
    }
}

pub fn render(report: &Report, options: MarkdownOptions) -> String {
    let head = heading(report, &options) + &counts(report) + &coverage(report);
    let notices = notices(report, options.budget);
    // Most severe (then most certain) first, so that what a cut leaves out matters least;
    // the report's own order (by place) within each.
    let mut ordered: Vec<&ReportedFinding> = report.findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse((f.severity, f.confidence)));
    let rows: Vec<String> = ordered.iter().map(|f| table_row(f)).collect();
    let details: Vec<String> = ordered.iter().map(|f| finding_details(f)).collect();

    // Fit: the heading and notices always; then as many rows as fit; then details, in
    // finding order, while they fit.
    let fixed = github_length(&head) + github_length(&notices) + NOTE_RESERVE;
    let mut used = fixed + github_length(TABLE_HEADER) + 40;
    let mut shown_rows = 0;
    for row in &rows {
        let len = github_length(row);
        if used + len > options.budget {
            break;
        }
        used += len;
        shown_rows += 1;
    }
    let mut shown_details = 0;
    if shown_rows == rows.len() {
        for detail in &details {
            let len = github_length(detail);
            if used + len > options.budget {
                break;
            }
            used += len;
            shown_details += 1;
        }
    }

    let mut out = head;
    out.push('\n');
    out.push_str(&findings_heading(report, &options));
    if report.findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str(TABLE_HEADER);
        for row in &rows[..shown_rows] {
            out.push_str(row);
        }
        if shown_details > 0 {
            out.push('\n');
            for detail in &details[..shown_details] {
                out.push_str(detail);
            }
        }
    }
    out.push_str(&notices);
    out.push_str(&cut_note(report.findings.len(), shown_rows, shown_details));
    out
}

const TABLE_HEADER: &str = "| severity | rule | location | message |\n|---|---|---|---|\n";

/// `## palisade: ❌ fails CI …` / `✅ passes CI …`, or only the count when the gate is unknown.
fn heading(report: &Report, options: &MarkdownOptions) -> String {
    let total = report.findings.len();
    let findings = plural(total, "finding");
    let new = if options.baseline { "new " } else { "" };
    let Some(gate) = options.gate else {
        return format!("## palisade: {total} {new}{findings}\n\n");
    };
    let rule = match gate.fail_on {
        Some(threshold) => format!(
            "`--fail-on {threshold}`, `--fail-confidence {}`",
            gate.fail_confidence
        ),
        None => "`--fail-on none`".to_string(),
    };
    let failing = gate
        .fail_on
        .map_or(0, |t| report.count_failing(t, gate.fail_confidence));
    if failing > 0 {
        format!(
            "## palisade: ❌ fails CI — {failing} of {total} {new}{findings} at or above the gate\n\nGate: {rule}.\n\n"
        )
    } else {
        format!(
            "## palisade: ✅ passes CI — {total} {new}{findings}, none at or above the gate\n\nGate: {rule}.\n\n"
        )
    }
}

/// Counts by severity in one row, then by OWASP category and by policy recommendation in
/// one two-column table, then the scan's counts.
fn counts(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| critical | high | medium | low | info |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|");
    let by_severity: Vec<String> = Severity::DESCENDING
        .iter()
        .map(|&s| report.count_by_severity(s).to_string())
        .collect();
    let _ = writeln!(out, "| {} |\n", by_severity.join(" | "));

    let owasp: Vec<(String, usize)> = Owasp::ALL
        .iter()
        .map(|&o| {
            (
                o.label(),
                report.findings.iter().filter(|f| f.owasp == o).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let recommendation: Vec<(String, usize)> = Recommendation::ALL
        .iter()
        .map(|&r| {
            let n = report
                .findings
                .iter()
                .filter(|f| f.recommendation == r)
                .count();
            (format!("policy: {}", r.id()), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    if !owasp.is_empty() {
        let _ = writeln!(
            out,
            "| OWASP Top 10 2021 / policy recommendation | findings |"
        );
        let _ = writeln!(out, "|---|---:|");
        for (label, n) in owasp.iter().chain(&recommendation) {
            let _ = writeln!(out, "| {} | {n} |", text(label));
        }
        out.push('\n');
    }

    let s = &report.stats;
    let mut tail = format!(
        "{} analysed, {}",
        plural_count(s.files_analyzed, "file"),
        plural_count(report.rules.len(), "rule")
    );
    for (n, what) in [
        (s.suppressed, "suppressed inline or in palisade.toml"),
        (s.baselined, "already in the baseline (not shown)"),
        (s.below_min_confidence, "below `--min-confidence`"),
        (s.outside_diff, "outside the diff"),
    ] {
        if n > 0 {
            let _ = write!(tail, "; {n} {what}");
        }
    }
    if let Some(diff) = &s.diff {
        let short = diff.merge_base.get(..12).unwrap_or(&diff.merge_base);
        let _ = write!(
            tail,
            "; diff-aware: {} changed file(s) since {} (`{short}`)",
            diff.files_changed,
            text(&diff.base)
        );
    }
    let _ = writeln!(out, "<sub>{tail}.</sub>");
    out
}

/// The coverage ledger: one row per recommendation.
fn coverage(report: &Report) -> String {
    if report.coverage.entries.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n### Policy coverage\n\n| recommendation | status | rules | inputs | findings | why |\n|---|---|---:|---:|---:|---|\n",
    );
    for e in &report.coverage.entries {
        let mark = match e.status {
            CoverageStatus::Failing => "❌ ",
            CoverageStatus::NeedsAttestation => "✍️ ",
            CoverageStatus::Passing => "✅ ",
            CoverageStatus::NotChecked | CoverageStatus::NotApplicable => "",
        };
        let _ = writeln!(
            out,
            "| `{}` | {mark}{} | {} | {} | {} | {} |",
            e.recommendation.id(),
            e.status,
            e.rules.len(),
            e.inputs_total,
            e.findings.total() + e.findings.baselined,
            text(&clip(&e.reason, MAX_CELL))
        );
    }
    out
}

fn findings_heading(report: &Report, options: &MarkdownOptions) -> String {
    if report.findings.is_empty() {
        return String::new();
    }
    if options.baseline {
        "### New findings (not in the baseline)\n\n".to_string()
    } else {
        "### Findings\n\n".to_string()
    }
}

fn table_row(f: &ReportedFinding) -> String {
    format!(
        "| {} | `{}` | {} | {} |\n",
        f.severity,
        f.rule_id,
        text(&clip(&crate::place_in_words(&f.location, false), MAX_CELL)),
        text(&clip(&f.message, MAX_CELL)),
    )
}

/// One collapsed section: the title, message, snippet, classification, related locations
/// and the suppression to paste.
fn finding_details(f: &ReportedFinding) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<details><summary>{} · {} · {}</summary>\n",
        f.severity,
        html(&f.rule_id),
        html(&clip(&crate::place_in_words(&f.location, false), MAX_CELL))
    );
    // Palisade's words start every line, so scanned text never starts a block (a heading,
    // a list) at the beginning of one.
    let _ = writeln!(
        out,
        "**{}**: {}\n",
        text(&f.title),
        text(&clip(&f.message, MAX_CELL * 4))
    );
    if !f.snippet.trim().is_empty() {
        out.push_str(&fenced(
            &clip(&f.snippet, MAX_SNIPPET),
            language(&f.location),
        ));
        out.push('\n');
    }
    let cwe: Vec<String> = f.cwe.iter().map(|c| format!("CWE-{c}")).collect();
    let mut classification = vec![text(&f.owasp.label())];
    if !cwe.is_empty() {
        classification.push(cwe.join(", "));
    }
    classification.push(format!("policy: {}", text(f.recommendation.id())));
    classification.push(format!("confidence {}", f.confidence));
    let _ = writeln!(out, "{}\n", classification.join(" · "));
    for r in &f.related {
        let _ = writeln!(
            out,
            "- related: {}:{}: {}",
            text(&clip(&r.location.path, MAX_CELL)),
            r.location.span.start_line,
            text(&clip(&r.message, MAX_CELL))
        );
    }
    if !f.related.is_empty() {
        out.push('\n');
    }
    out.push_str(&suppression(f));
    out.push_str("\n</details>\n\n");
    out
}

/// The suppression to paste if the finding is accepted: an inline comment in the file's
/// comment syntax, or a `[[ignore]]` entry by fingerprint where there is no line to comment
/// on (a folder, the repository, a live target, a commit, a file without comments).
fn suppression(f: &ReportedFinding) -> String {
    let inline = |comment: String| {
        format!(
            "To accept it, add on the line above (or at the end of the line):\n\n{}",
            fenced(&comment, "")
        )
    };
    let marker = format!("palisade: ignore[{}] <reason>", f.rule_id);
    if let Place::File(l) = &f.location {
        match CommentStyle::for_path(&l.path) {
            CommentStyle::Hash => return inline(format!("# {marker}")),
            CommentStyle::Slash => return inline(format!("// {marker}")),
            CommentStyle::Markup => return inline(format!("<!-- {marker} -->")),
            CommentStyle::DoubleDash => return inline(format!("-- {marker}")),
            CommentStyle::None => {}
        }
    }
    let entry = format!(
        "[[ignore]]\nrule = \"{}\"\nfingerprint = \"{}\"\nreason = \"<reason>\"",
        f.rule_id, f.fingerprint
    );
    format!(
        "To accept it, add to `palisade.toml`:\n\n{}",
        fenced(&entry, "toml")
    )
}

/// The fence's language, from a fixed list (never from scanned text).
fn language(place: &Place) -> &'static str {
    let Some(path) = place.path() else {
        return "";
    };
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "py" => "python",
        "yaml" | "yml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        "js" | "mjs" | "cjs" => "javascript",
        "ts" | "tsx" => "typescript",
        "java" => "java",
        "kt" | "kts" => "kotlin",
        "html" | "htm" => "html",
        "xml" | "plist" => "xml",
        "sql" => "sql",
        "sh" | "bash" => "shell",
        _ => "",
    }
}

/// The notices (what could not be checked) in one collapsed section: the first
/// `MAX_NOTICES` listed, fewer if they would take more than a quarter of the budget (their
/// text comes from scanned files and can grow several-fold when escaped).
fn notices(report: &Report, budget: usize) -> String {
    let n = report.diagnostics.len();
    if n == 0 {
        return String::new();
    }
    let mut out = format!(
        "<details><summary>{} (not fully checked)</summary>\n\n",
        plural_count(n, "notice")
    );
    let mut listed = 0;
    for d in report.diagnostics.iter().take(MAX_NOTICES) {
        // A project-wide notice has no place; it is written without one.
        let place = match (&d.path, d.line) {
            (Some(path), Some(line)) => {
                format!("{}: ", text(&format!("{}:{line}", clip(path, MAX_CELL))))
            }
            (Some(path), None) => format!("{}: ", text(&clip(path, MAX_CELL))),
            (None, _) => String::new(),
        };
        let line = format!(
            "- {}: {place}{}\n",
            d.kind.as_str(),
            text(&clip(&d.message, MAX_CELL))
        );
        if github_length(&out) + github_length(&line) > budget / 4 {
            break;
        }
        out.push_str(&line);
        listed += 1;
    }
    if n > listed {
        let _ = writeln!(out, "- … and {} more", n - listed);
    }
    out.push_str("\n</details>\n\n");
    out
}

/// What was left out to stay under GitHub's limit, if anything.
fn cut_note(total: usize, shown_rows: usize, shown_details: usize) -> String {
    if total == 0 || shown_details == total {
        return String::new();
    }
    let mut out = String::from("> [!NOTE]\n> Shortened to fit GitHub's comment limit: ");
    if shown_rows < total {
        let _ = write!(
            out,
            "{} not shown in the table (the table lists the first {shown_rows}, most severe first), and no finding's details are shown.",
            plural_count(total - shown_rows, "finding is"),
        );
    } else {
        let _ = write!(
            out,
            "details are shown for the first {shown_details} of {total} findings."
        );
    }
    out.push_str(
        "\n> Every finding is in the full report: `palisade scan --format json` or `--format sarif`.\n",
    );
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

fn plural_count(n: usize, word: &str) -> String {
    match word.split_once(' ') {
        Some((noun, "is")) if n != 1 => format!("{n} {noun}s are"),
        _ => format!("{n} {}", plural(n, word)),
    }
}
