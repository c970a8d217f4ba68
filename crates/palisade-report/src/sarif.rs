//! SARIF 2.1.0 output, shaped for GitHub code scanning: one run, every rule that ran with its
//! full help text (no `helpUri`: SARIF requires an absolute URI and the rule pages live in the
//! repository, so the help travels inline), `partialFingerprints`, severity mapped to `level` and to GitHub's
//! `security-severity`, palisade's own classification in `properties`, and at most
//! [`MAX_RESULTS`] results (the most severe are kept, and a notification says so).

use palisade_core::{Location, Place, Report, ReportedFinding, RuleMeta, Severity};
use serde_json::{Value, json};
use std::collections::HashMap;

/// GitHub code scanning accepts at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

pub fn render(report: &Report) -> String {
    serde_json::to_string_pretty(&to_value(report, MAX_RESULTS)).unwrap_or_default() + "\n"
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score (0–10) for a severity.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn precision(confidence: palisade_core::Confidence) -> &'static str {
    match confidence {
        palisade_core::Confidence::High => "high",
        palisade_core::Confidence::Medium => "medium",
        palisade_core::Confidence::Low => "low",
    }
}

fn tags(rule: &RuleMeta) -> Vec<String> {
    let mut tags = vec![
        "security".to_string(),
        format!("owasp-{}", rule.owasp.code().to_ascii_lowercase()),
        format!("policy/{}", rule.recommendation.id()),
    ];
    tags.extend(rule.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
    tags
}

fn rule_descriptor(rule: &RuleMeta) -> Value {
    let doc = rule.doc();
    let markdown = doc.to_markdown(rule);
    json!({
        "id": rule.id,
        "name": rule.id.replace(['/', '-'], "_"),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": if doc.summary.is_empty() { rule.title.to_string() } else { doc.summary.clone() } },
        "help": { "text": markdown, "markdown": markdown },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": tags(rule),
            "precision": precision(rule.confidence),
            "security-severity": security_severity(rule.severity),
            "severity": rule.severity,
            "confidence": rule.confidence,
            "owasp": rule.owasp.label(),
            "cwe": rule.cwe.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>(),
            "recommendation": rule.recommendation.id(),
        }
    })
}

fn physical_location(location: &Location, snippet: Option<&str>) -> Value {
    let span = &location.span;
    let mut region = json!({
        "startLine": span.start_line,
        "startColumn": span.start_column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    });
    if let Some(text) = snippet.filter(|s| !s.is_empty()) {
        region["snippet"] = json!({ "text": text });
    }
    json!({
        "artifactLocation": { "uri": uri(&location.path), "uriBaseId": "%SRCROOT%" },
        "region": region,
    })
}

/// The primary location of a finding. GitHub code scanning accepts a result only with a
/// physical location whose URI is a path in the repository and whose region has a start
/// line, so places that are not file regions get one too (the folder, `.` for the
/// repository, `live/<host>/<path>` for a live target), and a logical location that says
/// what they really are; a commit's id travels in the location's properties.
fn primary_location(place: &Place, snippet: &str) -> Value {
    let whole = |uri_text: String| {
        json!({
            "artifactLocation": { "uri": uri_text, "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": 1 },
        })
    };
    match place {
        Place::File(l) => json!({ "physicalLocation": physical_location(l, Some(snippet)) }),
        Place::Path(p) => json!({
            "physicalLocation": whole(uri(p)),
            "logicalLocations": [{ "name": p, "kind": "module" }],
        }),
        Place::Repository => json!({
            "physicalLocation": whole(".".to_string()),
            "logicalLocations": [{ "name": "repository", "kind": "module" }],
        }),
        Place::Target(t) => json!({
            "physicalLocation": whole(uri(&target_path(t))),
            "logicalLocations": [{ "name": t, "fullyQualifiedName": t, "kind": "resource" }],
        }),
        Place::Commit { commit, location } => json!({
            "physicalLocation": physical_location(location, Some(snippet)),
            "properties": { "commit": commit },
        }),
    }
}

/// A live target as a repository-relative path: `https://shop.example:8443/a?b` becomes
/// `live/shop.example_8443/a` (no scheme, port after `_`, no query).
fn target_path(target: &str) -> String {
    let rest = target.split_once("://").map_or(target, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.replace(':', "_");
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        format!("live/{host}")
    } else {
        format!("live/{host}/{path}")
    }
}

/// A relative URI reference for a `/`-separated path (spaces and `%` escaped).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

