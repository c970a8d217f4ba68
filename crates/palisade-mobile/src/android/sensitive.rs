//! The one model of "a secret by its name" the code rules share (logs, shared preferences,
//! cache and external files): which names mean a password, token, secret, session id, card
//! number, SSN, OTP or PIN; which uses of such a value are not the value (`password.length`,
//! `token != null`); and, for the storage rules, values that reach a sink through local
//! variables and fields of the same class (the data flow of [`Code::reaching_assigns`]).

use crate::android::code::{Code, last_segment, unwrap_parens, visit};
use palisade_knowledge::words::words;
use tree_sitter::Node;

/// The first identifier or getter inside `arg` (no data flow) whose value is a secret by its
/// name, with that name.
pub fn secret_in<'t>(code: &Code<'t>, arg: Node<'t>) -> Option<(Node<'t>, String)> {
    let mut found = None;
    visit(arg, &mut |n| {
        if found.is_some() {
            return;
        }
        if let Some(name) = name_of(code, n)
            && is_secret_name(name)
            && !is_derived(code, n)
            && (!is_callee(n) || name.starts_with("get"))
        {
            found = Some((n, name.to_string()));
        }
    });
    found
}

/// Like [`secret_in`], and also through the local variables of the function and the fields
/// of the file the expression reads (a few assignments deep): `val t = resp.accessToken;
/// write(t)`. Values passed through a protecting call (`encrypt(…)`, `hash(…)`) are not
/// secrets any more. Returns the node in `arg` and the secret's name.
pub fn secret_flow<'t>(code: &Code<'t>, arg: Node<'t>) -> Option<(Node<'t>, String)> {
    flow(code, arg, 0).map(|(_, name)| (arg, name))
}

fn flow<'t>(code: &Code<'t>, node: Node<'t>, depth: u32) -> Option<(Node<'t>, String)> {
    if depth > 3 {
        return None;
    }
    let func = code.func_of(node);
    let mut found = None;
    let mut protected: Vec<Node<'t>> = Vec::new();
    visit(node, &mut |n| {
        if found.is_some() || protected.iter().any(|p| inside(n, *p)) {
            return;
        }
        if matches!(n.kind(), "method_invocation" | "call_expression")
            && let Some(call) = code.calls.iter().find(|c| c.node == n)
        {
            if is_protecting(&call.name) {
                protected.push(n);
                return;
            }
            // Behind an assignment, the result of an arbitrary call (`login(user, password)`)
            // is not its arguments; conversions and string building carry them.
            if depth > 0 && !is_carrying(&call.name) {
                protected.extend(arguments(n));
            }
        }
        let Some(name) = name_of(code, n) else { return };
        if is_derived(code, n) || is_callee(n) && !name.starts_with("get") {
            return;
        }
        if is_secret_name(name) {
            found = Some((n, name.to_string()));
            return;
        }
        if n.kind() != "identifier" || is_member(n) || is_object_of_other(code, n) {
            return;
        }
        for a in code.reaching_assigns(n, name, func) {
            if let Some(hit) = flow(code, a.value, depth + 1) {
                found = Some(hit);
                return;
            }
        }
    });
    found
}

