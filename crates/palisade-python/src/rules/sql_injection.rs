//! Flags SQL text built from non-constant values that reaches a database call.
//!
//! ## What it checks
//! Calls that run SQL text — DB-API `cursor.execute` / `executemany` / `executescript`
//! (pymysql, MySQLdb, mysql-connector, aiomysql, sqlite3, psycopg 2 and 3, and
//! `connection.execute` of sqlite3), SQLAlchemy `text(...)`, `Session.execute` /
//! `Connection.execute` / `exec_driver_sql`, Django `Manager.raw(...)`,
//! `QuerySet.extra(where=…, select=…, tables=…, order_by=…)`, `RawSQL(...)` and
//! `connection.cursor()`, asyncpg's `fetch` / `fetchrow` / `fetchval` / `cursor` / `prepare`
//! and pg8000's `run` (in files that import those drivers), pandas `read_sql` / `read_sql_query`, and psycopg's `sql.SQL(...)` —
//! whose query argument is *built* from a value that is not a constant: an f-string, `%`
//! formatting, `.format()`, `+` / `+=` concatenation or `join`, directly in the call or in
//! local variables assigned earlier in the function, across branches. A helper of the same
//! file that hands one of its parameters unchanged to such a call
//! (`def query_db(query, args=()): cur.execute(query, args)`) is treated as a sink for that
//! argument (one level deep). The finding is placed on the query argument of the call;
//! related locations point at the line where the non-constant value joins the text and,
//! when it is elsewhere, where it is read.
//!
//! A method named `execute` counts as a sink when its receiver can be traced to a database
//! connection, cursor, session or engine (a driver's `connect()`, `conn.cursor()`, Django's
//! `connection`, `engine.connect()`, `with … as cur`), or, when it cannot be traced, if the
//! file imports a database library or the receiver is named like a database handle (`cur`,
//! `self.conn`, `db.session`, `get_db()`); never when it is traced to a thread pool, a task
//! queue or another non-database library.
//!
//! Confidence says whether someone outside can reach the text. It is high only when an
//! outside source — request data (`request.args`, `request.GET`, `request.get_json()`, …), a
//! route handler's parameters (FastAPI path and query parameters), `input()`, `sys.argv`,
//! `os.environ`, a socket — reaches it, directly or through call sites of the same file, up
//! to two levels of callers (`legacy_rows(src, args.table)` reaches `legacy_rows`'s query,
//! which is reported there, with the call site as a related location). A parameter of a
//! module-level function or method nothing in its file calls is graded by the call sites of
//! the project's other files that import it (`db.search_products(request.args["q"])` in
//! `app.py` makes `db.py`'s query high; `Rule.next_ids(len(rules))` makes it low; call
//! sites in test files do not count), and is medium when none is found. Everything else is
//! low: values the program
//! itself defines or reads back — `Model.__tablename__`, Django's `_meta.db_table` (also
//! through a local `meta = model._meta`), a
//! class's `__name__`, class constants (`self.threshold`), rows read from the database or
//! its catalog, a helper's result such as a `(sql, params)` builder, a parameter every
//! caller of the file fills with such values. Low findings are still reported (formatting
//! identifiers into SQL is fragile), but they are not worth a reviewer's first look.
//!
//! To keep the noise down, the text must *be* SQL: the constant parts, with the holes filled
//! with placeholders, must start with a statement keyword and have the shape that keyword
//! needs (`SELECT … FROM`, `INSERT INTO`, `UPDATE … SET`, `DELETE FROM`, …) and must not
//! read as English prose. Fragments passed where the API expects SQL (`text()`, `RawSQL`,
//! `extra()`) need an operator or SQL keyword. A query taken whole from request data or the
//! command line is reported even though it has no constant text.
//!
//! Not reported: placeholders with the values passed separately (`%s`, `?`, `:name`,
//! `%(name)s`), even when the query is assembled in several steps; concatenations of
//! literals and constants; placeholder lists such as `", ".join(["%s"] * len(ids))`;
//! identifiers picked from a constant allow-list (`ORDERINGS[key]`, `if col in ALLOWED:`,
//! `col if col in ALLOWED else "id"`) or quoted by the driver (`connection.ops.quote_name`,
//! `quote_ident`); numbers (`int(x)`, `%d`, `{n:d}`, parameters annotated `int`); psycopg's
//! `sql.SQL(...).format(sql.Identifier(...))` composition; `cursor.mogrify(...)`; ORM query
//! builders; a helper's own `execute(query)` of its `query` parameter; methods named
//! `execute` on objects that are not database handles (thread pools, GraphQL schemas, …) in
//! files that import no database library.
//!
//! ## Why it matters
//! When a value is formatted into SQL text, whoever controls the value controls the query:
//! a `sort` parameter of `created_at; DROP TABLE orders` or a search term of `' OR '1'='1`
//! reads every customer's data, changes prices or deletes tables. It is the classic A03
//! injection, still among the most exploited web vulnerabilities, and the policy's `mysql`
//! recommendation asks for prepared statements and parameterized queries everywhere.
//! Escaping by hand is easy to get wrong (character sets, numeric contexts, identifiers);
//! parameters are not.
//!
//! ## Example
//! ```python
//! @app.get("/orders")
//! def list_orders():
//!     status = request.args.get("status", "open")
//!     sql = f"SELECT id, total FROM orders WHERE status = '{status}'"
//!     with db.cursor() as cur:
//!         # Flagged: the request's `status` is formatted into the SQL two lines above.
//!         cur.execute(sql)
//!         return jsonify(cur.fetchall())
//! ```
//!
//! ## Remediation
//! Pass values as parameters and let the driver bind them:
//! `cur.execute("SELECT id, total FROM orders WHERE status = %s", (status,))` (pymysql,
//! MySQLdb, psycopg use `%s` / `%(name)s`, sqlite3 uses `?` / `:name`, SQLAlchemy
//! `text("… WHERE status = :status")` with `{"status": status}`, Django
//! `Model.objects.raw(sql, [status])` and `extra(where=[…], params=[…])`). For a variable
//! list, build placeholders, not values: `", ".join(["%s"] * len(ids))`. Identifiers (table
//! and column names, sort directions) cannot be parameters: map the user's choice through a
//! fixed dict (`ORDERINGS = {"newest": "created_at DESC"}`) or check it against a constant
//! allow-list, or use psycopg's `sql.Identifier`. Better still, use the ORM's query builder.
//!
//! ## References
//! - CWE-89: Improper Neutralization of Special Elements used in an SQL Command
//! - OWASP Top 10 2021, A03 Injection
//! - OWASP SQL Injection Prevention Cheat Sheet; OWASP Query Parameterization Cheat Sheet
//! - PEP 249 (DB-API 2.0), `paramstyle`; Django documentation, "Performing raw SQL queries"
//! - SQLAlchemy documentation, "Using Textual SQL"; psycopg documentation, `psycopg.sql`

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::flow::{self, Hole, Origin};
use crate::model::Model;
use crate::reach::{Grade, grade};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::sql::{looks_like_fragment, looks_like_statement};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/sql-injection",
    title: "SQL built from non-constant values",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[89],
    owasp: Owasp::A03,
    recommendation: Recommendation::Mysql,
    needs_network: false,
    options: &[],
    source: include_str!("sql_injection.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call"],
    needs_text: SINK_WORDS,
    text_test: Some(may_call_raw_or_extra),
    check,
};

