//! The organisation view: several repositories' JSON reports (version 1), each made by
//! palisade in that repository's CI, read back and merged into one report whose paths start
//! with the repository's name, with per-repository totals. `palisade report merge` renders
//! it as HTML, Markdown or JSON.

use crate::html::{LedgerView, RepositoryRow};
use crate::trends::{DatedReport, Trends};
use palisade_core::coverage::{Coverage, CoverageEntry};
use palisade_core::finding::Fix;
use palisade_core::report::Stats;
use palisade_core::{
    Confidence, Diagnostic, DiagnosticKind, Location, Owasp, Place, Recommendation, Related,
    Report, ReportedFinding, RuleMeta, Severity, Span,
};
use serde::Deserialize;
use serde_json::{Value, json};
use std::fmt::Write;

/// A JSON report (version 1) as `report merge` reads it: only what the merged report shows.
#[derive(Deserialize)]
struct ReportV1 {
    version: u32,
    /// When the scan ran (absent from reports of palisade versions before it).
    #[serde(default)]
    scanned_at: Option<String>,
    #[serde(default)]
    roots: Vec<String>,
    #[serde(default)]
    findings: Vec<FindingIn>,
    #[serde(default)]
    diagnostics: Vec<DiagnosticIn>,
    #[serde(default)]
    rules: Vec<RuleIn>,
    #[serde(default)]
    stats: StatsIn,
    /// The coverage ledger (absent from reports of palisade versions before it).
    #[serde(default)]
    coverage: Vec<CoverageIn>,
}

/// One entry of a report's coverage ledger, as JSON version 1 writes it.
#[derive(Deserialize)]
struct CoverageIn {
    recommendation: String,
    status: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    inputs: Vec<String>,
    #[serde(default)]
    inputs_total: usize,
    #[serde(default)]
    missing_attestations: Vec<String>,
}

#[derive(Deserialize)]
struct FindingIn {
    rule_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    message: String,
    severity: Severity,
    confidence: Confidence,
    owasp: Owasp,
    #[serde(default)]
    cwe: Vec<u32>,
    recommendation: Recommendation,
    location: LocationIn,
    #[serde(default)]
    related: Vec<Related>,
    #[serde(default)]
    snippet: String,
    #[serde(default)]
    fingerprint: String,
    #[serde(default)]
    help_uri: String,
    #[serde(default)]
    fix: Option<Fix>,
    #[serde(default)]
    properties: serde_json::Map<String, Value>,
}

#[derive(Deserialize)]
struct LocationIn {
    kind: String,
    path: Option<String>,
    target: Option<String>,
    commit: Option<String>,
    start_line: Option<u32>,
    start_column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
}

