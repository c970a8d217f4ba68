//! The rule types of the mobile analyzers and what they share. The rules are one per file
//! under `android/` and `ios/`, each registered by one line in that folder's `mod.rs`.

use crate::android::code::Code;
use crate::android::project::{ManifestFile, Project, SetKind};
use crate::ios::plist::Plist;
use palisade_core::engine::ProjectContext;
use palisade_core::{FileContext, Finding, RuleMeta, Severity};

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

/// A rule over one Info.plist.
pub struct PlistRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Plist, &mut FileContext<'_>),
}

/// Where project rules report.
pub struct ProjectOut<'a, 'b> {
    pub cx: &'a mut ProjectContext<'b>,
}

impl ProjectOut<'_, '_> {
    /// Reports a finding in `path`.
    pub fn report(&mut self, path: &str, finding: Finding) {
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
