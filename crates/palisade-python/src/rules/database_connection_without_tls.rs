//! Flags database connections to remote hosts that do not require TLS.
//!
//! ## What it checks
//! Connections to MySQL/MariaDB and PostgreSQL whose host is a remote name or address written
//! in the source (directly, through a constant, or in a `**config` dictionary the model can
//! see) and that do not ask for TLS:
//! - PyMySQL, aiomysql, asyncmy and MariaDB Connector/Python `connect(...)` without `ssl`,
//!   `ssl_ca`, `ssl_cert`, `ssl_verify_cert` …: these drivers then speak plaintext;
//! - mysql-connector-python and mysqlclient (`MySQLdb`) without `ssl_ca`, `ssl_verify_cert`,
//!   `ssl={...}`, `ssl_mode="REQUIRED"`/`"VERIFY_IDENTITY"` or `ssl_disabled=False`: they
//!   use TLS only when the server offers it and do not check the certificate, so an attacker
//!   on the path can strip or intercept it;
//! - psycopg / psycopg2 (keyword arguments, `key=value` DSNs and `postgresql://` URIs) and
//!   asyncpg without `sslmode` `require`/`verify-ca`/`verify-full` (libpq's default, `prefer`,
//!   has the same weakness), and with `sslmode` `disable`, `allow` or `prefer`;
//! - SQLAlchemy `create_engine(...)` / `create_async_engine(...)` URLs and module-level or
//!   settings-class URLs (`SQLALCHEMY_DATABASE_URI`, `DATABASE_URL`, `app.config[...]`,
//!   `dj_database_url.parse/config(...)`) for `mysql…`, `mariadb…` and `postgresql…` without
//!   a TLS query parameter (`?ssl_ca=…`, `?sslmode=require`, `?ssl=require`) or
//!   `connect_args={"ssl": …}`;
//! - Django `DATABASES` entries with a MySQL or PostgreSQL `ENGINE`, a remote `HOST` and no
//!   TLS in `OPTIONS` (`{"ssl": {...}}`, `{"ssl_mode": "VERIFY_IDENTITY"}`,
//!   `{"sslmode": "verify-full"}`).
//!
//! Explicitly switching TLS off (`ssl_disabled=True`, `ssl_mode="DISABLED"`,
//! `sslmode="disable"`) is reported with high confidence, also when the host comes from the
//! environment; a missing option with medium confidence, because TLS can also be required
//! by the server, an option file or `PGSSLMODE`. Private and cluster-internal hosts (`db`,
//! `mysql.shop.svc.cluster.local`, `10.0.3.12`) are reported with low severity and low
//! confidence. Passwords in URLs, DSNs and keyword arguments are masked in the report.
//!
//! Not reported: `localhost`, `127.0.0.1`, Unix sockets (`unix_socket=`, a `/path` host),
//! no host at all (the driver's local default), hosts read from the environment or settings
//! without an explicit downgrade, SQLite, hosts in the `allow-hosts` option, test code and
//! settings files for tests or local development.
//!
//! ## Why it matters
//! A database connection carries the application's database password, every query and every
//! row that comes back — customers, orders, password hashes, tokens. Without TLS, anything
//! on the network path between the application and the database (another tenant, a
//! compromised node, a misrouted VPC peering) reads it and can alter results. "Preferred"
//! TLS without certificate checks does not help against an active attacker, who simply
//! answers that TLS is unavailable.
//!
//! ## Example
//! ```python
//! import pymysql
//!
//! conn = pymysql.connect(host="orders-db.example.com", user="shop", password=PASSWORD,
//!                        database="shop")   # flagged: plaintext
//! ```
//!
//! ## Remediation
//! Require TLS and verify the server: PyMySQL
//! `ssl={"ca": "/etc/ssl/certs/rds-ca.pem"}` (or `ssl_ca=..., ssl_verify_identity=True`),
//! mysql-connector `ssl_ca=..., ssl_verify_identity=True`, mysqlclient
//! `ssl_mode="VERIFY_IDENTITY", ssl={"ca": ...}`, PostgreSQL `sslmode="verify-full",
//! sslrootcert=...`, SQLAlchemy `?ssl_ca=...` / `?sslmode=verify-full` or `connect_args`,
//! Django `OPTIONS`. Also make the server refuse plaintext (`require_secure_transport=ON`,
//! `hostssl` lines in `pg_hba.conf`). Hosts on a link that is already encrypted can be
//! listed in the `allow-hosts` option.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP Database Security Cheat Sheet, "Transport layer protection"
//! - MySQL Reference Manual, "Using Encrypted Connections"
//! - PostgreSQL documentation, libpq "SSL Support" (`sslmode`)

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::dsn::{Driver, KeywordDsn, Tls, libpq_mode, parse_keyword_dsn, url_driver, url_tls};
use crate::model::{MODULE, Model, scope_of};
use crate::settings::{
    dict_entries, dict_is_open, env_default, follow, has_interpolation, is_false, is_true,
    keyword_value, last_name, positional, string_body, string_value, walk,
};
use palisade_core::{
    Confidence, Finding, OptionsType, Owasp, Recommendation, RuleMeta, Severity, Span,
};
use palisade_knowledge::hosts::{HostKind, host_allowed, host_kind, parse_url};
use palisade_knowledge::roles::{NameRole, deployment_role};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/database-connection-without-tls",
    title: "Database connection without TLS",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mysql,
    needs_network: false,
    options: &[OptionsType::of::<RuleOptions>()],
    source: include_str!("database_connection_without_tls.rs"),
};

