//! Flags each weakness the CSP engine (the one behind the `web/csp-*` rules) finds in the policies a response sends.
//!
//! ## What it checks
//! Every `Content-Security-Policy` header of the final response, evaluated together; report-only policies are evaluated apart and only their own issues are named as such.
//!
//! ## Why it matters
//! `'unsafe-inline'`, wildcards, bypassable hosts or a missing `object-src` let injected scripts run despite the policy.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'self' 'unsafe-inline'   -- flagged
//! ```
//!
//! ## Remediation
//! Follow the message (the matching `web/csp-*` rule explains each weakness), aiming at a nonce-based strict policy.
//!
//! ## References
//! - CWE-693
//! - OWASP Top 10 2021, A05
//! - W3C, Content Security Policy Level 3
//! - Google, CSP Evaluator

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/weak-csp",
    title: "Weakness in the served Content Security Policy",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("weak_csp.rs"),
};
