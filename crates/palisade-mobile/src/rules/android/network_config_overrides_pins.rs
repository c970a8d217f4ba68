//! Flags trust anchors that bypass certificate pinning outside `<debug-overrides>`.
//!
//! ## What it checks
//! `<certificates … overridePins="true"/>` in a `<base-config>` or `<domain-config>` (low
//! severity in a debug source set; not reported inside `<debug-overrides>`).
//!
//! ## Why it matters
//! `overridePins` lets the certificates of that anchor skip the `<pin-set>`: with
//! `src="user"` any user-installed CA defeats the pinning the config declares (CWE-295).
//!
//! ## Example
//! ```xml
//! <certificates src="user" overridePins="true"/>    <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Remove `overridePins` from release configurations; keep it in `<debug-overrides>` if a
//! debugging proxy needs it.
//!
//! ## References
//! - CWE-295: Improper Certificate Validation
//! - Android developers: Network security configuration, "Pin certificates"
//! - OWASP MASVS-NETWORK-2

use crate::android::project::{Project, SetKind};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/network-config-overrides-pins",
    title: "Certificate pinning bypassed by overridePins",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[295],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("network_config_overrides_pins.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    for (path, place, block) in project.shipped_network_blocks() {
        for span in &block.override_pins {
            let mut finding = Finding::new(
                &META,
                *span,
                "`overridePins=\"true\"`: certificates of this trust anchor skip the pin-set",
            );
            if place.kind == SetKind::Debug {
                finding = finding.with_severity(Severity::Low);
            }
            out.report(path, finding);
        }
    }
}