/// The rule's options, under `[rules."<id>".options]`.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    /// Database hosts reached over a link that is already encrypted (a VPN, an IPsec tunnel, a cloud SQL proxy) where a plaintext connection is accepted: exact names, or suffixes starting with a dot.
    pub allow_hosts: Vec<String>,
}

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call", "assignment"],
    needs_text: &[],
    text_test: None,
    check,
};

const DRIVERS: &[(&str, Driver)] = &[
    ("pymysql.connect", Driver::Plain),
    ("pymysql.Connect", Driver::Plain),
    ("pymysql.Connection", Driver::Plain),
    ("pymysql.connections.Connection", Driver::Plain),
    ("aiomysql.connect", Driver::Plain),
    ("aiomysql.create_pool", Driver::Plain),
    ("asyncmy.connect", Driver::Plain),
    ("asyncmy.create_pool", Driver::Plain),
    ("mariadb.connect", Driver::Plain),
    ("mariadb.ConnectionPool", Driver::Plain),
    ("mysql.connector.connect", Driver::Preferred),
    ("mysql.connector.MySQLConnection", Driver::Preferred),
    (
        "mysql.connector.connection.MySQLConnection",
        Driver::Preferred,
    ),
    (
        "mysql.connector.pooling.MySQLConnectionPool",
        Driver::Preferred,
    ),
    ("mysql.connector.aio.connect", Driver::Preferred),
    ("MySQLdb.connect", Driver::Preferred),
    ("MySQLdb.Connect", Driver::Preferred),
    ("MySQLdb.Connection", Driver::Preferred),
    ("MySQLdb.connections.Connection", Driver::Preferred),
    ("psycopg2.connect", Driver::Libpq),
    ("psycopg2.pool.SimpleConnectionPool", Driver::Libpq),
    ("psycopg2.pool.ThreadedConnectionPool", Driver::Libpq),
    ("psycopg.connect", Driver::Libpq),
    ("psycopg.Connection.connect", Driver::Libpq),
    ("psycopg.AsyncConnection.connect", Driver::Libpq),
    ("psycopg_pool.ConnectionPool", Driver::Libpq),
    ("psycopg_pool.AsyncConnectionPool", Driver::Libpq),
    ("asyncpg.connect", Driver::Asyncpg),
    ("asyncpg.create_pool", Driver::Asyncpg),
];

