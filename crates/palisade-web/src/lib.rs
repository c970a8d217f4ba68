//! palisade's web analyzer: Content Security Policies wherever they are set (HTML `<meta>`,
//! nginx, Apache, hosting configurations, server code), evaluated by the CSP engine in
//! [`csp`], and a project-wide check for pages served with no policy at all.
//!
//! The engine ([`csp`]) is independent of files: `palisade csp '<policy>'` and a live
//! prober can use it directly.

pub mod code_policy;
pub mod csp;
pub mod html;
pub mod js;
pub mod literal;
pub mod locate;
pub mod nginx;
pub mod rules;
pub mod server_tls;

use csp::{Disposition, EvalOptions};
use locate::{ConfigKind, Found};
use palisade_core::{
    Analyzer, DiagnosticKind, FactsCodec, FileContext, FileSelector, Finding, ProjectContext,
    RuleMeta, SourceFile,
};
use palisade_knowledge::roles::{FileRole, file_role};

/// The path under which `palisade csp` hands a policy string to the analyzer (as standard
/// input of the scan): its whole text is one header value.
pub const POLICY_PATH: &str = "<policy>";

/// A first line that marks the text at [`POLICY_PATH`] as a report-only policy.
pub const REPORT_ONLY_PREFIX: &str = "Content-Security-Policy-Report-Only:\n";

/// The web analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct WebAnalyzer;

/// Why a file was not analysed (reported once per folder by the project pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Skipped {
    BuildOutput,
    Minified,
}

impl Skipped {
    /// What the project pass's notice says.
    pub fn text(self) -> &'static str {
        match self {
            Skipped::BuildOutput => "build output (.next/)",
            Skipped::Minified => "minified or bundled scripts (*.min.*, or very long lines)",
        }
    }
}

/// What the project pass needs of one file.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct WebFacts {
    pub path: String,
    /// An HTML page a browser would load (doctype or `<html>`), outside tests and vendored code.
    pub html_entry: bool,
    /// The line of the page's doctype or `<html>` element.
    pub entry_line: u32,
    /// The file sets or mentions a Content Security Policy.
    pub csp_seen: bool,
    /// The file is a web server or hosting configuration (nginx, Apache, …).
    pub server_config: bool,
    /// The file was not analysed, and why (reported once per folder).
    pub skipped: Option<Skipped>,
    /// The text of an nginx configuration: the project pass checks it with its `include`s
    /// followed (see [`nginx::compose`]).
    #[serde(default)]
    pub nginx: Option<String>,
}

impl WebFacts {
    /// The facts, when the project pass reads anything in them: most code files of a large
    /// tree set no policy, serve no page and configure no server, and a scan holds every
    /// file's facts until its project pass.
    fn worth_keeping(self) -> Option<WebFacts> {
        let WebFacts {
            path: _,
            html_entry,
            entry_line: _,
            csp_seen,
            server_config,
            skipped,
            nginx,
        } = &self;
        (*html_entry || *csp_seen || *server_config || skipped.is_some() || nginx.is_some())
            .then_some(self)
    }
}

impl Analyzer for WebAnalyzer {
    type Facts = WebFacts;
    type ScanState = ();

