//! Lists the custom URL schemes an app registers: an inventory of its deep-link entry points.
//!
//! ## What it checks
//! Each scheme of `CFBundleURLTypes` → `CFBundleURLSchemes` in an `Info.plist` (*info*).
//! Schemes that are only a bundle-id-derived placeholder (`$(PRODUCT_BUNDLE_IDENTIFIER)`)
//! and the reversed-client-id schemes of Google Sign-In (`com.googleusercontent.apps.…`)
//! and Facebook login (`fb<digits>`) are reported too: every scheme is an entry point.
//!
//! ## Why it matters
//! Any app — and any web page — can open a custom scheme URL, and any other app can
//! register the same scheme and receive the URLs meant for this one (no ownership check,
//! unlike universal links). Each handler must validate its input and must never receive
//! secrets such as OAuth codes without PKCE (CWE-939, CWE-940).
//!
//! ## Example
//! ```xml
//! <key>CFBundleURLSchemes</key>
//! <array><string>shopapp</string></array>     <!-- reported, info -->
//! ```
//!
//! ## Remediation
//! Prefer universal links (associated domains) for links that carry data; validate every
//! parameter in the scheme handler; use PKCE for OAuth redirects.
//!
//! ## References
//! - CWE-939: Improper Authorization in Handler for Custom URL Scheme
//! - Apple: Defining a custom URL scheme for your app; OWASP MASVS-PLATFORM-1

use crate::ios::plist::{Plist, PlistKind};
use crate::rules::PlistRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ios/custom-url-scheme",
    title: "Custom URL scheme registered",
    severity: Severity::Info,
    confidence: Confidence::High,
    cwe: &[939],
    owasp: Owasp::A04,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("custom_url_scheme.rs"),
};

pub static RULE: PlistRule = PlistRule {
    meta: &META,
    kind: PlistKind::Info,
    check,
};

fn check(plist: &Plist, cx: &mut FileContext<'_>) {
    let Some((_, types)) = plist.root.get("CFBundleURLTypes") else {
        return;
    };
    for t in types.items() {
        let Some((_, schemes)) = t.get("CFBundleURLSchemes") else {
            continue;
        };
        for s in schemes.items() {
            if let Some(scheme) = s.as_str() {
                cx.report(Finding::new(
                    &META,
                    s.span(),
                    format!("the app handles `{}://` URLs: any app or web page can open them, and another app can claim the scheme", scheme.trim()),
                ));
            }
        }
    }
}
