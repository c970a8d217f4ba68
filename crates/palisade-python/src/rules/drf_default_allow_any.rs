//! Flags Django REST framework projects whose default permission lets anyone in, and views
//! that change state while explicitly allowing anyone.
//!
//! ## What it checks
//! In a project that uses Django REST framework (`rest_framework` in `INSTALLED_APPS`, or
//! DRF imported anywhere):
//! - the `REST_FRAMEWORK` setting's `DEFAULT_PERMISSION_CLASSES` is `AllowAny` (or an empty
//!   list), reported where it is set;
//! - no settings module sets `DEFAULT_PERMISSION_CLASSES` at all — DRF then falls back to
//!   `AllowAny` — reported at the `REST_FRAMEWORK` dictionary, or at the `"rest_framework"`
//!   entry of `INSTALLED_APPS` when there is none. A default set in any settings module
//!   (for example `settings/base.py` imported by `settings/production.py`) counts; settings
//!   modules whose path mentions tests are ignored both ways;
//! - a view, viewset or `@api_view` function that sets `permission_classes` to `[AllowAny]`
//!   (or `[]`) and handles POST, PUT, PATCH or DELETE — its own methods, a generic view
//!   such as `CreateAPIView`, or viewset actions such as `create` and `destroy` — and a
//!   viewset `@action(..., permission_classes=[AllowAny])` that does. Views whose name
//!   matches an entry of the `allow-names` option (sign-up, login, token, password reset,
//!   webhooks, health checks) are public by nature and not reported, nor are views in test
//!   code.
//!
//! ## Why it matters
//! With `AllowAny` as the default, every view that does not set its own
//! `permission_classes` is open to anonymous callers, and adding a view means remembering
//! to protect it. The safe arrangement is the opposite: deny by default (`IsAuthenticated`
//! or stricter) and open the few public views explicitly. A state-changing view marked
//! `AllowAny` lets anyone create, modify or delete what it manages. The policy asks for
//! least privilege per endpoint (`python-backend`).
//!
//! ## Example
//! ```python
//! # settings.py
//! INSTALLED_APPS = [..., "rest_framework"]
//! REST_FRAMEWORK = {
//!     # Flagged: every view is public unless it says otherwise.
//!     "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
//! }
//! ```
//!
//! ## Remediation
//! Set `"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]` (or a
//! stricter class such as `DjangoModelPermissions`) in the production settings, and give
//! the few public views `permission_classes = [AllowAny]` explicitly. Do not mark views that
//! create, change or delete data `AllowAny`; if they must accept anonymous callers (a
//! webhook), authenticate the request another way, such as a verified signature.
//!
//! ## References
//! - CWE-862: Missing Authorization
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - Django REST framework documentation: Permissions (setting the permission policy)
//! - OWASP Authorization Cheat Sheet (deny by default)

use super::{ProjectModel, ProjectRule};
use crate::endpoints::django::{class_methods, is_drf_base};
use crate::endpoints::facts::{Attr, FileFacts};
use crate::endpoints::project::Project;
use palisade_core::{
    Confidence, Finding, Location, OptionsType, Owasp, ProjectContext, Recommendation,
    RuleMeta, Severity,
};
use palisade_knowledge::words::words;

pub static META: RuleMeta = RuleMeta {
    id: "python/drf-default-allow-any",
    title: "Django REST framework allows anonymous access by default",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[862],
    owasp: Owasp::A01,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[OptionsType::of::<RuleOptions>()],
    source: include_str!("drf_default_allow_any.rs"),
};

/// The rule's options, under `[rules."<id>".options]`.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    /// Words of view, viewset or action names that are public by nature; their explicit AllowAny is not reported.
    pub allow_names: Vec<String>,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            allow_names: vec!["login".into(), "logout".into(), "signup".into(), "register".into(), "token".into(), "password".into(), "webhook".into(), "health".into()],
        }
    }
}

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

fn is_state_changing(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH" | "DELETE")
}

/// Whether a `permission_classes` value lets anyone in: only `AllowAny`, or nothing.
fn allows_any(attr: &Attr) -> bool {
    attr.items.iter().all(|c| c.callee.last() == "AllowAny")
}

fn allowed_name(name: &str, allow: &[String]) -> bool {
    let ws = words(name);
    allow.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        ws.iter()
            .any(|w| w == &a || w.strip_suffix('s') == Some(a.as_str()) || w.starts_with(&a))
    })
}

