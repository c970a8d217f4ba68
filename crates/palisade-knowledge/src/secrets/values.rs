//! Secret-looking values: [`is_reference`] tells a template or reference from a literal
//! (`${DB_PASSWORD}`, `$(TOKEN)`, `{{ .Values.token }}`, `<your-key>`), [`cannot_be_secret`]
//! adds what no secret looks like (booleans, numbers, durations, file paths),
//! [`is_placeholder`] what people type where the real secret will go (`changeme`, `xxx`,
//! `dummy`), and [`looks_like_key_material`] whether a string is long and random enough to be
//! a key.

use crate::words::words;

/// Whether a value is a reference or template rather than a literal: `${DB_PASSWORD}`,
/// `$(DB_PASSWORD)` (expanded by Kubernetes), `$DB_PASSWORD`, `{{ .Values.token }}`,
/// `<your-token>`.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    v.contains("$(")
        || v.contains("${")
        || v.contains("{{")
        || (v.len() >= 2 && v.starts_with('<') && v.ends_with('>'))
        || is_variable(v)
}

/// A whole value that is one shell or Windows environment variable (`$DB_PASSWORD`,
/// `%DB_PASSWORD%`): the secret lives elsewhere.
fn is_variable(v: &str) -> bool {
    let name = v
        .strip_prefix('$')
        .or_else(|| v.strip_prefix('%').and_then(|r| r.strip_suffix('%')));
    name.is_some_and(|n| {
        n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Whether a literal value cannot be a credential: empty, a reference or template (see
/// [`is_reference`]), a file path (`/var/secrets/google/key.json`), a boolean, a plain number
/// or duration (`3600`, `15m`), or a word meaning "nothing" (`none`, `null`, `disabled`).
/// A placeholder such as `changeme` *can* be one: it is what gets deployed when nobody
/// replaces it.
pub fn cannot_be_secret(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || is_reference(v) {
        return true;
    }
    if (v.starts_with('/') || v.starts_with("./") || v.starts_with("file://"))
        && !v.contains(char::is_whitespace)
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | "none"
            | "null"
            | "nil"
            | "~"
            | "disabled"
            | "enabled"
    ) {
        return true;
    }
    // A number, optionally with a duration unit: 3600, 0.5, 15m, 24h, 500ms.
    let digits_end = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(lower.len());
    digits_end > 0
        && lower[..digits_end].chars().any(|c| c.is_ascii_digit())
        && matches!(&lower[digits_end..], "" | "ms" | "s" | "m" | "h" | "d")
}

/// Words people write where the real secret will go.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "changeit",
    "changethis",
    "replaceme",
    "dummy",
    "example",
    "sample",
    "test",
    "testing",
    "placeholder",
    "todo",
    "fixme",
    "tbd",
    "redacted",
    "secret",
    "password",
    "notset",
    "unset",
    "none",
    "null",
    "empty",
    "default",
    "foo",
    "bar",
    "foobar",
];

/// Whether a value is a stand-in for a secret rather than one: empty, a reference or
/// template, a placeholder word (`changeme`, `change-me`, `CHANGE_ME`, `dummy`, `example`,
/// `test`, `your-api-key`, `your_secret_here`), or one character repeated (`xxxxxx`,
/// `******`, `000000`).
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || is_reference(v) {
        return true;
    }
    let squashed: String = v
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if PLACEHOLDER_WORDS.contains(&squashed.as_str()) {
        return true;
    }
    let ws = words(v);
    if ws.first().is_some_and(|w| w == "your" || w == "my") && ws.len() >= 2 {
        return true;
    }
    if ws.last().is_some_and(|w| w == "here") && ws.len() >= 2 {
        return true;
    }
    let mut chars = v.chars();
    let first = chars.next();
    v.chars().count() >= 3 && chars.all(|c| Some(c) == first)
}

/// Whether a string literal could be a key or a token: at least 12 characters, no spaces,
/// and not a plain short word (`"bearer"`, `"changeme"`, `"application/json"`).
pub fn looks_like_key_material(s: &str) -> bool {
    s.len() >= 12
        && !s.chars().any(char::is_whitespace)
        && !(s.len() <= 20
            && !s.chars().any(|c| c.is_ascii_digit())
            && s.chars().all(|c| c.is_alphabetic() || "-_.=:/".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_inert_values() {
        for value in [
            "",
            " ",
            "$(DB_PASSWORD)",
            "Bearer $(API_TOKEN)",
            "${DB_PASSWORD}",
            "$DB_ENV_DB_PASSWORD",
            "%DB_PASSWORD%",
            "{{ .Values.token }}",
            "<your-token>",
            "true",
            "False",
            "yes",
            "off",
            "3600",
            "0.5",
            "15m",
            "24h",
            "500ms",
            "none",
            "disabled",
            "/var/secrets/google/key.json",
        ] {
            assert!(cannot_be_secret(value), "{value:?}");
        }
        for value in [
            "hunter2",
            "s3cr3t-prod",
            "changeme",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "1234abcd",
            "2fa-secret",
            "<",
            "$3cret!",
            "pa$$word",
            "%20",
        ] {
            assert!(!cannot_be_secret(value), "{value:?}");
        }
    }

    #[test]
    fn placeholders() {
        for value in [
            "",
            "changeme",
            "CHANGE_ME",
            "change-me",
            "xxx",
            "XXXXXXXX",
            "******",
            "<your-key>",
            "${API_KEY}",
            "{{ .Values.x }}",
            "dummy",
            "example",
            "test",
            "your-api-key",
            "your_secret_here",
            "put-your-key-here",
        ] {
            assert!(is_placeholder(value), "{value:?}");
        }
        for value in [
            "hunter2",
            "s3cr3t-prod",
            "django-insecure-8f3k2l",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "xx",
            "testimonial",
        ] {
            assert!(!is_placeholder(value), "{value:?}");
        }
    }

    #[test]
    fn key_material() {
        assert!(looks_like_key_material("sk_live_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(!looks_like_key_material("bearer"));
        assert!(!looks_like_key_material("application/json"));
        assert!(!looks_like_key_material("not a key at all, sentence"));
    }
}
