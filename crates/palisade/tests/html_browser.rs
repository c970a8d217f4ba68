//! The HTML report in a real browser: headless Chromium (Debian's `chromium`, which
//! `.ci/test` installs) opens the demo report and a report of hostile files, runs the page's
//! script, and hands back the DOM (`--dump-dom`) and its log (`--enable-logging=stderr`,
//! where every console message, CSP violations included, is a `:CONSOLE` line).
//!
//! Asserted: no console message at all (so no error and no CSP violation), the page's own
//! script ran (it marks `<html data-ready>`; it runs only if its hash is in the policy),
//! nothing injected ran, the charts' bars carry the right counts, and filtering by
//! severity leaves only those rows. A screenshot of the demo report is written to the
//! test's temporary folder (`target/tmp/shop-report.png`), not committed; with
//! `PALISADE_UPDATE_SCREENSHOT=1` it also replaces the README's `docs/images/html-report.png`
//! (on purpose, after a change to the page's look).
//!
//! Without Chromium the tests say so and pass, unless `PALISADE_REQUIRE_CHROMIUM` is set
//! (as `.ci/test` does once it has installed it).

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("PALISADE_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("PALISADE_REQUIRE_CHROMIUM").is_none(),
            "PALISADE_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        eprintln!("chromium not found: browser test skipped (apt-get install chromium)");
    }
    found
}

/// What the browser saw: the DOM after the scripts ran and its console lines.
struct Seen {
    dom: String,
    console: Vec<String>,
}

/// The flags every run uses: no network, no first-run, no sync, a fresh profile.
fn browser(chromium: &Path, profile: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .stdin(Stdio::null());
    cmd
}

fn open(chromium: &Path, file: &Path, fragment: &str) -> Seen {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}{fragment}", file.display());
    let out = browser(chromium, profile.path())
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(&url)
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&out.stderr);
    Seen {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console: log
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

/// The opening tags of the finding rows: `(severity, hidden)`.
fn rows(dom: &str) -> Vec<(String, bool)> {
    dom.match_indices("<details class=\"f ")
        .map(|(i, _)| {
            let tag = &dom[i..i + dom[i..].find('>').unwrap()];
            let sev = attribute(tag, "data-sev").unwrap_or_default();
            (sev, tag.contains(" hidden=\"\""))
        })
        .collect()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(tag[start..end].to_string())
}

/// The bars of one chart: `(data-label, data-count)`.
fn bars(dom: &str, chart: &str) -> Vec<(String, usize)> {
    let start = dom.find(&format!("id=\"{chart}\"")).expect("chart");
    let end = start + dom[start..].find("</figure>").unwrap();
    let figure = &dom[start..end];
    figure
        .match_indices("<a href=")
        .map(|(i, _)| {
            let tag = &figure[i..i + figure[i..].find('>').unwrap()];
            (
                attribute(tag, "data-label").unwrap(),
                attribute(tag, "data-count").unwrap().parse().unwrap(),
            )
        })
        .collect()
}

fn render_shop(dir: &Path) -> PathBuf {
    let file = dir.join("shop.html");
    Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(workspace())
        .env("PALISADE_TODAY", "2026-11-27")
        .args(["scan", "examples/shop", "--format", "html", "-o"])
        .arg(&file)
        .assert()
        .code(1);
    file
}

fn assert_clean(seen: &Seen) {
    assert!(
        seen.console.is_empty(),
        "console messages (errors or CSP violations): {:#?}",
        seen.console
    );
    assert!(
        seen.dom.contains(" data-ready=\""),
        "the page's script did not run (is its hash in the policy?)"
    );
}

#[test]
fn demo_report_renders_without_console_messages_and_charts_count_right() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = render_shop(dir.path());
    let seen = open(&chromium, &file, "");
    assert_clean(&seen);
    let rows = rows(&seen.dom);
    assert!(rows.len() > 20, "{} rows", rows.len());
    assert!(rows.iter().all(|(_, hidden)| !hidden));
    for (severity, count) in bars(&seen.dom, "chart-severity") {
        let n = rows.iter().filter(|(s, _)| *s == severity).count();
        assert_eq!(count, n, "bar {severity}");
    }
    let owasp: usize = bars(&seen.dom, "chart-owasp").iter().map(|b| b.1).sum();
    assert_eq!(owasp, rows.len());

    // The screenshot, a test artifact.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shop-report.png");
    let profile = tempfile::tempdir().unwrap();
    let status = browser(&chromium, profile.path())
        .args(["--window-size=1280,2000", "--hide-scrollbars"])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", file.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success() && shot.is_file());
    if std::env::var_os("PALISADE_UPDATE_SCREENSHOT").is_some() {
        fs::copy(&shot, workspace().join("docs/images/html-report.png")).unwrap();
    }
}

