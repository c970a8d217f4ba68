//! Flags an HTTPS server whose certificate chain does not verify against the webpki roots (or `--ca-file`).
//!
//! ## What it checks
//! The chain the server sends in the TLS handshake, verified as browsers would (issuer, signatures, usage).
//!
//! ## Why it matters
//! Browsers refuse the site or users learn to click through warnings; clients that verify break.
//!
//! ## Example
//! ```text
//! self-signed certificate   -- flagged
//! ```
//!
//! ## Remediation
//! Serve a certificate from a public CA (or your private CA, distributed to the clients) with its full intermediate chain.
//!
//! ## References
//! - CWE-295
//! - OWASP Top 10 2021, A02
//! - OWASP Transport Layer Security Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/certificate-untrusted",
    title: "TLS certificate chain not trusted",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[295],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("certificate_untrusted.rs"),
};
