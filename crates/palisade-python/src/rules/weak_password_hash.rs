//! Flags passwords hashed with MD5, SHA-1 or a single round of another fast hash.
//!
//! ## What it checks
//! - `hashlib.md5`, `hashlib.sha1`, `hashlib.new("md5", …)` and the other general-purpose
//!   hashes (`sha256`, `sha512`, `sha3_*`, `blake2*`, PyCryptodome's `MD5.new`, …) when what
//!   is hashed looks like a password — a variable, attribute, parameter or dictionary key
//!   named `password`, `passwd`, `pwd`, `pw` or `passphrase` (directly, through `.update()`,
//!   or through a local variable) — or when the digest is stored in such a field
//!   (`user.password = …`, `User(password_hash=…)`, `{"password": …}`), compared with one,
//!   or returned from a function named like `hash_password`;
//! - Werkzeug's `generate_password_hash(…, method=…)` with a method other than `pbkdf2…` or
//!   `scrypt…` (`"plain"`, `"md5"`, `"sha1"`, `"sha256"` were single salted hashes);
//! - Django's `make_password(…, hasher="md5")` (or `unsalted_md5`, `unsalted_sha1`, `sha1`,
//!   `crypt`) and a `PASSWORD_HASHERS` setting whose first (default) entry is one of those
//!   hashers;
//! - passlib's weak schemes (`hex_md5`, `ldap_sha1`, `md5_crypt`, `des_crypt`, `plaintext`,
//!   …) used to hash, or named as the default of a `CryptContext`.
//!
//! MD5 and SHA-1 over a password, and any fast hash without a salt, are reported with high
//! severity; a salted single round of SHA-2, SHA-3 or BLAKE2 with medium severity.
//!
//! Not reported: hashing for ETags, cache keys, file checksums or tokens (nothing named like
//! a password is involved; `password_reset_token` and other names with `token`, `reset`,
//! `salt`, `url`, `email` … are not passwords); challenge-response digests that mix in a
//! nonce or realm (HTTP Digest, WS-Security UsernameToken), which the protocol dictates and
//! which are not stored; a fast hash used to pre-hash a password before a slow one
//! (`bcrypt.hashpw(b64encode(sha256(password).digest()), …)`), directly or through a local
//! variable; `bcrypt`, `argon2`, `scrypt`, passlib's strong schemes,
//! `hashlib.pbkdf2_hmac`, `hashlib.scrypt`, Django's `make_password` with its default hasher
//! and Werkzeug's default method; a fast hash in a function named like a password check whose
//! input is who is asking (`sha1(email + settings.SECRET_KEY)` as a login rate-limit bucket).
//! A hash called with `usedforsecurity=False` (an id or cache key derived from the password
//! hash) is reported with low confidence. Test code (`tests/`, `test_*.py`, `conftest.py`) and test
//! settings, which often pick a fast hasher for speed, are skipped.
//!
//! ## Why it matters
//! A stolen password table is cracked offline. MD5, SHA-1 and SHA-256 are built to be fast:
//! a single GPU tries billions of candidates a second against them, so most human-chosen
//! passwords fall within hours, and an unsalted table falls to precomputed lookups at once
//! and shows which users share a password. Password hashing functions (Argon2id, scrypt,
//! bcrypt, PBKDF2 with a high iteration count) are slow and salted on purpose, which turns
//! the same attack from hours into centuries. People reuse passwords, so a cracked table
//! also opens their accounts elsewhere.
//!
//! ## Example
//! ```python
//! import hashlib
//!
//! def set_password(user, raw_password):
//!     # Flagged: one unsalted MD5 round.
//!     user.password = hashlib.md5(raw_password.encode()).hexdigest()
//! ```
//!
//! ## Remediation
//! Use a password hashing function and let it manage the salt: `argon2.PasswordHasher().
//! hash(password)` (argon2-cffi), `bcrypt.hashpw(password, bcrypt.gensalt())`, passlib's
//! `CryptContext(schemes=["argon2", "bcrypt"])`, Django's `make_password` /
//! `user.set_password` with the default hashers, or Werkzeug's `generate_password_hash`
//! with its default method. Migrate existing hashes by rehashing at the next successful
//! login (or by wrapping the old hash in the new function, as Django's
//! `PBKDF2WrappedSHA1PasswordHasher` does).
//!
//! ## References
//! - CWE-916: Use of Password Hash With Insufficient Computational Effort
//! - CWE-328: Use of Weak Hash
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP Password Storage Cheat Sheet
//! - Django documentation, "Password management in Django"

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::model::{MODULE, Model, scope_of};
use crate::settings::{
    enclosing_function, follow, keyword_value, last_name, positional, string_value, under_debug,
    walk,
};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::roles::{NameRole, deployment_role};
use palisade_knowledge::words::words;
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/weak-password-hash",
    title: "Password hashed with a fast or broken hash",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[916, 328],
    owasp: Owasp::A02,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("weak_password_hash.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call", "assignment"],
    needs_text: &[],
    text_test: None,
    check,
};

