//! Flags JSON Web Tokens decoded without checking their signature (or their expiry).
//!
//! ## What it checks
//! Calls to PyJWT (`import jwt`) and python-jose (`from jose import jwt`), resolved through
//! imports and aliases:
//! - `jwt.decode(token, options={"verify_signature": False})` — also through a variable
//!   holding the options dictionary and `options=dict(verify_signature=False)`;
//! - `jwt.decode(token, verify=False)` (PyJWT 1.x);
//! - `algorithms=["none"]` (any case) in the accepted algorithms;
//! - `options={"verify_exp": False}`: the signature is checked but tokens never expire —
//!   reported with medium severity;
//! - python-jose `jwt.get_unverified_claims(token)`, reported with medium confidence: the
//!   claims are attacker-controlled unless the same token is verified elsewhere.
//!
//! A function that peeks at a token without verification *and* then decodes the same token
//! with verification (the usual way to pick the key by `kid` or issuer) is not reported, nor
//! is one whose unverified claims are only read for who issued the token
//! (`payload = jwt.decode(token, options={"verify_signature": False})` then only
//! `payload.get("iss")`, `payload["kid"]`, `payload.get(JWT_OWNER_FIELD)`): it picks which
//! verifier runs, and nothing else sees the claims.
//! Not reported either: `jwt.get_unverified_header(token)` (reading the header to select a
//! key is normal), decoding with a key and algorithms, `verify_aud: False` (tokens without an
//! audience), a missing `algorithms=` argument (PyJWT 2 refuses to decode without it),
//! authlib's `jwt.decode(..., claims_options=...)`, and unrelated `decode()` methods
//! (`bytes.decode`, `base64.b64decode`).
//!
//! ## Why it matters
//! A JWT is only as trustworthy as its signature check. Without it, anyone can write a token
//! with `"sub": "admin"` or `"scope": "orders:write"` and the service will act on it:
//! authentication and every authorization decision based on the claims are bypassed.
//! Accepting the `none` algorithm has the same effect, since an unsigned token then passes
//! verification. Disabling the expiry check turns every leaked token into a permanent key.
//!
//! ## Example
//! ```python
//! import jwt
//!
//! def current_user(token: str) -> User:
//!     # Flagged: the signature is never checked, so the claims are whatever the caller wrote.
//!     claims = jwt.decode(token, options={"verify_signature": False})
//!     return User.objects.get(pk=claims["sub"])
//! ```
//!
//! ## Remediation
//! Decode with the key and an explicit list of the algorithms you issue:
//! `jwt.decode(token, key, algorithms=["RS256"], audience=API_AUDIENCE)`. For tokens from an
//! identity provider, fetch the key with `jwt.PyJWKClient(jwks_url).get_signing_key_from_jwt
//! (token)`. Keep `exp` verification on and give tokens a short lifetime. If an API gateway
//! verifies tokens before they reach the service, verify them again anyway — requests can
//! reach the service by other paths.
//!
//! ## References
//! - CWE-347: Improper Verification of Cryptographic Signature
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP JSON Web Token Cheat Sheet for Java (the checks apply to every language)
//! - PyJWT documentation, usage: "Reading the claimset without validation"

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::model::{Model, scope_of};
use crate::values::{argument, enclosing_function, literal_bool, literal_string};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/jwt-verification-disabled",
    title: "JWT decoded without signature verification",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[347],
    owasp: Owasp::A02,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("jwt_verification_disabled.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call"],
    // Sound: every sink resolves to a `jwt.` or `jose.jwt.` name, whose import spells `jwt`.
    needs_text: &["jwt"],
    text_test: None,
    check,
};

/// PyJWT and python-jose decoding functions: (name, library) — the options argument is the
/// fourth positional in both.
const DECODE: &[&str] = &[
    "jwt.decode",
    "jwt.decode_complete",
    "jwt.api_jwt.decode",
    "jwt.api_jwt.decode_complete",
    "jose.jwt.decode",
];

const UNVERIFIED_CLAIMS: &[&str] = &[
    "jose.jwt.get_unverified_claims",
    "jwt.get_unverified_claims",
];