#[test]
fn filtering_by_severity_leaves_only_those_rows_and_search_and_grouping_work() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = render_shop(dir.path());

    let all = rows(&open(&chromium, &file, "").dom);
    let seen = open(&chromium, &file, "#sev=high");
    assert_clean(&seen);
    let listed = rows(&seen.dom);
    let all_high = all.iter().filter(|(s, _)| s == "high").count();
    assert!(all_high > 0);
    assert!(
        listed.iter().all(|(s, hidden)| s == "high" && !hidden),
        "{listed:?}"
    );
    assert_eq!(listed.len(), all_high);
    assert!(
        seen.dom
            .contains(&format!("{} of {} shown", all_high, all.len()))
    );

    // Search: only rows whose text holds the word; regrouping by rule.
    let seen = open(&chromium, &file, "#q=rbac&group=rule");
    assert_clean(&seen);
    let shown = rows(&seen.dom).len();
    assert!(shown > 0 && shown < all.len(), "{shown} of {}", all.len());
    assert!(seen.dom.contains("data-grouped-by=\"rule\""));
    assert!(
        seen.dom
            .contains("<section class=\"group\" data-group=\"k8s/")
    );
}

#[test]
fn nothing_from_hostile_files_executes() {
    let Some(chromium) = chromium() else { return };
    let root = tempfile::tempdir().unwrap();
    // A finding whose snippet holds markup, handlers, a `javascript:` link and bidi
    // controls; a file name that is markup; a notice about a file named like a script.
    let payload = "</script><script>document.documentElement.dataset.pwned='script'</script>\
        <img src=x onerror=\"document.documentElement.dataset.pwned='img'\">\
        <a href=\"javascript:document.documentElement.dataset.pwned='link'\">x</a>";
    let source = format!(
        "import requests\n\n\ndef pay(url, body):\n    return requests.post(\"{payload}\", json=body, verify=False, timeout=5)  # \u{202E}txt.exe\n"
    );
    fs::write(root.path().join("pay.py"), &source).unwrap();
    fs::create_dir_all(root.path().join("<svg onload=alert(1)>")).unwrap();
    fs::write(root.path().join("<svg onload=alert(1)>/client.py"), &source).unwrap();
    fs::write(
        root.path().join("<script>alert(1)<script>.py"),
        b"x = '\xff\xfe'\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("hostile.html");
    Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .args(["scan", "--format", "html", "--no-progress", "-o"])
        .arg(&file)
        .arg(root.path())
        .assert()
        .code(1);
    let html = fs::read_to_string(&file).unwrap();
    assert!(html.contains("document.documentElement.dataset.pwned"));
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the page's script"
    );
    assert_eq!(html.matches("<script").count(), 2, "and its data block");

    let seen = open(&chromium, &file, "");
    assert_clean(&seen);
    assert!(!seen.dom.contains("data-pwned"), "injected code ran");
    assert!(!seen.dom.contains("<img"));
    assert!(!seen.dom.contains("<svg onload"));
    assert!(!seen.dom.contains("<a href=\"javascript:"));
    assert!(seen.dom.contains("⟨U+202E⟩txt.exe"));
    assert_eq!(seen.dom.matches("<script").count(), 2);
    // The notice about the undecodable file is shown, escaped.
    assert!(seen.dom.contains("&lt;script&gt;alert(1)&lt;script&gt;.py"));
}

