//! The whole set of manifests, for rules that look across files.

use crate::facts::{FileFacts, Workload};
use crate::rbac::Graph;
use std::collections::HashSet;
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

    /// Every workload, except those created by another workload of the scan (the
    /// ReplicaSets and Pods of a Deployment, the Jobs of a CronJob in a `kubectl get -o
    /// yaml` dump): their owner's pod template is the one to report.
    pub fn workloads(&self) -> impl Iterator<Item = &Workload> {
        let all = || self.files.iter().flat_map(|f| f.workloads.iter());
        let present: HashSet<(&str, &str, &str)> = all()
            .map(|w| (w.kind.as_str(), w.namespace.as_str(), w.name.as_str()))
            .collect();
        all().filter(move |w| {
            !w.owner.as_ref().is_some_and(|(kind, name)| {
                present.contains(&(kind.as_str(), w.namespace.as_str(), name.as_str()))
            })
        })
    }
}