/// General-purpose hashes of `hashlib`, as called directly (`hashlib.sha256`).
const FAST_HASHES: &[&str] = &[
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha3_224",
    "sha3_256",
    "sha3_384",
    "sha3_512",
    "blake2b",
    "blake2s",
    "sha512_224",
    "sha512_256",
];

/// PyCryptodome / PyCrypto hash modules whose `new(data)` is a fast hash.
const CRYPTODOME_HASHES: &[&str] = &[
    "MD5", "SHA", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3_256", "SHA3_512",
    "BLAKE2b", "BLAKE2s",
];

/// Django hashers (by `make_password`'s `hasher=` name) that are weak.
const WEAK_DJANGO_HASHERS: &[&str] = &["md5", "unsalted_md5", "unsalted_sha1", "sha1", "crypt"];

/// Django hasher classes that are weak as the default (`PASSWORD_HASHERS[0]`).
const WEAK_DJANGO_HASHER_CLASSES: &[&str] = &[
    "MD5PasswordHasher",
    "UnsaltedMD5PasswordHasher",
    "UnsaltedSHA1PasswordHasher",
    "SHA1PasswordHasher",
    "CryptPasswordHasher",
];

/// passlib schemes that are fast, unsalted, plaintext or otherwise obsolete.
const WEAK_PASSLIB: &[&str] = &[
    "hex_md5",
    "hex_sha1",
    "hex_sha256",
    "hex_sha512",
    "ldap_md5",
    "ldap_sha1",
    "ldap_salted_md5",
    "ldap_salted_sha1",
    "ldap_hex_md5",
    "ldap_hex_sha1",
    "ldap_plaintext",
    "plaintext",
    "des_crypt",
    "bsdi_crypt",
    "bigcrypt",
    "crypt16",
    "md5_crypt",
    "apr_md5_crypt",
    "sun_md5_crypt",
    "mysql323",
    "mysql41",
    "postgres_md5",
    "oracle10",
    "lmhash",
    "nthash",
    "django_salted_md5",
    "django_salted_sha1",
    "django_des_crypt",
];

use palisade_knowledge::secrets::is_password_name;

/// Last names of the calls this rule looks at; anything else is skipped before resolving.
const CALL_NAMES: &[&str] = &[
    "new",
    "generate_password_hash",
    "make_password",
    "hash",
    "encrypt",
    "using",
    "CryptContext",
];

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    match node.kind() {
        "call" => check_call(node, cx),
        "assignment" => check_hashers_setting(node, cx),
        _ => {}
    }
}

