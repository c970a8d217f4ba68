//! Data flow inside a Python file: how a string value is *built*, and where each of its
//! non-constant parts comes from.
//!
//! Rules ask one question — "what is this expression made of?" — with [`construction`]. The
//! answer is a small list of [`Construction`]s, one per way the value can be built (an `if`
//! that assigns the variable differently gives two), each a sequence of [`Part`]s:
//!
//! - [`Part::Text`]: literal text (string literals, numbers, module and function constants);
//! - [`Part::Constant`]: a constant whose text is unknown but which no caller controls — an
//!   imported `UPPER_CASE` name, a number (`int(x)`, `%d`, `{n:d}`, a parameter annotated
//!   `int`), a value picked from a constant allow-list (`ORDERINGS[key]`,
//!   `if col in ALLOWED: …`), a psycopg `sql.SQL(...)` composition, the result of a local
//!   helper whose every `return` is constant;
//! - [`Part::Hole`]: a non-constant value, with its [`Origin`] (a parameter, request data,
//!   `input()`, the command line, the environment — "outside" — or anything else), the
//!   expression it is read from, and the string-building expression where it joined the text
//!   (the *entry*: an f-string, `%`, `.format()`, `+`, `+=`, `join`, `append`).
//!
//! ## What is followed
//! - literals, implicit concatenation, f-strings (`{x:d}` is numeric, so constant), `%`
//!   formatting (tuple, dict and `locals()` right-hand sides; `%d`-style conversions are
//!   constant), `.format(...)` (positional, numbered, named, `**locals()`), `+`, `sep.join(it)`
//!   over literals, comprehensions, `["%s"] * n` and lists built with `append`/`extend`/`+=`;
//!   string methods (`strip`, `lower`, `replace`, …), `str()`, `textwrap.dedent`;
//! - local variables back through their assignments in the function: every definition that
//!   reaches the use in source order, starting from the last one that dominates it (a plain
//!   assignment in a block enclosing the use). Later assignments in a branch add a variant;
//!   `+=`, `append` and `extend` anywhere in between append to every variant (so a clause
//!   added in one branch counts as added — sound for "is anything non-constant"). A
//!   definition in another branch of the same `if` as the use does not reach it.
//! - tuple unpacking (pairwise when both sides are literal tuples), `for` targets and
//!   comprehension variables (elements of the iterable: literals, `dict.items()/keys()/
//!   values()`, `enumerate`, `zip`, `sorted`, …), `with … as x`, `x := …`, subscript
//!   stores (`d[k] = v`);
//! - names not assigned in the function: parameters, then enclosing functions, then module
//!   level (all module assignments, as seen at the end of the module), then imports;
//! - `self.X` / `cls.X` through the class body's constant attributes; Django's
//!   `Model._meta.*`; `django.conf.settings.*`;
//! - allow-list guards: a use inside `if name in CONST:`, or after `if name not in CONST:`
//!   that returns, raises, aborts or reassigns the name, or after `assert name in CONST`, or
//!   the `name` branch of `name if name in CONST else …`, is constant;
//! - identifier quoting (`quote_name`, a local `qn = connection.ops.quote_name`,
//!   `quote_ident`, a dialect's identifier preparer) is constant: the result cannot leave
//!   the identifier; `identifier_converter` / `truncate_name` keep their argument's value.
//!
//! ## Sources ("outside")
//! A function parameter (except `self`/`cls`; a parameter named `request`/`req` counts as
//! request data), anything read from one through attributes, subscripts and accessor calls
//! (`payload.name`, `filters["status"]`, `request.GET.get("q")`, `await request.json()`,
//! string methods), Flask/Quart/Bottle's `request.*`, `input()`, `sys.argv`, `argparse`'s
//! `parse_args()`, `os.environ` / `os.getenv`. Everything else that is not constant — what
//! other methods return (`conn.cursor().fetchone()`), a call to an unknown function, a row
//! read back from the database, `self.x` set elsewhere — is [`Origin::Other`].
//!
//! ## Limits
//! Analysis stays within one file and never executes anything. Loops are not iterated
//! (a definition later in a loop body does not reach an earlier use), and aliasing through
//! containers or object attributes set in other methods is not followed (such values are
//! `Other`). Each query is bounded ([`MAX_VARIANTS`] variants, a fixed step budget); when the
//! budget runs out the unexplored part is taken as constant, trading a possible miss for no
//! false alarm.
//!
//! Scope indexes (every definition of every name in a function or the module, in source
//! order) are built lazily, the first time a query needs that scope, and cached in the
//! [`Model`] as byte ranges (so that the model keeps no extra lifetime); a per-file work
//! budget bounds what generated or pathological files can cost.
//!
//! This file holds the values and the API; `flow/index.rs` the scope indexes and
//! reaching definitions; `flow/eval.rs` the evaluator.