const ENGINE_FACTORIES: &[&str] = &[
    "sqlalchemy.create_engine",
    "sqlalchemy.engine.create_engine",
    "sqlalchemy.ext.asyncio.create_async_engine",
    "dj_database_url.parse",
    "dj_database_url.config",
];

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match node.kind() {
        "call" => check_call(node, cx),
        "assignment" => check_assignment(node, cx),
        _ => {}
    }
}

/// A connection's settings, by name, as far as the source shows them.
struct Options<'t> {
    entries: Vec<(String, Node<'t>)>,
    /// A `**splat` or computed part the model could not resolve.
    open: bool,
}

impl<'t> Options<'t> {
    fn get(&self, name: &str) -> Option<Node<'t>> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// The keyword arguments of a call, with `**name` dictionaries the model can resolve merged
/// in.
fn call_options<'t>(model: &Model<'t>, call: Node<'t>) -> Options<'t> {
    let mut options = Options {
        entries: Vec::new(),
        open: false,
    };
    let Some(arguments) = call.child_by_field_id(*field::ARGUMENTS) else {
        return options;
    };
    let mut cursor = arguments.walk();
    for argument in arguments.named_children(&mut cursor) {
        match argument.kind() {
            "keyword_argument" => {
                if let (Some(name), Some(value)) = (
                    argument.child_by_field_id(*field::NAME),
                    argument.child_by_field_id(*field::VALUE),
                ) {
                    options.entries.push((model.text(name).to_string(), value));
                }
            }
            "dictionary_splat" => {
                let dict = argument.named_child(0).map(|d| follow(model, d).0);
                match dict {
                    Some(d) if d.kind() == "dictionary" && !dict_is_open(d) => {
                        options.entries.extend(dict_entries(model, d));
                    }
                    _ => options.open = true,
                }
            }
            _ => {}
        }
    }
    options
}

fn text_value(model: &Model<'_>, node: Node<'_>) -> Option<String> {
    string_value(model, follow(model, node).0)
}

/// Whether an option value is off: `None`, `False`, `{}`.
fn is_off(node: Node<'_>) -> bool {
    matches!(node.kind(), "none" | "false")
        || (node.kind() == "dictionary" && node.named_child_count() == 0)
}

fn mysql_tls(model: &Model<'_>, driver: Driver, options: &Options<'_>) -> Tls {
    if let Some(v) = options.get("ssl_disabled") {
        let v = follow(model, v).0;
        if is_true(v) {
            return Tls::Weak("ssl_disabled=True".into());
        }
        if is_false(v) && driver == Driver::Preferred {
            return Tls::Required;
        }
    }
    if let Some(mode) = options.get("ssl_mode").and_then(|m| text_value(model, m)) {
        let upper = mode.to_ascii_uppercase();
        return match upper.as_str() {
            "REQUIRED" | "VERIFY_CA" | "VERIFY_IDENTITY" => Tls::Required,
            _ => Tls::Weak(format!("ssl_mode=\"{mode}\"")),
        };
    }
    for key in [
        "ssl",
        "ssl_ca",
        "ssl_cert",
        "ssl_key",
        "ssl_verify_cert",
        "ssl_verify_identity",
        "tls_versions",
    ] {
        if let Some(v) = options.get(key) {
            let v = follow(model, v).0;
            if key == "ssl" && is_false(v) {
                return Tls::Weak("ssl=False".into());
            }
            if !is_off(v) {
                return Tls::Required;
            }
        }
    }
    Tls::Default
}

fn postgres_tls(model: &Model<'_>, driver: Driver, options: &Options<'_>) -> Tls {
    if let Some(mode) = options.get("sslmode") {
        return match text_value(model, mode) {
            Some(m) => libpq_mode(&m),
            None => Tls::Required, // computed: not known
        };
    }
    if options.get("sslrootcert").is_some() {
        return Tls::Required;
    }
    if driver == Driver::Asyncpg
        && let Some(ssl) = options.get("ssl")
    {
        let value = follow(model, ssl).0;
        if is_false(value) {
            return Tls::Weak("ssl=False".into());
        }
        return match string_value(model, value) {
            Some(m) => libpq_mode(&m),
            None => Tls::Required, // True or an SSLContext
        };
    }
    Tls::Default
}

/// What the connection reaches: the host as written and the node it came from.
struct Target<'t> {
    host: Option<String>,
    /// Where to report: the host argument, the URL or DSN string.
    at: Node<'t>,
    /// Whether a host is given at all (`None` host with `given` = a non-literal host).
    given: bool,
}

