//! Flags an expired certificate, and warns (medium) when it expires within 30 days.
//!
//! ## What it checks
//! The notAfter date of the server's leaf certificate, against the scan's clock.
//!
//! ## Why it matters
//! An expired certificate breaks every client; one about to expire shows that renewal is not automated.
//!
//! ## Example
//! ```text
//! notAfter: 2026-12-10 (8 days left)   -- flagged
//! ```
//!
//! ## Remediation
//! Renew automatically (ACME) well before expiry and monitor the date.
//!
//! ## References
//! - CWE-298
//! - OWASP Top 10 2021, A02

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/certificate-expired",
    title: "TLS certificate expired or expiring within 30 days",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[298],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("certificate_expired.rs"),
};
