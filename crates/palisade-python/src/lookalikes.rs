//! Values that are named like secrets but are not secrets being compared, for
//! `python/non-constant-time-secret-comparison`: enum members, labels and placeholders,
//! ORM query expressions, checksums of unkeyed hashes, values the program just hashed itself,
//! and claims of a decoded (signature-checked) JWT.
//!
//! Each test looks at one operand (or the comparison) and its definitions in the same file;
//! none of them ever sees a value from the request, which the rule checks first.

use crate::endpoints::extract::mentions_secret;
use crate::flow;
use crate::grammar::field;
use crate::model::Model;
use tree_sitter::Node;

/// Query-builder methods whose arguments are SQL expressions (`cls.api_key == key` inside
/// them builds a `WHERE` clause; the database does the comparing).
const QUERY_METHODS: &[&str] = &[
    "filter",
    "filter_by",
    "where",
    "having",
    "join",
    "outerjoin",
    "exclude",
    "on",
    "select_from",
];

/// Combinators of query expressions (`and_(a == b, …)`).
const QUERY_COMBINATORS: &[&str] = &["and_", "or_", "not_", "Q"];

/// Whether the comparison is an argument of a query builder (`Model.query.filter(cls.api_key
/// == api_key)`, `select(User).where(and_(User.token == t, …))`).
pub fn builds_a_query(model: &Model<'_>, comparison: Node<'_>) -> bool {
    let mut current = comparison;
    for _ in 0..6 {
        let Some(parent) = current.parent() else {
            return false;
        };
        match parent.kind() {
            "parenthesized_expression" | "boolean_operator" | "not_operator" => {}
            "argument_list" => {
                let Some(callee) = parent
                    .parent()
                    .and_then(|call| call.child_by_field_id(*field::FUNCTION))
                else {
                    return false;
                };
                let name = match callee.kind() {
                    "attribute" => callee
                        .child_by_field_id(*field::ATTRIBUTE)
                        .map(|a| model.text(a))
                        .unwrap_or(""),
                    _ => model.text(callee),
                };
                if QUERY_METHODS.contains(&name) {
                    return true;
                }
                if !QUERY_COMBINATORS.contains(&name.rsplit('.').next().unwrap_or(name)) {
                    return false;
                }
                // The combinator's call itself: keep climbing from it.
                current = parent;
                continue;
            }
            "call" => {}
            _ => return false,
        }
        current = parent;
    }
    false
}

