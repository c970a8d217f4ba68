//! Questions about values that several rules ask of the model:
//!
//! - what literal a node holds (`literal_string`, `literal_bool`);
//! - whether an expression is a constant the program wrote itself — literals, concatenations
//!   and f-strings of literals, module constants, names assigned only constants
//!   (`is_constant`, `is_constant_with` for rules that also accept e.g. `shlex.quote(x)`);
//! - whether it derives from outside the program — a function parameter, the web request, the
//!   command line, the environment, `input()`, a socket (`outside_origin`).
//!
//! Names are followed through the model's assignments within the function (and module
//! constants), plus the augmented assignments (`cmd += x`) and `for` bindings of the same
//! scope, which this module finds by walking the scope's subtree (a walk of the tree, never a
//! re-parse). Every recursion is bounded, so cyclic assignments (`x = x + 1`) end as "unknown".

use crate::flow::NodeRef;
use crate::grammar::field;
use crate::model::{Model, scope_of};
use crate::sources::{self, Source};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use tree_sitter::Node;

/// How many names deep a value is followed.
const MAX_DEPTH: u32 = 8;

/// How many names one question (`is_constant`, `outside_origin`) may follow in all. Depth
/// alone does not bound the work: names assigned from several other names each, eight deep,
/// are exponentially many paths (a fuzzed file took 15 s in one rule). Past the budget a
/// name's value is unknown: not a constant, and of no known outside origin.
const MAX_NAMES_FOLLOWED: u32 = 500;

thread_local! {
    /// Names followed so far by the question running on this thread, if one is.
    static FOLLOWED: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
}

/// Runs one question under a fresh budget (a question asked inside another, from a rule's
/// `safe` callback, shares the outer one). The budget ends with the question, even if it
/// panics.
fn budgeted<R>(question: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            if self.0 {
                FOLLOWED.set(None);
            }
        }
    }
    let outermost = FOLLOWED.get().is_none();
    if outermost {
        FOLLOWED.set(Some(0));
    }
    let _reset = Reset(outermost);
    question()
}

/// Counts one more name followed; false once the question's budget is spent.
fn may_follow_name() -> bool {
    let followed = FOLLOWED.get().unwrap_or(0) + 1;
    FOLLOWED.set(Some(followed));
    followed <= MAX_NAMES_FOLLOWED
}

/// The text of a string literal (or implicit concatenation of literals) without quotes,
/// prefixes or interpolation; escape sequences are kept as written. `None` for f-strings with
/// interpolations and anything that is not a string literal.
pub fn literal_string(model: &Model<'_>, node: Node<'_>) -> Option<String> {
    match node.kind() {
        "string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "string_content" => out.push_str(model.text(child)),
                    "interpolation" => return None,
                    _ => {}
                }
            }
            Some(out)
        }
        "concatenated_string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind() == "string" {
                    out.push_str(&literal_string(model, child)?);
                }
            }
            Some(out)
        }
        "parenthesized_expression" => literal_string(model, node.named_child(0)?),
        _ => None,
    }
}

