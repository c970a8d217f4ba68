//! Reading nodes: their text, their span in the file, and typed views of the node kinds rules
//! look at most (calls with their arguments, string literals, `a.b.c` chains).
//!
//! Grammars name these differently (Python's `call`/`argument_list`/`keyword_argument`,
//! JavaScript's `call_expression`/`arguments`, Java's `method_invocation`), so each accessor
//! takes a small *shape*: the kind and field names one language uses. A language crate
//! declares its shapes once as constants and wraps the accessors.

use palisade_core::{SourceFile, Span};
use tree_sitter::Node;

/// A file's text as accessors read it: `str` (the normal case) or raw bytes.
pub trait SourceText {
    /// The text of a byte range; empty when the range is outside the text or not on
    /// character boundaries (a node of a tree parsed from other text).
    fn slice(&self, range: std::ops::Range<usize>) -> &str;
}

impl SourceText for str {
    fn slice(&self, range: std::ops::Range<usize>) -> &str {
        self.get(range).unwrap_or("")
    }
}

impl SourceText for [u8] {
    fn slice(&self, range: std::ops::Range<usize>) -> &str {
        self.get(range)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

impl SourceText for String {
    fn slice(&self, range: std::ops::Range<usize>) -> &str {
        self.as_str().slice(range)
    }
}

/// The source text of a node (the snippet a finding shows for it).
pub fn text<'s, S: SourceText + ?Sized>(node: Node<'_>, source: &'s S) -> &'s str {
    source.slice(node.byte_range())
}

/// The span of a node in `file`, in 1-based lines and character columns (through the file's
/// line index, so columns count characters, not bytes).
pub fn span(file: &SourceFile, node: Node<'_>) -> Span {
    file.span(node.start_byte(), node.end_byte())
}

/// The 1-based line a node starts on.
pub fn line(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row)
        .unwrap_or(u32::MAX - 1)
        .saturating_add(1)
}

/// How a language writes a member access chain such as `a.b.c`.
#[derive(Clone, Copy, Debug)]
pub struct ChainShape {
    /// Kinds of a plain name (`identifier`).
    pub name_kinds: &'static [&'static str],
    /// The kind of one access (`attribute`, `member_expression`).
    pub access_kind: &'static str,
    /// The field holding what is accessed (`object`).
    pub object_field: &'static str,
    /// The field holding the accessed name (`attribute`, `property`).
    pub member_field: &'static str,
}

/// The text of a pure name/access chain (`self.session.get`), parts joined by `.`; `None`
/// for anything else (a call, a subscript, a literal anywhere in the chain).
pub fn dotted<S: SourceText + ?Sized>(
    node: Node<'_>,
    source: &S,
    shape: &ChainShape,
) -> Option<String> {
    // Iterative: chains can be as long as the input.
    let mut parts = Vec::new();
    let mut current = node;
    loop {
        let kind = current.kind();
        if shape.name_kinds.contains(&kind) {
            parts.push(text(current, source));
            break;
        }
        if kind != shape.access_kind {
            return None;
        }
        parts.push(text(
            current.child_by_field_name(shape.member_field)?,
            source,
        ));
        current = current.child_by_field_name(shape.object_field)?;
    }
    parts.reverse();
    Some(parts.join("."))
}

/// How a language writes a call and its arguments.
#[derive(Clone, Copy, Debug)]
pub struct CallShape {
    /// The field of the call holding the callee (`function`).
    pub function_field: &'static str,
    /// The field holding the argument list (`arguments`).
    pub arguments_field: &'static str,
    /// The kind of a keyword argument (`keyword_argument`), if the language has them.
    pub keyword_kind: Option<&'static str>,
    /// The fields of a keyword argument's name and value (`name`, `value`).
    pub keyword_name_field: &'static str,
    pub keyword_value_field: &'static str,
    /// Kinds in an argument list that are not arguments to read (comments, splats).
    pub skipped_kinds: &'static [&'static str],
}

/// A call's callee, positional arguments and keyword arguments.
#[derive(Clone, Debug, Default)]
pub struct Arguments<'t> {
    pub positional: Vec<Node<'t>>,
    /// (name, value), in source order.
    pub keywords: Vec<(&'t str, Node<'t>)>,
}

impl<'t> Arguments<'t> {
    /// The value of keyword argument `name` (the first, if it is given twice).
    pub fn keyword(&self, name: &str) -> Option<Node<'t>> {
        self.keywords
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }
}

/// The callee of a call node.
pub fn callee<'t>(call: Node<'t>, shape: &CallShape) -> Option<Node<'t>> {
    call.child_by_field_name(shape.function_field)
}

/// The arguments of a call node (empty when it has none, or is no call).
pub fn arguments<'t, S: SourceText + ?Sized>(
    call: Node<'t>,
    source: &'t S,
    shape: &CallShape,
) -> Arguments<'t> {
    let mut out = Arguments::default();
    let Some(list) = call.child_by_field_name(shape.arguments_field) else {
        return out;
    };
    let mut cursor = list.walk();
    for arg in list.named_children(&mut cursor) {
        let kind = arg.kind();
        if Some(kind) == shape.keyword_kind {
            if let (Some(name), Some(value)) = (
                arg.child_by_field_name(shape.keyword_name_field),
                arg.child_by_field_name(shape.keyword_value_field),
            ) {
                out.keywords.push((text(name, source), value));
            }
        } else if !shape.skipped_kinds.contains(&kind) {
            out.positional.push(arg);
        }
    }
    out
}

