//! Flags macOS Hardened Runtime exceptions that let foreign code into the app.
//!
//! ## What it checks
//! A `*.entitlements` plist that sets one of these to true:
//! - `com.apple.security.cs.disable-library-validation` (*medium*): the app may load
//!   frameworks and plug-ins signed by anyone, or not signed at all;
//! - `com.apple.security.cs.allow-dyld-environment-variables` (*medium*):
//!   `DYLD_INSERT_LIBRARIES` and friends inject libraries into the app;
//! - `com.apple.security.cs.disable-executable-page-protection` (*medium*): the app's own
//!   code pages become writable;
//! - `com.apple.security.cs.allow-unsigned-executable-memory` (*low*): writable and
//!   executable memory without the JIT flag.
//!
//! Confidence is medium: plug-in hosts and some runtimes do need an exception, which a
//! reviewer then wants justified. `com.apple.security.cs.allow-jit` is not reported: it is
//! the narrow exception Apple recommends for JIT compilers. Debug-only entitlements files
//! (`*-Debug.entitlements`) are not reported.
//!
//! ## Why it matters
//! The Hardened Runtime stops code injection, library hijacking and memory tampering; each
//! exception switches one of those protections off for the whole process, and Gatekeeper
//! checks programs without library validation more strictly (CWE-829, CWE-427).
//!
//! ## Example
//! ```xml
//! <key>com.apple.security.cs.disable-library-validation</key>
//! <true/>                                          <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Remove the exception and sign every bundled library with your Team ID; load third-party
//! plug-ins in a separate helper process if you must; use `allow-jit` instead of
//! `allow-unsigned-executable-memory`.
//!
//! ## References
//! - CWE-829: Inclusion of Functionality from Untrusted Control Sphere
//! - Apple: Hardened Runtime; "Disable Library Validation Entitlement"
//! - OWASP MASVS-CODE-4

use crate::ios::plist::{Plist, PlistKind};
use crate::rules::PlistRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ios/hardened-runtime-exception",
    title: "Hardened Runtime exception lets foreign code in",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[829],
    owasp: Owasp::A08,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("hardened_runtime_exception.rs"),
};

pub static RULE: PlistRule = PlistRule {
    meta: &META,
    kind: PlistKind::Entitlements,
    check,
};

/// Each exception, its severity and what it allows.
const EXCEPTIONS: &[(&str, Severity, &str)] = &[
    (
        "com.apple.security.cs.disable-library-validation",
        Severity::Medium,
        "the app may load frameworks and plug-ins that are not signed by Apple or your team",
    ),
    (
        "com.apple.security.cs.allow-dyld-environment-variables",
        Severity::Medium,
        "DYLD_* environment variables can inject libraries into the app",
    ),
    (
        "com.apple.security.cs.disable-executable-page-protection",
        Severity::Medium,
        "the app's executable pages may be modified in memory",
    ),
    (
        "com.apple.security.cs.allow-unsigned-executable-memory",
        Severity::Low,
        "the app may create writable and executable memory without the JIT flag (`allow-jit` is the narrower exception)",
    ),
];

fn check(plist: &Plist, cx: &mut FileContext<'_>) {
    if plist.is_debug_only() {
        return;
    }
    for (key, severity, what) in EXCEPTIONS {
        if let Some((span, _)) = plist
            .root
            .get(key)
            .filter(|(_, v)| v.as_bool() == Some(true))
        {
            cx.report(
                Finding::new(
                    &META,
                    span,
                    format!("`{key}` weakens the Hardened Runtime: {what}"),
                )
                .with_severity(*severity),
            );
        }
    }
}
