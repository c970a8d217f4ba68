//! Whether a name says it holds a secret, and whether a value is only a stand-in for one.
//!
//! Names are judged by their words (see [`crate::words`]), so `DB_PASSWORD`, `dbPassword`,
//! `db-password` and `db.password` agree, and `BYPASS_CACHE`, `AUTHOR` or `SECRETARY_EMAIL`
//! do not match on a substring. A name that describes a secret rather than holding it is
//! left alone: its last word says what it is instead (`PASSWORD_FILE`, `TOKEN_TTL`,
//! `SECRET_NAME`, `api_key_id`, `password_reset_url`, `token_type`), or one of its words
//! makes it data rather than a credential (`next_page_token`, `MAX_TOKENS`, `CACHE_KEY`,
//! `public_key`).
//!
//! Values: [`is_reference`] tells a template or reference from a literal (`${DB_PASSWORD}`,
//! `$(TOKEN)`, `{{ .Values.token }}`, `<your-key>`), [`cannot_be_secret`] adds what no
//! secret looks like (booleans, numbers, durations, file paths), [`is_placeholder`] what
//! people type where the real secret will go (`changeme`, `xxx`, `dummy`), and
//! [`looks_like_key_material`] whether a string is long and random enough to be a key.

use crate::words::words;

/// What kind of secret a name denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    /// `password`, `DB_PASSWD`, `SSH_KEY_PASSPHRASE`, `RABBITMQ_DEFAULT_PASS`.
    Password,
    /// `password_hash`, `hashed_password`.
    PasswordHash,
    /// `api_key`, `X-API-Key`, `apiKey`, `OPENAI_APIKEY`.
    ApiKey,
    /// `private_key`, `TLS_PRIVATE_KEY`.
    PrivateKey,
    /// `access_token`, `GITHUB_TOKEN`, `refresh_tokens`.
    Token,
    /// `signature`, `x-hub-signature-256`, `hmac`.
    Signature,
    /// A digest that may be a plain checksum; a secret only next to HMAC code.
    Digest,
    /// `credentials`, `GOOGLE_APPLICATION_CREDENTIALS`.
    Credential,
    /// `client_secret`, `SECRET_KEY`, `SIGNING_KEY`, `HMAC_KEY`.
    Secret,
    /// `auth`, `authorization`, `BASIC_AUTH`: carries a credential of unknown form.
    Authorization,
}

impl SecretKind {
    /// The kind with an article, for messages: "an API key", "a token".
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::Password => "a password",
            SecretKind::PasswordHash => "a password hash",
            SecretKind::ApiKey => "an API key",
            SecretKind::PrivateKey => "a private key",
            SecretKind::Token => "a token",
            SecretKind::Signature => "a signature",
            SecretKind::Digest => "a digest",
            SecretKind::Credential => "a credential",
            SecretKind::Secret => "a secret",
            SecretKind::Authorization => "an authorization value",
        }
    }
}

/// How strongly a name says it holds a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Only by convention: `FEED_KEY` (a constant named after a key), `BASIC_AUTH`.
    Weak,
    /// By a word that means a secret: `password`, `token`, `secret`, `api_key`.
    Strong,
}

/// What a secret-looking name says it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretName {
    pub kind: SecretKind,
    pub strength: Strength,
}

/// Last words that describe a secret without holding it (`DB_PASSWORD_FILE`, `TOKEN_TTL`).
const DESCRIPTIVE_LAST_WORDS: &[&str] = &[
    // Where it is.
    "file",
    "files",
    "filename",
    "path",
    "dir",
    "directory",
    "location",
    "mount",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "addr",
    "address",
    "server",
    "source",
    "header",
    "field",
    "index",
    "idx",
    "label",
    // When and how long.
    "ttl",
    "expiry",
    "expire",
    "expires",
    "expiration",
    "exp",
    "timeout",
    "seconds",
    "secs",
    "ms",
    "minutes",
    "hours",
    "days",
    "lifetime",
    "duration",
    "interval",
    "age",
    "at",
    "created",
    "issued",
    "rotation",
    // Switches and states.
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "valid",
    "expired",
    "revoked",
    "status",
    "mode",
    // What kind, whose, how big.
    "type",
    "types",
    "kind",
    "method",
    "methods",
    "provider",
    "backend",
    "store",
    "name",
    "names",
    "id",
    "ids",
    "user",
    "username",
    "owner",
    "login",
    "email",
    "length",
    "len",
    "size",
    "limit",
    "max",
    "min",
    "count",
    "policy",
    "algorithm",
    "algorithms",
    "alg",
    "issuer",
    "audience",
    "realm",
    "scope",
    "scopes",
    "version",
    "domain",
    "prefix",
    "format",
    "scheme",
    "encoding",
    "region",
    "strategy",
    "level",
    "cache",
    "config",
    "hint",
    "usage",
    "purpose",
    "fingerprint",
];

