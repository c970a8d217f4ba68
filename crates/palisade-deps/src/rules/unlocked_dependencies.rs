//! Dependencies declared by ranges with no lockfile to pin them.
//!
//! ## What it checks
//! A manifest that declares dependencies by range — a `requirements*.txt` with `>=`, `~=` or
//! unversioned lines, `pyproject.toml` (PEP 621 or Poetry), `package.json` — with no lockfile
//! of its ecosystem that pins what gets installed:
//!
//! - Python: `Pipfile.lock` or a requirements file whose every line is an `==` pin, in the
//!   same folder; `poetry.lock`, `uv.lock` or `pdm.lock` in the same folder or a parent folder
//!   (a workspace's root lockfile); or a constraints file it includes (`-c constraints.txt`);
//! - npm: `package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock`, `pnpm-lock.yaml` or
//!   `bun.lock` in the same folder or a parent folder (a workspace's root lockfile).
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

/// Whether `lock` pins the dependencies of `manifest` (of `ecosystem`).
pub(crate) fn locks(lock: &FileFacts, manifest: &FileFacts, ecosystem: Ecosystem) -> bool {
    let folder = manifest.folder();
    if lock.role != Role::Lockfile || lock.ecosystem != Some(ecosystem) {
        return false;
    }
    let name = file_name(&lock.path).to_ascii_lowercase();
    match ecosystem {
        // A workspace's lockfile (uv, Poetry, PDM) sits in a parent folder of its members.
        // (of `pyproject.toml` members; a requirements file is no workspace member).
        Ecosystem::PyPI if matches!(name.as_str(), "uv.lock" | "poetry.lock" | "pdm.lock") => {
            if manifest.format == "pyproject.toml" {
                is_at_or_above(lock.folder(), folder)
            } else {
                lock.folder() == folder
            }
        }
        Ecosystem::PyPI => lock.folder() == folder && lock.declared.is_empty(),
        Ecosystem::Npm => {
            matches!(
                name.as_str(),
                "package-lock.json"
                    | "npm-shrinkwrap.json"
                    | "yarn.lock"
                    | "pnpm-lock.yaml"
                    | "bun.lock"
            ) && is_at_or_above(lock.folder(), folder)
        }
        _ => false,
    }
}

/// Whether folder `parent` is `folder` or one of its parents (`""` is the root).
fn is_at_or_above(parent: &str, folder: &str) -> bool {
    parent == folder || parent.is_empty() || folder.starts_with(&format!("{parent}/"))
}

fn check(project: &Project, cx: &mut ProjectContext<'_>) {
    for file in &project.files {
        let Some(ecosystem) = file.ecosystem else { continue };
        if !matches!(ecosystem, Ecosystem::PyPI | Ecosystem::Npm) || file.declared.is_empty() {
            continue;
        }
        let locked = project.files.iter().any(|other| {
            locks(other, file, ecosystem)
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
            Ecosystem::Npm => "package-lock.json, yarn.lock, pnpm-lock.yaml or bun.lock",
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
