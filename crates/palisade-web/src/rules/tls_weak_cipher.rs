//! Flags nginx and Apache cipher lists that enable broken or unauthenticated cipher suites.
//!
//! ## What it checks
//! nginx `ssl_ciphers` and Apache `SSLCipherSuite` strings (OpenSSL syntax). A suite or
//! family that gives no encryption or authentication (`NULL`, `eNULL`, `aNULL`, `ADH`,
//! `AECDH`), export-grade keys (`EXPORT`, `EXP-…`), broken primitives (`RC4`, `RC2`, `MD5`,
//! `DES`, `3DES`/`DES-CBC3`, `IDEA`), `LOW`, or `ALL` is flagged when the string adds it and
//! does not remove it with `!`/`-`. Names are matched by their parts, so `EDH` or
//! `ECDHE-RSA-AES128-GCM-SHA256` are not mistaken for DES or export suites. nginx `include`s
//! are followed; an `http`-level `ssl_ciphers` that every TLS server of that level replaces
//! (or may replace in an included file that is not in the scan) is low confidence.
//!
//! ## Why it matters
//! A client and server negotiate the best suite both accept, but an active attacker can
//! push them towards a weak one, and some clients prefer what the server lists first. RC4
//! and 3DES (Sweet32) leak plaintext; NULL and anonymous suites give no confidentiality or
//! no server authentication at all.
//!
//! ## Example
//! ```text
//! ssl_ciphers HIGH:!aNULL:RC4-SHA;                          # flagged: RC4
//! ssl_ciphers ALL:!aNULL;                                   # flagged: ALL brings RC4, 3DES …
//! ssl_ciphers HIGH:!aNULL:!MD5;                             # not flagged
//! ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256;  # not flagged
//! ```
//!
//! ## Remediation
//! Use Mozilla's "intermediate" list (ECDHE key exchange with AES-GCM or ChaCha20-Poly1305),
//! or leave the cipher list at the server's modern default.
//!
//! ## References
//! - CWE-327: Use of a Broken or Risky Cryptographic Algorithm
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - RFC 7465, Prohibiting RC4 Cipher Suites
//! - Bhargavan and Leurent, "Sweet32", ACM CCS 2016
//! - Mozilla, Server Side TLS guidelines

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/tls-weak-cipher",
    title: "Web server enables weak TLS cipher suites",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[327],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("tls_weak_cipher.rs"),
};

/// Reported by the server configuration pass ([`crate::server_tls`]).
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
