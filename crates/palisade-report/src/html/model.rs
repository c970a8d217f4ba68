//! What the template shows, computed from the report: every string from scanned input is
//! passed through `visible` here, and askama escapes it when the template writes it.

use super::chart::{Chart, Row};
use super::{HtmlOptions, SCRIPT, STYLE, content_security_policy, visible};
use askama::Template;
use palisade_core::coverage::Coverage;
use palisade_core::{
    CommentStyle, Owasp, Place, Recommendation, Report, ReportedFinding, Severity,
};
use std::collections::{BTreeMap, HashMap};

/// How many rules and files the "top" charts show.
const TOP: usize = 10;
/// Longest message shown in a finding's one-line summary, in characters.
const MAX_SUMMARY: usize = 200;
/// Findings written as HTML rows (the most severe first); all of them are in the page's
/// data block, from which the script lists, filters and pages through every finding. A
/// browser opens a page of 25,000 full rows in several seconds; this keeps it under two.
pub const INLINE_ROWS: usize = 500;

#[derive(Template)]
#[template(path = "html/report.html")]
pub struct Page {
    pub title: String,
    pub csp: String,
    pub style: &'static str,
    pub script: &'static str,
    pub version: &'static str,
    pub verdict: Option<Verdict>,
    pub totals: Vec<Total>,
    pub total: usize,
    pub stats_line: String,
    pub charts: Vec<Chart>,
    pub ledger: Option<LedgerView>,
    pub repositories: Vec<RepositoryRow>,
    pub trends: Option<TrendsView>,
    pub groups: Vec<Group>,
    pub shown: usize,
    /// Every finding, as JSON for the script (escaped for a `<script>` data block).
    pub data: String,
    pub rules: Vec<RuleView>,
    pub notices: Vec<Notice>,
    pub matrices: Vec<Matrix>,
    pub owasp_options: Vec<(String, String)>,
    pub recommendation_options: Vec<String>,
    pub baseline: bool,
    pub tables_only: bool,
}

pub struct Verdict {
    pub failing: bool,
    pub text: String,
}

pub struct Total {
    pub severity: &'static str,
    pub count: usize,
}

/// Findings under one heading (a severity when the page is first shown).
pub struct Group {
    pub label: String,
    pub findings: Vec<FindingView>,
}

pub struct FindingView {
    pub index: usize,
    pub severity: &'static str,
    pub rank: usize,
    pub confidence: &'static str,
    pub rule_id: String,
    pub anchor: String,
    pub title: String,
    pub owasp: &'static str,
    pub owasp_label: String,
    pub recommendation: &'static str,
    pub cwe: String,
    pub file: String,
    pub location: String,
    pub summary: String,
    pub message: String,
    pub snippet: String,
    pub related: Vec<(String, String)>,
    pub fix: Option<(String, String)>,
    pub suppression_where: &'static str,
    pub suppression: String,
    pub fingerprint: String,
    pub has_doc: bool,
}

pub struct RuleView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub severity: &'static str,
    pub owasp_label: String,
    pub recommendation: &'static str,
    pub cwe: String,
    pub count: usize,
    /// The summary and each section's body, Markdown rendered to safe HTML
    /// ([`super::doc::to_html`]), written unescaped by the template.
    pub summary: String,
    pub sections: Vec<(String, String)>,
}

/// The trends section: charts of totals by severity over time (the organisation's, then
/// each repository's with several reports) and per repository a table of its reports.
pub struct TrendsView {
    pub charts: Vec<Chart>,
    pub tables: Vec<TrendTable>,
    pub note: String,
}

pub struct TrendTable {
    pub name: String,
    pub rows: Vec<TrendRow>,
}

pub struct TrendRow {
    pub label: String,
    pub by_severity: [usize; 5],
    pub total: usize,
    /// Against the report before: how many (`–` for the first report), then the first
    /// ones listed.
    pub new_count: String,
    pub new: Vec<String>,
    pub fixed_count: String,
    pub fixed: Vec<String>,
    pub ledger: Vec<String>,
}

/// New or fixed findings listed per report in the HTML trends table, at most.
const MAX_CHANGES_LISTED: usize = 50;

