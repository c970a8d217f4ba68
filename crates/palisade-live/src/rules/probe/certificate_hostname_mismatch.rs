//! Flags a certificate whose subject alternative names do not cover the probed host.
//!
//! ## What it checks
//! The verification of the leaf certificate's names against the URL's host.
//!
//! ## Why it matters
//! Clients that verify refuse the connection; clients that do not verify cannot tell the site from an impostor.
//!
//! ## Example
//! ```text
//! certificate for www.example.com served at shop.example.com   -- flagged
//! ```
//!
//! ## Remediation
//! Serve a certificate naming every host the server answers for (SAN entries).
//!
//! ## References
//! - CWE-297
//! - OWASP Top 10 2021, A02

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/certificate-hostname-mismatch",
    title: "TLS certificate not valid for the host name",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[297],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("certificate_hostname_mismatch.rs"),
};
