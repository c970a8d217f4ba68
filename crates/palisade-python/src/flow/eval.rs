//! The evaluator: what an expression is built from, following names back through their
//! definitions (see the module documentation of [`crate::flow`]).

use super::index::{Def, DefKind, NodeRef, ScopeIndex, dominates, is_ancestor, reaching};
use super::*;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

pub(super) fn constant<'t>() -> Value<'t> {
    vec![Construction {
        parts: vec![Part::Constant],
    }]
}

fn text_value<'t>(text: impl Into<String>) -> Value<'t> {
    vec![Construction::text(text)]
}

fn hole<'t>(origin: Origin, source: Node<'t>) -> Value<'t> {
    vec![Construction {
        parts: vec![Part::Hole(Hole {
            origin,
            source,
            entry: None,
            written: None,
        })],
    }]
}

fn union<'t>(mut a: Value<'t>, b: Value<'t>) -> Value<'t> {
    for c in b {
        if a.len() >= MAX_VARIANTS {
            break;
        }
        a.push(c);
    }
    a
}

/// Every variant of `a` followed by every variant of `b` (bounded).
fn concat<'t>(a: &Value<'t>, b: &Value<'t>) -> Value<'t> {
    if a.is_empty() {
        return b.clone();
    }
    if b.is_empty() {
        return a.clone();
    }
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if out.len() >= MAX_VARIANTS {
                return out;
            }
            let mut c = x.clone();
            for part in &y.parts {
                c.push(part.clone());
            }
            out.push(c);
        }
    }
    out
}

/// The size of a value, for the work budget.
fn size(value: &Value<'_>) -> u64 {
    value
        .iter()
        .map(|c| {
            c.parts
                .iter()
                .map(|p| match p {
                    Part::Text(t) => 1 + t.len() as u64 / 32,
                    _ => 1,
                })
                .sum::<u64>()
        })
        .sum()
}

/// Records, on every hole that has no entry yet, that it joined the text at `entry` through
/// the operand `written`.
fn mark<'t>(mut value: Value<'t>, entry: Node<'t>, written: Node<'t>) -> Value<'t> {
    for c in &mut value {
        for p in &mut c.parts {
            if let Part::Hole(h) = p
                && h.entry.is_none()
            {
                h.entry = Some(entry);
                h.written = Some(written);
            }
        }
    }
    value
}

fn all_constant(value: &Value<'_>) -> bool {
    value.iter().all(Construction::is_constant)
}

fn first_outside<'v, 't>(value: &'v Value<'t>) -> Option<&'v Hole<'t>> {
    value
        .iter()
        .flat_map(Construction::holes)
        .find(|h| h.origin.is_outside())
}

/// What is wanted of a name: its value, the elements of the collection it holds, or the
/// keys or values of the dict it holds.
#[derive(Clone, Copy)]
enum View {
    Value,
    Elements(Option<usize>),
    Keys,
    Values,
}

/// String methods whose result is built from the receiver's text.
const STRING_METHODS: &[&str] = &[
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "title",
    "capitalize",
    "casefold",
    "swapcase",
    "removeprefix",
    "removesuffix",
    "center",
    "ljust",
    "rjust",
    "encode",
    "decode",
    "expandtabs",
];

/// Methods that return (part of) what their object holds: reading through them keeps the
/// object's origin (`request.args.get("q")`, `payload.model_dump()`, `await request.json()`).
const ACCESSORS: &[&str] = &[
    "get",
    "getlist",
    "getall",
    "getone",
    "get_all",
    "get_json",
    "json",
    "pop",
    "setdefault",
    "values",
    "keys",
    "items",
    "copy",
    "to_dict",
    "dict",
    "model_dump",
    "read",
    "text",
    "split",
    "format",
];

/// Functions that quote an identifier for SQL.
const IDENTIFIER_QUOTERS: &[&str] = &[
    "quote_name",
    "_quote_name",
    "geo_quote_name",
    "quote_name_unless_alias",
    "quote_ident",
    "quote_identifier",
    "quote_table",
    "quote_table_name",
    "quote_column",
    "quote_column_name",
    "quote_schema",
    "escape_identifier",
    "format_table",
    "format_column",
];

/// Methods that return a form of the name they are given (case, length), nothing else.
const NAME_TRANSFORMS: &[&str] = &["identifier_converter", "truncate_name", "strip_quotes"];

/// Request objects of web frameworks that are module-level proxies.
const REQUEST_PROXIES: &[&str] = &["flask.request", "quart.request", "bottle.request"];

pub(super) struct Eval<'m, 't> {
    model: &'m Model<'t>,
    pub(super) root: Node<'t>,
    steps: Cell<u32>,
}

impl<'m, 't> Eval<'m, 't> {
    pub(super) fn new(model: &'m Model<'t>, any: Node<'t>) -> Self {
        let mut root = any;
        while let Some(parent) = root.parent() {
            root = parent;
        }
        Eval {
            model,
            root,
            steps: Cell::new(0),
        }
    }

    pub(super) fn index(&self, scope: Node<'t>) -> Rc<ScopeIndex> {
        let key = NodeRef::of(scope);
        if let Some(index) = self.model.flow.scopes.borrow().get(&key) {
            return Rc::clone(index);
        }
        let built = Rc::new(ScopeIndex::build(self.model, scope));
        self.model
            .flow
            .scopes
            .borrow_mut()
            .insert(key, Rc::clone(&built));
        built
    }

