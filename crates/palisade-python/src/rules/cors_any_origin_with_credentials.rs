//! Flags CORS set up to let any website make credentialed requests.
//!
//! ## What it checks
//! - flask-cors (and Sanic-CORS): `CORS(app, supports_credentials=True)` or
//!   `@cross_origin(supports_credentials=True)` whose `origins` is `"*"`, `r".*"`, a list
//!   containing one of those, or left at its default (`"*"`); also per-resource options in
//!   `resources={r"/api/*": {"origins": "*", "supports_credentials": True}}`;
//! - Starlette / FastAPI `CORSMiddleware` (through `app.add_middleware(...)`,
//!   `Middleware(CORSMiddleware, ...)` or wrapping an app) with `allow_credentials=True` and
//!   `allow_origins=["*"]`, or an `allow_origin_regex` that matches every origin (`".*"`,
//!   `"https?://.*"`);
//! - aiohttp-cors: a `ResourceOptions(allow_credentials=True)` registered for the origin
//!   `"*"`;
//! - django-cors-headers settings: `CORS_ALLOW_ALL_ORIGINS = True` (or the older
//!   `CORS_ORIGIN_ALLOW_ALL = True`), or a match-all entry in `CORS_ALLOWED_ORIGIN_REGEXES`,
//!   together with `CORS_ALLOW_CREDENTIALS = True` in the same module or settings class —
//!   reported at the allow-all line; likewise a Flask config with
//!   `CORS_SUPPORTS_CREDENTIALS = True` and `CORS_ORIGINS = "*"`;
//! - a hand-written handler that copies the request's `Origin` header (`request.headers
//!   .get("Origin")`, `request.META["HTTP_ORIGIN"]`) into `Access-Control-Allow-Origin`
//!   in a function that also sets `Access-Control-Allow-Credentials`, without checking the
//!   origin first (medium severity).
//!
//! Not reported: credentials with an explicit list of origins or a narrow regex; `"*"`
//! without credentials (browsers then send no cookies and the response is public anyway);
//! flask-cors with `send_wildcard=True` (it refuses to start with credentials); a reflected
//! origin that an `if` in the same function checks first; settings chosen only when `DEBUG`
//! is on, and settings files for tests or local development.
//!
//! ## Why it matters
//! CORS relaxes the same-origin policy. When a server allows credentials for every origin,
//! the libraries above do not send `*` (browsers would refuse it) but echo whatever origin
//! asked, so a page on any website can call the API with the visitor's session cookie and
//! read the answer: order history, addresses, API keys, CSRF tokens. It is the cross-site
//! equivalent of handing the session to whoever links to you.
//!
//! ## Example
//! ```python
//! from fastapi import FastAPI
//! from fastapi.middleware.cors import CORSMiddleware
//!
//! app = FastAPI()
//! app.add_middleware(
//!     CORSMiddleware,
//!     allow_origins=["*"],       # flagged together with the next line
//!     allow_credentials=True,
//! )
//! ```
//!
//! ## Remediation
//! List the origins that need credentialed access — your own front ends — explicitly:
//! `allow_origins=["https://shop.example.com"]`, `CORS_ALLOWED_ORIGINS = [...]`,
//! `CORS(app, origins=[...], supports_credentials=True)`. If the API is meant to be public,
//! keep `"*"` and turn credentials off, authenticating with a bearer token the calling page
//! must hold instead of cookies. When reflecting the origin by hand, compare it with an
//! allow list first and add `Vary: Origin`.
//!
//! ## References
//! - CWE-942: Permissive Cross-domain Policy with Untrusted Domains
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Web Security Testing Guide, "Testing Cross Origin Resource Sharing"
//! - MDN, "Cross-Origin Resource Sharing (CORS)", requests with credentials

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::model::Model;
use crate::settings::{
    Setting, SettingOp, dict_entries, enclosing_function, env_default, follow, is_true, keyword,
    keyword_value, last_name, positional, string_body, string_value, top_level_settings, walk,
};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity, Span};
use palisade_knowledge::roles::{NameRole, deployment_role, name_role};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/cors-any-origin-with-credentials",
    title: "CORS allows any origin with credentials",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[942],
    owasp: Owasp::A05,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("cors_any_origin_with_credentials.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call", "module", "class_definition", "assignment", "pair"],
    // Sound: nothing is reported without credentials switched on, and every switch spells them: `supports_credentials`, `allow_credentials`, `CORS_ALLOW_CREDENTIALS`, `CORS_SUPPORTS_CREDENTIALS`, `Access-Control-Allow-Credentials` (a header spelled in mixed case inside the word, `CrEdentials`, is not seen).
    needs_text: &["credentials", "Credentials", "CREDENTIALS"],
    text_test: None,
    check,
};

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match node.kind() {
        "call" => check_call(node, cx),
        "module" if deployment_role(&cx.file.path) == NameRole::Deployed => {
            let settings = top_level_settings(cx.model, node);
            check_settings(&settings, cx);
        }
        "class_definition" => {
            let name = node
                .child_by_field_id(*field::NAME)
                .map(|n| cx.model.text(n))
                .unwrap_or_default();
            if let Some(body) = node.child_by_field_id(*field::BODY)
                && assigns_cors_setting(cx.model, body)
                && name_role(name) == NameRole::Deployed
                && deployment_role(&cx.file.path) == NameRole::Deployed
            {
                let settings = top_level_settings(cx.model, body);
                check_settings(&settings, cx);
            }
        }
        "assignment" => check_header_assignment(node, cx),
        "pair" => check_header_pair(node, cx),
        _ => {}
    }
}