/// `Some((value, None))` for a literal `True`/`False`; `Some((value, Some(definition)))` for a
/// name that holds one (assigned exactly once in scope or at module level, not a parameter).
pub fn literal_bool<'t>(model: &Model<'t>, node: Node<'t>) -> Option<(bool, Option<Node<'t>>)> {
    match node.kind() {
        "true" => Some((true, None)),
        "false" => Some((false, None)),
        "identifier" | "attribute" => {
            let target = model.dotted(node)?;
            let held = model.single_value(scope_of(node), &target)?;
            match held.kind() {
                "true" => Some((true, Some(held))),
                "false" => Some((false, Some(held))),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The nearest function (or lambda) around `node`.
pub fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node.parent();
    while let Some(n) = current {
        if n.kind() == "function_definition" || n.kind() == "lambda" {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

/// The parameter node named `name` of the function around `node`, if there is one.
pub fn parameter_named<'t>(model: &Model<'_>, node: Node<'t>, name: &str) -> Option<Node<'t>> {
    let function = enclosing_function(node)?;
    let parameters = function.child_by_field_id(*field::PARAMETERS)?;
    let mut cursor = parameters.walk();
    parameters.named_children(&mut cursor).find(|p| {
        let id = match p.kind() {
            "identifier" => Some(*p),
            "default_parameter" | "typed_default_parameter" => p.child_by_field_id(*field::NAME),
            "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                p.named_child(0).and_then(|inner| match inner.kind() {
                    "identifier" => Some(inner),
                    _ => inner.named_child(0),
                })
            }
            _ => None,
        };
        id.is_some_and(|id| model.text(id) == name)
    })
}

/// The annotation of a typed parameter (`pid: int` → `int`), as written.
pub fn parameter_type<'t>(model: &Model<'t>, parameter: Node<'_>) -> Option<&'t str> {
    parameter
        .child_by_field_id(*field::TYPE)
        .map(|t| model.text(t).trim())
}

/// What else binds a name in a scope besides plain assignments: augmented assignments
/// (`cmd += x`, their right-hand sides) and `for` loops (their iterables).
#[derive(Default)]
struct Bindings<'t> {
    augmented: Vec<Node<'t>>,
    loop_iterables: Vec<Node<'t>>,
    /// Bound some way whose value is unknown (tuple targets of a loop, walrus, `except as`).
    unknown: bool,
}

/// The [`Bindings`] of every name of the scopes questions have looked in, kept in the
/// [`Model`] for the file as byte ranges (so that the model keeps no extra lifetime): each
/// scope's subtree is walked once, the first time a name of it is followed, instead of once
/// per name followed (a 24 KB fuzzed file of module-level code with many `yaml.load` calls
/// took 10 s re-walking the module for every name each call's origin followed).
#[derive(Default)]
pub(crate) struct BindingsCache {
    /// By the id of the scope's node (a function, lambda or the module root).
    scopes: RefCell<HashMap<usize, Rc<ScopeBindings>>>,
    /// Scope subtrees walked so far (at most one per scope).
    walks: Cell<u32>,
}

impl BindingsCache {
    /// How many scope subtrees were walked for this file.
    #[cfg(test)]
    pub(crate) fn walks(&self) -> u32 {
        self.walks.get()
    }
}

/// [`Bindings`] with its nodes as byte ranges.
#[derive(Clone, Default)]
struct BindingRefs {
    augmented: Vec<NodeRef>,
    loop_iterables: Vec<NodeRef>,
    unknown: bool,
}

/// One scope's bindings other than plain assignments, by name, from one walk of its subtree
/// (nested functions and lambdas excluded).
#[derive(Default)]
struct ScopeBindings {
    /// Augmented assignments and `for` iterables, by the target's dotted name.
    by_name: HashMap<String, BindingRefs>,
    /// The text of each `except … as …` pattern: a name the text ends with counts as bound
    /// to an unknown value (matched when a name is first asked about, then remembered).
    except_aliases: Vec<String>,
    /// Names already asked about, with the `except` aliases applied.
    answered: RefCell<HashMap<String, Rc<BindingRefs>>>,
}

fn bindings<'t>(model: &Model<'t>, use_site: Node<'t>, name: &str) -> Bindings<'t> {
    let root = match enclosing_function(use_site) {
        Some(f) => f,
        None => {
            let mut top = use_site;
            while let Some(p) = top.parent() {
                top = p;
            }
            top
        }
    };
    let cache = &model.bindings;
    let scope = cache.scopes.borrow().get(&root.id()).cloned();
    let scope = scope.unwrap_or_else(|| {
        cache.walks.set(cache.walks.get() + 1);
        let scope = Rc::new(scope_bindings(model, root));
        cache
            .scopes
            .borrow_mut()
            .insert(root.id(), Rc::clone(&scope));
        scope
    });
    let known = scope.answered.borrow().get(name).cloned();
    let refs = known.unwrap_or_else(|| {
        let mut refs = scope.by_name.get(name).cloned().unwrap_or_default();
        refs.unknown |= scope.except_aliases.iter().any(|t| t.ends_with(name));
        let refs = Rc::new(refs);
        scope
            .answered
            .borrow_mut()
            .insert(name.to_string(), Rc::clone(&refs));
        refs
    });
    let resolve = |nodes: &[NodeRef]| -> Vec<Node<'t>> {
        nodes.iter().filter_map(|n| n.resolve(root)).collect()
    };
    Bindings {
        augmented: resolve(&refs.augmented),
        loop_iterables: resolve(&refs.loop_iterables),
        unknown: refs.unknown,
    }
}

/// Walks the subtree of the scope `root` once and records, for every name, what binds it
/// besides plain assignments.
fn scope_bindings(model: &Model<'_>, root: Node<'_>) -> ScopeBindings {
    let mut out = ScopeBindings::default();
    let mut cursor = root.walk();
    let mut first = true;
    'walk: loop {
        let node = cursor.node();
        let nested = !first && matches!(node.kind(), "function_definition" | "lambda");
        first = false;
        if !nested {
            match node.kind() {
                "augmented_assignment" => {
                    if let (Some(left), Some(right)) = (
                        node.child_by_field_id(*field::LEFT),
                        node.child_by_field_id(*field::RIGHT),
                    ) && let Some(target) = model.dotted(left)
                    {
                        out.by_name
                            .entry(target)
                            .or_default()
                            .augmented
                            .push(NodeRef::of(right));
                    }
                }
                "for_statement" | "for_in_clause" => {
                    if let (Some(left), Some(right)) = (
                        node.child_by_field_id(*field::LEFT),
                        node.child_by_field_id(*field::RIGHT),
                    ) {
                        let target = model.dotted(left);
                        if let Some(target) = &target {
                            out.by_name
                                .entry(target.clone())
                                .or_default()
                                .loop_iterables
                                .push(NodeRef::of(right));
                        }
                        if left.kind() != "identifier" {
                            // Every other name the pattern binds gets an unknown value.
                            let mut names = Vec::new();
                            bound_names(model, left, &mut names);
                            for bound in names {
                                if target.as_deref() != Some(bound) {
                                    out.by_name.entry(bound.to_string()).or_default().unknown =
                                        true;
                                }
                            }
                        }
                    }
                }
                "named_expression" | "as_pattern" => {
                    if let Some(n) = node.child_by_field_id(*field::NAME) {
                        out.by_name
                            .entry(model.text(n).to_string())
                            .or_default()
                            .unknown = true;
                    }
                    if node.kind() == "as_pattern"
                        && node.parent().is_some_and(|p| p.kind() == "except_clause")
                    {
                        out.except_aliases.push(model.text(node).to_string());
                    }
                }
                _ => {}
            }
        }
        if !nested && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

/// The names a target pattern binds: the text of every identifier inside it.
fn bound_names<'t>(model: &Model<'t>, pattern: Node<'_>, out: &mut Vec<&'t str>) {
    if pattern.kind() == "identifier" {
        out.push(model.text(pattern));
        return;
    }
    let mut cursor = pattern.walk();
    for child in pattern.named_children(&mut cursor) {
        bound_names(model, child, out);
    }
}

/// Whether a name written in UPPER_SNAKE_CASE (`BACKUP_SCRIPT`, `settings.REPORT_CMD`).
fn is_constant_name(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last.chars().any(|c| c.is_ascii_uppercase())
        && last
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `node` is a constant the program wrote itself: string/number/bool literals;
/// f-strings, `+`, `%`, `.format()`, `.join()` and implicit concatenation of constants;
/// lists and tuples of constants; names whose every assignment in scope is a constant; and
/// UPPER_SNAKE_CASE names defined in another module (constants by convention).
pub fn is_constant<'t>(model: &Model<'t>, node: Node<'t>) -> bool {
    budgeted(|| constant(model, node, &|_, _| false, 0))
}

/// `is_constant`, where `safe` may also accept a node as harmless (a rule's sanitizer, such
/// as `shlex.quote(x)`): a construction of constants and safe nodes passes.
pub fn is_constant_with<'t>(
    model: &Model<'t>,
    node: Node<'t>,
    safe: &dyn Fn(&Model<'t>, Node<'t>) -> bool,
) -> bool {
    budgeted(|| constant(model, node, safe, 0))
}

