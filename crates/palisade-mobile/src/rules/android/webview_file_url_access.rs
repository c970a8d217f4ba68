//! Flags WebViews that let pages loaded from `file://` URLs read other files or any origin.
//!
//! ## What it checks
//! `setAllowUniversalAccessFromFileURLs(true)` (*high*) and
//! `setAllowFileAccessFromFileURLs(true)` (*medium*), and the Kotlin property forms
//! (`allowUniversalAccessFromFileURLs = true`). `false` is the safe default and is not
//! reported.
//!
//! ## Why it matters
//! A `file://` page — one the app downloaded, or one another app wrote to shared storage —
//! can then read the app's private files (databases, tokens) and, with universal access,
//! send them to any server (CWE-200, CWE-749).
//!
//! ## Example
//! ```java
//! settings.setAllowUniversalAccessFromFileURLs(true);   // flagged
//! ```
//!
//! ## Remediation
//! Leave both off. Serve local content with `WebViewAssetLoader` over
//! `https://appassets.androidplatform.net/` instead of `file://`.
//!
//! ## References
//! - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
//! - Android developers: `WebSettings.setAllowFileAccessFromFileURLs`, WebViewAssetLoader
//! - OWASP MASVS-PLATFORM-2

use crate::android::code::Code;
use crate::rules::CodeRule;
use crate::android::code_util::in_source_set;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/webview-file-url-access",
    title: "WebView lets file:// pages read files or other origins",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[200],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("webview_file_url_access.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn severity_of(setting: &str) -> Option<Severity> {
    match setting {
        "setAllowUniversalAccessFromFileURLs" | "allowUniversalAccessFromFileURLs" => Some(Severity::High),
        "setAllowFileAccessFromFileURLs" | "allowFileAccessFromFileURLs" => Some(Severity::Medium),
        _ => None,
    }
}

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        if let Some(severity) = severity_of(&call.name)
            && call.args.first().is_some_and(|a| code.is_true(*a))
        {
            cx.report(in_source_set(
                code,
                Finding::new(&META, code.call_span(call), format!("`{}(true)` lets file:// pages read local files{}", call.name, if severity == Severity::High { " and any origin" } else { "" }))
                    .with_severity(severity),
            ));
        }
    }
    for a in &code.assigns {
        if let Some(severity) = severity_of(&a.name)
            && code.is_true(a.value)
        {
            cx.report(in_source_set(
                code,
                Finding::new(&META, code.span(a.node), format!("`{} = true` lets file:// pages read local files", a.name))
                    .with_severity(severity),
            ));
        }
    }
}
