//! Sensitive paths without a code owner.
//!
//! ## What it checks
//! The repository's sensitive files — CI pipelines (`.github/workflows/`, `.gitlab-ci.yml`),
//! deployment manifests (YAML under `k8s/`, `helm/`, `deploy/`, …), database migrations,
//! authentication code (`auth/`, `login.py`, …), dependency lockfiles and palisade.toml,
//! CODEOWNERS and SECURITY.md themselves — against the CODEOWNERS file GitHub would use
//! (`.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`, the first found):
//!
//! - no CODEOWNERS while the repository has sensitive files: a *medium* finding on the
//!   repository;
//! - sensitive files that no CODEOWNERS rule gives an owner: one *medium* finding at the
//!   file's first rule, naming them by kind.
//!
//! Patterns follow CODEOWNERS (gitignore) semantics: `/` at the start or inside anchors a
//! pattern at the root, otherwise it matches at any depth; `dir/` covers the folder's
//! contents; `*` stays within one path segment and `**` crosses them; the last matching line
//! wins, and a line without owners removes ownership. Files the scan leaves out
//! (`.gitignore`, `scan.exclude`, pruned folders) are not considered.
//!
//! ## Why it matters
//! With "Require review from Code Owners" in branch protection, CODEOWNERS is how a team
//! makes sure the people who understand a pipeline, a migration or the login code see every
//! change to it. A workflow edit that grants `contents: write` or a lockfile that swaps a
//! dependency for a look-alike is a one-line change that anyone with write access can
//! otherwise merge with any reviewer.
//!
//! The OWASP category: A01 Broken Access Control — who may change what, enforced by review.
//!
//! ## Example
//! ```text
//! # CODEOWNERS
//! /backend/ @shop/backend
//! ```
//! Flagged: `.github/workflows/deploy.yml`, `k8s/deployment.yaml` and `poetry.lock` have
//! no owner. Fixed by adding `/.github/workflows/ @shop/security`, `/k8s/ @shop/ops`, …
//!
//! ## Remediation
//! Add owners for each sensitive path (`palisade init` suggests a CODEOWNERS for the paths
//! it finds) and require their review in branch protection.
//!
//! ## References
//! - GitHub Docs, "About code owners" (file locations and pattern syntax)
//! - CWE-284: Improper Access Control
//! - POLICY.md, recommendation `access-control`

use crate::repository::{self, CODEOWNERS_PLACES, Outcome, Repo};
use crate::rules::RepositoryRule;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/codeowners-missing-coverage",
    title: "Sensitive paths without a code owner",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[284],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("codeowners_missing_coverage.rs"),
};

fn check(repo: &Repo<'_>) -> Outcome {
    let mut out = Outcome::default();
    let sensitive: Vec<&&str> = repo
        .files
        .iter()
        .filter(|f| crate::sensitive::classify(f).is_some())
        .collect();
    let Some((path, text)) = repo.first_of(&CODEOWNERS_PLACES) else {
        if !sensitive.is_empty() {
            out.findings.push(Finding::in_repository(
                &META,
                format!(
                    "no CODEOWNERS file: changes to the repository's {} sensitive file{} (CI pipelines, manifests, migrations, auth code, lockfiles, palisade.toml) need no particular reviewer",
                    sensitive.len(),
                    if sensitive.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        return out;
    };
    out.inspected.push(path.clone());
    let Some(text) = text else {
        out.notices.push(format!("{path}: cannot be read"));
        return out;
    };
    let (rules, first) = repository::parse_codeowners(&text);
    let missing = repository::uncovered(&rules, repo.files);
    if missing.is_empty() {
        return out;
    }
    let total: usize = missing.values().map(Vec::len).sum();
    let groups: Vec<String> = missing
        .iter()
        .map(|(kind, paths)| {
            let shown: Vec<&str> = paths.iter().take(5).copied().collect();
            let more = if paths.len() > 5 {
                format!(" and {} more", paths.len() - 5)
            } else {
                String::new()
            };
            format!("{}: {}{more}", kind.describe(), shown.join(", "))
        })
        .collect();
    out.findings.push(repository::at_line(
        &META,
        &path,
        &text,
        first.unwrap_or(1),
        format!(
            "{total} sensitive file{} without a code owner in `{path}`: {}",
            if total == 1 { "" } else { "s" },
            groups.join("; ")
        ),
    ));
    out
}

pub static RULE: RepositoryRule = RepositoryRule { meta: &META, check };
