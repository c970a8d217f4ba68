//! The human report: findings grouped by file, each with its code lines and the span marked,
//! then a summary by severity, OWASP category and policy recommendation, then the notices
//! about what could not be checked.

use anstyle::{AnsiColor, Effects, Style};
use palisade_core::{
    CoverageStatus, Owasp, Place, Recommendation, Report, ReportedFinding, Severity, Span,
};
use std::fmt::Write;

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// Emit ANSI colours (the caller decides: TTY, `NO_COLOR`, `--color`).
    pub color: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.to_string()
        }
    }
}

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => Style::new()
            .fg_color(Some(AnsiColor::BrightRed.into()))
            .effects(Effects::BOLD),
        Severity::High => Style::new().fg_color(Some(AnsiColor::Red.into())),
        Severity::Medium => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Severity::Low => Style::new().fg_color(Some(AnsiColor::Blue.into())),
        Severity::Info => Style::new().effects(Effects::DIMMED),
    }
}

pub fn render(report: &Report, options: TextOptions) -> String {
    let p = Paint { on: options.color };
    let bold = Style::new().effects(Effects::BOLD);
    let dim = Style::new().effects(Effects::DIMMED);
    let mut out = String::new();

    let mut current_group: Option<String> = None;
    for finding in &report.findings {
        let group = group_heading(&finding.location);
        if current_group.as_deref() != Some(group.as_str()) {
            if current_group.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", p.paint(bold.underline(), &group));
            current_group = Some(group);
        }
        render_finding(&mut out, &p, finding, report);
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }

    // Summary.
    let total = report.findings.len();
    let counts: Vec<String> = Severity::DESCENDING
        .iter()
        .map(|&s| {
            let n = report.count_by_severity(s);
            let text = format!("{n} {s}");
            if n > 0 {
                p.paint(severity_style(s), &text)
            } else {
                text
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "{} {}",
        p.paint(
            bold,
            &format!("{total} finding{}:", if total == 1 { "" } else { "s" })
        ),
        counts.join(", ")
    );
    let by_owasp: Vec<String> = Owasp::ALL
        .iter()
        .filter_map(|&o| {
            let n = report.findings.iter().filter(|f| f.owasp == o).count();
            (n > 0).then(|| format!("  {:<52} {n}", o.label()))
        })
        .collect();
    if !by_owasp.is_empty() {
        let _ = writeln!(out, "by OWASP Top 10 2021:\n{}", by_owasp.join("\n"));
    }
    let by_rec: Vec<String> = Recommendation::ALL
        .iter()
        .filter_map(|&r| {
            let n = report
                .findings
                .iter()
                .filter(|f| f.recommendation == r)
                .count();
            (n > 0).then(|| format!("  {:<52} {n}", r.id()))
        })
        .collect();
    if !by_rec.is_empty() {
        let _ = writeln!(out, "by policy recommendation:\n{}", by_rec.join("\n"));
    }
    render_coverage(&mut out, &p, report);
    let s = &report.stats;
    let mut tail = format!(
        "{} files analysed ({} bytes), {} rules",
        s.files_analyzed,
        s.bytes_analyzed,
        report.rules.len()
    );
    for (n, what) in [
        (s.suppressed, "suppressed inline"),
        (s.baselined, "already in the baseline"),
        (s.below_min_confidence, "below --min-confidence"),
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
            "; diff-aware: {} changed file(s) since {} ({short})",
            diff.files_changed, diff.base
        );
    }
    let _ = writeln!(out, "{}", p.paint(dim, &tail));

    if !report.diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(
                bold,
                &format!(
                    "{} notice{} (not fully checked):",
                    report.diagnostics.len(),
                    if report.diagnostics.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                )
            )
        );
        for d in &report.diagnostics {
            // A project-wide notice has no place; it is written without one.
            let place = match (&d.path, d.line) {
                (Some(path), Some(line)) => format!("{path}:{line}: "),
                (Some(path), None) => format!("{path}: "),
                (None, _) => String::new(),
            };
            let _ = writeln!(out, "  {place}{} [{}]", d.message, d.kind.as_str());
        }
    }
    out
}

