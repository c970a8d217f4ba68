//! The evaluator: what an expression is built from, following names back through their
//! definitions (see the module documentation of [`crate::flow`]).
//!
//! This module holds the value algebra (constants, holes, concatenation under a budget) and
//! the dispatch on expression kinds; the interpreters live beside it: [`strings`] (`%`,
//! `.format`, f-strings, `join`), [`names`] (identifiers, attribute chains, where outside
//! data enters), [`calls`] (return values, quoting, composition), [`collections`] (elements,
//! keys and values) and [`guards`] (allow-list checks).

use super::index::{Def, DefKind, NodeRef, ScopeIndex, dominates, is_ancestor, reaching};
use super::*;
use crate::grammar::field;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

mod calls;
mod collections;
mod guards;
mod names;
mod strings;

use names::*;
use strings::*;

pub(super) fn constant<'t>() -> Value<'t> {
    vec![Construction {
        parts: vec![Part::Constant],
    }]
}

fn text_value<'t>(text: impl Into<String>) -> Value<'t> {
    vec![Construction::text(text)]
}

fn hole<'t>(origin: Origin, source: Node<'t>) -> Value<'t> {
    vec![Construction {
        parts: vec![Part::Hole(Hole {
            origin,
            source,
            entry: None,
            written: None,
        })],
    }]
}

fn union<'t>(mut a: Value<'t>, b: Value<'t>) -> Value<'t> {
    for c in b {
        if a.len() >= MAX_VARIANTS {
            break;
        }
        a.push(c);
    }
    a
}

/// Every variant of `a` followed by every variant of `b` (bounded).
fn concat<'t>(a: &Value<'t>, b: &Value<'t>) -> Value<'t> {
    if a.is_empty() {
        return b.clone();
    }
    if b.is_empty() {
        return a.clone();
    }
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if out.len() >= MAX_VARIANTS {
                return out;
            }
            let mut c = x.clone();
            for part in &y.parts {
                c.push(part.clone());
            }
            out.push(c);
        }
    }
    out
}

/// The size of a value, for the work budget.
fn size(value: &Value<'_>) -> u64 {
    value
        .iter()
        .map(|c| {
            c.parts
                .iter()
                .map(|p| match p {
                    Part::Text(t) => 1 + t.len() as u64 / 32,
                    _ => 1,
                })
                .sum::<u64>()
        })
        .sum()
}

/// Records, on every hole that has no entry yet, that it joined the text at `entry` through
/// the operand `written`.
fn mark<'t>(mut value: Value<'t>, entry: Node<'t>, written: Node<'t>) -> Value<'t> {
    for c in &mut value {
        for p in &mut c.parts {
            if let Part::Hole(h) = p
                && h.entry.is_none()
            {
                h.entry = Some(entry);
                h.written = Some(written);
            }
        }
    }
    value
}

fn all_constant(value: &Value<'_>) -> bool {
    value.iter().all(Construction::is_constant)
}

fn first_outside<'v, 't>(value: &'v Value<'t>) -> Option<&'v Hole<'t>> {
    value
        .iter()
        .flat_map(Construction::holes)
        .find(|h| h.origin.is_outside())
}

/// What is wanted of a name: its value, the elements of the collection it holds, or the
/// keys or values of the dict it holds.
#[derive(Clone, Copy)]
enum View {
    Value,
    Elements(Option<usize>),
    Keys,
    Values,
}

pub(super) struct Eval<'m, 't> {
    model: &'m Model<'t>,
    pub(super) root: Node<'t>,
    steps: Cell<u32>,
}

impl<'m, 't> Eval<'m, 't> {
    pub(super) fn new(model: &'m Model<'t>, any: Node<'t>) -> Self {
        Eval {
            model,
            root: model.root_of(any),
            steps: Cell::new(0),
        }
    }

    pub(super) fn index(&self, scope: Node<'t>) -> Rc<ScopeIndex> {
        let key = NodeRef::of(scope);
        if let Some(index) = self.model.flow.scopes.borrow().get(&key) {
            return Rc::clone(index);
        }
        let built = Rc::new(ScopeIndex::build(self.model, scope));
        self.model
            .flow
            .scopes
            .borrow_mut()
            .insert(key, Rc::clone(&built));
        built
    }

