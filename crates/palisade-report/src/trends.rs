//! Trends for `report merge`: when several reports of one repository are given (each dated
//! by its `scanned_at`), the merged report shows how that repository, and the organisation,
//! moved over time: totals by severity per report, the findings that appeared and went away
//! between consecutive reports (matched by fingerprint), and coverage-ledger status changes.
//!
//! The rest of the organisation view (findings, ledger, per-repository totals) shows each
//! repository's latest report only.

use palisade_core::{Report, ReportedFinding, Severity};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write;

/// How a report's date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatedBy {
    /// The report's own `scanned_at`.
    Scan,
    /// The report has no (readable) `scanned_at`, from a palisade version before it: the
    /// file's modification time stands in.
    FileModified,
    /// Neither is known: ordered before every dated report of its repository.
    Undated,
}

impl DatedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            DatedBy::Scan => "scan",
            DatedBy::FileModified => "file-modified",
            DatedBy::Undated => "undated",
        }
    }
}

/// One report as `report merge` was given it.
#[derive(Debug)]
pub struct DatedReport {
    pub name: String,
    pub report: Report,
    /// Seconds since the epoch, `None` when undated.
    pub at: Option<i64>,
    pub dated_by: DatedBy,
}

/// A finding that appeared or went away between two reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub severity: &'static str,
    pub rule_id: String,
    pub place: String,
    pub fingerprint: String,
}

/// A recommendation whose ledger status differs from the report before (`none` when the
/// earlier report had no entry for it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerChange {
    pub recommendation: String,
    pub from: String,
    pub to: String,
}

/// One report of a repository, in the order of their dates.
#[derive(Clone, Debug)]
pub struct TrendPoint {
    /// RFC 3339 in UTC; `None` when undated.
    pub scanned_at: Option<String>,
    pub dated_by: DatedBy,
    /// Findings per severity, most severe first (as `Severity::DESCENDING`).
    pub by_severity: [usize; 5],
    pub total: usize,
    /// Against the repository's report before this one (empty for the first).
    pub new: Vec<Change>,
    pub fixed: Vec<Change>,
    pub ledger_changes: Vec<LedgerChange>,
}

impl TrendPoint {
    /// The date as reports show it: `2026-11-27`, with the time when it is not midnight,
    /// and `(file date)` when it is the file's modification time.
    pub fn label(&self) -> String {
        let Some(at) = &self.scanned_at else {
            return "undated".to_string();
        };
        let mut label = at.get(..10).unwrap_or(at).to_string();
        let time = at.get(11..16).unwrap_or("00:00");
        if time != "00:00" {
            label = format!("{label} {time} UTC");
        }
        if self.dated_by == DatedBy::FileModified {
            label.push_str(" (file date)");
        }
        label
    }

    fn day(&self) -> Option<&str> {
        self.scanned_at.as_deref().and_then(|at| at.get(..10))
    }
}

#[derive(Clone, Debug)]
pub struct RepositoryTrend {
    pub name: String,
    pub points: Vec<TrendPoint>,
}

/// The organisation's totals at the end of one day: each repository counted at its latest
/// report of that day or before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationPoint {
    pub day: String,
    pub by_severity: [usize; 5],
    pub total: usize,
    /// Repositories with a report by then.
    pub repositories: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Trends {
    pub repositories: Vec<RepositoryTrend>,
    pub organisation: Vec<OrganisationPoint>,
    /// Reports dated by their file's modification time, and undated ones (said under the
    /// trends, since their order is less certain).
    pub file_dated: usize,
    pub undated: usize,
}

impl Trends {
    /// Whether there is anything over time to show: some repository has two reports.
    pub fn any(&self) -> bool {
        self.repositories.iter().any(|r| r.points.len() > 1)
    }
}

