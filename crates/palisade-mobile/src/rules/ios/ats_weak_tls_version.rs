//! Flags App Transport Security exceptions that accept TLS versions below 1.2.
//!
//! ## What it checks
//! `NSExceptionMinimumTLSVersion`, `NSTemporaryExceptionMinimumTLSVersion` and
//! `NSThirdPartyExceptionMinimumTLSVersion` of a domain under `NSExceptionDomains` set to
//! `TLSv1.0` or `TLSv1.1` (or an SSL version). `TLSv1.2` and `TLSv1.3` are fine.
//!
//! ## Why it matters
//! TLS 1.0 and 1.1 are deprecated (RFC 8996): their cipher suites and handshake have known
//! weaknesses, and a downgrade exposes the traffic (CWE-326, CWE-757).
//!
//! ## Example
//! ```xml
//! <key>NSExceptionMinimumTLSVersion</key><string>TLSv1.0</string>   <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Upgrade the server and remove the key (ATS requires TLS 1.2 by default).
//!
//! ## References
//! - CWE-326: Inadequate Encryption Strength
//! - RFC 8996: Deprecating TLS 1.0 and TLS 1.1; Apple: NSExceptionMinimumTLSVersion

use crate::ios::plist::{Plist, PlistKind};
use crate::rules::PlistRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ios/ats-weak-tls-version",
    title: "App Transport Security accepts TLS below 1.2",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[326],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("ats_weak_tls_version.rs"),
};

pub static RULE: PlistRule = PlistRule {
    meta: &META,
    kind: PlistKind::Info,
    check,
};

const KEYS: &[&str] = &[
    "NSExceptionMinimumTLSVersion",
    "NSTemporaryExceptionMinimumTLSVersion",
    "NSThirdPartyExceptionMinimumTLSVersion",
];

fn check(plist: &Plist, cx: &mut FileContext<'_>) {
    let Some((_, ats)) = plist.root.get("NSAppTransportSecurity") else {
        return;
    };
    let Some((_, domains)) = ats.get("NSExceptionDomains") else {
        return;
    };
    for (domain, _, settings) in domains.entries() {
        for key in KEYS {
            if let Some((_, v)) = settings.get(key)
                && let Some(version) = v.as_str()
                && matches!(version.trim(), "TLSv1.0" | "TLSv1.1" | "SSLv3" | "SSLv2")
            {
                cx.report(Finding::new(&META, v.span(), format!("`{key}` lets `{domain}` use {}", version.trim())));
            }
        }
    }
}
