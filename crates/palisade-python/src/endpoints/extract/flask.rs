//! Flask and Quart: `register_blueprint`, `before_request` guards, `add_url_rule`, and the
//! Flask-RESTful / Flask-RESTX `Api` with its `add_resource` routes. (Route decorators,
//! shared with FastAPI and aiohttp, are read with the definitions.)

use super::Extractor;
use crate::endpoints::facts::{Guard, Mount, Ref, Route};
use crate::endpoints::syntax::{Args, string_value, strings_in};
use palisade_core::Location;
use tree_sitter::Node;

impl<'t> Extractor<'t, '_> {
    /// `api = Api(bp, prefix="/v1")` (Flask-RESTful, Flask-RESTX): the API's resources live
    /// under the app or blueprint; returns whether it was one.
    pub(super) fn flask_restful_api(
        &mut self,
        node: Node<'_>,
        api: &Ref,
        callee: &Ref,
        a: &Args<'_>,
    ) -> bool {
        if !(callee.last() == "Api"
            && (callee.qualified.starts_with("flask_restful")
                || callee.qualified.starts_with("flask_restx")))
        {
            return false;
        }
        if let Some(parent) = a
            .positional
            .first()
            .copied()
            .or(a.keyword("app"))
            .and_then(|p| self.reference(p))
        {
            self.facts.mounts.push(Mount {
                parent,
                child: api.clone(),
                prefix: a.keyword("prefix").and_then(|p| string_value(p, self.src)),
                dependencies: Vec::new(),
                location: self.location(node),
                dev_only: false,
            });
        }
        true
    }

    /// `app.register_blueprint(bp, url_prefix="/api")`.
    pub(super) fn flask_register_blueprint(
        &mut self,
        parent: &str,
        a: &Args<'_>,
        location: Location,
    ) {
        let child = a.positional.first().copied().or(a.keyword("blueprint"));
        self.push_mount(parent, child, a.keyword("url_prefix"), a, location);
    }

    /// `app.before_request(require_login)`: a guard on every route of the app or blueprint.
    pub(super) fn flask_before_request(&mut self, parent: &str, a: &Args<'_>, location: Location) {
        if let Some(f) = a.positional.first().and_then(|f| self.reference(*f)) {
            self.facts.guards.push(Guard {
                owner: self.make_ref(parent),
                function: f,
                location,
            });
        }
    }

    /// `app.add_url_rule("/orders", view_func=create_order, methods=["POST"])`.
    pub(super) fn flask_url_rule(&mut self, owner: &str, call: Node<'_>, a: &Args<'_>) {
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

    /// Flask-RESTful / Flask-RESTX: `api.add_resource(OrderResource, "/orders/<int:id>")`.
    pub(super) fn flask_add_resource(&mut self, owner: &str, a: &Args<'_>, location: Location) {
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
}
