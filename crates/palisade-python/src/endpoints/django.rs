//! Django and Django REST framework: URL configurations walked from the root (the settings'
//! `ROOT_URLCONF`, or every `urlpatterns` module nobody includes), `include()`s joined into
//! full paths, DRF routers expanded into their list and detail routes (and `@action`s), and
//! each view's checks: decorators (`login_required`, `permission_required`,
//! `user_passes_test`), mixins (`LoginRequiredMixin`, `PermissionRequiredMixin`), DRF
//! `permission_classes` or the project's `REST_FRAMEWORK` defaults, and Django 5.1's
//! `LoginRequiredMiddleware`.

use super::facts::{Attr, Class, FileFacts, Function, Ref, UrlEntry, UrlTarget};
use super::project::Project;
use super::words::{is_auth_name, is_key_name, is_scope_name};
use super::{AuthCheck, Endpoint, Handler, sort_methods};
use palisade_core::Location;
use std::collections::BTreeSet;

/// HTTP method handlers of a class-based view.
/// (`head` and `options` are left out: frameworks answer them for every view.)
const VERBS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Viewset actions and the route and method they map to (detail route, method).
const ACTIONS: [(&str, bool, &str); 6] = [
    ("list", false, "GET"),
    ("create", false, "POST"),
    ("retrieve", true, "GET"),
    ("update", true, "PUT"),
    ("partial_update", true, "PATCH"),
    ("destroy", true, "DELETE"),
];

/// Whether a base class name makes a view a DRF view.
pub fn is_drf_base(name: &str) -> bool {
    name.ends_with("APIView") || name.ends_with("ViewSet") || name == "ViewSetMixin"
}

/// Methods that Django's and DRF's generic views handle.
fn generic_methods(base: &str) -> &'static [&'static str] {
    match base {
        "CreateView"
        | "UpdateView"
        | "FormView"
        | "DeleteView"
        | "BaseCreateView"
        | "BaseUpdateView"
        | "BaseDeleteView"
        | "BaseFormView"
        | "ProcessFormView"
        | "LoginView"
        | "LogoutView"
        | "PasswordChangeView"
        | "PasswordResetView"
        | "PasswordResetConfirmView" => &["GET", "POST"],
        "TemplateView" | "ListView" | "DetailView" | "RedirectView" | "ArchiveIndexView"
        | "YearArchiveView" | "MonthArchiveView" | "DayArchiveView" | "DateDetailView" => &["GET"],
        "CreateAPIView" => &["POST"],
        "ListAPIView" | "RetrieveAPIView" => &["GET"],
        "DestroyAPIView" => &["DELETE"],
        "UpdateAPIView" => &["PUT", "PATCH"],
        "ListCreateAPIView" => &["GET", "POST"],
        "RetrieveUpdateAPIView" => &["GET", "PUT", "PATCH"],
        "RetrieveDestroyAPIView" => &["GET", "DELETE"],
        "RetrieveUpdateDestroyAPIView" => &["GET", "PUT", "PATCH", "DELETE"],
        _ => &[],
    }
}

/// Viewset actions that a base class provides.
fn base_actions(base: &str) -> &'static [&'static str] {
    match base {
        "ModelViewSet" => &[
            "list",
            "create",
            "retrieve",
            "update",
            "partial_update",
            "destroy",
        ],
        "ReadOnlyModelViewSet" => &["list", "retrieve"],
        "ListModelMixin" => &["list"],
        "CreateModelMixin" => &["create"],
        "RetrieveModelMixin" => &["retrieve"],
        "UpdateModelMixin" => &["update", "partial_update"],
        "DestroyModelMixin" => &["destroy"],
        _ => &[],
    }
}