/// How a language writes string literals.
#[derive(Clone, Copy, Debug)]
pub struct StringShape {
    /// Kinds of one literal (`string`, `template_string`).
    pub string_kinds: &'static [&'static str],
    /// Children of a literal that make up its value (`string_content`, `escape_sequence`).
    pub content_kinds: &'static [&'static str],
    /// Children that make the value unknown (`interpolation`, `template_substitution`).
    pub interpolation_kinds: &'static [&'static str],
    /// Kinds whose named children are literals written next to each other and joined
    /// (`concatenated_string`).
    pub concatenation_kinds: &'static [&'static str],
    /// Kinds that wrap one expression (`parenthesized_expression`).
    pub wrapper_kinds: &'static [&'static str],
}

/// How deep nested wrappers and concatenations are followed: deeper input is generated or
/// hostile, and the stack must not overflow on it.
pub const MAX_NESTING: usize = 16;

/// The value of a string literal without interpolation (escape sequences kept as written);
/// `None` for anything else, or a literal with an interpolated part.
pub fn string_value<S: SourceText + ?Sized>(
    node: Node<'_>,
    source: &S,
    shape: &StringShape,
) -> Option<String> {
    let mut out = String::new();
    string_into(node, source, shape, 0, &mut out)?;
    Some(out)
}

fn string_into<S: SourceText + ?Sized>(
    node: Node<'_>,
    source: &S,
    shape: &StringShape,
    depth: usize,
    out: &mut String,
) -> Option<()> {
    let mut node = node;
    // `((("x")))`: unwrap without recursing.
    while shape.wrapper_kinds.contains(&node.kind()) {
        node = node.named_child(0)?;
    }
    let kind = node.kind();
    if shape.string_kinds.contains(&kind) {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            let k = child.kind();
            if shape.interpolation_kinds.contains(&k) {
                return None;
            }
            if shape.content_kinds.contains(&k) {
                out.push_str(text(child, source));
            }
        }
        return Some(());
    }
    if shape.concatenation_kinds.contains(&kind) && depth < MAX_NESTING {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            string_into(child, source, shape, depth + 1, out)?;
        }
        return Some(());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Grammar, parse};
    use std::sync::LazyLock;

    static PYTHON: LazyLock<Grammar> =
        LazyLock::new(|| Grammar::new("python", tree_sitter_python::LANGUAGE));

    const CHAIN: ChainShape = ChainShape {
        name_kinds: &["identifier"],
        access_kind: "attribute",
        object_field: "object",
        member_field: "attribute",
    };
    const CALL: CallShape = CallShape {
        function_field: "function",
        arguments_field: "arguments",
        keyword_kind: Some("keyword_argument"),
        keyword_name_field: "name",
        keyword_value_field: "value",
        skipped_kinds: &["comment", "list_splat", "dictionary_splat"],
    };
    const STRING: StringShape = StringShape {
        string_kinds: &["string"],
        content_kinds: &["string_content", "escape_sequence"],
        interpolation_kinds: &["interpolation"],
        concatenation_kinds: &["concatenated_string"],
        wrapper_kinds: &["parenthesized_expression"],
    };

    /// The expression of the first statement of `source`.
    fn with_expression(source: &str, check: impl FnOnce(Node<'_>)) {
        let parsed = parse(&PYTHON, source).unwrap();
        let statement = parsed.tree.root_node().named_child(0).unwrap();
        check(statement.named_child(0).unwrap());
    }

    #[test]
    fn calls_split_into_callee_positional_and_keyword_arguments() {
        let source = "requests.get(url, *rest, timeout=5, verify=False)  # c\n";
        with_expression(source, |call| {
            let callee = callee(call, &CALL).unwrap();
            assert_eq!(
                dotted(callee, source, &CHAIN).as_deref(),
                Some("requests.get")
            );
            let a = arguments(call, source, &CALL);
            let positional: Vec<&str> = a.positional.iter().map(|n| text(*n, source)).collect();
            assert_eq!(positional, ["url"]);
            assert_eq!(a.keywords.len(), 2);
            assert_eq!(a.keyword("verify").map(|v| text(v, source)), Some("False"));
            assert_eq!(a.keyword("cert"), None);
        });
    }

    #[test]
    fn chains_of_names_are_dotted_and_anything_else_is_not() {
        with_expression("self.app.route\n", |n| {
            assert_eq!(
                dotted(n, "self.app.route\n", &CHAIN).as_deref(),
                Some("self.app.route")
            );
        });
        with_expression("f().route\n", |n| {
            assert_eq!(dotted(n, "f().route\n", &CHAIN), None)
        });
    }

    #[test]
    fn string_values_join_literals_and_refuse_interpolation() {
        let cases = [
            ("'plain'\n", Some("plain")),
            ("('a' 'b')\n", Some("ab")),
            ("((('deep')))\n", Some("deep")),
            ("'tab\\t'\n", Some("tab\\t")),
            ("f'{x}'\n", None),
            ("f'no placeholder'\n", Some("no placeholder")),
            ("name\n", None),
        ];
        for (source, expected) in cases {
            with_expression(source, |n| {
                assert_eq!(
                    string_value(n, source, &STRING).as_deref(),
                    expected,
                    "{source}"
                );
            });
        }
    }

    #[test]
    fn bytes_and_str_sources_read_the_same_text() {
        let source = "é = 'ü'\n";
        with_expression(source, |assignment| {
            let right = assignment.child_by_field_name("right").unwrap();
            assert_eq!(text(right, source), "'ü'");
            assert_eq!(text(right, source.as_bytes()), "'ü'");
            assert_eq!(line(right), 1);
        });
    }
}