/// The detector itself: a page that breaks the policy does produce console lines.
#[test]
fn a_csp_violation_is_seen_in_the_log() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("violating.html");
    fs::write(
        &file,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body><script>document.title='ran'</script></body></html>",
    )
    .unwrap();
    let seen = open(&chromium, &file, "");
    assert!(
        seen.console
            .iter()
            .any(|l| l.contains("Content Security Policy")),
        "{:?}",
        seen.console
    );
}

/// More findings than the page writes as rows: the script lists them from the data block,
/// a page at a time.
#[test]
fn a_large_report_is_listed_a_page_at_a_time() {
    let Some(chromium) = chromium() else { return };
    let root = tempfile::tempdir().unwrap();
    for i in 0..7 {
        let mut source = String::from("import requests\n\n\n");
        for j in 0..100 {
            source.push_str(&format!(
                "def call_{j}(url, body):\n    return requests.post(url + '/{j}', json=body, verify=False, timeout=5)\n\n"
            ));
        }
        fs::write(root.path().join(format!("client_{i}.py")), source).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("large.html");
    Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .args([
            "scan",
            "--format",
            "html",
            "--no-progress",
            "--fail-on",
            "none",
            "-o",
        ])
        .arg(&file)
        .arg(root.path())
        .assert()
        .code(0);
    let seen = open(&chromium, &file, "");
    assert_clean(&seen);
    assert_eq!(rows(&seen.dom).len(), 500);
    assert!(seen.dom.contains("700 of 700 shown (first 500 listed)"));
    assert!(seen.dom.contains("id=\"more\""));
    assert!(seen.dom.contains(" data-visible=\"700\""));
    // Searching reaches findings that were not written as rows.
    let seen = open(&chromium, &file, "#q=client_6.py");
    assert_clean(&seen);
    assert_eq!(rows(&seen.dom).len(), 100);
}

/// Rule documentation is Markdown rendered to HTML: raw HTML in it is shown as text, a
/// link keeps its `href` only for http(s) or a relative reference, and nothing runs.
#[test]
fn hostile_markdown_in_a_rule_doc_does_not_execute() {
    use palisade_core::coverage::Coverage;
    use palisade_core::report::Stats;
    use palisade_core::{
        Confidence, Location, Owasp, Place, Recommendation, Report, ReportedFinding, RuleMeta,
        Severity, Span,
    };
    let Some(chromium) = chromium() else { return };
    let source = "//! Flags <b>things</b> `<code>`.\n\
        //!\n\
        //! <script>document.documentElement.dataset.pwned='script'</script>\n\
        //!\n\
        //! ## What it checks\n\
        //! Text <img src=x onerror=\"document.documentElement.dataset.pwned='img'\"> and\n\
        //! <svg onload=\"document.documentElement.dataset.pwned='svg'\"></svg>\n\
        //!\n\
        //! ## Why it matters\n\
        //! [click](javascript:document.documentElement.dataset.pwned='link')\n\
        //! [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\
        //! [ok](https://owasp.org/Top10/) and ![pic](https://example.invalid/x.png)\n\
        //!\n\
        //! ## Example\n\
        //! ```python\n\
        //! x = \"</code></pre><script>document.documentElement.dataset.pwned='fence'</script>\"\n\
        //! ```\n\
        //!\n\
        //! ## Remediation\n\
        //! <iframe src=\"javascript:parent.document.documentElement.dataset.pwned='frame'\"></iframe>\n\
        //!\n\
        //! ## References\n\
        //! - <a href=\"javascript:alert(1)\">raw link</a>\n";
    let rule: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
        id: "python/hostile-doc",
        title: "Hostile documentation",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[79],
        owasp: Owasp::A03,
        recommendation: Recommendation::PythonBackend,
        needs_network: false,
        options: &[],
        source,
    }));
    let report = Report {
        roots: vec![".".to_string()],
        findings: vec![ReportedFinding {
            rule_id: rule.id.to_string(),
            title: rule.title.to_string(),
            message: "m".to_string(),
            severity: Severity::High,
            confidence: Confidence::High,
            owasp: Owasp::A03,
            cwe: vec![79],
            recommendation: Recommendation::PythonBackend,
            location: Place::File(Location {
                path: "app.py".to_string(),
                span: Span::line(1),
            }),
            related: Vec::new(),
            snippet: "x".to_string(),
            fingerprint: "0123456789abcdef".to_string(),
            help_uri: String::new(),
            fix: None,
            properties: Default::default(),
        }],
        diagnostics: Vec::new(),
        rules: vec![rule],
        stats: Stats::default(),
        coverage: Coverage::default(),
    };
    let html = palisade_report::html::render(&report, &Default::default());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.html");
    fs::write(&file, &html).unwrap();
    assert_eq!(html.matches("<script").count(), 2, "only the page's own");

    let seen = open(&chromium, &file, "");
    assert_clean(&seen);
    assert!(!seen.dom.contains("data-pwned"), "injected code ran");
    let doc_start = seen.dom.find("id=\"rule-python-hostile-doc\"").unwrap();
    let doc = &seen.dom[doc_start..doc_start + seen.dom[doc_start..].find("</article>").unwrap()];
    for tag in [
        "<script",
        "<img",
        "<svg",
        "<iframe",
        "<b>",
        "<a href=\"data:",
        "<a href=\"javascript",
    ] {
        assert!(!doc.contains(tag), "{tag} in {doc}");
    }
    // Rendered: the section headings, a safe link, the code block; raw HTML as text.
    assert_eq!(doc.matches("<a ").count(), 1, "only the https link: {doc}");
    assert!(
        doc.contains("<a href=\"https://owasp.org/Top10/\" rel=\"noopener noreferrer\">ok</a>"),
        "{doc}"
    );
    assert!(
        doc.contains("<pre class=\"doc-code\"><code>x = \"&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;"),
        "{doc}"
    );
    assert!(doc.contains("&lt;img src=x onerror="), "{doc}");
    assert!(doc.contains("[image: pic]"), "{doc}");
    assert!(doc.contains("<code>&lt;code&gt;</code>"), "{doc}");
}

