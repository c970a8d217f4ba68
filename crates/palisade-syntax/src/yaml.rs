//! Reading YAML with positions: every analyzer that reads YAML (Kubernetes manifests, CI
//! workflows, …) loads it here.
//!
//! Documents are loaded with saphyr into span-annotated trees, keeping each scalar's raw text
//! and quoting style, so that each analyzer can read scalars with the semantics of the
//! program that consumes the file (Kubernetes' go-yaml v2 reads plain `yes` as a boolean,
//! GitHub Actions does not). Alias expansion is capped by saphyr (a "billion laughs" file
//! fails to load instead of exhausting memory).

use saphyr::YamlLoader;
pub use saphyr::{MarkedYaml, ScalarStyle, YamlData};
use saphyr_parser::Parser;

/// One loaded document.
pub struct Document<'input> {
    pub root: MarkedYaml<'input>,
}

/// A YAML error: 1-based line and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    pub message: String,
}

/// Loads every document of a stream. When the stream as a whole does not parse, each
/// `---`-separated part is loaded on its own so one broken document does not hide the others;
/// the errors of the broken parts are returned beside the documents that loaded.
pub fn load(text: &str) -> (Vec<Document<'_>>, Vec<YamlError>) {
    match load_part(text, 0) {
        Ok(docs) => (docs, Vec::new()),
        Err(whole) => {
            let parts = split_documents(text);
            if parts.len() <= 1 {
                return (Vec::new(), vec![whole]);
            }
            let mut docs = Vec::new();
            let mut errors = Vec::new();
            for (offset, part) in parts {
                match load_part(part, offset) {
                    Ok(d) => docs.extend(d),
                    Err(e) => errors.push(e),
                }
            }
            (docs, errors)
        }
    }
}

fn load_part(text: &str, line_offset: u32) -> Result<Vec<Document<'_>>, YamlError> {
    let mut loader: YamlLoader<'_, MarkedYaml<'_>> = YamlLoader::default();
    loader.early_parse(false);
    let mut parser = Parser::new_from_str(text);
    let result = parser.load(&mut loader, true);
    let error = result.err().or_else(|| loader.error().cloned());
    if let Some(e) = error {
        return Err(YamlError {
            line: e.marker().line() as u32 + line_offset,
            message: e.info().to_string(),
        });
    }
    let mut docs: Vec<Document<'_>> = loader
        .into_documents()
        .into_iter()
        .map(|root| Document { root })
        .collect();
    if line_offset > 0 {
        for doc in &mut docs {
            shift(&mut doc.root, line_offset, 0);
        }
    }
    Ok(docs)
}

/// Loads a stream that starts `lines` lines and `columns` columns into a bigger file (a
/// block scalar of a kustomization: an inline patch), with positions in that file. Only the
/// first line of a block is shifted right correctly when its lines are indented alike, which
/// block scalars are.
pub fn load_at(text: &str, lines: u32, columns: u32) -> (Vec<Document<'_>>, Vec<YamlError>) {
    let (mut docs, mut errors) = load(text);
    for doc in &mut docs {
        shift(&mut doc.root, lines, columns);
    }
    for error in &mut errors {
        error.line += lines;
    }
    (docs, errors)
}

/// Splits a stream at `---` lines; each part with the number of lines before it.
fn split_documents(text: &str) -> Vec<(u32, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut start_line = 0u32;
    let mut offset = 0;
    for (line_no, line) in (0u32..).zip(text.split_inclusive('\n')) {
        let is_marker =
            line.starts_with("---") && line[3..].chars().next().is_none_or(char::is_whitespace);
        if is_marker && offset > start {
            parts.push((start_line, &text[start..offset]));
            start = offset;
            start_line = line_no;
        }
        offset += line.len();
    }
    parts.push((start_line, &text[start..]));
    parts
}

fn shift(node: &mut MarkedYaml<'_>, lines: u32, columns: u32) {
    let moved = |m: saphyr_parser::Marker| {
        saphyr_parser::Marker::new(
            m.index(),
            m.line() + lines as usize,
            m.col() + columns as usize,
        )
    };
    node.span = saphyr_parser::Span::new(moved(node.span.start), moved(node.span.end));
    match &mut node.data {
        YamlData::Sequence(items) => items.iter_mut().for_each(|i| shift(i, lines, columns)),
        YamlData::Mapping(map) => {
            // Keys are immutable inside the map: rebuild it with shifted keys.
            let entries: Vec<_> = std::mem::take(map).into_iter().collect();
            for (mut k, mut v) in entries {
                shift(&mut k, lines, columns);
                shift(&mut v, lines, columns);
                map.insert(k, v);
            }
        }
        YamlData::Tagged(_, inner) => shift(inner, lines, columns),
        _ => {}
    }
}

/// The raw text of a scalar, whatever its style.
pub fn scalar<'a>(node: &'a MarkedYaml<'_>) -> Option<&'a str> {
    match &node.data {
        YamlData::Representation(text, _, _) => Some(text.as_ref()),
        YamlData::Tagged(_, inner) => scalar(inner),
        _ => None,
    }
}

/// The value under `key` in a mapping, with the key node (for its position).
pub fn entry<'a, 'input>(
    node: &'a MarkedYaml<'input>,
    key: &str,
) -> Option<(&'a MarkedYaml<'input>, &'a MarkedYaml<'input>)> {
    match &node.data {
        YamlData::Mapping(map) => map.iter().find(|(k, _)| scalar(k) == Some(key)),
        YamlData::Tagged(_, inner) => entry(inner, key),
        _ => None,
    }
}

/// The value under `key` in a mapping.
pub fn get<'a, 'input>(node: &'a MarkedYaml<'input>, key: &str) -> Option<&'a MarkedYaml<'input>> {
    entry(node, key).map(|(_, v)| v)
}

/// The value at a path of keys.
pub fn get_path<'a, 'input>(
    node: &'a MarkedYaml<'input>,
    path: &[&str],
) -> Option<&'a MarkedYaml<'input>> {
    path.iter().try_fold(node, |n, key| get(n, key))
}

/// The string under `key` (any scalar style).
pub fn get_str<'a>(node: &'a MarkedYaml<'_>, key: &str) -> Option<&'a str> {
    get(node, key).and_then(scalar)
}

/// The items of a sequence (empty for anything else).
pub fn items<'a, 'input>(node: &'a MarkedYaml<'input>) -> &'a [MarkedYaml<'input>] {
    match &node.data {
        YamlData::Sequence(items) => items,
        YamlData::Tagged(_, inner) => items(inner),
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_document_does_not_hide_the_others() {
        let (docs, errors) = load("a: 1\n---\nb: [unclosed\n---\nc:\n  d: 2\n");
        assert_eq!(errors.len(), 1);
        // An unclosed flow sequence is only noticed where its document ends.
        assert!((3..=4).contains(&errors[0].line), "{errors:?}");
        let last = docs.last().unwrap();
        let (key, _) = entry(get(&last.root, "c").unwrap(), "d").unwrap();
        assert_eq!(key.span.start.line(), 6);
    }

    #[test]
    fn alias_bombs_fail_instead_of_exhausting_memory() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let (_, errors) = load(&text);
        assert_eq!(errors.len(), 1);
    }
}
