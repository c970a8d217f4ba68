//! The endpoint matrix and the RBAC matrix as sections of `scan --format html`.
//!
//! The scan's report model carries findings, not these inventories, so they are read again
//! here, with the scan's own roots and configuration (the same walk, the same excludes),
//! and only when the scan read Python or Kubernetes files: re-reading costs one more
//! parse of those files (see docs/html-report.md for the measured cost), paid only by the
//! HTML format. A matrix with no row is left out.

use crate::cli::CommonScanArgs;
use crate::{endpoints_command, k8s_commands, sources};
use palisade_core::config::Config;
use palisade_core::{Recommendation, Report};
use palisade_report::html::Matrix;

/// Whether the scan's rules for `recommendation` read at least one input.
fn scan_read(report: &Report, recommendation: Recommendation) -> bool {
    report
        .coverage
        .entries
        .iter()
        .any(|e| e.recommendation == recommendation && e.inputs_total > 0)
}

pub fn for_scan(common: &CommonScanArgs, config: &Config, report: &Report) -> Vec<Matrix> {
    let mut matrices = Vec::new();
    // Standard input is read once, by the scan; the roots are what can be read again.
    if scan_read(report, Recommendation::PythonBackend)
        && let Ok(facts) =
            sources::collect_facts_quietly(&palisade_python::PythonAnalyzer, &common.paths, config)
    {
        let endpoints =
            palisade_python::endpoints::endpoints(&palisade_python::endpoints::Project::new(facts));
        if !endpoints.is_empty() {
            matrices.push(endpoints_command::endpoint_matrix(&endpoints));
        }
    }
    if scan_read(report, Recommendation::Kubernetes)
        && let Ok(facts) =
            sources::collect_facts_quietly(&palisade_k8s::KubernetesAnalyzer, &common.paths, config)
    {
        let graph = palisade_k8s::rbac::Graph::build(&facts);
        let matrix = k8s_commands::rbac_matrix(&graph, false);
        if !matrix.rows.is_empty() {
            matrices.push(matrix);
        }
    }
    matrices
}
