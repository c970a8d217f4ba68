//! Flags framework signing secrets (Django/Flask `SECRET_KEY`, JWT keys) written in the source.
//!
//! ## What it checks
//! A string literal (or bytes literal) given to a secret that signs sessions, cookies,
//! password-reset links or tokens:
//! - `SECRET_KEY`, `JWT_SECRET`, `JWT_SECRET_KEY`, `WTF_CSRF_SECRET_KEY` assigned a literal
//!   (Django settings, Flask configuration modules and classes), and `SECRET_KEY_FALLBACKS`
//!   lists of literals; the `SIGNING_KEY` entry of djangorestframework-simplejwt's
//!   `SIMPLE_JWT` dictionary;
//! - Flask: `app.secret_key = "..."`, `app.config["SECRET_KEY"] = "..."` (also
//!   `JWT_SECRET_KEY`), `app.config.update(SECRET_KEY="...")` / `from_mapping(...)` /
//!   `update({...})`; Django `settings.configure(SECRET_KEY="...")`;
//! - the key argument of PyJWT / python-jose `jwt.encode(...)` and `jwt.decode(...)` when it
//!   is a literal or a name that holds one (`SECRET = "..."` used as `jwt.encode(p, SECRET)`),
//!   itsdangerous serializers and signers built with a literal secret, Starlette's
//!   `SessionMiddleware(secret_key="...")`;
//! - with medium confidence, a literal *fallback* for a secret read from the environment
//!   (`os.environ.get("SECRET_KEY", "dev-key")`, `env("SECRET_KEY", default="...")`,
//!   decouple's `config("SECRET_KEY", default="...")`, a project helper such as
//!   `get_env_variable("SECRET_KEY", "...")` when the literal could be a working key) and a
//!   literal default on a
//!   pydantic `BaseSettings` field named `secret_key`: a deployment that forgets the
//!   variable silently signs with a key published in the repository;
//! - with medium confidence, other signing and service secrets: UPPER_CASE constants (or
//!   their environment fallbacks) named `HMAC_KEY`, `SIGNING_KEY`, `*_SECRET_KEY`,
//!   `WEBHOOK_SECRET`, `CLIENT_SECRET`, holding a literal long and random enough to be a
//!   key (placeholders such as `changeme` or `<your-secret>`, and values that are the name
//!   of a variable, are left alone).
//!
//! Decisions: weak placeholders that still work as keys (`"changeme"`, `"secret"`,
//! Django's `"django-insecure-…"`) are reported — they are the weakest keys of all. The
//! empty string is not reported (frameworks refuse to sign with it). Test code (`tests/`,
//! `test_*.py`, `conftest.py`), test settings (`settings/test.py`, `test_settings.py`) and
//! configuration classes named `Test…`/`Testing…` are not reported: their keys sign nothing
//! that is served. Development settings (`settings/local.py`, `dev_settings.py`) and
//! `Development…`/`Local…` configuration classes are reported with low confidence.
//!
//! Not reported: `SECRET_KEY` attributes of classes that are not configuration classes (their
//! name or a base's name does not end in `Config`/`Settings`: enum members, the names of fields to look
//! up), secrets read from the environment or a secret store (`os.environ[...]`,
//! `os.getenv("SECRET_KEY")`, `config("SECRET_KEY")`), generated keys
//! (`get_random_secret_key()`, `secrets.token_urlsafe()`), f-strings and concatenations with
//! a non-literal part, and text in comments or docstrings.
//!
//! Across files: a module-level constant holding a key-like literal under a name that says
//! nothing (`KEY = "f0e4…"`), imported by another module and given to `jwt.encode` /
//! `jwt.decode` as the key (`from .constants import KEY`), is reported where the literal
//! is, with the use as a related location. The literal itself is masked in
//! every report and never appears in a message.
//!
//! ## Why it matters
//! The secret key is what makes signed data trustworthy. Whoever knows it can forge session
//! cookies (logging in as any user, an administrator included), password-reset tokens,
//! CSRF tokens and JWTs that the service accepts as its own; with pickle-based session
//! serializers a forged cookie becomes remote code execution. A key in the source is known to
//! everyone with access to the repository, its forks, CI logs and backups, and it cannot be
//! rotated without a code change.
//!
//! ## Example
//! ```python
//! # settings.py
//! # Flagged: anyone with the repository can forge sessions and reset links.
//! SECRET_KEY = "django-insecure-9x#k..."
//! ```
//!
//! ## Remediation
//! Read the key from the environment or a secret manager and fail when it is missing:
//! `SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]`, `app.config["SECRET_KEY"] =
//! os.environ["FLASK_SECRET_KEY"]`. Generate it with `secrets.token_urlsafe(50)` (or
//! Django's `get_random_secret_key()`), keep it out of version control, and rotate the key
//! that was committed — it must be treated as public (Django's `SECRET_KEY_FALLBACKS`
//! lets existing sessions survive the rotation).
//!
//! ## References
//! - CWE-798: Use of Hard-coded Credentials
//! - OWASP Top 10 2021, A07 Identification and Authentication Failures
//! - OWASP Secrets Management Cheat Sheet
//! - Django documentation, settings: `SECRET_KEY`; Flask documentation, configuration: `SECRET_KEY`

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::credentials::{could_be_secret, is_env_helper, is_signing_secret_name};
use crate::model::{MODULE, scope_of};
use crate::values::{
    argument, constructed_by, enclosing_class, keyword_value, literal_string, method_call,
};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::roles::{
    NameRole, SettingsFlavor, is_test_code, name_role, settings_flavor,
};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/hardcoded-secret-key",
    title: "Framework secret key hard-coded in the source",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[798],
    owasp: Owasp::A07,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("hardcoded_secret_key.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["assignment", "call"],
    needs_text: &[],
    text_test: None,
    check,
};

