//! Flags workflows that leave the `GITHUB_TOKEN`'s permissions to the repository default.
//!
//! ## What it checks
//! A workflow with no top-level `permissions:` in which at least one job declares none
//! either. Such jobs get the repository's (or organisation's) default token permissions,
//! which are read and write to every scope for repositories and organisations created before
//! February 2023 and wherever an administrator kept that setting. Reported once per
//! workflow, at its `on:` line, naming the jobs; *medium*, medium confidence (palisade cannot
//! see the repository setting). Workflows triggered only by `workflow_call` take their
//! caller's token and are not reported.
//!
//! ## Why it matters
//! The token is handed to every step, third-party actions included. With a write default a
//! compromised dependency, a script injection or a malicious pull request build can push to
//! branches, create releases and tamper with packages. Declaring permissions in the file
//! keeps least privilege reviewable and independent of a setting nobody sees.
//!
//! ## Example
//! ```yaml
//! on: push            # flagged: no permissions anywhere
//! jobs:
//!   test:
//!     runs-on: ubuntu-latest
//! ```
//!
//! ## Remediation
//! Add `permissions: contents: read` (or `{}`) at the top of the workflow and grant each job
//! the write scopes it needs in its own `permissions:`.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - GitHub Docs, Controlling permissions for GITHUB_TOKEN

use crate::rules::{RuleContext, WorkflowRule};
use crate::workflow::Workflow;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity, Span};

pub static META: RuleMeta = RuleMeta {
    id: "ci/github-token-permissions-unset",
    title: "Workflow token permissions left to the repository default",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[250],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("github_token_permissions_unset.rs"),
};

pub static RULE: WorkflowRule = WorkflowRule {
    meta: &META,
    check,
};

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    if workflow.permissions.is_some() || workflow.jobs.is_empty() {
        return;
    }
    if !workflow.triggers.is_empty()
        && workflow.triggers.iter().all(|t| t.text == "workflow_call")
    {
        return;
    }
    // A job that calls a reusable workflow gives it the token; the called workflow's own
    // `permissions:` can only lower them, so the caller is where they are set.
    let unset: Vec<&str> = workflow
        .jobs
        .iter()
        .filter(|job| job.permissions.is_none())
        .map(|job| job.id.as_str())
        .collect();
    if unset.is_empty() {
        return;
    }
    let names = unset
        .iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ");
    cx.report(Finding::new(
        &META,
        Span::line(workflow.on_line),
        format!(
            "no `permissions:` for the workflow or job(s) {names}: their token gets the repository's default permissions"
        ),
    ));
}
