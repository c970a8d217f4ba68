//! Small helpers over tree-sitter-python nodes: literal strings, call arguments, dotted
//! names, and name resolution through a file's imports (relative imports included).

use super::facts::Ref;
use std::collections::BTreeMap;
use tree_sitter::Node;

/// The source text of a node.
pub fn text<'s>(node: Node<'_>, src: &'s [u8]) -> &'s str {
    std::str::from_utf8(&src[node.byte_range()]).unwrap_or("")
}

/// The value of a string literal without interpolation (implicit concatenation and
/// parentheses included); `None` for f-strings with placeholders and anything else.
pub fn string_value(node: Node<'_>, src: &[u8]) -> Option<String> {
    match node.kind() {
        "string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                match child.kind() {
                    "string_content" | "escape_sequence" => out.push_str(text(child, src)),
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
                out.push_str(&string_value(child, src)?);
            }
            Some(out)
        }
        "parenthesized_expression" => {
            let mut inner = node.named_child(0)?;
            // `((("x")))`: unwrap without recursing.
            while inner.kind() == "parenthesized_expression" {
                inner = inner.named_child(0)?;
            }
            string_value(inner, src)
        }
        _ => None,
    }
}

/// How deep nested literals and wrapper chains are followed (deeper input is generated or
/// hostile; the stack must not overflow on it).
pub const MAX_NESTING: usize = 16;

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

/// A call's positional arguments and keyword arguments.
pub struct Args<'t> {
    pub positional: Vec<Node<'t>>,
    pub keywords: Vec<(&'t str, Node<'t>)>,
}

impl<'t> Args<'t> {
    pub fn keyword(&self, name: &str) -> Option<Node<'t>> {
        self.keywords
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }
}

/// The arguments of a call node.
pub fn args<'t>(call: Node<'t>, src: &'t [u8]) -> Args<'t> {
    let mut out = Args {
        positional: Vec::new(),
        keywords: Vec::new(),
    };
    let Some(list) = call.child_by_field_name("arguments") else {
        return out;
    };
    let mut cursor = list.walk();
    for arg in list.named_children(&mut cursor) {
        match arg.kind() {
            "keyword_argument" => {
                if let (Some(name), Some(value)) = (
                    arg.child_by_field_name("name"),
                    arg.child_by_field_name("value"),
                ) {
                    out.keywords.push((text(name, src), value));
                }
            }
            "comment" | "list_splat" | "dictionary_splat" => {}
            _ => out.positional.push(arg),
        }
    }
    out
}

