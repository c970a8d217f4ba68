//! roxmltree helpers: positions of elements and attributes, Android's namespaced attributes.

use palisade_core::Span;
use roxmltree::{Document, Node};

pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";
pub const TOOLS_NS: &str = "http://schemas.android.com/tools";

/// Resources bigger than this are not parsed (a notice says so).
pub const MAX_XML_BYTES: usize = 4 * 1024 * 1024;

/// Parses XML text; DTDs are refused (roxmltree's default), so no entity expansion.
pub fn parse(text: &str) -> Result<Document<'_>, String> {
    if text.len() > MAX_XML_BYTES {
        return Err(format!(
            "{} bytes is over the {} byte limit for Android/iOS XML resources",
            text.len(),
            MAX_XML_BYTES
        ));
    }
    // A DOCTYPE that only names an external DTD (every Info.plist has Apple's) is harmless:
    // roxmltree never fetches it. One with an internal subset (`[ … ]`, where entities are
    // declared) stays refused.
    let options = roxmltree::ParsingOptions {
        allow_dtd: external_doctype_only(text),
        ..roxmltree::ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| e.to_string())
}

fn external_doctype_only(text: &str) -> bool {
    let Some(start) = text.find("<!DOCTYPE") else {
        return false;
    };
    let rest = &text[start..];
    let end = rest.find('>').unwrap_or(rest.len());
    !rest[..end].contains('[')
}

/// The 1-based line of the start of an element.
pub fn line(node: Node<'_, '_>) -> u32 {
    node.document().text_pos_at(node.range().start).row
}

/// An attribute value with the span of the whole attribute (`android:exported="true"`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attr {
    pub value: String,
    pub span: Span,
}

impl Attr {
    pub fn is_true(&self) -> bool {
        self.value.trim().eq_ignore_ascii_case("true")
    }
    pub fn is_false(&self) -> bool {
        self.value.trim().eq_ignore_ascii_case("false")
    }
}

/// The attribute `name` in namespace `ns` (`None`: no namespace), with its span.
pub fn attr(node: Node<'_, '_>, ns: Option<&str>, name: &str) -> Option<Attr> {
    let a = node
        .attributes()
        .find(|a| a.name() == name && a.namespace() == ns)?;
    let doc = node.document();
    let range = a.range();
    let start = doc.text_pos_at(range.start);
    let end = doc.text_pos_at(range.end);
    Some(Attr {
        value: a.value().to_string(),
        span: Span {
            start_line: start.row,
            start_column: start.col,
            end_line: end.row,
            end_column: end.col,
        },
    })
}

/// `android:<name>`.
pub fn android(node: Node<'_, '_>, name: &str) -> Option<Attr> {
    attr(node, Some(ANDROID_NS), name)
}

/// The value of `android:<name>`.
pub fn android_value(node: Node<'_, '_>, name: &str) -> Option<String> {
    android(node, name).map(|a| a.value)
}

/// The span of an element's start (its line).
pub fn element_span(node: Node<'_, '_>) -> Span {
    let doc = node.document();
    let start = doc.text_pos_at(node.range().start);
    Span {
        start_line: start.row,
        start_column: start.col,
        end_line: start.row,
        end_column: start.col + node.tag_name().name().len() as u32 + 1,
    }
}