mod eval;
mod index;

use crate::grammar::field;
use crate::model::Model;
use crate::sources::Source;
use eval::{Eval, constant};
pub(crate) use index::NodeRef;
use index::{DefKind, ScopeIndex, reaching};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use tree_sitter::Node;

/// At most this many variants of one value are kept (further ones are dropped).
pub const MAX_VARIANTS: usize = 16;
/// Evaluation steps per query; past it, unexplored parts count as constant.
const MAX_STEPS: u32 = 4_000;
/// Nesting depth of one evaluation.
const MAX_DEPTH: u32 = 40;
/// Elements of one `join` that are kept.
const MAX_ELEMENTS: usize = 16;
/// Parts and literal characters of one construction that are kept (beyond them only a first
/// hole is still added, so a long constant prefix never hides a non-constant tail).
const MAX_PARTS: usize = 64;
const MAX_TEXT: usize = 2_048;
/// Definitions of one name, before one use, that are looked at (the latest ones).
const MAX_DEFS: usize = 256;
/// Statements before a use that are searched for an allow-list guard, per enclosing block.
const GUARD_LOOKBACK: usize = 32;
/// Work (parts copied, steps taken) per file; past it, every value counts as constant.
const FILE_BUDGET: u64 = 1_000_000;

/// Where a non-constant part of a string comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A parameter of the enclosing function (FastAPI path and query parameters are handler
    /// parameters).
    Parameter { name: String, function: String },
    /// Request data: Flask's `request.args[...]`, Django's `request.GET`, … (the text read).
    Request(String),
    /// The `input()` builtin.
    Input,
    /// The command line: `sys.argv`, argparse's `parse_args()`.
    Argv(String),
    /// The environment: `os.environ`, `os.getenv`.
    Environ(String),
    /// Bytes received from a socket: `sock.recv(...)`.
    Network(String),
    /// Any other non-constant value (the expression's text).
    Other(String),
}

impl Origin {
    /// Whether the value comes from outside the program (a caller, a request, a user).
    pub fn is_outside(&self) -> bool {
        !matches!(self, Origin::Other(_))
    }

    /// Whether the value is read from a request, the user or the command line (not merely a
    /// parameter a caller passes).
    pub fn is_untrusted_input(&self) -> bool {
        matches!(
            self,
            Origin::Request(_) | Origin::Input | Origin::Argv(_) | Origin::Network(_)
        )
    }

    /// The origin of a value read from an outside source (see [`crate::sources`]) by the
    /// expression written `text`.
    pub fn from_source(source: Source, text: &str) -> Origin {
        match source {
            Source::Request => Origin::Request(short(text)),
            Source::UserInput => Origin::Input,
            Source::CommandLine => Origin::Argv(short(text)),
            Source::Environment => Origin::Environ(short(text)),
            Source::Network => Origin::Network(short(text)),
        }
    }

    /// A short description for messages: "parameter `sort` of `list_orders`".
    pub fn describe(&self) -> String {
        match self {
            Origin::Parameter { name, function } => {
                format!("parameter `{name}` of `{function}`")
            }
            Origin::Request(text) => format!("request data `{text}`"),
            Origin::Input => "`input()`".to_string(),
            Origin::Argv(text) => format!("the command line (`{text}`)"),
            Origin::Environ(text) => format!("the environment (`{text}`)"),
            Origin::Network(text) => format!("data received from a socket (`{text}`)"),
            Origin::Other(text) => format!("`{text}`, which is not a constant"),
        }
    }
}

/// A non-constant part of a string.
#[derive(Clone, Debug)]
pub struct Hole<'t> {
    pub origin: Origin,
    /// The expression the value is read from (a parameter use, `request.args["q"]`, a call).
    pub source: Node<'t>,
    /// The string-building expression where it joined the text (f-string, `%`, `.format()`,
    /// `+`, `+=`, `join`, `append`), when there is one.
    pub entry: Option<Node<'t>>,
    /// The operand of `entry` that carried it, as written there (`col` in `f"{col} = %s"`).
    pub written: Option<Node<'t>>,
}

