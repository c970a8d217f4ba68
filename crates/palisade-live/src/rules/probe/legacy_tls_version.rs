//! Flags an HTTPS server that still accepts TLS 1.0 or TLS 1.1.
//!
//! ## What it checks
//! The probe offers each old version alone in a hand-built ClientHello (rustls never speaks
//! them) and reads whether the server answers with a ServerHello at that version.
//!
//! ## Why it matters
//! TLS 1.0 and 1.1 are deprecated (RFC 8996): CBC and SHA-1 constructions with known
//! attacks, and no current browser needs them. Accepting them lets a downgraded or outdated
//! client connect with weak protection, and fails PCI DSS.
//!
//! ## Example
//! ```text
//! ssl_protocols TLSv1 TLSv1.1 TLSv1.2;   # nginx, flagged
//! ```
//!
//! ## Remediation
//! Accept only TLS 1.2 and 1.3 (`ssl_protocols TLSv1.2 TLSv1.3;`, `SSLProtocol -all +TLSv1.2
//! +TLSv1.3`).
//!
//! ## References
//! - CWE-327
//! - OWASP Top 10 2021, A02
//! - RFC 8996, Deprecating TLS 1.0 and TLS 1.1
//! - Mozilla Server Side TLS guidelines

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/legacy-tls-version",
    title: "HTTPS server accepts TLS 1.0 or 1.1",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[327],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("legacy_tls_version.rs"),
};
