//! Flags a MySQL/MariaDB account that logs in with an empty password.
//!
//! ## What it checks
//! `mysql.user` (MariaDB: `mysql.global_priv`) rows whose authentication string is empty for a password plugin, read by a live audit (`palisade mysql`).
//!
//! ## Why it matters
//! Anyone who can reach the server and guess the user name is logged in. Scanners try empty passwords first.
//!
//! ## Example
//! ```text
//! CREATE USER 'app'@'%';   -- flagged: no IDENTIFIED BY
//! ```
//!
//! ## Remediation
//! Set a strong password (`ALTER USER 'app'@'%' IDENTIFIED BY '…'`), or lock the account (`ACCOUNT LOCK`) if it is unused.
//!
//! ## References
//! - CWE-521
//! - OWASP Top 10 2021, A07
//! - MySQL 8.0 Reference Manual, 6.1.1 Security Guidelines
//! - MariaDB, Securing MariaDB (mariadb-secure-installation)

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/empty-password",
    title: "Database account without a password",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[521],
    owasp: Owasp::A07,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("empty_password.rs"),
};
