//! Disaster-recovery runbook without one of its expected parts, or still a template.
//!
//! ## What it checks
//! The Markdown document `[controls.backup] runbook` names in palisade.toml, read as an
//! outline of headings (pulldown-cmark; a lone level-1 title does not count). Each expected
//! part must have a heading that names it:
//!
//! | part | a heading with a word starting with |
//! |---|---|
//! | backup scope | scope, backed up, inventory, what we back |
//! | recovery objectives (RPO and RTO) | rpo, rto, recovery point, recovery time, objective |
//! | restore steps | restor, procedure, steps, runbook steps |
//! | contacts | contact, escalat, on-call, owner |
//!
//! - a part no heading names: a *medium* finding on the runbook as a whole, naming the part;
//! - a section of a part whose own text still holds `TODO`, `TBD`, `FIXME` or `XXX` (the
//!   template of `palisade init`, unfinished): a *medium* finding at its heading.
//!
//! The list is the `parts` option: each entry is `"name: word|word"`.
//!
//! ## Why it matters
//! During an outage the runbook is all there is: which stores are backed up (and which are
//! not), how much data may be lost (RPO) and how long the service may be down (RTO), the
//! commands in order, and whom to call. Without RPO/RTO nobody can tell whether the backup
//! schedule is good enough; without restore steps the restore test cannot be repeated.
//! SOC 2 A1.2–A1.3 and ISO 27001 A.5.30 and A.8.13 ask for them.
//!
//! The OWASP category: A04 Insecure Design — recovery is a property the system must be
//! designed for.
//!
//! ## Example
//! ```markdown
//! # Disaster recovery
//! ## What is backed up
//! ## Restore steps
//! TBD                                   <- flagged: still a placeholder
//! ```
//! Flagged besides: no heading for the recovery objectives or the contacts.
//!
//! ## Remediation
//! Add the missing sections (the template `palisade init` writes has them all), fill them in,
//! test a restore by following them, and record the date in `last-restore-test`.
//!
//! ## References
//! - NIST SP 800-34 Rev. 1, Contingency Planning Guide for Federal Information Systems
//! - CWE-1059: Insufficient Technical Documentation
//! - POLICY.md, recommendation `backup`

use crate::records::Kind;
use crate::rules::DocumentRule;
use palisade_core::config::RuleSet;
use palisade_core::{Confidence, OptionsType, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/dr-runbook-incomplete",
    title: "Disaster-recovery runbook without one of its expected parts, or still a template",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[1059],
    owasp: Owasp::A04,
    recommendation: Recommendation::Backup,
    needs_network: false,
    options: &[OptionsType::of::<RuleOptions>()],
    source: include_str!("dr_runbook_incomplete.rs"),
};

/// The rule's options, under `[rules."controls/dr-runbook-incomplete".options]`.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    /// The parts the runbook must have, each `"name: word|word"`: a heading with a word that starts with one of the words names the part.
    pub parts: Vec<String>,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            parts: [
                "backup scope: scope|backed up|inventory|what we back",
                "recovery objectives (RPO and RTO): rpo|rto|recovery point|recovery time|objective",
                "restore steps: restor|procedure|steps",
                "contacts: contact|escalat|on-call|owner",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

fn parts(rules: &RuleSet) -> Vec<String> {
    rules.options::<RuleOptions>(&META).parts.clone()
}

pub static RULE: DocumentRule = DocumentRule {
    meta: &META,
    kind: Kind::Backup,
    key: "runbook",
    document: "disaster-recovery runbook",
    parts,
};