/// Whether a class body assigns a `CORS_…` name directly (a cheap filter for config classes).
fn assigns_cors_setting(model: &Model<'_>, body: Node<'_>) -> bool {
    let mut cursor = body.walk();
    body.named_children(&mut cursor).any(|statement| {
        statement.kind() == "expression_statement"
            && statement
                .named_child(0)
                .filter(|e| e.kind() == "assignment")
                .and_then(|a| a.child_by_field_id(*field::LEFT))
                .is_some_and(|l| model.text(l).starts_with("CORS_"))
    })
}

/// Whether a node is the plain string `Access-Control-Allow-Origin` (any case), without
/// allocating: it runs on every dictionary pair and subscript assignment.
fn is_allow_origin(model: &Model<'_>, node: Node<'_>) -> bool {
    string_body(model, node).is_some_and(|(body, _)| body.eq_ignore_ascii_case(ALLOW_ORIGIN))
}

/// Last names of the calls this rule looks at; anything else is skipped before resolving.
const CALL_NAMES: &[&str] = &[
    "CORS",
    "cross_origin",
    "ResourceOptions",
    "add_middleware",
    "Middleware",
    "set",
    "add",
    "setdefault",
    "add_header",
    "set_header",
    "__setitem__",
];

/// What an origins setting allows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origins {
    /// Every origin.
    Any,
    /// A known, narrower set.
    Listed,
    /// Not known from the source.
    Unknown,
}

/// Whether an origin string or regex matches every origin.
fn matches_everything(value: &str) -> bool {
    let v = value.trim().replace("\\/", "/");
    let v = v.trim_start_matches('^').trim_end_matches('$');
    matches!(
        v,
        "*" | ".*"
            | ".+"
            | "(.*)"
            | "https?://.*"
            | "https?://.+"
            | "https://.*"
            | "https://.+"
            | "http.*"
            | "https?://(.*)"
            | "https?://[^/]+"
            | "https?://[^/]*"
    )
}

fn classify_origins(model: &Model<'_>, value: Node<'_>) -> Origins {
    let value = follow(model, value).0;
    if let Some(s) = string_value(model, value) {
        return if matches_everything(&s) {
            Origins::Any
        } else {
            Origins::Listed
        };
    }
    if matches!(value.kind(), "list" | "tuple" | "set") {
        let mut all_known = true;
        let mut cursor = value.walk();
        for element in value.named_children(&mut cursor) {
            match string_value(model, follow(model, element).0) {
                Some(s) if matches_everything(&s) => return Origins::Any,
                Some(_) => {}
                None => all_known = false,
            }
        }
        return if all_known {
            Origins::Listed
        } else {
            Origins::Unknown
        };
    }
    Origins::Unknown
}

/// Whether a value is `True`, literally or through a name assigned `True` once.
fn truthy(model: &Model<'_>, value: Node<'_>) -> bool {
    is_true(follow(model, value).0)
}

