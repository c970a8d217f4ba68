//! `SHOW GRANTS` lines, as MySQL 8 and MariaDB 10.11+ print them, read into privileges per
//! object and granted roles; and which privileges are dangerous at which level.
//!
//! The two servers differ in shape: MySQL 8 lists dynamic privileges with underscores
//! (`BINLOG_ADMIN`) on their own `GRANT … ON *.*` line and roles as `` `r`@`%` ``; MariaDB
//! spells its split-up SUPER privileges with spaces (`BINLOG ADMIN`), names roles without a
//! host, adds `IDENTIFIED BY PASSWORD '…'` to grant lines and prints `SET DEFAULT ROLE`.
//! Unknown statements are skipped; nothing here panics on odd input.

/// What a grant applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    /// `*.*`
    Global,
    /// `` `db`.* `` — the name may hold `%` and `_` wildcards.
    Schema(String),
    /// `` `db`.`table` `` (column grants too), or a routine.
    Table(String, String),
    /// `PROXY ON user@host`.
    Proxy,
}

impl Level {
    /// How the object reads in messages: `*.*`, `shop.*`, `mysql.user`.
    pub fn display(&self) -> String {
        match self {
            Level::Global => "*.*".to_string(),
            Level::Schema(db) => format!("{db}.*"),
            Level::Table(db, t) => format!("{db}.{t}"),
            Level::Proxy => "PROXY".to_string(),
        }
    }
}

/// One `GRANT privileges ON object TO …` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivilegeGrant {
    /// Upper-case, as the server spells them (`ALL PRIVILEGES`, `BINLOG ADMIN`, `ROLE_ADMIN`).
    pub privileges: Vec<String>,
    pub level: Level,
    pub grant_option: bool,
}

/// A role, as `(name, host)`; MariaDB roles have the empty host.
pub type RoleName = (String, String);

/// One understood line of `SHOW GRANTS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantLine {
    Privileges(PrivilegeGrant),
    Roles { roles: Vec<RoleName>, admin: bool },
    DefaultRoles(Vec<RoleName>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Quoted(String),
    Sym(char),
}

fn tokens(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '\'' | '"' => {
                let mut s = String::new();
                while let Some(n) = chars.next() {
                    if n == c {
                        if chars.peek() == Some(&c) {
                            chars.next();
                            s.push(c);
                        } else {
                            break;
                        }
                    } else if n == '\\' && c != '`' {
                        if let Some(escaped) = chars.next() {
                            s.push(escaped);
                        }
                    } else {
                        s.push(n);
                    }
                }
                out.push(Token::Quoted(s));
            }
            ',' | '(' | ')' | '.' | '@' | ';' => out.push(Token::Sym(c)),
            c if c.is_whitespace() => {}
            _ => {
                let mut s = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace()
                        || matches!(n, ',' | '(' | ')' | '.' | '@' | '`' | '\'' | '"' | ';')
                    {
                        break;
                    }
                    s.push(n);
                    chars.next();
                }
                out.push(Token::Word(s));
            }
        }
    }
    out
}