impl TrendsView {
    fn of(trends: &crate::trends::Trends) -> Option<TrendsView> {
        if !trends.any() {
            return None;
        }
        let severity_parts = |counts: &[usize; 5]| -> Vec<(&'static str, usize)> {
            Severity::DESCENDING
                .iter()
                .zip(counts)
                .map(|(s, n)| (s.as_str(), *n))
                .collect()
        };
        let mut charts = Vec::new();
        if trends.organisation.len() > 1 {
            charts.push(Chart::new(
                "chart-trend-organisation",
                "Organisation: findings by severity over time",
                trends
                    .organisation
                    .iter()
                    .map(|p| Row {
                        label: p.day.clone(),
                        link: "#trends".to_string(),
                        parts: severity_parts(&p.by_severity),
                        keep_end: false,
                    })
                    .collect(),
                "Each day counts every repository at its latest report of that day or before."
                    .to_string(),
            ));
        }
        let changes = |list: &[crate::trends::Change]| -> Vec<String> {
            let mut out: Vec<String> = list
                .iter()
                .take(MAX_CHANGES_LISTED)
                .map(|c| visible(&format!("{} {} at {}", c.severity, c.rule_id, c.place)))
                .collect();
            if list.len() > MAX_CHANGES_LISTED {
                out.push(format!(
                    "… and {} more (all in --format json)",
                    list.len() - MAX_CHANGES_LISTED
                ));
            }
            out
        };
        // Nothing to compare the first report with.
        let count = |i: usize, n: usize| {
            if i == 0 {
                "–".to_string()
            } else {
                n.to_string()
            }
        };
        let mut tables = Vec::new();
        for r in trends.repositories.iter().filter(|r| r.points.len() > 1) {
            charts.push(Chart::new(
                &format!(
                    "chart-trend-{}",
                    anchor(&r.name).trim_start_matches("rule-")
                ),
                &format!("{}: findings by severity over time", r.name),
                r.points
                    .iter()
                    .map(|p| Row {
                        label: p.label(),
                        link: "#trends".to_string(),
                        parts: severity_parts(&p.by_severity),
                        keep_end: false,
                    })
                    .collect(),
                String::new(),
            ));
            tables.push(TrendTable {
                name: r.name.clone(),
                rows: r
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| TrendRow {
                        label: p.label(),
                        by_severity: p.by_severity,
                        total: p.total,
                        new_count: count(i, p.new.len()),
                        new: changes(&p.new),
                        fixed_count: count(i, p.fixed.len()),
                        fixed: changes(&p.fixed),
                        ledger: p
                            .ledger_changes
                            .iter()
                            .map(|c| format!("{}: {} → {}", c.recommendation, c.from, c.to))
                            .collect(),
                    })
                    .collect(),
            });
        }
        Some(TrendsView {
            charts,
            tables,
            note: crate::trends::dating_note(trends).trim_end().to_string(),
        })
    }
}

pub struct Notice {
    pub kind: &'static str,
    pub place: String,
    pub message: String,
}

/// One row of the organisation view: a repository's totals.
#[derive(Clone, Debug, Default)]
pub struct RepositoryRow {
    pub name: String,
    /// Findings per severity, most severe first (as `Severity::DESCENDING`).
    pub by_severity: [usize; 5],
    pub total: usize,
    pub notices: usize,
    pub files_analyzed: usize,
    /// When its (latest) report was made, as [`crate::trends::TrendPoint::label`] says it.
    pub scanned: String,
    /// This repository's coverage ledger (from its JSON report), repository named.
    pub ledger: Vec<LedgerRow>,
}

/// The coverage ledger per policy recommendation. The rows are filled from the report
/// model's ledger by whoever owns it; the template only lays them out.
#[derive(Clone, Debug, Default)]
pub struct LedgerView {
    pub rows: Vec<LedgerRow>,
}

