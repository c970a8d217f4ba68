//! Flags Python code evaluated from values the program does not control.
//!
//! ## What it checks
//! Calls that compile or run a string as Python code, when that string is not a constant:
//! - the builtins `eval`, `exec`, `compile` and Python 2's `execfile` (called by their own
//!   name and not shadowed by a definition or import of the file), and the same through
//!   `builtins.eval` / `builtins.exec`;
//! - lookalikes that evaluate their string argument with `eval`: SymPy's `sympify` and
//!   `parse_expr`, and `pandas.eval`.
//!
//! The argument is followed with the same data-flow model as `python/sql-injection`
//! (f-strings, `%`, `.format()`, `+`, local variables back to their assignments) and graded
//! the same way:
//! - high confidence when request data (Flask's `request`, a `request` parameter, a
//!   class-based view's `self.request`) or bytes from a socket reach the code, directly, as
//!   a route handler's parameter (`@app.post("/calc") def calc(expr: str)`), or through a
//!   call site in the same file;
//! - medium confidence for a parameter of a function whose callers are not in the file;
//! - low confidence for everything the model cannot decide: a value read from a file, a
//!   database row, another function's result, the environment, the command line or
//!   `input()`, a Django management command's options (whoever runs the program already
//!   runs code).
//!
//! Not reported: constant code (literals, module constants, f-strings of constants — code
//! the module writes itself, such as generated accessor functions), numbers formatted into
//! it (`int(x)`, a parameter annotated `int`), `ast.literal_eval` (it only accepts
//! literals), test code, and methods that merely share the name (`model.eval()` in PyTorch, Redis'
//! `client.eval(script, …)` of a Lua script, `re.compile`, `df.eval`). `exec(compile(…))`
//! is reported once, at `compile`.
//!
//! ## Why it matters
//! `eval` and `exec` give the string the full power of the server's Python process:
//! `__import__("os").system("…")` in a "formula" or a "filter expression" runs any command
//! with the service's permissions, its credentials and its network access. Restricting
//! `__builtins__` in the globals does not help — object introspection
//! (`().__class__.__base__.__subclasses__()`) reaches everything again. It is CWE-95, an
//! A03 injection, and usually the most severe kind: remote code execution.
//!
//! ## Example
//! ```python
//! from flask import Flask, request, jsonify
//!
//! app = Flask(__name__)
//!
//! @app.post("/api/price-rules/preview")
//! def preview_rule():
//!     formula = request.json["formula"]
//!     # Flagged: `__import__('os').system('id')` is a valid formula.
//!     return jsonify(price=eval(formula, {"base": 10.0}))
//! ```
//!
//! ## Remediation
//! Do not evaluate text from outside as code. Parse data with `json.loads` or
//! `ast.literal_eval` (literals only), map names to functions through a fixed dictionary
//! (`OPERATIONS[name](a, b)`), and for user formulas use a dedicated expression language or
//! parser with an explicit grammar (`simpleeval`, `asteval` in its restricted mode, or a
//! small `ast`-based evaluator that allows only arithmetic nodes).
//!
//! ## References
//! - CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval
//!   Injection')
//! - OWASP Top 10 2021, A03 Injection
//! - Python documentation, `eval` and `exec` built-in functions; `ast.literal_eval`

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::flow::{self, Hole, Origin};
use crate::model::Model;
use crate::reach::{Grade, grade};
use crate::values::{OriginKind, argument, outside_origin, parameter_named, parameter_type};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::roles::is_test_code;
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/code-injection",
    title: "Python code evaluated from non-constant input",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[95],
    owasp: Owasp::A03,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("code_injection.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call"],
    // Sound: the builtins, or the last part of a resolved evaluating function, spelled in the call or its import.
    needs_text: &["eval", "exec", "compile", "sympify", "parse_expr"],
    text_test: None,
    check,
};

/// Builtins that compile or run a string as code: (name, keyword of the code argument).
const BUILTINS: &[(&str, &str)] = &[
    ("eval", "source"),
    ("exec", "source"),
    ("compile", "source"),
    ("execfile", "filename"),
];

/// Library functions that `eval` their string argument: (qualified name, keyword).
const EVALUATING: &[(&str, &str)] = &[
    ("builtins.eval", "source"),
    ("builtins.exec", "source"),
    ("builtins.compile", "source"),
    ("sympy.sympify", "a"),
    ("sympy.core.sympify.sympify", "a"),
    ("sympy.parse_expr", "s"),
    ("sympy.parsing.sympy_parser.parse_expr", "s"),
    ("sympy.parsing.parse_expr", "s"),
    ("pandas.eval", "expr"),
];

