//! Flags an HTTPS response without `Strict-Transport-Security`, or with a max-age under one year.
//!
//! ## What it checks
//! The HSTS header of the final HTTPS response: present, `max-age` ≥ 31536000; `includeSubDomains` and `preload` are noted.
//!
//! ## Why it matters
//! Without HSTS a browser still tries plain HTTP first for links and typed names, which an attacker can intercept; a short max-age lets the protection lapse.
//!
//! ## Example
//! ```text
//! Strict-Transport-Security: max-age=3600   -- flagged
//! ```
//!
//! ## Remediation
//! `Strict-Transport-Security: max-age=63072000; includeSubDomains` (add `preload` once every subdomain serves HTTPS).
//!
//! ## References
//! - CWE-319
//! - CWE-523
//! - OWASP Top 10 2021, A02
//! - RFC 6797
//! - Mozilla Observatory, HSTS test

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/missing-hsts",
    title: "No Strict-Transport-Security of at least one year",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[319, 523],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("missing_hsts.rs"),
};
