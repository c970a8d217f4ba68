//! The endpoint inventory: every HTTP endpoint of a Python backend, with its methods, its
//! full path, its handler, the authentication it requires and the scopes or permissions it
//! asks for — the permission matrix a reviewer needs to answer "does every key get only what
//! it needs?".
//!
//! It is built in two passes, like the engine's:
//!
//! 1. per file ([`extract`]), from the syntax tree the analyzer already parsed: functions and
//!    classes with their decorators, parameters and what their bodies check; framework
//!    objects (Flask apps and blueprints, FastAPI apps and routers, aiohttp applications and
//!    route tables, DRF routers); routes; mounts (`register_blueprint`, `include_router`,
//!    `add_subapp`, `add_routes`); `before_request` guards and middlewares; Django
//!    `urlpatterns`, router registrations and settings. These are owned [`facts`], kept for
//!    the project pass;
//! 2. per project ([`Project`], [`endpoints`]): names are resolved across files (imports,
//!    relative imports, re-exports), prefixes joined along mounts and `include()`s, and
//!    each endpoint's checks gathered from every level — app, blueprint/router, route,
//!    handler decorators, dependencies, class mixins, DRF permission classes and the
//!    project-wide `REST_FRAMEWORK` defaults.
//!
//! Frameworks: Flask (and Quart), FastAPI, Django with Django REST framework, aiohttp.
//! Authentication is recognised by what code is named (`login_required`, `jwt_required`,
//! `require_api_key`, `requires_scope`, `IsAuthenticated`, `get_current_user`: names about
//! auth, login, tokens, keys, permissions, scopes, roles or JWTs) and by what it does
//! (compares an API key, verifies a signature, refuses with 401/403). String arguments of
//! such checks are the scopes (`@requires_scope("orders:write")`,
//! `Security(verify, scopes=["items:read"])`, `permission_required("shop.change_order")`).

pub mod django;
pub mod extract;
pub mod facts;
pub mod middleware;
pub mod project;
pub mod public;
pub mod secrets;
pub mod syntax;
pub mod words;

mod routes;

pub use project::Project;

use palisade_core::{Location, SourceFile};

/// One authentication or authorization check that applies to an endpoint.
#[derive(Clone, Debug)]
pub struct AuthCheck {
    /// How it reads in the inventory: `login_required`, `Security(get_current_user)`,
    /// `before_request require_login`, `IsAuthenticated`.
    pub name: String,
    /// It checks an API key.
    pub api_key: bool,
    /// The scopes, roles or permissions it requires.
    pub scopes: Vec<String>,
    /// Where the check itself is defined, when that is in the scan.
    pub definition: Option<Location>,
    /// Where it is applied to the endpoint (the decorator, dependency or registration).
    pub applied: Location,
    /// Which check this is, for grouping the endpoints that share it.
    pub identity: String,
    /// Its definition compares the presented key with one fixed key.
    pub single_key: bool,
    /// Its definition or use mentions scopes, roles or permissions.
    pub scope_aware: bool,
    /// A webhook signature verification.
    pub signature: bool,
}

/// Where an endpoint is handled.
#[derive(Clone, Debug)]
pub struct Handler {
    pub path: String,
    /// The `def` or `class` line.
    pub line: u32,
    /// The function or class name (`create_order`, `OrderViewSet.create`).
    pub name: String,
    /// From the first decorator to the name: where findings about the handler start.
    pub location: Location,
    /// The handler's definition was found in the scan.
    pub resolved: bool,
}

/// One endpoint of the inventory.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// `flask`, `fastapi`, `django`, `aiohttp`.
    pub framework: &'static str,
    /// Uppercase; `*` when any method is accepted or the methods are unknown.
    pub methods: Vec<String>,
    /// As the framework writes it, prefixes joined: `/api/orders/<int:id>`,
    /// `/v1/items/{item_id}`.
    pub path: String,
    pub handler: Handler,
    pub checks: Vec<AuthCheck>,
    /// Which application it belongs to (the app object or root URL configuration).
    pub app: String,
    /// Where `permission_classes` explicitly allows anyone (DRF `AllowAny`).
    pub allow_any: Option<Location>,
    /// Something in the handler looks like a signature verification.
    pub loose_signature: bool,
    /// Where the route is declared (decorator, `path()` entry, registration call).
    pub declared: Location,
    /// Why it needs no authentication, when it has none and is public by design: `login`,
    /// `logout`, `registration`, `password reset`, `token`.
    pub public: Option<&'static str>,
    /// It has no check, but may be public on purpose in a way the model cannot confirm:
    /// `capability URL` (its only path parameters are UUIDs: a ping URL, a share link — or
    /// an ordinary id), `first-run setup` (a setup wizard, public until the product is set
    /// up, if the handler checks that), `no write seen` (a handler that calls nothing that
    /// changes state: a POST that previews or computes), `development only` (mounted under
    /// an `if` that holds only in development).
    pub undecided: Option<&'static str>,
}

