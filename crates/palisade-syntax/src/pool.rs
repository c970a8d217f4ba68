//! The parser pool: one `tree_sitter::Parser` per worker thread and grammar, created on first
//! use and reused for every later file (a parser is not `Sync`, and creating one per file
//! costs an allocation and a language check each time).

use crate::grammar::Grammar;
use std::cell::RefCell;
use tree_sitter::{Node, Parser, Tree};

thread_local! {
    /// This thread's parsers, by grammar key. A handful of grammars at most: a list is enough.
    static PARSERS: RefCell<Vec<(usize, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// A parsed file.
pub struct Parsed {
    pub tree: Tree,
    /// Set when tree-sitter had to recover from a syntax error: the tree is still usable
    /// (the broken part is an `ERROR` node), and the analyzer should say so in a notice.
    pub syntax_error: Option<SyntaxError>,
}

/// Where a recovered syntax error starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line of the first `ERROR` or missing node, in document order.
    pub line: u32,
}

/// Why no tree came out of a parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseFailure {
    /// The grammar was built for a tree-sitter ABI this library does not speak.
    Language(String),
    /// The parser gave up (it returns no tree when cancelled or out of budget).
    GaveUp,
}

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseFailure::Language(e) => write!(f, "the grammar cannot be loaded: {e}"),
            ParseFailure::GaveUp => f.write_str("the parser gave up on this file"),
        }
    }
}

impl std::error::Error for ParseFailure {}

/// Parses `text` with this thread's parser for `grammar`.
pub fn parse(grammar: &Grammar, text: &str) -> Result<Parsed, ParseFailure> {
    let tree =
        with_parser(grammar, |parser| parser.parse(text, None))?.ok_or(ParseFailure::GaveUp)?;
    let root = tree.root_node();
    let syntax_error = root.has_error().then(|| SyntaxError {
        line: first_error_line(root),
    });
    Ok(Parsed { tree, syntax_error })
}

/// Runs `f` with this thread's parser for `grammar`, creating it on first use.
pub fn with_parser<R>(
    grammar: &Grammar,
    f: impl FnOnce(&mut Parser) -> R,
) -> Result<R, ParseFailure> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let at = match parsers.iter().position(|(key, _)| *key == grammar.key()) {
            Some(at) => at,
            None => {
                let mut parser = Parser::new();
                parser
                    .set_language(grammar.language())
                    .map_err(|e| ParseFailure::Language(e.to_string()))?;
                parsers.push((grammar.key(), parser));
                parsers.len() - 1
            }
        };
        Ok(f(&mut parsers[at].1))
    })
}

/// The 1-based line of the first `ERROR` or missing node under `root`, descending only into
/// subtrees that contain one.
pub fn first_error_line(root: Node<'_>) -> u32 {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return line_of(node);
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                if cursor.node().has_error() {
                    break;
                }
                continue;
            }
            if !cursor.goto_parent() {
                return line_of(root);
            }
        }
    }
}

fn line_of(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row)
        .unwrap_or(u32::MAX - 1)
        .saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static PYTHON: LazyLock<Grammar> =
        LazyLock::new(|| Grammar::new("python", tree_sitter_python::LANGUAGE));

    #[test]
    fn a_clean_file_has_no_syntax_error() {
        let parsed = parse(&PYTHON, "x = 1\n").unwrap();
        assert_eq!(parsed.syntax_error, None);
        assert_eq!(parsed.tree.root_node().kind(), "module");
    }

    #[test]
    fn a_broken_file_reports_its_first_error_line() {
        let parsed = parse(&PYTHON, "x = 1\ny = 2\ndef (:\nz = 3\n").unwrap();
        assert_eq!(parsed.syntax_error, Some(SyntaxError { line: 3 }));
    }

    #[test]
    fn the_thread_reuses_its_parser() {
        parse(&PYTHON, "a = 1\n").unwrap();
        parse(&PYTHON, "b = 2\n").unwrap();
        let count = PARSERS.with(|p| {
            p.borrow()
                .iter()
                .filter(|(k, _)| *k == PYTHON.key())
                .count()
        });
        assert_eq!(count, 1);
    }
}
