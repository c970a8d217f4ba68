//! Flags file paths built from an intent, a deep link or a content provider's URI.
//!
//! ## What it checks
//! The path arguments of `File(…)`, `FileInputStream`, `FileOutputStream`, `FileReader`,
//! `FileWriter`, `RandomAccessFile`, `ParcelFileDescriptor.open`, `Paths.get` and `Path.of`
//! when a value in them comes — directly or through local variables, fields of the class
//! and parameters of functions the file calls with it — from:
//! - a deep link's URI parts (`getData()`, `getPath()` of a `Uri` parameter,
//!   `getQueryParameter`, `getLastPathSegment`, `getPathSegments`, Kotlin's `uri.path`,
//!   `uri.lastPathSegment`), or the `uri` argument of a `ContentProvider`'s `openFile`,
//!   `openAssetFile` or `openTypedAssetFile`: *high* confidence;
//! - an intent extra (`getStringExtra`, `getExtras`): *low* confidence, because the
//!   component may be private and the extra then comes from the app itself (the manifest
//!   says, which this file-level rule does not read).
//!
//! Not reported:
//! - functions that check containment — a condition (or `require`/`check`) that compares a
//!   canonical path (`getCanonicalPath`, `canonicalPath`, `getCanonicalFile`, `toRealPath`,
//!   `normalize`) with `startsWith`, in the function itself or in a function of the same file
//!   it calls;
//! - values checked by name: a condition that names the value with `".."`, `contains`,
//!   `matches`, `equals`, `startsWith`, Kotlin's `in`, or an allow-list;
//! - values read through a sanitiser: the last name of a path (`File(x).getName()`,
//!   `.name`, `.extension`, `FilenameUtils.getName`), a number (`parseInt`, `toLong`, …), a hash or an
//!   encoding (`Uri.encode`, `URLEncoder.encode`), `sanitize…`, the provider's own mapping
//!   (`getFileForUri`), or a look-up of the app's own records by the value
//!   (`storage.getFileByPath(uri.getPath()).getFileName()`: the name is the record's);
//! - numeric and boolean extras (`getIntExtra`, …);
//! - `openFileOutput`, `openFileInput`, `deleteFile` and `getFileStreamPath`: Android
//!   rejects names with a path separator there.
//!
//! A path built from a file the same flow already made (`FileInputStream(file)` with
//! `file = File(dir, name)`) is reported once, where the name joins the path.
//!
//! ## Why it matters
//! A name like `../../shared_prefs/session.xml` walks out of the folder the app meant: an
//! exported provider or a link then reads the app's private databases and tokens, or writes
//! over its files and native libraries (CWE-22).
//!
//! ## Example
//! ```kotlin
//! override fun openFile(uri: Uri, mode: String): ParcelFileDescriptor? {
//!     val file = File(context!!.filesDir, uri.path!!)       // flagged
//!     return ParcelFileDescriptor.open(file, MODE_READ_ONLY)
//! }
//! ```
//!
//! ## Remediation
//! Resolve the file, then check `file.canonicalPath.startsWith(dir.canonicalPath + File.separator)`
//! before opening it; or accept only names from an allow-list, or only the last path
//! segment's `File(name).name`.
//!
//! ## References
//! - CWE-22: Improper Limitation of a Pathname to a Restricted Directory
//! - OWASP MASVS-CODE-4; MASTG "Testing for Injection Flaws"; Android developers, "Path
//!   traversal"

use crate::android::code::{Call, Code, Lang, is_provider_file_method, last_segment, unwrap_parens, visit};
use crate::android::code_util::{checked_in_function, in_source_set, is_extra, is_lookup, is_number_or_digest, short,
    tainted_names};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/path-traversal",
    title: "File path from an intent, deep link or provider URI unchecked",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[22],
    owasp: Owasp::A01,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("path_traversal.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

/// Constructors that take a path (every argument may carry it).
const PATH_CONSTRUCTORS: &[&str] = &[
    "File",
    "FileInputStream",
    "FileOutputStream",
    "FileReader",
    "FileWriter",
    "RandomAccessFile",
];

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        let Some(paths) = path_arguments(call) else { continue };
        // `File(x).getName()`: only the last name is used.
        if call.node.parent().is_some_and(|p| is_sanitiser(code, p) && p.named_child(0) == Some(call.node)) {
            continue;
        }
        let stop = |n: Node<'_>| is_sanitiser(code, n) || is_path_sink(code, n) || is_lookup(code, n);
        let Some((arg, source)) = paths
            .iter()
            .find_map(|a| code.tainted_unless(*a, &stop).map(|s| (*a, s)))
        else {
            continue;
        };
        if contains_check(code, call.node) || name_checked(code, call.node, arg) {
            continue;
        }
        let extra = is_extra(&source);
        let from_provider = !extra && code.func_of(call.node).is_some_and(is_provider_file_method);
        let deep_link = !extra;
        let what = if from_provider {
            "the URI another app passed to this provider"
        } else if deep_link {
            "a deep link"
        } else {
            "an intent extra"
        };
        let mut finding = Finding::new(
            &META,
            code.call_span(call),
            format!(
                "`{}` opens a path built from `{}` ({what}) with no canonical-path containment check or name allow-list",
                call.name,
                short(&source)
            ),
        );
        if !deep_link {
            finding = finding.with_confidence(Confidence::Low);
        }
        cx.report(in_source_set(code, finding));
    }
}

