//! Flags SQL text built by concatenation or template literals and sent to a Node.js database
//! client (`mysql`, `mysql2`, knex, Sequelize, TypeORM, Prisma).
//!
//! ## What it checks
//! The first argument of `.query(…)` and `.execute(…)` (mysql, mysql2, pg, TypeORM,
//! Sequelize), `knex.raw(…)` / `.whereRaw(…)` / `.orderByRaw(…)`, and Prisma's
//! `$queryRawUnsafe(…)` / `$executeRawUnsafe(…)`, followed back through local variables. It is
//! flagged when it is a concatenation or a template literal whose constant parts read as SQL
//! (a statement keyword at the start, checked by palisade's SQL lexer) and whose other parts
//! are not constant. Confidence is high when request data (`req.query`, `req.body`,
//! `req.params`, headers via `req.headers` / `req.get(…)`, the raw `req.url` / `req.path`,
//! and the same of Koa `ctx` and Fastify `request`) or another source is part of it, low when the non-constant part is of
//! unknown origin (a table name from configuration, a timeout, a helper's result). Not flagged:
//! placeholders (`"… WHERE id = ?", [id]`), tagged templates (`sql\`…\``, `Prisma.sql`,
//! `$queryRaw\`…\``), which bind their parts as parameters, and escaped parts
//! (`mysql.escape(x)`, `connection.escapeId(x)`).
//!
//! ## Why it matters
//! A value pasted into SQL text can end the intended statement and add its own: read other
//! users' rows, change data, or drop tables. The policy's `mysql` recommendation asks for
//! prepared statements everywhere.
//!
//! ## Example
//! ```js
//! db.query("SELECT * FROM orders WHERE user = '" + req.query.user + "'");  // flagged
//! db.query("SELECT * FROM orders WHERE user = ?", [req.query.user]);       // not flagged
//! ```
//!
//! ## Remediation
//! Use placeholders (`?` with mysql/mysql2, `$1` with pg, named bindings with Sequelize and
//! knex) or the tagged-template APIs that bind parameters. Identifiers that cannot be bound
//! (a sort column) must come from an allow-list.
//!
//! ## References
//! - CWE-89: Improper Neutralization of Special Elements used in an SQL Command
//! - OWASP Top 10 2021, A03 Injection
//! - OWASP Query Parameterization Cheat Sheet

use crate::js::{Script, Taint};
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile,
};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "web/sql-injection",
    title: "SQL built from strings in a Node.js database call",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[89],
    owasp: Owasp::A03,
    recommendation: Recommendation::Mysql,
    needs_network: false,
    options: &[],
    source: include_str!("sql_injection.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

const HOLE: &str = " __hole__ ";

/// The SQL text with non-constant parts replaced by a hole, and whether there is a hole.
fn shape(s: &Script<'_>, node: Node<'_>, depth: usize, out: &mut String) -> bool {
    if depth > 16 {
        out.push_str(HOLE);
        return true;
    }
    match node.kind() {
        "string" => {
            out.push_str(s.text(node).trim_matches(['"', '\'']));
            false
        }
        "template_string" => {
            let mut holes = false;
            let mut last = node.start_byte() + 1;
            for i in 0..node.named_child_count() {
                let Some(c) = node.named_child(i as u32) else { continue };
                if c.kind() == "template_substitution" {
                    out.push_str(s.source.get(last..c.start_byte()).unwrap_or(""));
                    match c.named_child(0) {
                        Some(e) if s.taint(e) == Taint::Const || s.taint(e) == Taint::Sanitized => {
                            out.push('x')
                        }
                        _ => {
                            out.push_str(HOLE);
                            holes = true;
                        }
                    }
                    last = c.end_byte();
                }
            }
            out.push_str(s.source.get(last..node.end_byte().saturating_sub(1)).unwrap_or(""));
            holes
        }
        "binary_expression" => {
            let op = node.child_by_field_name("operator").map(|o| s.text(o)).unwrap_or("");
            let (Some(l), Some(r)) = (node.child_by_field_name("left"), node.child_by_field_name("right")) else {
                return false;
            };
            if op != "+" {
                out.push_str(HOLE);
                return true;
            }
            let a = shape(s, l, depth + 1, out);
            let b = shape(s, r, depth + 1, out);
            a || b
        }
        "identifier" => {
            let resolved = s.resolve(node);
            if resolved != node {
                return shape(s, resolved, depth + 1, out);
            }
            match s.taint(node) {
                Taint::Const | Taint::Sanitized => {
                    out.push('x');
                    false
                }
                _ => {
                    out.push_str(HOLE);
                    true
                }
            }
        }
        "parenthesized_expression" => match node.named_child(0) {
            Some(i) => shape(s, i, depth + 1, out),
            None => false,
        },
        _ => match s.taint(node) {
            Taint::Const | Taint::Sanitized => {
                out.push('x');
                false
            }
            _ => {
                out.push_str(HOLE);
                true
            }
        },
    }
}

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    for &call in s.nodes("call_expression") {
        let Some(callee) = call.child_by_field_name("function") else { continue };
        if callee.kind() != "member_expression" {
            continue;
        }
        let Some(method) = callee.child_by_field_name("property").map(|p| s.text(p)) else {
            continue;
        };
        let unsafe_api = matches!(method, "$queryRawUnsafe" | "$executeRawUnsafe");
        if !unsafe_api
            && !matches!(method, "query" | "execute" | "raw" | "whereRaw" | "orderByRaw" | "havingRaw" | "joinRaw")
        {
            continue;
        }
        let Some(args) = call.child_by_field_name("arguments").filter(|a| a.kind() == "arguments") else {
            continue;
        };
        let Some(first) = args.named_child(0) else { continue };
        let sql = s.resolve(first);
        if !matches!(sql.kind(), "binary_expression" | "template_string") {
            continue;
        }
        let mut text = String::new();
        if !shape(s, sql, 0, &mut text) {
            continue;
        }
        let raw_fragment = matches!(method, "whereRaw" | "orderByRaw" | "havingRaw" | "joinRaw");
        if !unsafe_api
            && !raw_fragment
            && !palisade_knowledge::sql::looks_like_statement(&text)
        {
            continue;
        }
        let taint = s.taint(sql);
        let (confidence, what) = match &taint {
            Taint::Source(src, _) => (Confidence::High, format!("`{src}`, which the client controls,")),
            Taint::Unknown => (Confidence::Low, "a value palisade could not trace to a constant".to_string()),
            _ => continue,
        };
        let client = s
            .imports
            .iter()
            .find(|m| matches!(m.as_str(), "mysql" | "mysql2" | "mysql2/promise" | "knex" | "sequelize" | "typeorm" | "pg" | "@prisma/client"))
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        cx.report(
            Finding::new(
                &META,
                s.span(file, call),
                format!("SQL text for .{method}(){client} is built from {what} pasted into the statement; use placeholders (`?`) and pass the values separately"),
            )
            .with_confidence(confidence),
        );
    }
}
