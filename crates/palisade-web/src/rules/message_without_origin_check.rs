//! Flags `message` event handlers that use the message's data without checking who sent it.
//!
//! ## What it checks
//! Functions passed to `addEventListener("message", …)` or assigned to `onmessage` on a
//! window (`window`, the global scope, `top`, `parent`, a frame's `contentWindow`), written
//! inline, that read the event's `data` and never look at its `origin` (or `source`).
//! WebSockets, EventSources, workers, message ports and a worker's own `self.onmessage` are
//! left alone: their messages come from a known peer. Confidence is medium (a handler may
//! check the sender in a function it calls); test files are skipped.
//!
//! ## Why it matters
//! Any page that can get a reference to the window (one that opens it, or frames it) can post
//! it messages. A handler that acts on `event.data` without checking `event.origin` lets any
//! site drive it: write HTML, navigate, or trigger actions in the user's session.
//!
//! ## Example
//! ```js
//! window.addEventListener("message", (e) => {           // flagged
//!   document.getElementById("cart").innerHTML = e.data;
//! });
//! window.addEventListener("message", (e) => {           // not flagged
//!   if (e.origin !== "https://pay.shop.example") return;
//!   updateCart(e.data);
//! });
//! ```
//!
//! ## Remediation
//! Compare `event.origin` with the exact origins you expect before using `event.data`, and
//! treat the data as untrusted even then (validate its shape, never write it as HTML).
//!
//! ## References
//! - CWE-346: Origin Validation Error
//! - OWASP HTML5 Security Cheat Sheet, Web Messaging

use crate::js::Script;
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile,
};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "web/message-without-origin-check",
    title: "postMessage handler does not check the sender's origin",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[346],
    owasp: Owasp::A07,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("message_without_origin_check.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        "arrow_function" | "function_expression" | "function"
    )
}

/// Whether the object a listener is added to (`window.`, ``, `iframe.contentWindow.`) is a
/// window, whose messages may come from any page. WebSockets, EventSources, workers and
/// message ports get messages from a known peer (`ws.onmessage`, `worker.onmessage`, a
/// worker's own `self.onmessage`).
fn window_receiver(prefix: &str) -> bool {
    matches!(prefix, "" | "window." | "top." | "parent." | "globalThis.")
        || prefix.ends_with("contentWindow.")
        || prefix.ends_with("opener.")
}

fn check_handler(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>, at: Node<'_>, handler: Node<'_>) {
    let body = s.text(handler);
    let uses_data = body.contains(".data") || body.contains("data }") || body.contains("data,") || body.contains("{ data");
    let checks_sender = body.contains("origin") || body.contains(".source");
    if uses_data && !checks_sender {
        cx.report(Finding::new(
            &META,
            s.span(file, at),
            "this message handler uses the event's data without checking event.origin: any page that can reach this window can send it messages; compare event.origin with the origins you expect first",
        ));
    }
}

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    if palisade_knowledge::roles::is_test_code(&file.path) {
        return;
    }
    for &call in s.nodes("call_expression") {
        let Some(callee) = call.child_by_field_name("function") else { continue };
        if !window_receiver(s.text(callee).strip_suffix("addEventListener").unwrap_or("-")) {
            continue;
        }
        let Some(args) = call.child_by_field_name("arguments").filter(|a| a.kind() == "arguments") else {
            continue;
        };
        let (Some(event), Some(handler)) = (args.named_child(0), args.named_child(1)) else {
            continue;
        };
        if !matches!(s.text(event), "\"message\"" | "'message'" | "`message`") || !is_function(handler) {
            continue;
        }
        check_handler(s, file, cx, call, handler);
    }
    for &a in s.nodes("assignment_expression") {
        let (Some(left), Some(right)) = (a.child_by_field_name("left"), a.child_by_field_name("right")) else {
            continue;
        };
        if window_receiver(s.text(left).strip_suffix("onmessage").unwrap_or("-")) && is_function(right) {
            check_handler(s, file, cx, a, right);
        }
    }
}