/// Every HTTP method a class-based view or viewset handles (viewset actions count as the
/// methods their routes accept).
pub fn class_methods(p: &Project, class: &Class) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if p.base_names(class).iter().any(|b| b == "RedirectView") || class.name == "RedirectView" {
        // Redirects answer every method the same way; nothing changes.
        return vec!["GET".to_string()];
    }
    let action_method = |a: &str| {
        ACTIONS
            .iter()
            .find(|(name, _, _)| *name == a)
            .map(|(_, _, m)| m.to_string())
    };
    for c in p.class_chain(class) {
        for name in &c.methods {
            if VERBS.contains(&name.as_str()) {
                out.push(name.to_ascii_uppercase());
            }
            out.extend(action_method(name));
        }
    }
    for b in p.base_names(class) {
        out.extend(generic_methods(&b).iter().map(|m| m.to_string()));
        out.extend(base_actions(&b).iter().filter_map(|a| action_method(a)));
    }
    sort_methods(&mut out);
    out
}

/// The project-wide settings that decide a view's default access.
struct Defaults {
    /// `DEFAULT_PERMISSION_CLASSES` and where it is set; `None` means DRF's `AllowAny`.
    permissions: Option<(Vec<Ref>, Location)>,
    /// The login middleware installed for every view, as the inventory names it.
    login_middleware: Option<String>,
    /// `LOGIN_EXEMPT_URLS` of a project's own login middleware, as literal path prefixes.
    login_exempt: Vec<super::middleware::Exempt>,
}

impl Defaults {
    /// Whether the login middleware lets this path through (`LOGIN_EXEMPT_URLS`).
    fn login_exempt(&self, path: &str) -> bool {
        self.login_exempt.iter().any(|e| e.matches(path))
    }
}

fn defaults(p: &Project) -> Defaults {
    let mut permissions = None;
    for file in &p.files {
        let Some(settings) = &file.settings else {
            continue;
        };
        // Test settings do not decide what production allows.
        if palisade_knowledge::roles::is_test_settings(&file.path) {
            continue;
        }
        if let Some(d) = &settings.default_permissions
            && permissions.is_none()
        {
            permissions = Some(d.clone());
        }
    }
    Defaults {
        permissions,
        login_middleware: super::middleware::login_middleware(p),
        login_exempt: super::middleware::login_exempt(p),
    }
}

pub fn endpoints(p: &Project) -> Vec<Endpoint> {
    let defaults = defaults(p);
    let urlconfs: Vec<&FileFacts> = p.files.iter().filter(|f| f.urlpatterns.is_some()).collect();
    let mut included: BTreeSet<String> = BTreeSet::new();
    for f in &urlconfs {
        collect_includes(p, f.urlpatterns.as_deref().unwrap_or(&[]), &mut included);
    }
    let mut roots: Vec<&FileFacts> = Vec::new();
    for file in &p.files {
        if let Some(root) = file
            .settings
            .as_ref()
            .and_then(|s| s.root_urlconf.as_deref())
            && let Some(f) = p.module_file(root)
            && f.urlpatterns.is_some()
            && !roots.iter().any(|r| r.path == f.path)
        {
            roots.push(f);
        }
    }
    for f in &urlconfs {
        if !included.contains(&f.module) && !roots.iter().any(|r| r.path == f.path) {
            roots.push(f);
        }
    }
    let mut walk = Walk {
        p,
        defaults: &defaults,
        out: Vec::new(),
        routers_seen: BTreeSet::new(),
    };
    for root in roots {
        let app = format!("django:{}", root.module);
        let mut seen = vec![root.module.clone()];
        walk.entries(
            root,
            root.urlpatterns.as_deref().unwrap_or(&[]),
            "",
            &[],
            &app,
            &mut seen,
        );
    }
    // Routers that no URL configuration includes still serve their routes somewhere.
    let mut routers: Vec<String> = Vec::new();
    for file in &p.files {
        for r in &file.registrations {
            let key = p.canonical(&r.router.qualified);
            if !walk.routers_seen.contains(&key) && !routers.contains(&key) {
                routers.push(key);
            }
        }
    }
    for key in routers {
        let app = format!("django:{key}");
        walk.router(&key, "", &app);
    }
    walk.out
}

