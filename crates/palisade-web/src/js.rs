//! JavaScript and TypeScript: one parse per script (a file, an inline `<script>`, an event
//! handler attribute), one walk that collects the nodes the rules look at, and a local
//! data-flow model: which value each variable holds, followed through assignments,
//! destructuring, concatenation, template literals and string methods, to tell whether a
//! value reaching a sink comes from something an attacker controls (`location.hash`,
//! `postMessage` data, `req.query`), from a sanitizer, from constants, or from somewhere
//! unknown. The flow is intra-procedural: a variable is looked up in its function, then in
//! the enclosing ones, at the last binding before the use.

use palisade_core::{FileContext, SourceFile, Span};
use palisade_syntax::Grammar;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::LazyLock;
use tree_sitter::Node;

pub static JAVASCRIPT: LazyLock<Grammar> =
    LazyLock::new(|| Grammar::new("javascript", tree_sitter_javascript::LANGUAGE));
pub static TYPESCRIPT: LazyLock<Grammar> =
    LazyLock::new(|| Grammar::new("typescript", tree_sitter_typescript::LANGUAGE_TYPESCRIPT));
pub static TSX: LazyLock<Grammar> =
    LazyLock::new(|| Grammar::new("tsx", tree_sitter_typescript::LANGUAGE_TSX));

/// The grammar for a file extension (`None`: not a script).
pub fn grammar_for(ext: &str) -> Option<&'static Grammar> {
    match ext {
        "js" | "mjs" | "cjs" | "jsx" => Some(&JAVASCRIPT),
        "ts" | "mts" | "cts" => Some(&TYPESCRIPT),
        "tsx" => Some(&TSX),
        _ => None,
    }
}

/// What a value is, as far as the analysis can tell.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Taint {
    /// Built from constants only.
    Const,
    /// Passed through a sanitizer or an encoder.
    Sanitized,
    /// Non-constant, origin unknown (a parameter, a call's result).
    Unknown,
    /// From something the attacker controls: what, and whether it is the page's whole URL
    /// (`location.href`), which cannot redirect to another origin by itself.
    Source(String, bool),
}

impl Taint {
    pub fn join(self, other: Taint) -> Taint {
        match (&self, &other) {
            // Of two sources keep the one that is not the page's whole URL: it is the part
            // an attacker chooses freely.
            (Taint::Source(_, true), Taint::Source(_, false)) => other,
            (Taint::Source(..), Taint::Source(..)) => self,
            _ if self >= other => self,
            _ => other,
        }
    }

    pub fn source(&self) -> Option<&str> {
        match self {
            Taint::Source(s, _) => Some(s),
            _ => None,
        }
    }
}

/// Whether a node kind starts a function scope.
pub fn is_function_kind(kind: &str) -> bool {
    is_function(kind)
}

/// Node kinds that start a function scope.
fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
            | "generator_function"
            | "function"
    )
}

/// How a parameter is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Param {
    Unknown,
    /// The event of a `message` listener: its `.data` is attacker-controlled.
    MessageEvent,
    /// The value an Angular `ActivatedRoute` observable hands its subscriber
    /// (`route.queryParamMap.subscribe(params => …)`): what the URL says.
    RouteParams,
}

#[derive(Clone, Debug)]
enum Value<'t> {
    Expr(Node<'t>),
    /// `const { hash } = location`: a property of the value.
    Prop(Node<'t>, String),
    Param(Param),
}

#[derive(Clone, Debug)]
struct Binding<'t> {
    pos: usize,
    value: Value<'t>,
    /// The function (node id, 0 for the top level) the binding belongs to.
    scope: usize,
    /// For a parameter: its position in the parameter list.
    index: usize,
}

/// The stand-in for a function's arguments in a method summary ([`Script::members`]).
const ARGUMENT: &str = "\u{1}argument";

/// How many calls of helper functions one script follows into their bodies.
const MAX_HELPER_CALLS: usize = 64;

/// One script's syntax tree and data-flow model.
pub struct Script<'t> {
    pub source: &'t str,
    /// Where the script starts in its file.
    pub base: usize,
    pub root: Node<'t>,
    /// Nodes the rules look at, by kind, in document order.
    nodes: HashMap<&'static str, Vec<Node<'t>>>,
    /// (scope id, name) → bindings in document order.
    bindings: HashMap<(usize, String), Vec<Binding<'t>>>,
    /// The file imports or requires one of these modules.
    pub imports: Vec<String>,
    /// Function extents in document order: (start byte, end byte, node id, index of the
    /// enclosing function), so that scopes are found without walking up the tree.
    functions: Vec<(usize, usize, usize, Option<usize>)>,
    /// Functions of the script by name (`function f() {}`, `const f = (x) => …`), for
    /// following a value through a helper call.
    helpers: HashMap<String, Node<'t>>,
    /// Methods of the script's classes and object literals by name (`helper(x) {…}`, Vue
    /// `methods: { format(x) {…} }`, `helper = (x) => …` fields), for following a value
    /// through `this.helper(x)`.
    methods: HashMap<String, Node<'t>>,
    /// The arguments of the helper calls being followed: (function node id, their taints).
    frames: RefCell<Vec<(usize, Vec<Taint>)>>,
    /// Helper calls followed so far (capped by [`MAX_HELPER_CALLS`]).
    helper_calls: Cell<usize>,
    /// What followed helper calls returned, by call node id (outside other helper calls).
    helper_results: RefCell<HashMap<usize, Taint>>,
    /// What the members of a component or class hold (`this.x`, a Vue component's data,
    /// computed properties and `<script setup>` bindings), as far as this script tells.
    members: RefCell<HashMap<String, Taint>>,
    /// `members` has been computed (lazily, on the first `this.x`).
    members_ready: Cell<bool>,
    /// A template expression (Vue): its free identifiers are the component's members.
    template: bool,
}

/// Kinds the model and the rules collect.
const COLLECT: &[&str] = &[
    "variable_declarator",
    "assignment_expression",
    "augmented_assignment_expression",
    "call_expression",
    "new_expression",
    "jsx_attribute",
    "formal_parameters",
    "import_statement",
    "function_declaration",
    "pair",
    "method_definition",
    "arrow_function",
    "public_field_definition",
    "field_definition",
];

const MAX_DEPTH: usize = 24;

