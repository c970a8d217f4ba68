//! Flags secrets — API keys, tokens, signatures, HMAC digests, password hashes — compared with
//! `==` or `!=` instead of a constant-time comparison.
//!
//! ## What it checks
//! Comparisons `a == b` and `a != b` where one side holds a secret value:
//! - a name or attribute about one: `token`, `access_token`, `api_key`, `apikey`,
//!   `secret`, `signature`, `sig`, `hmac`, `digest`, `password_hash` (`settings.API_KEY`,
//!   `self.webhook_secret`, `expected_signature`);
//! - a request header, cookie, query or setting looked up by such a name
//!   (`request.headers["X-API-Key"]`, `request.META.get("HTTP_X_HUB_SIGNATURE_256")`,
//!   `os.environ["WEBHOOK_SECRET"]`, `current_app.config["API_TOKEN"]`);
//! - a computed MAC or signature (`hmac.new(key, body, sha256).hexdigest()`, `sign(payload)`),
//!   or an f-string built from a secret (`f"Bearer {API_TOKEN}"`).
//!
//! Not reported: comparisons with `None`, booleans, numbers, empty strings or short words
//! (`token_type == "bearer"`, `secret == "changeme"`); names about a secret's type, name,
//! length, id, expiry or scope (`token_type`, `api_key_id`, `len(token) == 32`); `in` tests;
//! methods such as `token.startswith(...)`; `assert` statements, `__eq__` methods and test
//! files (`test_*.py`, `*_test.py`, `tests/`, `conftest.py`). A bare `digest` (which may be a
//! file checksum) is reported only in files that use `hmac` or when compared with a request
//! value. Nor are comparisons that only look like one: enum members and labels
//! (`event.type == TransactionEventType.AUTHORIZATION_REQUEST`, `self.REQUEST_TOKEN` whose
//! value `"request"` spells its own name), placeholders (`v == SECRET_PLACEHOLDER`, a
//! constant of one repeated character such as `"--------"`), comparisons inside ORM query
//! expressions (`.filter(cls.api_key == api_key)` builds SQL; the database compares),
//! digests of unkeyed hashes (`hashlib.sha256(...)`, a checksum, not a MAC), and a value the
//! program has just hashed itself (`password_hash = hash_password(new)` checked against the
//! stored row), and a check that only decides whether to store a new value (`if
//! state.get(KEY) != token: state[KEY] = token`), and a presented key checked against a field
//! of the record it was just used to look up (`project = Project.objects.for_api_key(api_key)`
//! then `api_key == project.api_key_readonly`: the database already chose the record by the
//! key). Confidence is high when one side comes
//! from the request or is a configured key, low when one side is a claim read from a decoded JWT (`payload.get("token")`: its
//! signature was checked, so nobody can probe it) or when the comparison is a predicate
//! picking elements out of a collection in a function that reads no request (`filter(lambda
//! org: org["token"] == self.org_token, data)` over a third-party API's answer) or when a
//! local named like a secret is matched against a stored field whose key names none
//! (`user_state.get(MESSAGE_DISMISSED_KEY) == token`: a marker, as far as the file shows),
//! medium otherwise.
//!
//! ## Why it matters
//! `==` on strings and bytes stops at the first character that differs, so the time a
//! failed comparison takes tells the caller how many leading characters of their guess
//! were right. Measured over many requests, that lets an attacker recover an API key,
//! token or webhook signature one character at a time. `hmac.compare_digest` takes the same
//! time whatever the inputs, and is what the standard library provides for exactly this.
//!
//! ## Example
//! ```python
//! @app.before_request
//! def check_key():
//!     # Flagged: the response time leaks how much of the key a guess got right.
//!     if request.headers.get("X-API-Key") != current_app.config["API_KEY"]:
//!         abort(401)
//! ```
//!
//! ## Remediation
//! Compare with `hmac.compare_digest(presented, expected)` (or `secrets.compare_digest`),
//! on bytes or ASCII strings of the same kind, after checking the presented value is
//! present. Better still for API keys: store only a hash of each key and look the hash up,
//! so that no secret is compared directly. For webhooks, use the provider's verification
//! helper (`stripe.Webhook.construct_event`) or compare the computed HMAC with
//! `hmac.compare_digest`.
//!
//! ## References
//! - CWE-208: Observable Timing Discrepancy
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - Python documentation: `hmac.compare_digest`, `secrets.compare_digest`
//! - OWASP REST Security Cheat Sheet (API keys)

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::endpoints::extract::mentions_secret;
use crate::endpoints::secrets::{
    SecretKind, is_from_request, is_not_a_secret_value, is_single_value, secret_operand,
};
use crate::endpoints::syntax::string_value;
use crate::lookalikes;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::secrets::looks_like_key_material;
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/non-constant-time-secret-comparison",
    title: "Secret compared in non-constant time",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[208],
    owasp: Owasp::A02,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("non_constant_time_secret_comparison.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["comparison_operator"],
    needs_text: &[],
    text_test: None,
    check,
};

