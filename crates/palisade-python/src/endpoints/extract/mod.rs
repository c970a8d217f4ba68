//! The per-file pass of the endpoint inventory: during the analyzer's one traversal of the
//! syntax tree, the [`Extractor`] collects imports, assignments, calls, functions and classes
//! (and, for each function, what its body says about authentication); once the traversal is
//! over, they are turned into [`FileFacts`], names resolved through the file's [`Model`].
//!
//! This file holds the extractor, its walk and the routing of assignments and calls to the
//! framework that spells them that way:
//!
//! - [`body`]: what function bodies say about authentication;
//! - [`definitions`]: functions and classes, their decorators (route decorators included);
//! - [`mounts`]: one object attached to another, and the prefix it is attached under;
//! - [`flask`] (and Quart), [`fastapi`] (and Starlette), [`django`] (and DRF), [`aiohttp`]:
//!   each framework's objects, registrations, mounts and guards.

mod aiohttp;
mod body;
mod definitions;
mod django;
mod fastapi;
mod flask;
mod mounts;

pub(crate) use body::mentions_secret;

use crate::endpoints::facts::{AppObject, Body, Call, FileFacts, ObjKind, Ref, last};
use crate::endpoints::is_module_level;
use crate::endpoints::syntax::{MAX_NESTING, args, dotted, text};
use crate::grammar::field;
use crate::model::{Model, module_of};
use palisade_core::{Location, SourceFile};
use palisade_syntax::{Consumer, Visit};
use std::collections::BTreeMap;
use tree_sitter::Node;

/// Text that a file must contain for the inventory to look at it.
const MARKERS: &[&str] = &[
    "flask",
    "fastapi",
    "django",
    "aiohttp",
    "rest_framework",
    "starlette",
    "quart",
    "urlpatterns",
    "REST_FRAMEWORK",
    "INSTALLED_APPS",
];

/// Top-level packages whose import makes a file a web module.
pub(crate) const FRAMEWORKS: &[&str] = &[
    "flask",
    "fastapi",
    "aiohttp",
    "django",
    "rest_framework",
    "starlette",
    "quart",
];

/// Method names of route decorators and route shortcuts.
const ROUTE_METHODS: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "api_route",
    "view",
];

/// HTTP methods as written in route declarations.
const HTTP_METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*",
];

/// The node kinds the inventory reads during the file's one traversal.
const KINDS: &[&str] = &[
    "import_statement",
    "import_from_statement",
    "assignment",
    "augmented_assignment",
    "call",
    "comparison_operator",
    "raise_statement",
    "return_statement",
    "attribute",
    "function_definition",
    "class_definition",
];

struct FnNode<'t> {
    node: Node<'t>,
    qualified: String,
    class: Option<String>,
    body: Body,
}

/// The inventory's extractor for one file: a [`Consumer`] of the analyzer's single
/// traversal, which collects imports, assignments, calls, functions and classes (and, for
/// each function, what its body says about authentication); then [`Extractor::finish`] turns
/// them into [`FileFacts`] with the names resolved through the file's [`Model`].
pub struct Extractor<'t, 'm> {
    file: &'t SourceFile,
    src: &'t [u8],
    /// The file's module, which names defined here are qualified with.
    module: String,
    /// The kinds it asks the traversal for: none when the file cannot be a web module.
    kinds: &'static [&'static str],
    /// The file's imports, once the traversal is over. During the traversal names are
    /// qualified as if nothing were imported (what the checks found in function bodies
    /// have always recorded).
    model: Option<&'m Model<'t>>,
    imports: Vec<Node<'t>>,
    assignments: Vec<Node<'t>>,
    calls: Vec<Node<'t>>,
    functions: Vec<FnNode<'t>>,
    classes: Vec<(Node<'t>, String)>,
    /// The functions and classes enclosing the node being visited.
    scopes: Vec<Scope>,
    /// Module-level names bound to lists of strings so far (`BASE_MIDDLEWARE = [...]`), for
    /// settings that name such a list (`MIDDLEWARE = BASE_MIDDLEWARE + [...]`).
    string_lists: BTreeMap<String, Vec<String>>,
    facts: FileFacts,
}

