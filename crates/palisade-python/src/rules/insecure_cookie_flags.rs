//! Flags session and authentication cookies sent without `Secure` or `HttpOnly`.
//!
//! ## What it checks
//! - Django and Flask settings (module level, Flask config classes, `app.config[...] = …`,
//!   `app.config.update(...)`) that turn a protection off: `SESSION_COOKIE_SECURE = False`,
//!   `CSRF_COOKIE_SECURE = False`, `SESSION_COOKIE_HTTPONLY = False`,
//!   `REMEMBER_COOKIE_SECURE/HTTPONLY = False` (Flask-Login), `JWT_COOKIE_SECURE = False`
//!   (Flask-JWT-Extended), also as the default of an environment lookup
//!   (`env.bool("SESSION_COOKIE_SECURE", default=False)`, medium confidence);
//! - `SESSION_COOKIE_SAMESITE = "None"` (or the CSRF / remember-me equivalent) where the
//!   matching `*_COOKIE_SECURE` is not set to `True`: browsers reject or leak such cookies;
//! - `response.set_cookie(...)` / `set_signed_cookie(...)` (Django, Flask, Starlette/FastAPI,
//!   aiohttp, …) for a cookie named like a session or credential (`session`, `sid`, `auth`,
//!   `token`, `jwt`, `remember`, `refresh`, … — or, when computed, whose expression says so,
//!   like `settings.SESSION_COOKIE_NAME`) with `secure=False` or `httponly=False`, or
//!   `samesite="None"` without `secure=True`; the same call leaving `secure` or `httponly`
//!   out, which defaults to off in these frameworks, is reported with medium confidence;
//! - a self-contained Django settings module for production (`DEBUG = False`, no star
//!   import of a base module) that never sets `SESSION_COOKIE_SECURE`, whose default is
//!   `False` — low confidence, reported at the `DEBUG = False` line.
//!
//! Not reported: cookies whose names say nothing about sessions or credentials (a theme, a
//! consent banner, a cart id); CSRF cookies without `HttpOnly` (JavaScript must read them
//! for the double-submit pattern); `secure=request.is_secure()` and other computed values;
//! Falcon, whose `set_cookie` is secure and HTTP-only by default; values set only when
//! `DEBUG` is on; a config class whose `False` another class of the same module overrides;
//! settings files and config classes for tests or local development; test code.
//!
//! ## Why it matters
//! A cookie without `Secure` is also sent over plain HTTP: one request to an `http://` URL
//! of the site — a link in an e-mail, a network that strips HTTPS — hands the session to
//! anyone on the path. A cookie without `HttpOnly` can be read by JavaScript, so any XSS
//! flaw becomes a session theft rather than a defacement. Session cookies are bearer
//! credentials: whoever holds one is logged in.
//!
//! ## Example
//! ```python
//! # settings/production.py
//! SESSION_COOKIE_SECURE = False   # flagged
//!
//! # views.py
//! response.set_cookie("session_id", sid)   # flagged: no secure, no httponly
//! ```
//!
//! ## Remediation
//! In Django production settings set `SESSION_COOKIE_SECURE = True`, `CSRF_COOKIE_SECURE =
//! True` and keep `SESSION_COOKIE_HTTPONLY = True` (the default). In Flask set
//! `SESSION_COOKIE_SECURE = True`, `SESSION_COOKIE_HTTPONLY = True` (default) and
//! `REMEMBER_COOKIE_SECURE = True`. When setting a cookie by hand, pass `secure=True,
//! httponly=True, samesite="Lax"` (or `"Strict"`). Serve development over HTTP with a
//! development settings module rather than switching the flags off in shared settings.
//!
//! ## References
//! - CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute
//! - CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Session Management Cheat Sheet, "Cookies"
//! - Django documentation, deployment checklist (`SESSION_COOKIE_SECURE`,
//!   `CSRF_COOKIE_SECURE`)

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::model::Model;
use crate::settings::{
    Setting, SettingOp, dict_entries, env_default, follow, has_keyword_splat, has_star_import,
    is_django_settings, is_false, is_true, keyword, positional, string_value, top_level_settings,
    under_debug,
};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::roles::{NameRole, deployment_role, name_role};
use palisade_knowledge::words::words;
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/insecure-cookie-flags",
    title: "Session cookie without Secure or HttpOnly",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[614, 1004],
    owasp: Owasp::A05,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("insecure_cookie_flags.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["module", "call", "assignment"],
    // Sound: the settings it reports spell `COOKIE`, the calls `set_cookie`/`set_signed_cookie`, and the production-settings check is reported at `DEBUG = False`.
    needs_text: &["COOKIE", "cookie", "Cookie", "DEBUG"],
    text_test: None,
    check,
};

