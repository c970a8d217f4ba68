//! The parser pool: one `tree_sitter::Parser` per worker thread and grammar, created on first
//! use and reused for every later file (a parser is not `Sync`, and creating one per file
//! costs an allocation and a language check each time).

use crate::grammar::Grammar;
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};
use tree_sitter::{Node, ParseOptions, Parser, Range, Tree};

/// The time any one parse may take: a base plus a share per byte, about thirty times what a
/// parse of real code takes on a loaded machine (0.1 µs a byte). Some grammars' error
/// recovery is quadratic in what follows an error: fed text in another language, the Kotlin
/// grammar's scanner took 100 s on a 7 KB file. Past the budget the parser gives up, and
/// the file gets the notice any unparsable file gets.
pub fn parse_budget(len: usize) -> Duration {
    Duration::from_secs(3)
        + Duration::from_micros(3).saturating_mul(u32::try_from(len).unwrap_or(u32::MAX))
}

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
    /// The parser gave up: it ran past its time budget ([`parse_budget`]).
    GaveUp,
}

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseFailure::Language(e) => write!(f, "the grammar cannot be loaded: {e}"),
            ParseFailure::GaveUp => f.write_str(
                "the parser gave up on this file (it took longer than a file of its size may; text the grammar cannot make sense of)",
            ),
        }
    }
}

impl std::error::Error for ParseFailure {}

/// Parses `text` with this thread's parser for `grammar`.
pub fn parse(grammar: &Grammar, text: &str) -> Result<Parsed, ParseFailure> {
    parse_within(grammar, text, parse_budget(text.len()))
}

/// [`parse`] with a time budget of `budget`.
pub fn parse_within(
    grammar: &Grammar,
    text: &str,
    budget: Duration,
) -> Result<Parsed, ParseFailure> {
    parse_in(grammar, text, &[], budget)
}

/// [`parse`] of only the parts of `text` that `ranges` cover (tree-sitter's included ranges,
/// which must be in order and not overlap), with the budget of the bytes they cover. The
/// parser reads the whole text again afterwards.
pub fn parse_ranges(
    grammar: &Grammar,
    text: &str,
    ranges: &[Range],
) -> Result<Parsed, ParseFailure> {
    let covered = ranges
        .iter()
        .map(|r| r.end_byte.saturating_sub(r.start_byte))
        .sum();
    parse_in(grammar, text, ranges, parse_budget(covered))
}

/// Parses the parts of `text` that `ranges` cover (all of it when there are none) within
/// `budget`. Ranges the parser refuses give no tree, as a parse past its budget does.
fn parse_in(
    grammar: &Grammar,
    text: &str,
    ranges: &[Range],
    budget: Duration,
) -> Result<Parsed, ParseFailure> {
    let deadline = Instant::now() + budget;
    let mut in_time = |_: &tree_sitter::ParseState| {
        if Instant::now() < deadline {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    };
    let bytes = text.as_bytes();
    let tree = with_parser(grammar, |parser| {
        if !ranges.is_empty() && parser.set_included_ranges(ranges).is_err() {
            return None;
        }
        let tree = parser.parse_with_options(
            &mut |at: usize, _| bytes.get(at..).unwrap_or_default(),
            None,
            Some(ParseOptions::new().progress_callback(&mut in_time)),
        );
        if tree.is_none() {
            // A cancelled parser resumes the cancelled parse on its next call unless reset.
            parser.reset();
        }
        if !ranges.is_empty() {
            let _ = parser.set_included_ranges(&[]);
        }
        tree
    })?
    .ok_or(ParseFailure::GaveUp)?;
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
    fn a_parse_past_its_budget_gives_up_and_the_parser_serves_the_next_file() {
        let long: String = (0..2_000)
            .map(|i| format!("v{i} = f({i}) + g({i})\n"))
            .collect();
        assert_eq!(
            parse_within(&PYTHON, &long, Duration::ZERO).err(),
            Some(ParseFailure::GaveUp)
        );
        // The same parser then parses another file from its start, not the cancelled one.
        let other: String = (0..1_000).map(|i| format!("w{i} = {i}\n")).collect();
        let parsed = parse(&PYTHON, &other).unwrap();
        let root = parsed.tree.root_node();
        assert_eq!(root.named_child_count(), 1_000);
        assert_eq!(root.end_byte(), other.len());
        assert_eq!(parsed.syntax_error, None);
        assert!(parse_budget(long.len()) >= Duration::from_secs(3));
    }

    #[test]
    fn a_ranged_parse_past_its_budget_gives_up_and_the_next_parse_reads_the_whole_text() {
        let long: String = (0..2_000)
            .map(|i| format!("v{i} = f({i}) + g({i})\n"))
            .collect();
        let half = long.len() / 2;
        let cut = long[..half].rfind('\n').map_or(0, |e| e + 1);
        let first_half = [Range {
            start_byte: 0,
            end_byte: cut,
            start_point: tree_sitter::Point::new(0, 0),
            end_point: tree_sitter::Point::new(long[..cut].lines().count(), 0),
        }];
        let parsed = parse_ranges(&PYTHON, &long, &first_half).unwrap();
        assert_eq!(parsed.tree.root_node().end_byte(), cut);
        assert_eq!(
            parse_in(&PYTHON, &long, &first_half, Duration::ZERO).err(),
            Some(ParseFailure::GaveUp)
        );
        // The parser's ranges are gone: the next file is read whole.
        let parsed = parse(&PYTHON, &long).unwrap();
        assert_eq!(parsed.tree.root_node().end_byte(), long.len());
        assert_eq!(parsed.tree.root_node().named_child_count(), 2_000);
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