/// An enclosing function or class during the walk.
struct Scope {
    qualified: String,
    depth: usize,
    end_byte: usize,
    class: bool,
    function: Option<usize>,
}

impl<'t> Consumer<'t> for Extractor<'t, '_> {
    fn kinds(&self) -> &[&'static str] {
        self.kinds
    }

    fn visit(&mut self, node: Node<'t>, visit: Visit) {
        let depth = visit.depth;
        // Only some kinds are visited: a scope is left at the first node past its end.
        while self
            .scopes
            .last()
            .is_some_and(|s| s.depth >= depth || node.start_byte() >= s.end_byte)
        {
            self.scopes.pop();
        }
        let in_function = self.scopes.iter().any(|s| s.function.is_some());
        let enclosing =
            |scopes: &[Scope]| -> Vec<usize> { scopes.iter().filter_map(|s| s.function).collect() };
        match self.kinds.get(visit.kind).copied().unwrap_or("") {
            "import_statement" | "import_from_statement" => self.imports.push(node),
            "assignment" | "augmented_assignment" => self.assignments.push(node),
            "call" => {
                if self.is_registration(node) {
                    self.calls.push(node);
                }
                if in_function && let Some(body) = self.body_of_call(node) {
                    self.add_body(&enclosing(&self.scopes), Some(body));
                }
                if in_function {
                    let calls = Body {
                        calls: true,
                        writes: self.callee_name(node).is_some_and(body::is_write_call),
                        ..Body::default()
                    };
                    self.add_body(&enclosing(&self.scopes), Some(calls));
                }
            }
            "comparison_operator" if in_function => {
                if let Some(body) = self.body_of_comparison(node) {
                    self.add_body(&enclosing(&self.scopes), Some(body));
                }
            }
            "raise_statement" | "return_statement" | "attribute" if in_function => {
                if let Some(body) = self.body_of_other(node) {
                    self.add_body(&enclosing(&self.scopes), Some(body));
                }
            }
            kind @ ("function_definition" | "class_definition") => {
                if let Some(name) = node.child_by_field_id(*field::NAME) {
                    let prefix = self
                        .scopes
                        .last()
                        .map_or(self.module.clone(), |s| s.qualified.clone());
                    let qualified = if prefix.is_empty() {
                        self.text(name).to_string()
                    } else {
                        format!("{prefix}.{}", self.text(name))
                    };
                    let class = kind == "class_definition";
                    let function = if class {
                        self.classes.push((node, qualified.clone()));
                        None
                    } else {
                        let in_class = self
                            .scopes
                            .last()
                            .filter(|s| s.class)
                            .map(|s| s.qualified.clone());
                        self.functions.push(FnNode {
                            node,
                            qualified: qualified.clone(),
                            class: in_class,
                            body: Body::default(),
                        });
                        Some(self.functions.len() - 1)
                    };
                    self.scopes.push(Scope {
                        qualified,
                        depth,
                        end_byte: node.end_byte(),
                        class,
                        function,
                    });
                }
            }
            _ => {}
        }
    }
}

/// Test code, test data or an example, as the walk decided: nothing it declares is one of
/// the product's endpoints.
fn not_product(file: &SourceFile) -> bool {
    file.role.is_test() || file.role == palisade_knowledge::roles::FileRole::Example
}

/// The modules a file imports everything from, at module level.
fn star_imports(root: Node<'_>, model: &Model<'_>) -> Vec<String> {
    let mut cursor = root.walk();
    root.named_children(&mut cursor)
        .filter_map(|statement| model.star_import(statement))
        .collect()
}

