//! Which expressions hold a secret that a caller presents or a server keeps: API keys,
//! tokens, signatures, HMAC digests, password hashes — by name (`api_key`,
//! `settings.WEBHOOK_SECRET`), by header (`request.headers["X-API-Key"]`) or by how they are
//! made (`hmac.new(...).hexdigest()`). Shared by the endpoint inventory (API-key checks) and
//! `python/non-constant-time-secret-comparison`.

use super::syntax::{args, dotted, string_value, text};
use crate::grammar::field;
use palisade_knowledge::secrets::looks_like_key_material;
use palisade_knowledge::words::words;
use tree_sitter::Node;

pub use palisade_knowledge::secrets::SecretKind;

/// The kind of secret a name denotes (`api_key`, `WEBHOOK_SECRET`, `x-hub-signature-256`),
/// as `palisade_knowledge::secrets` reads it, narrowed to what a caller presents or a server
/// compares: passwords and credentials are verified at login, not compared as keys.
pub fn secret_name(name: &str) -> Option<SecretKind> {
    use SecretKind::*;
    match palisade_knowledge::secrets::secret_name(name)?.kind {
        Password | Credential => None,
        PrivateKey => Some(Secret),
        Authorization if palisade_knowledge::words::has_word(name, &["authorization"]) => {
            Some(Token)
        }
        Authorization => None,
        kind => Some(kind),
    }
}

/// Containers whose string-keyed lookups hold request or configuration values:
/// `request.headers`, `request.META`, `os.environ`, `app.config`, `settings`, …
fn is_lookup_container(receiver: &str) -> bool {
    let last = receiver.rsplit('.').next().unwrap_or(receiver);
    matches!(
        last,
        "headers"
            | "META"
            | "environ"
            | "cookies"
            | "COOKIES"
            | "args"
            | "GET"
            | "POST"
            | "query_params"
            | "query"
            | "form"
            | "json"
            | "data"
            | "config"
            | "settings"
            | "secrets"
            | "params"
    )
}

/// Whether a lookup container is part of the incoming request.
pub fn is_request_container(receiver: &str) -> bool {
    let last = receiver.rsplit('.').next().unwrap_or(receiver);
    receiver.contains("request")
        || receiver.starts_with("req.")
        || matches!(
            last,
            "headers" | "META" | "cookies" | "COOKIES" | "query_params"
        )
}

/// A string-keyed lookup: `x["Key"]`, `x.get("Key")`, `os.getenv("KEY")`: the receiver text
/// and the key.
pub fn lookup<'t>(node: Node<'t>, src: &[u8]) -> Option<(String, String)> {
    match node.kind() {
        "subscript" => {
            let value = node.child_by_field_id(*field::VALUE)?;
            let key = node.child_by_field_id(*field::SUBSCRIPT)?;
            Some((dotted(value, src)?, string_value(key, src)?))
        }
        "call" => {
            let function = node.child_by_field_id(*field::FUNCTION)?;
            let callee = dotted(function, src)?;
            let a = args(node, src);
            let first = *a.positional.first()?;
            let key = string_value(first, src)?;
            if callee == "os.getenv" || callee == "getenv" || callee.ends_with("environ.get") {
                return Some(("os.environ".to_string(), key));
            }
            let receiver = callee.strip_suffix(".get")?;
            Some((receiver.to_string(), key))
        }
        _ => None,
    }
}

/// The secret an expression holds, if any.
pub fn secret_operand(node: Node<'_>, src: &[u8]) -> Option<SecretKind> {
    secret_operand_at(node, src, 0)
}

