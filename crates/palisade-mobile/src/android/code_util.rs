//! Helpers the code rules share.

use crate::android::code::{Call, Code};
use crate::android::project::{SetKind, place_of};
use palisade_core::{Finding, Severity};
use tree_sitter::Node;

/// Lowers a code finding in a debug-only source set (`src/debug/java/…`) to low severity.
pub fn in_source_set(code: &Code<'_>, finding: Finding) -> Finding {
    let place = place_of(&code.file.path);
    if place.kind == SetKind::Debug {
        let message = format!(
            "{} (debug-only source set `{}`)",
            finding.message, place.set
        );
        let mut f = finding.with_severity(Severity::Low);
        f.message = message;
        f
    } else {
        finding
    }
}

/// Whether `node` sits inside an `if` whose condition mentions `BuildConfig.DEBUG` (or a
/// `DEBUG` flag): code that only runs in debug builds.
pub fn under_debug_guard(code: &Code<'_>, node: Node<'_>) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(n.kind(), "if_statement" | "if_expression")
            && let Some(cond) = n
                .child_by_field_name("condition")
                .or_else(|| n.named_child(0))
        {
            let t = code.text(cond);
            if t.contains("DEBUG") || t.contains("isDebug") || t.contains("BuildConfig.DEBUG") {
                return true;
            }
        }
        if matches!(n.kind(), "method_declaration" | "function_declaration") {
            break;
        }
        current = n.parent();
    }
    false
}

/// Whether a node is inside an `if` (or `when`) of its function: the call is conditional.
pub fn is_conditional(node: Node<'_>) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "if_statement"
            | "if_expression"
            | "when_expression"
            | "switch_expression"
            | "ternary_expression"
            | "conditional_expression" => return true,
            "method_declaration"
            | "function_declaration"
            | "lambda_expression"
            | "lambda_literal"
            | "class_body" => return false,
            _ => {}
        }
        current = n.parent();
    }
    false
}

/// The statements of a block body, comments left out.
pub fn statements(body: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = body.walk();
    body.named_children(&mut cursor)
        .filter(|n| !n.kind().contains("comment"))
        .collect()
}

/// The receiver expression of a call (`prefs.edit()` of `prefs.edit().putString(…)`), if any.
pub fn receiver_node<'t>(call: &Call<'t>) -> Option<Node<'t>> {
    call.node.child_by_field_name("object").or_else(|| {
        let callee = call.node.named_child(0)?;
        (call.node.kind() == "call_expression" && callee.kind() == "navigation_expression")
            .then(|| callee.named_child(0))
            .flatten()
    })
}

/// The call a lambda argument belongs to, for a node inside the lambda's body
/// (`prefs.edit { putString(…) }`, `file.outputStream().use { it.write(…) }`).
pub fn enclosing_lambda_call<'a, 't>(code: &'a Code<'t>, node: Node<'t>) -> Option<&'a Call<'t>> {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "lambda_literal" | "lambda_expression" => {
                let mut up = n.parent();
                while let Some(p) = up {
                    if matches!(p.kind(), "call_expression" | "method_invocation") {
                        return code.calls.iter().find(|c| c.node == p);
                    }
                    if !matches!(
                        p.kind(),
                        "annotated_lambda" | "value_argument" | "value_arguments" | "argument_list"
                    ) {
                        return None;
                    }
                    up = p.parent();
                }
                return None;
            }
            "method_declaration" | "function_declaration" | "class_body" => return None,
            _ => {}
        }
        current = n.parent();
    }
    None
}