/// The kind of framework object a constructor makes (`Flask(...)`, `APIRouter(...)`,
/// `web.Application(...)`, `DefaultRouter()`).
fn app_object_kind(callee: &Ref) -> Option<ObjKind> {
    Some(
        match (
            callee.last(),
            callee.qualified.split('.').next().unwrap_or(""),
        ) {
            ("Flask" | "Quart", _) => ObjKind::FlaskApp,
            ("Blueprint", _) => ObjKind::Blueprint,
            ("FastAPI", _) => ObjKind::FastApi,
            ("APIRouter", _) => ObjKind::ApiRouter,
            // A project's own router class (`class UserAPIRouter(APIRouter)`).
            (name, _) if name.ends_with("APIRouter") || name.ends_with("ApiRouter") => {
                ObjKind::ApiRouter
            }
            ("Application", "aiohttp") => ObjKind::AiohttpApp,
            ("Application", _) if callee.text == "web.Application" => ObjKind::AiohttpApp,
            ("RouteTableDef", _) => ObjKind::RouteTable,
            (
                "DefaultRouter" | "SimpleRouter" | "ExtendedSimpleRouter" | "NestedSimpleRouter",
                _,
            ) => ObjKind::DrfRouter,
            _ => return None,
        },
    )
}

impl<'t, 'm> Extractor<'t, 'm> {
    /// The extractor of one file; it asks for nodes only when the file's text mentions a
    /// framework (any other file can only re-export names, read from its imports) and the
    /// file is the product's: routes that tests and examples declare, or whose handlers they
    /// hold, are never the product's endpoints ([`crate::endpoints::endpoints`] drops them),
    /// so extracting them would only cost time (in saleor, test code is three fifths of the
    /// framework-mentioning bytes).
    pub fn new(file: &'t SourceFile) -> Extractor<'t, 'm> {
        let interesting = !not_product(file) && MARKERS.iter().any(|m| file.text.contains(m));
        Extractor {
            file,
            src: file.text.as_bytes(),
            module: module_of(&file.path),
            kinds: if interesting { KINDS } else { &[] },
            model: None,
            imports: Vec::new(),
            assignments: Vec::new(),
            calls: Vec::new(),
            functions: Vec::new(),
            classes: Vec::new(),
            scopes: Vec::new(),
            string_lists: BTreeMap::new(),
            facts: FileFacts::default(),
        }
    }

    /// The inventory facts of the file, once the traversal is over and `model` holds its
    /// imports; `None` when it holds nothing of interest.
    pub fn finish(mut self, root: Node<'t>, model: &'m Model<'t>) -> Option<FileFacts> {
        self.model = Some(model);
        if self.kinds.is_empty() {
            return self.re_exports(root);
        }
        self.facts.path = self.file.path.clone();
        self.facts.not_product = not_product(self.file);
        self.facts.module = self.module.clone();
        self.process(root);
        let facts = self.facts;
        (!facts.is_empty() || !facts.imports.is_empty() || !facts.star_imports.is_empty())
            .then_some(facts)
    }

    /// For a file that is not a web module: its module-level `from … import …` statements
    /// only, which may re-export a blueprint or router (`from .views import bp` in a
    /// package's `__init__.py`).
    fn re_exports(self, root: Node<'t>) -> Option<FileFacts> {
        let model = self.model?;
        let mut imports = BTreeMap::new();
        let mut cursor = root.walk();
        for statement in root.named_children(&mut cursor) {
            if statement.kind() == "import_from_statement" {
                for (local, import) in model.import_bindings(statement) {
                    imports.insert(local, import.qualified);
                }
            }
        }
        let star_imports = star_imports(root, model);
        if imports.is_empty() && star_imports.is_empty() {
            return None;
        }
        Some(FileFacts {
            path: self.file.path.clone(),
            not_product: not_product(self.file),
            module: self.module,
            imports,
            star_imports,
            ..FileFacts::default()
        })
    }

    fn location(&self, node: Node<'_>) -> Location {
        Location {
            path: self.file.path.clone(),
            span: palisade_syntax::span(self.file, node),
        }
    }

