//! Flags passwords, PINs and tokens hashed with MD5, SHA-1 or MD2.
//!
//! ## What it checks
//! The input of a weak digest — `MessageDigest.getInstance("MD5" | "SHA-1" | "SHA1" | "SHA" |
//! "MD2" | "MD4")` (held in a variable or field, or chained: `.digest(x)`, `.update(x)`,
//! `.apply { update(x) }`), commons-codec's `DigestUtils.md5Hex/md5/sha1Hex/sha1/shaHex/md2Hex(x)`, Guava's
//! `Hashing.md5()`/`Hashing.sha1()` (`.hashString(x, …)`, `.hashBytes(x)`, `.newHasher()
//! .putString(x, …)`), or the app's own helper named for the algorithm (`md5(x)`,
//! `toSha1(x)`, Kotlin's `x.md5()`) — when that input is a secret by the crate's
//! secret-name model (`password`, `pin`, `passcode`, `otp`, `token`, `secret`, `apiKey`, …),
//! directly or through local variables and fields (`val bytes = password.toByteArray()`).
//!
//! Passwords, PINs, passcodes, OTPs and card numbers are *medium*: they are guessable, and
//! an MD5/SHA-1 hash of one is cracked by brute force in seconds. High-entropy secrets
//! (tokens, API keys, session ids) are *low*: the hash does not give them away, but the
//! choice is still wrong for anything that guards access.
//!
//! Not reported: MD5/SHA-1 over values that are not secrets — cache keys, ETags, file
//! checksums, Gravatar e-mail hashes, content ids, push tokens — which is what these
//! digests are still fine for; HMAC-SHA1 (`hmacSha1(…)`) and the digest steps of
//! challenge-response logins the server dictates (CRAM-MD5, APOP, NTLM, SASL — in a function
//! named for the mechanism, or a call of one); SHA-256 and stronger. A password
//! hashed with a fast SHA-2 without a key-derivation function is not reported either.
//!
//! ## Why it matters
//! MD5 and SHA-1 are fast and broken; a stored or transmitted MD5 of a password or PIN is
//! as good as the password to anyone who reads it (CWE-328, CWE-916).
//!
//! ## Example
//! ```java
//! MessageDigest md = MessageDigest.getInstance("MD5");
//! byte[] stored = md.digest(password.getBytes(UTF_8));             // flagged
//! String cacheKey = DigestUtils.md5Hex(imageUrl);                  // not flagged
//! ```
//!
//! ## Remediation
//! Derive what you store from a password with a slow, salted function: PBKDF2
//! (`SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")`, 100k+ iterations), scrypt or
//! Argon2. Keep tokens in the Keystore-backed storage instead of hashing them, and use
//! SHA-256 or HMAC-SHA256 where a digest of a secret is really needed.
//!
//! ## References
//! - CWE-328: Use of Weak Hash
//! - CWE-916: Use of Password Hash With Insufficient Computational Effort
//! - OWASP MASVS-CRYPTO-1; MASTG "Testing the Configuration of Cryptographic Standard Algorithms"

use crate::android::code::{Call, Code, last_segment, unwrap_parens};
use crate::android::code_util::{enclosing_lambda_call, in_source_set, receiver_node};
use crate::android::sensitive::secret_flow;
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::words::words;
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/weak-hash-for-secret",
    title: "Password or secret hashed with MD5 or SHA-1",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[328, 916],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("weak_hash_for_secret.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    let mut reported: Vec<usize> = Vec::new();
    for call in &code.calls {
        let Some((algorithm, inputs)) = weak_hash_inputs(code, call) else { continue };
        // Challenge-response mechanisms (CRAM-MD5, APOP, HMAC, NTLM) are the server's
        // protocol, not the app's choice of a hash for keeping a secret.
        if code
            .func_of(call.node)
            .is_some_and(|f| is_protocol_mechanism(&f.name))
        {
            continue;
        }
        let Some(name) = inputs
            .iter()
            .find_map(|a| secret_flow(code, *a).map(|(_, name)| name))
        else {
            continue;
        };
        let line = code.span(call.node).start_line as usize;
        if reported.contains(&line) {
            continue;
        }
        reported.push(line);
        let guessable = is_guessable(&name);
        let mut finding = Finding::new(
            &META,
            code.call_span(call),
            if guessable {
                format!("`{name}` is hashed with {algorithm}, which is fast and broken: the hash gives the value away to brute force; use PBKDF2, scrypt or Argon2")
            } else {
                format!("`{name}` is hashed with {algorithm}, a broken digest; use SHA-256/HMAC-SHA256 (or keep the secret itself in the Keystore)")
            },
        );
        if !guessable {
            finding = finding.with_severity(Severity::Low);
        }
        cx.report(in_source_set(code, finding));
    }
}

