//! The per-file pass: during the analyzer's one traversal of the syntax tree, the
//! [`Extractor`] collects imports, assignments, calls, functions and classes (and, for each
//! function, what its body says about authentication); then they are turned into
//! [`FileFacts`], names resolved through the file's [`Model`].

use super::facts::{
    AppObject, Attr, Body, Call, Class, Dependency, DependencyAlias, DrfAction, FileFacts,
    Function, Guard, KeyCompare, Mount, ObjKind, Ref, Route, RouterRegistration, SecurityScheme,
    Settings, UrlEntry, UrlTarget, last,
};
use super::secrets::{
    SecretKind, is_from_request, is_not_a_secret_value, is_single_value, secret_operand,
};
use super::syntax::{args, dotted, elements, int_value, is_true, string_value, strings_in, text};
use super::words::{is_auth_name, is_check_name, is_scope_name, words};
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
const FRAMEWORKS: &[&str] = &[
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

/// Exceptions and responses that refuse a caller.
const DENIALS: &[&str] = &[
    "HTTPUnauthorized",
    "HTTPForbidden",
    "Unauthorized",
    "Forbidden",
    "PermissionDenied",
    "NotAuthenticated",
    "AuthenticationFailed",
    "HttpResponseForbidden",
    "redirect_to_login",
];

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

/// Whether a called name can matter to authentication: checks, denials, signature
/// verification, responses that may carry 401/403.
fn interesting_call(name: &str) -> bool {
    let lower_has = |w: &str| contains_ignore_case(name, w);
    DENIALS.contains(&name)
        || matches!(
            name,
            "abort" | "redirect" | "url_for" | "compare_digest" | "construct_event" | "decode"
        )
        || name.ends_with("Response")
        || name.ends_with("response")
        || name.ends_with("Exception")
        || name.ends_with("Error")
        || [
            "auth",
            "login",
            "token",
            "key",
            "perm",
            "scope",
            "role",
            "jwt",
            "sign",
            "verif",
            "hmac",
            "admin",
            "staff",
            "user",
            "credential",
            "check",
            "require",
            "ensure",
        ]
        .iter()
        .any(|w| lower_has(w))
}

/// ASCII case-insensitive substring test, without allocating.
pub(crate) fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Whether a text mentions something that may be a secret (a cheap filter before looking
/// closer).
pub(crate) fn mentions_secret(text: &str) -> bool {
    [
        "token",
        "secret",
        "key",
        "sig",
        "digest",
        "hmac",
        "password",
        "passwd",
        "pwd",
        "authorization",
        "mac",
    ]
    .iter()
    .any(|w| contains_ignore_case(text, w))
}

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
                if let Some(name) = node.child_by_field_name("name") {
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

impl<'t, 'm> Extractor<'t, 'm> {
    /// The extractor of one file; it asks for nodes only when the file's text mentions a
    /// framework (any other file can only re-export names, read from its imports).
    pub fn new(file: &'t SourceFile) -> Extractor<'t, 'm> {
        let interesting = MARKERS.iter().any(|m| file.text.contains(m));
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
        self.facts.module = self.module.clone();
        self.process();
        let facts = self.facts;
        (!facts.is_empty() || !facts.imports.is_empty()).then_some(facts)
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
        if imports.is_empty() {
            return None;
        }
        Some(FileFacts {
            path: self.file.path.clone(),
            module: self.module,
            imports,
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

    fn add_body(&mut self, functions: &[usize], body: Option<Body>) {
        let Some(body) = body else {
            return;
        };
        for &i in functions {
            self.functions[i].body.merge(&body);
        }
    }

    /// Whether a call may register a route, a blueprint, a router, a guard or a viewset
    /// (decided on the method name, before anything is allocated).
    fn is_registration(&self, call: Node<'_>) -> bool {
        let Some(function) = call.child_by_field_name("function") else {
            return false;
        };
        if function.kind() != "attribute" {
            return false;
        }
        let Some(method) = function.child_by_field_name("attribute") else {
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

    /// The last name of a call's callee (`abort`, `compare_digest`), without allocating.
    fn callee_name(&self, call: Node<'_>) -> Option<&'t str> {
        let function = call.child_by_field_name("function")?;
        match function.kind() {
            "identifier" => Some(self.text(function)),
            "attribute" => Some(self.text(function.child_by_field_name("attribute")?)),
            _ => None,
        }
    }

    fn body_of_call(&self, call: Node<'_>) -> Option<Body> {
        let name = self.callee_name(call)?;
        if name == "get" {
            // `session.get("user_id")`, `session.get("is_admin")`: a session login check.
            let function = call.child_by_field_name("function")?;
            let receiver = self.text(function.child_by_field_name("object")?);
            let key = args(call, self.src)
                .positional
                .first()
                .and_then(|k| string_value(*k, self.src))?;
            let session = receiver == "session" || receiver.ends_with(".session");
            return (session && (key.contains("user") || is_auth_name(&key))).then(|| Body {
                checks_user: true,
                ..Body::default()
            });
        }
        if !interesting_call(name) {
            return None;
        }
        let function = call.child_by_field_name("function")?;
        let callee = match function.kind() {
            "identifier" | "attribute" => dotted(function, self.src)?,
            _ => return None,
        };
        let name = last(&callee);
        let a = args(call, self.src);
        let mut body = Body::default();
        if name == "compare_digest" && a.positional.len() >= 2 {
            let (x, y) = (a.positional[0], a.positional[1]);
            let kind = secret_operand(x, self.src).or_else(|| secret_operand(y, self.src));
            match kind {
                Some(SecretKind::Signature | SecretKind::Digest) | None => {
                    body.signature_checks.push(callee.clone());
                    body.loose_signature = true;
                }
                Some(kind) => body.key_compares.push(KeyCompare {
                    location: self.location(call),
                    api_key: kind == SecretKind::ApiKey,
                    against_single: self.single_side(x, y),
                    against: self.against(x, y),
                }),
            }
            return Some(body);
        }
        let ws = words(name);
        let has = |w: &str| ws.iter().any(|x| x == w);
        if name == "construct_event"
            || ((has("verify") || has("validate") || has("check"))
                && (has("signature") || has("sig") || has("webhook") || has("hmac")))
        {
            body.signature_checks.push(callee.clone());
        }
        if has("signature") || has("verify") || has("hmac") || name == "construct_event" {
            body.loose_signature = true;
        }
        if DENIALS.contains(&name) || self.has_denial_status(&a) {
            body.denies = true;
        }
        if matches!(name, "redirect" | "url_for")
            && a.positional
                .iter()
                .any(|p| self.text(*p).to_ascii_lowercase().contains("login"))
        {
            body.denies = true;
        }
        if ((is_auth_name(name) && is_check_name(name))
            || (callee.starts_with("jwt.") && name == "decode"))
            && !matches!(name, "authenticate" | "login" | "logout")
            // Verifying a login attempt is not checking an authenticated caller.
            && !ws.iter().any(|w| w.starts_with("credential") || w.starts_with("password"))
        {
            body.auth_calls.push(self.call_of(call, function));
        }
        if is_scope_name(name) {
            body.mentions_scopes = true;
        }
        Some(body)
    }

    /// `abort(401)`, `HTTPException(status_code=403)`, `Response(status=401)`,
    /// `HTTPException(status.HTTP_401_UNAUTHORIZED)`.
    fn has_denial_status(&self, a: &super::syntax::Args<'_>) -> bool {
        let denial = |n: Node<'_>| {
            int_value(n, self.src).is_some_and(|v| v == 401 || v == 403) || {
                let t = self.text(n);
                n.kind() == "attribute"
                    && (t.contains("HTTP_401")
                        || t.contains("HTTP_403")
                        || t.ends_with("UNAUTHORIZED")
                        || t.ends_with("FORBIDDEN"))
            }
        };
        a.positional.iter().take(2).any(|p| denial(*p))
            || ["status", "status_code", "code"]
                .iter()
                .any(|k| a.keyword(k).is_some_and(denial))
    }

    /// Whether one side of a comparison is a single fixed key (the side that does not come
    /// from the request).
    fn single_side(&self, x: Node<'_>, y: Node<'_>) -> bool {
        if is_from_request(x, self.src) {
            is_single_value(y, self.src)
        } else if is_from_request(y, self.src) {
            is_single_value(x, self.src)
        } else {
            is_single_value(x, self.src) || is_single_value(y, self.src)
        }
    }

    /// The text of the side that is not the presented value.
    fn against(&self, x: Node<'_>, y: Node<'_>) -> String {
        let keep = if is_from_request(x, self.src)
            || !is_single_value(x, self.src) && is_single_value(y, self.src)
        {
            y
        } else {
            x
        };
        self.text(keep).to_string()
    }

    fn body_of_comparison(&self, node: Node<'_>) -> Option<Body> {
        let t = self.text(node);
        let scopes = [
            "scope", "Scope", "SCOPE", "perm", "Perm", "PERM", "role", "Role", "ROLE",
        ]
        .iter()
        .any(|w| t.contains(w));
        let method = t.contains(".method");
        // `"user_id" not in session`, `g.user is None`, `request.user.is_anonymous`.
        let user = t.contains("user")
            && (t.contains("session") || t.contains("g.user") || t.contains("current_user"));
        if !(scopes || method || user || mentions_secret(t)) {
            return None;
        }
        let mut body = Body {
            mentions_scopes: scopes && is_scope_name(t),
            checks_user: user,
            ..Body::default()
        };
        if node.named_child_count() != 2 {
            return Some(body);
        }
        let (left, right) = (node.named_child(0)?, node.named_child(1)?);
        let mut cursor = node.walk();
        let operator: String = node
            .children_by_field_name("operators", &mut cursor)
            .map(|o| self.text(o))
            .collect::<Vec<_>>()
            .join(" ");
        let lt = self.text(left);
        if lt.ends_with(".method") && (lt.contains("request") || lt.starts_with("req")) {
            for s in strings_in(right, self.src) {
                let m = s.to_ascii_uppercase();
                if HTTP_METHODS.contains(&m.as_str()) && !body.methods.contains(&m) {
                    body.methods.push(m);
                }
            }
        }
        if !matches!(operator.as_str(), "==" | "!=" | "in" | "not in") {
            return Some(body);
        }
        let kl = secret_operand(left, self.src);
        let kr = secret_operand(right, self.src);
        let kind = match (kl, kr) {
            (Some(SecretKind::ApiKey), _) | (_, Some(SecretKind::ApiKey)) => SecretKind::ApiKey,
            // Checking a password at login verifies credentials, not a caller's session.
            (Some(SecretKind::PasswordHash), _) | (_, Some(SecretKind::PasswordHash)) => {
                return Some(body);
            }
            (Some(k), _) | (None, Some(k)) => k,
            (None, None) => return Some(body),
        };
        let other_is_plain = |secret: Option<SecretKind>, other: Node<'_>| {
            secret.is_some() && is_not_a_secret_value(other, self.src)
        };
        if other_is_plain(kl, right) || other_is_plain(kr, left) {
            return Some(body);
        }
        if kind == SecretKind::Signature || kind == SecretKind::Digest {
            body.loose_signature = true;
        }
        body.key_compares.push(KeyCompare {
            location: self.location(node),
            api_key: kind == SecretKind::ApiKey,
            against_single: matches!(operator.as_str(), "==" | "!=")
                && self.single_side(left, right),
            against: self.against(left, right),
        });
        Some(body)
    }

    fn body_of_other(&self, node: Node<'_>) -> Option<Body> {
        let mut body = Body::default();
        match node.kind() {
            "raise_statement" => {
                let raised = node.named_child(0)?;
                if matches!(raised.kind(), "identifier" | "attribute")
                    && DENIALS.contains(&last(self.text(raised)))
                {
                    body.denies = true;
                }
            }
            "return_statement" => {
                let value = node.named_child(0)?;
                if value.kind() == "expression_list" {
                    let mut cursor = value.walk();
                    if value
                        .named_children(&mut cursor)
                        .any(|v| int_value(v, self.src).is_some_and(|c| c == 401 || c == 403))
                    {
                        body.denies = true;
                    }
                }
            }
            "attribute" => {
                let attribute = self.text(node.child_by_field_name("attribute")?);
                match attribute {
                    "is_authenticated" | "is_anonymous" | "is_staff" | "is_superuser" => {
                        body.checks_user = true;
                    }
                    "POST" | "FILES" | "body" | "data" => {
                        let object = self.text(node.child_by_field_name("object")?);
                        if object.ends_with("request") {
                            body.reads_body = true;
                        }
                    }
                    _ => return None,
                }
            }
            _ => return None,
        }
        Some(body)
    }

    // ---- pass 2: facts ----

    fn process(&mut self) {
        self.facts.imports = self.model.map(Model::import_table).unwrap_or_default();
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

    /// The decorators of a function or class definition.
    fn decorators_of(node: Node<'t>) -> Vec<Node<'t>> {
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
    fn definition_location(&self, node: Node<'_>) -> Location {
        let start = node
            .parent()
            .filter(|p| p.kind() == "decorated_definition")
            .unwrap_or(node);
        let end = node.child_by_field_name("name").unwrap_or(node);
        Location {
            path: self.file.path.clone(),
            span: self.file.span(start.start_byte(), end.end_byte()),
        }
    }

    /// A decorator, wrapper or list element as a [`Call`].
    fn call_of(&self, node: Node<'_>, function: Node<'_>) -> Call {
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
    fn as_call(&self, node: Node<'_>) -> Option<Call> {
        let mut node = node;
        loop {
            match node.kind() {
                "identifier" | "attribute" => return Some(self.call_of(node, node)),
                "call" => {
                    let function = node.child_by_field_name("function")?;
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

    /// `Depends(x)` / `Security(x, scopes=[...])`.
    fn dependency(&self, node: Node<'_>) -> Option<Dependency> {
        if node.kind() != "call" {
            return None;
        }
        let function = node.child_by_field_name("function")?;
        let callee = self.reference(function)?;
        let security = match callee.last() {
            "Depends" => false,
            "Security" => true,
            _ => return None,
        };
        let a = args(node, self.src);
        let mut dep = Dependency {
            security,
            location: self.location(node),
            ..Dependency::default()
        };
        if let Some(target) = a.positional.first().copied().or(a.keyword("dependency")) {
            match target.kind() {
                "identifier" | "attribute" => dep.target = self.reference(target),
                "call" => {
                    if let Some(inner) = self.as_call(target) {
                        dep.scopes.extend(inner.strings.iter().cloned());
                        dep.target = Some(inner.callee);
                    }
                }
                _ => {}
            }
        }
        if let Some(scopes) = a.keyword("scopes") {
            dep.scopes.extend(strings_in(scopes, self.src));
        }
        Some(dep)
    }

    /// Every `Depends`/`Security` call inside a node (a parameter, a `dependencies=` list).
    fn dependencies_in(&self, node: Node<'_>) -> Vec<Dependency> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if let Some(dep) = self.dependency(n) {
                out.push(dep);
                continue;
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        out.reverse();
        out
    }

    fn function(&mut self, i: usize) {
        let node = self.functions[i].node;
        let Some(name) = node.child_by_field_name("name") else {
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
        if let Some(parameters) = node.child_by_field_name("parameters") {
            function.dependencies = self.dependencies_in(parameters);
            let mut cursor = parameters.walk();
            for p in parameters.named_children(&mut cursor) {
                if let Some(t) = p.child_by_field_name("type")
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
    fn route_decorator(&mut self, decorator: Node<'_>, handler: &Ref, class_view: bool) -> bool {
        if decorator.kind() != "call" {
            return false;
        }
        let Some(function) = decorator.child_by_field_name("function") else {
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

    fn attr(&self, value: Node<'_>, location: Location) -> Attr {
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

    fn class(&mut self, i: usize) {
        let (node, qualified) = self.classes[i].clone();
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let mut class = Class {
            qualified: qualified.clone(),
            name: self.text(name).to_string(),
            location: self.definition_location(node),
            line: node.start_position().row as u32 + 1,
            ..Class::default()
        };
        if let Some(bases) = node.child_by_field_name("superclasses") {
            let mut cursor = bases.walk();
            for b in bases.named_children(&mut cursor) {
                let b = if b.kind() == "subscript" {
                    // `Generic[T]`-style bases: the class is the subscripted value.
                    b.child_by_field_name("value").unwrap_or(b)
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
        if let Some(body) = node.child_by_field_name("body") {
            let mut cursor = body.walk();
            for statement in body.named_children(&mut cursor) {
                let inner = if statement.kind() == "expression_statement" {
                    statement.named_child(0)
                } else {
                    None
                };
                if let Some(assignment) = inner.filter(|n| n.kind() == "assignment")
                    && let (Some(left), Some(right)) = (
                        assignment.child_by_field_name("left"),
                        assignment.child_by_field_name("right"),
                    )
                {
                    let key = self.text(left);
                    if CLASS_ATTRS.contains(&key) {
                        let attr = self.attr(right, self.location(assignment));
                        class.attrs.insert(key.to_string(), attr);
                    }
                }
                let definition = match statement.kind() {
                    "function_definition" => Some(statement),
                    "decorated_definition" => statement.child_by_field_name("definition"),
                    _ => None,
                };
                if let Some(def) = definition.filter(|d| d.kind() == "function_definition")
                    && let Some(method) = def.child_by_field_name("name")
                {
                    let method_name = self.text(method).to_string();
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

    /// `@action(detail=True, methods=["post"], url_path="cancel")` on a viewset method.
    fn drf_action(&self, decorator: Node<'_>, name: &str, def: Node<'_>) -> Option<DrfAction> {
        if decorator.kind() != "call" {
            return None;
        }
        let function = decorator.child_by_field_name("function")?;
        let callee = self.reference(function)?;
        if !matches!(callee.last(), "action" | "detail_route" | "list_route") {
            return None;
        }
        let a = args(decorator, self.src);
        let detail = match callee.last() {
            "detail_route" => true,
            "list_route" => false,
            _ => a.keyword("detail").is_some_and(is_true),
        };
        let methods = a
            .keyword("methods")
            .map(|m| {
                strings_in(m, self.src)
                    .into_iter()
                    .map(|s| s.to_ascii_uppercase())
                    .collect()
            })
            .unwrap_or_else(|| vec!["GET".to_string()]);
        Some(DrfAction {
            name: name.to_string(),
            detail,
            methods,
            url_path: a
                .keyword("url_path")
                .and_then(|u| string_value(u, self.src)),
            permission_classes: a
                .keyword("permission_classes")
                .map(|p| self.attr(p, self.location(p))),
            location: self.definition_location(def),
            line: def.start_position().row as u32 + 1,
        })
    }

    fn assignment(&mut self, node: Node<'_>) {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        let augmented = node.kind() == "augmented_assignment";
        let at_module = super::is_module_level(node);
        let target = self.text(left);
        if target == "urlpatterns" {
            let entries = self.url_entries(right);
            let list = self.facts.urlpatterns.get_or_insert_with(Vec::new);
            if !augmented {
                list.clear();
            }
            list.extend(entries);
            return;
        }
        if at_module && (!augmented || target == "INSTALLED_APPS") {
            self.settings_assignment(left, right);
        }
        if left.kind() == "subscript" && at_module {
            // `REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [...]`.
            if let (Some(value), Some(key)) = (
                left.child_by_field_name("value"),
                left.child_by_field_name("subscript"),
            ) && self.text(value) == "REST_FRAMEWORK"
                && string_value(key, self.src).as_deref() == Some("DEFAULT_PERMISSION_CLASSES")
            {
                let refs = self.permission_refs(right);
                let location = self.location(node);
                let settings = self.facts.settings.get_or_insert_with(Settings::default);
                settings.default_permissions = Some((refs, location));
            }
            return;
        }
        if augmented || !matches!(left.kind(), "identifier" | "attribute") {
            return;
        }
        let qualified = self.qualify(target);
        if right.kind() == "subscript" && at_module {
            let deps = self.dependencies_in(right);
            if !deps.is_empty() && self.text(right).starts_with("Annotated") {
                self.facts.aliases.push(DependencyAlias {
                    qualified,
                    dependencies: deps,
                });
            }
            return;
        }
        if right.kind() != "call" {
            return;
        }
        let Some(function) = right.child_by_field_name("function") else {
            return;
        };
        let Some(callee) = self.reference(function) else {
            return;
        };
        let a = args(right, self.src);
        if callee.last() == "Api"
            && (callee.qualified.starts_with("flask_restful")
                || callee.qualified.starts_with("flask_restx"))
        {
            // `api = Api(bp, prefix="/v1")`: the API's resources live under the app or blueprint.
            if let Some(parent) = a
                .positional
                .first()
                .copied()
                .or(a.keyword("app"))
                .and_then(|p| self.reference(p))
            {
                self.facts.mounts.push(Mount {
                    parent,
                    child: Ref {
                        text: target.to_string(),
                        qualified: qualified.clone(),
                    },
                    prefix: a.keyword("prefix").and_then(|p| string_value(p, self.src)),
                    dependencies: Vec::new(),
                    location: self.location(node),
                });
            }
            return;
        }
        let kind = match (
            callee.last(),
            callee.qualified.split('.').next().unwrap_or(""),
        ) {
            ("Flask" | "Quart", _) => ObjKind::FlaskApp,
            ("Blueprint", _) => ObjKind::Blueprint,
            ("FastAPI", _) => ObjKind::FastApi,
            ("APIRouter", _) => ObjKind::ApiRouter,
            ("Application", "aiohttp") => ObjKind::AiohttpApp,
            ("Application", _) if callee.text == "web.Application" => ObjKind::AiohttpApp,
            ("RouteTableDef", _) => ObjKind::RouteTable,
            (
                "DefaultRouter" | "SimpleRouter" | "ExtendedSimpleRouter" | "NestedSimpleRouter",
                _,
            ) => ObjKind::DrfRouter,
            (
                class @ ("OAuth2PasswordBearer"
                | "OAuth2AuthorizationCodeBearer"
                | "OAuth2"
                | "APIKeyHeader"
                | "APIKeyQuery"
                | "APIKeyCookie"
                | "HTTPBearer"
                | "HTTPBasic"
                | "HTTPDigest"
                | "OpenIdConnect"),
                _,
            ) => {
                self.facts.schemes.push(SecurityScheme {
                    qualified,
                    class: class.to_string(),
                    location: self.location(node),
                });
                return;
            }
            _ => return,
        };
        let prefix = match kind {
            ObjKind::Blueprint => a.keyword("url_prefix"),
            ObjKind::ApiRouter => a.keyword("prefix"),
            _ => None,
        }
        .and_then(|p| string_value(p, self.src));
        let dependencies = a
            .keyword("dependencies")
            .map(|d| self.dependencies_in(d))
            .unwrap_or_default();
        let object = Ref {
            text: target.to_string(),
            qualified: qualified.clone(),
        };
        if let Some(middlewares) = a.keyword("middlewares") {
            for m in elements(middlewares) {
                if let Some(function) = self.as_call(m).map(|c| c.callee) {
                    self.facts.guards.push(Guard {
                        owner: object.clone(),
                        function,
                        location: self.location(m),
                    });
                }
            }
        }
        self.facts.objects.push(AppObject {
            qualified,
            kind,
            prefix,
            dependencies,
            location: self.location(node),
        });
    }

    /// Permission classes given as names or dotted strings.
    fn permission_refs(&self, value: Node<'_>) -> Vec<Ref> {
        elements(value)
            .into_iter()
            .filter_map(|e| {
                if let Some(s) = string_value(e, self.src) {
                    return Some(Ref {
                        text: last(&s).to_string(),
                        qualified: s,
                    });
                }
                self.reference(e)
            })
            .collect()
    }

    fn settings_assignment(&mut self, left: Node<'_>, right: Node<'_>) {
        let name = self.text(left);
        match name {
            "INSTALLED_APPS" => {
                for e in elements(right) {
                    if string_value(e, self.src).as_deref() == Some("rest_framework") {
                        let location = self.location(e);
                        self.facts
                            .settings
                            .get_or_insert_with(Settings::default)
                            .drf_installed = Some(location);
                    }
                }
                self.facts.settings.get_or_insert_with(Settings::default);
            }
            "REST_FRAMEWORK" => {
                let location = self.location(left.parent().unwrap_or(left));
                let mut default_permissions = None;
                if right.kind() == "dictionary" {
                    let mut cursor = right.walk();
                    for pair in right.named_children(&mut cursor) {
                        if pair.kind() != "pair" {
                            continue;
                        }
                        let (Some(k), Some(v)) = (
                            pair.child_by_field_name("key"),
                            pair.child_by_field_name("value"),
                        ) else {
                            continue;
                        };
                        if string_value(k, self.src).as_deref()
                            == Some("DEFAULT_PERMISSION_CLASSES")
                        {
                            default_permissions =
                                Some((self.permission_refs(v), self.location(pair)));
                        }
                    }
                }
                let settings = self.facts.settings.get_or_insert_with(Settings::default);
                settings.rest_framework = Some(location);
                if default_permissions.is_some() {
                    settings.default_permissions = default_permissions;
                }
            }
            "ROOT_URLCONF" => {
                if let Some(s) = string_value(right, self.src) {
                    self.facts
                        .settings
                        .get_or_insert_with(Settings::default)
                        .root_urlconf = Some(s);
                }
            }
            "MIDDLEWARE" => {
                let on = strings_in(right, self.src)
                    .iter()
                    .any(|m| m.ends_with("LoginRequiredMiddleware"));
                let settings = self.facts.settings.get_or_insert_with(Settings::default);
                settings.login_required_middleware |= on;
            }
            _ => {}
        }
    }

    /// The entries of a `urlpatterns` value: a list, `router.urls`, or a sum of those.
    fn url_entries(&self, value: Node<'_>) -> Vec<UrlEntry> {
        match value.kind() {
            "list" | "tuple" => elements(value)
                .into_iter()
                .filter_map(|e| self.url_entry(e))
                .collect(),
            "binary_operator" => {
                // `[...] + router.urls + [...]`: the operands, left to right, without recursing
                // down a long chain.
                let mut operands = Vec::new();
                let mut current = value;
                while current.kind() == "binary_operator" {
                    if let Some(right) = current.child_by_field_name("right") {
                        operands.push(right);
                    }
                    match current.child_by_field_name("left") {
                        Some(left) => current = left,
                        None => break,
                    }
                }
                operands.push(current);
                operands
                    .into_iter()
                    .rev()
                    .filter(|n| n.kind() != "binary_operator")
                    .flat_map(|n| self.url_entries(n))
                    .collect()
            }
            "attribute" if self.text(value).ends_with(".urls") => {
                let router = value
                    .child_by_field_name("object")
                    .and_then(|o| self.reference(o));
                router
                    .map(|r| UrlEntry {
                        route: String::new(),
                        regex: false,
                        target: UrlTarget::Router(r),
                        wrappers: Vec::new(),
                        location: self.location(value),
                    })
                    .into_iter()
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// One `path("orders/", view)` entry.
    fn url_entry(&self, node: Node<'_>) -> Option<UrlEntry> {
        if node.kind() != "call" {
            return None;
        }
        let function = node.child_by_field_name("function")?;
        let callee = self.reference(function)?;
        let regex = match callee.last() {
            "path" => false,
            "re_path" | "url" => true,
            _ => return None,
        };
        let a = args(node, self.src);
        let route = string_value(*a.positional.first()?, self.src)?;
        let view = a.positional.get(1).copied().or(a.keyword("view"))?;
        let mut wrappers = Vec::new();
        let target = self.url_target(view, &mut wrappers);
        Some(UrlEntry {
            route,
            regex,
            target,
            wrappers,
            location: self.location(node),
        })
    }

    fn url_target(&self, view: Node<'_>, wrappers: &mut Vec<Call>) -> UrlTarget {
        match view.kind() {
            "identifier" | "attribute" => {
                let t = self.text(view);
                if t.ends_with("site.urls") {
                    return UrlTarget::Unknown;
                }
                if t.ends_with(".urls")
                    && let Some(r) = view
                        .child_by_field_name("object")
                        .and_then(|o| self.reference(o))
                {
                    // `path("api/", router.urls)`.
                    return UrlTarget::Router(r);
                }
                self.reference(view)
                    .map_or(UrlTarget::Unknown, UrlTarget::View)
            }
            "call" => {
                let Some(function) = view.child_by_field_name("function") else {
                    return UrlTarget::Unknown;
                };
                let a = args(view, self.src);
                let callee = dotted(function, self.src).unwrap_or_default();
                if last(&callee) == "include" {
                    let Some(first) = a.positional.first().copied() else {
                        return UrlTarget::Unknown;
                    };
                    let first = if first.kind() == "tuple" {
                        first.named_child(0).unwrap_or(first)
                    } else {
                        first
                    };
                    if let Some(s) = string_value(first, self.src) {
                        return UrlTarget::Include(s);
                    }
                    if first.kind() == "list" {
                        return UrlTarget::Nested(self.url_entries(first));
                    }
                    let t = self.text(first);
                    if t.ends_with(".urls")
                        && let Some(object) = first.child_by_field_name("object")
                        && let Some(r) = self.reference(object)
                    {
                        if object.kind() == "identifier" && !self.is_imported(self.text(object)) {
                            return UrlTarget::Router(r);
                        }
                        // `include(api.urls)`: a module, or an imported router.
                        return UrlTarget::Include(format!("{}.urls", r.qualified));
                    }
                    return self
                        .reference(first)
                        .map_or(UrlTarget::Unknown, |r| UrlTarget::Include(r.qualified));
                }
                if last(&callee) == "as_view" {
                    let class = function
                        .child_by_field_name("object")
                        .and_then(|o| self.reference(o));
                    let mut actions = Vec::new();
                    if let Some(d) = a.positional.first().filter(|d| d.kind() == "dictionary") {
                        let mut cursor = d.walk();
                        for pair in d.named_children(&mut cursor) {
                            if let (Some(k), Some(v)) = (
                                pair.child_by_field_name("key")
                                    .and_then(|k| string_value(k, self.src)),
                                pair.child_by_field_name("value")
                                    .and_then(|v| string_value(v, self.src)),
                            ) {
                                actions.push((k.to_ascii_uppercase(), v));
                            }
                        }
                    }
                    return class.map_or(UrlTarget::Unknown, |class| UrlTarget::ClassView {
                        class,
                        actions,
                    });
                }
                // A wrapper: `login_required(views.dashboard)`, `cache_page(60)(view)`.
                let inner = a.positional.last().copied();
                if wrappers.len() >= super::syntax::MAX_NESTING {
                    return UrlTarget::Unknown;
                }
                if let (Some(call), Some(inner)) = (self.as_call(view), inner) {
                    wrappers.push(call);
                    return self.url_target(inner, wrappers);
                }
                UrlTarget::Unknown
            }
            _ => UrlTarget::Unknown,
        }
    }

    fn call(&mut self, call: Node<'_>) {
        if call.parent().is_some_and(|p| p.kind() == "decorator") {
            return;
        }
        let Some(function) = call.child_by_field_name("function") else {
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
            (Some(parent), "register_blueprint" | "include_router" | "add_subapp" | "mount") => {
                let (child, prefix) = match method {
                    "register_blueprint" => (
                        a.positional.first().copied().or(a.keyword("blueprint")),
                        a.keyword("url_prefix"),
                    ),
                    "include_router" => (
                        a.positional.first().copied().or(a.keyword("router")),
                        a.keyword("prefix"),
                    ),
                    _ => (
                        a.positional.get(1).copied().or(a.keyword("app")),
                        a.positional.first().copied().or(a.keyword("path")),
                    ),
                };
                let Some(child) = child.and_then(|c| self.reference(c)) else {
                    return;
                };
                let dependencies = a
                    .keyword("dependencies")
                    .map(|d| self.dependencies_in(d))
                    .unwrap_or_default();
                self.facts.mounts.push(Mount {
                    parent: self.make_ref(parent),
                    child,
                    prefix: prefix.and_then(|p| string_value(p, self.src)),
                    dependencies,
                    location,
                });
            }
            (Some(parent), "add_routes") => {
                if let Some(table) = a
                    .positional
                    .first()
                    .filter(|t| matches!(t.kind(), "identifier" | "attribute"))
                    .and_then(|t| self.reference(*t))
                {
                    self.facts.mounts.push(Mount {
                        parent: self.make_ref(parent),
                        child: table,
                        prefix: None,
                        dependencies: Vec::new(),
                        location,
                    });
                }
            }
            (Some(parent), "before_request") => {
                if let Some(f) = a.positional.first().and_then(|f| self.reference(*f)) {
                    self.facts.guards.push(Guard {
                        owner: self.make_ref(parent),
                        function: f,
                        location,
                    });
                }
            }
            (Some(parent), "add_middleware") => {
                if let Some(m) = a.positional.first().and_then(|f| self.reference(*f))
                    && m.last() != "AuthenticationMiddleware"
                {
                    self.facts.guards.push(Guard {
                        owner: self.make_ref(parent),
                        function: m,
                        location,
                    });
                }
            }
            (Some(parent), "append") if parent.ends_with(".middlewares") => {
                if let Some(m) = a.positional.first().and_then(|f| self.reference(*f)) {
                    let owner = parent.trim_end_matches(".middlewares");
                    self.facts.guards.push(Guard {
                        owner: self.make_ref(owner),
                        function: m,
                        location,
                    });
                }
            }
            (Some(parent), "add_url_rule") => self.flask_url_rule(parent, call, &a),
            (Some(owner), "add_api_route") => {
                // FastAPI: `app.add_api_route("/items", list_items, methods=["GET"])`.
                let path = a.positional.first().copied().or(a.keyword("path"));
                let endpoint = a.positional.get(1).copied().or(a.keyword("endpoint"));
                let (Some(path), Some((handler, _, wrappers))) = (
                    path.and_then(|p| string_value(p, self.src)),
                    endpoint.and_then(|e| self.view_of(e)),
                ) else {
                    return;
                };
                let methods = a
                    .keyword("methods")
                    .map(|m| {
                        strings_in(m, self.src)
                            .into_iter()
                            .map(|s| s.to_ascii_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                let dependencies = a
                    .keyword("dependencies")
                    .map(|d| self.dependencies_in(d))
                    .unwrap_or_default();
                let owner = owner.trim_end_matches(".router");
                self.facts.routes.push(Route {
                    owner: self.make_ref(owner),
                    path,
                    methods,
                    handler,
                    class_view: false,
                    dependencies,
                    wrappers,
                    location,
                });
            }
            (Some(owner), "add_resource") => {
                // Flask-RESTful / Flask-RESTX: `api.add_resource(OrderResource, "/orders/<int:id>")`.
                let Some(resource) = a.positional.first().and_then(|r| self.reference(*r)) else {
                    return;
                };
                for path in a.positional.iter().skip(1) {
                    if let Some(path) = string_value(*path, self.src) {
                        self.facts.routes.push(Route {
                            owner: self.make_ref(owner),
                            path,
                            methods: Vec::new(),
                            handler: resource.clone(),
                            class_view: true,
                            dependencies: Vec::new(),
                            wrappers: Vec::new(),
                            location: location.clone(),
                        });
                    }
                }
            }
            (Some(parent), m) if parent.ends_with(".router") && m.starts_with("add_") => {
                self.aiohttp_router_call(parent.trim_end_matches(".router"), m, call, &a);
            }
            (Some(router), "register") => {
                let (Some(prefix), Some(viewset)) = (
                    a.positional
                        .first()
                        .and_then(|p| string_value(*p, self.src)),
                    a.positional.get(1).copied().or(a.keyword("viewset")),
                ) else {
                    return;
                };
                if let Some(viewset) = self.reference(viewset) {
                    self.facts.registrations.push(RouterRegistration {
                        router: self.make_ref(router),
                        prefix,
                        viewset,
                        location,
                    });
                }
            }
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
        if depth >= super::syntax::MAX_NESTING {
            return None;
        }
        match node.kind() {
            "identifier" | "attribute" => Some((self.reference(node)?, false, Vec::new())),
            "call" => {
                let function = node.child_by_field_name("function")?;
                let callee = dotted(function, self.src)?;
                if last(&callee) == "as_view" {
                    let class = function.child_by_field_name("object")?;
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

    /// `app.add_url_rule("/orders", view_func=create_order, methods=["POST"])`.
    fn flask_url_rule(&mut self, owner: &str, call: Node<'_>, a: &super::syntax::Args<'_>) {
        let Some(path) = a
            .positional
            .first()
            .copied()
            .or(a.keyword("rule"))
            .and_then(|p| string_value(p, self.src))
        else {
            return;
        };
        let Some(view) = a.keyword("view_func").or(a.positional.get(2).copied()) else {
            return;
        };
        let Some((handler, class_view, wrappers)) = self.view_of(view) else {
            return;
        };
        let methods = a
            .keyword("methods")
            .map(|m| {
                strings_in(m, self.src)
                    .into_iter()
                    .map(|s| s.to_ascii_uppercase())
                    .collect()
            })
            .unwrap_or_default();
        self.facts.routes.push(Route {
            owner: self.make_ref(owner),
            path,
            methods,
            handler,
            class_view,
            dependencies: Vec::new(),
            wrappers,
            location: self.location(call),
        });
    }

    /// `app.router.add_post("/orders", create_order)`, `add_route("PUT", ...)`, `add_view`.
    fn aiohttp_router_call(
        &mut self,
        owner: &str,
        method: &str,
        call: Node<'_>,
        a: &super::syntax::Args<'_>,
    ) {
        let verb = method.trim_start_matches("add_");
        let (methods, path, handler, class_view) = match verb {
            "route" => {
                let m = a
                    .positional
                    .first()
                    .and_then(|m| string_value(*m, self.src));
                (
                    m.map(|m| vec![m.to_ascii_uppercase()]).unwrap_or_default(),
                    a.positional.get(1),
                    a.positional.get(2),
                    false,
                )
            }
            "view" => (Vec::new(), a.positional.first(), a.positional.get(1), true),
            "get" | "post" | "put" | "patch" | "delete" | "head" => (
                vec![verb.to_ascii_uppercase()],
                a.positional.first(),
                a.positional.get(1),
                false,
            ),
            _ => return,
        };
        let (Some(path), Some(handler)) = (
            path.and_then(|p| string_value(*p, self.src)),
            handler.and_then(|h| self.view_of(*h)),
        ) else {
            return;
        };
        self.facts.routes.push(Route {
            owner: self.make_ref(owner),
            path,
            methods,
            handler: handler.0,
            class_view: class_view || handler.1,
            dependencies: Vec::new(),
            wrappers: handler.2,
            location: self.location(call),
        });
    }

    /// `web.post("/orders", create_order)` in a route list: the owner is the app whose
    /// `add_routes` receives the list, or the variable the list is assigned to.
    fn aiohttp_web_route(&mut self, method: &str, call: Node<'_>, a: &super::syntax::Args<'_>) {
        let (methods, path, handler) = match method {
            "route" => (
                a.positional
                    .first()
                    .and_then(|m| string_value(*m, self.src))
                    .map(|m| vec![m.to_ascii_uppercase()])
                    .unwrap_or_default(),
                a.positional.get(1),
                a.positional.get(2),
            ),
            "view" => (Vec::new(), a.positional.first(), a.positional.get(1)),
            m => (
                vec![m.to_ascii_uppercase()],
                a.positional.first(),
                a.positional.get(1),
            ),
        };
        let (Some(path), Some(handler)) = (
            path.and_then(|p| string_value(*p, self.src)),
            handler.and_then(|h| self.view_of(*h)),
        ) else {
            return;
        };
        let mut owner = None;
        let mut up = call.parent();
        while let Some(n) = up {
            match n.kind() {
                "call" => {
                    if let Some(f) = n.child_by_field_name("function")
                        && let Some(d) = dotted(f, self.src)
                        && let Some(app) = d.strip_suffix(".add_routes")
                    {
                        owner = Some(self.make_ref(app));
                        break;
                    }
                }
                "assignment" | "augmented_assignment" => {
                    if let Some(left) = n.child_by_field_name("left") {
                        owner = self.reference(left);
                    }
                    break;
                }
                "function_definition" | "class_definition" | "module" => break,
                _ => {}
            }
            up = n.parent();
        }
        let Some(owner) = owner else {
            return;
        };
        self.facts.routes.push(Route {
            owner,
            path,
            methods,
            handler: handler.0,
            class_view: method == "view" || handler.1,
            dependencies: Vec::new(),
            wrappers: handler.2,
            location: self.location(call),
        });
    }
}
