//! Flags tokens, keys, IVs and passwords made with a predictable random generator.
//!
//! ## What it checks
//! Values from `java.util.Random` (`new Random()`, `Random(seed)`), `ThreadLocalRandom`,
//! `Math.random()`, Kotlin's `kotlin.random.Random` (`Random.nextInt(…)`, `Random.Default`,
//! `chars.random()`, `(0..9).random()`) or commons-lang's `RandomStringUtils` that end up in a
//! secret: assigned to a variable, field or property named like one (the crate's secret-name
//! model — `token`, `password`, `otp`, `pin`, `secret`, `sessionId`, … — plus `iv`, `nonce`,
//! `salt` and crypto keys), returned from a function named like one (`generateToken()`,
//! `newPassword()`), or filled in place by `nextBytes(iv)`.
//!
//! Not reported: `SecureRandom` (also held in a variable or field), Kotlin's `Uuid.random()`
//! (a secure generator), random values for other
//! purposes (colours, jitter, sample data, notification ids), test source sets. Debug source
//! sets are low severity.
//!
//! ## Why it matters
//! `java.util.Random` is a 48-bit linear congruential generator: a few outputs give away the
//! seed and so every past and future value; `kotlin.random.Random` and `Math.random()` are not
//! meant for security either. A token, OTP, password or IV from them can be predicted
//! (CWE-330, CWE-338).
//!
//! ## Example
//! ```kotlin
//! val token = (1..32).map { chars.random() }.joinToString("")            // flagged
//! val token = ByteArray(32).also { SecureRandom().nextBytes(it) }        // not flagged
//! ```
//!
//! ## Remediation
//! Use `java.security.SecureRandom` for anything secret (`SecureRandom().nextBytes(buf)`,
//! `chars[secureRandom.nextInt(chars.size)]`), or let the Keystore and the cipher generate keys
//! and IVs.
//!
//! ## References
//! - CWE-330: Use of Insufficiently Random Values
//! - CWE-338: Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)
//! - OWASP MASVS-CRYPTO-1; MASTG "Testing Random Number Generation"

use crate::android::code::{Call, Code, last_segment};
use crate::android::code_util::{in_source_set, receiver_node};
use crate::android::sensitive::is_secret_name;
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::words::words;
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/insecure-random-for-secret",
    title: "Predictable random generator used for a secret",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[330],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("insecure_random_for_secret.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    let mut reported: Vec<usize> = Vec::new();
    for call in &code.calls {
        let Some(generator) = insecure_generator(code, call) else { continue };
        // `random.nextBytes(iv)`: the buffer is the secret.
        let purpose = if call.name == "nextBytes" {
            call.args
                .first()
                .map(|a| last_segment(code.text(*a)).to_string())
                .filter(|n| is_secret_purpose(n))
        } else {
            None
        }
        .or_else(|| target_name(code, call.node).filter(|n| is_secret_purpose(n)))
        .or_else(|| {
            code.func_of(call.node)
                .map(|f| f.name.clone())
                .filter(|n| is_secret_function(n))
                .map(|n| format!("{n}()"))
        });
        let Some(purpose) = purpose else { continue };
        let line = code.span(call.node).start_line as usize;
        if reported.contains(&line) {
            continue;
        }
        reported.push(line);
        cx.report(in_source_set(
            code,
            Finding::new(
                &META,
                code.call_span(call),
                format!(
                    "`{purpose}` is made with {generator}, whose values can be predicted; use SecureRandom"
                ),
            ),
        ));
    }
}

/// The predictable generator a call draws from, if it is one.
fn insecure_generator(code: &Code<'_>, call: &Call<'_>) -> Option<&'static str> {
    let name = call.name.as_str();
    let receiver = call.receiver.as_deref().unwrap_or("");
    if name == "random" && receiver == "Math" {
        return Some("`Math.random()`");
    }
    if receiver == "RandomStringUtils" {
        return Some("`RandomStringUtils` (java.util.Random)");
    }
    // Kotlin's `chars.random()`, `(0..9).random()`, `list.shuffled()`: Random.Default.
    if code.lang == crate::android::code::Lang::Kotlin
        && matches!(name, "random" | "shuffled")
        && call.args.is_empty()
        && !receiver.is_empty()
        // `Uuid.random()` is built on a secure generator.
        && !last_segment(receiver).eq_ignore_ascii_case("uuid")
    {
        return Some("Kotlin's default `Random`");
    }
    if !matches!(
        name,
        "nextInt" | "nextLong" | "nextBytes" | "nextDouble" | "nextFloat" | "nextBoolean"
            | "nextUInt" | "nextULong" | "ints" | "longs"
    ) {
        return None;
    }
    if code.lang == crate::android::code::Lang::Kotlin
        && matches!(receiver, "Random" | "Random.Default" | "kotlin.random.Random")
    {
        return Some("`kotlin.random.Random`");
    }
    if receiver.starts_with("ThreadLocalRandom") {
        return Some("`ThreadLocalRandom`");
    }
    let recv = receiver_node(call)?;
    generator_of(code, recv, 0)
}

