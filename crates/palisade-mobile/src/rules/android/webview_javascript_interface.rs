//! Flags WebViews that expose a Java/Kotlin object to JavaScript.
//!
//! ## What it checks
//! A call to `addJavascriptInterface(…)` in a file that also enables JavaScript
//! (`setJavaScriptEnabled(true)` or `javaScriptEnabled = true`). Without JavaScript the
//! bridge is unreachable and is not reported; `removeJavascriptInterface` is not a finding.
//!
//! ## Why it matters
//! Every `@JavascriptInterface` method of the object becomes callable by any script the
//! WebView runs — including a third-party ad, an injected script on a cleartext page, or a
//! page an intent or deep link made it load. Below API 17 any public method (through
//! reflection) was reachable, which is remote code execution (CWE-749).
//!
//! ## Example
//! ```java
//! web.getSettings().setJavaScriptEnabled(true);
//! web.addJavascriptInterface(new Bridge(account), "shop");   // flagged
//! ```
//!
//! ## Remediation
//! Prefer `WebViewCompat.addWebMessageListener` with an allowed-origin list; otherwise load
//! only your own HTTPS content into a WebView that has a bridge, and keep the bridge's
//! methods few and free of secrets.
//!
//! ## References
//! - CWE-749: Exposed Dangerous Method or Function
//! - OWASP MASVS-PLATFORM-2; MASTG "Testing for Java Objects Exposed Through WebViews"

use crate::android::code::Code;
use crate::rules::CodeRule;
use crate::android::code_util::in_source_set;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/webview-javascript-interface",
    title: "WebView exposes an object to JavaScript",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[749],
    owasp: Owasp::A03,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("webview_javascript_interface.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

/// Whether the file turns JavaScript on in some WebView.
pub fn enables_javascript(code: &Code<'_>) -> bool {
    code.calls.iter().any(|c| {
        c.name == "setJavaScriptEnabled" && c.args.first().is_some_and(|a| code.is_true(*a))
    }) || code
        .assigns
        .iter()
        .any(|a| a.name == "javaScriptEnabled" && code.is_true(a.value))
}

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    if !enables_javascript(code) {
        return;
    }
    for call in code.calls.iter().filter(|c| c.name == "addJavascriptInterface" && c.args.len() == 2) {
        let name = code.literal(call.args[1]).unwrap_or_else(|| code.text(call.args[1]).to_string());
        cx.report(in_source_set(
            code,
            Finding::new(
                &META,
                code.call_span(call),
                format!("a JavaScript-enabled WebView exposes an object to every script it runs as `{name}`"),
            ),
        ));
    }
}
