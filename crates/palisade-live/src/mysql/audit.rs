//! The checks of a database audit, over what the read-only queries returned.

use super::proto::{Conn, ResultSet};
use crate::rules::mysql_server as r;
use palisade_core::date::Date;
use palisade_core::{Finding, Severity};

/// Accounts the server creates for itself (locked, used by its own views and procedures).
const INTERNAL_ACCOUNTS: &[&str] = &[
    "mariadb.sys",
    "mysql.sys",
    "mysql.session",
    "mysql.infoschema",
];

/// The privileges the grants matrix shows, in its column order.
pub const MATRIX_PRIVILEGES: &[&str] = &[
    "ALL PRIVILEGES",
    "SUPER",
    "FILE",
    "PROCESS",
    "SHUTDOWN",
    "GRANT OPTION",
];

/// The grants matrix: every account (roles and the server's internal accounts left out) ×
/// the dangerous global privileges it holds, as text lines.
pub fn matrix_text(facts: &ServerFacts) -> String {
    let accounts: Vec<&Account> = facts
        .accounts
        .iter()
        .filter(|a| !a.is_role && !INTERNAL_ACCOUNTS.contains(&a.user.as_str()))
        .collect();
    let width = accounts
        .iter()
        .map(|a| a.name().chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!("{:width$}", "account");
    for p in MATRIX_PRIVILEGES {
        out.push_str(&format!("  {p}"));
    }
    out.push('\n');
    for a in accounts {
        out.push_str(&format!("{:width$}", a.name()));
        let all = a.dangerous.contains(&"ALL PRIVILEGES");
        for p in MATRIX_PRIVILEGES {
            let held = all || a.dangerous.contains(p);
            let cell = if held { "x" } else { "." };
            out.push_str(&format!("  {cell:^w$}", w = p.len()));
        }
        out.push('\n');
    }
    out
}

/// The grants matrix as JSON: `[{"account", "user", "host", "privileges": [...]}]`.
pub fn matrix_json(facts: &ServerFacts) -> Vec<(String, String, String, Vec<&'static str>)> {
    facts
        .accounts
        .iter()
        .filter(|a| !a.is_role && !INTERNAL_ACCOUNTS.contains(&a.user.as_str()))
        .map(|a| {
            let privileges = if a.dangerous.contains(&"ALL PRIVILEGES") {
                MATRIX_PRIVILEGES.to_vec()
            } else {
                a.dangerous.clone()
            };
            (a.name(), a.user.clone(), a.host.clone(), privileges)
        })
        .collect()
}

/// One row of the user table, as the checks need it.
#[derive(Clone, Debug, Default)]
pub struct Account {
    pub user: String,
    pub host: String,
    pub plugin: String,
    /// The stored hash is empty (no password) for a password plugin.
    pub empty_password: bool,
    /// An old (pre-4.1, 16 hex digits) hash in MariaDB's Password column.
    pub old_hash: bool,
    pub locked: bool,
    pub is_role: bool,
    pub ssl_type: String,
    /// Dangerous global privileges it holds (`ALL PRIVILEGES` when it holds every one).
    pub dangerous: Vec<&'static str>,
}

impl Account {
    pub fn name(&self) -> String {
        format!("'{}'@'{}'", self.user, self.host)
    }
}

/// What the audit read from the server.
#[derive(Clone, Debug, Default)]
pub struct ServerFacts {
    pub version: String,
    pub hostname: String,
    pub offers_tls: bool,
    pub tls_protocol: Option<String>,
    pub variables: Vec<(String, String)>,
    pub accounts: Vec<Account>,
    pub databases: Vec<String>,
    /// Schema-level grants on the `mysql` schema: (account, privileges).
    pub mysql_schema_grants: Vec<(String, String, Vec<String>)>,
    /// Queries that failed (missing privileges): reported as notices.
    pub unreadable: Vec<String>,
}

impl ServerFacts {
    pub fn var(&self, name: &str) -> Option<&str> {
        self.variables
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn is_mariadb(&self) -> bool {
        self.version.to_ascii_lowercase().contains("mariadb")
    }
}

const PRIVS: &[(&str, &str)] = &[
    ("Super_priv", "SUPER"),
    ("File_priv", "FILE"),
    ("Process_priv", "PROCESS"),
    ("Shutdown_priv", "SHUTDOWN"),
    ("Grant_priv", "GRANT OPTION"),
];

/// Runs the read-only queries.
pub fn collect(conn: &mut Conn) -> ServerFacts {
    let mut facts = ServerFacts {
        version: conn.hello.version.clone(),
        offers_tls: conn.hello.offers_tls,
        tls_protocol: conn.tls.as_ref().map(|t| t.protocol.clone()),
        ..ServerFacts::default()
    };
    match conn.query(
        "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version', 'hostname', 'local_infile', 'secure_file_priv', 'require_secure_transport', 'tls_version', 'have_ssl', 'skip_name_resolve')",
    ) {
        Ok(rs) => {
            for row in rs.rows {
                if let [Some(n), v] = row.as_slice() {
                    facts
                        .variables
                        .push((n.to_ascii_lowercase(), v.clone().unwrap_or_else(|| "NULL".into())));
                }
            }
        }
        Err(e) => facts.unreadable.push(format!("server variables: {e}")),
    }
    if let Some(v) = facts.var("version") {
        facts.version = v.to_string();
    }
    facts.hostname = facts.var("hostname").unwrap_or_default().to_string();
    match conn.query("SELECT * FROM mysql.user") {
        Ok(rs) => facts.accounts = accounts_of(&rs),
        Err(e) => facts.unreadable.push(format!(
            "accounts (the auditing account needs SELECT on mysql.user): {e}"
        )),
    }
    match conn.query("SELECT * FROM mysql.db WHERE Db = 'mysql'") {
        Ok(rs) => {
            for row in &rs.rows {
                let get = |name: &str| rs.col(name).and_then(|i| row.get(i).cloned().flatten());
                let privileges: Vec<String> = rs
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(i, c)| {
                        c.ends_with("_priv")
                            && row
                                .get(*i)
                                .cloned()
                                .flatten()
                                .is_some_and(|v| v.eq_ignore_ascii_case("Y"))
                    })
                    .map(|(_, c)| {
                        c.trim_end_matches("_priv")
                            .replace('_', " ")
                            .to_ascii_uppercase()
                    })
                    .collect();
                if !privileges.is_empty() {
                    facts.mysql_schema_grants.push((
                        get("User").unwrap_or_default(),
                        get("Host").unwrap_or_default(),
                        privileges,
                    ));
                }
            }
        }
        Err(e) => facts
            .unreadable
            .push(format!("schema grants (mysql.db): {e}")),
    }
    match conn.query("SHOW DATABASES") {
        Ok(rs) => {
            facts.databases = rs
                .rows
                .into_iter()
                .filter_map(|r| r.into_iter().next().flatten())
                .collect()
        }
        Err(e) => facts.unreadable.push(format!("databases: {e}")),
    }
    facts
}

fn accounts_of(rs: &ResultSet) -> Vec<Account> {
    let get = |row: &[Option<String>], name: &str| -> Option<String> {
        rs.col(name).and_then(|i| row.get(i).cloned().flatten())
    };
    let priv_cols: Vec<usize> = rs
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.ends_with("_priv"))
        .map(|(i, _)| i)
        .collect();
    rs.rows
        .iter()
        .map(|row| {
            let yes = |name: &str| get(row, name).is_some_and(|v| v.eq_ignore_ascii_case("Y"));
            let plugin = get(row, "plugin").unwrap_or_default();
            let auth = get(row, "authentication_string").unwrap_or_default();
            let password = get(row, "Password").unwrap_or_default();
            let password_plugin = matches!(
                plugin.as_str(),
                "" | "mysql_native_password"
                    | "mysql_old_password"
                    | "caching_sha2_password"
                    | "sha256_password"
            );
            let all = !priv_cols.is_empty()
                && priv_cols.iter().all(|&i| {
                    row.get(i)
                        .cloned()
                        .flatten()
                        .is_some_and(|v| v.eq_ignore_ascii_case("Y"))
                });
            let dangerous = if all {
                vec!["ALL PRIVILEGES"]
            } else {
                PRIVS
                    .iter()
                    .filter(|(c, _)| yes(c))
                    .map(|(_, p)| *p)
                    .collect()
            };
            Account {
                user: get(row, "User").unwrap_or_default(),
                host: get(row, "Host").unwrap_or_default(),
                empty_password: password_plugin && auth.is_empty() && password.is_empty(),
                old_hash: plugin.is_empty() && password.len() == 16,
                locked: yes("account_locked"),
                is_role: yes("is_role"),
                ssl_type: get(row, "ssl_type").unwrap_or_default(),
                plugin,
                dangerous,
            }
        })
        .collect()
}