/// Settings that switch a cookie protection off when `False`, and what they protect.
const FLAG_SETTINGS: &[(&str, &str)] = &[
    ("SESSION_COOKIE_SECURE", "Secure"),
    ("CSRF_COOKIE_SECURE", "Secure"),
    ("SESSION_COOKIE_HTTPONLY", "HttpOnly"),
    ("REMEMBER_COOKIE_SECURE", "Secure"),
    ("REMEMBER_COOKIE_HTTPONLY", "HttpOnly"),
    ("JWT_COOKIE_SECURE", "Secure"),
];

/// `SameSite` settings and the `Secure` setting each needs when it is `"None"`.
const SAMESITE_SETTINGS: &[(&str, &str)] = &[
    ("SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE"),
    ("CSRF_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE"),
    ("REMEMBER_COOKIE_SAMESITE", "REMEMBER_COOKIE_SECURE"),
    ("JWT_COOKIE_SAMESITE", "JWT_COOKIE_SECURE"),
];

/// Web frameworks whose responses have a `set_cookie` method.
const WEB_FRAMEWORKS: &[&str] = &[
    "flask",
    "django",
    "starlette",
    "fastapi",
    "aiohttp",
    "werkzeug",
    "quart",
    "sanic",
    "tornado",
    "bottle",
    "litestar",
    "pyramid",
    "falcon",
    "rest_framework",
];

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match node.kind() {
        "module" if deployment_role(&cx.file.path) == NameRole::Deployed => check_module(node, cx),
        "call" => check_call(node, cx),
        "assignment" => check_config_item(node, cx),
        _ => {}
    }
}

fn flag_value(name: &str) -> Option<&'static str> {
    FLAG_SETTINGS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, what)| *what)
}

/// `Some(confidence)` when a value turns a flag off: `False`, or an environment lookup
/// defaulting to `False` (medium).
fn turns_off(model: &Model<'_>, value: Node<'_>) -> Option<Confidence> {
    let value = follow(model, value).0;
    if is_false(value) {
        return Some(Confidence::High);
    }
    let default = env_default(model, value)?;
    is_false(follow(model, default).0).then_some(Confidence::Medium)
}

fn is_none_string(model: &Model<'_>, value: Node<'_>) -> bool {
    string_value(model, follow(model, value).0).is_some_and(|s| s.eq_ignore_ascii_case("none"))
}

fn is_cookie_setting(name: &str) -> bool {
    flag_value(name).is_some() || SAMESITE_SETTINGS.iter().any(|(n, _)| *n == name)
}

