//! Flags a server whose `secure_file_priv` is empty: LOAD DATA, SELECT … INTO OUTFILE and LOAD_FILE() work on every file the server can reach.
//!
//! ## What it checks
//! `SELECT @@secure_file_priv` on the audited server (NULL disables file operations, a folder confines them; empty allows all).
//!
//! ## Why it matters
//! An account with FILE (or an SQL injection through one) can read `/etc/passwd`, other databases' files, or write web shells into a served folder.
//!
//! ## Example
//! ```text
//! secure_file_priv =     -- flagged (empty)
//! ```
//!
//! ## Remediation
//! Set `secure_file_priv` to a dedicated empty folder, or to NULL when the application imports and exports nothing.
//!
//! ## References
//! - CWE-73
//! - OWASP Top 10 2021, A05
//! - MySQL 8.0 Reference Manual, secure_file_priv
//! - CIS Oracle MySQL Benchmark, secure_file_priv

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/secure-file-priv-empty",
    title: "secure_file_priv lets the server read and write any file",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[73],
    owasp: Owasp::A05,
    recommendation: Recommendation::Mysql,
    needs_network: true,
    options: &[],
    source: include_str!("secure_file_priv_empty.rs"),
};