fn check(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    if is_test_code(&cx.file.path) {
        return;
    }
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let Some((name, keyword)) = sink(model, function) else {
        return;
    };
    let Some(code) = argument(model, call, 0, keyword) else {
        return;
    };
    // `exec(compile(source, …))`: reported once, where `compile` takes the source.
    if is_sink_call(model, code) {
        return;
    }
    let variants = flow::construction(model, code);
    if variants.iter().all(flow::Construction::is_constant) {
        return;
    }
    let mut best: Option<(&Hole<'_>, Grade<'_>)> = None;
    for hole in variants.iter().flat_map(flow::Construction::holes) {
        // A number, or a code object `compile` made (reported at `compile`).
        if is_number(model, hole.source) || is_sink_call(model, hole.source) {
            continue;
        }
        let graded = code_grade(model, hole, &cx.file.path);
        if best
            .as_ref()
            .is_none_or(|(_, b)| graded.confidence > b.confidence)
        {
            best = Some((hole, graded));
        }
    }
    let Some((hole, mut graded)) = best else {
        return;
    };
    // A request read the string model does not follow (`json.loads(request.body)["f"]`).
    let mut origin_text = match &graded.caller {
        Some((_, passed)) => format!(
            "{}, which a caller fills with {passed}",
            hole.origin.describe()
        ),
        None => hole.origin.describe(),
    };
    let mut read_at = hole.source;
    if graded.confidence < Confidence::High
        && let Some(outside) = outside_origin(model, code)
        && matches!(outside.kind, OriginKind::Request | OriginKind::Network)
    {
        graded = Grade {
            confidence: Confidence::High,
            caller: None,
            open: None,
        };
        origin_text = outside.what.clone();
        read_at = outside.node;
    }
    let message = format!(
        "`{name}` runs Python code built from {origin_text}: whoever controls it runs code on the server"
    );
    let mut finding =
        Finding::new(&META, cx.span(call), message).with_confidence(graded.confidence);
    if !within(read_at, call) {
        finding = finding.with_related(cx.span(read_at), "the code's value comes from here");
    }
    if let Some((argument, passed)) = &graded.caller {
        finding = finding.with_related(cx.span(*argument), format!("a caller passes {passed} here"));
    }
    cx.report(finding);
}

/// The code-running function a callee names, with the keyword of its code argument.
fn sink(model: &Model<'_>, function: Node<'_>) -> Option<(String, &'static str)> {
    if function.kind() == "identifier" {
        let text = model.text(function);
        let (_, keyword) = BUILTINS.iter().find(|(n, _)| *n == text)?;
        // Shadowed: imported (`from re import compile`), assigned, or defined in the file.
        if model.resolve(function).is_some()
            || !model.values(crate::model::scope_of(function), text).is_empty()
            || flow::callee_definition(model, function).is_some()
        {
            return EVALUATING
                .iter()
                .find(|(n, _)| Some(*n) == model.resolve(function).as_deref())
                .map(|(_, k)| (text.to_string(), *k));
        }
        return Some((text.to_string(), keyword));
    }
    let resolved = model.resolve(function)?;
    EVALUATING
        .iter()
        .find(|(n, _)| *n == resolved)
        .map(|(_, k)| (model.text(function).to_string(), *k))
}

/// How sure a finding is from one non-constant part: request data and sockets are high
/// (directly, or through a route handler's parameters or this file's callers); what the
/// operator supplies (environment, command line, `input()`) is low, as is anything the
/// model cannot follow.
fn code_grade<'t>(model: &Model<'t>, hole: &Hole<'t>, path: &str) -> Grade<'t> {
    let low = Grade {
        confidence: Confidence::Low,
        caller: None,
        open: None,
    };
    match &hole.origin {
        Origin::Environ(_) | Origin::Argv(_) | Origin::Input => low,
        // A Django management command's options are its command line.
        Origin::Parameter { function, .. }
            if function == "handle" && path.contains("management/commands/") =>
        {
            low
        }
        _ => grade(model, hole, 0),
    }
}

/// A call to one of the code-running functions (`compile(...)`).
fn is_sink_call(model: &Model<'_>, node: Node<'_>) -> bool {
    node.kind() == "call"
        && node
            .child_by_field_id(*field::FUNCTION)
            .and_then(|f| sink(model, f))
            .is_some()
}

/// A number cannot carry code: `int(x)`, `float(x)`, a parameter annotated `int`/`float`.
fn is_number(model: &Model<'_>, node: Node<'_>) -> bool {
    match node.kind() {
        "call" => node.child_by_field_id(*field::FUNCTION).is_some_and(|f| {
            f.kind() == "identifier" && matches!(model.text(f), "int" | "float" | "len")
        }),
        "identifier" => parameter_named(model, node, model.text(node))
            .and_then(|p| parameter_type(model, p))
            .is_some_and(|t| matches!(t, "int" | "float" | "bool")),
        _ => false,
    }
}

fn within(inner: Node<'_>, outer: Node<'_>) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}
