//! Flags policies where `object-src` is missing and `default-src` does not stand in for it, or where it allows any host.
//!
//! ## What it checks
//! `object-src`, else `default-src`: missing from every enforced policy, or holding `*`,
//! `http:`, `https:` or `data:`.
//!
//! ## Why it matters
//! `<object>` and `<embed>` can load plugin content and, in some browsers, HTML or script
//! documents; a policy that restricts scripts but not plugins can be sidestepped this way.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'self'                           # flagged
//! ```
//!
//! ## Remediation
//! Add `object-src 'none'`.
//!
//! ## References
//! - CWE-693
//! - OWASP Top 10 2021, A05
//! - W3C, Content Security Policy Level 3 (directives, source lists, fallback)
//! - Weichselbaum et al., "CSP Is Dead, Long Live CSP!", ACM CCS 2016
//! - Google, CSP Evaluator and "Mitigate cross-site scripting with a strict CSP" (web.dev)
//! - OWASP Content Security Policy Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/csp-missing-object-src",
    title: "Content Security Policy does not restrict plugins",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_missing_object_src.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
