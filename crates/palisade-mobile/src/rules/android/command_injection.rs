//! Flags OS commands built from an intent, a deep link or a content provider's URI.
//!
//! ## What it checks
//! The command of `Runtime.getRuntime().exec(…)` (also through a local `Runtime`), of
//! `ProcessBuilder(…)` and of `processBuilder.command(…)` when a value in it comes —
//! directly or through local variables, fields of the class and parameters of functions the
//! file calls with it — from a deep link's URI
//! parts, the `uri` of a `ContentProvider`'s `openFile`, or an intent extra (the sources of
//! `android/path-traversal`).
//! - Command text (`exec("ping -c 1 " + host)`), a shell's script (`sh -c …`) or the program
//!   itself: *high* severity.
//! - One element of an argument vector of a program that is not a shell
//!   (`arrayOf("ping", "-c", "1", host)`): the input cannot start a second command, only
//!   add options to this one (CWE-88): *medium* severity, low confidence.
//!
//! Intent extras give low confidence (the component may be private; the manifest says),
//! deep links and provider URIs high.
//!
//! Not reported: constant commands and argument vectors, values converted to numbers,
//! numeric extras, the app's own records looked up by the value (`getCommand(name)`), and
//! values an `if`/`when`/`require` of the function checks against an allow-list or a pattern
//! (`matches`, `contains`, `in`, `equals`).
//!
//! ## Why it matters
//! An app that runs a command holding text another app or a web page chose runs that
//! party's commands with the app's identity and files: its databases, tokens and keys
//! (CWE-78).
//!
//! ## Example
//! ```kotlin
//! val host = intent.data?.getQueryParameter("host")
//! Runtime.getRuntime().exec(arrayOf("sh", "-c", "ping -c 1 $host"))   // flagged
//! ProcessBuilder("ping", "-c", "1", "shop.example").start()            // fine
//! ```
//!
//! ## Remediation
//! Do not run commands with outside input. If one is needed, pass a fixed program and
//! check each argument against an allow-list or a strict pattern; never hand it to a shell.
//!
//! ## References
//! - CWE-78: Improper Neutralization of Special Elements used in an OS Command
//! - CWE-88: Improper Neutralization of Argument Delimiters in a Command
//! - OWASP MASVS-CODE-4; MASTG "Testing for Injection Flaws"

use crate::android::code::{Call, Code, unwrap_parens};
use crate::android::code_util::{
    checked_in_function, in_source_set, is_extra, is_lookup, is_number_or_digest, receiver_node, short,
    tainted_names,
};
use crate::rules::CodeRule;
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/command-injection",
    title: "OS command built from an intent, deep link or provider URI",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[78],
    owasp: Owasp::A03,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("command_injection.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for call in &code.calls {
        let Some(args) = command_arguments(code, call) else { continue };
        let stop = |n: Node<'_>| {
            matches!(n.kind(), "method_invocation" | "call_expression")
                && (code
                    .calls
                    .iter()
                    .find(|c| c.node == n)
                    .is_some_and(|c| is_number_or_digest(&c.name))
                    || is_lookup(code, n))
        };
        let elements = argv(code, &args);
        let Some((index, element, source)) = elements
            .iter()
            .enumerate()
            .find_map(|(i, e)| code.tainted_unless(*e, &stop).map(|s| (i, *e, s)))
        else {
            continue;
        };
        if checked(code, call.node, element) {
            continue;
        }
        // A vector whose program is not a shell: the value is one argument.
        let shell = elements.iter().take(2).any(|e| {
            code.literal(*e).is_some_and(|l| {
                let program = l.rsplit('/').next().unwrap_or(&l).to_string();
                matches!(program.as_str(), "sh" | "bash" | "su" | "ash" | "mksh" | "toybox" | "busybox")
            })
        });
        let one_argument = elements.len() > 1 && index > 0 && !shell;
        let mut finding = Finding::new(
            &META,
            code.call_span(call),
            if one_argument {
                format!(
                    "`{}` passes `{}`, which another app or a link controls, as an argument of the command",
                    call.name,
                    short(&source)
                )
            } else {
                format!(
                    "`{}` runs a command built from `{}`, which another app or a link controls",
                    call.name,
                    short(&source)
                )
            },
        );
        if one_argument {
            finding = finding
                .with_severity(Severity::Medium)
                .with_confidence(Confidence::Low);
        } else if is_extra(&source) {
            finding = finding.with_confidence(Confidence::Low);
        }
        cx.report(in_source_set(code, finding));
    }
}

