//! Flags a served certificate, other than a self-signed root, signed with SHA-1 or MD5.
//!
//! ## What it checks
//! The signatureAlgorithm of every certificate the server sends (leaf and intermediates), including RSASSA-PSS whose hash parameter is SHA-1 (its default). A self-signed certificate is skipped: a root's own signature is never what a client relies on.
//!
//! ## Why it matters
//! MD5 and SHA-1 collisions are practical (the 2008 rogue CA, SHAttered in 2017, chosen-prefix collisions in 2020): a certificate signed with them can be forged by whoever obtains a matching one. Browsers and rustls reject such certificates.
//!
//! ## Example
//! ```text
//! leaf signed with sha1WithRSAEncryption      -- flagged
//! leaf signed with ecdsa-with-SHA256          -- not flagged
//! self-signed root with sha1WithRSAEncryption -- not flagged
//! ```
//!
//! ## Remediation
//! Have the CA reissue the certificate (and serve its current intermediates) signed with SHA-256 or stronger.
//!
//! ## References
//! - CWE-327
//! - OWASP Top 10 2021, A02
//! - CA/Browser Forum Baseline Requirements, 7.1.3 Algorithm object identifiers

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/certificate-weak-signature",
    title: "TLS certificate signed with SHA-1 or MD5",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[327],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("certificate_weak_signature.rs"),
};
