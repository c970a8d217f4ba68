//! Scope indexes: every definition of every name in a function or the module, in source
//! order, and which of them reach a use.

use super::{is_function, named, positional};
use crate::grammar::field;
use crate::model::Model;
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

/// A node named by its byte range and kind, turned back into a node through the tree's root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct NodeRef {
    start: usize,
    end: usize,
    kind: u16,
}

impl NodeRef {
    pub(crate) fn of(node: Node<'_>) -> NodeRef {
        NodeRef {
            start: node.start_byte(),
            end: node.end_byte(),
            kind: node.kind_id(),
        }
    }

    pub(crate) fn resolve<'t>(self, root: Node<'t>) -> Option<Node<'t>> {
        let mut node = root.descendant_for_byte_range(self.start, self.end)?;
        loop {
            if node.kind_id() == self.kind
                && node.start_byte() == self.start
                && node.end_byte() == self.end
            {
                return Some(node);
            }
            node = node.parent()?;
            if node.start_byte() < self.start || node.end_byte() > self.end {
                return None;
            }
        }
    }
}

/// Every definition of every name in one scope, in source order.
pub(super) struct ScopeIndex {
    /// The function's body block, or the module.
    pub(super) body: NodeRef,
    /// The function's name (for messages).
    pub(super) function: String,
    /// Parameters: name → whether its annotation makes it a number (`int`, `UUID`, …).
    pub(super) params: HashMap<String, bool>,
    /// Names declared `global` / `nonlocal`.
    pub(super) globals: HashSet<String>,
    pub(super) defs: HashMap<String, Vec<Def<NodeRef>>>,
    /// Functions defined directly in this scope, by name.
    pub(super) functions: HashMap<String, NodeRef>,
}

/// A definition; `N` is a node while in use, a [`NodeRef`] while cached.
#[derive(Clone, Copy)]
pub(super) struct Def<N> {
    /// The defining node (assignment, `for` target, call, …).
    pub(super) node: N,
    /// Where the definition takes effect: uses after this byte see it.
    pub(super) end: usize,
    pub(super) kind: DefKind<N>,
}

#[derive(Clone, Copy)]
pub(super) enum DefKind<N> {
    /// `name = value`, `with value as name`, `name := value`.
    Assign(N),
    /// `name += value`.
    Add(N),
    /// `name.append(value)`, `name.insert(i, value)`, `name.add(value)`.
    Append(N),
    /// `name.extend(values)`.
    Extend(N),
    /// `name[key] = value`.
    Item(N, N),
    /// A `for` target: an element (or the `index`-th part of an element) of `iterable`.
    Element { iterable: N, index: Option<usize> },
    /// Bound some other way (tuple unpacking of a call, …): an element of this expression.
    Unknown(N),
}

impl<N: Copy> DefKind<N> {
    pub(super) fn map<M>(self, f: impl Fn(N) -> Option<M>) -> Option<DefKind<M>> {
        Some(match self {
            DefKind::Assign(n) => DefKind::Assign(f(n)?),
            DefKind::Add(n) => DefKind::Add(f(n)?),
            DefKind::Append(n) => DefKind::Append(f(n)?),
            DefKind::Extend(n) => DefKind::Extend(f(n)?),
            DefKind::Item(k, v) => DefKind::Item(f(k)?, f(v)?),
            DefKind::Element { iterable, index } => DefKind::Element {
                iterable: f(iterable)?,
                index,
            },
            DefKind::Unknown(n) => DefKind::Unknown(f(n)?),
        })
    }

    /// Whether the definition replaces the previous value.
    pub(super) fn kills(&self) -> bool {
        matches!(
            self,
            DefKind::Assign(_) | DefKind::Element { .. } | DefKind::Unknown(_)
        )
    }
}

