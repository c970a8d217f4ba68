//! Flags web frameworks switched to debug mode in code that may be deployed.
//!
//! ## What it checks
//! - Flask (and apps built on it: Flask-SocketIO, Dash, Quart): `app.run(debug=True)`,
//!   `app.debug = True`, `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)` /
//!   `from_mapping(DEBUG=True)`. The receiver is traced to `flask.Flask(...)` (high
//!   confidence); an untraced `.run(debug=True)` is reported with medium confidence when the
//!   file imports one of these frameworks or the object comes from an app factory
//!   (`create_app()`, `make_app()`). With an explicit loopback host
//!   (`app.run(debug=True, host="127.0.0.1")`, a development server script) the confidence
//!   is low: only the machine it runs on reaches the debugger.
//! - Werkzeug: `run_simple(..., use_debugger=True)` and `DebuggedApplication(app)` (the
//!   interactive console when `evalex=True`).
//! - Django: a module-level `DEBUG = True` in a settings module — `settings.py`, a file in a
//!   `settings/` package, a `*settings*.py`, or any module defining `INSTALLED_APPS`,
//!   `MIDDLEWARE` or `ROOT_URLCONF` — and `settings.configure(DEBUG=True)`. `DEBUG` read from
//!   the environment with a default that is on (`env.bool("DEBUG", default=True)`,
//!   `config("DEBUG", default=True, cast=bool)`, a project helper `env_bool("DEBUG", True)`,
//!   a converter around a lookup `strtobool(os.getenv("DEBUG", "true"))`, or a comparison
//!   the default passes, `os.environ.get("DEBUG", "True") == "True"`) is reported with
//!   medium confidence: a deployment that forgets the variable runs in debug mode.
//! - aiohttp: `aiohttp_debugtoolbar.setup(app)`, and `web.Application(debug=True)` with medium
//!   severity (aiohttp's `run_app` has no `debug` argument);
//! - FastAPI and Starlette: `FastAPI(debug=True)`, `Starlette(debug=True)`.
//!
//! How settings flavours are treated: test settings (`settings/test.py`, `test_settings.py`,
//! `settings_test.py`, and anything under `tests/`) are not reported, because Django's test
//! runner forces `DEBUG = False` whatever they say and test code is never served.
//! Development settings (`settings/local.py`, `settings/dev.py`, `dev_settings.py`) are
//! reported with low confidence — debug mode is their purpose, the risk is a deployment
//! pointing at them. A shared `settings/base.py` is reported with medium confidence, as the
//! deployed module usually overrides it.
//!
//! Not reported: `debug=` values that are not the constant `True` (`app.run(debug=args.debug)`,
//! `DEBUG = os.environ.get("DEBUG") == "1"`), `debug=True` on unrelated calls
//! (`logging`, pytest, your own functions), `loop.set_debug(True)` (asyncio's own checks,
//! nothing is exposed to clients), and `DEBUG = True` attributes of Flask configuration
//! classes.
//!
//! ## Why it matters
//! Debug mode is made for a developer's machine. Werkzeug's debugger (Flask's debug mode)
//! serves an interactive Python console in the browser on any error: whoever reaches it —
//! or guesses or leaks its PIN — runs code on the server. Django's debug pages show settings,
//! installed apps, SQL queries and stack frames with local variables to anyone who triggers
//! an error, and debug mode keeps every query in memory. Starlette and FastAPI return
//! tracebacks to the client. All of these hand an attacker a map of the application.
//!
//! ## Example
//! ```python
//! from flask import Flask
//!
//! app = Flask(__name__)
//!
//! if __name__ == "__main__":
//!     # Flagged: the Werkzeug debugger (a remote Python console) is on.
//!     app.run(host="0.0.0.0", port=8000, debug=True)
//! ```
//!
//! ## Remediation
//! Read debug mode from the environment with a safe default, and keep it off wherever the
//! app is deployed: `app.run(debug=os.environ.get("FLASK_DEBUG") == "1")`, or better, run a
//! production server (gunicorn, uWSGI) and enable debugging with `flask run --debug` only on
//! a workstation. In Django, set `DEBUG = env.bool("DJANGO_DEBUG", default=False)` in the
//! settings that deployments use and keep `DEBUG = True` in a local settings module that is
//! never deployed.
//!
//! ## References
//! - CWE-489: Active Debug Code
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - Flask documentation, "Debugging Application Errors" (never use the debugger in production)
//! - Django documentation, deployment checklist: `DEBUG`

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::env_defaults::defaults_on;
use crate::model::{MODULE, scope_of};
use crate::settings::django_settings_flavor;
use crate::values::{
    assigned_from_call, constructed_by, enclosing_class, keyword_value, literal_bool,
    literal_string, method_call,
};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::hosts::is_loopback;
use palisade_knowledge::roles::{SettingsFlavor, is_test_code};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/debug-mode-enabled",
    title: "Web framework debug mode enabled",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[489],
    owasp: Owasp::A05,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("debug_mode_enabled.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call", "assignment"],
    // Sound: every switch it reports spells debug: `debug=`, `DEBUG`, `use_debugger`, `DebuggedApplication`, `aiohttp_debugtoolbar`.
    needs_text: &["debug", "DEBUG", "Debug"],
    text_test: None,
    check,
};