fn check_module(root: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let settings = top_level_settings(model, root);
    let cookie_settings: Vec<Setting<'_>> = settings
        .iter()
        .filter(|s| is_cookie_setting(s.name))
        .copied()
        .collect();
    check_settings(&cookie_settings, &[], cx);

    // Config classes (Flask): a `False` in one class is fine when another class of the
    // module sets the same key to something else (the production class overrides it).
    let mut classes: Vec<(Node<'_>, Vec<Setting<'_>>)> = Vec::new();
    let mut cursor = root.walk();
    for statement in root.named_children(&mut cursor) {
        let class = match statement.kind() {
            "class_definition" => statement,
            "decorated_definition" => match statement.child_by_field_id(*field::DEFINITION) {
                Some(d) if d.kind() == "class_definition" => d,
                _ => continue,
            },
            _ => continue,
        };
        if let Some(body) = class.child_by_field_id(*field::BODY) {
            // Only the cookie settings matter; keeping just those keeps large modules cheap.
            let mut cookie_settings = top_level_settings(model, body);
            cookie_settings.retain(|s| is_cookie_setting(s.name));
            if !cookie_settings.is_empty() {
                classes.push((class, cookie_settings));
            }
        }
    }
    for (i, (class, class_settings)) in classes.iter().enumerate() {
        let name = class
            .child_by_field_id(*field::NAME)
            .map(|n| model.text(n))
            .unwrap_or_default();
        if name_role(name) != NameRole::Deployed {
            continue;
        }
        let overridden: Vec<&str> = classes
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, (_, s))| s.iter())
            .filter(|s| flag_value(s.name).is_some() && turns_off(model, s.value).is_none())
            .map(|s| s.name)
            .collect();
        check_settings(class_settings, &overridden, cx);
    }

    // A production Django settings module that never asks for a secure session cookie.
    if has_star_import(root) || !is_django_settings(&cx.file.path, &settings, false) {
        return;
    }
    let debug_off = settings.iter().find(|s| {
        s.name == "DEBUG" && s.op == SettingOp::Assign && !s.conditional && is_false(s.value)
    });
    let mentions_secure = settings.iter().any(|s| s.name == "SESSION_COOKIE_SECURE");
    if let Some(debug) = debug_off
        && !mentions_secure
    {
        let finding = Finding::new(
            &META,
            cx.span(debug.node),
            "these production settings (DEBUG = False) never set `SESSION_COOKIE_SECURE = True`, so Django sends the session cookie over plain HTTP too",
        )
        .with_confidence(Confidence::Low);
        cx.report(finding);
    }
}

/// Checks the flag and SameSite settings of a module or class body; `overridden` names
/// settings another config class sets differently.
fn check_settings(settings: &[Setting<'_>], overridden: &[&str], cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    for (i, setting) in settings.iter().enumerate() {
        if setting.op != SettingOp::Assign
            || setting.debug_only
            || overridden.contains(&setting.name)
        {
            continue;
        }
        let replaced_later = settings[i + 1..]
            .iter()
            .any(|later| later.name == setting.name && !later.conditional);
        if replaced_later {
            continue;
        }
        if let Some(what) = flag_value(setting.name) {
            let Some(confidence) = turns_off(model, setting.value) else {
                continue;
            };
            let finding = Finding::new(
                &META,
                cx.span(setting.node),
                flag_message(setting.name, what, confidence),
            )
            .with_confidence(confidence);
            cx.report(finding);
        } else if let Some((_, secure_name)) =
            SAMESITE_SETTINGS.iter().find(|(n, _)| *n == setting.name)
            && is_none_string(model, setting.value)
        {
            let secure = settings
                .iter()
                .any(|s| s.name == *secure_name && is_true(follow(model, s.value).0));
            if !secure && !overridden.contains(secure_name) {
                let finding = Finding::new(
                    &META,
                    cx.span(setting.node),
                    format!(
                        "`{} = \"None\"` sends the cookie on cross-site requests, but `{secure_name}` is not True: browsers drop such cookies or send them over plain HTTP",
                        setting.name
                    ),
                );
                cx.report(finding);
            }
        }
    }
}

fn flag_message(name: &str, what: &str, confidence: Confidence) -> String {
    let effect = if what == "Secure" {
        "the cookie is also sent over plain HTTP, where anyone on the path can take the session"
    } else {
        "page scripts can read the cookie, so any XSS flaw steals the session"
    };
    match confidence {
        Confidence::High => format!("`{name} = False`: {effect}"),
        _ => format!("`{name}` defaults to False when the environment does not set it: {effect}"),
    }
}