/// The argument list of a call node.
fn arguments(call: Node<'_>) -> Vec<Node<'_>> {
    if let Some(a) = call.child_by_field_name("arguments") {
        return vec![a];
    }
    let mut cursor = call.walk();
    call.named_children(&mut cursor)
        .filter(|c| matches!(c.kind(), "value_arguments" | "annotated_lambda"))
        .collect()
}

/// Calls whose result still holds their input: conversions and string building.
fn is_carrying(name: &str) -> bool {
    matches!(
        name,
        "toString"
            | "getBytes"
            | "toByteArray"
            | "encodeToByteArray"
            | "format"
            | "valueOf"
            | "trim"
            | "toCharArray"
            | "plus"
            | "concat"
            | "append"
            | "joinToString"
            | "encodeToString"
            | "encode"
            | "toJson"
            | "String"
            | "StringBuilder"
            | "toUpperCase"
            | "toLowerCase"
            | "uppercase"
            | "lowercase"
            | "orEmpty"
            | "requireNotNull"
            | "checkNotNull"
            | "copyOf"
            | "toList"
            | "asList"
            | "listOf"
            | "setOf"
            | "hashSetOf"
            | "mutableSetOf"
            | "arrayOf"
    )
}

/// Whether an identifier is the object of a member access that is not a conversion
/// (`session.userName`: the member is another value).
fn is_object_of_other(code: &Code<'_>, n: Node<'_>) -> bool {
    let Some(parent) = n.parent() else {
        return false;
    };
    if !matches!(
        parent.kind(),
        "field_access" | "navigation_expression" | "method_invocation"
    ) || parent.named_child(0) != Some(n)
    {
        return false;
    }
    let member = if parent.kind() == "navigation_expression" {
        parent.named_child(parent.named_child_count() as u32 - 1)
    } else {
        parent
            .child_by_field_name("name")
            .or_else(|| parent.child_by_field_name("field"))
    };
    !member.is_some_and(|m| is_carrying(code.text(m)))
}

fn inside(n: Node<'_>, outer: Node<'_>) -> bool {
    outer.start_byte() <= n.start_byte() && n.end_byte() <= outer.end_byte()
}

/// Calls that turn a secret into something safe to keep.
pub fn is_protecting(name: &str) -> bool {
    let w = words(name);
    w.iter().any(|x| {
        matches!(
            x.as_str(),
            "encrypt"
                | "encrypted"
                | "hash"
                | "hashed"
                | "digest"
                | "cipher"
                | "seal"
                | "wrap"
                | "protect"
                | "sha256"
                | "sha1"
                | "sha512"
                | "hmac"
                | "bcrypt"
                | "scrypt"
                | "argon2"
                | "obfuscate"
                | "mask"
                | "masked"
                | "redact"
        )
    })
}

/// The name an identifier, a Kotlin `$name` template or a getter stands for.
fn name_of<'t>(code: &Code<'t>, n: Node<'t>) -> Option<&'t str> {
    match n.kind() {
        "identifier" => Some(code.text(n)),
        // Kotlin's `$name` template.
        "string_content" if n.prev_named_sibling().is_some_and(|p| code.text(p) == "$") => {
            let t = code.text(n);
            Some(
                &t[..t
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(t.len())],
            )
        }
        _ => None,
    }
}

/// Whether an identifier is the member after a dot (`resp.token`): its value is not a local.
fn is_member(n: Node<'_>) -> bool {
    n.parent().is_some_and(|p| {
        matches!(
            p.kind(),
            "field_access" | "navigation_expression" | "method_invocation"
        ) && p.named_child(0) != Some(n)
    })
}

/// Whether an identifier is the name of a called method (`token()` is a call of its own).
fn is_callee(n: Node<'_>) -> bool {
    n.parent().is_some_and(|p| {
        p.kind() == "method_invocation" && p.child_by_field_name("name") == Some(n)
    })
}

/// Values derived from a secret that are not the secret: `password.length`, `token != null`.
fn is_derived(code: &Code<'_>, n: Node<'_>) -> bool {
    let Some(parent) = n.parent() else {
        return false;
    };
    match parent.kind() {
        "field_access" | "method_invocation" | "navigation_expression" => {
            // `password.length()`: the secret is the object and a harmless member follows.
            let member = if parent.kind() == "navigation_expression" {
                parent.named_child(parent.named_child_count() as u32 - 1)
            } else {
                parent
                    .child_by_field_name("name")
                    .or_else(|| parent.child_by_field_name("field"))
            };
            let is_object = parent.named_child(0) == Some(n) && member != Some(n);
            is_object
                && member.is_some_and(|m| {
                    matches!(
                        code.text(m),
                        "length"
                            | "size"
                            | "isEmpty"
                            | "isNotEmpty"
                            | "isNullOrEmpty"
                            | "isBlank"
                            | "isNotBlank"
                            | "isNullOrBlank"
                            | "hashCode"
                            | "count"
                            | "javaClass"
                            | "getClass"
                            | "type"
                            | "expiresAt"
                            | "expiry"
                            | "isValid"
                            | "isExpired"
                    )
                })
        }
        "binary_expression" | "equality_expression" => {
            let t = code.text(parent);
            t.contains("==") || t.contains("!=")
        }
        _ => false,
    }
}

/// Words that make a secret-looking name something else (a flag, a length, a UI widget).
const HARMLESS: &[&str] = &[
    "length",
    "len",
    "size",
    "count",
    "type",
    "types",
    "field",
    "view",
    "edit",
    "text",
    "input",
    "hint",
    "label",
    "visible",
    "visibility",
    "enabled",
    "required",
    "valid",
    "invalid",
    "error",
    "errors",
    "policy",
    "hash",
    "hashed",
    "layout",
    "button",
    "dialog",
    "screen",
    "activity",
    "fragment",
    "manager",
    "helper",
    "url",
    "uri",
    "endpoint",
    "expired",
    "expiry",
    "expires",
    "expiration",
    "changed",
    "change",
    "reset",
    "res",
    "id",
    "name",
    "header",
    "key",
    "has",
    "is",
    "should",
    "can",
    "show",
    "request",
    "requests",
    "response",
    "provider",
    "service",
    "listener",
    "callback",
    "store",
    "storage",
    "format",
    "pattern",
    "regex",
    "mode",
    "state",
    "status",
    "prompt",
    "strength",
    "min",
    "max",
    "spinner",
    "pinned",
    "pinning",
    "pins",
    "file",
    "path",
    "dir",
    "prefs",
    "preference",
    "event",
    "task",
    "job",
    "class",
    "timestamp",
    "time",
    "date",
    "version",
    "refreshed",
    "index",
    "ids",
    // Push registration tokens address a device; they are not credentials.
    "push",
    "fcm",
    "gcm",
    "firebase",
    // Audio and media sessions are playback handles, not logins.
    "audio",
    "media",
];

/// Whether a variable, field, property or getter name names a secret: the word `password`,
/// `pass`/`pwd` (also `newpass`, `userPwd`), `passcode`, `pincode`, `passwd`, `passphrase`, `token`, `secret`, `otp`, `pin`, `cvv`/`cvc`, `ssn`,
/// `credential(s)`, `apikey`/`api` + `key`, `session` + `id`/`token`/`key`, `card` +
/// `number`, or `private` + `key`, and none of the [`HARMLESS`] words.
pub fn is_secret_name(name: &str) -> bool {
    let stripped = name
        .strip_prefix("get")
        .filter(|r| r.starts_with(char::is_uppercase))
        .unwrap_or(name);
    let w: Vec<String> = words(stripped).into_iter().filter(|x| x != "m").collect();
    is_secret_words(&w)
}

/// Whether `value`, kept under the storage key, extra key or file name `key`, is the secret
/// that key names: the key is secret-named, and the value is neither a constant, `null`, nor
/// the result of a protecting call (`encrypt(…)`, `hash(…)`). The storage and broadcast
/// rules ask this when the value's own name says nothing (`put("auth_token", resp.body)`).
pub fn is_secret_under_key<'t>(code: &Code<'t>, key: &str, value: Node<'t>) -> bool {
    let value = unwrap_parens(value);
    is_secret_key(key)
        && !code.is_constant(value)
        && code.text(value) != "null"
        && !code
            .calls
            .iter()
            .any(|c| c.node == value && is_protecting(&c.name))
}