/// Setting names that hold a signing secret (compared case-insensitively).
const SECRET_SETTINGS: &[&str] = &[
    "SECRET_KEY",
    "JWT_SECRET",
    "JWT_SECRET_KEY",
    "WTF_CSRF_SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
];

/// PyJWT and python-jose functions whose second argument is the key.
const JWT_FUNCTIONS: &[&str] = &[
    "jwt.encode",
    "jwt.decode",
    "jwt.decode_complete",
    "jwt.api_jwt.encode",
    "jwt.api_jwt.decode",
    "jose.jwt.encode",
    "jose.jwt.decode",
];

/// itsdangerous classes whose first argument is the secret.
const ITSDANGEROUS: &[&str] = &[
    "itsdangerous.URLSafeTimedSerializer",
    "itsdangerous.URLSafeSerializer",
    "itsdangerous.TimedSerializer",
    "itsdangerous.Serializer",
    "itsdangerous.TimestampSigner",
    "itsdangerous.Signer",
    "itsdangerous.url_safe.URLSafeTimedSerializer",
    "itsdangerous.url_safe.URLSafeSerializer",
];

/// Whether a name is one of the framework's secret settings (`SECRET_KEY`, `JWT_SECRET`, …).
pub fn is_secret_name(name: &str) -> bool {
    SECRET_SETTINGS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Whether an import-resolved name is a PyJWT or python-jose function taking a key.
pub fn is_jwt_function(resolved: &str) -> bool {
    JWT_FUNCTIONS.contains(&resolved)
}

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    // Where the file and class put the finding (test code, development settings) is
    // decided in `emit`, only for the few nodes that hold a secret.
    match node.kind() {
        "assignment" => check_assignment(node, Confidence::High, cx),
        "call" => check_call(node, Confidence::High, cx),
        _ => {}
    }
}

/// Reports `finding` (about `at`) unless it is in test code, with its confidence lowered
/// for development settings and configuration classes.
fn emit(mut finding: Finding, at: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let path = &cx.file.path;
    if is_test_code(path) {
        return;
    }
    let base = match settings_flavor(path) {
        Some(SettingsFlavor::Test) => return,
        Some(SettingsFlavor::Development) => Confidence::Low,
        _ => Confidence::High,
    };
    let Some(class) = class_confidence(at, cx) else {
        return;
    };
    finding.confidence = lower(lower(base, class), finding.confidence);
    cx.report(finding);
}

