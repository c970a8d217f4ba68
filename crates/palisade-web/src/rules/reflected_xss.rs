//! Flags request data that a Node server sends back as HTML.
//!
//! ## What it checks
//! The body of a response that a browser renders as HTML, when it is built from request
//! data (followed like in `web/dom-xss`: local variables, concatenation, template literals,
//! string methods, helpers of the same file):
//! - Express `res.send(…)` (also after `res.status(…)`), which sends a string as
//!   `text/html` unless the handler set another type;
//! - Node's `res.write(…)` / `res.end(…)`, when the handler does not set a type other than
//!   HTML (browsers sniff an untyped body);
//! - Koa `ctx.body = …`, which Koa types `text/html` only when the text starts with `<`:
//!   flagged when the start of the text is the request's value or constant markup;
//! - Fastify `reply.send(…)`, only when the handler sets an HTML type (Fastify sends strings
//!   as `text/plain`).
//!
//! Confidence is high for parameters, body and cookies (`req.query`, `req.params`,
//! `req.body`, `ctx.query`, `request.body`, …); low for the raw URL and headers
//! (`req.url`, `req.path`, `req.get('Referer')`): a victim's browser percent-encodes `<`
//! and `"` in the URL it sends and lets no third party set its headers. Not flagged: a whole
//! request object (`res.send(req.body)` is sent as JSON), `res.json`, `res.render` (the
//! template engine escapes), a handler that sets `text/plain` or JSON, escaped or
//! sanitized values (`escapeHtml`, `he.encode`, `validator.escape`, `DOMPurify.sanitize`,
//! `encodeURIComponent`, `Number`), and values of unknown origin.
//!
//! ## Why it matters
//! A link to `/search?q=<script>…</script>` runs the attacker's script in the site's origin
//! for whoever follows it: reflected cross-site scripting, with the victim's session.
//!
//! ## Example
//! ```js
//! app.get("/search", (req, res) => {
//!   res.send(`<h1>Results for ${req.query.q}</h1>`);               // flagged
//!   res.send(`<h1>Results for ${escapeHtml(req.query.q)}</h1>`);   // not flagged
//! });
//! ```
//!
//! ## Remediation
//! Render pages with a template engine that escapes by default, or escape every request
//! value for HTML (`escape-html`) before it is pasted into markup; send data as JSON
//! (`res.json`) or `text/plain`. A strict CSP limits the damage.
//!
//! ## References
//! - CWE-79: Improper Neutralization of Input During Web Page Generation
//! - OWASP Top 10 2021, A03 Injection
//! - OWASP Cross Site Scripting Prevention Cheat Sheet

use crate::js::{RequestPart, Script, Taint};
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile,
};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "web/reflected-xss",
    title: "Request data sent back as HTML",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[79],
    owasp: Owasp::A03,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("reflected_xss.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

/// How a framework types a string body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Framework {
    /// Express `res.send`: HTML unless set otherwise.
    Express,
    /// Node `res.write` / `res.end`: untyped, sniffed.
    Node,
    /// Koa `ctx.body =`: HTML when the text starts with `<`.
    Koa,
    /// Fastify `reply.send`: text/plain unless set otherwise.
    Fastify,
}

/// The object a chain of calls starts from: `res` of `res.status(404).send`.
fn root_object<'t>(mut node: Node<'t>) -> Node<'t> {
    for _ in 0..16 {
        match node.kind() {
            "member_expression" => match node.child_by_field_name("object") {
                Some(o) => node = o,
                None => break,
            },
            "call_expression" => match node.child_by_field_name("function") {
                Some(f) => node = f,
                None => break,
            },
            _ => break,
        }
    }
    node
}

/// What the enclosing function says about the response type: `Some(true)` HTML,
/// `Some(false)` another type, `None` nothing.
fn declared_html(s: &Script<'_>, at: Node<'_>) -> Option<bool> {
    let mut node = at.parent();
    let mut function = None;
    while let Some(n) = node {
        if crate::js::is_function_kind(n.kind()) {
            function = Some(n);
            break;
        }
        node = n.parent();
    }
    let text = s.text(function?).to_ascii_lowercase();
    let sets_type = text.contains("content-type")
        || text.contains(".type(")
        || text.contains(".type =")
        || text.contains(".type=")
        || text.contains(".contenttype(");
    if !sets_type {
        return None;
    }
    Some(text.contains("html"))
}

