//! What a setting read from the environment is when the variable is missing: the default a
//! lookup falls back to — through the standard library, django-environ, python-decouple or
//! a project's own helper (`env_bool("DEBUG", True)`) — and whether it reads as on. Used by
//! `python/debug-mode-enabled` for `DEBUG` settings that are on unless a deployment says
//! otherwise.

use crate::grammar::field;
use crate::model::Model;
use crate::settings::env_default;
use crate::values::{keyword_value, literal_bool, literal_string, positional_argument};
use tree_sitter::Node;

/// Whether a value read from the environment is on when the variable is missing: a
/// lookup whose default is `True` or a truthy string — `env.bool("DEBUG", default=True)`,
/// decouple's `config("DEBUG", default=True, cast=bool)`, a project helper
/// `env_bool("DEBUG", True)` — also through a converter (`str2bool(os.getenv("DEBUG",
/// "true"))`) or a comparison that the default passes (`os.environ.get("DEBUG", "True") ==
/// "True"`, `getenv("DEBUG", "1").lower() in ("1", "true")`).
pub fn defaults_on(model: &Model<'_>, value: Node<'_>) -> bool {
    on_when_missing(model, value, 0)
}

fn on_when_missing(model: &Model<'_>, value: Node<'_>, depth: u8) -> bool {
    if depth > 3 {
        return false;
    }
    match value.kind() {
        "call" => {
            if keyword_value(model, value, "default")
                .and_then(|d| literal_bool(model, d))
                .is_some_and(|(held, _)| held)
            {
                return true;
            }
            if let Some(default) = env_lookup_default(model, value) {
                return truthy(model, default);
            }
            // A converter around a lookup: `str2bool(...)`, `bool(int(...))`.
            let arguments = value.child_by_field_id(*field::ARGUMENTS);
            let single = arguments.is_some_and(|a| a.named_child_count() == 1);
            single
                && positional_argument(value, 0)
                    .is_some_and(|a| on_when_missing(model, a, depth + 1))
        }
        "comparison_operator" => {
            let (Some(left), Some(right)) = (value.named_child(0), value.named_child(1)) else {
                return false;
            };
            if value.named_child_count() != 2 {
                return false;
            }
            let operator = value.child(1).map_or("", |o| model.text(o));
            let Some(default) = Some(strip_string_methods(model, left))
                .filter(|l| l.kind() == "call")
                .and_then(|l| env_lookup_default(model, l))
                .and_then(|d| literal_string(model, d))
            else {
                return false;
            };
            let default = default.to_ascii_lowercase();
            let matches = |n: Node<'_>| {
                literal_string(model, n).is_some_and(|s| s.to_ascii_lowercase() == default)
            };
            match operator {
                "==" => matches(right),
                "in" if matches!(right.kind(), "tuple" | "list" | "set") => {
                    let mut cursor = right.walk();
                    right.named_children(&mut cursor).any(matches)
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// `x.lower().strip()` → `x`.
fn strip_string_methods<'t>(model: &Model<'t>, mut node: Node<'t>) -> Node<'t> {
    for _ in 0..4 {
        let Some(object) = node
            .child_by_field_id(*field::FUNCTION)
            .filter(|f| f.kind() == "attribute")
            .filter(|f| {
                f.child_by_field_id(*field::ATTRIBUTE)
                    .is_some_and(|a| matches!(model.text(a), "lower" | "strip" | "casefold"))
            })
            .and_then(|f| f.child_by_field_id(*field::OBJECT))
        else {
            break;
        };
        node = object;
    }
    node
}

/// The default of an environment lookup: [`env_default`]'s (`os.environ.get`, `os.getenv`,
/// django-environ, decouple), or a project helper named for the environment or settings
/// (`env_bool("DEBUG", True)`, `get_env_setting("DEBUG", default="true")`) whose first
/// argument is the variable's name.
fn env_lookup_default<'t>(model: &Model<'t>, call: Node<'t>) -> Option<Node<'t>> {
    if let Some(default) = env_default(model, call) {
        return Some(default);
    }
    let function = call.child_by_field_id(*field::FUNCTION)?;
    let name = model.dotted(function)?;
    let last = name
        .rsplit('.')
        .next()
        .unwrap_or(&name)
        .to_ascii_lowercase();
    let helper = last.contains("env") || last.contains("setting") || last.contains("config");
    if !helper {
        return None;
    }
    let variable = positional_argument(call, 0).and_then(|v| literal_string(model, v))?;
    if !variable.to_ascii_uppercase().contains("DEBUG") {
        return None;
    }
    keyword_value(model, call, "default").or_else(|| positional_argument(call, 1))
}

/// `True`, or a string that reads as on (`"true"`, `"1"`, `"yes"`, `"on"`).
fn truthy(model: &Model<'_>, node: Node<'_>) -> bool {
    if let Some((held, _)) = literal_bool(model, node) {
        return held;
    }
    if node.kind() == "integer" {
        return model.text(node) != "0";
    }
    literal_string(model, node).is_some_and(|s| {
        matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "on" | "y" | "t"
        )
    })
}
