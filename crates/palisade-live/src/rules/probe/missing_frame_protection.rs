//! Flags a response with neither a CSP `frame-ancestors` directive nor `X-Frame-Options: DENY/SAMEORIGIN`.
//!
//! ## What it checks
//! The enforced CSP headers and X-Frame-Options of the final response.
//!
//! ## Why it matters
//! A page any site can frame is open to clickjacking: the user clicks what an invisible overlay hides.
//!
//! ## Example
//! ```text
//! (no frame-ancestors, no X-Frame-Options)   -- flagged
//! ```
//!
//! ## Remediation
//! `Content-Security-Policy: frame-ancestors 'none'` (or `'self'`), with `X-Frame-Options: DENY` for old browsers.
//!
//! ## References
//! - CWE-1021
//! - OWASP Top 10 2021, A05
//! - Mozilla Observatory, X-Frame-Options test

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/missing-frame-protection",
    title: "Page can be framed by any site",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1021],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("missing_frame_protection.rs"),
};