/// Constructors of Flask-based apps whose `.run(debug=True)` starts the Werkzeug debugger.
const FLASK_APPS: &[&str] = &[
    "flask.Flask",
    "flask.app.Flask",
    "flask_socketio.SocketIO",
    "dash.Dash",
    "quart.Quart",
];

/// Packages whose presence makes an untraced `x.run(debug=True)` a likely Flask app.
const FLASK_PACKAGES: &[&str] = &["flask", "flask_socketio", "dash", "quart"];

/// Conventional names of Flask application factories.
const FACTORIES: &[&str] = &["create_app", "make_app", "get_app"];

/// Frameworks whose constructor takes `debug=`: (name, what it does, severity).
const DEBUG_CONSTRUCTORS: &[(&str, &str, Severity)] = &[
    (
        "fastapi.FastAPI",
        "FastAPI returns tracebacks to clients",
        Severity::High,
    ),
    (
        "fastapi.applications.FastAPI",
        "FastAPI returns tracebacks to clients",
        Severity::High,
    ),
    (
        "starlette.applications.Starlette",
        "Starlette returns tracebacks to clients",
        Severity::High,
    ),
    (
        "aiohttp.web.Application",
        "aiohttp runs in development mode (verbose errors, extra runtime checks), which is not meant for deployment",
        Severity::Medium,
    ),
    (
        "aiohttp.web_app.Application",
        "aiohttp runs in development mode (verbose errors, extra runtime checks), which is not meant for deployment",
        Severity::Medium,
    ),
];

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match node.kind() {
        "call" => check_call(node, cx),
        "assignment" => check_assignment(node, cx),
        _ => {}
    }
}

/// Reports `finding` unless the file is test code (never served).
fn emit(finding: Finding, cx: &mut RuleContext<'_, '_>) {
    if !is_test_code(&cx.file.path) {
        cx.report(finding);
    }
}

fn imports_flask(cx: &RuleContext<'_, '_>) -> bool {
    FLASK_PACKAGES.iter().any(|p| cx.model.imports_package(p))
}

/// How sure we are that `receiver` is a Flask-style app: `None` when it is not one.
fn flask_app(receiver: Node<'_>, cx: &RuleContext<'_, '_>) -> Option<Confidence> {
    let model = cx.model;
    if let Some(constructor) = constructed_by(model, receiver) {
        if FLASK_APPS.contains(&constructor.as_str()) {
            return Some(Confidence::High);
        }
        let last = constructor.rsplit('.').next().unwrap_or(&constructor);
        return FACTORIES.contains(&last).then_some(Confidence::Medium);
    }
    if model
        .resolve(receiver)
        .is_some_and(|r| r == "flask.current_app")
    {
        return Some(Confidence::High);
    }
    let factory = assigned_from_call(model, receiver).is_some_and(|f| {
        let last = f.rsplit('.').next().unwrap_or(&f);
        FACTORIES.contains(&last)
    });
    let named_app = model
        .dotted(receiver)
        .is_some_and(|d| d == "app" || d == "application" || d.ends_with("_app"));
    if factory || (imports_flask(cx) && named_app) {
        return Some(Confidence::Medium);
    }
    None
}

