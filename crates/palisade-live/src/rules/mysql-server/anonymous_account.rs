//! Flags an account whose user name is empty (an anonymous account).
//!
//! ## What it checks
//! Accounts `''@host` in the server's user table.
//!
//! ## Why it matters
//! An anonymous account matches any user name: anyone reaching the server logs in with its privileges, and it can shadow named accounts from the same host.
//!
//! ## Example
//! ```text
//! ''@'localhost'   -- flagged
//! ```
//!
//! ## Remediation
//! `DROP USER ''@'localhost';` (what `mariadb-secure-installation` does).
//!
//! ## References
//! - CWE-287
//! - OWASP Top 10 2021, A07
//! - MySQL 8.0 Reference Manual, 2.9.4 Securing the Initial MySQL Account
//! - MariaDB, mariadb-secure-installation

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/anonymous-account",
    title: "Anonymous database account",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[287],
    owasp: Owasp::A07,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("anonymous_account.rs"),
};
