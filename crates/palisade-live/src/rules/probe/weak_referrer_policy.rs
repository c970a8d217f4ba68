//! Flags a response with no `Referrer-Policy`, or one that sends full URLs to other sites (`unsafe-url`, `no-referrer-when-downgrade`, `origin-when-cross-origin` over HTTP).
//!
//! ## What it checks
//! The Referrer-Policy header of the final response.
//!
//! ## Why it matters
//! Paths and query strings (reset tokens, search terms, ids) leak to third-party sites through the Referer header.
//!
//! ## Example
//! ```text
//! Referrer-Policy: unsafe-url   -- flagged
//! ```
//!
//! ## Remediation
//! `Referrer-Policy: strict-origin-when-cross-origin` (or `no-referrer`).
//!
//! ## References
//! - CWE-200
//! - OWASP Top 10 2021, A05
//! - Mozilla Observatory, Referrer Policy test

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/weak-referrer-policy",
    title: "Referrer-Policy missing or leaking full URLs",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[200],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("weak_referrer_policy.rs"),
};
