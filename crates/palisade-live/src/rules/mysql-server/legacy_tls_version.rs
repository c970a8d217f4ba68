//! Flags a server whose `tls_version` still accepts TLS 1.0 or TLS 1.1.
//!
//! ## What it checks
//! The `tls_version` system variable of a server that offers TLS.
//!
//! ## Why it matters
//! TLS 1.0 and 1.1 are deprecated (RFC 8996): weak hashes and CBC constructions, and clients
//! that fall back to them give up the protections of TLS 1.2 and 1.3.
//!
//! ## Example
//! ```text
//! tls_version = TLSv1.1,TLSv1.2,TLSv1.3   -- flagged (MariaDB 10.11's default)
//! ```
//!
//! ## Remediation
//! Set `tls_version = TLSv1.2,TLSv1.3` in the `[mysqld]` section and restart.
//!
//! ## References
//! - CWE-327
//! - OWASP Top 10 2021, A02
//! - RFC 8996, Deprecating TLS 1.0 and TLS 1.1
//! - MariaDB, tls_version system variable

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/legacy-tls-version",
    title: "Database server accepts TLS 1.0 or 1.1",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[327],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("legacy_tls_version.rs"),
};