impl LedgerView {
    /// The rows of a report's ledger; `repository` names it in the organisation view
    /// (empty for one repository).
    pub fn of(coverage: &Coverage, repository: &str) -> LedgerView {
        let rows = coverage
            .entries
            .iter()
            .map(|e| LedgerRow {
                repository: repository.to_string(),
                recommendation: e.recommendation.id().to_string(),
                status: e.status.as_str().to_string(),
                detail: e.reason.clone(),
            })
            .collect();
        LedgerView { rows }
    }

    /// Whether rows name repositories (the organisation view): a column for them.
    pub fn by_repository(&self) -> bool {
        self.rows.iter().any(|r| !r.repository.is_empty())
    }
}

#[derive(Clone, Debug, Default)]
pub struct LedgerRow {
    /// Which repository (organisation view), or empty.
    pub repository: String,
    /// The recommendation's id (`python-backend`, …).
    pub recommendation: String,
    /// `failing`, `passing`, `needs-attestation`, `not-applicable` or `not-checked`; also
    /// the row's CSS class.
    pub status: String,
    /// Why: failing findings, the record that attests it, what could not be checked.
    pub detail: String,
}

/// A table such as the endpoint matrix or the RBAC matrix.
#[derive(Clone, Debug, Default)]
pub struct Matrix {
    pub id: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: String,
}

impl Page {
    pub fn build(report: &Report, options: &HtmlOptions) -> Page {
        let findings = &report.findings;
        let total = findings.len();
        let mut by_sev = [0usize; 5];
        for f in findings {
            by_sev[rank(f.severity)] += 1;
        }
        let totals = Severity::DESCENDING
            .iter()
            .enumerate()
            .map(|(i, s)| Total {
                severity: s.as_str(),
                count: by_sev[i],
            })
            .collect();

        let verdict = options.gate.map(|gate| {
            let new = if options.baseline { "new " } else { "" };
            match gate.fail_on {
                Some(threshold) => {
                    let failing = report.count_failing(threshold, gate.fail_confidence);
                    Verdict {
                        failing: failing > 0,
                        text: if failing > 0 {
                            format!(
                                "Fails CI: {failing} of {total} {new}findings at or above --fail-on {threshold} with --fail-confidence {}.",
                                gate.fail_confidence
                            )
                        } else {
                            format!(
                                "Passes CI: none of {total} {new}findings is at or above --fail-on {threshold} with --fail-confidence {}.",
                                gate.fail_confidence
                            )
                        },
                    }
                }
                None => Verdict {
                    failing: false,
                    text: format!("Passes CI: --fail-on none ({total} {new}findings)."),
                },
            }
        });

        let s = &report.stats;
        let mut stats_line = format!(
            "{} files analysed, {} rules",
            s.files_analyzed,
            report.rules.len()
        );
        for (n, what) in [
            (s.suppressed, "suppressed inline or in palisade.toml"),
            (s.baselined, "already in the baseline (not shown)"),
            (s.below_min_confidence, "below --min-confidence"),
            (report.diagnostics.len(), "notices (not fully checked)"),
        ] {
            if n > 0 {
                stats_line.push_str(&format!("; {n} {what}"));
            }
        }
        stats_line.push('.');

        let charts = charts(report);
        let docs = rule_docs(report);
        let mut views: Vec<FindingView> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| finding_view(i, f, docs.contains_key(f.rule_id.as_str())))
            .collect();
        // Most severe first, then the report's own order.
        views.sort_by_key(|v| (v.rank, v.index));
        let data = script_data(&data_json(report));
        let shown = views.len().min(INLINE_ROWS);
        views.truncate(INLINE_ROWS);
        let mut groups: Vec<Group> = Vec::new();
        for v in views {
            let label = v.severity;
            match groups.last_mut() {
                Some(g) if g.label == label => g.findings.push(v),
                _ => groups.push(Group {
                    label: label.to_string(),
                    findings: vec![v],
                }),
            }
        }

