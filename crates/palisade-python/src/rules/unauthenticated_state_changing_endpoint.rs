//! Flags endpoints that accept POST, PUT, PATCH or DELETE while nothing checks who the caller
//! is.
//!
//! ## What it checks
//! Every endpoint of the inventory (`palisade endpoints` prints it) that accepts a
//! state-changing method and has no authentication at any level:
//! - Flask: no authentication decorator on the view (`@login_required`, `@jwt_required()`,
//!   `@auth.login_required`, `@require_api_key`, `@requires_scope(...)`, or your own
//!   decorator that checks a key, a token or the user and refuses with 401/403), no
//!   `before_request` guard on the app or on any blueprint it is registered under, no check
//!   written in the view itself;
//! - FastAPI: no authentication dependency on the app, the router, the `include_router`
//!   call, the route (`dependencies=[...]`) or the handler's parameters (`Depends` /
//!   `Security` on a security scheme or on a function that depends on one or checks the
//!   caller, `Annotated` aliases such as `CurrentUser` included);
//! - Django: no `login_required`/`permission_required`/`user_passes_test` decorator or
//!   wrapper, no `LoginRequiredMixin`/`PermissionRequiredMixin`/`UserPassesTestMixin`, no
//!   `LoginRequiredMiddleware`; for Django REST framework views, no permission class other
//!   than `AllowAny` — their own or the `REST_FRAMEWORK` default (DRF's own default is
//!   `AllowAny`). Views that set `permission_classes = [AllowAny]` on purpose are left to
//!   `python/drf-default-allow-any`;
//! - aiohttp: no authentication middleware on the application (or a parent application),
//!   no `check_authorized`/`check_permission` call or other check in the handler.
//!
//! Django function views are taken to accept GET, plus POST when they read `request.POST`
//! or `request.body`, plus every method they compare `request.method` with, unless
//! `require_http_methods`/`require_POST`/`api_view` say otherwise.
//!
//! Endpoints whose path segment or handler name matches an entry of the `allow-paths`
//! option are not reported (login, logout, signup, register, health checks). Webhooks are
//! the exception: an endpoint whose path or handler mentions a webhook is only exempt when
//! its handler verifies the sender's signature (`hmac.compare_digest`,
//! `stripe.Webhook.construct_event`, a `verify_signature(...)` call or anything named after
//! a signature check); an unsigned webhook is reported. Handlers in test code (`tests/`,
//! `test_*.py`, `conftest.py`) are not reported.
//!
//! Login, logout, registration, password-reset and token endpoints are public by design
//! (the inventory shows `public (login)`, `public (password reset)`, …) and are not
//! reported. An endpoint whose only path parameters are UUIDs (`/ping/<uuid:code>`) may use
//! the URL as its credential, a first-run `/setup` wizard is public until the product is
//! set up, and a handler that calls nothing whose name says it changes state (no `save`,
//! `delete`, `commit`, `send_…`, `create_…`: a POST that renders a preview or computes an
//! answer) may change nothing at all, and a router, blueprint or sub-application mounted
//! only under an `if` that holds in development (`if settings.ENVIRONMENT == "local":`,
//! `if settings.DEBUG:`) is not part of the deployed product: these are reported at low
//! confidence.
//!
//! ## Why it matters
//! An endpoint that creates orders, changes an account or deletes data without asking who
//! is calling lets anyone on the network do it. This is the most common way access control
//! breaks in web APIs: one route added without the decorator the others have, a blueprint
//! registered outside the guarded app, a router included without its dependency. The policy
//! asks for least privilege per endpoint (`python-backend`); an endpoint without any check
//! grants everything to everybody.
//!
//! ## Example
//! ```python
//! orders = Blueprint("orders", __name__, url_prefix="/orders")
//!
//! @orders.get("/<int:order_id>")
//! @login_required
//! def show(order_id): ...
//!
//! # Flagged: the delete route has no decorator and the blueprint no guard.
//! @orders.delete("/<int:order_id>")
//! def delete(order_id): ...
//! ```
//!
//! ## Remediation
//! Put the check where it cannot be forgotten: a `before_request` guard on the blueprint,
//! a dependency on the FastAPI router, `LoginRequiredMiddleware` or a
//! `DEFAULT_PERMISSION_CLASSES` of `IsAuthenticated` in Django, an authentication
//! middleware in aiohttp — and open up the few public endpoints explicitly. For webhooks,
//! verify the provider's signature over the raw body with a constant-time comparison
//! before acting on it. If an endpoint is public on purpose, add its path to the rule's
//! `allow-paths` option or suppress the finding with the reason.
//!
//! ## References
//! - CWE-306: Missing Authentication for Critical Function
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP Authorization Cheat Sheet; OWASP REST Security Cheat Sheet (access control)
//! - Flask documentation: `before_request`; FastAPI documentation: Dependencies in path
//!   operation decorators and global dependencies; Django documentation:
//!   `LoginRequiredMiddleware`; Django REST framework documentation: Permissions

