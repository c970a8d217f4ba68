//! What the endpoint inventory keeps from one file, as owned values (the syntax tree borrows
//! the file's text, which the project pass no longer holds): functions and classes with what
//! their decorators and bodies say about authentication, the framework objects (apps,
//! blueprints, routers, route tables), routes, mounts, Django URL patterns and settings.
//!
//! Names are kept twice: as written (`views.order_detail`) and qualified through the file's
//! imports, relative imports included (`shop.orders.views.order_detail`), so that the project
//! pass can find a definition in another file.

use palisade_core::{Location, Span};
use std::collections::BTreeMap;

/// A name as written and what it refers to after the file's imports.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ref {
    /// As written: `views.order_detail`, `login_required`.
    pub text: String,
    /// Qualified: `shop.orders.views.order_detail`, `django.contrib.auth.decorators.login_required`.
    pub qualified: String,
}

impl Ref {
    /// The last part of the name (`order_detail`).
    pub fn last(&self) -> &str {
        last(&self.text)
    }
}

/// The last dotted part of a name.
pub fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// A decorator, a wrapper (`login_required(view)`) or a call in a body: what is called, and
/// the string arguments that name scopes, roles or permissions.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Call {
    pub callee: Ref,
    /// Written with parentheses (`@jwt_required()`), as opposed to a bare name.
    pub called: bool,
    /// String literals among the positional arguments (lists and tuples flattened) and the
    /// values of scope/role/permission keyword arguments.
    pub strings: Vec<String>,
    /// Name arguments (`method_decorator(login_required)`, `user_passes_test(is_staff)`).
    pub args: Vec<Ref>,
    /// `optional=True` (`jwt_required(optional=True)`): anonymous callers get through.
    pub optional: bool,
    pub location: Location,
}

/// `Depends(...)` or `Security(...)` (FastAPI).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Dependency {
    pub security: bool,
    /// The dependency callable; for `Depends(require_scope("x"))`, `require_scope`.
    pub target: Option<Ref>,
    /// `scopes=[...]` of `Security`, and string arguments of a called target.
    pub scopes: Vec<String>,
    pub location: Location,
}

/// A comparison of a key, token or signature inside a function.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct KeyCompare {
    pub location: Location,
    /// The compared value looks like an API key (an `X-API-Key` header, a name with
    /// `api_key`/`apikey`/`key`) rather than a session token or a signature.
    pub api_key: bool,
    /// The other side is one constant, setting or environment value: every caller that
    /// knows it gets the same access.
    pub against_single: bool,
    /// The text of the side that is not the presented value (`settings.API_KEY`).
    pub against: String,
}

/// What a function body (nested functions included) says about authentication.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Body {
    /// Calls to checks named after authentication (`check_permission(request, "x")`,
    /// `verify_api_key(request)`), with their string arguments.
    pub auth_calls: Vec<Call>,
    pub key_compares: Vec<KeyCompare>,
    /// Signature verifications (`hmac.compare_digest`, `stripe.Webhook.construct_event`,
    /// `verify_signature(...)`), by callee.
    pub signature_checks: Vec<String>,
    /// Anything that looks like a signature check: a call or header mentioning a signature.
    pub loose_signature: bool,
    /// Answers 401/403 (`abort(401)`, `raise PermissionDenied`, `HTTPException(403)`,
    /// a redirect to the login page).
    pub denies: bool,
    /// Looks at `is_authenticated`, `is_staff`, `has_perm`, …
    pub checks_user: bool,
    /// Answers with a redirect (`redirect(...)`, `HttpResponseRedirect(...)`), wherever to.
    pub redirects: bool,
    /// Reads a signed value (`signing.loads(...)`, `signer.unsign(...)`,
    /// `serializer.loads(token, max_age=…)`), by callee: the request carries its authority.
    pub signed_tokens: Vec<String>,
    /// Handles a token: an attribute, call or argument named after one (`body.token`,
    /// `verify_reset_password_token(data)`).
    pub mentions_token: bool,
    /// Mentions scopes, roles or permissions.
    pub mentions_scopes: bool,
    /// `request.method == "POST"` and the like.
    pub methods: Vec<String>,
    /// Reads a request body (`request.POST`, `request.FILES`, `request.body`, `request.data`).
    pub reads_body: bool,
    /// Calls something that may change state (`save`, `send_mail`, `commit`, …; see
    /// `extract::body::is_write_call`).
    pub writes: bool,
    /// Calls anything at all (a handler that calls nothing is a stub, not a preview).
    pub calls: bool,
}

