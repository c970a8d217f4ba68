//! Flags `palisade: ignore[...]` comments that hide nothing.
//!
//! ## What it checks
//! Every inline suppression names one or more rule ids. When the scan finishes, each id of
//! each suppression that did not hide a finding of that rule on its target line (the comment's
//! own line when it trails code, the next line when it stands alone) is reported, as is an id
//! that names no rule palisade knows. Ids of rules that did not run in this scan (disabled in
//! `palisade.toml` or left out by `[select]`) are not reported.
//!
//! ## Why it matters
//! A suppression records an accepted risk. Once the code under it is fixed or moved, the
//! comment keeps claiming an exception that no longer exists and, worse, will silently hide a
//! new finding if the hazard comes back on that line. Audits (policy recommendation `audits`)
//! need the list of accepted risks to be exactly the real one.
//!
//! ## Example
//! ```python
//! # palisade: ignore[python/tls-verification-disabled] sandbox only
//! response = requests.get(url, timeout=5)   # verification is on: nothing to hide
//! ```
//!
//! ## Remediation
//! Delete the comment, or move it to the line of the finding it is meant to hide. Fix a
//! misspelt rule id (`palisade rules` lists them).
//!
//! ## References
//! - OWASP Top 10 2021, A09 Security Logging and Monitoring Failures
//! - CWE-1164: Irrelevant Code

use crate::finding::{Confidence, Finding, Severity, Span};
use crate::rule::RuleMeta;
use crate::taxonomy::{Owasp, Recommendation};

pub static META: RuleMeta = RuleMeta {
    id: "palisade/unused-suppression",
    title: "Suppression comment hides nothing",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[1164],
    owasp: Owasp::A09,
    recommendation: Recommendation::Audits,
    needs_network: false,
    options: &[],
    source: include_str!("unused_suppression.rs"),
};

/// The finding for rule id `rule_id` of the suppression at `span`.
pub fn finding(span: Span, rule_id: &str, known_rule: bool) -> Finding {
    let message = if known_rule {
        format!("suppression of `{rule_id}` hides no finding on its line; remove it")
    } else {
        format!("suppression names `{rule_id}`, which is not a palisade rule")
    };
    Finding::new(&META, span, message)
}
