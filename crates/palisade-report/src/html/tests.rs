//! The HTML report: escaping of hostile input, the policy's hashes, the charts' counts.

use super::*;
use palisade_core::report::Stats;
use palisade_core::{
    Confidence, Diagnostic, DiagnosticKind, Location, Owasp, Place, Recommendation,
    ReportedFinding, Severity, Span,
};

fn finding(path: &str, line: u32, severity: Severity, message: &str) -> ReportedFinding {
    ReportedFinding {
        rule_id: "python/sql-injection".to_string(),
        title: "SQL built from untrusted input".to_string(),
        message: message.to_string(),
        severity,
        confidence: Confidence::High,
        owasp: Owasp::A03,
        cwe: vec![89],
        recommendation: Recommendation::Mysql,
        location: Place::File(Location {
            path: path.to_string(),
            span: Span::line(line),
        }),
        related: Vec::new(),
        snippet: "cursor.execute(query)".to_string(),
        fingerprint: "0123456789abcdef0123456789abcdef".to_string(),
        help_uri: String::new(),
        fix: None,
        properties: Default::default(),
    }
}

fn report(findings: Vec<ReportedFinding>) -> Report {
    Report {
        roots: vec![".".to_string()],
        findings,
        diagnostics: Vec::new(),
        rules: Vec::new(),
        stats: Stats::default(),
        coverage: Default::default(),
    }
}

#[test]
fn base64_matches_rfc_4648_vectors() {
    for (input, expected) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(input.as_bytes()), expected);
    }
}

#[test]
fn the_policy_allows_exactly_the_inline_style_and_script() {
    let out = render(&report(vec![]), &HtmlOptions::default());
    let csp = content_security_policy();
    assert!(csp.starts_with("default-src 'none'; "));
    assert!(out.contains(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        csp.replace('\'', "&#39;")
    )));
    // The hashed texts are what the page holds between the tags, byte for byte.
    assert!(out.contains(&format!("<style>{STYLE}</style>")));
    assert!(out.contains(&format!("<script>{SCRIPT}</script>")));
    // The script, and the findings' data block (not executed, not subject to the policy).
    assert_eq!(out.matches("<script>").count(), 1);
    assert_eq!(out.matches("<script").count(), 2);
    assert!(out.contains("<script type=\"application/json\" id=\"palisade-data\">"));
    // Known SHA-256 of the empty string, as CSP writes it.
    assert_eq!(
        csp_hash(""),
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    );
    // Nothing is loaded from anywhere.
    for needle in ["src=", "http://", "https://", "@import", "url("] {
        let outside_svg_ns = out.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!outside_svg_ns.contains(needle), "{needle}");
    }
}

#[test]
fn hostile_text_is_escaped_and_control_characters_shown() {
    let mut f = finding(
        "web/<img src=x onerror=alert(1)>.py",
        1,
        Severity::High,
        "</script><script>alert(1)</script> \u{202E}evil",
    );
    f.snippet = "x = \"<img src=x onerror=alert(2)>\" # \u{2066}hidden\u{2069}".to_string();
    let mut r = report(vec![f]);
    r.diagnostics.push(Diagnostic::file(
        "<svg onload=alert(3)>",
        DiagnosticKind::Parse,
        "javascript:alert(4)",
    ));
    let out = render(&r, &HtmlOptions::default());
    assert_eq!(
        out.matches("<script").count(),
        2,
        "only our script and data block"
    );
    assert!(!out.contains("<img"));
    assert!(!out.contains("<svg onload"));
    assert!(out.contains("&#60;/script&#62;&#60;script&#62;alert(1)"));
    assert!(out.contains("⟨U+202E⟩evil"));
    assert!(out.contains("⟨U+2066⟩hidden⟨U+2069⟩"));
    assert!(!out.contains('\u{202E}'));
    assert!(!out.contains("href=\"javascript"));
}

#[test]
fn charts_count_by_severity_category_rule_and_file() {
    let r = report(vec![
        finding("a.py", 1, Severity::High, "m"),
        finding("a.py", 2, Severity::High, "m"),
        finding("b.py", 1, Severity::Low, "m"),
    ]);
    let page = model::Page::build(&r, &HtmlOptions::default());
    let chart = |id: &str| page.charts.iter().find(|c| c.id == id).unwrap();
    let count = |id: &str, label: &str| {
        chart(id)
            .bars
            .iter()
            .find(|b| b.label == label)
            .map(|b| b.count)
    };
    assert_eq!(count("chart-severity", "high"), Some(2));
    assert_eq!(count("chart-severity", "low"), Some(1));
    assert_eq!(count("chart-severity", "critical"), Some(0));
    assert_eq!(count("chart-owasp", &Owasp::A03.label()), Some(3));
    assert_eq!(chart("chart-owasp").bars.len(), 10);
    assert_eq!(count("chart-rules", "python/sql-injection"), Some(3));
    assert_eq!(count("chart-files", "a.py"), Some(2));
    // The longest bar is the full width; segments split by severity.
    let a03 = chart("chart-owasp")
        .bars
        .iter()
        .find(|b| b.count == 3)
        .unwrap();
    assert_eq!(a03.segments.len(), 2);
    assert_eq!(
        a03.segments.iter().map(|s| s.width).sum::<u32>(),
        chart::BAR_MAX
    );
}