fn lower(a: Confidence, b: Confidence) -> Confidence {
    let rank = |c: Confidence| match c {
        Confidence::High => 2,
        Confidence::Medium => 1,
        Confidence::Low => 0,
    };
    if rank(a) <= rank(b) { a } else { b }
}

/// The confidence a configuration class allows: `None` inside `Test…` classes, low inside
/// `Development…`/`Local…` classes, high elsewhere.
fn class_confidence(node: Node<'_>, cx: &RuleContext<'_, '_>) -> Option<Confidence> {
    let Some(class) = enclosing_class(node) else {
        return Some(Confidence::High);
    };
    let name = class
        .child_by_field_id(*field::NAME)
        .map_or("", |n| cx.model.text(n));
    match name_role(name) {
        NameRole::Test => None,
        NameRole::Development => Some(Confidence::Low),
        NameRole::Deployed => Some(Confidence::High),
    }
}

/// A non-empty string literal, or a list/tuple of them (`SECRET_KEY_FALLBACKS`): the literal
/// nodes to mask.
fn literals<'t>(cx: &RuleContext<'_, '_>, value: Node<'t>) -> Vec<Node<'t>> {
    match value.kind() {
        "list" | "tuple" => {
            let mut cursor = value.walk();
            let children: Vec<Node<'t>> = value.named_children(&mut cursor).collect();
            children
                .into_iter()
                .filter(|c| usable_literal(cx, *c))
                .collect()
        }
        _ if usable_literal(cx, value) => vec![value],
        _ => Vec::new(),
    }
}

fn usable_literal(cx: &RuleContext<'_, '_>, node: Node<'_>) -> bool {
    literal_string(cx.model, node).is_some_and(|s| !s.trim().is_empty())
}

/// Whether a class holds configuration: its name or a base class's name ends in `Config`,
/// `Configuration`, `Settings` or `Conf` (Flask configuration objects,
/// django-configurations, pydantic `BaseSettings`).
fn is_config_class(cx: &RuleContext<'_, '_>, class: Node<'_>) -> bool {
    let says_config = |name: &str| {
        let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
        ["config", "configuration", "settings", "conf"]
            .iter()
            .any(|suffix| last.ends_with(suffix))
    };
    if class
        .child_by_field_id(*field::NAME)
        .is_some_and(|n| says_config(cx.model.text(n)))
    {
        return true;
    }
    let Some(bases) = class.child_by_field_id(*field::SUPERCLASSES) else {
        return false;
    };
    let mut cursor = bases.walk();
    bases
        .named_children(&mut cursor)
        .filter_map(|b| cx.model.dotted(b))
        .any(|b| says_config(&b))
}