fn secret_operand_at(node: Node<'_>, src: &[u8], depth: usize) -> Option<SecretKind> {
    if depth >= super::syntax::MAX_NESTING {
        return None;
    }
    match node.kind() {
        "parenthesized_expression" => secret_operand_at(node.named_child(0)?, src, depth + 1),
        "identifier" => secret_name(text(node, src)),
        "attribute" => {
            let attribute = node.child_by_field_id(*field::ATTRIBUTE)?;
            secret_name(text(attribute, src))
        }
        "subscript" | "call" => {
            if let Some((receiver, key)) = lookup(node, src) {
                let named = secret_name(&key);
                // A field named after a secret holds one wherever it is looked up
                // (`user["password_hash"]`, `payload.get("token")`).
                if is_lookup_container(&receiver) || named.is_some() {
                    return named;
                }
            }
            if node.kind() == "subscript" {
                return None;
            }
            let function = node.child_by_field_id(*field::FUNCTION)?;
            let callee = match function.kind() {
                "attribute" => text(function.child_by_field_id(*field::ATTRIBUTE)?, src),
                "identifier" => text(function, src),
                _ => return None,
            };
            // `hmac.new(key, body, sha256).hexdigest()`, `hashlib.sha256(x).digest()`.
            if matches!(callee, "hexdigest" | "digest") {
                let inner = text(function, src);
                return Some(if inner.contains("hmac") {
                    SecretKind::Signature
                } else {
                    SecretKind::Digest
                });
            }
            let ws = words(callee);
            // `sign(x)` alone is as likely the sign of a number.
            let signs = ws.len() > 1 && ws.iter().any(|w| w == "sign");
            if signs
                || ws
                    .iter()
                    .any(|w| matches!(w.as_str(), "signature" | "hmac"))
            {
                return Some(SecretKind::Signature);
            }
            if ws.iter().any(|w| w == "digest") {
                return Some(SecretKind::Digest);
            }
            None
        }
        "string" => {
            // `f"Bearer {API_TOKEN}"`.
            let mut cursor = node.walk();
            node.named_children(&mut cursor)
                .filter(|c| c.kind() == "interpolation")
                .find_map(|i| secret_operand_at(i.named_child(0)?, src, depth + 1))
        }
        "binary_operator" => {
            // `"sha256=" + digest`.
            let left = node.child_by_field_id(*field::LEFT)?;
            let right = node.child_by_field_id(*field::RIGHT)?;
            secret_operand_at(left, src, depth + 1)
                .or_else(|| secret_operand_at(right, src, depth + 1))
        }
        _ => None,
    }
}

/// Whether an expression cannot be a secret value: `None`, booleans, numbers, strings that
/// do not look like a key, collections, `len(...)`, and constants or classes that are not
/// named after a secret (`TOKEN_COMMENT`, `signal.SIGINT`, `Keyword`): comparing with those
/// tells a kind apart, it does not check a secret.
pub fn is_not_a_secret_value(node: Node<'_>, src: &[u8]) -> bool {
    match node.kind() {
        "none" | "true" | "false" | "integer" | "float" | "unary_operator" => true,
        "string" | "concatenated_string" => {
            string_value(node, src).is_some_and(|s| !looks_like_key_material(&s))
        }
        "list" | "tuple" | "dictionary" | "set" => true,
        "identifier" | "attribute" => {
            let t = text(node, src);
            let last = t.rsplit('.').next().unwrap_or(t);
            let upper = last.chars().any(|c| c.is_ascii_uppercase());
            let lower = last.chars().any(|c| c.is_ascii_lowercase());
            let capitalised = last.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            ((upper && !lower) || (capitalised && lower)) && secret_name(last).is_none()
        }
        "call" => node.child_by_field_id(*field::FUNCTION).is_some_and(|f| {
            matches!(text(f, src), "len" | "bool" | "int" | "type" | "isinstance")
        }),
        "parenthesized_expression" => node
            .named_child(0)
            .is_some_and(|n| is_not_a_secret_value(n, src)),
        _ => false,
    }
}

/// Whether a value comes from the incoming request (a header, query or body lookup).
pub fn is_from_request(node: Node<'_>, src: &[u8]) -> bool {
    if let Some((receiver, _)) = lookup(node, src) {
        return is_request_container(&receiver);
    }
    false
}

/// Whether a value is one fixed key: a constant, a setting, an environment variable or a
/// literal (as opposed to a per-caller lookup).
pub fn is_single_value(node: Node<'_>, src: &[u8]) -> bool {
    match node.kind() {
        "string" | "concatenated_string" => true,
        "identifier" => {
            let t = text(node, src);
            t.chars()
                .all(|c| c.is_uppercase() || c == '_' || c.is_ascii_digit())
        }
        "attribute" => {
            let t = text(node, src);
            let last = t.rsplit('.').next().unwrap_or(t);
            t.contains("settings")
                || t.contains("config")
                || last
                    .chars()
                    .all(|c| c.is_uppercase() || c == '_' || c.is_ascii_digit())
        }
        "subscript" | "call" => lookup(node, src).is_some_and(|(receiver, _)| {
            receiver.contains("environ")
                || receiver.contains("config")
                || receiver.contains("settings")
        }),
        "parenthesized_expression" => node.named_child(0).is_some_and(|n| is_single_value(n, src)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        assert_eq!(secret_name("api_key"), Some(SecretKind::ApiKey));
        assert_eq!(secret_name("X-API-Key"), Some(SecretKind::ApiKey));
        assert_eq!(secret_name("WEBHOOK_SECRET"), Some(SecretKind::Secret));
        assert_eq!(
            secret_name("X-Hub-Signature-256"),
            Some(SecretKind::Signature)
        );
        assert_eq!(secret_name("access_token"), Some(SecretKind::Token));
        assert_eq!(secret_name("password_hash"), Some(SecretKind::PasswordHash));
        assert_eq!(secret_name("token_type"), None);
        assert_eq!(secret_name("api_key_id"), None);
        assert_eq!(secret_name("key"), None);
        assert_eq!(secret_name("token_expires_at"), None);
    }
}
