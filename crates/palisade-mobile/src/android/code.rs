//! Java and Kotlin source read into one small model the code rules share: every call (with
//! its receiver, name and argument nodes), every function (name, parameters, body), and
//! every local or field assignment, each tied to the function it is in. Built in one walk of
//! the tree-sitter tree; the helpers below answer the rules' questions about expressions for
//! both languages (is it a literal, is it built from strings at run time, does its value come
//! from an intent or a deep link through local variables and fields of the class).

use palisade_core::{SourceFile, Span};
use palisade_syntax::{Grammar, text};
use std::cell::Cell;
use std::collections::HashSet;
use std::sync::LazyLock;
use tree_sitter::Node;

pub static JAVA: LazyLock<Grammar> =
    LazyLock::new(|| Grammar::new("java", tree_sitter_java::LANGUAGE));
pub static KOTLIN: LazyLock<Grammar> =
    LazyLock::new(|| Grammar::new("kotlin", tree_sitter_kotlin_ng::LANGUAGE));

/// How many steps (an expression, an assignment or a call site followed) one taint question
/// may take before it gives up with "not tainted".
const TAINT_BUDGET: u32 = 400;

/// How many such steps all the taint questions of one file may take together; past it the
/// answers are "not tainted" and the analyzer says so in a notice.
const FILE_TAINT_BUDGET: u32 = 20_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Java,
    Kotlin,
}

#[derive(Debug)]
pub struct Call<'t> {
    /// The method or function name (`rawQuery`, `Intent` for a constructor).
    pub name: String,
    /// The receiver's source text (`db`, `webView.getSettings()`), if any.
    pub receiver: Option<String>,
    pub args: Vec<Node<'t>>,
    pub node: Node<'t>,
    pub func: Option<usize>,
    /// `new X(...)` in Java; capitalised callees in Kotlin.
    pub constructor: bool,
    /// The node of the method's name (the call itself for constructors).
    pub name_node: Node<'t>,
}

#[derive(Debug)]
pub struct Function<'t> {
    pub name: String,
    pub params: Vec<String>,
    /// The declared type of each parameter (`Uri`, `Uri?`), empty where none is written.
    pub param_types: Vec<String>,
    pub node: Node<'t>,
    /// The body: a block, or Kotlin's `= expression`.
    pub body: Option<Node<'t>>,
}

#[derive(Debug)]
pub struct Assign<'t> {
    /// The last name of the target (`x` of `this.x = …`, `javaScriptEnabled` of
    /// `settings.javaScriptEnabled = …`).
    pub name: String,
    /// The whole target's text.
    pub target: String,
    pub value: Node<'t>,
    pub node: Node<'t>,
    pub func: Option<usize>,
}

pub struct Code<'t> {
    pub lang: Lang,
    pub file: &'t SourceFile,
    pub calls: Vec<Call<'t>>,
    pub functions: Vec<Function<'t>>,
    pub assigns: Vec<Assign<'t>>,
    /// (function index, name) of every local declaration and parameter.
    locals: HashSet<(usize, String)>,
    /// What is left of the file's taint budget.
    taint_steps: Cell<u32>,
}

