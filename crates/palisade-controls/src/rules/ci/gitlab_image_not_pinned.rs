//! Flags GitLab CI job images and services not pinned to a digest.
//!
//! ## What it checks
//! Every `image:` (a string or the `name:` of a mapping) and every `services:` entry of the
//! top level, `default:` and each job — hidden template jobs (`.base:`) included, since jobs
//! `extends:` them — in `.gitlab-ci.yml` and the files under `.gitlab/ci/`:
//! - no tag, or the `latest` tag: *medium*;
//! - a tag but no digest (`python:3.12`): *low*;
//! - a digest (`python:3.12@sha256:…`): fine.
//!
//! References built from CI variables (`$CI_REGISTRY_IMAGE/builder:$TAG`) are resolved at
//! run time and are not checked.
//!
//! ## Why it matters
//! The job runs inside that image with the pipeline's variables — deploy keys, registry
//! passwords, cloud credentials — and its token. Whoever can push the tag (the image's
//! maintainer, or an attacker with their registry credentials) decides what code sees them
//! at the next pipeline run, without any change to the repository.
//!
//! ## Example
//! ```yaml
//! test:
//!   image: python:latest          # flagged, medium
//!   services:
//!     - postgres:16               # flagged, low
//! ```
//!
//! ## Remediation
//! Reference images by digest and keep the tag for readers
//! (`python:3.12@sha256:<digest>`); let Renovate propose digest updates.
//!
//! ## References
//! - CWE-829: Inclusion of Functionality from Untrusted Control Sphere
//! - OWASP Top 10 2021, A08 Software and Data Integrity Failures
//! - GitLab Docs, CI/CD pipeline security: use images by digest

use crate::gitlab::{ImageUse, Pipeline};
use crate::rules::{PipelineRule, RuleContext};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::images::{Pinning, pinning};

pub static META: RuleMeta = RuleMeta {
    id: "ci/gitlab-image-not-pinned",
    title: "GitLab CI image not pinned to a digest",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[829],
    owasp: Owasp::A08,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[],
    source: include_str!("gitlab_image_not_pinned.rs"),
};

pub static RULE: PipelineRule = PipelineRule {
    meta: &META,
    check,
};

fn check(pipeline: &Pipeline, cx: &mut RuleContext<'_, '_>) {
    for image in &pipeline.images {
        let text = image.reference.text.as_str();
        if text.is_empty() || text.contains('$') {
            continue;
        }
        let (what, job) = match &image.used_as {
            ImageUse::Image { job } => ("image", job),
            ImageUse::Service { job } => ("service image", job),
        };
        let whose = match job {
            Some(job) => format!("job `{job}`"),
            None => "every job".to_string(),
        };
        let span = cx.span_in(&image.reference, text);
        let finding = match pinning(text) {
            Pinning::Digest => continue,
            Pinning::Floating => Finding::new(
                &META,
                span,
                format!("{what} `{text}` of {whose} has no tag or `latest`: it changes whenever it is pushed"),
            ),
            Pinning::Tag(tag) => Finding::new(
                &META,
                span,
                format!("{what} `{text}` of {whose} is pinned to the tag `{tag}`, not a digest"),
            )
            .with_severity(Severity::Low),
        };
        cx.report(finding);
    }
}
