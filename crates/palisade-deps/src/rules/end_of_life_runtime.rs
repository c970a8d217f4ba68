//! A runtime, base image or database server past its end of life.
//!
//! ## What it checks
//! The language runtimes and images a repository asks for, against the end-of-life table
//! shipped with palisade (each entry with its date and source; see `src/eol.rs`):
//!
//! - Python: `FROM python:3.8…` in a Dockerfile, `.python-version`, `requires-python` in
//!   `pyproject.toml`, Poetry's `python`, `python_requires` in `setup.py`/`setup.cfg`;
//! - Node.js: `FROM node:16…`, `.nvmrc`/`.node-version`, `engines.node` in `package.json`;
//! - distributions: `FROM debian:buster`, `ubuntu:18.04`, `alpine:3.16`, and the distro a
//!   tag names (`python:3.11-slim-buster`, `node:20-alpine3.16`);
//! - database servers: `FROM mysql:5.7`, `mariadb:10.4`;
//! - the same images as the `image:` of a container or init container in a Kubernetes
//!   workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod), on the
//!   line of the `image:`. Not read: Helm templates, images a kustomization rewrites,
//!   Compose files.
//!
//! A pinned version past its end of security support (on the scan's date, `--today`) is
//! *medium*; in a Dockerfile stage that the final image is not built on (a builder whose
//! output is copied) it is *low*, at medium confidence. A range whose lowest allowed version is past it (`requires-python = ">=3.7"`,
//! `"node": ">=14"`) only permits the old runtime: *low*, at low confidence.
//!
//! ## Why it matters
//! After its end of life a runtime or distribution gets no security fixes: every
//! vulnerability found later stays open for good, and scanners stop tracking it.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.8-slim    # flagged: Python 3.8 ended on 2024-10-07
//! ```
//!
//! ## Remediation
//! Move to a supported release (the image tag, `.python-version`, the lowest version your
//! package metadata allows) and rebuild.
//!
//! ## References
//! - CWE-1104: Use of Unmaintained Third Party Components
//! - OWASP Top 10 2021 A06: Vulnerable and Outdated Components
//! - https://devguide.python.org/versions/, https://github.com/nodejs/Release,
//!   https://wiki.debian.org/LTS, https://ubuntu.com/about/release-cycle,
//!   https://alpinelinux.org/releases/, https://mariadb.org/about/#maintenance-policy
//! - POLICY.md, recommendation `vendor-security`

use super::{Project, ProjectRule, at_line};
use crate::eol;
use palisade_core::{Confidence, Owasp, ProjectContext, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "deps/end-of-life-runtime",
    title: "Runtime or base image past its end of life",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1104],
    owasp: Owasp::A06,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[],
    source: include_str!("end_of_life_runtime.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, cx: &mut ProjectContext<'_>) {
    for file in &project.files {
        for r in &file.runtimes {
            let Some(entry) = eol::ended(&r.product, &r.cycle, project.today) else {
                continue;
            };
            let name = eol::product_name(&r.product);
            let finding = if r.lower_bound {
                at_line(
                    &META,
                    &file.path,
                    r.line,
                    format!(
                        "`{}` still allows {name} {}, which reached its end of life on {}",
                        r.how, r.cycle, entry.end
                    ),
                )
                .with_severity(Severity::Low)
                .with_confidence(Confidence::Low)
            } else if r.build_only {
                at_line(
                    &META,
                    &file.path,
                    r.line,
                    format!(
                        "`{}` builds with {name} {}, which reached its end of life on {}; this stage only builds what the final image copies",
                        r.how, r.cycle, entry.end
                    ),
                )
                .with_severity(Severity::Low)
                .with_confidence(Confidence::Medium)
            } else {
                at_line(
                    &META,
                    &file.path,
                    r.line,
                    format!(
                        "`{}` uses {name} {}, which reached its end of life on {} and gets no security fixes",
                        r.how, r.cycle, entry.end
                    ),
                )
            };
            cx.report(
                finding
                    .with_property("product", r.product.clone())
                    .with_property("cycle", r.cycle.clone())
                    .with_property("end_of_life", entry.end)
                    .with_property("source", entry.source),
            );
        }
    }
}
