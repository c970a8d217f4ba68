//! Flags a server whose handshake does not offer TLS, so passwords and data cross the network in clear.
//!
//! ## What it checks
//! The capability flags of the server's handshake (CLIENT_SSL) as `palisade mysql` connects.
//!
//! ## Why it matters
//! Without TLS, anyone on the path reads queries and results and can take over sessions; with the old plugins even the password is recoverable.
//!
//! ## Example
//! ```text
//! mariadbd started without ssl_cert / ssl_key   -- flagged
//! ```
//!
//! ## Remediation
//! Configure `ssl_cert`, `ssl_key` (and `ssl_ca`) and require TLS (`require_secure_transport = ON`, or `REQUIRE SSL` per account).
//!
//! ## References
//! - CWE-319
//! - OWASP Top 10 2021, A02
//! - MySQL 8.0 Reference Manual, 6.3 Using Encrypted Connections
//! - MariaDB, Securing Connections for Client and Server

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/tls-not-offered",
    title: "Database server does not offer TLS",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("tls_not_offered.rs"),
};
