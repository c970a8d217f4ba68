//! String interpreters: f-strings, `+` and `%` on strings, `str.format` and `str.join` —
//! the text each builds, with a hole wherever a part is not known to be constant.

use super::*;
use crate::grammar::field;

impl<'m, 't> Eval<'m, 't> {
    pub(super) fn string(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let formatted = e
            .child(0)
            .is_some_and(|s| self.text(s).contains(['f', 'F']));
        let mut out: Value<'t> = text_value("");
        for child in named(e) {
            match child.kind() {
                "string_start" | "string_end" => {}
                "string_content" | "escape_interpolation" => {
                    let mut t = self.text(child).to_string();
                    if formatted {
                        t = t.replace("{{", "{").replace("}}", "}");
                    }
                    out = self.concat(&out, &text_value(t));
                }
                "interpolation" => {
                    let numeric = child
                        .child_by_field_id(*field::FORMAT_SPECIFIER)
                        .is_some_and(|s| numeric_spec(self.text(s)));
                    let value = match child.child_by_field_id(*field::EXPRESSION) {
                        _ if numeric => constant(),
                        Some(expr) => mark(self.eval(expr, depth), e, expr),
                        None => constant(),
                    };
                    out = self.concat(&out, &value);
                }
                _ => {}
            }
        }
        out
    }

