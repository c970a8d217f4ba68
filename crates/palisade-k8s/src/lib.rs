//! palisade's Kubernetes analyzer: manifests (YAML, JSON, multi-document streams, `List`s
//! and `kubectl get -o yaml` dumps), checked object by object, each finding on the exact
//! line of the offending key.

pub mod control_plane;
pub mod object;
pub mod rules;
pub mod yaml;

use palisade_core::{Analyzer, DiagnosticKind, FileContext, FileKind, RuleMeta, SourceFile, Span};
use rules::{K8sRule, RuleContext};

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
        // Most YAML in a repository is not Kubernetes: do not even parse it.
        if active.is_empty() || !(file.text.contains("apiVersion") && file.text.contains("kind")) {
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
        let mut rcx = RuleContext { out: cx };
        for document in &documents {
            for object in object::objects(&document.root) {
                for rule in &active {
                    (rule.check)(&object, &mut rcx);
                }
            }
        }
    }
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

/// The span of one node (a scalar, a sequence item, a key), from its start to its end.
pub fn node_span(node: &saphyr::MarkedYaml<'_>) -> Span {
    let (start, end) = (node.span.start, node.span.end);
    let end = if end.line() < start.line() || end == saphyr::Marker::default() {
        start
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
