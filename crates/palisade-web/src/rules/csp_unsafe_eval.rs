//! Flags `'unsafe-eval'` in the directive that governs `eval()` (`script-src`, else `default-src`).
//!
//! ## What it checks
//! `'unsafe-eval'` in `script-src` or, when there is none, in `default-src`. `'wasm-unsafe-eval'`
//! (WebAssembly compilation only) is not flagged.
//!
//! ## Why it matters
//! It lets strings become code through `eval`, `new Function`, `setTimeout("…")` and
//! similar. A DOM injection that reaches one of them runs attacker code despite the policy,
//! and several allow-listed-host bypasses need it.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'self' 'unsafe-eval'             # flagged
//! ```
//!
//! ## Remediation
//! Remove `'unsafe-eval'` and replace the code that needs it (template compilers that work at
//! build time, `JSON.parse` instead of `eval`).
//!
//! ## References
//! - CWE-95
//! - OWASP Top 10 2021, A03
//! - W3C, Content Security Policy Level 3 (directives, source lists, fallback)
//! - Weichselbaum et al., "CSP Is Dead, Long Live CSP!", ACM CCS 2016
//! - Google, CSP Evaluator and "Mitigate cross-site scripting with a strict CSP" (web.dev)
//! - OWASP Content Security Policy Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/csp-unsafe-eval",
    title: "Content Security Policy allows eval",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[95],
    owasp: Owasp::A03,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_unsafe_eval.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
