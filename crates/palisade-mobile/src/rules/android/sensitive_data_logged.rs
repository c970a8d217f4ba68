//! Flags passwords, tokens and other secrets written to the system log or standard output.
//!
//! ## What it checks
//! Calls of `Log.v/d/i/w/e/wtf` (the message, not the tag), `Timber.*`, `System.out/err.print*`
//! and Kotlin's `println`/`print` whose arguments hold a value named like a secret: a
//! variable, field, property or getter whose name (the crate's one model of secret names,
//! `android/sensitive.rs`, shared with the storage rules) has the word `password`, `passwd`,
//! `token`, `secret`, `otp`, `pin`, `cvv`, `ssn`, `credential(s)`, `apikey`/`api` + `key`,
//! `session` + `id`/`token`/`key`, `card` + `number`, or `private` + `key`.
//!
//! Not reported: the words in the literal text (`"token refreshed"`); derived values
//! (`password.length`, `token.isEmpty()`, `token != null`, `hasToken`, `tokenType`,
//! `passwordField`, …); calls inside `if (BuildConfig.DEBUG)`; test source sets. Debug
//! source sets are low severity.
//!
//! ## Why it matters
//! Logcat is read by crash reporters, by `adb` and bug reports, and (before API 16) by any
//! app with `READ_LOGS`; release builds keep `Log` calls unless R8 strips them (CWE-532).
//!
//! ## Example
//! ```kotlin
//! Log.d(TAG, "login with $password")           // flagged
//! Log.d(TAG, "password length ${password.length}")   // not flagged
//! ```
//!
//! ## Remediation
//! Do not log secrets; log that the event happened. Strip debug logging from release
//! builds with R8 rules (`-assumenosideeffects class android.util.Log`).
//!
//! ## References
//! - CWE-532: Insertion of Sensitive Information into Log File
//! - OWASP MASVS-STORAGE-2; MASTG "Testing Logs for Sensitive Data"

use crate::android::code::Code;
use crate::android::sensitive::secret_in;
use crate::rules::CodeRule;
use crate::android::code_util::{in_source_set, under_debug_guard};
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/sensitive-data-logged",
    title: "Secret written to the log",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[532],
    owasp: Owasp::A09,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("sensitive_data_logged.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        let receiver = call.receiver.as_deref().unwrap_or("");
        let skip_tag = match (receiver, call.name.as_str()) {
            ("Log", "v" | "d" | "i" | "w" | "e" | "wtf") => 1,
            ("Timber", "v" | "d" | "i" | "w" | "e" | "wtf") => 0,
            ("System.out" | "System.err", "println" | "print" | "printf") => 0,
            ("", "println" | "print") => 0,
            _ => continue,
        };
        if under_debug_guard(code, call.node) {
            continue;
        }
        for arg in call.args.iter().skip(skip_tag) {
            if let Some((node, name)) = secret_in(code, *arg) {
                cx.report(in_source_set(
                    code,
                    Finding::new(&META, code.span(node), format!("`{name}` is written to the log by `{}`", short_callee(receiver, &call.name))),
                ));
                break;
            }
        }
    }
}

fn short_callee(receiver: &str, name: &str) -> String {
    if receiver.is_empty() {
        name.to_string()
    } else {
        format!("{receiver}.{name}")
    }
}
