//! Flags third-party actions and reusable workflows not pinned to a full commit SHA.
//!
//! ## What it checks
//! Every `uses:` of a step or a job (reusable workflow) that names another repository's
//! action by a tag or branch (`owner/repo@v2`, `owner/repo/path@main`) instead of a 40-hex
//! commit SHA, and every `docker://` image without a digest: *medium*; the message names
//! the secrets the step hands the action through `with:` or `env:` (whoever moves the tag
//! receives them). *High* when the ref is a branch (`@main`, `@master`) or missing: it
//! changes with every push, no attacker needed.
//!
//! Not reported: local actions (`./.github/actions/x`), actions published by GitHub itself
//! (`actions/*`, `github/*`, which the platform already trusts), and references pinned to a
//! SHA whatever comment follows them (`@<sha> # v4.1.1`). The SLSA generator's reusable
//! workflows (`slsa-framework/slsa-github-generator`) must be referenced by a release tag —
//! they prove their own identity from it — and are not reported.
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

use crate::rules::{RuleContext, WorkflowRule, is_github_owned, is_pinned};
use crate::expressions::{expressions, reads_secret};
use crate::workflow::{Step, Value, Workflow};
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

/// Reusable workflows that must be referenced by tag (they verify their caller's ref).
const TAG_REFERENCED: &[&str] = &["slsa-framework/slsa-github-generator/"];

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    for job in &workflow.jobs {
        if let Some(uses) = &job.uses {
            check_reference(uses, &[], cx);
        }
        for step in &job.steps {
            if let Some(uses) = &step.uses {
                check_reference(uses, &secrets_passed(step), cx);
            }
        }
    }
}

/// The names of the `with:` inputs and `env:` variables through which a step hands a secret.
fn secrets_passed(step: &Step) -> Vec<&str> {
    step.with
        .iter()
        .chain(&step.env)
        .filter(|(_, value)| expressions(&value.text).iter().any(|e| reads_secret(e.inner)))
        .map(|(key, _)| key.as_str())
        .collect()
}

fn check_reference(uses: &Value, secrets: &[&str], cx: &mut RuleContext<'_, '_>) {
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
    if is_github_owned(action) || TAG_REFERENCED.iter().any(|t| action.starts_with(t)) {
        return;
    }
    let moving = reference.is_empty() || matches!(reference, "main" | "master" | "develop" | "dev" | "trunk" | "latest");
    let mut message = if reference.is_empty() {
        format!("`{action}` is used without a ref")
    } else {
        format!("`{action}@{reference}` can be moved by the action's owner to other code")
    };
    if !secrets.is_empty() {
        message.push_str(&format!(
            ", and it receives secrets (`{}`)",
            secrets.join("`, `")
        ));
    }
    let finding = Finding::new(&META, cx.span_in(uses, text), message);
    cx.report(if moving {
        finding.with_severity(Severity::High)
    } else {
        finding
    });
}
