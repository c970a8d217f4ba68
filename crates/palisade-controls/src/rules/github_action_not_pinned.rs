//! Flags third-party actions and reusable workflows not pinned to a full commit SHA.
//!
//! ## What it checks
//! Every `uses:` of a step or a job (reusable workflow) that names another repository's
//! action by a tag or branch (`owner/repo@v2`, `owner/repo/path@main`) instead of a 40-hex
//! commit SHA, and every `docker://` image without a digest: *medium*. A branch (`@main`,
//! `@master`) or no ref at all is *high*: it changes with every push.
//!
//! Not reported: local actions (`./.github/actions/x`), actions published by GitHub itself
//! (`actions/*`, `github/*`, which the platform already trusts), and references pinned to a
//! SHA whatever comment follows them (`@<sha> # v4.1.1`).
//!
//! ## Why it matters
//! A tag is a movable pointer in someone else's repository. Whoever controls that repository
//! — its maintainer, or an attacker with a stolen token — can move `v2` to code that reads
//! the job's secrets and token; every workflow that uses the tag runs it on its next start.
//! This happened to a widely used changed-files action in 2025: its tags were rewritten to
//! dump CI secrets into public logs.
//!
//! ## Example
//! ```yaml
//! - uses: some-org/deploy-action@v3          # flagged
//! - uses: some-org/deploy-action@8e5e7e5ab8b370d6c329ec480221332ada57f0ab  # v3.1.0
//! ```
//!
//! ## Remediation
//! Pin the full commit SHA and keep the version in a comment; let Dependabot or Renovate
//! propose updates (both understand SHA pins with version comments).
//!
//! ## References
//! - CWE-829: Inclusion of Functionality from Untrusted Control Sphere
//! - OWASP Top 10 2021, A08 Software and Data Integrity Failures
//! - GitHub Docs, Security hardening for GitHub Actions: using third-party actions

use super::{RuleContext, WorkflowRule, is_github_owned, is_pinned};
use crate::workflow::{Value, Workflow};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ci/github-action-not-pinned",
    title: "Third-party action not pinned to a commit SHA",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[829],
    owasp: Owasp::A08,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[],
    source: include_str!("github_action_not_pinned.rs"),
};

pub static RULE: WorkflowRule = WorkflowRule {
    meta: &META,
    check,
};

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    for job in &workflow.jobs {
        let step_uses = job.steps.iter().filter_map(|s| s.uses.as_ref());
        for uses in job.uses.iter().chain(step_uses) {
            check_reference(uses, cx);
        }
    }
}

fn check_reference(uses: &Value, cx: &mut RuleContext<'_, '_>) {
    let text = uses.text.trim();
    // An expression (`${{ matrix.action }}`) is resolved at run time: nothing to read here.
    if text.contains("${{") || is_pinned(text) {
        return;
    }
    if let Some(image) = text.strip_prefix("docker://") {
        cx.report(Finding::new(
            &META,
            cx.span_in(uses, text),
            format!("container action `{image}` is not pinned to a digest"),
        ));
        return;
    }
    let (action, reference) = text.rsplit_once('@').unwrap_or((text, ""));
    if is_github_owned(action) {
        return;
    }
    let moving = reference.is_empty() || matches!(reference, "main" | "master" | "develop" | "dev" | "trunk" | "latest");
    let message = if reference.is_empty() {
        format!("`{action}` is used without a ref")
    } else {
        format!("`{action}@{reference}` can be moved by the action's owner to other code")
    };
    let finding = Finding::new(&META, cx.span_in(uses, text), message);
    cx.report(if moving {
        finding.with_severity(Severity::High)
    } else {
        finding
    });
}
