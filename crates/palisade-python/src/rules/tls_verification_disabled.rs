//! Flags HTTP and TLS clients configured to skip certificate verification.
//!
//! ## What it checks
//! Calls and settings that turn off the check that the server's certificate is valid for the
//! host being contacted:
//! - `verify=False` on requests and httpx calls, sessions and clients (`requests.get`,
//!   `requests.Session().post`, `httpx.Client`, `httpx.AsyncClient`, …), including through
//!   import aliases and a local or module constant that holds `False`;
//! - `ssl=False` / `verify_ssl=False` on aiohttp connectors, sessions and requests;
//! - `cert_reqs="CERT_NONE"` (or `ssl.CERT_NONE`) and `assert_hostname=False` on urllib3
//!   pools;
//! - `ssl._create_unverified_context()`, replacing `ssl._create_default_https_context` with
//!   it, `context.check_hostname = False` and `context.verify_mode = ssl.CERT_NONE`;
//! - `session.verify = False` on a requests or httpx session;
//! - other clients' switches: `verify_certs=False` (Elasticsearch, OpenSearch),
//!   `validate_cert=False` (Tornado's `HTTPRequest`), `tlsAllowInvalidCertificates=True` /
//!   `tlsInsecure=True` (pymongo, motor);
//! - with medium confidence, a switch read from configuration whose fallback is off:
//!   `verify=config.get("verify_ssl", False)`, `verify=getattr(settings, "VERIFY", False)`,
//!   `verify=os.environ.get("VERIFY_SSL", "false")`, `session.verify = options.get("verify",
//!   False)` — a deployment may turn it on, but the code leaves it off;
//! - with low confidence and medium severity, `cert_reqs="CERT_OPTIONAL"` and
//!   `verify_mode = ssl.CERT_OPTIONAL`: Python treats it like `CERT_REQUIRED` on a client,
//!   but on a server context it accepts peers that send no certificate.
//!
//! A method call such as `self.session.get(url, verify=False)` whose receiver cannot be
//! traced to a client is reported with medium confidence, and only in files that import
//! requests or httpx; a `verify=False` passed to your own classes in a file that imports no
//! HTTP client is not reported.
//!
//! ## Why it matters
//! TLS without certificate verification encrypts traffic to whoever answers. Anyone on the
//! path — a compromised Wi-Fi network, a rogue pod in the cluster, a DNS hijack — can present
//! their own certificate, read the API keys, payment data and personal data in transit, and
//! alter responses. The policy requires TLS for messages (`python-backend`); a TLS connection
//! that trusts any certificate does not meet it.
//!
//! ## Example
//! ```python
//! import requests
//!
//! def charge(order):
//!     # Flagged: any certificate is accepted for the payment provider.
//!     return requests.post(PAYMENTS_URL, json=order.as_payload(), verify=False, timeout=10)
//! ```
//!
//! ## Remediation
//! Remove the override: verification is on by default in every client listed here. If the
//! server uses a private CA, pass its bundle instead of turning verification off —
//! `verify="/etc/ssl/certs/internal-ca.pem"` (requests, httpx),
//! `ssl.create_default_context(cafile=...)` (aiohttp, urllib3, `ssl`). For local development
//! against self-signed certificates, make the CA bundle a setting rather than the check.
//!
//! ## References
//! - CWE-295: Improper Certificate Validation
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP Transport Layer Security Cheat Sheet
//! - Python documentation, `ssl` — Security considerations

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::values;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/tls-verification-disabled",
    title: "TLS certificate verification disabled",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[295],
    owasp: Owasp::A02,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("tls_verification_disabled.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call", "assignment"],
    // Sound: every switch it reports is spelled in the file: `verify`/`verify_ssl`/`verify_certs`/`verify_mode`, `ssl`, urllib3's pools, Tornado's and pymongo's keywords.
    needs_text: &["verify", "ssl", "urllib3", "validate_cert", "tlsAllowInvalidCertificates", "tlsInsecure"],
    text_test: None,
    check,
};

/// requests and httpx functions and constructors that take `verify=`.
const VERIFY_CALLS: &[&str] = &[
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.head",
    "requests.options",
    "requests.request",
    "requests.api.request",
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx.get",
    "httpx.post",
    "httpx.put",
    "httpx.patch",
    "httpx.delete",
    "httpx.head",
    "httpx.options",
    "httpx.request",
    "httpx.stream",
    "httpx.Client",
    "httpx.AsyncClient",
];

