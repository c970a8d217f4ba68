//! Flags an account other than the local root holding ALL, SUPER, FILE, PROCESS, SHUTDOWN or GRANT OPTION on `*.*`.
//!
//! ## What it checks
//! Global privileges (the `*_priv` columns of `mysql.user`) of every account except `root` on the server's own host and the server's internal accounts (`mariadb.sys`, `mysql.sys`, `mysql.session`, `mysql.infoschema`), and write rights on the `mysql` schema itself (`mysql.db`: UPDATE, INSERT, DELETE, … on `mysql.*` rewrite every account; SELECT alone, which an auditing account needs, is not flagged).
//!
//! ## Why it matters
//! Application accounts need rights on their own schema only. FILE reads and writes server files, PROCESS shows every session's queries, SUPER and SHUTDOWN stop or reconfigure the server, GRANT OPTION hands rights on: one SQL injection in the application becomes control of the server.
//!
//! ## Example
//! ```text
//! GRANT ALL PRIVILEGES ON *.* TO 'app'@'10.0.%' WITH GRANT OPTION;   -- flagged
//! ```
//!
//! ## Remediation
//! Grant the application only what it uses on its own schema (`GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'app'@'10.0.%'`), and keep administrative rights on named DBA accounts.
//!
//! ## References
//! - CWE-250
//! - CWE-269
//! - OWASP Top 10 2021, A01
//! - MySQL 8.0 Reference Manual, 6.2.2 Privileges Provided by MySQL
//! - CIS Oracle MySQL Benchmark, section 4 (privileges)

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/global-admin-privilege",
    title: "Account holding administrative privileges on every database",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[250, 269],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: true,
    options: &[],
    source: include_str!("global_admin_privilege.rs"),
};
