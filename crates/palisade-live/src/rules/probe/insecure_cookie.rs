//! Flags each `Set-Cookie` of a response that lacks `Secure` (over HTTPS), `HttpOnly` or `SameSite`.
//!
//! ## What it checks
//! Every Set-Cookie header of the responses the probe received.
//!
//! ## Why it matters
//! A cookie without Secure crosses plain HTTP; without HttpOnly any injected script reads it; without SameSite it rides cross-site requests (CSRF).
//!
//! ## Example
//! ```text
//! Set-Cookie: session=…; Path=/   -- flagged
//! ```
//!
//! ## Remediation
//! `Set-Cookie: session=…; Path=/; Secure; HttpOnly; SameSite=Lax` (a `__Host-` prefix pins it to the host).
//!
//! ## References
//! - CWE-614
//! - CWE-1004
//! - OWASP Top 10 2021, A05
//! - Mozilla Observatory, cookies test
//! - RFC 6265bis

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/insecure-cookie",
    title: "Cookie set without Secure, HttpOnly or SameSite",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[614, 1004],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("insecure_cookie.rs"),
};
