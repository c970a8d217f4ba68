//! Flags navigation to a URL the attacker chooses: `location` assignments, `location.assign`,
//! `location.replace` and `window.open` fed from a source.
//!
//! ## What it checks
//! Assignments to `location`, `window.location`, `document.location` or their `href`, and
//! calls of `location.assign(…)`, `location.replace(…)` and `window.open(…)`, when the URL
//! comes from a source (the same sources as `web/dom-xss`: `location.hash`, query
//! parameters, `postMessage` data, `document.referrer`, Express request data). Values of
//! unknown origin are not flagged (too common to be useful), nor values built from the page's
//! own URL (`location.href = location.href.replace(…)`; a known gap when the attacker's part
//! is cut out of `location.href` by hand), nor URLs that start with a fixed origin or a fixed path
//! (`"/search?q=" + q`, `"https://shop.example/" + p`), nor sources appended after a value
//! that is not theirs (`config.urlRoot + "/login?next=" + location.hash`): only the start of
//! a URL decides which site it leads to.
//!
//! On Node servers, the URL of Express `res.redirect(…)`, Koa `ctx.redirect(…)` and Fastify
//! `reply.redirect(…)` (the status code may come first) when it comes from request data
//! (`req.query.next`, `ctx.query.returnTo`, `request.body.url`). Not flagged there: a target
//! checked before the redirect (an `if` around it, or an early return before it, whose
//! condition tests the same value with `includes`, `has`, `startsWith`, a comparison or an
//! allow-list / validation function), a fixed path or origin at the start, and the `Host`
//! header (`https://` + `req.headers.host` + `req.url`, the usual HTTPS redirect). The raw
//! request path (`req.url`, `req.originalUrl`, `req.path`, Koa `ctx.url`) as the whole
//! target is low confidence: it stays on the site unless the request was for
//! `//evil.example/…`, which browsers read as another host (a middleware that runs for
//! every path is open to that; a route whose pattern must match usually is not). Other headers (`Referer`,
//! `X-Forwarded-*`, via `req.headers` or `req.get(…)`) are low confidence.
//!
//! ## Why it matters
//! A link to the trusted site that forwards to an attacker's page (`?next=https://evil…`)
//! makes phishing convincing, and `javascript:` URLs turn the redirect into script execution.
//!
//! ## Example
//! ```js
//! const next = new URLSearchParams(location.search).get("next");
//! window.location.href = next;                 // flagged
//! window.location.href = "/account?tab=" + encodeURIComponent(next);  // not flagged
//! ```
//!
//! ## Remediation
//! Redirect only to relative paths you check (start with a single `/`, not `//`), or to
//! an allow-list of destinations; reject `javascript:` and other schemes.
//!
//! ## References
//! - CWE-601: URL Redirection to Untrusted Site ('Open Redirect')
//! - OWASP Unvalidated Redirects and Forwards Cheat Sheet