/// Constructors whose instances' methods take `verify=`.
const VERIFY_CLIENTS: &[&str] = &[
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx.Client",
    "httpx.AsyncClient",
];

/// Methods of requests/httpx sessions and clients that take `verify=`.
const VERIFY_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream",
];

/// aiohttp callables that take `ssl=` / `verify_ssl=`.
const AIOHTTP_CALLS: &[&str] = &[
    "aiohttp.TCPConnector",
    "aiohttp.ClientSession",
    "aiohttp.request",
    "aiohttp.connector.TCPConnector",
    "aiohttp.client.ClientSession",
];

/// Methods of aiohttp sessions that take `ssl=` / `verify_ssl=`.
const AIOHTTP_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "ws_connect",
];

/// Other clients' switches for verification: (constructor, keyword, the value that turns
/// verification off).
const CLIENT_KEYWORDS: &[(&str, &str, bool)] = &[
    ("elasticsearch.Elasticsearch", "verify_certs", false),
    ("elasticsearch.AsyncElasticsearch", "verify_certs", false),
    ("opensearchpy.OpenSearch", "verify_certs", false),
    ("opensearchpy.AsyncOpenSearch", "verify_certs", false),
    ("tornado.httpclient.HTTPRequest", "validate_cert", false),
    ("pymongo.MongoClient", "tlsAllowInvalidCertificates", true),
    ("pymongo.MongoClient", "tlsInsecure", true),
    ("motor.motor_asyncio.AsyncIOMotorClient", "tlsAllowInvalidCertificates", true),
    ("motor.motor_asyncio.AsyncIOMotorClient", "tlsInsecure", true),
];

/// urllib3 pool constructors that take `cert_reqs=` and `assert_hostname=`.
const URLLIB3_POOLS: &[&str] = &[
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
    "urllib3.HTTPSConnectionPool",
    "urllib3.connection_from_url",
    "urllib3.proxy_from_url",
    "urllib3.poolmanager.PoolManager",
    "urllib3.poolmanager.ProxyManager",
    "urllib3.connectionpool.HTTPSConnectionPool",
    "urllib3.connectionpool.connection_from_url",
];

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match node.kind() {
        "call" => check_call(node, cx),
        "assignment" => check_assignment(node, cx),
        _ => {}
    }
}

fn check_call(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let resolved = model.resolve(function);
    let resolved = resolved.as_deref();

    if resolved == Some("ssl._create_unverified_context") {
        // `ssl._create_default_https_context = ssl._create_unverified_context` is reported
        // by the assignment check; this is the call itself.
        let finding = Finding::new(
            &META,
            cx.span(call),
            "`ssl._create_unverified_context()` makes a context that accepts any certificate",
        );
        cx.report(finding);
        return;
    }

    // Direct calls to a known client function or constructor.
    if let Some(name) = resolved {
        if VERIFY_CALLS.contains(&name) {
            report_false_keyword(call, "verify", name, Confidence::High, cx);
            return;
        }
        if AIOHTTP_CALLS.contains(&name) {
            for keyword in ["ssl", "verify_ssl"] {
                report_false_keyword(call, keyword, name, Confidence::High, cx);
            }
            return;
        }
        if URLLIB3_POOLS.contains(&name) {
            check_urllib3(call, name, cx);
            return;
        }
        if let Some((_, keyword, off)) = CLIENT_KEYWORDS.iter().find(|(n, ..)| *n == name) {
            report_keyword(call, keyword, *off, name, cx);
            return;
        }
        if model.imports_package(name.split('.').next().unwrap_or("")) {
            // A resolved call into some other imported library: its `verify` is not ours.
            if !name.starts_with("requests.") && !name.starts_with("httpx.") {
                return;
            }
        }
    }

    // Method calls on a session or client: `session.get(url, verify=False)`.
    if function.kind() != "attribute" {
        return;
    }
    let (Some(receiver), Some(method)) = (
        function.child_by_field_id(*field::OBJECT),
        function.child_by_field_id(*field::ATTRIBUTE),
    ) else {
        return;
    };
    let method = model.text(method);
    let receiver_type = values::constructed_by(model, receiver);

    if VERIFY_METHODS.contains(&method) && values::keyword(model, call, "verify").is_some() {
        let confidence = match receiver_type.as_deref() {
            Some(t) if VERIFY_CLIENTS.contains(&t) => Some(Confidence::High),
            Some(_) => None,
            None if model.imports_package("requests") || model.imports_package("httpx") => {
                Some(Confidence::Medium)
            }
            None => None,
        };
        if let Some(confidence) = confidence {
            let what = format!("{}.{method}", model.text(receiver));
            report_false_keyword(call, "verify", &what, confidence, cx);
        }
    }
    if AIOHTTP_METHODS.contains(&method) && model.imports_package("aiohttp") {
        let confidence = match receiver_type.as_deref() {
            Some(t) if AIOHTTP_CALLS.contains(&t) => Some(Confidence::High),
            Some(_) => None,
            None => Some(Confidence::Medium),
        };
        if let Some(confidence) = confidence {
            let what = format!("{}.{method}", model.text(receiver));
            for keyword in ["ssl", "verify_ssl"] {
                report_false_keyword(call, keyword, &what, confidence, cx);
            }
        }
    }
}