fn report(
    at: Node<'_>,
    secrets: &[Node<'_>],
    confidence: Confidence,
    message: String,
    cx: &mut RuleContext<'_, '_>,
) {
    let mut finding = Finding::new(&META, cx.span(at), message).with_confidence(confidence);
    for secret in secrets {
        finding = finding.with_secret(cx.span(*secret));
    }
    emit(finding, at, cx);
}

fn check_assignment(assignment: Node<'_>, confidence: Confidence, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(left) = assignment.child_by_field_id(*field::LEFT) else {
        return;
    };
    let Some(right) = assignment.child_by_field_id(*field::RIGHT) else {
        // `secret_key: str` without a value.
        return;
    };
    let at_top = scope_of(assignment) == MODULE;
    match left.kind() {
        "identifier" => {
            let name = model.text(left);
            if name == "SIMPLE_JWT" && right.kind() == "dictionary" {
                check_dictionary(right, &["SIGNING_KEY"], confidence, cx);
                return;
            }
            // Upper-case settings anywhere; lower-case names only as module or class
            // attributes (pydantic settings fields), never as function locals.
            let upper = name.chars().all(|c| !c.is_ascii_lowercase());
            if !is_secret_name(name) && upper && is_signing_secret_name(name) {
                check_other_key(assignment, name, right, confidence, cx);
                return;
            }
            if !is_secret_name(name) || (!upper && !at_top) {
                return;
            }
            // In a class, only configuration classes hold settings; elsewhere `SECRET_KEY`
            // is an enum member or the name of a field to look up.
            if let Some(class) = enclosing_class(assignment)
                && !is_config_class(cx, class)
            {
                return;
            }
            let found = literals(cx, right);
            if found.is_empty() {
                return;
            }
            let in_settings_class = enclosing_class(assignment).is_some_and(|class| {
                class.child_by_field_id(*field::SUPERCLASSES).is_some_and(|s| {
                    let text = model.text(s);
                    text.contains("BaseSettings") || text.contains("BaseModel")
                })
            });
            let (confidence, message) = if in_settings_class {
                (
                    lower(confidence, Confidence::Medium),
                    format!(
                        "settings field `{name}` defaults to a literal written in the source: a deployment that does not set it signs with a published key"
                    ),
                )
            } else if model.text(right).contains("django-insecure") {
                (
                    confidence,
                    format!(
                        "`{name}` is Django's generated development key, committed to the source: anyone with the repository can forge sessions and signed tokens"
                    ),
                )
            } else {
                (
                    confidence,
                    format!(
                        "`{name}` is a literal in the source: anyone with the repository can forge sessions and signed tokens"
                    ),
                )
            };
            report(assignment, &found, confidence, message, cx);
        }
        "attribute" => {
            let (Some(object), Some(attribute)) = (
                left.child_by_field_id(*field::OBJECT),
                left.child_by_field_id(*field::ATTRIBUTE),
            ) else {
                return;
            };
            let attribute = model.text(attribute);
            let flask_secret = attribute == "secret_key" && is_flask_app(object, cx);
            let setting =
                attribute.chars().all(|c| !c.is_ascii_lowercase()) && is_secret_name(attribute);
            if !flask_secret && !setting {
                return;
            }
            let found = literals(cx, right);
            if found.is_empty() {
                return;
            }
            report(
                assignment,
                &found,
                confidence,
                format!(
                    "`{}` is set to a literal in the source: anyone with the repository can forge session cookies",
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
            let Some(key) = literal_string(model, key) else {
                return;
            };
            if !is_secret_name(&key) || !is_config(object, cx) {
                return;
            }
            let found = literals(cx, right);
            if found.is_empty() {
                return;
            }
            report(
                assignment,
                &found,
                confidence,
                format!(
                    "`{}[\"{key}\"]` is set to a literal in the source: anyone with the repository can forge what it signs",
                    model.text(object)
                ),
                cx,
            );
        }
        _ => {}
    }
}

/// Flask (or Quart) app: traced to its constructor, or any receiver in a file that imports
/// Flask.
fn is_flask_app(object: Node<'_>, cx: &RuleContext<'_, '_>) -> bool {
    match constructed_by(cx.model, object) {
        Some(c) => matches!(
            c.as_str(),
            "flask.Flask" | "flask.app.Flask" | "quart.Quart"
        ),
        None => cx.model.imports_package("flask") || cx.model.imports_package("quart"),
    }
}

/// `app.config`, `current_app.config`, `self.config`, `config`.
fn is_config(object: Node<'_>, cx: &RuleContext<'_, '_>) -> bool {
    let Some(dotted) = cx.model.dotted(object) else {
        return false;
    };
    dotted == "config" || dotted.ends_with(".config")
}

/// Reports literal values of `keys` in a dictionary literal (`{"SECRET_KEY": "..."}`).
fn check_dictionary(
    dictionary: Node<'_>,
    keys: &[&str],
    confidence: Confidence,
    cx: &mut RuleContext<'_, '_>,
) {
    let mut cursor = dictionary.walk();
    let pairs: Vec<Node<'_>> = dictionary
        .named_children(&mut cursor)
        .filter(|p| p.kind() == "pair")
        .collect();
    for pair in pairs {
        let (Some(key), Some(value)) = (
            pair.child_by_field_id(*field::KEY),
            pair.child_by_field_id(*field::VALUE),
        ) else {
            continue;
        };
        let Some(key) = literal_string(cx.model, key) else {
            continue;
        };
        if !keys.iter().any(|k| k.eq_ignore_ascii_case(&key)) {
            continue;
        }
        let found = literals(cx, value);
        if !found.is_empty() {
            report(
                pair,
                &found,
                confidence,
                format!(
                    "`{key}` is a literal in the source: anyone with the repository can forge what it signs"
                ),
                cx,
            );
        }
    }
}

/// Reports keyword arguments named like a secret setting with a literal value.
fn check_keywords(call: Node<'_>, confidence: Confidence, cx: &mut RuleContext<'_, '_>) {
    let Some(arguments) = call.child_by_field_id(*field::ARGUMENTS) else {
        return;
    };
    let mut cursor = arguments.walk();
    let children: Vec<Node<'_>> = arguments.named_children(&mut cursor).collect();
    for argument in children {
        match argument.kind() {
            "keyword_argument" => {
                let (Some(name), Some(value)) = (
                    argument.child_by_field_id(*field::NAME),
                    argument.child_by_field_id(*field::VALUE),
                ) else {
                    continue;
                };
                let name = cx.model.text(name);
                if !is_secret_name(name) {
                    continue;
                }
                let found = literals(cx, value);
                if !found.is_empty() {
                    report(
                        argument,
                        &found,
                        confidence,
                        format!(
                            "`{name}` is a literal in the source: anyone with the repository can forge what it signs"
                        ),
                        cx,
                    );
                }
            }
            "dictionary" => check_dictionary(argument, SECRET_SETTINGS, confidence, cx),
            _ => {}
        }
    }
}

fn check_call(call: Node<'_>, confidence: Confidence, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let resolved = model.resolve(function).unwrap_or_default();
    let callee = model.text(function);

    if JWT_FUNCTIONS.contains(&resolved.as_str()) {
        check_jwt_key(call, callee, confidence, cx);
        return;
    }
    if ITSDANGEROUS.contains(&resolved.as_str()) {
        if let Some(key) = argument(model, call, 0, "secret_key")
            && usable_literal(cx, key)
        {
            report(
                key,
                &[key],
                confidence,
                format!("`{callee}` signs with a literal secret written in the source"),
                cx,
            );
        }
        return;
    }
    if resolved == "django.conf.settings.configure" {
        check_keywords(call, confidence, cx);
        return;
    }
    if matches!(
        resolved.as_str(),
        "starlette.middleware.sessions.SessionMiddleware" | "starlette.middleware.Middleware"
    ) || callee.ends_with("add_middleware")
    {
        if let Some(value) = keyword_value(model, call, "secret_key")
            && usable_literal(cx, value)
        {
            let at = value.parent().unwrap_or(value);
            report(
                at,
                &[value],
                confidence,
                "the session middleware signs cookies with a literal `secret_key` written in the source".to_string(),
                cx,
            );
        }
        return;
    }
    if is_env_lookup(&resolved, callee) {
        check_env_default(call, false, confidence, cx);
        return;
    }
    if is_env_helper(model, call) {
        check_env_default(call, true, confidence, cx);
        return;
    }
    if let Some((method, receiver)) = method_call(model, call)
        && matches!(method, "update" | "from_mapping" | "setdefault")
        && is_config(receiver, cx)
    {
        if method == "setdefault" {
            // `app.config.setdefault("SECRET_KEY", "...")`
            if let (Some(key), Some(value)) = (
                argument(model, call, 0, "key"),
                argument(model, call, 1, "default"),
            ) && literal_string(model, key).is_some_and(|k| is_secret_name(&k))
                && usable_literal(cx, value)
            {
                report(
                    call,
                    &[value],
                    confidence,
                    format!(
                        "`{callee}` gives the secret key a literal default written in the source"
                    ),
                    cx,
                );
            }
            return;
        }
        check_keywords(call, confidence, cx);
    }
}

/// Environment lookups that take a default: `os.environ.get`, `os.getenv`, django-environ's
/// `env(...)`/`env.str(...)`, decouple's `config(...)`.
fn is_env_lookup(resolved: &str, callee: &str) -> bool {
    matches!(
        resolved,
        "os.environ.get" | "os.getenv" | "os.environ.setdefault" | "decouple.config"
    ) || matches!(callee, "env" | "env.str" | "env.bytes" | "config")
}

/// A literal fallback of a secret read from the environment. Through a project's own helper
/// (`helper`) or for a name beyond the framework settings, only a literal that could be a
/// working key counts (placeholders are left alone).
fn check_env_default(
    call: Node<'_>,
    helper: bool,
    confidence: Confidence,
    cx: &mut RuleContext<'_, '_>,
) {
    let model = cx.model;
    let Some(name) = argument(model, call, 0, "key").and_then(|n| literal_string(model, n)) else {
        return;
    };
    let upper = name.to_ascii_uppercase();
    let framework =
        is_secret_name(&upper) || upper.ends_with("_SECRET_KEY") || upper.ends_with("JWT_SECRET");
    if !framework && !is_signing_secret_name(&upper) {
        return;
    }
    let Some(default) = argument(model, call, 1, "default") else {
        return;
    };
    if !usable_literal(cx, default) {
        return;
    }
    if (helper || !framework)
        && !literal_string(model, default).is_some_and(|v| could_be_secret(&v))
    {
        return;
    }
    let finding = Finding::new(
        &META,
        cx.span(call),
        format!("`{name}` falls back to a literal written in the source when the environment does not set it"),
    )
    .with_confidence(lower(confidence, Confidence::Medium))
    .with_secret(cx.span(default));
    emit(finding, call, cx);
}

fn check_jwt_key(
    call: Node<'_>,
    callee: &str,
    confidence: Confidence,
    cx: &mut RuleContext<'_, '_>,
) {
    let model = cx.model;
    let Some(key) = argument(model, call, 1, "key") else {
        return;
    };
    if usable_literal(cx, key) {
        report(
            key,
            &[key],
            confidence,
            format!(
                "`{callee}` uses a literal key written in the source: anyone with the repository can mint valid tokens"
            ),
            cx,
        );
        return;
    }
    // A name holding a literal. Names already reported where they are assigned
    // (`JWT_SECRET_KEY = "..."`) are not reported again at each use.
    let Some(dotted) = model.dotted(key) else {
        return;
    };
    let last = dotted.rsplit('.').next().unwrap_or(&dotted);
    if is_secret_name(last) {
        return;
    }
    let Some(value) = model.single_value(scope_of(key), &dotted) else {
        return;
    };
    if !usable_literal(cx, value) {
        return;
    }
    // `SIGNING_KEY = "..."` at module level is reported where it is assigned.
    if is_signing_secret_name(last)
        && model.values(crate::model::MODULE, &dotted).contains(&value)
        && literal_string(model, value).is_some_and(|v| could_be_secret(&v))
    {
        return;
    }
    let finding = Finding::new(
        &META,
        cx.span(key),
        format!("`{callee}` uses `{dotted}`, a literal key written in the source: anyone with the repository can mint valid tokens"),
    )
    .with_confidence(confidence)
    .with_related(cx.span(value), format!("`{dotted}` is assigned here"));
    emit(finding, key, cx);
}

/// A constant named for a signing or service secret beyond the framework settings
/// (`HMAC_KEY`, `STRIPE_SECRET_KEY`, `WEBHOOK_SIGNING_SECRET`) holding a literal that could
/// be a working key: medium confidence, as such names are sometimes used for test keys.
fn check_other_key(
    assignment: Node<'_>,
    name: &str,
    value: Node<'_>,
    confidence: Confidence,
    cx: &mut RuleContext<'_, '_>,
) {
    if scope_of(assignment) != MODULE && enclosing_class(assignment).is_none() {
        return;
    }
    if let Some(class) = enclosing_class(assignment)
        && !is_config_class(cx, class)
    {
        return;
    }
    if !literal_string(cx.model, value).is_some_and(|v| could_be_secret(&v)) {
        return;
    }
    report(
        assignment,
        &[value],
        lower(confidence, Confidence::Medium),
        format!(
            "`{name}` is a literal in the source: anyone with the repository can sign or authenticate as this service"
        ),
        cx,
    );
}