fn check_call(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let name = last_name(model, function);
    if !CALL_NAMES.contains(&name) && !name.contains("CORS") {
        return;
    }
    if deployment_role(&cx.file.path) == NameRole::Test {
        return;
    }
    let resolved = model.resolve(function).unwrap_or_default();
    match resolved.as_str() {
        "flask_cors.CORS"
        | "flask_cors.extension.CORS"
        | "flask_cors.cross_origin"
        | "flask_cors.decorator.cross_origin"
        | "sanic_cors.CORS"
        | "sanic_cors.cross_origin" => return check_flask_cors(call, cx),
        "aiohttp_cors.ResourceOptions" => return check_aiohttp_cors(call, cx),
        _ => {}
    }
    let is_cors_middleware = |n: Node<'_>| {
        model
            .resolve(n)
            .or_else(|| model.dotted(n))
            .is_some_and(|r| r.ends_with("CORSMiddleware"))
    };
    let method = (function.kind() == "attribute")
        .then(|| function.child_by_field_id(*field::ATTRIBUTE))
        .flatten()
        .map(|a| model.text(a));
    let wraps_middleware = method == Some("add_middleware")
        || resolved.ends_with("middleware.Middleware")
        || resolved == "starlette.middleware.Middleware";
    if (wraps_middleware && positional(call, 0).is_some_and(is_cors_middleware))
        || is_cors_middleware(function)
    {
        return check_starlette(call, cx);
    }
    if matches!(
        method,
        Some("set" | "add" | "setdefault" | "add_header" | "set_header" | "__setitem__")
    ) && let (Some(name), Some(value)) = (positional(call, 0), positional(call, 1))
        && is_allow_origin(model, name)
    {
        check_reflection(call, value, cx);
    }
}

fn check_flask_cors(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    if keyword_value(model, call, "send_wildcard").is_some_and(|v| truthy(model, v)) {
        return; // flask-cors raises at start-up for credentials with a sent wildcard
    }
    let credentials = keyword(model, call, "supports_credentials").filter(|k| {
        k.child_by_field_id(*field::VALUE)
            .is_some_and(|v| truthy(model, v))
    });
    let origins_node = keyword_value(model, call, "origins");
    let origins = origins_node.map_or(Origins::Any, |o| classify_origins(model, o));

    let resources = keyword_value(model, call, "resources").map(|r| follow(model, r).0);
    if let Some(resources) = resources.filter(|r| r.kind() == "dictionary") {
        let mut cursor = resources.walk();
        for pair in resources.named_children(&mut cursor) {
            let Some(options) = pair
                .child_by_field_id(*field::VALUE)
                .map(|v| follow(model, v).0)
                .filter(|v| v.kind() == "dictionary")
            else {
                continue;
            };
            let entries = dict_entries(model, options);
            let get = |k: &str| entries.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
            let resource_credentials = match get("supports_credentials") {
                Some(v) => truthy(model, v),
                None => credentials.is_some(),
            };
            let resource_origins = get("origins").map_or(origins, |o| classify_origins(model, o));
            if resource_credentials && resource_origins == Origins::Any {
                let path = pair
                    .child_by_field_id(*field::KEY)
                    .map(|k| model.text(k))
                    .unwrap_or_default();
                let finding = Finding::new(
                    &META,
                    cx.span(pair),
                    format!(
                        "flask-cors allows credentials from any origin for {path}: it echoes each caller's Origin, so any website can read these responses with the visitor's cookies"
                    ),
                );
                cx.report(finding);
            }
        }
        return;
    }

    let Some(credentials) = credentials else {
        return;
    };
    if origins != Origins::Any {
        return;
    }
    let how = match origins_node {
        Some(o) => format!("origins={}", model.text(o)),
        None => "no `origins` (default `*`)".to_string(),
    };
    let finding = Finding::new(
        &META,
        cx.span(call),
        format!(
            "flask-cors with `supports_credentials=True` and {how} echoes each caller's Origin, so any website can read responses with the visitor's cookies"
        ),
    )
    .with_related(cx.span(credentials), "credentials allowed here");
    cx.report(finding);
}

fn check_starlette(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(credentials) = keyword(model, call, "allow_credentials").filter(|k| {
        k.child_by_field_id(*field::VALUE)
            .is_some_and(|v| truthy(model, v))
    }) else {
        return;
    };
    let origins = keyword(model, call, "allow_origins").filter(|k| {
        k.child_by_field_id(*field::VALUE)
            .is_some_and(|v| classify_origins(model, v) == Origins::Any)
    });
    let regex = keyword(model, call, "allow_origin_regex").filter(|k| {
        k.child_by_field_id(*field::VALUE)
            .and_then(|v| string_value(model, follow(model, v).0))
            .is_some_and(|r| matches_everything(&r))
    });
    let Some(culprit) = origins.or(regex) else {
        return;
    };
    let finding = Finding::new(
        &META,
        cx.span(call),
        format!(
            "CORSMiddleware with `{}` and `allow_credentials=True` echoes each caller's Origin when it sends cookies, so any website can read responses with the visitor's session",
            model.text(culprit)
        ),
    )
    .with_related(cx.span(culprit), "every origin allowed here")
    .with_related(cx.span(credentials), "credentials allowed here");
    cx.report(finding);
}

