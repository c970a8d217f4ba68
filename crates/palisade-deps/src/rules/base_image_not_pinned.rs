//! A Dockerfile builds on an image with no tag or the `latest` tag.
//!
//! ## What it checks
//! `FROM` lines of Dockerfiles (`Dockerfile`, `Dockerfile.*`, `*.dockerfile`,
//! `Containerfile`) whose image has no tag or the tag `latest` (`FROM node`,
//! `FROM registry:5000/app:latest`). Earlier build stages (`FROM build`), `scratch` and
//! images given by a build argument (`FROM ${BASE}`) are not images of a registry and are
//! left alone. A registry port (`registry:5000/app`) is not a tag. Pinning to a tag is
//! enough for this rule; Kubernetes manifests have their own rule, `k8s/image-not-pinned`,
//! which asks for digests.
//!
//! ## Why it matters
//! `latest` is whatever was pushed last: each build may get another base, with other
//! packages and another major version, so nobody can say what production runs or match it
//! against advisories and end-of-life dates.
//!
//! ## Example
//! ```dockerfile
//! FROM python:latest      # flagged
//! FROM python:3.12-slim   # not flagged
//! ```
//!
//! ## Remediation
//! Name a version tag (`python:3.12-slim`), or better a digest
//! (`python:3.12-slim@sha256:…`), and let a bot such as Dependabot or Renovate propose
//! updates.
//!
//! ## References
//! - CWE-1357: Reliance on Insufficiently Trustworthy Component
//! - OWASP Top 10 2021 A06: Vulnerable and Outdated Components
//! - Docker documentation, "Image pinning" in the Dockerfile best practices
//! - POLICY.md, recommendation `vendor-security`

use super::{Project, ProjectRule, at_line};
use palisade_core::{Confidence, Owasp, ProjectContext, Recommendation, RuleMeta, Severity};
use palisade_knowledge::images::{Pinning, pinning};

pub static META: RuleMeta = RuleMeta {
    id: "deps/base-image-not-pinned",
    title: "Base image without a version tag",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1357],
    owasp: Owasp::A06,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[],
    source: include_str!("base_image_not_pinned.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, cx: &mut ProjectContext<'_>) {
    for file in &project.files {
        for image in &file.images {
            if pinning(&image.image) == Pinning::Floating {
                cx.report(at_line(
                    &META,
                    &file.path,
                    image.line,
                    format!(
                        "`FROM {}` takes whatever image was pushed last: name a version tag or a digest",
                        image.image
                    ),
                ));
            }
        }
    }
}
