//! Manifests of tests, test data and examples: the e2e test cluster's CNI, a fixture of a
//! rule's test, an `examples/` app. Their findings describe no cluster the product deploys,
//! so by default they are reported at low severity and low confidence (the CI gate's default
//! ignores them), and the project pass says how many there were
//! (`[analyzers.k8s] test-manifests`). Which files they are is the file roles' decision
//! (`palisade_knowledge::roles`), the same one every analyzer uses.

use crate::settings::TestManifests;
use palisade_core::{Confidence, Finding, ProjectContext, Severity};
use palisade_knowledge::roles::FileRole;
use std::collections::HashSet;

/// Whether a file of this role holds test data or examples rather than the product's
/// manifests.
pub fn is_test_data(role: FileRole) -> bool {
    role.is_test() || role == FileRole::Example
}

/// A finding in test data, as `setting` wants it reported (`None`: not at all).
pub fn soften(finding: Finding, setting: TestManifests) -> Option<Finding> {
    match setting {
        TestManifests::Full => Some(finding),
        TestManifests::Skip => None,
        TestManifests::Low => {
            let severity = finding.severity.min(Severity::Low);
            Some(
                finding
                    .with_severity(severity)
                    .with_confidence(Confidence::Low),
            )
        }
    }
}

/// The project pass's context, softening the findings whose file is test data.
pub struct ProjectOut<'c, 'a> {
    cx: &'c mut ProjectContext<'a>,
    test_paths: &'c HashSet<String>,
    setting: TestManifests,
    /// How many findings were softened or left out.
    pub softened: usize,
}

impl<'c, 'a> ProjectOut<'c, 'a> {
    pub fn new(
        cx: &'c mut ProjectContext<'a>,
        test_paths: &'c HashSet<String>,
        setting: TestManifests,
    ) -> Self {
        ProjectOut {
            cx,
            test_paths,
            setting,
            softened: 0,
        }
    }

    pub fn report(&mut self, finding: Finding) {
        let in_test_data = finding
            .location
            .path()
            .is_some_and(|p| self.test_paths.contains(p));
        if !in_test_data || self.setting == TestManifests::Full {
            self.cx.report(finding);
            return;
        }
        self.softened += 1;
        if let Some(finding) = soften(finding, self.setting) {
            self.cx.report(finding);
        }
    }
}

impl<'a> std::ops::Deref for ProjectOut<'_, 'a> {
    type Target = ProjectContext<'a>;
    fn deref(&self) -> &ProjectContext<'a> {
        self.cx
    }
}

impl<'a> std::ops::DerefMut for ProjectOut<'_, 'a> {
    fn deref_mut(&mut self) -> &mut ProjectContext<'a> {
        self.cx
    }
}

/// The summary notice: how many findings were in test data, and where for example.
pub fn notice(softened: usize, example: Option<&str>, setting: TestManifests) -> Option<String> {
    let example = example
        .map(|e| format!(" (such as {e})"))
        .unwrap_or_default();
    match setting {
        TestManifests::Full => None,
        _ if softened == 0 => None,
        TestManifests::Low => Some(format!(
            "{softened} finding(s) in test, test-data and example manifests{example} reported at low severity and low confidence; `[analyzers.k8s] test-manifests = \"full\"` reports them like the product's manifests, \"skip\" leaves them out"
        )),
        TestManifests::Skip => Some(format!(
            "{softened} manifest(s) or finding(s) of tests, test data and examples{example} left out (`[analyzers.k8s] test-manifests = \"skip\"`)"
        )),
    }
}
