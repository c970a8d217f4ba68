//! Flags `WebView.setWebContentsDebuggingEnabled(true)` in code that ships.
//!
//! ## What it checks
//! A call of `setWebContentsDebuggingEnabled` whose argument is `true` (or a variable or
//! constant of the file that only ever holds `true`), in a source set that goes into release
//! builds (`src/main`, `src/release`, flavors).
//!
//! Not reported: a call under an `if` whose condition tests a debug flag (`BuildConfig.DEBUG`,
//! `BuildConfig.BUILD_TYPE == "debug"`, `applicationInfo.flags and FLAG_DEBUGGABLE`,
//! `isDebug…`) or after an early `if (!BuildConfig.DEBUG) return`; an argument that is
//! such a value itself (`setWebContentsDebuggingEnabled(BuildConfig.DEBUG)`) or any other
//! value not known to be `true` (a developer setting); `false`; debug-only source sets
//! (`src/debug`, where this call belongs) and test sources. A debug check `||` another
//! condition (`FLAG_DEBUGGABLE || isBeta`) is reported at *low* confidence: the other
//! condition may hold in a build that ships.
//!
//! ## Why it matters
//! With WebView debugging on, anyone who can reach the device over adb — another person
//! holding an unlocked phone, a shared or compromised computer it is plugged into — opens
//! `chrome://inspect`, reads the page's DOM, cookies and local storage and runs
//! JavaScript inside the app's WebViews, with the app's session (CWE-489).
//!
//! ## Example
//! ```kotlin
//! WebView.setWebContentsDebuggingEnabled(true)                          // flagged
//! if (BuildConfig.DEBUG) WebView.setWebContentsDebuggingEnabled(true)   // not flagged
//! ```
//!
//! ## Remediation
//! Enable it only in debug builds: `WebView.setWebContentsDebuggingEnabled(BuildConfig.DEBUG)`,
//! or move the call into the `src/debug` source set.
//!
//! ## References
//! - CWE-489: Active Debug Code
//! - Android developers: `WebView.setWebContentsDebuggingEnabled`
//! - OWASP MASVS-RESILIENCE-4; MASTG "Testing for Debugging Code and Verbose Error Logging"

use crate::android::code::{Code, last_segment, unwrap_parens, visit};
use crate::android::project::{SetKind, place_of};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/webview-debugging-enabled",
    title: "WebView remote debugging enabled in a release build",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[489],
    owasp: Owasp::A05,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("webview_debugging_enabled.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    // The debug source set is where this call belongs.
    if place_of(&code.file.path).kind == SetKind::Debug {
        return;
    }
    for call in &code.calls {
        if call.name != "setWebContentsDebuggingEnabled" {
            continue;
        }
        let Some(&arg) = call.args.first() else { continue };
        if !always_true(code, arg) {
            continue;
        }
        match debug_guard(code, call.node) {
            Guard::Debug => {}
            Guard::None => cx.report(Finding::new(
                &META,
                code.call_span(call),
                "`setWebContentsDebuggingEnabled(true)` lets anyone with adb access inspect and script this app's WebViews in release builds".to_string(),
            )),
            Guard::DebugOr => cx.report(
                Finding::new(
                    &META,
                    code.call_span(call),
                    "`setWebContentsDebuggingEnabled(true)` runs when a debug check *or* another condition holds (a beta flag, a setting): builds that ship may have WebView debugging on".to_string(),
                )
                .with_confidence(Confidence::Low),
            ),
        }
    }
}

/// `true`, or a variable/constant of the file whose every assignment is `true`.
fn always_true(code: &Code<'_>, arg: Node<'_>) -> bool {
    let arg = unwrap_parens(arg);
    if code.is_true(arg) {
        return true;
    }
    if !matches!(arg.kind(), "identifier" | "field_access" | "navigation_expression") {
        return false;
    }
    let name = last_segment(code.text(arg));
    let mut any = false;
    for a in code.reaching_assigns(arg, name, code.func_of(arg)) {
        if !code.is_true(a.value) {
            return false;
        }
        any = true;
    }
    any
}

/// A condition that tests for a debug build or a debug flag.
fn is_debug_condition(text: &str) -> bool {
    text.to_ascii_lowercase().contains("debug")
}

/// Whether a condition is negated as a whole (`!BuildConfig.DEBUG`, `!isDebug()`).
fn is_negated(text: &str) -> bool {
    let t = text.trim().trim_start_matches('(').trim_start();
    t.starts_with('!') && !t.starts_with("!=")
}

fn condition_of(n: Node<'_>) -> Option<Node<'_>> {
    n.child_by_field_name("condition").or_else(|| n.named_child(0))
}

/// How a call is guarded by a debug check.
enum Guard {
    /// Not at all.
    None,
    /// Only in debug builds.
    Debug,
    /// By a debug check `||` something else (`FLAG_DEBUGGABLE || isBeta`).
    DebugOr,
}

/// Under an `if` that only runs in debug builds (its then-branch for `if (DEBUG)`, its else
/// for `if (!DEBUG)`), or after `if (!BuildConfig.DEBUG) return` in the same function. A
/// then-branch of `if (DEBUG || other)` is [`Guard::DebugOr`].
fn debug_guard(code: &Code<'_>, node: Node<'_>) -> Guard {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(n.kind(), "if_statement" | "if_expression")
            && let Some(cond) = condition_of(n)
            && cond.end_byte() <= node.start_byte()
        {
            let t = code.text(cond);
            if is_debug_condition(t) {
                let between = &code.src()[cond.end_byte()..node.start_byte()];
                let in_else = between
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "else");
                if is_negated(t) == in_else {
                    return if !in_else && t.contains("||") {
                        Guard::DebugOr
                    } else {
                        Guard::Debug
                    };
                }
            }
        }
        if matches!(n.kind(), "method_declaration" | "function_declaration" | "class_body") {
            break;
        }
        current = n.parent();
    }
    // `if (!BuildConfig.DEBUG) return;` earlier in the function.
    let Some(func) = code.func_of(node) else {
        return Guard::None;
    };
    let mut early_return = false;
    visit(func.node, &mut |n| {
        if early_return
            || !matches!(n.kind(), "if_statement" | "if_expression")
            || n.end_byte() > node.start_byte()
        {
            return;
        }
        if let Some(cond) = condition_of(n) {
            let t = code.text(cond);
            let rest = &code.src()[cond.end_byte()..n.end_byte()];
            early_return = is_debug_condition(t)
                && is_negated(t)
                && rest
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "return");
        }
    });
    if early_return { Guard::Debug } else { Guard::None }
}
