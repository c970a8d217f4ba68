//! Flags apps that allow unencrypted HTTP.
//!
//! ## What it checks
//! - `android:usesCleartextTraffic="true"` on `<application>` in a shipped manifest that has
//!   no `android:networkSecurityConfig` (a config, when present, takes precedence);
//! - a network security config (`res/xml`, root `<network-security-config>`) whose
//!   `<base-config>` permits cleartext (*medium*), or whose `<domain-config>` permits it for
//!   domains other than loopback and emulator addresses (*low*).
//!
//! Configs in debug source sets are reported with low severity; `<debug-overrides>` is not
//! reported (it applies to debuggable builds only).
//!
//! ## Why it matters
//! Cleartext HTTP can be read and changed by anyone on the network path: public Wi-Fi,
//! a hostile router, the carrier (CWE-319).
//!
//! ## Example
//! ```xml
//! <base-config cleartextTrafficPermitted="true"/>    <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Use HTTPS everywhere and remove the attribute; if one legacy host needs HTTP, permit it
//! for that domain only, in a `<domain-config>`.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - Android developers: Network security configuration
//! - OWASP MASVS-NETWORK-1

use crate::android::project::{Project, SetKind};
use crate::android::resources::{BlockKind, Resource};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/cleartext-traffic-permitted",
    title: "Cleartext HTTP permitted",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("cleartext_traffic_permitted.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    for file in &project.manifests {
        if file.place.kind == SetKind::Test {
            continue;
        }
        let app = &file.manifest.application;
        if let Some(a) = &app.uses_cleartext_traffic
            && project.resolve(&a.value).trim() == "true"
            && app.network_security_config.is_none()
        {
            out.report_in_manifest(
                file,
                Finding::new(&META, a.span, "`android:usesCleartextTraffic=\"true\"`: the app may use plain HTTP to any host"),
            );
        }
    }
    for (path, place, resource) in &project.resources {
        let Resource::NetworkConfig(config) = resource else {
            continue;
        };
        if place.kind == SetKind::Test {
            continue;
        }
        for block in &config.blocks {
            let Some((true, span)) = block.cleartext else {
                continue;
            };
            let (severity, message) = match block.kind {
                BlockKind::DebugOverrides => continue,
                BlockKind::Base => (
                    Severity::Medium,
                    "the base config permits cleartext HTTP to every host".to_string(),
                ),
                BlockKind::Domain => {
                    let remote: Vec<&str> = block
                        .domains
                        .iter()
                        .map(String::as_str)
                        .filter(|d| !is_local(d))
                        .collect();
                    if remote.is_empty() {
                        continue;
                    }
                    (Severity::Low, format!("cleartext HTTP permitted for {}", remote.join(", ")))
                }
            };
            let (severity, message) = if place.kind == SetKind::Debug {
                (Severity::Low, format!("{message} (debug-only source set `{}`)", place.set))
            } else {
                (severity, message)
            };
            out.report(
                path,
                Finding::new(&META, span, message)
                    .with_severity(severity)
                    .with_confidence(Confidence::High),
            );
        }
    }
}

fn is_local(domain: &str) -> bool {
    let d = domain.trim();
    palisade_knowledge::hosts::is_loopback(d)
        || d == "10.0.2.2"
        || d == "10.0.3.2"
        || d.ends_with(".local")
        || d.starts_with("192.168.")
        || d.starts_with("10.")
}
