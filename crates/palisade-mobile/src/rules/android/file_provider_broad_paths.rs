//! Flags FileProvider path files that share the whole device or a whole storage root.
//!
//! ## What it checks
//! `res/xml` files whose root is `<paths>` (the FileProvider configuration):
//! - `<root-path>`: shares every file the app can read, from `/` (*medium*);
//! - `path="."`, `path="/"` or an empty `path` on `external-path`, `external-files-path`,
//!   `external-cache-path`, `files-path`, `cache-path` (*low*): a whole storage area.
//!
//! A paths file no `<provider>` of the project references (through its
//! `android.support.FILE_PROVIDER_PATHS` meta-data) is reported with low confidence.
//!
//! ## Why it matters
//! A FileProvider hands out `content://` URIs for files under the configured roots. The wider
//! the roots, the more a confused-deputy bug (sharing a path chosen by another app's intent)
//! exposes: databases, shared preferences, tokens (CWE-200, CWE-552).
//!
//! ## Example
//! ```xml
//! <paths>
//!     <root-path name="root" path="/"/>            <!-- flagged -->
//!     <cache-path name="shared_images" path="images/"/>
//! </paths>
//! ```
//!
//! ## Remediation
//! Share a dedicated sub-folder (`<cache-path name="shared" path="shared/"/>`) and copy files
//! there before sharing them.
//!
//! ## References
//! - CWE-552: Files or Directories Accessible to External Parties
//! - Android developers: FileProvider; OWASP MASTG "Testing Content Providers"

use crate::android::project::Project;
use crate::android::resources::Resource;
use crate::rules::{ProjectOut, ProjectRule};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/file-provider-broad-paths",
    title: "FileProvider shares the device root or a whole storage area",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[552],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("file_provider_broad_paths.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

fn check(project: &Project, out: &mut ProjectOut<'_, '_>) {
    for (path, _place, resource) in &project.resources {
        let Resource::Paths(entries) = resource else {
            continue;
        };
        let stem = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .trim_end_matches(".xml");
        let reference = format!("@xml/{stem}");
        let referenced = project.manifests.iter().any(|m| {
            m.manifest
                .components
                .iter()
                .any(|c| c.meta_data.iter().any(|(_, r)| *r == reference))
        });
        for e in entries {
            let whole = matches!(e.path.trim(), "." | "/" | "" | "./");
            let (severity, message) = if e.element == "root-path" {
                (
                    Severity::Medium,
                    format!("`<root-path path=\"{}\">` lets the FileProvider share any file the app can read", e.path),
                )
            } else if whole && e.element.ends_with("-path") {
                (
                    Severity::Low,
                    format!("`<{} path=\"{}\">` shares the whole storage area", e.element, e.path),
                )
            } else {
                continue;
            };
            let mut finding = Finding::new(&META, e.span, message).with_severity(severity);
            if !referenced {
                finding = finding.with_confidence(Confidence::Low);
            }
            out.report(path, finding);
        }
    }
}
