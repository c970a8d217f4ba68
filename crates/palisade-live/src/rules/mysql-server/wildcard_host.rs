//! Flags an account whose host part is `%` or a pattern with wildcards.
//!
//! ## What it checks
//! Accounts whose host contains `%` or `_` (the patterns MySQL matches against the client's address).
//!
//! ## Why it matters
//! The account's password is the only barrier against every machine that can reach the port; a host restriction limits where a leaked password works.
//!
//! ## Example
//! ```text
//! 'app'@'%'   -- flagged
//! ```
//!
//! ## Remediation
//! Name the application hosts or their subnet (`'app'@'10.0.1.%'` is still a pattern, but a narrow one; prefer exact addresses), and firewall the port.
//!
//! ## References
//! - CWE-284
//! - OWASP Top 10 2021, A01
//! - MySQL 8.0 Reference Manual, 6.2.4 Specifying Account Names

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/wildcard-host",
    title: "Database account allowed from any host",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[284],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: true,
    options: &[],
    source: include_str!("wildcard_host.rs"),
};