impl<'t> Code<'t> {
    pub fn build(lang: Lang, file: &'t SourceFile, root: Node<'t>) -> Code<'t> {
        let mut code = Code {
            lang,
            file,
            calls: Vec::new(),
            functions: Vec::new(),
            assigns: Vec::new(),
            locals: HashSet::new(),
            taint_steps: Cell::new(FILE_TAINT_BUDGET),
        };
        code.walk(root, None);
        let mut locals = HashSet::new();
        for a in &code.assigns {
            if let Some(i) = a.func
                && matches!(
                    a.node.kind(),
                    "variable_declarator" | "property_declaration" | "resource"
                )
            {
                locals.insert((i, a.name.clone()));
            }
        }
        for (i, f) in code.functions.iter().enumerate() {
            for p in &f.params {
                locals.insert((i, p.clone()));
            }
        }
        code.locals = locals;
        code
    }

    pub fn src(&self) -> &'t str {
        &self.file.text
    }

    pub fn text(&self, node: Node<'_>) -> &'t str {
        text(node, self.src())
    }

    pub fn span(&self, node: Node<'_>) -> Span {
        palisade_syntax::span(self.file, node)
    }

    /// A call's span from its method name to its end (a chained call's receiver may start
    /// lines above).
    pub fn call_span(&self, call: &Call<'_>) -> Span {
        let start = self.span(call.name_node);
        let end = self.span(call.node);
        Span {
            start_line: start.start_line,
            start_column: start.start_column,
            end_line: end.end_line,
            end_column: end.end_column,
        }
    }

    fn walk(&mut self, node: Node<'t>, func: Option<usize>) {
        let mut func = func;
        match (self.lang, node.kind()) {
            (Lang::Java, "method_declaration" | "constructor_declaration")
            | (Lang::Kotlin, "function_declaration") => {
                func = Some(self.functions.len());
                let f = self.function(node);
                self.functions.push(f);
            }
            (Lang::Java, "lambda_expression") | (Lang::Kotlin, "lambda_literal") => {}
            (Lang::Java, "method_invocation") => {
                let name = node
                    .child_by_field_name("name")
                    .map(|n| self.text(n).to_string())
                    .unwrap_or_default();
                let receiver = node
                    .child_by_field_name("object")
                    .map(|n| self.text(n).to_string());
                let args = node
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                self.calls.push(Call {
                    name,
                    receiver,
                    args,
                    node,
                    func,
                    constructor: false,
                    name_node: node.child_by_field_name("name").unwrap_or(node),
                });
            }
            (Lang::Java, "object_creation_expression") => {
                let name = node
                    .child_by_field_name("type")
                    .map(|n| last_segment(self.text(n)).to_string())
                    .unwrap_or_default();
                let args = node
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                self.calls.push(Call {
                    name,
                    receiver: None,
                    args,
                    node,
                    func,
                    constructor: true,
                    name_node: node,
                });
            }
            (Lang::Kotlin, "call_expression") => {
                if let Some(callee) = node.named_child(0) {
                    let (name, receiver, name_node) = if callee.kind() == "navigation_expression" {
                        let count = callee.named_child_count();
                        let name_node = callee
                            .named_child(count.saturating_sub(1) as u32)
                            .unwrap_or(callee);
                        let receiver = callee.named_child(0).map(|n| self.text(n).to_string());
                        (self.text(name_node).to_string(), receiver, name_node)
                    } else {
                        (self.text(callee).to_string(), None, callee)
                    };
                    let mut args = Vec::new();
                    let mut cursor = node.walk();
                    for child in node.named_children(&mut cursor) {
                        if child.kind() == "value_arguments" {
                            for arg in named_children(child) {
                                // `value_argument` wraps the expression (after `name =`).
                                let count = arg.named_child_count();
                                args.push(
                                    arg.named_child(count.saturating_sub(1) as u32)
                                        .unwrap_or(arg),
                                );
                            }
                        } else if child.kind() == "annotated_lambda" {
                            args.push(child);
                        }
                    }
                    let constructor =
                        receiver.is_none() && name.chars().next().is_some_and(char::is_uppercase);
                    self.calls.push(Call {
                        name,
                        receiver,
                        args,
                        node,
                        func,
                        constructor,
                        name_node,
                    });
                }
            }
            (Lang::Java, "variable_declarator" | "resource") => {
                if let (Some(n), Some(v)) = (
                    node.child_by_field_name("name"),
                    node.child_by_field_name("value"),
                ) {
                    let name = self.text(n).to_string();
                    self.assigns.push(Assign {
                        target: name.clone(),
                        name,
                        value: v,
                        node,
                        func,
                    });
                }
            }
            (Lang::Java, "assignment_expression") | (Lang::Kotlin, "assignment") => {
                if let (Some(l), Some(r)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    let target = self.text(l).to_string();
                    self.assigns.push(Assign {
                        name: last_segment(&target).to_string(),
                        target,
                        value: r,
                        node,
                        func,
                    });
                }
            }
            (Lang::Kotlin, "property_declaration") => {
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                let var = children.iter().find(|c| c.kind() == "variable_declaration");
                let value = children.iter().rev().find(|c| {
                    !matches!(
                        c.kind(),
                        "variable_declaration"
                            | "modifiers"
                            | "getter"
                            | "setter"
                            | "user_type"
                            | "nullable_type"
                            | "type_constraints"
                            | "type_parameters"
                            | "property_delegate"
                    )
                });
                if let (Some(var), Some(value)) = (var, value) {
                    let name = var
                        .named_child(0)
                        .map(|n| self.text(n).to_string())
                        .unwrap_or_default();
                    self.assigns.push(Assign {
                        target: name.clone(),
                        name,
                        value: *value,
                        node,
                        func,
                    });
                }
            }
            _ => {}
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.walk(child, func);
        }
    }

    fn function(&self, node: Node<'t>) -> Function<'t> {
        let name = node
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let mut params = Vec::new();
        let mut param_types = Vec::new();
        let mut body = node.child_by_field_name("body");
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "formal_parameters" | "function_value_parameters" => {
                    for p in named_children(child) {
                        let n = p
                            .child_by_field_name("name")
                            .or_else(|| p.named_child(0).filter(|n| n.kind() == "identifier"));
                        if let Some(n) = n {
                            params.push(self.text(n).to_string());
                            // Java's `type` field; Kotlin's type follows the name.
                            let ty = p.child_by_field_name("type").or_else(|| {
                                named_children(p).into_iter().find(|c| {
                                    c.kind().ends_with("_type") || c.kind() == "user_type"
                                })
                            });
                            param_types
                                .push(ty.map(|t| self.text(t).to_string()).unwrap_or_default());
                        }
                    }
                }
                "function_body" => body = child.named_child(0),
                _ => {}
            }
        }
        Function {
            name,
            params,
            param_types,
            node,
            body,
        }
    }

    /// The function a node is in.
    pub fn func_of(&self, node: Node<'_>) -> Option<&Function<'t>> {
        self.functions
            .iter()
            .filter(|f| {
                f.node.start_byte() <= node.start_byte() && node.end_byte() <= f.node.end_byte()
            })
            .min_by_key(|f| f.node.end_byte() - f.node.start_byte())
    }

    /// Whether `node` is a string literal without interpolation; its text if so.
    pub fn literal(&self, node: Node<'_>) -> Option<String> {
        let node = unwrap_parens(node);
        if node.kind() != "string_literal" && node.kind() != "text_block" {
            return None;
        }
        let raw = self.text(node);
        if self.lang == Lang::Kotlin
            && (has_child_kind(node, "interpolation") || has_short_template(raw))
        {
            return None;
        }
        let inner = raw
            .trim_start_matches("\"\"\"")
            .trim_end_matches("\"\"\"")
            .trim_matches('"');
        Some(inner.to_string())
    }

    pub fn is_true(&self, node: Node<'_>) -> bool {
        self.text(unwrap_parens(node)).trim() == "true"
    }

    /// The parts of a string built at run time that are not literals: the non-literal
    /// operands of `+` chains that contain a literal, Kotlin template expressions, and the
    /// arguments after the format of `String.format`/`.format(...)`. Empty when the
    /// expression is a plain literal or no string building.
    pub fn dynamic_parts(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let node = unwrap_parens(node);
        let mut out = Vec::new();
        match node.kind() {
            "binary_expression" | "additive_expression" => {
                let op = node
                    .child_by_field_name("operator")
                    .map(|n| self.text(n))
                    .or_else(|| node.child(1).map(|n| self.text(n)));
                if op == Some("+") {
                    let mut operands = Vec::new();
                    flatten_plus(node, self, &mut operands);
                    let any_literal = operands.iter().any(|o| {
                        matches!(unwrap_parens(*o).kind(), "string_literal" | "text_block")
                    });
                    if any_literal {
                        for o in operands {
                            let o = unwrap_parens(o);
                            if o.kind() == "string_literal" {
                                out.extend(self.template_parts(o));
                            } else {
                                out.push(o);
                            }
                        }
                    }
                }
            }
            "string_literal" => out.extend(self.template_parts(node)),
            "method_invocation" | "call_expression" => {
                if let Some(call) = self.calls.iter().find(|c| c.node == node)
                    && call.name == "format"
                {
                    let args: Vec<Node<'t>> = call.args.clone();
                    // `String.format(fmt, a, b)` or `String.format(locale, fmt, a)`;
                    // Kotlin's `"…".format(a)` has the format as receiver.
                    let fmt_at = args.iter().position(|a| self.literal(*a).is_some());
                    match fmt_at {
                        Some(i) => out.extend(args.into_iter().skip(i + 1)),
                        None if call.receiver.as_deref().is_some_and(|r| r.starts_with('"')) => {
                            out.extend(args)
                        }
                        None => {}
                    }
                }
            }
            _ => {}
        }
        out.retain(|n| !self.is_constant(*n));
        out
    }

    /// Kotlin template parts of a string literal (`${x}` and `$x`).
    fn template_parts(&self, node: Node<'t>) -> Vec<Node<'t>> {
        if self.lang != Lang::Kotlin {
            return Vec::new();
        }
        let mut out = Vec::new();
        let children = named_children(node);
        for (i, child) in children.iter().enumerate() {
            if child.kind() == "interpolation" {
                if let Some(e) = child.named_child(0) {
                    out.push(e);
                }
            } else if child.kind() == "string_content"
                && self.text(*child) == "$"
                && let Some(next) = children.get(i + 1)
            {
                out.push(*next);
            }
        }
        out
    }

    /// A compile-time constant by convention (`TABLE_NAME`, `Contract.COLUMN_ID`), a
    /// number or a literal.
    pub fn is_constant(&self, node: Node<'_>) -> bool {
        let node = unwrap_parens(node);
        let t = self.part_text(node);
        if self.literal(node).is_some() {
            return true;
        }
        if t.parse::<f64>().is_ok() || t.ends_with('L') && t[..t.len() - 1].parse::<i64>().is_ok() {
            return true;
        }
        // `TABLE_NAME`, `Contract.COLUMN_ID`, and versioned ones (`MISSIONS_TABLE_v2`).
        let last = last_segment(t);
        let last = match last.rsplit_once('_') {
            Some((head, tail))
                if !tail.is_empty()
                    && tail.len() <= 3
                    && tail
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) =>
            {
                head
            }
            _ => last,
        };
        last.len() > 1
            && last
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
            && last.chars().any(|c| c.is_ascii_uppercase())
    }

    /// The text of a dynamic part: a Kotlin `$name` template part's name (its string
    /// content runs on past the name), else the node's text.
    pub fn part_text(&self, node: Node<'_>) -> &'t str {
        let t = self.text(node).trim();
        if node.kind() == "string_content" {
            let end = t
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(t.len());
            return &t[..end];
        }
        t
    }

    /// Whether the value of `node` comes from outside the app: an intent's extras or data,
    /// a deep link's URI parts, or a `ContentProvider` method's selection arguments or file
    /// URI — directly, through local variables of the function and fields of the file, or
    /// through the parameters of a function the file calls with such a value (up to a few
    /// steps deep). Returns the source's text.
    pub fn tainted(&self, node: Node<'t>) -> Option<String> {
        self.tainted_depth(node, 0, &|_| false, &Cell::new(TAINT_BUDGET))
    }

    /// Like [`Code::tainted`], but the flow stops at the expressions `stop` accepts (a
    /// rule's sanitisers: `File(name).getName()`, `Integer.parseInt(id)`): a value read only
    /// through them is not tainted.
    pub fn tainted_unless(
        &self,
        node: Node<'t>,
        stop: &dyn Fn(Node<'t>) -> bool,
    ) -> Option<String> {
        self.tainted_depth(node, 0, stop, &Cell::new(TAINT_BUDGET))
    }

    fn tainted_depth(
        &self,
        node: Node<'t>,
        depth: u32,
        stop: &dyn Fn(Node<'t>) -> bool,
        budget: &Cell<u32>,
    ) -> Option<String> {
        // Each step may fan out to every assignment of a name and every call of a function;
        // the budget bounds one question's work on a hostile file.
        if depth > 4 || budget.get() == 0 || self.taint_steps.get() == 0 {
            return None;
        }
        budget.set(budget.get() - 1);
        self.taint_steps.set(self.taint_steps.get() - 1);
        let func = self.func_of(node);
        let mut found = None;
        let mut stopped: Vec<Node<'t>> = Vec::new();
        visit(node, &mut |n| {
            if found.is_some()
                || stopped
                    .iter()
                    .any(|s| s.start_byte() <= n.start_byte() && n.end_byte() <= s.end_byte())
            {
                return;
            }
            if matches!(n.kind(), "method_invocation" | "call_expression")
                && let Some(call) = self.calls.iter().find(|c| c.node == n)
                && (is_source_call(call) || self.is_uri_parameter_part(call, func))
            {
                found = Some(self.text(n).to_string());
                return;
            }
            if n.kind() == "navigation_expression" && self.is_source_property(n, func) {
                found = Some(self.text(n).to_string());
                return;
            }
            if stop(n) {
                stopped.push(n);
                return;
            }
            let name = match n.kind() {
                "identifier" => Some(self.text(n)),
                // Kotlin's `$name` template: the name is string content after a `$`.
                "string_content" if n.prev_named_sibling().is_some_and(|p| self.text(p) == "$") => {
                    let t = self.text(n);
                    let end = t
                        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .unwrap_or(t.len());
                    Some(&t[..end])
                }
                _ => None,
            };
            if let Some(name) = name {
                if let Some(f) = func
                    && is_provider_argument(f, name)
                {
                    found = Some(name.to_string());
                    return;
                }
                for a in self.reaching_assigns(n, name, func) {
                    if let Some(s) = self.tainted_depth(a.value, depth + 1, stop, budget) {
                        found = Some(s);
                        return;
                    }
                }
                // A parameter: the arguments the file's own calls of the function pass.
                if let Some(f) = func
                    && let Some(s) = self.tainted_parameter(f, name, depth, stop, budget)
                {
                    found = Some(s);
                }
            }
        });
        found
    }

    /// The source of parameter `name` of `f`, when a call of `f` in this file (by name, with
    /// as many arguments as `f` has parameters, on no receiver or `this`) passes a tainted
    /// argument in its place: `open(link.lastPathSegment)` → `fun open(name: String)`.
    fn tainted_parameter(
        &self,
        f: &Function<'t>,
        name: &str,
        depth: u32,
        stop: &dyn Fn(Node<'t>) -> bool,
        budget: &Cell<u32>,
    ) -> Option<String> {
        let i = f.params.iter().position(|p| p == name)?;
        self.calls
            .iter()
            .filter(|c| {
                c.name == f.name
                    && !c.constructor
                    && c.args.len() == f.params.len()
                    && c.receiver.as_deref().is_none_or(|r| r == "this")
                    && !(f.node.start_byte() <= c.node.start_byte()
                        && c.node.end_byte() <= f.node.end_byte())
            })
            .find_map(|c| self.tainted_depth(c.args[i], depth + 1, stop, budget))
    }

    /// Kotlin's property forms of the sources: `intent.data`, `intent.extras`,
    /// `uri.lastPathSegment`, `uri.pathSegments`, and `uri.path` of a `Uri` parameter.
    fn is_source_property(&self, n: Node<'_>, func: Option<&Function<'_>>) -> bool {
        let count = n.named_child_count();
        let (Some(recv), Some(member)) = (
            n.named_child(0),
            n.named_child(count.saturating_sub(1) as u32),
        ) else {
            return false;
        };
        let member = self.text(member);
        let recv_text = self.text(recv).trim_end_matches(['?', '!']);
        match member {
            "data" | "extras" | "dataString" => {
                recv_text == "intent"
                    || recv_text.ends_with(".intent")
                    || recv_text.ends_with("?.intent")
            }
            "lastPathSegment" | "pathSegments" | "encodedPath" | "encodedQuery" | "fragment"
            | "encodedFragment" => true,
            "path" => self.is_uri_parameter(recv, func),
            _ => false,
        }
    }

    /// `uri.getPath()` (or `getEncodedPath`) of a function's `Uri` parameter: a deep link's
    /// or a caller's URI handed to the method.
    fn is_uri_parameter_part(&self, call: &Call<'t>, func: Option<&Function<'t>>) -> bool {
        call.name == "getPath"
            && call.args.is_empty()
            && crate::android::code_util::receiver_node(call)
                .is_some_and(|r| self.is_uri_parameter(r, func))
    }

    fn is_uri_parameter(&self, recv: Node<'_>, func: Option<&Function<'_>>) -> bool {
        let recv = unwrap_parens(recv);
        if recv.kind() != "identifier" {
            return false;
        }
        let name = self.text(recv);
        func.is_some_and(|f| {
            f.params.iter().zip(&f.param_types).any(|(p, t)| {
                p == name && t.trim_end_matches('?').rsplit('.').next() == Some("Uri")
            })
        })
    }
}

impl<'t> Code<'t> {
    /// The assignments whose value `name` (the identifier `n`, in function `func`) may hold:
    /// locals of the same function assigned before it, then fields (assignments outside
    /// functions, `this.x = …`, or in a function that declares no local of that name).
    pub fn reaching_assigns<'a>(
        &'a self,
        n: Node<'t>,
        name: &'a str,
        func: Option<&'a Function<'t>>,
    ) -> impl Iterator<Item = &'a Assign<'t>> + 'a {
        // Of the declarations of a local in this function before `n`, only the last one
        // is in scope (two `try (FileOutputStream out = …)` blocks declare two `out`s).
        let last_declaration = self
            .assigns
            .iter()
            .filter(|a| {
                a.name == name
                    && a.func.is_some()
                    && a.func
                        .map(|i| &self.functions[i])
                        .is_some_and(|f| func.is_some_and(|g| std::ptr::eq(f, g)))
                    && matches!(
                        a.node.kind(),
                        "variable_declarator" | "property_declaration" | "resource"
                    )
                    && a.node.start_byte() < n.start_byte()
            })
            .map(|a| a.node.start_byte())
            .max();
        self.assigns
            .iter()
            .filter(move |a| a.name == name && a.value != n)
            .filter(move |a| {
                let local_declaration = a.func.is_some()
                    && matches!(
                        a.node.kind(),
                        "variable_declarator" | "property_declaration" | "resource"
                    );
                let same_func = a
                    .func
                    .map(|i| &self.functions[i])
                    .is_some_and(|f| func.is_some_and(|g| std::ptr::eq(f, g)));
                // A declaration later in the function is another variable of that name.
                !(local_declaration
                    && (last_declaration.is_some_and(|last| a.node.start_byte() < last)
                        || same_func && a.node.start_byte() > n.start_byte()))
            })
            .filter(move |a| {
                let same_func = match (a.func, func) {
                    (Some(i), Some(f)) => std::ptr::eq(&self.functions[i], f),
                    (None, _) => true,
                    _ => false,
                };
                let is_field = a.func.is_none()
                    || a.target.starts_with("this.")
                    || (matches!(a.node.kind(), "assignment_expression" | "assignment")
                        && !self.declares_local(a.func, name));
                // A local or parameter of that name hides the field.
                let shadowed = last_declaration.is_some()
                    || func.is_some_and(|f| f.params.iter().any(|p| p == name));
                (same_func || is_field && !shadowed)
                    && a.value.start_byte() < n.start_byte().max(a.value.end_byte())
            })
    }

    /// Whether function `func` declares a local variable (or has a parameter) `name`.
    fn declares_local(&self, func: Option<usize>, name: &str) -> bool {
        func.is_some_and(|i| self.locals.contains(&(i, name.to_string())))
    }

    /// Whether the file's taint questions ran out of budget (some answers were cut short).
    pub fn taint_budget_exhausted(&self) -> bool {
        self.taint_steps.get() == 0
    }
}

/// Calls whose result is attacker-controlled input for an exported component.
/// Numbers and flags (`getIntExtra`, `getBooleanExtra`, …) carry no text to inject.
fn is_source_call(call: &Call<'_>) -> bool {
    let n = call.name.as_str();
    (n.starts_with("get")
        && n.ends_with("Extra")
        && !matches!(
            n,
            "getIntExtra"
                | "getLongExtra"
                | "getBooleanExtra"
                | "getFloatExtra"
                | "getDoubleExtra"
                | "getShortExtra"
                | "getByteExtra"
                | "getCharExtra"
        ))
        || matches!(
            n,
            "getExtras"
                | "getData"
                | "getDataString"
                | "getQueryParameter"
                | "getQueryParameters"
                | "getLastPathSegment"
                | "getPathSegments"
                | "getEncodedPath"
                | "getEncodedQuery"
                | "getFragment"
        )
        || (matches!(n, "data" | "extras") && call.receiver.as_deref() == Some("intent"))
}

/// Arguments of `ContentProvider` methods that callers from other apps choose: the
/// `selection`/`sortOrder` of `query/update/delete`, and the `Uri` of `openFile`,
/// `openAssetFile` and `openTypedAssetFile`.
fn is_provider_argument(func: &Function<'_>, name: &str) -> bool {
    (matches!(func.name.as_str(), "query" | "update" | "delete")
        && func.params.iter().any(|p| p == name)
        && matches!(name, "selection" | "sortOrder" | "where" | "projection"))
        || (is_provider_file_method(func) && func.params.first().is_some_and(|p| p == name))
}

/// `ContentProvider.openFile/openAssetFile/openTypedAssetFile(uri, …)`: the first parameter
/// is a `Uri` (by its declared type, when one is written).
pub fn is_provider_file_method(func: &Function<'_>) -> bool {
    matches!(
        func.name.as_str(),
        "openFile" | "openAssetFile" | "openTypedAssetFile"
    ) && func.params.len() >= 2
        && func
            .param_types
            .first()
            .is_none_or(|t| t.is_empty() || t.trim_end_matches('?').ends_with("Uri"))
}

pub fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

pub fn unwrap_parens(mut node: Node<'_>) -> Node<'_> {
    while matches!(node.kind(), "parenthesized_expression" | "value_argument")
        && node.named_child_count() >= 1
    {
        match node.named_child(node.named_child_count() as u32 - 1) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

fn flatten_plus<'t>(node: Node<'t>, code: &Code<'t>, out: &mut Vec<Node<'t>>) {
    let node = unwrap_parens(node);
    if matches!(node.kind(), "binary_expression" | "additive_expression") {
        let op = node
            .child_by_field_name("operator")
            .map(|n| code.text(n))
            .or_else(|| node.child(1).map(|n| code.text(n)));
        if op == Some("+")
            && let (Some(l), Some(r)) = (
                node.child_by_field_name("left")
                    .or_else(|| node.named_child(0)),
                node.child_by_field_name("right")
                    .or_else(|| node.named_child(1)),
            )
        {
            flatten_plus(l, code, out);
            flatten_plus(r, code, out);
            return;
        }
    }
    out.push(node);
}

fn has_child_kind(node: Node<'_>, kind: &str) -> bool {
    named_children(node).iter().any(|c| c.kind() == kind)
}

/// `$name` in a Kotlin string's raw text (not `\$`).
fn has_short_template(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.windows(2).enumerate().any(|(i, w)| {
        w[0] == b'$'
            && (w[1].is_ascii_alphabetic() || w[1] == b'_' || w[1] == b'{')
            && (i == 0 || bytes[i - 1] != b'\\')
    })
}

pub fn last_segment(t: &str) -> &str {
    let t = t.split('<').next().unwrap_or(t);
    t.rsplit(['.', ' ']).next().unwrap_or(t).trim()
}

/// Calls `f` on `node` and every descendant.
pub fn visit<'t>(node: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    f(node);
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        visit(child, f);
    }
}
