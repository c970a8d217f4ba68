//! No SECURITY.md, or one that names no contact.
//!
//! ## What it checks
//! The repository's security policy (`SECURITY.md`, `.github/SECURITY.md` or
//! `docs/SECURITY.md`):
//!
//! - none: a *low* finding on the repository;
//! - one that names no way to reach anyone — no email address, no web address, no mention of
//!   GitHub's private vulnerability reporting or security advisories — a *medium* finding
//!   at its first line. Placeholders (`TODO`, `security@example.com`, `your-domain`) are not
//!   contacts.
//!
//! Only the repository is read: a SECURITY.md an organisation publishes for all its
//! repositories (its `.github` repository's default community health files) is not seen, so
//! such a repository is reported; suppress it with an `[[ignore]]` entry saying so.
//!
//! ## Why it matters
//! Someone who finds a vulnerability needs to know whom to tell, privately. Without a
//! contact, reports end up in public issues (where attackers read them first) or nowhere.
//! ISO/IEC 29147 and ISO 27001 A.5.5/A.5.6 expect a published point of contact; GitHub
//! shows SECURITY.md in the repository's Security tab.
//!
//! The OWASP category: A09 Security Logging and Monitoring Failures — an outside report is
//! one of the ways incidents are detected, and the incident response plan starts there.
//!
//! ## Example
//! ```markdown
//! # Security
//! We take security seriously.        <- flagged: no contact
//! ```
//!
//! ## Remediation
//! Name a monitored address (`security@…`) or turn on GitHub's private vulnerability
//! reporting and say so; `palisade init` writes a template.
//!
//! ## References
//! - ISO/IEC 29147:2018, Vulnerability disclosure
//! - GitHub Docs, "Adding a security policy to your repository"
//! - CWE-1059: Insufficient Technical Documentation
//! - POLICY.md, recommendation `incident-response`

use crate::repository::{self, Outcome, Repo, SECURITY_PLACES};
use crate::rules::RepositoryRule;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "controls/security-policy-missing-contact",
    title: "No SECURITY.md, or one that names no contact",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[1059],
    owasp: Owasp::A09,
    recommendation: Recommendation::IncidentResponse,
    needs_network: false,
    options: &[],
    source: include_str!("security_policy_missing_contact.rs"),
};

fn check(repo: &Repo<'_>) -> Outcome {
    let mut out = Outcome::default();
    let Some((path, text)) = repo.first_of(&SECURITY_PLACES) else {
        out.findings.push(
            Finding::in_repository(
                &META,
                "no SECURITY.md: people who find a vulnerability are not told whom to tell privately",
            )
            .with_severity(Severity::Low),
        );
        return out;
    };
    out.inspected.push(path.clone());
    let Some(text) = text else {
        out.notices.push(format!("{path}: cannot be read"));
        return out;
    };
    if !repository::has_contact(&text) {
        out.findings.push(repository::at_line(
            &META,
            &path,
            &text,
            repository::first_content_line(&text),
            format!(
                "`{path}` names no contact (an email address, a web address, or GitHub's private vulnerability reporting)"
            ),
        ));
    }
    out
}

pub static RULE: RepositoryRule = RepositoryRule { meta: &META, check };
