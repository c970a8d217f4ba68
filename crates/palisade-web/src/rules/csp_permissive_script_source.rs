//! Flags script sources that match any host: `*`, `http:`, `https:`, `data:`, `blob:`, `filesystem:`.
//!
//! ## What it checks
//! The sources of the directive that governs script elements (`script-src-elem`, else
//! `script-src`, else `default-src`). Not flagged when the list has `'strict-dynamic'`, which
//! makes browsers ignore host and scheme sources.
//!
//! ## Why it matters
//! An allow-list that includes every HTTPS host (or `data:` URLs) allows the attacker's own
//! script: injecting `<script src="https://evil.example/x.js">` is enough.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'self' https:                    # flagged
//! Content-Security-Policy: default-src *                                # flagged
//! ```
//!
//! ## Remediation
//! List the hosts you need, or better: Prefer a strict policy, which trusts scripts by a per-response nonce (or by hash for
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
    id: "web/csp-permissive-script-source",
    title: "Content Security Policy allows scripts from any host",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_permissive_script_source.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
