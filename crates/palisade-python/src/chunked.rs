//! Large Python files, analysed a piece at a time.
//!
//! A tree-sitter tree costs about 45 bytes of memory per byte of Python, and the analysis
//! keeps tables beside it, so a scan that holds a whole 2 MB file's tree peaks near 90 bytes
//! per byte of the file (issue #16 asks for at most 20). A file larger than
//! [`CHUNKED_ABOVE`] is therefore never parsed whole:
//!
//! 1. [`statements`] splits its text at top-level statement boundaries, found in the text
//!    alone: a line that starts in column 0 with something other than a space or a comment,
//!    outside any bracket, string (triple-quoted ones included) or backslash continuation.
//!    `else:`/`elif`/`except`/`finally` lines continue the statement before them, and
//!    decorators stay with the `def` or `class` they decorate. Each statement is classed
//!    (import, simple assignment, other module-level code, `def`, `class`).
//! 2. The statements are grouped into chunks of about [`CHUNK_BYTES`].
//! 3. Each chunk is parsed on its own — with tree-sitter's included ranges over the file's
//!    own text, so every node keeps its real byte offset, line and column — together with a
//!    *context*: the statements of the rest of the file the chunk may need. That is every
//!    import, every top-level statement that is neither a `def`, a `class` nor a simple
//!    assignment (`if TYPE_CHECKING:`, `try: import …`, calls), the simple assignments of the
//!    names the chunk (or its context) mentions, the small top-level functions
//!    (≤ [`MAX_HELPER_BYTES`], what `python/sql-injection` follows as a wrapper) it mentions,
//!    and the small top-level functions and classes that call the chunk's own functions, and
//!    their callers in turn (two levels, as far as a rule grades a parameter by what its
//!    callers pass; a quarter of a chunk's bytes at most). So each chunk's parse is the file
//!    with some of its top-level statements left out, in the file's order.
//! 4. The rules and the endpoint extractor look only at the chunk's own nodes (a context
//!    statement is checked in its own chunk, once); the chunk's tree is dropped before the
//!    next is parsed, and the facts of the chunks are merged.
//! 5. The rules that read a settings module as a whole (their node kind is `module`) run
//!    first, on a parse of all the module-level code and the small classes without methods
//!    (config classes), and look only at the module node there.
//!
//! What a chunk cannot see (also in the README, "What a scan reads"):
//! - the top-level `def`s and `class`es of other chunks except the small functions it names
//!   and the small callers of its functions: a function's call sites in a large function or
//!   class of another chunk (a method calling `self.helper(…)` there) are not counted when a
//!   rule asks how the file calls it (`callers::arguments_for`), a large helper of another
//!   chunk is not followed, and the methods of another chunk's class are not looked up;
//! - imports written inside another chunk's functions or classes (the model reads imports at
//!   any depth as the file's), and class-level assignments of another chunk (the model counts
//!   them as module-level ones);
//! - a simple assignment that binds more names than its first (`A = B = 1`) is tied to its
//!   first name only when the context is chosen;
//! - each chunk has its own data-flow budget.
//!
//! Each of these can only hide a fact from a chunk. Measured (release build): the generated
//! module of bench/large-file.sh at 2000 KB peaks at 49 MB (25 B per byte; 15 B per byte
//! above the process's own 19 MB) instead of 181 MB; three real-code files of 3 MB (all of
//! saleor's, Django's and Django's tests' modules concatenated) get the same findings at the
//! same places, except that 5 of Django's 36 have another confidence (a `sql-injection` or
//! `code-injection` graded by callers that sit in other chunks: 4 lower, 1 higher). Taking
//! small callers into the context changed none of them (their callers are methods of large
//! classes; 3 MB of Django's modules concatenated still differ in 2 of 28 findings whole, 4
//! of 30 chunked), but a module of plain functions now grades as a whole file does (the
//! test `a_parameter_is_graded_by_callers_in_other_chunks`). The
//! tests below hold the equivalence on a generated module and on this crate's fixtures
//! concatenated. A file with no boundary to split at is parsed whole, as before, and a
//! chunked file gets no notice of its own: nothing is skipped.

use crate::endpoints::facts::FileFacts;
use crate::rules::PyRule;
use palisade_core::{DiagnosticKind, FileContext, SourceFile};
use palisade_syntax::{Consumer, UnknownKind, Visit};
use std::cell::Cell;
use std::collections::HashSet;
use std::ops::Range;
use tree_sitter::Node;

/// Files larger than this (bytes of text) are analysed chunk by chunk. Below it a file is
/// parsed whole, exactly as always: 1 MB of Python costs about 90 MB while analysed, which a
/// scan of several files at once can afford; the few files above it are nearly always
/// generated code, migrations or vendored bundles.
pub const CHUNKED_ABOVE: usize = 1 << 20;

/// The size a chunk is grown to (whole statements only; one larger statement is a chunk of
/// its own). 256 KB: the tree of a chunk costs about 12 MB, and per-chunk overhead (the
/// context's parse, the model's tables) stays a few per cent of the analysis.
pub const CHUNK_BYTES: usize = 256 << 10;

/// Top-level functions of another chunk up to this size are parsed with a chunk that names
/// them: `python/sql-injection` follows a helper of the same file up to this size.
pub const MAX_HELPER_BYTES: usize = crate::rules::sql_injection::MAX_WRAPPER_BYTES;

/// The size limits of chunked analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are chunked.
    pub above: usize,
    /// The size a chunk is grown to.
    pub chunk: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        above: CHUNKED_ABOVE,
        chunk: CHUNK_BYTES,
    };
}

#[cfg(test)]
thread_local! {
    /// Tests compare a chunked analysis of small files with a whole-file one.
    static LIMITS: Cell<Limits> = const { Cell::new(Limits::DEFAULT) };
}

/// The limits in force on this thread.
fn limits() -> Limits {
    #[cfg(test)]
    return LIMITS.get();
    #[cfg(not(test))]
    Limits::DEFAULT
}

