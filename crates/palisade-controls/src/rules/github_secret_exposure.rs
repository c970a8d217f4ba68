//! Flags secrets printed in workflow logs or handed to actions that can change under them.
//!
//! ## What it checks
//! - a `run:` script that prints a secret expression (`echo ${{ secrets.X }}`, `printf`,
//!   `cat <<<`, `tee`): GitHub masks a secret's exact value in logs, but not encodings or
//!   substrings of it (`| base64`, `${VAR:0:4}`), and the line shows it was meant to be
//!   printed: *medium*;
//! - a secret passed through `with:` or `env:` to a third-party action that is not pinned
//!   to a commit SHA: whoever can move the action's tag receives the secret: *medium*;
//! - `secrets: inherit` when calling a reusable workflow of another repository at a ref
//!   that is not a commit SHA: every secret of the repository goes to that workflow:
//!   *medium*.
//!
//! `secrets.GITHUB_TOKEN` is not counted (its permissions are the token rules' concern),
//! nor are secrets passed to GitHub's own actions or to pinned ones.
//!
//! ## Why it matters
//! Secrets are the keys to deployments, registries and cloud accounts. Logs of public
//! repositories are public; actions referenced by tag run whatever code the tag points at
//! today, with the secrets they are given.
//!
//! ## Example
//! ```yaml
//! - run: echo "token=${{ secrets.NPM_TOKEN }}"        # flagged
//! - uses: some-org/notify@v1
//!   with:
//!     webhook: ${{ secrets.SLACK_WEBHOOK }}          # flagged: action not pinned
//! ```
//!
//! ## Remediation
//! Never print secrets; pass them to scripts through `env:` and to actions pinned to a
//! commit SHA; list the secrets a reusable workflow needs instead of `secrets: inherit`.
//!
//! ## References
//! - CWE-532: Insertion of Sensitive Information into Log File; CWE-829
//! - OWASP Top 10 2021, A02 Cryptographic Failures (secrets exposure)
//! - GitHub Docs, Using secrets in GitHub Actions

use super::{RuleContext, WorkflowRule, is_github_owned, is_pinned};
use crate::expressions::{expressions, reads_secret};
use crate::workflow::Workflow;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ci/github-secret-exposure",
    title: "Secret printed in logs or passed to an unpinned action",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[532, 829],
    owasp: Owasp::A02,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("github_secret_exposure.rs"),
};

pub static RULE: WorkflowRule = WorkflowRule {
    meta: &META,
    check,
};

/// Shell words that write their arguments to the log.
const PRINTERS: &[&str] = &["echo", "printf", "cat", "tee", "print"];

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    for job in &workflow.jobs {
        for step in &job.steps {
            if let Some(run) = &step.run {
                for line in run.text.lines() {
                    let printed = line
                        .split(['|', ';', '&'])
                        .map(str::trim_start)
                        .any(|command| {
                            PRINTERS.iter().any(|p| {
                                command.strip_prefix(p).is_some_and(|rest| rest.starts_with([' ', '\t']))
                            }) && expressions(command).iter().any(|e| reads_secret(e.inner))
                        });
                    if printed {
                        cx.report(Finding::new(
                            &META,
                            cx.span_in(run, line.trim()),
                            "a secret is printed to the job's log",
                        ));
                    }
                }
            }
            let Some(uses) = &step.uses else { continue };
            let action = uses.text.split('@').next().unwrap_or("");
            if is_pinned(&uses.text) || is_github_owned(action) || uses.text.contains("${{") {
                continue;
            }
            for (key, value) in step.with.iter().chain(&step.env) {
                if expressions(&value.text).iter().any(|e| reads_secret(e.inner)) {
                    cx.report(
                        Finding::new(
                            &META,
                            cx.span_in(value, &value.text),
                            format!(
                                "a secret is passed as `{key}` to `{}`, which is not pinned to a commit SHA",
                                uses.text
                            ),
                        )
                        .with_related(cx.span_in(uses, &uses.text), "the action, referenced by a movable tag"),
                    );
                }
            }
        }
        if let Some(called) = &job.uses {
            let local = called.text.starts_with("./");
            let inherit = job.secrets.iter().find(|(name, _)| name == "inherit");
            if let Some((_, value)) = inherit
                && !local
                && !is_pinned(&called.text)
            {
                cx.report(
                    Finding::new(
                        &META,
                        cx.span_in(value, "inherit"),
                        format!(
                            "every secret of the repository goes to `{}`, which is not pinned to a commit SHA",
                            called.text
                        ),
                    )
                    .with_confidence(Confidence::Medium),
                );
            }
        }
    }
}