/// String methods that keep a constant constant.
const PURE_STR_METHODS: &[&str] = &[
    "format", "join", "strip", "lstrip", "rstrip", "lower", "upper", "replace", "encode",
];

fn constant<'t>(
    model: &Model<'t>,
    node: Node<'t>,
    safe: &dyn Fn(&Model<'t>, Node<'t>) -> bool,
    depth: u32,
) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    if safe(model, node) {
        return true;
    }
    let all_children = |n: Node<'t>| {
        let mut cursor = n.walk();
        n.named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .all(|c| constant(model, c, safe, depth))
    };
    match node.kind() {
        "string" => {
            let mut cursor = node.walk();
            node.named_children(&mut cursor)
                .filter(|c| c.kind() == "interpolation")
                .all(|i| {
                    i.child_by_field_id(*field::EXPRESSION)
                        .is_some_and(|e| constant(model, e, safe, depth))
                })
        }
        "integer" | "float" | "true" | "false" | "none" => true,
        "concatenated_string"
        | "parenthesized_expression"
        | "list"
        | "tuple"
        | "expression_list"
        | "argument_list" => all_children(node),
        "keyword_argument" => node
            .child_by_field_id(*field::VALUE)
            .is_some_and(|v| constant(model, v, safe, depth)),
        "binary_operator" => {
            let (Some(l), Some(r)) = (
                node.child_by_field_id(*field::LEFT),
                node.child_by_field_id(*field::RIGHT),
            ) else {
                return false;
            };
            constant(model, l, safe, depth) && constant(model, r, safe, depth)
        }
        "conditional_expression" => {
            let (Some(a), Some(b)) = (node.named_child(0), node.named_child(2)) else {
                return false;
            };
            constant(model, a, safe, depth) && constant(model, b, safe, depth)
        }
        "call" => {
            let (Some(function), Some(arguments)) = (
                node.child_by_field_id(*field::FUNCTION),
                node.child_by_field_id(*field::ARGUMENTS),
            ) else {
                return false;
            };
            let receiver_constant = match function.kind() {
                "attribute" => {
                    let method = function
                        .child_by_field_id(*field::ATTRIBUTE)
                        .map(|a| model.text(a));
                    method.is_some_and(|m| PURE_STR_METHODS.contains(&m))
                        && function
                            .child_by_field_id(*field::OBJECT)
                            .is_some_and(|o| constant(model, o, safe, depth))
                }
                "identifier" => matches!(model.text(function), "str" | "int" | "float"),
                _ => false,
            };
            receiver_constant && constant(model, arguments, safe, depth)
        }
        "generator_expression" | "list_comprehension" => {
            // Constant when the element is, whatever it iterates (`x for x in CONSTS`
            // binds `x` to a constant iterable, checked through the loop bindings).
            node.child_by_field_id(*field::BODY)
                .is_some_and(|b| constant(model, b, safe, depth))
        }
        "identifier" | "attribute" => name_constant(model, node, safe, depth),
        _ => false,
    }
}

