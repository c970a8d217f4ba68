//! Security training record missing or naming a missing roster.
//!
//! ## What it checks
//! `[controls.training]`: `roster` (a CSV of name,email,role,last-completed) must exist.
//! Default `max-age-days`: 365 (for the roster's completion dates).
//!
//! - no `[controls.training]` table: an *info* finding on the repository — the
//!   recommendation needs attestation (never silently passing);
//! - a required date or document key left out: *medium*, at the table's line;
//! - a date older than `max-age-days`, or after today: *medium*, at the key's line;
//! - a referenced file (relative to palisade.toml's folder) that does not exist: *medium*,
//!   at the key's line;
//! - people in the roster whose `last-completed` is older than `max-age-days`, or empty
//!   (never trained): one *medium* finding at the `roster` line naming them all. A row that
//!   cannot be read (wrong number of fields, a date not written `YYYY-MM-DD`) is a notice
//!   with its row number.
//!
//! `palisade scan --today YYYY-MM-DD` fixes today's date for reproducible runs.
//!
//! ## Why it matters
//! Most breaches start with a person: a phished password, a secret pasted in a ticket.
//! Training only counts when it is recorded per person; auditors (SOC 2 CC1.4 and CC2.2,
//! ISO 27001 A.6.3) ask for the roster, not for a statement that training happens.
//!
//! The OWASP category: A04 Insecure Design: OWASP A04 asks for a secure development lifecycle, of which
//! training people is a part; it is about how the organisation builds, not about logging.
//!
//! ## Example
//! ```toml
//! [controls.training]
//! roster = "security/training.csv"   # flagged when the file does not exist
//! max-age-days = 365
//! ```
//!
//! ## Remediation
//! Keep a roster of everyone with access and the date each completed security training.
//!
//! ## References
//! - CWE-1059: Insufficient Technical Documentation (a control nobody recorded cannot be
//!   shown to work)
//! - POLICY.md, recommendation `training`
//! - AICPA SOC 2 Trust Services Criteria; ISO/IEC 27001:2022 Annex A

use crate::records::Kind;
use crate::rules::RecordRule;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/training-record",
    title: "Security training record missing or naming a missing roster",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1059],
    owasp: Owasp::A04,
    recommendation: Recommendation::Training,
    needs_network: false,
    options: &[],
    source: include_str!("training_record.rs"),
};

pub static RULE: RecordRule = RecordRule {
    meta: &META,
    kind: Kind::Training,
};
