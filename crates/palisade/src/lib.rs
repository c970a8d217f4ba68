//! The list of analyzers palisade ships, shared by the binary and its tests so that adding a
//! domain is one line here.

use palisade_core::engine::DynAnalyzer;

/// Every analyzer, in a fixed order.
pub fn analyzers() -> Vec<&'static dyn DynAnalyzer> {
    vec![
        &palisade_python::PythonAnalyzer,
        &palisade_k8s::KubernetesAnalyzer,
        &palisade_controls::CiAnalyzer,
        &palisade_controls::ControlsAnalyzer,
        &palisade_mobile::AndroidAnalyzer,
        &palisade_mobile::IosAnalyzer,
        &palisade_secrets::SecretsAnalyzer,
        &palisade_deps::DepsAnalyzer,
        &palisade_web::WebAnalyzer,
        &palisade_live::LIVE,
    ]
}

pub mod fuzz;