impl ScopeIndex {
    pub(super) fn build<'t>(model: &Model<'t>, scope: Node<'t>) -> ScopeIndex {
        let mut index = ScopeIndex {
            body: NodeRef::of(scope),
            function: String::new(),
            params: HashMap::new(),
            globals: HashSet::new(),
            defs: HashMap::new(),
            functions: HashMap::new(),
        };
        let mut stack_start = scope;
        if is_function(scope) {
            index.function = scope
                .child_by_field_id(*field::NAME)
                .map_or("<lambda>", |n| model.text(n))
                .to_string();
            if let Some(parameters) = scope.child_by_field_id(*field::PARAMETERS) {
                index.add_parameters(model, parameters);
            }
            match scope.child_by_field_id(*field::BODY) {
                Some(body) if scope.kind() == "function_definition" => {
                    index.body = NodeRef::of(body);
                    stack_start = body;
                }
                _ => return index, // a lambda's body is an expression: nothing is assigned
            }
        }
        let mut stack = vec![stack_start];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "function_definition" if node.id() != scope.id() => {
                    if let Some(name) = node.child_by_field_id(*field::NAME) {
                        index
                            .functions
                            .insert(model.text(name).to_string(), NodeRef::of(node));
                    }
                    continue;
                }
                "class_definition" | "lambda" => continue,
                "assignment" => index.add_assignment(model, node),
                "augmented_assignment" => {
                    if let (Some(left), Some(right)) = (
                        node.child_by_field_id(*field::LEFT),
                        node.child_by_field_id(*field::RIGHT),
                    ) {
                        let add = node
                            .child_by_field_id(*field::OPERATOR)
                            .is_some_and(|o| model.text(o) == "+=");
                        let kind = if add {
                            DefKind::Add(right)
                        } else {
                            DefKind::Unknown(node)
                        };
                        index.add(model, left, node, node.end_byte(), kind);
                    }
                }
                "for_statement" => {
                    if let (Some(left), Some(right)) = (
                        node.child_by_field_id(*field::LEFT),
                        node.child_by_field_id(*field::RIGHT),
                    ) {
                        index.add_targets(model, left, right);
                    }
                }
                "with_item" => {
                    if let Some(value) = node.child_by_field_id(*field::VALUE)
                        && value.kind() == "as_pattern"
                        && let Some(expr) = value.named_child(0)
                        && let Some(target) = value
                            .child_by_field_id(*field::ALIAS)
                            .and_then(|a| a.named_child(0))
                    {
                        index.add(model, target, node, node.end_byte(), DefKind::Assign(expr));
                    }
                }
                "named_expression" => {
                    if let (Some(name), Some(value)) = (
                        node.child_by_field_id(*field::NAME),
                        node.child_by_field_id(*field::VALUE),
                    ) {
                        index.add(model, name, node, node.end_byte(), DefKind::Assign(value));
                    }
                }
                "call" => index.add_mutation(model, node),
                "global_statement" | "nonlocal_statement" => {
                    let mut cursor = node.walk();
                    for name in node.named_children(&mut cursor) {
                        index.globals.insert(model.text(name).to_string());
                    }
                }
                _ => {}
            }
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        // The walk is depth-first in source order, but keep the invariant explicit.
        for defs in index.defs.values_mut() {
            defs.sort_by_key(|d| (d.end, d.node.start));
        }
        index
    }

    fn add<'t>(
        &mut self,
        model: &Model<'t>,
        target: Node<'t>,
        node: Node<'t>,
        end: usize,
        kind: DefKind<Node<'t>>,
    ) {
        let Some(name) = model.dotted(target) else {
            return;
        };
        let Some(kind) = kind.map(|n| Some(NodeRef::of(n))) else {
            return;
        };
        self.defs.entry(name).or_default().push(Def {
            node: NodeRef::of(node),
            end,
            kind,
        });
    }

    fn add_parameters<'t>(&mut self, model: &Model<'t>, parameters: Node<'t>) {
        let mut cursor = parameters.walk();
        for p in parameters.named_children(&mut cursor) {
            let (name, annotation) = match p.kind() {
                "identifier" => (Some(p), None),
                "default_parameter" => (p.child_by_field_id(*field::NAME), None),
                "typed_default_parameter" => (
                    p.child_by_field_id(*field::NAME),
                    p.child_by_field_id(*field::TYPE),
                ),
                "typed_parameter" => (p.named_child(0), p.child_by_field_id(*field::TYPE)),
                "list_splat_pattern" | "dictionary_splat_pattern" => (p.named_child(0), None),
                _ => (None, None),
            };
            let Some(name) = name.filter(|n| n.kind() == "identifier") else {
                continue;
            };
            let numeric = annotation.is_some_and(|a| numeric_annotation(model.text(a)));
            self.params.insert(model.text(name).to_string(), numeric);
        }
    }

    fn add_assignment<'t>(&mut self, model: &Model<'t>, node: Node<'t>) {
        let (Some(left), Some(mut right)) = (
            node.child_by_field_id(*field::LEFT),
            node.child_by_field_id(*field::RIGHT),
        ) else {
            return;
        };
        // `a = b = value`: the inner assignment is visited on its own.
        while right.kind() == "assignment" {
            match right.child_by_field_id(*field::RIGHT) {
                Some(r) => right = r,
                None => return,
            }
        }
        self.assign_target(model, left, right, node);
    }

    fn assign_target<'t>(
        &mut self,
        model: &Model<'t>,
        target: Node<'t>,
        value: Node<'t>,
        node: Node<'t>,
    ) {
        match target.kind() {
            "identifier" | "attribute" => {
                self.add(model, target, node, node.end_byte(), DefKind::Assign(value));
            }
            "subscript" => {
                if let (Some(object), Some(key)) = (
                    target.child_by_field_id(*field::VALUE),
                    target.child_by_field_id(*field::SUBSCRIPT),
                ) {
                    self.add(
                        model,
                        object,
                        node,
                        node.end_byte(),
                        DefKind::Item(key, value),
                    );
                }
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" | "tuple" => {
                let targets = named(target);
                let values = match value.kind() {
                    "expression_list" | "tuple" | "list" => named(value),
                    _ => Vec::new(),
                };
                let pairwise = values.len() == targets.len()
                    && !values
                        .iter()
                        .chain(&targets)
                        .any(|n| n.kind().ends_with("splat"));
                for (i, t) in targets.iter().enumerate() {
                    if pairwise {
                        self.assign_target(model, *t, values[i], node);
                    } else {
                        let t = if t.kind() == "list_splat_pattern" {
                            t.named_child(0).unwrap_or(*t)
                        } else {
                            *t
                        };
                        self.add(model, t, node, node.end_byte(), DefKind::Unknown(value));
                    }
                }
            }
            _ => {}
        }
    }

    fn add_targets<'t>(&mut self, model: &Model<'t>, left: Node<'t>, iterable: Node<'t>) {
        match left.kind() {
            "pattern_list" | "tuple_pattern" | "list_pattern" => {
                for (i, t) in named(left).into_iter().enumerate() {
                    let kind = DefKind::Element {
                        iterable,
                        index: Some(i),
                    };
                    self.add(model, t, left, left.end_byte(), kind);
                }
            }
            _ => {
                let kind = DefKind::Element {
                    iterable,
                    index: None,
                };
                self.add(model, left, left, left.end_byte(), kind);
            }
        }
    }

    /// `name.append(x)`, `name.extend(xs)`, `name.insert(i, x)`, `name.add(x)`.
    fn add_mutation<'t>(&mut self, model: &Model<'t>, call: Node<'t>) {
        let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
            return;
        };
        if function.kind() != "attribute" {
            return;
        }
        let (Some(object), Some(method)) = (
            function.child_by_field_id(*field::OBJECT),
            function.child_by_field_id(*field::ATTRIBUTE),
        ) else {
            return;
        };
        let args = positional(call);
        let kind = match (model.text(method), args.as_slice()) {
            ("append" | "add", [value]) => DefKind::Append(*value),
            ("insert", [_, value]) => DefKind::Append(*value),
            ("extend", [values]) => DefKind::Extend(*values),
            _ => return,
        };
        self.add(model, object, call, call.end_byte(), kind);
    }
}

