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

/// The Python grammar's field ids, resolved once. `Node::child_by_field_name` finds a name's
/// id by comparing it with the grammar's field names on every call, and the analysis asks
/// for fields hundreds of thousands of times per product (about 8 % of a scan's time went
/// to those comparisons).
pub mod field {
    use std::sync::LazyLock;

    macro_rules! fields {
        ($($id:ident = $name:literal),* $(,)?) => {
            $(
                #[doc = concat!("The `", $name, "` field.")]
                pub static $id: LazyLock<u16> = LazyLock::new(|| id($name));
            )*
            /// Every field the analysis asks for, with its id (for the test that each one
            /// exists in the grammar).
            #[cfg(test)]
            pub(crate) fn all() -> Vec<(&'static str, u16)> {
                vec![$(($name, *$id)),*]
            }
        };
    }

    /// The id of a field name; 0 (which no node has) for a name the grammar lacks, so a
    /// typo finds nothing instead of panicking — the test below catches it.
    fn id(name: &str) -> u16 {
        super::PYTHON
            .language()
            .field_id_for_name(name)
            .map_or(0, |id| id.get())
    }

    fields! {
        ALIAS = "alias",
        ALTERNATIVE = "alternative",
        ARGUMENT = "argument",
        ARGUMENTS = "arguments",
        ATTRIBUTE = "attribute",
        BODY = "body",
        CONDITION = "condition",
        CONSEQUENCE = "consequence",
        DEFINITION = "definition",
        EXPRESSION = "expression",
        FORMAT_SPECIFIER = "format_specifier",
        FUNCTION = "function",
        KEY = "key",
        LEFT = "left",
        MODULE_NAME = "module_name",
        NAME = "name",
        OBJECT = "object",
        OPERATOR = "operator",
        PARAMETERS = "parameters",
        RIGHT = "right",
        SUBSCRIPT = "subscript",
        SUPERCLASSES = "superclasses",
        TYPE = "type",
        VALUE = "value",
    }
}

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
///
/// What `palisade_syntax::dotted` does with [`CHAIN`], through the fields' ids: this is asked
/// for nearly every call of every file by several rules, and looking fields up by name
/// compared strings on each step.
pub fn dotted<S: SourceText + ?Sized>(node: Node<'_>, src: &S) -> Option<String> {
    // Iterative: chains can be as long as the input.
    let mut parts = Vec::new();
    let mut current = node;
    loop {
        match current.kind() {
            "identifier" => {
                parts.push(palisade_syntax::text(current, src));
                break;
            }
            "attribute" => {
                let member = current.child_by_field_id(*field::ATTRIBUTE)?;
                parts.push(palisade_syntax::text(member, src));
                current = current.child_by_field_id(*field::OBJECT)?;
            }
            _ => return None,
        }
    }
    parts.reverse();
    Some(parts.join("."))
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

#[cfg(test)]
mod tests {
    #[test]
    fn dotted_agrees_with_the_shared_chain_reader() {
        let source = "a.b.c\nself.x\nf(x).y\nname\nd[0].e\n(a).b\n";
        let parsed = palisade_syntax::parse(&super::PYTHON, source).unwrap();
        let root = parsed.tree.root_node();
        let mut stack = vec![root];
        let mut checked = 0;
        while let Some(node) = stack.pop() {
            assert_eq!(
                super::dotted(node, source),
                palisade_syntax::dotted(node, source, &super::CHAIN)
            );
            checked += 1;
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
        assert!(checked > 20);
    }

    #[test]
    fn every_field_the_analysis_asks_for_exists() {
        for (name, id) in super::field::all() {
            assert_ne!(id, 0, "`{name}` is not a field of the Python grammar");
        }
    }
}
