//! Flags attacker-controlled or unknown values written into the page as HTML.
//!
//! ## What it checks
//! In JavaScript, TypeScript, JSX/TSX files and inline `<script>` blocks and event-handler
//! attributes of HTML pages, the values that reach an HTML sink:
//! - assignments to `innerHTML` / `outerHTML` (also `+=`);
//! - `insertAdjacentHTML(position, html)`, `document.write(…)` / `document.writeln(…)`;
//! - jQuery `.html(x)`, and `$(x)` / `.append(x)` / `.prepend(x)` / `.after(x)` / `.before(x)`
//!   / `.replaceWith(x)` when `x` comes from a source;
//! - React `dangerouslySetInnerHTML={{ __html: x }}`;
//! - Vue: `v-html="x"` and `:innerHTML` / `v-bind:innerHTML` in `.vue` templates (`v-html`
//!   also in plain pages), `innerHTML` / `domProps: { innerHTML }` in render functions
//!   (`h(…)`, `createElement(…)`), `domPropsInnerHTML` in Vue JSX (and `innerHTML` in Vue or
//!   Solid JSX). A template expression is evaluated against the component: its `data()`,
//!   `computed`, `<script setup>` bindings and `this.x = …` assignments;
//! - Angular `DomSanitizer.bypassSecurityTrustHtml` / `Script` / `Style` / `Url` /
//!   `ResourceUrl` with a value that is not constant. Angular's own `[innerHTML]` binding is
//!   not flagged: Angular sanitizes it.
//!
//! The value is followed back through local variables, destructuring, concatenation,
//! template literals, string methods (`slice`, `replace`, `URLSearchParams.get`, …) and calls
//! of helper functions of the same file, `this.method(x)` calls of its classes and Vue
//! `methods`, and a template's calls of its component's methods (`v-html="format(msg)"`)
//! (up to 64 per script) to its origin. Sources: `location` (`hash`, `search`, `href`), `document.URL`,
//! `document.referrer`, `document.cookie`, `window.name`, the `data` of a `message` event,
//! `URLSearchParams` built from them, and Express/Koa `req.query` / `params` / `body` /
//! `cookies` (request headers, `req.get(…)` and the raw `req.url` / `path` count with low
//! confidence: a victim's browser encodes `<` in the URL and sets its own headers), Vue Router `$route.query` / `params` / `hash` (also of
//! `useRoute()`), Angular `ActivatedRoute` `snapshot.queryParams` / `params` / `paramMap` /
//! `queryParamMap` / `fragment` and what its observables hand their subscribers. Confidence is high when a source reaches the sink and low when the
//! value is not constant but its origin is unknown (a parameter, a call's result). Constants
//! and values passed through a sanitizer or an encoder (`DOMPurify.sanitize`, any
//! `*escape*` / `*sanitize*` / `encode*` function, `parseInt`, `Number`) are not flagged, nor
//! are `textContent`, `innerText` or React/Vue/Angular text interpolation, which never parse
//! HTML.
//!
//! ## Why it matters
//! HTML written from attacker-controlled text runs the attacker's script in the page
//! (DOM-based cross-site scripting): `#<img src=x onerror=…>` in a link is enough when the
//! page copies `location.hash` into `innerHTML`.
//!
//! ## Example
//! ```js
//! const section = decodeURIComponent(location.hash.slice(1));
//! banner.innerHTML = "<h2>" + section + "</h2>";   // flagged
//! banner.textContent = section;                    // not flagged
//! ```
//!
//! ## Remediation
//! Write text with `textContent` (or the framework's interpolation); build elements with
//! `createElement`. Where HTML is really needed, pass it through `DOMPurify.sanitize` first,
//! and enable Trusted Types (`require-trusted-types-for 'script'`) so the browser enforces it.
//!
//! ## References
//! - CWE-79: Improper Neutralization of Input During Web Page Generation
//! - OWASP Top 10 2021, A03 Injection
//! - OWASP DOM based XSS Prevention Cheat Sheet

