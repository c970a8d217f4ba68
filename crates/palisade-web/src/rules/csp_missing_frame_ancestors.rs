//! Notes a policy sent as a header that does not say who may frame the page.
//!
//! ## What it checks
//! Header policies (server configuration, hosting configuration, server code, `palisade csp`)
//! without `frame-ancestors`. A `<meta>` policy cannot set it and is not flagged. palisade does
//! not follow every header a server sends: the finding is left out when the same file
//! mentions `X-Frame-Options`, and otherwise has low severity and low confidence.
//!
//! ## Why it matters
//! Without `frame-ancestors` (or `X-Frame-Options`) any site can frame the page and trick
//! users into clicking its controls (clickjacking).
//!
//! ## Example
//! ```text
//! Content-Security-Policy: default-src 'self'                          # flagged
//! ```
//!
//! ## Remediation
//! Add `frame-ancestors 'none'` (or `'self'`, or the hosts that may embed the page).
//!
//! ## References
//! - CWE-1021
//! - OWASP Top 10 2021, A05
//! - W3C, Content Security Policy Level 3 (directives, source lists, fallback)
//! - Weichselbaum et al., "CSP Is Dead, Long Live CSP!", ACM CCS 2016
//! - Google, CSP Evaluator and "Mitigate cross-site scripting with a strict CSP" (web.dev)
//! - OWASP Content Security Policy Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/csp-missing-frame-ancestors",
    title: "Content Security Policy header without frame-ancestors",
    severity: Severity::Low,
    confidence: Confidence::Low,
    cwe: &[1021],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_missing_frame_ancestors.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
