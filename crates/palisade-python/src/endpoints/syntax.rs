//! Small helpers over tree-sitter-python nodes for the inventory: literal strings and the
//! strings in lists of them, list elements, call arguments, dotted names. The accessors
//! themselves are palisade-syntax's, with Python's shapes ([`crate::grammar`]); names are
//! resolved through the file's imports by the [`crate::model::Model`].

pub use crate::grammar::{args, dotted, string_value};
use tree_sitter::Node;

/// A call's positional arguments and keyword arguments.
pub type Args<'t> = palisade_syntax::Arguments<'t>;

/// The source text of a node.
pub fn text<'s>(node: Node<'_>, src: &'s [u8]) -> &'s str {
    palisade_syntax::text(node, src)
}

/// How deep nested literals and wrapper chains are followed (deeper input is generated or
/// hostile; the stack must not overflow on it).
pub const MAX_NESTING: usize = palisade_syntax::MAX_NESTING;

/// The strings of a literal string, list, tuple or set of strings (nested ones flattened).
pub fn strings_in(node: Node<'_>, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    strings_into(node, src, 0, &mut out);
    out
}

fn strings_into(node: Node<'_>, src: &[u8], depth: usize, out: &mut Vec<String>) {
    if let Some(s) = string_value(node, src) {
        out.push(s);
        return;
    }
    if depth >= MAX_NESTING {
        return;
    }
    if matches!(
        node.kind(),
        "list" | "tuple" | "set" | "parenthesized_expression" | "expression_list"
    ) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            strings_into(child, src, depth + 1, out);
        }
    }
}

/// The elements of a list, tuple or set literal; the node itself otherwise.
pub fn elements(node: Node<'_>) -> Vec<Node<'_>> {
    match node.kind() {
        "list" | "tuple" | "set" | "expression_list" => {
            let mut cursor = node.walk();
            node.named_children(&mut cursor)
                .filter(|n| n.kind() != "comment")
                .collect()
        }
        "parenthesized_expression" => node.named_child(0).map(elements).unwrap_or_default(),
        _ => vec![node],
    }
}

/// Whether a node is the literal `True`.
pub fn is_true(node: Node<'_>) -> bool {
    node.kind() == "true"
}

/// An integer literal's value.
pub fn int_value(node: Node<'_>, src: &[u8]) -> Option<i64> {
    (node.kind() == "integer")
        .then(|| text(node, src).replace('_', "").parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use crate::model::module_of;

    #[test]
    fn module_names_follow_the_path() {
        assert_eq!(module_of("shop/api/orders.py"), "shop.api.orders");
        assert_eq!(module_of("shop/api/__init__.py"), "shop.api");
        assert_eq!(module_of("app.py"), "app");
        assert_eq!(module_of("__init__.py"), "");
    }
}