/// A `debug`-style keyword holding `True` (literally or through a constant): the keyword
/// node and the definition it came through.
fn true_keyword<'t>(
    call: Node<'t>,
    name: &str,
    cx: &RuleContext<'t, '_>,
) -> Option<(Node<'t>, Option<Node<'t>>)> {
    let value = keyword_value(cx.model, call, name)?;
    match literal_bool(cx.model, value)? {
        (true, via) => Some((value.parent()?, via)),
        (false, _) => None,
    }
}

fn report(
    node: Node<'_>,
    via: Option<Node<'_>>,
    confidence: Confidence,
    message: String,
    cx: &mut RuleContext<'_, '_>,
) {
    let mut finding = Finding::new(&META, cx.span(node), message).with_confidence(confidence);
    if let Some(definition) = via {
        finding = finding.with_related(cx.span(definition), "the constant `True` comes from here");
    }
    emit(finding, cx);
}

fn check_call(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let resolved = model.resolve(function).unwrap_or_default();

    match resolved.as_str() {
        "werkzeug.serving.run_simple" | "werkzeug.run_simple" => {
            if let Some((keyword, via)) = true_keyword(call, "use_debugger", cx) {
                report(
                    keyword,
                    via,
                    Confidence::High,
                    "`run_simple(..., use_debugger=True)` serves the Werkzeug debugger, which can run Python code sent by a client".to_string(),
                    cx,
                );
            }
            return;
        }
        "werkzeug.debug.DebuggedApplication" | "werkzeug.DebuggedApplication" => {
            let console = true_keyword(call, "evalex", cx).is_some();
            let (message, severity) = if console {
                (
                    "`DebuggedApplication(..., evalex=True)` serves an interactive Python console to whoever triggers an error",
                    Severity::High,
                )
            } else {
                (
                    "`DebuggedApplication` shows tracebacks with source and local variables to whoever triggers an error",
                    Severity::Medium,
                )
            };
            let finding = Finding::new(&META, cx.span(call), message).with_severity(severity);
            emit(finding, cx);
            return;
        }
        "aiohttp_debugtoolbar.setup" => {
            let finding = Finding::new(
                &META,
                cx.span(call),
                "`aiohttp_debugtoolbar.setup(app)` installs the debug toolbar, which exposes requests, settings and an interactive traceback to clients",
            );
            emit(finding, cx);
            return;
        }
        "django.conf.settings.configure" => {
            if let Some((keyword, via)) = true_keyword(call, "DEBUG", cx) {
                report(
                    keyword,
                    via,
                    Confidence::High,
                    "`settings.configure(DEBUG=True)` runs Django in debug mode: error pages show settings, SQL and local variables".to_string(),
                    cx,
                );
            }
            return;
        }
        _ => {}
    }
    if let Some((_, why, severity)) = DEBUG_CONSTRUCTORS.iter().find(|(n, ..)| *n == resolved) {
        if let Some((keyword, via)) = true_keyword(call, "debug", cx) {
            let callee = model.text(function);
            let mut finding = Finding::new(
                &META,
                cx.span(keyword),
                format!("`{callee}(debug=True)`: {why}"),
            )
            .with_severity(*severity);
            if let Some(definition) = via {
                finding = finding
                    .with_related(cx.span(definition), "the constant `True` comes from here");
            }
            emit(finding, cx);
        }
        return;
    }

    let Some((method, receiver)) = method_call(model, call) else {
        return;
    };
    match method {
        "run" | "run_server" => {
            let Some((keyword, via)) = true_keyword(call, "debug", cx) else {
                return;
            };
            let Some(mut confidence) = flask_app(receiver, cx) else {
                return;
            };
            // `host="127.0.0.1"` written out: the developer's own server, which only this
            // machine reaches (the debugger's PIN guards the rest).
            if keyword_value(model, call, "host")
                .and_then(|host| literal_string(model, host))
                .is_some_and(|host| is_loopback(&host))
            {
                confidence = Confidence::Low;
            }
            let receiver_text = model.text(receiver);
            report(
                keyword,
                via,
                confidence,
                format!(
                    "`{receiver_text}.{method}(debug=True)` starts the Werkzeug debugger, which lets whoever sees an error page run Python code on the server"
                ),
                cx,
            );
        }
        "update" | "from_mapping" => {
            if !is_flask_config(receiver, cx) {
                return;
            }
            if let Some((keyword, via)) = true_keyword(call, "DEBUG", cx) {
                report(
                    keyword,
                    via,
                    Confidence::High,
                    format!(
                        "`{}(DEBUG=True)` turns on Flask's debug mode",
                        model.text(function)
                    ),
                    cx,
                );
            }
        }
        _ => {}
    }
}