/// How many rounds the context grows by the names its own statements mention.
const CONTEXT_ROUNDS: usize = 16;

/// How many levels of callers the context takes: as many as the rules follow when they
/// grade a parameter by the arguments its callers pass (`reach::CALLER_LEVELS`).
const CALLER_LEVELS: usize = crate::reach::CALLER_LEVELS as usize;

/// What a top-level statement is, as far as the context is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `import …`, `from … import …`.
    Import,
    /// `NAME = …`, `NAME.attr = …`, `NAME: T = …`.
    Assign,
    /// Any other module-level code: `if`, `try`, `for`, `with`, calls, tuple assignments.
    Other,
    /// `def`/`async def`, decorated or not.
    Def,
    /// `class`, decorated or not.
    Class,
}

/// One top-level statement: where it starts (its end is where the next starts), on which
/// 0-based row, what it is, and the name it defines or assigns (empty for the others).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statement<'s> {
    pub start: usize,
    pub row: usize,
    pub kind: Kind,
    pub name: &'s str,
}

/// The top-level statements of a Python text, in order. The first starts at byte 0 (what
/// comes before the first statement — comments, blank lines — belongs to it); text that is
/// not valid Python still splits, only at lines where a statement surely starts.
pub fn statements(text: &str) -> Vec<Statement<'_>> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out: Vec<Statement<'_>> = Vec::new();
    let mut i = 0;
    let mut row = 0;
    let mut depth = 0usize;
    let mut continued = false;
    // The open string: its quote and whether it is triple-quoted.
    let mut string: Option<(u8, bool)> = None;
    let mut line_start = true;
    // The last statement started with a decorator: the next one is what it decorates.
    let mut decorating = false;
    while i < n {
        if line_start {
            line_start = false;
            if string.is_none() && depth == 0 && !continued {
                let line = &text[i..text[i..].find('\n').map_or(n, |e| i + e)];
                if let Some((kind, name)) = classify(line) {
                    if decorating {
                        if let Some(last) = out.last_mut() {
                            last.kind = kind;
                            last.name = name;
                        }
                    } else if !matches!(kind, Kind::Other) || !continues_compound(line) {
                        out.push(Statement {
                            start: i,
                            row,
                            kind,
                            name,
                        });
                    }
                    decorating = line.starts_with('@');
                }
            }
            continued = false;
        }
        let c = b[i];
        if let Some((quote, triple)) = string {
            match c {
                b'\\' => {
                    i += 1;
                    if i < n && b[i] == b'\n' {
                        row += 1;
                        line_start = true;
                    }
                }
                b'\n' => {
                    row += 1;
                    line_start = true;
                    if !triple {
                        // An unterminated string ends with its line.
                        string = None;
                    }
                }
                _ if c == quote => {
                    if !triple {
                        string = None;
                    } else if b[i..].starts_with(&[quote, quote, quote]) {
                        string = None;
                        i += 2;
                    }
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'#' => {
                i = text[i..].find('\n').map_or(n, |e| i + e);
                continue;
            }
            b'\\' if b[i + 1..].starts_with(b"\n") || b[i + 1..].starts_with(b"\r\n") => {
                continued = true;
            }
            b'\n' => {
                row += 1;
                line_start = true;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\'' | b'"' => {
                let triple = b[i..].starts_with(&[c, c, c]);
                string = Some((c, triple));
                if triple {
                    i += 2;
                }
            }
            _ => {}
        }
        i += 1;
    }
    match out.first_mut() {
        Some(first) => {
            first.start = 0;
            first.row = 0;
        }
        None => out.push(Statement {
            start: 0,
            row: 0,
            kind: Kind::Other,
            name: "",
        }),
    }
    out
}

/// What a line starting in column 0 begins, or `None` when no statement starts there (a
/// blank or comment line, an indented one).
fn classify(line: &str) -> Option<(Kind, &str)> {
    let first = *line.as_bytes().first()?;
    if matches!(first, b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'\x0c') {
        return None;
    }
    if first == b'@' {
        return Some((Kind::Other, ""));
    }
    let (word, rest) = line.split_at(word_end(line));
    Some(match word {
        "import" | "from" => (Kind::Import, ""),
        "def" => (Kind::Def, next_word(rest)),
        "class" => (Kind::Class, next_word(rest)),
        "async" if next_word(rest) == "def" => {
            let after = rest.trim_start_matches([' ', '\t']);
            (Kind::Def, next_word(&after[3..]))
        }
        "" => (Kind::Other, ""),
        _ if is_simple_assignment(rest) => (Kind::Assign, word),
        _ => (Kind::Other, ""),
    })
}

/// Where the identifier `s` starts with ends.
fn word_end(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

/// The identifier after blanks.
fn next_word(s: &str) -> &str {
    let s = s.trim_start_matches([' ', '\t']);
    &s[..word_end(s)]
}

/// Whether what follows a first name makes a simple assignment to it: `= …`, `: T = …`,
/// `.attr = …`.
fn is_simple_assignment(rest: &str) -> bool {
    let mut rest = rest;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if let Some(attr) = rest.strip_prefix('.') {
            let attr = attr.trim_start_matches([' ', '\t']);
            let end = attr
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(attr.len());
            if end == 0 {
                return false;
            }
            rest = &attr[end..];
            continue;
        }
        break;
    }
    if let Some(annotated) = rest.strip_prefix(':') {
        // `NAME: T = …` or a bare annotation `NAME: T`; neither starts a block.
        return !annotated.trim().is_empty();
    }
    rest.starts_with('=') && !rest.starts_with("==")
}

/// Whether a column-0 line continues the compound statement before it.
fn continues_compound(line: &str) -> bool {
    ["else", "elif", "except", "finally"].iter().any(|k| {
        line.strip_prefix(k).is_some_and(|rest| {
            rest.chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
    })
}

/// The identifiers a text mentions (keywords included: harmless).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| !c.is_ascii_digit()))
}

/// How a large file is cut: its statements and, per chunk, the range of statements it owns.
pub struct Plan<'s> {
    text: &'s str,
    statements: Vec<Statement<'s>>,
    chunks: Vec<Range<usize>>,
    /// Per import statement (by statement index): what it binds.
    imports: std::collections::HashMap<usize, Imported>,
    /// Per small `def` or `class` (by statement index): the names it calls.
    calls: std::collections::HashMap<usize, HashSet<&'s str>>,
    /// How many bytes of callers a chunk's context may take.
    caller_bytes: usize,
}

/// The names a text calls: identifiers followed by `(` (a function's or a method's name).
fn called_names(text: &str) -> HashSet<&str> {
    let mut names = HashSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let before = rest[..open].trim_end();
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let name = &before[start..];
        if name.starts_with(|c: char| !c.is_ascii_digit()) {
            names.insert(name);
        }
        rest = &rest[open + 1..];
    }
    names
}

/// What one top-level import statement binds, read from its text.
#[derive(Debug, Default, PartialEq, Eq)]
struct Imported {
    /// The local names it binds (`c` for `import a.b as c`, `a` for `import a.b`).
    names: Vec<String>,
    /// The top-level packages it imports (none for a relative import).
    packages: Vec<String>,
    /// `from … import *`: binds names no text shows.
    star: bool,
}

/// Reads an import statement's text (comments, brackets and continuations allowed).
fn imported(statement: &str) -> Imported {
    let mut clean = String::with_capacity(statement.len());
    for line in statement.lines() {
        clean.push_str(line.split('#').next().unwrap_or(""));
        clean.push(' ');
    }
    let clean = clean.replace(['(', ')', '\\'], " ");
    let mut out = Imported::default();
    let bound = |part: &str, dotted: bool| -> Option<String> {
        let mut words = part.split_whitespace();
        let name = words.next()?;
        Some(match (words.next(), words.next()) {
            (Some("as"), Some(alias)) => alias.to_string(),
            _ if dotted => name.split('.').next().unwrap_or(name).to_string(),
            _ => name.to_string(),
        })
    };
    let clean = clean.trim_start();
    if let Some(rest) = clean.strip_prefix("import ") {
        for part in rest.split(',') {
            if let Some(module) = part.split_whitespace().next() {
                out.packages
                    .push(module.split('.').next().unwrap_or(module).to_string());
            }
            out.names.extend(bound(part, true));
        }
    } else if let Some(rest) = clean.strip_prefix("from ") {
        let Some((module, names)) = rest.split_once(" import ") else {
            out.star = true;
            return out;
        };
        let module = module.trim();
        if !module.starts_with('.') {
            out.packages
                .push(module.split('.').next().unwrap_or(module).to_string());
        }
        if names.trim() == "*" {
            out.star = true;
        }
        for part in names.split(',') {
            out.names.extend(bound(part, false));
        }
    } else {
        out.star = true;
    }
    out
}

impl<'s> Plan<'s> {
    /// The plan for a file's text when it is large enough to be chunked and splits into
    /// more than one chunk.
    pub fn for_file(text: &'s str) -> Option<Plan<'s>> {
        let limits = limits();
        if text.len() <= limits.above {
            return None;
        }
        Plan::new(text, limits.chunk)
    }

    /// The plan for `text` with chunks of about `chunk_bytes`; `None` when it would be one
    /// chunk (nothing to gain).
    pub fn new(text: &'s str, chunk_bytes: usize) -> Option<Plan<'s>> {
        let statements = statements(text);
        let mut chunks = Vec::new();
        let mut first = 0;
        for i in 1..statements.len() {
            if statements[i].start - statements[first].start >= chunk_bytes {
                chunks.push(first..i);
                first = i;
            }
        }
        chunks.push(first..statements.len());
        if chunks.len() < 2 {
            return None;
        }
        let mut plan = Plan {
            text,
            statements,
            chunks,
            imports: std::collections::HashMap::new(),
            calls: std::collections::HashMap::new(),
            caller_bytes: chunk_bytes / 4,
        };
        for (i, statement) in plan.statements.iter().enumerate() {
            let bytes = plan.bytes(i);
            match statement.kind {
                Kind::Import => {
                    plan.imports.insert(i, imported(&text[bytes]));
                }
                Kind::Def | Kind::Class if bytes.len() <= MAX_HELPER_BYTES => {
                    plan.calls.insert(i, called_names(&text[bytes]));
                }
                _ => {}
            }
        }
        Some(plan)
    }

    pub fn chunks(&self) -> usize {
        self.chunks.len()
    }

    /// Byte range of statement `i`.
    fn bytes(&self, i: usize) -> Range<usize> {
        let end = self
            .statements
            .get(i + 1)
            .map_or(self.text.len(), |s| s.start);
        self.statements[i].start..end
    }

    /// Byte range chunk `k` owns.
    pub fn own(&self, k: usize) -> Range<usize> {
        let chunk = &self.chunks[k];
        self.bytes(chunk.start).start..self.bytes(chunk.end - 1).end
    }

    /// The statements chunk `k` is parsed with: its own and its context, in file order.
    /// `None`: the module-level parse, for the rules that read a settings module as a whole:
    /// all the module-level code and the small classes without methods (config classes).
    pub fn parsed_statements(&self, k: Option<usize>) -> Vec<usize> {
        let mut included = vec![false; self.statements.len()];
        let mut mentioned: HashSet<&str> = HashSet::new();
        // The functions whose callers the context takes: the chunk's own, then (one level
        // up, as far as the rules grade a parameter by its callers) those callers'.
        let mut callees: HashSet<&str> = HashSet::new();
        if let Some(k) = k {
            for i in self.chunks[k].clone() {
                included[i] = true;
                if self.statements[i].kind == Kind::Def {
                    callees.insert(self.statements[i].name);
                }
            }
            mentioned.extend(words(&self.text[self.own(k)]));
        }
        let mut caller_bytes = 0;
        let module = k.is_none();
        // The packages imported so far: the first import of each is always parsed, so that
        // whether the file imports a package is answered as for the whole file.
        let mut packages: HashSet<&str> = HashSet::new();
        let mut config_classes = 0;
        for round in 0..=CONTEXT_ROUNDS {
            let mut grew = false;
            for (i, statement) in self.statements.iter().enumerate() {
                if included[i] {
                    continue;
                }
                let wanted = match statement.kind {
                    Kind::Other => true,
                    // An import whose names the chunk mentions, the first of its package, or
                    // one whose names the text does not show.
                    Kind::Import => match self.imports.get(&i) {
                        Some(import) => {
                            let first_of_package = import
                                .packages
                                .iter()
                                .any(|p| !packages.contains(p.as_str()));
                            packages.extend(import.packages.iter().map(String::as_str));
                            module
                                || import.star
                                || first_of_package
                                || import.names.iter().any(|n| mentioned.contains(n.as_str()))
                        }
                        None => true,
                    },
                    Kind::Assign => module || mentioned.contains(statement.name),
                    // Helpers are followed one level deep: only those the chunk's own text or
                    // the module-level code names.
                    Kind::Def => {
                        round == 0
                            && mentioned.contains(statement.name)
                            && self.bytes(i).len() <= MAX_HELPER_BYTES
                    }
                    // Config classes (`class ProductionConfig:` holding only settings),
                    // which the settings rules read with the module.
                    Kind::Class => {
                        module
                            && round == 0
                            && self.bytes(i).len() <= MAX_HELPER_BYTES
                            && config_classes + self.bytes(i).len() <= CHUNK_BYTES
                            && !words(&self.text[self.bytes(i)]).any(|w| w == "def")
                    }
                };
                if wanted && statement.kind == Kind::Class {
                    config_classes += self.bytes(i).len();
                }
                // A small function or class of another chunk that calls one of the callees:
                // the call sites a rule reads to grade a parameter (within a budget).
                let caller = !wanted
                    && round < CALLER_LEVELS
                    && caller_bytes + self.bytes(i).len() <= self.caller_bytes
                    && self
                        .calls
                        .get(&i)
                        .is_some_and(|names| names.iter().any(|n| callees.contains(n)));
                if caller {
                    caller_bytes += self.bytes(i).len();
                    if statement.kind == Kind::Def {
                        callees.insert(statement.name);
                    }
                }
                if wanted || caller {
                    included[i] = true;
                    if round < CONTEXT_ROUNDS {
                        mentioned.extend(words(&self.text[self.bytes(i)]));
                    }
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        (0..self.statements.len())
            .filter(|&i| included[i])
            .collect()
    }

    /// The included ranges of chunk `k`'s parse (`None`: the module-level parse), runs of
    /// consecutive statements merged.
    pub fn ranges(&self, k: Option<usize>) -> Vec<tree_sitter::Range> {
        let mut ranges: Vec<tree_sitter::Range> = Vec::new();
        for i in self.parsed_statements(k) {
            let bytes = self.bytes(i);
            let end_point = match self.statements.get(i + 1) {
                Some(next) => tree_sitter::Point::new(next.row, 0),
                None => end_of(self.text, self.statements[i]),
            };
            if let Some(last) = ranges.last_mut()
                && last.end_byte == bytes.start
            {
                last.end_byte = bytes.end;
                last.end_point = end_point;
                continue;
            }
            ranges.push(tree_sitter::Range {
                start_byte: bytes.start,
                end_byte: bytes.end,
                start_point: tree_sitter::Point::new(self.statements[i].row, 0),
                end_point,
            });
        }
        ranges
    }

    /// The bytes chunk `k`'s parse covers.
    pub fn parsed_bytes(&self, k: Option<usize>) -> usize {
        self.ranges(k)
            .iter()
            .map(|r| r.end_byte - r.start_byte)
            .sum()
    }
}

/// The point at the end of the text, counted from the last statement's start.
fn end_of(text: &str, last: Statement<'_>) -> tree_sitter::Point {
    let tail = &text[last.start..];
    let rows = tail.bytes().filter(|&b| b == b'\n').count();
    let column = tail.len() - tail.rfind('\n').map_or(0, |e| e + 1);
    tree_sitter::Point::new(last.row + rows, column)
}

/// Parses the parts of `text` the `ranges` cover, with this thread's Python parser, within
/// the time budget of the bytes they cover (see [`palisade_syntax::parse_budget`]).
pub fn parse_ranges(
    text: &str,
    ranges: &[tree_sitter::Range],
) -> Result<palisade_syntax::Parsed, palisade_syntax::ParseFailure> {
    palisade_syntax::parse_ranges(&crate::grammar::PYTHON, text, ranges)
}

/// Parses every chunk of a planned file in turn, as a scan does, for `palisade parse-only`
/// (with `walk`, each chunk's tree walked once): whether none has a syntax error.
pub fn parse_only(text: &str, plan: &Plan<'_>, walk: bool) -> bool {
    (0..plan.chunks()).all(|k| {
        parse_ranges(text, &plan.ranges(Some(k))).is_ok_and(|p| {
            if walk {
                palisade_syntax::bare_walk(&crate::grammar::PYTHON, p.tree.root_node());
            }
            p.syntax_error.is_none()
        })
    })
}

/// The part of a chunk's tree that is the chunk's own (the rest is context).
pub struct Own<'a> {
    bytes: Range<usize>,
    /// The chunk's 1-based lines.
    pub(crate) lines: Range<u32>,
    /// The module-level parse, whose own node is the module.
    module: bool,
    /// The bytes the chunk's parse covers (to size tables).
    pub(crate) parsed_bytes: usize,
    /// Whether a chunk already said that the data-flow budget ran out.
    budget_noticed: &'a Cell<bool>,
}

impl Own<'_> {
    /// Whether a node is the chunk's own: it starts in the chunk's bytes. The module node
    /// belongs to the module-level parse.
    pub fn holds(&self, node: Node<'_>) -> bool {
        if node.kind() == "module" {
            return self.module;
        }
        self.bytes.contains(&node.start_byte())
    }

    /// True the first time a chunk asks: one notice for the file's spent budget.
    pub fn first_budget_notice(&self) -> bool {
        !self.budget_noticed.replace(true)
    }
}

/// A consumer that sees only the chunk's own nodes, and the imports of its context.
pub struct OwnOnly<'x, 'o, C> {
    inner: &'x mut C,
    own: &'o Own<'o>,
}

impl<'x, 'o, C> OwnOnly<'x, 'o, C> {
    pub fn new(inner: &'x mut C, own: &'o Own<'o>) -> OwnOnly<'x, 'o, C> {
        OwnOnly { inner, own }
    }
}

impl<'t, C: Consumer<'t>> Consumer<'t> for OwnOnly<'_, '_, C> {
    fn kinds(&self) -> &[&'static str] {
        self.inner.kinds()
    }

    fn visit(&mut self, node: Node<'t>, visit: Visit) {
        if self.own.holds(node)
            || matches!(node.kind(), "import_statement" | "import_from_statement")
        {
            self.inner.visit(node, visit);
        }
    }
}

/// [`crate::PythonAnalyzer::check_file`] for a file the `plan` cuts into chunks.
pub(crate) fn check_file(
    file: &SourceFile,
    plan: &Plan<'_>,
    rules: &[&PyRule],
    inventory: bool,
    cx: &mut FileContext<'_>,
    state: &crate::ScanState,
) -> Option<FileFacts> {
    let modules = cx.scanned_paths().map(|paths| {
        state
            .modules
            .get_or_init(|| crate::call_sites::ScanModules::new(|| paths.iter()))
    });
    match analyze_file(file, plan, rules, inventory, modules, Some(cx)) {
        Ok(facts) => facts,
        Err(e) => {
            cx.notice(DiagnosticKind::Skipped, None, format!("Python rules: {e}"));
            None
        }
    }
}

/// [`crate::analyze`], chunk by chunk: each chunk's tree is dropped before the next is
/// parsed, and the chunks' facts are merged.
pub(crate) fn analyze_file(
    file: &SourceFile,
    plan: &Plan<'_>,
    rules: &[&PyRule],
    inventory: bool,
    modules: Option<&crate::call_sites::ScanModules>,
    mut cx: Option<&mut FileContext<'_>>,
) -> Result<Option<FileFacts>, UnknownKind> {
    let budget_noticed = Cell::new(false);
    let mut facts = None;
    let mut first_error: Option<u32> = None;
    // The rules that read the module as a whole run on the module-level parse; every other
    // rule, on the chunks.
    let module_rules: Vec<&PyRule> = rules
        .iter()
        .copied()
        .filter(|r| r.node_kinds.contains(&"module"))
        .collect();
    let parts = (!module_rules.is_empty())
        .then_some(None)
        .into_iter()
        .chain((0..plan.chunks()).map(Some));
    for part in parts {
        let ranges = plan.ranges(part);
        let parsed = match parse_ranges(&file.text, &ranges) {
            Ok(parsed) => parsed,
            Err(failure) => {
                if let Some(cx) = cx {
                    cx.notice(DiagnosticKind::Parse, None, format!("Python: {failure}"));
                }
                return Ok(None);
            }
        };
        if let Some(error) = parsed.syntax_error {
            first_error = Some(first_error.map_or(error.line, |l| l.min(error.line)));
        }
        let parsed_bytes = ranges.iter().map(|r| r.end_byte - r.start_byte).sum();
        let (own, rules, inventory) = match part {
            Some(k) => {
                let chunk = &plan.chunks[k];
                let first_line = plan.statements[chunk.start].row as u32 + 1;
                let end_line = plan
                    .statements
                    .get(chunk.end)
                    .map_or(u32::MAX, |next| next.row as u32 + 1);
                let own = Own {
                    bytes: plan.own(k),
                    lines: first_line..end_line,
                    module: false,
                    parsed_bytes,
                    budget_noticed: &budget_noticed,
                };
                (own, rules, inventory)
            }
            // Only the module node is the module-level parse's own.
            None => {
                let own = Own {
                    bytes: 0..0,
                    lines: 0..0,
                    module: true,
                    parsed_bytes,
                    budget_noticed: &budget_noticed,
                };
                (own, module_rules.as_slice(), false)
            }
        };
        let part = crate::analyze(
            file,
            parsed.tree.root_node(),
            rules,
            inventory,
            modules,
            cx.as_deref_mut(),
            Some(&own),
        )?;
        merge(&mut facts, part);
    }
    if let (Some(line), Some(cx)) = (first_error, cx) {
        cx.notice(
            DiagnosticKind::Parse,
            Some(line),
            format!(
                "Python syntax error near line {line} (Python 2, a template, or broken code); findings elsewhere in the file are still reported"
            ),
        );
    }
    Ok(facts)
}

/// Adds one chunk's facts to the file's. Each chunk's functions, classes, routes, … are its
/// own nodes' (no duplicates); what every chunk reads from the module-level code (imports,
/// star imports, frameworks) is the same in each.
fn merge(into: &mut Option<FileFacts>, part: Option<FileFacts>) {
    let Some(part) = part else {
        return;
    };
    let Some(facts) = into else {
        *into = Some(part);
        return;
    };
    let FileFacts {
        path: _,
        not_product,
        module: _,
        frameworks,
        functions,
        classes,
        objects,
        routes,
        mounts,
        guards,
        urlpatterns,
        registrations,
        settings,
        schemes,
        aliases,
        imports,
        star_imports,
        secrets,
        deferred,
        call_sites,
    } = part;
    // A test file's facts say so in every chunk; a product file's facts that only carry
    // secrets or call sites are marked not-product, its inventory facts are not.
    facts.not_product &= not_product;
    for framework in frameworks {
        if !facts.frameworks.contains(&framework) {
            facts.frameworks.push(framework);
        }
    }
    facts.functions.extend(functions);
    facts.classes.extend(classes);
    facts.objects.extend(objects);
    facts.routes.extend(routes);
    facts.mounts.extend(mounts);
    facts.guards.extend(guards);
    match (&mut facts.urlpatterns, urlpatterns) {
        (Some(all), Some(more)) => all.extend(more),
        (none @ None, more) => *none = more,
        (Some(_), None) => {}
    }
    facts.registrations.extend(registrations);
    if facts.settings.is_none() {
        facts.settings = settings;
    }
    facts.schemes.extend(schemes);
    facts.aliases.extend(aliases);
    facts.imports.extend(imports);
    for module in star_imports {
        if !facts.star_imports.contains(&module) {
            facts.star_imports.push(module);
        }
    }
    facts.secrets.constants.extend(secrets.constants);
    facts.secrets.key_uses.extend(secrets.key_uses);
    facts.deferred.extend(deferred);
    facts.call_sites.extend(call_sites);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PythonAnalyzer, ScanState};
    use palisade_core::Analyzer;

    /// (start, kind, name) of each statement.
    fn split(text: &str) -> Vec<(usize, Kind, &str)> {
        statements(text)
            .iter()
            .map(|s| (s.start, s.kind, s.name))
            .collect()
    }

    /// The byte where each line of `text` containing `needle` starts.
    fn at(text: &str, needle: &str) -> usize {
        let found = text.find(needle).expect(needle);
        text[..found].rfind('\n').map_or(0, |e| e + 1)
    }

    #[test]
    fn a_bracket_keeps_its_column_0_lines() {
        let text = "x = call(\nfirst,\n[second]\n)\ny = 1\n";
        assert_eq!(
            split(text),
            [(0, Kind::Assign, "x"), (at(text, "y ="), Kind::Assign, "y")]
        );
    }

    #[test]
    fn a_triple_quoted_string_keeps_its_column_0_lines() {
        let text = "DOC = \"\"\"\ndef not_a_function():\n'quoted' \"x\" ''\n\"\"\"\nT = '''\nclass No:\n'''\ndef real():\n    return DOC\n";
        assert_eq!(
            split(text),
            [
                (0, Kind::Assign, "DOC"),
                (at(text, "T ="), Kind::Assign, "T"),
                (at(text, "def real"), Kind::Def, "real")
            ]
        );
        // Escaped quotes and comment characters inside strings change nothing.
        let text =
            "a = 'it\\'s (# not a comment'\nb = \"[\\\"\"\nc = (1,  # a comment (\n)\nd = 2\n";
        let starts: Vec<usize> = split(text).iter().map(|s| s.0).collect();
        assert_eq!(
            starts,
            [0, at(text, "b ="), at(text, "c ="), at(text, "d =")]
        );
    }

    #[test]
    fn a_backslash_continuation_keeps_its_next_line() {
        let text = "total = 1 + \\\n2\nimport os\n";
        assert_eq!(
            split(text),
            [
                (0, Kind::Assign, "total"),
                (at(text, "import"), Kind::Import, "")
            ]
        );
        // CRLF line ends too.
        let text = "total = 1 + \\\r\n2\r\nimport os\r\n";
        assert_eq!(split(text).len(), 2);
    }

    #[test]
    fn decorators_stay_with_what_they_decorate() {
        let text = "@app.route(\"/\")\n@login_required\ndef view():\n    pass\n@dataclass\nclass Point:\n    x: int\nasync def fetch():\n    pass\n";
        assert_eq!(
            split(text),
            [
                (0, Kind::Def, "view"),
                (at(text, "@dataclass"), Kind::Class, "Point"),
                (at(text, "async def"), Kind::Def, "fetch")
            ]
        );
    }

    #[test]
    fn compound_statements_keep_their_column_0_clauses() {
        let text = "try:\n    import json\nexcept ImportError:\n    json = None\nelse:\n    pass\nfinally:\n    pass\nif __name__ == \"__main__\":\n    main()\nelif x:\n    pass\nelse:\n    pass\n";
        assert_eq!(
            split(text),
            [
                (0, Kind::Other, ""),
                (at(text, "if __name__"), Kind::Other, "")
            ]
        );
    }

    #[test]
    fn statements_are_classed() {
        let text = "from . import views\nimport os\nX: int = 5\nsettings.DEBUG = True\nY == 1\na, b = 1, 2\nprint(X)\nZ: int\n";
        let kinds: Vec<(Kind, &str)> = split(text).iter().map(|s| (s.1, s.2)).collect();
        assert_eq!(
            kinds,
            [
                (Kind::Import, ""),
                (Kind::Import, ""),
                (Kind::Assign, "X"),
                (Kind::Assign, "settings"),
                (Kind::Other, ""),
                (Kind::Other, ""),
                (Kind::Other, ""),
                (Kind::Assign, "Z"),
            ]
        );
    }

    #[test]
    fn crlf_and_non_ascii_text_split_on_character_boundaries() {
        let text = "import os\r\nnombre_é = \"ü€\"\r\ndef año():\r\n    return 'ñ'\r\n# ∑ comment\r\nclass Ωmega:\r\n    pass\r\n";
        assert_eq!(
            split(text),
            [
                (0, Kind::Import, ""),
                (at(text, "nombre_é"), Kind::Assign, "nombre_é"),
                (at(text, "def año"), Kind::Def, "año"),
                (at(text, "# ∑"), Kind::Class, "Ωmega")
            ]
            .map(|(start, kind, name)| {
                // A comment line before a statement belongs to the statement before.
                let start = if name == "Ωmega" {
                    at(text, "class")
                } else {
                    start
                };
                (start, kind, name)
            })
        );
    }

    #[test]
    fn called_names_are_the_identifiers_before_an_open_bracket() {
        let names = called_names(
            "def f(x):\n    total = compute (x) + self.lookup(x)\n    return ünïcode(x) + 3(x) + (x) + «é(»\n",
        );
        let mut names: Vec<&str> = names.into_iter().collect();
        names.sort();
        assert_eq!(names, ["compute", "f", "lookup", "é", "ünïcode"]);
    }

    #[test]
    fn import_statements_are_read_for_the_names_they_bind() {
        let names = |text: &str| {
            let i = imported(text);
            (i.names, i.packages, i.star)
        };
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            names("import os.path, requests as rq  # comment\n\n"),
            (strings(&["os", "rq"]), strings(&["os", "requests"]), false)
        );
        assert_eq!(
            names("from django.db import (\n    connection,  # the default\n    models as m,\n)\n"),
            (strings(&["connection", "m"]), strings(&["django"]), false)
        );
        assert_eq!(
            names("from . import views\n"),
            (strings(&["views"]), strings(&[]), false)
        );
        assert!(names("from ssl import *\n").2);
        assert!(names("from \\\n  x import y\n").0 == strings(&["y"]));
    }

    #[test]
    fn broken_text_splits_without_panicking() {
        // An unclosed bracket holds the rest of the file; an unclosed string ends with its
        // line; a stray closer is ignored.
        let text = "x = (\ndef f():\n    pass\ny = 'open\nz = 1\n";
        assert_eq!(split(text), [(0, Kind::Assign, "x")]);
        let text = "y = 'open\nz = ]1\nw = 2\n";
        assert_eq!(split(text).len(), 3);
        for text in [
            "",
            "\n\n",
            "   indented = 1\n",
            "\"\"\"",
            "\\",
            "x = '\\",
            "@",
        ] {
            let s = statements(text);
            assert_eq!(s.first().map(|s| s.start), Some(0), "{text:?}");
        }
    }

    #[test]
    fn a_file_without_boundaries_is_one_chunk_however_large() {
        let mut text = String::from("DATA = [\n");
        for i in 0..100_000 {
            text.push_str(&format!("{{\"id\": {i}, \"name\": \"row {i}\"}},\n"));
        }
        text.push_str("]\n");
        assert!(text.len() > 2 * CHUNK_BYTES);
        assert_eq!(statements(&text).len(), 1);
        assert!(Plan::new(&text, CHUNK_BYTES).is_none());
    }

    /// Every statement the splitter finds starts a top-level node of the parser's tree (or
    /// the comment before one), on this crate's fixtures and a generated module.
    #[test]
    fn the_splitter_agrees_with_the_parser() {
        let mut texts = fixture_texts();
        texts.push(generated(40_000));
        let mut checked = 0;
        for text in &texts {
            let parsed = palisade_syntax::parse(&crate::grammar::PYTHON, text).unwrap();
            if parsed.syntax_error.is_some() {
                continue;
            }
            let root = parsed.tree.root_node();
            let mut cursor = root.walk();
            let tops: HashSet<usize> = root.children(&mut cursor).map(|c| c.start_byte()).collect();
            for s in statements(text).iter().skip(1) {
                assert!(
                    tops.contains(&s.start),
                    "no top-level node at {}: {:?}",
                    s.start,
                    &text[s.start..(s.start + 40).min(text.len())]
                );
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// The text of every Python fixture of this crate, in path order.
    fn fixture_texts() -> Vec<String> {
        let mut paths = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "py") {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        paths
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect()
    }

    /// A module like bench/large-file.sh's, of about `bytes`: test classes calling a SQL
    /// helper defined at the top, module-level constants, and hazards spread through it: a
    /// query built with request data through the helper of the first chunk, a query built
    /// only from a module-level constant of the first chunk (not a finding), a shell command,
    /// a disabled certificate check, a hard-coded password.
    fn generated(bytes: usize) -> String {
        let mut out = String::from(
            "import json\nimport subprocess\nimport requests\nfrom django.db import connection\nfrom django.test import TestCase\n\n\ndef run_query(sql, params=None):\n    with connection.cursor() as cursor:\n        cursor.execute(sql, params)\n        return cursor.fetchall()\n\n\nTABLE = \"dcim_device\"\n\n",
        );
        let mut i = 0;
        while out.len() < bytes {
            out.push_str(&format!(
                "class Filter{i}TestCase(TestCase):\n    queryset = Device.objects.all()\n\n    def setUp(self):\n        self.site = Site.objects.create(name=\"site-{i}\", slug=\"site-{i}\")\n        self.payload = json.dumps({{\"name\": \"device-{i}\", \"site\": self.site.pk}})\n\n    def test_raw(self):\n        rows = run_query(\"SELECT id FROM dcim_device WHERE name = %s\", [\"device-{i}\"])\n        self.assertEqual(len(rows), 1)\n\n\nLIMIT_{i} = {i}\nNAME_{i} = \"device-{i}\"\n\n\n"
            ));
            match i % 7 {
                3 => out.push_str(&format!(
                    "def lookup_{i}(request):\n    name = request.GET[\"name\"]\n    return run_query(\"SELECT * FROM \" + TABLE + \" WHERE name = '\" + name + \"'\")\n\n\n"
                )),
                5 => out.push_str(&format!(
                    "def ping_{i}(host):\n    subprocess.run(\"ping -c 1 \" + host, shell=True)\n    return requests.get(\"https://\" + host, verify=False)\n\n\n"
                )),
                6 => out.push_str(&format!(
                    "def connect_{i}(host=\"db.internal\", user=\"reports\", password=\"Rep0rts!{i}x\"):\n    return run_query(\"SELECT count(*) FROM \" + TABLE)\n\n\n"
                )),
                _ => {}
            }
            i += 1;
        }
        out
    }

    /// What a scan of `text` as the file at `path` reports (findings, then notices) and the
    /// facts it keeps, with these limits.
    fn scan(path: &str, text: &str, limits: Limits) -> (Vec<String>, Vec<String>, String) {
        LIMITS.set(limits);
        let file = SourceFile::in_memory(path, text);
        let rules = palisade_core::config::RuleSet::all(crate::rules::METAS);
        let mut cx = FileContext::new(&file, &rules);
        let facts = PythonAnalyzer.check_file(&file, &mut cx, &ScanState::default());
        LIMITS.set(Limits::DEFAULT);
        let (findings, diagnostics) = cx.into_parts();
        let mut findings: Vec<String> = findings
            .iter()
            .map(|f| {
                format!(
                    "{} {:?} {:?} {:?} {} {:?}",
                    f.rule.id, f.location, f.severity, f.confidence, f.message, f.related
                )
            })
            .collect();
        findings.sort();
        let notices = diagnostics
            .iter()
            .map(|d| format!("{:?} {:?} {}", d.kind, d.line, d.message))
            .collect();
        (findings, notices, format!("{facts:?}"))
    }

    const WHOLE: Limits = Limits {
        above: usize::MAX,
        chunk: CHUNK_BYTES,
    };

    #[test]
    fn a_generated_module_gets_the_same_findings_chunked() {
        let text = generated(120_000);
        let small = Limits {
            above: 0,
            chunk: 8 << 10,
        };
        let plan = Plan::new(&text, small.chunk).unwrap();
        assert!(plan.chunks() > 10, "{}", plan.chunks());
        // No chunk's parse is much larger than the chunk: the context is what it names.
        for k in 0..plan.chunks() {
            assert!(
                plan.parsed_bytes(Some(k)) < plan.own(k).len() + 4_000,
                "chunk {k}: {} parsed for {} own",
                plan.parsed_bytes(Some(k)),
                plan.own(k).len()
            );
        }
        let whole = scan("app/filters.py", &text, WHOLE);
        let chunked = scan("app/filters.py", &text, small);
        let rules: HashSet<&str> = whole.0.iter().filter_map(|f| f.split(' ').next()).collect();
        for rule in [
            "python/sql-injection",
            "python/shell-command-injection",
            "python/tls-verification-disabled",
            "python/hardcoded-credential",
        ] {
            assert!(rules.contains(rule), "{rule}: {:#?}", whole.0);
        }
        assert_eq!(whole, chunked);
        // Findings in late chunks are on their real lines.
        let last_ping = text.rfind("subprocess.run").unwrap();
        let line = text[..last_ping].matches('\n').count() + 1;
        assert!(
            chunked
                .0
                .iter()
                .any(|f| f.starts_with("python/shell-command-injection")
                    && f.contains(&format!("line: {line},"))),
            "line {line}: {:#?}",
            chunked.0
        );
    }

    /// A query helper at the top of a large module and the handlers that call it far below,
    /// in other chunks: the helper's chunk is parsed with its callers (and theirs), so the
    /// finding is graded by what they pass, as in a whole-file analysis.
    #[test]
    fn a_parameter_is_graded_by_callers_in_other_chunks() {
        let mut text = String::from(
            "import sqlite3\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\ndef find_orders(customer):\n    db = sqlite3.connect(\"shop.db\")\n    return db.execute(f\"SELECT * FROM orders WHERE customer = '{customer}'\").fetchall()\n\n\n",
        );
        for i in 0..400 {
            text.push_str(&format!(
                "def report_{i}(rows):\n    total = sum(row[{i} % 3] for row in rows)\n    return {{\"report\": {i}, \"total\": total}}\n\n\n"
            ));
        }
        text.push_str(
            "def orders_of(name):\n    return find_orders(name.strip())\n\n\n@app.get(\"/orders\")\ndef orders():\n    return {\"orders\": orders_of(request.args[\"customer\"])}\n",
        );
        let small = Limits {
            above: 0,
            chunk: 8 << 10,
        };
        let plan = Plan::new(&text, small.chunk).unwrap();
        assert!(plan.chunks() > 3, "{}", plan.chunks());
        let whole = scan("app/orders.py", &text, WHOLE);
        let chunked = scan("app/orders.py", &text, small);
        let sql: Vec<&String> = whole
            .0
            .iter()
            .filter(|f| f.contains("sql-injection"))
            .collect();
        assert_eq!(sql.len(), 1, "{:#?}", whole.0);
        assert!(sql[0].contains("High"), "{sql:#?}");
        assert_eq!(whole.0, chunked.0);
    }

    /// Every Python fixture of this crate in one file (what a huge module mixing everything
    /// looks like), scanned whole and in chunks of 16 KB.
    #[test]
    fn the_fixtures_in_one_file_get_the_same_findings_chunked() {
        let text: String = fixture_texts()
            .iter()
            .filter(|t| {
                palisade_syntax::parse(&crate::grammar::PYTHON, t)
                    .is_ok_and(|p| p.syntax_error.is_none())
            })
            .map(|t| format!("{}\n", t.trim_end()))
            .collect();
        let small = Limits {
            above: 0,
            chunk: 16 << 10,
        };
        assert!(Plan::new(&text, small.chunk).unwrap().chunks() > 10);
        let whole = scan("app/combined.py", &text, WHOLE);
        let chunked = scan("app/combined.py", &text, small);
        assert!(whole.0.len() > 100, "{}", whole.0.len());
        let only_whole: Vec<&String> = whole.0.iter().filter(|f| !chunked.0.contains(f)).collect();
        let only_chunked: Vec<&String> =
            chunked.0.iter().filter(|f| !whole.0.contains(f)).collect();
        // The one known difference: a message naming the caller that fills a parameter
        // (`callers::arguments_for` looks at the call sites of the chunk and its context,
        // the first of which differs here). Same rule, place, severity and confidence.
        assert_eq!(only_whole.len(), only_chunked.len());
        for (w, c) in only_whole.iter().zip(&only_chunked) {
            let head = |f: &str| f.split(" `").next().unwrap_or("").to_string();
            assert!(
                head(w) == head(c)
                    && w.contains("which a caller fills")
                    && c.contains("which a caller fills"),
                "only whole: {only_whole:#?}\nonly chunked: {only_chunked:#?}"
            );
        }
        assert!(only_whole.len() <= 1, "{only_whole:#?}");
        assert_eq!(whole.1, chunked.1);
    }
}
