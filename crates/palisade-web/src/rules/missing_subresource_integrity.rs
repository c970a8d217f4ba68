//! Flags scripts and stylesheets loaded from another origin without an `integrity`
//! attribute (Subresource Integrity).
//!
//! ## What it checks
//! In HTML pages, `<script src>` and `<link rel="stylesheet" href>` whose URL is absolute
//! (`https://…`, `//…`) and that carry no `integrity` attribute. Relative URLs (same origin)
//! and templated URLs are left alone, and so are services whose files change by design and
//! cannot carry a fixed hash (Google Tag Manager and Analytics, Google Fonts CSS, Maps,
//! reCAPTCHA, Stripe.js, PayPal and similar loaders), which palisade lists in this rule.
//! Confidence is medium: an absolute URL may point at the product's own CDN.
//!
//! ## Why it matters
//! A script from a CDN runs with the page's privileges. If the CDN or the package is
//! compromised, every site that includes it runs the attacker's code; `integrity` makes the
//! browser refuse a file whose hash changed.
//!
//! ## Example
//! ```html
//! <script src="https://cdn.jsdelivr.net/npm/chart.js@4.4.0"></script>          <!-- flagged -->
//! <script src="https://cdn.jsdelivr.net/npm/chart.js@4.4.0"
//!         integrity="sha384-…" crossorigin="anonymous"></script>              <!-- not flagged -->
//! ```
//!
//! ## Remediation
//! Add `integrity="sha384-…"` and `crossorigin="anonymous"` (the CDN usually shows the
//! hash), pin the exact version in the URL, or serve the file from your own origin.
//!
//! ## References
//! - CWE-353: Missing Support for Integrity Check
//! - CWE-829: Inclusion of Functionality from Untrusted Control Sphere
//! - OWASP Top 10 2021, A08 Software and Data Integrity Failures
//! - W3C Subresource Integrity

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/missing-subresource-integrity",
    title: "Cross-origin script or stylesheet without integrity",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[353, 829],
    owasp: Owasp::A08,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("missing_subresource_integrity.rs"),
};

/// Reported by the HTML pass ([`crate::html`]).
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };

/// Hosts (and host/path prefixes) whose files change by design: SRI cannot apply.
pub const DYNAMIC: &[&str] = &[
    "www.googletagmanager.com",
    "googletagmanager.com",
    "www.google-analytics.com",
    "ssl.google-analytics.com",
    "fonts.googleapis.com",
    "maps.googleapis.com",
    "maps.google.com",
    "www.google.com/recaptcha",
    "www.gstatic.com/recaptcha",
    "www.recaptcha.net",
    "js.stripe.com",
    "checkout.stripe.com",
    "www.paypal.com",
    "www.paypalobjects.com",
    "js.braintreegateway.com",
    "apis.google.com",
    "accounts.google.com",
    "connect.facebook.net",
    "platform.twitter.com",
    "challenges.cloudflare.com",
    "js.hcaptcha.com",
    "hcaptcha.com",
    "static.cloudflareinsights.com",
    "plausible.io",
    "cdn.segment.com",
    "widget.intercom.io",
    "js.intercomcdn.com",
];