fn name_constant<'t>(
    model: &Model<'t>,
    node: Node<'t>,
    safe: &dyn Fn(&Model<'t>, Node<'t>) -> bool,
    depth: u32,
) -> bool {
    let Some(dotted) = model.dotted(node) else {
        return false;
    };
    if !may_follow_name() {
        return false;
    }
    let first = dotted.split('.').next().unwrap_or("");
    if parameter_named(model, node, first).is_some() {
        return false;
    }
    let values = model.values(scope_of(node), &dotted);
    let extra = bindings(model, node, &dotted);
    if extra.unknown {
        return false;
    }
    if values.is_empty() && extra.augmented.is_empty() && extra.loop_iterables.is_empty() {
        return is_constant_name(&dotted);
    }
    values.iter().all(|v| constant(model, *v, safe, depth + 1))
        && extra
            .augmented
            .iter()
            .all(|v| constant(model, *v, safe, depth + 1))
        && extra
            .loop_iterables
            .iter()
            .all(|v| constant(model, *v, safe, depth + 1))
}

/// Where a value from outside the program comes from: a caller's parameter, or one of the
/// outside sources of [`crate::sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginKind {
    /// A parameter of the enclosing function (other than `self`/`cls`).
    Parameter,
    /// The web request: Flask's `request`, a `request` parameter or `self.request`.
    Request,
    /// `input()` or standard input.
    UserInput,
    /// `sys.argv`, argparse's `parse_args()`.
    CommandLine,
    /// `os.environ`, `os.getenv`.
    Environment,
    /// Bytes received from a socket.
    Network,
}