fn check_aiohttp_cors(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    if !keyword_value(model, call, "allow_credentials").is_some_and(|v| truthy(model, v)) {
        return;
    }
    let Some(pair) = call.parent().filter(|p| p.kind() == "pair") else {
        return;
    };
    let star = pair
        .child_by_field_id(*field::KEY)
        .and_then(|k| string_value(model, k))
        .is_some_and(|k| k == "*");
    if star {
        let finding = Finding::new(
            &META,
            cx.span(pair),
            "aiohttp-cors allows credentials for the origin `*`: any website can read responses with the visitor's cookies",
        );
        cx.report(finding);
    }
}

/// django-cors-headers (module or django-configurations class) and flask-cors config keys.
fn check_settings(settings: &[Setting<'_>], cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let effective = |names: &[&str]| -> Option<(Setting<'_>, bool)> {
        // The last plain assignment wins; development-only branches do not count.
        let chosen = settings
            .iter()
            .rev()
            .find(|s| names.contains(&s.name) && s.op == SettingOp::Assign && !s.debug_only)?;
        let value = follow(model, chosen.value).0;
        if is_true(value) {
            return Some((*chosen, false));
        }
        let default = env_default(model, value).map(|d| follow(model, d).0);
        default.filter(|d| is_true(*d)).map(|_| (*chosen, true))
    };
    let Some((credentials, _)) = effective(&["CORS_ALLOW_CREDENTIALS"])
        .or_else(|| effective(&["CORS_SUPPORTS_CREDENTIALS"]))
    else {
        return;
    };

    let mut culprits: Vec<(Setting<'_>, bool)> = Vec::new();
    if let Some(all) = effective(&["CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"]) {
        culprits.push(all);
    }
    for name in [
        "CORS_ALLOWED_ORIGIN_REGEXES",
        "CORS_ORIGIN_REGEX_WHITELIST",
        "CORS_ORIGINS",
    ] {
        if let Some(setting) = settings
            .iter()
            .rev()
            .find(|s| s.name == name && !s.debug_only)
            && classify_origins(model, setting.value) == Origins::Any
        {
            culprits.push((*setting, false));
        }
    }
    for (culprit, from_default) in culprits {
        let mut finding = Finding::new(
            &META,
            cx.span(culprit.node),
            format!(
                "`{}` together with `{} = True` makes the CORS middleware echo any origin with credentials: any website can read responses with the visitor's session",
                model.text(culprit.node).lines().next().unwrap_or_default().trim(),
                credentials.name
            ),
        )
        .with_related(cx.span(credentials.node), "credentials allowed here");
        if from_default {
            finding = finding.with_confidence(Confidence::Medium);
        }
        cx.report(finding);
    }
}

const ALLOW_ORIGIN: &str = "Access-Control-Allow-Origin";
const ALLOW_CREDENTIALS: &str = "Access-Control-Allow-Credentials";

/// `response.headers["Access-Control-Allow-Origin"] = origin` / `response[...] = ...`.
fn check_header_assignment(assignment: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(left), Some(right)) = (
        assignment.child_by_field_id(*field::LEFT),
        assignment.child_by_field_id(*field::RIGHT),
    ) else {
        return;
    };
    if left.kind() != "subscript" {
        return;
    }
    let is_header = left
        .child_by_field_id(*field::SUBSCRIPT)
        .is_some_and(|k| is_allow_origin(model, k));
    if is_header {
        check_reflection(assignment, right, cx);
    }
}

/// `{"Access-Control-Allow-Origin": origin, ...}` in a headers dictionary.
fn check_header_pair(pair: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(key), Some(value)) = (
        pair.child_by_field_id(*field::KEY),
        pair.child_by_field_id(*field::VALUE),
    ) else {
        return;
    };
    if is_allow_origin(model, key) {
        check_reflection(pair, value, cx);
    }
}