/// Reports `call`'s keyword argument `name` when its value is `False` (literally, or through a
/// name that holds `False` and nothing else).
fn report_false_keyword(
    call: Node<'_>,
    name: &str,
    callee: &str,
    confidence: Confidence,
    cx: &mut RuleContext<'_, '_>,
) {
    let Some(argument) = values::keyword(cx.model, call, name) else {
        return;
    };
    let Some(value) = argument.child_by_field_id(*field::VALUE) else {
        return;
    };
    let Some(via) = values::literal_bool(cx.model, value)
        .filter(|(held, _)| !held)
        .map(|(_, via)| via)
    else {
        if let Some(lookup) = default_off_lookup(cx.model, value) {
            let finding = Finding::new(
                &META,
                cx.span(argument),
                format!(
                    "`{callee}(..., {name}={})` accepts any certificate unless the configuration turns verification on: the default is off",
                    values_short(cx.model.text(lookup))
                ),
            )
            .with_confidence(match confidence {
                Confidence::High => Confidence::Medium,
                _ => Confidence::Low,
            });
            cx.report(finding);
        }
        return;
    };
    let mut finding = Finding::new(
        &META,
        cx.span(argument),
        format!("`{callee}(..., {name}=False)` accepts any certificate, so TLS no longer authenticates the server"),
    )
    .with_confidence(confidence);
    if let Some(definition) = via {
        finding = finding.with_related(
            cx.span(definition),
            format!("`{}` is set to False here", cx.model.text(value)),
        );
    }
    cx.report(finding);
}

fn check_urllib3(call: Node<'_>, callee: &str, cx: &mut RuleContext<'_, '_>) {
    if let Some(argument) = values::keyword(cx.model, call, "cert_reqs")
        && let Some(value) = argument.child_by_field_id(*field::VALUE)
    {
        let text = cx.model.text(value);
        let unquoted = text.trim_matches(|c| c == '"' || c == '\'');
        let none = match value.kind() {
            "string" => unquoted == "CERT_NONE" || unquoted == "NONE",
            _ => cx.model.resolve(value).as_deref() == Some("ssl.CERT_NONE"),
        };
        if none {
            let finding = Finding::new(
                &META,
                cx.span(argument),
                format!("`{callee}(cert_reqs={text})` accepts any certificate"),
            );
            cx.report(finding);
        } else if is_cert_optional(cx.model, value) {
            cx.report(cert_optional(cx.span(argument), &format!("`{callee}(cert_reqs={text})`")));
        }
    }
    report_false_keyword(call, "assert_hostname", callee, Confidence::High, cx);
}

fn check_assignment(assignment: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(left), Some(right)) = (
        assignment.child_by_field_id(*field::LEFT),
        assignment.child_by_field_id(*field::RIGHT),
    ) else {
        return;
    };
    if left.kind() != "attribute" {
        return;
    }
    if model.resolve(left).as_deref() == Some("ssl._create_default_https_context") {
        if model.resolve(right).as_deref() == Some("ssl._create_unverified_context") {
            let finding = Finding::new(
                &META,
                cx.span(assignment),
                "every HTTPS connection made through the standard library now accepts any certificate",
            );
            cx.report(finding);
        }
        return;
    }
    let Some(attribute) = left.child_by_field_id(*field::ATTRIBUTE) else {
        return;
    };
    let message = match model.text(attribute) {
        "check_hostname" if model.imports_package("ssl") && right.kind() == "false" => {
            "`check_hostname = False` accepts a valid certificate issued for any other host"
        }
        "verify_mode"
            if model.imports_package("ssl")
                && model.resolve(right).as_deref() == Some("ssl.CERT_NONE") =>
        {
            "`verify_mode = CERT_NONE` accepts any certificate"
        }
        "verify_mode" if model.imports_package("ssl") && is_cert_optional(model, right) => {
            let finding = cert_optional(cx.span(assignment), "`verify_mode = CERT_OPTIONAL`");
            cx.report(finding);
            return;
        }
        "verify"
            if (model.imports_package("requests") || model.imports_package("httpx"))
                && values::literal_bool(model, right).is_some_and(|(held, _)| !held) =>
        {
            "`session.verify = False` turns certificate verification off for every request of this session"
        }
        "verify"
            if (model.imports_package("requests") || model.imports_package("httpx"))
                && default_off_lookup(model, right).is_some() =>
        {
            let finding = Finding::new(
                &META,
                cx.span(assignment),
                "`session.verify` is read from configuration with a fallback of `False`: every request of this session accepts any certificate unless the configuration turns verification on",
            )
            .with_confidence(Confidence::Medium);
            cx.report(finding);
            return;
        }
        _ => return,
    };
    let finding = Finding::new(&META, cx.span(assignment), message);
    cx.report(finding);
}

