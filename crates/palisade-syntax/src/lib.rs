//! palisade's language-neutral layer over tree-sitter, shared by every analyzer that reads
//! source code (Python today; JavaScript/TypeScript/HTML and Java/Kotlin next), and its YAML
//! reader with positions ([`yaml`]), shared by every analyzer that reads YAML.
//!
//! It gives an analyzer three things, so that none of them copies tree-sitter machinery:
//!
//! - **a parser pool** ([`parse`]): one `tree_sitter::Parser` per worker thread and
//!   [`Grammar`], created on first use and reused for every file the thread analyses. A
//!   syntax error is not a failure: the tree comes back with [`Parsed::syntax_error`] set to
//!   the first broken line, which the analyzer turns into a notice before it reads the rest
//!   of the file;
//! - **one traversal per file** ([`traverse`], [`Dispatch`]): every interested party (the
//!   language's model, each enabled rule, fact extractors) is a [`Consumer`] that names the
//!   node kinds it wants. The names are resolved once to kind ids, and the walk hands each
//!   node to the consumers of its kind id, in document order. Consumers that must see the
//!   whole file first (rules asking a model built from every import) use [`NodesByKind`],
//!   which keeps the nodes for after the walk;
//! - **node accessors** ([`nodes`]): a node's [`text`], its [`span`] through the file's line
//!   index, and typed views of calls ([`arguments`]), string literals ([`string_value`]) and
//!   `a.b.c` chains ([`dotted`]), parameterised by the kind and field names of each language
//!   ([`CallShape`], [`StringShape`], [`ChainShape`]).
//!
//! # Writing an analyzer for a new language
//!
//! 1. Declare the grammar once, in a `static`: `Grammar::new("javascript", LANGUAGE)`.
//! 2. Declare the language's shapes as constants and wrap the accessors in the language
//!    crate (`fn string_value(node, src) -> Option<String>` with the JavaScript shape).
//! 3. In `check_file`: [`parse`] the file (a [`ParseFailure`] or a [`SyntaxError`] becomes a
//!    notice), build the consumers the enabled rules need, call [`traverse`] once, then let
//!    the deferred consumers (rules reading [`NodesByKind`]) run over the collected nodes.
//!
//! A test in the language crate should build a [`Dispatch`] from every rule's kinds: a kind
//! name the grammar does not know is an [`UnknownKind`] error, never a silent no-op.
//!
//! # Example
//!
//! Counting the calls of each file, with a consumer that sees only `call` nodes:
//!
//! ```
//! use palisade_syntax::{Consumer, Grammar, Visit, dotted, parse, traverse, ChainShape};
//! use std::sync::LazyLock;
//! use tree_sitter::Node;
//!
//! static PYTHON: LazyLock<Grammar> =
//!     LazyLock::new(|| Grammar::new("python", tree_sitter_python::LANGUAGE));
//!
//! const CHAIN: ChainShape = ChainShape {
//!     name_kinds: &["identifier"],
//!     access_kind: "attribute",
//!     object_field: "object",
//!     member_field: "attribute",
//! };
//!
//! /// Collects the dotted names of the functions a file calls.
//! struct Callees<'s> {
//!     source: &'s str,
//!     names: Vec<String>,
//! }
//!
//! impl<'t> Consumer<'t> for Callees<'_> {
//!     fn kinds(&self) -> &[&'static str] {
//!         &["call"]
//!     }
//!     fn visit(&mut self, call: Node<'t>, _: Visit) {
//!         let function = call.child_by_field_name("function");
//!         if let Some(name) = function.and_then(|f| dotted(f, self.source, &CHAIN)) {
//!             self.names.push(name);
//!         }
//!     }
//! }
//!
//! let source = "import subprocess\nsubprocess.run(cmd, shell=True)\nprint(len(x))\n";
//! let parsed = parse(&PYTHON, source).expect("a parser for Python");
//! assert!(parsed.syntax_error.is_none());
//! let mut callees = Callees { source, names: Vec::new() };
//! traverse(&PYTHON, parsed.tree.root_node(), &mut [&mut callees]).expect("known kinds");
//! assert_eq!(callees.names, ["subprocess.run", "print", "len"]);
//! ```

pub mod dispatch;
pub mod grammar;
pub mod nodes;
pub mod pool;
pub mod yaml;

pub use dispatch::{
    Consumer, Dispatch, NodesByKind, Parents, UnknownKind, Visit, bare_walk, traverse,
    traverse_recording_parents,
};
pub use grammar::Grammar;
pub use nodes::{
    Arguments, CallShape, ChainShape, MAX_NESTING, SourceText, StringShape, arguments, callee,
    dotted, line, span, string_value, text,
};
pub use pool::{
    ParseFailure, Parsed, SyntaxError, first_error_line, parse, parse_budget, parse_ranges,
    parse_within, with_parser,
};
