//! Flags `'unsafe-inline'` in the script directive that governs script elements or event-handler attributes, when it takes effect.
//!
//! ## What it checks
//! The directive browsers use for script elements (`script-src-elem`, else `script-src`, else
//! `default-src`) and for inline event handlers (`script-src-attr`, else `script-src`, else
//! `default-src`). `'unsafe-inline'` is ignored by browsers when the same list holds a nonce, a
//! hash or `'strict-dynamic'`; palisade then does not flag it.
//!
//! ## Why it matters
//! With `'unsafe-inline'` an attacker who can inject markup injects `<script>` or
//! `onerror=` and it runs: the policy no longer mitigates cross-site scripting, which is the
//! main reason to have one.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'self' 'unsafe-inline'           # flagged
//! Content-Security-Policy: script-src 'nonce-R4nd0m…' 'unsafe-inline' # not flagged: ignored
//! ```
//!
//! ## Remediation
//! Move inline code into files or give each inline script a nonce. Prefer a strict policy, which trusts scripts by a per-response nonce (or by hash for
//! static pages) instead of by host:
//! `script-src 'nonce-{random}' 'strict-dynamic'; object-src 'none'; base-uri 'none'`.
//! Hosts and `'unsafe-inline'` may stay in the list as a fallback for old browsers: browsers
//! that understand nonces ignore them.
//!
//! ## References
//! - CWE-79
//! - OWASP Top 10 2021, A03
//! - W3C, Content Security Policy Level 3 (directives, source lists, fallback)
//! - Weichselbaum et al., "CSP Is Dead, Long Live CSP!", ACM CCS 2016
//! - Google, CSP Evaluator and "Mitigate cross-site scripting with a strict CSP" (web.dev)
//! - OWASP Content Security Policy Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/csp-unsafe-inline",
    title: "Content Security Policy allows inline scripts",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[79],
    owasp: Owasp::A03,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_unsafe_inline.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