fn check(model: &ProjectModel, cx: &mut ProjectContext<'_>) {
    let p = &model.project;
    let uses_drf = p.files.iter().any(|f| {
        f.frameworks.contains(&"rest_framework")
            || f.settings
                .as_ref()
                .is_some_and(|s| s.drf_installed.is_some())
    });
    if !uses_drf {
        return;
    }
    check_settings(p, cx);
    let allow = cx.rules().options::<RuleOptions>(&META).allow_names.clone();
    for file in p
        .files
        .iter()
        .filter(|f| !palisade_knowledge::roles::is_test_code(&f.path))
    {
        check_views(p, file, &allow, cx);
    }
}

fn report(cx: &mut ProjectContext<'_>, at: &Location, message: String) {
    cx.report(Finding::new(&META, at.span, message).with_path(at.path.clone()));
}

fn check_settings(p: &Project, cx: &mut ProjectContext<'_>) {
    let settings: Vec<(&FileFacts, _)> = p
        .files
        .iter()
        .filter(|f| !palisade_knowledge::roles::is_test_settings(&f.path))
        .filter_map(|f| f.settings.as_ref().map(|s| (f, s)))
        .collect();
    let mut protected = false;
    let mut reported = false;
    for (_, s) in &settings {
        let Some((refs, at)) = &s.default_permissions else {
            continue;
        };
        if refs.iter().all(|r| r.last() == "AllowAny") {
            report(
                cx,
                at,
                "DEFAULT_PERMISSION_CLASSES is AllowAny: every DRF view without its own permission_classes accepts anonymous callers".to_string(),
            );
            reported = true;
        } else {
            protected = true;
        }
    }
    if protected || reported {
        return;
    }
    if let Some(at) = settings.iter().find_map(|(_, s)| s.rest_framework.as_ref()) {
        report(
            cx,
            at,
            "REST_FRAMEWORK sets no DEFAULT_PERMISSION_CLASSES, so DRF's default AllowAny applies: every view without its own permission_classes accepts anonymous callers".to_string(),
        );
    } else if let Some(at) = settings.iter().find_map(|(_, s)| s.drf_installed.as_ref()) {
        report(
            cx,
            at,
            "Django REST framework is installed but no REST_FRAMEWORK setting sets DEFAULT_PERMISSION_CLASSES, so DRF's default AllowAny applies to every view without its own permission_classes".to_string(),
        );
    }
}

fn check_views(p: &Project, file: &FileFacts, allow: &[String], cx: &mut ProjectContext<'_>) {
    for class in &file.classes {
        if !p.base_names(class).iter().any(|b| is_drf_base(b)) {
            continue;
        }
        if let Some(attr) = class.attrs.get("permission_classes")
            && allows_any(attr)
            && !allowed_name(&class.name, allow)
        {
            let changing: Vec<String> = class_methods(p, class)
                .into_iter()
                .filter(|m| is_state_changing(m))
                .collect();
            if !changing.is_empty() {
                report(
                    cx,
                    &attr.location,
                    format!(
                        "`{}` handles {} and lets anyone call it (permission_classes allows any caller)",
                        class.name,
                        changing.join(", ")
                    ),
                );
            }
        }
        for action in &class.actions {
            if let Some(attr) = &action.permission_classes
                && allows_any(attr)
                && action.methods.iter().any(|m| is_state_changing(m))
                && !allowed_name(&action.name, allow)
            {
                report(
                    cx,
                    &attr.location,
                    format!(
                        "action `{}.{}` handles {} and lets anyone call it (permission_classes allows any caller)",
                        class.name,
                        action.name,
                        action.methods.join(", ")
                    ),
                );
            }
        }
    }
    for f in &file.functions {
        let api_view = f.decorators.iter().find(|d| d.callee.last() == "api_view");
        let permissions = f
            .decorators
            .iter()
            .find(|d| d.callee.last() == "permission_classes");
        let (Some(api_view), Some(permissions)) = (api_view, permissions) else {
            continue;
        };
        let methods: Vec<String> = api_view
            .strings
            .iter()
            .map(|m| m.to_ascii_uppercase())
            .filter(|m| is_state_changing(m))
            .collect();
        if permissions.args.iter().all(|r| r.last() == "AllowAny")
            && !methods.is_empty()
            && !allowed_name(&f.name, allow)
        {
            report(
                cx,
                &permissions.location,
                format!(
                    "`{}` handles {} and lets anyone call it (permission_classes allows any caller)",
                    f.name,
                    methods.join(", ")
                ),
            );
        }
    }
}
