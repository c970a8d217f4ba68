//! Prints the syntax tree of a Java or Kotlin file (a development aid).
fn main() {
    let path = std::env::args().nth(1).expect("path");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut parser = tree_sitter::Parser::new();
    let language: tree_sitter::Language = if path.ends_with(".kt") {
        tree_sitter_kotlin_ng::LANGUAGE.into()
    } else {
        tree_sitter_java::LANGUAGE.into()
    };
    parser.set_language(&language).expect("language");
    let tree = parser.parse(&text, None).expect("parse");
    print(tree.root_node(), &text, 0, None);
}

fn print(node: tree_sitter::Node<'_>, text: &str, depth: usize, field: Option<&str>) {
    let leaf = node.named_child_count() == 0;
    let t = &text[node.byte_range()];
    println!(
        "{}{}{}{}",
        "  ".repeat(depth),
        field.map(|f| format!("{f}: ")).unwrap_or_default(),
        node.kind(),
        if leaf {
            format!(" {t:?}")
        } else {
            String::new()
        }
    );
    let mut cursor = node.walk();
    for (i, child) in node.children(&mut cursor).enumerate() {
        if child.is_named() {
            print(child, text, depth + 1, node.field_name_for_child(i as u32));
        }
    }
}