impl Endpoint {
    /// The authentication found, as the inventory shows it; `None` when there is none.
    pub fn auth(&self) -> Option<String> {
        let mut names: Vec<&str> = Vec::new();
        for c in &self.checks {
            if !names.contains(&c.name.as_str()) {
                names.push(&c.name);
            }
        }
        if names.is_empty() {
            if let Some(purpose) = self.public {
                return Some(format!("public ({purpose})"));
            }
            if let Some(reason) = self.undecided {
                return Some(format!("{reason}?"));
            }
        }
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// Every scope the endpoint's checks require (never a string that could be a key: the
    /// literal arguments of a check can be its secret, `verify(token, "k3y-…")`).
    pub fn scopes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in &self.checks {
            for s in &c.scopes {
                if could_be_secret(s) {
                    continue;
                }
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        out
    }

    /// Whether the endpoint accepts a state-changing method.
    pub fn changes_state(&self) -> bool {
        self.methods.iter().any(|m| {
            matches!(m.as_str(), "POST" | "PUT" | "PATCH" | "DELETE")
                || (m == "*" && self.handler.resolved)
        })
    }

    /// `POST /api/orders`.
    pub fn describe(&self) -> String {
        format!("{} {}", self.methods.join(","), self.path)
    }
}

/// Whether a check's string argument could be a key rather than a scope: key material
/// (long, no spaces) that is not shaped like a scope or permission (lowercase words joined
/// by `:`, `.`, `_`, `-` or `/`, with at most two digits: `orders:write`,
/// `dojo.delete_cicdinfrastructure`).
fn could_be_secret(s: &str) -> bool {
    let scope_shaped = s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.:-/ ".contains(c))
        && s.chars().filter(char::is_ascii_digit).count() <= 2;
    palisade_knowledge::secrets::looks_like_key_material(s) && !scope_shaped
}

/// Every endpoint of a project, sorted by path and methods.
pub fn endpoints(project: &Project) -> Vec<Endpoint> {
    let mut out = routes::endpoints(project);
    out.extend(django::endpoints(project));
    // Routes that tests, test doubles and examples declare are not the product's.
    let not_product: std::collections::BTreeSet<&str> = project
        .files
        .iter()
        .filter(|f| f.not_product)
        .map(|f| f.path.as_str())
        .collect();
    out.retain(|e| {
        !not_product.contains(e.handler.path.as_str())
            && !not_product.contains(e.declared.path.as_str())
    });
    let mut functions: std::collections::HashMap<(&str, u32), &facts::Function> =
        std::collections::HashMap::new();
    for file in &project.files {
        for f in &file.functions {
            functions.entry((file.path.as_str(), f.line)).or_insert(f);
        }
    }
    for e in &mut out {
        if !e.checks.is_empty() {
            continue;
        }
        let body = functions
            .get(&(e.handler.path.as_str(), e.handler.line))
            .map(|f| &f.body);
        if let Some(callee) = body.and_then(|b| b.signed_tokens.first()) {
            e.checks.push(AuthCheck {
                name: format!("signed token ({callee})"),
                api_key: false,
                scopes: Vec::new(),
                definition: None,
                applied: e.handler.location.clone(),
                identity: format!("signed:{callee}"),
                single_key: false,
                scope_aware: false,
                signature: false,
            });
            continue;
        }
        e.public = public::public_purpose(e, body.is_some_and(|b| b.mentions_token));
        if e.public.is_none() {
            e.undecided = e.undecided.or_else(|| public::undecided_purpose(e, body));
        }
    }
    out.sort_by(|a, b| {
        (&a.path, &a.methods, &a.handler.path, a.handler.line).cmp(&(
            &b.path,
            &b.methods,
            &b.handler.path,
            b.handler.line,
        ))
    });
    out.dedup_by(|a, b| {
        a.path == b.path
            && a.methods == b.methods
            && a.handler.path == b.handler.path
            && a.handler.line == b.handler.line
    });
    out
}

/// The endpoint inventory of a set of Python files, each parsed once (files that do not
/// parse at all are skipped; syntax errors leave the rest of the tree usable).
pub fn inventory(files: &[SourceFile]) -> Vec<Endpoint> {
    let of = |chunk: &[SourceFile]| -> Vec<facts::FileFacts> {
        chunk.iter().filter_map(crate::inventory_facts).collect()
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let size = files.len().div_ceil(workers).max(64);
    // Parsing dominates: one chunk of files per core (each thread has its own parser).
    let facts: Vec<facts::FileFacts> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(size)
            .map(|chunk| scope.spawn(move || of(chunk)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    endpoints(&Project::new(facts))
}

/// Whether a node is a module-level statement (not inside a function or class), climbing
/// through the model's recorded parents when there is a model.
pub(crate) fn is_module_level<'t>(
    model: Option<&crate::model::Model<'t>>,
    node: tree_sitter::Node<'t>,
) -> bool {
    let parent = |n: tree_sitter::Node<'t>| match model {
        Some(model) => model.parent(n),
        None => n.parent(),
    };
    let mut current = parent(node);
    while let Some(n) = current {
        if matches!(
            n.kind(),
            "function_definition" | "class_definition" | "lambda"
        ) {
            return false;
        }
        current = parent(n);
    }
    true
}

/// Methods in the usual order (GET first), without duplicates.
pub(crate) fn sort_methods(methods: &mut Vec<String>) {
    const ORDER: [&str; 8] = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "*",
    ];
    methods.sort_by_key(|m| ORDER.iter().position(|o| o == m).unwrap_or(ORDER.len()));
    methods.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory_of(files: &[(&str, &str)]) -> Vec<Endpoint> {
        let files: Vec<SourceFile> = files
            .iter()
            .map(|(path, text)| SourceFile::in_memory(path, text))
            .collect();
        inventory(&files)
    }

    /// `METHODS path auth [scopes]` per endpoint.
    fn rows(endpoints: &[Endpoint]) -> Vec<String> {
        endpoints
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} [{}]",
                    e.methods.join(","),
                    e.path,
                    e.auth().unwrap_or_else(|| "-".to_string()),
                    e.scopes().join(",")
                )
            })
            .collect()
    }

    #[test]
    fn flask_blueprints_registered_in_another_file_through_a_package_re_export() {
        let endpoints = inventory_of(&[
            (
                "shop/app.py",
                "from flask import Flask\nfrom shop.api import bp\n\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix='/api/orders')\n",
            ),
            ("shop/api/__init__.py", "from .views import bp\n"),
            (
                "shop/api/views.py",
                "from flask import Blueprint\nfrom flask_jwt_extended import jwt_required\n\nbp = Blueprint('orders', __name__, url_prefix='/ignored')\n\n@bp.route('/<int:id>', methods=['GET', 'DELETE'])\n@jwt_required()\ndef order(id):\n    pass\n\n@bp.post('')\ndef create():\n    pass\n",
            ),
        ]);
        assert_eq!(
            rows(&endpoints),
            [
                "POST /api/orders - []",
                "GET,DELETE /api/orders/<int:id> jwt_required []",
            ]
        );
        assert_eq!(endpoints[1].handler.path, "shop/api/views.py");
        assert_eq!(endpoints[1].handler.line, 8);
    }

    #[test]
    fn fastapi_prefixes_and_scopes_from_every_level() {
        let endpoints = inventory_of(&[
            (
                "svc/main.py",
                "from fastapi import FastAPI, Depends\nfrom .routers import items\nfrom .auth import verify\n\napp = FastAPI()\napp.include_router(items.router, prefix='/v1', dependencies=[Depends(verify)])\n",
            ),
            (
                "svc/auth.py",
                "from fastapi.security import OAuth2PasswordBearer\nfrom fastapi import Depends\nscheme = OAuth2PasswordBearer(tokenUrl='t')\ndef verify(token: str = Depends(scheme)):\n    return token\n",
            ),
            (
                "svc/routers/items.py",
                "from fastapi import APIRouter, Security\nfrom ..auth import verify\nrouter = APIRouter(prefix='/items')\n\n@router.get('/{item_id}')\ndef read(item_id: int, u=Security(verify, scopes=['items:read'])):\n    pass\n",
            ),
        ]);
        assert_eq!(
            rows(&endpoints),
            ["GET /v1/items/{item_id} Depends(verify), Security(verify) [items:read]"]
        );
    }

    #[test]
    fn django_includes_regexes_and_routers_are_joined() {
        let endpoints = inventory_of(&[
            (
                "proj/settings.py",
                "ROOT_URLCONF = 'proj.urls'\nINSTALLED_APPS = ['rest_framework']\nREST_FRAMEWORK = {'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated']}\n",
            ),
            (
                "proj/urls.py",
                "from django.urls import include, path\nurlpatterns = [path('shop/', include('shop.urls'))]\n",
            ),
            (
                "shop/urls.py",
                "from django.urls import re_path\nfrom rest_framework.routers import DefaultRouter\nfrom . import views\nrouter = DefaultRouter()\nrouter.register('carts', views.CartViewSet)\nurlpatterns = [re_path(r'^orders/(?P<pk>\\d+)/$', views.order)]\nurlpatterns += router.urls\n",
            ),
            (
                "shop/views.py",
                "from django.contrib.auth.decorators import permission_required\nfrom rest_framework.viewsets import ReadOnlyModelViewSet\n\n@permission_required('shop.view_order')\ndef order(request, pk):\n    pass\n\nclass CartViewSet(ReadOnlyModelViewSet):\n    lookup_field = 'uuid'\n",
            ),
        ]);
        assert_eq!(
            rows(&endpoints),
            [
                "GET /shop/carts/ IsAuthenticated []",
                "GET /shop/carts/<uuid>/ IsAuthenticated []",
                "GET /shop/orders/(?P<pk>\\d+)/ permission_required [shop.view_order]",
            ]
        );
    }

    #[test]
    fn aiohttp_sub_applications_inherit_middlewares_and_prefixes() {
        let endpoints = inventory_of(&[(
            "app.py",
            "from aiohttp import web\n\n@web.middleware\nasync def auth_middleware(request, handler):\n    return await handler(request)\n\nasync def create(request):\n    pass\n\ndef make():\n    app = web.Application()\n    admin = web.Application(middlewares=[auth_middleware])\n    admin.router.add_post('/users', create)\n    app.add_subapp('/admin/', admin)\n    return app\n",
        )]);
        assert_eq!(
            rows(&endpoints),
            ["POST /admin/users middleware auth_middleware []"]
        );
    }

    #[test]
    fn registration_calls_of_fastapi_and_flask_restful() {
        let endpoints = inventory_of(&[
            (
                "svc.py",
                "from fastapi import FastAPI, Depends\nfrom .auth import get_current_user\n\ndef purge():\n    pass\n\napp = FastAPI()\napp.add_api_route('/purge', purge, methods=['DELETE'], dependencies=[Depends(get_current_user)])\n",
            ),
            (
                "legacy/api.py",
                "from flask import Flask\nfrom flask_restful import Api, Resource\nfrom flask_login import login_required\n\napp = Flask(__name__)\napi = Api(app, prefix='/v1')\n\nclass Order(Resource):\n    method_decorators = [login_required]\n    def get(self, id):\n        pass\n    def delete(self, id):\n        pass\n\napi.add_resource(Order, '/orders/<int:id>')\n",
            ),
        ]);
        assert_eq!(
            rows(&endpoints),
            [
                "DELETE /purge Depends(get_current_user) []",
                "GET,DELETE /v1/orders/<int:id> login_required []",
            ]
        );
    }

    #[test]
    fn check_arguments_that_could_be_keys_are_never_shown_as_scopes() {
        let endpoints = inventory_of(&[(
            "svc.py",
            "from flask import Flask, request\nimport jwt\n\napp = Flask(__name__)\n\ndef verify_token(token, key):\n    return token\n\n@app.post('/jobs')\ndef jobs():\n    jwt.decode(request.headers['Authorization'], 'mysupersecretkey', algorithms=['HS256'])\n\n@app.post('/runs')\ndef runs():\n    verify_token(request.headers['X-Token'], 'Zx9-kq2LmN8pR4sT7vWy')\n    check_permission(request, 'runs:write')\n",
        )]);
        let rows = rows(&endpoints);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows[0].ends_with("[]"), "{rows:?}");
        assert!(rows[1].ends_with("[runs:write]"), "{rows:?}");
    }

    #[test]
    fn public_endpoints_say_why_and_test_routes_are_left_out() {
        let endpoints = inventory_of(&[
            (
                "app/auth.py",
                "from fastapi import APIRouter\nrouter = APIRouter(prefix='/auth')\n\n@router.post('/token')\ndef login_access_token():\n    pass\n\n@router.post('/password-recovery/{email}')\ndef recover_password(email: str):\n    pass\n\n@router.post('/reset-password/')\ndef reset_password(new_password: str):\n    pass\n\n@router.post('/users/{user_id}/token')\ndef make_token(user_id: int):\n    pass\n",
            ),
            (
                "tests/test_auth.py",
                "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post('/fake-login')\ndef fake():\n    pass\n",
            ),
        ]);
        assert_eq!(
            rows(&endpoints),
            [
                "POST /auth/password-recovery/{email} public (password reset) []",
                "POST /auth/reset-password/ - []",
                "POST /auth/token public (login) []",
                "POST /auth/users/{user_id}/token - []",
            ]
        );
    }

    #[test]
    fn broken_and_python2_files_do_not_stop_the_inventory() {
        let endpoints = inventory_of(&[
            (
                "legacy.py",
                "from flask import Flask\napp = Flask(__name__)\nprint 'hello'\n\n@app.post('/jobs')\ndef jobs():\n    pass\n",
            ),
            ("broken.py", "from fastapi import (\n\x00\x01 def ("),
        ]);
        assert_eq!(rows(&endpoints), ["POST /jobs - []"]);
    }
}
