//! Flags an account authenticated by `mysql_old_password` (or `mysql_native_password` on MySQL 8.4 and later).
//!
//! ## What it checks
//! The `plugin` of each account in the user table, against the server's version.
//!
//! ## Why it matters
//! `mysql_old_password` hashes are broken (pre-4.1 scramble) and let anyone who sees the handshake or the hash log in; `mysql_native_password` is unsalted SHA-1, deprecated and disabled by default since MySQL 8.4.
//!
//! ## Example
//! ```text
//! 'legacy'@'localhost' IDENTIFIED WITH mysql_old_password   -- flagged
//! ```
//!
//! ## Remediation
//! Re-create the password with a current plugin: `ALTER USER … IDENTIFIED VIA ed25519` on MariaDB, `IDENTIFIED WITH caching_sha2_password` on MySQL 8.
//!
//! ## References
//! - CWE-916
//! - CWE-327
//! - OWASP Top 10 2021, A02
//! - MySQL 8.4 Reference Manual, Native Pluggable Authentication (deprecated)
//! - MariaDB, Authentication Plugin - mysql_old_password

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/insecure-auth-plugin",
    title: "Account using a legacy authentication plugin",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[916, 327],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("insecure_auth_plugin.rs"),
};
