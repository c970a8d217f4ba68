//! Flags requests and subresources fetched over plain HTTP (or `ws://`) from public hosts.
//!
//! ## What it checks
//! - In scripts: the URL of `fetch(…)`, `axios(…)` / `axios.get|post|…(…)`, jQuery
//!   `$.get|post|getJSON|ajax(…)`, `XMLHttpRequest.open(method, url)`, `new WebSocket(…)`,
//!   `new EventSource(…)`, `navigator.sendBeacon(…)`, `importScripts(…)` when it is a string
//!   or template literal starting with `http://` or `ws://`;
//! - in HTML pages: `src` of `<script>`, `<iframe>`, `<img>`, `<audio>`, `<video>`,
//!   `<source>`, `<embed>`; `href` of `<link rel=stylesheet|preload|modulepreload|icon>`;
//!   `action` of `<form>`, when it starts with `http://`.
//!
//! Only public hosts are flagged: loopback, private networks, cluster-internal names and the
//! reserved example domains are left alone, and so are test files.
//!
//! ## Why it matters
//! Anything fetched over plain HTTP can be read and replaced on the network path; a script
//! or stylesheet replaced that way runs the attacker's code in the page, and form data sent
//! that way is readable by anyone in between. The policy asks for HTTPS always.
//!
//! ## Example
//! ```html
//! <script src="http://code.jquery.com/jquery-3.7.1.min.js"></script>   <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Use `https://` (and `wss://`); most CDNs and APIs serve both. Add
//! `upgrade-insecure-requests` to the CSP while migrating, and HSTS on your own hosts.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - W3C Mixed Content

use crate::js::Script;
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile, Span,
};
use palisade_knowledge::hosts::{HostClass, host_class, parse_url};

pub static META: RuleMeta = RuleMeta {
    id: "web/plaintext-http-url",
    title: "Resource or API reached over plain HTTP",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("plaintext_http_url.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

/// The public host of a plain-HTTP URL, if `url` is one.
pub fn plain_public_host(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("ws://")) {
        return None;
    }
    let parts = parse_url(url.trim())?;
    if parts.host.contains(['{', '$', '<', '%']) || parts.host.is_empty() {
        return None;
    }
    (host_class(&parts.host) == HostClass::Public).then_some(parts.host)
}

/// Reports a plain-HTTP URL at `span` (shared with the HTML pass).
pub fn report_url(cx: &mut FileContext<'_>, span: Span, what: &str, host: &str) {
    cx.report(Finding::new(
        &META,
        span,
        format!("{what} uses plain HTTP to `{host}`: anyone on the network path can read and replace it; use https://"),
    ));
}

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    if palisade_knowledge::roles::is_test_code(&file.path) {
        return;
    }
    let calls = s.nodes("call_expression").iter().chain(s.nodes("new_expression"));
    for &call in calls {
        let callee = call
            .child_by_field_name("function")
            .or_else(|| call.child_by_field_name("constructor"));
        let Some(callee) = callee else { continue };
        let text = s.text(callee);
        let index = match text {
            "fetch" | "window.fetch" | "axios" | "WebSocket" | "EventSource" | "navigator.sendBeacon"
            | "importScripts" | "$.get" | "$.post" | "$.getJSON" | "$.ajax" | "jQuery.get"
            | "jQuery.post" | "jQuery.ajax" | "jQuery.getJSON" => 0,
            t if t.starts_with("axios.") => 0,
            t if t.ends_with(".open") && call.kind() == "call_expression" => 1,
            _ => continue,
        };
        let Some(arg) = call
            .child_by_field_name("arguments")
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| a.named_child(index))
        else {
            continue;
        };
        if !matches!(arg.kind(), "string" | "template_string") {
            continue;
        }
        let url = s.text(arg).trim_matches(['"', '\'', '`']);
        if let Some(host) = plain_public_host(url) {
            report_url(cx, s.span(file, arg), &format!("{text}()"), &host);
        }
    }
}
