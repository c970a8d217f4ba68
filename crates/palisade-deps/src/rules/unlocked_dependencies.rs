//! Dependencies declared by ranges with no lockfile to pin them.
//!
//! ## What it checks
//! A manifest that declares dependencies by range — a `requirements*.txt` with `>=`, `~=` or
//! unversioned lines, `pyproject.toml` (PEP 621 or Poetry), `package.json` — with no lockfile
//! of its ecosystem that pins what gets installed:
//!
//! - Python: `poetry.lock`, `uv.lock`, `pdm.lock`, `Pipfile.lock` or a requirements file
//!   whose every line is an `==` pin, in the same folder, or a constraints file it includes
//!   (`-c constraints.txt`);
//! - npm: `package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock` or `pnpm-lock.yaml` in the
//!   same folder or a parent folder (a workspace's root lockfile).
//!
//! One finding per manifest, at its first range. Confidence is medium: a library published
//! for others declares ranges on purpose, and its lockfile may live elsewhere.
//!
//! ## Why it matters
//! Without a lockfile every install resolves the ranges again: builds are not reproducible,
//! a compromised or vulnerable new release is picked up silently, and nothing records which
//! versions production runs — so advisories cannot be matched against it.
//!
//! ## Example
//! ```text
//! # requirements.txt, alone in its folder
//! flask>=2.0        # flagged: no lockfile pins it
//! ```
//!
//! ## Remediation
//! Commit the lockfile your tool writes (`poetry lock`, `uv lock`, `npm install`,
//! `pip-compile --generate-hashes`), install from it in CI and images (`npm ci`,
//! `pip install --require-hashes -r requirements.lock`).
//!
//! ## References
//! - CWE-1357: Reliance on Insufficiently Trustworthy Component
//! - OWASP Top 10 2021 A06: Vulnerable and Outdated Components
//! - POLICY.md, recommendation `vendor-security`

use super::{Project, ProjectRule, at_line};
use crate::inventory::{Ecosystem, FileFacts, Role, file_name};
use palisade_core::{Confidence, Owasp, ProjectContext, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "deps/unlocked-dependencies",
    title: "Dependencies declared by range with no lockfile",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[1357],
    owasp: Owasp::A06,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[],
    source: include_str!("unlocked_dependencies.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

/// Whether `lock` pins the dependencies of a manifest in `folder` of `ecosystem`.
fn locks(lock: &FileFacts, folder: &str, ecosystem: Ecosystem) -> bool {
    if lock.role != Role::Lockfile || lock.ecosystem != Some(ecosystem) {
        return false;
    }
    let name = file_name(&lock.path).to_ascii_lowercase();
    match ecosystem {
        Ecosystem::PyPI => lock.folder() == folder && lock.declared.is_empty(),
        Ecosystem::Npm => {
            let parent = lock.folder();
            matches!(
                name.as_str(),
                "package-lock.json" | "npm-shrinkwrap.json" | "yarn.lock" | "pnpm-lock.yaml"
            ) && (parent == folder
                || parent.is_empty()
                || folder.starts_with(&format!("{parent}/")))
        }
        _ => false,
    }
}

fn check(project: &Project, cx: &mut ProjectContext<'_>) {
    for file in &project.files {
        let Some(ecosystem) = file.ecosystem else { continue };
        if !matches!(ecosystem, Ecosystem::PyPI | Ecosystem::Npm) || file.declared.is_empty() {
            continue;
        }
        let folder = file.folder();
        let locked = project.files.iter().any(|other| {
            locks(other, folder, ecosystem)
                || (file.includes.iter().any(|(p, _)| *p == other.path)
                    && other.role == Role::Lockfile)
        });
        if locked {
            continue;
        }
        let Some(first) = file.declared.iter().min_by_key(|d| d.line) else {
            continue;
        };
        let names: Vec<&str> = file.declared.iter().take(5).map(|d| d.name.as_str()).collect();
        let more = file.declared.len().saturating_sub(names.len());
        let lockfiles = match ecosystem {
            Ecosystem::Npm => "package-lock.json, yarn.lock or pnpm-lock.yaml",
            _ => "poetry.lock, uv.lock, Pipfile.lock or a fully pinned requirements file",
        };
        cx.report(
            at_line(
                &META,
                &file.path,
                first.line,
                format!(
                    "{} declares {} dependenc{} by range ({}{}) and no {lockfiles} beside it pins them",
                    file_name(&file.path),
                    file.declared.len(),
                    if file.declared.len() == 1 { "y" } else { "ies" },
                    names.join(", "),
                    if more > 0 { format!(", and {more} more") } else { String::new() },
                ),
            )
            .with_property("declared", file.declared.len()),
        );
    }
}