use crate::js::{RequestPart, Script, Taint};
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile,
};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "web/dom-xss",
    title: "Untrusted value written into the page as HTML",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[79],
    owasp: Owasp::A03,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("dom_xss.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

fn report(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>, at: Node<'_>, sink: &str, taint: Taint, source_only: bool) {
    report_at(cx, s.span(file, at), sink, taint, source_only);
}

/// Reports a sink at `span` given what reaches it (nothing for constants and sanitized
/// values; only sources when `source_only`).
pub fn report_at(cx: &mut FileContext<'_>, span: palisade_core::Span, sink: &str, taint: Taint, source_only: bool) {
    let (confidence, what) = match &taint {
        // A victim's browser percent-encodes `<` in the URL it sends and lets no third
        // party set its headers: reflected, those are rarely exploitable.
        Taint::Source(src, _)
            if matches!(crate::js::request_part(src), Some(RequestPart::Url | RequestPart::Header)) =>
        {
            (Confidence::Low, format!("`{src}`, which the sender of the request controls (a victim's browser encodes `<` in URLs and sets its own headers)"))
        }
        Taint::Source(src, _) => (Confidence::High, format!("`{src}`, which the attacker controls")),
        Taint::Unknown if !source_only => (Confidence::Low, "a value palisade could not trace to a constant".to_string()),
        _ => return,
    };
    let advice = if sink.starts_with("bypassSecurityTrust") {
        "Angular's sanitizer is switched off for it, so it can run script; let Angular sanitize the value (bind it without bypassSecurityTrust*), or bypass only for constants"
    } else {
        "it is parsed as HTML and can run script; write text with textContent (or {{ }} interpolation), or sanitize with DOMPurify.sanitize"
    };
    let mut finding = Finding::new(
        &META,
        span,
        format!("{sink} receives {what}: {advice}"),
    )
    .with_confidence(confidence);
    if confidence == Confidence::Low {
        finding = finding.with_severity(Severity::Medium);
    }
    cx.report(finding);
}

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    for &a in s
        .nodes("assignment_expression")
        .iter()
        .chain(s.nodes("augmented_assignment_expression"))
    {
        let (Some(left), Some(right)) = (a.child_by_field_name("left"), a.child_by_field_name("right")) else {
            continue;
        };
        if left.kind() != "member_expression" {
            continue;
        }
        let Some(prop) = left.child_by_field_name("property") else { continue };
        let name = s.text(prop);
        if matches!(name, "innerHTML" | "outerHTML") {
            report(s, file, cx, a, name, s.taint(right), false);
        }
    }
    for &call in s.nodes("call_expression") {
        let Some(callee) = call.child_by_field_name("function") else { continue };
        let Some(args) = call.child_by_field_name("arguments").filter(|a| a.kind() == "arguments") else {
            continue;
        };
        let callee_text = s.text(callee);
        let last = callee_text.rsplit('.').next().unwrap_or(callee_text);
        let arg = |i: u32| args.named_child(i);
        match last {
            "insertAdjacentHTML" => {
                if let Some(html) = arg(1) {
                    report(s, file, cx, call, "insertAdjacentHTML", s.taint(html), false);
                }
            }
            "write" | "writeln" if callee_text.ends_with(&format!("document.{last}")) => {
                let mut t = Taint::Const;
                for i in 0..args.named_child_count() {
                    if let Some(a) = arg(i as u32) {
                        t = t.join(s.taint(a));
                    }
                }
                report(s, file, cx, call, &format!("document.{last}"), t, false);
            }
            "html" if callee.kind() == "member_expression" && is_jquery(s, callee) => {
                if let Some(a) = arg(0) {
                    report(s, file, cx, call, "jQuery .html()", s.taint(a), false);
                }
            }
            "append" | "prepend" | "after" | "before" | "replaceWith"
                if callee.kind() == "member_expression" && is_jquery(s, callee) =>
            {
                if let Some(a) = arg(0) {
                    report(s, file, cx, call, &format!("jQuery .{last}()"), s.taint(a), true);
                }
            }
            "$" | "jQuery" if callee.kind() == "identifier" => {
                if let Some(a) = arg(0)
                    && !is_selector_text(s, a)
                {
                    report(s, file, cx, call, "jQuery $()", s.taint(a), true);
                }
            }
            "bypassSecurityTrustHtml" | "bypassSecurityTrustScript" | "bypassSecurityTrustStyle"
            | "bypassSecurityTrustUrl" | "bypassSecurityTrustResourceUrl"
                if callee.kind() == "member_expression" =>
            {
                if let Some(a) = arg(0) {
                    report(s, file, cx, call, last, s.taint(a), false);
                }
            }
            // Vue render functions: `h("div", { innerHTML: x })`, Vue 2
            // `createElement("div", { domProps: { innerHTML: x } })`.
            "h" | "createElement" | "createVNode" | "_c" if !callee_text.starts_with("document.") => {
                if let Some(props) = arg(1) {
                    render_props(s, file, cx, props, 0);
                }
            }
            _ => {}
        }
    }
    let solid_or_vue = s
        .imports
        .iter()
        .any(|m| m == "vue" || m.starts_with("solid-js") || m.starts_with("@vue/"));
    for &attr in s.nodes("jsx_attribute") {
        let Some(name) = attr.named_child(0) else { continue };
        let name_text = s.text(name);
        // Vue JSX (`domPropsInnerHTML`, `v-html`) and Solid (`innerHTML`) set the property.
        if name_text == "domPropsInnerHTML"
            || name_text == "v-html"
            || (name_text == "innerHTML" && solid_or_vue)
        {
            if let Some(value) = attr.named_child(1)
                && value.kind() == "jsx_expression"
                && let Some(e) = value.named_child(0)
            {
                report(s, file, cx, attr, name_text, s.taint(e), false);
            }
            continue;
        }
        if name_text != "dangerouslySetInnerHTML" {
            continue;
        }
        let Some(value) = attr.named_child(1) else { continue };
        let Some(object) = value.named_child(0) else { continue };
        let object = s.resolve(object);
        if object.kind() != "object" {
            continue;
        }
        for i in 0..object.named_child_count() {
            let Some(pair) = object.named_child(i as u32) else { continue };
            if pair.kind() == "pair"
                && let (Some(k), Some(v)) = (pair.child_by_field_name("key"), pair.child_by_field_name("value"))
                && s.text(k).trim_matches(['"', '\'']) == "__html"
            {
                report(s, file, cx, attr, "dangerouslySetInnerHTML", s.taint(v), false);
            }
        }
    }
}