    /// The definitions of `name` in a scope that take effect before `pos` (the latest
    /// [`MAX_DEFS`] of them), as nodes; `None` when the scope never assigns the name (or
    /// declares it `global`).
    pub(super) fn defs(
        &self,
        index: &ScopeIndex,
        name: &str,
        pos: usize,
    ) -> Option<Vec<Def<Node<'t>>>> {
        if index.globals.contains(name) {
            return None;
        }
        let defs = index.defs.get(name)?;
        let before = defs.partition_point(|d| d.end <= pos);
        let first = before.saturating_sub(MAX_DEFS);
        self.charge((before - first) as u64);
        Some(
            defs[first..before]
                .iter()
                .filter_map(|d| {
                    Some(Def {
                        node: d.node.resolve(self.root)?,
                        end: d.end,
                        kind: d.kind.map(|n| n.resolve(self.root))?,
                    })
                })
                .collect(),
        )
    }

    pub(super) fn body(&self, index: &ScopeIndex) -> Node<'t> {
        index.body.resolve(self.root).unwrap_or(self.root)
    }

    fn function(&self, index: &ScopeIndex, name: &str) -> Option<Node<'t>> {
        index.functions.get(name)?.resolve(self.root)
    }

    fn text(&self, node: Node<'_>) -> &'t str {
        self.model.text(node)
    }

    /// Counts a step; true when a budget is spent.
    fn exhausted(&self, depth: u32) -> bool {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        self.charge(1);
        steps > MAX_STEPS || depth > MAX_DEPTH || self.model.flow.work.get() > FILE_BUDGET
    }

    fn charge(&self, work: u64) {
        let spent = &self.model.flow.work;
        spent.set(spent.get().saturating_add(work));
    }

    /// [`concat`], charged to the file's work budget.
    fn concat(&self, a: &Value<'t>, b: &Value<'t>) -> Value<'t> {
        let out = concat(a, b);
        self.charge(size(&out));
        out
    }

    fn other(&self, node: Node<'t>) -> Value<'t> {
        hole(Origin::Other(short(self.text(node))), node)
    }

    pub(super) fn eval(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        if self.exhausted(depth) {
            return constant();
        }
        let d = depth + 1;
        match e.kind() {
            "string" => self.string(e, d),
            "concatenated_string" => named(e)
                .into_iter()
                .fold(Vec::new(), |acc, s| self.concat(&acc, &self.eval(s, d))),
            "parenthesized_expression" => match e.named_child(0) {
                Some(inner) => self.eval(inner, d),
                None => constant(),
            },
            "binary_operator" => self.binary(e, d),
            "conditional_expression" => {
                let parts = named(e);
                match (parts.first(), parts.get(1), parts.get(2)) {
                    (Some(a), Some(condition), Some(b)) => {
                        // `col if col in ALLOWED else "id"`: the allow-listed branch is constant.
                        let allowed = a.kind() == "identifier"
                            && self.membership(*condition, self.text(*a), false, d);
                        let first = if allowed {
                            constant()
                        } else {
                            self.eval(*a, d)
                        };
                        union(first, self.eval(*b, d))
                    }
                    _ => self.other(e),
                }
            }
            "boolean_operator" => match (
                e.child_by_field_name("left"),
                e.child_by_field_name("right"),
            ) {
                (Some(l), Some(r)) => union(self.eval(l, d), self.eval(r, d)),
                _ => self.other(e),
            },
            "integer" | "float" => text_value(self.text(e)),
            "true"
            | "false"
            | "none"
            | "ellipsis"
            | "unary_operator"
            | "comparison_operator"
            | "not_operator"
            | "lambda" => constant(),
            "identifier" => self.identifier(e, View::Value, d),
            "attribute" | "subscript" => self.chain(e, d),
            "call" => self.call(e, d),
            "list" | "tuple" | "set" | "expression_list" => {
                let mut out: Value<'t> = Vec::new();
                for (i, el) in named(e).into_iter().enumerate() {
                    let sep = if i == 0 {
                        text_value("")
                    } else {
                        text_value(", ")
                    };
                    out = self.concat(&self.concat(&out, &sep), &self.eval(el, d));
                }
                if out.is_empty() { constant() } else { out }
            }
            "dictionary" => {
                let keys = self.keys_of(e, d);
                let values = self.values_of(e, d);
                self.concat(&keys, &values)
            }
            "list_comprehension" | "generator_expression" | "set_comprehension" => {
                match e.child_by_field_name("body") {
                    Some(body) => self.eval(body, d),
                    None => constant(),
                }
            }
            "dictionary_comprehension" | "pair" => {
                let pair = if e.kind() == "pair" {
                    Some(e)
                } else {
                    e.child_by_field_name("body")
                };
                match pair.and_then(|p| {
                    Some((
                        p.child_by_field_name("key")?,
                        p.child_by_field_name("value")?,
                    ))
                }) {
                    Some((k, v)) => self.concat(&self.eval(k, d), &self.eval(v, d)),
                    None => constant(),
                }
            }
            "named_expression" => match e.child_by_field_name("value") {
                Some(v) => self.eval(v, d),
                None => constant(),
            },
            "await" => match e.named_child(0) {
                Some(inner) => self.eval(inner, d),
                None => self.other(e),
            },
            _ => self.other(e),
        }
    }

    fn string(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let formatted = e
            .child(0)
            .is_some_and(|s| self.text(s).contains(['f', 'F']));
        let mut out: Value<'t> = text_value("");
        for child in named(e) {
            match child.kind() {
                "string_start" | "string_end" => {}
                "string_content" | "escape_interpolation" => {
                    let mut t = self.text(child).to_string();
                    if formatted {
                        t = t.replace("{{", "{").replace("}}", "}");
                    }
                    out = self.concat(&out, &text_value(t));
                }
                "interpolation" => {
                    let numeric = child
                        .child_by_field_name("format_specifier")
                        .is_some_and(|s| numeric_spec(self.text(s)));
                    let value = match child.child_by_field_name("expression") {
                        _ if numeric => constant(),
                        Some(expr) => mark(self.eval(expr, depth), e, expr),
                        None => constant(),
                    };
                    out = self.concat(&out, &value);
                }
                _ => {}
            }
        }
        out
    }

    fn binary(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let (Some(l), Some(r), Some(op)) = (
            e.child_by_field_name("left"),
            e.child_by_field_name("right"),
            e.child_by_field_name("operator"),
        ) else {
            return self.other(e);
        };
        match self.text(op) {
            "+" => {
                if [l, r]
                    .iter()
                    .any(|x| matches!(x.kind(), "integer" | "float"))
                {
                    return constant(); // arithmetic
                }
                self.concat(
                    &mark(self.eval(l, depth), e, l),
                    &mark(self.eval(r, depth), e, r),
                )
            }
            "%" => self.percent(e, l, r, depth),
            "*" => {
                let sequence = |x: Node<'_>| {
                    matches!(
                        x.kind(),
                        "string"
                            | "concatenated_string"
                            | "list"
                            | "tuple"
                            | "parenthesized_expression"
                    )
                };
                if sequence(l) {
                    self.eval(l, depth)
                } else if sequence(r) {
                    self.eval(r, depth)
                } else {
                    constant()
                }
            }
            _ => constant(),
        }
    }

    /// `fmt % args`.
    fn percent(&self, e: Node<'t>, l: Node<'t>, r: Node<'t>, depth: u32) -> Value<'t> {
        if matches!(l.kind(), "integer" | "float") {
            return constant();
        }
        let formats = self.eval(l, depth);
        let args = match r.kind() {
            "tuple" => FormatArgs::Positional(named(r)),
            "parenthesized_expression" if r.named_child(0).is_some_and(|c| c.kind() == "tuple") => {
                FormatArgs::Positional(r.named_child(0).map(named).unwrap_or_default())
            }
            "dictionary" => {
                let mut keyed = HashMap::new();
                for pair in named(r) {
                    if let (Some(k), Some(v)) = (
                        pair.child_by_field_name("key"),
                        pair.child_by_field_name("value"),
                    ) && let Some(key) =
                        self.eval(k, depth).first().and_then(Construction::all_text)
                    {
                        keyed.insert(key, v);
                    }
                }
                FormatArgs::Keyed(keyed)
            }
            "call" if self.is_locals(r) => FormatArgs::Locals(r),
            _ => FormatArgs::Whole(r),
        };
        let mut out = Vec::new();
        for format in &formats {
            let value = match format.all_text() {
                Some(text) => self.apply_percent(&text, &args, e, depth),
                None => self.concat(&vec![format.clone()], &self.eval(r, depth)),
            };
            out = union(out, value);
        }
        mark(out, e, r)
    }

    fn is_locals(&self, call: Node<'t>) -> bool {
        call.child_by_field_name("function")
            .is_some_and(|f| matches!(self.text(f), "locals" | "vars"))
            && positional(call).is_empty()
    }

    fn apply_percent(
        &self,
        text: &str,
        args: &FormatArgs<'t>,
        entry: Node<'t>,
        depth: u32,
    ) -> Value<'t> {
        let eval = |n: Node<'t>| mark(self.eval(n, depth), entry, n);
        let mut out = text_value("");
        let mut literal = String::new();
        let mut next = 0usize;
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                literal.push(c);
                i += 1;
                continue;
            }
            let mut j = i + 1;
            if chars.get(j) == Some(&'%') {
                literal.push('%');
                i = j + 1;
                continue;
            }
            let mut key = None;
            if chars.get(j) == Some(&'(')
                && let Some(close) = chars[j..].iter().position(|&c| c == ')')
            {
                key = Some(chars[j + 1..j + close].iter().collect::<String>());
                j += close + 1;
            }
            while j < chars.len() && "#0- +*.0123456789hlL".contains(chars[j]) {
                j += 1;
            }
            let Some(&conversion) = chars.get(j) else {
                literal.push_str(&chars[i..].iter().collect::<String>());
                break;
            };
            out = self.concat(&out, &text_value(std::mem::take(&mut literal)));
            let value = if "diouxXeEfFgGc".contains(conversion) {
                if key.is_none() {
                    next += 1;
                }
                constant()
            } else {
                match (args, &key) {
                    (FormatArgs::Positional(list), None) => {
                        let v = list.get(next).map_or_else(constant, |n| eval(*n));
                        next += 1;
                        v
                    }
                    (FormatArgs::Keyed(map), Some(k)) => {
                        map.get(k).map_or_else(constant, |n| eval(*n))
                    }
                    (FormatArgs::Locals(call), Some(k)) => {
                        self.name_at(k, *call, View::Value, depth)
                    }
                    (FormatArgs::Whole(n), _) => eval(*n),
                    _ => constant(),
                }
            };
            out = self.concat(&out, &value);
            i = j + 1;
        }
        self.concat(&out, &text_value(literal))
    }

    /// `fmt.format(...)` on a string.
    fn format_method(&self, call: Node<'t>, receiver: Node<'t>, depth: u32) -> Value<'t> {
        let formats = self.eval(receiver, depth);
        let positional_args = positional(call);
        let mut keyed = HashMap::new();
        let mut splat = None;
        let mut locals = None;
        if let Some(arguments) = call.child_by_field_name("arguments") {
            for a in named(arguments) {
                match a.kind() {
                    "keyword_argument" => {
                        if let (Some(n), Some(v)) = (
                            a.child_by_field_name("name"),
                            a.child_by_field_name("value"),
                        ) {
                            keyed.insert(self.text(n).to_string(), v);
                        }
                    }
                    "dictionary_splat" | "list_splat" => {
                        if let Some(inner) = a.named_child(0) {
                            if inner.kind() == "call" && self.is_locals(inner) {
                                locals = Some(inner);
                            } else {
                                splat = Some(inner);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for format in &formats {
            let value = match format.all_text() {
                Some(text) => {
                    let fields = FormatFields {
                        positional: &positional_args,
                        keyed: &keyed,
                        splat,
                        locals,
                    };
                    self.apply_format(&text, &fields, call, depth)
                }
                None => {
                    let mut v = vec![format.clone()];
                    for a in &positional_args {
                        v = self.concat(&v, &self.eval(*a, depth));
                    }
                    for a in keyed.values() {
                        v = self.concat(&v, &self.eval(*a, depth));
                    }
                    v
                }
            };
            out = union(out, value);
        }
        mark(out, call, call)
    }

    fn apply_format(
        &self,
        text: &str,
        fields: &FormatFields<'_, 't>,
        entry: Node<'t>,
        depth: u32,
    ) -> Value<'t> {
        let eval = |n: Node<'t>| mark(self.eval(n, depth), entry, n);
        let mut out = text_value("");
        let mut literal = String::new();
        let mut auto = 0usize;
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if (c == '{' || c == '}') && chars.get(i + 1) == Some(&c) {
                literal.push(c);
                i += 2;
                continue;
            }
            if c != '{' {
                literal.push(c);
                i += 1;
                continue;
            }
            let Some(close) = chars[i..].iter().position(|&c| c == '}') else {
                literal.push_str(&chars[i..].iter().collect::<String>());
                break;
            };
            let field: String = chars[i + 1..i + close].iter().collect();
            i += close + 1;
            out = self.concat(&out, &text_value(std::mem::take(&mut literal)));
            let (name_part, spec) = match field.split_once(':') {
                Some((n, s)) => (n, Some(s)),
                None => (field.as_str(), None),
            };
            let name_part = name_part.split('!').next().unwrap_or("");
            let base: String = name_part
                .chars()
                .take_while(|c| *c != '.' && *c != '[')
                .collect();
            let value = if spec.is_some_and(numeric_spec) {
                constant()
            } else if base.is_empty() || base.chars().all(|c| c.is_ascii_digit()) {
                let index = if base.is_empty() {
                    auto += 1;
                    auto - 1
                } else {
                    base.parse().unwrap_or(0)
                };
                match (fields.positional.get(index), fields.splat) {
                    (Some(n), _) => eval(*n),
                    (None, Some(s)) => mark(self.elements(s, None, depth), entry, s),
                    (None, None) => constant(),
                }
            } else if let Some(n) = fields.keyed.get(&base) {
                eval(*n)
            } else if let Some(call) = fields.locals {
                self.name_at(&base, call, View::Value, depth)
            } else if let Some(s) = fields.splat {
                mark(self.values_of(s, depth), entry, s)
            } else {
                constant()
            };
            out = self.concat(&out, &value);
        }
        self.concat(&out, &text_value(literal))
    }

    /// `sep.join(iterable)`: the elements joined by the separator.
    fn join(&self, call: Node<'t>, sep: Node<'t>, depth: u32) -> Value<'t> {
        let Some(iterable) = positional(call).first().copied() else {
            return constant();
        };
        let sep = self.eval(sep, depth);
        let sep: Value<'t> = sep.into_iter().take(1).collect();
        let elements = self.elements(iterable, None, depth);
        let mut out: Value<'t> = text_value("");
        for (i, element) in elements.into_iter().take(MAX_ELEMENTS).enumerate() {
            if i > 0 {
                out = self.concat(&out, &sep);
            }
            out = self.concat(&out, &vec![element]);
        }
        mark(out, call, iterable)
    }

    fn call(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let Some(function) = e.child_by_field_name("function") else {
            return self.other(e);
        };
        let args = positional(e);
        if self.is_identifier_quoting(function) {
            return constant();
        }
        if function.kind() == "attribute"
            && function
                .child_by_field_name("attribute")
                .is_some_and(|m| NAME_TRANSFORMS.contains(&self.text(m)))
        {
            return args.first().map_or_else(constant, |a| self.eval(*a, depth));
        }
        let resolved = self.model.resolve(function);
        if let Some(name) = resolved.as_deref() {
            if is_psycopg_composable(name) {
                return constant();
            }
            match name {
                "os.getenv" | "os.environ.get" | "os.getenvb" => {
                    return hole(Origin::Environ(short(self.text(e))), e);
                }
                "textwrap.dedent" | "inspect.cleandoc" => {
                    return args.first().map_or_else(constant, |a| self.eval(*a, depth));
                }
                _ => {}
            }
        }
        if function.kind() == "attribute"
            && let (Some(object), Some(method)) = (
                function.child_by_field_name("object"),
                function.child_by_field_name("attribute"),
            )
        {
            match self.text(method) {
                "format" => {
                    if self.is_composable(object) {
                        return constant();
                    }
                    return self.format_method(e, object, depth);
                }
                "join" => {
                    if self.is_composable(object) {
                        return constant();
                    }
                    return self.join(e, object, depth);
                }
                "replace" => {
                    let base = self.eval(object, depth);
                    let Some(&replacement) = args.get(1) else {
                        return base;
                    };
                    let new = self.eval(replacement, depth);
                    if all_constant(&new) {
                        return base;
                    }
                    return self.concat(&base, &mark(new, e, replacement));
                }
                m if STRING_METHODS.contains(&m) => return self.eval(object, depth),
                "keys" | "values" | "items" | "copy" | "as_string" => {
                    return self.eval(object, depth);
                }
                "mogrify" => return constant(), // the driver binds the parameters
                "parse_args" | "parse_known_args" => {
                    return hole(Origin::Argv(short(self.text(e))), e);
                }
                "get" | "pop" | "setdefault" => {
                    let base = self.eval(object, depth);
                    if all_constant(&base) {
                        let default = args.get(1).map_or_else(Vec::new, |a| self.eval(*a, depth));
                        return union(constant(), default);
                    }
                }
                _ => {}
            }
        }
        if function.kind() == "identifier" && resolved.is_none() {
            let name = self.text(function);
            if !self.defined_locally(name, function) {
                match name {
                    "str" | "repr" | "ascii" | "format" => {
                        return args
                            .first()
                            .map_or_else(|| text_value(""), |a| self.eval(*a, depth));
                    }
                    "int" | "float" | "len" | "bool" | "round" | "abs" | "ord" | "hash" | "id"
                    | "range" | "isinstance" | "chr" | "hex" | "oct" | "bin" => return constant(),
                    "input" => return hole(Origin::Input, e),
                    "sorted" | "list" | "tuple" | "set" | "reversed" => {
                        return args.first().map_or_else(constant, |a| self.eval(*a, depth));
                    }
                    "locals" | "vars" | "globals" => return self.other(e),
                    _ => {}
                }
            }
            if let Some(value) = self.local_function(name, function, depth) {
                return value;
            }
        }
        if function.kind() == "attribute"
            && let Some(object) = function.child_by_field_name("object")
            && matches!(self.text(object), "self" | "cls")
            && let Some(method) = function.child_by_field_name("attribute")
            && let Some(value) = self.method_returns(function, self.text(method), depth)
        {
            return value;
        }
        self.chain(e, depth)
    }

    /// Whether a callee quotes an identifier for SQL (`connection.ops.quote_name`, a local
    /// `qn = connection.ops.quote_name`, `quote_ident`, SQLAlchemy's
    /// `dialect.identifier_preparer.quote`): its result cannot leave the identifier.
    fn is_identifier_quoting(&self, function: Node<'t>) -> bool {
        let last = |n: Node<'t>| {
            let text = self.text(n);
            text.rsplit('.').next().unwrap_or(text)
        };
        let quoting = |n: Node<'t>| {
            let name = last(n);
            IDENTIFIER_QUOTERS.contains(&name)
                || (name == "quote" && {
                    let text = self.text(n);
                    text.contains("preparer") || text.contains("dialect")
                })
        };
        match function.kind() {
            "attribute" => quoting(function),
            "identifier" => {
                quoting(function) || {
                    let values = assigned_values(self.model, function);
                    !values.is_empty()
                        && values
                            .iter()
                            .all(|v| v.kind() == "attribute" && quoting(*v))
                }
            }
            _ => false,
        }
    }

    /// Whether an expression is a psycopg `sql` composition (`sql.SQL(...)`,
    /// `sql.SQL(...).format(...)`, `sql.Identifier(...)`), which quotes what it composes.
    fn is_composable(&self, e: Node<'t>) -> bool {
        match e.kind() {
            "call" => {
                let Some(function) = e.child_by_field_name("function") else {
                    return false;
                };
                if self
                    .model
                    .resolve(function)
                    .is_some_and(|n| is_psycopg_composable(&n))
                {
                    return true;
                }
                function.kind() == "attribute"
                    && function
                        .child_by_field_name("attribute")
                        .is_some_and(|m| matches!(self.text(m), "format" | "join"))
                    && function
                        .child_by_field_name("object")
                        .is_some_and(|o| self.is_composable(o))
            }
            "attribute" => self
                .model
                .resolve(e)
                .is_some_and(|n| is_psycopg_composable(&n)),
            "identifier" => {
                let values = assigned_values(self.model, e);
                !values.is_empty() && values.iter().all(|v| self.is_composable(*v))
            }
            _ => false,
        }
    }

    /// Whether `name` is assigned or is a parameter somewhere between `at` and the module.
    fn defined_locally(&self, name: &str, at: Node<'t>) -> bool {
        let mut scope = scope_node(at);
        loop {
            let index = self.index(scope);
            if index.defs.contains_key(name)
                || index.params.contains_key(name)
                || index.functions.contains_key(name)
            {
                return true;
            }
            if !is_function(scope) {
                return false;
            }
            scope = scope_node(scope);
        }
    }

    /// The value of a call to a function defined in this file: constant when every `return`
    /// of it returns a constant; otherwise `None` (the caller treats the call as opaque).
    fn local_function(&self, name: &str, at: Node<'t>, depth: u32) -> Option<Value<'t>> {
        let function = self.function_named(name, at)?;
        self.returns(function, depth)
    }

    /// The function `name` refers to at `at`, when it is defined in an enclosing scope or
    /// the module (and not shadowed by a variable or parameter on the way).
    pub(super) fn function_named(&self, name: &str, at: Node<'t>) -> Option<Node<'t>> {
        let mut scope = scope_node(at);
        loop {
            let index = self.index(scope);
            if index.defs.contains_key(name) || index.params.contains_key(name) {
                return None;
            }
            if let Some(function) = self.function(&index, name) {
                return Some(function);
            }
            if !is_function(scope) {
                return None;
            }
            scope = scope_node(scope);
        }
    }

    /// `self.method(...)` / `cls.method(...)`: the method of the enclosing class.
    fn method_returns(&self, at: Node<'t>, method: &str, depth: u32) -> Option<Value<'t>> {
        let function = self.method_named(at, method)?;
        self.returns(function, depth)
    }

    /// The method `method` of the class enclosing `at`.
    pub(super) fn method_named(&self, at: Node<'t>, method: &str) -> Option<Node<'t>> {
        let class = enclosing_class(at)?;
        let body = class.child_by_field_name("body")?;
        named(body).into_iter().find_map(|s| {
            let def = if s.kind() == "decorated_definition" {
                s.child_by_field_name("definition")?
            } else {
                s
            };
            (def.kind() == "function_definition"
                && def
                    .child_by_field_name("name")
                    .is_some_and(|n| self.text(n) == method))
            .then_some(def)
        })
    }

    fn returns(&self, function: Node<'t>, depth: u32) -> Option<Value<'t>> {
        let body = function.child_by_field_name("body")?;
        let mut values = Vec::new();
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "function_definition" | "class_definition" | "lambda" => continue,
                "return_statement" => {
                    if let Some(v) = node.named_child(0) {
                        values.push(v);
                    }
                    continue;
                }
                "yield" => return None,
                _ => {}
            }
            stack.extend(named(node));
        }
        if values.is_empty() {
            return None;
        }
        let all = values
            .into_iter()
            .all(|v| all_constant(&self.eval(v, depth + 1)));
        all.then(constant)
    }

    /// An attribute, subscript or call chain: `request.args.get("q")`, `row["name"]`,
    /// `self.TABLE`, `payload.email.lower()`.
    fn chain(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let scope = scope_node(e);
        if e.kind() == "attribute"
            && let Some(dotted) = self.model.dotted(e)
            && self.index(scope).defs.contains_key(&dotted)
        {
            return self.walk_name(
                &dotted,
                scope,
                e.start_byte(),
                Some(e),
                e,
                View::Value,
                depth,
            );
        }
        let head = self.head(e);
        if let Some(head) = head
            && let Some(resolved) = self.model.resolve(head)
        {
            if let Some(origin) = import_origin(&resolved, self.text(e)) {
                return hole(origin, e);
            }
            if resolved.starts_with("django.conf.settings") {
                return constant();
            }
        }
        // `config.TABLE`, `self.TABLE`, `Order.STATUS_PAID`: a constant attribute, unless the
        // object itself comes from outside (`request.GET`).
        let caps_attribute =
            head.is_some_and(|h| h.kind() == "attribute" && is_all_caps(self.text(h)));
        let text = self.text(e);
        if text.contains("._meta.") || text.starts_with("_meta.") {
            return constant();
        }
        let root = chain_root(e);
        if root.kind() != "identifier" {
            return self.other(e);
        }
        // Calls along the chain: only accessors (`get`, `getlist`, `json`, string methods)
        // hand on what their object holds.
        let mut n = e;
        let mut calls = false;
        let mut accessors_only = true;
        while n.id() != root.id() {
            if n.kind() == "call" {
                calls = true;
                let method = n
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "attribute")
                    .and_then(|f| f.child_by_field_name("attribute"))
                    .map(|m| self.text(m));
                accessors_only &=
                    method.is_some_and(|m| ACCESSORS.contains(&m) || STRING_METHODS.contains(&m));
            }
            n = match chain_root_step(n) {
                Some(x) => x,
                None => break,
            };
        }
        if matches!(self.text(root), "self" | "cls") {
            // `self.X` (or `self.X[key]`, `self.X.get(key)`) with `X = …` in the class body.
            let mut first = e;
            while let Some(next) = chain_root_step(first).filter(|n| n.id() != root.id()) {
                first = next;
            }
            if first.kind() == "attribute"
                && let Some(attribute) = first.child_by_field_name("attribute")
                && let Some(value) = self.class_attribute(e, self.text(attribute))
            {
                if first.id() == e.id() {
                    return self.eval(value, depth);
                }
                if !calls && all_constant(&self.eval(value, depth)) {
                    return constant();
                }
            }
            return if caps_attribute {
                constant()
            } else {
                self.other(e)
            };
        }
        let base = self.identifier(root, View::Value, depth);
        if all_constant(&base) {
            // A value picked out of a constant (`ORDERINGS[key]`, `CONFIG.table`) is
            // constant; what a call returns is not known.
            return if calls { self.other(e) } else { constant() };
        }
        if accessors_only && let Some(h) = first_outside(&base) {
            let origin = match &h.origin {
                Origin::Parameter { .. } => h.origin.clone(),
                Origin::Request(_) => Origin::Request(short(text)),
                Origin::Argv(_) => Origin::Argv(short(text)),
                Origin::Environ(_) => Origin::Environ(short(text)),
                Origin::Input | Origin::Other(_) => h.origin.clone(),
            };
            return hole(origin, e);
        }
        if caps_attribute {
            return constant();
        }
        self.other(e)
    }

    /// The outermost pure name/attribute chain at the root of a chain (`request.args` in
    /// `request.args.get("q")`).
    fn head(&self, e: Node<'t>) -> Option<Node<'t>> {
        let mut n = e;
        loop {
            if matches!(n.kind(), "identifier" | "attribute") && self.model.dotted(n).is_some() {
                return Some(n);
            }
            n = match n.kind() {
                "attribute" => n.child_by_field_name("object")?,
                "subscript" => n.child_by_field_name("value")?,
                "call" => n.child_by_field_name("function")?,
                _ => return None,
            };
        }
    }

    /// The value of `X = …` in the body of the class enclosing `at`.
    fn class_attribute(&self, at: Node<'t>, name: &str) -> Option<Node<'t>> {
        let class = enclosing_class(at)?;
        let body = class.child_by_field_name("body")?;
        let mut found = None;
        for statement in named(body) {
            let Some(assignment) = statement.named_child(0) else {
                continue;
            };
            if statement.kind() == "expression_statement"
                && assignment.kind() == "assignment"
                && assignment
                    .child_by_field_name("left")
                    .is_some_and(|l| l.kind() == "identifier" && self.text(l) == name)
            {
                found = assignment.child_by_field_name("right");
            }
        }
        found
    }

    fn identifier(&self, e: Node<'t>, view: View, depth: u32) -> Value<'t> {
        let name = self.text(e);
        if let Some(value) = self.comprehension_binding(e, name, view, depth) {
            return value;
        }
        let scope = scope_node(e);
        self.walk_name(name, scope, e.start_byte(), Some(e), e, view, depth)
    }

    /// The value of `name` seen at node `at` (for `locals()` formatting).
    fn name_at(&self, name: &str, at: Node<'t>, view: View, depth: u32) -> Value<'t> {
        let scope = scope_node(at);
        self.walk_name(name, scope, at.start_byte(), Some(at), at, view, depth)
    }

    /// A variable bound by an enclosing comprehension's `for … in …`.
    fn comprehension_binding(
        &self,
        e: Node<'t>,
        name: &str,
        view: View,
        depth: u32,
    ) -> Option<Value<'t>> {
        let mut current = e.parent();
        while let Some(n) = current {
            if is_function(n) {
                return None;
            }
            if matches!(
                n.kind(),
                "list_comprehension"
                    | "generator_expression"
                    | "set_comprehension"
                    | "dictionary_comprehension"
            ) {
                for clause in named(n).into_iter().filter(|c| c.kind() == "for_in_clause") {
                    let (Some(left), Some(right)) = (
                        clause.child_by_field_name("left"),
                        clause.child_by_field_name("right"),
                    ) else {
                        continue;
                    };
                    if is_ancestor(right, e) {
                        continue;
                    }
                    let index = if left.kind() == "identifier" {
                        (self.text(left) == name).then_some(None)
                    } else {
                        named(left)
                            .iter()
                            .position(|t| t.kind() == "identifier" && self.text(*t) == name)
                            .map(Some)
                    };
                    if let Some(index) = index {
                        let element = self.elements(right, index, depth);
                        return Some(match view {
                            View::Value => element,
                            _ if all_constant(&element) => constant(),
                            _ => element,
                        });
                    }
                }
            }
            current = n.parent();
        }
        None
    }

    /// The value (or view) of a name at `pos` in `scope`.
    #[allow(clippy::too_many_arguments)]
    fn walk_name(
        &self,
        name: &str,
        scope: Node<'t>,
        pos: usize,
        at: Option<Node<'t>>,
        use_node: Node<'t>,
        view: View,
        depth: u32,
    ) -> Value<'t> {
        if self.exhausted(depth) {
            return constant();
        }
        let d = depth + 1;
        let index = self.index(scope);
        let guard = at.and_then(|at| self.guard(name, scope, at, d));
        let Some(defs) = self.defs(&index, name, pos) else {
            if guard.is_some() {
                return constant();
            }
            return self.outer(name, scope, &index, use_node, view, d);
        };
        let body = self.body(&index);
        let (mut reach, mut falls_through) = reaching(&defs, pos, at, body);
        let mut value: Value<'t> = Vec::new();
        if let Some(at) = at
            && let Some(guard) = guard
        {
            reach.retain(|def| def.node.start_byte() >= guard);
            let start = reach
                .iter()
                .rposition(|def| def.kind.kills() && dominates(def.node, Some(at), body));
            if let Some(i) = start {
                reach.drain(..i);
            } else {
                value = constant();
            }
            falls_through = false;
        }
        if falls_through && let Some(&numeric) = index.params.get(name) {
            value = self.parameter(name, numeric, &index, use_node);
        }
        for (i, def) in reach.iter().enumerate() {
            let replaces = i == 0 && !falls_through && value.is_empty();
            let contribution = match def.kind {
                DefKind::Assign(v) => self.view(v, view, d),
                DefKind::Unknown(v) => self.unpacked(v, d),
                DefKind::Element { iterable, index } => {
                    let element = self.elements(iterable, index, d);
                    match view {
                        View::Value => element,
                        _ if all_constant(&element) => constant(),
                        _ => element,
                    }
                }
                DefKind::Add(v) => {
                    value = match view {
                        View::Value => self.concat(&value, &mark(self.eval(v, d), def.node, v)),
                        _ => union(value, self.elements(v, None, d)),
                    };
                    continue;
                }
                DefKind::Append(v) => {
                    let element = mark(self.eval(v, d), def.node, v);
                    value = match view {
                        View::Value => {
                            self.concat(&self.concat(&value, &text_value(", ")), &element)
                        }
                        _ => union(value, element),
                    };
                    continue;
                }
                DefKind::Extend(v) => {
                    let elements = mark(self.elements(v, None, d), def.node, v);
                    value = match view {
                        View::Value => self.concat(&value, &elements),
                        _ => union(value, elements),
                    };
                    continue;
                }
                DefKind::Item(k, v) => {
                    let part = match view {
                        View::Value => self.concat(&self.eval(k, d), &self.eval(v, d)),
                        View::Values => self.eval(v, d),
                        View::Keys | View::Elements(_) => self.eval(k, d),
                    };
                    value = union(value, part);
                    continue;
                }
            };
            value = if replaces {
                contribution
            } else {
                union(value, contribution)
            };
        }
        if value.is_empty() { constant() } else { value }
    }

    /// A name with no definition in `scope`: a parameter, or a name of an enclosing scope,
    /// or an import, or an unknown global.
    fn outer(
        &self,
        name: &str,
        scope: Node<'t>,
        index: &ScopeIndex,
        use_node: Node<'t>,
        view: View,
        depth: u32,
    ) -> Value<'t> {
        if is_function(scope) {
            if let Some(&numeric) = index.params.get(name) {
                return self.parameter(name, numeric, index, use_node);
            }
            let parent = if index.globals.contains(name) {
                self.root
            } else {
                scope_node(scope)
            };
            return self.walk_name(name, parent, parent.end_byte(), None, use_node, view, depth);
        }
        if index.functions.contains_key(name) {
            return constant(); // a function object, not text
        }
        if let Some(resolved) = self
            .model
            .resolve(use_node)
            .filter(|_| self.text(use_node) == name)
        {
            if let Some(origin) = import_origin(&resolved, name) {
                return hole(origin, use_node);
            }
            if is_all_caps(&resolved) || is_all_caps(name) {
                return constant();
            }
            return hole(Origin::Other(format!("imported `{name}`")), use_node);
        }
        if is_all_caps(name) {
            return constant();
        }
        hole(Origin::Other(name.to_string()), use_node)
    }

    fn parameter(
        &self,
        name: &str,
        numeric: bool,
        index: &ScopeIndex,
        use_node: Node<'t>,
    ) -> Value<'t> {
        if numeric {
            return constant();
        }
        let origin = match name {
            "self" | "cls" => Origin::Other(name.to_string()),
            "request" | "req" => Origin::Request(name.to_string()),
            _ => Origin::Parameter {
                name: name.to_string(),
                function: index.function.clone(),
            },
        };
        hole(origin, use_node)
    }

    /// A name bound by unpacking `value` (`a, b = value`): an element of it.
    fn unpacked(&self, value: Node<'t>, depth: u32) -> Value<'t> {
        self.elements(value, None, depth)
    }

    fn view(&self, e: Node<'t>, view: View, depth: u32) -> Value<'t> {
        match view {
            View::Value => self.eval(e, depth),
            View::Elements(index) => self.elements(e, index, depth),
            View::Keys => self.keys_of(e, depth),
            View::Values => self.values_of(e, depth),
        }
    }

    /// The possible elements of an iterable (one variant per element kind).
    fn elements(&self, e: Node<'t>, index: Option<usize>, depth: u32) -> Value<'t> {
        if self.exhausted(depth) {
            return constant();
        }
        let d = depth + 1;
        match e.kind() {
            "list" | "tuple" | "set" | "expression_list" => {
                let mut out = Vec::new();
                for el in named(e) {
                    let v = match (el.kind(), index) {
                        ("list_splat", _) => match el.named_child(0) {
                            Some(inner) => self.elements(inner, index, d),
                            None => constant(),
                        },
                        ("tuple" | "list" | "parenthesized_expression", Some(i)) => {
                            let inner = if el.kind() == "parenthesized_expression" {
                                el.named_child(0).filter(|t| t.kind() == "tuple")
                            } else {
                                Some(el)
                            };
                            match inner.and_then(|t| named(t).get(i).copied()) {
                                Some(x) => self.eval(x, d),
                                None => self.eval(el, d),
                            }
                        }
                        _ => self.eval(el, d),
                    };
                    out = union(out, v);
                }
                if out.is_empty() { constant() } else { out }
            }
            "dictionary" | "dictionary_comprehension" => self.keys_of(e, d),
            "list_comprehension" | "generator_expression" | "set_comprehension" => {
                match e.child_by_field_name("body") {
                    Some(body) => self.eval(body, d),
                    None => constant(),
                }
            }
            "parenthesized_expression" => match e.named_child(0) {
                Some(inner) => self.elements(inner, index, d),
                None => constant(),
            },
            "binary_operator" => {
                let (Some(l), Some(r), Some(op)) = (
                    e.child_by_field_name("left"),
                    e.child_by_field_name("right"),
                    e.child_by_field_name("operator"),
                ) else {
                    return self.other(e);
                };
                match self.text(op) {
                    "*" => {
                        if matches!(l.kind(), "list" | "tuple" | "string") {
                            self.elements(l, index, d)
                        } else {
                            self.elements(r, index, d)
                        }
                    }
                    "+" => union(self.elements(l, index, d), self.elements(r, index, d)),
                    _ => self.fallback_elements(e, d),
                }
            }
            "call" => self.call_elements(e, index, d),
            "identifier" => {
                if let Some(value) =
                    self.comprehension_binding(e, self.text(e), View::Elements(index), d)
                {
                    return value;
                }
                let scope = scope_node(e);
                self.walk_name(
                    self.text(e),
                    scope,
                    e.start_byte(),
                    Some(e),
                    e,
                    View::Elements(index),
                    d,
                )
            }
            "attribute" => {
                let scope = scope_node(e);
                match self.model.dotted(e) {
                    Some(dotted) if self.index(scope).defs.contains_key(&dotted) => self.walk_name(
                        &dotted,
                        scope,
                        e.start_byte(),
                        Some(e),
                        e,
                        View::Elements(index),
                        d,
                    ),
                    _ => self.fallback_elements(e, d),
                }
            }
            _ => self.fallback_elements(e, d),
        }
    }

    fn fallback_elements(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let value = self.eval(e, depth);
        if all_constant(&value) {
            constant()
        } else {
            value
        }
    }

    fn call_elements(&self, e: Node<'t>, index: Option<usize>, depth: u32) -> Value<'t> {
        let Some(function) = e.child_by_field_name("function") else {
            return self.other(e);
        };
        let args = positional(e);
        if function.kind() == "attribute"
            && let (Some(object), Some(method)) = (
                function.child_by_field_name("object"),
                function.child_by_field_name("attribute"),
            )
        {
            match self.text(method) {
                "items" => {
                    return match index {
                        Some(0) => self.keys_of(object, depth),
                        Some(1) => self.values_of(object, depth),
                        _ => union(self.keys_of(object, depth), self.values_of(object, depth)),
                    };
                }
                "keys" => return self.keys_of(object, depth),
                "values" => return self.values_of(object, depth),
                "copy" => return self.elements(object, index, depth),
                _ => {}
            }
        }
        if function.kind() == "identifier"
            && self.model.resolve(function).is_none()
            && !self.defined_locally(self.text(function), function)
        {
            let arg = |i: usize| args.get(i).copied();
            match self.text(function) {
                "enumerate" => {
                    return match (index, arg(0)) {
                        (Some(0), _) => constant(),
                        (_, Some(a)) => self.elements(a, None, depth),
                        (_, None) => constant(),
                    };
                }
                "zip" => {
                    return match index {
                        Some(i) => arg(i).map_or_else(constant, |a| self.elements(a, None, depth)),
                        None => args.iter().fold(Vec::new(), |acc, a| {
                            union(acc, self.elements(*a, None, depth))
                        }),
                    };
                }
                "sorted" | "list" | "tuple" | "set" | "frozenset" | "reversed" | "iter" => {
                    return arg(0).map_or_else(constant, |a| self.elements(a, index, depth));
                }
                "filter" => {
                    return arg(1).map_or_else(constant, |a| self.elements(a, index, depth));
                }
                "range" => return constant(),
                "map" => {
                    let f = arg(0).map(|f| self.text(f));
                    return match (f, arg(1)) {
                        (Some("int" | "float" | "bool" | "len"), _) => constant(),
                        (Some("str"), Some(a)) => self.elements(a, index, depth),
                        _ => self.fallback_elements(e, depth),
                    };
                }
                _ => {}
            }
        }
        self.fallback_elements(e, depth)
    }

    fn keys_of(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        self.dict_part(e, "key", depth)
    }

    fn values_of(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        self.dict_part(e, "value", depth)
    }

    fn dict_part(&self, e: Node<'t>, field: &str, depth: u32) -> Value<'t> {
        if self.exhausted(depth) {
            return constant();
        }
        let d = depth + 1;
        let view = if field == "key" {
            View::Keys
        } else {
            View::Values
        };
        match e.kind() {
            "dictionary" => {
                let mut out = Vec::new();
                for item in named(e) {
                    let v = match item.kind() {
                        "pair" => match item.child_by_field_name(field) {
                            Some(x) => self.eval(x, d),
                            None => constant(),
                        },
                        "dictionary_splat" => match item.named_child(0) {
                            Some(inner) => self.dict_part(inner, field, d),
                            None => constant(),
                        },
                        _ => constant(),
                    };
                    out = union(out, v);
                }
                if out.is_empty() { constant() } else { out }
            }
            "dictionary_comprehension" => {
                match e
                    .child_by_field_name("body")
                    .and_then(|p| p.child_by_field_name(field))
                {
                    Some(x) => self.eval(x, d),
                    None => constant(),
                }
            }
            "call"
                if e.child_by_field_name("function")
                    .is_some_and(|f| self.text(f) == "dict" && self.model.resolve(f).is_none()) =>
            {
                let mut out = Vec::new();
                if let Some(arguments) = e.child_by_field_name("arguments") {
                    for a in named(arguments) {
                        let v = match (a.kind(), field) {
                            ("keyword_argument", "key") => constant(),
                            ("keyword_argument", _) => a
                                .child_by_field_name("value")
                                .map_or_else(constant, |v| self.eval(v, d)),
                            _ => self.dict_part(a, field, d),
                        };
                        out = union(out, v);
                    }
                }
                if out.is_empty() { constant() } else { out }
            }
            "identifier" => {
                let scope = scope_node(e);
                self.walk_name(self.text(e), scope, e.start_byte(), Some(e), e, view, d)
            }
            "attribute" => {
                let scope = scope_node(e);
                match self.model.dotted(e) {
                    Some(dotted) if self.index(scope).defs.contains_key(&dotted) => {
                        self.walk_name(&dotted, scope, e.start_byte(), Some(e), e, view, d)
                    }
                    _ => self.fallback_elements(e, d),
                }
            }
            _ => self.fallback_elements(e, d),
        }
    }

    /// The start of an allow-list guard on `name` that covers `at`: `if name in CONST:`
    /// around it, or an earlier `if name not in CONST: return/raise/…/name = …` or
    /// `assert name in CONST` in an enclosing block.
    fn guard(&self, name: &str, scope: Node<'t>, at: Node<'t>, depth: u32) -> Option<usize> {
        let mut child = at;
        let mut current = at.parent();
        while let Some(n) = current {
            match n.kind() {
                "if_statement" | "elif_clause"
                    if n.child_by_field_name("consequence")
                        .is_some_and(|c| c.id() == child.id())
                        && n.child_by_field_name("condition")
                            .is_some_and(|c| self.membership(c, name, false, depth)) =>
                {
                    return Some(n.start_byte());
                }
                "block" | "module" => {
                    // Guards sit just before what they guard: look a few statements back.
                    let mut statement = child.prev_named_sibling();
                    let mut seen = 0;
                    while let Some(st) = statement {
                        if seen == GUARD_LOOKBACK {
                            break;
                        }
                        if self.is_exit_guard(st, name, depth) {
                            return Some(st.start_byte());
                        }
                        seen += 1;
                        statement = st.prev_named_sibling();
                    }
                    self.charge(seen as u64);
                }
                _ => {}
            }
            if n.id() == scope.id() {
                break;
            }
            child = n;
            current = n.parent();
        }
        None
    }

    fn is_exit_guard(&self, statement: Node<'t>, name: &str, depth: u32) -> bool {
        match statement.kind() {
            "assert_statement" => statement
                .named_child(0)
                .is_some_and(|c| self.membership(c, name, false, depth)),
            "if_statement" => {
                statement.child_by_field_name("alternative").is_none()
                    && statement
                        .child_by_field_name("condition")
                        .is_some_and(|c| self.membership(c, name, true, depth))
                    && statement
                        .child_by_field_name("consequence")
                        .is_some_and(|b| self.exits_or_assigns(b, name))
            }
            _ => false,
        }
    }

    fn exits_or_assigns(&self, block: Node<'t>, name: &str) -> bool {
        let statements = named(block);
        let exits = statements.last().is_some_and(|last| match last.kind() {
            "return_statement" | "raise_statement" | "continue_statement" | "break_statement" => {
                true
            }
            "expression_statement" => last.named_child(0).is_some_and(|c| {
                c.kind() == "call"
                    && c.child_by_field_name("function").is_some_and(|f| {
                        let t = self.text(f);
                        t.ends_with("abort") || t.ends_with("exit") || t.ends_with("fail")
                    })
            }),
            _ => false,
        });
        exits
            || statements.iter().any(|s| {
                s.kind() == "expression_statement"
                    && s.named_child(0).is_some_and(|a| {
                        a.kind() == "assignment"
                            && a.child_by_field_name("left")
                                .is_some_and(|l| self.text(l) == name)
                    })
            })
    }

    /// Whether `condition` tests `name in CONST` (or, with `negated`, `name not in CONST`)
    /// for a constant collection.
    fn membership(&self, condition: Node<'t>, name: &str, negated: bool, depth: u32) -> bool {
        match condition.kind() {
            "parenthesized_expression" => condition
                .named_child(0)
                .is_some_and(|c| self.membership(c, name, negated, depth)),
            "boolean_operator" => {
                let op = condition
                    .child_by_field_name("operator")
                    .map(|o| self.text(o));
                // `a in X and …` guards its body; `a not in X or …` exits on either.
                let fits = if negated {
                    op == Some("or")
                } else {
                    op == Some("and")
                };
                fits && [
                    condition.child_by_field_name("left"),
                    condition.child_by_field_name("right"),
                ]
                .into_iter()
                .flatten()
                .any(|c| self.membership(c, name, negated, depth))
            }
            "not_operator" => condition
                .child_by_field_name("argument")
                .is_some_and(|c| self.membership(c, name, !negated, depth)),
            "comparison_operator" => {
                let operands = named(condition);
                let mut cursor = condition.walk();
                let operators: Vec<String> = condition
                    .children_by_field_name("operators", &mut cursor)
                    .map(|o| {
                        self.text(o)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                let wanted = if negated { "not in" } else { "in" };
                operands.len() == 2
                    && operators.len() == 1
                    && operators[0] == wanted
                    && self.text(operands[0]) == name
                    && all_constant(&self.elements(operands[1], None, depth + 1))
            }
            _ => false,
        }
    }
}

enum FormatArgs<'t> {
    Positional(Vec<Node<'t>>),
    Keyed(HashMap<String, Node<'t>>),
    Locals(Node<'t>),
    Whole(Node<'t>),
}

struct FormatFields<'a, 't> {
    positional: &'a [Node<'t>],
    keyed: &'a HashMap<String, Node<'t>>,
    splat: Option<Node<'t>>,
    locals: Option<Node<'t>>,
}

/// Whether a format spec (`:d`, `>10.2f`, `,`) formats a number.
fn numeric_spec(spec: &str) -> bool {
    let spec = spec.trim().trim_start_matches(':');
    spec.chars()
        .last()
        .is_some_and(|c| "bcdoxXneEfFgG%".contains(c))
}

fn is_psycopg_composable(name: &str) -> bool {
    ["psycopg.sql.", "psycopg2.sql."]
        .iter()
        .any(|p| name.starts_with(p))
}

/// The origin of an imported name read as `text`: request data, the command line or the
/// environment.
fn import_origin(resolved: &str, text: &str) -> Option<Origin> {
    let under = |prefix: &str| resolved == prefix || resolved.starts_with(&format!("{prefix}."));
    if REQUEST_PROXIES.iter().any(|p| under(p)) {
        return Some(Origin::Request(short(text)));
    }
    if under("sys.argv") {
        return Some(Origin::Argv(short(text)));
    }
    if under("os.environ") || under("os.environb") || resolved == "os.getenv" {
        return Some(Origin::Environ(short(text)));
    }
    None
}

/// The innermost name at the root of a chain: `request` in `request.args.get("q")[0]`.
fn chain_root(e: Node<'_>) -> Node<'_> {
    let mut n = e;
    while let Some(next) = chain_root_step(n) {
        n = next;
    }
    n
}

fn chain_root_step(n: Node<'_>) -> Option<Node<'_>> {
    match n.kind() {
        "attribute" => n.child_by_field_name("object"),
        "subscript" => n.child_by_field_name("value"),
        "call" => n.child_by_field_name("function"),
        _ => None,
    }
}

/// The class whose method contains `node`.
fn enclosing_class(node: Node<'_>) -> Option<Node<'_>> {
    let function = {
        let mut current = node.parent();
        loop {
            let n = current?;
            if n.kind() == "function_definition" {
                break n;
            }
            current = n.parent();
        }
    };
    let mut parent = function.parent()?;
    if parent.kind() == "decorated_definition" {
        parent = parent.parent()?;
    }
    let class = parent.parent()?;
    (parent.kind() == "block" && class.kind() == "class_definition").then_some(class)
}
