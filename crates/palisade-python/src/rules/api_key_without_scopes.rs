//! Flags an API-key check that lets every key call every endpoint it guards, in an app whose
//! other endpoints do require scopes or permissions.
//!
//! ## What it checks
//! In each application of the endpoint inventory (a Flask app with its blueprints, a FastAPI
//! app with its routers, a Django URL configuration, an aiohttp application), the endpoints
//! guarded only by an API-key check that asks for no scope — a `@require_api_key`
//! decorator, a `Depends(verify_api_key)` / `Security(api_key_header)` dependency, a DRF
//! permission class such as `HasAPIKey`, a `before_request` guard or middleware comparing
//! `X-API-Key`, or the same key comparison written in several views — while other endpoints
//! of the same app require scopes, roles or permissions (`@requires_scope("orders:write")`,
//! `Security(..., scopes=[...])`, `permission_required(...)`, `required_scopes`).
//!
//! One finding is reported per such check, at its definition when it is in the scan (the
//! decorator or dependency function, or the first comparison), listing the endpoints it
//! opens. Confidence is high when the check compares the presented key with one fixed key (a
//! constant, setting or environment variable), medium otherwise. A check that is used by a
//! single endpoint, or whose code looks at scopes, roles or permissions itself, is not
//! reported, nor are endpoints handled in test code.
//!
//! ## Why it matters
//! The app already knows how to give callers only what they need — some endpoints ask for
//! scopes — but the key check gives whoever holds the key the same full access to every
//! endpoint it guards: the reporting integration that only needs to read orders can also
//! refund them, and one leaked key exposes everything. The policy asks for different
//! permissions for different API keys (`python-backend`, `access-control`).
//!
//! ## Example
//! ```python
//! def require_api_key(view):
//!     @wraps(view)
//!     def wrapper(*args, **kwargs):
//!         if not hmac.compare_digest(request.headers.get("X-API-Key", ""), current_app.config["API_KEY"]):
//!             abort(401)
//!         return view(*args, **kwargs)
//!     return wrapper
//!
//! @bp.post("/orders/<int:id>/refund")
//! @require_api_key              # any key holder may refund
//! def refund(id): ...
//!
//! @bp.get("/orders")
//! @requires_scope("orders:read")
//! def list_orders(): ...
//! ```
//!
//! ## Remediation
//! Give each key its own record with the scopes it was issued for, look the presented key up
//! (by a hash of it), and check the endpoint's scope against the key's:
//! `@requires_scope("orders:refund")` instead of `@require_api_key`, `Security(verify_key,
//! scopes=["orders:refund"])` in FastAPI, a scoped permission class in DRF. Issue
//! integrations keys with only the scopes they use.
//!
//! ## References
//! - CWE-285: Improper Authorization
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP REST Security Cheat Sheet (API keys; access control)
//! - OWASP API Security Top 10 2023, API5 Broken Function Level Authorization
//! - FastAPI documentation: OAuth2 scopes

use super::{ProjectModel, ProjectRule};
use crate::endpoints::{AuthCheck, Endpoint};
use palisade_core::{
    Confidence, Finding, Owasp, ProjectContext, Recommendation, RuleMeta, Severity,
};
use std::collections::BTreeMap;

pub static META: RuleMeta = RuleMeta {
    id: "python/api-key-without-scopes",
    title: "API key grants every endpoint the same full access",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[285],
    owasp: Owasp::A01,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("api_key_without_scopes.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

/// At most this many endpoints are listed as related locations.
const MAX_RELATED: usize = 10;

fn check(model: &ProjectModel, cx: &mut ProjectContext<'_>) {
    let mut apps: BTreeMap<&str, Vec<&Endpoint>> = BTreeMap::new();
    for e in model
        .endpoints()
        .iter()
        .filter(|e| !palisade_knowledge::roles::is_test_code(&e.handler.path))
    {
        apps.entry(e.app.as_str()).or_default().push(e);
    }
    for endpoints in apps.values() {
        let scoped: Vec<&Endpoint> = endpoints
            .iter()
            .copied()
            .filter(|e| !e.scopes().is_empty())
            .collect();
        let Some(example) = scoped.first() else {
            continue;
        };
        let mut groups: BTreeMap<&str, (&AuthCheck, Vec<&Endpoint>)> = BTreeMap::new();
        for e in endpoints.iter().copied().filter(|e| e.scopes().is_empty()) {
            for c in e
                .checks
                .iter()
                .filter(|c| c.api_key && c.scopes.is_empty() && !c.scope_aware)
            {
                let group = groups.entry(c.identity.as_str()).or_insert((c, Vec::new()));
                if !group.1.iter().any(|x| std::ptr::eq(*x, e)) {
                    group.1.push(e);
                }
            }
        }
        let mut all_scopes: Vec<String> = Vec::new();
        for e in &scoped {
            for s in e.scopes() {
                if !all_scopes.contains(&s) {
                    all_scopes.push(s);
                }
            }
        }
        all_scopes.sort();
        for (check, users) in groups.values() {
            if users.len() < 2 {
                continue;
            }
            let at = check
                .definition
                .clone()
                .unwrap_or_else(|| check.applied.clone());
            let listed: Vec<String> = users.iter().take(4).map(|e| e.describe()).collect();
            let more = if users.len() > 4 { ", …" } else { "" };
            let message = format!(
                "`{}` lets one API key call {} endpoints ({}{more}) with the same full access, while {} other endpoint{} of this app {} scopes ({}): check a scope per endpoint against what each key was issued",
                check.name,
                users.len(),
                listed.join(", "),
                scoped.len(),
                if scoped.len() == 1 { "" } else { "s" },
                if scoped.len() == 1 {
                    "requires"
                } else {
                    "require"
                },
                all_scopes.join(", ")
            );
            let confidence = if check.single_key {
                Confidence::High
            } else {
                Confidence::Medium
            };
            let mut finding = Finding::new(&META, at.span, message)
                .with_path(at.path.clone())
                .with_confidence(confidence);
            for e in users.iter().take(MAX_RELATED) {
                finding = finding.with_related_in(
                    e.handler.location.clone(),
                    format!("{} accepts any valid key", e.describe()),
                );
            }
            finding = finding.with_related_in(
                example.handler.location.clone(),
                format!(
                    "{} requires {}",
                    example.describe(),
                    example.scopes().join(", ")
                ),
            );
            cx.report(finding);
        }
    }
}
