//! Flags a response that echoes an arbitrary `Origin` in `Access-Control-Allow-Origin`, or pairs `*` with credentials.
//!
//! ## What it checks
//! The probe sends `Origin: https://palisade-probe.invalid` and reads Access-Control-Allow-Origin and -Allow-Credentials.
//!
//! ## Why it matters
//! A reflected origin with credentials lets any website read the user's data from this site with the user's cookies.
//!
//! ## Example
//! ```text
//! Access-Control-Allow-Origin: https://palisade-probe.invalid\nAccess-Control-Allow-Credentials: true   -- flagged
//! ```
//!
//! ## Remediation
//! Compare the Origin against an explicit allow-list; never reflect it blindly, and never combine credentials with `*`.
//!
//! ## References
//! - CWE-942
//! - OWASP Top 10 2021, A05
//! - PortSwigger, CORS vulnerabilities
//! - Mozilla Observatory, CORS test

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "probe/permissive-cors",
    title: "CORS reflects any origin or allows all with credentials",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[942],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: true,
    options: &[],
    source: include_str!("permissive_cors.rs"),
};
