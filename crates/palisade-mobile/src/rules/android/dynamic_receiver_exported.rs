//! Flags broadcast receivers registered in code that any app can send broadcasts to.
//!
//! ## What it checks
//! Calls of `registerReceiver` (on a `Context`, or `ContextCompat.registerReceiver(context,
//! …)`) that neither pass `RECEIVER_NOT_EXPORTED` nor a broadcast permission:
//! - no flags (`registerReceiver(receiver, filter)`, or flags `0`), no permission (*medium*):
//!   before Android 14 such a receiver is exported; an app targeting API 34 throws a
//!   `SecurityException` when it registers one for non-system broadcasts;
//! - `RECEIVER_EXPORTED` and no permission (*medium* severity, *low* confidence: exporting is
//!   deliberate, and only the code knows whether it trusts every sender).
//!
//! Flags passed in a variable are not judged (the caller decides them), and receivers of a
//! `LocalBroadcastManager` (in-process only) are not reported.
//!
//! Confidence is *medium* when the filter has an action that is the app's own (a string
//! that does not start with `android.`), *low* when the actions cannot be seen. Filters
//! whose actions are all platform broadcasts (`Intent.ACTION_…`, `android.…`, another
//! platform class's `ACTION_…` constant) are not reported: only the system can send those
//! protected broadcasts, and Android 14 needs no flag for them.
//!
//! ## Why it matters
//! An exported receiver runs for a broadcast from any app on the device, with whatever
//! extras that app chose: a spoofed "sync done", "logout" or "payment result" (CWE-925,
//! CWE-926).
//!
//! ## Example
//! ```java
//! registerReceiver(receiver, new IntentFilter("org.shop.SYNC_DONE"));        // flagged
//! registerReceiver(receiver, filter, Context.RECEIVER_NOT_EXPORTED);          // fine
//! ```
//!
//! ## Remediation
//! Pass `Context.RECEIVER_NOT_EXPORTED` (`ContextCompat.RECEIVER_NOT_EXPORTED` below API 33);
//! for broadcasts from your other apps, require a `signature` permission in the
//! `broadcastPermission` argument. For in-app events, skip broadcasts altogether.
//!
//! ## References
//! - CWE-925: Improper Verification of Intent by Broadcast Receiver
//! - Android: "Context-registered receivers" (Broadcasts overview); behaviour changes of
//!   Android 14 ("Safer dynamic receivers")
//! - OWASP MASVS-PLATFORM-1

use crate::android::code::{Call, Code, named_children, unwrap_parens, visit};
use crate::android::code_util::in_source_set;
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/dynamic-receiver-exported",
    title: "Receiver registered in code without RECEIVER_NOT_EXPORTED or a permission",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[925],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("dynamic_receiver_exported.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

/// What the filter's actions say about who can send them.
#[derive(PartialEq)]
enum Senders {
    /// Only platform broadcasts: protected, sent by the system alone.
    System,
    /// At least one action of the app's own.
    App,
    /// The actions cannot be seen (a filter from elsewhere).
    Unknown,
}

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        if call.name != "registerReceiver" || call.constructor || in_process_only(code, call) {
            continue;
        }
        // `ContextCompat.registerReceiver(context, receiver, filter, flags)`.
        let compat = call
            .receiver
            .as_deref()
            .is_some_and(|r| r.ends_with("ContextCompat"));
        let args: &[Node<'_>] = if compat {
            call.args.get(1..).unwrap_or(&[])
        } else {
            &call.args
        };
        if args.len() < 2 {
            continue;
        }
        let text = |i: usize| args.get(i).map(|n| code.text(*n).trim());
        let is_null = |i: usize| text(i).is_some_and(|t| t == "null");
        // Flags and permission by the overloads: (r, f), (r, f, flags),
        // (r, f, permission, handler), (r, f, permission, handler, flags).
        let (permission, flags) = match args.len() {
            2 => (None, None),
            3 => (None, text(2)),
            4 => (Some(2), None),
            _ => (Some(2), text(4)),
        };
        if permission.is_some_and(|i| !is_null(i)) {
            continue;
        }
        if flags.is_some_and(|f| f.contains("RECEIVER_NOT_EXPORTED")) {
            continue;
        }
        // Flags from a variable or a parameter are decided elsewhere.
        if flags.is_some_and(|f| f != "0" && !f.contains("RECEIVER_EXPORTED")) {
            continue;
        }
        let exported = flags.is_some_and(|f| f.contains("RECEIVER_EXPORTED"));
        let senders = senders(code, call, args[1]);
        if senders == Senders::System {
            continue;
        }
        let (message, confidence) = if exported {
            (
                "receiver registered with `RECEIVER_EXPORTED` and no broadcast permission: any app can send it broadcasts".to_string(),
                Confidence::Low,
            )
        } else {
            (
                "receiver registered without `RECEIVER_NOT_EXPORTED` or a broadcast permission: any app can send it broadcasts (before Android 14), and apps targeting API 34 get a SecurityException".to_string(),
                if senders == Senders::App {
                    Confidence::Medium
                } else {
                    Confidence::Low
                },
            )
        };
        cx.report(in_source_set(
            code,
            Finding::new(&META, code.call_span(call), message).with_confidence(confidence),
        ));
    }
}