/// The arguments of a call that are file paths, if the call opens or names a file.
fn path_arguments<'t>(call: &Call<'t>) -> Option<Vec<Node<'t>>> {
    let name = call.name.as_str();
    // `File(…)`, `new java.io.File(…)`, Kotlin's `java.io.File(…)`.
    let qualified = call.receiver.as_deref().is_some_and(|r| r.starts_with("java."));
    if PATH_CONSTRUCTORS.contains(&name) && (call.constructor || qualified) {
        let n = if name == "RandomAccessFile" { 1 } else { 2 };
        return Some(call.args.iter().take(n).copied().collect());
    }
    let recv = call.receiver.as_deref().map(last_segment);
    match (name, recv) {
        ("open", Some("ParcelFileDescriptor")) | ("get", Some("Paths")) | ("of", Some("Path")) => {
            Some(call.args.iter().take(if name == "open" { 1 } else { 4 }).copied().collect())
        }
        _ => None,
    }
}

/// A node that opens or names a file: the flow stops there, so a path is reported once.
fn is_path_sink(code: &Code<'_>, n: Node<'_>) -> bool {
    matches!(n.kind(), "method_invocation" | "call_expression" | "object_creation_expression")
        && code
            .calls
            .iter()
            .find(|c| c.node == n)
            .is_some_and(|c| path_arguments(c).is_some())
}

/// Reading a value through these makes it safe as a file name.
fn is_sanitiser(code: &Code<'_>, n: Node<'_>) -> bool {
    let member = match n.kind() {
        "method_invocation" | "call_expression" => {
            match code.calls.iter().find(|c| c.node == n) {
                Some(c) => c.name.clone(),
                None => return false,
            }
        }
        // Kotlin properties: `File(x).name`, `file.nameWithoutExtension`.
        "navigation_expression" if code.lang == Lang::Kotlin => {
            let count = n.named_child_count();
            match n.named_child(count.saturating_sub(1) as u32) {
                Some(m) => code.text(m).to_string(),
                None => return false,
            }
        }
        _ => return false,
    };
    let lower = member.to_ascii_lowercase();
    matches!(
        member.as_str(),
        "getName" | "name" | "nameWithoutExtension" | "extension" | "getFileForUri" | "encode"
    ) || is_number_or_digest(&member)
        || lower.starts_with("sanitize")
        || lower.starts_with("sanitise")
        || lower.starts_with("safe")
}

/// Whether the function (or a function of this file it calls) compares a canonical path
/// with `startsWith`.
fn contains_check(code: &Code<'_>, node: Node<'_>) -> bool {
    let Some(func) = code.func_of(node) else {
        return false;
    };
    if has_containment_check(code, func.node) {
        return true;
    }
    let mut called = false;
    visit(func.node, &mut |n| {
        if called {
            return;
        }
        if let Some(c) = code.calls.iter().find(|c| c.node == n && !c.constructor)
            && c.receiver.as_deref().is_none_or(|r| r == "this")
            && let Some(f) = code.functions.iter().find(|f| f.name == c.name && f.node != func.node)
        {
            called = has_containment_check(code, f.node);
        }
    });
    called
}

fn has_containment_check(code: &Code<'_>, func: Node<'_>) -> bool {
    let t = code.text(func);
    ["getCanonicalPath", "canonicalPath", "getCanonicalFile", "canonicalFile", "toRealPath", "normalize("]
        .iter()
        .any(|k| t.contains(k))
        && t.contains("startsWith")
}

/// Whether the tainted names in the path argument are checked by a condition of the
/// function (`..`, an allow-list, a pattern).
fn name_checked<'t>(code: &Code<'t>, node: Node<'t>, arg: Node<'t>) -> bool {
    checked_in_function(
        code,
        node,
        &tainted_names(code, unwrap_parens(arg)),
        &["\"..\"", "contains", "matches", "equals", "startsWith", " in ", "!in", "allow", "ALLOW", "isValid", "valid"],
    )
}