fn check(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let Some(resolved) = model.resolve(function) else {
        return;
    };
    let callee = model.text(function);
    if UNVERIFIED_CLAIMS.contains(&resolved.as_str()) {
        if verified_elsewhere(model, call) {
            return;
        }
        let finding = Finding::new(
            &META,
            cx.span(call),
            format!("`{callee}` returns claims whose signature nobody checked: a caller can write any claim it likes"),
        )
        .with_severity(Severity::High)
        .with_confidence(Confidence::Medium);
        cx.report(finding);
        return;
    }
    if !DECODE.contains(&resolved.as_str()) {
        return;
    }
    if let Some((found, how)) = signature_disabled(model, call) {
        if verified_elsewhere(model, call) || reads_only_routing_claims(model, call) {
            return;
        }
        let message = format!(
            "`{callee}` with {how} accepts unsigned or forged tokens: whoever sends one chooses its claims"
        );
        report(found, message, Severity::Critical, cx);
    }
    if let Some(found) = expiry_disabled(model, call) {
        let message = format!(
            "`{callee}` with `verify_exp: False` accepts expired tokens: a leaked token stays valid forever"
        );
        report(found, message, Severity::Medium, cx);
    }
}

fn report(found: Found<'_>, message: String, severity: Severity, cx: &mut RuleContext<'_, '_>) {
    let mut finding = Finding::new(&META, cx.span(found.at), message).with_severity(severity);
    if let Some(definition) = found.definition {
        finding = finding.with_related(cx.span(definition), "the setting is defined here");
    }
    cx.report(finding);
}

/// The options dictionary of a decode call — a literal, `dict(...)`, or a name holding one —
/// and the argument that passes it.
fn options<'t>(model: &Model<'t>, call: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let value = argument(model, call, 3, "options")?;
    let dictionary = match value.kind() {
        "dictionary" | "call" => value,
        "identifier" | "attribute" => {
            let held = model.single_value(scope_of(value), &model.dotted(value)?)?;
            if !matches!(held.kind(), "dictionary" | "call") {
                return None;
            }
            held
        }
        _ => return None,
    };
    Some((dictionary, value))
}

/// Where to report an entry found in a value: at the entry itself when the value is written
/// in the call, else at the call's argument, with the entry as a related location.
fn place<'t>(argument: Node<'t>, entry: Node<'t>, call: Node<'t>) -> Found<'t> {
    let inline = entry.start_byte() >= call.start_byte() && entry.end_byte() <= call.end_byte();
    if inline {
        Found {
            at: entry,
            definition: None,
        }
    } else {
        let at = argument
            .parent()
            .filter(|p| p.kind() == "keyword_argument")
            .unwrap_or(argument);
        Found {
            at,
            definition: Some(entry),
        }
    }
}

/// A setting that weakens verification: where to report it, and where it is defined when
/// that is elsewhere.
struct Found<'t> {
    at: Node<'t>,
    definition: Option<Node<'t>>,
}

/// The entry `key` of an options dictionary (a `pair` or `keyword_argument`) when its value
/// is the constant `False`.
fn false_entry<'t>(model: &Model<'t>, options: Node<'t>, key: &str) -> Option<Node<'t>> {
    let entries: Vec<Node<'t>> = match options.kind() {
        "dictionary" => {
            let mut cursor = options.walk();
            options.named_children(&mut cursor).collect()
        }
        "call" => {
            let function = options.child_by_field_id(*field::FUNCTION)?;
            if model.text(function) != "dict" {
                return None;
            }
            let arguments = options.child_by_field_id(*field::ARGUMENTS)?;
            let mut cursor = arguments.walk();
            arguments.named_children(&mut cursor).collect()
        }
        _ => return None,
    };
    entries.into_iter().find(|entry| {
        let (name, value) = match entry.kind() {
            "pair" => (
                entry
                    .child_by_field_id(*field::KEY)
                    .and_then(|k| literal_string(model, k)),
                entry.child_by_field_id(*field::VALUE),
            ),
            "keyword_argument" => (
                entry
                    .child_by_field_id(*field::NAME)
                    .map(|n| model.text(n).to_string()),
                entry.child_by_field_id(*field::VALUE),
            ),
            _ => (None, None),
        };
        name.as_deref() == Some(key)
            && value.is_some_and(|v| matches!(literal_bool(model, v), Some((false, _))))
    })
}