fn check_call(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    // The last names in DRIVERS and ENGINE_FACTORIES: a cheap filter before resolving.
    let known = matches!(
        last_name(model, function),
        "connect"
            | "Connect"
            | "Connection"
            | "MySQLConnection"
            | "MySQLConnectionPool"
            | "SimpleConnectionPool"
            | "ThreadedConnectionPool"
            | "ConnectionPool"
            | "AsyncConnectionPool"
            | "create_pool"
            | "create_engine"
            | "create_async_engine"
            | "parse"
            | "config"
    );
    if !known || deployment_role(&cx.file.path) != NameRole::Deployed {
        return;
    }
    let Some(resolved) = model.resolve(function) else {
        return;
    };
    if ENGINE_FACTORIES.contains(&resolved.as_str()) {
        check_engine_call(call, &resolved, cx);
        return;
    }
    let Some(&(_, driver)) = DRIVERS.iter().find(|(name, _)| *name == resolved) else {
        return;
    };
    let options = call_options(model, call);
    let mut secrets: Vec<Span> = Vec::new();
    for key in ["password", "passwd", "pwd"] {
        if let Some(v) = options
            .get(key)
            .filter(|v| matches!(v.kind(), "string" | "concatenated_string"))
        {
            secrets.push(cx.span(v));
        }
    }

    // PostgreSQL DSNs: `connect("host=… sslmode=…")`, `connect("postgresql://…")`.
    let dsn = match driver {
        Driver::Libpq | Driver::Asyncpg => options
            .get("dsn")
            .or_else(|| options.get("conninfo"))
            .or_else(|| positional(call, 0)),
        _ => None,
    };
    if let Some(dsn) = dsn {
        let (value, definition) = follow(model, dsn);
        if definition.is_some_and(|d| scope_of(d) == MODULE) {
            return; // a module constant: checked where it is defined
        }
        if let Some((body, start)) = string_body(model, value).filter(|_| !has_interpolation(value))
        {
            if body.contains("://") {
                check_url(body, start, value, None, cx);
            } else {
                check_keyword_dsn(body, start, value, &resolved, &options, cx);
            }
            return;
        }
    }

    let host_node = options.get("host").or_else(|| {
        (driver == Driver::Preferred)
            .then(|| positional(call, 0))
            .flatten()
    });
    if options.get("unix_socket").is_some() {
        return;
    }
    let inside_call =
        |n: Node<'_>| n.start_byte() >= call.start_byte() && n.end_byte() <= call.end_byte();
    let target = match host_node {
        Some(h) => Target {
            host: text_value(model, h),
            // A host from a `**config` dictionary defined elsewhere: report the call.
            at: if inside_call(h) {
                h.parent()
                    .filter(|p| p.kind() == "keyword_argument")
                    .unwrap_or(h)
            } else {
                call
            },
            given: true,
        },
        None => Target {
            host: None,
            at: call,
            given: false,
        },
    };
    if options.open && host_node.is_none() {
        return; // the host may well be in the unresolved `**config`
    }
    let tls = match driver {
        Driver::Plain | Driver::Preferred => mysql_tls(model, driver, &options),
        Driver::Libpq | Driver::Asyncpg => postgres_tls(model, driver, &options),
    };
    if options.open && tls == Tls::Default {
        return; // TLS options may be in the unresolved `**config`
    }
    report(
        &format!("`{resolved}`"),
        driver,
        &target,
        &tls,
        &secrets,
        cx,
    );
}

