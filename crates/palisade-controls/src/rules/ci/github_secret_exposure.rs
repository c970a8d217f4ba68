//! Flags secrets printed in workflow logs or handed to reusable workflows that can change.
//!
//! ## What it checks
//! - a `run:` script that prints a secret expression to the job's log (`echo`, `printf`,
//!   `cat`, `tee`, `print`), directly or through an encoder (`| base64`, `| xxd`, `| rev`):
//!   GitHub masks a secret's exact value in logs, but not encodings or pieces of it, and the
//!   line shows it was meant to be printed: *medium*. Output redirected to a file
//!   (`echo "${{ secrets.KEY }}" > ~/.ssh/id_ed25519`) or piped into a program that
//!   consumes it (`| docker login --password-stdin`, `| ssh-add -`) is not printed;
//! - `secrets: inherit` when calling a reusable workflow of another repository at a ref
//!   that is not a commit SHA: every secret of the repository goes to that workflow:
//!   *medium*, medium confidence.
//!
//! `secrets.GITHUB_TOKEN` is not counted (its permissions are the token rules' concern).
//! A secret handed to a single unpinned action is reported by `ci/github-action-not-pinned`,
//! whose message names the secrets.
//!
//! ## Why it matters
//! Secrets are the keys to deployments, registries and cloud accounts. Logs of public
//! repositories are public; actions referenced by tag run whatever code the tag points at
//! today, with the secrets they are given.
//!
//! ## Example
//! ```yaml
//! - run: echo "token=${{ secrets.NPM_TOKEN }}"        # flagged
//! - run: echo "${{ secrets.NPM_TOKEN }}" > ~/.npmrc   # fine: written to a file
//! ```
//!
//! ## Remediation
//! Never print secrets; pass them to scripts through `env:`; list the secrets a reusable
//! workflow needs instead of `secrets: inherit`, and pin it to a commit SHA.
//!
//! ## References
//! - CWE-532: Insertion of Sensitive Information into Log File; CWE-829
//! - OWASP Top 10 2021, A02 Cryptographic Failures (secrets exposure)
//! - GitHub Docs, Using secrets in GitHub Actions

use crate::rules::{RuleContext, WorkflowRule, is_pinned};
use crate::expressions::{expressions, reads_secret};
use crate::workflow::Workflow;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ci/github-secret-exposure",
    title: "Secret printed in logs or handed to a movable workflow",
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

/// Programs that print what they read, transformed: a secret piped through them reaches the
/// log unmasked.
const ENCODERS: &[&str] = &[
    "base64", "xxd", "od", "hexdump", "rev", "tr", "sed", "cut", "awk", "tee", "cat",
];

fn check(workflow: &Workflow, cx: &mut RuleContext<'_, '_>) {
    for job in &workflow.jobs {
        for step in &job.steps {
            let Some(run) = &step.run else { continue };
            let mut offset = 0;
            for line in run.text.split_inclusive('\n') {
                let at = offset;
                offset += line.len();
                if prints_secret(line) {
                    let shown = line.trim();
                    let start = at + line.find(shown).unwrap_or(0);
                    cx.report(Finding::new(
                        &META,
                        cx.span_within(run, start, shown),
                        "a secret is printed to the job's log",
                    ));
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

/// Whether a script line prints a secret to the log: a command of the line starts with a
/// printer and reads a secret, its output is not redirected to a file, and it is not piped
/// into anything but an encoder.
fn prints_secret(line: &str) -> bool {
    line.replace("&&", ";")
        .replace("||", ";")
        .split(';')
        .filter(|command| !command.trim().is_empty())
        .any(|command| {
            let stages: Vec<&str> = command.split('|').map(str::trim).collect();
            let first = stages[0];
            let printer = PRINTERS.iter().any(|p| {
                first
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with([' ', '\t']))
            });
            if !printer || !expressions(first).iter().any(|e| reads_secret(e.inner)) {
                return false;
            }
            if stages.iter().any(|stage| redirects_to_file(stage)) {
                return false;
            }
            stages[1..].iter().all(|stage| {
                let program = stage.split_whitespace().next().unwrap_or("");
                ENCODERS.contains(&program)
            })
        })
}

/// Whether a command's standard output goes to a file (`> path`, `>> path`), not to the log
/// (`>&2` is the log too).
fn redirects_to_file(stage: &str) -> bool {
    let mut rest = stage;
    while let Some(at) = rest.find('>') {
        let after = rest[at + 1..].trim_start_matches('>').trim_start();
        let before = rest[..at].chars().last();
        // `2>` / `2>&1` redirect errors; `>&2` keeps the output in the log.
        if !after.starts_with('&') && before != Some('2') {
            return true;
        }
        rest = &rest[at + 1..];
    }
    false
}
