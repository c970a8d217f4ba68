//! Flags a place that sets only `Content-Security-Policy-Report-Only`, with no enforced policy beside it.
//!
//! ## What it checks
//! Each place that sets policies (a server block, a page, a headers file). Report-only
//! policies are never counted as protection; their syntax is still checked.
//!
//! ## Why it matters
//! A report-only policy blocks nothing: it tells you what would break. Left as is it gives
//! the impression of a CSP without any of its protection.
//!
//! ## Example
//! ```text
//! add_header Content-Security-Policy-Report-Only "default-src 'self'";   # flagged
//! ```
//!
//! ## Remediation
//! Once the reports are clean, send the same policy as `Content-Security-Policy` (keeping a
//! report-only header for the next, stricter policy if you like).
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
    id: "web/csp-report-only",
    title: "Only a report-only Content Security Policy",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_report_only.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
