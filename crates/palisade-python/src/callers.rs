//! Who calls a function of this file, and what they pass for one of its parameters.
//!
//! A value that reaches a sink as a *parameter* says little by itself: `_get_duplicates(
//! session, model)` is called with model classes, `create_table(conn, name)` with
//! `f"query_{int(id)}"`, `legacy_rows(src, args.table)` with the command line. Rules that
//! grade a hazard by where its value comes from ask here, one level up: the arguments
//! written at the call sites of the same file, or that there are none (the function is
//! called from elsewhere, or is a framework's entry point).
//!
//! Calls are matched by name: `name(...)` for a function, `anything.name(...)` for a method
//! (`self.name`, `cls.name`, `Model.name`), with `self`/`cls` skipped when the definition
//! takes one. A name defined twice in a file may match calls of the other definition; the
//! answer is then a superset, which only ever raises a grade.

use crate::flow;
use crate::grammar::field;
use crate::model::Model;
use tree_sitter::Node;

/// Call sites looked at, at most, per question.
const MAX_CALL_SITES: usize = 32;
/// Nodes of the file walked, at most, per question.
const MAX_NODES: usize = 200_000;

/// The enclosing `def` named `function` of `node`, if any.
pub fn enclosing_function<'t>(
    model: &Model<'t>,
    node: Node<'t>,
    function: &str,
) -> Option<Node<'t>> {
    let mut current = node;
    while let Some(parent) = model.parent(current) {
        if parent.kind() == "function_definition"
            && parent
                .child_by_field_id(*field::NAME)
                .is_some_and(|n| model.text(n) == function)
        {
            return Some(parent);
        }
        current = parent;
    }
    None
}

/// The nearest enclosing `def` of a node.
pub fn enclosing_def(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node.parent();
    while let Some(n) = current {
        if n.kind() == "function_definition" {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

/// Whether a function is a web framework's request handler (a route decorator such as
/// `@app.get("/x")`, `@router.post(...)`, `@bp.route(...)`), whose parameters are request
/// data.
pub fn is_route_handler(model: &Model<'_>, function: Node<'_>) -> bool {
    let Some(decorated) = function
        .parent()
        .filter(|p| p.kind() == "decorated_definition")
    else {
        return false;
    };
    let mut cursor = decorated.walk();
    decorated
        .named_children(&mut cursor)
        .filter(|d| d.kind() == "decorator")
        .any(|d| {
            let text = model.text(d);
            [
                ".get(",
                ".post(",
                ".put(",
                ".patch(",
                ".delete(",
                ".route(",
                ".api_route(",
                ".websocket(",
            ]
            .iter()
            .any(|m| text.contains(m))
        })
}

/// The arguments the call sites of this file pass for `parameter` of `function` (a
/// `function_definition`), or `None` when nothing in the file calls it. A call site that
/// passes nothing for the parameter (its default applies) contributes nothing.
pub fn arguments_for<'t>(
    model: &Model<'t>,
    function: Node<'t>,
    parameter: &str,
) -> Option<Vec<Node<'t>>> {
    let name = model.text(function.child_by_field_id(*field::NAME)?);
    let params = flow::parameter_names(model, function);
    let index = params.iter().position(|p| p == parameter)?;
    let takes_self = params.first().is_some_and(|p| p == "self" || p == "cls");
    let root = model.root_of(function);
    let mut sites = 0;
    let mut arguments = Vec::new();
    let mut stack = vec![root];
    let mut visited = 0;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > MAX_NODES || sites >= MAX_CALL_SITES {
            break;
        }
        if node.kind() == "call"
            && let Some(callee) = node.child_by_field_id(*field::FUNCTION)
        {
            let implicit_self = match callee.kind() {
                "identifier" if model.text(callee) == name => Some(false),
                "attribute"
                    if callee
                        .child_by_field_id(*field::ATTRIBUTE)
                        .is_some_and(|a| model.text(a) == name) =>
                {
                    Some(takes_self)
                }
                _ => None,
            };
            if let Some(implicit_self) = implicit_self {
                sites += 1;
                let position = if implicit_self {
                    index.checked_sub(1)
                } else {
                    Some(index)
                };
                let argument = flow::keyword(model, node, parameter)
                    .or_else(|| position.and_then(|i| flow::positional(node).get(i).copied()));
                arguments.extend(argument);
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    (sites > 0).then_some(arguments)
}
