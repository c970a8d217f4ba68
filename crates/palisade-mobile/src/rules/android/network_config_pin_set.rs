//! Flags certificate pin-sets that no longer protect anything, or that will lock users out.
//!
//! ## What it checks
//! Each `<pin-set>` of a network security config outside `<debug-overrides>`:
//! - an `expiration` date before the scan's date (*medium*): Android stops enforcing the
//!   pins after that day, so pinning is silently off (the scan's date is `--today`, or
//!   today in UTC);
//! - a single `<pin>` (*low*): with no backup pin, a rotated or lost server key locks every
//!   installed app out until an update ships, which tends to end in pinning being removed.
//!
//! A debug-only source set lowers the severity to low. An expiration that is not a
//! `YYYY-MM-DD` date is not judged.
//!
//! ## Why it matters
//! Pinning limits which certificates the app accepts for a host, so that a mis-issued or
//! user-installed CA cannot intercept its traffic (CWE-295). An expired pin-set gives that
//! protection up without anyone noticing.
//!
//! ## Example
//! ```xml
//! <pin-set expiration="2021-01-01">            <!-- flagged: expired -->
//!     <pin digest="SHA-256">7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=</pin>
//! </pin-set>
//! ```
//!
//! ## Remediation
//! Update the pins and move the expiration forward with each release, or remove the
//! pin-set deliberately; always include a backup pin (the public key of a key you hold in
//! reserve, or of another CA).
//!
//! ## References
//! - CWE-295: Improper Certificate Validation
//! - Android developers: Network security configuration, "Pin certificates"
//! - OWASP MASVS-NETWORK-2

use crate::android::project::{Project, SetKind};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::date::Date;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/network-config-pin-set",
    title: "Certificate pin-set expired or without a backup pin",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[295],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("network_config_pin_set.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    let today = out.cx.today();
    for (path, place, block) in project.shipped_network_blocks() {
        for pins in &block.pin_sets {
            let mut findings = Vec::new();
            if let Some((text, span)) = &pins.expiration
                && let Some(date) = Date::parse(text.trim())
                && date < today
            {
                findings.push(Finding::new(
                    &META,
                    *span,
                    format!("pin-set expired on {date}: Android no longer enforces these pins, so pinning is off for {}", domains(&block.domains)),
                ));
            }
            if pins.pins == 1 {
                findings.push(
                    Finding::new(
                        &META,
                        pins.span,
                        format!("pin-set with a single pin for {}: no backup pin, so a new server key locks the app out", domains(&block.domains)),
                    )
                    .with_severity(Severity::Low),
                );
            }
            for mut finding in findings {
                if place.kind == SetKind::Debug {
                    finding = finding.with_severity(Severity::Low);
                }
                out.report(path, finding);
            }
        }
    }
}

fn domains(domains: &[String]) -> String {
    match domains {
        [] => "its domains".to_string(),
        [one] => format!("`{one}`"),
        [first, rest @ ..] => format!("`{first}` and {} more", rest.len()),
    }
}
