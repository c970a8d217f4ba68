//! Mounts: a blueprint registered on an app, a router included in an app, a sub-application
//! — and the prefix it is mounted under, as the inventory shows it.

use super::Extractor;
use crate::endpoints::facts::Mount;
use crate::endpoints::is_module_level;
use crate::endpoints::syntax::{Args, string_value};
use crate::grammar::field;
use palisade_core::Location;
use tree_sitter::Node;

impl<'t> Extractor<'t, '_> {
    /// Records `parent` mounting `child` under `prefix` (a blueprint, a router, a sub-app),
    /// with the dependencies the mount adds to everything under it.
    pub(super) fn push_mount(
        &mut self,
        parent: &str,
        child: Option<Node<'_>>,
        prefix: Option<Node<'_>>,
        a: &Args<'_>,
        location: Location,
    ) {
        let dev_only = child.is_some_and(|c| self.in_development_branch(c));
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
            prefix: prefix.map(|p| self.prefix_value(p)),
            dependencies,
            location,
            dev_only,
        });
    }

    /// Whether `node` is in the body of an `if` that holds only in development
    /// (`if settings.ENVIRONMENT == "local":`, `if settings.FASTAPI_ENV == "development":`,
    /// `if settings.DEBUG:`): what it mounts is not part of the deployed product.
    fn in_development_branch(&self, node: Node<'_>) -> bool {
        let mut current = node;
        while let Some(parent) = current.parent() {
            if parent.kind() == "if_statement"
                && parent
                    .child_by_field_id(*field::CONSEQUENCE)
                    .is_some_and(|c| c.id() == current.id())
                && parent
                    .child_by_field_id(*field::CONDITION)
                    .is_some_and(|c| self.is_development_condition(c))
            {
                return true;
            }
            current = parent;
        }
        false
    }

    fn is_development_condition(&self, condition: Node<'_>) -> bool {
        match condition.kind() {
            "identifier" | "attribute" => {
                let text = self.text(condition);
                let last = text.rsplit('.').next().unwrap_or(text);
                last == "DEBUG" || last == "debug"
            }
            "comparison_operator" => {
                let mut cursor = condition.walk();
                let equality = condition
                    .children_by_field_name("operators", &mut cursor)
                    .all(|o| self.text(o) == "==");
                let mut cursor = condition.walk();
                equality
                    && condition.named_children(&mut cursor).any(|side| {
                        string_value(side, self.src).is_some_and(|v| {
                            matches!(
                                v.to_ascii_lowercase().as_str(),
                                "local" | "dev" | "development"
                            )
                        })
                    })
            }
            _ => false,
        }
    }

    /// A URL prefix as the inventory shows it: the string, or, when it is computed, the
    /// expression in braces (`{settings.API_PREFIX}`, `f"{API}/v1"` as `{API}/v1`), so that
    /// a prefix the source does not spell out is still visible and never dropped.
    pub(super) fn prefix_value(&self, node: Node<'_>) -> String {
        if let Some(s) = string_value(node, self.src) {
            return s;
        }
        // `user_prefix = "/users"` … `include_router(r, prefix=user_prefix)`.
        if node.kind() == "identifier" {
            let name = self.text(node);
            let values: Vec<Node<'_>> = self
                .assignments
                .iter()
                .filter(|a| is_module_level(self.model, **a))
                .filter(|a| {
                    a.child_by_field_id(*field::LEFT)
                        .is_some_and(|l| self.text(l) == name)
                })
                .filter_map(|a| a.child_by_field_id(*field::RIGHT))
                .collect();
            if let [value] = values.as_slice()
                && let Some(s) = string_value(*value, self.src)
            {
                return s;
            }
        }
        let t = self.text(node);
        if node.kind() == "string"
            && let Some(rest) = t.strip_prefix(['f', 'F'])
        {
            return rest.trim_matches(|c| c == '"' || c == '\'').to_string();
        }
        format!("{{{t}}}")
    }
}