fn check_call(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let name = last_name(model, function);
    if !FAST_HASHES.contains(&name) && !CALL_NAMES.contains(&name) {
        return;
    }
    let Some(resolved) = model.resolve(function) else {
        return;
    };
    if deployment_role(&cx.file.path) == NameRole::Test {
        return;
    }
    let parts: Vec<&str> = resolved.split('.').collect();
    match parts.as_slice() {
        ["hashlib", "new"] => {
            let name = keyword_value(model, call, "name").or_else(|| positional(call, 0));
            let Some(algorithm) = name.and_then(|n| string_value(model, n)) else {
                return;
            };
            let algorithm = algorithm.to_ascii_lowercase().replace('-', "");
            if !FAST_HASHES.contains(&algorithm.as_str()) {
                return;
            }
            let data = keyword_value(model, call, "data")
                .or_else(|| keyword_value(model, call, "string"))
                .or_else(|| positional(call, 1));
            check_fast_hash(call, &algorithm, data, cx);
        }
        ["hashlib", algorithm] if FAST_HASHES.contains(algorithm) => {
            let data = keyword_value(model, call, "data")
                .or_else(|| keyword_value(model, call, "string"))
                .or_else(|| positional(call, 0));
            check_fast_hash(call, algorithm, data, cx);
        }
        ["Crypto" | "Cryptodome", "Hash", module, "new"] if CRYPTODOME_HASHES.contains(module) => {
            let data = keyword_value(model, call, "data").or_else(|| positional(call, 0));
            let algorithm = module.to_ascii_lowercase();
            check_fast_hash(call, &algorithm, data, cx);
        }
        ["werkzeug", "security", "generate_password_hash"]
        | ["werkzeug", "generate_password_hash"] => {
            let method = keyword_value(model, call, "method").or_else(|| positional(call, 1));
            let Some(value) = method.and_then(|m| string_value(model, m)) else {
                return;
            };
            let lower = value.to_ascii_lowercase();
            if lower.starts_with("pbkdf2") || lower.starts_with("scrypt") {
                return;
            }
            let finding = Finding::new(
                &META,
                cx.span(call),
                format!(
                    "`generate_password_hash(..., method=\"{value}\")` stores a single fast hash; use the default method (scrypt) or `pbkdf2`"
                ),
            );
            cx.report(finding);
        }
        ["django", "contrib", "auth", "hashers", "make_password"] => {
            let hasher = keyword_value(model, call, "hasher").or_else(|| positional(call, 2));
            let Some(value) = hasher.and_then(|h| string_value(model, h)) else {
                return;
            };
            if WEAK_DJANGO_HASHERS.contains(&value.as_str()) {
                let finding = Finding::new(
                    &META,
                    cx.span(call),
                    format!(
                        "`make_password(..., hasher=\"{value}\")` uses a fast, obsolete hasher; leave the hasher to `PASSWORD_HASHERS` (PBKDF2 or Argon2 by default)"
                    ),
                );
                cx.report(finding);
            }
        }
        ["passlib", "hash", scheme, method]
            if WEAK_PASSLIB.contains(scheme) && matches!(*method, "hash" | "encrypt" | "using") =>
        {
            let finding = Finding::new(
                &META,
                cx.span(call),
                format!(
                    "passlib's `{scheme}` is a fast or obsolete scheme; hash passwords with `argon2` or `bcrypt`"
                ),
            );
            cx.report(finding);
        }
        ["passlib", "context", "CryptContext"] | ["passlib", "apps", "CryptContext"] => {
            check_crypt_context(call, cx);
        }
        _ => {}
    }
}

fn check_crypt_context(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let default = keyword_value(model, call, "default").and_then(|d| string_value(model, d));
    let scheme = match default {
        Some(d) => Some(d),
        None => keyword_value(model, call, "schemes").and_then(|schemes| {
            let schemes = follow(model, schemes).0;
            if !matches!(schemes.kind(), "list" | "tuple") {
                return None;
            }
            string_value(model, schemes.named_child(0)?)
        }),
    };
    let Some(scheme) = scheme else {
        return;
    };
    if WEAK_PASSLIB.contains(&scheme.as_str()) {
        let finding = Finding::new(
            &META,
            cx.span(call),
            format!(
                "this CryptContext hashes new passwords with `{scheme}`, a fast or obsolete scheme; put `argon2` or `bcrypt` first"
            ),
        );
        cx.report(finding);
    }
}

