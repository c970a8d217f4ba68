//! The whole set of manifests, for rules that look across files.

use crate::facts::{FileFacts, Workload};
use crate::rbac::Graph;
use std::sync::OnceLock;

/// Every file's facts, and the RBAC graph built from them on first use.
pub struct Project {
    pub files: Vec<FileFacts>,
    graph: OnceLock<Graph>,
}

impl Project {
    pub fn new(files: Vec<FileFacts>) -> Project {
        Project {
            files,
            graph: OnceLock::new(),
        }
    }

    pub fn graph(&self) -> &Graph {
        self.graph.get_or_init(|| Graph::build(&self.files))
    }

    pub fn workloads(&self) -> impl Iterator<Item = &Workload> {
        self.files.iter().flat_map(|f| f.workloads.iter())
    }
}
