//! An Info.plist read into a tree of values with positions. XML plists are read with
//! roxmltree (for line numbers); other text plists (the old ASCII format) with the plist
//! crate, whose values have no positions (findings then point at line 1). Binary plists
//! reach the analyzer as their XML rendering (see [`super::binary`]).

use crate::xml;
use palisade_core::Span;
use roxmltree::Node;

#[derive(Clone, Debug)]
pub enum Value {
    Dict(Vec<(String, Span, Value)>),
    Array(Vec<Value>),
    String(String, Span),
    Bool(bool, Span),
    Number(f64, Span),
    Other(Span),
}

impl Value {
    /// The value of `key` in a dictionary, with the key's span.
    pub fn get(&self, key: &str) -> Option<(Span, &Value)> {
        match self {
            Value::Dict(entries) => entries
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, span, v)| (*span, v)),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Span, Value)] {
        match self {
            Value::Dict(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Value] {
        match self {
            Value::Array(items) => items,
            _ => &[],
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b, _) => Some(*b),
            Value::String(s, _) => match s.as_str() {
                "YES" | "true" => Some(true),
                "NO" | "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s, _) => Some(s),
            _ => None,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Value::String(_, s) | Value::Bool(_, s) | Value::Number(_, s) | Value::Other(s) => *s,
            Value::Dict(_) | Value::Array(_) => Span::line(1),
        }
    }
}

/// What a plist is for, from its file name: the rules of one kind read only that kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlistKind {
    /// `Info.plist`, `*-Info.plist`: the bundle's settings (App Transport Security, URL types).
    Info,
    /// `*.entitlements`: the code-signing entitlements the app asks for.
    Entitlements,
}

impl PlistKind {
    pub fn of_path(path: &str) -> PlistKind {
        if path.to_ascii_lowercase().ends_with(".entitlements") {
            PlistKind::Entitlements
        } else {
            PlistKind::Info
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            PlistKind::Info => "Info.plist",
            PlistKind::Entitlements => "entitlements plist",
        }
    }
}

pub struct Plist {
    pub root: Value,
    pub kind: PlistKind,
    /// The file's path as reports show it (empty when parsed from bare text).
    pub path: String,
}

impl Plist {
    /// Whether the file name says it is only for debug or development builds
    /// (`App-Debug.entitlements`, `Development.entitlements`): such files never ship in a
    /// release, so settings that are wrong in a release are expected there.
    pub fn is_debug_only(&self) -> bool {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        let lower = name.to_ascii_lowercase();
        ["debug", "development", "devel."]
            .iter()
            .any(|w| lower.contains(w))
            || lower.starts_with("dev.")
            || lower.contains("-dev.")
            || lower.contains("_dev.")
    }
}

impl Plist {
    pub fn parse(text: &str) -> Result<Plist, String> {
        if text.trim_start().starts_with('<') {
            let doc = xml::parse(text)?;
            let root = doc.root_element();
            if root.tag_name().name() != "plist" {
                return Err(format!(
                    "root element is <{}>, not <plist>",
                    root.tag_name().name()
                ));
            }
            let first = root
                .children()
                .find(Node::is_element)
                .ok_or("empty <plist>")?;
            return Ok(Plist {
                root: from_xml(first, 0),
                kind: PlistKind::Info,
                path: String::new(),
            });
        }
        let value = plist::Value::from_reader(std::io::Cursor::new(text.as_bytes()))
            .map_err(|e| e.to_string())?;
        Ok(Plist {
            root: from_plist(&value, 0),
            kind: PlistKind::Info,
            path: String::new(),
        })
    }
}

const MAX_DEPTH: u32 = 64;

fn from_xml(node: Node<'_, '_>, depth: u32) -> Value {
    let span = xml::element_span(node);
    if depth > MAX_DEPTH {
        return Value::Other(span);
    }
    match node.tag_name().name() {
        "dict" => {
            let mut entries = Vec::new();
            let mut key: Option<(String, Span)> = None;
            for child in node.children().filter(Node::is_element) {
                if child.has_tag_name("key") {
                    key = Some((
                        child.text().unwrap_or("").trim().to_string(),
                        xml::element_span(child),
                    ));
                } else if let Some((k, s)) = key.take() {
                    entries.push((k, s, from_xml(child, depth + 1)));
                }
            }
            Value::Dict(entries)
        }
        "array" => Value::Array(
            node.children()
                .filter(Node::is_element)
                .map(|c| from_xml(c, depth + 1))
                .collect(),
        ),
        "string" => Value::String(node.text().unwrap_or("").to_string(), span),
        "true" => Value::Bool(true, span),
        "false" => Value::Bool(false, span),
        "integer" | "real" => node
            .text()
            .and_then(|t| t.trim().parse().ok())
            .map_or(Value::Other(span), |n| Value::Number(n, span)),
        _ => Value::Other(span),
    }
}

fn from_plist(value: &plist::Value, depth: u32) -> Value {
    let span = Span::line(1);
    if depth > MAX_DEPTH {
        return Value::Other(span);
    }
    match value {
        plist::Value::Dictionary(d) => Value::Dict(
            d.iter()
                .map(|(k, v)| (k.clone(), span, from_plist(v, depth + 1)))
                .collect(),
        ),
        plist::Value::Array(a) => {
            Value::Array(a.iter().map(|v| from_plist(v, depth + 1)).collect())
        }
        plist::Value::String(s) => Value::String(s.clone(), span),
        plist::Value::Boolean(b) => Value::Bool(*b, span),
        plist::Value::Integer(i) => i
            .as_signed()
            .map_or(Value::Other(span), |n| Value::Number(n as f64, span)),
        plist::Value::Real(r) => Value::Number(*r, span),
        _ => Value::Other(span),
    }
}
