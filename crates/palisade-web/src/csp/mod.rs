//! The Content Security Policy engine: parsing policies as browsers do (CSP Level 3) and
//! evaluating what they let through. It knows nothing about files: the analyzer finds
//! policies in pages and configurations ([`crate::locate`]), `palisade csp` hands it a
//! string, and a live prober can hand it response headers.
//!
//! ```
//! use palisade_web::csp::{self, Disposition, EvalOptions};
//! let policies = csp::parse_header_value("script-src 'self' 'unsafe-inline'", Disposition::Enforce);
//! let issues = csp::evaluate(&policies, EvalOptions::default());
//! assert!(issues.iter().any(|i| i.check == csp::Check::UnsafeInline));
//! ```

mod evaluate;
mod parse;

pub use evaluate::{
    Check, EvalOptions, Issue, STRICT_POLICY_HINT, bypass_entry, eval_directive, evaluate,
    object_directive, script_attr_directive, script_elem_directive,
};
pub use parse::{
    Delivery, Directive, Disposition, HostSource, Keyword, Policy, Source, Token,
    parse_header_value, parse_header_value_at, parse_policy, parse_policy_at, parse_source,
};

/// Parses the value of a header named `name` when it is a CSP header: `Some(policies)` for
/// `Content-Security-Policy` and `Content-Security-Policy-Report-Only` (any case), `None`
/// otherwise.
pub fn parse_named_header(name: &str, value: &str) -> Option<Vec<Policy>> {
    disposition_of_header(name).map(|d| parse_header_value(value, d))
}

/// The disposition a header name implies, if it is a CSP header (`X-Content-Security-Policy`
/// and `X-WebKit-CSP` were prefixed experiments that current browsers ignore).
pub fn disposition_of_header(name: &str) -> Option<Disposition> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("content-security-policy") {
        Some(Disposition::Enforce)
    } else if name.eq_ignore_ascii_case("content-security-policy-report-only") {
        Some(Disposition::ReportOnly)
    } else {
        None
    }
}
