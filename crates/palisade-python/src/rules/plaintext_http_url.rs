//! Flags `http://` URLs to remote hosts that the backend calls or keeps in its settings.
//!
//! ## What it checks
//! - HTTP client calls given an `http://` URL: requests, httpx and urllib3 functions,
//!   `urllib.request.urlopen` / `Request`, `open` / `retrieve` of urllib openers
//!   (`build_opener(...)`, `OpenerDirector`, `URLopener`), aiohttp's `request`, methods of
//!   sessions and clients the model traces to `requests.Session`, `httpx.Client` / `AsyncClient`,
//!   `aiohttp.ClientSession` or `urllib3.PoolManager` (`session.post(...)`), httpx's
//!   `base_url=`, and plaintext connection classes (`http.client.HTTPConnection`,
//!   `urllib3.HTTPConnectionPool`) to a remote host. The URL may be a literal, a local or
//!   module constant, an f-string or concatenation that starts with one, or
//!   `"...".format(...)`, followed through locals assigned earlier in the function (every
//!   assignment that reaches the call) and parameter defaults
//!   (`def fetch(url="http://…")`, medium confidence: callers may pass another URL).
//!   Method calls on a receiver that cannot be traced but is named like a session or
//!   client are reported with medium confidence in files that import an HTTP
//!   client.
//! - Settings-like constants: module-level UPPER_CASE names, and fields of settings or config
//!   classes (pydantic `BaseSettings`, `class ProductionConfig`), whose name contains `URL`,
//!   `URI`, `ENDPOINT`, `HOST`, `BASE`, `API`, `WEBHOOK`, `CALLBACK` or `SERVER`, holding an
//!   `http://` URL — as a literal, in a list, or as the default of an environment lookup
//!   (`os.environ.get("PAYMENTS_URL", "http://…")`, medium confidence).
//!
//! Hosts decide the outcome:
//! - not reported: loopback (`localhost`, `127.0.0.1`, `::1`), `0.0.0.0`, the cloud metadata
//!   endpoints (`169.254.169.254`, `metadata.google.internal`, plaintext by design), hosts in
//!   the rule's `allow-hosts` option, and XML namespace / schema identifiers
//!   (`http://www.w3.org/…`, `http://schemas.xmlsoap.org/…`), which are names, not endpoints;
//! - reported with low severity and low confidence: cluster-internal and private names
//!   (`http://payments.shop.svc.cluster.local`, `http://inventory:8080`, `.internal`,
//!   `10.0.0.0/8` …) — traffic that stays in the cluster, still readable by anything on
//!   that network unless a service mesh adds mutual TLS, which palisade cannot see from the
//!   code;
//! - reported with low confidence: URLs whose host is interpolated (`f"http://{host}/"`).
//!
//! Also not reported: URLs in comments, docstrings and log messages, `url.startswith("http://")`
//! checks and `url.replace("http://", "https://")` upgrades (they are not requests); proxy
//! settings (`HTTP_PROXY`, `proxies={...}`: a plain proxy URL still tunnels HTTPS); links for
//! people (`DOCS_URL`, `HOMEPAGE_URL`, `PRIVACY_POLICY_URL`); values chosen only when
//! `DEBUG` is on; tests, and settings files for tests or local development.
//!
//! ## Why it matters
//! Plain HTTP has no confidentiality and no integrity. Anyone on the path — the hosting
//! provider's network, a compromised router, another tenant on a shared network — reads the
//! API keys, session tokens and personal data in the request, and can change the response:
//! a price, a redirect target, a payment status. The policy requires TLS for messages
//! (`python-backend`).
//!
//! ## Example
//! ```python
//! PAYMENTS_API_URL = "http://api.payments.example.com/v2"   # flagged
//!
//! requests.post("http://hooks.partner.example.com/orders", json=order)   # flagged
//! ```
//!
//! ## Remediation
//! Use `https://` — nearly every API offers it — and keep certificate verification on. For
//! services inside a cluster, terminate TLS at the service (cert-manager certificates) or
//! enable mutual TLS in the service mesh, then list the hosts that the mesh protects in the
//! `allow-hosts` option. Never downgrade to HTTP to work around a certificate problem.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP Transport Layer Security Cheat Sheet

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::model::{MODULE, Model, scope_of};
use crate::values::parameter_named;
use crate::settings::{
    env_default, follow, has_interpolation, is_debug_condition, keyword_value, last_name,
    positional, string_body, under_debug,
};
use palisade_core::{
    Confidence, Finding, OptionsType, Owasp, Recommendation, RuleMeta, Severity,
};
use palisade_knowledge::hosts::{HostKind, host_allowed, host_kind, parse_url};
use palisade_knowledge::roles::{NameRole, deployment_role, name_role};
use palisade_knowledge::words::{has_word, words};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/plaintext-http-url",
    title: "Plaintext http:// URL to a remote host",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[OptionsType::of::<RuleOptions>()],
    source: include_str!("plaintext_http_url.rs"),
};

