//! Helpers the code rules share.

use crate::android::code::{Call, Code, unwrap_parens, visit};
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

/// Whether the function holding `node` tests one of `names` in a condition — an `if` or
/// `when` condition, or the argument of `require`/`check`/`checkArgument` — whose text has
/// one of `keywords` (`startsWith`, `contains`, `matches`, …): an allow-list or validation
/// palisade does not try to judge.
pub fn checked_in_function(
    code: &Code<'_>,
    node: Node<'_>,
    names: &[&str],
    keywords: &[&str],
) -> bool {
    let Some(func) = code.func_of(node) else {
        return false;
    };
    let mut checked = false;
    visit(func.node, &mut |n| {
        if checked {
            return;
        }
        let cond = match n.kind() {
            "if_statement" | "if_expression" | "when_expression" => n
                .child_by_field_name("condition")
                .or_else(|| n.named_child(0)),
            "method_invocation" | "call_expression" => code
                .calls
                .iter()
                .find(|c| c.node == n)
                .filter(|c| {
                    matches!(
                        c.name.as_str(),
                        "require" | "check" | "checkArgument" | "checkState"
                    )
                })
                .map(|_| n),
            _ => None,
        };
        if let Some(cond) = cond {
            let t = code.text(cond);
            checked = names.iter().any(|v| !v.is_empty() && t.contains(v))
                && keywords.iter().any(|k| t.contains(k));
        }
    });
    checked
}

/// The identifiers an expression reads.
pub fn identifiers<'t>(code: &Code<'t>, node: Node<'_>) -> Vec<&'t str> {
    let mut names = Vec::new();
    visit(node, &mut |n| {
        if n.kind() == "identifier" {
            names.push(code.text(n));
        }
    });
    names
}

/// Whether an intent expression is implicit: a constructor with no class argument (an
/// action, an action and a data URI, or nothing), directly or through a local variable of the function, that no
/// `setClass`/`setClassName`/`setComponent`/`setPackage` (or `component =`/`package =`, or
/// a chained call on the constructor) makes explicit in the same function.
pub fn is_implicit_intent<'t>(code: &Code<'t>, at: Node<'t>, intent: Node<'t>) -> bool {
    let intent = unwrap_parens(intent);
    if let Some(ctor) = code.calls.iter().find(|c| c.node == intent) {
        return is_implicit_constructor(code, ctor);
    }
    if intent.kind() != "identifier" {
        return false;
    }
    let name = code.text(intent);
    let func = code.func_of(at).map(|f| f.node.id());
    let same_func = |n: Node<'_>| code.func_of(n).map(|f| f.node.id()) == func;
    let Some(assign) = code
        .assigns
        .iter()
        .rfind(|a| a.name == name && same_func(a.node) && a.node.start_byte() < at.start_byte())
    else {
        return false;
    };
    let Some(ctor) = code
        .calls
        .iter()
        .find(|c| c.node == unwrap_parens(assign.value))
    else {
        return false;
    };
    if !is_implicit_constructor(code, ctor) {
        return false;
    }
    // Made explicit later in the function: `intent.setPackage(…)`, `intent.component = …`,
    // or inside `intent.apply { setPackage(…) }`.
    let made_explicit = code.calls.iter().any(|c| {
        is_explicit_setter(&c.name)
            && same_func(c.node)
            && (c.receiver.as_deref() == Some(name)
                || c.receiver.is_none()
                    && enclosing_lambda_call(code, c.node)
                        .is_some_and(|l| l.receiver.as_deref() == Some(name)))
    }) || code.assigns.iter().any(|a| {
        (a.target.starts_with(&format!("{name}."))
            || a.target == "component"
            || a.target == "`package`")
            && matches!(a.name.as_str(), "component" | "package" | "`package`")
            && same_func(a.node)
    });
    !made_explicit
}

/// A class argument: `X.class`, `X::class.java`, or a variable named for a class.
fn names_class(text: &str) -> bool {
    let t = text.trim();
    t.ends_with(".class")
        || t.ends_with("::class.java")
        || t.ends_with("::class")
        || t.to_ascii_lowercase().contains("class")
        || t.to_ascii_lowercase().contains("clazz")
}

fn is_explicit_setter(name: &str) -> bool {
    matches!(
        name,
        "setClass" | "setClassName" | "setComponent" | "setPackage"
    )
}

