//! palisade's Python backend analyzer.
//!
//! Each file is parsed once with tree-sitter-python. One traversal collects the nodes the
//! model and the enabled rules want; the model (imports, assignments, parameters) is built
//! from them, then each rule sees only the node kinds it declared.

pub mod dsn;
pub mod endpoints;
pub mod flow;
pub mod model;
pub mod rules;
pub mod settings;
pub mod sources;
pub mod values;

use model::{Model, scope_of};
use palisade_core::{
    Analyzer, DiagnosticKind, Facts, FileContext, FileKind, ProjectContext, RuleMeta, SourceFile,
};
use rules::{ProjectRule, PyRule, RuleContext};
use std::cell::RefCell;
use std::collections::HashMap;
use tree_sitter::{Node, Parser, Tree};

/// The Python analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct PythonAnalyzer;

thread_local! {
    // tree-sitter parsers are not `Sync`: one per worker thread, reused across files.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses one file and throws the tree away: the floor the benchmark compares the full
/// analysis with (`palisade parse-only`).
pub fn parse_only(text: &str) -> bool {
    parse(text).is_some_and(|tree| !tree.root_node().has_error())
}

fn parse(text: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(text, None)
    })
}

/// Node kinds the model itself needs, whatever rules run.
const MODEL_KINDS: [&str; 5] = [
    "import_statement",
    "import_from_statement",
    "assignment",
    "with_item",
    "function_definition",
];

impl Analyzer for PythonAnalyzer {
    fn domain(&self) -> &'static str {
        "python"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::METAS
    }

    fn accepts(&self, kind: FileKind) -> bool {
        kind == FileKind::Python
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileContext<'_>) {
        let active: Vec<&PyRule> = rules::RULES
            .iter()
            .copied()
            .filter(|r| cx.wants(r.meta))
            .collect();
        let project_rules = rules::PROJECT_RULES
            .iter()
            .any(|r| cx.rules().is_enabled(r.meta.id));
        if active.is_empty() && !project_rules {
            return;
        }
        let Some(tree) = parse(&file.text) else {
            cx.notice(
                DiagnosticKind::Parse,
                None,
                "the Python parser gave up on this file",
            );
            return;
        };
        let root = tree.root_node();
        if root.has_error() {
            let line = first_error_line(root);
            cx.notice(
                DiagnosticKind::Parse,
                Some(line),
                format!(
                    "Python syntax error near line {line} (Python 2, a template, or broken code); findings elsewhere in the file are still reported"
                ),
            );
        }
        if project_rules && let Some(facts) = endpoints::extract(root, file) {
            cx.keep(facts);
        }
        if active.is_empty() {
            return;
        }

        // One traversal: collect every node some consumer wants.
        let mut wanted = Wanted::new(
            &root.language(),
            MODEL_KINDS
                .iter()
                .chain(active.iter().flat_map(|r| r.node_kinds.iter())),
        );
        // Function and lambda extents in source order, for `scope_of` (see model.rs).
        let mut functions = Vec::new();
        let function_ids = [
            root.language()
                .id_for_node_kind("function_definition", true),
            root.language().id_for_node_kind("lambda", true),
        ];
        let mut cursor = root.walk();
        'walk: loop {
            let node = cursor.node();
            let id = node.kind_id();
            wanted.push(id, node);
            if function_ids.contains(&id) {
                functions.push((node.start_byte(), node.end_byte(), node.id()));
            }
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        let _scopes = model::FunctionTable::install(functions);

        let source = file.text.as_bytes();
        let mut model = Model::new(source);
        for kind in ["import_statement", "import_from_statement"] {
            for &node in &wanted[kind] {
                model.add_import(node);
            }
        }
        for &node in &wanted["function_definition"] {
            if let Some(parameters) = node.child_by_field_name("parameters") {
                model.add_parameters(node.id(), parameters);
            }
        }
        for &node in &wanted["assignment"] {
            if let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) {
                model.add_assignment(scope_of(node), left, right);
            }
        }
        for &node in &wanted["with_item"] {
            // `with httpx.Client() as client:` binds `client` to the value.
            let Some(value) = node.child_by_field_name("value") else {
                continue;
            };
            if value.kind() != "as_pattern" {
                continue;
            }
            let target = value
                .child_by_field_name("alias")
                .and_then(|a| a.named_child(0));
            if let (Some(expr), Some(target)) = (value.named_child(0), target) {
                model.add_assignment(scope_of(node), target, expr);
            }
        }

        let mut rcx = RuleContext {
            model: &model,
            file,
            out: cx,
        };
        for rule in active {
            for kind in rule.node_kinds {
                for &node in &wanted[kind] {
                    (rule.check)(node, &mut rcx);
                }
            }
        }
    }

    /// The project pass: the endpoint inventory built from every file's facts, checked by
    /// the project rules.
    fn check_project(&self, kept: Vec<Facts>, cx: &mut ProjectContext<'_>) {
        let files: Vec<endpoints::facts::FileFacts> = kept
            .into_iter()
            .filter_map(|f| f.downcast::<endpoints::facts::FileFacts>().ok().map(|f| *f))
            .collect();
        let project = rules::ProjectModel::new(files);
        let wanted: Vec<&ProjectRule> = rules::PROJECT_RULES
            .iter()
            .copied()
            .filter(|r| cx.wants(r.meta))
            .collect();
        for rule in wanted {
            (rule.check)(&project, cx);
        }
    }
}

/// The nodes of the kinds the model and the enabled rules asked for, collected in the one
/// traversal by kind id (no string comparison per node).
struct Wanted<'t> {
    slot_by_id: Vec<usize>,
    slot_by_name: HashMap<&'static str, usize>,
    lists: Vec<Vec<Node<'t>>>,
}

impl<'t> Wanted<'t> {
    fn new<'k>(
        language: &tree_sitter::Language,
        kinds: impl Iterator<Item = &'k &'static str>,
    ) -> Self {
        let mut wanted = Wanted {
            slot_by_id: vec![usize::MAX; language.node_kind_count()],
            slot_by_name: HashMap::new(),
            lists: Vec::new(),
        };
        for &kind in kinds {
            if wanted.slot_by_name.contains_key(kind) {
                continue;
            }
            let slot = wanted.lists.len();
            wanted.lists.push(Vec::new());
            wanted.slot_by_name.insert(kind, slot);
            let id = language.id_for_node_kind(kind, true) as usize;
            if id != 0 && id < wanted.slot_by_id.len() {
                wanted.slot_by_id[id] = slot;
            }
        }
        wanted
    }

    fn push(&mut self, kind_id: u16, node: Node<'t>) {
        if let Some(&slot) = self.slot_by_id.get(kind_id as usize)
            && slot != usize::MAX
        {
            self.lists[slot].push(node);
        }
    }
}

impl<'t> std::ops::Index<&str> for Wanted<'t> {
    type Output = [Node<'t>];
    fn index(&self, kind: &str) -> &[Node<'t>] {
        self.slot_by_name
            .get(kind)
            .map_or(&[], |&slot| self.lists[slot].as_slice())
    }
}

fn first_error_line(root: Node<'_>) -> u32 {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return node.start_position().row as u32 + 1;
        }
        let descended = node.has_error() && cursor.goto_first_child();
        if descended {
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
                return root.start_position().row as u32 + 1;
            }
        }
    }
}