/// A value's outside origin: its kind, the node where it enters, and a short description.
#[derive(Clone, Debug)]
pub struct Origin<'t> {
    pub kind: OriginKind,
    pub node: Node<'t>,
    pub what: String,
}

/// Where `node`'s value comes from outside the program, when it does: followed through
/// operators, calls (their receiver and arguments), subscripts, f-strings and, within the
/// function, the assignments of the names it uses.
pub fn outside_origin<'t>(model: &Model<'t>, node: Node<'t>) -> Option<Origin<'t>> {
    budgeted(|| origin(model, node, 0))
}

impl From<Source> for OriginKind {
    fn from(source: Source) -> OriginKind {
        match source {
            Source::Request => OriginKind::Request,
            Source::UserInput => OriginKind::UserInput,
            Source::CommandLine => OriginKind::CommandLine,
            Source::Environment => OriginKind::Environment,
            Source::Network => OriginKind::Network,
        }
    }
}

/// How a finding names an outside source read by the expression written `text`.
fn describe(source: Source, text: &str) -> String {
    match source {
        Source::UserInput => "standard input".to_string(),
        Source::Environment => "the environment".to_string(),
        Source::Request | Source::CommandLine | Source::Network => format!("`{text}`"),
    }
}

fn origin<'t>(model: &Model<'t>, node: Node<'t>, depth: u32) -> Option<Origin<'t>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let found = |kind: OriginKind, what: String| Some(Origin { kind, node, what });
    match node.kind() {
        "identifier" => {
            let name = model.text(node);
            if sources::is_receiver(name) {
                return None;
            }
            if parameter_named(model, node, name).is_some() {
                let kind =
                    sources::parameter_source(name).map_or(OriginKind::Parameter, Into::into);
                return found(kind, format!("parameter `{name}`"));
            }
            if let Some(source) = model
                .resolve(node)
                .as_deref()
                .and_then(sources::imported_source)
            {
                let what = match source {
                    Source::Request => "the request".to_string(),
                    _ => describe(source, name),
                };
                return found(source.into(), what);
            }
            name_origin(model, node, name, depth)
        }
        "attribute" => {
            let resolved = model.resolve(node).unwrap_or_default();
            let dotted = model.dotted(node).unwrap_or_default();
            let text = model.text(node);
            if let Some(source) =
                sources::imported_source(&resolved).or_else(|| sources::receiver_source(&dotted))
            {
                return found(source.into(), describe(source, text));
            }
            if let Some(o) = model
                .dotted(node)
                .and_then(|d| name_origin(model, node, &d, depth))
            {
                return Some(o);
            }
            origin(model, node.child_by_field_id(*field::OBJECT)?, depth)
        }
        "call" => {
            let function = node.child_by_field_id(*field::FUNCTION)?;
            let resolved = model.resolve(function).unwrap_or_default();
            if function.kind() == "identifier"
                && let Some(source) = sources::builtin_source(model.text(function))
                && model
                    .values(scope_of(node), model.text(function))
                    .is_empty()
            {
                return found(source.into(), format!("`{}()`", model.text(function)));
            }
            // `os.getenv(...)` is a source itself; `request.args.get(...)` reads one through
            // its callee, found below.
            if let Some(source) = sources::called_source(&resolved)
                && sources::imported_source(&resolved).is_none()
            {
                return found(source.into(), describe(source, model.text(node)));
            }
            if function.kind() == "attribute"
                && let Some(source) = function
                    .child_by_field_id(*field::ATTRIBUTE)
                    .and_then(|a| sources::method_source(model.text(a)))
            {
                return found(source.into(), describe(source, model.text(node)));
            }
            if function.kind() == "attribute"
                && let Some(o) = origin(model, function, depth)
            {
                return Some(o);
            }
            origin(model, node.child_by_field_id(*field::ARGUMENTS)?, depth)
        }
        "lambda"
        | "function_definition"
        | "comment"
        | "string_start"
        | "string_content"
        | "string_end" => None,
        _ => {
            let mut cursor = node.walk();
            let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            children.into_iter().find_map(|c| origin(model, c, depth))
        }
    }
}