fn collect_includes(p: &Project, entries: &[UrlEntry], out: &mut BTreeSet<String>) {
    for e in entries {
        match &e.target {
            UrlTarget::Include(m) => {
                if let Some(m) = p.canonical_module(m) {
                    out.insert(m);
                }
            }
            UrlTarget::Nested(inner) => collect_includes(p, inner, out),
            _ => {}
        }
    }
}

/// A Django route fragment ready to be joined: regexes lose their anchors.
fn fragment(entry: &UrlEntry) -> String {
    if entry.regex {
        entry
            .route
            .trim_start_matches('^')
            .trim_end_matches('$')
            .trim_end_matches("\\Z")
            .to_string()
    } else {
        entry.route.clone()
    }
}

fn display(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

struct Walk<'a> {
    p: &'a Project,
    defaults: &'a Defaults,
    out: Vec<Endpoint>,
    routers_seen: BTreeSet<String>,
}

impl Walk<'_> {
    fn entries(
        &mut self,
        file: &FileFacts,
        entries: &[UrlEntry],
        prefix: &str,
        wrappers: &[super::facts::Call],
        app: &str,
        seen: &mut Vec<String>,
    ) {
        for entry in entries {
            let path = format!("{prefix}{}", fragment(entry));
            let mut wrapped = wrappers.to_vec();
            wrapped.extend(entry.wrappers.iter().cloned());
            match &entry.target {
                UrlTarget::View(r) => {
                    if let Some((f, function)) = self.p.function(r) {
                        self.function_view(f, function, &path, &wrapped, app, entry);
                    } else if let Some((f, class)) = self.p.class(r) {
                        self.class_view(f, class, &[], &path, &wrapped, app, entry);
                    } else {
                        self.unresolved(file, r, &path, &wrapped, app, entry);
                    }
                }
                UrlTarget::ClassView { class, actions } => {
                    if let Some((f, c)) = self.p.class(class) {
                        self.class_view(f, c, actions, &path, &wrapped, app, entry);
                    } else {
                        self.unresolved(file, class, &path, &wrapped, app, entry);
                    }
                }
                UrlTarget::Include(module) => {
                    let Some(target) = self.p.module_file(module) else {
                        continue;
                    };
                    if seen.contains(&target.module) || seen.len() > 16 {
                        continue;
                    }
                    seen.push(target.module.clone());
                    let entries = target.urlpatterns.as_deref().unwrap_or(&[]);
                    self.entries(target, entries, &path, &wrapped, app, seen);
                    seen.pop();
                }
                UrlTarget::Nested(inner) => self.entries(file, inner, &path, &wrapped, app, seen),
                UrlTarget::Router(r) => {
                    let key = self.p.canonical(&r.qualified);
                    self.router(&key, &path, app);
                }
                UrlTarget::Unknown => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        methods: Vec<String>,
        path: &str,
        handler: Handler,
        checks: Vec<AuthCheck>,
        app: &str,
        allow_any: Option<Location>,
        loose: bool,
        declared: &Location,
    ) {
        let mut methods = methods;
        sort_methods(&mut methods);
        self.out.push(Endpoint {
            framework: "django",
            methods,
            path: display(path),
            handler,
            checks,
            app: app.to_string(),
            allow_any,
            loose_signature: loose,
            declared: declared.clone(),
            public: None,
            undecided: None,
        });
    }

    fn unresolved(
        &mut self,
        file: &FileFacts,
        view: &Ref,
        path: &str,
        wrappers: &[super::facts::Call],
        app: &str,
        entry: &UrlEntry,
    ) {
        let checks: Vec<AuthCheck> = wrappers
            .iter()
            .filter_map(|w| self.p.decorator_check(w))
            .collect();
        let handler = Handler {
            path: file.path.clone(),
            line: entry.location.span.start_line,
            name: view.text.clone(),
            location: entry.location.clone(),
            resolved: false,
        };
        self.push(
            vec!["*".to_string()],
            path,
            handler,
            checks,
            app,
            None,
            false,
            &entry.location,
        );
    }

    /// DRF permission classes as checks; `AllowAny` is none.
    fn permission_checks(&self, refs: &[Ref], at: &Location, scopes: &[String]) -> Vec<AuthCheck> {
        let mut out = Vec::new();
        for r in refs.iter().filter(|r| r.last() != "AllowAny") {
            let mut check = AuthCheck {
                name: r.last().to_string(),
                api_key: is_key_name(r.last()),
                scopes: scopes.to_vec(),
                definition: None,
                applied: at.clone(),
                identity: self.p.canonical(&r.qualified),
                single_key: false,
                scope_aware: !scopes.is_empty() || is_scope_name(r.last()),
                signature: false,
            };
            if let Some((_, class)) = self.p.class(r) {
                check.definition = Some(class.location.clone());
                for c in self.p.class_chain(class) {
                    let method = Ref {
                        text: "has_permission".to_string(),
                        qualified: format!("{}.has_permission", c.qualified),
                    };
                    if let Some((_, f)) = self.p.function(&method) {
                        check.api_key |= f.body.key_compares.iter().any(|k| k.api_key);
                        check.single_key |= f.body.key_compares.iter().any(|k| k.against_single);
                        check.scope_aware |= f.body.mentions_scopes;
                        break;
                    }
                }
            }
            out.push(check);
        }
        out
    }

    /// A DRF view's permission checks: its own `permission_classes` (or an action's) or the
    /// project default; and where an explicit `AllowAny` is.
    fn drf_checks(
        &self,
        attr: Option<&Attr>,
        scopes: &[String],
    ) -> (Vec<AuthCheck>, Option<Location>) {
        match attr {
            Some(attr) => {
                let refs: Vec<Ref> = attr.items.iter().map(|c| c.callee.clone()).collect();
                let checks = self.permission_checks(&refs, &attr.location, scopes);
                let allow_any = checks.is_empty().then(|| attr.location.clone());
                (checks, allow_any)
            }
            None => match &self.defaults.permissions {
                Some((refs, at)) => (self.permission_checks(refs, at, scopes), None),
                None => (Vec::new(), None),
            },
        }
    }

    fn function_view(
        &mut self,
        file: &FileFacts,
        f: &Function,
        path: &str,
        wrappers: &[super::facts::Call],
        app: &str,
        entry: &UrlEntry,
    ) {
        let mut checks: Vec<AuthCheck> = wrappers
            .iter()
            .chain(f.decorators.iter())
            .filter_map(|d| self.p.decorator_check(d))
            .collect();
        checks.extend(self.p.inline_checks(file, f));
        let decorator = |name: &str| f.decorators.iter().find(|d| d.callee.last() == name);
        let upper = |v: &[String]| v.iter().map(|s| s.to_ascii_uppercase()).collect::<Vec<_>>();
        let api_view = decorator("api_view");
        let mut methods = if let Some(d) = api_view {
            if d.strings.is_empty() {
                vec!["GET".to_string()]
            } else {
                upper(&d.strings)
            }
        } else if let Some(d) = decorator("require_http_methods") {
            upper(&d.strings)
        } else if decorator("require_POST").is_some() {
            vec!["POST".to_string()]
        } else if decorator("require_GET").is_some() {
            vec!["GET".to_string()]
        } else if decorator("require_safe").is_some() {
            vec!["GET".to_string(), "HEAD".to_string()]
        } else {
            let mut m = vec!["GET".to_string()];
            m.extend(f.body.methods.iter().cloned());
            if f.body.reads_body {
                m.push("POST".to_string());
            }
            m
        };
        sort_methods(&mut methods);
        let mut allow_any = None;
        if api_view.is_some() {
            let attr = decorator("permission_classes").map(|d| Attr {
                items: d
                    .args
                    .iter()
                    .map(|r| super::facts::Call {
                        callee: r.clone(),
                        ..Default::default()
                    })
                    .collect(),
                strings: Vec::new(),
                location: d.location.clone(),
            });
            let (perm, any) = self.drf_checks(attr.as_ref(), &[]);
            checks.extend(perm);
            allow_any = any;
        } else if checks.is_empty()
            && decorator("login_not_required").is_none()
            && let Some(name) = &self.defaults.login_middleware
            && !self.defaults.login_exempt(path)
        {
            checks.push(middleware_check(name, &entry.location));
        }
        let handler = Handler {
            path: file.path.clone(),
            line: f.line,
            name: f.name.clone(),
            location: f.location.clone(),
            resolved: true,
        };
        self.push(
            methods,
            path,
            handler,
            checks,
            app,
            allow_any,
            f.body.loose_signature,
            &entry.location,
        );
    }

    /// Checks shared by every method of a class-based view: wrappers, auth mixins, class
    /// decorators and `method_decorator`s on its methods, inline checks in its methods.
    fn class_checks(
        &self,
        class: &Class,
        wrappers: &[super::facts::Call],
    ) -> (Vec<AuthCheck>, bool) {
        let p = self.p;
        let mut checks: Vec<AuthCheck> = wrappers
            .iter()
            .filter_map(|w| p.decorator_check(w))
            .collect();
        let mut loose = false;
        let permission_required = p
            .class_attr(class, "permission_required")
            .map(|a| a.strings.clone())
            .unwrap_or_default();
        for c in p.class_chain(class) {
            for base in &c.bases {
                if p.class(base).is_some() || !is_auth_name(base.last()) {
                    continue;
                }
                let scopes = if base.last().contains("Permission") {
                    permission_required.clone()
                } else {
                    Vec::new()
                };
                checks.push(AuthCheck {
                    name: base.last().to_string(),
                    api_key: false,
                    scope_aware: !scopes.is_empty(),
                    scopes,
                    definition: None,
                    applied: c.location.clone(),
                    identity: p.canonical(&base.qualified),
                    single_key: false,
                    signature: false,
                });
            }
            checks.extend(c.decorators.iter().filter_map(|d| p.decorator_check(d)));
            for m in &c.methods {
                let method = Ref {
                    text: m.clone(),
                    qualified: format!("{}.{m}", c.qualified),
                };
                if let Some((mfile, f)) = p.function(&method) {
                    checks.extend(f.decorators.iter().filter_map(|d| p.decorator_check(d)));
                    if VERBS.contains(&m.as_str()) || m == "dispatch" {
                        checks.extend(p.inline_checks(mfile, f));
                        loose |= f.body.loose_signature;
                    }
                }
            }
        }
        (checks, loose)
    }

    #[allow(clippy::too_many_arguments)]
    fn class_view(
        &mut self,
        file: &FileFacts,
        class: &Class,
        actions: &[(String, String)],
        path: &str,
        wrappers: &[super::facts::Call],
        app: &str,
        entry: &UrlEntry,
    ) {
        let p = self.p;
        let bases = p.base_names(class);
        let drf = bases.iter().any(|b| is_drf_base(b));
        let (mut checks, loose) = self.class_checks(class, wrappers);
        let mut allow_any = None;
        if drf {
            let scopes = p
                .class_attr(class, "required_scopes")
                .map(|a| a.strings.clone())
                .unwrap_or_default();
            let (perm, any) = self.drf_checks(p.class_attr(class, "permission_classes"), &scopes);
            checks.extend(perm);
            allow_any = any;
        } else if checks.is_empty()
            && let Some(name) = &self.defaults.login_middleware
            && !self.defaults.login_exempt(path)
        {
            checks.push(middleware_check(name, &entry.location));
        }
        let methods: Vec<String> = if !actions.is_empty() {
            actions.iter().map(|(m, _)| m.clone()).collect()
        } else {
            let mut m: Vec<String> = class_methods(p, class)
                .into_iter()
                .filter(|m| !matches!(m.as_str(), "HEAD" | "OPTIONS"))
                .collect();
            if m.is_empty() {
                m.push("GET".to_string());
            }
            m
        };
        let handler = Handler {
            path: file.path.clone(),
            line: class.line,
            name: class.name.clone(),
            location: class.location.clone(),
            resolved: true,
        };
        self.push(
            methods,
            path,
            handler,
            checks,
            app,
            allow_any,
            loose,
            &entry.location,
        );
    }

    /// A DRF router's routes under `prefix`.
    fn router(&mut self, key: &str, prefix: &str, app: &str) {
        self.routers_seen.insert(key.to_string());
        let p = self.p;
        let registrations: Vec<(&FileFacts, &super::facts::RouterRegistration)> = p
            .files
            .iter()
            .flat_map(|f| f.registrations.iter().map(move |r| (f, r)))
            .filter(|(_, r)| p.canonical(&r.router.qualified) == key)
            .collect();
        for (file, reg) in registrations {
            let base = format!("{prefix}{}", reg.prefix.trim_matches('/'));
            let Some((cfile, class)) = p.class(&reg.viewset) else {
                let entry = UrlEntry {
                    route: String::new(),
                    regex: false,
                    target: UrlTarget::Unknown,
                    wrappers: Vec::new(),
                    location: reg.location.clone(),
                };
                self.unresolved(file, &reg.viewset, &format!("{base}/"), &[], app, &entry);
                continue;
            };
            let chain = p.class_chain(class);
            let bases = p.base_names(class);
            let mut actions: Vec<&str> = Vec::new();
            for b in &bases {
                actions.extend(base_actions(b));
            }
            for c in &chain {
                for m in &c.methods {
                    if let Some((a, _, _)) = ACTIONS.iter().find(|(a, _, _)| a == m) {
                        actions.push(a);
                    }
                }
            }
            let lookup = p
                .class_attr(class, "lookup_url_kwarg")
                .or_else(|| p.class_attr(class, "lookup_field"))
                .and_then(|a| a.strings.first().cloned())
                .unwrap_or_else(|| "pk".to_string());
            let (common, loose) = self.class_checks(class, &[]);
            let scopes = p
                .class_attr(class, "required_scopes")
                .map(|a| a.strings.clone())
                .unwrap_or_default();
            let (perm, allow_any) =
                self.drf_checks(p.class_attr(class, "permission_classes"), &scopes);
            let mut checks = common.clone();
            checks.extend(perm);
            let handler = Handler {
                path: cfile.path.clone(),
                line: class.line,
                name: class.name.clone(),
                location: class.location.clone(),
                resolved: true,
            };
            for detail in [false, true] {
                let methods: Vec<String> = ACTIONS
                    .iter()
                    .filter(|(a, d, _)| *d == detail && actions.contains(a))
                    .map(|(_, _, m)| m.to_string())
                    .collect();
                if methods.is_empty() {
                    continue;
                }
                let path = if detail {
                    format!("{base}/<{lookup}>/")
                } else {
                    format!("{base}/")
                };
                self.push(
                    methods,
                    &path,
                    handler.clone(),
                    checks.clone(),
                    app,
                    allow_any.clone(),
                    loose,
                    &reg.location,
                );
            }
            for c in &chain {
                for action in &c.actions {
                    let segment = action.url_path.clone().unwrap_or(action.name.clone());
                    let path = if action.detail {
                        format!("{base}/<{lookup}>/{segment}/")
                    } else {
                        format!("{base}/{segment}/")
                    };
                    let (mut action_checks, action_any) = match &action.permission_classes {
                        Some(attr) => self.drf_checks(Some(attr), &scopes),
                        None => (checks.clone(), allow_any.clone()),
                    };
                    if action.permission_classes.is_some() {
                        action_checks.extend(common.iter().cloned());
                    }
                    let handler = Handler {
                        path: cfile.path.clone(),
                        line: action.line,
                        name: format!("{}.{}", class.name, action.name),
                        location: action.location.clone(),
                        resolved: true,
                    };
                    self.push(
                        action.methods.clone(),
                        &path,
                        handler,
                        action_checks,
                        app,
                        action_any,
                        loose,
                        &reg.location,
                    );
                }
            }
        }
    }
}

fn middleware_check(name: &str, at: &Location) -> AuthCheck {
    AuthCheck {
        name: name.to_string(),
        api_key: false,
        scopes: Vec::new(),
        definition: None,
        applied: at.clone(),
        identity: format!("django-middleware:{name}"),
        single_key: false,
        scope_aware: false,
        signature: false,
    }
}