fn default_effect(driver: Driver) -> &'static str {
    match driver {
        Driver::Plain => {
            "without any TLS option, so credentials and query results cross the network in plaintext"
        }
        Driver::Preferred => {
            "without requiring TLS: the driver uses TLS only when offered and never checks the certificate, so an attacker on the path can strip or intercept it"
        }
        Driver::Libpq | Driver::Asyncpg => {
            "without `sslmode` require/verify-full: the default `prefer` falls back to plaintext and never checks the certificate"
        }
    }
}

fn report(
    subject: &str,
    driver: Driver,
    target: &Target<'_>,
    tls: &Tls,
    secrets: &[Span],
    cx: &mut RuleContext<'_, '_>,
) {
    let (explicit, how) = match tls {
        Tls::Required => return,
        Tls::Default => (false, default_effect(driver).to_string()),
        Tls::Weak(option) => (
            true,
            format!(
                "with `{option}`, so credentials and query results can cross the network in plaintext"
            ),
        ),
    };
    let host = target.host.as_deref().map(str::to_ascii_lowercase);
    let (severity, confidence, shown) = match host.as_deref() {
        Some(h) => {
            if host_allowed(h, &cx.out.rules().options::<RuleOptions>(&META).allow_hosts) {
                return;
            }
            match host_kind(h) {
                HostKind::Local => return,
                HostKind::Internal => (Severity::Low, Confidence::Low, h.to_string()),
                HostKind::Public => (
                    META.severity,
                    if explicit {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    },
                    h.to_string(),
                ),
                HostKind::Unknown if explicit => (
                    META.severity,
                    Confidence::Medium,
                    "a host set elsewhere".to_string(),
                ),
                HostKind::Unknown => return,
            }
        }
        // A host from the environment or settings: only an explicit downgrade is known bad.
        None if target.given && explicit => (
            META.severity,
            Confidence::Medium,
            "a host set elsewhere".to_string(),
        ),
        None => return,
    };
    let mut finding = Finding::new(
        &META,
        cx.span(target.at),
        format!("{subject} connects to {shown} {how}"),
    )
    .with_severity(severity)
    .with_confidence(confidence);
    for secret in secrets {
        finding = finding.with_secret(*secret);
    }
    cx.report(finding);
}

/// `host=db.example.com dbname=shop user=app password=… sslmode=disable`
fn check_keyword_dsn(
    body: &str,
    start: usize,
    literal: Node<'_>,
    callee: &str,
    options: &Options<'_>,
    cx: &mut RuleContext<'_, '_>,
) {
    let KeywordDsn {
        host,
        mut tls,
        passwords,
    } = parse_keyword_dsn(body);
    let secrets: Vec<_> = passwords
        .iter()
        .map(|p| cx.file.span(start + p.start, start + p.end))
        .collect();
    // Keyword arguments override the DSN.
    if let Some(mode) = options.get("sslmode").and_then(|m| text_value(cx.model, m)) {
        tls = libpq_mode(&mode);
    }
    let target = Target {
        given: host.is_some(),
        host,
        at: literal,
    };
    report(
        &format!("`{callee}`"),
        Driver::Libpq,
        &target,
        &tls,
        &secrets,
        cx,
    );
}