fn name_origin<'t>(
    model: &Model<'t>,
    node: Node<'t>,
    name: &str,
    depth: u32,
) -> Option<Origin<'t>> {
    if !may_follow_name() {
        return None;
    }
    let values = model.values(scope_of(node), name);
    if let Some(o) = values.iter().find_map(|v| origin(model, *v, depth + 1)) {
        return Some(o);
    }
    let extra = bindings(model, node, name);
    extra
        .augmented
        .iter()
        .chain(extra.loop_iterables.iter())
        .find_map(|v| origin(model, *v, depth + 1))
}

/// The constructor an object was made by: the fully qualified name of the call that every
/// assignment to `receiver` in scope (or at module level) makes — `app = Flask(__name__)` →
/// `flask.Flask`. `None` when it was assigned anything else, or differently in two places.
pub fn constructed_by(model: &Model<'_>, receiver: Node<'_>) -> Option<String> {
    let dotted = model.dotted(receiver)?;
    let values = model.values(scope_of(receiver), &dotted);
    let mut found: Option<String> = None;
    for value in values {
        if value.kind() != "call" {
            return None;
        }
        let name = model.resolve(value.child_by_field_id(*field::FUNCTION)?)?;
        match &found {
            Some(previous) if *previous != name => return None,
            _ => found = Some(name),
        }
    }
    found
}

/// The name of the function every assignment to `receiver` calls, resolved through imports
/// when it can be and as written otherwise (`app = create_app()` → `create_app`).
pub fn assigned_from_call(model: &Model<'_>, receiver: Node<'_>) -> Option<String> {
    let dotted = model.dotted(receiver)?;
    let values = model.values(scope_of(receiver), &dotted);
    let mut found: Option<String> = None;
    for value in values {
        if value.kind() != "call" {
            return None;
        }
        let function = value.child_by_field_id(*field::FUNCTION)?;
        let name = model.resolve(function).or_else(|| model.dotted(function))?;
        match &found {
            Some(previous) if *previous != name => return None,
            _ => found = Some(name),
        }
    }
    found
}

/// The `index`th positional argument of a call (keyword arguments and splats skipped).
pub fn positional_argument(call: Node<'_>, index: usize) -> Option<Node<'_>> {
    let arguments = call.child_by_field_id(*field::ARGUMENTS)?;
    if arguments.kind() != "argument_list" {
        return (index == 0).then_some(arguments); // `f(x for x in y)`
    }
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter(|a| {
            !matches!(
                a.kind(),
                "keyword_argument" | "list_splat" | "dictionary_splat" | "comment"
            )
        })
        .nth(index)
}

/// The value of keyword argument `name`, or else of the `index`th positional argument.
pub fn argument<'t>(
    model: &Model<'_>,
    call: Node<'t>,
    index: usize,
    name: &str,
) -> Option<Node<'t>> {
    match keyword(model, call, name) {
        Some(k) => k.child_by_field_id(*field::VALUE),
        None => positional_argument(call, index),
    }
}

