//! The Markdown report: verdict, escaping of hostile input, fitting under GitHub's limit.

use super::*;
use palisade_core::report::Stats;
use palisade_core::{Diagnostic, DiagnosticKind, Location, Span};

fn finding(path: &str, line: u32, severity: Severity, message: &str) -> ReportedFinding {
    ReportedFinding {
        rule_id: "python/sql-injection".to_string(),
        title: "SQL built from untrusted input".to_string(),
        message: message.to_string(),
        severity,
        confidence: Confidence::High,
        owasp: Owasp::A03,
        cwe: vec![89],
        recommendation: Recommendation::ALL[0],
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

const GATE: Gate = Gate {
    fail_on: Some(Severity::High),
    fail_confidence: Confidence::Medium,
};

fn with_gate() -> MarkdownOptions {
    MarkdownOptions {
        gate: Some(GATE),
        ..MarkdownOptions::default()
    }
}

#[test]
fn heading_gives_the_verdict_under_the_gate() {
    let failing = report(vec![
        finding("a.py", 3, Severity::High, "m"),
        finding("b.py", 1, Severity::Low, "m"),
    ]);
    let out = render(&failing, with_gate());
    assert!(
        out.starts_with("## palisade: ❌ fails CI — 1 of 2 findings at or above the gate\n"),
        "{out}"
    );
    assert!(out.contains("Gate: `--fail-on high`, `--fail-confidence medium`."));
    assert!(out.contains("| 0 | 1 | 0 | 1 | 0 |"), "{out}");
    assert!(out.contains("| A03:2021 Injection | 2 |"), "{out}");

    let passing = report(vec![finding("b.py", 1, Severity::Low, "m")]);
    let out = render(&passing, with_gate());
    assert!(out.starts_with("## palisade: ✅ passes CI — 1 finding, none at or above the gate\n"));

    let out = render(&passing, MarkdownOptions::default());
    assert!(out.starts_with("## palisade: 1 finding\n"), "{out}");
    let out = render(
        &report(Vec::new()),
        MarkdownOptions {
            baseline: true,
            ..with_gate()
        },
    );
    assert!(out.starts_with("## palisade: ✅ passes CI — 0 new findings"));
    assert!(out.contains("No findings."));
}

#[test]
fn table_lists_most_severe_first_with_every_kind_of_place() {
    let mut repo = finding("x", 0, Severity::Low, "no policy");
    repo.location = Place::Repository;
    let mut target = finding("x", 0, Severity::Medium, "weak TLS");
    target.location = Place::Target("https://shop.example".to_string());
    let mut folder = finding("x", 0, Severity::Info, "no CSP");
    folder.location = Place::Path("frontend".to_string());
    let mut commit = finding("x", 0, Severity::Critical, "key in history");
    commit.location = Place::Commit {
        commit: "1a2b3c4d5e6f7a8b9c0d".to_string(),
        location: Location {
            path: "deploy.sh".to_string(),
            span: Span::line(7),
        },
    };
    let out = render(
        &report(vec![repo, target, folder, commit]),
        MarkdownOptions {
            baseline: true,
            ..MarkdownOptions::default()
        },
    );
    assert!(out.contains("### New findings (not in the baseline)"));
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("python/"))
        .collect();
    assert_eq!(
        rows,
        [
            "| critical | `python/sql-injection` | deploy.sh:7 in commit 1a2b3c4d5e6f | key in history |",
            "| medium | `python/sql-injection` | live target https://shop.example | weak TLS |",
            "| low | `python/sql-injection` | the repository as a whole | no policy |",
            "| info | `python/sql-injection` | frontend (whole file or folder) | no CSP |",
        ]
    );
    // No line to comment on: the suppression is a palisade.toml entry by fingerprint.
    assert!(out.contains("fingerprint = \"0123456789abcdef0123456789abcdef\""));
}

#[test]
fn details_hold_snippet_classification_and_the_suppression_to_paste() {
    let out = render(
        &report(vec![finding("app/db.py", 12, Severity::High, "m")]),
        MarkdownOptions::default(),
    );
    assert!(out.contains(
        "<details><summary>high · python/sql-injection · app/db.py:12</summary>\n\n**SQL built from untrusted input**: m\n"
    ));
    assert!(out.contains("```python\ncursor.execute(query)\n```\n"));
    assert!(out.contains("A03:2021 Injection · CWE-89 · policy: "));
    assert!(out.contains("```\n# palisade: ignore[python/sql-injection] <reason>\n```"));
    assert!(!out.contains("[!NOTE]"), "nothing was cut");
}

/// A file crafted to break out of the report: every piece of scanned text at once.
#[test]
fn hostile_input_cannot_break_tables_inject_html_or_links() {
    let hostile = "x | y </details><script>alert(1)</script> ```` [link](javascript:alert(1)) <img src=x onerror=alert(1)> a\u{202E}b\u{2066}c\nnew row & $math$ @org/team";
    let mut f = finding("evil|`dir`/<b>.py", 4, Severity::High, hostile);
    f.snippet = hostile.to_string();
    f.related = vec![palisade_core::Related {
        location: Location {
            path: "r|<i>.py".to_string(),
            span: Span::line(1),
        },
        message: hostile.to_string(),
    }];
    let mut r = report(vec![f]);
    r.diagnostics =
        vec![Diagnostic::file("bad</details>.py", DiagnosticKind::Parse, hostile).at_line(2)];
    let out = render(&r, MarkdownOptions::default());

    // Outside fenced code, no raw tag, link, bidi character or unescaped pipe survives.
    let mut in_fence: Option<String> = None;
    for line in out.lines() {
        if let Some(fence) = &in_fence {
            if line == fence {
                in_fence = None;
            }
            continue;
        }
        if line.starts_with("```") {
            in_fence = Some(
                line.trim_end_matches(|c: char| c.is_alphanumeric())
                    .to_string(),
            );
            continue;
        }
        assert!(!line.contains("<script"), "{line}");
        assert!(!line.contains("<img"), "{line}");
        assert!(!line.contains("<b>") && !line.contains("<i>"), "{line}");
        assert!(
            !line.replace("\\](", "").contains("]("),
            "a link can only start from an unescaped bracket: {line}"
        );
        assert!(
            !line.contains('\u{202E}') && !line.contains('\u{2066}'),
            "{line}"
        );
        let allowed = [
            "<!-- -->",
            "<details>",
            "<summary>",
            "</summary>",
            "</details>",
            "<sub>",
            "</sub>",
        ];
        let mut rest = line.to_string();
        for tag in allowed {
            rest = rest.replace(tag, "");
        }
        assert!(!rest.contains('<'), "unescaped < in {line}");
        if line.starts_with("| high | `python/") {
            // A row has exactly its four cells: five unescaped pipes.
            let unescaped = line
                .char_indices()
                .filter(|&(i, c)| c == '|' && (i == 0 || !line[..i].ends_with('\\')))
                .count();
            assert_eq!(unescaped, 5, "{line}");
        }
    }
    assert!(in_fence.is_none(), "every fence is closed");
    // The snippet is shown literally inside a fence longer than its backtick run.
    assert!(
        out.contains("`````python\nx | y </details><script>"),
        "{out}"
    );
    assert!(out.contains("a<U+202E>b<U+2066>c"));
    assert!(out.contains("\\[link\\](javascript:alert(1))"));
    assert!(out.contains("\\$math\\$ @<!-- -->org/team"));
    // One details section per finding plus the notices': every one opened is closed.
    assert_eq!(out.matches("<details>").count(), 2);
    assert_eq!(out.matches("\n</details>").count(), 2);
}

#[test]
fn notices_are_summarised_in_one_collapsed_section() {
    let mut r = report(Vec::new());
    r.diagnostics = (0..60)
        .map(|i| Diagnostic::file(&format!("f{i}.bin"), DiagnosticKind::Binary, "NUL bytes"))
        .collect();
    let out = render(&r, MarkdownOptions::default());
    assert!(out.contains("<details><summary>60 notices (not fully checked)</summary>"));
    assert!(out.contains("- binary: f0.bin: NUL bytes\n"));
    assert!(out.contains("- … and 10 more"));

    // Notices made of escaped-heavy text stay within a quarter of the budget.
    let hostile = "<&>".repeat(200);
    r.diagnostics = (0..60)
        .map(|i| Diagnostic::file(&format!("{hostile}{i}"), DiagnosticKind::Parse, &hostile))
        .collect();
    let out = render(&r, MarkdownOptions::default());
    assert!(
        github_length(&out) < DEFAULT_BUDGET / 4 + 2_000,
        "{}",
        github_length(&out)
    );
    assert!(out.contains(" more\n"));
}

#[test]
fn thousands_of_findings_fit_under_githubs_limit_with_a_note() {
    let findings: Vec<ReportedFinding> = (0..5_000)
        .map(|i| {
            let severity = Severity::DESCENDING[i % 5];
            let mut f = finding(
                &format!("src/module_{i}/handlers.py"),
                i as u32 + 1,
                severity,
                &format!("query built from request parameter `p{i}` and passed to execute"),
            );
            f.snippet =
                format!("cursor.execute(\"SELECT * FROM t WHERE id = \" + p{i})\n").repeat(3);
            f
        })
        .collect();
    let out = render(&report(findings), with_gate());
    assert!(
        github_length(&out) <= DEFAULT_BUDGET,
        "{}",
        github_length(&out)
    );
    assert!(github_length(&out) < GITHUB_COMMENT_LIMIT);
    let rows = out
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("`python/"))
        .count();
    assert!(rows > 100 && rows < 5_000, "{rows}");
    assert!(
        !out.contains("<details><summary>critical"),
        "details are dropped first"
    );
    assert!(out.contains(&format!(
        "{} findings are not shown in the table (the table lists the first {rows}",
        5_000 - rows
    )));
    // The most severe are the ones kept.
    assert!(!out.contains("| info | `"));
    assert!(
        out.contains("| 1000 | 1000 | 1000 | 1000 | 1000 |"),
        "counts cover every finding"
    );

    // A few findings: every row, but only the details that fit.
    let few: Vec<ReportedFinding> = (0..40)
        .map(|i| {
            let mut f = finding("a.py", i + 1, Severity::High, "m");
            f.snippet = "x".repeat(1_800);
            f
        })
        .collect();
    let out = render(&report(few), MarkdownOptions::default());
    assert!(github_length(&out) <= DEFAULT_BUDGET);
    let details = out.matches("<details><summary>high").count();
    assert!(details > 10 && details < 40, "{details}");
    assert!(out.contains(&format!(
        "details are shown for the first {details} of 40 findings"
    )));
}
