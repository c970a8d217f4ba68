//! Flags an HTML response without an enforced `Content-Security-Policy` header (a report-only policy is not protection).
//!
//! ## What it checks
//! The `Content-Security-Policy` and `Content-Security-Policy-Report-Only` headers of the final response.
//!
//! ## Why it matters
//! A CSP is the browser's last line against XSS: without one an injected script runs with the page's rights.
//!
//! ## Example
//! ```text
//! (no Content-Security-Policy header)   -- flagged
//! ```
//!
//! ## Remediation
//! Send a strict policy: `Content-Security-Policy: script-src 'nonce-{random}' 'strict-dynamic'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`.
//!
//! ## References
//! - CWE-693
//! - OWASP Top 10 2021, A05
//! - W3C, Content Security Policy Level 3
//! - Mozilla Observatory, CSP test

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/missing-csp",
    title: "No enforced Content Security Policy in the response",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("missing_csp.rs"),
};
