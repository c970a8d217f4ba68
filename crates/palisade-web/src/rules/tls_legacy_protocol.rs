//! Flags nginx and Apache configurations that enable SSL 3.0, TLS 1.0 or TLS 1.1.
//!
//! ## What it checks
//! nginx `ssl_protocols` lists that name `SSLv2`, `SSLv3`, `TLSv1` or `TLSv1.1`, and Apache
//! `SSLProtocol` lines whose `+`/`-` words leave one of them enabled (`all` includes TLS 1.0
//! and 1.1 unless they are removed with `-TLSv1 -TLSv1.1`). Reported at the first legacy
//! version. A configuration that does not set the protocols is not flagged: current nginx
//! and httpd default to TLS 1.2 and 1.3. nginx `include`s are followed (a line in a shared
//! snippet is reported once, there); an `ssl_protocols` line of the `http` level (or a
//! file's top) that every TLS server of that level replaces with its own, directly or in
//! an included file, or may replace in an included file that is not in the scan, is low
//! confidence (Debian's stock `nginx.conf` keeps TLS 1.0/1.1 there).
//!
//! ## Why it matters
//! TLS 1.0 and 1.1 rely on SHA-1 and CBC constructions with known attacks (BEAST, Lucky 13),
//! SSL 3.0 is broken by POODLE, and all of them allow downgrade attempts. Browsers stopped
//! supporting TLS 1.0/1.1 in 2020 (RFC 8996 deprecates them), so enabling them only helps
//! attackers and outdated clients.
//!
//! ## Example
//! ```text
//! ssl_protocols TLSv1 TLSv1.1 TLSv1.2;        # flagged
//! ssl_protocols TLSv1.2 TLSv1.3;              # not flagged
//! SSLProtocol all -SSLv3                      # flagged (TLS 1.0 and 1.1 stay on)
//! SSLProtocol -all +TLSv1.2 +TLSv1.3          # not flagged
//! ```
//!
//! ## Remediation
//! `ssl_protocols TLSv1.2 TLSv1.3;` (nginx) or `SSLProtocol -all +TLSv1.2 +TLSv1.3` (Apache),
//! as in Mozilla's "intermediate" server configuration.
//!
//! ## References
//! - CWE-326: Inadequate Encryption Strength
//! - CWE-757: Selection of Less-Secure Algorithm During Negotiation
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - RFC 8996, Deprecating TLS 1.0 and TLS 1.1
//! - Mozilla, Server Side TLS guidelines

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/tls-legacy-protocol",
    title: "Web server enables TLS 1.0/1.1 or SSL",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[326, 757],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("tls_legacy_protocol.rs"),
};

/// Reported by the server configuration pass ([`crate::server_tls`]).
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
