//! DefectDojo's "Generic Findings Import" JSON: `{"name", "type", "findings": [...]}` with
//! the fields its documentation lists (title, severity and description required). DefectDojo
//! also reads palisade's SARIF; this format keeps palisade's own words for the mitigation
//! and references, and its fingerprint as the finding's unique id, so re-imports
//! deduplicate and close fixed findings.

use palisade_core::{Place, Report, ReportedFinding, Severity};
use serde_json::{Map, Value, json};

/// The severities DefectDojo accepts.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

pub fn render(report: &Report) -> String {
    serde_json::to_string_pretty(&to_value(report)).unwrap_or_default() + "\n"
}

pub fn to_value(report: &Report) -> Value {
    let findings: Vec<Value> = report.findings.iter().map(|f| finding(report, f)).collect();
    json!({
        "name": "palisade",
        "type": "palisade",
        "version": env!("CARGO_PKG_VERSION"),
        "static_tool": true,
        "dynamic_tool": false,
        "findings": findings,
    })
}

fn finding(report: &Report, f: &ReportedFinding) -> Value {
    let mut description = f.message.clone();
    description.push_str(&format!(
        "\n\nWhere: {}",
        match &f.location {
            Place::File(l) => format!("{}:{}:{}", l.path, l.span.start_line, l.span.start_column),
            Place::Path(p) => p.clone(),
            Place::Repository => "the repository as a whole".to_string(),
            Place::Target(t) => format!("live target {t}"),
            Place::Commit { commit, location } => format!(
                "{}:{} in commit {commit}",
                location.path, location.span.start_line
            ),
        }
    ));
    if !f.snippet.trim().is_empty() {
        // Secrets in the snippet are masked by the engine, as in every format.
        description.push_str(&format!("\n\n```\n{}\n```", f.snippet.trim_end()));
    }
    for r in &f.related {
        description.push_str(&format!(
            "\n\nRelated: {}:{}: {}",
            r.location.path, r.location.span.start_line, r.message
        ));
    }
    description.push_str(&format!(
        "\n\nRule {} ({}); {}; policy recommendation {}; confidence {}.",
        f.rule_id,
        f.title,
        f.owasp.label(),
        f.recommendation.id(),
        f.confidence
    ));

    let doc = report.rule(&f.rule_id).map(|r| r.doc());
    let section = |name: &str| {
        doc.as_ref()
            .and_then(|d| d.section(name))
            .map(str::to_string)
            .unwrap_or_default()
    };
    let mut mitigation = section("Remediation");
    if let Some(fix) = &f.fix {
        mitigation.push_str(&format!(
            "\n\nSuggested fix: {} (line {}: replace with `{}`)",
            fix.description, fix.span.start_line, fix.replacement
        ));
    }
    let mut references = section("References");
    if !f.help_uri.is_empty() {
        references = format!("{}\n{references}", f.help_uri).trim().to_string();
    }

    let mut out = Map::new();
    out.insert("title".into(), json!(format!("{}: {}", f.rule_id, f.title)));
    out.insert("severity".into(), json!(severity(f.severity)));
    out.insert("description".into(), json!(description));
    let why = section("Why it matters");
    if !why.is_empty() {
        out.insert("impact".into(), json!(why));
    }
    if !mitigation.trim().is_empty() {
        out.insert("mitigation".into(), json!(mitigation.trim()));
    }
    if !references.is_empty() {
        out.insert("references".into(), json!(references));
    }
    if let Some(cwe) = f.cwe.first() {
        out.insert("cwe".into(), json!(cwe));
    }
    let (path, line) = match &f.location {
        Place::File(l) | Place::Commit { location: l, .. } => {
            (Some(l.path.as_str()), Some(l.span.start_line))
        }
        Place::Path(p) => (Some(p.as_str()), None),
        Place::Repository | Place::Target(_) => (None, None),
    };
    if let Some(path) = path {
        out.insert("file_path".into(), json!(path));
    }
    if let Some(line) = line {
        out.insert("line".into(), json!(line));
    }
    let live = matches!(f.location, Place::Target(_));
    out.insert("static_finding".into(), json!(!live));
    out.insert("dynamic_finding".into(), json!(live));
    out.insert("unique_id_from_tool".into(), json!(f.fingerprint));
    out.insert("vuln_id_from_tool".into(), json!(f.rule_id));
    out.insert(
        "tags".into(),
        json!([
            format!("owasp:{}", f.owasp.code()),
            format!("policy:{}", f.recommendation.id()),
            format!("confidence:{}", f.confidence),
        ]),
    );
    Value::Object(out)
}

