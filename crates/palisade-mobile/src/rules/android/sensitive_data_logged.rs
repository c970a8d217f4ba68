//! Flags passwords, tokens and other secrets written to the system log or standard output.
//!
//! ## What it checks
//! Calls of `Log.v/d/i/w/e/wtf` (the message, not the tag), `Timber.*`, `System.out/err.print*`
//! and Kotlin's `println`/`print` whose arguments hold a value named like a secret: a
//! variable, field, property or getter whose name has the word `password`, `passwd`,
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

use crate::android::code::{Code, visit};
use crate::rules::CodeRule;
use crate::android::code_util::{in_source_set, under_debug_guard};
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::words::words;
use tree_sitter::Node;

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
            if let Some((node, name)) = sensitive_value(code, *arg) {
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

/// The first identifier or getter inside `arg` whose value is a secret by its name.
fn sensitive_value<'t>(code: &Code<'t>, arg: Node<'t>) -> Option<(Node<'t>, String)> {
    let mut found = None;
    visit(arg, &mut |n| {
        if found.is_some() {
            return;
        }
        let name = match n.kind() {
            "identifier" => code.text(n),
            // Kotlin's `$name` template.
            "string_content" if n.prev_named_sibling().is_some_and(|p| code.text(p) == "$") => {
                let t = code.text(n);
                &t[..t.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(t.len())]
            }
            _ => return,
        };
        if !is_secret_name(name) || is_derived(code, n) || is_callee(n) && !name.starts_with("get") {
            return;
        }
        found = Some((n, name.to_string()));
    });
    found
}

/// Whether an identifier is the name of a called method (`token()` is a call of its own).
fn is_callee(n: Node<'_>) -> bool {
    n.parent().is_some_and(|p| {
        p.kind() == "method_invocation" && p.child_by_field_name("name") == Some(n)
    })
}

/// Values derived from a secret that are not the secret: `password.length`, `token != null`.
fn is_derived(code: &Code<'_>, n: Node<'_>) -> bool {
    let Some(parent) = n.parent() else { return false };
    match parent.kind() {
        "field_access" | "method_invocation" | "navigation_expression" => {
            // `password.length()`: the secret is the object and a harmless member follows.
            let member = if parent.kind() == "navigation_expression" {
                parent.named_child(parent.named_child_count() as u32 - 1)
            } else {
                parent.child_by_field_name("name").or_else(|| parent.child_by_field_name("field"))
            };
            let is_object = parent.named_child(0) == Some(n) && member != Some(n);
            is_object
                && member.is_some_and(|m| {
                    matches!(
                        code.text(m),
                        "length" | "size" | "isEmpty" | "isNotEmpty" | "isNullOrEmpty" | "isBlank"
                            | "isNotBlank" | "isNullOrBlank" | "hashCode" | "count" | "javaClass"
                            | "getClass" | "type" | "expiresAt" | "expiry" | "isValid" | "isExpired"
                    )
                })
        }
        "binary_expression" | "equality_expression" => {
            let t = code.text(parent);
            t.contains("==") || t.contains("!=")
        }
        _ => false,
    }
}

/// Words that make a secret-looking name something else (a flag, a length, a UI widget).
const HARMLESS: &[&str] = &[
    "length", "len", "size", "count", "type", "types", "field", "view", "edit", "text", "input",
    "hint", "label", "visible", "visibility", "enabled", "required", "valid", "invalid", "error",
    "errors", "policy", "hash", "hashed", "layout", "button", "dialog", "screen", "activity",
    "fragment", "manager", "helper", "url", "uri", "endpoint", "expired", "expiry", "expires",
    "expiration", "changed", "change", "reset", "res", "id", "name", "header", "key", "has",
    "is", "should", "can", "show", "request", "requests", "response", "provider", "service",
    "listener", "callback", "store", "storage", "format", "pattern", "regex", "mode", "state",
    "status", "prompt", "strength", "min", "max", "spinner", "pinned", "pinning", "pins", "file",
    "path", "dir", "prefs", "preference", "event", "task", "job", "class", "timestamp", "time",
    "date", "version", "length", "refreshed", "index", "ids",
];

fn is_secret_name(name: &str) -> bool {
    let w = words(name.strip_prefix("get").filter(|r| r.starts_with(char::is_uppercase)).unwrap_or(name));
    let w: Vec<&str> = w.iter().map(String::as_str).filter(|x| *x != "m").collect();
    let has = |x: &str| w.contains(&x);
    let secret = has("password")
        || has("passwd")
        || has("passphrase")
        || has("token")
        || has("secret")
        || has("otp")
        || has("pin")
        || has("cvv")
        || has("cvc")
        || has("ssn")
        || has("credential")
        || has("credentials")
        || has("apikey")
        || (has("api") && has("key"))
        || (has("session") && (has("id") || has("token") || has("key")))
        || (has("card") && has("number"))
        || (has("private") && has("key"));
    if !secret {
        return false;
    }
    // `sessionId`, `apiKey` and `privateKey` use `id`/`key` themselves.
    let needed: &[&str] = if has("session") || has("api") || has("private") {
        &["id", "key"]
    } else {
        &[]
    };
    !w.iter()
        .any(|x| HARMLESS.contains(x) && !needed.contains(x))
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn names() {
        for yes in ["password", "mPassword", "authToken", "getPassword", "sessionId", "apiKey", "cardNumber", "refreshToken", "otp", "userPin"] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in ["passwordField", "tokenType", "hasToken", "TOKEN_KEY", "spinner", "pinnedCerts", "passwordLength", "isPasswordVisible", "tokenizer", "session", "keyboard", "tokenUrl"] {
            assert!(!is_secret_name(no), "{no}");
        }
    }
}