/// Groups the reports by repository (in the order the repositories were first given) and
/// orders each group by date, undated reports first in the order given. Two reports of one
/// repository with the same date (or both undated) cannot be ordered: an error.
pub fn group(inputs: Vec<DatedReport>) -> Result<Vec<Vec<DatedReport>>, String> {
    let mut groups: Vec<Vec<DatedReport>> = Vec::new();
    for input in inputs {
        match groups.iter_mut().find(|g| g[0].name == input.name) {
            Some(g) => g.push(input),
            None => groups.push(vec![input]),
        }
    }
    for g in &mut groups {
        // A stable sort: undated reports keep the order they were given in.
        g.sort_by_key(|r| r.at);
        for pair in g.windows(2) {
            if pair[0].at == pair[1].at {
                let when = pair[0]
                    .at
                    .map_or("undated".to_string(), palisade_core::date::rfc3339_utc);
                return Err(format!(
                    "two reports of `{}` have the same date ({when}): give one report per date, or name them apart with NAME=FILE",
                    pair[0].name
                ));
            }
        }
    }
    Ok(groups)
}

fn severity_counts(report: &Report) -> [usize; 5] {
    let mut n = [0usize; 5];
    for f in &report.findings {
        if let Some(i) = Severity::DESCENDING.iter().position(|s| *s == f.severity) {
            n[i] += 1;
        }
    }
    n
}

/// What identifies a finding from one report to the next: its fingerprint (stable when
/// lines move), or its rule and place for a report that has none.
fn identity(f: &ReportedFinding) -> String {
    if f.fingerprint.is_empty() {
        format!(
            "{}@{}",
            f.rule_id,
            crate::place_in_words(&f.location, false)
        )
    } else {
        f.fingerprint.clone()
    }
}

fn change(f: &ReportedFinding) -> Change {
    Change {
        severity: f.severity.as_str(),
        rule_id: f.rule_id.clone(),
        place: crate::place_in_words(&f.location, false),
        fingerprint: f.fingerprint.clone(),
    }
}

/// The findings of `later` not in `earlier`, counting repeats (two findings with one
/// fingerprint, one of them fixed, is one fixed).
fn added(earlier: &Report, later: &Report) -> Vec<Change> {
    let mut before: HashMap<String, usize> = HashMap::new();
    for f in &earlier.findings {
        *before.entry(identity(f)).or_default() += 1;
    }
    let mut out = Vec::new();
    for f in &later.findings {
        match before.get_mut(&identity(f)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(change(f)),
        }
    }
    out
}

fn ledger_changes(earlier: &Report, later: &Report) -> Vec<LedgerChange> {
    let before: HashMap<&str, &str> = earlier
        .coverage
        .entries
        .iter()
        .map(|e| (e.recommendation.id(), e.status.as_str()))
        .collect();
    later
        .coverage
        .entries
        .iter()
        .filter_map(|e| {
            let from = before.get(e.recommendation.id()).copied().unwrap_or("none");
            (from != e.status.as_str()).then(|| LedgerChange {
                recommendation: e.recommendation.id().to_string(),
                from: from.to_string(),
                to: e.status.as_str().to_string(),
            })
        })
        .collect()
}

/// The trends of grouped reports (see [`group`]).
pub fn trends(groups: &[Vec<DatedReport>]) -> Trends {
    let mut trends = Trends::default();
    for g in groups {
        let mut points = Vec::new();
        for (i, r) in g.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| &g[p].report);
            match r.dated_by {
                DatedBy::FileModified => trends.file_dated += 1,
                DatedBy::Undated => trends.undated += 1,
                DatedBy::Scan => {}
            }
            points.push(TrendPoint {
                scanned_at: r.at.map(palisade_core::date::rfc3339_utc),
                dated_by: r.dated_by,
                by_severity: severity_counts(&r.report),
                total: r.report.findings.len(),
                new: previous.map_or_else(Vec::new, |p| added(p, &r.report)),
                fixed: previous.map_or_else(Vec::new, |p| added(&r.report, p)),
                ledger_changes: previous.map_or_else(Vec::new, |p| ledger_changes(p, &r.report)),
            });
        }
        trends.repositories.push(RepositoryTrend {
            name: g[0].name.clone(),
            points,
        });
    }
    let mut days: Vec<&str> = trends
        .repositories
        .iter()
        .flat_map(|r| r.points.iter().filter_map(TrendPoint::day))
        .collect();
    days.sort_unstable();
    days.dedup();
    trends.organisation = days
        .iter()
        .map(|day| {
            let mut point = OrganisationPoint {
                day: day.to_string(),
                by_severity: [0; 5],
                total: 0,
                repositories: 0,
            };
            for r in &trends.repositories {
                let latest = r
                    .points
                    .iter()
                    .rev()
                    .find(|p| p.day().is_some_and(|d| d <= *day));
                if let Some(p) = latest {
                    point.repositories += 1;
                    point.total += p.total;
                    for (sum, n) in point.by_severity.iter_mut().zip(p.by_severity) {
                        *sum += n;
                    }
                }
            }
            point
        })
        .collect();
    trends
}

