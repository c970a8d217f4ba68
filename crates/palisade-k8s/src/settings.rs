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
}

impl Default for K8sSettings {
    fn default() -> Self {
        K8sSettings {
            kustomize: true,
            kustomize_timeout_seconds: kustomize::TIMEOUT.as_secs(),
        }
    }
}

impl K8sSettings {
    pub fn kustomize_timeout(&self) -> Duration {
        Duration::from_secs(self.kustomize_timeout_seconds)
    }
}