/// The coverage ledger: one line per recommendation with its status and why.
fn render_coverage(out: &mut String, p: &Paint, report: &Report) {
    if report.coverage.entries.is_empty() {
        return;
    }
    let _ = writeln!(out, "policy coverage:");
    for e in &report.coverage.entries {
        let style = match e.status {
            CoverageStatus::Failing => severity_style(Severity::High),
            CoverageStatus::NeedsAttestation => severity_style(Severity::Medium),
            CoverageStatus::Passing => Style::new().fg_color(Some(AnsiColor::Green.into())),
            CoverageStatus::NotChecked | CoverageStatus::NotApplicable => {
                Style::new().effects(Effects::DIMMED)
            }
        };
        let mut reason = e.reason.clone();
        if matches!(e.status, CoverageStatus::NeedsAttestation) {
            let _ = write!(
                reason,
                " ({} rule{}, {} input{})",
                e.rules.len(),
                if e.rules.len() == 1 { "" } else { "s" },
                e.inputs_total,
                if e.inputs_total == 1 { "" } else { "s" }
            );
        }
        let _ = writeln!(
            out,
            "  {:<18} {}  {reason}",
            e.recommendation.id(),
            p.paint(style, &format!("{:<17}", e.status.as_str())),
        );
    }
}

/// The heading findings are grouped under: their file, or what else they are about.
fn group_heading(place: &Place) -> String {
    match place {
        Place::File(l) => l.path.clone(),
        Place::Path(p) => format!("{p} (whole file or folder)"),
        Place::Repository => "the repository as a whole".to_string(),
        Place::Target(t) => format!("live target {t}"),
        Place::Commit { commit, location } => {
            format!(
                "{} in commit {}",
                location.path,
                &commit[..commit.len().min(12)]
            )
        }
    }
}

fn render_finding(out: &mut String, p: &Paint, f: &ReportedFinding, report: &Report) {
    let sev = p.paint(
        severity_style(f.severity),
        &format!("{:<8}", f.severity.as_str()),
    );
    let cwe: Vec<String> = f.cwe.iter().map(|c| format!("CWE-{c}")).collect();
    let position = f
        .location
        .span()
        .map(|s| format!("{}:{}  ", s.start_line, s.start_column))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {position}{sev} {}  {}",
        p.paint(Style::new().effects(Effects::BOLD), &f.rule_id),
        f.title
    );
    let _ = writeln!(out, "    {}", f.message);
    if let Some(span) = f.location.span() {
        render_code(out, p, f, &span);
    }
    render_notes(out, p, f, report, &cwe);
}

/// The snippet's lines, with the span underlined on each.
fn render_code(out: &mut String, p: &Paint, f: &ReportedFinding, span: &Span) {
    let dim = Style::new().effects(Effects::DIMMED);
    let lines: Vec<&str> = f.snippet.lines().collect();
    let width = (span.start_line + lines.len() as u32).to_string().len();
    for (i, line) in lines.iter().enumerate() {
        let n = span.start_line + i as u32;
        let _ = writeln!(
            out,
            "    {} {line}",
            p.paint(dim, &format!("{n:>width$} |"))
        );
        let from = if n == span.start_line {
            span.start_column
        } else {
            1
        } as usize;
        let line_len = line.chars().count() + 1;
        let to = if n == span.end_line {
            span.end_column as usize
        } else {
            line_len
        }
        .min(line_len);
        // Underline from the first non-blank character on continuation lines.
        let from = if n == span.start_line {
            from
        } else {
            line.chars().take_while(|c| c.is_whitespace()).count() + 1
        };
        if to > from {
            let _ = writeln!(
                out,
                "    {} {}{}",
                p.paint(dim, &format!("{:>width$} |", "")),
                " ".repeat(from - 1),
                p.paint(severity_style(f.severity), &"^".repeat(to - from))
            );
        }
    }
}

/// Related locations, then the classification line.
fn render_notes(out: &mut String, p: &Paint, f: &ReportedFinding, report: &Report, cwe: &[String]) {
    let dim = Style::new().effects(Effects::DIMMED);
    for r in &f.related {
        let _ = writeln!(
            out,
            "    {} {}:{}: {}",
            p.paint(dim, "note:"),
            r.location.path,
            r.location.span.start_line,
            r.message
        );
    }
    let _ = writeln!(
        out,
        "    {}",
        p.paint(
            dim,
            &format!(
                "{} · {} · policy: {} · confidence {}{}",
                f.owasp.label(),
                cwe.join(", "),
                f.recommendation.id(),
                f.confidence,
                report
                    .rule(&f.rule_id)
                    .map(|_| format!(" · palisade explain {}", f.rule_id))
                    .unwrap_or_default()
            )
        )
    );
}
