//! Flags TLS settings that allow or force SSL 3.0, TLS 1.0 or TLS 1.1.
//!
//! ## What it checks
//! Uses of the `ssl` module and pyOpenSSL that pin or permit an obsolete protocol version:
//! - `ssl.PROTOCOL_SSLv2`, `PROTOCOL_SSLv3`, `PROTOCOL_TLSv1`, `PROTOCOL_TLSv1_1` — in
//!   `ssl.SSLContext(...)`, `ssl.wrap_socket(ssl_version=...)`, a requests/urllib3 adapter's
//!   `ssl_version=`, or a constant that holds one;
//! - `ssl.TLSVersion.SSLv3`, `TLSv1` or `TLSv1_1` as a context's `minimum_version` or
//!   `maximum_version` (or urllib3's `ssl_minimum_version=`), and
//!   `minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED` (medium confidence: it is whatever
//!   the linked OpenSSL still accepts);
//! - `ssl.OP_NO_TLSv1_2` being set, which leaves only older versions (or only 1.3), and
//!   clearing `OP_NO_SSLv3` / `OP_NO_TLSv1` / `OP_NO_TLSv1_1` (`options &= ~ssl.OP_NO_TLSv1`),
//!   which re-enables them;
//! - pyOpenSSL's `SSL.SSLv2_METHOD`, `SSLv3_METHOD`, `TLSv1_METHOD`, `TLSv1_1_METHOD` and
//!   `set_min_proto_version(SSL.TLS1_VERSION)` (or `TLS1_1_VERSION`, `SSL3_VERSION`);
//! - `ssl_version="TLSv1"`-style strings (urllib3 accepts protocol names) and
//!   mysql-connector's `tls_versions=["TLSv1", "TLSv1.1"]`.
//!
//! Not reported: `PROTOCOL_TLS_CLIENT`, `PROTOCOL_TLS_SERVER`, `PROTOCOL_TLS` /
//! `PROTOCOL_SSLv23` and pyOpenSSL's `TLS_METHOD` / `SSLv23_METHOD` (they negotiate the
//! highest version both sides support, and current OpenSSL builds refuse SSL 3.0);
//! `minimum_version` of `TLSv1_2` or `TLSv1_3`; setting `OP_NO_TLSv1 | OP_NO_TLSv1_1`
//! (turning old versions off is the fix); comparisons such as
//! `if ctx.minimum_version < ssl.TLSVersion.TLSv1_2:`; lookup keys and translation tables
//! between libraries (`{ssl.PROTOCOL_TLSv1: SSL.TLSv1_METHOD}`,
//! `table[ssl.PROTOCOL_TLSv1_1] = SSL.TLSv1_1_METHOD`);
//! test code (`tests/`, `test_*.py`),
//! which pins old versions to check that they are refused.
//!
//! ## Why it matters
//! SSL 3.0 and TLS 1.0 fall to known attacks on their CBC and padding constructions (POODLE,
//! BEAST); TLS 1.0 and 1.1 rely on MD5 and SHA-1 in the handshake and lack the modern AEAD
//! cipher suites. RFC 8996 deprecates both, browsers removed them, and PCI DSS forbids them
//! for card data. A client that accepts them can be pushed down to them by an attacker on
//! the path; a server that offers them exposes every client that still speaks them.
//!
//! ## Example
//! ```python
//! import ssl
//!
//! context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)   # flagged: TLS 1.0 only
//! context.minimum_version = ssl.TLSVersion.TLSv1  # flagged
//! ```
//!
//! ## Remediation
//! Create contexts with `ssl.create_default_context()` (clients) or
//! `ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)` (servers) and set
//! `context.minimum_version = ssl.TLSVersion.TLSv1_2`. With pyOpenSSL use
//! `SSL.Context(SSL.TLS_METHOD)` and `ctx.set_min_proto_version(SSL.TLS1_2_VERSION)`. If a
//! legacy peer only speaks TLS 1.0, isolate that connection and plan its upgrade rather
//! than lowering the floor for everything.
//!
//! ## References
//! - CWE-327: Use of a Broken or Risky Cryptographic Algorithm
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP Transport Layer Security Cheat Sheet
//! - RFC 8996: Deprecating TLS 1.0 and TLS 1.1
//! - Python documentation, `ssl` — Protocol versions

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::settings::{follow, string_value};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::roles::{NameRole, deployment_role};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/weak-tls-protocol",
    title: "Obsolete SSL/TLS protocol version allowed",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[327],
    owasp: Owasp::A02,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("weak_tls_protocol.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &[
        "attribute",
        "keyword_argument",
        "argument_list",
        "assignment",
        "augmented_assignment",
    ],
    // Every name it looks for contains `SSL` or `TLS` (or is `MINIMUM_SUPPORTED`), and so
    // does every keyword it reads (`ssl_version`, `tls_versions`).
    needs_text: &["SSL", "TLS", "MINIMUM_SUPPORTED", "ssl_", "tls_version"],
    text_test: None,
    check,
};

