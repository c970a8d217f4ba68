//! Flags a server whose `require_secure_transport` is OFF (or absent), listing the accounts that do not require TLS themselves.
//!
//! ## What it checks
//! `SELECT @@require_secure_transport` (MariaDB 10.5.2+, MySQL 5.7+) and each account's `ssl_type` (REQUIRE SSL/X509).
//!
//! ## Why it matters
//! Clients that do not ask for TLS (misconfigured drivers, old tools) connect in clear, and an attacker on the path can strip TLS from the negotiation.
//!
//! ## Example
//! ```text
//! require_secure_transport = OFF   -- flagged
//! ```
//!
//! ## Remediation
//! Set `require_secure_transport = ON`, or `ALTER USER … REQUIRE SSL` for every account used over the network.
//!
//! ## References
//! - CWE-319
//! - OWASP Top 10 2021, A02
//! - MySQL 8.0 Reference Manual, Configuring Encrypted Connections as Mandatory

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/secure-transport-not-required",
    title: "Server does not require encrypted connections",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("secure_transport_not_required.rs"),
};
