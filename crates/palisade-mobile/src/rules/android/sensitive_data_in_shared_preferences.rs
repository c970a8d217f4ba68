//! Flags passwords, tokens and other secrets stored in plain `SharedPreferences`.
//!
//! ## What it checks
//! `putString`, `putStringSet`, `putInt`, `putLong` and `putFloat` on a
//! `SharedPreferences.Editor` — `prefs.edit().putString(…)`, an editor held in a local or a
//! field (`editor = prefs.edit()`), or Kotlin's `prefs.edit { putString(…) }` — where the
//! value is a secret by the crate's one model of secret names (`password`, `token`, `secret`,
//! `session` + `id`, `card` + `number`, `ssn`, `otp`, `pin`, …), directly or through local
//! variables and fields of the same class; or where a `putString`/`putStringSet` key names
//! a secret (`"auth_token"`, `KEY_PASSWORD`) and the value is not a literal.
//!
//! Not reported: preferences created by `EncryptedSharedPreferences` (or any name with
//! `Encrypted`/`Secure` where the preferences come from); values passed through
//! `encrypt(…)`/`hash(…)`-like calls; usernames, flags and lengths (`putBoolean("has_pin",
//! …)`, `putInt("pin_length", …)`); `Bundle.putString` and other non-editor receivers; test
//! source sets. Debug source sets are low severity. Confidence is medium: palisade does not
//! see how the preferences file was created when it comes from another class.
//!
//! ## Why it matters
//! Shared preferences are an XML file in the app's data directory in clear text: it is in
//! device backups (unless excluded), readable on rooted or compromised devices, and with
//! forensic tools (CWE-312). MASVS-STORAGE-1 asks that sensitive data is stored encrypted.
//!
//! ## Example
//! ```kotlin
//! prefs.edit { putString("auth_token", token) }               // flagged
//! encryptedPrefs.edit { putString("auth_token", token) }      // not flagged
//! ```
//!
//! ## Remediation
//! Keep tokens in `EncryptedSharedPreferences` (Jetpack Security) or encrypt them with a
//! key held in the Android Keystore; do not store passwords at all (store a refresh token).
//!
//! ## References
//! - CWE-312: Cleartext Storage of Sensitive Information
//! - OWASP MASVS-STORAGE-1; MASTG "Testing Local Storage for Sensitive Data"

use crate::android::code::{Call, Code, last_segment};
use crate::android::code_util::{enclosing_lambda_call, in_source_set, receiver_node};
use crate::android::sensitive::{is_secret_under_key, key_text, secret_flow};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/sensitive-data-in-shared-preferences",
    title: "Secret stored in plain SharedPreferences",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[312],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("sensitive_data_in_shared_preferences.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        if !matches!(
            call.name.as_str(),
            "putString" | "putStringSet" | "putInt" | "putLong" | "putFloat"
        ) || call.args.len() != 2
        {
            continue;
        }
        let Some(prefs) = preferences_of(code, call) else { continue };
        if is_encrypted(code, prefs, 0) {
            continue;
        }
        let (key, value) = (call.args[0], call.args[1]);
        let what = if let Some((_, name)) = secret_flow(code, value) {
            format!("`{name}`")
        } else if matches!(call.name.as_str(), "putString" | "putStringSet")
            && let Some(k) = key_text(code, key)
            && is_secret_under_key(code, &k, value)
        {
            format!("the value of key `{k}`")
        } else {
            continue;
        };
        cx.report(in_source_set(
            code,
            Finding::new(
                &META,
                code.call_span(call),
                format!(
                    "{what} is stored in plain SharedPreferences by `{}`; use EncryptedSharedPreferences or a Keystore key",
                    call.name
                ),
            ),
        ));
    }
}

/// The expression the preferences of an editor call come from (`prefs` of
/// `prefs.edit().putString(…)`), when the call is on a `SharedPreferences.Editor`.
fn preferences_of<'t>(code: &Code<'t>, call: &Call<'t>) -> Option<Node<'t>> {
    let Some(mut recv) = receiver_node(call) else {
        // Kotlin: `prefs.edit { putString(…) }` or `prefs.edit().apply { putString(…) }`.
        let outer = enclosing_lambda_call(code, call.node)?;
        let outer_recv = receiver_node(outer)?;
        return match outer.name.as_str() {
            "edit" => Some(outer_recv),
            "apply" | "run" | "with" => edit_receiver(code, outer_recv),
            _ => None,
        };
    };
    // `editor.putString(a, b).putString(c, d)`: down to the first put.
    while let Some(inner) = code.calls.iter().find(|c| c.node == recv)
        && inner.name.starts_with("put")
    {
        recv = receiver_node(inner)?;
    }
    if let Some(p) = edit_receiver(code, recv) {
        return Some(p);
    }
    // An editor held in a local or field: `editor = prefs.edit()`.
    if matches!(recv.kind(), "identifier" | "field_access" | "navigation_expression" | "this_expression")
    {
        let name = last_segment(code.text(recv));
        let func = code.func_of(call.node);
        let mut found = None;
        for a in code.reaching_assigns(recv, name, func) {
            if let Some(p) = edit_receiver(code, a.value) {
                found = Some(p);
            }
        }
        return found;
    }
    None
}

/// `X` of an expression `X.edit()`.
fn edit_receiver<'t>(code: &Code<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let call = code.calls.iter().find(|c| c.node == node)?;
    (call.name == "edit" && call.args.is_empty())
        .then(|| receiver_node(call))
        .flatten()
}

/// Whether preferences come from `EncryptedSharedPreferences` (or a wrapper named
/// encrypted or secure), directly or through locals and fields.
fn is_encrypted(code: &Code<'_>, prefs: Node<'_>, depth: u32) -> bool {
    let t = code.text(prefs);
    if ["Encrypted", "encrypted", "Secure", "secure"].iter().any(|w| t.contains(w)) {
        return true;
    }
    if depth > 3 {
        return false;
    }
    // A local, a field, or a getter of one (`getPrefs()`); other calls are what they say.
    let name = match prefs.kind() {
        "identifier" | "field_access" | "navigation_expression" => last_segment(t).to_string(),
        "method_invocation" | "call_expression" => {
            let Some(call) = code.calls.iter().find(|c| c.node == prefs) else { return false };
            match call.name.strip_prefix("get").filter(|r| r.starts_with(char::is_uppercase) && call.args.is_empty()) {
                Some(r) => {
                    let mut c = r.chars();
                    c.next().map(|f| f.to_lowercase().collect::<String>() + c.as_str()).unwrap_or_default()
                }
                None => return false,
            }
        }
        _ => return false,
    };
    let func = code.func_of(prefs);
    let mut any = false;
    for a in code.reaching_assigns(prefs, &name, func) {
        any = true;
        if is_encrypted(code, a.value, depth + 1) {
            return true;
        }
    }
    // Preferences from elsewhere in a file that uses EncryptedSharedPreferences: unknown.
    !any && depth == 0 && code.src().contains("EncryptedSharedPreferences")
}