/// Reports `at` when `value` is the request's Origin header, the function also allows
/// credentials, and no condition in the function looks at the origin.
fn check_reflection(at: Node<'_>, value: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    if deployment_role(&cx.file.path) == NameRole::Test {
        return;
    }
    let (origin, definition) = follow(model, value);
    if !is_request_origin(model, origin) {
        return;
    }
    let Some(function) = enclosing_function(at) else {
        return;
    };
    let variable = (value.kind() == "identifier").then(|| model.text(value));
    let mut checked = false;
    let mut credentials: Option<Span> = None;
    walk(function, &mut |n| {
        match n.kind() {
            "if_statement"
            | "elif_clause"
            | "while_statement"
            | "conditional_expression"
            | "assert_statement" => {
                let condition = match n.kind() {
                    "conditional_expression" => n.named_child(1),
                    "assert_statement" => n.named_child(0),
                    _ => n.child_by_field_id(*field::CONDITION),
                };
                if let Some(condition) = condition
                    && looks_at_origin(model, condition, variable)
                {
                    checked = true;
                }
            }
            "string"
                if credentials.is_none()
                    && string_value(model, n)
                        .is_some_and(|s| s.eq_ignore_ascii_case(ALLOW_CREDENTIALS)) =>
            {
                credentials = Some(cx.span(n));
            }
            _ => {}
        }
        true
    });
    let Some(credentials) = credentials else {
        return;
    };
    if checked {
        return;
    }
    let mut finding = Finding::new(
        &META,
        cx.span(at),
        "`Access-Control-Allow-Origin` is copied from the request's Origin header while credentials are allowed: any website can read this response with the visitor's cookies",
    )
    .with_severity(Severity::Medium)
    .with_related(credentials, "credentials allowed here");
    if let Some(definition) = definition {
        finding = finding.with_related(cx.span(definition), "the Origin header, unchecked");
    }
    cx.report(finding);
}

/// `request.headers.get("Origin")`, `request.headers["origin"]`,
/// `request.META.get("HTTP_ORIGIN")`, `environ["HTTP_ORIGIN"]`, optionally `… or "*"`.
fn is_request_origin(model: &Model<'_>, node: Node<'_>) -> bool {
    let is_origin_key = |k: Node<'_>| {
        string_value(model, k).is_some_and(|k| {
            k.eq_ignore_ascii_case("origin") || k.eq_ignore_ascii_case("http_origin")
        })
    };
    let is_header_map = |o: Node<'_>| {
        model.dotted(o).is_some_and(|d| {
            let last = d.rsplit('.').next().unwrap_or(&d);
            matches!(last, "headers" | "META" | "environ")
        })
    };
    match node.kind() {
        "call" => {
            let Some(function) = node.child_by_field_id(*field::FUNCTION) else {
                return false;
            };
            function.kind() == "attribute"
                && function
                    .child_by_field_id(*field::ATTRIBUTE)
                    .is_some_and(|a| model.text(a) == "get")
                && function
                    .child_by_field_id(*field::OBJECT)
                    .is_some_and(is_header_map)
                && positional(node, 0).is_some_and(is_origin_key)
        }
        "subscript" => {
            node.child_by_field_id(*field::VALUE).is_some_and(is_header_map)
                && node
                    .child_by_field_id(*field::SUBSCRIPT)
                    .is_some_and(is_origin_key)
        }
        "boolean_operator" => node
            .child_by_field_id(*field::LEFT)
            .is_some_and(|l| is_request_origin(model, l)),
        _ => false,
    }
}

/// Whether a condition inspects the origin: mentions the variable holding it, or reads the
/// Origin header itself. A mere presence test (`if origin:`, `if origin is not None:`) checks
/// nothing.
fn looks_at_origin(model: &Model<'_>, condition: Node<'_>, variable: Option<&str>) -> bool {
    let mut inner = condition;
    while matches!(inner.kind(), "parenthesized_expression" | "not_operator") {
        match inner.named_child(0) {
            Some(child) => inner = child,
            None => break,
        }
    }
    let presence_only = match inner.kind() {
        "identifier" => true,
        "comparison_operator" => {
            let text = model.text(inner);
            inner.named_child_count() == 2
                && inner.named_child(1).is_some_and(|r| r.kind() == "none")
                && (text.contains(" is ") || text.contains("=="))
        }
        _ => false,
    };
    if presence_only || is_request_origin(model, inner) {
        return false;
    }
    let mut found = false;
    walk(condition, &mut |n| {
        if found {
            return false;
        }
        if (n.kind() == "identifier" && Some(model.text(n)) == variable)
            || is_request_origin(model, n)
        {
            found = true;
        }
        true
    });
    found
}
