//! The JSON report, version 1. Every field is documented in `docs/json-format.md`; a change
//! that is not purely additive needs a new version number.

use palisade_core::{Owasp, Report, Severity};
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
    json!({
        "version": VERSION,
        "tool": { "name": "palisade", "version": env!("CARGO_PKG_VERSION") },
        "roots": report.roots,
        "summary": {
            "findings": report.findings.len(),
            "by_severity": by_severity,
            "by_owasp": by_owasp,
            "by_recommendation": by_recommendation,
        },
        "findings": report.findings,
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
    })
}
