//! Access review record missing or stale.
//!
//! ## What it checks
//! `[controls.access-review]`: `last-review`, the date accounts and permissions (repository,
//! CI, cloud, production) were last reviewed. Default `max-age-days`: 90.
//!
//! - no `[controls.access-review]` table: an *info* finding on the repository — the
//!   recommendation needs attestation (never silently passing);
//! - a required date or document key left out: *medium*, at the table's line;
//! - a date older than `max-age-days`, or after today: *medium*, at the key's line;
//! - a referenced file (relative to palisade.toml's folder) that does not exist: *medium*,
//!   at the key's line.
//!
//! `palisade scan --today YYYY-MM-DD` fixes today's date for reproducible runs.
//!
//! ## Why it matters
//! Access accumulates: people change teams and keep their rights, contractors leave and keep
//! their tokens. A quarterly review that removes what is no longer needed is how least
//! privilege survives; SOC 2 (CC6.2, CC6.3) and ISO 27001 (A.5.18) require it.
//!
//! The OWASP category: A01 Broken Access Control rather than A04 or A09: rights nobody reviews are the
//! "violation of the principle of least privilege" A01 describes, and that is what the
//! review prevents.
//!
//! ## Example
//! ```toml
//! [controls.access-review]
//! last-review = "2026-01-05"   # flagged: older than max-age-days
//! max-age-days = 90
//! ```
//!
//! ## Remediation
//! Review who can reach the repository, the CI, the cloud accounts and production; remove
//! what is not needed; record the date.
//!
//! ## References
//! - CWE-1059: Insufficient Technical Documentation (a control nobody recorded cannot be
//!   shown to work)
//! - POLICY.md, recommendation `access-control`
//! - AICPA SOC 2 Trust Services Criteria; ISO/IEC 27001:2022 Annex A

use crate::records::Kind;
use crate::rules::RecordRule;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/access-review-record",
    title: "Access review record missing or stale",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1059],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("access_review_record.rs"),
};

pub static RULE: RecordRule = RecordRule {
    meta: &META,
    kind: Kind::AccessReview,
};
