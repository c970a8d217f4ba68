//! Flags directives browsers ignore: unknown or misspelled names, deprecated ones, duplicates, and directives a `<meta>` policy cannot set.
//!
//! ## What it checks
//! Directive names against CSP Level 3 and its companions (Trusted Types, `report-to`,
//! `upgrade-insecure-requests`); a misspelling close to a known name is medium severity and
//! names the intended directive; `block-all-mixed-content`, `plugin-types`, `referrer`,
//! `reflected-xss`, `prefetch-src`, `navigate-to`, `require-sri-for` are reported as
//! deprecated (info); a second directive of the same name in one policy; `frame-ancestors`,
//! `report-uri` and `sandbox` in `<meta>`; a report-only policy in `<meta>`.
//!
//! ## Why it matters
//! A directive browsers ignore protects nothing, and a misspelled `scirpt-src` leaves scripts
//! governed by whatever `default-src` says — often much less than intended.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: default-src 'self'; scirpt-src 'self' cdn.example  # flagged
//! ```
//!
//! ## Remediation
//! Fix the name, merge duplicates into the first directive, move header-only directives to the
//! response header, and drop deprecated ones.
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
    id: "web/csp-invalid-directive",
    title: "Content Security Policy directive unknown, misspelled, deprecated or ignored",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_invalid_directive.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
