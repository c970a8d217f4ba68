//! Names: following an identifier or an attribute/subscript chain back to its definitions
//! (assignments, loop and comprehension bindings, parameters, enclosing scopes, class
//! attributes), and the sources of outside data that a chain can start from.

use super::*;
use crate::grammar::field;
use crate::sources;

impl<'m, 't> Eval<'m, 't> {
    /// An attribute, subscript or call chain: `request.args.get("q")`, `row["name"]`,
    /// `self.TABLE`, `payload.email.lower()`.
    pub(super) fn chain(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let scope = scope_node(self.model, e);
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
                    .child_by_field_id(*field::FUNCTION)
                    .filter(|f| f.kind() == "attribute")
                    .and_then(|f| f.child_by_field_id(*field::ATTRIBUTE))
                    .map(|m| self.text(m));
                accessors_only &=
                    method.is_some_and(|m| ACCESSORS.contains(&m) || STRING_METHODS.contains(&m));
            }
            n = match chain_root_step(n) {
                Some(x) => x,
                None => break,
            };
        }
        if sources::is_receiver(self.text(root)) {
            // `self.request.GET["q"]` in a class-based view.
            if let Some(source) = head
                .and_then(|h| self.model.dotted(h))
                .and_then(|d| sources::receiver_source(&d))
            {
                return hole(Origin::from_source(source, text), e);
            }
            // `self.X` (or `self.X[key]`, `self.X.get(key)`) with `X = …` in the class body.
            let mut first = e;
            while let Some(next) = chain_root_step(first).filter(|n| n.id() != root.id()) {
                first = next;
            }
            if first.kind() == "attribute"
                && let Some(attribute) = first.child_by_field_id(*field::ATTRIBUTE)
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
                Origin::Network(_) => Origin::Network(short(text)),
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
    pub(super) fn head(&self, e: Node<'t>) -> Option<Node<'t>> {
        let mut n = e;
        loop {
            if matches!(n.kind(), "identifier" | "attribute") && self.model.dotted(n).is_some() {
                return Some(n);
            }
            n = match n.kind() {
                "attribute" => n.child_by_field_id(*field::OBJECT)?,
                "subscript" => n.child_by_field_id(*field::VALUE)?,
                "call" => n.child_by_field_id(*field::FUNCTION)?,
                _ => return None,
            };
        }
    }

    /// The value of `X = …` in the body of the class enclosing `at`.
    pub(super) fn class_attribute(&self, at: Node<'t>, name: &str) -> Option<Node<'t>> {
        let class = enclosing_class(at)?;
        let body = class.child_by_field_id(*field::BODY)?;
        let mut found = None;
        for statement in named(body) {
            let Some(assignment) = statement.named_child(0) else {
                continue;
            };
            if statement.kind() == "expression_statement"
                && assignment.kind() == "assignment"
                && assignment
                    .child_by_field_id(*field::LEFT)
                    .is_some_and(|l| l.kind() == "identifier" && self.text(l) == name)
            {
                found = assignment.child_by_field_id(*field::RIGHT);
            }
        }
        found
    }

    pub(super) fn identifier(&self, e: Node<'t>, view: View, depth: u32) -> Value<'t> {
        let name = self.text(e);
        if let Some(value) = self.comprehension_binding(e, name, view, depth) {
            return value;
        }
        let scope = scope_node(self.model, e);
        self.walk_name(name, scope, e.start_byte(), Some(e), e, view, depth)
    }

    /// The value of `name` seen at node `at` (for `locals()` formatting).
    pub(super) fn name_at(&self, name: &str, at: Node<'t>, view: View, depth: u32) -> Value<'t> {
        let scope = scope_node(self.model, at);
        self.walk_name(name, scope, at.start_byte(), Some(at), at, view, depth)
    }

    /// A variable bound by an enclosing comprehension's `for … in …`.
    pub(super) fn comprehension_binding(
        &self,
        e: Node<'t>,
        name: &str,
        view: View,
        depth: u32,
    ) -> Option<Value<'t>> {
        let mut current = self.model.parent(e);
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
                        clause.child_by_field_id(*field::LEFT),
                        clause.child_by_field_id(*field::RIGHT),
                    ) else {
                        continue;
                    };
                    if is_ancestor(self.model, right, e) {
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
            current = self.model.parent(n);
        }
        None
    }

    /// The value (or view) of a name at `pos` in `scope`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn walk_name(
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
        let (mut reach, mut falls_through) = reaching(self.model, &defs, pos, at, body);
        let mut value: Value<'t> = Vec::new();
        if let Some(at) = at
            && let Some(guard) = guard
        {
            reach.retain(|def| def.node.start_byte() >= guard);
            let start = reach.iter().rposition(|def| {
                def.kind.kills() && dominates(self.model, def.node, Some(at), body)
            });
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
    pub(super) fn outer(
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
                scope_node(self.model, scope)
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

    pub(super) fn parameter(
        &self,
        name: &str,
        numeric: bool,
        index: &ScopeIndex,
        use_node: Node<'t>,
    ) -> Value<'t> {
        if numeric {
            return constant();
        }
        let origin = if sources::is_receiver(name) {
            Origin::Other(name.to_string())
        } else if let Some(source) = sources::parameter_source(name) {
            Origin::from_source(source, name)
        } else {
            Origin::Parameter {
                name: name.to_string(),
                function: index.function.clone(),
            }
        };
        hole(origin, use_node)
    }

    /// A name bound by unpacking `value` (`a, b = value`): an element of it.
    pub(super) fn unpacked(&self, value: Node<'t>, depth: u32) -> Value<'t> {
        self.elements(value, None, depth)
    }

    pub(super) fn view(&self, e: Node<'t>, view: View, depth: u32) -> Value<'t> {
        match view {
            View::Value => self.eval(e, depth),
            View::Elements(index) => self.elements(e, index, depth),
            View::Keys => self.keys_of(e, depth),
            View::Values => self.values_of(e, depth),
        }
    }
}

/// The origin of an imported name read as `text`: request data, the command line, standard
/// input or the environment (see [`crate::sources`]).
pub(super) fn import_origin(resolved: &str, text: &str) -> Option<Origin> {
    sources::imported_source(resolved).map(|source| Origin::from_source(source, text))
}

/// The innermost name at the root of a chain: `request` in `request.args.get("q")[0]`.
pub(super) fn chain_root(e: Node<'_>) -> Node<'_> {
    let mut n = e;
    while let Some(next) = chain_root_step(n) {
        n = next;
    }
    n
}

pub(super) fn chain_root_step(n: Node<'_>) -> Option<Node<'_>> {
    match n.kind() {
        "attribute" => n.child_by_field_id(*field::OBJECT),
        "subscript" => n.child_by_field_id(*field::VALUE),
        "call" => n.child_by_field_id(*field::FUNCTION),
        _ => None,
    }
}

/// The class whose method contains `node`.
pub(super) fn enclosing_class(node: Node<'_>) -> Option<Node<'_>> {
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

/// Methods that return (part of) what their object holds: reading through them keeps the
/// object's origin (`request.args.get("q")`, `payload.model_dump()`, `await request.json()`).
pub(super) const ACCESSORS: &[&str] = &[
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
