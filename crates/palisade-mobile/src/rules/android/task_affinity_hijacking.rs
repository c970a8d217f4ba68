//! Flags activities whose task affinity lets another app's task take them over (task
//! hijacking, "StrandHogg" 1.0).
//!
//! ## What it checks
//! Activities of a shipped manifest with a non-empty `android:taskAffinity` (their own, or
//! the `<application>`'s) that is not the app's package, together with
//! `android:allowTaskReparenting="true"` (the activity's or the application's) or
//! `android:launchMode="singleTask"`, in a module whose target SDK is below 30. Below 28 —
//! the level Google's own security lint asks for against StrandHogg-style attacks — the
//! finding is medium; at 28 and 29, or with an unknown target, low.
//!
//! Not reported: `taskAffinity=""` (the recommended hardening), an affinity equal to the
//! package (the default), `singleInstance` activities, targets of 30 and above, test and
//! removed components. Debug source sets are low.
//!
//! ## Why it matters
//! Tasks are grouped by affinity. A custom affinity with reparenting or `singleTask` lets
//! activities move between tasks by a name any app may also claim; a malicious app that
//! declares the same affinity can place its own look-alike activity in that task (a phishing
//! login screen shown when the user opens the real app) or receive the activity the user
//! thinks is in the real app's task (CWE-1021).
//!
//! ## Example
//! ```xml
//! <activity android:name=".LoginActivity" android:taskAffinity="org.shop.login"
//!     android:allowTaskReparenting="true" />   <!-- flagged below targetSdk 30 -->
//! <activity android:name=".LoginActivity" android:taskAffinity="" />   <!-- not flagged -->
//! ```
//!
//! ## Remediation
//! Remove the custom affinity or set `android:taskAffinity=""` on the application, drop
//! `allowTaskReparenting`, prefer the `standard`/`singleTop` launch modes (or
//! `singleInstance` for a sensitive entry screen), and target a current SDK.
//!
//! ## References
//! - CWE-1021: Improper Restriction of Rendered UI Layers or Frames
//! - OWASP MASVS-PLATFORM-3; MASTG "Testing for Task Hijacking"
//! - Ren et al., "Towards Discovering and Understanding Task Hijacking in Android",
//!   USENIX Security 2015; Promon, "StrandHogg" (2019)

use crate::android::manifest::Kind;
use crate::android::project::{Project, SetKind};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/task-affinity-hijacking",
    title: "Activity task affinity open to task hijacking",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[1021],
    owasp: Owasp::A04,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("task_affinity_hijacking.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    for (file, c) in project.components() {
        if c.kind != Kind::Activity || c.target_activity.is_some() {
            continue;
        }
        let app = &file.manifest.application;
        let Some(affinity_attr) = c.task_affinity.as_ref().or(app.task_affinity.as_ref()) else {
            continue;
        };
        let affinity = project.resolve(&affinity_attr.value).trim().to_string();
        let package = project.package_of(file);
        if affinity.is_empty() || Some(&affinity) == package.as_ref() {
            continue;
        }
        let reparenting = c
            .allow_task_reparenting
            .as_ref()
            .or(app.allow_task_reparenting.as_ref())
            .is_some_and(|a| project.resolve(&a.value).trim() == "true");
        let single_task = c
            .launch_mode
            .as_ref()
            .is_some_and(|a| matches!(project.resolve(&a.value).trim(), "singleTask" | "2"));
        if !reparenting && !single_task {
            continue;
        }
        let target = project.target_sdk(file);
        let severity = match target {
            Some(t) if t >= 30 => continue,
            Some(t) if t < 28 => Severity::Medium,
            _ => Severity::Low,
        };
        let how = if reparenting {
            "`allowTaskReparenting=\"true\"`"
        } else {
            "`launchMode=\"singleTask\"`"
        };
        let target_text = target.map_or("an unknown target SDK".to_string(), |t| format!("target SDK {t}"));
        let span = c.task_affinity.as_ref().map_or(c.span, |a| a.span);
        let finding = Finding::new(
            &META,
            span,
            format!(
                "activity `{}` has task affinity `{affinity}` with {how} at {target_text}: another app declaring the same affinity can take over its task",
                c.name
            ),
        )
        .with_severity(severity);
        if file.place.kind == SetKind::Debug {
            out.report_in_manifest(file, finding);
        } else {
            out.report(&file.path, finding);
        }
    }
}