/// The last part of every name this rule cares about; anything else is skipped before the
/// (costlier) import resolution.
const NAMES: &[&str] = &[
    "PROTOCOL_SSLv2",
    "PROTOCOL_SSLv3",
    "PROTOCOL_TLSv1",
    "PROTOCOL_TLSv1_1",
    "SSLv3",
    "TLSv1",
    "TLSv1_1",
    "MINIMUM_SUPPORTED",
    "OP_NO_TLSv1_2",
    "OP_NO_SSLv2",
    "OP_NO_SSLv3",
    "OP_NO_TLSv1",
    "OP_NO_TLSv1_1",
    "SSLv2_METHOD",
    "SSLv3_METHOD",
    "TLSv1_METHOD",
    "TLSv1_1_METHOD",
    "SSL3_VERSION",
    "TLS1_VERSION",
    "TLS1_1_VERSION",
];

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match node.kind() {
        "attribute" => {
            let Some(last) = node.child_by_field_id(*field::ATTRIBUTE) else {
                return;
            };
            if NAMES.contains(&cx.model.text(last)) {
                check_reference(node, cx);
            }
        }
        "keyword_argument" => {
            check_string_keyword(node, cx);
            if let Some(value) = node.child_by_field_id(*field::VALUE)
                && imports_tls(cx)
            {
                check_bare_names(value, cx);
            }
        }
        "argument_list" if imports_tls(cx) => {
            let mut cursor = node.walk();
            for argument in node.named_children(&mut cursor) {
                if argument.kind() != "keyword_argument" {
                    check_bare_names(argument, cx);
                }
            }
        }
        "assignment" | "augmented_assignment" if imports_tls(cx) => {
            if let Some(right) = node.child_by_field_id(*field::RIGHT) {
                check_bare_names(right, cx);
            }
        }
        _ => {}
    }
}

fn imports_tls(cx: &RuleContext<'_, '_>) -> bool {
    cx.model.imports_package("ssl") || cx.model.imports_package("OpenSSL")
}

/// Names imported on their own (`from ssl import PROTOCOL_TLSv1`) used as a value, alone or
/// in `|` / `~` expressions. Looking only where values go, and only in files that import
/// `ssl` or pyOpenSSL, keeps the rule off the many identifiers of other files.
fn check_bare_names(value: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match value.kind() {
        "identifier" if NAMES.contains(&cx.model.text(value)) => check_reference(value, cx),
        "binary_operator" | "unary_operator" | "parenthesized_expression" => {
            let mut cursor = value.walk();
            let children: Vec<Node<'_>> = value.named_children(&mut cursor).collect();
            for child in children {
                check_bare_names(child, cx);
            }
        }
        _ => {}
    }
}

/// How a reference to a protocol constant is used.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Compared, tested, used as a lookup key or in a translation table: not a setting.
    Compared,
    /// Under `~` (being cleared from an options mask) or in `clear_options(...)`.
    Cleared,
    /// Anything else: passed, assigned, or-ed into options.
    Set,
}