/// Why a fast-hash call is about a password.
enum Evidence {
    /// What is hashed is named like a password.
    Input,
    /// The digest goes into (or is compared with) something named like a password.
    Destination(String),
    /// It is computed in a function named like `hash_password`.
    Function(String),
}

fn check_fast_hash(
    call: Node<'_>,
    algorithm: &str,
    data: Option<Node<'_>>,
    cx: &mut RuleContext<'_, '_>,
) {
    let model = cx.model;
    let mut inputs: Vec<Node<'_>> = data.into_iter().collect();
    inputs.extend(update_arguments(model, call));

    let climbed = climb(model, call);
    if climbed.into_kdf {
        return;
    }
    let evidence = if inputs.iter().any(|&i| mentions_password(model, i, 1)) {
        Evidence::Input
    } else if let Some(destination) = climbed.destination {
        Evidence::Destination(destination)
    } else if let Some(function) = enclosing_function(call)
        .filter(|_| !inputs.is_empty())
        .and_then(|f| f.child_by_field_id(*field::NAME))
        .map(|n| model.text(n))
        .filter(|name| is_password_name(name))
    {
        Evidence::Function(function.to_string())
    } else {
        return;
    };
    if let Some(name) = climbed.assigned_to
        && reaches_slow_hash(model, call, name)
    {
        return;
    }
    // Only the function's name speaks of passwords, and what it hashes is who is asking
    // (`sha1(email + settings.SECRET_KEY)` as the bucket of a login rate limit): a lookup
    // key, not a stored password.
    if matches!(evidence, Evidence::Function(_))
        && inputs.iter().any(|&i| {
            mentions_word(
                model,
                i,
                &["email", "username", "login", "ip", "addr", "user_id"],
            )
        })
    {
        return;
    }
    // `usedforsecurity=False` is the author saying the digest protects nothing (an id, a
    // cache key that changes with the password hash): worth a look, not a first one.
    let declared_insecure =
        keyword_value(model, call, "usedforsecurity").is_some_and(|v| model.text(v) == "False");

    // A challenge-response digest (HTTP Digest's `user:realm:password`, WS-Security's
    // `nonce + created + password`) is what the protocol demands, not password storage.
    if inputs
        .iter()
        .any(|&i| mentions_word(model, i, &["nonce", "cnonce", "realm", "challenge"]))
    {
        return;
    }
    let salted = inputs
        .iter()
        .any(|&i| mentions_word(model, i, &["salt", "pepper", "salted"]));
    let broken = matches!(algorithm, "md5" | "sha1" | "sha");
    let shown = if algorithm == "sha" {
        "sha1"
    } else {
        algorithm
    };
    let why = match &evidence {
        Evidence::Input => "over a password".to_string(),
        Evidence::Destination(phrase) => format!("whose digest is {phrase}"),
        Evidence::Function(name) => format!("in `{name}`"),
    };
    let (severity, message) = if broken {
        (
            Severity::High,
            format!(
                "{shown} {why}: {shown} is fast and broken, so stolen hashes are cracked in hours; use Argon2id, scrypt or bcrypt"
            ),
        )
    } else if salted {
        (
            Severity::Medium,
            format!(
                "a single salted {shown} round {why}: a fast hash lets an attacker try billions of guesses per second; use Argon2id, scrypt, bcrypt or PBKDF2"
            ),
        )
    } else {
        (
            Severity::High,
            format!(
                "unsalted {shown} {why}: identical passwords get identical hashes and a fast hash is cracked offline at GPU speed; use Argon2id, scrypt or bcrypt"
            ),
        )
    };
    let confidence = match evidence {
        _ if declared_insecure => Confidence::Low,
        Evidence::Input | Evidence::Destination(_) => Confidence::High,
        Evidence::Function(_) => Confidence::Medium,
    };
    let finding = Finding::new(&META, cx.span(call), message)
        .with_severity(severity)
        .with_confidence(confidence);
    cx.report(finding);
}