/// `app.config["SESSION_COOKIE_SECURE"] = False`
fn check_config_item(assignment: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(left), Some(right)) = (
        assignment.child_by_field_id(*field::LEFT),
        assignment.child_by_field_id(*field::RIGHT),
    ) else {
        return;
    };
    if left.kind() != "subscript" || !is_config_object(model, left.child_by_field_id(*field::VALUE)) {
        return;
    }
    let Some(key) = left
        .child_by_field_id(*field::SUBSCRIPT)
        .and_then(|k| string_value(model, k))
    else {
        return;
    };
    let Some(what) = flag_value(&key) else {
        return;
    };
    if under_debug(model, assignment) || deployment_role(&cx.file.path) != NameRole::Deployed {
        return;
    }
    if let Some(confidence) = turns_off(model, right) {
        let finding = Finding::new(
            &META,
            cx.span(assignment),
            flag_message(&key, what, confidence),
        )
        .with_confidence(confidence);
        cx.report(finding);
    }
}

/// `app.config`, `self.config`, `application.config` …
fn is_config_object(model: &Model<'_>, node: Option<Node<'_>>) -> bool {
    node.filter(|n| matches!(n.kind(), "identifier" | "attribute"))
        .map(|n| model.text(n))
        .is_some_and(|d| d == "config" || d.ends_with(".config"))
}

fn check_call(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    if function.kind() != "attribute" {
        return;
    }
    let (Some(object), Some(method)) = (
        function.child_by_field_id(*field::OBJECT),
        function.child_by_field_id(*field::ATTRIBUTE),
    ) else {
        return;
    };
    let deployed = || deployment_role(&cx.file.path) == NameRole::Deployed;
    match model.text(method) {
        "update" | "from_mapping" if is_config_object(model, Some(object)) && deployed() => {
            check_config_update(call, cx)
        }
        "set_cookie" | "set_signed_cookie"
            if WEB_FRAMEWORKS.iter().any(|f| model.imports_package(f)) && deployed() =>
        {
            check_set_cookie(call, cx)
        }
        _ => {}
    }
}

/// `app.config.update(SESSION_COOKIE_SECURE=False)` / `.update({"…": False})`.
fn check_config_update(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    if under_debug(model, call) {
        return;
    }
    let mut entries: Vec<(String, Node<'_>)> = Vec::new();
    if let Some(arguments) = call.child_by_field_id(*field::ARGUMENTS) {
        let mut cursor = arguments.walk();
        for argument in arguments.named_children(&mut cursor) {
            match argument.kind() {
                "keyword_argument" => {
                    if let (Some(name), Some(value)) = (
                        argument.child_by_field_id(*field::NAME),
                        argument.child_by_field_id(*field::VALUE),
                    ) {
                        entries.push((model.text(name).to_string(), value));
                    }
                }
                _ => {
                    let value = follow(model, argument).0;
                    entries.extend(dict_entries(model, value));
                }
            }
        }
    }
    for (key, value) in &entries {
        if let Some(what) = flag_value(key)
            && let Some(confidence) = turns_off(model, *value)
        {
            let span = value.parent().map_or(cx.span(*value), |p| cx.span(p));
            let finding = Finding::new(&META, span, flag_message(key, what, confidence))
                .with_confidence(confidence);
            cx.report(finding);
        }
        if let Some((_, secure_name)) = SAMESITE_SETTINGS.iter().find(|(n, _)| n == key)
            && is_none_string(model, *value)
            && !entries
                .iter()
                .any(|(k, v)| k == secure_name && is_true(follow(model, *v).0))
        {
            let span = value.parent().map_or(cx.span(*value), |p| cx.span(p));
            let finding = Finding::new(
                &META,
                span,
                format!(
                    "`{key}` is \"None\" but `{secure_name}` is not True in the same configuration"
                ),
            );
            cx.report(finding);
        }
    }
}

/// What a cookie's name says about it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CookieKind {
    /// A session or credential: needs Secure and HttpOnly.
    Credential,
    /// A CSRF token: needs Secure; scripts must read it.
    Csrf,
    /// Anything else, or unknown.
    Other,
}

