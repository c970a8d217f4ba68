//! Flags implicit broadcasts that carry a secret in their extras and name no permission.
//!
//! ## What it checks
//! `sendBroadcast`, `sendOrderedBroadcast`, `sendStickyBroadcast`,
//! `sendStickyOrderedBroadcast` and `sendBroadcastAsUser` of an intent that
//! - is implicit: built with only an action (`Intent("org.shop.LOGGED_IN")`) or nothing,
//!   and given no `setPackage`/`setComponent`/`setClass`/`setClassName` in the function
//!   (the shared model of `android/pending-intent-mutable-implicit`);
//! - carries a `putExtra` whose key or value is a secret by its name — the shared model of
//!   the storage and log rules: password, token, secret, session id, card number, SSN, OTP,
//!   PIN, …, followed through local variables and fields; push tokens are not secrets;
//! - and is sent without a receiver permission (no permission argument, or `null`).
//!
//! The extras are read from the intent's own expression (`Intent(A).putExtra(…)`,
//! `Intent(A).apply { putExtra(…) }`) and, for an intent held in a local, from
//! `intent.putExtra(…)` calls of the same function before the send; a
//! `putExtras(bundle)` adds the bundle's `putString(key, value)`-style calls found the
//! same way.
//!
//! Not reported: `LocalBroadcastManager` (never leaves the process), explicit intents, a
//! receiver permission, extras that are not secrets or whose value is a constant.
//!
//! ## Why it matters
//! Any installed app can register a receiver for an action and read every implicit
//! broadcast's extras — a sticky one even after the fact. A token or password sent that way
//! is handed to whatever app asks (CWE-927).
//!
//! ## Example
//! ```kotlin
//! sendBroadcast(Intent("org.shop.LOGGED_IN").putExtra("auth_token", token))   // flagged
//! sendBroadcast(Intent("org.shop.LOGGED_IN").setPackage(packageName)
//!     .putExtra("auth_token", token))                                         // fine
//! ```
//!
//! ## Remediation
//! Keep secrets out of broadcasts. Within the app, call the component directly or use an
//! explicit intent (`setPackage(packageName)`); between your apps, send with a receiver
//! permission whose protection level is `signature`.
//!
//! ## References
//! - CWE-927: Use of Implicit Intent for Sensitive Communication
//! - OWASP MASVS-PLATFORM-1; MASTG "Testing for Sensitive Functionality Exposure Through IPC"

use crate::android::code::{Call, Code, unwrap_parens, visit};
use crate::android::code_util::{enclosing_lambda_call, in_source_set, is_implicit_intent, receiver_node};
use crate::android::sensitive::{is_secret_under_key, key_text, secret_flow};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/broadcast-sensitive-extras",
    title: "Secret sent in an implicit broadcast without a permission",
    severity: Severity::High,
    confidence: Confidence::Medium,
    cwe: &[927],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("broadcast_sensitive_extras.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        // The index of the receiver-permission argument.
        let permission_at = match call.name.as_str() {
            "sendBroadcast" | "sendOrderedBroadcast" => 1,
            "sendBroadcastAsUser" | "sendOrderedBroadcastAsUser" => 2,
            "sendStickyBroadcast" | "sendStickyOrderedBroadcast" | "sendStickyBroadcastAsUser" => {
                usize::MAX
            }
            _ => continue,
        };
        let Some(&intent) = call.args.first() else { continue };
        if is_local_manager(code, call) {
            continue;
        }
        if let Some(p) = call.args.get(permission_at)
            && code.text(*p).trim() != "null"
        {
            continue;
        }
        if !is_implicit_intent(code, call.node, intent) {
            continue;
        }
        let Some(what) = extras(code, call, intent).into_iter().find_map(|e| secret_extra(code, e))
        else {
            continue;
        };
        cx.report(in_source_set(
            code,
            Finding::new(
                &META,
                code.call_span(call),
                format!(
                    "`{}` sends {what} in an implicit broadcast with no receiver permission: any app can register for it",
                    call.name
                ),
            ),
        ));
    }
}

