//! palisade's organisational controls. Today: the `ci` analyzer, which reads GitHub Actions
//! workflows and checks that pipelines run with least privilege and cannot be steered by
//! outsiders (POLICY.md `access-control` and `vendor-security`).
//!
//! Each workflow file is loaded once (palisade-syntax's YAML reader, with positions) into a
//! [`workflow::Workflow`] model; every enabled rule then reads the model. Rules never see YAML.

pub mod expressions;
pub mod rules;
pub mod workflow;

use palisade_core::{Analyzer, DiagnosticKind, FileContext, FileSelector, RuleMeta, SourceFile};
use workflow::Workflow;

/// The CI pipeline analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct CiAnalyzer;

impl Analyzer for CiAnalyzer {
    type Facts = ();
    type ScanState = ();

    fn name(&self) -> &'static str {
        "ci"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::METAS
    }

    fn files(&self) -> FileSelector {
        FileSelector {
            globs: &["**/.github/workflows/*.yml", "**/.github/workflows/*.yaml"],
            ..FileSelector::default()
        }
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileContext<'_>, _state: &()) -> Option<()> {
        let (documents, errors) = palisade_syntax::yaml::load(&file.text);
        for error in errors {
            cx.notice(
                DiagnosticKind::Parse,
                Some(error.line),
                format!("workflow YAML: {}", error.message),
            );
        }
        let Some(workflow) = documents.first().and_then(|d| Workflow::from_yaml(&d.root)) else {
            if !documents.is_empty() {
                cx.notice(
                    DiagnosticKind::Skipped,
                    None,
                    "not a GitHub Actions workflow (no `jobs:` mapping)",
                );
            }
            return None;
        };
        let mut rcx = rules::RuleContext { file, out: cx };
        for rule in rules::WORKFLOW_RULES {
            if rcx.out.wants(rule.meta) {
                (rule.check)(&workflow, &mut rcx);
            }
        }
        None
    }
}
