//! Flags a site whose `http://` address serves content, or redirects elsewhere than `https://` on the same host.
//!
//! ## What it checks
//! The answer to a GET of the `http://` variant of the URL (port 80 when the HTTPS URL uses the default port, or the URL as given).
//!
//! ## Why it matters
//! Users who type the bare name land on plain HTTP: an attacker on the network can serve them anything (SSL stripping).
//!
//! ## Example
//! ```text
//! GET http://shop.example/ → 200 OK   -- flagged
//! ```
//!
//! ## Remediation
//! Answer every plain HTTP request with a 301 to the same path on `https://` of the same host, and add HSTS.
//!
//! ## References
//! - CWE-319
//! - OWASP Top 10 2021, A02
//! - Mozilla Observatory, redirection test
//! - OWASP Transport Layer Security Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/no-https-redirect",
    title: "Plain HTTP is not redirected to HTTPS on the same host",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("no_https_redirect.rs"),
};
