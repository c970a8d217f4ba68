//! Flags network security configs that trust user-installed CA certificates outside
//! `<debug-overrides>`.
//!
//! ## What it checks
//! `<certificates src="user"/>` inside `<trust-anchors>` of a `<base-config>` or
//! `<domain-config>` (*medium*; low severity in a debug source set). The same line inside
//! `<debug-overrides>` is the documented way to test with a proxy and is not reported.
//!
//! ## Why it matters
//! Any CA certificate the user (or malware, an MDM profile, a "Wi-Fi setup" page) installs
//! is then trusted to impersonate your servers, and all traffic can be read and altered
//! (CWE-295).
//!
//! ## Example
//! ```xml
//! <base-config><trust-anchors>
//!     <certificates src="system"/>
//!     <certificates src="user"/>     <!-- flagged -->
//! </trust-anchors></base-config>
//! ```
//!
//! ## Remediation
//! Trust only `system` anchors in release; put `src="user"` inside `<debug-overrides>`.
//!
//! ## References
//! - CWE-295: Improper Certificate Validation
//! - Android developers: Network security configuration, "Debug-only CAs"
//! - OWASP MASVS-NETWORK-1

use crate::android::project::{Project, SetKind};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/network-config-trusts-user-certificates",
    title: "User-installed CA certificates trusted in release",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[295],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("network_config_trusts_user_certificates.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    for (path, place, block) in project.shipped_network_blocks() {
        for span in &block.user_certificates {
            let mut finding = Finding::new(
                &META,
                *span,
                "user-installed CA certificates are trusted: any CA a user or profile adds can intercept this traffic",
            );
            if place.kind == SetKind::Debug {
                finding = finding.with_severity(Severity::Low);
            }
            out.report(path, finding);
        }
    }
}
