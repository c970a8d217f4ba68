//! Functions and classes: their decorators (route decorators of Flask, FastAPI and aiohttp
//! included), parameters and dependencies, base classes, the class attributes views are
//! configured with, and DRF `@action`s.

use super::{Extractor, HTTP_METHODS, ROUTE_METHODS};
use crate::endpoints::facts::{Attr, Call, Class, Function, Guard, Ref, Route};
use crate::endpoints::syntax::{args, dotted, elements, is_true, string_value, strings_in};
use crate::endpoints::words::is_scope_name;
use crate::grammar::field;
use palisade_core::Location;
use tree_sitter::Node;

/// Class attributes the inventory reads.
const CLASS_ATTRS: &[&str] = &[
    "permission_classes",
    "authentication_classes",
    "permission_required",
    "required_scopes",
    "decorators",
    "method_decorators",
    "lookup_field",
    "lookup_url_kwarg",
    "login_url",
];

impl<'t> Extractor<'t, '_> {
    /// The decorators of a function or class definition.
    pub(super) fn decorators_of(node: Node<'t>) -> Vec<Node<'t>> {
        let Some(parent) = node.parent().filter(|p| p.kind() == "decorated_definition") else {
            return Vec::new();
        };
        let mut cursor = parent.walk();
        parent
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "decorator")
            .filter_map(|d| d.named_child(0))
            .collect()
    }

    /// The location of a definition: from its first decorator to the end of its name.
    pub(super) fn definition_location(&self, node: Node<'_>) -> Location {
        let start = node
            .parent()
            .filter(|p| p.kind() == "decorated_definition")
            .unwrap_or(node);
        let end = node.child_by_field_id(*field::NAME).unwrap_or(node);
        Location {
            path: self.file.path.clone(),
            span: self.file.span(start.start_byte(), end.end_byte()),
        }
    }

    /// A decorator, wrapper or list element as a [`Call`].
    pub(super) fn call_of(&self, node: Node<'_>, function: Node<'_>) -> Call {
        let mut call = Call {
            callee: self.reference(function).unwrap_or_else(|| Ref {
                text: self.text(function).to_string(),
                qualified: self.text(function).to_string(),
            }),
            called: node.kind() == "call",
            location: self.location(node),
            ..Call::default()
        };
        if node.kind() != "call" {
            return call;
        }
        let a = args(node, self.src);
        for p in &a.positional {
            call.strings.extend(strings_in(*p, self.src));
            for e in elements(*p) {
                if let Some(r) = self.reference(e) {
                    call.args.push(r);
                }
            }
        }
        for (k, v) in &a.keywords {
            if *k == "optional" && is_true(*v) {
                call.optional = true;
            }
            if is_scope_name(k) || matches!(*k, "perm" | "group" | "groups" | "role" | "roles") {
                call.strings.extend(strings_in(*v, self.src));
            }
            if *k == "name" || *k == "dependencies" {
                continue;
            }
        }
        call
    }

    /// An expression as a [`Call`]: a name, or a call of a name (`jwt_required()`).
    pub(super) fn as_call(&self, node: Node<'_>) -> Option<Call> {
        let mut node = node;
        loop {
            match node.kind() {
                "identifier" | "attribute" => return Some(self.call_of(node, node)),
                "call" => {
                    let function = node.child_by_field_id(*field::FUNCTION)?;
                    match function.kind() {
                        "identifier" | "attribute" => return Some(self.call_of(node, function)),
                        // `cache_page(60)(view)`: the inner call is the decorator.
                        "call" => node = function,
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    pub(super) fn attr(&self, value: Node<'_>, location: Location) -> Attr {
        let mut attr = Attr {
            location,
            strings: strings_in(value, self.src),
            ..Attr::default()
        };
        for e in elements(value) {
            if let Some(call) = self.as_call(e) {
                attr.items.push(call);
            }
        }
        attr
    }

    pub(super) fn function(&mut self, i: usize) {
        let node = self.functions[i].node;
        let Some(name) = node.child_by_field_id(*field::NAME) else {
            return;
        };
        let qualified = self.functions[i].qualified.clone();
        let handler = Ref {
            text: self.text(name).to_string(),
            qualified: qualified.clone(),
        };
        let mut function = Function {
            qualified,
            name: self.text(name).to_string(),
            location: self.definition_location(node),
            line: node.start_position().row as u32 + 1,
            body: std::mem::take(&mut self.functions[i].body),
            class: self.functions[i].class.clone(),
            ..Function::default()
        };
        for decorator in Self::decorators_of(node) {
            if self.route_decorator(decorator, &handler, false) {
                continue;
            }
            if let Some(call) = self.as_call(decorator) {
                if call.callee.last() == "before_request" && !call.called {
                    if let Some(owner) = call.callee.text.rsplit_once('.').map(|(o, _)| o) {
                        self.facts.guards.push(Guard {
                            owner: self.make_ref(owner),
                            function: handler.clone(),
                            location: self.location(decorator),
                        });
                    }
                    continue;
                }
                if call.callee.last() == "middleware" && call.callee.text.contains("web") {
                    continue;
                }
                function.decorators.push(call);
            }
        }
        if let Some(parameters) = node.child_by_field_id(*field::PARAMETERS) {
            function.dependencies = self.dependencies_in(parameters);
            let mut cursor = parameters.walk();
            for p in parameters.named_children(&mut cursor) {
                if let Some(t) = p.child_by_field_id(*field::TYPE)
                    && let Some(inner) = t.named_child(0)
                    && let Some(r) = self.reference(inner)
                {
                    function.param_types.push(r);
                }
            }
        }
        self.facts.functions.push(function);
    }

    /// Handles a route or view decorator (`@app.route`, `@bp.post`, `@router.get`,
    /// `@routes.view`); returns whether it was one.
    pub(super) fn route_decorator(
        &mut self,
        decorator: Node<'_>,
        handler: &Ref,
        class_view: bool,
    ) -> bool {
        if decorator.kind() != "call" {
            return false;
        }
        let Some(function) = decorator.child_by_field_id(*field::FUNCTION) else {
            return false;
        };
        let Some(callee) = dotted(function, self.src) else {
            return false;
        };
        let Some((owner, method)) = callee.rsplit_once('.') else {
            return false;
        };
        if !ROUTE_METHODS.contains(&method) {
            return false;
        }
        let a = args(decorator, self.src);
        let strings: Vec<String> = a
            .positional
            .iter()
            .take(2)
            .map_while(|p| string_value(*p, self.src))
            .collect();
        let (mut methods, path) = match (method, strings.as_slice()) {
            // aiohttp: `@routes.route("POST", "/orders")`.
            ("route", [m, p]) if HTTP_METHODS.contains(&m.to_ascii_uppercase().as_str()) => {
                (vec![m.to_ascii_uppercase()], p.clone())
            }
            (_, [p, ..]) => (Vec::new(), p.clone()),
            _ => match a
                .keyword("path")
                .or(a.keyword("rule"))
                .and_then(|p| string_value(p, self.src))
            {
                Some(p) => (Vec::new(), p),
                None => return false,
            },
        };
        // Flask, FastAPI and aiohttp all require a path to start with `/` (or be empty, under
        // a prefix): `@mock.patch("shop.api.x")` is no route.
        let module = self.qualify(owner);
        if !(path.starts_with('/') || path.is_empty() && self.is_web_module())
            || module.starts_with("unittest")
            || module.starts_with("mock")
        {
            return false;
        }
        match method {
            "route" | "api_route" | "view" => {
                if let Some(m) = a.keyword("methods") {
                    methods = strings_in(m, self.src)
                        .into_iter()
                        .map(|s| s.to_ascii_uppercase())
                        .collect();
                }
            }
            m => methods = vec![m.to_ascii_uppercase()],
        }
        let dependencies = a
            .keyword("dependencies")
            .map(|d| self.dependencies_in(d))
            .unwrap_or_default();
        self.facts.routes.push(Route {
            owner: self.make_ref(owner),
            path,
            methods,
            handler: handler.clone(),
            class_view: class_view || method == "view",
            dependencies,
            wrappers: Vec::new(),
            location: self.location(decorator),
        });
        true
    }

    pub(super) fn class(&mut self, i: usize) {
        let (node, qualified) = self.classes[i].clone();
        let Some(name) = node.child_by_field_id(*field::NAME) else {
            return;
        };
        let mut class = Class {
            qualified: qualified.clone(),
            name: self.text(name).to_string(),
            location: self.definition_location(node),
            line: node.start_position().row as u32 + 1,
            ..Class::default()
        };
        if let Some(bases) = node.child_by_field_id(*field::SUPERCLASSES) {
            let mut cursor = bases.walk();
            for b in bases.named_children(&mut cursor) {
                let b = if b.kind() == "subscript" {
                    // `Generic[T]`-style bases: the class is the subscripted value.
                    b.child_by_field_id(*field::VALUE).unwrap_or(b)
                } else {
                    b
                };
                if let Some(r) = self.reference(b) {
                    class.bases.push(r);
                }
            }
        }
        let handler = Ref {
            text: class.name.clone(),
            qualified: qualified.clone(),
        };
        for decorator in Self::decorators_of(node) {
            if self.route_decorator(decorator, &handler, true) {
                continue;
            }
            if let Some(call) = self.as_call(decorator) {
                class.decorators.push(call);
            }
        }
        if let Some(body) = node.child_by_field_id(*field::BODY) {
            let mut cursor = body.walk();
            for statement in body.named_children(&mut cursor) {
                let inner = if statement.kind() == "expression_statement" {
                    statement.named_child(0)
                } else {
                    None
                };
                if let Some(assignment) = inner.filter(|n| n.kind() == "assignment")
                    && let (Some(left), Some(right)) = (
                        assignment.child_by_field_id(*field::LEFT),
                        assignment.child_by_field_id(*field::RIGHT),
                    )
                {
                    let key = self.text(left);
                    if CLASS_ATTRS.contains(&key) {
                        let attr = self.attr(right, self.location(assignment));
                        class.attrs.insert(key.to_string(), attr);
                    }
                    // `user: PrivateUser = Depends(get_current_user)` in a class-based view.
                    class.dependencies.extend(self.dependency(right));
                }
                let definition = match statement.kind() {
                    "function_definition" => Some(statement),
                    "decorated_definition" => statement.child_by_field_id(*field::DEFINITION),
                    _ => None,
                };
                if let Some(def) = definition.filter(|d| d.kind() == "function_definition")
                    && let Some(method) = def.child_by_field_id(*field::NAME)
                {
                    let method_name = self.text(method).to_string();
                    if method_name == "__init__"
                        && class.bases.iter().any(|b| b.last() == "APIRouter")
                    {
                        // `super().__init__(prefix=prefix, dependencies=[Depends(...)])`.
                        class.dependencies.extend(self.dependencies_in(def));
                    }
                    for decorator in Self::decorators_of(def) {
                        if let Some(action) = self.drf_action(decorator, &method_name, def) {
                            class.actions.push(action);
                        }
                    }
                    class.methods.push(method_name);
                }
            }
        }
        self.facts.classes.push(class);
    }
}