/// Whether a member call's object is a jQuery object (`$(…)`, `jQuery(…)`, `$el`).
/// Whether a `$(...)` argument is a selector, not markup: since jQuery 1.9 a string is parsed
/// as HTML only when it starts with `<`, so `$('a[href="' + location.hash + '"]')` with a
/// constant start that is not `<` only selects elements (the CTFd settings page does this).
fn is_selector_text(s: &Script<'_>, arg: Node<'_>) -> bool {
    let mut node = arg;
    // The left-most operand of a concatenation is what the string starts with.
    while node.kind() == "binary_expression"
        && let Some(left) = node.child_by_field_name("left")
    {
        node = left;
    }
    let start = match node.kind() {
        "string" | "template_string" => {
            let Some(first) = node.named_child(0) else {
                return false;
            };
            if first.kind() != "string_fragment" {
                return false;
            }
            s.text(first)
        }
        _ => return false,
    };
    let start = start.trim_start();
    !start.is_empty() && !start.starts_with('<')
}

fn is_jquery(s: &Script<'_>, callee: Node<'_>) -> bool {
    let Some(object) = callee.child_by_field_name("object") else { return false };
    let text = s.text(object);
    text.starts_with("$(") || text.starts_with("jQuery(") || text.starts_with('$') || {
        let resolved = s.resolve(object);
        let t = s.text(resolved);
        t.starts_with("$(") || t.starts_with("jQuery(")
    }
}

/// The `innerHTML` (or `domProps.innerHTML`) of a render function's props object.
fn render_props(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>, props: Node<'_>, depth: usize) {
    let props = s.resolve(props);
    if props.kind() != "object" || depth > 1 {
        return;
    }
    for i in 0..props.named_child_count() {
        let Some(pair) = props.named_child(i as u32) else { continue };
        if pair.kind() != "pair" {
            continue;
        }
        let (Some(k), Some(v)) = (pair.child_by_field_name("key"), pair.child_by_field_name("value")) else {
            continue;
        };
        match s.text(k).trim_matches(['"', '\'']) {
            "innerHTML" => report(s, file, cx, pair, "innerHTML of a render function", s.taint(v), false),
            "domProps" => render_props(s, file, cx, v, depth + 1),
            _ => {}
        }
    }
}
