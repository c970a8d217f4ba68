//! palisade's Kubernetes analyzer: manifests (YAML, JSON, multi-document streams, `List`s
//! and `kubectl get -o yaml` dumps), checked object by object, each finding on the exact
//! line of the offending key.

pub mod control_plane;
pub mod facts;
pub mod object;
pub mod project;
pub mod rbac;
pub mod rules;
pub mod yaml;

use palisade_core::{
    Analyzer, DiagnosticKind, Facts, FileContext, FileKind, ProjectContext, RuleMeta, SourceFile,
    Span,
};
use rules::{K8sRule, ProjectRule, RuleContext};

/// The Kubernetes analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct KubernetesAnalyzer;

impl Analyzer for KubernetesAnalyzer {
    fn domain(&self) -> &'static str {
        "k8s"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::METAS
    }

    fn accepts(&self, kind: FileKind) -> bool {
        matches!(kind, FileKind::Yaml | FileKind::Json)
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileContext<'_>) {
        let active: Vec<&K8sRule> = rules::RULES
            .iter()
            .copied()
            .filter(|r| cx.wants(r.meta))
            .collect();
        let project_rules = rules::PROJECT_RULES
            .iter()
            .any(|r| cx.rules().is_enabled(r.meta.id));
        // Most YAML in a repository is not Kubernetes: do not even parse it.
        if (active.is_empty() && !project_rules)
            || !(file.text.contains("apiVersion") && file.text.contains("kind"))
        {
            return;
        }
        let (documents, errors) = yaml::load(&file.text);
        for error in errors {
            let hint = if file.text.contains("{{") {
                " (it looks like a template: render it first)"
            } else {
                ""
            };
            cx.notice(
                DiagnosticKind::Parse,
                Some(error.line),
                format!(
                    "invalid YAML near line {}: {}{hint}",
                    error.line, error.message
                ),
            );
        }
        let mut facts = facts::FileFacts::default();
        let mut rcx = RuleContext { out: cx };
        for document in &documents {
            for object in object::objects(&document.root) {
                for rule in &active {
                    (rule.check)(&object, &mut rcx);
                }
                if project_rules {
                    facts::collect(file, &object, &mut facts);
                }
            }
        }
        if !facts.is_empty() {
            cx.keep(facts);
        }
    }

    fn check_project(&self, kept: Vec<Facts>, cx: &mut ProjectContext<'_>) {
        let files: Vec<facts::FileFacts> = kept
            .into_iter()
            .filter_map(|f| f.downcast::<facts::FileFacts>().ok().map(|f| *f))
            .collect();
        let project = project::Project::new(files);
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

/// The facts of every Kubernetes object in `file`, for commands that need the RBAC graph
/// without running rules (`palisade who-can`, `palisade rbac`). Parse errors are returned as
/// messages.
pub fn file_facts(file: &SourceFile) -> (facts::FileFacts, Vec<String>) {
    let mut facts = facts::FileFacts::default();
    if !(file.text.contains("apiVersion") && file.text.contains("kind")) {
        return (facts, Vec::new());
    }
    let (documents, errors) = yaml::load(&file.text);
    for document in &documents {
        for object in object::objects(&document.root) {
            facts::collect(file, &object, &mut facts);
        }
    }
    let errors = errors
        .into_iter()
        .map(|e| format!("{}:{}: invalid YAML: {}", file.path, e.line, e.message))
        .collect();
    (facts, errors)
}

/// The span from a key's start to its value's end (saphyr lines are 1-based, columns 0-based).
pub fn key_value_span(key: &saphyr::MarkedYaml<'_>, value: &saphyr::MarkedYaml<'_>) -> Span {
    let (start, end) = (key.span.start, value.span.end);
    let end = if end.line() < start.line() || end == saphyr::Marker::default() {
        key.span.end
    } else {
        end
    };
    Span {
        start_line: start.line() as u32,
        start_column: start.col() as u32 + 1,
        end_line: end.line() as u32,
        end_column: end.col() as u32 + 1,
    }
}

/// A one-character span at the start of a node (for a node without a usable key).
pub fn node_start_span(node: &saphyr::MarkedYaml<'_>) -> Span {
    let start = node.span.start;
    Span {
        start_line: start.line() as u32,
        start_column: start.col() as u32 + 1,
        end_line: start.line() as u32,
        end_column: start.col() as u32 + 2,
    }
}

/// The span of a whole node (a scalar: its text, quotes included).
pub fn node_span(node: &saphyr::MarkedYaml<'_>) -> Span {
    let (start, end) = (node.span.start, node.span.end);
    if end.line() < start.line() || end == saphyr::Marker::default() {
        return node_start_span(node);
    }
    Span {
        start_line: start.line() as u32,
        start_column: start.col() as u32 + 1,
        end_line: end.line() as u32,
        end_column: end.col() as u32 + 1,
    }
}

/// Runs one rule over a YAML text, for the rules' unit tests (the fixtures check lines; these
/// tests check what fixtures cannot, such as a finding's severity).
#[cfg(test)]
pub(crate) fn findings_of(rule_id: &str, text: &str) -> Vec<palisade_core::Finding> {
    let file = SourceFile::in_memory("test.yaml", FileKind::Yaml, text);
    let rules = palisade_core::config::RuleSet::only(rules::METAS, &[rule_id]);
    let mut cx = FileContext::new(&file, &rules);
    KubernetesAnalyzer.check_file(&file, &mut cx);
    cx.into_parts().0
}

/// The span from the start of `first` to the end of `last` (two sequence items, say).
pub fn nodes_span(first: &saphyr::MarkedYaml<'_>, last: &saphyr::MarkedYaml<'_>) -> Span {
    let (a, b) = (node_span(first), node_span(last));
    if (b.end_line, b.end_column) < (a.start_line, a.start_column) {
        return a;
    }
    Span {
        end_line: b.end_line,
        end_column: b.end_column,
        ..a
    }
}