use crate::js::{RequestPart, Script, Taint};
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile,
};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "web/open-redirect",
    title: "Navigation to an attacker-chosen URL",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[601],
    owasp: Owasp::A01,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("open_redirect.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

fn is_location(text: &str) -> bool {
    let t = text
        .trim_start_matches("window.")
        .trim_start_matches("document.")
        .trim_start_matches("top.")
        .trim_start_matches("self.");
    matches!(t, "location" | "location.href")
}

/// Whether the URL starts with a fixed origin or path, so the attacker cannot pick the site.
fn fixed_prefix(s: &Script<'_>, node: Node<'_>) -> bool {
    let mut n = s.resolve(node);
    loop {
        match n.kind() {
            "binary_expression" => match n.child_by_field_name("left") {
                Some(l) => n = l,
                None => return false,
            },
            "parenthesized_expression" => match n.named_child(0) {
                Some(i) => n = i,
                None => return false,
            },
            "template_string" | "string" => {
                let text = s.text(n).trim_start_matches(['`', '"', '\'']);
                if text.starts_with("${") {
                    return false;
                }
                let fixed_origin = (text.starts_with("https://") || text.starts_with("http://"))
                    && text.split('/').nth(2).is_some_and(|h| !h.is_empty())
                    && text.matches('/').count() >= 3;
                let fixed_path = text.starts_with('/') && text.len() > 1 && !text.starts_with("//") && !text.starts_with("/\\");
                return fixed_origin || fixed_path || text.starts_with('#') || text.starts_with('?');
            }
            _ => return false,
        }
    }
}

/// The part of a URL that decides where it leads: the left end of a concatenation, the
/// first substitution of a template literal that starts with one.
pub(crate) fn head<'t>(s: &Script<'t>, node: Node<'t>) -> Node<'t> {
    let mut n = s.resolve(node);
    for _ in 0..32 {
        match n.kind() {
            "binary_expression" if n.child_by_field_name("operator").is_some_and(|o| s.text(o) == "+") => {
                match n.child_by_field_name("left") {
                    Some(l) => n = s.resolve(l),
                    None => break,
                }
            }
            "parenthesized_expression" => match n.named_child(0) {
                Some(i) => n = i,
                None => break,
            },
            "template_string" if s.text(n).starts_with("`${") => {
                match n.named_child(0).and_then(|sub| sub.named_child(0)) {
                    Some(e) => n = s.resolve(e),
                    None => break,
                }
            }
            _ => break,
        }
    }
    n
}

fn flag(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>, at: Node<'_>, value: Node<'_>, sink: &str) {
    if fixed_prefix(s, value) {
        return;
    }
    if checked_before(s, at, value) {
        return;
    }
    // Only the start of a URL picks the site: a source appended after a value of the
    // product's own (`config.urlRoot + "/login?next=" + location.hash`) stays on it.
    let Taint::Source(src, whole_url) = s.taint(head(s, value)) else { return };
    // The page's own URL (and what string methods make of it) leads back to this origin.
    if whole_url {
        return;
    }
    // The Host header names this server (`https://` + host + url is the HTTPS redirect).
    let lower = src.to_ascii_lowercase();
    if lower.contains("host") {
        return;
    }
    let finding = match crate::js::request_part(&src) {
        // `req.url` is a path of this site, unless it starts with `//` (`GET //evil.example`),
        // which a browser reads as another host — and a route's own pattern often rules
        // that out.
        Some(RequestPart::Url) => Finding::new(
            &META,
            s.span(file, at),
            format!("{sink} navigates to `{src}`, the raw path of the request: a request for `//evil.example/…` makes it a protocol-relative URL to another site; redirect to a checked path (collapse leading slashes) or build the URL from a fixed origin"),
        )
        .with_confidence(Confidence::Low),
        // Another header (Referer, X-Forwarded-*): the sender sets it, a victim's browser
        // sends what the linking page was.
        Some(RequestPart::Header) => Finding::new(
            &META,
            s.span(file, at),
            format!("{sink} navigates to a URL taken from `{src}`, a header the sender of the request sets (the Referer is whatever page linked here): an open redirect to an attacker's page; redirect only to checked relative paths or listed destinations"),
        )
        .with_confidence(Confidence::Low),
        _ => Finding::new(
            &META,
            s.span(file, at),
            format!("{sink} navigates to a URL built from `{src}`, which the attacker controls: an open redirect, or script execution with a javascript: URL; allow only checked relative paths or listed destinations"),
        ),
    };
    cx.report(finding);
}

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    for &a in s.nodes("assignment_expression") {
        let (Some(left), Some(right)) = (a.child_by_field_name("left"), a.child_by_field_name("right")) else {
            continue;
        };
        if is_location(s.text(left)) {
            flag(s, file, cx, a, right, s.text(left));
        }
    }
    for &call in s.nodes("call_expression") {
        let Some(callee) = call.child_by_field_name("function") else { continue };
        let text = s.text(callee);
        let sink = match text.rsplit_once('.') {
            Some((object, "assign" | "replace"))
                if is_location(object) && !object.ends_with("href") =>
            {
                text
            }
            Some(("window" | "self" | "top", "open")) => text,
            Some((object, "redirect")) if is_server_response(object) => text,
            _ => continue,
        };
        let Some(args) = call.child_by_field_name("arguments").filter(|a| a.kind() == "arguments") else {
            continue;
        };
        // `res.redirect(301, url)`: the status code first.
        let url = match args.named_child(0) {
            Some(first) if first.kind() == "number" && sink.ends_with("redirect") => args.named_child(1),
            first => first,
        };
        if let Some(url) = url {
            flag(s, file, cx, call, url, sink);
        }
    }
}

/// Whether the object of a `.redirect(…)` call is a server's response: Express `res`,
/// Koa `ctx` (or `ctx.response`), Fastify `reply`.
fn is_server_response(object: &str) -> bool {
    matches!(
        object,
        "res" | "response" | "resp" | "ctx" | "context" | "ctx.response" | "reply" | "this"
    )
}

/// The words of a condition that say a value is checked against something fixed.
const CHECKS: &[&str] = &[
    ".includes(", ".has(", ".indexOf(", ".startsWith(", ".test(", ".match(", "===", "!==", "==", "!=",
    "allow", "valid", "safe", "trusted", "whitelist", "permitted", "isRelative", "isLocal",
];

/// Whether the redirect target is checked before the redirect: the call sits inside an
/// `if` whose condition tests the target, or follows (in an enclosing block) an `if` that
/// tests it and leaves (return / throw).
fn checked_before(s: &Script<'_>, at: Node<'_>, value: Node<'_>) -> bool {
    let target = head(s, value);
    let mut names: Vec<&str> = vec![s.text(target), s.text(value)];
    names.retain(|n| !n.is_empty() && n.len() < 200);
    let tests = |cond: Node<'_>| {
        let t = s.text(cond);
        names.iter().any(|n| t.contains(n)) && CHECKS.iter().any(|c| t.contains(c))
    };
    let mut child = at;
    let mut node = at.parent();
    for _ in 0..64 {
        let Some(n) = node else { break };
        if n.kind() == "if_statement"
            && n.child_by_field_name("consequence").is_some_and(|c| c.id() == child.id())
            && n.child_by_field_name("condition").is_some_and(tests)
        {
            return true;
        }
        if n.kind() == "ternary_expression"
            && n.child_by_field_name("condition").is_some_and(tests)
        {
            return true;
        }
        if n.kind() == "statement_block" || n.kind() == "program" {
            // Earlier statements of this block: a guard that leaves.
            for i in 0..n.named_child_count() {
                let Some(stmt) = n.named_child(i as u32) else { continue };
                if stmt.start_byte() >= child.start_byte() {
                    break;
                }
                if stmt.kind() == "if_statement"
                    && stmt.child_by_field_name("condition").is_some_and(tests)
                    && stmt.child_by_field_name("consequence").is_some_and(|c| {
                        let t = s.text(c);
                        t.contains("return") || t.contains("throw") || t.contains("next(")
                    })
                {
                    return true;
                }
            }
        }
        if super::super::js::is_function_kind(n.kind()) {
            break;
        }
        child = n;
        node = n.parent();
    }
    false
}
