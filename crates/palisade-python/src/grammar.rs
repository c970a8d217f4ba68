//! tree-sitter-python as palisade-syntax sees it: the grammar (parsed by the shared parser
//! pool, node kinds resolved once) and the shapes of Python's calls, strings and attribute
//! chains, with the accessors for them that the model, the rules and the endpoint inventory
//! share.

use palisade_syntax::{Arguments, CallShape, ChainShape, Grammar, SourceText, StringShape};
use std::sync::LazyLock;
use tree_sitter::Node;

/// The Python grammar, shared by every thread.
pub static PYTHON: LazyLock<Grammar> =
    LazyLock::new(|| Grammar::new("python", tree_sitter_python::LANGUAGE));

/// `f(a, *rest, key=value)`.
pub const CALL: CallShape = CallShape {
    function_field: "function",
    arguments_field: "arguments",
    keyword_kind: Some("keyword_argument"),
    keyword_name_field: "name",
    keyword_value_field: "value",
    skipped_kinds: &["comment", "list_splat", "dictionary_splat"],
};

/// `"text"`, `f"{x}"`, `"a" "b"`, `("x")`.
pub const STRING: StringShape = StringShape {
    string_kinds: &["string"],
    content_kinds: &["string_content", "escape_sequence"],
    interpolation_kinds: &["interpolation"],
    concatenation_kinds: &["concatenated_string"],
    wrapper_kinds: &["parenthesized_expression"],
};

/// `self.session.get`.
pub const CHAIN: ChainShape = ChainShape {
    name_kinds: &["identifier"],
    access_kind: "attribute",
    object_field: "object",
    member_field: "attribute",
};

/// The text of a pure name/attribute chain (`self.app.route`), else `None`.
pub fn dotted<S: SourceText + ?Sized>(node: Node<'_>, src: &S) -> Option<String> {
    palisade_syntax::dotted(node, src, &CHAIN)
}

/// The value of a string literal without interpolation (implicit concatenation and
/// parentheses included); `None` for f-strings with placeholders and anything else.
pub fn string_value<S: SourceText + ?Sized>(node: Node<'_>, src: &S) -> Option<String> {
    palisade_syntax::string_value(node, src, &STRING)
}

/// The positional and keyword arguments of a call node.
pub fn args<'t, S: SourceText + ?Sized>(call: Node<'t>, src: &'t S) -> Arguments<'t> {
    palisade_syntax::arguments(call, src, &CALL)
}
