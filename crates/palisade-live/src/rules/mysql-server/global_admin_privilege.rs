//! Flags an account other than the local root holding ALL, SUPER, FILE, PROCESS, SHUTDOWN, CREATE USER, GRANT OPTION or an administrative dynamic privilege on `*.*`, or write rights on the `mysql` schema.
//!
//! ## What it checks
//! Every account's grants, read with `SHOW GRANTS FOR` (MySQL 8 and MariaDB 10.11+ syntax), with the privileges of its granted roles added (roles granted to roles too; a granted role counts even when it is not a default role, since `SET ROLE` activates it at any time). On `*.*`: the static privileges above, and the dynamic privileges that each carry part of SUPER's power — on MySQL 8 `SYSTEM_VARIABLES_ADMIN`, `CONNECTION_ADMIN`, `BINLOG_ADMIN`, `ROLE_ADMIN`, `ENCRYPTION_KEY_ADMIN`, `REPLICATION_SLAVE_ADMIN`, `SET_USER_ID`/`SET_ANY_DEFINER`, `SYSTEM_USER` and the other administrative ones; on MariaDB `BINLOG ADMIN`, `CONNECTION ADMIN`, `READ_ONLY ADMIN`, `SET USER`, `REPLICATION MASTER ADMIN` and the like (read-only ones such as `BINLOG MONITOR` are not flagged). On the `mysql` schema (schema grants, also through a wildcard name such as `%`; table grants such as `UPDATE ON mysql.user`; and INSERT, UPDATE, DELETE, CREATE, DROP or ALTER on `*.*`): anything beyond SELECT, which an auditing account needs. The local root, roles themselves and the server's internal accounts (`mariadb.sys`, `mysql.sys`, `mysql.session`, `mysql.infoschema`) are left out. When SHOW GRANTS is refused, the `*_priv` columns of `mysql.user` and `mysql.db` are read instead (without dynamic privileges or roles).
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
    title: "Account holding administrative privileges on every database or on the mysql schema",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[250, 269],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: true,
    options: &[],
    source: include_str!("global_admin_privilege.rs"),
};
