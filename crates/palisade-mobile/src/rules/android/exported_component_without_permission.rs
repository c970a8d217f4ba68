//! Flags activities, services, receivers and providers that other apps can reach and that
//! no signature-level permission guards.
//!
//! ## What it checks
//! Every component of every manifest of the project (all modules; `main`, flavor, release
//! and debug source sets; test source sets are left out) that is exported:
//! - `android:exported="true"`, or
//! - no `android:exported` but an `<intent-filter>`, in a module whose target SDK (from
//!   Gradle — literals, `ext` values, `libs.versions.toml` — or `uses-sdk`) is below 31,
//!   where such components are exported by default; when the target SDK cannot be read the
//!   finding has low confidence;
//! - providers without `exported` in a module targeting SDK 16 or lower.
//!
//! and that has no `android:permission` (its own or the application's) whose protection level
//! is `signature` (or `signature|…`, `knownSigner`). Custom permissions are looked up in
//! every manifest of the project, platform permissions in palisade's table; a permission
//! defined nowhere it can see is reported with low confidence (its level is unknown). A
//! permission of level `normal` or `dangerous` is `android/weak-permission-protection-level`'s
//! finding. A provider needs `android:permission` or both `readPermission` and
//! `writePermission`.
//!
//! Not reported: the launcher activity; components whose intent filters name only the
//! platform's actions (`android.*`, `com.google.firebase.*`, …: boot completed, `VIEW` deep
//! links, sharing, sync adapters, widgets, push messages) — they are the system's standard
//! entry points; components a shipped manifest removes with `tools:node="remove"`;
//! `android:enabled="false"`. A component declared only in a debug source set is reported
//! with low severity.
//!
//! ## Why it matters
//! Any app on the device can start an exported activity, bind an exported service, send
//! to an exported receiver or query an exported provider, with extras it chooses
//! (CWE-926). Code written for the app's own callers then runs for strangers: it leaks data,
//! performs actions, or trusts input it should not.
//!
//! ## Example
//! ```xml
//! <service android:name=".sync.UploadService" android:exported="true"/>   <!-- flagged -->
//! <receiver android:name=".PushReceiver">                                 <!-- flagged below targetSdk 31 -->
//!     <intent-filter><action android:name="org.shop.PUSH"/></intent-filter>
//! </receiver>
//! ```
//!
//! ## Remediation
//! Set `android:exported="false"` on everything other apps need not reach. For what must
//! be reachable by your own apps, define a permission with
//! `android:protectionLevel="signature"` and put it on the component.
//!
//! ## References
//! - CWE-926: Improper Export of Android Application Components
//! - OWASP MASVS-PLATFORM-1; MASTG "Testing for Sensitive Functionality Exposure Through IPC"
//! - Android developers: `<activity android:exported>`, App security best practices

use crate::android::manifest::Kind;
use crate::android::project::{Exposure, ManifestFile, Project, Protection};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/exported-component-without-permission",
    title: "Exported component not protected by a signature permission",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[926],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("exported_component_without_permission.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    for (file, c) in project.components() {
        let Some(exposure) = project.exposure(file, c) else {
            continue;
        };
        if c.kind != Kind::Provider && project.is_standard_entry(c) {
            continue;
        }
        let how = match exposure {
            Exposure::Explicit => "exported",
            Exposure::Implicit => "exported by its intent filter (target SDK below 31)",
            Exposure::UnknownTarget => {
                "exported by its intent filter if the target SDK is below 31 (palisade could not read it)"
            }
        };
        let what = format!("{} `{}`", c.kind.as_str(), c.name);
        let mut confidence = if exposure == Exposure::UnknownTarget {
            Confidence::Low
        } else {
            Confidence::High
        };
        let message = if c.kind == Kind::Provider && project.guard(file, c).is_none() {
            match (&c.read_permission, &c.write_permission) {
                (Some(r), Some(w)) => {
                    match weakest(project, file, &[r, w]) {
                        Some(unknown) => {
                            confidence = Confidence::Low;
                            format!("{what} is {how}; its permission `{unknown}` is defined in no manifest palisade read, so its protection level is unknown")
                        }
                        None => continue,
                    }
                }
                (Some(_), None) => format!("{what} is {how} with a readPermission but no writePermission: any app can insert, update and delete"),
                (None, Some(_)) => format!("{what} is {how} with a writePermission but no readPermission: any app can query it"),
                (None, None) => format!("{what} is {how} with no permission: any app can query and change its data"),
            }
        } else {
            match project.guard(file, c) {
                None => format!("{what} is {how} and no permission guards it: any app can reach it"),
                Some(p) => match project.protection(p, file) {
                    Protection::Signature | Protection::Weak { .. } => continue,
                    Protection::Unknown => {
                        confidence = Confidence::Low;
                        format!("{what} is {how}; its permission `{p}` is defined in no manifest palisade read, so its protection level is unknown")
                    }
                },
            }
        };
        if c.path_permissions {
            confidence = Confidence::Low;
        }
        let severity = match c.kind {
            Kind::Provider => Severity::High,
            _ => Severity::Medium,
        };
        out.report_in_manifest(
            file,
            Finding::new(&META, c.span, message)
                .with_severity(severity)
                .with_confidence(confidence)
        );
    }
}

/// The first of a provider's permissions whose level is unknown; `None` when all are known
/// (signature ones are fine, weak ones are the weak-permission rule's).
fn weakest<'a>(project: &Project, file: &ManifestFile, perms: &[&'a String]) -> Option<&'a str> {
    perms
        .iter()
        .find(|p| project.protection(p, file) == Protection::Unknown)
        .map(|p| p.as_str())
}
