//! Flags keywords without quotes (`self`, `none`, `unsafe-inline`, `nonce-…`), unknown quoted keywords, malformed sources, and `'none'` beside other sources.
//!
//! ## What it checks
//! Every source of every source-list directive.
//!
//! ## Why it matters
//! `self` without quotes is a host named `self`, so the policy allows less (or other) than
//! intended and teams then loosen it by hand; `'none'` beside other sources is ignored.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src self                             # flagged
//! ```
//!
//! ## Remediation
//! Quote keywords, nonces and hashes: `'self'`, `'nonce-…'`.
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
    id: "web/csp-invalid-source",
    title: "Content Security Policy source written wrongly",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_invalid_source.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
