//! Incident response plan without one of its expected parts, or still a template.
//!
//! ## What it checks
//! The Markdown document `[controls.incident-response] plan` names in palisade.toml, read as
//! an outline of headings (pulldown-cmark: a `#` in a code block is not a heading; a lone
//! level-1 title does not count). Each expected part must have a heading that names it:
//!
//! | part | a heading with a word starting with |
//! |---|---|
//! | roles and contacts | role, contact, responsib |
//! | severity levels | severity, priorit, classif, triage |
//! | detection and analysis | detect, analys, identif |
//! | containment | contain, isolat |
//! | eradication | eradicat |
//! | recovery | recover, restor |
//! | communication | communicat, stakeholder, status update |
//! | breach notification | breach, notif, disclos, regulat |
//! | post-incident review | post-incident, post incident, postmortem, post-mortem, lessons, retrospective |
//!
//! - a part no heading names: a *medium* finding on the plan as a whole, naming the part;
//! - a section of a part whose own text still holds `TODO`, `TBD`, `FIXME` or `XXX` (the
//!   template of `palisade init`, unfinished): a *medium* finding at its heading.
//!
//! The list is the `parts` option: each entry is `"name: word|word"`.
//!
//! ## Why it matters
//! A plan is read under stress. The NIST SP 800-61 phases — preparation, detection and
//! analysis, containment, eradication and recovery, post-incident activity — each answer a
//! question responders will ask at 3 a.m.; a plan that skips containment or breach
//! notification (GDPR: 72 hours to tell the supervisory authority) leaves it to improvisation.
//! SOC 2 CC7.3–CC7.5 and ISO 27001 A.5.24–A.5.26 expect these parts.
//!
//! The OWASP category: A09 Security Logging and Monitoring Failures, which names an incident
//! response and recovery plan (NIST 800-61r2) among its preventions.
//!
//! ## Example
//! ```markdown
//! # Incident response plan
//! ## Roles and contacts
//! ## Detection and analysis
//! ## Containment
//! TODO: how to isolate a host          <- flagged: still a placeholder
//! ## Recovery
//! ```
//! Flagged besides: no heading for severity levels, eradication, communication, breach
//! notification or post-incident review.
//!
//! ## Remediation
//! Add the missing sections (the template `palisade init` writes has them all), replace the
//! placeholders with what the team really does, review the plan and record the date in
//! `last-review`.
//!
//! ## References
//! - NIST SP 800-61 Rev. 2, Computer Security Incident Handling Guide, section 3
//! - CWE-1059: Insufficient Technical Documentation
//! - POLICY.md, recommendation `incident-response`

use crate::records::Kind;
use crate::rules::DocumentRule;
use palisade_core::config::RuleSet;
use palisade_core::{Confidence, OptionsType, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/incident-response-plan-incomplete",
    title: "Incident response plan without one of its expected parts, or still a template",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[1059],
    owasp: Owasp::A09,
    recommendation: Recommendation::IncidentResponse,
    needs_network: false,
    options: &[OptionsType::of::<RuleOptions>()],
    source: include_str!("incident_response_plan_incomplete.rs"),
};

/// The rule's options, under `[rules."controls/incident-response-plan-incomplete".options]`.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    /// The parts the plan must have, each `"name: word|word"`: a heading with a word that starts with one of the words names the part.
    pub parts: Vec<String>,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            parts: [
                "roles and contacts: role|contact|responsib",
                "severity levels: severity|priorit|classif|triage",
                "detection and analysis: detect|analys|identif",
                "containment: contain|isolat",
                "eradication: eradicat",
                "recovery: recover|restor",
                "communication: communicat|stakeholder|status update",
                "breach notification: breach|notif|disclos|regulat",
                "post-incident review: post-incident|post incident|postmortem|post-mortem|lessons|retrospective",
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
    kind: Kind::IncidentResponse,
    key: "plan",
    document: "incident response plan",
    parts,
};
