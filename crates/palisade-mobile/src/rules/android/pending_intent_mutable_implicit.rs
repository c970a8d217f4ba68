//! Flags mutable `PendingIntent`s that wrap an implicit intent.
//!
//! ## What it checks
//! `PendingIntent.getActivity`, `getActivities`, `getService`, `getForegroundService` and
//! `getBroadcast` whose flags include `FLAG_MUTABLE` and whose intent is implicit: built
//! with only an action (`Intent("org.shop.SYNC")`, `new Intent(ACTION)`) or with no
//! arguments, and — when held in a local variable — given no component, class or package
//! (`setClass`, `setClassName`, `setComponent`, `setPackage`) in the same function. Intents
//! built with a class (`Intent(context, SyncService::class.java)`) are explicit and fine,
//! as are `FLAG_IMMUTABLE` pending intents.
//!
//! ## Why it matters
//! Whoever receives a pending intent can fill in a mutable one's blank fields. With no
//! component set, a malicious app that gets it (from a notification, a widget, an
//! implicit broadcast) can point it at any component of *your* app — exported or not — and
//! run it with your identity and permissions (CWE-927).
//!
//! ## Example
//! ```kotlin
//! val pi = PendingIntent.getBroadcast(ctx, 0, Intent("org.shop.REFRESH"),
//!     PendingIntent.FLAG_MUTABLE)      // flagged
//! ```
//!
//! ## Remediation
//! Use `FLAG_IMMUTABLE`; if the pending intent must be mutable (inline reply, bubbles),
//! make the intent explicit with `setClass`/`setComponent` or `setPackage`.
//!
//! ## References
//! - CWE-927: Use of Implicit Intent for Sensitive Communication
//! - Android developers: PendingIntent, "Specify mutability"; OWASP MASVS-PLATFORM-1

use crate::android::code::Code;
use crate::android::code_util::{in_source_set, is_implicit_intent};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/pending-intent-mutable-implicit",
    title: "Mutable PendingIntent wrapping an implicit intent",
    severity: Severity::High,
    confidence: Confidence::Medium,
    cwe: &[927],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("pending_intent_mutable_implicit.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

const FACTORIES: &[&str] = &[
    "getActivity",
    "getActivities",
    "getService",
    "getForegroundService",
    "getBroadcast",
];

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        if !FACTORIES.contains(&call.name.as_str())
            || !call.receiver.as_deref().is_some_and(|r| r.ends_with("PendingIntent"))
            || call.args.len() < 4
        {
            continue;
        }
        let flags = code.text(call.args[3]);
        if !flags.contains("FLAG_MUTABLE") {
            continue;
        }
        if is_implicit_intent(code, call.node, call.args[2]) {
            cx.report(in_source_set(
                code,
                Finding::new(
                    &META,
                    code.call_span(call),
                    format!("`PendingIntent.{}` is mutable and its intent names no component: a receiver of it can redirect it inside this app", call.name),
                ),
            ));
        }
    }
}