/// `LocalBroadcastManager.getInstance(…).sendBroadcast(…)`, or a local or field holding it.
fn is_local_manager(code: &Code<'_>, call: &Call<'_>) -> bool {
    let Some(recv) = receiver_node(call) else { return false };
    let recv = unwrap_parens(recv);
    let text = code.text(recv);
    if text.contains("LocalBroadcastManager") {
        return true;
    }
    let name = crate::android::code::last_segment(text);
    code.reaching_assigns(recv, name, code.func_of(recv))
        .any(|a| code.text(a.value).contains("LocalBroadcastManager"))
        || declared_as_local_manager(code.src(), name)
        // A field assigned in a way this file does not show, named for what it is.
        || name.to_ascii_lowercase().contains("localbroadcast")
}

/// A field or local declared with the type: `LocalBroadcastManager name` (Java) or
/// `name: LocalBroadcastManager` (Kotlin).
fn declared_as_local_manager(src: &str, name: &str) -> bool {
    let java = format!("LocalBroadcastManager {name}");
    let kotlin = format!("{name}: LocalBroadcastManager");
    [java, kotlin].iter().any(|pattern| {
        src.match_indices(pattern.as_str()).any(|(i, m)| {
            let before = src[..i].chars().next_back();
            let after = src[i + m.len()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            !word(after) && !word(before)
        })
    })
}

/// The `putExtra` calls that fill the intent: in its own expression, in the expression a
/// local was given, and `name.putExtra(…)` (or `name.apply { putExtra(…) }`) calls of the
/// function before the send. A `putExtras(bundle)` adds the bundle's `put…(key, value)`
/// calls, found the same way.
fn extras<'a, 't>(code: &'a Code<'t>, send: &Call<'t>, intent: Node<'t>) -> Vec<&'a Call<'t>> {
    let is_extra = |c: &Call<'_>| c.name == "putExtra";
    let mut out = puts(code, send, intent, &is_extra);
    let bundles: Vec<Node<'t>> = out
        .iter()
        .filter(|c| c.name == "putExtras")
        .filter_map(|c| c.args.first().copied())
        .collect();
    let is_put = |c: &Call<'_>| c.name.starts_with("put") && c.args.len() == 2;
    for bundle in bundles {
        for c in puts(code, send, bundle, &is_put) {
            if !out.iter().any(|o| o.node == c.node) {
                out.push(c);
            }
        }
    }
    out.retain(|c| c.name != "putExtras");
    out
}

/// The calls `wanted` accepts (or `putExtras`) that fill the object `target` evaluates
/// to: in its expression, in the expression a local was given, and on the local's name
/// (also in `name.apply { … }`) in the function before `send`.
fn puts<'a, 't>(
    code: &'a Code<'t>,
    send: &Call<'t>,
    target: Node<'t>,
    wanted: &dyn Fn(&Call<'t>) -> bool,
) -> Vec<&'a Call<'t>> {
    let wanted = |c: &Call<'t>| wanted(c) || c.name == "putExtras";
    let target = unwrap_parens(target);
    let mut roots = vec![target];
    let mut name = None;
    if target.kind() == "identifier" {
        let n = code.text(target);
        name = Some(n);
        if let Some(a) = code.reaching_assigns(target, n, code.func_of(target)).last() {
            roots.push(a.value);
        }
    }
    let mut out = Vec::new();
    for root in roots {
        visit(root, &mut |n| {
            if let Some(c) = code.calls.iter().find(|c| c.node == n && wanted(c)) {
                out.push(c);
            }
        });
    }
    if let Some(name) = name {
        let func = code.func_of(send.node).map(|f| f.node.id());
        for c in &code.calls {
            if !wanted(c)
                || c.node.start_byte() > send.node.start_byte()
                || code.func_of(c.node).map(|f| f.node.id()) != func
            {
                continue;
            }
            let on_target = c.receiver.as_deref() == Some(name)
                || c.receiver.is_none()
                    && enclosing_lambda_call(code, c.node)
                        .is_some_and(|l| l.receiver.as_deref() == Some(name));
            if on_target && !out.iter().any(|o| o.node == c.node) {
                out.push(c);
            }
        }
    }
    out
}

/// What makes an extra secret: its value's name (through locals and fields) or its key.
fn secret_extra(code: &Code<'_>, extra: &Call<'_>) -> Option<String> {
    let [key, value] = extra.args[..] else { return None };
    if let Some((_, name)) = secret_flow(code, value) {
        return Some(format!("`{name}`"));
    }
    let k = key_text(code, key)?;
    is_secret_under_key(code, &k, value).then(|| format!("the extra `{k}`"))
}