fn is_local_host(host: &str, own: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1")
        || (!own.is_empty() && host.eq_ignore_ascii_case(own))
}

/// The findings of one audit.
pub fn check(facts: &ServerFacts, target: &str, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    let at = |meta, content: String, msg: String| {
        Finding::at_target(meta, target, msg).with_content(content)
    };

    // Transport.
    if !facts.offers_tls {
        out.push(at(
            &r::tls_not_offered::META,
            "no-tls".into(),
            "the server offers no TLS: passwords and data cross the network in clear".into(),
        ));
    }
    if let Some(versions) = facts.var("tls_version") {
        let old: Vec<&str> = versions
            .split(',')
            .map(str::trim)
            .filter(|v| matches!(*v, "TLSv1.0" | "TLSv1" | "TLSv1.1"))
            .collect();
        if !old.is_empty() && facts.offers_tls {
            out.push(at(
                &r::legacy_tls_version::META,
                "tls_version".into(),
                format!(
                    "tls_version allows {} (deprecated, RFC 8996): keep TLSv1.2,TLSv1.3",
                    old.join(", ")
                ),
            ));
        }
    }
    let required = facts
        .var("require_secure_transport")
        .is_some_and(|v| v.eq_ignore_ascii_case("ON") || v == "1");
    if !required {
        let clear: Vec<String> = facts
            .accounts
            .iter()
            .filter(|a| !a.is_role && !a.locked && !INTERNAL_ACCOUNTS.contains(&a.user.as_str()))
            .filter(|a| a.ssl_type.is_empty() && !is_local_host(&a.host, &facts.hostname))
            .map(Account::name)
            .collect();
        let accounts = if clear.is_empty() {
            String::new()
        } else {
            format!(
                "; accounts reachable over the network without REQUIRE SSL: {}",
                clear.join(", ")
            )
        };
        let state = facts
            .var("require_secure_transport")
            .map_or("absent (server too old)", |_| "OFF");
        out.push(at(
            &r::secure_transport_not_required::META,
            "require_secure_transport".into(),
            format!(
                "require_secure_transport is {state}: clients may connect without TLS{accounts}"
            ),
        ));
    }

    // Accounts.
    for a in facts
        .accounts
        .iter()
        .filter(|a| !a.is_role && !INTERNAL_ACCOUNTS.contains(&a.user.as_str()))
    {
        let name = a.name();
        let locked = if a.locked { " (locked)" } else { "" };
        if a.empty_password && !a.locked {
            out.push(at(
                &r::empty_password::META,
                name.clone(),
                format!("{name} has an empty password"),
            ));
        }
        if a.user.is_empty() {
            out.push(at(
                &r::anonymous_account::META,
                name.clone(),
                format!("anonymous account {name}{locked}: any user name matches it"),
            ));
        }
        let local = is_local_host(&a.host, &facts.hostname);
        if a.user == "root" && !local {
            out.push(at(
                &r::remote_root::META,
                name.clone(),
                format!(
                    "{name}{locked}: root may log in from {}",
                    host_phrase(&a.host)
                ),
            ));
        }
        let local_root = a.user == "root" && local;
        if !a.dangerous.is_empty() && !local_root {
            out.push(at(
                &r::global_admin_privilege::META,
                name.clone(),
                format!("{name}{locked} holds {} ON *.*", a.dangerous.join(", ")),
            ));
        }
        if (a.host.contains('%') || a.host.is_empty()) && a.user != "root" {
            out.push(at(
                &r::wildcard_host::META,
                name.clone(),
                format!("{name}{locked} may connect from {}", host_phrase(&a.host)),
            ));
        }
        if a.plugin == "mysql_old_password" || a.old_hash {
            out.push(at(
                &r::insecure_auth_plugin::META,
                name.clone(),
                format!("{name} authenticates with mysql_old_password (pre-4.1 hash, broken)"),
            ));
        } else if a.plugin == "mysql_native_password"
            && !facts.is_mariadb()
            && mysql_at_least(&facts.version, 8, 4)
        {
            out.push(
                at(
                    &r::insecure_auth_plugin::META,
                    name.clone(),
                    format!("{name} authenticates with mysql_native_password, deprecated and disabled by default since MySQL 8.4"),
                )
                .with_severity(Severity::Medium),
            );
        }
    }

    // Rights on the `mysql` schema are rights over every account.
    for (user, host, privileges) in &facts.mysql_schema_grants {
        let name = format!("'{user}'@'{host}'");
        if INTERNAL_ACCOUNTS.contains(&user.as_str())
            || (user == "root" && is_local_host(host, &facts.hostname))
            // Reading (an auditing account) is not rewriting.
            || privileges
                .iter()
                .all(|p| matches!(p.as_str(), "SELECT" | "SHOW VIEW"))
        {
            continue;
        }
        out.push(at(
            &r::global_admin_privilege::META,
            format!("{name} mysql.*"),
            format!(
                "{name} holds {} ON mysql.*: it can rewrite every account's credentials and rights",
                privileges.join(", ")
            ),
        ));
    }

    // Server variables.
    if facts
        .var("local_infile")
        .is_some_and(|v| v.eq_ignore_ascii_case("ON") || v == "1")
    {
        out.push(at(
            &r::local_infile_enabled::META,
            "local_infile".into(),
            "local_infile is ON".into(),
        ));
    }
    if facts.var("secure_file_priv") == Some("") {
        out.push(at(
            &r::secure_file_priv_empty::META,
            "secure_file_priv".into(),
            "secure_file_priv is empty: FILE operations may read and write anywhere the server can"
                .into(),
        ));
    }
    for db in facts
        .databases
        .iter()
        .filter(|d| *d == "test" || d.starts_with("test_"))
    {
        out.push(at(
            &r::test_database::META,
            db.clone(),
            format!("database `{db}` is present"),
        ));
    }
    if let Some((series, eol)) = end_of_life(&facts.version)
        && eol <= today
    {
        out.push(at(
            &r::unsupported_version::META,
            series.clone(),
            format!(
                "the server announces {}: {series} reached end of life on {eol}",
                facts.version
            ),
        ));
    }
    out
}

