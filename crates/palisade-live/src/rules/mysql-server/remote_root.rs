//! Flags a `root` account whose host part admits other machines than the server itself.
//!
//! ## What it checks
//! Accounts named `root` whose host is not `localhost`, `127.0.0.1` or `::1`.
//!
//! ## Why it matters
//! The most powerful account becomes a network target: one leaked or guessed password gives full control of every database from anywhere.
//!
//! ## Example
//! ```text
//! 'root'@'%'   -- flagged
//! ```
//!
//! ## Remediation
//! Drop the remote root accounts and administer the server locally or through a named, least-privileged DBA account reachable only from an admin network.
//!
//! ## References
//! - CWE-250
//! - OWASP Top 10 2021, A01
//! - MySQL 8.0 Reference Manual, 6.1.1 Security Guidelines
//! - CIS Oracle MySQL Benchmark, root account host

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/remote-root",
    title: "Root account reachable from remote hosts",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: true,
    options: &[],
    source: include_str!("remote_root.rs"),
};