    fn name(&self) -> &'static str {
        "web"
    }

    fn input_kind(&self) -> &'static str {
        "web frontend files (HTML, JavaScript/TypeScript, server configurations)"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::METAS
    }

    fn files(&self) -> FileSelector {
        FileSelector {
            extensions: &[
                "html", "htm", "xhtml", "conf", "vhost", "py", "js", "mjs", "cjs", "jsx", "ts",
                "mts", "cts", "tsx", "vue",
            ],
            names: &[
                "_headers",
                "netlify.toml",
                "vercel.json",
                "now.json",
                "firebase.json",
                "staticwebapp.config.json",
                ".htaccess",
            ],
            globs: &["**/sites-available/*", "**/sites-enabled/*", "**/conf.d/*"],
            ..FileSelector::default()
        }
    }

    /// Cached: a file's findings and facts depend on its text and the rules alone.
    fn cache(&self) -> Option<FactsCodec<WebFacts>> {
        Some(FactsCodec::json(2))
    }

    fn check_file(
        &self,
        file: &SourceFile,
        cx: &mut FileContext<'_>,
        _state: &(),
    ) -> Option<WebFacts> {
        if file.path == POLICY_PATH {
            let (disposition, start) = match file.text.strip_prefix(REPORT_ONLY_PREFIX) {
                Some(_) => (Disposition::ReportOnly, REPORT_ONLY_PREFIX.len()),
                None => (Disposition::Enforce, 0),
            };
            let policies =
                csp::parse_header_value_at(&file.text, start..file.text.len(), disposition);
            let found = Found {
                what: "policy",
                policies,
                decoded: None,
                base: 0,
                ..Found::default()
            };
            report_found(file, &found, EvalOptions::default(), cx);
            return None;
        }
        if cx.is_collecting() || !cx.wants_any(rules::METAS) {
            return None;
        }
        let lower_path = file.path.to_ascii_lowercase();
        let ext = lower_path.rsplit_once('.').map_or("", |(_, e)| e);
        let kind = locate::config_kind(&file.path);
        if kind.is_none() && ext != "vue" {
            return None;
        }
        let grammar = js::grammar_for(ext);
        if let Some(skipped) = skip_reason(&file.path, &file.text, grammar.is_some()) {
            // One notice per folder, from the project pass.
            return Some(WebFacts {
                path: file.path.clone(),
                skipped: Some(skipped),
                ..WebFacts::default()
            });
        }
        if !is_product(&file.path) {
            // Tests, fixtures, vendored and generated files: what they set or do is not what
            // the product serves. They still count as "a policy is set somewhere".
            return WebFacts {
                path: file.path.clone(),
                csp_seen: locate::mentions_csp(&file.text),
                ..WebFacts::default()
            }
            .worth_keeping();
        }
        let js_rules: Vec<&rules::JsRule> = rules::JS_RULES
            .iter()
            .copied()
            .filter(|r| cx.wants(r.meta))
            .collect();
        if let Some(grammar) = grammar
            && !js_rules.is_empty()
        {
            match js::with_script(grammar, &file.text, 0, |s| {
                html::run(s, file, cx, &js_rules)
            }) {
                Ok(Some(line)) => cx.notice(
                    DiagnosticKind::Parse,
                    Some(line),
                    format!("web: syntax error near line {line}; findings elsewhere in the file are still reported"),
                ),
                Ok(None) => {}
                Err(e) => cx.notice(DiagnosticKind::Parse, None, format!("web: {e}")),
            }
        }
        if kind == Some(ConfigKind::Html) || ext == "vue" {
            html::check(file, cx, &js_rules);
        }
        // nginx files are checked in the project pass, with their includes followed.
        let mut nginx_text = None;
        if kind == Some(ConfigKind::Server) && !server_tls::is_apache(&file.text) {
            if nginx::looks_like_nginx(&file.text) {
                nginx_text = Some(file.text.clone());
            }
        } else if kind == Some(ConfigKind::Server) {
            for tls in server_tls::check(&file.text) {
                if !cx.wants(tls.rule) {
                    continue;
                }
                let mut finding = Finding::new(
                    tls.rule,
                    file.span(tls.range.start, tls.range.end),
                    tls.message,
                );
                if let Some(confidence) = tls.confidence {
                    finding = finding.with_confidence(confidence);
                }
                cx.report(finding);
            }
        }
        let mut found = kind
            .map(|k| locate::find(k, &file.text))
            .unwrap_or_default();
        if kind == Some(ConfigKind::Code) {
            let lang = if ext == "py" {
                literal::Lang::Python
            } else {
                literal::Lang::Js
            };
            let code = code_policy::find(&file.text, lang);
            for (at, message) in code.unreadable {
                let (line, _) = file.position(at);
                cx.notice(DiagnosticKind::Skipped, Some(line), message);
            }
            found.extend(code.found);
        }
        for f in &found {
            report_found(
                file,
                f,
                EvalOptions {
                    static_source: true,
                },
                cx,
            );
        }
        WebFacts {
            path: file.path.clone(),
            html_entry: kind == Some(ConfigKind::Html) && entry_line(&file.text).is_some(),
            entry_line: entry_line(&file.text).unwrap_or(1),
            csp_seen: !found.is_empty() || locate::mentions_csp(&file.text),
            server_config: matches!(
                kind,
                Some(
                    ConfigKind::Server
                        | ConfigKind::Headers
                        | ConfigKind::NetlifyToml
                        | ConfigKind::Json
                )
            ),
            skipped: None,
            nginx: nginx_text,
        }
        .worth_keeping()
    }

    fn check_project(&self, facts: Vec<WebFacts>, cx: &mut ProjectContext<'_>) {
        nginx_project(&facts, cx);
        let mut skipped: std::collections::BTreeMap<(String, &str), usize> = Default::default();
        for f in &facts {
            if let Some(why) = f.skipped.map(Skipped::text) {
                let folder = f.path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                *skipped.entry((folder, why)).or_default() += 1;
            }
        }
        for ((folder, why), count) in skipped {
            let shown = if folder.is_empty() {
                "."
            } else {
                folder.as_str()
            };
            cx.notice(
                Some(shown),
                DiagnosticKind::Skipped,
                format!("web: {count} file(s) of {why} in this folder were not analysed"),
            );
        }
        if !cx.wants(&rules::missing_csp::META) || facts.iter().any(|f| f.csp_seen) {
            return;
        }
        let mut entries: Vec<&WebFacts> = facts.iter().filter(|f| f.html_entry).collect();
        if entries.is_empty() {
            return;
        }
        entries.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let pages: Vec<&str> = entries.iter().map(|f| f.path.as_str()).collect();
        let mut servers: Vec<&str> = facts
            .iter()
            .filter(|f| f.server_config)
            .map(|f| f.path.as_str())
            .collect();
        servers.sort_unstable();
        let shown = |list: &[&str]| {
            let mut s = list
                .iter()
                .take(5)
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if list.len() > 5 {
                s.push_str(&format!(" and {} more", list.len() - 5));
            }
            s
        };
        let served_by = if servers.is_empty() {
            "no web server or hosting configuration was found in the scan".to_string()
        } else {
            format!("server configurations seen: {}", shown(&servers))
        };
        let message = format!(
            "{} HTML page(s) ({}) and no Content Security Policy anywhere palisade can see ({served_by}); set a policy where the pages are served, e.g. script-src 'nonce-{{random}}' 'strict-dynamic'; object-src 'none'; base-uri 'none' — unless a proxy or CDN outside the repository adds one",
            pages.len(),
            shown(&pages),
        );
        cx.report(
            Finding::new(
                &rules::missing_csp::META,
                palisade_core::Span::line(entries[0].entry_line),
                message,
            )
            .with_path(pages[0]),
        );
    }
}