/// The weak algorithm a call computes and the expressions it hashes.
fn weak_hash_inputs<'t>(code: &Code<'t>, call: &Call<'t>) -> Option<(String, Vec<Node<'t>>)> {
    let name = call.name.as_str();
    let receiver = call.receiver.as_deref().unwrap_or("");
    // commons-codec `DigestUtils.md5Hex(x)`.
    if last_segment(receiver) == "DigestUtils" {
        let algorithm = match name {
            "md5" | "md5Hex" => "MD5",
            "sha1" | "sha1Hex" | "sha" | "shaHex" => "SHA-1",
            "md2" | "md2Hex" => "MD2",
            _ => return None,
        };
        return Some((format!("{algorithm} (`DigestUtils.{name}`)"), call.args.clone()));
    }
    // `md.digest(x)`, `md.update(x)` on a weak MessageDigest; Guava's `hashString(x, …)`,
    // `putString(x, …)` on `Hashing.md5()`.
    if matches!(
        name,
        "digest"
            | "update"
            | "hashString"
            | "hashBytes"
            | "hashUnencodedChars"
            | "putString"
            | "putBytes"
            | "putUnencodedChars"
    ) && !call.args.is_empty()
    {
        // `MessageDigest.getInstance("MD5").apply { update(pin.toByteArray()) }`: the
        // scope function's receiver is the digest.
        let recv = match receiver_node(call) {
            Some(r) => r,
            None => {
                let scope = enclosing_lambda_call(code, call.node)
                    .filter(|l| matches!(l.name.as_str(), "apply" | "run"))?;
                receiver_node(scope)?
            }
        };
        let algorithm = weak_digest_of(code, recv, 0)?;
        let inputs = if matches!(name, "hashString" | "putString") {
            call.args[..1].to_vec()
        } else {
            call.args.clone()
        };
        return Some((algorithm, inputs));
    }
    // The app's own `md5(password)`, `getMD5(pin)`, Kotlin's `password.md5()`.
    if call.constructor || receiver == "MessageDigest" || last_segment(receiver) == "Hashing" {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let sha1 = lower
        .match_indices("sha1")
        .any(|(i, _)| !lower[i + 4..].starts_with(|c: char| c.is_ascii_digit()));
    let algorithm = if is_protocol_mechanism(name) {
        return None;
    } else if lower.contains("md5") {
        "MD5"
    } else if sha1 {
        "SHA-1"
    } else {
        return None;
    };
    let mut inputs = call.args.clone();
    if call.args.is_empty() {
        inputs.extend(receiver_node(call));
    }
    Some((format!("{algorithm} (`{name}`)"), inputs))
}

/// What digest a receiver is: a weak `MessageDigest.getInstance(…)`, `DigestUtils.getMd5Digest()`,
/// Guava's `Hashing.md5()`/`sha1()` (or a `newHasher()` of one), directly or through a
/// variable or field.
fn weak_digest_of(code: &Code<'_>, node: Node<'_>, depth: u32) -> Option<String> {
    let node = unwrap_parens(node);
    if let Some(call) = code.calls.iter().find(|c| c.node == node) {
        let receiver = call.receiver.as_deref().unwrap_or("");
        return match (last_segment(receiver), call.name.as_str()) {
            ("MessageDigest", "getInstance") => {
                let arg = *call.args.first()?;
                let value = algorithm_name(code, arg)?;
                is_weak(&value).then(|| format!("`MessageDigest.getInstance(\"{value}\")`"))
            }
            ("DigestUtils", "getMd5Digest") => Some("MD5 (`DigestUtils.getMd5Digest()`)".into()),
            ("DigestUtils", "getSha1Digest" | "getShaDigest") => {
                Some("SHA-1 (`DigestUtils.getSha1Digest()`)".into())
            }
            ("Hashing", "md5") => Some("MD5 (`Hashing.md5()`)".into()),
            ("Hashing", "sha1") => Some("SHA-1 (`Hashing.sha1()`)".into()),
            (_, "newHasher") => weak_digest_of(code, receiver_node(call)?, depth + 1),
            _ => None,
        };
    }
    if depth > 2 || !matches!(node.kind(), "identifier" | "field_access" | "navigation_expression") {
        return None;
    }
    let name = last_segment(code.text(node));
    let mut found = None;
    for a in code.reaching_assigns(node, name, code.func_of(node)) {
        match weak_digest_of(code, a.value, depth + 1) {
            Some(g) => found = Some(g),
            // One assignment of another digest is enough doubt.
            None => return None,
        }
    }
    found
}

/// The algorithm name a `getInstance` argument holds: a literal, or a constant of the file
/// (`MessageDigestAlgorithms.MD5` by its name).
fn algorithm_name(code: &Code<'_>, arg: Node<'_>) -> Option<String> {
    code.literal(arg).or_else(|| {
        let name = last_segment(code.text(arg));
        code.assigns
            .iter()
            .filter(|a| a.name == name)
            .find_map(|a| code.literal(a.value))
            .or_else(|| {
                code.text(arg)
                    .starts_with("MessageDigestAlgorithms.")
                    .then(|| name.replace('_', "-"))
            })
    })
}

fn is_weak(algorithm: &str) -> bool {
    matches!(
        algorithm.trim().to_ascii_uppercase().as_str(),
        "MD5" | "MD2" | "MD4" | "SHA-1" | "SHA1" | "SHA"
    )
}

/// A function implementing an authentication protocol's own digest step: CRAM-MD5, APOP,
/// HMAC, NTLM, SASL DIGEST-MD5.
fn is_protocol_mechanism(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["cram", "apop", "hmac", "ntlm", "sasl"]
        .iter()
        .any(|m| lower.contains(m))
}

/// Low-entropy secrets a fast hash gives away: passwords, PINs, passcodes, OTPs, card
/// numbers, SSNs, CVVs.
fn is_guessable(name: &str) -> bool {
    let w: Vec<String> = words(name);
    w.iter().any(|x| {
        x.contains("pass")
            || x.contains("pwd")
            || matches!(
                x.as_str(),
                "pin" | "pincode" | "otp" | "cvv" | "cvc" | "ssn" | "card" | "credential" | "credentials"
            )
    })
}
