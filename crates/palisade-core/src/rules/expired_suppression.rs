//! Flags `palisade: ignore[...] until:YYYY-MM-DD` comments whose date has passed.
//!
//! ## What it checks
//! An inline suppression may carry `until:YYYY-MM-DD`. After that day (in UTC) the
//! suppression stops hiding findings, and the comment itself is reported so that someone
//! decides again. An `until:` that is not a real date (`until:2026-02-30`) is reported the
//! same way and never hides anything.
//!
//! ## Why it matters
//! Temporary exceptions ("until the vendor fixes their certificate") tend to become
//! permanent. An expiry date turns an accepted risk into a dated decision, and this rule is
//! what makes the date bite: the hidden finding reappears and the stale exception is named.
//!
//! ## Example
//! ```yaml
//! # palisade: ignore[k8s/privileged-container] CNI plugin needs it until:2026-01-31
//! privileged: true
//! ```
//!
//! ## Remediation
//! Fix the finding and delete the comment, or — if the exception is still justified —
//! update the reason and set a new date.
//!
//! ## References
//! - OWASP Top 10 2021, A09 Security Logging and Monitoring Failures
//! - CWE-1164: Irrelevant Code

use crate::date::Date;
use crate::finding::{Confidence, Finding, Severity, Span};
use crate::rule::RuleMeta;
use crate::taxonomy::{Owasp, Recommendation};

pub static META: RuleMeta = RuleMeta {
    id: "palisade/expired-suppression",
    title: "Suppression comment has expired",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[1164],
    owasp: Owasp::A09,
    recommendation: Recommendation::Audits,
    needs_network: false,
    options: &[],
    source: include_str!("expired_suppression.rs"),
};

/// The finding for a suppression at `span` that expired on `until` (or whose date is invalid).
pub fn finding(span: Span, until: Option<Date>, bad_until: Option<&str>) -> Finding {
    let message = match (until, bad_until) {
        (_, Some(bad)) => {
            format!("`until:{bad}` is not a valid date (YYYY-MM-DD); the suppression is ignored")
        }
        (Some(date), None) => {
            format!("suppression expired on {date}; the findings it hid are reported again")
        }
        (None, None) => "suppression has expired".to_string(),
    };
    Finding::new(&META, span, message)
}
