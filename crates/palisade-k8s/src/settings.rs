//! The Kubernetes analyzer's section of `palisade.toml`, `[analyzers.k8s]`.

use crate::kustomize;
use std::time::Duration;

/// Settings of the Kubernetes analyzer, under `[analyzers.k8s]`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct K8sSettings {
    /// Render each kustomization (`kubectl kustomize`, else `kustomize build`) and check the objects it renders. When false, kustomizations are not rendered and their files are scanned raw, without a notice.
    pub kustomize: bool,
    /// How many seconds one kustomization's rendering may take before the tool is stopped and its files are scanned raw.
    pub kustomize_timeout_seconds: u64,
    /// How findings in manifests of tests, test data and examples (under `tests/`, `test/`, `testdata/`, `fixtures/`, `examples/`, …) are reported: `low` (at low severity and low confidence, the default), `full` (like any other manifest) or `skip` (not at all). The summary says how many there were.
    pub test_manifests: TestManifests,
}

/// What becomes of findings in test, test-data and example manifests.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum TestManifests {
    /// Reported at low severity and low confidence: they describe test clusters and
    /// examples, not what the product deploys, and the default CI gate ignores them.
    #[default]
    Low,
    /// Reported like the product's own manifests.
    Full,
    /// Not analysed.
    Skip,
}

impl Default for K8sSettings {
    fn default() -> Self {
        K8sSettings {
            kustomize: true,
            kustomize_timeout_seconds: kustomize::TIMEOUT.as_secs(),
            test_manifests: TestManifests::default(),
        }
    }
}

impl K8sSettings {
    pub fn kustomize_timeout(&self) -> Duration {
        Duration::from_secs(self.kustomize_timeout_seconds)
    }
}