/// Words a file holds when it has any sink (`sink`; a `wrapper_sink` needs a sink in a
/// helper of the same file). Sound, case by case:
/// - `execute`, `executemany`, `executescript`, `exec_driver_sql`: the method name is spelled
///   in the call (`execute` is a part of the first three);
/// - the resolved sinks (`sqlalchemy.text`, `sqlmodel.text`, `RawSQL`, `psycopg.sql.SQL`,
///   pandas' `read_sql*`): `Model::resolve` only follows non-relative imports, whose module
///   path is spelled in the import statement (`sqlalchemy`, `sqlmodel`, `psycopg` is a part
///   of `psycopg2`), and the last name of a resolved chain is spelled in the call or in the
///   import that binds it (`RawSQL`, `read_sql` is a part of `read_sql_query`);
/// - asyncpg's and pg8000's query methods count only in files that import the driver
///   (`Model::imports_package`, from the import's spelled module path).
///
/// Django's `raw` and `extra` methods are spelled in the call too, but are too common as
/// parts of other words: [`may_call_raw_or_extra`] looks for them as whole names.
const SINK_WORDS: &[&str] = &[
    "execute",
    "exec_driver_sql",
    "sqlalchemy",
    "sqlmodel",
    "RawSQL",
    "psycopg",
    "read_sql",
    "asyncpg",
    "pg8000",
];