/// The rule's options, under `[rules."<id>".options]`.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    /// Hosts reached over a link that is already protected (e.g. by a service mesh with mutual TLS) where plain http:// is accepted: exact names, or suffixes starting with a dot (".mesh.example.com").
    pub allow_hosts: Vec<String>,
}

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call", "assignment"],
    // Sound: a reported URL parses as `scheme://…` from the raw text of a string literal, and the plaintext connection classes are `HTTPConnection`/`HTTPConnectionPool`.
    needs_text: &["://", "HTTPConnection"],
    text_test: None,
    check,
};

/// Client functions and where their URL argument is.
const URL_FUNCTIONS: &[(&str, usize)] = &[
    ("requests.get", 0),
    ("requests.post", 0),
    ("requests.put", 0),
    ("requests.patch", 0),
    ("requests.delete", 0),
    ("requests.head", 0),
    ("requests.options", 0),
    ("requests.request", 1),
    ("requests.api.request", 1),
    ("httpx.get", 0),
    ("httpx.post", 0),
    ("httpx.put", 0),
    ("httpx.patch", 0),
    ("httpx.delete", 0),
    ("httpx.head", 0),
    ("httpx.options", 0),
    ("httpx.request", 1),
    ("httpx.stream", 1),
    ("urllib3.request", 1),
    ("aiohttp.request", 1),
    ("urllib.request.urlopen", 0),
    ("urllib.request.Request", 0),
    ("urllib.request.urlretrieve", 0),
    ("urllib2.urlopen", 0),
    ("urllib2.Request", 0),
];

/// Constructors of plaintext connections, taking a host.
const PLAINTEXT_CONNECTIONS: &[&str] = &[
    "http.client.HTTPConnection",
    "httplib.HTTPConnection",
    "urllib3.HTTPConnectionPool",
    "urllib3.connectionpool.HTTPConnectionPool",
];

/// Client constructors whose instances' methods take URLs.
const CLIENTS: &[&str] = &[
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx.Client",
    "httpx.AsyncClient",
    "aiohttp.ClientSession",
    "aiohttp.client.ClientSession",
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
    "urllib3.poolmanager.PoolManager",
    "urllib.request.OpenerDirector",
    "urllib.request.build_opener",
    "urllib.request.URLopener",
    "urllib.request.FancyURLopener",
    "urllib2.OpenerDirector",
    "urllib2.build_opener",
    "urllib.URLopener",
    "urllib.FancyURLopener",
];

/// Methods of urllib openers and where their URL argument is: only on a receiver traced to
/// an opener (`open` is too common a name to guess from).
const OPENER_METHODS: &[(&str, usize)] = &[("open", 0), ("retrieve", 0)];

/// Methods of those clients and where their URL argument is.
const CLIENT_METHODS: &[(&str, usize)] = &[
    ("get", 0),
    ("post", 0),
    ("put", 0),
    ("patch", 0),
    ("delete", 0),
    ("head", 0),
    ("options", 0),
    ("request", 1),
    ("stream", 1),
    ("urlopen", 1),
    ("ws_connect", 0),
];

