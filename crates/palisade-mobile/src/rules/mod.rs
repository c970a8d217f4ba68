//! The rule types of the mobile analyzers and what they share. The rules are one per file
//! under `android/` and `ios/`, each registered by one line in that folder's `mod.rs`.

use crate::android::code::Code;
use crate::android::project::{ManifestFile, Project, SetKind};
use crate::ios::plist::{Plist, PlistKind};
use palisade_core::engine::ProjectContext;
use palisade_core::{FileContext, Finding, Place, RuleMeta, Severity};
use std::collections::HashMap;

pub mod android;
pub mod ios;

/// A rule over the whole Android project (manifests, Gradle files, resources).
pub struct ProjectRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Project, &mut ProjectOut<'_, '_>),
}

/// A rule over one Java or Kotlin file.
pub struct CodeRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Code<'_>, &mut FileContext<'_>),
}

/// A rule over one plist of one kind (an Info.plist, an entitlements file).
pub struct PlistRule {
    pub meta: &'static RuleMeta,
    pub kind: PlistKind,
    pub check: fn(&Plist, &mut FileContext<'_>),
}

/// Where project rules report.
pub struct ProjectOut<'a, 'b> {
    pub cx: &'a mut ProjectContext<'b>,
    /// Decoded archive members by path (`app.apk!/AndroidManifest.xml`): findings there carry
    /// their lines, which the engine cannot read from disk.
    pub renderings: &'a HashMap<String, String>,
}

impl ProjectOut<'_, '_> {
    /// Reports a finding in `path`.
    pub fn report(&mut self, path: &str, mut finding: Finding) {
        if let Some(text) = self.renderings.get(path)
            && let Place::File(location) = &finding.location
        {
            let span = location.span;
            let lines: Vec<&str> = text
                .lines()
                .skip(span.start_line.saturating_sub(1) as usize)
                .take((span.end_line.max(span.start_line) - span.start_line + 1) as usize)
                .collect();
            finding = finding.with_content(lines.join("\n"));
        }
        self.cx.report(finding.with_path(path));
    }

    /// Reports a finding about a manifest: a debug-only source set lowers it to low
    /// severity (it never ships in a release build) and says so.
    pub fn report_in_manifest(&mut self, file: &ManifestFile, mut finding: Finding) {
        if file.place.kind == SetKind::Debug {
            finding.severity = Severity::Low;
            finding.message = format!(
                "{} (debug-only source set `{}`)",
                finding.message, file.place.set
            );
        }
        self.report(&file.path, finding);
    }
}
