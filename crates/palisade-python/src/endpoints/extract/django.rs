//! Django and Django REST framework: `urlpatterns` entries (`path`, `re_path`, `include`,
//! `as_view`, wrappers), the settings the inventory needs (`INSTALLED_APPS`,
//! `REST_FRAMEWORK`, `ROOT_URLCONF`, `MIDDLEWARE`), DRF router registrations, permission
//! classes and `@action`s. (Joining them into endpoints is `endpoints::django`.)

use super::Extractor;
use crate::endpoints::facts::{
    Call, DrfAction, Ref, RouterRegistration, Settings, UrlEntry, UrlTarget, last,
};
use crate::endpoints::syntax::{
    Args, MAX_NESTING, args, dotted, elements, is_true, string_value, strings_in,
};
use crate::grammar::field;
use palisade_core::Location;
use tree_sitter::Node;

impl<'t> Extractor<'t, '_> {
    /// `urlpatterns = [...]`, the settings the inventory reads, and
    /// `REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [...]`; returns whether the assignment
    /// is done with.
    pub(super) fn django_assignment(
        &mut self,
        node: Node<'_>,
        left: Node<'_>,
        right: Node<'_>,
        augmented: bool,
        at_module: bool,
    ) -> bool {
        let target = self.text(left);
        if target == "urlpatterns" {
            let entries = self.url_entries(right);
            let list = self.facts.urlpatterns.get_or_insert_with(Vec::new);
            if !augmented {
                list.clear();
            }
            list.extend(entries);
            return true;
        }
        if at_module && (!augmented || target == "INSTALLED_APPS" || target.contains("MIDDLEWARE"))
        {
            self.settings_assignment(left, right);
        }
        if left.kind() == "subscript" && at_module {
            // `REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [...]`.
            if let (Some(value), Some(key)) = (
                left.child_by_field_id(*field::VALUE),
                left.child_by_field_id(*field::SUBSCRIPT),
            ) && self.text(value) == "REST_FRAMEWORK"
                && string_value(key, self.src).as_deref() == Some("DEFAULT_PERMISSION_CLASSES")
            {
                let refs = self.permission_refs(right);
                let location = self.location(node);
                let settings = self.facts.settings.get_or_insert_with(Settings::default);
                settings.default_permissions = Some((refs, location));
            }
            return true;
        }
        false
    }

    /// `@action(detail=True, methods=["post"], url_path="cancel")` on a viewset method.
    pub(super) fn drf_action(
        &self,
        decorator: Node<'_>,
        name: &str,
        def: Node<'_>,
    ) -> Option<DrfAction> {
        if decorator.kind() != "call" {
            return None;
        }
        let function = decorator.child_by_field_id(*field::FUNCTION)?;
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

    /// Permission classes given as names or dotted strings.
    pub(super) fn permission_refs(&self, value: Node<'_>) -> Vec<Ref> {
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

    pub(super) fn settings_assignment(&mut self, left: Node<'_>, right: Node<'_>) {
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
                            pair.child_by_field_id(*field::KEY),
                            pair.child_by_field_id(*field::VALUE),
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
            // `MIDDLEWARE`, the old `MIDDLEWARE_CLASSES`, and lists named after them that
            // `MIDDLEWARE` is assigned from (`MIDDLEWARE = DJANGO_MIDDLEWARE_CLASSES`).
            name if name.contains("MIDDLEWARE") => {
                let mut found = Vec::new();
                self.middleware_strings(right, 0, &mut found);
                if !name.starts_with("MIDDLEWARE") {
                    self.string_lists.insert(name.to_string(), found);
                    return;
                }
                let settings = self.facts.settings.get_or_insert_with(Settings::default);
                for m in found {
                    if !settings.middleware.contains(&m) {
                        settings.middleware.push(m);
                    }
                }
            }
            "LOGIN_EXEMPT_URLS" => {
                let patterns: Vec<String> = elements(right)
                    .into_iter()
                    .filter(|e| e.kind() == "string")
                    .map(|e| regex_text(self.text(e)))
                    .collect();
                let settings = self.facts.settings.get_or_insert_with(Settings::default);
                settings.login_exempt.extend(patterns);
            }
            name if matches!(right.kind(), "list" | "tuple") => {
                let strings = strings_in(right, self.src);
                if !strings.is_empty() && strings.len() == elements(right).len() {
                    self.string_lists.insert(name.to_string(), strings);
                }
            }
            _ => {}
        }
    }

    /// The middleware paths a settings value names: string literals, lists and tuples,
    /// `*spread` and `+` operands, `list(...)`, and names of string lists assigned earlier in
    /// the module.
    fn middleware_strings(&self, node: Node<'_>, depth: usize, out: &mut Vec<String>) {
        if depth >= MAX_NESTING {
            return;
        }
        if let Some(s) = string_value(node, self.src) {
            out.push(s);
            return;
        }
        match node.kind() {
            "list"
            | "tuple"
            | "parenthesized_expression"
            | "list_splat"
            | "binary_operator"
            | "argument_list" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.middleware_strings(child, depth + 1, out);
                }
            }
            "call" => {
                if let Some(a) = node.child_by_field_id(*field::ARGUMENTS) {
                    self.middleware_strings(a, depth + 1, out);
                }
            }
            "identifier" => {
                if let Some(list) = self.string_lists.get(self.text(node)) {
                    out.extend(list.iter().cloned());
                }
            }
            _ => {}
        }
    }

    /// The entries of a `urlpatterns` value: a list, `router.urls`, or a sum of those.
    pub(super) fn url_entries(&self, value: Node<'_>) -> Vec<UrlEntry> {
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
                    if let Some(right) = current.child_by_field_id(*field::RIGHT) {
                        operands.push(right);
                    }
                    match current.child_by_field_id(*field::LEFT) {
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
                    .child_by_field_id(*field::OBJECT)
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
    pub(super) fn url_entry(&self, node: Node<'_>) -> Option<UrlEntry> {
        if node.kind() != "call" {
            return None;
        }
        let function = node.child_by_field_id(*field::FUNCTION)?;
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

    pub(super) fn url_target(&self, view: Node<'_>, wrappers: &mut Vec<Call>) -> UrlTarget {
        match view.kind() {
            "identifier" | "attribute" => {
                let t = self.text(view);
                if t.ends_with("site.urls") {
                    return UrlTarget::Unknown;
                }
                if t.ends_with(".urls")
                    && let Some(r) = view
                        .child_by_field_id(*field::OBJECT)
                        .and_then(|o| self.reference(o))
                {
                    // `path("api/", router.urls)`.
                    return UrlTarget::Router(r);
                }
                self.reference(view)
                    .map_or(UrlTarget::Unknown, UrlTarget::View)
            }
            "call" => {
                let Some(function) = view.child_by_field_id(*field::FUNCTION) else {
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
                        && let Some(object) = first.child_by_field_id(*field::OBJECT)
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
                        .child_by_field_id(*field::OBJECT)
                        .and_then(|o| self.reference(o));
                    let mut actions = Vec::new();
                    if let Some(d) = a.positional.first().filter(|d| d.kind() == "dictionary") {
                        let mut cursor = d.walk();
                        for pair in d.named_children(&mut cursor) {
                            if let (Some(k), Some(v)) = (
                                pair.child_by_field_id(*field::KEY)
                                    .and_then(|k| string_value(k, self.src)),
                                pair.child_by_field_id(*field::VALUE)
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
                if wrappers.len() >= MAX_NESTING {
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

    /// `router.register("orders", OrderViewSet)`.
    pub(super) fn drf_router_register(&mut self, router: &str, a: &Args<'_>, location: Location) {
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
}

/// The text of a (raw, formatted) string literal as a regular expression: prefixes and
/// quotes removed, interpolations (`{URL_PREFIX}`, usually empty) dropped.
fn regex_text(literal: &str) -> String {
    let body = literal.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let formatted = literal.len() - body.len() > 0
        && literal[..literal.len() - body.len()]
            .chars()
            .any(|c| c == 'f' || c == 'F');
    let body = body.trim_matches(|c| c == '"' || c == '\'');
    if !formatted {
        return body.to_string();
    }
    let mut out = String::new();
    let mut depth = 0usize;
    for c in body.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}
