//! palisade's Python backend analyzer.
//!
//! Each file is parsed once, by palisade-syntax's parser pool, and walked once: the
//! traversal hands every node to the consumers of its kind — the collector of the nodes the
//! model and the enabled rules want, the table of function extents, and the endpoint
//! inventory's extractor. The model (imports, assignments, parameters) is then built from
//! the collected nodes, each rule sees only the node kinds it declared, and the extractor
//! resolves its names through the same model.

pub mod call_sites;
pub mod callers;
pub mod chunked;
pub mod credentials;
pub mod dsn;
pub mod endpoints;
pub mod env_defaults;
pub mod flow;
pub mod grammar;
pub mod imported_secrets;
pub mod lookalikes;
pub mod model;
pub mod reach;
pub mod rules;
pub mod settings;
pub mod sources;
pub mod values;

use crate::grammar::field;
use endpoints::extract::Extractor;
use endpoints::facts::FileFacts;
use grammar::PYTHON;
use model::{Model, scope_of};
use palisade_core::{
    Analyzer, DiagnosticKind, FactsCodec, FileContext, FileSelector, ProjectContext, RuleMeta,
    SourceFile,
};
use palisade_syntax::{Consumer, NodesByKind, UnknownKind, Visit};
use rules::{ProjectRule, PyRule, RuleContext};
use tree_sitter::Node;

/// The Python analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct PythonAnalyzer;

/// Parses one file and throws the tree away: the floor the benchmark compares the full
/// analysis with (`palisade parse-only`); with `walk`, after one bare traversal of the tree
/// ([`palisade_syntax::bare_walk`]). Whether it parsed without a syntax error.
/// A file larger than [`chunked::CHUNKED_ABOVE`] is parsed chunk by chunk, as a scan
/// parses it.
pub fn parse_only(text: &str, walk: bool) -> bool {
    if let Some(plan) = chunked::Plan::for_file(text) {
        return chunked::parse_only(text, &plan, walk);
    }
    palisade_syntax::parse(&PYTHON, text).is_ok_and(|parsed| {
        if walk {
            palisade_syntax::bare_walk(&PYTHON, parsed.tree.root_node());
        }
        parsed.syntax_error.is_none()
    })
}

/// Node kinds the model's imports need, whatever else runs.
const IMPORT_KINDS: [&str; 2] = ["import_statement", "import_from_statement"];

/// Node kinds the rest of the model needs when rules run.
const MODEL_KINDS: [&str; 3] = ["assignment", "with_item", "function_definition"];

impl Analyzer for PythonAnalyzer {
    type Facts = endpoints::facts::FileFacts;
    type ScanState = ScanState;