/// One part of a string construction.
#[derive(Clone, Debug)]
pub enum Part<'t> {
    /// Known literal text.
    Text(String),
    /// A constant of unknown text.
    Constant,
    /// A non-constant value.
    Hole(Hole<'t>),
}

/// One way a string value is built: its parts in order.
#[derive(Clone, Debug, Default)]
pub struct Construction<'t> {
    pub parts: Vec<Part<'t>>,
}

impl<'t> Construction<'t> {
    fn text(text: impl Into<String>) -> Self {
        Construction {
            parts: vec![Part::Text(text.into())],
        }
    }

    /// Appends a part, merging literal text, within [`MAX_PARTS`] and [`MAX_TEXT`].
    fn push(&mut self, part: Part<'t>) {
        let text_len: usize = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.len(),
                _ => 0,
            })
            .sum();
        let full = self.parts.len() >= MAX_PARTS || text_len >= MAX_TEXT;
        match part {
            Part::Text(t) if !full => match self.parts.last_mut() {
                Some(Part::Text(last)) => last.push_str(&t),
                _ => self.parts.push(Part::Text(t)),
            },
            Part::Text(_) => {}
            Part::Hole(h) if !full || self.is_constant() => self.parts.push(Part::Hole(h)),
            Part::Constant if !full => self.parts.push(Part::Constant),
            _ => {}
        }
    }

    /// Whether no part is a hole.
    pub fn is_constant(&self) -> bool {
        !self.parts.iter().any(|p| matches!(p, Part::Hole(_)))
    }

    /// The non-constant parts.
    pub fn holes(&self) -> impl Iterator<Item = &Hole<'t>> {
        self.parts.iter().filter_map(|p| match p {
            Part::Hole(h) => Some(h),
            _ => None,
        })
    }

    /// The text with `hole` standing for each hole and `constant` for each constant of
    /// unknown text.
    pub fn template(&self, hole: &str, constant: &str) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Constant => out.push_str(constant),
                Part::Hole(_) => out.push_str(hole),
            }
        }
        out
    }

    /// Only the literal text.
    pub fn literal_text(&self) -> String {
        self.template("", "")
    }

    /// Whether every part is literal text (so the whole text is known).
    fn all_text(&self) -> Option<String> {
        self.parts
            .iter()
            .all(|p| matches!(p, Part::Text(_)))
            .then(|| self.literal_text())
    }
}

/// The variants of a value (never empty once returned by [`construction`]).
type Value<'t> = Vec<Construction<'t>>;

/// How a string expression is built, one [`Construction`] per variant.
pub fn construction<'t>(model: &Model<'t>, expr: Node<'t>) -> Vec<Construction<'t>> {
    let eval = Eval::new(model, expr);
    let value = eval.eval(expr, 0);
    if value.is_empty() { constant() } else { value }
}

/// The values a name or attribute chain (`cur`, `self.conn`) was assigned that reach `node`:
/// plain assignments, `with … as`, `:=`, in its function or, when it has none there, in the
/// enclosing scopes. For tracing objects (connections, cursors) back to their constructor.
pub fn assigned_values<'t>(model: &Model<'t>, node: Node<'t>) -> Vec<Node<'t>> {
    let Some(name) = model.dotted(node) else {
        return Vec::new();
    };
    let eval = Eval::new(model, node);
    let mut scope = scope_node(model, node);
    let mut pos = node.start_byte();
    let mut at = Some(node);
    loop {
        let index = eval.index(scope);
        if let Some(defs) = eval.defs(&index, &name, pos) {
            let (reach, _) = reaching(model, &defs, pos, at, eval.body(&index));
            return reach
                .iter()
                .filter_map(|d| match d.kind {
                    DefKind::Assign(v) => Some(v),
                    _ => None,
                })
                .collect();
        }
        if index.params.contains_key(&name) || !is_function(scope) {
            return Vec::new();
        }
        scope = if index.globals.contains(&name) {
            eval.root
        } else {
            scope_node(model, scope)
        };
        pos = scope.end_byte();
        at = None;
    }
}

