//! Flags files and preferences created readable or writable by every app.
//!
//! ## What it checks
//! `MODE_WORLD_READABLE` or `MODE_WORLD_WRITEABLE` (`Context.MODE_WORLD_READABLE`, or the
//! bare constant) passed as an argument: `openFileOutput`, `getSharedPreferences`,
//! `getDir`, `openOrCreateDatabase`, … The constant in a comment or a string is not
//! reported, nor is `MODE_PRIVATE`.
//!
//! ## Why it matters
//! Other apps can read (or overwrite) the file: tokens, personal data, settings that steer
//! the app. Since API 24 the call throws a `SecurityException` — the code is either dead or
//! crashes — and on older devices it leaks (CWE-276, CWE-732).
//!
//! ## Example
//! ```java
//! openFileOutput("session.txt", Context.MODE_WORLD_READABLE);   // flagged
//! ```
//!
//! ## Remediation
//! Use `MODE_PRIVATE`; share a file with another app through a `FileProvider` URI.
//!
//! ## References
//! - CWE-276: Incorrect Default Permissions
//! - Android developers: `Context.MODE_WORLD_READABLE` (deprecated)
//! - OWASP MASVS-STORAGE-2

use crate::android::code::Code;
use crate::rules::CodeRule;
use crate::android::code_util::in_source_set;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/world-readable-file",
    title: "File created readable or writable by every app",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[276],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("world_readable_file.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        for arg in &call.args {
            let mut hit = None;
            crate::android::code::visit(*arg, &mut |n| {
                if hit.is_none() && matches!(n.kind(), "identifier" | "simple_identifier") {
                    let t = code.text(n);
                    if t == "MODE_WORLD_READABLE" || t == "MODE_WORLD_WRITEABLE" {
                        hit = Some((n, t));
                    }
                }
            });
            if let Some((node, name)) = hit {
                cx.report(in_source_set(
                    code,
                    Finding::new(&META, code.span(node), format!("`{}(…, {name})` makes the file accessible to every app", call.name)),
                ));
            }
        }
    }
}