    fn name(&self) -> &'static str {
        "python"
    }

    fn input_kind(&self) -> &'static str {
        "Python files"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::METAS
    }

    fn files(&self) -> FileSelector {
        FileSelector {
            extensions: &["py", "pyw", "pyi"],
            ..FileSelector::default()
        }
    }

    /// Cached: a file's findings and facts depend on its text and the rules alone. A cached
    /// check is not told the scan's modules, so it records every call site of the project's
    /// own functions (not only those a scanned module can define): more facts, the same
    /// findings.
    fn cache(&self) -> Option<FactsCodec<endpoints::facts::FileFacts>> {
        Some(FactsCodec::json(1))
    }

    fn check_file(
        &self,
        file: &SourceFile,
        cx: &mut FileContext<'_>,
        state: &ScanState,
    ) -> Option<endpoints::facts::FileFacts> {
        // A collect run (`palisade endpoints`) wants only the inventory facts.
        let active: Vec<&PyRule> = rules::RULES
            .iter()
            .copied()
            .filter(|r| !cx.is_collecting() && cx.wants(r.meta) && r.may_match(&file.text))
            .collect();
        let project_rules = cx.is_collecting()
            || rules::PROJECT_RULES
                .iter()
                .any(|r| cx.rules().is_enabled(r.meta.id))
            || cx.rules().is_enabled(rules::hardcoded_secret_key::META.id)
            // Its call sites are recorded in every file (see `analyze`).
            || cx.wants(&rules::sql_injection::META);
        if active.is_empty() && !project_rules {
            return None;
        }
        // A large file is never parsed whole (see chunked.rs).
        if let Some(plan) = chunked::Plan::for_file(&file.text) {
            return chunked::check_file(file, &plan, &active, project_rules, cx, state);
        }
        let parsed = match palisade_syntax::parse(&PYTHON, &file.text) {
            Ok(parsed) => parsed,
            Err(failure) => {
                cx.notice(DiagnosticKind::Parse, None, format!("Python: {failure}"));
                return None;
            }
        };
        if let Some(error) = parsed.syntax_error {
            let line = error.line;
            cx.notice(
                DiagnosticKind::Parse,
                Some(line),
                format!(
                    "Python syntax error near line {line} (Python 2, a template, or broken code); findings elsewhere in the file are still reported"
                ),
            );
        }
        let modules = cx.scanned_paths().map(|paths| {
            state
                .modules
                .get_or_init(|| call_sites::ScanModules::new(|| paths.iter()))
        });
        match analyze(
            file,
            parsed.tree.root_node(),
            &active,
            project_rules,
            modules,
            Some(cx),
            None,
        ) {
            Ok(facts) => facts,
            // A rule declared a kind the grammar lacks: a bug the unit tests catch.
            Err(e) => {
                cx.notice(DiagnosticKind::Skipped, None, format!("Python rules: {e}"));
                None
            }
        }
    }

    /// The project pass: the endpoint inventory built from every file's facts, checked by
    /// the project rules.
    fn check_project(
        &self,
        mut files: Vec<endpoints::facts::FileFacts>,
        cx: &mut ProjectContext<'_>,
    ) {
        let mut deferred = Vec::new();
        let mut sites = Vec::new();
        for facts in &mut files {
            deferred.append(&mut facts.deferred);
            sites.append(&mut facts.call_sites);
        }
        call_sites::settle(deferred, &sites, cx);
        drop(sites);
        let project = rules::ProjectModel::new(files);
        let wanted: Vec<&ProjectRule> = rules::PROJECT_RULES
            .iter()
            .copied()
            .filter(|r| cx.wants(r.meta))
            .collect();
        for rule in wanted {
            (rule.check)(&project, cx);
        }
        if cx.wants(&rules::hardcoded_secret_key::META) {
            imported_secrets::check(&project.project.files, cx);
        }
    }
}

/// What the Python analyzer shares between the files of one scan.
#[derive(Debug, Default)]
pub struct ScanState {
    /// The scan's module names, built by the first file that records call sites.
    modules: std::sync::OnceLock<call_sites::ScanModules>,
}