fn is_upper_constant(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Suffixes of enumeration and choice classes (`TransactionEventType`, `OrderStatus`).
const ENUM_SUFFIXES: &[&str] = &[
    "Type", "Types", "Kind", "Kinds", "Status", "State", "States", "Choices", "Choice", "Enum",
    "Event", "Events", "Action", "Actions", "Mode", "Reason", "Category", "Scope", "Scopes",
];

/// Whether an operand is a constant that labels something rather than holding a secret:
/// an enum member (`TransactionEventType.AUTHORIZATION_REQUEST`), a placeholder by name
/// (`SECRET_PLACEHOLDER`, `MASKED_TOKEN`), or a constant of this file whose literal value is
/// a placeholder (one repeated character: `"--------"`) or spells part of its own name
/// (`REQUEST_TOKEN = "request"`).
pub fn is_named_label(model: &Model<'_>, operand: Node<'_>) -> bool {
    let (object, name) = match operand.kind() {
        "identifier" => (None, model.text(operand)),
        "attribute" => match (
            operand.child_by_field_id(*field::OBJECT),
            operand.child_by_field_id(*field::ATTRIBUTE),
        ) {
            (Some(object), Some(attribute)) => (Some(model.text(object)), model.text(attribute)),
            _ => return false,
        },
        _ => return false,
    };
    if !is_upper_constant(name) {
        return false;
    }
    if ["PLACEHOLDER", "MASK", "REDACTED", "SENTINEL", "DUMMY"]
        .iter()
        .any(|word| name.contains(word))
    {
        return true;
    }
    if let Some(object) = object {
        let class = object.rsplit('.').next().unwrap_or(object);
        let camel = class.starts_with(|c: char| c.is_ascii_uppercase())
            && class.chars().any(|c| c.is_ascii_lowercase());
        if camel && ENUM_SUFFIXES.iter().any(|suffix| class.ends_with(suffix)) {
            return true;
        }
        if !(camel || matches!(object, "self" | "cls")) {
            return false;
        }
    }
    literal_of(model.source_text(), name).is_some_and(|value| {
        let mut chars = value.chars();
        let repeated = chars.next().is_some_and(|first| {
            value.len() >= 3 && chars.all(|c| c == first) && !first.is_ascii_alphanumeric()
        });
        let own_name = value.len() >= 3
            && value.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && name
                .split('_')
                .any(|part| part.eq_ignore_ascii_case(&value));
        repeated || own_name
    })
}

/// The string literal a constant is assigned in this file (`NAME = "value"`, with an
/// optional annotation), when exactly one plain literal assignment exists.
fn literal_of(source: &str, name: &str) -> Option<String> {
    let mut found = None;
    for line in source.lines() {
        let Some(rest) = line.trim_start().strip_prefix(name) else {
            continue;
        };
        let rest = match rest.trim_start().strip_prefix(':') {
            Some(annotated) => annotated.split_once('=').map(|(_, v)| v)?,
            None => rest.trim_start().strip_prefix('=')?,
        };
        let value = rest.trim();
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let inner = value.strip_prefix(quote)?.strip_suffix(quote)?;
        if inner.contains(quote) || found.is_some() {
            return None;
        }
        found = Some(inner.to_string());
    }
    found
}

/// Whether an operand is the digest of an unkeyed hash over nothing named like a secret
/// (`hasher.digest()` with `hasher = sha256()`, `hashlib.md5(content).hexdigest()`): a
/// checksum anyone can compute, not a MAC. `sha256(password.encode()).hexdigest()` is a
/// password hash and stays a secret.
pub fn is_checksum(model: &Model<'_>, operand: Node<'_>) -> bool {
    let Some(function) = call_function(operand) else {
        return false;
    };
    let Some(method) = function.child_by_field_id(*field::ATTRIBUTE) else {
        return false;
    };
    if !matches!(model.text(method), "digest" | "hexdigest") {
        return false;
    }
    let Some(object) = function.child_by_field_id(*field::OBJECT) else {
        return false;
    };
    let makers = match object.kind() {
        "call" => vec![object],
        "identifier" => flow::assigned_values(model, object),
        _ => return false,
    };
    !makers.is_empty()
        && makers.iter().all(|maker| {
            call_function(*maker)
                .and_then(|f| model.resolve(f))
                .is_some_and(|resolved| resolved.starts_with("hashlib."))
                && maker
                    .child_by_field_id(*field::ARGUMENTS)
                    .is_none_or(|arguments| !mentions_secret(model.text(arguments)))
        })
}

/// Whether an operand is a local variable the program assigned from its own hashing call
/// (`password_hash = hash_password(new_password)`, `make_password(...)`): comparing it
/// with the stored row checks the write, and no caller's guess is involved.
pub fn was_just_hashed(model: &Model<'_>, operand: Node<'_>) -> bool {
    if operand.kind() != "identifier" {
        return false;
    }
    let values = flow::assigned_values(model, operand);
    !values.is_empty()
        && values.iter().all(|value| {
            call_function(*value).is_some_and(|f| {
                let name = model.text(f);
                let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
                (last.contains("hash") || last == "make_password" || last == "encrypt")
                    && !last.contains("hmac")
            })
        })
}

/// Whether an operand is a claim read from a decoded JWT (`payload.get("token")`,
/// `claims["jti"]`, or a variable assigned from one) in a file that handles JWTs: the token's
/// signature was checked when it was decoded, so nobody can probe the claim by timing.
pub fn is_verified_claim(model: &Model<'_>, operand: Node<'_>) -> bool {
    if !model.source_text().contains("jwt") {
        return false;
    }
    let mut reads = vec![operand];
    if operand.kind() == "identifier" {
        reads = flow::assigned_values(model, operand);
    }
    !reads.is_empty()
        && reads.iter().all(|read| {
            let base = match read.kind() {
                "subscript" => read.child_by_field_id(*field::VALUE),
                "call" => call_function(*read)
                    .filter(|f| {
                        f.child_by_field_id(*field::ATTRIBUTE)
                            .is_some_and(|a| model.text(a) == "get")
                    })
                    .and_then(|f| f.child_by_field_id(*field::OBJECT)),
                _ => None,
            };
            base.is_some_and(|b| {
                matches!(
                    model.text(b),
                    "payload"
                        | "claims"
                        | "decoded"
                        | "decoded_token"
                        | "jwt_payload"
                        | "token_payload"
                )
            })
        })
}

fn call_function(node: Node<'_>) -> Option<Node<'_>> {
    let node = if node.kind() == "await" {
        node.named_child(0)?
    } else {
        node
    };
    (node.kind() == "call")
        .then(|| node.child_by_field_id(*field::FUNCTION))
        .flatten()
}

/// Whether the comparison only decides whether to store a new value (`if state.get(KEY) !=
/// token: state[KEY] = token`): a write made idempotent, whose outcome tells a caller
/// nothing it did not send.
pub fn is_write_if_changed(model: &Model<'_>, comparison: Node<'_>) -> bool {
    let Some(statement) = comparison
        .parent()
        .filter(|p| p.kind() == "if_statement")
        .filter(|p| {
            p.child_by_field_id(*field::CONDITION)
                .is_some_and(|c| c.id() == comparison.id())
        })
    else {
        return false;
    };
    let (Some(left), Some(right)) = (comparison.named_child(0), comparison.named_child(1)) else {
        return false;
    };
    let Some(assignment) = statement
        .child_by_field_id(*field::CONSEQUENCE)
        .and_then(|block| block.named_child(0))
        .filter(|s| s.kind() == "expression_statement")
        .and_then(|s| s.named_child(0))
        .filter(|a| a.kind() == "assignment")
    else {
        return false;
    };
    let (Some(target), Some(value)) = (
        assignment.child_by_field_id(*field::LEFT),
        assignment.child_by_field_id(*field::RIGHT),
    ) else {
        return false;
    };
    let stores = |stored: Node<'_>, new: Node<'_>| {
        model.text(value) == model.text(new) && {
            let stored_text = model.text(stored);
            // `state.get(KEY)` is read back as `state[KEY]`.
            let as_subscript = call_function(stored)
                .filter(|f| {
                    f.child_by_field_id(*field::ATTRIBUTE)
                        .is_some_and(|a| model.text(a) == "get")
                })
                .and_then(|f| {
                    let object = f.child_by_field_id(*field::OBJECT)?;
                    let key = stored
                        .child_by_field_id(*field::ARGUMENTS)?
                        .named_child(0)?;
                    Some(format!("{}[{}]", model.text(object), model.text(key)))
                });
            model.text(target) == stored_text
                || as_subscript.is_some_and(|s| s == model.text(target))
        }
    };
    stores(left, right) || stores(right, left)
}

/// Whether the comparison is a predicate that picks elements out of a collection
/// (`filter(lambda org: org["token"] == self.org_token, data)`) in a function that reads no
/// request: a lookup in data the program holds (a third-party API's answer, its own
/// configuration), with nobody there to measure it.
pub fn selects_from_collection(model: &Model<'_>, comparison: Node<'_>) -> bool {
    let mut current = comparison;
    for _ in 0..4 {
        let Some(parent) = current.parent() else {
            return false;
        };
        match parent.kind() {
            "lambda" => {
                let reads_request = crate::callers::enclosing_def(parent)
                    .is_some_and(|f| model.text(f).contains("request"));
                return !reads_request
                    && parent
                        .parent()
                        .filter(|p| p.kind() == "argument_list")
                        .and_then(|args| args.parent())
                        .and_then(|call| call.child_by_field_id(*field::FUNCTION))
                        .is_some_and(|f| {
                            let name = model.text(f);
                            matches!(
                                name.rsplit('.').next().unwrap_or(name),
                                "filter"
                                    | "filterfalse"
                                    | "next"
                                    | "sorted"
                                    | "min"
                                    | "max"
                                    | "find"
                            )
                        });
            }
            "parenthesized_expression" | "boolean_operator" | "not_operator" => {}
            _ => return false,
        }
        current = parent;
    }
    false
}

/// Whether the comparison checks a presented value against a field of the record that value
/// was just used to look up (`project = Project.objects.for_api_key(api_key)` … `api_key ==
/// request.project.api_key_readonly`): the database already picked the record by the key,
/// so the `==` only tells which of its keys matched, and leaks nothing a guess could use.
pub fn checks_the_record_it_found(model: &Model<'_>, comparison: Node<'_>) -> bool {
    let (Some(left), Some(right)) = (comparison.named_child(0), comparison.named_child(1)) else {
        return false;
    };
    let Some(function) = crate::callers::enclosing_def(comparison) else {
        return false;
    };
    [(left, right), (right, left)].iter().any(|&(key, field)| {
        key.kind() == "identifier"
            && field.kind() == "attribute"
            && found_by(model, function, comparison, model.text(key))
                .iter()
                .any(|record| attribute_chain_names(model, field).contains(record))
    })
}

/// Names assigned, in `function` before `before`, the result of a call that takes `key`
/// as an argument (`project = Project.objects.for_api_key(api_key, accept_rw=True)`,
/// `user = await get_user(token=token)`).
fn found_by<'t>(
    model: &Model<'t>,
    function: Node<'t>,
    before: Node<'_>,
    key: &str,
) -> Vec<&'t str> {
    let mut found = Vec::new();
    let mut stack = vec![function];
    while let Some(node) = stack.pop() {
        if node.start_byte() >= before.start_byte() {
            continue;
        }
        if node.kind() == "assignment"
            && let (Some(target), Some(value)) = (
                node.child_by_field_id(*field::LEFT),
                node.child_by_field_id(*field::RIGHT),
            )
            && target.kind() == "identifier"
            && call_function(value).is_some()
            && takes_argument(model, value, key)
        {
            found.push(model.text(target));
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    found
}

/// Whether a call (possibly awaited) passes the name `key`, positionally or as a keyword's
/// value.
fn takes_argument(model: &Model<'_>, call: Node<'_>, key: &str) -> bool {
    let call = if call.kind() == "await" {
        call.named_child(0).unwrap_or(call)
    } else {
        call
    };
    let Some(arguments) = call.child_by_field_id(*field::ARGUMENTS) else {
        return false;
    };
    let mut cursor = arguments.walk();
    arguments.named_children(&mut cursor).any(|argument| {
        let value = match argument.kind() {
            "keyword_argument" => argument.child_by_field_id(*field::VALUE),
            _ => Some(argument),
        };
        value.is_some_and(|v| v.kind() == "identifier" && model.text(v) == key)
    })
}

/// The names an attribute chain goes through before its last one (`request.project.key` →
/// `request`, `project`).
fn attribute_chain_names<'t>(model: &Model<'t>, attribute: Node<'t>) -> Vec<&'t str> {
    let mut names = Vec::new();
    let mut current = attribute.child_by_field_id(*field::OBJECT);
    while let Some(node) = current {
        match node.kind() {
            "attribute" => {
                if let Some(name) = node.child_by_field_id(*field::ATTRIBUTE) {
                    names.push(model.text(name));
                }
                current = node.child_by_field_id(*field::OBJECT);
            }
            "identifier" => {
                names.push(model.text(node));
                current = None;
            }
            _ => current = None,
        }
    }
    names
}

/// Whether one side is a field of stored data looked up by a key that names no secret
/// (`user_state.get(OS_MESSAGE_DISMISSED_KEY)`, `prefs["dismissed"]`) and the other side is
/// only a local or a parameter named like a secret (`token`): a marker matched against a
/// saved value, not a secret checked, as far as this file shows. The rule lowers these to low
/// confidence rather than dropping them.
pub fn matches_a_plain_field(model: &Model<'_>, comparison: Node<'_>) -> bool {
    let (Some(left), Some(right)) = (comparison.named_child(0), comparison.named_child(1)) else {
        return false;
    };
    [(left, right), (right, left)]
        .iter()
        .any(|&(name, field)| name.kind() == "identifier" && is_plain_field(model, field))
}

fn is_plain_field(model: &Model<'_>, field: Node<'_>) -> bool {
    use crate::endpoints::secrets::{is_request_container, secret_name};
    let (receiver, key) = match field.kind() {
        "subscript" => (
            field.child_by_field_id(*field::VALUE),
            field.child_by_field_id(*field::SUBSCRIPT),
        ),
        _ => match call_function(field) {
            Some(function)
                if function
                    .child_by_field_id(*field::ATTRIBUTE)
                    .is_some_and(|a| model.text(a) == "get") =>
            {
                (
                    function.child_by_field_id(*field::OBJECT),
                    field
                        .child_by_field_id(*field::ARGUMENTS)
                        .and_then(|a| a.named_child(0)),
                )
            }
            _ => return false,
        },
    };
    let (Some(receiver), Some(key)) = (receiver, key) else {
        return false;
    };
    let receiver_text = model.text(receiver);
    if is_request_container(receiver_text)
        || [
            "environ", "config", "settings", "secrets", "payload", "claims",
        ]
        .iter()
        .any(|word| receiver_text.contains(word))
    {
        return false;
    }
    let key_name = match key.kind() {
        // A constant used as a lookup key names the key: `MESSAGE_DISMISSED_KEY` is the
        // dictionary key of the dismissal marker, not a key in the cryptographic sense.
        "identifier" if is_upper_constant(model.text(key)) => {
            let name = model.text(key);
            name.strip_suffix("_KEY")
                .or_else(|| name.strip_suffix("_KEYS"))
                .unwrap_or(name)
                .to_string()
        }
        "string" => {
            match crate::endpoints::syntax::string_value(key, model.source_text().as_bytes()) {
                Some(value) => value,
                None => return false,
            }
        }
        _ => return false,
    };
    secret_name(&key_name).is_none()
}
