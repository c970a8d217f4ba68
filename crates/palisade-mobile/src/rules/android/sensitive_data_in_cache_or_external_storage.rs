//! Flags passwords, tokens and other secrets written to cache files or external storage.
//!
//! ## What it checks
//! Writes — `write(…)`/`print(…)` on a `FileOutputStream` or file writer, Kotlin's
//! `File.writeText/writeBytes/appendText/appendBytes`, `Files.write(path, …)` — to a file
//! whose location comes from `getCacheDir()`/`cacheDir`, `getExternalCacheDir()`,
//! `getExternalFilesDir(…)`, `externalMediaDirs` or
//! `Environment.getExternalStorageDirectory()`/`getExternalStoragePublicDirectory(…)`,
//! directly or through local variables and fields of the same class (try-with-resources and
//! Kotlin's `use { it.write(…) }` included), where the value written is a secret by the
//! crate's one model of secret names, or the file's name names one (`token.txt`) and the
//! value is not a literal.
//!
//! Not reported: other data (images, downloads, logs of non-secrets), files in
//! `getFilesDir()` (app-private, not a cache), `EncryptedFile` and cipher streams, values
//! passed through `encrypt(…)`/`hash(…)`-like calls, test source sets.
//!
//! ## Why it matters
//! The cache directory is included in nothing the app controls: cleaners, "clear cache",
//! low storage and some backup tools treat it as disposable, and it is where reviewers and
//! forensic tools look first (CWE-524). External storage is readable by other apps with
//! storage permissions on older Android versions and by anyone with the device over USB
//! (CWE-312). MASVS-STORAGE-1/2 keep sensitive data in internal, encrypted storage only.
//!
//! ## Example
//! ```kotlin
//! File(cacheDir, "session").writeText(sessionToken)       // flagged
//! File(cacheDir, "avatar.png").writeBytes(avatarBytes)    // not flagged
//! ```
//!
//! ## Remediation
//! Keep secrets out of files; if they must be persisted, use `EncryptedFile` (Jetpack
//! Security) or `EncryptedSharedPreferences` in internal storage, with the key in the
//! Android Keystore.
//!
//! ## References
//! - CWE-524: Use of Cache Containing Sensitive Information
//! - CWE-312: Cleartext Storage of Sensitive Information
//! - OWASP MASVS-STORAGE-1, MASVS-STORAGE-2

use crate::android::code::{Code, visit};
use crate::android::code_util::{enclosing_lambda_call, in_source_set, receiver_node};
use crate::android::sensitive::{is_secret_under_key, secret_flow};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/sensitive-data-in-cache-or-external-storage",
    title: "Secret written to a cache or external-storage file",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[524, 312],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("sensitive_data_in_cache_or_external_storage.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

/// Directories outside the app's private, backed-up-by-choice storage.
const PLACES: &[(&str, &str)] = &[
    ("getCacheDir", "the cache directory"),
    ("cacheDir", "the cache directory"),
    ("getCodeCacheDir", "the cache directory"),
    ("codeCacheDir", "the cache directory"),
    ("getExternalCacheDir", "the external cache directory"),
    ("externalCacheDir", "the external cache directory"),
    ("getExternalCacheDirs", "the external cache directory"),
    ("externalCacheDirs", "the external cache directory"),
    ("getExternalFilesDir", "external storage"),
    ("getExternalFilesDirs", "external storage"),
    ("externalMediaDirs", "external storage"),
    ("getExternalMediaDirs", "external storage"),
    ("getExternalStorageDirectory", "external storage"),
    ("getExternalStoragePublicDirectory", "external storage"),
];

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        let (target, value) = match call.name.as_str() {
            "write" | "print" | "println" | "append" | "writeText" | "writeBytes"
            | "appendText" | "appendBytes"
                if !call.args.is_empty() =>
            {
                let target = match receiver_node(call) {
                    Some(r) if code.text(r) == "it" => {
                        enclosing_lambda_call(code, call.node).and_then(receiver_node)
                    }
                    Some(r) if r.kind() != "string_literal" => Some(r),
                    _ => None,
                };
                (target, call.args[0])
            }
            // `Files.write(path, bytes)`, `Files.writeString(path, text)`,
            // `FileUtils.writeStringToFile(file, text)`.
            "writeString" | "writeStringToFile" | "writeByteArrayToFile" if call.args.len() >= 2 => {
                (Some(call.args[0]), call.args[1])
            }
            "write" if call.args.len() >= 2 && call.receiver.as_deref() == Some("Files") => {
                (Some(call.args[0]), call.args[1])
            }
            _ => continue,
        };
        let Some(target) = target else { continue };
        let Some(place) = place_of(code, target) else { continue };
        let what = if let Some((_, name)) = secret_flow(code, value) {
            format!("`{name}`")
        } else if let Some(file_name) = &place.file_name
            && is_secret_under_key(code, file_name, value)
        {
            format!("data for `{file_name}`")
        } else {
            continue;
        };
        cx.report(in_source_set(
            code,
            Finding::new(
                &META,
                code.call_span(call),
                format!(
                    "{what} is written to a file in {} (`{}`) in clear text",
                    place.label, place.api
                ),
            ),
        ));
    }
}

struct Place {
    api: &'static str,
    label: &'static str,
    /// The last literal that names the file (`"token.txt"` of `File(cacheDir, "token.txt")`).
    file_name: Option<String>,
}

/// Where the file a write goes to lives, when that is a cache or external directory: the
/// target expression and, through locals and fields, the expressions it was built from.
fn place_of(code: &Code<'_>, target: Node<'_>) -> Option<Place> {
    let mut place = None;
    let mut file_name = None;
    let mut protected = false;
    search(code, target, 0, &mut place, &mut file_name, &mut protected);
    if protected {
        return None;
    }
    place.map(|(api, label)| Place { api, label, file_name })
}

fn search<'t>(
    code: &Code<'t>,
    node: Node<'t>,
    depth: u32,
    place: &mut Option<(&'static str, &'static str)>,
    file_name: &mut Option<String>,
    protected: &mut bool,
) {
    if depth > 4 {
        return;
    }
    let func = code.func_of(node);
    visit(node, &mut |n| {
        match n.kind() {
            "string_literal" => {
                if let Some(l) = code.literal(n)
                    && file_name.is_none()
                    && !l.is_empty()
                {
                    *file_name = Some(l);
                }
            }
            "identifier" | "simple_identifier" => {
                let name = code.text(n);
                if name.contains("Encrypted") || name.contains("Cipher") {
                    *protected = true;
                }
                if place.is_none()
                    && let Some(&(api, label)) = PLACES.iter().find(|(a, _)| *a == name)
                {
                    *place = Some((api, label));
                    return;
                }
                let is_member = n.parent().is_some_and(|p| {
                    matches!(p.kind(), "field_access" | "navigation_expression" | "method_invocation")
                        && p.named_child(0) != Some(n)
                });
                if !is_member {
                    for a in code.reaching_assigns(n, name, func) {
                        search(code, a.value, depth + 1, place, file_name, protected);
                    }
                }
            }
            _ => {}
        }
    });
}
