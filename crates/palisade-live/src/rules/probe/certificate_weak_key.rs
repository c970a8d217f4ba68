//! Flags a served certificate whose public key is too small: RSA or DSA under 2048 bits, EC under 256 bits.
//!
//! ## What it checks
//! The SubjectPublicKeyInfo of every certificate the server sends in the TLS handshake (the leaf and the intermediates it serves).
//!
//! ## Why it matters
//! A 1024-bit RSA key is within reach of a well-funded attacker, and the CA/Browser Forum has required 2048 bits since 2014: browsers and current TLS libraries (rustls among them) refuse the handshake, so the site is both weak and broken for modern clients.
//!
//! ## Example
//! ```text
//! leaf certificate: 1024-bit RSA key   -- flagged
//! leaf certificate: P-256 EC key       -- not flagged
//! ```
//!
//! ## Remediation
//! Issue the certificate for a new RSA key of at least 2048 bits (3072 for a long life) or an ECDSA P-256/P-384 key, and replace intermediates with their current versions from the CA.
//!
//! ## References
//! - CWE-326
//! - OWASP Top 10 2021, A02
//! - CA/Browser Forum Baseline Requirements, 6.1.5 Key sizes
//! - NIST SP 800-131A Rev. 2

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/certificate-weak-key",
    title: "TLS certificate with an RSA key under 2048 bits or an EC key under 256 bits",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[326],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("certificate_weak_key.rs"),
};
