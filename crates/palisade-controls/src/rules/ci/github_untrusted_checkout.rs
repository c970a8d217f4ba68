//! Flags privileged workflows that check out and run a pull request's code.
//!
//! ## What it checks
//! Workflows started by `pull_request_target` or `workflow_run` run in the context of the
//! base repository: with its secrets and, unless restricted, a token that can write to it.
//! A job of such a workflow is reported when a checkout step fetches the pull request's own
//! code — `ref:` reading the head (`github.event.pull_request.head.sha`, `…head.ref`,
//! `github.head_ref`, `github.event.workflow_run.head_sha`, `…head_branch`, or
//! `refs/pull/<n>/merge|head`), or `repository:` naming the fork
//! (`github.event.pull_request.head.repo.full_name`) — and a later step runs anything (a
//! `run:` script, a local action `./…`): a build, a test run or an install executes the
//! pull request's code with those privileges. *Critical* when the job also reads secrets or
//! holds a write scope; *high* otherwise.
//!
//! A checkout of the base branch (no `ref:`), or of the head with no later step that runs
//! code, is not reported. An `if:` on a label does not silence it: the label stays on the
//! pull request when its author pushes another commit.
//!
//! ## Why it matters
//! This is the "pwn request": anyone can open a pull request from a fork whose `package.json`
//! `postinstall`, `Makefile`, test or build script exfiltrates `GITHUB_TOKEN` and the
//! repository's secrets, or pushes to the default branch. It has compromised widely used
//! projects' release pipelines.
//!
//! ## Example
//! ```yaml
//! on: pull_request_target
//! jobs:
//!   test:
//!     steps:
//!       - uses: actions/checkout@v4
//!         with:
//!           ref: ${{ github.event.pull_request.head.sha }}   # flagged
//!       - run: npm ci && npm test
//! ```
//!
//! ## Remediation
//! Run untrusted code under `pull_request` (no secrets, read-only token); if a privileged
//! step must follow, split the workflow: build and test under `pull_request`, upload the
//! result as an artifact, and let a `workflow_run` workflow consume it as data, never as code.
//!
//! ## References
//! - CWE-829: Inclusion of Functionality from Untrusted Control Sphere
//! - OWASP Top 10 2021, A08 Software and Data Integrity Failures
//! - GitHub Security Lab, Keeping your GitHub Actions and workflows secure: preventing pwn
//!   requests

use crate::rules::{RuleContext, WorkflowRule};
use crate::expressions::{expressions, reads_secret};
use crate::workflow::{Job, Step, Workflow};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ci/github-untrusted-checkout",
    title: "Privileged workflow checks out and runs pull request code",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[829],
    owasp: Owasp::A08,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("github_untrusted_checkout.rs"),
};

pub static RULE: WorkflowRule = WorkflowRule {
    meta: &META,
    check,
};

/// Expression paths and ref texts that name the pull request's head.
const HEAD_REFS: &[&str] = &[
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.head_ref",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.event.pull_request.head.repo.full_name",
    "github.event.workflow_run.head_repository.full_name",
    "refs/pull/",
];

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    if !workflow.triggered_by(&["pull_request_target", "workflow_run"]) {
        return;
    }
    for job in &workflow.jobs {
        let Some(at) = job.steps.iter().position(checks_out_head) else {
            continue;
        };
        let Some(runner) = job.steps[at + 1..].iter().find(|s| runs_code(s)) else {
            continue;
        };
        let checkout = &job.steps[at];
        let reference = checkout
            .with
            .iter()
            .find(|(key, value)| (key == "ref" || key == "repository") && names_head(&value.text))
            .map(|(_, value)| value);
        let span = match reference {
            Some(value) => cx.span_in(value, &value.text),
            None => palisade_core::Span::line(checkout.line),
        };
        let privileged = uses_secrets(job) || holds_write_scope(workflow, job);
        let mut finding = Finding::new(
            &META,
            span,
            format!(
                "job `{}` runs the pull request's code with the base repository's {}",
                job.id,
                if privileged {
                    "secrets or write access"
                } else {
                    "token and cache"
                }
            ),
        )
        .with_related(
            palisade_core::Span::line(runner.line),
            "this step runs the checked-out code",
        );
        if privileged {
            finding = finding.with_severity(Severity::Critical);
        }
        cx.report(finding);
    }
}

fn names_head(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if lower.contains("refs/pull/") {
        return true;
    }
    expressions(&lower)
        .iter()
        .any(|e| HEAD_REFS.iter().any(|head| e.inner.contains(head)))
}

fn checks_out_head(step: &Step) -> bool {
    let Some(uses) = &step.uses else {
        return false;
    };
    let action = uses.text.split('@').next().unwrap_or("").to_ascii_lowercase();
    action == "actions/checkout"
        && step
            .with
            .iter()
            .any(|(key, value)| (key == "ref" || key == "repository") && names_head(&value.text))
}

/// A step that executes code from the workspace: a script, or an action from the checkout.
fn runs_code(step: &Step) -> bool {
    step.run.is_some() || step.uses.as_ref().is_some_and(|u| u.text.starts_with("./"))
}

fn uses_secrets(job: &Job) -> bool {
    let texts = job
        .env
        .iter()
        .map(|(_, v)| &v.text)
        .chain(job.steps.iter().flat_map(|s| {
            s.env
                .iter()
                .chain(&s.with)
                .map(|(_, v)| &v.text)
                .chain(s.run.iter().map(|r| &r.text))
        }));
    texts
        .flat_map(|t| expressions(t).into_iter().map(|e| e.inner.to_string()).collect::<Vec<_>>())
        .any(|e| reads_secret(&e))
}

fn holds_write_scope(workflow: &Workflow, job: &Job) -> bool {
    match workflow.effective_permissions(job) {
        Some((permissions, _)) => !permissions.write_scopes().is_empty(),
        // The repository default: write for repositories created before February 2023.
        None => true,
    }
}