        let mut rules: Vec<RuleView> = docs.into_values().collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));

        let notices = report
            .diagnostics
            .iter()
            .map(|d| Notice {
                kind: d.kind.as_str(),
                place: visible(&match (&d.path, d.line) {
                    (Some(p), Some(l)) => format!("{p}:{l}"),
                    (Some(p), None) => p.clone(),
                    (None, _) => "-".to_string(),
                }),
                message: visible(&d.message),
            })
            .collect();

        let owasp_options = Owasp::ALL
            .iter()
            .filter(|o| findings.iter().any(|f| f.owasp == **o))
            .map(|o| (o.code().to_string(), o.label()))
            .collect();
        let recommendation_options = Recommendation::ALL
            .iter()
            .filter(|r| findings.iter().any(|f| f.recommendation == **r))
            .map(|r| r.id().to_string())
            .collect();

        Page {
            title: options
                .title
                .clone()
                .unwrap_or_else(|| "palisade report".to_string()),
            csp: content_security_policy(),
            style: STYLE,
            script: SCRIPT,
            version: env!("CARGO_PKG_VERSION"),
            verdict,
            totals,
            total,
            stats_line,
            charts,
            // The caller's ledger (the organisation view's, per repository), else the
            // report's own.
            ledger: options.ledger.clone().or_else(|| {
                let own = LedgerView::of(&report.coverage, "");
                (!own.rows.is_empty()).then_some(own)
            }),
            repositories: options.repositories.clone(),
            trends: options.trends.as_ref().and_then(TrendsView::of),
            groups,
            shown,
            data,
            rules,
            notices,
            matrices: options.matrices.clone(),
            owasp_options,
            recommendation_options,
            baseline: options.baseline,
            tables_only: options.tables_only,
        }
    }
}

/// The severity's position in `Severity::DESCENDING` (0 = critical).
fn rank(s: Severity) -> usize {
    Severity::DESCENDING
        .iter()
        .position(|x| *x == s)
        .unwrap_or(4)
}

fn charts(report: &Report) -> Vec<Chart> {
    let findings = &report.findings;
    let split = |pred: &dyn Fn(&ReportedFinding) -> bool| -> Vec<(&'static str, usize)> {
        let mut n = [0usize; 5];
        for f in findings.iter().filter(|f| pred(f)) {
            n[rank(f.severity)] += 1;
        }
        Severity::DESCENDING
            .iter()
            .zip(n)
            .map(|(s, c)| (s.as_str(), c))
            .collect()
    };
    let severity = Chart::new(
        "chart-severity",
        "Findings by severity",
        Severity::DESCENDING
            .iter()
            .map(|s| Row {
                label: s.as_str().to_string(),
                link: format!("#sev={}", s.as_str()),
                parts: vec![(s.as_str(), report.count_by_severity(*s))],
                keep_end: false,
            })
            .collect(),
        String::new(),
    );
    let owasp = Chart::new(
        "chart-owasp",
        "Findings by OWASP Top 10 2021 category",
        Owasp::ALL
            .iter()
            .map(|o| Row {
                label: o.label(),
                link: format!("#cat={}", o.code()),
                parts: split(&|f| f.owasp == *o),
                keep_end: false,
            })
            .collect(),
        "Every category is listed; a category without findings may still be unchecked (see the coverage ledger when present).".to_string(),
    );
    let recommendation = Chart::new(
        "chart-recommendation",
        "Findings by policy recommendation",
        Recommendation::ALL
            .iter()
            .map(|r| Row {
                label: r.id().to_string(),
                link: format!("#rec={}", r.id()),
                parts: split(&|f| f.recommendation == *r),
                keep_end: false,
            })
            .collect(),
        String::new(),
    );

    let mut per_rule: HashMap<&str, usize> = HashMap::new();
    let mut per_file: HashMap<String, usize> = HashMap::new();
    for f in findings {
        *per_rule.entry(f.rule_id.as_str()).or_default() += 1;
        *per_file.entry(file_of(&f.location)).or_default() += 1;
    }
    let top = |map: HashMap<String, usize>| {
        let mut v: Vec<(String, usize)> = map.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let rest = v.len().saturating_sub(TOP);
        v.truncate(TOP);
        (v, rest)
    };
    let (rules, more_rules) = top(per_rule
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect());
    let rules_chart = Chart::new(
        "chart-rules",
        "Top rules",
        rules
            .into_iter()
            .map(|(id, _)| Row {
                link: format!("#rule={id}"),
                parts: split(&|f| f.rule_id == id),
                label: id,
                keep_end: false,
            })
            .collect(),
        more(more_rules, "rule"),
    );
    let (files, more_files) = top(per_file);
    let files_chart = Chart::new(
        "chart-files",
        "Most affected files",
        files
            .into_iter()
            .map(|(file, _)| Row {
                link: format!("#file={}", url_component(&file)),
                parts: split(&|f| file_of(&f.location) == file),
                label: visible(&file),
                keep_end: true,
            })
            .collect(),
        more(more_files, "file"),
    );
    vec![severity, owasp, recommendation, rules_chart, files_chart]
}

