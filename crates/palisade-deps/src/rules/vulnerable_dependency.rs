//! A locked or pinned third-party package has known vulnerabilities.
//!
//! ## What it checks
//! Every package a lockfile or manifest pins to one version — `requirements*.txt` (`==`),
//! `poetry.lock`, `pdm.lock`, `uv.lock`, `Pipfile.lock`, `package-lock.json` (v1–v3),
//! `yarn.lock` (v1 and Berry), `pnpm-lock.yaml`, `bun.lock`, `Cargo.lock`, `pom.xml` (with the versions
//! its parent POMs and imported BOMs in the scan manage), `gradle.lockfile`,
//! `gradle/libs.versions.toml`, literal coordinates in `build.gradle(.kts)` — is matched against OSV advisories with the
//! ecosystem's own version order (PEP 440, SemVer, Maven's ComparableVersion). `SEMVER` and
//! `ECOSYSTEM` ranges (`introduced`, `fixed`, `last_affected`, `limit`) and explicit
//! `versions` lists count; withdrawn advisories do not. Records that are one advisory under
//! several ids (GHSA, PYSEC, CVE aliases) are one entry; every id is listed.
//!
//! One finding per package line lists every advisory, with the highest severity among them
//! (computed from the CVSS v3.x vector, else the database's own rating; *high* when the
//! advisory gives none), and names the smallest fixed version that clears all of them. The
//! JSON report carries `ecosystem`, `package`, `version`, `ids`, `advisories` and
//! `fixed_version` as `properties`.
//!
//! Advisory data, the first source that applies:
//! 1. `--advisory-db PATH` (repeatable) or `[analyzers.deps] advisory-db` in palisade.toml:
//!    folders of OSV JSON files, searched recursively, and/or OSV's per-ecosystem `all.zip`
//!    exports, read without unpacking;
//! 2. with `--online`, the OSV API (`api-url`, `timeout-seconds`, `retries` in
//!    `[analyzers.deps]`): the package versions go to `/v1/querybatch`, each advisory it
//!    names is fetched from `/v1/vulns/{id}` and matched exactly as local data is;
//! 3. the exports `palisade db update` downloaded into the cache folder
//!    (`$XDG_CACHE_HOME/palisade`, `~/.cache/palisade`, or `cache-dir`): the coverage
//!    ledger names each export with its download date and age, and a notice warns when one
//!    is older than 7 days or an ecosystem of the scan has none.
//!
//! Without any, the rule does not pass silently: a notice says how many packages were **not
//! checked**. Packages from git, URLs or local paths cannot be matched against registry
//! advisories and are left out.
//!
//! ## Why it matters
//! Known-vulnerable components are how most applications are breached: the exploit is
//! public, the fix is published, and only the upgrade is missing (OWASP A06:2021).
//!
//! ## Example
//! ```text
//! # requirements.txt
//! django==3.2.0        # flagged with an OSV record for PyPI django, ranges up to 3.2.x
//! ```
//!
//! ## Remediation
//! Upgrade to the fixed version the finding names (it clears every listed advisory), update
//! the lockfile, and run the tests. When no fix exists, remove or replace the component, or
//! record why the vulnerable code path is unreachable with an `[[ignore]]` entry that expires.
//!
//! ## References
//! - CWE-1395: Dependency on Vulnerable Third-Party Component
//! - OWASP Top 10 2021 A06: Vulnerable and Outdated Components
//! - OSV schema: https://ossf.github.io/osv-schema/
//! - POLICY.md, recommendation `vendor-security`

use super::{Project, ProjectRule, at_line};
use crate::inventory::Origin;
use crate::osv::{Level, group_aliases};
use palisade_core::{Confidence, Owasp, ProjectContext, Recommendation, RuleMeta, Severity};
use serde_json::json;

pub static META: RuleMeta = RuleMeta {
    id: "deps/vulnerable-dependency",
    title: "Dependency with known vulnerabilities",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[1395],
    owasp: Owasp::A06,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[],
    source: include_str!("vulnerable_dependency.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn severity_of(level: Option<Level>) -> Severity {
    match level {
        Some(Level::Critical) => Severity::Critical,
        Some(Level::High) | None => Severity::High,
        Some(Level::Medium) => Severity::Medium,
        Some(Level::Low) => Severity::Low,
    }
}

fn check(project: &Project, cx: &mut ProjectContext<'_>) {
    let Some(db) = &project.db else { return };
    let mut problems = Vec::new();
    for file in &project.files {
        for package in &file.packages {
            if package.origin != Origin::Registry || package.version.is_empty() {
                continue;
            }
            let m = db.matches(package.ecosystem, &package.name, &package.version);
            problems.extend(m.problems.iter().map(|p| format!("{}: {p}", file.path)));
            if m.hits.is_empty() {
                continue;
            }
            let mut advisories = Vec::new();
            let mut all_ids: Vec<String> = Vec::new();
            let mut worst: Option<Severity> = None;
            for group in group_aliases(&m.hits) {
                let mut ids: Vec<String> = group
                    .iter()
                    .flat_map(|&i| m.hits[i].0.ids().map(str::to_string))
                    .collect();
                ids.sort();
                ids.dedup();
                let mut fixed: Vec<String> = group
                    .iter()
                    .flat_map(|&i| m.hits[i].1.iter().cloned())
                    .collect();
                fixed.sort();
                fixed.dedup();
                let (level, score) = group
                    .iter()
                    .map(|&i| m.hits[i].0.level())
                    .max_by(|a, b| a.0.cmp(&b.0))
                    .unwrap_or((None, None));
                worst = worst.max(Some(severity_of(level)));
                let summary = group
                    .iter()
                    .find_map(|&i| m.hits[i].0.summary.clone())
                    .unwrap_or_default();
                advisories.push(json!({
                    "ids": ids,
                    "summary": summary,
                    "severity": level.map(Level::as_str),
                    "cvss_score": score,
                    "fixed": fixed,
                }));
                all_ids.extend(ids);
            }
            all_ids.sort();
            all_ids.dedup();
            let fix = db.remediation(package.ecosystem, &package.name, &package.version, &m.hits);
            let count = advisories.len();
            let listed = advisories
                .iter()
                .map(|a| {
                    a["ids"]
                        .as_array()
                        .map(|ids| {
                            ids.iter()
                                .filter_map(|i| i.as_str())
                                .collect::<Vec<_>>()
                                .join(" / ")
                        })
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(", ");
            let remedy = match &fix {
                Some(v) => format!("upgrade to {v} or later, which fixes all of them"),
                None => "no single fixed version clears them all".to_string(),
            };
            let noun = if count == 1 {
                "vulnerability"
            } else {
                "vulnerabilities"
            };
            let message = format!(
                "{} {} ({}) has {count} known {noun}: {listed}; {remedy}",
                package.name,
                package.version,
                package.ecosystem.osv_name(),
            );
            cx.report(
                at_line(&META, &file.path, package.line, message)
                    .with_severity(worst.unwrap_or(Severity::High))
                    .with_property("ecosystem", package.ecosystem.osv_name())
                    .with_property("package", package.name.clone())
                    .with_property("version", package.version.clone())
                    .with_property("ids", all_ids)
                    .with_property("advisories", advisories)
                    .with_property("fixed_version", fix),
            );
        }
    }
    problems.sort();
    problems.dedup();
    if !problems.is_empty() {
        cx.notice(
            None,
            palisade_core::DiagnosticKind::Parse,
            format!(
                "{} advisory range{} could not be read and did not count (first: {})",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                problems[0]
            ),
        );
    }
}
