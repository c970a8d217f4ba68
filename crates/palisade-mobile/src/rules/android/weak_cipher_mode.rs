//! Flags ciphers that use ECB mode or a broken algorithm.
//!
//! ## What it checks
//! `Cipher.getInstance(…)` whose transformation — a literal, or a constant of the same file
//! holding one — is:
//! - a block cipher in ECB mode (`AES/ECB/PKCS5Padding`), or a bare `AES` (Android's
//!   providers then use ECB);
//! - DES, 3DES (`DESede`), RC4 (`ARCFOUR`), RC2 or Blowfish.
//!
//! `RSA/ECB/…` is not reported (ECB means nothing for RSA), nor are GCM and CBC modes.
//!
//! ## Why it matters
//! ECB encrypts equal blocks to equal ciphertext: data "protected" in storage still shows
//! its structure and repeats. The listed algorithms are broken or too weak (CWE-327).
//!
//! ## Example
//! ```java
//! Cipher c = Cipher.getInstance("AES/ECB/PKCS5Padding");   // flagged
//! ```
//!
//! ## Remediation
//! `AES/GCM/NoPadding` with a random 12-byte IV per message, keys in the Android Keystore;
//! or Jetpack Security / Tink.
//!
//! ## References
//! - CWE-327: Use of a Broken or Risky Cryptographic Algorithm
//! - OWASP MASVS-CRYPTO-1; MASTG "Testing Symmetric Cryptography"

use crate::android::code::Code;
use crate::rules::CodeRule;
use crate::android::code_util::in_source_set;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "android/weak-cipher-mode",
    title: "ECB mode or a broken cipher",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[327],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("weak_cipher_mode.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        if call.name != "getInstance" || !call.receiver.as_deref().is_some_and(|r| r.ends_with("Cipher")) {
            continue;
        }
        let Some(&arg) = call.args.first() else { continue };
        let value = code.literal(arg).or_else(|| {
            let name = code.text(arg);
            let name = name.rsplit('.').next().unwrap_or(name);
            code.assigns
                .iter()
                .filter(|a| a.name == name)
                .find_map(|a| code.literal(a.value))
        });
        let Some(value) = value else { continue };
        if let Some(problem) = weakness(&value) {
            cx.report(in_source_set(
                code,
                Finding::new(&META, code.call_span(call), format!("`Cipher.getInstance(\"{value}\")`: {problem}")),
            ));
        }
    }
}

fn weakness(transformation: &str) -> Option<&'static str> {
    let parts: Vec<String> = transformation
        .split('/')
        .map(|p| p.trim().to_ascii_uppercase())
        .collect();
    let algorithm = parts.first()?.as_str();
    if matches!(algorithm, "DES" | "DESEDE" | "TRIPLEDES" | "3DES" | "RC4" | "ARCFOUR" | "RC2" | "BLOWFISH") {
        return Some("a broken or weak cipher");
    }
    if algorithm.starts_with("RSA") || algorithm.starts_with("EC") && algorithm != "ECB" {
        return None;
    }
    match parts.get(1).map(String::as_str) {
        Some("ECB") => Some("ECB mode encrypts equal blocks to equal ciphertext"),
        None if algorithm == "AES" => Some("a bare `AES` means ECB mode on Android"),
        _ => None,
    }
}