fn check_engine_call(call: Node<'_>, callee: &str, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let url = match callee {
        "dj_database_url.config" => keyword_value(model, call, "default"),
        _ => keyword_value(model, call, "url").or_else(|| positional(call, 0)),
    };
    let Some(url) = url else {
        return;
    };
    let (value, definition) = follow(model, url);
    if definition.is_some_and(|d| scope_of(d) == MODULE) {
        return; // a module constant: checked where it is defined
    }
    let value = env_default(model, value).map_or(value, |d| follow(model, d).0);
    let Some((body, start)) = string_body(model, value) else {
        return;
    };
    if has_interpolation(value) && !body.contains('@') {
        return;
    }
    // `connect_args={...}` / `ssl_require=True` add TLS outside the URL.
    if let Some(args) = keyword_value(model, call, "connect_args") {
        let args = follow(model, args).0;
        if args.kind() != "dictionary" || dict_is_open(args) {
            return;
        }
        let entries = Options {
            entries: dict_entries(model, args),
            open: false,
        };
        let tls_in_args = [
            "ssl",
            "ssl_ca",
            "sslmode",
            "sslrootcert",
            "ssl_mode",
            "ssl_verify_cert",
        ]
        .iter()
        .find_map(|k| entries.get(k).map(|v| (*k, v)));
        if let Some((key, v)) = tls_in_args {
            let weak = match text_value(model, v) {
                Some(mode) if key.contains("mode") || key == "ssl" => {
                    matches!(libpq_mode(&mode), Tls::Weak(_))
                        && !mode.eq_ignore_ascii_case("required")
                }
                _ => is_off(follow(model, v).0),
            };
            if !weak {
                return;
            }
        }
    }
    if keyword_value(model, call, "ssl_require").is_some_and(|v| is_true(follow(model, v).0)) {
        return;
    }
    check_url(body, start, value, Some(callee), cx);
}

/// A database URL in a string literal whose text is `body`, starting at byte `start`.
fn check_url(
    body: &str,
    start: usize,
    literal: Node<'_>,
    callee: Option<&str>,
    cx: &mut RuleContext<'_, '_>,
) {
    let Some(parts) = parse_url(body) else {
        return;
    };
    let Some(driver) = url_driver(&parts.scheme) else {
        return;
    };
    let tls = url_tls(&parts, driver);
    let mut secrets = Vec::new();
    if let Some(password) = &parts.password {
        secrets.push(cx.file.span(start + password.start, start + password.end));
    }
    let target = Target {
        host: (!parts.host.is_empty()).then(|| parts.host.clone()),
        at: literal,
        given: !parts.host.is_empty(),
    };
    let subject = match callee {
        Some(c) => format!("`{c}(\"{}://…\")`", parts.scheme),
        None => format!("this `{}://` URL", parts.scheme),
    };
    report(&subject, driver, &target, &tls, &secrets, cx);
}

/// Module-level and settings-class database URLs, `app.config["SQLALCHEMY_DATABASE_URI"]`,
/// and Django `DATABASES`.
fn check_assignment(assignment: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(left), Some(right)) = (
        assignment.child_by_field_id(*field::LEFT),
        assignment.child_by_field_id(*field::RIGHT),
    ) else {
        return;
    };
    // `app.config["SQLALCHEMY_DATABASE_URI"] = …` counts wherever it is (app factories);
    // other targets only at module level or in a class body.
    if !matches!(left.kind(), "identifier" | "subscript")
        || !matches!(
            right.kind(),
            "string" | "concatenated_string" | "call" | "dictionary"
        )
    {
        return;
    }
    let config_item = left.kind() == "subscript"
        && left
            .child_by_field_id(*field::VALUE)
            .filter(|v| matches!(v.kind(), "identifier" | "attribute"))
            .map(|v| model.text(v))
            .is_some_and(|d| d == "config" || d.ends_with(".config"));
    if scope_of(assignment) != MODULE && !config_item {
        return;
    }
    if deployment_role(&cx.file.path) != NameRole::Deployed {
        return;
    }
    let target = model.text(left);
    if target == "DATABASES" {
        check_django_databases(assignment, right, cx);
        return;
    }
    if !matches!(left.kind(), "identifier" | "subscript") {
        return;
    }
    let value = env_default(model, right).map_or(right, |d| follow(model, d).0);
    let Some((body, start)) = string_body(model, value) else {
        return;
    };
    if has_interpolation(value) && !body.contains('@') {
        return;
    }
    if !body.contains("://")
        || parse_url(body)
            .and_then(|p| url_driver(&p.scheme))
            .is_none()
    {
        return;
    }
    // Flask-SQLAlchemy engine options elsewhere in the module may add TLS.
    if !model.values(MODULE, "SQLALCHEMY_ENGINE_OPTIONS").is_empty() {
        return;
    }
    if left.kind() == "identifier" && engine_adds_tls(model, assignment, target) {
        return;
    }
    check_url(body, start, value, None, cx);
}