/// Whether a file can call a `raw` or `extra` method (the Django sinks): the method's name
/// is an identifier token of the call ([`super::has_name`]).
fn may_call_raw_or_extra(text: &str) -> bool {
    super::has_name(text, "raw") || super::has_name(text, "extra")
}

/// Top-level packages (or package prefixes) of database drivers and toolkits.
const DB_PACKAGES: &[&str] = &[
    "pymysql",
    "MySQLdb",
    "mysql.connector",
    "aiomysql",
    "asyncmy",
    "mariadb",
    "sqlite3",
    "aiosqlite",
    "psycopg",
    "psycopg2",
    "psycopg_pool",
    "aiopg",
    "asyncpg",
    "pg8000",
    "sqlalchemy",
    "flask_sqlalchemy",
    "sqlmodel",
    "databases",
    "pyodbc",
    "pymssql",
    "oracledb",
    "cx_Oracle",
    "duckdb",
    "clickhouse_driver",
    "snowflake.connector",
    "django.db",
];

/// Packages whose `execute` methods run something other than SQL.
const NON_DB_PACKAGES: &[&str] = &[
    "concurrent",
    "multiprocessing",
    "subprocess",
    "asyncio",
    "threading",
    "celery",
    "paramiko",
    "fabric",
    "invoke",
    "graphql",
    "graphene",
    "ariadne",
    "strawberry",
    "redis",
    "docker",
    "boto3",
    "click",
    "typer",
];

/// Methods that run a whole statement.
const EXECUTE_METHODS: &[&str] = &["execute", "executemany", "executescript", "exec_driver_sql"];

/// Keyword names of the query argument across drivers.
const QUERY_KEYWORDS: &[&str] = &[
    "query",
    "sql",
    "operation",
    "statement",
    "stmt",
    "sql_script",
    "raw_query",
    "text",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A whole statement (`execute`, `raw`, `read_sql`).
    Statement,
    /// SQL the API takes as text, possibly a fragment (`text()`, `RawSQL`, `extra(where=…)`).
    Fragment,
}

struct Sink<'t> {
    /// The callee as written (`cur.execute`, `Order.objects.raw`).
    name: String,
    /// For a helper of this file that hands its argument to a sink: that sink.
    via: Option<String>,
    form: Form,
    queries: Vec<Node<'t>>,
}

fn check(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(sink) = sink(model, call).or_else(|| wrapper_sink(model, call)) else {
        return;
    };
    for query in &sink.queries {
        report_query(&sink, *query, cx);
    }
}

/// Largest helper (in bytes of source) examined as a possible wrapper of a sink.
pub(crate) const MAX_WRAPPER_BYTES: usize = 8_000;