/// What climbing from a hash call towards its statement found.
#[derive(Default)]
struct Climb<'t> {
    /// The digest is passed on to a slow password hash (pre-hashing).
    into_kdf: bool,
    /// Where the digest goes, when that is named like a password: "stored in `user.password`",
    /// "compared with `row.password_sha1`", "returned from `hash_password()`".
    destination: Option<String>,
    /// The plain name the result is assigned to, when it is not password-named.
    assigned_to: Option<&'t str>,
}

fn climb<'t>(model: &Model<'t>, call: Node<'t>) -> Climb<'t> {
    let mut out = Climb::default();
    let mut node = call;
    while let Some(parent) = node.parent() {
        match parent.kind() {
            "attribute"
            | "parenthesized_expression"
            | "binary_operator"
            | "interpolation"
            | "string"
            | "concatenated_string"
            | "conditional_expression"
            | "await" => {}
            // Reached through a method chain (`.hexdigest()`) or a wrapper's arguments.
            "call" => {}
            "argument_list" => {
                let Some(outer) = parent.parent() else {
                    return out;
                };
                if is_slow_hash(model, outer) {
                    out.into_kdf = true;
                    return out;
                }
                let function = outer
                    .child_by_field_id(*field::FUNCTION)
                    .map(|f| model.text(f))
                    .unwrap_or_default();
                let last = function.rsplit('.').next().unwrap_or(function);
                if last == "compare_digest" {
                    let mut cursor = parent.walk();
                    for argument in parent.named_children(&mut cursor) {
                        if argument.byte_range() != node.byte_range()
                            && mentions_password(model, argument, 0)
                        {
                            out.destination =
                                Some(format!("compared with `{}`", model.text(argument)));
                        }
                    }
                } else if !ENCODING_WRAPPERS.contains(&last) {
                    // Passed to some other function: what it does with the digest is
                    // unknown.
                    return out;
                }
            }
            "assignment" => {
                if let Some(left) = parent.child_by_field_id(*field::LEFT) {
                    let text = model.text(left);
                    let last = text.rsplit(['.', '[']).next().unwrap_or(text);
                    let last = last.trim_matches(|c| matches!(c, '"' | '\'' | ']'));
                    if is_password_name(last) {
                        out.destination = Some(format!("stored in `{text}`"));
                    } else if left.kind() == "identifier" {
                        out.assigned_to = Some(text);
                    }
                }
                return out;
            }
            "keyword_argument" => {
                if let Some(name) = parent.child_by_field_id(*field::NAME)
                    && is_password_name(model.text(name))
                {
                    out.destination = Some(format!("stored in `{}`", model.text(name)));
                }
                return out;
            }
            "pair" => {
                if let Some(key) = parent.child_by_field_id(*field::KEY)
                    && let Some(key) = string_value(model, key)
                    && is_password_name(&key)
                {
                    out.destination = Some(format!("stored under `{key}`"));
                }
                return out;
            }
            "comparison_operator" => {
                let mut cursor = parent.walk();
                for operand in parent.named_children(&mut cursor) {
                    if operand.byte_range() != node.byte_range()
                        && mentions_password(model, operand, 0)
                    {
                        out.destination = Some(format!("compared with `{}`", model.text(operand)));
                    }
                }
                return out;
            }
            "return_statement" => {
                if let Some(name) = enclosing_function(parent)
                    .and_then(|f| f.child_by_field_id(*field::NAME))
                    .map(|n| model.text(n))
                    .filter(|n| is_password_name(n))
                {
                    out.destination = Some(format!("returned from `{name}()`"));
                }
                return out;
            }
            _ => return out,
        }
        node = parent;
    }
    out
}

/// Functions that only re-encode a digest on its way to where it is stored.
const ENCODING_WRAPPERS: &[&str] = &[
    "b64encode",
    "urlsafe_b64encode",
    "standard_b64encode",
    "hexlify",
    "str",
    "bytes",
    "encode",
    "decode",
    "format",
    "join",
    "lower",
    "upper",
];

