//! Flags a Content Security Policy that has neither `script-src` (nor `script-src-elem` / `script-src-attr`) nor `default-src`.
//!
//! ## What it checks
//! Each enforced policy a page or response receives, wherever it is set (see `web/missing-csp`
//! for the places palisade reads). When several policies are enforced together, the finding
//! is raised only if none of them restricts scripts.
//!
//! ## Why it matters
//! A policy without a script directive and without `default-src` lets every script run: inline
//! code, event handlers and scripts from any host. It may still restrict images or frames, but
//! it does not do what the policy recommendation asks of a CSP: stop external scripts.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: img-src 'self'; frame-ancestors 'none'      # flagged
//! ```
//!
//! ## Remediation
//! Add a script restriction. Prefer a strict policy, which trusts scripts by a per-response nonce (or by hash for
//! static pages) instead of by host:
//! `script-src 'nonce-{random}' 'strict-dynamic'; object-src 'none'; base-uri 'none'`.
//! Hosts and `'unsafe-inline'` may stay in the list as a fallback for old browsers: browsers
//! that understand nonces ignore them.
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
    id: "web/csp-missing-script-restriction",
    title: "Content Security Policy does not restrict scripts",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_missing_script_restriction.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