/// One file's single traversal and what follows it: the model built from the collected
/// nodes, the `rules` run over them (when `cx` is given), and the inventory's facts (when
/// `inventory` is set). `modules`: the scan's modules, when known, to record only the call
/// sites that can name one of its functions. `own`: for a chunk of a large file, the part
/// of the tree the rules and the extractor look at (the rest is context, see chunked.rs).
pub(crate) fn analyze<'t>(
    file: &'t SourceFile,
    root: Node<'t>,
    rules: &[&PyRule],
    inventory: bool,
    modules: Option<&call_sites::ScanModules>,
    cx: Option<&mut FileContext<'_>>,
    own: Option<&chunked::Own>,
) -> Result<Option<FileFacts>, UnknownKind> {
    // Other files' SQL findings may wait on this file's calls of their functions: recorded
    // whenever the SQL rule runs in the scan, even in a file its text test leaves out.
    let record_calls = cx
        .as_ref()
        .is_some_and(|cx| !cx.is_collecting() && cx.wants(&rules::sql_injection::META));
    let mine = |node: &Node<'_>| own.is_none_or(|own| own.holds(*node));
    let run_rules = (!rules.is_empty() || record_calls) && cx.is_some();
    let mut nodes = NodesByKind::new(
        IMPORT_KINDS
            .iter()
            .chain(MODEL_KINDS.iter().filter(|_| run_rules))
            .chain(rules.iter().flat_map(|r| r.node_kinds.iter()))
            .chain(std::iter::once(&"call").filter(|_| record_calls)),
    );
    let mut functions = FunctionExtents::default();
    let mut extractor = inventory.then(|| Extractor::new(file));
    let mut parents =
        palisade_syntax::Parents::for_text_of(own.map_or(file.text.len(), |o| o.parsed_bytes));
    {
        let mut consumers: Vec<&mut dyn Consumer<'t>> = vec![&mut nodes];
        if run_rules {
            consumers.push(&mut functions);
        }
        let mut own_extractor;
        if let Some(extractor) = extractor.as_mut() {
            match own {
                Some(own) => {
                    own_extractor = chunked::OwnOnly::new(extractor, own);
                    consumers.push(&mut own_extractor);
                }
                None => consumers.push(extractor),
            }
        }
        palisade_syntax::traverse_recording_parents(&PYTHON, root, &mut consumers, &mut parents)?;
    }
    let _scopes = run_rules.then(|| model::FunctionTable::install(functions.extents));
    let mut secrets = imported_secrets::SecretFacts::default();

    let source = file.text.as_bytes();
    let mut model = Model::for_file(source, &file.path).with_tree(root, parents);
    let mut deferred = Vec::new();
    let mut call_sites = Vec::new();
    for kind in IMPORT_KINDS {
        for &node in nodes.get(kind) {
            model.add_import(node);
        }
    }
    if let Some(cx) = cx.filter(|_| run_rules) {
        for &node in nodes.get("function_definition") {
            model.add_function(node);
        }
        for &node in nodes.get("assignment") {
            if let (Some(left), Some(right)) = (
                node.child_by_field_id(*field::LEFT),
                node.child_by_field_id(*field::RIGHT),
            ) {
                model.add_assignment(scope_of(node), left, right);
            }
        }
        for &node in nodes.get("with_item") {
            // `with httpx.Client() as client:` binds `client` to the value.
            let Some(value) = node.child_by_field_id(*field::VALUE) else {
                continue;
            };
            if value.kind() != "as_pattern" {
                continue;
            }
            let target = value
                .child_by_field_id(*field::ALIAS)
                .and_then(|a| a.named_child(0));
            if let (Some(expr), Some(target)) = (value.named_child(0), target) {
                model.add_assignment(scope_of(node), target, expr);
            }
        }
        if inventory
            && rules
                .iter()
                .any(|r| r.meta.id == rules::hardcoded_secret_key::META.id)
        {
            let assignments: Vec<Node<'t>> = nodes
                .get("assignment")
                .iter()
                .copied()
                .filter(mine)
                .collect();
            let calls: Vec<Node<'t>> = nodes.get("call").iter().copied().filter(mine).collect();
            secrets = imported_secrets::collect(&model, file, &assignments, &calls);
        }
        let mut rcx = RuleContext {
            model: &model,
            file,
            out: cx,
            deferred: Vec::new(),
        };
        for rule in rules {
            for kind in rule.node_kinds {
                for node in nodes.get(kind).iter().filter(|n| mine(n)) {
                    (rule.check)(*node, &mut rcx);
                }
            }
        }
        deferred = rcx.deferred;
        // Every skipped input gets a notice: what the analysis did not follow to the end.
        if let Some((line, limit)) = flow::depth_limited(&model)
            && own.is_none_or(|own| own.lines.contains(&line))
        {
            rcx.out.notice(
                DiagnosticKind::Skipped,
                Some(line),
                format!(
                    "Python: an expression nested more than {limit} levels deep near line {line} was not followed to the end; findings built from it may be missing"
                ),
            );
        }
        if model.flow.budget_spent() && own.is_none_or(chunked::Own::first_budget_notice) {
            rcx.out.notice(
                DiagnosticKind::Skipped,
                None,
                "Python: the file's data-flow budget ran out (a very large or generated file); values past that point were not followed, so findings built from them may be missing",
            );
        }
        if record_calls {
            let calls: Vec<Node<'t>> = nodes.get("call").iter().copied().filter(mine).collect();
            call_sites = call_sites::record(&model, file, &calls, modules);
        }
    }
    let mut facts = extractor.and_then(|x| x.finish(root, &model));
    if !secrets.is_empty() || !deferred.is_empty() || !call_sites.is_empty() {
        let facts = facts.get_or_insert_with(|| FileFacts {
            path: file.path.clone(),
            module: model.module().to_string(),
            not_product: true,
            ..FileFacts::default()
        });
        facts.secrets = secrets;
        facts.deferred = deferred;
        facts.call_sites = call_sites;
    }
    Ok(facts)
}

