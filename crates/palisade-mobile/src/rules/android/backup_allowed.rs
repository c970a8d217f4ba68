//! Flags apps whose data is backed up with no rule saying which files stay out.
//!
//! ## What it checks
//! The `<application>` of each application module's shipped manifests:
//! - `android:allowBackup="true"` without `android:fullBackupContent` or
//!   `android:dataExtractionRules` (*medium*);
//! - no `android:allowBackup` at all (it defaults to on), no rules, and a target SDK below
//!   31 (*low*). From target SDK 31 on, device-to-device and `adb` backups leave the app's
//!   data out unless it opts in, so the unset case is not reported there.
//!
//! Library modules are not reported for an unset `allowBackup` (the app's manifest
//! decides).
//!
//! ## Why it matters
//! Backups copy the app's private files, databases and shared preferences — session tokens,
//! cached personal data — to cloud storage or to another device, and `adb backup` lets
//! anyone holding the unlocked phone take them (CWE-530, CWE-312).
//!
//! ## Example
//! ```xml
//! <application android:allowBackup="true">          <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Set `android:allowBackup="false"`, or keep backups and exclude sensitive files with
//! `android:dataExtractionRules` (API 31+) and `android:fullBackupContent` (older).
//!
//! ## References
//! - CWE-530: Exposure of Backup File to an Unauthorized Control Sphere
//! - Android developers: Back up user data with Auto Backup
//! - OWASP MASVS-STORAGE-2

use crate::android::project::{Project, SetKind};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/backup-allowed",
    title: "App data backed up without exclusion rules",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[530],
    owasp: Owasp::A04,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("backup_allowed.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    for file in &project.manifests {
        if !matches!(file.place.kind, SetKind::Main | SetKind::Release) {
            continue;
        }
        let app = &file.manifest.application;
        let Some(app_span) = app.span else {
            continue;
        };
        if app.full_backup_content.is_some() || app.data_extraction_rules.is_some() {
            continue;
        }
        // Another shipped manifest of the module may carry the rules or the setting.
        let module_has = |f: &dyn Fn(&crate::android::manifest::Application) -> bool| {
            project.manifests.iter().any(|m| {
                m.place.module == file.place.module
                    && matches!(m.place.kind, SetKind::Main | SetKind::Release)
                    && f(&m.manifest.application)
            })
        };
        if module_has(&|a| a.full_backup_content.is_some() || a.data_extraction_rules.is_some()) {
            continue;
        }
        match &app.allow_backup {
            Some(a) if project.resolve(&a.value).trim() == "true" => out.report(
                &file.path,
                Finding::new(
                    &META,
                    a.span,
                    "`android:allowBackup=\"true\"` with no `fullBackupContent` or `dataExtractionRules`: every private file, database and preference is backed up",
                ),
            ),
            Some(_) => {}
            None => {
                if file.place.kind != SetKind::Main
                    || !project.is_application(&file.place.module)
                    || module_has(&|a| a.allow_backup.is_some())
                {
                    continue;
                }
                let Some(target) = project.target_sdk(file) else {
                    continue;
                };
                if target >= 31 {
                    continue;
                }
                out.report(
                    &file.path,
                    Finding::new(
                        &META,
                        app_span,
                        format!("`android:allowBackup` is not set (it defaults to true) and the app targets SDK {target} with no backup rules"),
                    )
                    .with_severity(Severity::Low),
                );
            }
        }
    }
}