/// The JSON fields DefectDojo's Generic Findings Import documents, with their types
/// (docs/content/supported_tools/parsers/file/generic.md in DefectDojo's repository):
/// a field outside this list makes the whole import fail.
pub const DOCUMENTED: &[(&str, &str)] = &[
    ("title", "string"),
    ("severity", "string"),
    ("description", "string"),
    ("date", "string"),
    ("cwe", "int"),
    ("cve", "string"),
    ("vulnerability_ids", "list"),
    ("mitigation", "string"),
    ("impact", "string"),
    ("steps_to_reproduce", "string"),
    ("severity_justification", "string"),
    ("references", "string"),
    ("active", "bool"),
    ("verified", "bool"),
    ("false_p", "bool"),
    ("param", "string"),
    ("payload", "string"),
    ("line", "int"),
    ("file_path", "string"),
    ("component_name", "string"),
    ("component_version", "string"),
    ("static_finding", "bool"),
    ("dynamic_finding", "bool"),
    ("scanner_confidence", "int"),
    ("unique_id_from_tool", "string"),
    ("vuln_id_from_tool", "string"),
    ("nb_occurences", "int"),
    ("tags", "list"),
];

/// Checks a file the way DefectDojo's importer does: required fields present, no
/// undocumented field, documented types, severities from its list (for tests).
pub fn validate(value: &Value) -> Result<(), String> {
    let findings = value["findings"].as_array().ok_or("no findings array")?;
    for f in findings {
        let f = f.as_object().ok_or("a finding is not an object")?;
        for required in ["title", "severity", "description"] {
            if !f.contains_key(required) {
                return Err(format!("{required} missing in {f:?}"));
            }
        }
        for (key, v) in f {
            let ty = DOCUMENTED
                .iter()
                .find(|(k, _)| k == key)
                .ok_or_else(|| format!("undocumented field {key}"))?
                .1;
            let ok = match ty {
                "string" => v.is_string(),
                "int" => v.is_u64() || v.is_i64(),
                "bool" => v.is_boolean(),
                "list" => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
                _ => false,
            };
            if !ok {
                return Err(format!("{key} should be {ty}: {v}"));
            }
        }
        let severity = f["severity"].as_str().unwrap_or("");
        if !["Critical", "High", "Medium", "Low", "Info"].contains(&severity) {
            return Err(format!("severity `{severity}`"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::report::Stats;
    use palisade_core::{Confidence, Location, Owasp, Recommendation, Span};

    fn finding(place: Place, severity: Severity) -> ReportedFinding {
        ReportedFinding {
            rule_id: "python/sql-injection".to_string(),
            title: "SQL built from untrusted input".to_string(),
            message: "query built with an f-string".to_string(),
            severity,
            confidence: Confidence::High,
            owasp: Owasp::A03,
            cwe: vec![89],
            recommendation: Recommendation::Mysql,
            location: place,
            related: Vec::new(),
            snippet: "cursor.execute(f\"…{q}\")".to_string(),
            fingerprint: "0123456789abcdef".to_string(),
            help_uri: "docs/rules/python/sql-injection.md".to_string(),
            fix: None,
            properties: Default::default(),
        }
    }

    #[test]
    fn every_kind_of_place_makes_a_documented_finding() {
        let report = Report {
            roots: vec![".".to_string()],
            findings: vec![
                finding(
                    Place::File(Location {
                        path: "app/db.py".to_string(),
                        span: Span::line(12),
                    }),
                    Severity::High,
                ),
                finding(Place::Path("k8s".to_string()), Severity::Info),
                finding(Place::Repository, Severity::Critical),
                finding(
                    Place::Target("https://example.invalid".to_string()),
                    Severity::Low,
                ),
            ],
            diagnostics: Vec::new(),
            rules: Vec::new(),
            stats: Stats::default(),
            coverage: Default::default(),
        };
        let value = to_value(&report);
        validate(&value).unwrap();
        let f = &value["findings"][0];
        assert_eq!(f["severity"], "High");
        assert_eq!(f["file_path"], "app/db.py");
        assert_eq!(f["line"], 12);
        assert_eq!(f["cwe"], 89);
        assert_eq!(f["unique_id_from_tool"], "0123456789abcdef");
        assert_eq!(value["findings"][3]["dynamic_finding"], true);
        assert!(value["findings"][2].get("file_path").is_none());
    }
}
