//! Flags App Transport Security switched off for all connections, web content or media.
//!
//! ## What it checks
//! In an `Info.plist`'s `NSAppTransportSecurity` dictionary:
//! - `NSAllowsArbitraryLoads` = true (*high*): ATS is off for every connection. When the
//!   same dictionary also sets `NSAllowsArbitraryLoadsInWebContent`,
//!   `NSAllowsArbitraryLoadsForMedia` or `NSAllowsLocalNetworking`, iOS 10+ ignores
//!   `NSAllowsArbitraryLoads`, so the finding is *low* (it still applies to iOS 9);
//! - `NSAllowsArbitraryLoadsInWebContent` = true (*medium*): web views may load anything;
//! - `NSAllowsArbitraryLoadsForMedia` = true (*low*).
//!
//! `NSAllowsLocalNetworking` alone, and false values, are not reported.
//!
//! ## Why it matters
//! ATS makes every `URLSession` connection use HTTPS with TLS 1.2+ and forward secrecy.
//! Turning it off lets the app talk plain HTTP, where anyone on the network path can read
//! and change the traffic (CWE-319).
//!
//! ## Example
//! ```xml
//! <key>NSAppTransportSecurity</key>
//! <dict>
//!     <key>NSAllowsArbitraryLoads</key><true/>      <!-- flagged -->
//! </dict>
//! ```
//!
//! ## Remediation
//! Remove the key and serve everything over HTTPS; if one legacy host needs an exception,
//! add it under `NSExceptionDomains` only.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - Apple: NSAppTransportSecurity; OWASP MASVS-NETWORK-1

use crate::ios::plist::{Plist, PlistKind};
use crate::rules::PlistRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ios/ats-arbitrary-loads",
    title: "App Transport Security disabled",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("ats_arbitrary_loads.rs"),
};

pub static RULE: PlistRule = PlistRule {
    meta: &META,
    kind: PlistKind::Info,
    check,
};

fn check(plist: &Plist, cx: &mut FileContext<'_>) {
    let Some((_, ats)) = plist.root.get("NSAppTransportSecurity") else {
        return;
    };
    let on = |key: &str| ats.get(key).filter(|(_, v)| v.as_bool() == Some(true));
    let overridden = on("NSAllowsArbitraryLoadsInWebContent").is_some()
        || on("NSAllowsArbitraryLoadsForMedia").is_some()
        || on("NSAllowsLocalNetworking").is_some();
    if let Some((span, _)) = on("NSAllowsArbitraryLoads") {
        let mut f = Finding::new(&META, span, "`NSAllowsArbitraryLoads` turns App Transport Security off: plain HTTP is allowed to every host");
        if overridden {
            f = f.with_severity(Severity::Low);
            f.message.push_str(" (iOS 10+ ignores it because a finer NSAllows… key is set; iOS 9 does not)");
        }
        cx.report(f);
    }
    if let Some((span, _)) = on("NSAllowsArbitraryLoadsInWebContent") {
        cx.report(
            Finding::new(&META, span, "`NSAllowsArbitraryLoadsInWebContent`: web views may load plain HTTP content")
                .with_severity(Severity::Medium),
        );
    }
    if let Some((span, _)) = on("NSAllowsArbitraryLoadsForMedia") {
        cx.report(
            Finding::new(&META, span, "`NSAllowsArbitraryLoadsForMedia`: media may be loaded over plain HTTP")
                .with_severity(Severity::Low),
        );
    }
}