/// Whether a call is a password hashing function (bcrypt, argon2, scrypt, PBKDF2, passlib,
/// Django's and Werkzeug's helpers), by its resolved name or, for instances such as
/// Flask-Bcrypt's `bcrypt.generate_password_hash`, by its receiver's name.
fn is_slow_hash(model: &Model<'_>, call: Node<'_>) -> bool {
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return false;
    };
    if let Some(resolved) = model.resolve(function) {
        let slow_prefix = [
            "bcrypt.",
            "argon2.",
            "passlib.",
            "nacl.pwhash.",
            "scrypt.",
            "flask_bcrypt.",
            "cryptography.hazmat.primitives.kdf.",
        ]
        .iter()
        .any(|p| resolved.starts_with(p));
        if slow_prefix
            || matches!(
                resolved.as_str(),
                "hashlib.pbkdf2_hmac"
                    | "hashlib.scrypt"
                    | "werkzeug.security.generate_password_hash"
                    | "django.contrib.auth.hashers.make_password"
            )
        {
            return true;
        }
    }
    let text = model
        .dotted(function)
        .unwrap_or_default()
        .to_ascii_lowercase();
    [
        "bcrypt",
        "argon",
        "scrypt",
        "pbkdf2",
        "passlib",
        "pwd_context",
        "crypt_context",
    ]
    .iter()
    .any(|k| text.contains(k))
}

/// The arguments of `h.update(…)` calls when the hash object is assigned to `h`.
fn update_arguments<'t>(model: &Model<'t>, call: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let Some(parent) = call.parent() else {
        return out;
    };
    if parent.kind() != "assignment" {
        return out;
    }
    let Some(name) = parent
        .child_by_field_id(*field::LEFT)
        .filter(|l| l.kind() == "identifier" || l.kind() == "attribute")
        .map(|l| model.text(l))
    else {
        return out;
    };
    let Some(body) = enclosing_function(call).or_else(|| root(call)) else {
        return out;
    };
    walk(body, &mut |n| {
        if n.kind() == "call"
            && let Some(function) = n.child_by_field_id(*field::FUNCTION)
            && function.kind() == "attribute"
            && function
                .child_by_field_id(*field::ATTRIBUTE)
                .is_some_and(|a| model.text(a) == "update")
            && function
                .child_by_field_id(*field::OBJECT)
                .is_some_and(|o| model.text(o) == name)
            && let Some(argument) = positional(n, 0)
        {
            out.push(argument);
        }
        true
    });
    out
}

fn root(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node;
    while let Some(parent) = current.parent() {
        current = parent;
    }
    Some(current)
}

/// Whether the local `name` that holds a fast digest is later handed to a slow password
/// hash in the same function (pre-hashing for bcrypt's 72-byte limit), directly or through
/// one more local variable.
fn reaches_slow_hash(model: &Model<'_>, call: Node<'_>, name: &str) -> bool {
    let Some(function) = enclosing_function(call) else {
        return false;
    };
    let scope = scope_of(call);
    let mut found = false;
    walk(function, &mut |n| {
        if found {
            return false;
        }
        if n.kind() == "call" && n.id() != call.id() && is_slow_hash(model, n) {
            found = n
                .child_by_field_id(*field::ARGUMENTS)
                .is_some_and(|a| uses_name(model, a, name, scope, 1));
        }
        true
    });
    found
}

/// Whether `node` mentions the identifier `name`, or (with `hops` left) a local variable
/// whose value does.
fn uses_name(model: &Model<'_>, node: Node<'_>, name: &str, scope: usize, hops: u8) -> bool {
    let mut found = false;
    walk_self(node, &mut |n| {
        if found {
            return false;
        }
        if n.kind() == "identifier" {
            let text = model.text(n);
            if text == name {
                found = true;
            } else if hops > 0
                && let Some(value) = model.single_value(scope, text)
                && uses_name(model, value, name, scope, hops - 1)
            {
                found = true;
            }
        }
        true
    });
    found
}

/// Like [`walk`], but visiting `node` itself first.
fn walk_self<'t>(node: Node<'t>, visit: &mut dyn FnMut(Node<'t>) -> bool) {
    if visit(node) {
        walk(node, visit);
    }
}