#[test]
fn optional_sections_appear_only_when_given() {
    let r = report(vec![finding("a.py", 1, Severity::High, "m")]);
    let plain = render(&r, &HtmlOptions::default());
    assert!(!plain.contains("id=\"ledger\""));
    assert!(!plain.contains("id=\"repositories\""));
    let options = HtmlOptions {
        ledger: Some(LedgerView {
            rows: vec![LedgerRow {
                repository: String::new(),
                recommendation: "backup".to_string(),
                status: "needs-attestation".to_string(),
                detail: "no <record>".to_string(),
            }],
        }),
        repositories: vec![RepositoryRow {
            name: "shop".to_string(),
            by_severity: [0, 1, 0, 0, 0],
            total: 1,
            notices: 0,
            files_analyzed: 3,
            ledger: Vec::new(),
            scanned: "2026-11-27".to_string(),
        }],
        matrices: vec![Matrix {
            id: "endpoints".to_string(),
            title: "Endpoints".to_string(),
            columns: vec!["path".to_string()],
            rows: vec![vec!["/admin<".to_string()]],
            note: String::new(),
        }],
        ..HtmlOptions::default()
    };
    let out = render(&r, &options);
    assert!(out.contains("<section id=\"ledger\">"));
    assert!(out.contains("<tr class=\"ledger needs-attestation\">"));
    assert!(out.contains("no &#60;record&#62;"));
    assert!(out.contains("<section id=\"repositories\">"));
    assert!(out.contains("<section id=\"endpoints\">"));
    assert!(out.contains("/admin&#60;"));
}

#[test]
fn the_data_block_cannot_end_early_and_holds_every_finding() {
    let mut findings: Vec<ReportedFinding> = (0..model::INLINE_ROWS as u32 + 7)
        .map(|i| finding("a.py", i + 1, Severity::Medium, "m"))
        .collect();
    findings[3].message = "</script><!-- & \u{2028}".to_string();
    findings[3].severity = Severity::Critical;
    let out = render(&report(findings), &HtmlOptions::default());
    let start = out.find("id=\"palisade-data\">").unwrap();
    let end = start + out[start..].find("</script>").unwrap();
    let block = &out[start + "id=\"palisade-data\">".len()..end];
    assert!(!block.contains('<') && !block.contains('>') && !block.contains('&'));
    let data: serde_json::Value = serde_json::from_str(block).unwrap();
    let all = data["findings"].as_array().unwrap();
    assert_eq!(all.len(), model::INLINE_ROWS + 7);
    assert_eq!(all[3][5], "\u{3c}/script\u{3e}\u{3c}!-- \u{26} ⟨U+2028⟩");
    assert_eq!(data["inline"], model::INLINE_ROWS);
    // Only the first rows are HTML, the most severe first; a note says so.
    assert_eq!(
        out.matches("<details class=\"f ").count(),
        model::INLINE_ROWS
    );
    assert!(out.find("id=\"f3\"").unwrap() < out.find("id=\"f0\"").unwrap());
    assert!(out.contains("id=\"truncated\""));
}

/// The page of a small report, with the style sheet, the script and their hashes left out
/// (they have their own tests): what a reviewer checks when the template changes.
#[test]
fn small_report_snapshot() {
    let mut a = finding(
        "app/db.py",
        12,
        Severity::High,
        "query built with an f-string",
    );
    a.related.push(palisade_core::Related {
        location: Location {
            path: "app/views.py".to_string(),
            span: Span::line(3),
        },
        message: "the request parameter comes from here".to_string(),
    });
    let mut b = finding("k8s/rbac.yaml", 4, Severity::Low, "wildcard verbs");
    b.rule_id = "k8s/rbac-wildcard-verbs".to_string();
    b.owasp = Owasp::A01;
    b.recommendation = Recommendation::Kubernetes;
    b.snippet = "verbs: [\"*\"]".to_string();
    let mut c = finding("config/app.json", 1, Severity::Medium, "no comment syntax");
    c.location = Place::Repository;
    c.snippet = String::new();
    let mut r = report(vec![a, b, c]);
    r.diagnostics.push(Diagnostic::file(
        "static/blob.bin",
        DiagnosticKind::Binary,
        "holds NUL bytes",
    ));
    r.stats.files_analyzed = 3;
    let options = HtmlOptions {
        gate: Some(crate::markdown::Gate {
            fail_on: Some(Severity::High),
            fail_confidence: Confidence::Medium,
        }),
        ..HtmlOptions::default()
    };
    let out = render(&r, &options)
        .replace(STYLE, "/* report.css */")
        .replace(SCRIPT, "/* report.js */")
        .replace(
            &content_security_policy().replace('\'', "&#39;"),
            "(policy)",
        );
    insta::assert_snapshot!("small-report", out);
}