    pub(super) fn binary(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        let (Some(l), Some(r), Some(op)) = (
            e.child_by_field_id(*field::LEFT),
            e.child_by_field_id(*field::RIGHT),
            e.child_by_field_id(*field::OPERATOR),
        ) else {
            return self.other(e);
        };
        match self.text(op) {
            "+" => {
                if [l, r]
                    .iter()
                    .any(|x| matches!(x.kind(), "integer" | "float"))
                {
                    return constant(); // arithmetic
                }
                self.concat(
                    &mark(self.eval(l, depth), e, l),
                    &mark(self.eval(r, depth), e, r),
                )
            }
            "%" => self.percent(e, l, r, depth),
            "*" => {
                let sequence = |x: Node<'_>| {
                    matches!(
                        x.kind(),
                        "string"
                            | "concatenated_string"
                            | "list"
                            | "tuple"
                            | "parenthesized_expression"
                    )
                };
                if sequence(l) {
                    self.eval(l, depth)
                } else if sequence(r) {
                    self.eval(r, depth)
                } else {
                    constant()
                }
            }
            _ => constant(),
        }
    }

    /// `fmt % args`.
    pub(super) fn percent(&self, e: Node<'t>, l: Node<'t>, r: Node<'t>, depth: u32) -> Value<'t> {
        if matches!(l.kind(), "integer" | "float") {
            return constant();
        }
        let formats = self.eval(l, depth);
        let args = match r.kind() {
            "tuple" => FormatArgs::Positional(named(r)),
            "parenthesized_expression" if r.named_child(0).is_some_and(|c| c.kind() == "tuple") => {
                FormatArgs::Positional(r.named_child(0).map(named).unwrap_or_default())
            }
            "dictionary" => {
                let mut keyed = HashMap::new();
                for pair in named(r) {
                    if let (Some(k), Some(v)) = (
                        pair.child_by_field_id(*field::KEY),
                        pair.child_by_field_id(*field::VALUE),
                    ) && let Some(key) =
                        self.eval(k, depth).first().and_then(Construction::all_text)
                    {
                        keyed.insert(key, v);
                    }
                }
                FormatArgs::Keyed(keyed)
            }
            "call" if self.is_locals(r) => FormatArgs::Locals(r),
            _ => FormatArgs::Whole(r),
        };
        let mut out = Vec::new();
        for format in &formats {
            let value = match format.all_text() {
                Some(text) => self.apply_percent(&text, &args, e, depth),
                None => self.concat(&vec![format.clone()], &self.eval(r, depth)),
            };
            out = union(out, value);
        }
        mark(out, e, r)
    }

    pub(super) fn is_locals(&self, call: Node<'t>) -> bool {
        call.child_by_field_id(*field::FUNCTION)
            .is_some_and(|f| matches!(self.text(f), "locals" | "vars"))
            && positional(call).is_empty()
    }

    pub(super) fn apply_percent(
        &self,
        text: &str,
        args: &FormatArgs<'t>,
        entry: Node<'t>,
        depth: u32,
    ) -> Value<'t> {
        let eval = |n: Node<'t>| mark(self.eval(n, depth), entry, n);
        let mut out = text_value("");
        let mut literal = String::new();
        let mut next = 0usize;
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                literal.push(c);
                i += 1;
                continue;
            }
            let mut j = i + 1;
            if chars.get(j) == Some(&'%') {
                literal.push('%');
                i = j + 1;
                continue;
            }
            let mut key = None;
            if chars.get(j) == Some(&'(')
                && let Some(close) = chars[j..].iter().position(|&c| c == ')')
            {
                key = Some(chars[j + 1..j + close].iter().collect::<String>());
                j += close + 1;
            }
            while j < chars.len() && "#0- +*.0123456789hlL".contains(chars[j]) {
                j += 1;
            }
            let Some(&conversion) = chars.get(j) else {
                literal.push_str(&chars[i..].iter().collect::<String>());
                break;
            };
            out = self.concat(&out, &text_value(std::mem::take(&mut literal)));
            let value = if "diouxXeEfFgGc".contains(conversion) {
                if key.is_none() {
                    next += 1;
                }
                constant()
            } else {
                match (args, &key) {
                    (FormatArgs::Positional(list), None) => {
                        let v = list.get(next).map_or_else(constant, |n| eval(*n));
                        next += 1;
                        v
                    }
                    (FormatArgs::Keyed(map), Some(k)) => {
                        map.get(k).map_or_else(constant, |n| eval(*n))
                    }
                    (FormatArgs::Locals(call), Some(k)) => {
                        self.name_at(k, *call, View::Value, depth)
                    }
                    (FormatArgs::Whole(n), _) => eval(*n),
                    _ => constant(),
                }
            };
            out = self.concat(&out, &value);
            i = j + 1;
        }
        self.concat(&out, &text_value(literal))
    }

    /// `fmt.format(...)` on a string.
    pub(super) fn format_method(
        &self,
        call: Node<'t>,
        receiver: Node<'t>,
        depth: u32,
    ) -> Value<'t> {
        let formats = self.eval(receiver, depth);
        let positional_args = positional(call);
        let mut keyed = HashMap::new();
        let mut splat = None;
        let mut locals = None;
        if let Some(arguments) = call.child_by_field_id(*field::ARGUMENTS) {
            for a in named(arguments) {
                match a.kind() {
                    "keyword_argument" => {
                        if let (Some(n), Some(v)) = (
                            a.child_by_field_id(*field::NAME),
                            a.child_by_field_id(*field::VALUE),
                        ) {
                            keyed.insert(self.text(n).to_string(), v);
                        }
                    }
                    "dictionary_splat" | "list_splat" => {
                        if let Some(inner) = a.named_child(0) {
                            if inner.kind() == "call" && self.is_locals(inner) {
                                locals = Some(inner);
                            } else {
                                splat = Some(inner);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for format in &formats {
            let value = match format.all_text() {
                Some(text) => {
                    let fields = FormatFields {
                        positional: &positional_args,
                        keyed: &keyed,
                        splat,
                        locals,
                    };
                    self.apply_format(&text, &fields, call, depth)
                }
                None => {
                    let mut v = vec![format.clone()];
                    for a in &positional_args {
                        v = self.concat(&v, &self.eval(*a, depth));
                    }
                    for a in keyed.values() {
                        v = self.concat(&v, &self.eval(*a, depth));
                    }
                    v
                }
            };
            out = union(out, value);
        }
        mark(out, call, call)
    }

    pub(super) fn apply_format(
        &self,
        text: &str,
        fields: &FormatFields<'_, 't>,
        entry: Node<'t>,
        depth: u32,
    ) -> Value<'t> {
        let eval = |n: Node<'t>| mark(self.eval(n, depth), entry, n);
        let mut out = text_value("");
        let mut literal = String::new();
        let mut auto = 0usize;
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if (c == '{' || c == '}') && chars.get(i + 1) == Some(&c) {
                literal.push(c);
                i += 2;
                continue;
            }
            if c != '{' {
                literal.push(c);
                i += 1;
                continue;
            }
            let Some(close) = chars[i..].iter().position(|&c| c == '}') else {
                literal.push_str(&chars[i..].iter().collect::<String>());
                break;
            };
            let field: String = chars[i + 1..i + close].iter().collect();
            i += close + 1;
            out = self.concat(&out, &text_value(std::mem::take(&mut literal)));
            let (name_part, spec) = match field.split_once(':') {
                Some((n, s)) => (n, Some(s)),
                None => (field.as_str(), None),
            };
            let name_part = name_part.split('!').next().unwrap_or("");
            let base: String = name_part
                .chars()
                .take_while(|c| *c != '.' && *c != '[')
                .collect();
            let value = if spec.is_some_and(numeric_spec) {
                constant()
            } else if base.is_empty() || base.chars().all(|c| c.is_ascii_digit()) {
                let index = if base.is_empty() {
                    auto += 1;
                    auto - 1
                } else {
                    base.parse().unwrap_or(0)
                };
                match (fields.positional.get(index), fields.splat) {
                    (Some(n), _) => eval(*n),
                    (None, Some(s)) => mark(self.elements(s, None, depth), entry, s),
                    (None, None) => constant(),
                }
            } else if let Some(n) = fields.keyed.get(&base) {
                eval(*n)
            } else if let Some(call) = fields.locals {
                self.name_at(&base, call, View::Value, depth)
            } else if let Some(s) = fields.splat {
                mark(self.values_of(s, depth), entry, s)
            } else {
                constant()
            };
            out = self.concat(&out, &value);
        }
        self.concat(&out, &text_value(literal))
    }

    /// `sep.join(iterable)`: the elements joined by the separator.
    pub(super) fn join(&self, call: Node<'t>, sep: Node<'t>, depth: u32) -> Value<'t> {
        let Some(iterable) = positional(call).first().copied() else {
            return constant();
        };
        let sep = self.eval(sep, depth);
        let sep: Value<'t> = sep.into_iter().take(1).collect();
        let elements = self.elements(iterable, None, depth);
        let mut out: Value<'t> = text_value("");
        for (i, element) in elements.into_iter().take(MAX_ELEMENTS).enumerate() {
            if i > 0 {
                out = self.concat(&out, &sep);
            }
            out = self.concat(&out, &vec![element]);
        }
        mark(out, call, iterable)
    }
}

pub(super) enum FormatArgs<'t> {
    Positional(Vec<Node<'t>>),
    Keyed(HashMap<String, Node<'t>>),
    Locals(Node<'t>),
    Whole(Node<'t>),
}

pub(super) struct FormatFields<'a, 't> {
    positional: &'a [Node<'t>],
    keyed: &'a HashMap<String, Node<'t>>,
    splat: Option<Node<'t>>,
    locals: Option<Node<'t>>,
}

/// Whether a format spec (`:d`, `>10.2f`, `,`) formats a number.
pub(super) fn numeric_spec(spec: &str) -> bool {
    let spec = spec.trim().trim_start_matches(':');
    spec.chars()
        .last()
        .is_some_and(|c| "bcdoxXneEfFgG%".contains(c))
}

/// String methods whose result is built from the receiver's text.
pub(super) const STRING_METHODS: &[&str] = &[
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "title",
    "capitalize",
    "casefold",
    "swapcase",
    "removeprefix",
    "removesuffix",
    "center",
    "ljust",
    "rjust",
    "encode",
    "decode",
    "expandtabs",
];
