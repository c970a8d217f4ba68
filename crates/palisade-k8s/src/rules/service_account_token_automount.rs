//! Flags pods that get an API token they have no use for.
//!
//! ## What it checks
//! Workloads whose service account has no RoleBinding or ClusterRoleBinding anywhere in the
//! scanned manifests — so the token could do nothing useful for them through RBAC — while the
//! token is still mounted: neither the pod template nor the ServiceAccount sets
//! `automountServiceAccountToken: false`. The finding points at
//! `automountServiceAccountToken: true` when it is set, else at `serviceAccountName`, else at
//! the pod spec's `containers:` key. Confidence is medium: the manifests may not be the
//! whole story (bindings created elsewhere, tokens used for Vault or a service mesh).
//!
//! ## Why it matters
//! A mounted token is a credential for the API server sitting in the container's file
//! system. Anyone who gets code execution or a file read in the pod can use it — against
//! whatever RBAC the account gains later, against `system:authenticated` grants, and against
//! API-server vulnerabilities. Pods that do not talk to the API server should not carry one.
//!
//! ## Example
//! ```yaml
//! kind: Deployment
//! spec:
//!   template:
//!     spec:
//!       containers:          # flagged: runs as `default`, which has no bindings
//!         - name: web
//! ```
//!
//! ## Remediation
//! Set `automountServiceAccountToken: false` on the pod template (or on the ServiceAccount
//! for all its pods). Workloads that do call the API should use a dedicated ServiceAccount
//! with a minimal role.
//!
//! ## References
//! - CWE-250: Execution with Unnecessary Privileges
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet — service account tokens
//! - Kubernetes documentation, Configure Service Accounts for Pods — opt out of automounting

use super::ProjectRule;
use crate::facts::SubjectKind;
use crate::project::Project;
use palisade_core::{
    Confidence, Finding, Owasp, ProjectContext, Recommendation, RuleMeta, Severity,
};
use std::collections::HashSet;

pub static META: RuleMeta = RuleMeta {
    id: "k8s/service-account-token-automount",
    title: "API token mounted into a pod that needs no API access",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    cwe: &[250],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("service_account_token_automount.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn check(project: &Project, cx: &mut ProjectContext<'_>) {
    let bound: HashSet<(String, String)> = project
        .graph()
        .grants
        .iter()
        .filter(|g| g.subject.kind == SubjectKind::ServiceAccount)
        .map(|g| {
            (
                g.subject.namespace.clone().unwrap_or_default(),
                g.subject.name.clone(),
            )
        })
        .collect();
    let account_opts_out = |namespace: &str, name: &str| {
        project
            .files
            .iter()
            .flat_map(|f| f.service_accounts.iter())
            .any(|sa| sa.namespace == namespace && sa.name == name && sa.automount == Some(false))
    };
    for workload in project.workloads() {
        let key = (workload.namespace.clone(), workload.service_account.clone());
        if bound.contains(&key) {
            continue;
        }
        let location = match &workload.automount {
            Some((false, _)) => continue,
            Some((true, at)) => at.clone(),
            None if account_opts_out(&workload.namespace, &workload.service_account) => continue,
            None => workload
                .service_account_location
                .clone()
                .unwrap_or_else(|| workload.containers_location.clone()),
        };
        let finding = Finding::new(
            &META,
            location.span,
            format!(
                "{} {}/{} mounts the API token of service account `{}`, which no role is bound to; set automountServiceAccountToken: false",
                workload.kind, workload.namespace, workload.name, workload.service_account
            ),
        )
        .with_path(location.path.clone());
        cx.report(finding);
    }
}
