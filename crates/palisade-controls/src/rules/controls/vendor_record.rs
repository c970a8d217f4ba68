//! Vendor inventory record missing or naming a missing inventory.
//!
//! ## What it checks
//! `[controls.vendors]`: `inventory` (a CSV of vendor,service,data,last-assessment) must
//! exist. Default `max-age-days`: 365 (for the inventory's assessment dates).
//!
//! - no `[controls.vendors]` table: an *info* finding on the repository — the
//!   recommendation needs attestation (never silently passing);
//! - a required date or document key left out: *medium*, at the table's line;
//! - a date older than `max-age-days`, or after today: *medium*, at the key's line;
//! - a referenced file (relative to palisade.toml's folder) that does not exist: *medium*,
//!   at the key's line.
//! - in the inventory, vendors whose `last-assessment` is older than `max-age-days`, and
//!   vendors whose `data` cell names personal data (personal, PII, customer, user, email,
//!   name, address, phone, card, payment, health, location, account, …) with no
//!   `last-assessment` at all: one *medium* finding at the `inventory` line naming them;
//!   vendors that receive no personal data may stay unassessed. A row that cannot be read
//!   (wrong number of fields, a date not written `YYYY-MM-DD`, no vendor name) is a notice
//!   with its row number.
//!
//! `palisade scan --today YYYY-MM-DD` fixes today's date for reproducible runs.
//!
//! ## Why it matters
//! Every SaaS that holds customers' data is part of the attack surface: its breach is the
//! company's breach. An inventory of vendors, the data each receives and when each was last
//! assessed is what SOC 2 (CC9.2) and ISO 27001 (A.5.19–A.5.22) expect.
//!
//! The OWASP category: A04 Insecure Design: choosing which third parties handle data is a design decision
//! OWASP A04's threat modelling covers; vulnerable code dependencies (A06) are other
//! rules' concern.
//!
//! ## Example
//! ```toml
//! [controls.vendors]
//! inventory = "security/vendors.csv"   # flagged when the file does not exist
//! max-age-days = 365
//! ```
//! ```text
//! vendor,service,data,last-assessment
//! Stripe,payments,card data,2024-04-01          <- overdue
//! Mailer,newsletter,customer email addresses,   <- personal data, never assessed
//! Plausible,analytics,none,                     <- fine: no personal data
//! ```
//!
//! ## Remediation
//! Keep the inventory of vendors, what data each handles and the date of its last security
//! assessment.
//!
//! ## References
//! - CWE-1059: Insufficient Technical Documentation (a control nobody recorded cannot be
//!   shown to work)
//! - POLICY.md, recommendation `vendor-security`
//! - AICPA SOC 2 Trust Services Criteria; ISO/IEC 27001:2022 Annex A

use crate::records::Kind;
use crate::rules::RecordRule;
use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/vendor-record",
    title: "Vendor inventory record missing or naming a missing inventory",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[1059],
    owasp: Owasp::A04,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[],
    source: include_str!("vendor_record.rs"),
};

pub static RULE: RecordRule = RecordRule {
    meta: &META,
    kind: Kind::Vendors,
};