fn host_phrase(host: &str) -> String {
    match host {
        "%" | "" => "any host".to_string(),
        h => format!("hosts matching `{h}`"),
    }
}

/// `(major, minor)` of a version string such as `8.4.3` or `10.11.19-MariaDB-0+deb12u1`.
fn series(version: &str) -> Option<(u32, u32)> {
    // MariaDB behind MySQL 5.5 compatibility prefixes: "5.5.5-10.11.6-MariaDB".
    let v = version.strip_prefix("5.5.5-").unwrap_or(version);
    let mut parts = v.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

fn mysql_at_least(version: &str, major: u32, minor: u32) -> bool {
    series(version).is_some_and(|s| s >= (major, minor))
}

/// The release series of a version and the day its vendor stopped supporting it, when known.
pub fn end_of_life(version: &str) -> Option<(String, Date)> {
    let (major, minor) = series(version)?;
    let mariadb = version.to_ascii_lowercase().contains("mariadb");
    let table: &[((u32, u32), &str)] = if mariadb {
        &[
            ((5, 5), "2020-04-11"),
            ((10, 0), "2019-03-31"),
            ((10, 1), "2020-10-17"),
            ((10, 2), "2022-05-23"),
            ((10, 3), "2023-05-25"),
            ((10, 4), "2024-06-18"),
            ((10, 5), "2025-06-24"),
            ((10, 6), "2026-07-06"),
            ((10, 7), "2023-02-09"),
            ((10, 8), "2023-05-20"),
            ((10, 9), "2023-08-22"),
            ((10, 10), "2023-11-17"),
            ((10, 11), "2028-02-16"),
            ((11, 0), "2024-06-06"),
            ((11, 1), "2024-08-21"),
            ((11, 2), "2024-11-21"),
            ((11, 3), "2024-05-29"),
            ((11, 4), "2029-05-29"),
            ((11, 5), "2025-05-21"),
            ((11, 6), "2025-08-14"),
        ]
    } else {
        &[
            ((5, 5), "2018-12-31"),
            ((5, 6), "2021-02-28"),
            ((5, 7), "2023-10-21"),
            ((8, 0), "2026-04-30"),
            ((8, 1), "2023-10-25"),
            ((8, 2), "2024-01-16"),
            ((8, 3), "2024-04-30"),
            ((8, 4), "2032-04-30"),
        ]
    };
    let name = if mariadb { "MariaDB" } else { "MySQL" };
    table
        .iter()
        .find(|(s, _)| *s == (major, minor))
        .and_then(|(_, d)| Date::parse(d))
        .map(|d| (format!("{name} {major}.{minor}"), d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_life_by_series() {
        let (s, d) = end_of_life("10.6.18-MariaDB-0ubuntu0.22.04.1").unwrap();
        assert_eq!(s, "MariaDB 10.6");
        assert_eq!(d.to_string(), "2026-07-06");
        assert_eq!(
            end_of_life("5.5.5-10.11.6-MariaDB").unwrap().0,
            "MariaDB 10.11"
        );
        assert_eq!(end_of_life("8.0.36").unwrap().0, "MySQL 8.0");
        assert!(end_of_life("garbage").is_none());
    }
}
