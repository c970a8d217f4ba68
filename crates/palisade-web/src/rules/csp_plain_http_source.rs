//! Flags sources written with `http://` (and the `http:` scheme outside script directives).
//!
//! ## What it checks
//! Every source-list directive of enforced policies. Loopback hosts are not flagged. In
//! script directives `http:` alone is reported by `web/csp-permissive-script-source`. Severity
//! is medium in script directives and low elsewhere.
//!
//! ## Why it matters
//! What is loaded over plain HTTP can be replaced by anyone on the network path; for scripts
//! that is code execution in the page, and the policy recommendation asks for HTTPS always.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'self' http://cdn.example.com    # flagged
//! ```
//!
//! ## Remediation
//! Use `https://` sources (and `upgrade-insecure-requests` while migrating).
//!
//! ## References
//! - CWE-319
//! - OWASP Top 10 2021, A02
//! - W3C, Content Security Policy Level 3 (directives, source lists, fallback)
//! - Weichselbaum et al., "CSP Is Dead, Long Live CSP!", ACM CCS 2016
//! - Google, CSP Evaluator and "Mitigate cross-site scripting with a strict CSP" (web.dev)
//! - OWASP Content Security Policy Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/csp-plain-http-source",
    title: "Content Security Policy allows a source over plain HTTP",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_plain_http_source.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
