//! Flags nonces shorter than 128 bits and nonces written literally in a static file.
//!
//! ## What it checks
//! `'nonce-…'` sources. Values that look like a template placeholder (`$request_id`,
//! `{{ nonce }}`, `%s`, `<%= … %>`) are not flagged. A literal nonce in a page or a server
//! configuration is the same in every response (high severity).
//!
//! ## Why it matters
//! A nonce works only if an attacker cannot know it: a fixed nonce can be read once and
//! copied into injected scripts, and a short one can be guessed.
//!
//! ## Example
//! ```text
//! <meta http-equiv="Content-Security-Policy" content="script-src 'nonce-abc123'">  <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Generate at least 128 random bits (22 base64 characters) per response, in the server or
//! the template (nginx `$request_id` with `sub_filter`, a framework's CSP nonce helper).
//!
//! ## References
//! - CWE-330
//! - OWASP Top 10 2021, A05
//! - W3C, Content Security Policy Level 3 (directives, source lists, fallback)
//! - Weichselbaum et al., "CSP Is Dead, Long Live CSP!", ACM CCS 2016
//! - Google, CSP Evaluator and "Mitigate cross-site scripting with a strict CSP" (web.dev)
//! - OWASP Content Security Policy Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/csp-weak-nonce",
    title: "Content Security Policy nonce is short or fixed",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[330],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_weak_nonce.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
