//! Flags WebViews that load a URL taken from an intent or a deep link without checking it.
//!
//! ## What it checks
//! `loadUrl(url)` and `loadDataWithBaseURL(base, …)` where the URL comes — directly or through
//! local variables, fields of the class and parameters of functions the file calls with
//! it — from an intent extra or data, or a deep link's
//! URI parts (`getStringExtra`, `getData`, `getQueryParameter`, …), in a function that has
//! no condition looking at that value (an `if`/`when` whose condition names it or its host:
//! `startsWith`, `host ==`, an allow-list `contains`, …).
//!
//!
//! URLs from a deep link (`getData`, `getQueryParameter`, …) give medium confidence; URLs
//! from intent extras give low confidence, because the activity may be private (not
//! exported) and the extra then comes from the app itself.
//!
//! ## Why it matters
//! Another app or any web page that links into the app chooses the page the WebView
//! opens, with the WebView's settings: its JavaScript bridge, file access and cookies. A
//! `javascript:` or `file://` URL runs script or reads files in the app's context (CWE-939,
//! CWE-749).
//!
//! ## Example
//! ```kotlin
//! webView.loadUrl(intent.getStringExtra("url")!!)       // flagged
//! ```
//!
//! ## Remediation
//! Parse the URL and check scheme and host against an allow-list before loading it; open
//! anything else in the browser.
//!
//! ## References
//! - CWE-939: Improper Authorization in Handler for Custom URL Scheme
//! - OWASP MASVS-PLATFORM-2; MASTG "Testing WebView URL loading"

use crate::android::code::Code;
use crate::android::code_util::{checked_in_function, identifiers, in_source_set};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/webview-loads-untrusted-url",
    title: "WebView loads a URL from an intent or deep link unchecked",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[939],
    owasp: Owasp::A03,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("webview_loads_untrusted_url.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        if !matches!(call.name.as_str(), "loadUrl" | "loadDataWithBaseURL") || call.receiver.is_none() {
            continue;
        }
        let Some(&url) = call.args.first() else { continue };
        let Some(source) = code.tainted(url) else { continue };
        if checked(code, call.node, url) {
            continue;
        }
        // A deep link's URI reaches an exported `VIEW` activity by design; an extra may come
        // from the app's own explicit intent to a private activity, which this file cannot
        // tell (the manifest says), so those findings are low confidence.
        let deep_link = ["getData", "getQueryParameter", "PathSegment", "getDataString", ".data"]
            .iter()
            .any(|k| source.contains(k));
        let mut finding = Finding::new(
            &META,
            code.call_span(call),
            format!(
                "`{}` opens a URL from `{}` without checking its scheme or host",
                call.name,
                source.split_whitespace().collect::<String>()
            ),
        );
        if !deep_link {
            finding = finding.with_confidence(Confidence::Low);
        }
        cx.report(in_source_set(code, finding));
    }
}

/// Whether the function holding the call has a condition that names the URL's variable (or
/// its source) — an allow-list check, which palisade does not try to judge.
fn checked(code: &Code<'_>, call: Node<'_>, url: Node<'_>) -> bool {
    let names = identifiers(code, url);
    checked_in_function(
        code,
        call,
        &names,
        &["startsWith", "host", "scheme", "contains", "equals", "==", "matches", "allow", "trusted"],
    )
}