#[derive(Deserialize)]
struct DiagnosticIn {
    path: Option<String>,
    line: Option<u32>,
    kind: String,
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
struct RuleIn {
    id: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatsIn {
    files_discovered: usize,
    files_analyzed: usize,
    files_skipped: usize,
    bytes_analyzed: u64,
    suppressed: usize,
    baselined: usize,
    below_min_confidence: usize,
    #[serde(default)]
    outside_diff: usize,
    duration_ms: u64,
}

const KINDS: [DiagnosticKind; 9] = [
    DiagnosticKind::TooLarge,
    DiagnosticKind::Binary,
    DiagnosticKind::Encoding,
    DiagnosticKind::Unreadable,
    DiagnosticKind::Parse,
    DiagnosticKind::Symlink,
    DiagnosticKind::Skipped,
    DiagnosticKind::Walk,
    DiagnosticKind::RenamedRule,
];

/// Reads a JSON report (version 1). `lookup` finds this build's rule metadata by id (for
/// the rules' documentation); rules it does not know are shown without it.
pub fn read_json(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<&'static RuleMeta>,
) -> Result<Report, String> {
    let input: ReportV1 =
        serde_json::from_str(text).map_err(|e| format!("not a palisade JSON report: {e}"))?;
    if input.version != crate::json::VERSION {
        return Err(format!(
            "JSON report version {} (this palisade reads version {})",
            input.version,
            crate::json::VERSION
        ));
    }
    let findings = input
        .findings
        .into_iter()
        .map(|f| {
            Ok(ReportedFinding {
                location: place(&f.location)?,
                rule_id: f.rule_id,
                title: f.title,
                message: f.message,
                severity: f.severity,
                confidence: f.confidence,
                owasp: f.owasp,
                cwe: f.cwe,
                recommendation: f.recommendation,
                related: f.related,
                snippet: f.snippet,
                fingerprint: f.fingerprint,
                help_uri: f.help_uri,
                fix: f.fix,
                properties: f.properties,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let diagnostics = input
        .diagnostics
        .into_iter()
        .map(|d| Diagnostic {
            path: d.path,
            line: d.line,
            kind: KINDS
                .into_iter()
                .find(|k| k.as_str() == d.kind)
                .unwrap_or(DiagnosticKind::Skipped),
            message: d.message,
        })
        .collect();
    let mut rules: Vec<&'static RuleMeta> =
        input.rules.iter().filter_map(|r| lookup(&r.id)).collect();
    rules.sort_by_key(|r| r.id);
    rules.dedup_by_key(|r| r.id);
    let s = input.stats;
    // Entries this build cannot name (a recommendation or status it does not know) are left
    // out; the findings counts are recomputed from the findings read back.
    let entries = input
        .coverage
        .into_iter()
        .filter_map(|c| {
            Some(CoverageEntry {
                recommendation: c.recommendation.parse().ok()?,
                status: c.status.parse().ok()?,
                reason: c.reason,
                rules: c
                    .rules
                    .iter()
                    .filter_map(|id| lookup(id))
                    .map(|m| m.id)
                    .collect(),
                inputs: c.inputs,
                inputs_total: c.inputs_total,
                findings: Default::default(),
                missing_attestations: c.missing_attestations,
            })
        })
        .collect();
    Ok(Report {
        roots: input.roots,
        findings,
        diagnostics,
        rules,
        coverage: Coverage { entries },
        stats: Stats {
            files_discovered: s.files_discovered,
            files_analyzed: s.files_analyzed,
            files_skipped: s.files_skipped,
            bytes_analyzed: s.bytes_analyzed,
            suppressed: s.suppressed,
            baselined: s.baselined,
            below_min_confidence: s.below_min_confidence,
            outside_diff: s.outside_diff,
            // Each report says whether it was diff-aware; the merged view is not one scan.
            diff: None,
            cache: None,
            duration_ms: s.duration_ms,
            scanned_at: input.scanned_at,
        },
    })
}

fn place(l: &LocationIn) -> Result<Place, String> {
    let span = || Span {
        start_line: l.start_line.unwrap_or(1),
        start_column: l.start_column.unwrap_or(1),
        end_line: l.end_line.or(l.start_line).unwrap_or(1),
        end_column: l.end_column.unwrap_or(1),
    };
    let path = || {
        l.path
            .clone()
            .ok_or_else(|| format!("a `{}` location without a path", l.kind))
    };
    Ok(match l.kind.as_str() {
        "file" => Place::File(Location {
            path: path()?,
            span: span(),
        }),
        "path" => Place::Path(path()?),
        "repository" => Place::Repository,
        "target" => Place::Target(l.target.clone().unwrap_or_default()),
        "commit" => Place::Commit {
            commit: l.commit.clone().unwrap_or_default(),
            location: Location {
                path: path()?,
                span: span(),
            },
        },
        other => return Err(format!("unknown location kind `{other}`")),
    })
}

/// One report per repository merged into one: every path prefixed with `<name>/` (a finding
/// on the repository as a whole moves to the folder `<name>`), findings and notices kept in
/// the order the repositories were given, rules and counts combined.
pub fn merge(inputs: Vec<(String, Report)>) -> (Report, Vec<RepositoryRow>) {
    let mut merged = Report {
        roots: Vec::new(),
        findings: Vec::new(),
        diagnostics: Vec::new(),
        rules: Vec::new(),
        stats: Stats::default(),
        // One ledger per repository (each row's), never one for the organisation: a
        // recommendation passing in one repository says nothing of another.
        coverage: Coverage::default(),
    };
    let mut rows = Vec::new();
    for (name, report) in inputs {
        let name = repository_name(&name);
        let mut row = RepositoryRow {
            name: name.clone(),
            total: report.findings.len(),
            notices: report.diagnostics.len(),
            files_analyzed: report.stats.files_analyzed,
            ledger: LedgerView::of(&report.coverage, &name).rows,
            ..RepositoryRow::default()
        };
        for f in &report.findings {
            if let Some(i) = Severity::DESCENDING.iter().position(|s| *s == f.severity) {
                row.by_severity[i] += 1;
            }
        }
        rows.push(row);
        let prefix = |p: &str| format!("{name}/{p}");
        for mut f in report.findings {
            f.location = match f.location {
                Place::File(mut l) => {
                    l.path = prefix(&l.path);
                    Place::File(l)
                }
                Place::Commit {
                    commit,
                    mut location,
                } => {
                    location.path = prefix(&location.path);
                    Place::Commit { commit, location }
                }
                Place::Path(p) => Place::Path(prefix(&p)),
                Place::Repository => Place::Path(name.clone()),
                Place::Target(t) => Place::Target(t),
            };
            for r in &mut f.related {
                r.location.path = prefix(&r.location.path);
            }
            merged.findings.push(f);
        }
        for mut d in report.diagnostics {
            d.path = Some(match d.path {
                Some(p) => prefix(&p),
                None => name.clone(),
            });
            merged.diagnostics.push(d);
        }
        merged.rules.extend(report.rules);
        merged.roots.push(name);
        let (m, s) = (&mut merged.stats, report.stats);
        m.files_discovered += s.files_discovered;
        m.files_analyzed += s.files_analyzed;
        m.files_skipped += s.files_skipped;
        m.bytes_analyzed += s.bytes_analyzed;
        m.suppressed += s.suppressed;
        m.baselined += s.baselined;
        m.below_min_confidence += s.below_min_confidence;
        m.duration_ms += s.duration_ms;
    }
    merged.rules.sort_by_key(|r| r.id);
    merged.rules.dedup_by_key(|r| r.id);
    (merged, rows)
}

/// Reports of several repositories, and of several dates of one repository: grouped by
/// repository and ordered by date ([`crate::trends::group`]), the trends computed over
/// every date, and each repository's latest report merged ([`merge`]). Each row says
/// when its report was made.
pub fn merge_dated(
    inputs: Vec<DatedReport>,
) -> Result<(Report, Vec<RepositoryRow>, Trends), String> {
    let mut groups = crate::trends::group(inputs)?;
    let trends = crate::trends::trends(&groups);
    let mut latest = Vec::new();
    let mut dates = Vec::new();
    for (group, trend) in groups.iter_mut().zip(&trends.repositories) {
        if let (Some(report), Some(point)) = (group.pop(), trend.points.last()) {
            dates.push(point.label());
            latest.push((report.name, report.report));
        }
    }
    let (merged, mut rows) = merge(latest);
    for (row, date) in rows.iter_mut().zip(dates) {
        row.scanned = date;
    }
    Ok((merged, rows, trends))
}

/// A repository's name as reports show it: letters, digits, `.`, `_` and `-` kept, anything
/// else (a slash, a space, markup) made `_`, so the name is safe in every format and one path
/// segment.
pub fn repository_name(name: &str) -> String {
    let out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match out.trim_matches('.') {
        "" => "repository".to_string(),
        _ => out,
    }
}

/// The merged report as JSON version 1, with a `repositories` array of per-repository
/// totals (`name`, `scanned`, `by_severity`, `findings`, `notices`, `files_analyzed`) and,
/// when some repository has reports of several dates, a `trends` object.
pub fn json(merged: &Report, rows: &[RepositoryRow], trends: &Trends) -> String {
    let mut value = crate::json::to_value(merged);
    if let Value::Object(map) = &mut value {
        let repositories: Vec<Value> = rows
            .iter()
            .map(|r| {
                let by_severity: serde_json::Map<String, Value> = Severity::DESCENDING
                    .iter()
                    .zip(r.by_severity)
                    .map(|(s, n)| (s.as_str().to_string(), json!(n)))
                    .collect();
                json!({
                    "name": r.name,
                    "scanned": r.scanned,
                    "findings": r.total,
                    "by_severity": by_severity,
                    "notices": r.notices,
                    "files_analyzed": r.files_analyzed,
                })
            })
            .collect();
        map.insert("repositories".to_string(), Value::Array(repositories));
        if trends.any() {
            map.insert("trends".to_string(), crate::trends::json(trends));
        }
    }
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// The per-repository table in Markdown, put before the merged report's Markdown.
pub fn markdown_table(rows: &[RepositoryRow]) -> String {
    let mut out = format!(
        "## Organisation view: {} repositor{}\n\n| repository | scanned | critical | high | medium | low | info | total | notices |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n",
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" }
    );
    for r in rows {
        let counts: Vec<String> = r.by_severity.iter().map(usize::to_string).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.name,
            crate::markdown::escape::text(&r.scanned),
            counts.join(" | "),
            r.total,
            r.notices
        );
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(place: Place) -> ReportedFinding {
        ReportedFinding {
            rule_id: "python/sql-injection".to_string(),
            title: "t".to_string(),
            message: "m".to_string(),
            severity: Severity::High,
            confidence: Confidence::Medium,
            owasp: Owasp::A03,
            cwe: vec![89],
            recommendation: Recommendation::Mysql,
            location: place,
            related: Vec::new(),
            snippet: "s".to_string(),
            fingerprint: "f".to_string(),
            help_uri: String::new(),
            fix: None,
            properties: Default::default(),
        }
    }

    #[test]
    fn a_json_report_reads_back_to_the_same_findings() {
        let places = vec![
            Place::File(Location {
                path: "a.py".to_string(),
                span: Span {
                    start_line: 3,
                    start_column: 2,
                    end_line: 4,
                    end_column: 9,
                },
            }),
            Place::Path("k8s".to_string()),
            Place::Repository,
            Place::Target("https://example.invalid".to_string()),
            Place::Commit {
                commit: "abc".to_string(),
                location: Location {
                    path: "b.py".to_string(),
                    span: Span::line(1),
                },
            },
        ];
        let report = Report {
            roots: vec![".".to_string()],
            findings: places.into_iter().map(finding).collect(),
            diagnostics: vec![Diagnostic::file("x.bin", DiagnosticKind::Binary, "nul")],
            rules: Vec::new(),
            stats: Stats {
                files_analyzed: 5,
                ..Stats::default()
            },
            coverage: Default::default(),
        };
        let back = read_json(&crate::json::render(&report), &|_| None).unwrap();
        assert_eq!(back.findings.len(), report.findings.len());
        for (a, b) in back.findings.iter().zip(&report.findings) {
            assert_eq!(a.location, b.location);
        }
        assert_eq!(back.findings, report.findings);
        assert_eq!(back.diagnostics, report.diagnostics);
        assert_eq!(back.stats, report.stats);
    }

    #[test]
    fn merged_paths_start_with_the_repository() {
        let one = |place| Report {
            roots: vec![".".to_string()],
            findings: vec![finding(place)],
            diagnostics: Vec::new(),
            rules: Vec::new(),
            stats: Stats::default(),
            coverage: Default::default(),
        };
        let (merged, rows) = merge(vec![
            ("shop".to_string(), one(Place::Path("k8s".to_string()))),
            ("a/b <c>".to_string(), one(Place::Repository)),
        ]);
        assert_eq!(
            merged.findings[0].location,
            Place::Path("shop/k8s".to_string())
        );
        assert_eq!(
            merged.findings[1].location,
            Place::Path("a_b__c_".to_string())
        );
        assert_eq!(rows[1].name, "a_b__c_");
        assert_eq!(rows[0].by_severity, [0, 1, 0, 0, 0]);
    }
}
