//! What the rules of this crate share: the workflow rule type, its context, and facts about
//! GitHub Actions references and events. The rules themselves are one per file under
//! `ci/`, each registered by one line in `ci/mod.rs`; every one reads the [`Workflow`] model
//! of one GitHub workflow or the [`Pipeline`] model of one GitLab CI file. The `controls/`
//! rules (one per kind of control record, under `controls/`) read the records of
//! palisade.toml.

use crate::gitlab::Pipeline;
use crate::workflow::{Value, Workflow};
use palisade_core::{FileContext, Finding, RuleMeta, SourceFile, Span};

pub mod ci;
pub mod controls;

pub use ci::{METAS, PIPELINE_RULES, WORKFLOW_RULES};

/// A rule over one kind of control record (`[controls.<kind>]`).
pub struct RecordRule {
    pub meta: &'static RuleMeta,
    pub kind: crate::records::Kind,
}

/// A rule over a document a record names (`[controls.incident-response] plan`): which parts
/// its outline must have.
pub struct DocumentRule {
    pub meta: &'static RuleMeta,
    pub kind: crate::records::Kind,
    /// The record's key that names the document.
    pub key: &'static str,
    /// What the document is, for messages.
    pub document: &'static str,
    /// The parts it must have (`"name: word|word"`), from the rule's options.
    pub parts: fn(&palisade_core::config::RuleSet) -> Vec<String>,
}

/// A rule over the repository's own files (CODEOWNERS, SECURITY.md).
pub struct RepositoryRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&crate::repository::Repo<'_>) -> crate::repository::Outcome,
}

/// A rule over one workflow.
pub struct WorkflowRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Workflow, &mut RuleContext<'_, '_>),
}

/// A rule over one GitLab CI file.
pub struct PipelineRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Pipeline, &mut RuleContext<'_, '_>),
}

/// What a workflow or pipeline rule can do: read the file's text, report.
pub struct RuleContext<'a, 'f> {
    pub file: &'a SourceFile,
    pub out: &'a mut FileContext<'f>,
}

impl RuleContext<'_, '_> {
    pub fn report(&mut self, finding: Finding) {
        self.out.report(finding);
    }

    /// The span of the text at byte `offset` of a (possibly multi-line) scalar's value:
    /// found on the file line that holds that line of the value, so that the same
    /// expression written on two lines of a script gives two places, not the first twice.
    pub fn span_within(&self, value: &Value, offset: usize, needle: &str) -> Span {
        let line_in_value = value.text[..offset.min(value.text.len())]
            .matches('\n')
            .count() as u32;
        // A block scalar (`run: |`) starts on the line after its indicator.
        let first = value.text.lines().next().unwrap_or("").trim();
        let starts = if self.file.line(value.line).contains(first) {
            value.line
        } else {
            value.line + 1
        };
        let line = starts + line_in_value;
        match self.file.line(line).find(needle) {
            Some(column) if line <= self.file.line_count() => {
                let start = column as u32 + 1;
                Span {
                    start_line: line,
                    start_column: start,
                    end_line: line,
                    end_column: start + needle.len() as u32,
                }
            }
            _ => self.span_in(value, needle),
        }
    }

    /// The span of `needle` in the file, searched from the line `value` starts on (a block
    /// scalar's text follows its indicator line), else the value's own line.
    pub fn span_in(&self, value: &Value, needle: &str) -> Span {
        let last = self.file.line_count();
        for n in value.line.max(1)..=last {
            if let Some(column) = self.file.line(n).find(needle) {
                let start = column as u32 + 1;
                return Span {
                    start_line: n,
                    start_column: start,
                    end_line: n,
                    end_column: start + needle.len() as u32,
                };
            }
        }
        Span::line(value.line)
    }
}

/// Actions published by GitHub itself (`actions/checkout`, `github/codeql-action`): the
/// platform's own code, which every workflow already trusts.
pub fn is_github_owned(action: &str) -> bool {
    let owner = action.split('/').next().unwrap_or("");
    owner.eq_ignore_ascii_case("actions") || owner.eq_ignore_ascii_case("github")
}

/// Whether `uses:` pins the action to a full commit SHA (or a container image to a digest);
/// local actions (`./path`) are the repository's own code.
pub fn is_pinned(uses: &str) -> bool {
    if uses.starts_with("./") {
        return true;
    }
    if let Some(image) = uses.strip_prefix("docker://") {
        return image.contains("@sha256:");
    }
    uses.rsplit_once('@').is_some_and(|(_, reference)| {
        reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Events that people outside the repository can cause on a public repository: opening a
/// pull request from a fork, an issue, a comment, a discussion.
pub const PUBLIC_EVENTS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "issues",
    "issue_comment",
    "discussion",
    "discussion_comment",
    "fork",
    "watch",
    "workflow_run",
];