/// Hosts of XML namespaces and schema identifiers: names, never fetched.
const NAMESPACE_HOSTS: &[&str] = &[
    "www.w3.org",
    "w3.org",
    "schemas.xmlsoap.org",
    "schemas.microsoft.com",
    "schemas.openxmlformats.org",
    "schemas.android.com",
    "purl.org",
    "xmlns.com",
    "ns.adobe.com",
    "json-schema.org",
    "www.opengis.net",
    "docs.oasis-open.org",
    "java.sun.com",
    "xml.org",
    "www.xbrl.org",
];

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match node.kind() {
        "call" => check_call(node, cx),
        "assignment" => check_constant(node, cx),
        _ => {}
    }
}

/// A URL found in the source.
struct Url<'t> {
    /// The text the URL starts with (an f-string keeps its `{…}`).
    text: String,
    /// The string node that holds it.
    literal: Node<'t>,
    /// When a name was followed to reach it: the value node of that assignment.
    definition: Option<Node<'t>>,
    /// Reached through a parameter's default value.
    from_default: bool,
}

/// The start of the URL an expression evaluates to, when the source shows it.
fn url_of<'t>(model: &Model<'t>, node: Node<'t>, depth: u8) -> Option<Url<'t>> {
    if depth == 0 {
        return None;
    }
    match node.kind() {
        "string" => {
            let (body, _) = string_body(model, node)?;
            if has_interpolation(node) && body.starts_with('{') {
                // `f"{PAYMENTS_URL}/charges"`: the URL starts with the interpolated value.
                let mut cursor = node.walk();
                let first = node
                    .named_children(&mut cursor)
                    .find(|c| c.kind() == "interpolation")?;
                let expression = first.child_by_field_id(*field::EXPRESSION)?;
                let mut inner = url_of(model, expression, depth - 1)?;
                inner.definition.get_or_insert(inner.literal);
                return Some(inner);
            }
            Some(Url {
                text: body.to_string(),
                literal: node,
                definition: None,
                from_default: false,
            })
        }
        "concatenated_string" | "parenthesized_expression" => {
            url_of(model, node.named_child(0)?, depth - 1)
        }
        "binary_operator" => url_of(model, node.child_by_field_id(*field::LEFT)?, depth - 1),
        "call" => {
            let function = node.child_by_field_id(*field::FUNCTION)?;
            if function.kind() == "attribute"
                && function
                    .child_by_field_id(*field::ATTRIBUTE)
                    .is_some_and(|a| model.text(a) == "format")
            {
                return url_of(model, function.child_by_field_id(*field::OBJECT)?, depth - 1);
            }
            let resolved = model.resolve(function).unwrap_or_default();
            if resolved.ends_with("urljoin") {
                return url_of(model, positional(node, 0)?, depth - 1);
            }
            None
        }
        "identifier" | "attribute" => {
            let (value, definition) = follow(model, node);
            if let Some(definition) = definition {
                let mut inner = url_of(model, value, depth - 1)?;
                inner.definition = Some(definition);
                return Some(inner);
            }
            // A local assigned more than once: the assignments that reach this use.
            // The first that is plaintext, else the first URL at all.
            let mut first = None;
            for value in crate::flow::assigned_values(model, node) {
                if let Some(mut inner) = url_of(model, value, depth - 1) {
                    inner.definition = Some(value);
                    if inner.text.starts_with("http://") {
                        return Some(inner);
                    }
                    first.get_or_insert(inner);
                }
            }
            if first.is_some() {
                return first;
            }
            // A parameter's default: `def fetch(url="http://feeds.example.com/rss")`.
            let name = model.text(node);
            let parameter = (node.kind() == "identifier")
                .then(|| parameter_named(model, node, name))
                .flatten()
                .filter(|p| matches!(p.kind(), "default_parameter" | "typed_default_parameter"))?;
            let default = parameter.child_by_field_id(*field::VALUE)?;
            let mut inner = url_of(model, default, depth - 1)?;
            inner.definition = Some(default);
            inner.from_default = true;
            Some(inner)
        }
        _ => None,
    }
}

/// Whether `value` (an assignment's right side) belongs to a constant that the constant
/// check reports on its own.
fn is_checked_constant(model: &Model<'_>, value: Node<'_>) -> bool {
    let Some(assignment) = value.parent().filter(|p| p.kind() == "assignment") else {
        return false;
    };
    constant_context(model, assignment).is_some_and(|in_settings_class| {
        assignment
            .child_by_field_id(*field::LEFT)
            .filter(|l| l.kind() == "identifier")
            .is_some_and(|l| is_url_setting_name(model.text(l), in_settings_class))
    })
}