/// A configuration lookup whose fallback is `False`: `config.get("VERIFY_SSL", False)`,
/// `getattr(settings, "VERIFY_SSL", False)`, `os.environ.get("VERIFY", "false")`,
/// `env.bool("VERIFY_SSL", default=False)`. The deployment may turn verification on; the
/// code leaves it off.
fn default_off_lookup<'t>(model: &crate::model::Model<'t>, value: Node<'t>) -> Option<Node<'t>> {
    if value.kind() != "call" {
        return None;
    }
    let function = value.child_by_field_id(*field::FUNCTION)?;
    let default = match model.text(function) {
        "getattr" => values::positional_argument(value, 2),
        _ => crate::settings::env_default(model, value).or_else(|| {
            let method = function.child_by_field_id(*field::ATTRIBUTE).map(|m| model.text(m));
            matches!(method, Some("get" | "getboolean" | "get_bool" | "bool"))
                .then(|| {
                    values::keyword_value(model, value, "default")
                        .or_else(|| values::positional_argument(value, 1))
                })
                .flatten()
        }),
    }?;
    let off = match default.kind() {
        "false" => true,
        _ => values::literal_string(model, default).is_some_and(|s| {
            matches!(s.trim().to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off")
        }),
    };
    off.then_some(value)
}

fn values_short(text: &str) -> String {
    crate::flow::short(text)
}

/// `ssl.CERT_OPTIONAL`, `"CERT_OPTIONAL"` or `"OPTIONAL"`.
fn is_cert_optional(model: &crate::model::Model<'_>, value: Node<'_>) -> bool {
    match value.kind() {
        "string" => values::literal_string(model, value)
            .is_some_and(|s| s == "CERT_OPTIONAL" || s == "OPTIONAL"),
        _ => model.resolve(value).as_deref() == Some("ssl.CERT_OPTIONAL"),
    }
}

/// `CERT_OPTIONAL` verifies a certificate only when the peer sends one. A client's peer
/// always does, and Python then treats it like `CERT_REQUIRED`; on a server context, and in
/// code ported from other TLS stacks, it accepts peers without a certificate. Reported at
/// low confidence and medium severity: say `CERT_REQUIRED` when that is what is meant.
fn cert_optional(span: palisade_core::Span, what: &str) -> Finding {
    Finding::new(
        &META,
        span,
        format!("{what} verifies the peer's certificate only when one is sent: on a server context that accepts peers without one, and on a client it is `CERT_REQUIRED` written unclearly — write `CERT_REQUIRED`"),
    )
    .with_severity(Severity::Medium)
    .with_confidence(Confidence::Low)
}

/// Reports a client's verification keyword when it holds the value that turns verification
/// off (`verify_certs=False`, `tlsAllowInvalidCertificates=True`).
fn report_keyword(call: Node<'_>, name: &str, off: bool, callee: &str, cx: &mut RuleContext<'_, '_>) {
    if !off {
        report_false_keyword(call, name, callee, Confidence::High, cx);
        return;
    }
    let Some(argument) = values::keyword(cx.model, call, name) else {
        return;
    };
    let Some(value) = argument.child_by_field_id(*field::VALUE) else {
        return;
    };
    if values::literal_bool(cx.model, value).is_some_and(|(held, _)| held) {
        let finding = Finding::new(
            &META,
            cx.span(argument),
            format!("`{callee}(..., {name}=True)` accepts any certificate, so TLS no longer authenticates the server"),
        );
        cx.report(finding);
    }
}