/// Where and how a decode call turns signature verification off.
fn signature_disabled<'t>(model: &Model<'t>, call: Node<'t>) -> Option<(Found<'t>, &'static str)> {
    if let Some((options, passed)) = options(model, call)
        && let Some(entry) = false_entry(model, options, "verify_signature")
    {
        return Some((place(passed, entry, call), "`verify_signature: False`"));
    }
    if let Some(verify) = argument(model, call, usize::MAX, "verify")
        && matches!(literal_bool(model, verify), Some((false, _)))
    {
        let at = verify.parent().unwrap_or(verify);
        return Some((
            Found {
                at,
                definition: None,
            },
            "`verify=False`",
        ));
    }
    let algorithms = argument(model, call, 2, "algorithms")?;
    let list = match algorithms.kind() {
        "list" | "tuple" | "set" => Some(algorithms),
        "identifier" | "attribute" => model
            .single_value(scope_of(algorithms), &model.dotted(algorithms)?)
            .filter(|v| matches!(v.kind(), "list" | "tuple" | "set")),
        _ => None,
    }?;
    let mut cursor = list.walk();
    let none = list
        .named_children(&mut cursor)
        .find(|a| literal_string(model, *a).is_some_and(|s| s.eq_ignore_ascii_case("none")))?;
    Some((
        place(algorithms, none, call),
        "`\"none\"` among the accepted algorithms",
    ))
}

fn expiry_disabled<'t>(model: &Model<'t>, call: Node<'t>) -> Option<Found<'t>> {
    let (options, passed) = options(model, call)?;
    let entry = false_entry(model, options, "verify_exp")?;
    Some(place(passed, entry, call))
}

/// Words of the claims that say who issued a token or how to check it (`iss`, `kid`,
/// `alg`, an `owner` field), which a service reads from an unverified token to pick the
/// verifier.
const ROUTING_CLAIM_WORDS: &[&str] = &[
    "iss", "issuer", "owner", "kid", "alg", "typ", "aud", "audience", "tenant", "provider",
];

/// Whether the unverified claims are only used to read who issued the token: the result is
/// assigned to a name, and every later use of that name in the function reads one claim
/// named like the issuer, key id or owner (`payload.get(JWT_OWNER_FIELD)`, `claims["iss"]`).
/// Such a function picks which verifier to run (`is_saleor_token(token)`); nothing it
/// returns carries the unverified claims.
fn reads_only_routing_claims(model: &Model<'_>, call: Node<'_>) -> bool {
    let Some(assignment) = call.parent().filter(|p| p.kind() == "assignment") else {
        return false;
    };
    let Some(target) = assignment
        .child_by_field_id(*field::LEFT)
        .filter(|l| l.kind() == "identifier")
    else {
        return false;
    };
    let name = model.text(target);
    let Some(function) = enclosing_function(call) else {
        return false;
    };
    let is_routing_key = |key: Node<'_>| {
        let text = literal_string(model, key).unwrap_or_else(|| model.text(key).to_string());
        text.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| ROUTING_CLAIM_WORDS.contains(&word))
    };
    let mut uses = 0;
    let mut stack = vec![function];
    while let Some(node) = stack.pop() {
        if node.kind() == "identifier"
            && node.start_byte() > assignment.end_byte()
            && model.text(node) == name
        {
            uses += 1;
            let Some(parent) = node.parent() else {
                return false;
            };
            let key = match parent.kind() {
                "subscript" => parent.child_by_field_id(*field::SUBSCRIPT),
                "attribute" => parent
                    .child_by_field_id(*field::ATTRIBUTE)
                    .filter(|a| model.text(*a) == "get")
                    .and_then(|_| parent.parent())
                    .filter(|c| c.kind() == "call")
                    .and_then(|c| c.child_by_field_id(*field::ARGUMENTS))
                    .and_then(|a| a.named_child(0)),
                _ => None,
            };
            if !key.is_some_and(is_routing_key) {
                return false;
            }
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    uses > 0
}

/// Whether the function around `call` also decodes the same token (same first argument)
/// with verification on.
fn verified_elsewhere(model: &Model<'_>, call: Node<'_>) -> bool {
    let Some(token) = argument(model, call, 0, "token").map(|t| model.text(t)) else {
        return false;
    };
    let Some(function) = enclosing_function(call) else {
        return false;
    };
    let mut cursor = function.walk();
    'walk: loop {
        let node = cursor.node();
        if node.kind() == "call"
            && node.id() != call.id()
            && node
                .child_by_field_id(*field::FUNCTION)
                .and_then(|f| model.resolve(f))
                .is_some_and(|r| DECODE.contains(&r.as_str()))
            && argument(model, node, 0, "token").is_some_and(|t| model.text(t) == token)
            && signature_disabled(model, node).is_none()
            && argument(model, node, 1, "key").is_some()
        {
            return true;
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
        if cursor.node().id() == function.id() {
            break;
        }
    }
    false
}