fn result(finding: &ReportedFinding, rule_index: Option<usize>) -> Value {
    let mut result = json!({
        "ruleId": finding.rule_id,
        "level": level(finding.severity),
        "message": { "text": finding.message },
        "locations": [primary_location(&finding.location, &finding.snippet)],
        "partialFingerprints": { "palisade/v1": finding.fingerprint },
        "properties": {
            "severity": finding.severity,
            "confidence": finding.confidence,
            "owasp": finding.owasp.label(),
            "cwe": finding.cwe.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>(),
            "recommendation": finding.recommendation.id(),
        }
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !finding.related.is_empty() {
        result["relatedLocations"] = finding
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": i,
                    "physicalLocation": physical_location(&r.location, None),
                    "message": { "text": r.message },
                })
            })
            .collect();
    }
    if let (Some(fix), Place::File(location)) = (&finding.fix, &finding.location) {
        let span = fix.span;
        result["fixes"] = json!([{
            "description": { "text": fix.description },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri(&location.path), "uriBaseId": "%SRCROOT%" },
                "replacements": [{
                    "deletedRegion": {
                        "startLine": span.start_line,
                        "startColumn": span.start_column,
                        "endLine": span.end_line,
                        "endColumn": span.end_column,
                    },
                    "insertedContent": { "text": fix.replacement },
                }]
            }]
        }]);
    }
    result
}

/// The SARIF log, with at most `max_results` results.
pub fn to_value(report: &Report, max_results: usize) -> Value {
    let index: HashMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i))
        .collect();

    let mut kept: Vec<&ReportedFinding> = report.findings.iter().collect();
    let mut notifications: Vec<Value> = Vec::new();
    if kept.len() > max_results {
        // Keep the most severe, then the most certain; report order otherwise.
        kept.sort_by(|a, b| {
            (b.severity, b.confidence)
                .cmp(&(a.severity, a.confidence))
                .then_with(|| a.sort_key().cmp(&b.sort_key()))
        });
        kept.truncate(max_results);
        kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        notifications.push(json!({
            "level": "warning",
            "message": { "text": format!(
                "{} findings exceeded the {} results GitHub code scanning accepts per run; the {} most severe are included (use --format json for all)",
                report.findings.len(), max_results, max_results
            )},
        }));
    }
    for d in &report.diagnostics {
        let mut n = json!({
            "level": "note",
            "message": { "text": format!("{} ({})", d.message, d.kind.as_str()) },
            "descriptor": { "id": format!("palisade/diagnostic/{}", d.kind.as_str()) },
        });
        if let Some(path) = &d.path {
            let mut physical = json!({
                "artifactLocation": { "uri": uri(path), "uriBaseId": "%SRCROOT%" }
            });
            if let Some(line) = d.line {
                physical["region"] = json!({ "startLine": line });
            }
            n["locations"] = json!([{ "physicalLocation": physical }]);
        }
        notifications.push(n);
    }

    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "palisade",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": report.rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            // The coverage ledger, as the JSON report's `coverage` array.
            "properties": { "coverage": report.coverage },
            "results": kept.iter().map(|f| result(f, index.get(f.rule_id.as_str()).copied())).collect::<Vec<_>>(),
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::report::Stats;
    use palisade_core::{Confidence, Finding, Owasp, Recommendation, ReportedFinding, Span};

    static RULE: RuleMeta = RuleMeta {
        id: "python/example",
        title: "Example",
        severity: Severity::Low,
        confidence: Confidence::High,
        cwe: &[20],
        owasp: Owasp::A03,
        recommendation: Recommendation::Mysql,
        needs_network: false,
        options: &[],
        source: "//! Example.\n",
    };

    fn report(n: u32) -> Report {
        let findings = (1..=n)
            .map(|line| {
                let severity = if line % 10 == 0 {
                    Severity::Critical
                } else {
                    Severity::Low
                };
                let f = Finding::new(&RULE, Span::line(line), format!("finding {line}"))
                    .with_severity(severity)
                    .with_path("app.py");
                ReportedFinding::new(f, String::new(), format!("{line:032x}"))
            })
            .collect();
        Report {
            roots: vec![".".into()],
            findings,
            diagnostics: Vec::new(),
            rules: vec![&RULE],
            stats: Stats::default(),
            coverage: Default::default(),
        }
    }

    #[test]
    fn keeps_the_most_severe_results_within_the_limit_and_says_so() {
        let log = to_value(&report(30), 5);
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 5);
        let errors = results.iter().filter(|r| r["level"] == "error").count();
        assert_eq!(errors, 3, "the three critical findings are kept");
        let lines: Vec<u64> = results
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        assert_eq!(lines, [1, 2, 10, 20, 30], "report order is kept");
        let note = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert!(
            note["message"]["text"]
                .as_str()
                .unwrap()
                .contains("30 findings exceeded")
        );
    }

    #[test]
    fn within_the_limit_nothing_is_dropped() {
        let log = to_value(&report(30), MAX_RESULTS);
        assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 30);
        assert!(
            log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
}