/// The command arguments of `exec`, `ProcessBuilder(…)` and `.command(…)`.
fn command_arguments<'t>(code: &Code<'t>, call: &Call<'t>) -> Option<Vec<Node<'t>>> {
    match call.name.as_str() {
        "ProcessBuilder" if call.constructor => Some(call.args.clone()),
        "exec" if receiver_node(call).is_some_and(|r| is_runtime(code, r, 0)) => {
            call.args.first().map(|a| vec![*a])
        }
        "command" if !call.args.is_empty()
            && receiver_node(call).is_some_and(|r| is_process_builder(code, r)) =>
        {
            Some(call.args.clone())
        }
        _ => None,
    }
}

/// `Runtime.getRuntime()`, or a local or field holding it.
fn is_runtime(code: &Code<'_>, recv: Node<'_>, depth: u32) -> bool {
    let recv = unwrap_parens(recv);
    if code.text(recv).ends_with("getRuntime()") {
        return true;
    }
    if depth > 2 || recv.kind() != "identifier" {
        return false;
    }
    code.reaching_assigns(recv, code.text(recv), code.func_of(recv))
        .any(|a| is_runtime(code, a.value, depth + 1))
}

/// A `ProcessBuilder` constructed here, or a local or field holding one.
fn is_process_builder(code: &Code<'_>, recv: Node<'_>) -> bool {
    let recv = unwrap_parens(recv);
    if code.text(recv).starts_with("new ProcessBuilder") || code.text(recv).starts_with("ProcessBuilder(") {
        return true;
    }
    recv.kind() == "identifier"
        && code
            .reaching_assigns(recv, code.text(recv), code.func_of(recv))
            .any(|a| code.text(a.value).contains("ProcessBuilder("))
}

/// The elements of a command: the items of an array or list literal (`new String[] {…}`,
/// `arrayOf(…)`, `listOf(…)`, `Arrays.asList(…)`), a local holding one, or the arguments
/// themselves (varargs).
fn argv<'t>(code: &Code<'t>, args: &[Node<'t>]) -> Vec<Node<'t>> {
    if let [single] = args {
        let mut node = unwrap_parens(*single);
        if node.kind() == "identifier"
            && let Some(a) = code
                .reaching_assigns(node, code.text(node), code.func_of(node))
                .last()
        {
            node = unwrap_parens(a.value);
        }
        if let Some(items) = list_items(code, node) {
            return items;
        }
        return vec![*single];
    }
    args.to_vec()
}

fn list_items<'t>(code: &Code<'t>, node: Node<'t>) -> Option<Vec<Node<'t>>> {
    if node.kind() == "array_creation_expression" {
        let init = node.child_by_field_name("value")?;
        let mut cursor = init.walk();
        return Some(init.named_children(&mut cursor).collect());
    }
    let call = code.calls.iter().find(|c| c.node == node)?;
    matches!(
        call.name.as_str(),
        "arrayOf" | "listOf" | "mutableListOf" | "asList" | "of"
    )
    .then(|| call.args.clone())
}

/// Whether a condition of the function checks a value the element reads.
fn checked(code: &Code<'_>, call: Node<'_>, element: Node<'_>) -> bool {
    checked_in_function(
        code,
        call,
        &tainted_names(code, element),
        &["matches", "contains", " in ", "!in", "equals", "== \"", "allow", "ALLOW", "isValid", "valid"],
    )
}