/// Whether `node` is a Flask app's `config` (`app.config`, `current_app.config`).
fn is_flask_config(node: Node<'_>, cx: &RuleContext<'_, '_>) -> bool {
    if node.kind() != "attribute" {
        return false;
    }
    let (Some(object), Some(attribute)) = (
        node.child_by_field_id(*field::OBJECT),
        node.child_by_field_id(*field::ATTRIBUTE),
    ) else {
        return false;
    };
    cx.model.text(attribute) == "config" && (flask_app(object, cx).is_some() || imports_flask(cx))
}

fn check_assignment(assignment: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(left), Some(mut right)) = (
        assignment.child_by_field_id(*field::LEFT),
        assignment.child_by_field_id(*field::RIGHT),
    ) else {
        return;
    };
    // `DEBUG = TEMPLATE_DEBUG = True`: the value is at the end of the chain.
    while right.kind() == "assignment" {
        match right.child_by_field_id(*field::RIGHT) {
            Some(r) => right = r,
            None => return,
        }
    }
    match left.kind() {
        "attribute" => {
            let (Some(object), Some(attribute)) = (
                left.child_by_field_id(*field::OBJECT),
                left.child_by_field_id(*field::ATTRIBUTE),
            ) else {
                return;
            };
            if model.text(attribute) != "debug" {
                return;
            }
            let Some((true, via)) = literal_bool(model, right) else {
                return;
            };
            let Some(confidence) = flask_app(object, cx) else {
                return;
            };
            report(
                assignment,
                via,
                confidence,
                format!(
                    "`{} = True` turns on Flask's debug mode and the Werkzeug debugger",
                    model.text(left)
                ),
                cx,
            );
        }
        "subscript" => {
            let (Some(object), Some(key)) = (
                left.child_by_field_id(*field::VALUE),
                left.child_by_field_id(*field::SUBSCRIPT),
            ) else {
                return;
            };
            if literal_string(model, key).as_deref() != Some("DEBUG")
                || !is_flask_config(object, cx)
            {
                return;
            }
            let Some((true, via)) = literal_bool(model, right) else {
                return;
            };
            report(
                assignment,
                via,
                Confidence::High,
                format!(
                    "`{}[\"DEBUG\"] = True` turns on Flask's debug mode",
                    model.text(object)
                ),
                cx,
            );
        }
        "identifier" if model.text(left) == "DEBUG" => check_django_debug(assignment, right, cx),
        _ => {}
    }
}

fn check_django_debug(assignment: Node<'_>, right: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    if scope_of(assignment) != MODULE || enclosing_class(assignment).is_some() {
        return;
    }
    let Some(flavor) = django_settings_flavor(&cx.file.path, model) else {
        return;
    };
    let (confidence, whose) = match flavor {
        SettingsFlavor::Test => return,
        SettingsFlavor::Development => (
            Confidence::Low,
            "development settings: make sure no deployment uses this module",
        ),
        SettingsFlavor::Base => (
            Confidence::Medium,
            "shared base settings: every deployment that does not override it runs in debug mode",
        ),
        SettingsFlavor::Main => (
            Confidence::High,
            "error pages show settings, SQL queries and local variables to anyone",
        ),
    };
    if let Some((true, via)) = literal_bool(model, right) {
        report(
            assignment,
            via,
            confidence,
            format!("`DEBUG = True` in a settings module ({whose})"),
            cx,
        );
        return;
    }
    // `DEBUG = env.bool("DJANGO_DEBUG", default=True)`: on unless the deployment says otherwise.
    if defaults_on(model, right) {
        let confidence = match confidence {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        };
        let finding = Finding::new(
            &META,
            cx.span(assignment),
            "Django `DEBUG` defaults to `True` when the environment does not set it, so a deployment that forgets the variable runs in debug mode",
        )
        .with_confidence(confidence);
        emit(finding, cx);
    }
}

