//! The checks of a database audit, over what the read-only queries returned.

use super::grants::{self, GrantLine, Level};
use super::proto::{Conn, ResultSet};
use crate::rules::mysql_server as r;
use palisade_core::date::Date;
use palisade_core::{Finding, Severity};
use std::collections::{BTreeMap, HashMap};

/// Accounts the server creates for itself (locked, used by its own views and procedures).
const INTERNAL_ACCOUNTS: &[&str] = &[
    "mariadb.sys",
    "mysql.sys",
    "mysql.session",
    "mysql.infoschema",
];

/// The grants matrix's columns. `ALL PRIVILEGES` implies every other column but GRANT
/// OPTION; DYNAMIC ADMIN is any of [`grants::ADMIN_DYNAMIC`] (MySQL 8's dynamic privileges
/// and MariaDB's parts of SUPER).
pub const MATRIX_PRIVILEGES: &[&str] = &[
    "ALL PRIVILEGES",
    "SUPER",
    "FILE",
    "PROCESS",
    "SHUTDOWN",
    "CREATE USER",
    "DYNAMIC ADMIN",
    "GRANT OPTION",
];

/// The accounts the matrix and the account checks look at: not roles, not the server's own.
fn audited(facts: &ServerFacts) -> impl Iterator<Item = &Account> {
    facts
        .accounts
        .iter()
        .filter(|a| !a.is_role && !INTERNAL_ACCOUNTS.contains(&a.user.as_str()))
}

/// How an account holds one matrix column: directly (`x`), only through a role (`r`), or not.
fn cell(a: &Account, column: &str) -> Option<bool> {
    let matches = |h: &&Held| match column {
        "DYNAMIC ADMIN" => {
            grants::is_admin_dynamic(&h.privilege) || h.privilege == "ALL PRIVILEGES"
        }
        "GRANT OPTION" => h.privilege == "GRANT OPTION",
        c => h.privilege == c || h.privilege == "ALL PRIVILEGES",
    };
    let held: Vec<&Held> = a.dangerous.iter().filter(matches).collect();
    if held.is_empty() {
        None
    } else {
        Some(held.iter().any(|h| h.via.is_none()))
    }
}

/// The grants matrix: every account (roles and the server's internal accounts left out) ×
/// the dangerous global privileges it holds, as text lines: `x` held, `r` held only through
/// a granted role, `.` not held.
pub fn matrix_text(facts: &ServerFacts) -> String {
    let accounts: Vec<&Account> = audited(facts).collect();
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
    out.push_str("  roles\n");
    for a in accounts {
        out.push_str(&format!("{:width$}", a.name()));
        for p in MATRIX_PRIVILEGES {
            let mark = match cell(a, p) {
                Some(true) => "x",
                Some(false) => "r",
                None => ".",
            };
            out.push_str(&format!("  {mark:^w$}", w = p.len()));
        }
        let roles = if a.roles.is_empty() {
            "-".to_string()
        } else {
            a.roles.join(",")
        };
        out.push_str(&format!("  {roles}\n"));
    }
    out
}

/// One account of the grants matrix, for JSON.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MatrixRow {
    pub account: String,
    pub user: String,
    pub host: String,
    /// Every dangerous global privilege held, directly or through a role.
    pub privileges: Vec<String>,
    /// Those held through a role: `{privilege, role}`.
    pub through_roles: Vec<Held>,
    /// The roles granted to the account.
    pub roles: Vec<String>,
}

/// The grants matrix as JSON rows.
pub fn matrix_json(facts: &ServerFacts) -> Vec<MatrixRow> {
    audited(facts)
        .map(|a| {
            let mut privileges: Vec<String> =
                a.dangerous.iter().map(|h| h.privilege.clone()).collect();
            privileges.dedup();
            MatrixRow {
                account: a.name(),
                user: a.user.clone(),
                host: a.host.clone(),
                privileges,
                through_roles: a
                    .dangerous
                    .iter()
                    .filter(|h| h.via.is_some())
                    .cloned()
                    .collect(),
                roles: a.roles.clone(),
            }
        })
        .collect()
}