fn use_of(node: Node<'_>, cx: &RuleContext<'_, '_>) -> Use {
    let mut child = node;
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "comparison_operator" | "assert_statement" => return Use::Compared,
            // `table[ssl.PROTOCOL_TLSv1] = …`, `{ssl.PROTOCOL_TLSv1: SSL.TLSv1_METHOD}`:
            // a lookup key, or a translation table between two libraries' names.
            "subscript"
                if n.child_by_field_id(*field::SUBSCRIPT)
                    .is_some_and(|s| s.id() == child.id()) =>
            {
                return Use::Compared;
            }
            "assignment"
                if n.child_by_field_id(*field::LEFT).is_some_and(|l| {
                    l.kind() == "subscript"
                        && l.child_by_field_id(*field::SUBSCRIPT)
                            .is_some_and(|k| !matches!(k.kind(), "string" | "concatenated_string"))
                }) =>
            {
                return Use::Compared;
            }
            "pair"
                if n.child_by_field_id(*field::KEY)
                    .is_some_and(|k| !matches!(k.kind(), "string" | "concatenated_string")) =>
            {
                return Use::Compared;
            }
            "unary_operator"
                if n.child_by_field_id(*field::OPERATOR)
                    .is_some_and(|o| cx.model.text(o) == "~") =>
            {
                return Use::Cleared;
            }
            "call" => {
                let clear = n
                    .child_by_field_id(*field::FUNCTION)
                    .and_then(|f| f.child_by_field_id(*field::ATTRIBUTE))
                    .is_some_and(|a| cx.model.text(a) == "clear_options");
                let in_arguments = n
                    .child_by_field_id(*field::ARGUMENTS)
                    .is_some_and(|a| a.id() == child.id());
                if clear && in_arguments {
                    return Use::Cleared;
                }
                // `getattr(ssl, "PROTOCOL_TLSv1")` and other calls: keep looking up only
                // through argument lists.
                if !in_arguments {
                    return Use::Set;
                }
            }
            "expression_statement" | "block" | "module" | "function_definition" => return Use::Set,
            _ => {}
        }
        child = n;
        current = n.parent();
    }
    Use::Set
}

/// The assignment target when `node` is (part of) the right side of `x.name = …`.
fn assigned_attribute<'t>(node: Node<'t>, cx: &RuleContext<'t, '_>) -> Option<&'t str> {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "assignment" | "augmented_assignment" if imports_tls(cx) => {
                let left = n.child_by_field_id(*field::LEFT)?;
                let text = cx.model.text(left);
                return Some(text.rsplit('.').next().unwrap_or(text));
            }
            "binary_operator" | "parenthesized_expression" | "unary_operator" => {}
            _ => return None,
        }
        current = n.parent();
    }
    None
}

