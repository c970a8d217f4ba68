//! Audit and penetration test record missing, stale, or naming missing reports.
//!
//! ## What it checks
//! `[controls.audits]`: `last-audit`, `last-pentest`, and each file of `reports`. Default
//! `max-age-days`: 365.
//!
//! - no `[controls.audits]` table: an *info* finding on the repository — the
//!   recommendation needs attestation (never silently passing);
//! - a required date or document key left out: *medium*, at the table's line;
//! - a date older than `max-age-days`, or after today: *medium*, at the key's line;
//! - a referenced file (relative to palisade.toml's folder) that does not exist: *medium*,
//!   at the key's line.
//!
//! `palisade scan --today YYYY-MM-DD` fixes today's date for reproducible runs.
//!
//! ## Why it matters
//! Code changes every week; an audit or a penetration test describes the system as it was.
//! A yearly independent look is what customers' security questionnaires, SOC 2 (CC4.1) and
//! ISO 27001 (A.5.35) expect, and the report is the evidence.
//!
//! The OWASP category: A04 Insecure Design: OWASP A04 recommends evaluating the design with security
//! professionals; an independent audit is that evaluation. It is not a logging control
//! (A09).
//!
//! ## Example
//! ```toml
//! [controls.audits]
//! last-audit = "2026-02-10"
//! last-pentest = "2024-11-30"   # flagged: older than max-age-days
//! reports = ["security/pentest-2024.pdf"]
//! max-age-days = 365
//! ```
//!
//! ## Remediation
//! Schedule the next audit or penetration test, record the date, and keep the report where
//! `reports` says.
//!
//! ## References
//! - CWE-1059: Insufficient Technical Documentation (a control nobody recorded cannot be
//!   shown to work)
//! - POLICY.md, recommendation `audits`
//! - AICPA SOC 2 Trust Services Criteria; ISO/IEC 27001:2022 Annex A

use crate::records::Kind;
use crate::rules::RecordRule;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/audit-record",
    title: "Audit and penetration test record missing, stale, or naming missing reports",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1059],
    owasp: Owasp::A04,
    recommendation: Recommendation::Audits,
    needs_network: false,
    options: &[],
    source: include_str!("audit_record.rs"),
};

pub static RULE: RecordRule = RecordRule {
    meta: &META,
    kind: Kind::Audits,
};