/// The keyword argument `name` of a call (the `keyword_argument` node, for its position).
pub fn keyword<'t>(model: &Model<'_>, call: Node<'t>, name: &str) -> Option<Node<'t>> {
    let arguments = call.child_by_field_id(*field::ARGUMENTS)?;
    let mut cursor = arguments.walk();
    arguments.named_children(&mut cursor).find(|a| {
        a.kind() == "keyword_argument"
            && a.child_by_field_id(*field::NAME)
                .is_some_and(|n| model.text(n) == name)
    })
}

/// The value of keyword argument `name` (not its `keyword_argument` node).
pub fn keyword_value<'t>(model: &Model<'_>, call: Node<'t>, name: &str) -> Option<Node<'t>> {
    keyword(model, call, name).and_then(|k| k.child_by_field_id(*field::VALUE))
}

/// The method name of a call on an attribute (`app.config.update(...)` → `update`) and its
/// receiver node.
pub fn method_call<'t>(model: &Model<'t>, call: Node<'t>) -> Option<(&'t str, Node<'t>)> {
    let function = call.child_by_field_id(*field::FUNCTION)?;
    if function.kind() != "attribute" {
        return None;
    }
    let method = model.text(function.child_by_field_id(*field::ATTRIBUTE)?);
    Some((method, function.child_by_field_id(*field::OBJECT)?))
}

/// Whether `node` sits directly in a class body (a class attribute), not in a function.
pub fn enclosing_class<'t>(node: Node<'t>) -> Option<Node<'t>> {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "class_definition" => return Some(n),
            "function_definition" | "lambda" => return None,
            _ => current = n.parent(),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{FOLLOWED, MAX_NAMES_FOLLOWED, OriginKind, budgeted, may_follow_name};
    use crate::grammar::field;
    use crate::model::Model;

    #[test]
    fn a_question_follows_at_most_its_budget_of_names_and_the_next_starts_afresh() {
        budgeted(|| {
            for _ in 0..MAX_NAMES_FOLLOWED {
                assert!(may_follow_name());
            }
            assert!(!may_follow_name());
            // A question asked inside (a rule's `safe` callback) shares the spent budget.
            assert!(!budgeted(may_follow_name));
        });
        assert_eq!(FOLLOWED.get(), None);
        assert!(budgeted(may_follow_name));
    }

    #[test]
    fn the_budget_ends_with_a_question_that_panics() {
        let _ = std::panic::catch_unwind(|| budgeted(|| panic!("a rule's bug")));
        assert_eq!(FOLLOWED.get(), None);
    }

    /// Every question follows names through the bindings of their scope; the scope's
    /// subtree is walked once for all of them (walking it per name followed made a fuzzed
    /// file of module-level code take 10 s), and what the walk found is still used.
    #[test]
    fn each_scope_is_walked_once_for_the_bindings_of_all_its_names() {
        let source = "import sys\n\ndef handler():\n    total = ''\n    for item in sys.argv:\n        total += item\n    use(total)\n    use(total)\n\nfor arg in sys.argv:\n    use(arg)\n    use(arg)\ntry:\n    pass\nexcept OSError as err:\n    use(err)\n";
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let tree = parser.parse(source, None).unwrap();
        let mut model = Model::new(source.as_bytes());
        let mut arguments = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "import_statement" | "import_from_statement" => model.add_import(node),
                "call"
                    if node
                        .child_by_field_id(*field::FUNCTION)
                        .is_some_and(|f| &source[f.byte_range()] == "use") =>
                {
                    arguments.push(super::positional_argument(node, 0).unwrap());
                }
                _ => {}
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        assert_eq!(arguments.len(), 5);
        for argument in arguments {
            let name = &source[argument.byte_range()];
            let origin = super::outside_origin(&model, argument).map(|o| o.kind);
            if name == "err" {
                // `except … as err`: bound to an unknown value, of no known origin.
                assert_eq!(origin, None);
                assert!(!super::is_constant(&model, argument));
            } else {
                assert_eq!(origin, Some(OriginKind::CommandLine), "{name}");
            }
        }
        // The function's scope and the module's, each once.
        assert_eq!(model.bindings.walks(), 2);
    }
}
