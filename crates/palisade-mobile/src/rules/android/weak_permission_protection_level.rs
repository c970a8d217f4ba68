//! Flags exported components guarded by a permission any app can obtain (`normal` or
//! `dangerous` protection level).
//!
//! ## What it checks
//! Exported components (see `android/exported-component-without-permission` for what counts
//! as exported) whose guarding permission — the component's `android:permission`, a
//! provider's read/write permissions, or the application's — is:
//! - a custom permission defined in a manifest of the project with
//!   `android:protectionLevel` `normal`, `dangerous` or none (which means `normal`); the
//!   finding points at the component and names the definition;
//! - a platform permission palisade knows to be `normal` or `dangerous`
//!   (`RECEIVE_BOOT_COMPLETED`, `INTERNET`, `CAMERA`, …).
//!
//! Signature-level permissions and permissions of unknown level are not this rule's.
//!
//! ## Why it matters
//! A `normal` permission is granted to any app that lists it in its manifest; a `dangerous`
//! one to any app the user says yes to. Neither keeps other developers' apps out — only
//! `signature` does (CWE-926, CWE-275).
//!
//! ## Example
//! ```xml
//! <permission android:name="org.shop.permission.SYNC" android:protectionLevel="normal"/>
//! <service android:name=".SyncService" android:exported="true"
//!          android:permission="org.shop.permission.SYNC"/>    <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Use `android:protectionLevel="signature"` for permissions that guard your components, or
//! stop exporting the component.
//!
//! ## References
//! - CWE-926: Improper Export of Android Application Components
//! - Android developers: `<permission android:protectionLevel>`
//! - OWASP MASVS-PLATFORM-1

use crate::android::manifest::Kind;
use crate::android::project::{Project, Protection};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Location, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/weak-permission-protection-level",
    title: "Exported component guarded by a normal or dangerous permission",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[926],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("weak_permission_protection_level.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    for (file, c) in project.components() {
        if project.exposure(file, c).is_none() {
            continue;
        }
        if c.kind != Kind::Provider && project.is_standard_entry(c) {
            continue;
        }
        let mut guards: Vec<&str> = Vec::new();
        match project.guard(file, c) {
            Some(p) => guards.push(p),
            None if c.kind == Kind::Provider => {
                guards.extend(c.read_permission.as_deref());
                guards.extend(c.write_permission.as_deref());
            }
            None => {}
        }
        for p in guards {
            let Protection::Weak { level, defined_in } = project.protection(p, file) else {
                continue;
            };
            let mut finding = Finding::new(
                &META,
                c.span,
                format!(
                    "{} `{}` is exported and guarded by `{p}`, whose protection level is `{level}`: any app can obtain it",
                    c.kind.as_str(),
                    c.name
                ),
            );
            if let Some((path, span)) = defined_in {
                finding = finding.with_related_in(Location { path, span }, format!("`{p}` defined here"));
            }
            out.report_in_manifest(file, finding);
        }
    }
}
