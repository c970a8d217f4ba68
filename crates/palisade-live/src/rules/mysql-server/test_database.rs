//! Flags a `test` database (or `test\_%` databases) left from the installation.
//!
//! ## What it checks
//! `SHOW DATABASES` of the audited server.
//!
//! ## Why it matters
//! Older installations let every account create and fill `test` databases: a place to store data or exhaust disk for anyone who logs in.
//!
//! ## Example
//! ```text
//! test   -- flagged
//! ```
//!
//! ## Remediation
//! `DROP DATABASE test;` and remove the `test\_%` rows from `mysql.db` (what `mariadb-secure-installation` does).
//!
//! ## References
//! - CWE-1188
//! - OWASP Top 10 2021, A05
//! - MariaDB, mariadb-secure-installation

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/test-database",
    title: "Test database present",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[1188],
    owasp: Owasp::A05,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("test_database.rs"),
};