/// Words that make a name data rather than a credential wherever they stand
/// (`next_page_token`, `MAX_TOKENS`, `CACHE_KEY`, `public_key`, `sort_key`).
const DATA_WORDS: &[&str] = &[
    "next",
    "prev",
    "previous",
    "page",
    "continuation",
    "cursor",
    "lock",
    "sort",
    "primary",
    "foreign",
    "cache",
    "partition",
    "creation",
    "taken",
    "max",
    "min",
    "num",
    "public",
];

/// Words before `KEY` that make it a key holding a secret (`SIGNING_KEY`, `apiKey`,
/// `MASTERKEY`).
const SECRET_KEY_OWNERS: &[&str] = &[
    "api",
    "private",
    "access",
    "secret",
    "encryption",
    "signing",
    "master",
    "hmac",
    "jwt",
    "webhook",
    "ssh",
    "license",
    "fernet",
    "auth",
];

/// Words before `KEY` that make a constant's key a data key (`PARTITION_KEY`, `REDIS_KEY`).
const DATA_KEY_OWNERS: &[&str] = &[
    "root",
    "dict",
    "map",
    "range",
    "lookup",
    "alias",
    "kms",
    "value",
    "redis",
    "hash",
    "row",
    "column",
    "stage",
    "routing",
    "object",
    "s3",
    "bucket",
    "idempotency",
    "dedup",
    "group",
    "shard",
];

fn is_key(word: &str) -> bool {
    matches!(word, "key" | "keys")
}

/// What secret a name (a variable, setting, field, header or environment variable name)
/// says it holds; `None` when it does not look like one.
pub fn secret_name(name: &str) -> Option<SecretName> {
    let ws = words(name);
    let last = ws.last()?;
    if DESCRIPTIVE_LAST_WORDS.contains(&last.as_str())
        || ws.iter().any(|w| DATA_WORDS.contains(&w.as_str()))
    {
        return None;
    }
    let strong = |kind| {
        Some(SecretName {
            kind,
            strength: Strength::Strong,
        })
    };
    let has = |x: &str| ws.iter().any(|w| w == x);
    let followed_by_key = |i: usize| ws.get(i + 1).is_some_and(|n| is_key(n));
    // `PWD` alone is the shell's working directory.
    let password_at = ws
        .iter()
        .position(|w| (is_password_word(w) && w != "pwd") || (w == "pwd" && ws.len() > 1));
    if let Some(i) = password_at {
        let hashed = ws.get(i + 1).is_some_and(|n| n == "hash") || (i > 0 && ws[i - 1] == "hashed");
        return strong(if hashed {
            SecretKind::PasswordHash
        } else {
            SecretKind::Password
        });
    }
    if ws.iter().any(|w| w.contains("credential")) {
        return strong(SecretKind::Credential);
    }
    let api_key = ws.iter().enumerate().any(|(i, w)| {
        (w == "api" && followed_by_key(i)) || w.ends_with("apikey") || w.ends_with("apikeys")
    });
    if api_key {
        return strong(SecretKind::ApiKey);
    }
    let private_key = ws
        .iter()
        .enumerate()
        .any(|(i, w)| (w == "private" && followed_by_key(i)) || w.ends_with("privatekey"));
    if private_key {
        return strong(SecretKind::PrivateKey);
    }
    // `HMAC_KEY` and `HMAC_SECRET` are keys; `hmac` and `signature` alone are the MAC.
    let hmac_key = has("hmac") && (has("key") || has("secret"));
    if !hmac_key && (has("signature") || has("hmac")) {
        return strong(SecretKind::Signature);
    }
    if ws.iter().any(|w| w.ends_with("token") || w == "tokens") {
        return strong(SecretKind::Token);
    }
    if ws.iter().any(|w| w.ends_with("secret")) {
        return strong(SecretKind::Secret);
    }
    if has("digest") || has("hexdigest") {
        return strong(SecretKind::Digest);
    }
    let owned_key = ws.iter().enumerate().any(|(i, w)| {
        (SECRET_KEY_OWNERS.contains(&w.as_str()) && followed_by_key(i))
            || SECRET_KEY_OWNERS.iter().any(|owner| {
                w.len() > owner.len() + 2 && w.starts_with(owner) && w.ends_with("key")
            })
    });
    if owned_key {
        return strong(SecretKind::Secret);
    }
    let weak = |kind| {
        Some(SecretName {
            kind,
            strength: Strength::Weak,
        })
    };
    // `FEED_KEY`, `LICENSE_KEY`: a constant named after a key holds one.
    let constant = !name.chars().any(char::is_lowercase);
    if constant
        && ws.len() >= 2
        && is_key(last)
        && !ws.iter().any(|w| DATA_KEY_OWNERS.contains(&w.as_str()))
    {
        return weak(SecretKind::Secret);
    }
    if has("auth") || has("authorization") {
        return weak(SecretKind::Authorization);
    }
    None
}