/// The nginx checks that depend on how blocks nest (HTTPS, HSTS, `add_header`
/// inheritance), run on each configuration with its `include`s spliced in. A snippet that
/// other files include is checked through them only, and an issue in it is reported once, at
/// the line where it is written.
fn nginx_project(facts: &[WebFacts], cx: &mut ProjectContext<'_>) {
    let nginx_rules = [
        &rules::csp_dropped_by_nested_add_header::META,
        &rules::tls_legacy_protocol::META,
        &rules::tls_weak_cipher::META,
        &rules::http_without_https_redirect::META,
        &rules::missing_hsts::META,
    ];
    if !facts.iter().any(|f| f.nginx.is_some()) || !nginx_rules.iter().any(|r| cx.wants(r)) {
        return;
    }
    let files: Vec<(&str, Option<&str>)> = facts
        .iter()
        .filter(|f| f.server_config || f.nginx.is_some())
        .map(|f| (f.path.as_str(), f.nginx.as_deref()))
        .collect();
    let composed = nginx::compose(&files);
    let sources: Vec<Option<SourceFile>> = files
        .iter()
        .map(|(path, text)| text.map(|t| SourceFile::in_memory(path, t)))
        .collect();
    // (rule, file, range) → finding: a snippet included by several blocks is one finding.
    let mut found: std::collections::BTreeMap<(&str, usize, usize, usize), Finding> =
        Default::default();
    for config in &composed.roots {
        for tls in server_tls::check_nginx(config) {
            let Some(source) = sources.get(tls.file).and_then(Option::as_ref) else {
                continue;
            };
            let key = (tls.rule.id, tls.file, tls.range.start, tls.range.end);
            let mut finding = Finding::new(
                tls.rule,
                source.span(tls.range.start, tls.range.end),
                tls.message,
            )
            .with_path(source.path.as_str());
            if let Some(confidence) = tls.confidence {
                finding = finding.with_confidence(confidence);
            }
            found.entry(key).or_insert(finding);
        }
        for dropped in nginx::dropped_policies(config) {
            let (Some(source), Some(policy_source)) = (
                sources.get(dropped.first.file).and_then(Option::as_ref),
                sources.get(dropped.policy.file).and_then(Option::as_ref),
            ) else {
                continue;
            };
            let meta = &rules::csp_dropped_by_nested_add_header::META;
            let at = &dropped.first.range;
            let (line, _) = policy_source.position(dropped.policy.range.start);
            let set_at = if dropped.policy.file == dropped.first.file {
                format!("line {line}")
            } else {
                format!("`{}` line {line}", policy_source.path)
            };
            found
                .entry((meta.id, dropped.first.file, at.start, at.end))
                .or_insert_with(|| {
                    let finding = Finding::new(
                        meta,
                        source.span(at.start, at.end),
                        format!("this block's own add_header lines replace the ones it would inherit, so its responses lose the Content-Security-Policy set on {set_at}; repeat the policy here (or use add_header_inherit merge on nginx 1.29.3+)"),
                    )
                    .with_path(source.path.as_str());
                    if dropped.unseen_include {
                        finding.with_confidence(palisade_core::Confidence::Low)
                    } else {
                        finding
                    }
                });
        }
    }
    for finding in found.into_values() {
        cx.report(finding);
    }
}

