//! Flags encryption keys and IVs written into the code.
//!
//! ## What it checks
//! `SecretKeySpec(key, …)`, `IvParameterSpec(iv)` and `GCMParameterSpec(bits, iv)` whose key
//! or IV is built from literals: a string literal turned into bytes (`"…".getBytes()`,
//! `"…".toByteArray()`, `Base64.decode("…", …)`, a hex decoder called on a literal), a byte
//! array of numeric literals (`new byte[]{1, 2, …}`, `byteArrayOf(…)`), or a local variable
//! or constant of the same file holding one of these.
//!
//! Not reported: keys from the Android Keystore, `KeyGenerator`, `SecureRandom`, key
//! derivation (`SecretKeyFactory`, PBKDF2) or parameters; zero-filled arrays
//! (`new byte[16]`, usually filled by `SecureRandom.nextBytes` next); test source sets.
//! Debug source sets are low severity.
//!
//! ## Why it matters
//! A key in the code is in every copy of the APK: anyone can decompile it and decrypt what
//! the app "protected" with it, on every device (CWE-321). A fixed IV makes CBC and CTR
//! leak equal prefixes and breaks GCM completely (CWE-329).
//!
//! ## Example
//! ```java
//! SecretKeySpec k = new SecretKeySpec("0123456789abcdef".getBytes(), "AES");   // flagged
//! SecretKey k = keyStore.getKey("alias", null);                                // not flagged
//! ```
//!
//! ## Remediation
//! Generate keys in the Android Keystore (`KeyGenParameterSpec`) and never export them; use
//! a fresh random IV per message (let the cipher pick it, `cipher.getIV()`), stored next to
//! the ciphertext.
//!
//! ## References
//! - CWE-321: Use of Hard-coded Cryptographic Key
//! - CWE-329: Generation of Predictable IV with CBC Mode
//! - OWASP MASVS-CRYPTO-2; MASTG "Testing Key Management"

use crate::android::code::{Code, last_segment, named_children, unwrap_parens};
use crate::android::code_util::{in_source_set, receiver_node};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/hard-coded-crypto-key",
    title: "Hard-coded encryption key or IV",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[321],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("hard_coded_crypto_key.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        if !call.constructor {
            continue;
        }
        let (arg, what) = match call.name.as_str() {
            "SecretKeySpec" => (call.args.first(), "key"),
            "IvParameterSpec" => (call.args.first(), "IV"),
            "GCMParameterSpec" => (call.args.get(1), "IV"),
            _ => continue,
        };
        let Some(&arg) = arg else { continue };
        if !from_literals(code, arg, 0) {
            continue;
        }
        let mut finding = Finding::new(
            &META,
            code.call_span(call),
            format!(
                "`{}` is built from a {what} written in the code (`{}`): everyone with the APK has it",
                call.name,
                short(code.text(arg))
            ),
        );
        if what == "IV" {
            finding = finding.with_severity(Severity::Medium);
        }
        cx.report(in_source_set(code, finding));
    }
}

fn short(t: &str) -> String {
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 40 {
        format!("{}…", t.chars().take(40).collect::<String>())
    } else {
        t
    }
}

/// Whether an expression's bytes are fixed in the code.
fn from_literals(code: &Code<'_>, node: Node<'_>, depth: u32) -> bool {
    if depth > 4 {
        return false;
    }
    let node = unwrap_parens(node);
    match node.kind() {
        "string_literal" => code.literal(node).is_some_and(|l| !l.is_empty()),
        // `new byte[]{1, 2, 3}` (Java).
        "array_creation_expression" => named_children(node)
            .iter()
            .find(|c| c.kind() == "array_initializer")
            .is_some_and(|init| all_numeric(code, *init)),
        "array_initializer" => all_numeric(code, node),
        "method_invocation" | "call_expression" => {
            let Some(call) = code.calls.iter().find(|c| c.node == node) else {
                return false;
            };
            let name = call.name.as_str();
            match name {
                // `"…".getBytes(UTF_8)`, `"…".toByteArray()`: the receiver.
                "getBytes" | "toByteArray" | "encodeToByteArray" | "toCharArray" | "copyOf"
                | "clone" | "decodeHex" | "hexToByteArray" => {
                    receiver_node(call).is_some_and(|r| from_literals(code, r, depth + 1))
                }
                "byteArrayOf" | "ubyteArrayOf" => {
                    !call.args.is_empty() && call.args.iter().all(|a| is_number(code, *a))
                }
                _ => {
                    // `Base64.decode("…", 0)`, `Hex.decodeHex("…")`, `hexStringToByteArray("…")`.
                    let lower = name.to_ascii_lowercase();
                    (lower.contains("decode") || lower.contains("hex") || lower.contains("frombase64"))
                        && call.args.first().is_some_and(|a| from_literals(code, *a, depth + 1))
                }
            }
        }
        "identifier" | "field_access" | "navigation_expression" => {
            let t = code.text(node);
            let name = last_segment(t);
            let func = code.func_of(node);
            let assigns: Vec<_> = code.reaching_assigns(node, name, func).collect();
            // Every value it may hold is fixed (a parameter or a filled buffer is not).
            let is_param = func.is_some_and(|f| f.params.iter().any(|p| p == name));
            !is_param
                && !assigns.is_empty()
                && assigns.iter().all(|a| from_literals(code, a.value, depth + 1))
                && !code.calls.iter().any(|c| {
                    matches!(c.name.as_str(), "nextBytes" | "read" | "readFully" | "arraycopy")
                        && c.args.iter().any(|a| last_segment(code.text(*a)) == name)
                })
        }
        _ => false,
    }
}

fn all_numeric(code: &Code<'_>, init: Node<'_>) -> bool {
    let items = named_children(init);
    !items.is_empty() && items.iter().all(|i| is_number(code, *i))
}

/// A numeric literal, maybe cast or negated (`(byte) 0x9f`, `-3`, `0x1F.toByte()`).
fn is_number(code: &Code<'_>, node: Node<'_>) -> bool {
    let t = code.text(unwrap_parens(node)).trim();
    let t = t.strip_prefix("(byte)").unwrap_or(t).trim();
    let t = t
        .strip_suffix(".toByte()")
        .or_else(|| t.strip_suffix(".toUByte()"))
        .unwrap_or(t);
    let t = t.trim_start_matches(['-', '+', '(']).trim_end_matches(')').trim();
    let t = t.trim_end_matches(['L', 'l', 'u', 'U']);
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
    }
    if t.starts_with('\'') && t.ends_with('\'') && t.len() >= 3 {
        return true;
    }
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '_')
}