/// Packages whose import makes a file about requests, authentication or cryptography.
const SECURITY_PACKAGES: &[&str] = &[
    "hmac",
    "hashlib",
    "secrets",
    "jwt",
    "itsdangerous",
    "cryptography",
    "nacl",
    "flask",
    "quart",
    "django",
    "rest_framework",
    "fastapi",
    "starlette",
    "aiohttp",
    "werkzeug",
    "tornado",
    "falcon",
    "bottle",
    "sanic",
    "authlib",
    "oauthlib",
    "stripe",
];

/// Whether the comparison is in an `assert` or an equality method.
fn in_assert_or_eq(node: Node<'_>, source: &[u8]) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "assert_statement" => return true,
            "function_definition" => {
                return n.child_by_field_id(*field::NAME).is_some_and(|name| {
                    matches!(
                        &source[name.byte_range()],
                        b"__eq__" | b"__ne__" | b"__hash__"
                    )
                });
            }
            _ => {}
        }
        current = n.parent();
    }
    false
}

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    if node.named_child_count() != 2 || cx.file.role.is_test() {
        return;
    }
    let source = cx.file.text.as_bytes();
    if !mentions_secret(std::str::from_utf8(&source[node.byte_range()]).unwrap_or("")) {
        return;
    }
    let mut cursor = node.walk();
    let operators: Vec<&[u8]> = node
        .children_by_field_name("operators", &mut cursor)
        .map(|o| &source[o.byte_range()])
        .collect();
    let operator = match operators.as_slice() {
        [b"=="] => "==",
        [b"!="] => "!=",
        _ => return,
    };
    let (Some(left), Some(right)) = (node.named_child(0), node.named_child(1)) else {
        return;
    };
    let kl = secret_operand(left, source);
    let kr = secret_operand(right, source);
    let (kind, other) = match (kl, kr) {
        (Some(k), _) if kr.is_none() || k != SecretKind::Digest => (k, right),
        (_, Some(k)) => (k, left),
        _ => return,
    };
    if is_not_a_secret_value(other, source)
        || (kl.is_some() && is_not_a_secret_value(right, source))
        || (kr.is_some() && is_not_a_secret_value(left, source))
    {
        return;
    }
    let from_request = is_from_request(left, source) || is_from_request(right, source);
    if kind == SecretKind::Digest
        && kl.is_none_or(|k| k == SecretKind::Digest)
        && kr.is_none_or(|k| k == SecretKind::Digest)
        && !from_request
        && !cx.model.imports_package("hmac")
    {
        return;
    }
    // Tokens, signatures and digests are also lexer tokens, function signatures and
    // checksums: they count where the file deals with requests or cryptography.
    if matches!(
        kind,
        SecretKind::Token | SecretKind::Signature | SecretKind::Digest
    ) && !from_request
        && !SECURITY_PACKAGES
            .iter()
            .any(|p| cx.model.imports_package(p))
    {
        return;
    }
    if in_assert_or_eq(node, source)
        || lookalikes::builds_a_query(cx.model, node)
        || lookalikes::is_write_if_changed(cx.model, node)
        || lookalikes::checks_the_record_it_found(cx.model, node)
    {
        return;
    }
    if [left, right].iter().any(|side| {
        lookalikes::is_named_label(cx.model, *side) || lookalikes::is_checksum(cx.model, *side)
    }) {
        return;
    }
    if !from_request
        && [left, right]
            .iter()
            .any(|side| lookalikes::was_just_hashed(cx.model, *side))
    {
        return;
    }
    let confidence = if !from_request
        && ([left, right]
            .iter()
            .any(|side| lookalikes::is_verified_claim(cx.model, *side))
            || lookalikes::selects_from_collection(cx.model, node)
            || lookalikes::matches_a_plain_field(cx.model, node))
    {
        Confidence::Low
    } else if from_request || is_single_value(left, source) || is_single_value(right, source) {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let mut finding = Finding::new(
        &META,
        cx.span(node),
        format!(
            "{} is compared with `{operator}`, which returns as soon as a character differs and so leaks through timing how much of a guess is right; use `hmac.compare_digest`",
            capitalize(kind.describe())
        ),
    )
    .with_confidence(confidence);
    // A key written into the code is itself a secret: mask it in the snippet.
    for side in [left, right] {
        if string_value(side, source).is_some_and(|s| looks_like_key_material(&s)) {
            finding = finding.with_secret(cx.span(side));
        }
    }
    cx.report(finding);
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}