impl Body {
    /// Whether the body checks who the caller is.
    pub fn has_auth_evidence(&self) -> bool {
        !self.auth_calls.is_empty()
            || !self.key_compares.is_empty()
            || !self.signature_checks.is_empty()
            || self.denies
            || self.checks_user
    }

    pub fn merge(&mut self, other: &Body) {
        self.auth_calls.extend(other.auth_calls.iter().cloned());
        self.key_compares.extend(other.key_compares.iter().cloned());
        self.signature_checks
            .extend(other.signature_checks.iter().cloned());
        self.loose_signature |= other.loose_signature;
        self.denies |= other.denies;
        self.checks_user |= other.checks_user;
        self.redirects |= other.redirects;
        self.signed_tokens
            .extend(other.signed_tokens.iter().cloned());
        self.mentions_token |= other.mentions_token;
        self.mentions_scopes |= other.mentions_scopes;
        for m in &other.methods {
            if !self.methods.contains(m) {
                self.methods.push(m.clone());
            }
        }
        self.reads_body |= other.reads_body;
        self.writes |= other.writes;
        self.calls |= other.calls;
    }
}

/// A function or method.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Function {
    /// `module.name`, `module.Class.method`, `module.outer.inner`.
    pub qualified: String,
    pub name: String,
    /// From the first decorator to the end of the `def` line's name.
    pub location: Location,
    /// The `def` line.
    pub line: u32,
    /// Decorators that are not route declarations.
    pub decorators: Vec<Call>,
    /// FastAPI dependencies of its parameters (defaults and `Annotated[...]`).
    pub dependencies: Vec<Dependency>,
    /// Type names of its parameters (for `Annotated` aliases such as `CurrentUser`).
    pub param_types: Vec<Ref>,
    pub body: Body,
    /// The class it is a method of.
    pub class: Option<String>,
}

/// One class attribute of interest (`permission_classes = [IsAuthenticated]`).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Attr {
    /// Names and calls in the value (list elements, or the value itself).
    pub items: Vec<Call>,
    pub strings: Vec<String>,
    pub location: Location,
}

/// A DRF `@action` on a viewset method.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct DrfAction {
    pub name: String,
    pub detail: bool,
    pub methods: Vec<String>,
    pub url_path: Option<String>,
    pub permission_classes: Option<Attr>,
    pub location: Location,
    pub line: u32,
}

/// A class: views, viewsets, mixins, Flask `MethodView`s, dependency classes.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Class {
    pub qualified: String,
    pub name: String,
    pub location: Location,
    pub line: u32,
    pub bases: Vec<Ref>,
    pub decorators: Vec<Call>,
    /// `permission_classes`, `authentication_classes`, `permission_required`,
    /// `required_scopes`, `decorators`, `lookup_field`, `lookup_url_kwarg`.
    pub attrs: BTreeMap<String, Attr>,
    /// Method names defined in the class body.
    pub methods: Vec<String>,
    pub actions: Vec<DrfAction>,
    /// Dependencies every route of the class gets: class attributes of a class-based view
    /// (`user: PrivateUser = Depends(get_current_user)` under `@controller(router)` or
    /// `@cbv(router)`), or the `dependencies=[...]` an `APIRouter` subclass passes to
    /// `super().__init__` (`class UserAPIRouter(APIRouter)`).
    pub dependencies: Vec<Dependency>,
}