    fn text(&self, node: Node<'_>) -> &'t str {
        text(node, self.src)
    }

    /// The qualified name of a dotted name written in this file.
    fn qualify(&self, dotted: &str) -> String {
        match self.model {
            Some(model) => model.qualify(dotted),
            None if self.module.is_empty() => dotted.to_string(),
            None => format!("{}.{dotted}", self.module),
        }
    }

    fn make_ref(&self, text: &str) -> Ref {
        Ref {
            qualified: self.qualify(text),
            text: text.to_string(),
        }
    }

    /// A reference to a name/attribute node.
    fn reference(&self, node: Node<'_>) -> Option<Ref> {
        Some(self.make_ref(&dotted(node, self.src)?))
    }

    fn is_imported(&self, dotted: &str) -> bool {
        self.model.is_some_and(|m| m.is_imported(dotted))
    }

    /// Whether a call may register a route, a blueprint, a router, a guard or a viewset
    /// (decided on the method name, before anything is allocated).
    fn is_registration(&self, call: Node<'_>) -> bool {
        let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
            return false;
        };
        if function.kind() != "attribute" {
            return false;
        }
        let Some(method) = function.child_by_field_id(*field::ATTRIBUTE) else {
            return false;
        };
        let method = self.text(method);
        method.starts_with("add_")
            || ROUTE_METHODS.contains(&method)
            || matches!(
                method,
                "register_blueprint"
                    | "include_router"
                    | "mount"
                    | "before_request"
                    | "append"
                    | "register"
            )
    }

    fn process(&mut self, root: Node<'t>) {
        self.facts.imports = self.model.map(Model::import_table).unwrap_or_default();
        if let Some(model) = self.model {
            self.facts.star_imports = star_imports(root, model);
        }
        self.facts.frameworks = FRAMEWORKS
            .iter()
            .copied()
            .filter(|f| self.imports_framework(f))
            .collect();
        for i in 0..self.functions.len() {
            self.function(i);
        }
        for i in 0..self.classes.len() {
            self.class(i);
        }
        for &node in &self.assignments.clone() {
            self.assignment(node);
        }
        for &node in &self.calls.clone() {
            self.call(node);
        }
    }