use super::{ProjectModel, ProjectRule};
use crate::endpoints::Endpoint;
use palisade_core::{
    Confidence, Finding, OptionsType, Owasp, ProjectContext, Recommendation, RuleMeta,
    Severity,
};
use palisade_knowledge::words::words;
use std::collections::BTreeMap;

pub static META: RuleMeta = RuleMeta {
    id: "python/unauthenticated-state-changing-endpoint",
    title: "State-changing endpoint without authentication",
    severity: Severity::High,
    confidence: Confidence::Medium,
    cwe: &[306],
    owasp: Owasp::A01,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[OptionsType::of::<RuleOptions>()],
    source: include_str!("unauthenticated_state_changing_endpoint.rs"),
};

/// The rule's options, under `[rules."<id>".options]`.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    /// Path segments or handler-name words of endpoints that are public on purpose. A webhook entry only exempts webhooks that verify a signature.
    pub allow_paths: Vec<String>,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            allow_paths: vec!["login".into(), "logout".into(), "signup".into(), "register".into(), "health".into(), "healthz".into(), "ready".into(), "webhooks".into()],
        }
    }
}

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

/// A path's segments, lowercase, without parameters (`<int:id>`, `{item_id}`, regex groups).
fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| {
            !s.is_empty() && !s.starts_with('<') && !s.starts_with('{') && !s.starts_with('(')
        })
        .map(|s| s.to_ascii_lowercase())
        .collect()
}

fn singular(s: &str) -> &str {
    s.strip_suffix('s').unwrap_or(s)
}

/// Whether an allow-list entry names this endpoint (a path segment or a word of the handler).
fn matches(entry: &str, endpoint: &Endpoint) -> bool {
    let entry = entry.trim_matches('/').to_ascii_lowercase();
    if entry.is_empty() {
        return false;
    }
    if entry.contains('/') {
        return endpoint.path.to_ascii_lowercase().contains(&entry);
    }
    let segment_matches = segments(&endpoint.path).iter().any(|s| {
        s == &entry
            || singular(s) == singular(&entry)
            || s.strip_prefix(entry.as_str())
                .is_some_and(|rest| rest.starts_with(['-', '_', '.']))
    });
    segment_matches
        || words(&endpoint.handler.name)
            .iter()
            .any(|w| singular(w) == singular(&entry))
}

fn is_webhook(endpoint: &Endpoint) -> bool {
    endpoint.path.to_ascii_lowercase().contains("webhook")
        || endpoint
            .handler
            .name
            .to_ascii_lowercase()
            .contains("webhook")
}

fn check(model: &ProjectModel, cx: &mut ProjectContext<'_>) {
    let allow = cx.rules().options::<RuleOptions>(&META).allow_paths.clone();
    let mut by_handler: BTreeMap<(String, u32, u32), Vec<&Endpoint>> = BTreeMap::new();
    for e in model.endpoints() {
        if !e.changes_state()
            || !e.checks.is_empty()
            || e.allow_any.is_some()
            || e.public.is_some()
            || palisade_knowledge::roles::is_test_code(&e.handler.path)
        {
            continue;
        }
        let webhook = is_webhook(e);
        let allowed = allow.iter().any(|a| {
            let a_webhook = a.to_ascii_lowercase().contains("webhook");
            if webhook {
                a_webhook && e.loose_signature
            } else {
                !a_webhook && matches(a, e)
            }
        });
        if allowed {
            continue;
        }
        let at = &e.handler.location;
        by_handler
            .entry((at.path.clone(), at.span.start_line, at.span.start_column))
            .or_default()
            .push(e);
    }
    for list in by_handler.values() {
        let first = list[0];
        let routes: Vec<String> = list.iter().map(|e| e.describe()).collect();
        let message = if is_webhook(first) {
            format!(
                "webhook `{}` ({}) acts on requests without verifying the sender's signature or any other authentication",
                first.handler.name,
                routes.join(", ")
            )
        } else {
            format!(
                "`{}` handles {} with no authentication: no decorator, guard, dependency, middleware or permission class checks the caller",
                first.handler.name,
                routes.join(", ")
            )
        };
        let mut finding = Finding::new(&META, first.handler.location.span, message)
            .with_path(first.handler.location.path.clone());
        if list.iter().all(|e| e.undecided.is_some()) {
            // `/ping/<uuid:code>`: the UUID may be the credential, or just an id; `/setup`:
            // public until the product is set up, if the handler checks that.
            finding = finding.with_confidence(Confidence::Low);
        }
        if first.declared.path != first.handler.location.path
            || first.declared.span.start_line != first.handler.location.span.start_line
        {
            finding = finding.with_related_in(first.declared.clone(), "route declared here");
        }
        cx.report(finding);
    }
}