/// Whether the module passes the constant `name` to `create_engine(...)` together with
/// `connect_args` (which may hold the TLS options). Walks the module, which only happens
/// for the few files that define a database URL constant.
fn engine_adds_tls(model: &Model<'_>, assignment: Node<'_>, name: &str) -> bool {
    let mut root = assignment;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    let mut found = false;
    walk(root, &mut |n| {
        if found {
            return false;
        }
        if n.kind() == "call"
            && n.child_by_field_id(*field::FUNCTION)
                .and_then(|f| model.resolve(f))
                .is_some_and(|r| ENGINE_FACTORIES.contains(&r.as_str()))
            && positional(n, 0)
                .or_else(|| keyword_value(model, n, "url"))
                .is_some_and(|u| model.text(u) == name)
            && (keyword_value(model, n, "connect_args").is_some()
                || keyword_value(model, n, "ssl_require").is_some())
        {
            found = true;
        }
        true
    });
    found
}

fn check_django_databases(assignment: Node<'_>, value: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    if value.kind() != "dictionary" || options_set_later(model, assignment) {
        return;
    }
    for (_, alias) in dict_entries(model, value) {
        let alias = follow(model, alias).0;
        if alias.kind() != "dictionary" {
            continue;
        }
        let options = Options {
            entries: dict_entries(model, alias),
            open: dict_is_open(alias),
        };
        let Some(engine) = options.get("ENGINE").and_then(|e| text_value(model, e)) else {
            continue;
        };
        let driver = if engine.contains("mysql") {
            Driver::Preferred
        } else if engine.contains("postgres") || engine.contains("postgis") {
            Driver::Libpq
        } else {
            continue;
        };
        let Some(host_node) = options.get("HOST") else {
            continue;
        };
        let tls = match options.get("OPTIONS").map(|o| follow(model, o).0) {
            None => Tls::Default,
            Some(o) if o.kind() == "dictionary" && !dict_is_open(o) => {
                let inner = Options {
                    entries: dict_entries(model, o),
                    open: false,
                };
                match driver {
                    Driver::Libpq => postgres_tls(model, driver, &inner),
                    _ => mysql_tls(model, driver, &inner),
                }
            }
            Some(_) => Tls::Required, // computed: not known
        };
        let secrets: Vec<Span> = options
            .get("PASSWORD")
            .filter(|p| matches!(p.kind(), "string" | "concatenated_string"))
            .map(|p| cx.span(p))
            .into_iter()
            .collect();
        let target = Target {
            host: text_value(model, host_node),
            at: host_node.parent().unwrap_or(host_node),
            given: true,
        };
        report(
            &format!("the `DATABASES` entry ({engine})"),
            driver,
            &target,
            &tls,
            &secrets,
            cx,
        );
    }
}

/// Whether the module later sets `DATABASES[...]["OPTIONS"]` (or an option inside it).
fn options_set_later(model: &Model<'_>, assignment: Node<'_>) -> bool {
    let Some(root) = ({
        let mut current = assignment;
        while let Some(parent) = current.parent() {
            current = parent;
        }
        Some(current)
    }) else {
        return false;
    };
    let mut cursor = root.walk();
    root.named_children(&mut cursor).any(|statement| {
        statement.kind() == "expression_statement"
            && statement.start_byte() > assignment.start_byte()
            && {
                let text = model.text(statement);
                text.starts_with("DATABASES[") && text.contains("OPTIONS")
            }
    })
}