/// A call to a function or method of this file that passes one of its parameters, unchanged,
/// as the query of a sink (`def run(conn, query, params=None): cur.execute(query, params)`):
/// the call's argument for that parameter is a query too. One level deep.
fn wrapper_sink<'t>(model: &Model<'t>, call: Node<'t>) -> Option<Sink<'t>> {
    let function = call.child_by_field_id(*field::FUNCTION)?;
    // Most calls name functions defined elsewhere: the model's set of defined names is far
    // cheaper than looking the callee up in the scopes (and, unlike a search of the file's
    // text, does not make the rule quadratic in the file's size).
    let name = match function.kind() {
        "identifier" => model.text(function),
        "attribute" => model.text(function.child_by_field_id(*field::ATTRIBUTE)?),
        _ => return None,
    };
    if !model.defines_function(name) {
        return None;
    }
    let (definition, implicit_self) = flow::callee_definition(model, function)?;
    if definition.byte_range().len() > MAX_WRAPPER_BYTES {
        return None;
    }
    let body = definition.child_by_field_id(*field::BODY)?;
    let text = model.text(body);
    if ![
        "execute", "raw", "extra", "text", "read_sql", "RawSQL", "SQL",
    ]
    .iter()
    .any(|word| text.contains(word))
    {
        return None;
    }
    let params = flow::parameter_names(model, definition);
    let mut passed: Vec<(usize, &str, Form, String)> = Vec::new();
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "function_definition" | "class_definition" | "lambda" => continue,
            "call" => {
                if let Some(inner) = sink(model, node) {
                    for query in inner.queries.iter().filter(|q| q.kind() == "identifier") {
                        let name = model.text(*query);
                        if let Some(index) = params.iter().position(|p| p == name)
                            && passes_unchanged(model, *query, name)
                        {
                            passed.push((index, name, inner.form, inner.name.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
        stack.extend(named(node));
    }
    let (_, _, form, inner) = passed.first()?.clone();
    let positional = flow::positional(call);
    let queries = passed
        .iter()
        .filter_map(|(index, name, _, _)| {
            let index = if implicit_self {
                index.checked_sub(1)
            } else {
                Some(*index)
            };
            index
                .and_then(|i| positional.get(i).copied())
                .or_else(|| flow::keyword(model, call, name))
        })
        .collect();
    Some(Sink {
        name: flow::short(model.text(function)),
        via: Some(inner),
        form,
        queries,
    })
}

/// Whether `query` (a use of parameter `name`) still holds the parameter's value unchanged.
fn passes_unchanged(model: &Model<'_>, query: Node<'_>, name: &str) -> bool {
    let variants = flow::construction(model, query);
    matches!(
        variants.as_slice(),
        [only] if matches!(
            only.parts.as_slice(),
            [flow::Part::Hole(Hole { origin: flow::Origin::Parameter { name: n, .. }, .. })] if n == name
        )
    )
}

fn sink<'t>(model: &Model<'t>, call: Node<'t>) -> Option<Sink<'t>> {
    let function = call.child_by_field_id(*field::FUNCTION)?;
    let name = flow::short(model.text(function));
    if let Some(resolved) = model.resolve(function) {
        let form = match resolved.as_str() {
            "sqlalchemy.text"
            | "sqlalchemy.sql.text"
            | "sqlalchemy.sql.expression.text"
            | "sqlmodel.text"
            | "django.db.models.RawSQL"
            | "django.db.models.expressions.RawSQL"
            | "psycopg.sql.SQL"
            | "psycopg2.sql.SQL" => Some(Form::Fragment),
            "pandas.read_sql"
            | "pandas.read_sql_query"
            | "pandas.io.sql.read_sql"
            | "pandas.io.sql.read_sql_query" => Some(Form::Statement),
            _ => None,
        };
        if let Some(form) = form {
            return Some(Sink {
                name,
                via: None,
                form,
                queries: query_argument(model, call).into_iter().collect(),
            });
        }
    }
    if function.kind() != "attribute" {
        return None;
    }
    let receiver = function.child_by_field_id(*field::OBJECT)?;
    let method = model.text(function.child_by_field_id(*field::ATTRIBUTE)?);
    let receiver_text = model.text(receiver);
    if EXECUTE_METHODS.contains(&method) {
        let is_sink = match classify(model, receiver, 0) {
            Handle::Db => true,
            Handle::NotDb => false,
            Handle::Unknown => imports_db(model) || db_like_name(model, receiver),
        };
        return is_sink.then(|| Sink {
            name,
            via: None,
            form: Form::Statement,
            queries: query_argument(model, call).into_iter().collect(),
        });
    }
    if let Some(package) = driver_query_method(method)
        && model.imports_package(package)
        && match classify(model, receiver, 0) {
            Handle::Db => true,
            Handle::NotDb => false,
            Handle::Unknown => db_like_name(model, receiver),
        }
    {
        return Some(Sink {
            name,
            via: None,
            form: Form::Statement,
            queries: query_argument(model, call).into_iter().collect(),
        });
    }
    let manager = receiver_text.contains("objects") || receiver_text.contains("manager");
    match method {
        "raw" if manager => Some(Sink {
            name,
            via: None,
            form: Form::Statement,
            queries: query_argument(model, call).into_iter().collect(),
        }),
        "extra" if manager || model.imports_package("django") => {
            let mut queries = Vec::new();
            for keyword in ["where", "tables", "order_by", "select"] {
                let Some(value) = flow::keyword(model, call, keyword) else {
                    continue;
                };
                match value.kind() {
                    "list" | "tuple" => queries.extend(named(value)),
                    "dictionary" => queries.extend(
                        named(value)
                            .into_iter()
                            .filter_map(|p| p.child_by_field_id(*field::VALUE)),
                    ),
                    _ => queries.push(value),
                }
            }
            Some(Sink {
                name,
                via: None,
                form: Form::Fragment,
                queries,
            })
        }
        _ => None,
    }
}

/// Query methods of one driver beyond `execute` (asyncpg's `fetch*` and `cursor(query)`,
/// pg8000's `run`), with the package a file must import for them to count: the names are
/// too common to trust elsewhere.
fn driver_query_method(method: &str) -> Option<&'static str> {
    match method {
        "fetch" | "fetchrow" | "fetchval" | "cursor" | "prepare" => Some("asyncpg"),
        "run" => Some("pg8000"),
        _ => None,
    }
}

fn named(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// The query: the first positional argument, or the keyword drivers use for it.
fn query_argument<'t>(model: &Model<'t>, call: Node<'t>) -> Option<Node<'t>> {
    if let Some(first) = flow::positional(call).first() {
        return Some(*first);
    }
    QUERY_KEYWORDS
        .iter()
        .find_map(|k| flow::keyword(model, call, k))
}

/// What a receiver is known to be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Handle {
    /// A database connection, cursor, session or engine.
    Db,
    /// An object of a library that is not a database.
    NotDb,
    Unknown,
}

fn package_of(resolved: &str, packages: &[&str]) -> bool {
    packages
        .iter()
        .any(|p| resolved == *p || resolved.starts_with(&format!("{p}.")))
}

/// Traces a receiver to what made it: a driver's `connect()`, `conn.cursor()`, Django's
/// `connection`, a thread pool, …
fn classify<'t>(model: &Model<'t>, receiver: Node<'t>, depth: u32) -> Handle {
    if depth > 8 {
        return Handle::Unknown;
    }
    match receiver.kind() {
        "await" | "parenthesized_expression" => match receiver.named_child(0) {
            Some(inner) => classify(model, inner, depth + 1),
            None => Handle::Unknown,
        },
        "subscript" => match receiver.child_by_field_id(*field::VALUE) {
            Some(inner) => classify(model, inner, depth + 1),
            None => Handle::Unknown,
        },
        "call" => {
            let Some(function) = receiver.child_by_field_id(*field::FUNCTION) else {
                return Handle::Unknown;
            };
            if let Some(resolved) = model.resolve(function) {
                if package_of(&resolved, DB_PACKAGES) {
                    return Handle::Db;
                }
                if package_of(&resolved, NON_DB_PACKAGES) {
                    return Handle::NotDb;
                }
            }
            if function.kind() == "attribute"
                && let (Some(object), Some(method)) = (
                    function.child_by_field_id(*field::OBJECT),
                    function.child_by_field_id(*field::ATTRIBUTE),
                )
            {
                return match model.text(method) {
                    "cursor" => Handle::Db,
                    "connect" | "acquire" | "begin" | "connection" | "raw_connection"
                    | "get_connection" | "session" | "Session" | "execution_options" => {
                        match classify(model, object, depth + 1) {
                            Handle::NotDb => Handle::NotDb,
                            Handle::Db => Handle::Db,
                            Handle::Unknown => Handle::Unknown,
                        }
                    }
                    _ => Handle::Unknown,
                };
            }
            Handle::Unknown
        }
        "identifier" | "attribute" => {
            if let Some(resolved) = model.resolve(receiver) {
                if package_of(&resolved, DB_PACKAGES) {
                    return Handle::Db;
                }
                if package_of(&resolved, NON_DB_PACKAGES) {
                    return Handle::NotDb;
                }
            }
            let values = flow::assigned_values(model, receiver);
            let kinds: Vec<Handle> = values
                .iter()
                .map(|v| classify(model, *v, depth + 1))
                .collect();
            if kinds.contains(&Handle::Db) {
                Handle::Db
            } else if !kinds.is_empty() && kinds.iter().all(|k| *k == Handle::NotDb) {
                Handle::NotDb
            } else {
                Handle::Unknown
            }
        }
        _ => Handle::Unknown,
    }
}

fn imports_db(model: &Model<'_>) -> bool {
    DB_PACKAGES
        .iter()
        .any(|p| model.imports_package(p.split('.').next().unwrap_or(p)))
}

/// Whether the receiver's name reads like a database handle (`cur`, `self.conn`,
/// `db.session`, `get_db()`).
fn db_like_name(model: &Model<'_>, receiver: Node<'_>) -> bool {
    let mut node = receiver;
    loop {
        match node.kind() {
            "call" => match node.child_by_field_id(*field::FUNCTION) {
                Some(f) => node = f,
                None => return false,
            },
            "await" | "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => node = inner,
                None => return false,
            },
            "subscript" => match node.child_by_field_id(*field::VALUE) {
                Some(inner) => node = inner,
                None => return false,
            },
            _ => break,
        }
    }
    let text = model.text(node);
    let last = text.rsplit('.').next().unwrap_or(text).to_ascii_lowercase();
    last.split('_').any(|token| {
        matches!(
            token,
            "cursor"
                | "cur"
                | "curs"
                | "conn"
                | "connection"
                | "cnx"
                | "con"
                | "db"
                | "database"
                | "session"
                | "engine"
                | "dbh"
                | "tx"
                | "txn"
                | "transaction"
                | "sqlite"
                | "mysql"
                | "pg"
                | "sql"
        ) || token.starts_with("db")
            || token.ends_with("db")
            || token.ends_with("conn")
            || token.ends_with("cursor")
            || token.ends_with("session")
    })
}

/// What placeholders stand for a hole and an unknown constant in the SQL-ness check.
const HOLE: &str = "__hole__";
const CONSTANT: &str = "__const__";

fn report_query(sink: &Sink<'_>, query: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let variants = flow::construction(model, query);
    let mut best: Option<(&Hole<'_>, Grade<'_>, bool)> = None;
    for variant in &variants {
        if variant.is_constant() {
            continue;
        }
        let literal = variant.literal_text();
        let whole =
            literal.trim().is_empty() && variant.holes().any(|h| h.origin.is_untrusted_input());
        let template = variant.template(HOLE, CONSTANT);
        let sql = whole
            || match sink.form {
                Form::Statement => looks_like_statement(&template),
                Form::Fragment => looks_like_fragment(&template, &literal),
            };
        if !sql {
            continue;
        }
        for hole in variant.holes() {
            let grade = grade(model, hole, 0);
            if best
                .as_ref()
                .is_none_or(|(_, b, _)| grade.confidence > b.confidence)
            {
                best = Some((hole, grade, whole));
            }
        }
    }
    let Some((hole, grade, whole)) = best else {
        return;
    };
    let origin = match &grade.caller {
        Some((_, passed)) => format!(
            "{}, which a caller fills with {passed}",
            hole.origin.describe()
        ),
        None => hole.origin.describe(),
    };
    let callee = match &sink.via {
        Some(inner) => format!("`{}` (which passes it to `{inner}`)", sink.name),
        None => format!("`{}`", sink.name),
    };
    let message = if whole {
        format!(
            "{callee} runs SQL taken whole from {origin}; only fixed SQL text with bound parameters should reach the database"
        )
    } else {
        format!(
            "{callee} runs SQL built {}from {origin}; bind values as query parameters (and pick identifiers from a fixed allow-list) instead of formatting them into the SQL",
            hole.entry.map_or(String::new(), |e| how(model, e)),
        )
    };
    let origin_text = origin.clone();
    let mut finding =
        Finding::new(&META, cx.span(query), message).with_confidence(grade.confidence);
    let source = flow::short(model.text(hole.source));
    if let Some(entry) = hole.entry
        && !within(entry, query)
    {
        let written = flow::short(model.text(hole.written.unwrap_or(hole.source)));
        finding =
            finding.with_related(cx.span(entry), format!("`{written}` enters the query here"));
    }
    let entry_line = hole.entry.map(|e| e.start_position().row);
    if !within(hole.source, query)
        && !hole.entry.is_some_and(|e| within(hole.source, e))
        && entry_line != Some(hole.source.start_position().row)
    {
        let note = match &hole.origin {
            flow::Origin::Other(_) => format!("`{source}` comes from here"),
            _ => format!("{origin} is read here"),
        };
        finding = finding.with_related(cx.span(hole.source), note);
    }
    if let Some((argument, passed)) = &grade.caller {
        let parameter = match &hole.origin {
            Origin::Parameter { name, .. } => format!(" for `{name}`"),
            _ => String::new(),
        };
        finding = finding.with_related(
            cx.span(*argument),
            format!("a caller passes {passed}{parameter} here"),
        );
    }
    // A parameter of a function nothing in this file calls: its callers elsewhere decide.
    if let Some((definition, parameter)) = &grade.open
        && let Some((function, takes_self)) =
            crate::call_sites::qualified_function(model, *definition)
    {
        let position = flow::parameter_names(model, *definition)
            .iter()
            .position(|p| p == parameter)
            .and_then(|i| i.checked_sub(usize::from(takes_self)));
        cx.defer(finding, function, parameter.clone(), position, origin_text);
        return;
    }
    cx.report(finding);
}

fn within(inner: Node<'_>, outer: Node<'_>) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// How a value joined the text, for messages: "with an f-string ".
fn how(model: &Model<'_>, entry: Node<'_>) -> String {
    let text = match entry.kind() {
        "string" => "with an f-string",
        "binary_operator" => match entry.child_by_field_id(*field::OPERATOR).map(|o| model.text(o)) {
            Some("%") => "with `%` formatting",
            _ => "by `+` concatenation",
        },
        "augmented_assignment" => "with `+=`",
        "call" => {
            let method = entry
                .child_by_field_id(*field::FUNCTION)
                .and_then(|f| f.child_by_field_id(*field::ATTRIBUTE))
                .map(|m| model.text(m));
            match method {
                Some("format") => "with `.format()`",
                Some("join") => "with `join`",
                Some("append" | "extend" | "insert") => "from a list of clauses",
                Some("replace") => "with `replace`",
                _ => "",
            }
        }
        _ => "",
    };
    if text.is_empty() {
        String::new()
    } else {
        format!("{text} ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PythonAnalyzer;
    use palisade_core::config::RuleSet;
    use palisade_core::{Analyzer, FileContext, SourceFile};

    /// (line, confidence, message, related notes) of every finding in `source`.
    fn scan(source: &str) -> Vec<(u32, Confidence, String, Vec<String>)> {
        let file = SourceFile::in_memory("app.py", source);
        let rules = RuleSet::only(&[&META], &[META.id]);
        let mut cx = FileContext::new(&file, &rules);
        let facts = PythonAnalyzer.check_file(&file, &mut cx, &Default::default());
        let (mut findings, _) = cx.into_parts();
        // No other file calls anything: deferred findings keep their grade.
        findings.extend(facts.into_iter().flat_map(|f| f.deferred).map(|d| d.finding));
        findings.sort_by_key(|f| f.location.line());
        findings
            .into_iter()
            .map(|f| {
                let notes = f
                    .related
                    .iter()
                    .map(|r| format!("{}: {}", r.location.span.start_line, r.message))
                    .collect();
                (f.location.line(), f.confidence, f.message, notes)
            })
            .collect()
    }

    #[test]
    fn a_file_without_sink_words_is_not_checked_but_its_call_sites_are_recorded() {
        let caller = "from flask import request\nfrom shop import db\n\ndef search():\n    return db.search_products(request.args.get(\"q\"))\n";
        assert!(!RULE.may_match(caller));
        let file = SourceFile::in_memory("shop/views.py", caller);
        let rules = RuleSet::only(&[&META], &[META.id]);
        let mut cx = FileContext::new(&file, &rules);
        let facts = PythonAnalyzer.check_file(&file, &mut cx, &Default::default());
        let sites = facts.map(|f| f.call_sites).unwrap_or_default();
        assert_eq!(sites.len(), 1, "{sites:?}");
        assert_eq!(sites[0].callee, "shop.db.search_products");
        assert_eq!(sites[0].positional[0].confidence, Confidence::High);
    }

    #[test]
    fn every_sink_form_passes_the_text_test() {
        for source in [
            "cur.execute(q)",
            "conn.exec_driver_sql(q)",
            "from sqlalchemy import text as t\nt(q)",
            "import sqlmodel\nsqlmodel.text(q)",
            "from django.db.models import RawSQL\nRawSQL(q, [])",
            "from psycopg2 import sql\nsql.SQL(q)",
            "import pandas as pd\npd.read_sql_query(q, conn)",
            "import asyncpg\nawait conn.fetch(q)",
            "import pg8000\nconn.run(q)",
            "User.objects.raw(q)",
            "qs = (User.objects\n  .extra(where=[q]))",
            "x = 1.raw",
        ] {
            assert!(RULE.may_match(source), "{source}");
        }
        for source in ["draw(q)", "raw_data = extras.get(q)", "text = read(q)", "cursor = c"] {
            assert!(!RULE.may_match(source), "{source}");
        }
    }

    #[test]
    fn confidence_follows_where_the_value_comes_from() {
        let findings = scan(
            r#"
import pymysql

def by_name(conn, name):
    with conn.cursor() as cur:
        cur.execute(f"SELECT id FROM users WHERE name = '{name}'")
        row = cur.fetchone()
        cur.execute("DELETE FROM sessions WHERE user_id = " + str(row["id"]))
"#,
        );
        let summary: Vec<(u32, Confidence)> = findings.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(
            summary,
            [(6, Confidence::Medium), (8, Confidence::Low)],
            "{findings:#?}"
        );
        assert!(findings[0].2.contains("parameter `name` of `by_name`"));
        assert!(findings[1].2.contains("`row[\"id\"]`"));
    }

    #[test]
    fn related_locations_point_where_the_value_enters_and_is_read() {
        let findings = scan(
            r#"
from flask import request
import pymysql

def orders(db):
    status = request.args.get("status", "open")
    sql = f"SELECT id FROM orders WHERE status = '{status}'"
    with db.cursor() as cur:
        cur.execute(sql)
"#,
        );
        assert_eq!(findings.len(), 1, "{findings:#?}");
        let (line, confidence, message, notes) = &findings[0];
        assert_eq!((*line, *confidence), (9, Confidence::High));
        assert!(
            message.contains("with an f-string from request data"),
            "{message}"
        );
        assert_eq!(
            notes,
            &[
                "7: `status` enters the query here".to_string(),
                "6: request data `request.args.get(\"status\", \"open\")` is read here".to_string(),
            ]
        );
    }

    #[test]
    fn a_parameter_is_graded_by_what_the_files_callers_pass() {
        let findings = scan(
            r#"
import sqlite3
import sys

def legacy_rows(src, table):
    sql = "SELECT id, email FROM " + table
    return src.execute(sql)

def sizes(src, table):
    return src.execute(f"SELECT COUNT(*) FROM {table}")

def main():
    src = sqlite3.connect("legacy.db")
    print(legacy_rows(src, sys.argv[1]), sizes(src, "customers"))
"#,
        );
        let summary: Vec<(u32, Confidence)> = findings.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(
            summary,
            [(7, Confidence::High), (10, Confidence::Low)],
            "{findings:#?}"
        );
        assert!(
            findings[0]
                .2
                .contains("which a caller fills with the command line (`sys.argv[1]`)"),
            "{}",
            findings[0].2
        );
        assert_eq!(
            findings[0].3,
            [
                "6: `table` enters the query here".to_string(),
                "14: a caller passes the command line (`sys.argv[1]`) for `table` here".to_string(),
            ]
        );
    }

    #[test]
    fn long_generated_scripts_stay_bounded() {
        let mut source = String::from("import sqlite3, sys\ncur = sqlite3.connect('x').cursor()\n");
        source.push_str("sql = 'SELECT * FROM t WHERE 1=1'\n");
        for i in 0..4000 {
            source.push_str(&format!("sql += ' AND c{i} = %s'\n"));
            if i % 7 == 0 {
                source.push_str(&format!(
                    "if sys.argv[1]:\n    sql = sql + f\" OR d{i} = '{{sys.argv[1]}}'\"\n"
                ));
            }
            source.push_str("cur.execute(sql, params)\n");
        }
        let started = std::time::Instant::now();
        let findings = scan(&source);
        assert!(!findings.is_empty());
        assert!(
            started.elapsed().as_secs() < 30,
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn broken_files_still_report_what_parses() {
        let findings = scan(
            r#"
import pymysql

def broken(:
    print "python 2"

def search(cur, term):
    cur.execute("SELECT id FROM items WHERE title LIKE '%" + term + "%'")
"#,
        );
        assert_eq!(findings.iter().map(|f| f.0).collect::<Vec<_>>(), [8]);
    }
}
