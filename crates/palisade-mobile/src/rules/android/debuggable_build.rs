//! Flags release builds that are debuggable.
//!
//! ## What it checks
//! - `android:debuggable="true"` on `<application>` in a manifest that ships (`src/main`,
//!   flavors, release source sets); a debug source set's manifest is fine;
//! - `debuggable true` / `isDebuggable = true` inside a `release { … }` build type of a
//!   Gradle file (Groovy or Kotlin DSL, `getByName("release")` too).
//!
//! ## Why it matters
//! A debuggable app accepts a debugger from anyone with USB access or `run-as`: its
//! memory, keys, tokens and private files are open, and its code can be changed at run time
//! (CWE-489, CWE-215).
//!
//! ## Example
//! ```xml
//! <application android:debuggable="true">   <!-- flagged -->
//! ```
//!
//! ## Remediation
//! Remove `android:debuggable` from the manifest (Gradle sets it per build type) and keep
//! `debuggable` out of the release build type.
//!
//! ## References
//! - CWE-489: Active Debug Code
//! - OWASP MASVS-RESILIENCE-4; MASTG "Testing whether the App is Debuggable"

use crate::android::project::{Project, SetKind};
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity, Span};

pub static META: RuleMeta = RuleMeta {
    id: "android/debuggable-build",
    title: "Release build is debuggable",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[489],
    owasp: Owasp::A05,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("debuggable_build.rs"),
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
        if let Some(a) = &file.manifest.application.debuggable
            && project.resolve(&a.value).trim() == "true"
        {
            out.report(
                &file.path,
                Finding::new(&META, a.span, "`android:debuggable=\"true\"` in a manifest that ships in release builds"),
            );
        }
    }
    for (path, gradle) in &project.gradles {
        for line in &gradle.release_debuggable {
            out.report(
                path,
                Finding::new(&META, Span::line(*line), "the release build type is debuggable"),
            );
        }
    }
}
