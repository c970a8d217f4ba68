//! Helpers for rules that read configuration: literal values, the settings a module or a
//! config class assigns at its top level, and the role a file plays (deployed settings, or
//! settings for tests or local development, which the settings rules leave alone).
//!
//! Everything here works on the nodes and the model the analyzer already built; nothing
//! re-parses text. It is kept apart from `model.rs` so that configuration rules can grow
//! their helpers without touching the model the other rules share.

use crate::grammar::field;
use crate::model::{MODULE, Model, scope_of};
use palisade_knowledge::roles::{self, SettingsFlavor};
use tree_sitter::Node;

/// Call and scope helpers shared with the other rules live in `values.rs`.
pub use crate::values::{
    enclosing_function, keyword, keyword_value, positional_argument as positional,
};

/// The raw text between the quotes of a `string` node and the byte offset where it starts.
/// For an f-string the `{…}` parts are included as written.
pub fn string_body<'t>(model: &Model<'t>, node: Node<'_>) -> Option<(&'t str, usize)> {
    if node.kind() != "string" {
        return None;
    }
    let mut start = None;
    let mut end = None;
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "string_start" => start = Some(child.end_byte()),
            "string_end" => end = Some(child.start_byte()),
            _ => {}
        }
    }
    let (start, end) = (start?, end?);
    if end < start {
        return None;
    }
    let text = model.text(node);
    let offset = start - node.start_byte();
    let body = text.get(offset..offset + (end - start))?;
    Some((body, start))
}

/// Whether a `string` node has `{…}` interpolations (an f-string with expressions).
pub fn has_interpolation(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .any(|c| c.kind() == "interpolation")
}

/// The value of a string literal without interpolations, or of an implicit concatenation of
/// such literals (`"a" "b"`). Escape sequences are kept as written.
pub fn string_value(model: &Model<'_>, node: Node<'_>) -> Option<String> {
    match node.kind() {
        "string" if !has_interpolation(node) => {
            string_body(model, node).map(|(s, _)| s.to_string())
        }
        "concatenated_string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for part in node.named_children(&mut cursor) {
                out.push_str(&string_value(model, part)?);
            }
            Some(out)
        }
        "parenthesized_expression" => string_value(model, node.named_child(0)?),
        _ => None,
    }
}

/// Follows a name or attribute chain to the value it holds, when it is assigned exactly once
/// in its scope (or at module level) and is not a parameter; up to three hops. Returns the
/// value and, when a name was followed, the value node of the first assignment followed
/// (for a related location). Anything else is returned as is.
pub fn follow<'t>(model: &Model<'t>, node: Node<'t>) -> (Node<'t>, Option<Node<'t>>) {
    let mut current = node;
    let mut definition = None;
    for _ in 0..3 {
        if !matches!(current.kind(), "identifier" | "attribute") {
            break;
        }
        let Some(name) = model.dotted(current) else {
            break;
        };
        let Some(value) = model.single_value(scope_of(current), &name) else {
            break;
        };
        if value.kind() == "pattern_list" || value.id() == current.id() {
            break;
        }
        definition.get_or_insert(value);
        current = value;
    }
    (current, definition)
}

/// Whether a node is the literal `True`.
pub fn is_true(node: Node<'_>) -> bool {
    node.kind() == "true"
}

/// Whether a node is the literal `False`.
pub fn is_false(node: Node<'_>) -> bool {
    node.kind() == "false"
}

/// How a setting is given a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingOp {
    /// `NAME = value`
    Assign,
    /// `NAME += value`
    Extend,
    /// `NAME.append(value)` / `NAME.extend(value)` / `NAME.insert(i, value)`
    Call,
}

/// One top-level setting of a module or a class body.
#[derive(Clone, Copy, Debug)]
pub struct Setting<'t> {
    pub name: &'t str,
    /// The assignment (or call) statement's expression.
    pub node: Node<'t>,
    /// The assigned value (or the appended argument).
    pub value: Node<'t>,
    pub op: SettingOp,
    /// Inside an `if`, `try` or `with` block rather than unconditional.
    pub conditional: bool,
    /// Inside the body of an `if DEBUG:`-style block: development only.
    pub debug_only: bool,
}

/// The settings assigned at the top level of a module (`root`) or of a class body (a
/// `block`), including those inside top-level `if`/`try`/`with` blocks, in source order.
/// Functions and nested classes are not entered.
pub fn top_level_settings<'t>(model: &Model<'t>, body: Node<'t>) -> Vec<Setting<'t>> {
    let mut out = Vec::new();
    collect_settings(model, body, false, false, &mut out);
    out
}