/// `Some(in_settings_class)` for an assignment at module level or in a settings class's
/// body — where settings constants live — `None` elsewhere.
fn constant_context(model: &Model<'_>, assignment: Node<'_>) -> Option<bool> {
    if scope_of(assignment) != MODULE {
        return None;
    }
    match settings_class(assignment) {
        Some(class) => is_settings_class(model, class).then_some(true),
        None => Some(false),
    }
}

fn check_call(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    // The last names of URL_FUNCTIONS, CLIENT_METHODS, CLIENTS and PLAINTEXT_CONNECTIONS:
    // a cheap filter before resolving.
    let known = matches!(
        last_name(model, function),
        "get"
            | "post"
            | "put"
            | "patch"
            | "delete"
            | "head"
            | "options"
            | "request"
            | "stream"
            | "urlopen"
            | "Request"
            | "urlretrieve"
            | "ws_connect"
            | "open"
            | "retrieve"
            | "Session"
            | "session"
            | "Client"
            | "AsyncClient"
            | "ClientSession"
            | "PoolManager"
            | "ProxyManager"
            | "HTTPConnection"
            | "HTTPConnectionPool"
    );
    if !known || deployment_role(&cx.file.path) != NameRole::Deployed {
        return;
    }
    let resolved = model.resolve(function);
    let mut target: Option<(Node<'_>, Confidence)> = None;
    if let Some(name) = resolved.as_deref() {
        if let Some((_, index)) = URL_FUNCTIONS.iter().find(|(f, _)| *f == name) {
            target = keyword_value(model, call, "url")
                .or_else(|| positional(call, *index))
                .map(|n| (n, Confidence::High));
        } else if PLAINTEXT_CONNECTIONS.contains(&name) {
            check_plaintext_connection(call, name, cx);
            return;
        } else if CLIENTS.contains(&name) {
            target = keyword_value(model, call, "base_url").map(|n| (n, Confidence::High));
        } else if model.imports_package(name.split('.').next().unwrap_or("")) {
            return; // some other library's function
        }
    }
    if target.is_none() && function.kind() == "attribute" {
        let (Some(receiver), Some(method)) = (
            function.child_by_field_id(*field::OBJECT),
            function.child_by_field_id(*field::ATTRIBUTE),
        ) else {
            return;
        };
        let opener = OPENER_METHODS
            .iter()
            .find(|(m, _)| *m == model.text(method));
        if let Some((_, index)) = opener {
            if receiver_client(model, call, receiver) != Some(true) {
                return;
            }
            target = keyword_value(model, call, "fullurl")
                .or_else(|| positional(call, *index))
                .map(|n| (n, Confidence::High));
        }
        let Some((_, index)) = CLIENT_METHODS
            .iter()
            .find(|(m, _)| *m == model.text(method))
        else {
            if target.is_none() {
                return;
            }
            return finish(call, target, cx);
        };
        let confidence = match receiver_client(model, call, receiver) {
            Some(true) => Confidence::High,
            Some(false) => return,
            None => {
                let name = model.text(receiver).to_ascii_lowercase();
                let last = name.rsplit('.').next().unwrap_or(&name);
                let looks_like_client = ["session", "client", "http"]
                    .iter()
                    .any(|k| last.contains(k));
                let imports_client = ["requests", "httpx", "aiohttp", "urllib3"]
                    .iter()
                    .any(|p| model.imports_package(p));
                if !(looks_like_client && imports_client) {
                    return;
                }
                Confidence::Medium
            }
        };
        target = keyword_value(model, call, "url")
            .or_else(|| positional(call, *index))
            .map(|n| (n, confidence));
    }
    finish(call, target, cx);
}

/// Reports the URL given to a client call, once the call's URL argument and confidence are
/// known.
fn finish(call: Node<'_>, target: Option<(Node<'_>, Confidence)>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some((argument, mut confidence)) = target else {
        return;
    };
    let Some(url) = url_of(model, argument, 4) else {
        return;
    };
    if url
        .definition
        .is_some_and(|d| is_checked_constant(model, d))
    {
        return; // reported where the constant is defined
    }
    if under_debug(model, call) {
        return;
    }
    // A default argument: callers may pass another URL.
    if url.from_default && confidence == Confidence::High {
        confidence = Confidence::Medium;
    }
    report_url(
        &url,
        argument,
        confidence,
        "is requested over plaintext HTTP",
        cx,
    );
}