    /// The definitions of `name` in a scope that take effect before `pos` (the latest
    /// [`MAX_DEFS`] of them), as nodes; `None` when the scope never assigns the name (or
    /// declares it `global`).
    pub(super) fn defs(
        &self,
        index: &ScopeIndex,
        name: &str,
        pos: usize,
    ) -> Option<Vec<Def<Node<'t>>>> {
        if index.globals.contains(name) {
            return None;
        }
        let defs = index.defs.get(name)?;
        let before = defs.partition_point(|d| d.end <= pos);
        let first = before.saturating_sub(MAX_DEFS);
        self.charge((before - first) as u64);
        Some(
            defs[first..before]
                .iter()
                .filter_map(|d| {
                    Some(Def {
                        node: d.node.resolve(self.root)?,
                        end: d.end,
                        kind: d.kind.map(|n| n.resolve(self.root))?,
                    })
                })
                .collect(),
        )
    }

    pub(super) fn body(&self, index: &ScopeIndex) -> Node<'t> {
        index.body.resolve(self.root).unwrap_or(self.root)
    }

    fn function(&self, index: &ScopeIndex, name: &str) -> Option<Node<'t>> {
        index.functions.get(name)?.resolve(self.root)
    }

    fn text(&self, node: Node<'_>) -> &'t str {
        self.model.text(node)
    }

    /// Counts a step; true when a budget is spent.
    fn exhausted(&self, depth: u32) -> bool {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        self.charge(1);
        steps > MAX_STEPS || depth > MAX_DEPTH || self.model.flow.work.get() > FILE_BUDGET
    }

    fn charge(&self, work: u64) {
        let spent = &self.model.flow.work;
        spent.set(spent.get().saturating_add(work));
    }

    /// [`concat`], charged to the file's work budget.
    fn concat(&self, a: &Value<'t>, b: &Value<'t>) -> Value<'t> {
        let out = concat(a, b);
        self.charge(size(&out));
        out
    }

    fn other(&self, node: Node<'t>) -> Value<'t> {
        hole(Origin::Other(short(self.text(node))), node)
    }

    pub(super) fn eval(&self, e: Node<'t>, depth: u32) -> Value<'t> {
        if depth > MAX_DEPTH {
            let line = u32::try_from(e.start_position().row).map_or(u32::MAX, |r| r + 1);
            self.model.flow.note_depth_limit(line);
        }
        if self.exhausted(depth) {
            return constant();
        }
        let d = depth + 1;
        match e.kind() {
            "string" => self.string(e, d),
            "concatenated_string" => named(e)
                .into_iter()
                .fold(Vec::new(), |acc, s| self.concat(&acc, &self.eval(s, d))),
            "parenthesized_expression" => match e.named_child(0) {
                Some(inner) => self.eval(inner, d),
                None => constant(),
            },
            "binary_operator" => self.binary(e, d),
            "conditional_expression" => {
                let parts = named(e);
                match (parts.first(), parts.get(1), parts.get(2)) {
                    (Some(a), Some(condition), Some(b)) => {
                        // `col if col in ALLOWED else "id"`: the allow-listed branch is constant.
                        let allowed = a.kind() == "identifier"
                            && self.membership(*condition, self.text(*a), false, d);
                        let first = if allowed {
                            constant()
                        } else {
                            self.eval(*a, d)
                        };
                        union(first, self.eval(*b, d))
                    }
                    _ => self.other(e),
                }
            }
            "boolean_operator" => match (
                e.child_by_field_id(*field::LEFT),
                e.child_by_field_id(*field::RIGHT),
            ) {
                (Some(l), Some(r)) => union(self.eval(l, d), self.eval(r, d)),
                _ => self.other(e),
            },
            "integer" | "float" => text_value(self.text(e)),
            "true"
            | "false"
            | "none"
            | "ellipsis"
            | "unary_operator"
            | "comparison_operator"
            | "not_operator"
            | "lambda" => constant(),
            "identifier" => self.identifier(e, View::Value, d),
            "attribute" | "subscript" => self.chain(e, d),
            "call" => self.call(e, d),
            "list" | "tuple" | "set" | "expression_list" => {
                let mut out: Value<'t> = Vec::new();
                for (i, el) in named(e).into_iter().enumerate() {
                    let sep = if i == 0 {
                        text_value("")
                    } else {
                        text_value(", ")
                    };
                    out = self.concat(&self.concat(&out, &sep), &self.eval(el, d));
                }
                if out.is_empty() { constant() } else { out }
            }
            "dictionary" => {
                let keys = self.keys_of(e, d);
                let values = self.values_of(e, d);
                self.concat(&keys, &values)
            }
            "list_comprehension" | "generator_expression" | "set_comprehension" => {
                match e.child_by_field_id(*field::BODY) {
                    Some(body) => self.eval(body, d),
                    None => constant(),
                }
            }
            "dictionary_comprehension" | "pair" => {
                let pair = if e.kind() == "pair" {
                    Some(e)
                } else {
                    e.child_by_field_id(*field::BODY)
                };
                match pair.and_then(|p| {
                    Some((
                        p.child_by_field_id(*field::KEY)?,
                        p.child_by_field_id(*field::VALUE)?,
                    ))
                }) {
                    Some((k, v)) => self.concat(&self.eval(k, d), &self.eval(v, d)),
                    None => constant(),
                }
            }
            "named_expression" => match e.child_by_field_id(*field::VALUE) {
                Some(v) => self.eval(v, d),
                None => constant(),
            },
            "await" => match e.named_child(0) {
                Some(inner) => self.eval(inner, d),
                None => self.other(e),
            },
            _ => self.other(e),
        }
    }
}