/// Whether a storage key or file name names a secret (`"auth_token"`, `KEY_PASSWORD`,
/// `session_id.txt`): the words of [`is_secret_name`] after the words that only say it is a
/// key (`key`, `pref`, `extra`, a file extension) are left out.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.rsplit(['/', '\\']).next().unwrap_or(key);
    let key = match key.rsplit_once('.') {
        Some((stem, ext)) if ext.len() <= 4 && !stem.is_empty() => stem,
        _ => key,
    };
    let w: Vec<String> = words(key).into_iter().collect();
    let has = |x: &str| w.iter().any(|y| y == x);
    let keeps_key = has("api") || has("private") || has("session");
    let w: Vec<String> = w
        .into_iter()
        .filter(|x| {
            !matches!(
                x.as_str(),
                "pref" | "prefs" | "preference" | "extra" | "arg" | "k"
            ) && (keeps_key || x != "key")
        })
        .collect();
    is_secret_words(&w)
}

/// Short forms of "password": `pass`, `pwd`, `passwd`-like run-together names (`newpass`,
/// `userpass`, `oldpwd`) — not `bypass`, `compass` or `passenger`.
fn is_password_short(word: &str) -> bool {
    const OWNERS: &[&str] = &[
        "new", "old", "user", "my", "confirm", "admin", "db", "root", "login", "account", "current",
    ];
    matches!(word, "pass" | "pwd")
        || ["pass", "pwd"].iter().any(|p| {
            word.strip_suffix(p)
                .is_some_and(|owner| OWNERS.contains(&owner))
        })
}

