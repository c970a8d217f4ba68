//! Flags namespaces that run workloads but have no NetworkPolicy.
//!
//! ## What it checks
//! Every namespace that one of the scanned workloads runs in (`default` when a manifest
//! names none) and that no NetworkPolicy in the scanned manifests belongs to. Besides
//! Kubernetes' own NetworkPolicy, the namespaced policies of Cilium
//! (`CiliumNetworkPolicy`), Calico and Antrea (`NetworkPolicy` of their API groups) count;
//! a cluster-wide policy (`CiliumClusterwideNetworkPolicy`, Calico `GlobalNetworkPolicy`,
//! Antrea `ClusterNetworkPolicy`, `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy`) is
//! taken to cover every namespace. The finding
//! points at the Namespace object's `name:` when the repository defines it, else at the
//! `kind:` line of the namespace's first workload. `kube-system`, `kube-public` and
//! `kube-node-lease` are left out.
//!
//! ## Why it matters
//! Without a NetworkPolicy, every pod accepts connections from every other pod in the
//! cluster and can connect anywhere. One compromised pod — a vulnerable web server, a
//! malicious dependency — can then reach the database, the internal admin API and the cloud
//! metadata endpoint. A default-deny policy per namespace turns that into an explicit,
//! reviewable list of allowed flows.
//!
//! ## Example
//! ```yaml
//! kind: Namespace
//! metadata:
//!   name: shop        # flagged: Deployments run here, no NetworkPolicy does
//! ```
//!
//! ## Remediation
//! Add a default-deny NetworkPolicy (`podSelector: {}`, `policyTypes: [Ingress, Egress]`)
//! to the namespace, then policies allowing the flows the application needs (ingress
//! controller → web, web → database, DNS). Make sure the cluster's network plugin enforces
//! NetworkPolicy.
//!
//! ## References
//! - CWE-923: Improper Restriction of Communication Channel to Intended Endpoints
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet — network policies
//! - Kubernetes documentation, Network Policies — default policies

use super::ProjectRule;
use crate::project::Project;
use crate::test_data::ProjectOut;
use palisade_core::{
    Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity,
};
use std::collections::{BTreeMap, BTreeSet};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/namespace-without-network-policy",
    title: "Namespace with workloads but no NetworkPolicy",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[923],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("namespace_without_network_policy.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

const SYSTEM_NAMESPACES: [&str; 3] = ["kube-system", "kube-public", "kube-node-lease"];

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    let covered: BTreeSet<&str> = project
        .files
        .iter()
        .flat_map(|f| f.network_policies.iter().map(String::as_str))
        .collect();
    if project
        .files
        .iter()
        .any(|f| !f.cluster_network_policies.is_empty())
    {
        return;
    }
    let mut first_workload = BTreeMap::new();
    for w in project.workloads() {
        first_workload.entry(w.namespace.as_str()).or_insert(w);
    }
    for (namespace, workload) in first_workload {
        if covered.contains(namespace) || SYSTEM_NAMESPACES.contains(&namespace) {
            continue;
        }
        let defined = project
            .files
            .iter()
            .flat_map(|f| f.namespaces.iter())
            .find(|n| n.name == namespace);
        let location = defined.map_or(&workload.location, |n| &n.location);
        let finding = Finding::new(
            &META,
            location.span,
            format!(
                "namespace {namespace} runs workloads ({} {} among them) but has no NetworkPolicy: every pod accepts traffic from anywhere in the cluster",
                workload.kind, workload.name
            ),
        )
        .with_path(location.path.clone());
        cx.report(finding);
    }
}