fn cookie_kind(name: &str) -> CookieKind {
    let lower = name.to_ascii_lowercase();
    let words = words(name);
    if lower.contains("csrf") || lower.contains("xsrf") {
        return CookieKind::Csrf;
    }
    let credential = ["session", "token", "jwt", "auth"]
        .iter()
        .any(|k| lower.contains(k))
        || words.iter().any(|w| {
            matches!(
                w.as_str(),
                "sid" | "sess" | "remember" | "refresh" | "credentials" | "apikey" | "bearer"
            )
        });
    if credential {
        CookieKind::Credential
    } else {
        CookieKind::Other
    }
}

fn check_set_cookie(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let name_node = keyword(model, call, "key")
        .or_else(|| keyword(model, call, "name"))
        .and_then(|k| k.child_by_field_id(*field::VALUE))
        .or_else(|| positional(call, 0));
    let Some(name_node) = name_node else {
        return;
    };
    let (resolved, _) = follow(model, name_node);
    let name = match string_value(model, resolved) {
        Some(s) => s,
        // `settings.SESSION_COOKIE_NAME`, `AUTH_COOKIE + "_sso"`: what names the name.
        None => model.text(name_node).to_string(),
    };
    let kind = cookie_kind(&name);
    if kind == CookieKind::Other {
        return;
    }
    let value_of = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| keyword(model, call, n))
            .and_then(|k| k.child_by_field_id(*field::VALUE))
    };
    let secure = value_of(&["secure"]);
    let httponly = value_of(&["httponly", "http_only"]);
    let samesite = value_of(&["samesite", "same_site"]);

    let mut explicit_off: Vec<&str> = Vec::new();
    if secure.is_some_and(|v| is_false(follow(model, v).0)) {
        explicit_off.push("secure=False");
    }
    if kind == CookieKind::Credential && httponly.is_some_and(|v| is_false(follow(model, v).0)) {
        explicit_off.push("httponly=False");
    }
    let secure_true = secure.is_some_and(|v| is_true(follow(model, v).0));
    if samesite.is_some_and(|v| is_none_string(model, v)) && !secure_true {
        explicit_off.push("samesite=\"None\" without secure=True");
    }
    if !explicit_off.is_empty() {
        let finding = Finding::new(
            &META,
            cx.span(call),
            format!(
                "cookie `{name}` is set with {}: {}",
                explicit_off.join(" and "),
                if explicit_off.iter().any(|o| o.starts_with("httponly")) {
                    "scripts can read it and it travels over plain HTTP"
                } else {
                    "it travels over plain HTTP, where anyone on the path can take it"
                }
            ),
        );
        cx.report(finding);
        return;
    }

    // Left out: the frameworks default both flags to off (Falcon excepted).
    if kind != CookieKind::Credential || model.imports_package("falcon") || has_keyword_splat(call)
    {
        return;
    }
    let mut missing = Vec::new();
    if secure.is_none() {
        missing.push("`secure=True`");
    }
    if httponly.is_none() {
        missing.push("`httponly=True`");
    }
    if missing.is_empty() {
        return;
    }
    let finding = Finding::new(
        &META,
        cx.span(call),
        format!(
            "cookie `{name}` is set without {}; both default to off, so it is readable by scripts or sent over plain HTTP",
            missing.join(" and ")
        ),
    )
    .with_confidence(Confidence::Medium);
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::{CookieKind, cookie_kind};

    #[test]
    fn cookie_names() {
        for name in [
            "sessionid",
            "session_id",
            "auth_token",
            "refresh",
            "remember_me",
            "SESSION_COOKIE_NAME",
            "jwt",
            "sid",
        ] {
            assert!(cookie_kind(name) == CookieKind::Credential, "{name}");
        }
        for name in [
            "theme",
            "cookie_consent",
            "cart_id",
            "ab_variant",
            "currency",
        ] {
            assert!(cookie_kind(name) == CookieKind::Other, "{name}");
        }
        assert!(cookie_kind("csrftoken") == CookieKind::Csrf);
    }
}
