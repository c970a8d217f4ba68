//! Flags App Sandbox temporary exceptions that open the file system to a sandboxed Mac app.
//!
//! ## What it checks
//! A `*.entitlements` plist with `com.apple.security.temporary-exception.files.*` keys
//! (`absolute-path.read-only`, `absolute-path.read-write`, `home-relative-path.read-only`,
//! `home-relative-path.read-write`):
//! - a path that is the whole disk (`/`) or the whole home folder (`/` relative to home,
//!   `~`, `/Users/`) (*medium*; *high* when it is read-write);
//! - any other path (*low*): one folder outside the container, which a reviewer wants
//!   justified.
//!
//! Other temporary exceptions (Mach services, Apple events) are not file access and are not
//! reported. Debug-only entitlements files are not reported.
//!
//! ## Why it matters
//! The App Sandbox confines a compromised app to its container; a temporary exception for
//! the whole home folder gives it every document, key and browser profile of the user
//! (CWE-250, CWE-732). Apple calls these exceptions a stop-gap and asks for a justification
//! in App Store review.
//!
//! ## Example
//! ```xml
//! <key>com.apple.security.temporary-exception.files.home-relative-path.read-write</key>
//! <array><string>/</string></array>                 <!-- flagged, high -->
//! ```
//!
//! ## Remediation
//! Ask the user for files with an open panel (`com.apple.security.files.user-selected.*`)
//! and keep security-scoped bookmarks; narrow any remaining exception to the one folder the
//! app needs, read-only where possible.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - Apple: App Sandbox Temporary Exception Entitlements
//! - OWASP MASVS-PLATFORM

use crate::ios::plist::{Plist, PlistKind};
use crate::rules::PlistRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ios/sandbox-temporary-exception",
    title: "App Sandbox exception opens the file system",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("sandbox_temporary_exception.rs"),
};

pub static RULE: PlistRule = PlistRule {
    meta: &META,
    kind: PlistKind::Entitlements,
    check,
};

const PREFIX: &str = "com.apple.security.temporary-exception.files.";

fn check(plist: &Plist, cx: &mut FileContext<'_>) {
    if plist.is_debug_only() {
        return;
    }
    for (key, key_span, value) in plist.root.entries() {
        let Some(which) = key.strip_prefix(PREFIX) else {
            continue;
        };
        let home_relative = which.starts_with("home-relative-path");
        if !home_relative && !which.starts_with("absolute-path") {
            continue;
        }
        let writable = which.ends_with("read-write");
        // The value is an array of paths; a single string is accepted too.
        let paths: Vec<(&str, palisade_core::Span)> = match value.as_str() {
            Some(p) => vec![(p, *key_span)],
            None => value
                .items()
                .iter()
                .filter_map(|v| Some((v.as_str()?, v.span())))
                .collect(),
        };
        for (path, span) in paths {
            let trimmed = path.trim();
            let everything = if home_relative {
                matches!(trimmed, "/" | "" | "~" | "~/" | "./")
            } else {
                matches!(trimmed, "/" | "/Users" | "/Users/" | "/Volumes/" | "/Volumes")
            };
            let place = if home_relative {
                format!("`{trimmed}` in the user's home folder")
            } else {
                format!("`{trimmed}`")
            };
            let access = if writable { "read-write" } else { "read" };
            let finding = if everything {
                Finding::new(
                    &META,
                    span,
                    format!("sandbox temporary exception grants {access} access to {place}: the sandbox no longer protects the user's files"),
                )
                .with_severity(if writable { Severity::High } else { Severity::Medium })
            } else {
                Finding::new(
                    &META,
                    span,
                    format!("sandbox temporary exception grants {access} access to {place} outside the app's container"),
                )
                .with_severity(Severity::Low)
            };
            cx.report(finding);
        }
    }
}
