//! Collections: the elements of lists, tuples and sets, and the keys and values of dicts,
//! as far as they can be read from literals, comprehensions and the calls that build them.

use super::*;
use crate::grammar::field;

impl<'m, 't> Eval<'m, 't> {
    /// The possible elements of an iterable (one variant per element kind).
    pub(super) fn elements(&self, e: Node<'t>, index: Option<usize>, depth: u32) -> Value<'t> {
        if self.exhausted(depth) {
            return constant();
        }
        let d = depth + 1;
        match e.kind() {
            "list" | "tuple" | "set" | "expression_list" => {
                let mut out = Vec::new();
                for el in named(e) {
                    let v = match (el.kind(), index) {
                        ("list_splat", _) => match el.named_child(0) {
                            Some(inner) => self.elements(inner, index, d),
                            None => constant(),
                        },
                        ("tuple" | "list" | "parenthesized_expression", Some(i)) => {
                            let inner = if el.kind() == "parenthesized_expression" {
                                el.named_child(0).filter(|t| t.kind() == "tuple")
                            } else {
                                Some(el)
                            };
                            match inner.and_then(|t| named(t).get(i).copied()) {
                                Some(x) => self.eval(x, d),
                                None => self.eval(el, d),
                            }
                        }
                        _ => self.eval(el, d),
                    };
                    out = union(out, v);
                }
                if out.is_empty() { constant() } else { out }
            }
            "dictionary" | "dictionary_comprehension" => self.keys_of(e, d),
            "list_comprehension" | "generator_expression" | "set_comprehension" => {
                match e.child_by_field_id(*field::BODY) {
                    Some(body) => self.eval(body, d),
                    None => constant(),
                }
            }
            "parenthesized_expression" => match e.named_child(0) {
                Some(inner) => self.elements(inner, index, d),
                None => constant(),
            },
            "binary_operator" => {
                let (Some(l), Some(r), Some(op)) = (
                    e.child_by_field_id(*field::LEFT),
                    e.child_by_field_id(*field::RIGHT),
                    e.child_by_field_id(*field::OPERATOR),
                ) else {
                    return self.other(e);
                };
                match self.text(op) {
                    "*" => {
                        if matches!(l.kind(), "list" | "tuple" | "string") {
                            self.elements(l, index, d)
                        } else {
                            self.elements(r, index, d)
                        }
                    }
                    "+" => union(self.elements(l, index, d), self.elements(r, index, d)),
                    _ => self.fallback_elements(e, d),
                }
            }
            "call" => self.call_elements(e, index, d),
            "identifier" => {
                if let Some(value) =
                    self.comprehension_binding(e, self.text(e), View::Elements(index), d)
                {
                    return value;
                }
                let scope = scope_node(self.model, e);
                self.walk_name(
                    self.text(e),
                    scope,
                    e.start_byte(),
                    Some(e),
                    e,
                    View::Elements(index),
                    d,
                )
            }
            "attribute" => {
                let scope = scope_node(self.model, e);
                match self.model.dotted(e) {
                    Some(dotted) if self.index(scope).defs.contains_key(&dotted) => self.walk_name(
                        &dotted,
                        scope,
                        e.start_byte(),
                        Some(e),
                        e,
                        View::Elements(index),
                        d,
                    ),
                    _ => self.fallback_elements(e, d),
                }
            }
            _ => self.fallback_elements(e, d),
        }
    }

    pub(super) fn fallback_elements(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let value = self.eval(e, depth);
        if all_constant(&value) {
            constant()
        } else {
            value
        }
    }

    pub(super) fn call_elements(&self, e: Node<'t>, index: Option<usize>, depth: u32) -> Value<'t> {
        let Some(function) = e.child_by_field_id(*field::FUNCTION) else {
            return self.other(e);
        };
        let args = positional(e);
        if function.kind() == "attribute"
            && let (Some(object), Some(method)) = (
                function.child_by_field_id(*field::OBJECT),
                function.child_by_field_id(*field::ATTRIBUTE),
            )
        {
            match self.text(method) {
                "items" => {
                    return match index {
                        Some(0) => self.keys_of(object, depth),
                        Some(1) => self.values_of(object, depth),
                        _ => union(self.keys_of(object, depth), self.values_of(object, depth)),
                    };
                }
                "keys" => return self.keys_of(object, depth),
                "values" => return self.values_of(object, depth),
                "copy" => return self.elements(object, index, depth),
                _ => {}
            }
        }
        if function.kind() == "identifier"
            && self.model.resolve(function).is_none()
            && !self.defined_locally(self.text(function), function)
        {
            let arg = |i: usize| args.get(i).copied();
            match self.text(function) {
                "enumerate" => {
                    return match (index, arg(0)) {
                        (Some(0), _) => constant(),
                        (_, Some(a)) => self.elements(a, None, depth),
                        (_, None) => constant(),
                    };
                }
                "zip" => {
                    return match index {
                        Some(i) => arg(i).map_or_else(constant, |a| self.elements(a, None, depth)),
                        None => args.iter().fold(Vec::new(), |acc, a| {
                            union(acc, self.elements(*a, None, depth))
                        }),
                    };
                }
                "sorted" | "list" | "tuple" | "set" | "frozenset" | "reversed" | "iter" => {
                    return arg(0).map_or_else(constant, |a| self.elements(a, index, depth));
                }
                "filter" => {
                    return arg(1).map_or_else(constant, |a| self.elements(a, index, depth));
                }
                "range" => return constant(),
                "map" => {
                    let f = arg(0).map(|f| self.text(f));
                    return match (f, arg(1)) {
                        (Some("int" | "float" | "bool" | "len"), _) => constant(),
                        (Some("str"), Some(a)) => self.elements(a, index, depth),
                        _ => self.fallback_elements(e, depth),
                    };
                }
                _ => {}
            }
        }
        self.fallback_elements(e, depth)
    }

    pub(super) fn keys_of(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        self.dict_part(e, "key", depth)
    }

    pub(super) fn values_of(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        self.dict_part(e, "value", depth)
    }

    pub(super) fn dict_part(&self, e: Node<'t>, field: &str, depth: u32) -> Value<'t> {
        if self.exhausted(depth) {
            return constant();
        }
        let d = depth + 1;
        let view = if field == "key" {
            View::Keys
        } else {
            View::Values
        };
        match e.kind() {
            "dictionary" => {
                let mut out = Vec::new();
                for item in named(e) {
                    let v = match item.kind() {
                        "pair" => match item.child_by_field_name(field) {
                            Some(x) => self.eval(x, d),
                            None => constant(),
                        },
                        "dictionary_splat" => match item.named_child(0) {
                            Some(inner) => self.dict_part(inner, field, d),
                            None => constant(),
                        },
                        _ => constant(),
                    };
                    out = union(out, v);
                }
                if out.is_empty() { constant() } else { out }
            }
            "dictionary_comprehension" => {
                match e
                    .child_by_field_id(*field::BODY)
                    .and_then(|p| p.child_by_field_name(field))
                {
                    Some(x) => self.eval(x, d),
                    None => constant(),
                }
            }
            "call"
                if e.child_by_field_id(*field::FUNCTION)
                    .is_some_and(|f| self.text(f) == "dict" && self.model.resolve(f).is_none()) =>
            {
                let mut out = Vec::new();
                if let Some(arguments) = e.child_by_field_id(*field::ARGUMENTS) {
                    for a in named(arguments) {
                        let v = match (a.kind(), field) {
                            ("keyword_argument", "key") => constant(),
                            ("keyword_argument", _) => a
                                .child_by_field_id(*field::VALUE)
                                .map_or_else(constant, |v| self.eval(v, d)),
                            _ => self.dict_part(a, field, d),
                        };
                        out = union(out, v);
                    }
                }
                if out.is_empty() { constant() } else { out }
            }
            "identifier" => {
                let scope = scope_node(self.model, e);
                self.walk_name(self.text(e), scope, e.start_byte(), Some(e), e, view, d)
            }
            "attribute" => {
                let scope = scope_node(self.model, e);
                match self.model.dotted(e) {
                    Some(dotted) if self.index(scope).defs.contains_key(&dotted) => {
                        self.walk_name(&dotted, scope, e.start_byte(), Some(e), e, view, d)
                    }
                    _ => self.fallback_elements(e, d),
                }
            }
            _ => self.fallback_elements(e, d),
        }
    }
}
