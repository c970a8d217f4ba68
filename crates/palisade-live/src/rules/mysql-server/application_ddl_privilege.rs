//! Flags an account holding DDL rights (CREATE, DROP, ALTER, INDEX, TRIGGER, EVENT, routines, views, or ALL PRIVILEGES) on an application schema.
//!
//! ## What it checks
//! Schema- and table-level grants read with `SHOW GRANTS FOR` every account, including those that reach the account through granted roles (MySQL 8 and MariaDB roles, resolved transitively). Accounts already reported for ALL PRIVILEGES on `*.*`, roles themselves, the local root and the server's internal accounts are left out. DDL on `*.*` is reported by `mysql-server/global-admin-privilege`, since it covers the `mysql` schema.
//!
//! ## Why it matters
//! The account an application connects with should read and write rows, not change the schema: with DROP or ALTER, one SQL injection drops or rewrites the tables, and TRIGGER, EVENT or CREATE ROUTINE plant code that runs later with the definer's rights. Migrations belong to a separate account used only at deploy time. This cannot tell an application account from a migration account by name, so it is a medium-confidence finding to review.
//!
//! ## Example
//! ```text
//! GRANT ALL PRIVILEGES ON shop.* TO 'shop'@'10.0.%';                   -- flagged
//! GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'shop'@'10.0.%';   -- not flagged
//! ```
//!
//! ## Remediation
//! Give the application `SELECT, INSERT, UPDATE, DELETE` (and EXECUTE if it calls routines) on its schema, and run migrations with a separate account whose credentials the running application does not have.
//!
//! ## References
//! - CWE-250
//! - CWE-269
//! - OWASP Top 10 2021, A01
//! - MySQL 8.0 Reference Manual, 8.2.2 Privileges Provided by MySQL
//! - CIS Oracle MySQL Benchmark, section 4 (privileges)

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "mysql-server/application-ddl-privilege",
    title: "Account with DDL rights on an application schema",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[250, 269],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: true,
    options: &[],
    source: include_str!("application_ddl_privilege.rs"),
};