/// `Some(true)` when every assignment of the receiver in scope is a known HTTP client's
/// constructor, `Some(false)` when it is something else the model knows, `None` when
/// unknown.
fn receiver_client(model: &Model<'_>, call: Node<'_>, receiver: Node<'_>) -> Option<bool> {
    if receiver.kind() == "call" {
        // `requests.Session().get(...)`
        let constructor = model.resolve(receiver.child_by_field_id(*field::FUNCTION)?)?;
        return Some(CLIENTS.contains(&constructor.as_str()));
    }
    let name = model.dotted(receiver)?;
    let values = model.values(scope_of(call), &name);
    if values.is_empty() {
        return None;
    }
    let mut all_clients = true;
    for value in values {
        let constructor = (value.kind() == "call")
            .then(|| value.child_by_field_id(*field::FUNCTION))
            .flatten()
            .and_then(|f| model.resolve(f));
        match constructor {
            Some(c) if CLIENTS.contains(&c.as_str()) => {}
            Some(_) => all_clients = false,
            None => return None,
        }
    }
    Some(all_clients)
}

fn check_plaintext_connection(call: Node<'_>, name: &str, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(host_arg) = keyword_value(model, call, "host").or_else(|| positional(call, 0)) else {
        return;
    };
    let (value, _) = follow(model, host_arg);
    let Some((host, _)) = string_body(model, value).filter(|_| !has_interpolation(value)) else {
        return;
    };
    let host = host.to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or(&host).to_string();
    let Some((severity, confidence, note)) = judge_host(&host, Confidence::High, cx) else {
        return;
    };
    let finding = Finding::new(
        &META,
        cx.span(host_arg),
        format!("`{name}` opens a plaintext HTTP connection to {host}{note}"),
    )
    .with_severity(severity)
    .with_confidence(confidence);
    cx.report(finding);
}

/// How to report a plaintext URL to `host`, or `None` when it is fine.
fn judge_host(
    host: &str,
    confidence: Confidence,
    cx: &RuleContext<'_, '_>,
) -> Option<(Severity, Confidence, &'static str)> {
    if NAMESPACE_HOSTS.contains(&host) {
        return None;
    }
    match host_kind(host) {
        HostKind::Local => None,
        _ if host_allowed(host, &cx.out.rules().options::<RuleOptions>(&META).allow_hosts) => None,
        HostKind::Internal => Some((
            Severity::Low,
            Confidence::Low,
            " inside the private network: anything on that network can read and change it unless a service mesh adds mutual TLS",
        )),
        HostKind::Unknown => Some((META.severity, Confidence::Low, "")),
        HostKind::Public => Some((META.severity, confidence, "")),
    }
}

fn report_url(
    url: &Url<'_>,
    at: Node<'_>,
    confidence: Confidence,
    what: &str,
    cx: &mut RuleContext<'_, '_>,
) {
    let Some(parts) = parse_url(&url.text) else {
        return;
    };
    if parts.scheme != "http" {
        return;
    }
    let Some((severity, confidence, note)) = judge_host(&parts.host, confidence, cx) else {
        return;
    };
    let shown = if parts.host.contains('{') {
        "an interpolated host".to_string()
    } else {
        parts.host.clone()
    };
    let mut finding = Finding::new(
        &META,
        cx.span(at),
        format!("a URL to {shown} {what}{note}; use https://"),
    )
    .with_severity(severity)
    .with_confidence(confidence);
    if url.definition.is_some() && url.literal.id() != at.id() {
        finding = finding.with_related(cx.span(url.literal), "the http:// URL is defined here");
    }
    cx.report(finding);
}

