//! Flags `Server`, `X-Powered-By`, `X-AspNet-Version` and similar headers that name a version number.
//!
//! ## What it checks
//! The headers of the final response.
//!
//! ## Why it matters
//! A version number tells attackers which known vulnerabilities to try; it helps no user.
//!
//! ## Example
//! ```text
//! Server: nginx/1.18.0   -- flagged
//! ```
//!
//! ## Remediation
//! Hide versions (`server_tokens off;` in nginx, `ServerTokens Prod` in Apache, `expose_php = Off`).
//!
//! ## References
//! - CWE-200
//! - OWASP Top 10 2021, A05
//! - OWASP Secure Headers Project

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/server-version-disclosure",
    title: "Server software version disclosed in headers",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[200],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("server_version_disclosure.rs"),
};
