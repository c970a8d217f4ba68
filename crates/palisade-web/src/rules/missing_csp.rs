//! Flags a project that has HTML entry pages but sets no Content Security Policy anywhere palisade can see.
//!
//! ## What it checks
//! Project-wide: HTML files with a doctype or `<html>` element (test, fixture and vendored
//! files aside) against every place a policy may be set: `<meta http-equiv>`, nginx
//! `add_header` and Apache `Header` in `*.conf`, `nginx.conf`, `sites-*/`, `conf.d/`,
//! `.htaccess`; `_headers`, `netlify.toml`, `vercel.json`, `firebase.json`,
//! `staticwebapp.config.json`; server code that sets the header, or mentions of helmet,
//! django-csp or Flask-Talisman. One finding, on the first page, naming the pages and the
//! server configurations seen. Confidence is low: the policy may be set by a proxy, a CDN
//! or an ingress outside the repository.
//!
//! ## Why it matters
//! Without a policy every injection flaw in the front end is directly exploitable; the policy
//! recommendation asks for a CSP that stops external scripts.
//!
//! ## Example
//! ```text
//! index.html served by nginx.conf without add_header Content-Security-Policy   # flagged
//! ```
//!
//! ## Remediation
//! Send a policy from the server that serves the pages. Prefer a strict policy, which trusts scripts by a per-response nonce (or by hash for
//! static pages) instead of by host:
//! `script-src 'nonce-{random}' 'strict-dynamic'; object-src 'none'; base-uri 'none'`.
//! Hosts and `'unsafe-inline'` may stay in the list as a fallback for old browsers: browsers
//! that understand nonces ignore them.
//!
//! ## References
//! - CWE-693, CWE-1021
//! - OWASP Top 10 2021, A05
//! - W3C, Content Security Policy Level 3 (directives, source lists, fallback)
//! - Weichselbaum et al., "CSP Is Dead, Long Live CSP!", ACM CCS 2016
//! - Google, CSP Evaluator and "Mitigate cross-site scripting with a strict CSP" (web.dev)
//! - OWASP Content Security Policy Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/missing-csp",
    title: "HTML pages served with no Content Security Policy anywhere",
    severity: Severity::Medium,
    confidence: Confidence::Low,
    cwe: &[693, 1021],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("missing_csp.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
