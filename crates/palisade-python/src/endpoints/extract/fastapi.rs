//! FastAPI (and Starlette beneath it): `Depends`/`Security` dependencies with their scopes,
//! `Annotated` dependency aliases, security schemes, `include_router`, `mount`,
//! `add_api_route` and middlewares.

use super::Extractor;
use crate::endpoints::facts::{Dependency, DependencyAlias, Guard, Ref, Route, SecurityScheme};
use crate::endpoints::syntax::{Args, args, string_value, strings_in};
use crate::grammar::field;
use palisade_core::Location;
use tree_sitter::Node;

/// FastAPI's security scheme classes.
const SECURITY_SCHEMES: &[&str] = &[
    "OAuth2PasswordBearer",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2",
    "APIKeyHeader",
    "APIKeyQuery",
    "APIKeyCookie",
    "HTTPBearer",
    "HTTPBasic",
    "HTTPDigest",
    "OpenIdConnect",
];

impl<'t> Extractor<'t, '_> {
    /// `Depends(x)` / `Security(x, scopes=[...])`.
    pub(super) fn dependency(&self, node: Node<'_>) -> Option<Dependency> {
        if node.kind() != "call" {
            return None;
        }
        let function = node.child_by_field_id(*field::FUNCTION)?;
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
    pub(super) fn dependencies_in(&self, node: Node<'_>) -> Vec<Dependency> {
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

    /// `CurrentUser = Annotated[User, Depends(get_current_user)]` at module level: a name
    /// that stands for its dependencies wherever a parameter is annotated with it.
    pub(super) fn fastapi_annotated_alias(&mut self, value: Node<'_>, alias: &Ref) {
        let dependencies = self.dependencies_in(value);
        if !dependencies.is_empty() && self.text(value).starts_with("Annotated") {
            self.facts.aliases.push(DependencyAlias {
                qualified: alias.qualified.clone(),
                dependencies,
            });
        }
    }

    /// `oauth2 = OAuth2PasswordBearer(tokenUrl="token")`, `APIKeyHeader(...)`: a security
    /// scheme that dependencies can require; returns whether it was one.
    pub(super) fn fastapi_security_scheme(
        &mut self,
        node: Node<'_>,
        scheme: &Ref,
        callee: &Ref,
    ) -> bool {
        let class = callee.last();
        if !SECURITY_SCHEMES.contains(&class) {
            return false;
        }
        self.facts.schemes.push(SecurityScheme {
            qualified: scheme.qualified.clone(),
            class: class.to_string(),
            location: self.location(node),
        });
        true
    }

    /// `app.include_router(router, prefix="/v1", dependencies=[...])`.
    pub(super) fn fastapi_include_router(
        &mut self,
        parent: &str,
        a: &Args<'_>,
        location: Location,
    ) {
        let child = a.positional.first().copied().or(a.keyword("router"));
        self.push_mount(parent, child, a.keyword("prefix"), a, location);
    }

    /// `app.mount("/admin", admin_app)` (Starlette, and so FastAPI).
    pub(super) fn starlette_mount(&mut self, parent: &str, a: &Args<'_>, location: Location) {
        let child = a.positional.get(1).copied().or(a.keyword("app"));
        let prefix = a.positional.first().copied().or(a.keyword("path"));
        self.push_mount(parent, child, prefix, a, location);
    }

    /// `app.add_middleware(AuthMiddleware)`: a guard on every route of the app (Starlette's
    /// own `AuthenticationMiddleware` only identifies users; it refuses nobody).
    pub(super) fn starlette_add_middleware(
        &mut self,
        parent: &str,
        a: &Args<'_>,
        location: Location,
    ) {
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

    /// `app.add_api_route("/items", list_items, methods=["GET"])`.
    pub(super) fn fastapi_add_api_route(&mut self, owner: &str, a: &Args<'_>, location: Location) {
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
}