/// The inventory facts of one file, for `palisade endpoints` (no rules run): the same
/// parse, traversal and model as a scan's.
pub(crate) fn inventory_facts(file: &SourceFile) -> Option<FileFacts> {
    if let Some(plan) = chunked::Plan::for_file(&file.text) {
        return chunked::analyze_file(file, &plan, &[], true, None, None)
            .ok()
            .flatten();
    }
    let parsed = palisade_syntax::parse(&PYTHON, &file.text).ok()?;
    analyze(file, parsed.tree.root_node(), &[], true, None, None, None)
        .ok()
        .flatten()
}

/// Function and lambda extents (start byte, end byte, node id) in source order, for
/// `scope_of` (see model.rs).
#[derive(Default)]
struct FunctionExtents {
    extents: Vec<(usize, usize, usize)>,
}

impl<'t> Consumer<'t> for FunctionExtents {
    fn kinds(&self) -> &[&'static str] {
        &["function_definition", "lambda"]
    }

    fn visit(&mut self, node: Node<'t>, _: Visit) {
        self.extents
            .push((node.start_byte(), node.end_byte(), node.id()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The notices a scan with every Python rule leaves on `source`.
    fn notices(source: &str) -> Vec<(DiagnosticKind, Option<u32>, String)> {
        let file = SourceFile::in_memory("app/queries.py", source);
        let rules = palisade_core::config::RuleSet::all(rules::METAS);
        let mut cx = FileContext::new(&file, &rules);
        let _ = PythonAnalyzer.check_file(&file, &mut cx, &ScanState::default());
        let (_, diagnostics) = cx.into_parts();
        diagnostics
            .into_iter()
            .map(|d| (d.kind, d.line, d.message))
            .collect()
    }

    #[test]
    fn an_expression_nested_past_the_depth_limit_gets_a_notice() {
        let terms: Vec<String> = (0..80).map(|i| format!("part{i}")).collect();
        let source = format!(
            "import pymysql

def run(conn, {params}):
    sql = \
        \"SELECT * FROM t WHERE a = '\" + {sum}
    conn.cursor().execute(sql)
",
            params = terms.join(", "),
            sum = terms.join(" + "),
        );
        let deep = notices(&source);
        assert!(
            deep.iter()
                .any(|(kind, line, message)| *kind == DiagnosticKind::Skipped
                    && line.is_some()
                    && message.contains("nested more than")),
            "{deep:#?}"
        );
        // A shallow file gets none.
        let shallow = notices(
            "import pymysql

def run(conn, a):
    conn.cursor().execute(\"SELECT 1 WHERE a = \" + a)
",
        );
        assert!(shallow.is_empty(), "{shallow:#?}");
    }

    #[test]
    fn every_kind_a_consumer_asks_for_is_a_python_node_kind() {
        let mut interests: Vec<&[&'static str]> = vec![&IMPORT_KINDS, &MODEL_KINDS];
        interests.extend(rules::RULES.iter().map(|r| r.node_kinds));
        let functions = FunctionExtents::default();
        interests.push(functions.kinds());
        let file = SourceFile::in_memory("app.py", "from flask import Flask\n");
        let extractor = Extractor::new(&file);
        interests.push(extractor.kinds());
        palisade_syntax::Dispatch::new(&PYTHON, interests).unwrap();
    }
}
