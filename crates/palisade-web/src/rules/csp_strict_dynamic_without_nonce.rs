//! Flags `'strict-dynamic'` in a list that holds no nonce and no hash.
//!
//! ## What it checks
//! The directive that governs script elements.
//!
//! ## Why it matters
//! `'strict-dynamic'` makes browsers ignore hosts and `'self'`; trust can only start from a
//! nonced or hashed script. Without one no script loads in current browsers, which usually
//! leads to the policy being removed or loosened.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'self' 'strict-dynamic'          # flagged
//! ```
//!
//! ## Remediation
//! Add a per-response `'nonce-…'` (or `'sha256-…'` hashes of the inline loaders).
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
    id: "web/csp-strict-dynamic-without-nonce",
    title: "'strict-dynamic' without a nonce or hash",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_strict_dynamic_without_nonce.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
