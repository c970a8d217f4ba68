//! Flags a response without `X-Content-Type-Options: nosniff`.
//!
//! ## What it checks
//! The header of the final response.
//!
//! ## Why it matters
//! Without it browsers may sniff an uploaded text or image file as script or HTML and run it.
//!
//! ## Example
//! ```text
//! (no X-Content-Type-Options header)   -- flagged
//! ```
//!
//! ## Remediation
//! Send `X-Content-Type-Options: nosniff` on every response.
//!
//! ## References
//! - CWE-693
//! - OWASP Top 10 2021, A05
//! - Mozilla Observatory, X-Content-Type-Options test

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/missing-content-type-options",
    title: "No X-Content-Type-Options: nosniff",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("missing_content_type_options.rs"),
};
