//! HTML pages (and Vue single-file components): one scan over the tags, which hands inline
//! `<script>` bodies and event-handler attributes to the JavaScript rules (their findings
//! placed at the page's lines) and checks subresource URLs (plain HTTP, missing integrity).

use crate::js::{self, Script, Taint};
use crate::rules::{self, JsRule};
use palisade_core::{DiagnosticKind, FileContext, Finding, SourceFile};
use std::collections::HashMap;
use std::ops::Range;

/// A tag: its lowercased name and attributes (name lowercased, value range in the file).
struct Tag {
    name: String,
    attrs: Vec<(String, Range<usize>)>,
    /// Where the tag ends (after `>`).
    end: usize,
}

impl Tag {
    fn attr<'a>(&self, text: &'a str, name: &str) -> Option<(&'a str, Range<usize>)> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| (text.get(r.clone()).unwrap_or(""), r.clone()))
    }
}

fn tags(text: &str) -> Vec<Tag> {
    let bytes = text.as_bytes();
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = text[i..].find('<') {
        let start = i + at;
        if text[start..].starts_with("<!--") {
            i = lower[start..]
                .find("-->")
                .map_or(text.len(), |e| start + e + 3);
            continue;
        }
        let name_start = start + 1;
        let mut j = name_start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        if j == name_start {
            i = start + 1;
            continue;
        }
        let name = lower[name_start..j].to_string();
        // The tag ends at the first `>` outside quotes.
        let mut k = j;
        let mut quote = None;
        while k < bytes.len() {
            match (quote, bytes[k]) {
                (None, b'"' | b'\'') => quote = Some(bytes[k]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            k += 1;
        }
        let attrs = crate::locate::attributes_pub(text, j..k)
            .into_iter()
            .map(|(n, r)| (n.to_ascii_lowercase(), r))
            .collect();
        let end = (k + 1).min(text.len());
        out.push(Tag {
            name: name.clone(),
            attrs,
            end,
        });
        i = end;
        // Script and style bodies are not markup.
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = lower[end..].find(&close).map_or(text.len(), |e| end + e);
        }
    }
    out
}

fn is_js_type(t: &str) -> bool {
    let t = t.trim().to_ascii_lowercase();
    t.is_empty()
        || t == "module"
        || t == "text/javascript"
        || t == "application/javascript"
        || t == "text/babel"
        || t == "text/jsx"
}

/// Checks one HTML page or Vue component.
pub fn check(file: &SourceFile, cx: &mut FileContext<'_>, js_rules: &[&JsRule]) {
    let text = file.text.as_str();
    let lower = text.to_ascii_lowercase();
    let vue = file.path.to_ascii_lowercase().ends_with(".vue");
    let wants_http = cx.wants(&rules::plaintext_http_url::META);
    let wants_sri = cx.wants(&rules::missing_subresource_integrity::META);
    let test_file = palisade_knowledge::roles::is_test_code(&file.path);
    let mut broken = 0usize;
    let wants_xss = cx.wants(&rules::dom_xss::META);
    // What the component's scripts say its members hold, and the template bindings that
    // write HTML (`v-html`, `:innerHTML`): checked once every script has been read.
    let mut members: HashMap<String, Taint> = HashMap::new();
    let mut html_bindings: Vec<(String, Range<usize>)> = Vec::new();
    let binds_html = wants_xss && html_bindings_possible(text);
    for tag in tags(text) {
        if wants_xss {
            for (name, range) in &tag.attrs {
                if is_html_binding(name, vue) && !range.is_empty() {
                    html_bindings.push((name.clone(), range.clone()));
                }
            }
        }
        // Inline scripts.
        if tag.name == "script" && tag.attr(text, "src").is_none() && !js_rules.is_empty() {
            let lang = tag.attr(text, "lang").map(|(l, _)| l.to_ascii_lowercase());
            let ty = tag.attr(text, "type").map_or("", |(t, _)| t);
            if is_js_type(ty) {
                let body_end = lower[tag.end..]
                    .find("</script")
                    .map_or(text.len(), |e| tag.end + e);
                let body = &text[tag.end..body_end];
                let grammar = match lang.as_deref() {
                    Some("ts") => &*js::TYPESCRIPT,
                    Some("tsx") => &*js::TSX,
                    _ => &*js::JAVASCRIPT,
                };
                if !body.trim().is_empty() {
                    match js::with_script(grammar, body, tag.end, |s| {
                        run(s, file, cx, js_rules);
                        if binds_html {
                            for (k, v) in s.members() {
                                let joined = match members.remove(&k) {
                                    Some(old) => old.join(v),
                                    None => v,
                                };
                                members.insert(k, joined);
                            }
                        }
                    }) {
                        Ok(Some(_)) => broken += 1,
                        Ok(None) => {}
                        Err(e) => cx.notice(
                            DiagnosticKind::Parse,
                            None,
                            format!("web: inline script: {e}"),
                        ),
                    }
                }
            }
        }
        // Event-handler attributes.
        if !js_rules.is_empty() && !vue {
            for (name, range) in &tag.attrs {
                if name.len() > 2 && name.starts_with("on") && !range.is_empty() {
                    let value = &text[range.clone()];
                    if value.contains('&') || value.contains("{{") {
                        continue;
                    }
                    let _ = js::with_script(&js::JAVASCRIPT, value, range.start, |s| {
                        run(s, file, cx, js_rules)
                    });
                }
            }
        }
        // Subresources.
        let url_attr = match tag.name.as_str() {
            "script" | "iframe" | "img" | "audio" | "video" | "source" | "embed" => "src",
            "link" => "href",
            "form" => "action",
            _ => continue,
        };
        let Some((url, range)) = tag.attr(text, url_attr) else {
            continue;
        };
        let rel = tag
            .attr(text, "rel")
            .map_or(String::new(), |(r, _)| r.to_ascii_lowercase());
        if tag.name == "link"
            && !rel.split_ascii_whitespace().any(|r| {
                matches!(
                    r,
                    "stylesheet" | "preload" | "modulepreload" | "icon" | "manifest"
                )
            })
        {
            continue;
        }
        if wants_http
            && !test_file
            && let Some(host) = rules::plaintext_http_url::plain_public_host(url)
        {
            rules::plaintext_http_url::report_url(
                cx,
                file.span(range.start, range.end),
                &format!("<{} {url_attr}>", tag.name),
                &host,
            );
        }
        let sri_kind = tag.name == "script"
            || (tag.name == "link" && rel.split_ascii_whitespace().any(|r| r == "stylesheet"));
        if wants_sri && sri_kind && tag.attr(text, "integrity").is_none() {
            let trimmed = url.trim();
            let absolute = trimmed.starts_with("https://")
                || trimmed.starts_with("http://")
                || trimmed.starts_with("//");
            let templated = trimmed.contains("{{")
                || trimmed.contains("{%")
                || trimmed.contains("<%")
                || trimmed.contains("${");
            let rest = trimmed
                .split_once("//")
                .map_or("", |(_, r)| r)
                .to_ascii_lowercase();
            let dynamic = rules::missing_subresource_integrity::DYNAMIC
                .iter()
                .any(|d| {
                    rest.starts_with(d)
                        && rest[d.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| matches!(c, '/' | '?' | ':'))
                });
            if absolute && !templated && !dynamic && !rest.is_empty() {
                let host = rest.split(['/', '?', ':']).next().unwrap_or("");
                cx.report(Finding::new(
                    &rules::missing_subresource_integrity::META,
                    file.span(range.start, range.end),
                    format!("<{}> loads `{}` from `{host}` without integrity: if that host or package is compromised the page runs the changed file; add integrity=\"sha384-…\" crossorigin=\"anonymous\" or serve it yourself", tag.name, trimmed),
                ));
            }
        }
    }
    for (name, range) in html_bindings {
        let expression = decode_entities(&text[range.clone()]);
        if let Ok(parsed) = palisade_syntax::parse(&js::JAVASCRIPT, &expression) {
            let root = parsed.tree.root_node();
            let Some(e) = root
                .named_child(0)
                .filter(|n| n.kind() == "expression_statement")
                .and_then(|n| n.named_child(0))
            else {
                continue;
            };
            let s = Script::template_expression(&expression, range.start, root, members.clone());
            let sink = if name == "v-html" {
                "v-html".to_string()
            } else {
                format!("{name} (innerHTML)")
            };
            rules::dom_xss::report_at(
                cx,
                file.span(range.start, range.end),
                &sink,
                s.taint(e),
                false,
            );
        }
    }
    if broken > 0 {
        cx.notice(
            DiagnosticKind::Parse,
            None,
            format!("web: {broken} inline script(s) did not parse as JavaScript (templates or broken code); findings elsewhere are still reported"),
        );
    }
}

/// Whether an attribute binds HTML into the element: Vue `v-html` (also in plain pages that
/// mount Vue), and in components `:innerHTML` / `v-bind:innerHTML` / `.innerHTML` (names
/// lowercased). Angular `[innerHTML]` is not one: Angular sanitizes it.
fn is_html_binding(name: &str, vue: bool) -> bool {
    if name == "v-html" {
        return true;
    }
    if !vue {
        return false;
    }
    let bound = name
        .strip_prefix("v-bind:")
        .or_else(|| name.strip_prefix(':'))
        .or_else(|| name.strip_prefix('.'));
    bound.is_some_and(|n| matches!(n, "innerhtml" | "innerhtml.prop" | "inner-html.prop"))
}

/// The text to look for before modelling a component's members: they only matter when a
/// template binds HTML.
fn html_bindings_possible(text: &str) -> bool {
    let lower_has = |needle: &str| {
        text.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    text.contains("v-html") || lower_has("innerhtml")
}

/// An attribute value with the character references Vue's compiler decodes.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Runs the JS rules over one script.
pub fn run(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>, js_rules: &[&JsRule]) {
    for rule in js_rules {
        (rule.check)(s, file, cx);
    }
}