/// What a receiver holds: `new Random()`, `Random(seed)`, `ThreadLocalRandom.current()`.
fn generator_of(code: &Code<'_>, node: Node<'_>, depth: u32) -> Option<&'static str> {
    let t = code.text(node);
    if t.contains("SecureRandom") {
        return None;
    }
    let compact: String = t.split_whitespace().collect();
    if compact.starts_with("newRandom(") || compact.starts_with("newjava.util.Random(") {
        return Some("`java.util.Random`");
    }
    if compact.starts_with("Random(") || compact.starts_with("java.util.Random(") {
        return Some(if code.lang == crate::android::code::Lang::Kotlin && !compact.starts_with("java") {
            "`Random(…)`"
        } else {
            "`java.util.Random`"
        });
    }
    if compact.starts_with("ThreadLocalRandom") {
        return Some("`ThreadLocalRandom`");
    }
    if compact == "Random.Default" {
        return Some("`kotlin.random.Random`");
    }
    if depth > 2 || !matches!(node.kind(), "identifier" | "field_access" | "navigation_expression") {
        return None;
    }
    let name = last_segment(t);
    let func = code.func_of(node);
    let mut found = None;
    for a in code.reaching_assigns(node, name, func) {
        match generator_of(code, a.value, depth + 1) {
            Some(g) => found = Some(g),
            // One assignment from SecureRandom (or unknown) is enough doubt.
            None => return None,
        }
    }
    found
}

/// The name a value is assigned to: the declaration or assignment the expression is part of.
fn target_name(code: &Code<'_>, node: Node<'_>) -> Option<String> {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "variable_declarator" => {
                return n.child_by_field_name("name").map(|x| code.text(x).to_string());
            }
            "assignment_expression" | "assignment" => {
                return n
                    .child_by_field_name("left")
                    .or_else(|| n.named_child(0))
                    .map(|x| last_segment(code.text(x)).to_string());
            }
            "property_declaration" => {
                let mut cursor = n.walk();
                let var = n
                    .named_children(&mut cursor)
                    .find(|c| c.kind() == "variable_declaration")?;
                return var.named_child(0).map(|x| code.text(x).to_string());
            }
            // A lambda's body is part of the expression (`(1..8).map { chars.random() }`).
            "block" | "statements"
                if n
                    .parent()
                    .is_some_and(|p| matches!(p.kind(), "lambda_literal" | "lambda_expression")) => {}
            "method_declaration" | "function_declaration" | "class_body" | "block"
            | "statements" => return None,
            _ => {}
        }
        current = n.parent();
    }
    None
}

/// A secret by name, or an IV, nonce, salt or cryptographic key.
fn is_secret_purpose(name: &str) -> bool {
    if is_secret_name(name) {
        return true;
    }
    let w: Vec<String> = words(name).into_iter().filter(|x| x != "m").collect();
    let has = |x: &str| w.iter().any(|y| y == x);
    has("iv")
        || has("nonce")
        || has("salt")
        || (has("key")
            && ["secret", "aes", "hmac", "crypto", "encryption", "signing", "cipher", "master"]
                .iter()
                .any(|k| has(k)))
}

/// `generateToken`, `newPassword`, `createSessionId`, `randomSalt`, `makeOtp`.
fn is_secret_function(name: &str) -> bool {
    let w = words(name);
    let verb = w.first().is_some_and(|v| {
        matches!(v.as_str(), "generate" | "new" | "create" | "make" | "random" | "gen" | "next")
    });
    verb && is_secret_purpose(&w[1..].join("_"))
}