/// Whether a parameter annotation admits only numbers, booleans, UUIDs or dates (FastAPI
/// validates these; elsewhere they are the caller's contract).
pub(super) fn numeric_annotation(text: &str) -> bool {
    let mut t = text.trim();
    if let Some(inner) = t
        .strip_prefix("Optional[")
        .or_else(|| t.strip_prefix("typing.Optional["))
        .and_then(|r| r.strip_suffix(']'))
    {
        t = inner.trim();
    }
    let t = t
        .strip_suffix("| None")
        .or_else(|| t.strip_suffix("|None"))
        .unwrap_or(t)
        .trim();
    matches!(
        t,
        "int"
            | "float"
            | "bool"
            | "UUID"
            | "uuid.UUID"
            | "Decimal"
            | "decimal.Decimal"
            | "date"
            | "datetime"
            | "datetime.date"
            | "datetime.datetime"
            | "PositiveInt"
            | "conint"
    )
}

/// The reaching definitions of a name at `pos` (seen from `at`, when the use is a node):
/// from the last one that dominates the use on, and whether the value from before the first
/// of them can also reach it.
pub(super) fn reaching<'t>(
    model: &Model<'t>,
    defs: &[Def<Node<'t>>],
    pos: usize,
    at: Option<Node<'t>>,
    body: Node<'t>,
) -> (Vec<Def<Node<'t>>>, bool) {
    let ancestors: HashSet<usize> = at.map_or_else(HashSet::new, |a| {
        let mut set = HashSet::new();
        let mut current = Some(a);
        while let Some(n) = current {
            set.insert(n.id());
            current = model.parent(n);
        }
        set
    });
    let reach: Vec<Def<Node<'t>>> = defs
        .iter()
        .filter(|d| d.end <= pos && (at.is_none() || !exclusive(model, d.node, &ancestors)))
        .copied()
        .collect();
    match reach
        .iter()
        .rposition(|d| d.kind.kills() && dominates(model, d.node, at, body))
    {
        Some(i) => (reach[i..].to_vec(), false),
        None => (reach, true),
    }
}

