//! Flags permissions granted to everyone: anonymous users, unauthenticated requests, or
//! every authenticated identity.
//!
//! ## What it checks
//! Subjects `system:anonymous` (User), `system:unauthenticated` (Group) and
//! `system:authenticated` (Group) in any RoleBinding or ClusterRoleBinding, except bindings
//! of Kubernetes' own discovery roles (`system:discovery`, `system:basic-user`,
//! `system:public-info-viewer`), which the API server itself grants to these groups, and of
//! roles defined in the manifests that only allow `get` on the health and version endpoints
//! (`/healthz`, `/livez`, `/readyz`, `/version`) — what `system:public-info-viewer` already
//! grants. The finding points at the subject.
//!
//! ## Why it matters
//! `system:anonymous` and `system:unauthenticated` are whoever can reach the API server's
//! port. `system:authenticated` is every identity the cluster accepts — including every
//! service-account token of every pod, and on some managed clusters any account of the cloud
//! provider. A permission granted to these groups is granted to attackers first.
//!
//! ## Example
//! ```yaml
//! kind: ClusterRoleBinding
//! roleRef: {kind: ClusterRole, name: view}
//! subjects:
//!   - kind: Group
//!     name: system:authenticated     # flagged
//! ```
//!
//! ## Remediation
//! Bind the role to the specific groups or service accounts that need it. Keep API-server
//! anonymous authentication disabled (`--anonymous-auth=false`) where health checks allow.
//!
//! ## References
//! - CWE-284: Improper Access Control
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - Kubernetes documentation, Authenticating — anonymous requests

use super::ProjectRule;
use crate::project::Project;
use crate::rbac::Grant;
use crate::test_data::ProjectOut;
use palisade_core::{
    Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity,
};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/rbac-anonymous-binding",
    title: "Role granted to anonymous or all authenticated users",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[284],
    owasp: Owasp::A01,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("rbac_anonymous_binding.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

/// The roles Kubernetes itself binds to these groups.
const DISCOVERY_ROLES: [&str; 3] = [
    "system:discovery",
    "system:basic-user",
    "system:public-info-viewer",
];

/// Endpoints the API server shows everyone anyway (through `system:public-info-viewer`).
const PUBLIC_URLS: [&str; 8] = [
    "/healthz",
    "/healthz/*",
    "/livez",
    "/livez/*",
    "/readyz",
    "/readyz/*",
    "/version",
    "/version/",
];

/// Whether the grant's role is defined and only lets its subject read public endpoints.
fn only_public_info(grant: &Grant) -> bool {
    grant.role.is_some()
        && !grant.rules.is_empty()
        && grant.rules.iter().all(|r| {
            r.resources.is_empty()
                && !r.non_resource_urls.is_empty()
                && r.non_resource_urls
                    .iter()
                    .all(|u| PUBLIC_URLS.contains(&u.as_str()))
                && r.verbs
                    .iter()
                    .all(|v| matches!(v.value.as_str(), "get" | "head"))
        })
}

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    for grant in &project.graph().grants {
        if !grant.subject.is_everyone()
            || DISCOVERY_ROLES.contains(&grant.binding.role_name.value.as_str())
            || only_public_info(grant)
        {
            continue;
        }
        let who = match grant.subject.name.as_str() {
            "system:authenticated" => {
                "every authenticated identity (including every pod's service-account token)"
            }
            _ => "anyone who can reach the API server, without credentials",
        };
        let finding = Finding::new(
            &META,
            grant.subject.location.span,
            format!(
                "{} is granted to {who}, {}",
                grant.path(),
                grant.scope.describe()
            ),
        )
        .with_path(grant.subject.location.path.clone())
        .with_related_in(
            grant.binding.role_name.location.clone(),
            "the role is bound here",
        );
        cx.report(finding);
    }
}
