//! Flags `permissions: write-all` and write scopes granted to every job of a workflow.
//!
//! ## What it checks
//! - `permissions: write-all`, at the workflow or a job: *high*;
//! - write scopes in the workflow's top-level `permissions:` when the workflow has two or
//!   more jobs and some of them declare no `permissions:` of their own (each of those jobs
//!   inherits every write scope, whether it needs it or not): *low*, medium confidence.
//!
//! A single-job workflow with top-level write scopes, and jobs that declare their own
//! scopes, are what least privilege asks for and are not reported.
//!
//! ## Why it matters
//! The token goes to every step of a job, third-party actions included. `write-all` lets any
//! of them push commits, publish packages, rewrite releases and approve pull requests;
//! a write scope granted workflow-wide hands that power to jobs that only run tests.
//!
//! ## Example
//! ```yaml
//! permissions: write-all        # flagged, high
//! ```
//!
//! ## Remediation
//! Set `permissions: contents: read` at the top and grant each write scope in the job that
//! needs it (`permissions: packages: write` in the release job).
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - GitHub Docs, Controlling permissions for GITHUB_TOKEN

use crate::rules::{RuleContext, WorkflowRule};
use crate::workflow::{Permissions, Workflow};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity, Span};

pub static META: RuleMeta = RuleMeta {
    id: "ci/github-token-write-all",
    title: "Workflow token granted write access beyond what jobs need",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[250],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("github_token_write_all.rs"),
};

pub static RULE: WorkflowRule = WorkflowRule {
    meta: &META,
    check,
};

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    if let Some((Permissions::WriteAll, line)) = &workflow.permissions {
        cx.report(Finding::new(
            &META,
            Span::line(*line),
            "`permissions: write-all` gives every job's token write access to every scope",
        ));
    }
    for job in &workflow.jobs {
        if let Some((Permissions::WriteAll, line)) = &job.permissions {
            cx.report(Finding::new(
                &META,
                Span::line(*line),
                format!(
                    "`permissions: write-all` gives job `{}` write access to every scope",
                    job.id
                ),
            ));
        }
    }
    let Some((top @ Permissions::Scopes(_), line)) = &workflow.permissions else {
        return;
    };
    let scopes = top.write_scopes();
    let inheriting: Vec<&str> = workflow
        .jobs
        .iter()
        .filter(|job| job.permissions.is_none())
        .map(|job| job.id.as_str())
        .collect();
    if scopes.is_empty() || workflow.jobs.len() < 2 || inheriting.is_empty() {
        return;
    }
    cx.report(
        Finding::new(
            &META,
            Span::line(*line),
            format!(
                "write scope(s) {} granted to every job; job(s) {} inherit them",
                scopes.join(", "),
                inheriting.join(", ")
            ),
        )
        .with_severity(Severity::Low)
        .with_confidence(Confidence::Medium),
    );
}
