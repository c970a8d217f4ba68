//! Secret-looking names.
//!
//! Names are judged by their words (see [`crate::words`]), so `DB_PASSWORD`, `dbPassword`,
//! `db-password` and `db.password` agree, and `BYPASS_CACHE`, `AUTHOR` or `SECRETARY_EMAIL`
//! do not match on a substring. A name that describes a secret rather than holding it is
//! left alone: its last word says what it is instead (`PASSWORD_FILE`, `TOKEN_TTL`,
//! `SECRET_NAME`, `api_key_id`, `password_reset_url`, `token_type`), or one of its words
//! makes it data rather than a credential (`next_page_token`, `MAX_TOKENS`, `CACHE_KEY`,
//! `public_key`).

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
}