/// The kind of a framework object.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ObjKind {
    FlaskApp,
    Blueprint,
    FastApi,
    ApiRouter,
    AiohttpApp,
    RouteTable,
    DrfRouter,
}

/// An application, blueprint, router or route table.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct AppObject {
    pub qualified: String,
    pub kind: ObjKind,
    /// `url_prefix=` (Flask), `prefix=` (FastAPI).
    pub prefix: Option<String>,
    /// `dependencies=[...]` (FastAPI).
    pub dependencies: Vec<Dependency>,
    /// The project's own class it is an instance of (`UserAPIRouter(prefix="/users")`),
    /// whose dependencies it carries.
    pub class: Option<Ref>,
    pub location: Location,
}

/// A route declared by a decorator or a registration call.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Route {
    /// The app, blueprint, router or route table it is declared on.
    pub owner: Ref,
    pub path: String,
    /// Empty when the framework's default applies.
    pub methods: Vec<String>,
    pub handler: Ref,
    /// A class view (`OrderAPI.as_view("orders")`, aiohttp `web.view`).
    pub class_view: bool,
    /// Route-level FastAPI dependencies (`dependencies=[...]`).
    pub dependencies: Vec<Dependency>,
    /// Wrappers around the view (`login_required(view)`).
    pub wrappers: Vec<Call>,
    pub location: Location,
}

/// One object attached to another: a blueprint registered on an app, a router included in
/// an app, a sub-application, a route table added to an application.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Mount {
    pub parent: Ref,
    pub child: Ref,
    pub prefix: Option<String>,
    pub dependencies: Vec<Dependency>,
    pub location: Location,
    /// Made only in development (`if settings.ENVIRONMENT == "local": app.include_router(…)`).
    pub dev_only: bool,
}

/// A `before_request` function of a Flask app or blueprint, or a middleware of an aiohttp
/// or FastAPI application.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Guard {
    pub owner: Ref,
    pub function: Ref,
    pub location: Location,
}

/// What a Django URL pattern points at.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum UrlTarget {
    View(Ref),
    ClassView {
        class: Ref,
        /// `as_view({"get": "list", "post": "create"})` on a viewset.
        actions: Vec<(String, String)>,
    },
    /// `include("shop.api.urls")` or `include(api_urls)`: a module's qualified name.
    Include(String),
    /// `include([...])` with patterns inline.
    Nested(Vec<UrlEntry>),
    /// `include(router.urls)` or `urlpatterns += router.urls`.
    Router(Ref),
    Unknown,
}

/// One `path()`/`re_path()`/`url()` entry.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct UrlEntry {
    pub route: String,
    pub regex: bool,
    pub target: UrlTarget,
    pub wrappers: Vec<Call>,
    pub location: Location,
}

/// `router.register("orders", OrderViewSet)`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RouterRegistration {
    pub router: Ref,
    pub prefix: String,
    pub viewset: Ref,
    pub location: Location,
}

/// What a Django settings module says about access control.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// The `REST_FRAMEWORK = {...}` assignment.
    pub rest_framework: Option<Location>,
    /// `DEFAULT_PERMISSION_CLASSES` and where it is set.
    pub default_permissions: Option<(Vec<Ref>, Location)>,
    /// The `"rest_framework"` entry of `INSTALLED_APPS`.
    pub drf_installed: Option<Location>,
    pub root_urlconf: Option<String>,
    /// Every dotted path named in `MIDDLEWARE` (assigned, extended or spread), so that the
    /// project pass can look at the project's own middlewares.
    pub middleware: Vec<String>,
    /// `LOGIN_EXEMPT_URLS` (assigned or extended): the regular expressions of paths a
    /// project's login middleware lets through, interpolations (`{URL_PREFIX}`) removed.
    pub login_exempt: Vec<String>,
}

/// A FastAPI security scheme instance (`oauth2_scheme = OAuth2PasswordBearer(...)`).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SecurityScheme {
    pub qualified: String,
    /// `OAuth2PasswordBearer`, `APIKeyHeader`, …
    pub class: String,
    pub location: Location,
}