/// Reports every issue of the policies found at one place.
fn report_found(file: &SourceFile, found: &Found, options: EvalOptions, cx: &mut FileContext<'_>) {
    let frames_guarded =
        found.frames_guarded || file.text.to_ascii_lowercase().contains("x-frame-options");
    for issue in csp::evaluate(&found.policies, options) {
        let meta = rules::meta_of(issue.check);
        if !cx.wants(meta) || (issue.check == csp::Check::MissingFrameAncestors && frames_guarded) {
            continue;
        }
        let range = found.file_range(issue.range.clone());
        let span = file.span(range.start, range.end.max(range.start));
        let mut message = format!("{}: {}", found.what, issue.message);
        if let Some(uncertain) = &found.uncertain {
            message.push_str(&format!(" — {uncertain}"));
        }
        let mut finding = Finding::new(meta, span, message).with_severity(issue.severity);
        if let Some(confidence) = issue.confidence {
            finding = finding.with_confidence(confidence);
        }
        if found.uncertain.is_some() {
            finding = finding.with_confidence(palisade_core::Confidence::Low);
        }
        cx.report(finding);
    }
}

/// Why a scan leaves a file of the web analyzer unanalysed: build output (`.next/`), or — for
/// a script — a minified bundle.
fn skip_reason(path: &str, text: &str, script: bool) -> Option<Skipped> {
    let lower_path = path.to_ascii_lowercase();
    if lower_path.starts_with(".next/") || lower_path.contains("/.next/") {
        Some(Skipped::BuildOutput)
    } else if script && is_minified(path, text) {
        Some(Skipped::Minified)
    } else {
        None
    }
}

/// Whether the file is the product's own code (not tests, fixtures, vendored or generated
/// files): only those are parsed and checked by the rules.
fn is_product(path: &str) -> bool {
    matches!(file_role(path), FileRole::Source | FileRole::Example)
}

/// Whether a script is a minified bundle: `.min.js`, or lines averaging over 300 characters.
fn is_minified(path: &str, text: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.contains(".min.") {
        return true;
    }
    let lines = text.lines().count().max(1);
    text.len() > 2000 && text.len() / lines > 300
}

/// What a scan does with one JavaScript/TypeScript file before any rule runs: the floor
/// that `palisade parse-only` measures the web analysis against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptPass {
    /// Not a script file (HTML, Vue, server configurations, Python): not part of the floor.
    NotScript,
    /// Skipped with a notice, unparsed.
    Skipped(Skipped),
    /// Tests, fixtures, vendored or generated scripts: a scan only looks for a policy
    /// mention there, without parsing.
    NotProduct,
    /// Parsed with the grammar named (`javascript`, `typescript`, `tsx`); whether the tree
    /// has a syntax error.
    Parsed {
        language: &'static str,
        syntax_error: bool,
    },
}