fn by_severity_json(counts: &[usize; 5]) -> Value {
    Value::Object(
        Severity::DESCENDING
            .iter()
            .zip(counts)
            .map(|(s, n)| (s.as_str().to_string(), json!(n)))
            .collect(),
    )
}

fn changes_json(changes: &[Change]) -> Value {
    changes
        .iter()
        .map(|c| {
            json!({
                "severity": c.severity,
                "rule_id": c.rule_id,
                "location": c.place,
                "fingerprint": c.fingerprint,
            })
        })
        .collect()
}

/// The `trends` object of the merged JSON report.
pub fn json(trends: &Trends) -> Value {
    json!({
        "organisation": trends.organisation.iter().map(|p| json!({
            "date": p.day,
            "findings": p.total,
            "by_severity": by_severity_json(&p.by_severity),
            "repositories": p.repositories,
        })).collect::<Vec<_>>(),
        "repositories": trends.repositories.iter().map(|r| json!({
            "name": r.name,
            "reports": r.points.iter().map(|p| json!({
                "scanned_at": p.scanned_at,
                "dated_by": p.dated_by.as_str(),
                "findings": p.total,
                "by_severity": by_severity_json(&p.by_severity),
                "new": changes_json(&p.new),
                "fixed": changes_json(&p.fixed),
                "coverage_changes": p.ledger_changes.iter().map(|c| json!({
                    "recommendation": c.recommendation,
                    "from": c.from,
                    "to": c.to,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// New or fixed findings listed per report in Markdown, at most.
const MAX_LISTED: usize = 10;

/// The trends in Markdown (put after the organisation table), or nothing when no
/// repository has two reports.
pub fn markdown(trends: &Trends) -> String {
    use crate::markdown::escape;
    if !trends.any() {
        return String::new();
    }
    let mut out = String::from("### Trends\n\n");
    if trends.organisation.len() > 1 {
        out.push_str("Organisation totals by day (each repository at its latest report of that day or before):\n\n| date | critical | high | medium | low | info | total | repositories |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for p in &trends.organisation {
            let counts: Vec<String> = p.by_severity.iter().map(usize::to_string).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                p.day,
                counts.join(" | "),
                p.total,
                p.repositories
            );
        }
        out.push('\n');
    }
    for r in trends.repositories.iter().filter(|r| r.points.len() > 1) {
        let _ = write!(
            out,
            "#### {}\n\n| scanned | critical | high | medium | low | info | total | new | fixed | coverage changes |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
            escape::text(&r.name)
        );
        for (i, p) in r.points.iter().enumerate() {
            let counts: Vec<String> = p.by_severity.iter().map(usize::to_string).collect();
            let (new, fixed) = if i == 0 {
                ("–".to_string(), "–".to_string())
            } else {
                (p.new.len().to_string(), p.fixed.len().to_string())
            };
            let ledger: Vec<String> = p
                .ledger_changes
                .iter()
                .map(|c| escape::text(&format!("{}: {} → {}", c.recommendation, c.from, c.to)))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {new} | {fixed} | {} |",
                escape::text(&p.label()),
                counts.join(" | "),
                p.total,
                ledger.join("; ")
            );
        }
        out.push('\n');
        for p in r.points.iter().skip(1) {
            for (what, list) in [("New", &p.new), ("Fixed", &p.fixed)] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "<details><summary>{what} by {}: {}</summary>\n",
                    escape::html(&p.label()),
                    list.len()
                );
                for c in list.iter().take(MAX_LISTED) {
                    let _ = writeln!(
                        out,
                        "- {} {} at {}",
                        c.severity,
                        escape::text(&c.rule_id),
                        escape::text(&c.place)
                    );
                }
                if list.len() > MAX_LISTED {
                    let _ = writeln!(
                        out,
                        "- … and {} more (all in `--format json`)",
                        list.len() - MAX_LISTED
                    );
                }
                out.push_str("\n</details>\n\n");
            }
        }
    }
    out.push_str(&dating_note(trends));
    out
}

/// Said under the trends: how reports without a scan date were placed.
pub fn dating_note(trends: &Trends) -> String {
    let mut notes = Vec::new();
    if trends.file_dated > 0 {
        notes.push(format!(
            "{} report{} had no scan date (made by an older palisade) and {} dated by the file's modification time",
            trends.file_dated,
            if trends.file_dated == 1 { "" } else { "s" },
            if trends.file_dated == 1 { "is" } else { "are" },
        ));
    }
    if trends.undated > 0 {
        notes.push(format!(
            "{} report{} had no date at all and {} placed before the dated reports of {} repository",
            trends.undated,
            if trends.undated == 1 { "" } else { "s" },
            if trends.undated == 1 { "is" } else { "are" },
            if trends.undated == 1 { "its" } else { "their" },
        ));
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!("{}.\n\n", notes.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::coverage::{Coverage, CoverageEntry, CoverageStatus};
    use palisade_core::{Confidence, Location, Owasp, Place, Recommendation, Span};

    fn finding(fingerprint: &str, severity: Severity) -> ReportedFinding {
        ReportedFinding {
            rule_id: "python/sql-injection".to_string(),
            title: "t".to_string(),
            message: "m".to_string(),
            severity,
            confidence: Confidence::High,
            owasp: Owasp::A03,
            cwe: vec![89],
            recommendation: Recommendation::PythonBackend,
            location: Place::File(Location {
                path: "app.py".to_string(),
                span: Span::line(3),
            }),
            related: Vec::new(),
            snippet: String::new(),
            fingerprint: fingerprint.to_string(),
            help_uri: String::new(),
            fix: None,
            properties: Default::default(),
        }
    }

    fn report(findings: Vec<ReportedFinding>, status: CoverageStatus) -> Report {
        Report {
            roots: vec![".".to_string()],
            findings,
            diagnostics: Vec::new(),
            rules: Vec::new(),
            stats: Default::default(),
            coverage: Coverage {
                entries: vec![CoverageEntry {
                    recommendation: Recommendation::PythonBackend,
                    status,
                    reason: String::new(),
                    rules: Vec::new(),
                    inputs: Vec::new(),
                    inputs_total: 0,
                    findings: Default::default(),
                    missing_attestations: Vec::new(),
                }],
            },
        }
    }

    fn dated(name: &str, day: i64, report: Report) -> DatedReport {
        DatedReport {
            name: name.to_string(),
            report,
            at: Some(day * 86_400),
            dated_by: DatedBy::Scan,
        }
    }

    #[test]
    fn new_and_fixed_findings_are_matched_by_fingerprint_counting_repeats() {
        let groups = group(vec![
            // Given out of order: the later report first.
            dated(
                "shop",
                20_784,
                report(
                    vec![
                        finding("b", Severity::High),
                        finding("c", Severity::Low),
                        finding("c", Severity::Low),
                    ],
                    CoverageStatus::Passing,
                ),
            ),
            dated(
                "shop",
                20_780,
                report(
                    vec![
                        finding("a", Severity::Critical),
                        finding("b", Severity::High),
                    ],
                    CoverageStatus::Failing,
                ),
            ),
            dated(
                "api",
                20_782,
                report(
                    vec![finding("x", Severity::Medium)],
                    CoverageStatus::Failing,
                ),
            ),
        ])
        .unwrap();
        let t = trends(&groups);
        assert!(t.any());
        let shop = &t.repositories[0];
        assert_eq!(shop.name, "shop");
        assert_eq!(
            shop.points[0].scanned_at.as_deref(),
            Some("2026-11-23T00:00:00Z")
        );
        assert_eq!(shop.points[0].by_severity, [1, 1, 0, 0, 0]);
        assert!(shop.points[0].new.is_empty() && shop.points[0].fixed.is_empty());
        let later = &shop.points[1];
        assert_eq!(later.by_severity, [0, 1, 0, 2, 0]);
        let fingerprints =
            |c: &[Change]| c.iter().map(|c| c.fingerprint.clone()).collect::<Vec<_>>();
        assert_eq!(fingerprints(&later.new), ["c", "c"]);
        assert_eq!(fingerprints(&later.fixed), ["a"]);
        assert_eq!(
            later.ledger_changes,
            [LedgerChange {
                recommendation: "python-backend".to_string(),
                from: "failing".to_string(),
                to: "passing".to_string(),
            }]
        );
        // The organisation by day: api joins on its day, shop's later report replaces its
        // earlier one.
        let org: Vec<(&str, usize, usize)> = t
            .organisation
            .iter()
            .map(|p| (p.day.as_str(), p.total, p.repositories))
            .collect();
        assert_eq!(
            org,
            [
                ("2026-11-23", 2, 1),
                ("2026-11-25", 3, 2),
                ("2026-11-27", 4, 2)
            ]
        );
        let md = markdown(&t);
        assert!(
            md.contains(
                "| 2026-11-27 | 0 | 1 | 0 | 2 | 0 | 3 | 2 | 1 | python-backend: failing → passing |"
            ),
            "{md}"
        );
        assert!(
            md.contains("| 2026-11-25 | 1 | 1 | 1 | 0 | 0 | 3 | 2 |"),
            "{md}"
        );
        let v = json(&t);
        assert_eq!(
            v["repositories"][0]["reports"][1]["fixed"][0]["fingerprint"],
            "a"
        );
        assert_eq!(v["organisation"][2]["by_severity"]["low"], 2);
    }

    #[test]
    fn two_reports_of_one_repository_on_one_date_are_refused() {
        let r = || report(Vec::new(), CoverageStatus::Passing);
        let err = group(vec![dated("shop", 1, r()), dated("shop", 1, r())])
            .err()
            .unwrap();
        assert!(err.contains("two reports of `shop`"), "{err}");
        let undated = |_| DatedReport {
            name: "api".to_string(),
            report: r(),
            at: None,
            dated_by: DatedBy::Undated,
        };
        assert!(group(vec![undated(0), undated(1)]).is_err());
    }

    #[test]
    fn undated_and_file_dated_reports_are_said_and_undated_come_first() {
        let mut older = dated("shop", 20_784, report(Vec::new(), CoverageStatus::Passing));
        older.dated_by = DatedBy::FileModified;
        let undated = DatedReport {
            name: "shop".to_string(),
            report: report(vec![finding("a", Severity::High)], CoverageStatus::Failing),
            at: None,
            dated_by: DatedBy::Undated,
        };
        let t = trends(&group(vec![older, undated]).unwrap());
        let points = &t.repositories[0].points;
        assert_eq!(points[0].label(), "undated");
        assert_eq!(points[1].label(), "2026-11-27 (file date)");
        assert_eq!(points[1].fixed.len(), 1);
        // Undated reports are not on the organisation's timeline.
        assert_eq!(t.organisation.len(), 1);
        let note = dating_note(&t);
        assert!(note.contains("1 report had no scan date"), "{note}");
        assert!(note.contains("1 report had no date at all"), "{note}");
    }
}