/// Whether a (lowercase) word names a password: `password`, `passwd`, `passphrase` (also
/// inside a word, `newpassword`), `pass`, `pwd`, `pw`, `pword`, `passwort`.
fn is_password_word(w: &str) -> bool {
    w.contains("password")
        || w.contains("passwd")
        || w.contains("passphrase")
        || matches!(w, "pass" | "pwd" | "pw" | "pword" | "passwort")
}

/// Words that make a password-looking name something else: a reset token, a salt, a policy
/// value, an e-mail address, a form field's label …
const NOT_THE_PASSWORD: &[&str] = &[
    "token",
    "tokens",
    "reset",
    "url",
    "link",
    "hint",
    "policy",
    "length",
    "len",
    "min",
    "max",
    "salt",
    "pepper",
    "field",
    "label",
    "regex",
    "pattern",
    "validator",
    "validators",
    "strength",
    "expiry",
    "expires",
    "expired",
    "changed",
    "age",
    "attempts",
    "count",
    "help",
    "email",
    "hasher",
    "hashers",
    "history",
];

/// Whether an identifier or key names a password itself, or its hash (`password`,
/// `new_password`, `pwd`, `password_hash`) — not something about passwords
/// (`password_reset_token`, `PASSWORD_MIN_LENGTH`, `password_salt`, `PASSWORD_HASHERS`).
pub fn is_password_name(name: &str) -> bool {
    if name.len() > 60 || name.contains(char::is_whitespace) {
        return false;
    }
    let ws = words(name);
    ws.iter().any(|w| is_password_word(w))
        && !ws.iter().any(|w| NOT_THE_PASSWORD.contains(&w.as_str()))
}