    fn imports_framework(&self, framework: &str) -> bool {
        self.imports.iter().any(|&node| {
            let t = self.text(node);
            t.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == framework)
        })
    }

    fn is_web_module(&self) -> bool {
        !self.facts.frameworks.is_empty()
    }

    /// An assignment: Django's `urlpatterns` and settings, or a framework object (an app, a
    /// blueprint, a router, a security scheme) given a name.
    fn assignment(&mut self, node: Node<'t>) {
        let (Some(left), Some(right)) = (
            node.child_by_field_id(*field::LEFT),
            node.child_by_field_id(*field::RIGHT),
        ) else {
            return;
        };
        let augmented = node.kind() == "augmented_assignment";
        let at_module = is_module_level(self.model, node);
        if self.django_assignment(node, left, right, augmented, at_module) {
            return;
        }
        if augmented || !matches!(left.kind(), "identifier" | "attribute") {
            return;
        }
        let target = self.text(left);
        let object = Ref {
            text: target.to_string(),
            qualified: self.qualify(target),
        };
        if right.kind() == "subscript" && at_module {
            self.fastapi_annotated_alias(right, &object);
            return;
        }
        if right.kind() != "call" {
            return;
        }
        let Some(function) = right.child_by_field_id(*field::FUNCTION) else {
            return;
        };
        let Some(callee) = self.reference(function) else {
            return;
        };
        let a = args(right, self.src);
        if self.flask_restful_api(node, &object, &callee, &a)
            || self.fastapi_security_scheme(node, &object, &callee)
        {
            return;
        }
        let Some(kind) = app_object_kind(&callee) else {
            return;
        };
        let prefix = match kind {
            ObjKind::Blueprint => a.keyword("url_prefix"),
            ObjKind::ApiRouter => a.keyword("prefix"),
            _ => None,
        }
        .map(|p| self.prefix_value(p));
        let dependencies = a
            .keyword("dependencies")
            .map(|d| self.dependencies_in(d))
            .unwrap_or_default();
        self.aiohttp_application_middlewares(&object, &a);
        let class = (kind == ObjKind::ApiRouter && callee.last() != "APIRouter").then_some(callee);
        self.facts.objects.push(AppObject {
            qualified: object.qualified,
            kind,
            prefix,
            dependencies,
            class,
            location: self.location(node),
        });
    }

    /// A call that may register something (a route, a mount, a guard, a router entry),
    /// handed to the framework that spells it that way. The order of the arms matters:
    /// `app.router.add_api_route` is FastAPI's, not an aiohttp router call.
    fn call(&mut self, call: Node<'_>) {
        if call.parent().is_some_and(|p| p.kind() == "decorator") {
            return;
        }
        let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
            return;
        };
        let Some(callee) = dotted(function, self.src) else {
            return;
        };
        let (receiver, method) = match callee.rsplit_once('.') {
            Some((r, m)) => (Some(r), m),
            None => (None, callee.as_str()),
        };
        let a = args(call, self.src);
        let location = self.location(call);
        match (receiver, method) {
            (Some(parent), "register_blueprint") => {
                self.flask_register_blueprint(parent, &a, location);
            }
            (Some(parent), "include_router") => self.fastapi_include_router(parent, &a, location),
            (Some(parent), "mount") => self.starlette_mount(parent, &a, location),
            (Some(parent), "add_subapp") => self.aiohttp_add_subapp(parent, &a, location),
            (Some(parent), "add_routes") => self.aiohttp_add_routes(parent, &a, location),
            (Some(parent), "before_request") => self.flask_before_request(parent, &a, location),
            (Some(parent), "add_middleware") => {
                self.starlette_add_middleware(parent, &a, location);
            }
            (Some(parent), "append") if parent.ends_with(".middlewares") => {
                self.aiohttp_middlewares_append(parent, &a, location);
            }
            (Some(parent), "add_url_rule") => self.flask_url_rule(parent, call, &a),
            (Some(owner), "add_api_route") => self.fastapi_add_api_route(owner, &a, location),
            (Some(owner), "add_resource") => self.flask_add_resource(owner, &a, location),
            (Some(parent), m) if parent.ends_with(".router") && m.starts_with("add_") => {
                self.aiohttp_router_call(parent.trim_end_matches(".router"), m, call, &a);
            }
            (Some(router), "register") => self.drf_router_register(router, &a, location),
            (Some(module), m)
                if ROUTE_METHODS.contains(&m)
                    && m != "api_route"
                    && self.qualify(module).starts_with("aiohttp") =>
            {
                self.aiohttp_web_route(m, call, &a);
            }
            _ => {}
        }
    }

    /// The view of a registration: a function, a class's `as_view(...)`, or wrappers around
    /// one. Returns (handler, class view, wrappers).
    fn view_of(&self, node: Node<'_>) -> Option<(Ref, bool, Vec<Call>)> {
        self.view_at(node, 0)
    }

    fn view_at(&self, node: Node<'_>, depth: usize) -> Option<(Ref, bool, Vec<Call>)> {
        if depth >= MAX_NESTING {
            return None;
        }
        match node.kind() {
            "identifier" | "attribute" => Some((self.reference(node)?, false, Vec::new())),
            "call" => {
                let function = node.child_by_field_id(*field::FUNCTION)?;
                let callee = dotted(function, self.src)?;
                if last(&callee) == "as_view" {
                    let class = function.child_by_field_id(*field::OBJECT)?;
                    return Some((self.reference(class)?, true, Vec::new()));
                }
                let a = args(node, self.src);
                let inner = *a.positional.first()?;
                let (handler, class_view, mut wrappers) = self.view_at(inner, depth + 1)?;
                if let Some(call) = self.as_call(node) {
                    wrappers.insert(0, call);
                }
                Some((handler, class_view, wrappers))
            }
            _ => None,
        }
    }
}
