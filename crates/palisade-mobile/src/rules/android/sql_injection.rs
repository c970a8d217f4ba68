//! Flags SQLite statements built by string concatenation, templates or formatting.
//!
//! ## What it checks
//! The SQL text argument of `rawQuery`, `rawQueryWithFactory`, `execSQL` and
//! `compileStatement`, and the `selection` (third) argument of `query(table, columns,
//! selection, …)`, when it is built at run time from parts that are not constants: `+`
//! chains with a literal, Kotlin templates (`"… $id"`), `String.format`. Local variables
//! holding such a string are followed inside the method.
//! - If a dynamic part comes from an intent extra, a deep link's URI, or the `selection`
//!   / `sortOrder` of a `ContentProvider` method — directly, or through local variables,
//!   fields of the class and parameters of functions the file calls with it — the finding
//!   is *high*, high confidence.
//! - Other dynamic parts (a variable palisade cannot trace) give a *low* finding with low
//!   confidence: the value may be an id the app computed. Schema statements (`CREATE`,
//!   `ALTER`, `DROP`, `PRAGMA`) built from table or column names are not reported unless the
//!   name comes from outside: names cannot be `?` parameters.
//!
//! Not reported: literals, `?` placeholders with `selectionArgs` / `bindArgs`, and parts that
//! are constants (`TABLE_NAME`, `Contract.COLUMN_ID`, numbers). `query(…)` is only reported
//! for attacker-controlled parts.
//!
//! ## Why it matters
//! An app's SQLite database holds its users' messages, tokens and caches. Text that another
//! app, a link or a server put in an intent becomes SQL: it can read every table through an
//! exported provider, or change data (CWE-89). The policy's `mysql` advice applies to SQLite
//! too: parameterised queries.
//!
//! ## Example
//! ```kotlin
//! val id = intent.getStringExtra("id")
//! db.rawQuery("SELECT * FROM orders WHERE id = $id", null)    // flagged, high
//! db.rawQuery("SELECT * FROM orders WHERE id = ?", arrayOf(id))  // fine
//! ```
//!
//! ## Remediation
//! Use `?` placeholders with `selectionArgs`/`bindArgs`, or Room `@Query` with parameters.
//!
//! ## References
//! - CWE-89: Improper Neutralization of Special Elements used in an SQL Command
//! - OWASP MASVS-CODE-4; MASTG "Testing for Injection Flaws"

use crate::android::code::Code;
use crate::rules::CodeRule;
use crate::android::code_util::{in_source_set, short};
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/sql-injection",
    title: "SQL built from strings in SQLite calls",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[89],
    owasp: Owasp::A03,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("sql_injection.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        let (sql, only_tainted) = match call.name.as_str() {
            "rawQuery" | "execSQL" | "compileStatement" => (call.args.first(), false),
            "rawQueryWithFactory" => (call.args.get(1), false),
            "query" if call.args.len() >= 4 && call.receiver.is_some() => (call.args.get(2), true),
            _ => continue,
        };
        let Some(&sql) = sql else { continue };
        let parts = dynamic_parts_followed(code, sql);
        if parts.is_empty() {
            continue;
        }
        let tainted = parts.iter().find_map(|p| code.tainted(*p));
        // Names of tables and columns in DDL cannot be `?` parameters; only an outside
        // value there is worth a finding.
        if tainted.is_none() && is_ddl(code, sql) {
            continue;
        }
        let finding = match tainted {
            Some(source) => Finding::new(
                &META,
                code.call_span(call),
                format!("`{}` runs SQL built from `{}`, which another app or a link controls", call.name, short(&source)),
            ),
            None if only_tainted => continue,
            None => Finding::new(
                &META,
                code.call_span(call),
                format!("`{}` runs SQL built from `{}`; use `?` placeholders", call.name, short(code.part_text(parts[0]))),
            )
            .with_severity(Severity::Low)
            .with_confidence(Confidence::Low),
        };
        cx.report(in_source_set(code, finding));
    }
}

/// The dynamic parts of the SQL argument, or of the string a local variable of the same
/// function was given (`val sql = "…" + x; db.rawQuery(sql, null)`).
fn dynamic_parts_followed<'t>(code: &Code<'t>, sql: Node<'t>) -> Vec<Node<'t>> {
    let parts = code.dynamic_parts(sql);
    if !parts.is_empty() {
        return parts;
    }
    let sql = crate::android::code::unwrap_parens(sql);
    if sql.kind() != "identifier" {
        return parts;
    }
    let name = code.text(sql);
    let func = code.func_of(sql).map(|f| f.node.id());
    code.assigns
        .iter()
        .filter(|a| a.name == name && a.func.map(|i| code.functions[i].node.id()) == func && func.is_some())
        .filter(|a| a.node.start_byte() < sql.start_byte())
        .flat_map(|a| code.dynamic_parts(a.value))
        .collect()
}

/// Whether the SQL (the argument, or the literal a local variable holds) is a schema
/// statement: `CREATE`, `ALTER`, `DROP`, `PRAGMA`, or an `INSERT INTO … SELECT` copy.
fn is_ddl(code: &Code<'_>, sql: Node<'_>) -> bool {
    let mut first_literal = None;
    crate::android::code::visit(sql, &mut |n| {
        if first_literal.is_none() && n.kind() == "string_literal" {
            first_literal = Some(code.text(n).trim_start_matches('"').trim_start().to_ascii_uppercase());
        }
    });
    let sql = crate::android::code::unwrap_parens(sql);
    if first_literal.is_none() && sql.kind() == "identifier" {
        let name = code.text(sql);
        if let Some(a) = code.assigns.iter().find(|a| a.name == name) {
            return is_ddl(code, a.value);
        }
    }
    first_literal.is_some_and(|t| {
        ["CREATE ", "ALTER ", "DROP ", "PRAGMA "].iter().any(|k| t.starts_with(k))
            || t.starts_with("INSERT INTO") && t.contains("SELECT")
    })
}