/// `Intent()` or `Intent(action)` (a class argument makes it explicit), or a chain on one
/// (`Intent(ACTION).putExtra(…)`) without an explicit setter.
fn is_implicit_constructor(code: &Code<'_>, call: &Call<'_>) -> bool {
    if call.constructor {
        // `Intent(action)`, `Intent()`, and `Intent(action, uri)`; `Intent(context,
        // X::class.java)` and `Intent(action, uri, context, X.class)` name a class.
        return call.name == "Intent"
            && match call.args.as_slice() {
                [] | [_] => true,
                [_, second] => !names_class(code.text(*second)),
                _ => false,
            };
    }
    if is_explicit_setter(&call.name) {
        return false;
    }
    // `Intent(ACTION).apply { setPackage(…) }`, `.putExtra(…)` chains.
    if matches!(call.name.as_str(), "apply" | "also")
        && call.args.iter().any(|a| {
            let mut explicit = false;
            visit(*a, &mut |n| {
                if let Some(c) = code.calls.iter().find(|c| c.node == n) {
                    explicit |= is_explicit_setter(&c.name) && c.receiver.is_none();
                }
                // `component = ComponentName(…)`, `` `package` = packageName ``.
                if matches!(n.kind(), "assignment" | "assignment_expression")
                    && let Some(l) = n.child_by_field_name("left").or_else(|| n.named_child(0))
                {
                    explicit |=
                        matches!(code.text(l), "component" | "`package`" | "this.component");
                }
            });
            explicit
        })
    {
        return false;
    }
    if !matches!(
        call.name.as_str(),
        "putExtra"
            | "putExtras"
            | "setAction"
            | "addFlags"
            | "setFlags"
            | "setData"
            | "addCategory"
            | "apply"
            | "also"
    ) {
        return false;
    }
    receiver_node(call)
        .and_then(|r| code.calls.iter().find(|c| c.node == unwrap_parens(r)))
        .is_some_and(|inner| is_implicit_constructor(code, inner))
}

/// A source's text on one line, cut after 60 characters (for messages).
pub fn short(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}

/// Whether a source (the text [`Code::tainted`] returns) is an intent extra rather than a
/// deep link's URI or a provider's argument: extras of a private component come from the
/// app itself, which a file-level rule cannot tell.
pub fn is_extra(source: &str) -> bool {
    source.contains("Extra") || source.contains("extras")
}

/// Calls that turn a value into a number, a UUID or a digest: what comes out carries no
/// path or shell syntax of the input.
pub fn is_number_or_digest(name: &str) -> bool {
    matches!(
        name,
        "parseInt"
            | "parseLong"
            | "toInt"
            | "toLong"
            | "toIntOrNull"
            | "toLongOrNull"
            | "hashCode"
            | "fromString"
            | "digest"
            | "md5"
            | "sha1"
            | "sha256"
    ) || name.to_ascii_lowercase().contains("hash")
}

/// The names in an expression whose values are tainted ([`Code::tainted`]): what a check
/// of the function must name to count.
pub fn tainted_names<'t>(code: &Code<'t>, node: Node<'t>) -> Vec<&'t str> {
    let mut names = Vec::new();
    visit(node, &mut |n| {
        // Kotlin's `$name` template: the name is string content after a `$`.
        let template = n.kind() == "string_content"
            && n.prev_named_sibling().is_some_and(|p| code.text(p) == "$");
        if (n.kind() == "identifier" || template) && code.tainted(n).is_some() {
            names.push(code.part_text(n));
        }
    });
    names
}

/// A look-up of stored data by the value (`getFile(uri)`, `dao.findByPath(path)`,
/// `ALLOWED.get(i)`): a call named `get…`/`find…`/`query…`/`lookup…`/`load…`/`fetch…` with
/// arguments, on no receiver or on one the value did not come from. What it returns is the
/// app's record, not the input (the input only chose it).
pub fn is_lookup<'t>(code: &Code<'t>, n: Node<'t>) -> bool {
    let Some(call) = code.calls.iter().find(|c| c.node == n) else {
        return false;
    };
    let name = call.name.as_str();
    // `getString(R.string.fmt, value)` formats the value into a resource string.
    let formats = name == "getString" && call.args.len() > 1;
    !call.constructor
        && !formats
        && !call.args.is_empty()
        && ["get", "find", "query", "lookup", "load", "fetch"]
            .iter()
            .any(|p| name.starts_with(p))
        && receiver_node(call).is_none_or(|r| code.tainted(r).is_none())
}
