//! Backup record missing, stale, or naming a missing runbook.
//!
//! ## What it checks
//! `[controls.backup]`: `last-restore-test` (when a restore was last tested) and `runbook`
//! (the disaster-recovery runbook). Default `max-age-days`: 90.
//!
//! - no `[controls.backup]` table: an *info* finding on the repository — the
//!   recommendation needs attestation (never silently passing);
//! - a required date or document key left out: *medium*, at the table's line;
//! - a date older than `max-age-days`, or after today: *medium*, at the key's line;
//! - a referenced file (relative to palisade.toml's folder) that does not exist: *medium*,
//!   at the key's line.
//!
//! `palisade scan --today YYYY-MM-DD` fixes today's date for reproducible runs.
//!
//! ## Why it matters
//! A backup that was never restored is a hope, not a backup: restores fail on missing keys,
//! expired credentials, wrong formats and forgotten buckets, and one finds out during the
//! outage. A restore test every quarter and a runbook people can follow are what SOC 2
//! (A1.2, A1.3) and ISO 27001 (A.8.13) auditors ask to see.
//!
//! The OWASP category: A04 Insecure Design: being able to recover is a property the system must be
//! designed for (OWASP A04 asks for controls that are designed in, not bolted on); nothing
//! is logged or monitored here, so A09 does not fit.
//!
//! ## Example
//! ```toml
//! [controls.backup]
//! targets = ["orders-db", "uploads-bucket"]
//! schedule = "daily"
//! last-restore-test = "2025-01-10"   # flagged when older than max-age-days
//! max-age-days = 90
//! runbook = "docs/disaster-recovery.md"  # flagged when the file does not exist
//! ```
//!
//! ## Remediation
//! Restore a backup into a scratch environment, record the date in `last-restore-test`, and
//! keep the runbook beside the code.
//!
//! ## References
//! - CWE-1059: Insufficient Technical Documentation (a control nobody recorded cannot be
//!   shown to work)
//! - POLICY.md, recommendation `backup`
//! - AICPA SOC 2 Trust Services Criteria; ISO/IEC 27001:2022 Annex A

use crate::records::Kind;
use crate::rules::RecordRule;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/backup-record",
    title: "Backup record missing, stale, or naming a missing runbook",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1059],
    owasp: Owasp::A04,
    recommendation: Recommendation::Backup,
    needs_network: false,
    options: &[],
    source: include_str!("backup_record.rs"),
};

pub static RULE: RecordRule = RecordRule {
    meta: &META,
    kind: Kind::Backup,
};