fn more(n: usize, what: &str) -> String {
    match n {
        0 => String::new(),
        1 => format!("… and 1 more {what}."),
        n => format!("… and {n} more {what}s."),
    }
}

/// Percent-encodes everything but unreserved characters (for `#file=…` links; the script
/// decodes them).
fn url_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The file (or what stands for one) a finding is grouped under.
fn file_of(place: &Place) -> String {
    match place {
        Place::File(l) | Place::Commit { location: l, .. } => l.path.clone(),
        Place::Path(p) => p.clone(),
        Place::Repository => "(repository)".to_string(),
        Place::Target(t) => t.clone(),
    }
}

fn clip(s: &str, max: usize) -> String {
    let first_line = s.lines().next().unwrap_or("");
    if first_line.chars().count() <= max && first_line.len() == s.trim_end().len() {
        return first_line.to_string();
    }
    let head: String = first_line.chars().take(max).collect();
    format!("{head}…")
}

/// What the script needs to list every finding: tables of rules and files, then one
/// array per finding (see `report.js` for the layout). Strings from scanned input are
/// passed through `visible`; the script only ever sets them as text.
fn data_json(report: &Report) -> serde_json::Value {
    use serde_json::{Value, json};
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_index: HashMap<&str, usize> = HashMap::new();
    let mut files: Vec<Value> = Vec::new();
    let mut file_index: HashMap<String, usize> = HashMap::new();
    let documented: std::collections::HashSet<&str> = report.rules.iter().map(|r| r.id).collect();
    let mut findings = Vec::with_capacity(report.findings.len());
    for f in &report.findings {
        let rule = *rule_index.entry(f.rule_id.as_str()).or_insert_with(|| {
            rules.push(json!([
                f.rule_id,
                f.title,
                f.owasp.code(),
                f.owasp.label(),
                f.recommendation.id(),
                f.cwe
                    .iter()
                    .map(|c| format!("CWE-{c}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                anchor(&f.rule_id),
                documented.contains(f.rule_id.as_str()),
            ]));
            rules.len() - 1
        });
        let file_name = file_of(&f.location);
        let file = *file_index.entry(file_name.clone()).or_insert_with(|| {
            files.push(json!(visible(&file_name)));
            files.len() - 1
        });
        let (suppression_where, suppression) = suppression(f);
        findings.push(json!([
            rank(f.severity),
            f.confidence.as_str(),
            rule,
            file,
            visible(&crate::place_in_words(&f.location, true)),
            visible(&f.message),
            visible(&f.snippet),
            f.related
                .iter()
                .map(|r| {
                    json!([
                        visible(&format!(
                            "{}:{}",
                            r.location.path, r.location.span.start_line
                        )),
                        visible(&r.message)
                    ])
                })
                .collect::<Vec<_>>(),
            f.fix.as_ref().map_or(Value::Null, |fix| {
                json!(visible(&format!(
                    "{} (line {}: replace with {})",
                    fix.description, fix.span.start_line, fix.replacement
                )))
            }),
            f.fingerprint,
            suppression_where,
            suppression,
        ]));
    }
    json!({
        "severities": Severity::DESCENDING.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "rules": rules,
        "files": files,
        "findings": findings,
        "inline": report.findings.len().min(INLINE_ROWS),
    })
}

/// JSON made safe inside `<script type="application/json">`: no `<`, `>` or `&` (so no
/// `</script>` or `<!--` can end or change the block), and no U+2028/U+2029.
fn script_data(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn finding_view(index: usize, f: &ReportedFinding, has_doc: bool) -> FindingView {
    let (suppression_where, suppression) = suppression(f);
    FindingView {
        index,
        severity: f.severity.as_str(),
        rank: rank(f.severity),
        confidence: f.confidence.as_str(),
        rule_id: f.rule_id.clone(),
        anchor: anchor(&f.rule_id),
        title: f.title.clone(),
        owasp: f.owasp.code(),
        owasp_label: f.owasp.label(),
        recommendation: f.recommendation.id(),
        cwe: f
            .cwe
            .iter()
            .map(|c| format!("CWE-{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        file: visible(&file_of(&f.location)),
        location: visible(&crate::place_in_words(&f.location, true)),
        summary: visible(&clip(&f.message, MAX_SUMMARY)),
        message: visible(&f.message),
        snippet: visible(&f.snippet),
        related: f
            .related
            .iter()
            .map(|r| {
                (
                    visible(&format!(
                        "{}:{}",
                        r.location.path, r.location.span.start_line
                    )),
                    visible(&r.message),
                )
            })
            .collect(),
        fix: f.fix.as_ref().map(|fix| {
            (
                visible(&fix.description),
                visible(&format!(
                    "line {}: replace with {}",
                    fix.span.start_line, fix.replacement
                )),
            )
        }),
        suppression_where,
        suppression,
        fingerprint: f.fingerprint.clone(),
        has_doc,
    }
}

/// The suppression to paste if the finding is accepted (the same choice as the Markdown
/// report): an inline comment in the file's comment syntax, or a `[[ignore]]` entry of
/// `palisade.toml` by fingerprint where there is no line to comment on.
fn suppression(f: &ReportedFinding) -> (&'static str, String) {
    let marker = format!("palisade: ignore[{}] <reason>", f.rule_id);
    if let Place::File(l) = &f.location {
        let comment = match CommentStyle::for_path(&l.path) {
            CommentStyle::Hash => Some(format!("# {marker}")),
            CommentStyle::Slash => Some(format!("// {marker}")),
            CommentStyle::Markup => Some(format!("<!-- {marker} -->")),
            CommentStyle::DoubleDash => Some(format!("-- {marker}")),
            CommentStyle::None => None,
        };
        if let Some(comment) = comment {
            return ("on the line above (or at the end of the line)", comment);
        }
    }
    (
        "in palisade.toml",
        format!(
            "[[ignore]]\nrule = \"{}\"\nfingerprint = \"{}\"\nreason = \"<reason>\"",
            f.rule_id, f.fingerprint
        ),
    )
}

/// The documentation of every rule with a finding, once per rule (findings link to it).
fn rule_docs(report: &Report) -> BTreeMap<&str, RuleView> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for f in &report.findings {
        *counts.entry(f.rule_id.as_str()).or_default() += 1;
    }
    let mut out = BTreeMap::new();
    for rule in &report.rules {
        let Some(&count) = counts.get(rule.id) else {
            continue;
        };
        let doc = rule.doc();
        let sections = [
            "What it checks",
            "Why it matters",
            "Example",
            "Remediation",
            "References",
        ]
        .iter()
        .filter_map(|h| {
            doc.section(h)
                .filter(|b| !b.is_empty())
                .map(|b| (h.to_string(), super::doc::to_html(b)))
        })
        .collect();
        out.insert(
            rule.id,
            RuleView {
                id: rule.id.to_string(),
                anchor: anchor(rule.id),
                title: rule.title.to_string(),
                severity: rule.severity.as_str(),
                owasp_label: rule.owasp.label(),
                recommendation: rule.recommendation.id(),
                cwe: rule
                    .cwe
                    .iter()
                    .map(|c| format!("CWE-{c}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                count,
                summary: super::doc::to_html(&doc.summary),
                sections,
            },
        );
    }
    out
}

/// `rule-python-sql-injection`: an id attribute for a rule id.
pub fn anchor(rule_id: &str) -> String {
    let mut out = String::from("rule-");
    for c in rule_id.chars() {
        out.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    out
}