fn is_secret_words(w: &[String]) -> bool {
    let has = |x: &str| w.iter().any(|y| y == x);
    let secret = has("password")
        || w.iter().any(|x| is_password_short(x))
        || has("passcode")
        || has("pincode")
        || has("passwd")
        || has("passphrase")
        || has("token")
        || has("secret")
        || has("otp")
        || has("pin")
        || has("cvv")
        || has("cvc")
        || has("ssn")
        || has("credential")
        || has("credentials")
        || has("apikey")
        || (has("api") && has("key"))
        || (has("session") && (has("id") || has("token") || has("key")))
        || (has("card") && has("number"))
        || (has("private") && has("key"));
    if !secret {
        return false;
    }
    // `sessionId`, `apiKey` and `privateKey` use `id`/`key` themselves.
    let needed: &[&str] = if has("session") || has("api") || has("private") {
        &["id", "key"]
    } else {
        &[]
    };
    !w.iter()
        .any(|x| HARMLESS.contains(&x.as_str()) && !needed.contains(&x.as_str()))
}

/// The text of a storage or extra key: a literal, a constant's literal value (a field of
/// the file), or the constant's name.
pub fn key_text(code: &Code<'_>, key: Node<'_>) -> Option<String> {
    if let Some(l) = code.literal(key) {
        return Some(l);
    }
    let t = code.text(key);
    let name = last_segment(t);
    code.assigns
        .iter()
        .filter(|a| a.name == name && a.func.is_none())
        .find_map(|a| code.literal(a.value))
        .or_else(|| code.is_constant(key).then(|| name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::{is_secret_key, is_secret_name};

    #[test]
    fn names() {
        for yes in [
            "password",
            "mPassword",
            "authToken",
            "getPassword",
            "sessionId",
            "apiKey",
            "cardNumber",
            "refreshToken",
            "otp",
            "userPin",
            "passcode",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "passwordField",
            "tokenType",
            "hasToken",
            "TOKEN_KEY",
            "spinner",
            "pinnedCerts",
            "passwordLength",
            "isPasswordVisible",
            "tokenizer",
            "session",
            "keyboard",
            "tokenUrl",
            "pushToken",
            "fcmToken",
            "audioSessionId",
            "mediaSessionToken",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }

    #[test]
    fn keys() {
        for yes in [
            "auth_token",
            "KEY_PASSWORD",
            "PREF_ACCESS_TOKEN",
            "session_id.txt",
            "pin",
            "api_key",
            "newpass",
            "user_pwd",
        ] {
            assert!(is_secret_key(yes), "{yes}");
        }
        for no in [
            "username",
            "token_type",
            "pin_enabled",
            "has_password",
            "theme",
            "avatar.png",
            "password_hint",
            "bypass",
            "compass_heading",
            "passenger",
            "boarding_pass_url",
        ] {
            assert!(!is_secret_key(no), "{no}");
        }
    }
}