/// Whether a definition always runs before the use: the block holding it encloses the use
/// (or, for a use at the end of the scope, is the scope's own body). Early exits are not
/// considered.
pub(super) fn dominates<'t>(
    model: &Model<'t>,
    def: Node<'t>,
    at: Option<Node<'t>>,
    body: Node<'t>,
) -> bool {
    let mut block = model.parent(def);
    while let Some(b) = block {
        if matches!(b.kind(), "block" | "module") {
            break;
        }
        block = model.parent(b);
    }
    let Some(block) = block else {
        return false;
    };
    match at {
        Some(at) => is_ancestor(model, block, at),
        None => block.id() == body.id(),
    }
}

pub(super) fn is_ancestor<'t>(model: &Model<'t>, ancestor: Node<'t>, node: Node<'t>) -> bool {
    ancestor.start_byte() <= node.start_byte() && node.end_byte() <= ancestor.end_byte() && {
        let mut current = Some(node);
        while let Some(n) = current {
            if n.id() == ancestor.id() {
                return true;
            }
            current = model.parent(n);
        }
        false
    }
}

/// Whether a definition and a use (given by the ids of its ancestors) sit in different
/// branches of the same `if` (or `match`), so that the definition cannot reach the use
/// (loops aside).
pub(super) fn exclusive<'t>(model: &Model<'t>, def: Node<'t>, ancestors: &HashSet<usize>) -> bool {
    let mut lca = model.parent(def);
    while let Some(n) = lca {
        if ancestors.contains(&n.id()) {
            break;
        }
        lca = model.parent(n);
    }
    let Some(lca) = lca else {
        return false;
    };
    match lca.kind() {
        "if_statement" => !lca
            .child_by_field_id(*field::CONDITION)
            .is_some_and(|c| is_ancestor(model, c, def)),
        "block" => model
            .parent(lca)
            .is_some_and(|p| p.kind() == "match_statement"),
        _ => false,
    }
}
