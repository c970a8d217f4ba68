//! Flags App Transport Security exceptions that allow plain HTTP to a domain.
//!
//! ## What it checks
//! Each domain under `NSAppTransportSecurity` → `NSExceptionDomains` with
//! `NSExceptionAllowsInsecureHTTPLoads` or `NSTemporaryExceptionAllowsInsecureHTTPLoads`
//! set to true (*medium*; *low* for `localhost` and `.local` names), and
//! `NSThirdPartyExceptionAllowsInsecureHTTPLoads` (*medium*).
//!
//! ## Why it matters
//! Requests to that domain may go over plain HTTP, readable and changeable by anyone on the
//! network path (CWE-319).
//!
//! ## Example
//! ```xml
//! <key>api.shop.example</key>
//! <dict>
//!     <key>NSExceptionAllowsInsecureHTTPLoads</key><true/>    <!-- flagged -->
//! </dict>
//! ```
//!
//! ## Remediation
//! Serve the domain over HTTPS and delete the exception.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - Apple: NSExceptionDomains; OWASP MASVS-NETWORK-1

use crate::ios::plist::{Plist, PlistKind};
use crate::rules::PlistRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ios/ats-insecure-http-exception",
    title: "App Transport Security exception allows plain HTTP",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("ats_insecure_http_exception.rs"),
};

pub static RULE: PlistRule = PlistRule {
    meta: &META,
    kind: PlistKind::Info,
    check,
};

const KEYS: &[&str] = &[
    "NSExceptionAllowsInsecureHTTPLoads",
    "NSTemporaryExceptionAllowsInsecureHTTPLoads",
    "NSThirdPartyExceptionAllowsInsecureHTTPLoads",
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
            if let Some((span, v)) = settings.get(key)
                && v.as_bool() == Some(true)
            {
                let local = domain == "localhost" || domain.ends_with(".local") || domain == "onion" || domain.ends_with(".onion") || palisade_knowledge::hosts::is_loopback(domain);
                let mut f = Finding::new(&META, span, format!("`{key}` allows plain HTTP to `{domain}`"));
                if local {
                    f = f.with_severity(Severity::Low);
                }
                cx.report(f);
            }
        }
    }
}