fn check_reference(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    if deployment_role(&cx.file.path) == NameRole::Test {
        return;
    }
    if node.parent().is_some_and(|p| {
        p.kind() == "attribute"
            && p.child_by_field_id(*field::OBJECT)
                .is_some_and(|o| o.id() == node.id())
    }) {
        return; // `ssl.TLSVersion.TLSv1.name`
    }
    let Some(resolved) = cx.model.resolve(node) else {
        return;
    };
    let (module, name) = match resolved.as_str() {
        r if r.starts_with("ssl.TLSVersion.") => ("TLSVersion", &r["ssl.TLSVersion.".len()..]),
        r if r.starts_with("ssl.") => ("ssl", &r["ssl.".len()..]),
        r if r.starts_with("OpenSSL.SSL.") => ("OpenSSL", &r["OpenSSL.SSL.".len()..]),
        _ => return,
    };
    let used = use_of(node, cx);
    if used == Use::Compared {
        return;
    }
    let (message, confidence) = match (module, name, used) {
        (
            "ssl",
            "PROTOCOL_SSLv2" | "PROTOCOL_SSLv3" | "PROTOCOL_TLSv1" | "PROTOCOL_TLSv1_1",
            Use::Set,
        ) => (
            format!(
                "`ssl.{name}` pins connections to {}, an obsolete protocol version; use PROTOCOL_TLS_CLIENT/SERVER with `minimum_version = TLSVersion.TLSv1_2`",
                version_name(name)
            ),
            Confidence::High,
        ),
        ("TLSVersion", "SSLv3" | "TLSv1" | "TLSv1_1", Use::Set) => {
            let bound = match assigned_attribute(node, cx) {
                Some("maximum_version") => "caps connections at",
                _ => "lets connections fall back to",
            };
            (
                format!(
                    "`TLSVersion.{name}` {bound} {}, an obsolete protocol version; require TLSv1_2 or later",
                    version_name(name)
                ),
                Confidence::High,
            )
        }
        ("TLSVersion", "MINIMUM_SUPPORTED", Use::Set)
            if assigned_attribute(node, cx) == Some("minimum_version") =>
        {
            (
                "`minimum_version = TLSVersion.MINIMUM_SUPPORTED` accepts whatever old versions the linked OpenSSL still supports; set TLSv1_2".to_string(),
                Confidence::Medium,
            )
        }
        ("ssl" | "OpenSSL", "OP_NO_TLSv1_2", Use::Set) => (
            "setting `OP_NO_TLSv1_2` disables TLS 1.2, leaving older versions (or only TLS 1.3) — turn off TLSv1 and TLSv1_1 instead".to_string(),
            Confidence::High,
        ),
        ("ssl" | "OpenSSL", "OP_NO_SSLv2" | "OP_NO_SSLv3" | "OP_NO_TLSv1" | "OP_NO_TLSv1_1", Use::Cleared) => (
            format!(
                "clearing `{name}` re-enables {}, an obsolete protocol version",
                version_name(name)
            ),
            Confidence::High,
        ),
        ("OpenSSL", "SSLv2_METHOD" | "SSLv3_METHOD" | "TLSv1_METHOD" | "TLSv1_1_METHOD", Use::Set) => (
            format!(
                "`SSL.{name}` pins connections to {}, an obsolete protocol version; use `SSL.TLS_METHOD` with `set_min_proto_version(SSL.TLS1_2_VERSION)`",
                version_name(name)
            ),
            Confidence::High,
        ),
        ("OpenSSL", "SSL3_VERSION" | "TLS1_VERSION" | "TLS1_1_VERSION", Use::Set) => (
            format!(
                "`SSL.{name}` as a protocol bound allows {}, an obsolete protocol version; use `SSL.TLS1_2_VERSION`",
                version_name(name)
            ),
            Confidence::High,
        ),
        _ => return,
    };
    let finding = Finding::new(&META, cx.span(node), message).with_confidence(confidence);
    cx.report(finding);
}

fn version_name(constant: &str) -> &'static str {
    let c = constant.to_ascii_uppercase();
    if c.contains("SSLV2") {
        "SSL 2.0"
    } else if c.contains("SSLV3") || c.contains("SSL3") {
        "SSL 3.0"
    } else if c.contains("TLSV1_1") || c.contains("TLS1_1") || c.contains("TLSV1.1") {
        "TLS 1.1"
    } else {
        "TLS 1.0"
    }
}

/// `ssl_version="TLSv1"` (urllib3 resolves names) and `tls_versions=["TLSv1.1"]`.
fn check_string_keyword(argument: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(name), Some(value)) = (
        argument.child_by_field_id(*field::NAME),
        argument.child_by_field_id(*field::VALUE),
    ) else {
        return;
    };
    let name = model.text(name);
    let weak = |s: &str| {
        let s = s.trim().trim_start_matches("PROTOCOL_");
        matches!(
            s,
            "TLSv1" | "TLSv1_1" | "TLSv1.0" | "TLSv1.1" | "SSLv3" | "SSLv2" | "SSLv23_only_v3"
        )
    };
    if !matches!(
        name,
        "ssl_version"
            | "ssl_minimum_version"
            | "ssl_maximum_version"
            | "tls_version"
            | "tls_versions"
    ) || deployment_role(&cx.file.path) == NameRole::Test
    {
        return;
    }
    let value = follow(model, value).0;
    let found = match name {
        "ssl_version" | "ssl_minimum_version" | "ssl_maximum_version" | "tls_version" => {
            string_value(model, value).filter(|s| weak(s))
        }
        "tls_versions" if matches!(value.kind(), "list" | "tuple") => {
            let mut cursor = value.walk();
            value
                .named_children(&mut cursor)
                .filter_map(|e| string_value(model, e))
                .find(|s| weak(s))
        }
        _ => None,
    };
    if let Some(version) = found {
        let finding = Finding::new(
            &META,
            cx.span(argument),
            format!(
                "`{name}` allows \"{version}\" ({}), an obsolete protocol version; require TLSv1.2 or later",
                version_name(&version)
            ),
        );
        cx.report(finding);
    }
}