/// Selects and parses `text` (at `path`, relative to the scan root) as a scan would — same
/// extensions, same skip rules, same grammar — and throws the tree away; with `walk`, after
/// one bare traversal of it ([`palisade_syntax::bare_walk`]).
pub fn parse_only(path: &str, text: &str, walk: bool) -> ScriptPass {
    let lower_path = path.to_ascii_lowercase();
    let ext = lower_path.rsplit_once('.').map_or("", |(_, e)| e);
    let Some(grammar) = js::grammar_for(ext) else {
        return ScriptPass::NotScript;
    };
    if let Some(skipped) = skip_reason(path, text, true) {
        return ScriptPass::Skipped(skipped);
    }
    if !is_product(path) {
        return ScriptPass::NotProduct;
    }
    match palisade_syntax::parse(grammar, text) {
        Ok(parsed) => {
            if walk {
                palisade_syntax::bare_walk(grammar, parsed.tree.root_node());
            }
            ScriptPass::Parsed {
                language: grammar.name(),
                syntax_error: parsed.syntax_error.is_some(),
            }
        }
        Err(_) => ScriptPass::Parsed {
            language: grammar.name(),
            syntax_error: true,
        },
    }
}

/// The line of an HTML page's doctype or `<html>` element within its first 2 KiB, if the
/// file is a page (not a fragment or template partial).
fn entry_line(text: &str) -> Option<u32> {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    let at = head.find("<!doctype html").or_else(|| head.find("<html"))?;
    Some(head[..at].matches('\n').count() as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::config::RuleSet;

    fn run(path: &str, text: &str) -> usize {
        let file = SourceFile::in_memory(path, text);
        let rules = RuleSet::all(rules::METAS);
        let mut cx = FileContext::new(&file, &rules);
        let _ = WebAnalyzer.check_file(&file, &mut cx, &());
        cx.into_parts().0.len()
    }

    #[test]
    fn broken_and_hostile_input_never_panics() {
        let deep = format!(
            "el.innerHTML = {}location.hash{};",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let _ = run("app.js", &deep);
        let nested = format!(
            "{}x = location.hash; el.innerHTML = x;{}",
            "function f() {".repeat(3000),
            "}".repeat(3000)
        );
        let _ = run("app.js", &nested);
        for text in [
            "<meta http-equiv=\"Content-Security-Policy\" content=\"",
            "<meta http-equiv=content-security-policy content=script-src",
            "<script>el.innerHTML = location.hash",
            "<script src='//x' <<<>>> onclick=\"eval(location.hash)",
            "<!-- <script>",
            "<a onclick='",
            "é<meta http-equiv='Content-Security-Policy' content='script-src ü &amp; é'>",
        ] {
            let _ = run("index.html", text);
        }
        for text in [
            "add_header Content-Security-Policy \"script-src 'self'",
            "add_header",
            "Header set Content-Security-Policy",
            "Header always set",
        ] {
            let _ = run("nginx.conf", text);
        }
        let _ = run(
            "vercel.json",
            "{\"key\": \"Content-Security-Policy\", \"value\": \"",
        );
        let _ = run("_headers", "/*\n  Content-Security-Policy:");
        let _ = run("server.js", "res.setHeader('Content-Security-Policy', \"");
    }

    #[test]
    fn an_inline_event_handler_is_reported_at_its_line() {
        let html = "<html>\n<body>\n<button onclick=\"document.body.innerHTML = location.hash\">x</button>\n</body></html>\n";
        let file = SourceFile::in_memory("index.html", html);
        let rules = RuleSet::all(rules::METAS);
        let mut cx = FileContext::new(&file, &rules);
        let _ = WebAnalyzer.check_file(&file, &mut cx, &());
        let (findings, _) = cx.into_parts();
        let xss: Vec<_> = findings
            .iter()
            .filter(|f| f.rule.id == "web/dom-xss")
            .collect();
        assert_eq!(xss.len(), 1);
        assert_eq!(xss[0].location.line(), 3);
    }
}