fn is_word(t: Option<&Token>, word: &str) -> bool {
    matches!(t, Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
}

/// A name token's text (quoted or bare).
fn name(t: Option<&Token>) -> Option<String> {
    match t? {
        Token::Word(w) => Some(w.clone()),
        Token::Quoted(q) => Some(q.clone()),
        Token::Sym(_) => None,
    }
}

/// Reads `name[@host]` at `*i`.
fn account(t: &[Token], i: &mut usize) -> Option<RoleName> {
    let user = name(t.get(*i))?;
    *i += 1;
    let mut host = String::new();
    if t.get(*i) == Some(&Token::Sym('@')) {
        host = name(t.get(*i + 1))?;
        *i += 2;
    }
    Some((user, host))
}

/// A list of `name[@host]` separated by commas, from `*i`.
fn accounts(t: &[Token], i: &mut usize) -> Vec<RoleName> {
    let mut out = Vec::new();
    while let Some(a) = account(t, i) {
        out.push(a);
        if t.get(*i) == Some(&Token::Sym(',')) {
            *i += 1;
        } else {
            break;
        }
    }
    out
}

/// Reads one line of `SHOW GRANTS` output; `None` for lines it does not model (`REVOKE`
/// partial revokes, `GRANT PROXY`'s target aside, unknown syntax).
pub fn parse_line(line: &str) -> Option<GrantLine> {
    let t = tokens(line);
    if is_word(t.first(), "SET") && is_word(t.get(1), "DEFAULT") && is_word(t.get(2), "ROLE") {
        let mut i = 3;
        let roles = accounts(&t, &mut i);
        return Some(GrantLine::DefaultRoles(
            roles
                .into_iter()
                .filter(|(r, _)| !r.eq_ignore_ascii_case("NONE"))
                .collect(),
        ));
    }
    if !is_word(t.first(), "GRANT") {
        return None;
    }
    let mut depth = 0usize;
    let mut on = None;
    let mut to = None;
    for (i, tok) in t.iter().enumerate().skip(1) {
        match tok {
            Token::Sym('(') => depth += 1,
            Token::Sym(')') => depth = depth.saturating_sub(1),
            Token::Word(w)
                if depth == 0 && on.is_none() && to.is_none() && w.eq_ignore_ascii_case("ON") =>
            {
                on = Some(i)
            }
            Token::Word(w) if depth == 0 && to.is_none() && w.eq_ignore_ascii_case("TO") => {
                to = Some(i)
            }
            _ => {}
        }
    }
    let to = to?;
    let with = |a: &str, b: &str| {
        t[to..]
            .windows(3)
            .any(|w| is_word(w.first(), "WITH") && is_word(w.get(1), a) && is_word(w.get(2), b))
    };
    let Some(on) = on else {
        let mut i = 1;
        let roles = accounts(&t[..to], &mut i);
        return (!roles.is_empty()).then(|| GrantLine::Roles {
            roles,
            admin: with("ADMIN", "OPTION"),
        });
    };

    // Privileges: words up to each top-level comma; column lists in parentheses dropped.
    let mut privileges = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut depth = 0usize;
    for tok in &t[1..on] {
        match tok {
            Token::Sym('(') => depth += 1,
            Token::Sym(')') => depth = depth.saturating_sub(1),
            Token::Sym(',') if depth == 0 => {
                if !current.is_empty() {
                    privileges.push(current.join(" ").to_ascii_uppercase());
                }
                current.clear();
            }
            Token::Word(w) if depth == 0 => current.push(w.clone()),
            _ => {}
        }
    }
    if !current.is_empty() {
        privileges.push(current.join(" ").to_ascii_uppercase());
    }
    for p in &mut privileges {
        if p == "ALL" {
            *p = "ALL PRIVILEGES".to_string();
        }
    }

    let object = &t[on + 1..to];
    let level = if privileges.iter().any(|p| p == "PROXY") {
        Level::Proxy
    } else {
        // Skip an object type (TABLE, FUNCTION, PROCEDURE, PACKAGE [BODY]).
        let mut i = 0;
        while matches!(object.get(i), Some(Token::Word(w)) if ["TABLE", "FUNCTION", "PROCEDURE", "PACKAGE", "BODY"].iter().any(|k| w.eq_ignore_ascii_case(k)))
        {
            i += 1;
        }
        let first = name(object.get(i))?;
        if object.get(i + 1) == Some(&Token::Sym('.')) {
            let second = name(object.get(i + 2))?;
            match (first.as_str(), second.as_str()) {
                ("*", "*") => Level::Global,
                (db, "*") => Level::Schema(db.to_string()),
                (db, table) => Level::Table(db.to_string(), table.to_string()),
            }
        } else if first == "*" {
            // `ON *`: the default schema; SHOW GRANTS never prints it.
            return None;
        } else {
            Level::Table(String::new(), first)
        }
    };
    Some(GrantLine::Privileges(PrivilegeGrant {
        privileges,
        level,
        grant_option: with("GRANT", "OPTION"),
    }))
}

/// A privilege's name with spaces as underscores, to compare MariaDB's and MySQL's spellings.
fn key(privilege: &str) -> String {
    privilege.trim().to_ascii_uppercase().replace(' ', "_")
}

/// The static global privileges that give control of the server, in the matrix's order.
pub const ADMIN_STATIC: &[&str] = &["SUPER", "FILE", "PROCESS", "SHUTDOWN", "CREATE USER"];

/// Dynamic privileges (MySQL 8.0/8.4) and MariaDB's parts of SUPER that each confer a piece
/// of SUPER's power over the server or other accounts: set global variables, kill sessions
/// and bypass connection limits or read-only mode, purge or replay binary logs, manage
/// replication, grant any role, rotate encryption keys, act as any DEFINER. Read-only ones
/// (`BINLOG MONITOR`, `SENSITIVE_VARIABLES_OBSERVER`, `SHOW_ROUTINE`, …) and those that
/// concern only the holder (`APPLICATION_PASSWORD_ADMIN`) are not in it.
pub const ADMIN_DYNAMIC: &[&str] = &[
    // MySQL 8.0 / 8.4
    "ALLOW_NONEXISTENT_DEFINER",
    "AUDIT_ADMIN",
    "AUTHENTICATION_POLICY_ADMIN",
    "BINLOG_ADMIN",
    "BINLOG_ENCRYPTION_ADMIN",
    "CLONE_ADMIN",
    "CONNECTION_ADMIN",
    "ENCRYPTION_KEY_ADMIN",
    "FIREWALL_ADMIN",
    "GROUP_REPLICATION_ADMIN",
    "INNODB_REDO_LOG_ENABLE",
    "MASKING_DICTIONARIES_ADMIN",
    "PASSWORDLESS_USER_ADMIN",
    "PERSIST_RO_VARIABLES_ADMIN",
    "REPLICATION_APPLIER",
    "REPLICATION_SLAVE_ADMIN",
    "RESOURCE_GROUP_ADMIN",
    "ROLE_ADMIN",
    "SERVICE_CONNECTION_ADMIN",
    "SET_ANY_DEFINER",
    "SET_USER_ID",
    "SYSTEM_USER",
    "SYSTEM_VARIABLES_ADMIN",
    "TABLE_ENCRYPTION_ADMIN",
    "TELEMETRY_LOG_ADMIN",
    // MariaDB 10.5+ (spelled with spaces there)
    "BINLOG_REPLAY",
    "FEDERATED_ADMIN",
    "READ_ONLY_ADMIN",
    "REPLICATION_MASTER_ADMIN",
    "SET_USER",
];

/// Whether a global privilege is an administrative dynamic privilege.
pub fn is_admin_dynamic(privilege: &str) -> bool {
    ADMIN_DYNAMIC.contains(&key(privilege).as_str())
}

/// Whether a privilege held ON `*.*` gives control of the server.
pub fn is_admin_global(privilege: &str) -> bool {
    privilege == "ALL PRIVILEGES"
        || ADMIN_STATIC.contains(&privilege)
        || is_admin_dynamic(privilege)
}

/// Privileges that change a schema's structure or drop it.
const DDL: &[&str] = &[
    "CREATE",
    "DROP",
    "ALTER",
    "INDEX",
    "CREATE VIEW",
    "CREATE ROUTINE",
    "ALTER ROUTINE",
    "TRIGGER",
    "EVENT",
];

/// The DDL privileges among `privileges` (`ALL PRIVILEGES` counts as it is).
pub fn ddl_of(privileges: &[String]) -> Vec<String> {
    privileges
        .iter()
        .filter(|p| *p == "ALL PRIVILEGES" || DDL.contains(&p.as_str()))
        .cloned()
        .collect()
}

/// Privileges that only read: on the `mysql` schema these are what an auditing account needs.
pub fn is_read_only(privilege: &str) -> bool {
    matches!(privilege, "SELECT" | "SHOW VIEW" | "USAGE")
}

/// Whether a schema name of a grant (with `%` / `_` wildcards and `\` escapes, as in
/// `mysql.db`) matches the schema `name`.
pub fn schema_matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('%', rest)) => (0..=n.len()).any(|k| go(rest, &n[k..])),
            Some(('_', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some(('\\', rest)) if !rest.is_empty() => {
                n.first().is_some_and(|c| c.eq_ignore_ascii_case(&rest[0]))
                    && go(&rest[1..], &n[1..])
            }
            Some((c, rest)) => {
                n.first().is_some_and(|x| x.eq_ignore_ascii_case(c)) && go(rest, &n[1..])
            }
        }
    }
    let p: Vec<char> = pattern.chars().take(256).collect();
    let n: Vec<char> = name.chars().collect();
    // Bounded: patterns come from the server and `%` backtracks.
    p.iter().filter(|c| **c == '%').count() <= 8 && go(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn privs(line: &str) -> PrivilegeGrant {
        match parse_line(line) {
            Some(GrantLine::Privileges(p)) => p,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn mysql8_root_and_dynamic_privileges() {
        let g = privs(
            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, SHUTDOWN, PROCESS, FILE, REFERENCES, INDEX, ALTER, SHOW DATABASES, SUPER, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER, CREATE TABLESPACE, CREATE ROLE, DROP ROLE ON *.* TO `root`@`localhost` WITH GRANT OPTION",
        );
        assert_eq!(g.level, Level::Global);
        assert!(g.grant_option);
        assert!(
            g.privileges
                .contains(&"CREATE TEMPORARY TABLES".to_string())
        );
        assert!(g.privileges.contains(&"SUPER".to_string()));
        let d = privs(
            "GRANT APPLICATION_PASSWORD_ADMIN,AUDIT_ABORT_EXEMPT,BINLOG_ADMIN,CONNECTION_ADMIN,ROLE_ADMIN,SYSTEM_VARIABLES_ADMIN ON *.* TO `ops`@`10.0.%`",
        );
        assert_eq!(d.privileges.len(), 6);
        assert!(!d.grant_option);
        let admin: Vec<&String> = d.privileges.iter().filter(|p| is_admin_global(p)).collect();
        assert_eq!(
            admin,
            [
                "BINLOG_ADMIN",
                "CONNECTION_ADMIN",
                "ROLE_ADMIN",
                "SYSTEM_VARIABLES_ADMIN"
            ]
        );
    }

    #[test]
    fn mysql8_schema_table_column_and_routine_grants() {
        let g = privs(
            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER ON `shop`.* TO `app`@`%`",
        );
        assert_eq!(g.level, Level::Schema("shop".into()));
        assert_eq!(ddl_of(&g.privileges), ["CREATE", "DROP", "ALTER"]);
        let t = privs("GRANT UPDATE ON `mysql`.`user` TO `meddler`@`%`");
        assert_eq!(t.level, Level::Table("mysql".into(), "user".into()));
        assert_eq!(t.level.display(), "mysql.user");
        let c = privs(
            "GRANT SELECT (`id`, `name`), UPDATE (`name`) ON `shop`.`customers` TO `crm`@`%`",
        );
        assert_eq!(c.privileges, ["SELECT", "UPDATE"]);
        let r = privs("GRANT EXECUTE ON PROCEDURE `shop`.`refund` TO `app`@`%`");
        assert_eq!(r.level, Level::Table("shop".into(), "refund".into()));
        let w = privs("GRANT ALL PRIVILEGES ON `app\\_%`.* TO `dev`@`%`");
        assert_eq!(w.level, Level::Schema("app\\_%".into()));
        let u = privs("GRANT USAGE ON *.* TO `reader`@`%`");
        assert_eq!(u.privileges, ["USAGE"]);
        let p = privs("GRANT PROXY ON ``@`` TO `root`@`localhost` WITH GRANT OPTION");
        assert_eq!(p.level, Level::Proxy);
        assert_eq!(parse_line("REVOKE INSERT ON `mysql`.* FROM `u`@`%`"), None);
    }

    #[test]
    fn mysql8_roles() {
        assert_eq!(
            parse_line(
                "GRANT `app_admin`@`%`,`reporting`@`%` TO `bob`@`10.0.0.%` WITH ADMIN OPTION"
            ),
            Some(GrantLine::Roles {
                roles: vec![
                    ("app_admin".into(), "%".into()),
                    ("reporting".into(), "%".into())
                ],
                admin: true
            })
        );
    }

    #[test]
    fn mariadb_shapes() {
        let g = privs(
            "GRANT ALL PRIVILEGES ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*8C7E0C2E3F0C22E1C9D7B2D7C1B6E9F1B8A5C3D2' WITH GRANT OPTION",
        );
        assert_eq!(
            (g.privileges.as_slice(), g.grant_option),
            (&["ALL PRIVILEGES".to_string()][..], true)
        );
        let v = privs(
            "GRANT USAGE ON *.* TO `root`@`localhost` IDENTIFIED VIA mysql_native_password USING 'invalid' OR unix_socket",
        );
        assert!(!v.grant_option);
        let split = privs(
            "GRANT BINLOG ADMIN, CONNECTION ADMIN, READ_ONLY ADMIN, BINLOG MONITOR ON *.* TO `dba_role`",
        );
        let admin: Vec<&String> = split
            .privileges
            .iter()
            .filter(|p| is_admin_global(p))
            .collect();
        assert_eq!(
            admin,
            ["BINLOG ADMIN", "CONNECTION ADMIN", "READ_ONLY ADMIN"]
        );
        assert_eq!(
            parse_line("GRANT `dba_role` TO `bob`@`localhost`"),
            Some(GrantLine::Roles {
                roles: vec![("dba_role".into(), String::new())],
                admin: false
            })
        );
        assert_eq!(
            parse_line("SET DEFAULT ROLE `dba_role` FOR `bob`@`localhost`"),
            Some(GrantLine::DefaultRoles(vec![(
                "dba_role".into(),
                String::new()
            )]))
        );
        // Old-style quotes.
        let q = privs("GRANT SELECT, UPDATE ON `mysql`.* TO 'meddler'@'10.0.0.7'");
        assert_eq!(q.level, Level::Schema("mysql".into()));
        let p = privs("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION");
        assert_eq!(p.level, Level::Proxy);
    }

    #[test]
    fn odd_lines_do_not_panic() {
        for line in [
            "",
            "GRANT",
            "GRANT ON TO",
            "GRANT SELECT ON `a",
            "GRANT SELECT ON `a`. TO x",
            "GRANT ((( ON *.* TO `u`@",
            "SET DEFAULT ROLE",
            "GRANT `r`@ TO",
            "\u{0}\u{ffff}'\\",
        ] {
            let _ = parse_line(line);
        }
    }

    #[test]
    fn schema_wildcards() {
        assert!(schema_matches("%", "mysql"));
        assert!(schema_matches("my%", "mysql"));
        assert!(schema_matches("mysq_", "mysql"));
        assert!(!schema_matches("mysql\\_%", "mysql"));
        assert!(!schema_matches("shop", "mysql"));
        assert!(schema_matches("MySQL", "mysql"));
        assert!(!schema_matches(&"%a".repeat(50), "mysql"));
    }
}