/// A dangerous privilege an account holds, and the role it comes through (`None`: granted
/// to the account itself).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Held {
    pub privilege: String,
    #[serde(rename = "role", skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// Privileges an account holds on one object (directly or through a role).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectGrant {
    pub user: String,
    pub host: String,
    /// `mysql.*`, `mysql.user`, `*.*`, `shop.*`.
    pub object: String,
    pub privileges: Vec<String>,
    pub via: Option<String>,
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
    /// Dangerous global privileges it holds, directly or through roles, in the matrix's
    /// order (`ALL PRIVILEGES` when it holds every one).
    pub dangerous: Vec<Held>,
    /// Roles granted to it (`role` or `role@host`), default roles marked `(default)`.
    pub roles: Vec<String>,
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
    /// Rights beyond reading on the `mysql` schema (schema, table or global level): rights
    /// over every account.
    pub system_schema_grants: Vec<ObjectGrant>,
    /// DDL rights on application schemas (read from SHOW GRANTS only).
    pub ddl_grants: Vec<ObjectGrant>,
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
    ("Create_user_priv", "CREATE USER"),
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
    if !facts.accounts.is_empty() && !read_grants(conn, &mut facts) {
        // Without SHOW GRANTS: the global columns of mysql.user (already read) and the
        // schema-level grants on `mysql` from mysql.db.
        schema_grants_on_mysql(conn, &mut facts);
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

/// The fallback for servers where SHOW GRANTS FOR other accounts is refused: rights on the
/// `mysql` schema from `mysql.db`.
fn schema_grants_on_mysql(conn: &mut Conn, facts: &mut ServerFacts) {
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
                if privileges.iter().any(|p| !grants::is_read_only(p)) {
                    facts.system_schema_grants.push(ObjectGrant {
                        user: get("User").unwrap_or_default(),
                        host: get("Host").unwrap_or_default(),
                        object: "mysql.*".to_string(),
                        privileges,
                        via: None,
                    });
                }
            }
        }
        Err(e) => facts
            .unreadable
            .push(format!("schema grants (mysql.db): {e}")),
    }
}

/// At most this many accounts are read with SHOW GRANTS (one query each).
const MAX_SHOW_GRANTS: usize = 5000;

/// A string as an SQL literal.
fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
}

/// Reads every account's and role's grants with SHOW GRANTS and resolves roles. `false`
/// when the server refuses SHOW GRANTS for other accounts (then nothing was changed).
fn read_grants(conn: &mut Conn, facts: &mut ServerFacts) -> bool {
    let mut lines: Vec<Vec<GrantLine>> = Vec::with_capacity(facts.accounts.len());
    let mut failed = Vec::new();
    for a in facts.accounts.iter().take(MAX_SHOW_GRANTS) {
        let who = if a.is_role && a.host.is_empty() {
            sql_string(&a.user)
        } else {
            format!("{}@{}", sql_string(&a.user), sql_string(&a.host))
        };
        match conn.query(&format!("SHOW GRANTS FOR {who}")) {
            Ok(rs) => lines.push(
                rs.rows
                    .iter()
                    .filter_map(|r| r.first().cloned().flatten())
                    .filter_map(|l| grants::parse_line(&l))
                    .collect(),
            ),
            Err(e) => {
                failed.push(format!("{}: {e}", a.name()));
                lines.push(Vec::new());
            }
        }
    }
    if failed.len() == lines.len() {
        facts.unreadable.push(format!(
            "SHOW GRANTS (the auditing account needs SELECT on the mysql schema): {}; only global privileges and mysql.db were read",
            failed.first().map_or("", String::as_str)
        ));
        return false;
    }
    if facts.accounts.len() > MAX_SHOW_GRANTS {
        facts.unreadable.push(format!(
            "only the first {MAX_SHOW_GRANTS} of {} accounts' grants were read",
            facts.accounts.len()
        ));
    }
    for f in failed {
        facts.unreadable.push(format!("SHOW GRANTS FOR {f}"));
    }
    resolve(facts, &lines);
    true
}

/// The order dangerous privileges are listed in: the matrix's, dynamic ones by name.
fn rank(privilege: &str) -> (usize, String) {
    let position = MATRIX_PRIVILEGES
        .iter()
        .position(|p| *p == privilege)
        .unwrap_or(6);
    (position, privilege.to_string())
}

