//! The JSON report, version 1. Every field is documented in `docs/json-format.md`; a change
//! that is not purely additive needs a new version number.

use palisade_core::finding::Fix;
use palisade_core::{
    Confidence, Location, Owasp, Place, Recommendation, Related, Report, ReportedFinding, Severity,
    Span,
};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The version of this format.
pub const VERSION: u32 = 1;

pub fn render(report: &Report) -> String {
    serde_json::to_string_pretty(&to_value(report)).unwrap_or_default() + "\n"
}

pub fn to_value(report: &Report) -> Value {
    let mut by_severity = Map::new();
    for severity in Severity::DESCENDING {
        by_severity.insert(
            severity.as_str().to_string(),
            json!(report.count_by_severity(severity)),
        );
    }
    let mut by_owasp = Map::new();
    for owasp in Owasp::ALL {
        let n = report.findings.iter().filter(|f| f.owasp == owasp).count();
        if n > 0 {
            by_owasp.insert(owasp.code().to_string(), json!(n));
        }
    }
    let mut by_recommendation = Map::new();
    for rec in palisade_core::Recommendation::ALL {
        let n = report
            .findings
            .iter()
            .filter(|f| f.recommendation == rec)
            .count();
        if n > 0 {
            by_recommendation.insert(rec.id().to_string(), json!(n));
        }
    }
    let mut value = json!({
        "version": VERSION,
        "tool": { "name": "palisade", "version": env!("CARGO_PKG_VERSION") },
        "roots": report.roots,
        "summary": {
            "findings": report.findings.len(),
            "by_severity": by_severity,
            "by_owasp": by_owasp,
            "by_recommendation": by_recommendation,
        },
        "findings": report.findings.iter().map(FindingV1::from).collect::<Vec<_>>(),
        "diagnostics": report.diagnostics,
        "rules": report.rules.iter().map(|r| json!({
            "id": r.id,
            "title": r.title,
            "severity": r.severity,
            "confidence": r.confidence,
            "owasp": r.owasp,
            "cwe": r.cwe,
            "recommendation": r.recommendation,
        })).collect::<Vec<_>>(),
        "stats": report.stats,
        "coverage": report.coverage,
    });
    // Added in palisade 0.1 after the format's first release: reports without it are read
    // as undated (see `report merge`).
    if let (Some(at), Value::Object(map)) = (&report.stats.scanned_at, &mut value) {
        map.insert("scanned_at".to_string(), json!(at));
    }
    value
}

/// A finding as JSON version 1 shows it. This view is the public shape: the engine's types
/// may change, this one only by addition (or with a new version).
#[derive(Serialize)]
pub struct FindingV1<'a> {
    pub rule_id: &'a str,
    pub title: &'a str,
    pub message: &'a str,
    pub severity: Severity,
    pub confidence: Confidence,
    pub owasp: Owasp,
    pub cwe: &'a [u32],
    pub recommendation: Recommendation,
    pub location: LocationV1<'a>,
    pub related: &'a [Related],
    pub snippet: &'a str,
    pub fingerprint: &'a str,
    pub help_uri: &'a str,
    pub fix: &'a Option<Fix>,
    /// Named facts some rules add (a vulnerable package's name, version, advisories); only
    /// present when there are some.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub properties: &'a Map<String, Value>,
}

impl<'a> From<&'a ReportedFinding> for FindingV1<'a> {
    fn from(f: &'a ReportedFinding) -> Self {
        FindingV1 {
            rule_id: &f.rule_id,
            title: &f.title,
            message: &f.message,
            severity: f.severity,
            confidence: f.confidence,
            owasp: f.owasp,
            cwe: &f.cwe,
            recommendation: f.recommendation,
            location: LocationV1::from(&f.location),
            related: &f.related,
            snippet: &f.snippet,
            fingerprint: &f.fingerprint,
            help_uri: &f.help_uri,
            fix: &f.fix,
            properties: &f.properties,
        }
    }
}

/// Where a finding is, in JSON version 1: `kind` says which fields are present.
/// - `file`: `path` and the span (`start_line`, `start_column`, `end_line`, `end_column`);
/// - `path`: `path`, a whole file or folder;
/// - `repository`: nothing else;
/// - `target`: `target`, the live URL or `mysql://user@host:port`;
/// - `commit`: `commit`, `path` and the span in that commit.
#[derive(Serialize)]
pub struct LocationV1<'a> {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl<'a> From<&'a Place> for LocationV1<'a> {
    fn from(place: &'a Place) -> Self {
        let file = |l: &'a Location| (Some(l.path.as_str()), Some(l.span));
        let (path, span) = match place {
            Place::File(l) | Place::Commit { location: l, .. } => file(l),
            Place::Path(p) => (Some(p.as_str()), None),
            Place::Repository | Place::Target(_) => (None, None),
        };
        LocationV1 {
            kind: place.kind(),
            path,
            target: match place {
                Place::Target(t) => Some(t),
                _ => None,
            },
            commit: match place {
                Place::Commit { commit, .. } => Some(commit),
                _ => None,
            },
            span,
        }
    }
}