/// `report merge` with reports of two dates: the trends section renders cleanly and its
/// charts count what the reports hold.
#[test]
fn merged_trends_render_and_their_bars_count_right() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    for date in ["2026-11-01", "2026-11-27"] {
        let report = dir.path().join(date).join("shop/palisade.json");
        fs::create_dir_all(report.parent().unwrap()).unwrap();
        Command::cargo_bin("palisade")
            .unwrap()
            .env("PALISADE_NO_CACHE", "1")
            .current_dir(workspace())
            .args([
                "scan",
                "examples/shop",
                "-f",
                "json",
                "--fail-on",
                "none",
                "--today",
                date,
                "-o",
            ])
            .arg(&report)
            .assert()
            .code(0);
        reports.push(report);
    }
    let total =
        serde_json::from_str::<serde_json::Value>(&fs::read_to_string(&reports[1]).unwrap())
            .unwrap()["findings"]
            .as_array()
            .unwrap()
            .len();
    let file = dir.path().join("org.html");
    Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .args(["report", "merge", "-o"])
        .arg(&file)
        .args(&reports)
        .assert()
        .code(0);
    let seen = open(&chromium, &file, "");
    assert_clean(&seen);
    assert!(seen.dom.contains("<section id=\"trends\">"));
    assert_eq!(
        bars(&seen.dom, "chart-trend-shop"),
        [
            ("2026-11-01".to_string(), total),
            ("2026-11-27".to_string(), total)
        ]
    );
    assert_eq!(
        bars(&seen.dom, "chart-trend-organisation"),
        [
            ("2026-11-01".to_string(), total),
            ("2026-11-27".to_string(), total)
        ]
    );
}
