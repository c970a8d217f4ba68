//! Flags self-hosted runners in workflows that outsiders can start.
//!
//! ## What it checks
//! A job whose `runs-on` includes the `self-hosted` label (or a runner group) in a workflow
//! triggered by an event people outside the repository can cause — `pull_request`,
//! `pull_request_target`, `issues`, `issue_comment`, discussions, forks, `workflow_run`:
//! *high*, medium confidence (palisade cannot see whether the repository is public, nor
//! whether the runner is ephemeral). Jobs on GitHub-hosted runners (`ubuntu-latest`, …) and
//! self-hosted jobs of workflows started only by pushes, schedules, releases or by hand are
//! not reported.
//!
//! ## Why it matters
//! A self-hosted runner is a machine on your network that keeps state between jobs. On a
//! public repository, a pull request from a fork runs its code there: it can persist on the
//! machine, read what later jobs leave behind (tokens, caches, credentials) and reach the
//! internal network. GitHub advises never to use self-hosted runners with public
//! repositories.
//!
//! ## Example
//! ```yaml
//! on: pull_request
//! jobs:
//!   build:
//!     runs-on: [self-hosted, linux]     # flagged
//! ```
//!
//! ## Remediation
//! Run pull-request jobs on GitHub-hosted runners; keep self-hosted runners for trusted
//! triggers (push to protected branches, releases), make them ephemeral (one job per
//! machine), and require approval for workflows from outside contributors.
//!
//! ## References
//! - CWE-284: Improper Access Control
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - GitHub Docs, Security hardening for GitHub Actions: hardening for self-hosted runners

use crate::rules::{PUBLIC_EVENTS, RuleContext, WorkflowRule};
use crate::workflow::Workflow;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ci/github-self-hosted-runner-public-trigger",
    title: "Self-hosted runner used by a workflow outsiders can start",
    severity: Severity::High,
    confidence: Confidence::Medium,
    cwe: &[284],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("github_self_hosted_runner_public_trigger.rs"),
};

pub static RULE: WorkflowRule = WorkflowRule {
    meta: &META,
    check,
};

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    let Some(trigger) = workflow
        .triggers
        .iter()
        .find(|t| PUBLIC_EVENTS.contains(&t.text.as_str()))
    else {
        return;
    };
    for job in &workflow.jobs {
        let Some(label) = job.runs_on.iter().find(|label| {
            label.text.eq_ignore_ascii_case("self-hosted") || label.text.starts_with("group:")
        }) else {
            continue;
        };
        cx.report(Finding::new(
            &META,
            cx.span_in(label, &label.text.replace("group:", "")),
            format!(
                "job `{}` runs on a self-hosted runner and the workflow starts on `{}`, which outsiders can cause",
                job.id, trigger.text
            ),
        ));
    }
}
