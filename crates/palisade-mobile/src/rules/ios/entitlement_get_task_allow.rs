//! Flags an entitlements file that lets other processes attach to the app
//! (`get-task-allow`), outside a debug-only entitlements file.
//!
//! ## What it checks
//! A `*.entitlements` plist whose `com.apple.security.get-task-allow` (macOS) or
//! `get-task-allow` (iOS) key is true (*medium*). Files whose name says they are for debug or
//! development builds (`App-Debug.entitlements`, `Development.entitlements`) are not reported:
//! that is where the key belongs.
//!
//! ## Why it matters
//! The entitlement hands out the app's task port: a debugger, or any process of the same
//! user on macOS, can then read and write the app's memory and inject code (CWE-489,
//! CWE-912). Xcode adds it by itself to development-signed builds, so a committed
//! entitlements file never needs it; when it is there, a manually signed or re-signed
//! release ships with it. Apple's notary service refuses executables that request it.
//!
//! ## Example
//! ```xml
//! <key>com.apple.security.get-task-allow</key>
//! <true/>                                        <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Remove the key from the entitlements file; let Xcode add it to Debug builds, or keep a
//! separate `*-Debug.entitlements` for the Debug configuration only.
//!
//! ## References
//! - CWE-489: Active Debug Code
//! - Apple: Hardened Runtime, "Debugging Tool Entitlement"; notarization's
//!   "The executable requests the com.apple.security.get-task-allow entitlement"
//! - OWASP MASVS-RESILIENCE-4

use crate::ios::plist::{Plist, PlistKind};
use crate::rules::PlistRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ios/entitlement-get-task-allow",
    title: "Entitlements let other processes attach to the app",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[489],
    owasp: Owasp::A05,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("entitlement_get_task_allow.rs"),
};

pub static RULE: PlistRule = PlistRule {
    meta: &META,
    kind: PlistKind::Entitlements,
    check,
};

fn check(plist: &Plist, cx: &mut FileContext<'_>) {
    if plist.is_debug_only() {
        return;
    }
    for key in ["com.apple.security.get-task-allow", "get-task-allow"] {
        if let Some((span, _)) = plist
            .root
            .get(key)
            .filter(|(_, v)| v.as_bool() == Some(true))
        {
            cx.report(Finding::new(
                &META,
                span,
                format!("`{key}` is true: debuggers and other processes can attach to the app and read or change its memory; Xcode adds it to Debug builds by itself, so a shared entitlements file should not"),
            ));
        }
    }
}