/// Whether `value` is a whole request object (`req.body`, `ctx.query`), which frameworks
/// send as JSON.
fn whole_request_object(s: &Script<'_>, value: Node<'_>) -> bool {
    let text: String = s.text(s.resolve(value)).chars().filter(|c| !c.is_whitespace()).collect();
    let rest = text
        .strip_prefix("req.")
        .or_else(|| text.strip_prefix("request."))
        .or_else(|| text.strip_prefix("ctx.request."))
        .or_else(|| text.strip_prefix("ctx."));
    matches!(
        rest,
        Some("body" | "query" | "params" | "cookies" | "headers" | "signedCookies")
    )
}

fn flag(
    s: &Script<'_>,
    file: &SourceFile,
    cx: &mut FileContext<'_>,
    at: Node<'_>,
    value: Node<'_>,
    sink: &str,
    framework: Framework,
) {
    if matches!(value.kind(), "object" | "array") || whole_request_object(s, value) {
        return;
    }
    match (framework, declared_html(s, at)) {
        (_, Some(false)) => return,
        (Framework::Fastify, None) => return,
        _ => {}
    }
    let koa_untyped = framework == Framework::Koa && declared_html(s, at).is_none();
    let taint = if koa_untyped {
        // Koa picks text/html only for text that starts with `<`.
        let start = super::open_redirect::head(s, value);
        match start.kind() {
            "string" | "template_string" => {
                let text = s.text(start).trim_start_matches(['"', '\'', '`']).trim_start();
                if !text.starts_with('<') {
                    // Constant text first: Koa sends it as text/plain.
                    return;
                }
                s.taint(value)
            }
            _ => s.taint(start),
        }
    } else {
        s.taint(value)
    };
    let Taint::Source(src, _) = taint else { return };
    let (confidence, what) = match crate::js::request_part(&src) {
        Some(RequestPart::Url | RequestPart::Header) => (
            Confidence::Low,
            format!("`{src}` (set by the sender of the request; a victim's browser percent-encodes `<` in URLs and sets its own headers, so this is rarely exploitable)"),
        ),
        Some(RequestPart::Data) => (
            Confidence::High,
            format!("`{src}` (anyone who sends the victim a link chooses it)"),
        ),
        // Browser-side sources in server code (a shared helper): not a response.
        None => return,
    };
    let mut finding = Finding::new(
        &META,
        s.span(file, at),
        format!("{sink} sends {what} back in a response the browser renders as HTML: reflected cross-site scripting; escape it for HTML (escape-html), render with an escaping template, or send JSON / text/plain"),
    )
    .with_confidence(confidence);
    if confidence == Confidence::Low {
        finding = finding.with_severity(Severity::Medium);
    }
    cx.report(finding);
}

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    for &call in s.nodes("call_expression") {
        let Some(callee) = call.child_by_field_name("function") else { continue };
        if callee.kind() != "member_expression" {
            continue;
        }
        let Some(method) = callee.child_by_field_name("property").map(|p| s.text(p)) else {
            continue;
        };
        let root = s.text(root_object(callee));
        let framework = match (root, method) {
            ("res" | "response" | "resp", "send") => Framework::Express,
            ("res" | "response" | "resp", "write" | "end") => Framework::Node,
            ("reply", "send") => Framework::Fastify,
            _ => continue,
        };
        let Some(value) = call
            .child_by_field_name("arguments")
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| a.named_child(0))
        else {
            continue;
        };
        let sink = format!("{}()", s.text(callee));
        flag(s, file, cx, call, value, &sink, framework);
    }
    for &a in s.nodes("assignment_expression") {
        let (Some(left), Some(right)) = (a.child_by_field_name("left"), a.child_by_field_name("right")) else {
            continue;
        };
        let target: String = s.text(left).chars().filter(|c| !c.is_whitespace()).collect();
        if target == "ctx.body" || target == "ctx.response.body" {
            flag(s, file, cx, a, right, &target, Framework::Koa);
        }
    }
}