/// An `Annotated[...]` alias holding dependencies (`CurrentUser = Annotated[User, Depends(...)]`).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct DependencyAlias {
    pub qualified: String,
    pub dependencies: Vec<Dependency>,
}

/// A location that is filled in later.
fn nowhere() -> Location {
    Location {
        path: String::new(),
        span: Span::line(1),
    }
}

/// `Default` for fact types with a location (which has no default of its own).
macro_rules! default_with_location {
    ($t:ident { $($f:ident),* }) => {
        impl Default for $t {
            fn default() -> Self {
                $t {
                    location: nowhere(),
                    $($f: Default::default()),*
                }
            }
        }
    };
}

default_with_location!(Call {
    callee,
    called,
    strings,
    args,
    optional
});
default_with_location!(Dependency {
    security,
    target,
    scopes
});
default_with_location!(Function {
    qualified,
    name,
    line,
    decorators,
    dependencies,
    param_types,
    body,
    class
});
default_with_location!(Attr { items, strings });
default_with_location!(DrfAction {
    name,
    detail,
    methods,
    url_path,
    permission_classes,
    line
});
default_with_location!(Class {
    qualified,
    name,
    line,
    bases,
    decorators,
    attrs,
    methods,
    actions,
    dependencies
});

/// Everything the inventory keeps from one file.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    pub path: String,
    /// Test code, test data or an example, as the walk decided (`SourceFile::role`): its
    /// routes are not the product's endpoints.
    pub not_product: bool,
    /// The dotted module name derived from the path (`shop/api/orders.py` → `shop.api.orders`).
    pub module: String,
    /// Imports of flask, fastapi, aiohttp, django or rest_framework.
    #[serde(deserialize_with = "known_frameworks")]
    pub frameworks: Vec<&'static str>,
    pub functions: Vec<Function>,
    pub classes: Vec<Class>,
    pub objects: Vec<AppObject>,
    pub routes: Vec<Route>,
    pub mounts: Vec<Mount>,
    pub guards: Vec<Guard>,
    /// `urlpatterns`, when the file defines them.
    pub urlpatterns: Option<Vec<UrlEntry>>,
    pub registrations: Vec<RouterRegistration>,
    pub settings: Option<Settings>,
    pub schemes: Vec<SecurityScheme>,
    pub aliases: Vec<DependencyAlias>,
    /// Local name → qualified name of every import (to follow re-exports).
    pub imports: BTreeMap<String, String>,
    /// Modules imported with `from … import *` at module level (re-exports too, as in a
    /// package `__init__.py` of `from .base_controllers import *`).
    pub star_imports: Vec<String>,
    /// Literal constants and imported JWT keys, for `python/hardcoded-secret-key`'s
    /// cross-file check (not part of the inventory).
    pub secrets: crate::imported_secrets::SecretFacts,
    /// `python/sql-injection` findings waiting for the callers of other files.
    pub deferred: Vec<crate::call_sites::Deferred>,
    /// Calls of the project's own functions, their arguments graded.
    pub call_sites: Vec<crate::call_sites::CallSite>,
}

/// Framework names back from the result cache, as the extractor's own constants (a name it
/// does not know makes the entry unusable).
fn known_frameworks<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    let names: Vec<String> = serde::Deserialize::deserialize(d)?;
    names
        .iter()
        .map(|name| {
            super::extract::FRAMEWORKS
                .iter()
                .copied()
                .find(|f| f == name)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown framework `{name}`")))
        })
        .collect()
}

impl FileFacts {
    pub fn location(&self, span: Span) -> Location {
        Location {
            path: self.path.clone(),
            span,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.functions.is_empty()
            && self.classes.is_empty()
            && self.objects.is_empty()
            && self.routes.is_empty()
            && self.mounts.is_empty()
            && self.urlpatterns.is_none()
            && self.registrations.is_empty()
            && self.settings.is_none()
    }
}