/// The definition of the function a callee names, when it is in this file: `helper` for a
/// function of an enclosing scope or the module, `self.helper` / `cls.helper` for a method
/// of the enclosing class. The flag says whether the call passes `self`/`cls` implicitly
/// (so that positional arguments start at the second parameter).
pub fn callee_definition<'t>(model: &Model<'t>, callee: Node<'t>) -> Option<(Node<'t>, bool)> {
    let eval = Eval::new(model, callee);
    match callee.kind() {
        "identifier" if model.resolve(callee).is_none() => eval
            .function_named(model.text(callee), callee)
            .map(|f| (f, false)),
        "attribute" => {
            let object = callee.child_by_field_id(*field::OBJECT)?;
            let method = callee.child_by_field_id(*field::ATTRIBUTE)?;
            matches!(model.text(object), "self" | "cls")
                .then(|| eval.method_named(callee, model.text(method)))
                .flatten()
                .map(|f| (f, true))
        }
        _ => None,
    }
}

/// The names of a function's parameters, in order (`*args` and `**kwargs` by their names).
pub fn parameter_names(model: &Model<'_>, function: Node<'_>) -> Vec<String> {
    let Some(parameters) = function.child_by_field_id(*field::PARAMETERS) else {
        return Vec::new();
    };
    named(parameters)
        .into_iter()
        .filter_map(|p| {
            let name = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => {
                    p.child_by_field_id(*field::NAME)
                }
                "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                    p.named_child(0)
                }
                _ => None,
            }?;
            (name.kind() == "identifier").then(|| model.text(name).to_string())
        })
        .collect()
}

/// The nearest enclosing function (or lambda) of a node, or the module.
pub fn scope_node<'t>(model: &Model<'t>, node: Node<'t>) -> Node<'t> {
    let mut current = node;
    while let Some(parent) = model.parent(current) {
        if is_function(parent) {
            return parent;
        }
        current = parent;
    }
    current
}

fn is_function(node: Node<'_>) -> bool {
    matches!(node.kind(), "function_definition" | "lambda")
}

/// The per-file cache of scope indexes, kept in the [`Model`]. It holds no tree-sitter
/// nodes (which would tie the model's lifetime), only [`NodeRef`]s resolved on use.
#[derive(Default)]
pub struct FlowCache {
    scopes: RefCell<HashMap<NodeRef, Rc<ScopeIndex>>>,
    /// Work spent on this file so far (see [`FILE_BUDGET`]).
    work: Cell<u64>,
    /// The first line (1-based) where an evaluation stopped at [`MAX_DEPTH`] nested
    /// expressions, so that the file gets a notice.
    depth_limited_at: Cell<Option<u32>>,
}

impl FlowCache {
    /// Records that an evaluation stopped at the nesting limit on `line` (the first one kept).
    fn note_depth_limit(&self, line: u32) {
        if self.depth_limited_at.get().is_none() {
            self.depth_limited_at.set(Some(line));
        }
    }

    /// Whether the file's work budget ran out (the rest of the file's values counted as
    /// constant).
    pub fn budget_spent(&self) -> bool {
        self.work.get() > FILE_BUDGET
    }
}

/// Where (the first line) the file's evaluations stopped at the nesting limit, and that
/// limit: whatever was nested deeper was taken as constant, so a finding may be missing.
pub fn depth_limited(model: &Model<'_>) -> Option<(u32, u32)> {
    model
        .flow
        .depth_limited_at
        .get()
        .map(|line| (line, MAX_DEPTH))
}

