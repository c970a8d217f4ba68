//! Flags a server whose `local_infile` system variable is ON.
//!
//! ## What it checks
//! `SELECT @@local_infile` on the audited server.
//!
//! ## Why it matters
//! With LOCAL enabled, a malicious or compromised server can read files from connecting clients, and an SQL injection can load attacker-chosen files; the checklists turn it off unless needed.
//!
//! ## Example
//! ```text
//! local_infile = ON   -- flagged
//! ```
//!
//! ## Remediation
//! Set `local_infile = 0` in the server configuration (`[mysqld]`) and restart.
//!
//! ## References
//! - CWE-73
//! - OWASP Top 10 2021, A05
//! - MySQL 8.0 Reference Manual, 6.1.6 Security Considerations for LOAD DATA LOCAL
//! - CIS Oracle MySQL Benchmark, local_infile

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/local-infile-enabled",
    title: "LOAD DATA LOCAL INFILE enabled on the server",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[73],
    owasp: Owasp::A05,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("local_infile_enabled.rs"),
};