/// Each account's effective privileges: its own grants and those of every role granted to
/// it, directly or through other roles (a granted role can be activated with SET ROLE at
/// any time, so it counts whether or not it is a default role).
fn resolve(facts: &mut ServerFacts, lines: &[Vec<GrantLine>]) {
    let index: HashMap<(String, String), usize> = facts
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| ((a.user.clone(), a.host.clone()), i))
        .collect();
    let find = |(user, host): &(String, String)| -> Option<usize> {
        index
            .get(&(user.clone(), host.clone()))
            .or_else(|| index.get(&(user.clone(), "%".to_string())))
            .copied()
    };
    // MySQL 8 roles are locked accounts that are granted to others.
    let mut granted_as_role = vec![false; facts.accounts.len()];
    for own in lines {
        for line in own {
            if let GrantLine::Roles { roles, .. } = line {
                for r in roles {
                    if let Some(j) = find(r) {
                        granted_as_role[j] = true;
                    }
                }
            }
        }
    }
    for (i, a) in facts.accounts.iter_mut().enumerate() {
        if granted_as_role[i] && a.locked {
            a.is_role = true;
        }
    }
    let role_name = |j: usize| -> String {
        let a = &facts.accounts[j];
        if a.host.is_empty() || a.host == "%" {
            a.user.clone()
        } else {
            format!("{}@{}", a.user, a.host)
        }
    };

    let mut dangerous = Vec::with_capacity(facts.accounts.len());
    let mut roles_of = Vec::with_capacity(facts.accounts.len());
    let mut system = Vec::new();
    let mut ddl = Vec::new();
    for (i, account) in facts.accounts.iter().enumerate() {
        let mut held: Vec<Held> = Vec::new();
        let mut granted: Vec<String> = Vec::new();
        let defaults: Vec<usize> = lines
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|l| match l {
                GrantLine::DefaultRoles(r) => Some(r.iter().filter_map(find).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect();
        // Breadth-first over the role graph; each role once (cycles are possible).
        let mut queue = vec![(i, None::<String>)];
        let mut seen = vec![i];
        while let Some((j, via)) = queue.pop() {
            for line in lines.get(j).into_iter().flatten() {
                match line {
                    GrantLine::Roles { roles, .. } => {
                        for r in roles {
                            let Some(k) = find(r) else { continue };
                            if j == i {
                                let mark = if defaults.contains(&k) {
                                    " (default)"
                                } else {
                                    ""
                                };
                                granted.push(format!("{}{mark}", role_name(k)));
                            }
                            if !seen.contains(&k) {
                                seen.push(k);
                                queue.push((k, Some(via.clone().unwrap_or_else(|| role_name(k)))));
                            }
                        }
                    }
                    GrantLine::Privileges(g) => {
                        let grant = |privileges: Vec<String>| ObjectGrant {
                            user: account.user.clone(),
                            host: account.host.clone(),
                            object: g.level.display(),
                            privileges,
                            via: via.clone(),
                        };
                        match &g.level {
                            Level::Global => {
                                for p in g.privileges.iter().filter(|p| grants::is_admin_global(p))
                                {
                                    held.push(Held {
                                        privilege: p.clone(),
                                        via: via.clone(),
                                    });
                                }
                                if g.grant_option {
                                    held.push(Held {
                                        privilege: "GRANT OPTION".into(),
                                        via: via.clone(),
                                    });
                                }
                                // Table writes ON *.* reach the mysql schema too.
                                let writes: Vec<String> = g
                                    .privileges
                                    .iter()
                                    .filter(|p| {
                                        matches!(
                                            p.as_str(),
                                            "INSERT"
                                                | "UPDATE"
                                                | "DELETE"
                                                | "CREATE"
                                                | "DROP"
                                                | "ALTER"
                                        )
                                    })
                                    .cloned()
                                    .collect();
                                if !writes.is_empty()
                                    && !g.privileges.iter().any(|p| p == "ALL PRIVILEGES")
                                {
                                    system.push(grant(writes));
                                }
                            }
                            Level::Schema(db) | Level::Table(db, _) => {
                                let writes: Vec<String> = g
                                    .privileges
                                    .iter()
                                    .filter(|p| !grants::is_read_only(p))
                                    .cloned()
                                    .collect();
                                if grants::schema_matches(db, "mysql") {
                                    if !writes.is_empty() {
                                        system.push(grant(g.privileges.clone()));
                                    }
                                } else {
                                    let changes = grants::ddl_of(&g.privileges);
                                    if !changes.is_empty() {
                                        ddl.push(grant(changes));
                                    }
                                }
                            }
                            Level::Proxy => {}
                        }
                    }
                    GrantLine::DefaultRoles(_) => {}
                }
            }
        }
        // One entry per privilege: held directly wins over through a role.
        held.sort_by_key(|h| (rank(&h.privilege), h.via.is_some(), h.via.clone()));
        held.dedup_by(|b, a| a.privilege == b.privilege);
        dangerous.push(held);
        roles_of.push(granted);
    }
    for ((a, held), roles) in facts.accounts.iter_mut().zip(dangerous).zip(roles_of) {
        a.dangerous = held;
        a.roles = roles;
    }
    facts.system_schema_grants = system;
    facts.ddl_grants = ddl;
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
                vec!["ALL PRIVILEGES", "GRANT OPTION"]
            } else {
                PRIVS
                    .iter()
                    .filter(|(c, _)| yes(c))
                    .map(|(_, p)| *p)
                    .collect()
            };
            let dangerous = dangerous
                .into_iter()
                .map(|p| Held {
                    privilege: p.to_string(),
                    via: None,
                })
                .collect();
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
                roles: Vec::new(),
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
            // Grouped: what it holds itself, then what each role brings.
            let mut by_source: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
            for h in &a.dangerous {
                by_source
                    .entry(h.via.as_deref())
                    .or_default()
                    .push(h.privilege.as_str());
            }
            let parts: Vec<String> = by_source
                .iter()
                .map(|(via, privileges)| match via {
                    None => global_phrase(privileges),
                    Some(role) => format!("{} through role `{role}`", global_phrase(privileges)),
                })
                .collect();
            out.push(at(
                &r::global_admin_privilege::META,
                name.clone(),
                format!("{name}{locked} holds {}", parts.join("; ")),
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
    let roles: Vec<(&str, &str)> = facts
        .accounts
        .iter()
        .filter(|a| a.is_role)
        .map(|a| (a.user.as_str(), a.host.as_str()))
        .collect();
    let skipped = |g: &ObjectGrant| {
        INTERNAL_ACCOUNTS.contains(&g.user.as_str())
            || (g.user == "root" && is_local_host(&g.host, &facts.hostname))
            || roles.contains(&(g.user.as_str(), g.host.as_str()))
    };
    for g in facts.system_schema_grants.iter().filter(|g| !skipped(g)) {
        let name = format!("'{}'@'{}'", g.user, g.host);
        let through = g
            .via
            .as_ref()
            .map(|r| format!(" through role `{r}`"))
            .unwrap_or_default();
        let object = if g.object == "*.*" {
            "*.* (which includes the mysql schema)".to_string()
        } else {
            g.object.clone()
        };
        out.push(at(
            &r::global_admin_privilege::META,
            format!("{name} {}", g.object),
            format!(
                "{name} holds {} ON {object}{through}: it can rewrite every account's credentials and rights",
                g.privileges.join(", ")
            ),
        ));
    }

    // DDL on application schemas, for accounts not already administrators.
    for g in facts.ddl_grants.iter().filter(|g| !skipped(g)) {
        let admin = facts
            .accounts
            .iter()
            .find(|a| a.user == g.user && a.host == g.host)
            .is_some_and(|a| a.dangerous.iter().any(|h| h.privilege == "ALL PRIVILEGES"));
        if admin {
            continue;
        }
        let name = format!("'{}'@'{}'", g.user, g.host);
        let through = g
            .via
            .as_ref()
            .map(|r| format!(" through role `{r}`"))
            .unwrap_or_default();
        out.push(at(
            &r::application_ddl_privilege::META,
            format!("{name} {}", g.object),
            format!(
                "{name} holds {} ON {}{through}: the account can change or drop the schema's tables",
                g.privileges.join(", "),
                g.object
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

/// `SUPER, FILE ON *.* WITH GRANT OPTION`, with long lists of dynamic privileges shortened.
fn global_phrase(privileges: &[&str]) -> String {
    let grant_option = privileges.contains(&"GRANT OPTION");
    let listed: Vec<&str> = privileges
        .iter()
        .copied()
        .filter(|p| *p != "GRANT OPTION")
        .collect();
    let mut text = if listed.len() > 8 {
        format!("{} and {} more", listed[..6].join(", "), listed.len() - 6)
    } else {
        listed.join(", ")
    };
    if text.is_empty() {
        text = "GRANT OPTION ON *.*".to_string();
    } else {
        text.push_str(" ON *.*");
        if grant_option {
            text.push_str(" WITH GRANT OPTION");
        }
    }
    text
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