/// The text of a pure name/attribute chain (`self.app.route`), else `None`.
pub fn dotted(node: Node<'_>, src: &[u8]) -> Option<String> {
    // Iterative: attribute chains can be as long as the input.
    let mut parts = Vec::new();
    let mut current = node;
    loop {
        match current.kind() {
            "identifier" => {
                parts.push(text(current, src));
                break;
            }
            "attribute" => {
                parts.push(text(current.child_by_field_name("attribute")?, src));
                current = current.child_by_field_name("object")?;
            }
            _ => return None,
        }
    }
    parts.reverse();
    Some(parts.join("."))
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

/// The dotted module name of a file path: `shop/api/orders.py` → `shop.api.orders`,
/// `shop/api/__init__.py` → `shop.api`.
pub fn module_of(path: &str) -> String {
    let path = path.trim_start_matches("./");
    let stem = path
        .strip_suffix(".py")
        .or_else(|| path.strip_suffix(".pyi"))
        .unwrap_or(path);
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    let stem = if stem == "__init__" { "" } else { stem };
    stem.replace(['/', '\\'], ".")
}

/// Names of one file: its imports (local name → qualified name) and its module.
#[derive(Debug, Default)]
pub struct Names {
    pub module: String,
    /// The package relative imports start from.
    package: String,
    imports: BTreeMap<String, String>,
}

impl Names {
    pub fn new(path: &str) -> Names {
        let module = module_of(path);
        let is_package = path.ends_with("__init__.py");
        let package = if is_package {
            module.clone()
        } else {
            module
                .rsplit_once('.')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default()
        };
        Names {
            module,
            package,
            imports: BTreeMap::new(),
        }
    }

    /// Records an `import` or `from … import …` statement (relative ones resolved).
    pub fn add_import(&mut self, node: Node<'_>, src: &[u8]) {
        let mut cursor = node.walk();
        if node.kind() == "import_statement" {
            for name in node.children_by_field_name("name", &mut cursor) {
                match name.kind() {
                    "dotted_name" => {
                        let dotted = text(name, src);
                        let first = dotted.split('.').next().unwrap_or("");
                        self.imports.insert(first.to_string(), first.to_string());
                    }
                    "aliased_import" => {
                        if let (Some(n), Some(alias)) = (
                            name.child_by_field_name("name"),
                            name.child_by_field_name("alias"),
                        ) {
                            self.imports
                                .insert(text(alias, src).to_string(), text(n, src).to_string());
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
        let Some(module) = node.child_by_field_name("module_name") else {
            return;
        };
        let base = match module.kind() {
            "dotted_name" => text(module, src).to_string(),
            "relative_import" => {
                let mut dots = 0;
                let mut rest = String::new();
                let mut c = module.walk();
                for child in module.named_children(&mut c) {
                    match child.kind() {
                        "import_prefix" => dots = text(child, src).len(),
                        "dotted_name" => rest = text(child, src).to_string(),
                        _ => {}
                    }
                }
                let mut parts: Vec<&str> = if self.package.is_empty() {
                    Vec::new()
                } else {
                    self.package.split('.').collect()
                };
                for _ in 1..dots {
                    parts.pop();
                }
                if !rest.is_empty() {
                    parts.push(&rest);
                }
                parts.join(".")
            }
            _ => return,
        };
        for name in node.children_by_field_name("name", &mut cursor) {
            let (imported, local) = match name.kind() {
                "dotted_name" => (text(name, src), text(name, src)),
                "aliased_import" => match (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ) {
                    (Some(n), Some(a)) => (text(n, src), text(a, src)),
                    _ => continue,
                },
                _ => continue,
            };
            let qualified = if base.is_empty() {
                imported.to_string()
            } else {
                format!("{base}.{imported}")
            };
            self.imports.insert(local.to_string(), qualified);
        }
    }

    /// The qualified name of a dotted name written in this file: imported names through
    /// their import, anything else as defined in this module.
    pub fn qualify(&self, dotted: &str) -> String {
        let (first, rest) = match dotted.split_once('.') {
            Some((f, r)) => (f, Some(r)),
            None => (dotted, None),
        };
        let base = match self.imports.get(first) {
            Some(b) => b.clone(),
            None if self.module.is_empty() => first.to_string(),
            None => format!("{}.{first}", self.module),
        };
        match rest {
            Some(rest) => format!("{base}.{rest}"),
            None => base,
        }
    }

    /// Local name → qualified name of every import.
    pub fn imports(&self) -> &BTreeMap<String, String> {
        &self.imports
    }

    /// Whether the first part of a dotted name was imported.
    pub fn is_imported(&self, dotted: &str) -> bool {
        self.imports
            .contains_key(dotted.split('.').next().unwrap_or(dotted))
    }

    /// A reference to a name/attribute node.
    pub fn reference(&self, node: Node<'_>, src: &[u8]) -> Option<Ref> {
        let text = dotted(node, src)?;
        Some(self.make_ref(&text))
    }

    pub fn make_ref(&self, text: &str) -> Ref {
        Ref {
            qualified: self.qualify(text),
            text: text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_follow_the_path() {
        assert_eq!(module_of("shop/api/orders.py"), "shop.api.orders");
        assert_eq!(module_of("shop/api/__init__.py"), "shop.api");
        assert_eq!(module_of("app.py"), "app");
        assert_eq!(module_of("__init__.py"), "");
    }
}