impl<'t> Script<'t> {
    pub fn new(source: &'t str, base: usize, root: Node<'t>) -> Script<'t> {
        let mut script = Script {
            source,
            base,
            root,
            nodes: HashMap::new(),
            bindings: HashMap::new(),
            imports: Vec::new(),
            functions: Vec::new(),
            helpers: HashMap::new(),
            methods: HashMap::new(),
            frames: RefCell::new(Vec::new()),
            helper_calls: Cell::new(0),
            helper_results: RefCell::new(HashMap::new()),
            members: RefCell::new(HashMap::new()),
            members_ready: Cell::new(false),
            template: false,
        };
        script.collect();
        script.model();
        script
    }

    /// A template expression of a component (a Vue `v-html` value): names that are not
    /// bound in it are the component's members, whose values `members` gives.
    pub fn template_expression(
        source: &'t str,
        base: usize,
        root: Node<'t>,
        members: HashMap<String, Taint>,
    ) -> Script<'t> {
        let script = Script::new(source, base, root);
        *script.members.borrow_mut() = members;
        script.members_ready.set(true);
        Script {
            template: true,
            ..script
        }
    }

    /// What this script says the members of its component hold: `<script setup>` and
    /// module-level bindings, Options API `data()` and `computed`, and `this.x = …`
    /// assignments (joined over every assignment in the script).
    pub fn members(&self) -> HashMap<String, Taint> {
        self.ensure_members();
        let mut out = self.members.borrow().clone();
        // What each method and top-level function returns, for template calls
        // (`v-html="format(msg)"`), under `name()`: the arguments' marker when it returns
        // what it is given.
        if !self.template {
            let mut functions: Vec<(&String, &Node<'t>)> =
                self.methods.iter().chain(self.helpers.iter()).collect();
            functions.sort_by_key(|(_, f)| f.start_byte());
            for (name, &function) in functions {
                let t = self.summary(function);
                out.insert(format!("{name}()"), t);
            }
        }
        out
    }

    /// What `function` returns when every argument is the [`ARGUMENT`] marker.
    fn summary(&self, function: Node<'t>) -> Taint {
        if self.helper_calls.get() >= MAX_HELPER_CALLS {
            return Taint::Unknown;
        }
        self.helper_calls.set(self.helper_calls.get() + 1);
        let args = vec![Taint::Source(ARGUMENT.to_string(), false); 8];
        self.frames.borrow_mut().push((function.id(), args));
        let t = self
            .returns(function)
            .into_iter()
            .fold(Taint::Const, |t, r| t.join(self.eval(r, 1)));
        self.frames.borrow_mut().pop();
        t
    }

    /// What the member `name` holds (`None`: nothing in the script says).
    fn member(&self, name: &str) -> Option<Taint> {
        self.ensure_members();
        self.members.borrow().get(name).cloned()
    }

    pub fn nodes(&self, kind: &str) -> &[Node<'t>] {
        self.nodes.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn text(&self, node: Node<'_>) -> &'t str {
        self.source
            .get(node.start_byte()..node.end_byte())
            .unwrap_or("")
    }

    /// The span of a node in the file.
    pub fn span(&self, file: &SourceFile, node: Node<'_>) -> Span {
        file.span(self.base + node.start_byte(), self.base + node.end_byte())
    }

    fn collect(&mut self) {
        let mut cursor = self.root.walk();
        // Enclosing functions of the current node: indexes into `functions`.
        let mut open: Vec<usize> = Vec::new();
        loop {
            let node = cursor.node();
            let kind = node.kind();
            if let Some(k) = COLLECT.iter().find(|k| **k == kind) {
                self.nodes.entry(k).or_default().push(node);
            }
            if is_function(kind) {
                while open
                    .last()
                    .is_some_and(|&i| self.functions[i].1 <= node.start_byte())
                {
                    open.pop();
                }
                self.functions.push((
                    node.start_byte(),
                    node.end_byte(),
                    node.id(),
                    open.last().copied(),
                ));
                open.push(self.functions.len() - 1);
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    fn bind(&mut self, scope: usize, name: &str, pos: usize, value: Value<'t>) {
        self.bind_param(scope, name, pos, value, 0);
    }

    fn bind_param(&mut self, scope: usize, name: &str, pos: usize, value: Value<'t>, index: usize) {
        self.bindings
            .entry((scope, name.to_string()))
            .or_default()
            .push(Binding {
                pos,
                value,
                scope,
                index,
            });
    }

    fn model(&mut self) {
        let declarators: Vec<Node<'t>> = self.nodes("variable_declarator").to_vec();
        for d in declarators {
            let (Some(name), Some(value)) = (
                d.child_by_field_name("name"),
                d.child_by_field_name("value"),
            ) else {
                continue;
            };
            // The binding takes effect after its initializer.
            self.bind_pattern(name, value, d.end_byte());
        }
        let assignments: Vec<Node<'t>> = self
            .nodes("assignment_expression")
            .iter()
            .chain(self.nodes("augmented_assignment_expression"))
            .copied()
            .collect();
        for a in assignments {
            let (Some(left), Some(right)) = (
                a.child_by_field_name("left"),
                a.child_by_field_name("right"),
            ) else {
                continue;
            };
            if left.kind() == "identifier" {
                let scope = self.scope_of(left);
                let name = self.text(left).to_string();
                // The new value holds after the assignment, so that `x = f(x)` reads the
                // previous x.
                if a.kind() == "augmented_assignment_expression" {
                    // `x += y`: both the old value and y; modelled as a binding of the
                    // whole expression, evaluated specially.
                    self.bind(scope, &name, a.end_byte(), Value::Expr(a));
                } else {
                    self.bind(scope, &name, a.end_byte(), Value::Expr(right));
                }
            } else if matches!(left.kind(), "object_pattern" | "array_pattern") {
                self.bind_pattern(left, right, a.end_byte());
            }
        }
        let params: Vec<Node<'t>> = self.nodes("formal_parameters").to_vec();
        for p in params {
            let Some(function) = p.parent() else { continue };
            let message = self.is_message_handler(function);
            let route = self.is_route_subscriber(function);
            let scope = function.id();
            for i in 0..p.named_child_count() {
                let Some(param) = p.named_child(i as u32) else {
                    continue;
                };
                let ident = match param.kind() {
                    "identifier" => Some(param),
                    "required_parameter" | "optional_parameter" | "assignment_pattern" => param
                        .child_by_field_name("pattern")
                        .or_else(|| param.child_by_field_name("left"))
                        .filter(|n| n.kind() == "identifier"),
                    _ => None,
                };
                if let Some(ident) = ident {
                    let kind = if message && i == 0 {
                        Param::MessageEvent
                    } else if route && i == 0 {
                        Param::RouteParams
                    } else {
                        Param::Unknown
                    };
                    let name = self.text(ident).to_string();
                    self.bind_param(scope, &name, 0, Value::Param(kind), i);
                }
            }
        }
        // `x => …` has a bare identifier parameter.
        let arrows: Vec<Node<'t>> = self.nodes("arrow_function").to_vec();
        for arrow in arrows {
            if let Some(param) = arrow.child_by_field_name("parameter")
                && param.kind() == "identifier"
            {
                let kind = if self.is_message_handler(arrow) {
                    Param::MessageEvent
                } else if self.is_route_subscriber(arrow) {
                    Param::RouteParams
                } else {
                    Param::Unknown
                };
                let name = self.text(param).to_string();
                self.bind(arrow.id(), &name, 0, Value::Param(kind));
            }
        }
        for bucket in self.bindings.values_mut() {
            bucket.sort_by_key(|b| b.pos);
        }
        // Helper functions by name; a name defined twice is not followed.
        let mut helpers: HashMap<String, Option<Node<'t>>> = HashMap::new();
        let named = self
            .nodes("function_declaration")
            .iter()
            .filter_map(|f| Some((f.child_by_field_name("name")?, *f)))
            .chain(self.nodes("variable_declarator").iter().filter_map(|d| {
                let value = d.child_by_field_name("value")?;
                matches!(
                    value.kind(),
                    "arrow_function" | "function_expression" | "function"
                )
                .then_some((d.child_by_field_name("name")?, value))
            }));
        for (name, function) in named {
            if name.kind() != "identifier" {
                continue;
            }
            helpers
                .entry(self.text(name).to_string())
                .and_modify(|v| *v = None)
                .or_insert(Some(function));
        }
        self.helpers = helpers
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect();
        // Methods by name; a name defined twice (two classes) is not followed.
        let mut methods: HashMap<String, Option<Node<'t>>> = HashMap::new();
        let is_fn = |n: Node<'_>| {
            matches!(
                n.kind(),
                "arrow_function" | "function_expression" | "function"
            )
        };
        let defined = self
            .nodes("method_definition")
            .iter()
            .filter_map(|m| Some((m.child_by_field_name("name")?, *m)))
            .chain(
                self.nodes("pair")
                    .iter()
                    .chain(self.nodes("public_field_definition"))
                    .chain(self.nodes("field_definition"))
                    .filter_map(|p| {
                        let key = p
                            .child_by_field_name("key")
                            .or_else(|| p.child_by_field_name("name"))
                            .or_else(|| p.child_by_field_name("property"))?;
                        let value = p.child_by_field_name("value")?;
                        is_fn(value).then_some((key, value))
                    }),
            );
        for (name, function) in defined {
            if !matches!(name.kind(), "property_identifier" | "identifier") {
                continue;
            }
            let name = self.text(name);
            if name == "constructor" {
                continue;
            }
            methods
                .entry(name.to_string())
                .and_modify(|v| *v = None)
                .or_insert(Some(function));
        }
        self.methods = methods
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect();
        let imports: Vec<String> = self
            .nodes("import_statement")
            .iter()
            .filter_map(|i| i.child_by_field_name("source"))
            .map(|s| self.text(s).trim_matches(['"', '\'']).to_string())
            .chain(self.nodes("call_expression").iter().filter_map(|c| {
                let callee = c.child_by_field_name("function")?;
                if self.text(callee) != "require" {
                    return None;
                }
                let arg = c.child_by_field_name("arguments")?.named_child(0)?;
                (arg.kind() == "string")
                    .then(|| self.text(arg).trim_matches(['"', '\'']).to_string())
            }))
            .collect();
        self.imports = imports;
    }

    fn bind_pattern(&mut self, pattern: Node<'t>, value: Node<'t>, pos: usize) {
        match pattern.kind() {
            "identifier" => {
                let scope = self.scope_of(pattern);
                let name = self.text(pattern).to_string();
                self.bind(scope, &name, pos, Value::Expr(value));
            }
            "object_pattern" => {
                for i in 0..pattern.named_child_count() {
                    let Some(child) = pattern.named_child(i as u32) else {
                        continue;
                    };
                    match child.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let scope = self.scope_of(child);
                            let name = self.text(child).to_string();
                            self.bind(scope, &name, pos, Value::Prop(value, name.clone()));
                        }
                        "pair_pattern" => {
                            if let (Some(key), Some(target)) = (
                                child.child_by_field_name("key"),
                                child.child_by_field_name("value"),
                            ) && target.kind() == "identifier"
                            {
                                let scope = self.scope_of(target);
                                let name = self.text(target).to_string();
                                let key = self.text(key).trim_matches(['"', '\'']).to_string();
                                self.bind(scope, &name, pos, Value::Prop(value, key));
                            }
                        }
                        _ => {}
                    }
                }
            }
            "array_pattern" => {
                for i in 0..pattern.named_child_count() {
                    if let Some(child) = pattern.named_child(i as u32)
                        && child.kind() == "identifier"
                    {
                        let scope = self.scope_of(child);
                        let name = self.text(child).to_string();
                        self.bind(scope, &name, pos, Value::Expr(value));
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether `function` is the handler of a `message` event
    /// (`addEventListener("message", f)`, `onmessage = f`, `window.onmessage = f`).
    fn is_message_handler(&self, function: Node<'t>) -> bool {
        let Some(parent) = function.parent() else {
            return false;
        };
        if parent.kind() == "arguments"
            && let Some(call) = parent.parent()
            && let Some(callee) = call.child_by_field_name("function")
            && self.text(callee).ends_with("addEventListener")
            && let Some(first) = parent.named_child(0)
        {
            return matches!(self.text(first), "\"message\"" | "'message'" | "`message`");
        }
        if parent.kind() == "assignment_expression"
            && let Some(left) = parent.child_by_field_name("left")
        {
            return self.text(left).ends_with("onmessage");
        }
        false
    }

    /// Whether `function` subscribes to an Angular `ActivatedRoute` observable
    /// (`this.route.queryParamMap.subscribe(params => …)`), so that its first parameter
    /// holds what the URL says.
    fn is_route_subscriber(&self, function: Node<'t>) -> bool {
        let Some(parent) = function.parent() else {
            return false;
        };
        if parent.kind() != "arguments" {
            return false;
        }
        let Some(callee) = parent
            .parent()
            .and_then(|c| c.child_by_field_name("function"))
            .filter(|c| c.kind() == "member_expression")
        else {
            return false;
        };
        if callee
            .child_by_field_name("property")
            .is_none_or(|p| self.text(p) != "subscribe")
        {
            return false;
        }
        let Some(observable) = callee
            .child_by_field_name("object")
            .filter(|o| o.kind() == "member_expression")
        else {
            return false;
        };
        let (Some(object), Some(property)) = (
            observable.child_by_field_name("object"),
            observable.child_by_field_name("property"),
        ) else {
            return false;
        };
        matches!(
            self.text(property),
            "queryParams" | "queryParamMap" | "params" | "paramMap" | "fragment"
        ) && self.text(object).to_ascii_lowercase().contains("route")
    }

    /// The expressions a function returns (an arrow function's expression body, or the
    /// values of its `return` statements outside nested functions).
    fn returns(&self, function: Node<'t>) -> Vec<Node<'t>> {
        let Some(body) = function.child_by_field_name("body") else {
            return Vec::new();
        };
        if body.kind() != "statement_block" {
            return vec![body];
        }
        let mut out = Vec::new();
        let mut stack = vec![body];
        let mut visited = 0usize;
        while let Some(n) = stack.pop() {
            visited += 1;
            if visited > 4096 {
                break;
            }
            if n.kind() == "return_statement" {
                if let Some(v) = n.named_child(0) {
                    out.push(v);
                }
                continue;
            }
            if is_function(n.kind()) || n.kind() == "class_body" {
                continue;
            }
            for i in 0..n.named_child_count() {
                if let Some(c) = n.named_child(i as u32) {
                    stack.push(c);
                }
            }
        }
        out
    }

    /// The key of an object pair or a method, unquoted.
    fn key_of(&self, node: Node<'t>) -> Option<&'t str> {
        let key = node
            .child_by_field_name("key")
            .or_else(|| node.child_by_field_name("name"))?;
        Some(self.text(key).trim_matches(['"', '\'', '`']))
    }

    /// The function a pair or a method defines (`data() {…}`, `data: function () {…}`).
    fn function_of(&self, node: Node<'t>) -> Option<Node<'t>> {
        if node.kind() == "method_definition" {
            return Some(node);
        }
        node.child_by_field_name("value")
            .filter(|v| is_function(v.kind()))
    }

    /// The members of a component or class and the expressions that give them values.
    fn member_definitions(&self) -> Vec<(String, Node<'t>, bool)> {
        // (name, expression or function, whether it is a function whose returns count)
        let mut defs: Vec<(String, Node<'t>, bool)> = Vec::new();
        for &d in self.nodes("variable_declarator") {
            if let (Some(name), Some(value)) = (
                d.child_by_field_name("name"),
                d.child_by_field_name("value"),
            ) && name.kind() == "identifier"
                && self.scope_of(d) == 0
            {
                defs.push((self.text(name).to_string(), value, false));
            }
        }
        for &f in self
            .nodes("public_field_definition")
            .iter()
            .chain(self.nodes("field_definition"))
        {
            if let (Some(name), Some(value)) = (
                f.child_by_field_name("name")
                    .or_else(|| f.child_by_field_name("property")),
                f.child_by_field_name("value"),
            ) {
                defs.push((self.text(name).to_string(), value, false));
            }
        }
        for &a in self.nodes("assignment_expression") {
            let (Some(left), Some(right)) = (
                a.child_by_field_name("left"),
                a.child_by_field_name("right"),
            ) else {
                continue;
            };
            if left.kind() != "member_expression" {
                continue;
            }
            let (Some(object), Some(property)) = (
                left.child_by_field_name("object"),
                left.child_by_field_name("property"),
            ) else {
                continue;
            };
            let prop = self.text(property);
            if object.kind() == "this" {
                defs.push((prop.to_string(), right, false));
            } else if prop == "value" && object.kind() == "identifier" {
                // `html.value = …` of a `<script setup>` ref.
                defs.push((self.text(object).to_string(), right, false));
            }
        }
        let options = self
            .nodes("pair")
            .iter()
            .chain(self.nodes("method_definition"))
            .copied()
            .filter(|n| matches!(self.key_of(*n), Some("data" | "setup" | "computed")));
        for option in options {
            match self.key_of(option) {
                // `data()` and the Composition API's `setup()` return the members.
                Some("data" | "setup") => {
                    let Some(function) = self.function_of(option) else {
                        continue;
                    };
                    for returned in self.returns(function) {
                        let mut object = returned;
                        while object.kind() == "parenthesized_expression" {
                            match object.named_child(0) {
                                Some(o) => object = o,
                                None => break,
                            }
                        }
                        if object.kind() != "object" {
                            continue;
                        }
                        for i in 0..object.named_child_count() {
                            let Some(p) = object.named_child(i as u32) else {
                                continue;
                            };
                            match p.kind() {
                                "pair" => {
                                    if let (Some(k), Some(v)) =
                                        (self.key_of(p), p.child_by_field_name("value"))
                                    {
                                        defs.push((k.to_string(), v, false));
                                    }
                                }
                                "shorthand_property_identifier" => {
                                    defs.push((self.text(p).to_string(), p, false));
                                }
                                _ => {}
                            }
                        }
                    }
                }
                Some("computed") => {
                    let Some(object) = option
                        .child_by_field_name("value")
                        .filter(|v| v.kind() == "object")
                    else {
                        continue;
                    };
                    for i in 0..object.named_child_count() {
                        let Some(p) = object.named_child(i as u32) else {
                            continue;
                        };
                        let Some(k) = self.key_of(p) else { continue };
                        if let Some(function) = self.function_of(p) {
                            defs.push((k.to_string(), function, true));
                        }
                    }
                }
                _ => {}
            }
        }
        defs
    }

    /// Evaluates what each member holds, twice so that members built from other members
    /// (`computed` from `data`) see them.
    fn ensure_members(&self) {
        if self.members_ready.replace(true) {
            return;
        }
        let defs = self.member_definitions();
        if defs.is_empty() {
            return;
        }
        for _ in 0..2 {
            let mut next: HashMap<String, Taint> = HashMap::new();
            for (name, node, function) in &defs {
                let t = if *function {
                    self.returns(*node)
                        .into_iter()
                        .fold(Taint::Const, |t, r| t.join(self.eval(r, 1)))
                } else {
                    self.eval(*node, 1)
                };
                let joined = match next.remove(name) {
                    Some(old) => old.join(t),
                    None => t,
                };
                next.insert(name.clone(), joined);
            }
            *self.members.borrow_mut() = next;
        }
    }

    /// Whether `node` is a Vue Router route object: `useRoute()` or a variable holding it.
    fn is_use_route(&self, node: Node<'t>) -> bool {
        let n = self.resolve(node);
        n.kind() == "call_expression"
            && n.child_by_field_name("function")
                .is_some_and(|f| self.text(f) == "useRoute")
    }

    /// The route data a member expression reads, if it does: Vue Router `$route.query`,
    /// `params`, `hash`, `fullPath` (also of `useRoute()` and `router.currentRoute`), and
    /// Angular `ActivatedRoute` `snapshot.queryParams`, `params`, `paramMap`,
    /// `queryParamMap`, `fragment`.
    fn route_source(&self, node: Node<'t>) -> Option<Taint> {
        let text = self.text(node);
        if text.len() > 512 {
            return None;
        }
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let found = route_text(&compact) || {
            let mut n = node;
            let mut found = false;
            for _ in 0..16 {
                if !matches!(n.kind(), "member_expression" | "subscript_expression") {
                    break;
                }
                let Some(object) = n.child_by_field_name("object") else {
                    break;
                };
                if n.kind() == "member_expression"
                    && n.child_by_field_name("property")
                        .is_some_and(|p| VUE_ROUTE_PARTS.contains(&self.text(p)))
                    && self.is_use_route(object)
                {
                    found = true;
                    break;
                }
                n = object;
            }
            found
        };
        found.then(|| Taint::Source(text.to_string(), false))
    }

    /// The index in `functions` of the innermost function that strictly contains `node`
    /// (not the node itself when it is a function).
    fn innermost(&self, node: Node<'_>) -> Option<usize> {
        let (start, end) = (node.start_byte(), node.end_byte());
        let after = self.functions.partition_point(|f| f.0 <= start);
        let mut candidate = after.checked_sub(1);
        while let Some(i) = candidate {
            let f = self.functions[i];
            if f.0 <= start && end <= f.1 && f.2 != node.id() {
                return Some(i);
            }
            candidate = f.3;
        }
        None
    }

    /// The id of the innermost function around `node` (0 for the top level).
    pub fn scope_of(&self, node: Node<'_>) -> usize {
        self.innermost(node).map_or(0, |i| self.functions[i].2)
    }

    /// The scopes around `node`, innermost first, ending with the top level.
    fn scopes_of(&self, node: Node<'_>) -> Vec<usize> {
        let mut out = Vec::new();
        let mut current = self.innermost(node);
        while let Some(i) = current {
            out.push(self.functions[i].2);
            current = self.functions[i].3;
        }
        out.push(0);
        out
    }

    /// The value a variable holds where `use_node` reads it.
    fn lookup(&self, name: &str, use_node: Node<'_>) -> Option<&Binding<'t>> {
        for scope in self.scopes_of(use_node) {
            if let Some(list) = self.bindings.get(&(scope, name.to_string()))
                && let Some(b) = list.iter().rev().find(|b| b.pos < use_node.start_byte())
            {
                return Some(b);
            }
        }
        None
    }

    /// The expression a variable was last bound to before `use_node`, if it is one.
    pub fn resolve(&self, node: Node<'t>) -> Node<'t> {
        if node.kind() == "identifier"
            && let Some(Binding {
                value: Value::Expr(e),
                ..
            }) = self.lookup(self.text(node), node)
            && e.kind() != "augmented_assignment_expression"
        {
            return *e;
        }
        node
    }

    /// What `node` evaluates to.
    pub fn taint(&self, node: Node<'t>) -> Taint {
        self.eval(node, 0)
    }

    fn eval(&self, node: Node<'t>, depth: usize) -> Taint {
        if depth > MAX_DEPTH {
            return Taint::Unknown;
        }
        let d = depth + 1;
        match node.kind() {
            "string"
            | "number"
            | "true"
            | "false"
            | "null"
            | "undefined"
            | "regex"
            | "arrow_function"
            | "function_expression"
            | "function"
            | "class"
            | "unary_expression"
            | "update_expression" => Taint::Const,
            "template_string" => {
                let mut t = Taint::Const;
                for i in 0..node.named_child_count() {
                    if let Some(c) = node.named_child(i as u32)
                        && c.kind() == "template_substitution"
                        && let Some(e) = c.named_child(0)
                    {
                        t = t.join(self.eval(e, d));
                    }
                }
                t
            }
            // `{ x }` in an object reads the variable x.
            "identifier" | "shorthand_property_identifier" => {
                let name = self.text(node);
                if name == "location" && self.lookup(name, node).is_none() {
                    return Taint::Source("location".into(), true);
                }
                match self.lookup(name, node) {
                    Some(b) => self.eval_binding(b, node, d),
                    None if self.template => self.member(name).unwrap_or(Taint::Unknown),
                    None => Taint::Unknown,
                }
            }
            "member_expression" | "subscript_expression" => self.eval_member(node, d),
            "binary_expression" => {
                let op = node
                    .child_by_field_name("operator")
                    .map(|o| self.text(o))
                    .unwrap_or("");
                let (Some(l), Some(r)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) else {
                    return Taint::Unknown;
                };
                match op {
                    "+" | "||" | "??" => self.eval(l, d).join(self.eval(r, d)),
                    "&&" => self.eval(r, d),
                    _ => Taint::Const,
                }
            }
            "augmented_assignment_expression" => {
                let left = node.child_by_field_name("left");
                let right = node.child_by_field_name("right");
                let old = left.map_or(Taint::Unknown, |l| self.eval(l, d));
                old.join(right.map_or(Taint::Unknown, |r| self.eval(r, d)))
            }
            "assignment_expression" => node
                .child_by_field_name("right")
                .map_or(Taint::Unknown, |r| self.eval(r, d)),
            "ternary_expression" => {
                let c = node.child_by_field_name("consequence");
                let a = node.child_by_field_name("alternative");
                c.map_or(Taint::Unknown, |c| self.eval(c, d))
                    .join(a.map_or(Taint::Unknown, |a| self.eval(a, d)))
            }
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion"
            | "sequence_expression" => {
                let n = node.named_child_count();
                match node.named_child(n.saturating_sub(1) as u32) {
                    Some(inner) if node.kind() != "as_expression" => self.eval(inner, d),
                    _ => node
                        .named_child(0)
                        .map_or(Taint::Unknown, |inner| self.eval(inner, d)),
                }
            }
            "call_expression" => self.eval_call(node, d),
            "new_expression" => {
                let ctor = node
                    .child_by_field_name("constructor")
                    .map(|c| self.text(c))
                    .unwrap_or("");
                if matches!(ctor, "URLSearchParams" | "URL" | "String") {
                    self.first_arg(node)
                        .map_or(Taint::Unknown, |a| self.eval(a, d))
                } else {
                    Taint::Unknown
                }
            }
            _ => Taint::Unknown,
        }
    }

    fn eval_binding(&self, b: &Binding<'t>, use_node: Node<'t>, d: usize) -> Taint {
        match &b.value {
            Value::Expr(e) => {
                // `x += y` refers to x's previous value: evaluate at the assignment.
                self.eval(*e, d)
            }
            Value::Prop(e, prop) => {
                let whole = format!("{}.{prop}", self.text(*e));
                let compact: String = whole.chars().filter(|c| !c.is_whitespace()).collect();
                if let Some(t) = source_of_member(&whole).or_else(|| request_source(&whole)) {
                    t
                } else if route_text(&compact)
                    || (VUE_ROUTE_PARTS.contains(&prop.as_str()) && self.is_use_route(*e))
                {
                    Taint::Source(whole, false)
                } else {
                    self.eval(*e, d)
                }
            }
            Value::Param(Param::MessageEvent) => {
                let _ = use_node;
                Taint::Unknown
            }
            Value::Param(Param::RouteParams) => {
                Taint::Source(format!("{} (route parameters)", self.text(use_node)), false)
            }
            Value::Param(Param::Unknown) => {
                // The argument of the helper call being followed, if any.
                let frames = self.frames.borrow();
                match frames.iter().rev().find(|(id, _)| *id == b.scope) {
                    Some((_, args)) => args.get(b.index).cloned().unwrap_or(Taint::Const),
                    None => Taint::Unknown,
                }
            }
        }
    }

    fn eval_member(&self, node: Node<'t>, d: usize) -> Taint {
        let text = self.text(node);
        if let Some(t) = source_of_member(text) {
            return t;
        }
        if let Some(t) = self.route_source(node) {
            return t;
        }
        let Some(object) = node.child_by_field_name("object") else {
            return Taint::Unknown;
        };
        // `this.x`: what the component or class stores in x.
        if object.kind() == "this"
            && node.kind() == "member_expression"
            && let Some(prop) = node.child_by_field_name("property")
        {
            return self.member(self.text(prop)).unwrap_or(Taint::Unknown);
        }
        // `event.data` in a message handler.
        if node.kind() == "member_expression"
            && let Some(prop) = node.child_by_field_name("property")
            && self.text(prop) == "data"
            && object.kind() == "identifier"
            && let Some(Binding {
                value: Value::Param(Param::MessageEvent),
                ..
            }) = self.lookup(self.text(object), object)
        {
            return Taint::Source(format!("{} (postMessage data)", text), false);
        }
        // Express/Koa request data: `req.query.q`, `request.body`, `ctx.request.query`.
        if let Some(t) = request_source(text) {
            return t;
        }
        let t = self.eval(object, d);
        match t {
            Taint::Const => Taint::Unknown,
            // `location.href.length` and the like stay attacker-controlled text.
            other => other,
        }
    }

    /// A call of a function defined in the script: what it returns given what its
    /// arguments are (at most [`MAX_HELPER_CALLS`] calls followed per script, no recursion).
    fn eval_helper_call(&self, call: Node<'t>, name: &str, d: usize) -> Taint {
        let Some(&function) = self.helpers.get(name) else {
            return Taint::Unknown;
        };
        self.eval_function_call(call, function, d)
    }

    /// A call of `function` (a helper or a method of the script): what it returns given
    /// what its arguments are.
    fn eval_function_call(&self, call: Node<'t>, function: Node<'t>, d: usize) -> Taint {
        let outermost = self.frames.borrow().is_empty();
        if outermost && let Some(t) = self.helper_results.borrow().get(&call.id()) {
            return t.clone();
        }
        if self.helper_calls.get() >= MAX_HELPER_CALLS
            || self
                .frames
                .borrow()
                .iter()
                .any(|(id, _)| *id == function.id())
        {
            return Taint::Unknown;
        }
        self.helper_calls.set(self.helper_calls.get() + 1);
        let mut args = Vec::new();
        if let Some(list) = call
            .child_by_field_name("arguments")
            .filter(|a| a.kind() == "arguments")
        {
            for i in 0..list.named_child_count() {
                if let Some(a) = list.named_child(i as u32) {
                    args.push(if a.kind() == "spread_element" {
                        Taint::Unknown
                    } else {
                        self.eval(a, d)
                    });
                }
            }
        }
        self.frames.borrow_mut().push((function.id(), args));
        let t = self
            .returns(function)
            .into_iter()
            .fold(Taint::Const, |t, r| t.join(self.eval(r, d)));
        self.frames.borrow_mut().pop();
        if outermost {
            self.helper_results
                .borrow_mut()
                .insert(call.id(), t.clone());
        }
        t
    }

    fn first_arg(&self, call: Node<'t>) -> Option<Node<'t>> {
        call.child_by_field_name("arguments")
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| a.named_child(0))
    }

    fn eval_call(&self, node: Node<'t>, d: usize) -> Taint {
        let Some(callee) = node.child_by_field_name("function") else {
            return Taint::Unknown;
        };
        let callee_text = self.text(callee);
        let last = callee_text.rsplit('.').next().unwrap_or(callee_text);
        if is_sanitizer(callee_text) {
            return Taint::Sanitized;
        }
        let args = node
            .child_by_field_name("arguments")
            .filter(|a| a.kind() == "arguments");
        let args_taint = |this: &Self| {
            let mut t = Taint::Const;
            if let Some(args) = args {
                for i in 0..args.named_child_count() {
                    if let Some(a) = args.named_child(i as u32) {
                        t = t.join(this.eval(a, d));
                    }
                }
            }
            t
        };
        if callee.kind() == "identifier" {
            return match last {
                "decodeURIComponent" | "decodeURI" | "unescape" | "String" | "atob" | "ref"
                | "shallowRef" | "toRef" | "unref" | "readonly" | "reactive" => self
                    .first_arg(node)
                    .map_or(Taint::Unknown, |a| self.eval(a, d)),
                // Vue `computed(() => …)`: what the getter returns.
                "computed" => match self.first_arg(node) {
                    Some(f) if is_function(f.kind()) => self
                        .returns(f)
                        .into_iter()
                        .fold(Taint::Const, |t, r| t.join(self.eval(r, d))),
                    _ => Taint::Unknown,
                },
                // A template's call of a method of its component: what the method returns
                // given these arguments.
                _ if self.template
                    && let Some(summary) = self.member(&format!("{last}()")) =>
                {
                    match summary {
                        Taint::Source(s, _) if s == ARGUMENT => args_taint(self),
                        other => other,
                    }
                }
                _ => self.eval_helper_call(node, last, d),
            };
        }
        // `this.helper(x)`: a method of the script's class or component (Vue `methods`).
        if callee.kind() == "member_expression"
            && callee
                .child_by_field_name("object")
                .is_some_and(|o| o.kind() == "this")
            && let Some(&function) = callee
                .child_by_field_name("property")
                .and_then(|p| self.methods.get(self.text(p)))
        {
            return self.eval_function_call(node, function, d);
        }
        if callee.kind() == "member_expression"
            && request_call_source(
                callee_text,
                self.first_arg(node)
                    .filter(|a| a.kind() == "string")
                    .map(|a| self.text(a)),
            )
        {
            return Taint::Source(self.text(node).to_string(), false);
        }
        if callee.kind() == "member_expression"
            && let Some(object) = callee.child_by_field_name("object")
        {
            if callee_text == "JSON.parse" || callee_text == "JSON.stringify" {
                return args_taint(self).join(Taint::Const);
            }
            if matches!(
                last,
                "get"
                    | "getAll"
                    | "slice"
                    | "substring"
                    | "substr"
                    | "trim"
                    | "trimStart"
                    | "trimEnd"
                    | "toLowerCase"
                    | "toUpperCase"
                    | "split"
                    | "join"
                    | "concat"
                    | "replace"
                    | "replaceAll"
                    | "toString"
                    | "valueOf"
                    | "padStart"
                    | "padEnd"
                    | "at"
                    | "pop"
                    | "shift"
                    | "decode"
                    | "format"
                    | "val"
                    | "text"
                    | "attr"
            ) {
                let from_object = self.eval(object, d);
                let from_args = if matches!(last, "concat" | "join" | "format") {
                    args_taint(self)
                } else if matches!(last, "replace" | "replaceAll") {
                    // The replacement is pasted into the text.
                    args.and_then(|a| a.named_child(1))
                        .map_or(Taint::Const, |r| match self.eval(r, d) {
                            // A replacer function: what it returns is not followed.
                            _ if is_function(r.kind()) => Taint::Const,
                            t => t,
                        })
                } else {
                    Taint::Const
                };
                return match from_object.join(from_args) {
                    Taint::Const => Taint::Unknown,
                    t => t,
                };
            }
        }
        Taint::Unknown
    }
}

/// The parts of a Vue Router route that hold what the URL says.
const VUE_ROUTE_PARTS: &[&str] = &["query", "params", "hash", "fullPath"];

/// Whether a member expression's text (without spaces) reads route data: Vue Router
/// `$route.query…` (`params`, `hash`, `fullPath`; also `currentRoute(.value).query`) or
/// Angular `snapshot.queryParams…` (`params`, `paramMap`, `queryParamMap`, `fragment`).
fn route_text(compact: &str) -> bool {
    let segment = |needle: &str| {
        compact.match_indices(needle).any(|(at, m)| {
            compact[at + m.len()..]
                .chars()
                .next()
                .is_none_or(|c| matches!(c, '.' | '[' | '?'))
        })
    };
    VUE_ROUTE_PARTS.iter().any(|p| {
        segment(&format!("$route.{p}"))
            || segment(&format!("currentRoute.{p}"))
            || segment(&format!("currentRoute.value.{p}"))
    }) || [
        "queryParams",
        "queryParamMap",
        "params",
        "paramMap",
        "fragment",
    ]
    .iter()
    .any(|p| segment(&format!("snapshot.{p}")))
}

/// The source a member expression's text names, if it is one.
pub fn source_of_member(text: &str) -> Option<Taint> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = compact
        .strip_prefix("window.")
        .or_else(|| compact.strip_prefix("self."))
        .or_else(|| compact.strip_prefix("globalThis."))
        .unwrap_or(&compact);
    let t = t
        .strip_prefix("document.")
        .filter(|r| r.starts_with("location"))
        .unwrap_or(t);
    let whole = |s: &str| Some(Taint::Source(s.to_string(), true));
    let part = |s: &str| Some(Taint::Source(s.to_string(), false));
    match t {
        "location" | "location.href" => whole(text),
        "location.hash" | "location.search" => part(text),
        "document.URL" | "document.documentURI" | "document.baseURI" => whole(text),
        "document.referrer" | "document.cookie" | "name" => {
            if t == "name" && !compact.starts_with("window.") {
                None
            } else {
                part(text)
            }
        }
        _ => None,
    }
}

/// What a request source reads, for the rules whose risk depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestPart {
    /// Parameters, body, cookies: decoded values the sender chooses freely.
    Data,
    /// The raw URL or path (`req.url`, `originalUrl`, `path`, Koa `querystring`): chosen
    /// freely by a sender, but a victim's browser percent-encodes `<`, `>` and `"` in it.
    Url,
    /// A header (`req.headers.x`, `req.get('x')`, `hostname`): set by whoever sends the
    /// request, which a victim's browser does not let a third party do.
    Header,
}

/// The request object names and prefixes request sources start with: Express/Next.js
/// `req`, Fastify `request`, Koa `ctx` and `ctx.request`.
fn request_rest(compact: &str) -> Option<&str> {
    compact
        .strip_prefix("req.")
        .or_else(|| compact.strip_prefix("request."))
        .or_else(|| compact.strip_prefix("ctx.request."))
        .or_else(|| compact.strip_prefix("ctx."))
}

/// Which part of a request a source's text reads (`None`: not a request source).
pub fn request_part(src: &str) -> Option<RequestPart> {
    let compact: String = src.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = request_rest(&compact)?;
    let head = rest.split(['.', '[', '?', '(']).next().unwrap_or("");
    Some(match head {
        "query" | "params" | "body" | "cookies" | "signedCookies" | "param" => RequestPart::Data,
        "url" | "originalUrl" | "path" | "href" | "querystring" | "search" => RequestPart::Url,
        "headers" | "header" | "get" | "hostname" | "host" => RequestPart::Header,
        _ => return None,
    })
}

/// `req.query`, `req.params`, `req.body`, `req.cookies`, `req.headers`, the raw URL
/// (`req.url`, `originalUrl`, `path`; Koa `ctx.url`, `querystring`, `href`) and the host
/// (`req.hostname`) — also of `request.` and `ctx.request.` — with anything after.
pub fn request_source(text: &str) -> Option<Taint> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = request_rest(&compact)?;
    let head = rest.split(['.', '[', '?']).next().unwrap_or("");
    matches!(
        head,
        "query"
            | "params"
            | "body"
            | "cookies"
            | "signedCookies"
            | "headers"
            | "header"
            | "url"
            | "originalUrl"
            | "path"
            | "href"
            | "querystring"
            | "search"
            | "hostname"
            | "host"
    )
    .then(|| Taint::Source(text.to_string(), false))
}

/// A call that reads request data: Express `req.get('X-Name')` / `req.header(…)` /
/// `req.param('id')`, Koa `ctx.get(…)`, with a name as its first argument.
fn request_call_source(callee: &str, first_arg: Option<&str>) -> bool {
    let compact: String = callee.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(method) = request_rest(&compact) else {
        return false;
    };
    if !matches!(method, "get" | "header" | "param") {
        return false;
    }
    // A name, not a URL (`request.get('https://…')` of the request library).
    first_arg.is_some_and(|a| {
        let name = a.trim_matches(['"', '\'', '`']);
        a.len() > name.len()
            && !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Whether a callee sanitizes or encodes its argument for the sinks the rules watch.
fn is_sanitizer(callee: &str) -> bool {
    let last = callee
        .rsplit('.')
        .next()
        .unwrap_or(callee)
        .to_ascii_lowercase();
    (last.contains("escape") && last != "unescape")
        || last.contains("sanitiz")
        || (last.contains("encode") && !last.contains("decode"))
        || last.contains("purify")
        || matches!(
            last.as_str(),
            "parseint" | "parsefloat" | "number" | "boolean" | "xss" | "filterxss" | "tofixed"
        )
}

/// Parses one script and runs `f` over its model. Returns false when the grammar could not
/// parse it at all.
pub fn with_script(
    grammar: &Grammar,
    source: &str,
    base: usize,
    f: impl FnOnce(&Script<'_>),
) -> Result<Option<u32>, String> {
    let parsed = palisade_syntax::parse(grammar, source).map_err(|e| e.to_string())?;
    let script = Script::new(source, base, parsed.tree.root_node());
    f(&script);
    Ok(parsed.syntax_error.map(|e| e.line))
}

/// A finding helper shared by the JS rules: reports `finding` when its rule runs here.
pub fn report(cx: &mut FileContext<'_>, finding: palisade_core::Finding) {
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint_of_last_call_arg(src: &str) -> Taint {
        let mut out = Taint::Const;
        with_script(&JAVASCRIPT, src, 0, |s| {
            let call = *s
                .nodes("call_expression")
                .iter()
                .rfind(|c| s.text(c.child_by_field_name("function").unwrap()) == "sink")
                .unwrap();
            let arg = s.first_arg(call).unwrap();
            out = s.taint(arg);
        })
        .unwrap();
        out
    }

    #[test]
    fn flows_through_variables_and_strings() {
        assert!(matches!(
            taint_of_last_call_arg("var q = location.hash.slice(1); var h = '<b>' + q; sink(h);"),
            Taint::Source(..)
        ));
        assert!(matches!(
            taint_of_last_call_arg(
                "const p = new URLSearchParams(window.location.search); const n = p.get('n'); sink(`hi ${n}`);"
            ),
            Taint::Source(..)
        ));
        assert_eq!(
            taint_of_last_call_arg("var q = location.hash; sink(DOMPurify.sanitize(q));"),
            Taint::Sanitized
        );
        assert_eq!(
            taint_of_last_call_arg("var q = 'a' + 'b'; sink(q);"),
            Taint::Const
        );
        assert_eq!(
            taint_of_last_call_arg("function f(x) { sink(x); }"),
            Taint::Unknown
        );
        assert!(matches!(
            taint_of_last_call_arg(
                "window.addEventListener('message', function (e) { sink(e.data); });"
            ),
            Taint::Source(..)
        ));
        assert!(matches!(
            taint_of_last_call_arg(
                "app.get('/', (req, res) => { const { id } = req.query; sink('x' + id); });"
            ),
            Taint::Source(..)
        ));
    }

    #[test]
    fn this_method_calls_are_followed() {
        assert!(matches!(
            taint_of_last_call_arg(
                "class A { wrap(t) { return '<b>' + t + '</b>'; } run() { sink(this.wrap(location.hash)); } }"
            ),
            Taint::Source(..)
        ));
        assert_eq!(
            taint_of_last_call_arg(
                "class A { title() { return 'x'; } run() { sink(this.title()); } }"
            ),
            Taint::Const
        );
        // Two methods of one name (two classes): not followed.
        assert_eq!(
            taint_of_last_call_arg(
                "class A { f(t) { return t; } } class B { f(t) { return 'c'; } g() { sink(this.f(location.hash)); } }"
            ),
            Taint::Unknown
        );
        // Recursion ends.
        let _ = taint_of_last_call_arg(
            "class A { f(t) { return this.f(t + 1); } g() { sink(this.f(1)); } }",
        );
    }

    #[test]
    fn request_url_headers_and_getters() {
        for code in [
            "app.use((req, res) => { sink('x' + req.originalUrl); });",
            "app.use((req, res) => { const { url } = req; sink(url); });",
            "app.use((req, res) => { sink(req.get('X-Forwarded-Prefix')); });",
            "app.use((req, res) => { sink(req.header('referer')); });",
            "app.use((req, res) => { sink(req.headers['user-agent']); });",
            "router.get('/', async (ctx) => { sink(ctx.path); });",
            "router.get('/', async (ctx) => { sink(ctx.get('Referer')); });",
            "fastify.get('/', async (request, reply) => { sink(request.url); });",
        ] {
            assert!(
                matches!(taint_of_last_call_arg(code), Taint::Source(..)),
                "{code}"
            );
        }
        for code in [
            "request.get('https://api.example.com/x', cb); sink(request.get(url));",
            "app.use((req, res) => { sink(req.method); });",
            "function draw(ctx) { sink(ctx.lineWidth); }",
            "const m = new Map(); sink(m.get('a'));",
        ] {
            assert!(
                !matches!(taint_of_last_call_arg(code), Taint::Source(..)),
                "{code}"
            );
        }
        assert_eq!(request_part("req.query.next"), Some(RequestPart::Data));
        assert_eq!(request_part("req.originalUrl"), Some(RequestPart::Url));
        assert_eq!(
            request_part("ctx.request.querystring"),
            Some(RequestPart::Url)
        );
        assert_eq!(request_part("req.get('host')"), Some(RequestPart::Header));
        assert_eq!(
            request_part("req.headers.referer"),
            Some(RequestPart::Header)
        );
        assert_eq!(request_part("location.hash"), None);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = format!(
            "var x = {}location.hash{}; sink(x);",
            "(".repeat(5000),
            ")".repeat(5000)
        );
        let _ = taint_of_last_call_arg(&src);
    }
}
