//! Calls: what a call returns — string methods of its receiver, SQL identifier quoting and
//! psycopg composition (constant by construction), and the return values of functions and
//! methods defined in the same file.

use super::*;
use crate::grammar::field;
use crate::sources;

impl<'m, 't> Eval<'m, 't> {
    pub(super) fn call(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let Some(function) = e.child_by_field_id(*field::FUNCTION) else {
            return self.other(e);
        };
        let args = positional(e);
        if self.is_identifier_quoting(function) {
            return constant();
        }
        if function.kind() == "attribute"
            && function
                .child_by_field_id(*field::ATTRIBUTE)
                .is_some_and(|m| NAME_TRANSFORMS.contains(&self.text(m)))
        {
            return args.first().map_or_else(constant, |a| self.eval(*a, depth));
        }
        let resolved = self.model.resolve(function);
        if let Some(name) = resolved.as_deref() {
            if is_psycopg_composable(name) {
                return constant();
            }
            if let Some(source) = sources::called_source(name) {
                return hole(Origin::from_source(source, self.text(e)), e);
            }
            match name {
                "textwrap.dedent" | "inspect.cleandoc" => {
                    return args.first().map_or_else(constant, |a| self.eval(*a, depth));
                }
                _ => {}
            }
        }
        if function.kind() == "attribute"
            && let (Some(object), Some(method)) = (
                function.child_by_field_id(*field::OBJECT),
                function.child_by_field_id(*field::ATTRIBUTE),
            )
        {
            if let Some(source) = sources::method_source(self.text(method)) {
                return hole(Origin::from_source(source, self.text(e)), e);
            }
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
                if let Some(source) = sources::builtin_source(name) {
                    return hole(Origin::from_source(source, self.text(e)), e);
                }
                match name {
                    "str" | "repr" | "ascii" | "format" => {
                        return args
                            .first()
                            .map_or_else(|| text_value(""), |a| self.eval(*a, depth));
                    }
                    "int" | "float" | "len" | "bool" | "round" | "abs" | "ord" | "hash" | "id"
                    | "range" | "isinstance" | "chr" | "hex" | "oct" | "bin" => return constant(),
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
            && let Some(object) = function.child_by_field_id(*field::OBJECT)
            && matches!(self.text(object), "self" | "cls")
            && let Some(method) = function.child_by_field_id(*field::ATTRIBUTE)
            && let Some(value) = self.method_returns(function, self.text(method), depth)
        {
            return value;
        }
        self.chain(e, depth)
    }

    /// Whether a callee quotes an identifier for SQL (`connection.ops.quote_name`, a local
    /// `qn = connection.ops.quote_name`, `quote_ident`, SQLAlchemy's
    /// `dialect.identifier_preparer.quote`): its result cannot leave the identifier.
    pub(super) fn is_identifier_quoting(&self, function: Node<'t>) -> bool {
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
    pub(super) fn is_composable(&self, e: Node<'t>) -> bool {
        match e.kind() {
            "call" => {
                let Some(function) = e.child_by_field_id(*field::FUNCTION) else {
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
                        .child_by_field_id(*field::ATTRIBUTE)
                        .is_some_and(|m| matches!(self.text(m), "format" | "join"))
                    && function
                        .child_by_field_id(*field::OBJECT)
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
    pub(super) fn defined_locally(&self, name: &str, at: Node<'t>) -> bool {
        let mut scope = scope_node(self.model, at);
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
            scope = scope_node(self.model, scope);
        }
    }

    /// The value of a call to a function defined in this file: constant when every `return`
    /// of it returns a constant; otherwise `None` (the caller treats the call as opaque).
    pub(super) fn local_function(&self, name: &str, at: Node<'t>, depth: u32) -> Option<Value<'t>> {
        let function = self.function_named(name, at)?;
        self.returns(function, depth)
    }

    /// The function `name` refers to at `at`, when it is defined in an enclosing scope or
    /// the module (and not shadowed by a variable or parameter on the way).
    pub(in crate::flow) fn function_named(&self, name: &str, at: Node<'t>) -> Option<Node<'t>> {
        let mut scope = scope_node(self.model, at);
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
            scope = scope_node(self.model, scope);
        }
    }

    /// `self.method(...)` / `cls.method(...)`: the method of the enclosing class.
    pub(super) fn method_returns(
        &self,
        at: Node<'t>,
        method: &str,
        depth: u32,
    ) -> Option<Value<'t>> {
        let function = self.method_named(at, method)?;
        self.returns(function, depth)
    }

    /// The method `method` of the class enclosing `at`.
    pub(in crate::flow) fn method_named(&self, at: Node<'t>, method: &str) -> Option<Node<'t>> {
        let class = enclosing_class(at)?;
        let body = class.child_by_field_id(*field::BODY)?;
        named(body).into_iter().find_map(|s| {
            let def = if s.kind() == "decorated_definition" {
                s.child_by_field_id(*field::DEFINITION)?
            } else {
                s
            };
            (def.kind() == "function_definition"
                && def
                    .child_by_field_id(*field::NAME)
                    .is_some_and(|n| self.text(n) == method))
            .then_some(def)
        })
    }

    pub(super) fn returns(&self, function: Node<'t>, depth: u32) -> Option<Value<'t>> {
        let body = function.child_by_field_id(*field::BODY)?;
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
}

pub(super) fn is_psycopg_composable(name: &str) -> bool {
    ["psycopg.sql.", "psycopg2.sql."]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Functions that quote an identifier for SQL.
pub(super) const IDENTIFIER_QUOTERS: &[&str] = &[
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
pub(super) const NAME_TRANSFORMS: &[&str] =
    &["identifier_converter", "truncate_name", "strip_quotes"];