/// A `LocalBroadcastManager`'s receiver (the call's receiver, or the object of an enclosing
/// Kotlin scope function such as `localBroadcastManager.run { … }`): in-process only.
fn in_process_only(code: &Code<'_>, call: &Call<'_>) -> bool {
    let local = |text: &str| text.to_ascii_lowercase().contains("localbroadcast");
    if call.receiver.as_deref().is_some_and(local) {
        return true;
    }
    let mut node = call.node.parent();
    while let Some(n) = node {
        if n.kind() == "call_expression" {
            let text = code.text(n);
            let head = text.split('{').next().unwrap_or(text);
            if head.len() < text.len() && local(head) {
                return true;
            }
        }
        node = n.parent();
    }
    false
}

/// Who can send the broadcasts of the filter argument: its `IntentFilter(…)` construction
/// and `addAction(…)` calls in the same function, found by the variable's name.
fn senders(code: &Code<'_>, call: &Call<'_>, filter: Node<'_>) -> Senders {
    let filter = unwrap_parens(filter);
    let mut actions: Vec<String> = Vec::new();
    let mut seen_construction = false;
    let mut constructions: Vec<Node<'_>> = Vec::new();
    let name = code.text(filter).trim().to_string();
    if is_plain_name(&name) {
        for a in code.assigns.iter().filter(|a| a.func == call.func) {
            if a.name == name || a.target == name {
                constructions.push(a.value);
            }
        }
        // `val filter = IntentFilter(…)` is a declaration, not an assignment: find the
        // declarator by its text.
        if let Some(func) = call.func.and_then(|i| code.functions.get(i))
            && let Some(body) = func.body
        {
            visit(body, &mut |n| {
                if matches!(n.kind(), "variable_declarator" | "property_declaration")
                    && declares(code, n, &name)
                {
                    constructions.push(n);
                }
            });
        }
        for c in code.calls.iter().filter(|c| c.func == call.func) {
            if c.name == "addAction" && c.receiver.as_deref() == Some(name.as_str()) {
                actions.extend(c.args.first().map(|a| code.text(*a).trim().to_string()));
            }
        }
    } else {
        constructions.push(filter);
    }
    for node in constructions {
        visit(node, &mut |n| {
            if seen_construction {
                return;
            }
            let callee = n
                .child_by_field_name("type")
                .or_else(|| n.child(0))
                .map(|c| code.text(c));
            if matches!(n.kind(), "object_creation_expression" | "call_expression")
                && callee.is_some_and(|c| c.trim() == "IntentFilter")
            {
                seen_construction = true;
                let args = n
                    .child_by_field_name("arguments")
                    .or_else(|| named_children(n).into_iter().last());
                if let Some(args) = args {
                    let mut first = None;
                    visit(args, &mut |a| {
                        if first.is_none()
                            && matches!(
                                a.kind(),
                                "string_literal" | "field_access" | "identifier" | "navigation_expression" | "simple_identifier"
                            )
                        {
                            first = Some(code.text(a).trim().to_string());
                        }
                    });
                    actions.extend(first);
                }
            }
        });
    }
    if actions.is_empty() {
        return Senders::Unknown;
    }
    if actions.iter().all(|a| is_platform_action(a)) {
        return Senders::System;
    }
    if actions.iter().any(|a| {
        let literal = a.trim_matches('"');
        a.starts_with('"') && !literal.starts_with("android.")
    }) {
        return Senders::App;
    }
    Senders::Unknown
}

fn is_plain_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn declares(code: &Code<'_>, node: Node<'_>, name: &str) -> bool {
    named_children(node).into_iter().any(|c| {
        matches!(c.kind(), "identifier" | "variable_declaration" | "simple_identifier")
            && code
                .text(c)
                .split(':')
                .next()
                .is_some_and(|t| t.trim() == name)
    })
}

/// A platform broadcast action: `Intent.ACTION_…`, `"android.…"`, or another platform
/// class's `ACTION_…` constant (`BluetoothAdapter.ACTION_STATE_CHANGED`).
fn is_platform_action(action: &str) -> bool {
    let a = action.trim();
    if let Some(literal) = a.strip_prefix('"') {
        return literal.starts_with("android.");
    }
    a.starts_with("Intent.ACTION_")
        || a.starts_with("android.")
        || a == "ConnectivityManager.CONNECTIVITY_ACTION"
        || PLATFORM_CLASSES
            .iter()
            .any(|c| a.strip_prefix(c).is_some_and(|rest| rest.starts_with(".ACTION_")))
}

/// Platform classes whose `ACTION_…` constants name protected broadcasts.
const PLATFORM_CLASSES: &[&str] = &[
    "AudioManager",
    "BluetoothAdapter",
    "BluetoothDevice",
    "ConnectivityManager",
    "DownloadManager",
    "LocationManager",
    "NotificationManager",
    "PowerManager",
    "TelephonyManager",
    "UsbManager",
    "WifiManager",
];
