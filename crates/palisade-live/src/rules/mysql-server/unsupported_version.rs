//! Flags a MySQL or MariaDB server whose release series is past its vendor's end of life, and notes the version it discloses.
//!
//! ## What it checks
//! The version string of the handshake (and `@@version`), against the release series' published end-of-life dates.
//!
//! ## Why it matters
//! Past end of life no security fixes are published: known vulnerabilities of the server stay open.
//!
//! ## Example
//! ```text
//! 5.5.68-MariaDB   -- flagged (MariaDB 5.5, end of life 2020)
//! ```
//!
//! ## Remediation
//! Upgrade to a supported series (MariaDB 10.11 or 11.4 LTS, MySQL 8.0/8.4 LTS).
//!
//! ## References
//! - CWE-1104
//! - OWASP Top 10 2021, A06
//! - MariaDB Server release maintenance policy
//! - Oracle Lifetime Support Policy for MySQL

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/unsupported-version",
    title: "Database server version out of support",
    severity: Severity::High,
    confidence: Confidence::Medium,
    cwe: &[1104],
    owasp: Owasp::A06,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("unsupported_version.rs"),
};