/// Whether an expression involves something named like a password: an identifier or
/// attribute, or a plain string key (`form["password"]`, `data.get("new_password")`); with
/// `hops` left, local variables are followed to their value.
fn mentions_password(model: &Model<'_>, node: Node<'_>, hops: u8) -> bool {
    let mut found = false;
    walk_self(node, &mut |n| {
        if found {
            return false;
        }
        match n.kind() {
            "identifier" => {
                let text = model.text(n);
                if is_password_name(text) {
                    found = true;
                } else if hops > 0
                    && !is_attribute_field(n)
                    && scope_of(n) != MODULE
                    && let (value, Some(_)) = follow(model, n)
                    && mentions_password(model, value, hops - 1)
                {
                    found = true;
                }
                false
            }
            "string" => {
                if let Some(value) = string_value(model, n)
                    && is_password_name(&value)
                {
                    found = true;
                }
                true
            }
            _ => true,
        }
    });
    found
}

/// Whether an identifier is the attribute part of `object.attribute`.
fn is_attribute_field(node: Node<'_>) -> bool {
    node.parent().is_some_and(|p| {
        p.kind() == "attribute"
            && p.child_by_field_id(*field::ATTRIBUTE)
                .is_some_and(|a| a.id() == node.id())
    })
}

/// Whether an expression involves an identifier with one of `wanted` among its words
/// (`user_salt`, `cnonce`), directly or one local hop away.
fn mentions_word(model: &Model<'_>, node: Node<'_>, wanted: &[&str]) -> bool {
    let has_word = |text: &str| words(text).iter().any(|w| wanted.contains(&w.as_str()));
    let mut found = false;
    walk_self(node, &mut |n| {
        if found {
            return false;
        }
        if n.kind() == "identifier" {
            if has_word(model.text(n)) {
                found = true;
            } else if let (value, Some(_)) = follow(model, n)
                && value.kind() != "identifier"
            {
                let mut inner = false;
                walk_self(value, &mut |m| {
                    if m.kind() == "identifier" && has_word(model.text(m)) {
                        inner = true;
                    }
                    !inner
                });
                found = inner;
            }
        }
        true
    });
    found
}

/// `PASSWORD_HASHERS = ["…MD5PasswordHasher", …]` in deployed Django settings.
fn check_hashers_setting(assignment: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(left), Some(right)) = (
        assignment.child_by_field_id(*field::LEFT),
        assignment.child_by_field_id(*field::RIGHT),
    ) else {
        return;
    };
    if model.text(left) != "PASSWORD_HASHERS"
        || !matches!(right.kind(), "list" | "tuple")
        || scope_of(assignment) != MODULE
        || deployment_role(&cx.file.path) != NameRole::Deployed
        || under_debug(model, assignment)
    {
        return;
    }
    let Some(first) = right.named_child(0) else {
        return;
    };
    let Some(path) = string_value(model, first) else {
        return;
    };
    let class = path.rsplit('.').next().unwrap_or(&path);
    if WEAK_DJANGO_HASHER_CLASSES.contains(&class) {
        let finding = Finding::new(
            &META,
            cx.span(assignment),
            format!(
                "the default password hasher is `{class}`, a fast obsolete hash; put Argon2PasswordHasher or PBKDF2PasswordHasher first"
            ),
        )
        .with_related(cx.span(first), "the first entry hashes every new password");
        cx.report(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::is_password_name;

    #[test]
    fn password_names() {
        for name in [
            "password",
            "raw_password",
            "newPassword",
            "passwd",
            "pwd",
            "user_pw",
            "hashed_password",
            "PASSWORD_HASH",
            "new_password1",
        ] {
            assert!(is_password_name(name), "{name}");
        }
        for name in [
            "password_reset_token",
            "PASSWORD_MIN_LENGTH",
            "password_salt",
            "cwd",
            "passenger",
            "bypass",
            "compass",
            "Forgot your password? Click here",
            "PASSWORD_HASHERS",
        ] {
            assert!(!is_password_name(name), "{name}");
        }
    }
}
