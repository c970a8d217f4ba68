//! aiohttp: sub-applications, route tables and route lists (`web.post(...)` inside
//! `add_routes`), `app.router.add_*` calls and middlewares.

use super::Extractor;
use crate::endpoints::facts::{Guard, Mount, Ref, Route};
use crate::endpoints::syntax::{Args, dotted, elements, string_value};
use crate::grammar::field;
use palisade_core::Location;
use tree_sitter::Node;

impl<'t> Extractor<'t, '_> {
    /// `app.add_subapp("/admin", admin)`.
    pub(super) fn aiohttp_add_subapp(&mut self, parent: &str, a: &Args<'_>, location: Location) {
        let child = a.positional.get(1).copied().or(a.keyword("app"));
        let prefix = a.positional.first().copied().or(a.keyword("path"));
        self.push_mount(parent, child, prefix, a, location);
    }

    /// `app.add_routes(routes)` with a `RouteTableDef` or a list of routes.
    pub(super) fn aiohttp_add_routes(&mut self, parent: &str, a: &Args<'_>, location: Location) {
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
                dev_only: false,
            });
        }
    }

    /// `app.middlewares.append(auth_middleware)`: a guard on every route of the app.
    pub(super) fn aiohttp_middlewares_append(
        &mut self,
        parent: &str,
        a: &Args<'_>,
        location: Location,
    ) {
        if let Some(m) = a.positional.first().and_then(|f| self.reference(*f)) {
            let owner = parent.trim_end_matches(".middlewares");
            self.facts.guards.push(Guard {
                owner: self.make_ref(owner),
                function: m,
                location,
            });
        }
    }

    /// `web.Application(middlewares=[auth_middleware])`: each middleware guards the app.
    pub(super) fn aiohttp_application_middlewares(&mut self, app: &Ref, a: &Args<'_>) {
        let Some(middlewares) = a.keyword("middlewares") else {
            return;
        };
        for m in elements(middlewares) {
            if let Some(function) = self.as_call(m).map(|c| c.callee) {
                self.facts.guards.push(Guard {
                    owner: app.clone(),
                    function,
                    location: self.location(m),
                });
            }
        }
    }

    /// `app.router.add_post("/orders", create_order)`, `add_route("PUT", ...)`, `add_view`.
    pub(super) fn aiohttp_router_call(
        &mut self,
        owner: &str,
        method: &str,
        call: Node<'_>,
        a: &Args<'_>,
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
    pub(super) fn aiohttp_web_route(&mut self, method: &str, call: Node<'_>, a: &Args<'_>) {
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
                    if let Some(f) = n.child_by_field_id(*field::FUNCTION)
                        && let Some(d) = dotted(f, self.src)
                        && let Some(app) = d.strip_suffix(".add_routes")
                    {
                        owner = Some(self.make_ref(app));
                        break;
                    }
                }
                "assignment" | "augmented_assignment" => {
                    if let Some(left) = n.child_by_field_id(*field::LEFT) {
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
