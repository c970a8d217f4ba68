//! Incident response record missing, stale, or naming a missing plan.
//!
//! ## What it checks
//! `[controls.incident-response]`: `plan` (the incident response plan), `last-review` (when
//! the plan was last reviewed) and `last-exercise` (the last tabletop or live exercise).
//! Default `max-age-days`: 365.
//!
//! - no `[controls.incident-response]` table: an *info* finding on the repository — the
//!   recommendation needs attestation (never silently passing);
//! - a required date or document key left out: *medium*, at the table's line;
//! - a date older than `max-age-days`, or after today: *medium*, at the key's line;
//! - a referenced file (relative to palisade.toml's folder) that does not exist: *medium*,
//!   at the key's line.
//!
//! `palisade scan --today YYYY-MM-DD` fixes today's date for reproducible runs.
//!
//! ## Why it matters
//! During an incident nobody has time to invent roles, severity levels or who tells customers
//! and regulators (GDPR gives 72 hours). A plan that was never reviewed or exercised names
//! people who left and tools that were replaced. SOC 2 (CC7.3–CC7.5) and ISO 27001
//! (A.5.24–A.5.27) expect a reviewed, exercised plan.
//!
//! The OWASP category: A09 Security Logging and Monitoring Failures: OWASP lists "establish or adopt an
//! incident response and recovery plan, such as NIST 800-61r2" among A09's preventions;
//! detection is only useful when someone knows what to do next.
//!
//! ## Example
//! ```toml
//! [controls.incident-response]
//! plan = "docs/incident-response.md"
//! last-review = "2026-03-01"
//! last-exercise = "2024-05-20"   # flagged: older than max-age-days
//! max-age-days = 365
//! ```
//!
//! ## Remediation
//! Review the plan at least yearly, run a tabletop exercise, and record both dates.
//!
//! ## References
//! - CWE-1059: Insufficient Technical Documentation (a control nobody recorded cannot be
//!   shown to work)
//! - POLICY.md, recommendation `incident-response`
//! - AICPA SOC 2 Trust Services Criteria; ISO/IEC 27001:2022 Annex A

use crate::records::Kind;
use crate::rules::RecordRule;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/incident-response-record",
    title: "Incident response record missing, stale, or naming a missing plan",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1059],
    owasp: Owasp::A09,
    recommendation: Recommendation::IncidentResponse,
    needs_network: false,
    options: &[],
    source: include_str!("incident_response_record.rs"),
};

pub static RULE: RecordRule = RecordRule {
    meta: &META,
    kind: Kind::IncidentResponse,
};