fn collect_settings<'t>(
    model: &Model<'t>,
    block: Node<'t>,
    conditional: bool,
    debug_only: bool,
    out: &mut Vec<Setting<'t>>,
) {
    let mut cursor = block.walk();
    for statement in block.named_children(&mut cursor) {
        match statement.kind() {
            "expression_statement" => {
                let Some(expr) = statement.named_child(0) else {
                    continue;
                };
                if let Some(setting) = setting_of(model, expr, conditional, debug_only) {
                    out.push(setting);
                }
            }
            "if_statement" => {
                let condition = statement.child_by_field_id(*field::CONDITION);
                let debug = condition.is_some_and(|c| is_debug_condition(model, c));
                if let Some(body) = statement.child_by_field_id(*field::CONSEQUENCE) {
                    collect_settings(model, body, true, debug_only || debug, out);
                }
                let mut alternatives = statement.walk();
                for alternative in
                    statement.children_by_field_name("alternative", &mut alternatives)
                {
                    let (body, debug) = match alternative.kind() {
                        "elif_clause" => (
                            alternative.child_by_field_id(*field::CONSEQUENCE),
                            alternative
                                .child_by_field_id(*field::CONDITION)
                                .is_some_and(|c| is_debug_condition(model, c)),
                        ),
                        _ => (alternative.child_by_field_id(*field::BODY), false),
                    };
                    if let Some(body) = body {
                        collect_settings(model, body, true, debug_only || debug, out);
                    }
                }
            }
            "try_statement" | "with_statement" => {
                let mut inner = statement.walk();
                for part in statement.named_children(&mut inner) {
                    let body = match part.kind() {
                        "block" => Some(part),
                        "except_clause" | "else_clause" | "finally_clause" => {
                            let mut c = part.walk();
                            part.named_children(&mut c).find(|n| n.kind() == "block")
                        }
                        _ => None,
                    };
                    if let Some(body) = body {
                        collect_settings(model, body, true, debug_only, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn setting_of<'t>(
    model: &Model<'t>,
    expr: Node<'t>,
    conditional: bool,
    debug_only: bool,
) -> Option<Setting<'t>> {
    let (name, value, op) = match expr.kind() {
        "assignment" => {
            let left = expr.child_by_field_id(*field::LEFT)?;
            let right = expr.child_by_field_id(*field::RIGHT)?;
            (left, right, SettingOp::Assign)
        }
        "augmented_assignment" => {
            let left = expr.child_by_field_id(*field::LEFT)?;
            let right = expr.child_by_field_id(*field::RIGHT)?;
            (left, right, SettingOp::Extend)
        }
        "call" => {
            let function = expr.child_by_field_id(*field::FUNCTION)?;
            if function.kind() != "attribute" {
                return None;
            }
            let method = model.text(function.child_by_field_id(*field::ATTRIBUTE)?);
            if !matches!(method, "append" | "extend" | "insert") {
                return None;
            }
            let object = function.child_by_field_id(*field::OBJECT)?;
            let arguments = expr.child_by_field_id(*field::ARGUMENTS)?;
            let mut c = arguments.walk();
            let value = arguments.named_children(&mut c).last()?;
            (object, value, SettingOp::Call)
        }
        _ => return None,
    };
    if name.kind() != "identifier" {
        return None;
    }
    Some(Setting {
        name: model.text(name),
        node: expr,
        value,
        op,
        conditional,
        debug_only,
    })
}

/// Whether an `if` condition selects development: `DEBUG`, `settings.DEBUG`, `app.debug`,
/// `DEBUG is True`, `DEBUG == True` (and not `not DEBUG`).
pub fn is_debug_condition(model: &Model<'_>, condition: Node<'_>) -> bool {
    match condition.kind() {
        "identifier" | "attribute" => {
            let text = model.text(condition);
            let last = text.rsplit('.').next().unwrap_or(text);
            last.eq_ignore_ascii_case("debug")
        }
        "comparison_operator" => {
            let text = model.text(condition);
            let (Some(left), Some(right)) = (condition.named_child(0), condition.named_child(1))
            else {
                return false;
            };
            !text.contains("not")
                && !text.contains("!=")
                && is_debug_condition(model, left)
                && is_true(right)
        }
        "boolean_operator" => {
            // `DEBUG and LOCAL_DEV`: development only when DEBUG is required.
            model.text(condition).contains(" and ")
                && condition
                    .child_by_field_id(*field::LEFT)
                    .is_some_and(|l| is_debug_condition(model, l))
        }
        "parenthesized_expression" => condition
            .named_child(0)
            .is_some_and(|c| is_debug_condition(model, c)),
        _ => false,
    }
}

/// Whether `node` sits in the `True` branch of a conditional expression or inside the body of
/// an `if` statement whose condition selects development (see [`is_debug_condition`]),
/// looking up to the enclosing function or class.
pub fn under_debug(model: &Model<'_>, node: Node<'_>) -> bool {
    let mut child = node;
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "function_definition" | "class_definition" | "lambda" => return false,
            "if_statement" | "elif_clause" => {
                let in_body = n
                    .child_by_field_id(*field::CONSEQUENCE)
                    .is_some_and(|b| b.id() == child.id());
                if in_body
                    && n.child_by_field_id(*field::CONDITION)
                        .is_some_and(|c| is_debug_condition(model, c))
                {
                    return true;
                }
            }
            "conditional_expression" => {
                // `a if DEBUG else b`: children are a, DEBUG, b.
                let first = n.named_child(0);
                let condition = n.named_child(1);
                if first.is_some_and(|f| f.id() == child.id())
                    && condition.is_some_and(|c| is_debug_condition(model, c))
                {
                    return true;
                }
            }
            _ => {}
        }
        child = n;
        current = n.parent();
    }
    false
}

/// Whether the module has a star import (`from .base import *`): its settings may come
/// from another file.
pub fn has_star_import(root: Node<'_>) -> bool {
    let mut cursor = root.walk();
    root.named_children(&mut cursor).any(|statement| {
        statement.kind() == "import_from_statement" && {
            let mut c = statement.walk();
            statement
                .named_children(&mut c)
                .any(|n| n.kind() == "wildcard_import")
        }
    })
}

/// The settings flavour of a Django settings module: by path, or — for a module whose path
/// does not say so — by defining `INSTALLED_APPS`, `MIDDLEWARE` or `ROOT_URLCONF` at module
/// level (then the flavour is read from the file name's words, `Main` by default).
pub fn django_settings_flavor(path: &str, model: &Model<'_>) -> Option<SettingsFlavor> {
    if let Some(flavor) = roles::settings_flavor(path) {
        return Some(flavor);
    }
    let defines = [
        "INSTALLED_APPS",
        "MIDDLEWARE",
        "MIDDLEWARE_CLASSES",
        "ROOT_URLCONF",
    ]
    .iter()
    .any(|name| !model.values(MODULE, name).is_empty());
    if !defines {
        return None;
    }
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    Some(roles::flavor_of_name(
        file.strip_suffix(".py").unwrap_or(file),
    ))
}

/// The last name of a call's function (`md5` in `hashlib.md5`, `get` in `self.session.get`),
/// without allocating: a cheap filter before resolving the full dotted name.
pub fn last_name<'t>(model: &Model<'t>, function: Node<'_>) -> &'t str {
    match function.kind() {
        "identifier" => model.text(function),
        "attribute" => function
            .child_by_field_id(*field::ATTRIBUTE)
            .map_or("", |a| model.text(a)),
        _ => "",
    }
}

/// Well-known Django settings, to recognise a settings module by what it assigns.
const DJANGO_SETTINGS: &[&str] = &[
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "MIDDLEWARE_CLASSES",
    "ROOT_URLCONF",
    "DATABASES",
    "WSGI_APPLICATION",
    "ASGI_APPLICATION",
    "TEMPLATES",
    "AUTH_PASSWORD_VALIDATORS",
    "AUTH_USER_MODEL",
    "STATIC_URL",
    "STATIC_ROOT",
    "DEFAULT_AUTO_FIELD",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "LANGUAGE_CODE",
    "USE_TZ",
    "SESSION_ENGINE",
    "CSRF_TRUSTED_ORIGINS",
];

/// Whether a module is a Django settings module: named `settings.py` / `*_settings.py` /
/// `settings_*.py` or inside a `settings` package, or assigning at least two well-known
/// Django settings (one, when it star-imports a base settings module).
pub fn is_django_settings(path: &str, settings: &[Setting<'_>], star_import: bool) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    if let Some((file, dirs)) = parts.split_last() {
        let stem = file.strip_suffix(".py").unwrap_or(file);
        if stem == "settings"
            || stem.starts_with("settings_")
            || stem.ends_with("_settings")
            || dirs.contains(&"settings")
        {
            return true;
        }
    }
    let mut known: Vec<&str> = settings
        .iter()
        .map(|s| s.name)
        .filter(|n| DJANGO_SETTINGS.contains(n))
        .collect();
    known.sort_unstable();
    known.dedup();
    known.len() >= 2 || (star_import && !known.is_empty())
}

/// For `os.environ.get("X", default)`, `os.getenv("X", default)`, `env("X", default=…)`,
/// `env.str/list/bool(…, default=…)` and python-decouple's `config("X", default=…)`: the
/// default value node. `None` for any other call or when no default is given.
pub fn env_default<'t>(model: &Model<'t>, call: Node<'t>) -> Option<Node<'t>> {
    if call.kind() != "call" {
        return None;
    }
    let function = call.child_by_field_id(*field::FUNCTION)?;
    let arguments = call.child_by_field_id(*field::ARGUMENTS)?;
    // Cheap filter on the text before resolving (this runs on many module-level calls).
    let text = model.text(function);
    let plausible = text.ends_with(".get")
        || text.ends_with("getenv")
        || text.ends_with(".setdefault")
        || text == "env"
        || text.starts_with("env.")
        || text == "config"
        || text.ends_with(".config");
    if !plausible {
        return None;
    }
    let dotted = model.dotted(function)?;
    let resolved = model.resolve(function).unwrap_or_default();
    let positional_default = matches!(
        resolved.as_str(),
        "os.environ.get" | "os.getenv" | "os.environ.setdefault"
    );
    let keyword_default = positional_default
        || matches!(
            resolved.as_str(),
            "decouple.config" | "environ.Env" | "prettyconf.config"
        )
        || dotted == "env"
        || dotted.starts_with("env.")
        || dotted == "config";
    if !keyword_default {
        return None;
    }
    let mut cursor = arguments.walk();
    let mut positional = 0;
    for argument in arguments.named_children(&mut cursor) {
        if argument.kind() == "keyword_argument" {
            let name = argument
                .child_by_field_id(*field::NAME)
                .map(|n| model.text(n));
            if name == Some("default") {
                return argument.child_by_field_id(*field::VALUE);
            }
            continue;
        }
        if positional == 1 && positional_default {
            return Some(argument);
        }
        positional += 1;
    }
    None
}

/// Whether a call passes `**something` (its keyword arguments are then not all known).
pub fn has_keyword_splat(call: Node<'_>) -> bool {
    call.child_by_field_id(*field::ARGUMENTS)
        .is_some_and(|arguments| {
            let mut cursor = arguments.walk();
            arguments
                .named_children(&mut cursor)
                .any(|a| a.kind() == "dictionary_splat")
        })
}

/// The `(key, value)` pairs of a dictionary literal whose keys are plain strings.
pub fn dict_entries<'t>(model: &Model<'t>, dict: Node<'t>) -> Vec<(String, Node<'t>)> {
    let mut out = Vec::new();
    if dict.kind() != "dictionary" {
        return out;
    }
    let mut cursor = dict.walk();
    for pair in dict.named_children(&mut cursor) {
        if pair.kind() != "pair" {
            continue;
        }
        if let (Some(key), Some(value)) = (
            pair.child_by_field_id(*field::KEY),
            pair.child_by_field_id(*field::VALUE),
        ) && let Some(key) = string_value(model, key)
        {
            out.push((key, value));
        }
    }
    out
}

/// Whether a dictionary literal has an entry that is not a plain-string pair (`**other`, a
/// computed key): its full content is then unknown.
pub fn dict_is_open(dict: Node<'_>) -> bool {
    let mut cursor = dict.walk();
    dict.named_children(&mut cursor).any(|n| {
        n.kind() == "dictionary_splat"
            || (n.kind() == "pair"
                && n.child_by_field_id(*field::KEY)
                    .is_some_and(|k| !matches!(k.kind(), "string" | "concatenated_string")))
    })
}

/// Calls `visit` on every node below `node` (depth first, in source order), descending into
/// a child only when `visit` returns true. For the rare check that must look around a
/// candidate inside one function; rules never walk whole files.
pub fn walk<'t>(node: Node<'t>, visit: &mut dyn FnMut(Node<'t>) -> bool) {
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return;
    }
    'outer: loop {
        let descend = visit(cursor.node());
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() || cursor.node().id() == node.id() {
                break 'outer;
            }
        }
    }
}