fn named(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// The positional arguments of a call (no keywords, no splats).
pub fn positional(call: Node<'_>) -> Vec<Node<'_>> {
    let Some(arguments) = call.child_by_field_id(*field::ARGUMENTS) else {
        return Vec::new();
    };
    if arguments.kind() == "generator_expression" {
        return vec![arguments];
    }
    named(arguments)
        .into_iter()
        .filter(|a| {
            !matches!(
                a.kind(),
                "keyword_argument" | "list_splat" | "dictionary_splat"
            )
        })
        .collect()
}

/// The value of keyword argument `name` of a call.
pub fn keyword<'t>(model: &Model<'t>, call: Node<'t>, name: &str) -> Option<Node<'t>> {
    let arguments = call.child_by_field_id(*field::ARGUMENTS)?;
    named(arguments)
        .into_iter()
        .find(|a| {
            a.kind() == "keyword_argument"
                && a.child_by_field_id(*field::NAME)
                    .is_some_and(|n| model.text(n) == name)
        })
        .and_then(|a| a.child_by_field_id(*field::VALUE))
}

fn is_all_caps(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last.chars().any(|c| c.is_ascii_uppercase())
        && last
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The first line of a node's text, cut to a readable length.
pub fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() > 60 || text.trim().contains('\n') {
        let cut: String = line.chars().take(57).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tree_sitter::{Parser, Tree};

    fn parse(source: &str) -> Tree {
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        parser.parse(source, None).unwrap()
    }

    /// The constructions of the first argument of the last `sink(...)` call, as
    /// (template, origins of the holes).
    fn sink_argument(source: &str) -> Vec<(String, Vec<Origin>)> {
        let tree = parse(source);
        let mut model = Model::new(source.as_bytes());
        let mut calls = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "import_statement" | "import_from_statement" => model.add_import(node),
                "call"
                    if node
                        .child_by_field_id(*field::FUNCTION)
                        .is_some_and(|f| &source[f.byte_range()] == "sink") =>
                {
                    calls.push(node);
                }
                _ => {}
            }
            stack.extend(named(node));
        }
        let call = calls
            .into_iter()
            .max_by_key(|c| c.start_byte())
            .expect("a sink(...) call");
        construction(&model, positional(call)[0])
            .iter()
            .map(|c| {
                (
                    c.template("?", "#"),
                    c.holes().map(|h| h.origin.clone()).collect(),
                )
            })
            .collect()
    }

    fn param(name: &str, function: &str) -> Origin {
        Origin::Parameter {
            name: name.into(),
            function: function.into(),
        }
    }

    #[test]
    fn branches_give_variants_and_appends_reach_them_all() {
        let got = sink_argument(
            r#"
def f(kind, since):
    if kind == "a":
        q = "SELECT a FROM t"
    else:
        q = "SELECT b FROM t"
    q += " WHERE x = %s"
    if since:
        q += f" AND since > '{since}'"
    sink(q)
"#,
        );
        assert_eq!(
            got,
            [
                (
                    "SELECT a FROM t WHERE x = %s AND since > '?'".to_string(),
                    vec![param("since", "f")]
                ),
                (
                    "SELECT b FROM t WHERE x = %s AND since > '?'".to_string(),
                    vec![param("since", "f")]
                ),
            ]
        );
    }

    #[test]
    fn placeholders_constants_and_allow_lists_are_constant() {
        let got = sink_argument(
            r#"
ORDER = {"new": "created_at DESC", "old": "created_at"}
COLUMNS = ("id", "total")

def f(ids, sort, column, limit: int):
    marks = ", ".join(["%s"] * len(ids))
    if column not in COLUMNS:
        raise ValueError(column)
    sink(f"SELECT {column} FROM t WHERE id IN ({marks}) ORDER BY {ORDER.get(sort, 'id')} LIMIT {limit}")
"#,
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|(_, holes)| holes.is_empty()), "{got:?}");
        assert_eq!(
            got[0].0,
            "SELECT # FROM t WHERE id IN (%s) ORDER BY # LIMIT #"
        );
    }

    #[test]
    fn sources_are_named() {
        let got = sink_argument(
            r#"
import os, sys
from flask import request

def f():
    a = request.args.get("a")
    b = os.environ["B"]
    c = sys.argv[1]
    d = input()
    row = get_row()
    sink("%s %s %s %s %s" % (a, b, c, d, row["x"]))
"#,
        );
        assert_eq!(
            got[0].1,
            [
                Origin::Request("request.args.get(\"a\")".into()),
                Origin::Environ("os.environ[\"B\"]".into()),
                Origin::Argv("sys.argv[1]".into()),
                Origin::Input,
                Origin::Other("row[\"x\"]".into()),
            ]
        );
    }

    #[test]
    fn the_shared_catalogue_names_views_sockets_and_stdin() {
        let got = sink_argument(
            r#"
import sys

class Search(View):
    def get(self, sock):
        a = self.request.GET["q"]
        b = sock.recv(1024)
        c = sys.stdin.readline()
        sink("%s %s %s" % (a, b, c))
"#,
        );
        assert_eq!(
            got[0].1,
            [
                Origin::Request("self.request.GET[\"q\"]".into()),
                Origin::Network("sock.recv(1024)".into()),
                Origin::Input,
            ]
        );
    }

    #[test]
    fn a_definition_in_the_other_branch_does_not_reach() {
        let got = sink_argument(
            r#"
def f(x, safe):
    if safe:
        q = "SELECT 1 FROM t WHERE a = %s"
    else:
        q = f"SELECT 1 FROM t WHERE a = '{x}'"
        sink(q)
"#,
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, [param("x", "f")]);
    }
}
