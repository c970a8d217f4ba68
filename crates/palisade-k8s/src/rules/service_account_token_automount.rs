//! Flags pods that get an API token they have no use for.
//!
//! ## What it checks
//! Workloads whose service account has no RoleBinding or ClusterRoleBinding anywhere in the
//! scanned manifests — so the token could do nothing useful for them through RBAC — while the
//! token is still mounted: neither the pod template nor the ServiceAccount sets
//! `automountServiceAccountToken: false`. A binding counts whether it names the account as a
//! `ServiceAccount`, as the user `system:serviceaccount:<namespace>:<name>`, or through the
//! groups `system:serviceaccounts:<namespace>` and `system:serviceaccounts` (bindings of
//! Kubernetes' own `system:` roles to these groups, such as service-account issuer
//! discovery, do not count). Only the `default` account and accounts defined in the scanned
//! manifests are considered: an account created elsewhere probably has its bindings there
//! too. Pods and ReplicaSets created by a workload that is also in the scan (a `kubectl get
//! -o yaml` dump lists both) are reported at their owner only. The finding points at
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
use crate::test_data::ProjectOut;
use palisade_core::{
    Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity,
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

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    let grants = &project.graph().grants;
    let bound: HashSet<(String, String)> = grants
        .iter()
        .filter(|g| g.subject.kind == SubjectKind::ServiceAccount)
        .map(|g| {
            (
                g.subject.namespace.clone().unwrap_or_default(),
                g.subject.name.clone(),
            )
        })
        .collect();
    // Namespaces whose every service account is bound through `system:serviceaccounts:<ns>`
    // (`None`: every namespace, through `system:serviceaccounts`).
    let bound_groups: HashSet<Option<&str>> = grants
        .iter()
        .filter(|g| !g.binding.role_name.value.starts_with("system:"))
        .filter_map(|g| g.subject.service_account_group())
        .collect();
    let accounts: Vec<_> = project
        .files
        .iter()
        .flat_map(|f| f.service_accounts.iter())
        .collect();
    for workload in project.workloads() {
        let namespace = workload.namespace.as_str();
        let name = workload.service_account.as_str();
        if bound.contains(&(namespace.to_string(), name.to_string()))
            || bound_groups.contains(&None)
            || bound_groups.contains(&Some(namespace))
        {
            continue;
        }
        let account = accounts
            .iter()
            .find(|sa| sa.namespace == namespace && sa.name == name);
        if account.is_none() && name != "default" {
            continue;
        }
        let account_opts_out = account.is_some_and(|sa| sa.automount == Some(false));
        let location = match &workload.automount {
            Some((false, _)) => continue,
            Some((true, at)) => at.clone(),
            None if account_opts_out => continue,
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