/// Words that make a URL-ish setting something that is not traffic of the service: a proxy
/// (tunnels HTTPS), an XML namespace, or a link shown to people.
const NOT_TRAFFIC: &[&str] = &[
    "proxy",
    "namespace",
    "ns",
    "xmlns",
    "schema",
    "schemas",
    "doc",
    "docs",
    "documentation",
    "help",
    "homepage",
    "website",
    "license",
    "privacy",
    "terms",
    "support",
    "repo",
    "repository",
];

/// Words that name an endpoint.
const URL_WORDS: &[&str] = &[
    "url",
    "urls",
    "uri",
    "uris",
    "endpoint",
    "endpoints",
    "host",
    "hosts",
    "base",
    "api",
    "webhook",
    "webhooks",
    "callback",
    "server",
];

fn is_url_setting_name(name: &str, in_settings_class: bool) -> bool {
    let upper = name.chars().any(|c| c.is_ascii_uppercase())
        && !name.chars().any(|c| c.is_ascii_lowercase());
    if !upper && !in_settings_class {
        return false;
    }
    let words = words(name);
    words.iter().any(|w| URL_WORDS.contains(&w.as_str()))
        && !words.iter().any(|w| NOT_TRAFFIC.contains(&w.as_str()))
}

/// The settings or config class an assignment is a field of, if any.
fn settings_class(assignment: Node<'_>) -> Option<Node<'_>> {
    let block = assignment.parent()?.parent()?;
    let class = block.parent().filter(|c| c.kind() == "class_definition")?;
    Some(class)
}

fn is_settings_class(model: &Model<'_>, class: Node<'_>) -> bool {
    let name = class
        .child_by_field_id(*field::NAME)
        .map(|n| model.text(n))
        .unwrap_or_default();
    let bases = class
        .child_by_field_id(*field::SUPERCLASSES)
        .map(|s| model.text(s))
        .unwrap_or_default();
    let words = words(name);
    name_role(name) == NameRole::Deployed
        && (words
            .last()
            .is_some_and(|w| matches!(w.as_str(), "settings" | "config" | "configuration"))
            || bases.contains("Settings")
            || bases.contains("Config"))
}

fn check_constant(assignment: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(left), Some(right)) = (
        assignment.child_by_field_id(*field::LEFT),
        assignment.child_by_field_id(*field::RIGHT),
    ) else {
        return;
    };
    if left.kind() != "identifier"
        || !matches!(
            right.kind(),
            "string"
                | "concatenated_string"
                | "binary_operator"
                | "list"
                | "tuple"
                | "set"
                | "conditional_expression"
                | "call"
        )
        || !has_word(model.text(left), URL_WORDS)
    {
        return;
    }
    let Some(in_settings_class) = constant_context(model, assignment) else {
        return;
    };
    let name = model.text(left);
    if !is_url_setting_name(name, in_settings_class)
        || under_debug(model, assignment)
        || deployment_role(&cx.file.path) != NameRole::Deployed
    {
        return;
    }
    let what = format!("is configured in `{name}`, so the service talks plaintext HTTP");
    for (value, confidence) in constant_values(model, right) {
        if let Some(url) = url_of(model, value, 2) {
            report_url(&url, value, confidence, &what, cx);
        }
    }
}

/// The values a setting can take: the literal, each element of a list, an environment
/// lookup's default (medium confidence), both arms of a conditional that is not about DEBUG.
fn constant_values<'t>(model: &Model<'t>, value: Node<'t>) -> Vec<(Node<'t>, Confidence)> {
    match value.kind() {
        "string" | "concatenated_string" | "binary_operator" => vec![(value, Confidence::High)],
        "list" | "tuple" | "set" => {
            let mut cursor = value.walk();
            value
                .named_children(&mut cursor)
                .map(|e| (e, Confidence::High))
                .collect()
        }
        "conditional_expression" => {
            let (Some(then), Some(condition), Some(otherwise)) = (
                value.named_child(0),
                value.named_child(1),
                value.named_child(2),
            ) else {
                return Vec::new();
            };
            let mut out = constant_values(model, otherwise);
            if !is_debug_condition(model, condition) {
                out.extend(constant_values(model, then));
            }
            out
        }
        "call" => match env_default(model, value) {
            Some(default) => constant_values(model, default)
                .into_iter()
                .map(|(n, _)| (n, Confidence::Medium))
                .collect(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}