/// Whether a value is a reference or template rather than a literal: `${DB_PASSWORD}`,
/// `$(DB_PASSWORD)` (expanded by Kubernetes), `{{ .Values.token }}`, `<your-token>`.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    v.contains("$(")
        || v.contains("${")
        || v.contains("{{")
        || (v.len() >= 2 && v.starts_with('<') && v.ends_with('>'))
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

    fn kind(name: &str) -> Option<SecretKind> {
        secret_name(name).map(|s| s.kind)
    }

    fn strength(name: &str) -> Option<Strength> {
        secret_name(name).map(|s| s.strength)
    }

    #[test]
    fn kinds_of_secret_names() {
        use SecretKind::*;
        assert_eq!(kind("api_key"), Some(ApiKey));
        assert_eq!(kind("X-API-Key"), Some(ApiKey));
        assert_eq!(kind("APIKeyHeader"), None, "the header's name, not the key");
        assert_eq!(kind("OPENAI_APIKEY"), Some(ApiKey));
        assert_eq!(kind("apiKey"), Some(ApiKey));
        assert_eq!(kind("WEBHOOK_SECRET"), Some(Secret));
        assert_eq!(kind("X-Hub-Signature-256"), Some(Signature));
        assert_eq!(kind("access_token"), Some(Token));
        assert_eq!(kind("accessToken"), Some(Token));
        assert_eq!(kind("password_hash"), Some(PasswordHash));
        assert_eq!(kind("hashed_password"), Some(PasswordHash));
        assert_eq!(kind("DB_PASSWORD"), Some(Password));
        assert_eq!(kind("db-passwd"), Some(Password));
        assert_eq!(kind("TLS_PRIVATE_KEY"), Some(PrivateKey));
        assert_eq!(kind("HMAC_KEY"), Some(Secret));
        assert_eq!(kind("hmac_secret"), Some(Secret));
        assert_eq!(kind("SIGNING_KEY"), Some(Secret));
        assert_eq!(kind("GOOGLE_APPLICATION_CREDENTIALS"), Some(Credential));
        assert_eq!(kind("sha256_digest"), Some(Digest));
    }

    #[test]
    fn credential_names_from_manifests() {
        for name in [
            "POSTGRES_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "DB_PASSWD",
            "RABBITMQ_DEFAULT_PASS",
            "MYSQL_PWD",
            "JWT_SECRET",
            "NEXTAUTH_SECRET",
            "OAUTH_CLIENT_SECRET",
            "CLIENTSECRET",
            "GITHUB_TOKEN",
            "SLACK_BOT_TOKEN",
            "accessToken",
            "STRIPE_API_KEY",
            "OPENAI_APIKEY",
            "apiKey",
            "TLS_PRIVATE_KEY",
            "MINIO_ACCESS_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "DJANGO_SECRET_KEY",
            "SECRET_KEY_BASE",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "GOOGLE_APPLICATION_CREDENTIALS_JSON",
            "REGISTRY_CREDENTIALS",
            "SSH_KEY_PASSPHRASE",
            "FIELD_ENCRYPTION_KEY",
            "ADMIN_PASSWORD_HASH",
            "HMAC_KEY",
            "dbPassword",
            "db.password",
        ] {
            assert_eq!(strength(name), Some(Strength::Strong), "{name}");
        }
        for name in [
            "REDIS_AUTH",
            "BASIC_AUTH",
            "PROXY_AUTHORIZATION",
            "FEED_KEY",
        ] {
            assert_eq!(strength(name), Some(Strength::Weak), "{name}");
        }
    }

    #[test]
    fn false_friends() {
        for name in [
            "PWD",
            "OLDPWD",
            "DB_PASSWORD_FILE",
            "POSTGRES_PASSWORD_FILE",
            "VAULT_TOKEN_PATH",
            "SECRETS_DIR",
            "TOKEN_TTL",
            "TOKEN_EXPIRY_SECONDS",
            "AUTH_ENABLED",
            "AUTH_URL",
            "OAUTH_TOKEN_ENDPOINT",
            "AUTH_METHOD",
            "AUTH_TYPE",
            "AUTH_PROVIDER",
            "TOKEN_AUDIENCE",
            "TOKEN_ISSUER",
            "JWT_SECRET_NAME",
            "secret_name",
            "AWS_ACCESS_KEY_ID",
            "OAUTH_CLIENT_ID",
            "PASSWORD_MIN_LENGTH",
            "PASSWORD_HASH_ALGORITHM",
            "password_reset_url",
            "MAX_TOKENS",
            "TOKENIZERS_PARALLELISM",
            "AUTHOR",
            "BYPASS_CACHE",
            "CACHE_KEY",
            "PARTITION_KEY",
            "KEYCLOAK_REALM",
            "SECRETARY_EMAIL",
            "API_BASE_URL",
            "PASSENGER_APP_ENV",
            "token_type",
            "token_type_hint",
            "api_key_id",
            "key",
            "token_expires_at",
            "next_page_token",
            "public_key",
            "sort_key",
            "primary_key",
            "cache_key",
            "private_key_path",
            "",
        ] {
            assert_eq!(secret_name(name), None, "{name}");
        }
    }

    #[test]
    fn password_names() {
        for name in [
            "password",
            "new_password",
            "userPassword",
            "pwd",
            "user_pw",
            "password_hash",
            "passphrase",
        ] {
            assert!(is_password_name(name), "{name}");
        }
        for name in [
            "password_reset_token",
            "PASSWORD_MIN_LENGTH",
            "password_salt",
            "PASSWORD_HASHERS",
            "bypass",
            "compass",
            "the password",
        ] {
            assert!(!is_password_name(name), "{name}");
        }
    }

    #[test]
    fn references_and_inert_values() {
        for value in [
            "",
            " ",
            "$(DB_PASSWORD)",
            "Bearer $(API_TOKEN)",
            "${DB_PASSWORD}",
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
