//! Flags credentials written as literal environment variable values in a manifest.
//!
//! ## What it checks
//! `env[].value` of every container — regular, init or ephemeral — of a built-in workload
//! (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob, including `List` items and `kubectl get -o yaml` output) when either
//! - the variable's name says it holds a credential: one of its words (split at `_`, `-`,
//!   `.` and camelCase humps, compared case-insensitively) contains `PASSWORD`, `PASSWD`,
//!   `PASSPHRASE` or `CREDENTIAL`, ends with `SECRET` or `TOKEN` (so `CLIENTSECRET`
//!   counts, `TOKENS` and `TOKENIZER` do not), is `PASS`, `PWD` (but not the shell's own
//!   `PWD`), `AUTH` or `AUTHORIZATION`, or two of them spell `API_KEY`, `PRIVATE_KEY`,
//!   `ACCESS_KEY`, `SECRET_KEY`, `ENCRYPTION_KEY`, `SIGNING_KEY` or `MASTER_KEY` (also
//!   written as one word, `APIKEY`, or in camelCase, `apiKey`) — unless its last word
//!   describes the credential rather than holding it: `_FILE`, `_PATH`, `_DIR`, `_URL`,
//!   `_ENDPOINT`, `_HOST`, `_TTL`, `_EXPIRY`, `_TIMEOUT`, `_SECONDS`, `_ENABLED`, `_MODE`,
//!   `_TYPE`, `_METHOD`, `_NAME`, `_ID`, `_USER`, `_LENGTH`, `_POLICY`, `_ISSUER`,
//!   `_AUDIENCE` and similar (so `DB_PASSWORD_FILE`, `TOKEN_TTL`,
//!   `TOKEN_EXPIRY_SECONDS`, `AUTH_ENABLED`, `AWS_ACCESS_KEY_ID`, `SECRET_NAME` pass);
//! - or, whatever its name, the value is a URL with a password in it
//!   (`postgres://shop:…@db:5432/shop`).
//!
//! Values that cannot be a credential are left alone: empty values, references to other
//! variables (`$(DB_PASSWORD)`, which Kubernetes expands), unrendered template placeholders
//! (`${DB_PASSWORD}`, `{{ … }}`, `<token>`), file paths (`GOOGLE_APPLICATION_CREDENTIALS`
//! set to `/var/secrets/google/key.json`), booleans, plain numbers and durations (`3600`,
//! `15m`), and `none`/`null`/`disabled`. Values taken from a Secret
//! (`valueFrom.secretKeyRef`, `envFrom`) are what this rule asks for and are never flagged.
//! The finding points at the `value:` line, the value is masked in every snippet and it is
//! never repeated in the message. Names matched only through `AUTH` get medium confidence.
//!
//! ## Why it matters
//! A credential written into a manifest lives in the Git history of every clone, in CI
//! logs, in the `last-applied-configuration` annotation and in the object itself, readable by
//! anyone who may `get` the Deployment — a much wider audience than those who may read
//! Secrets. It cannot be rotated without a commit and cannot be scoped by RBAC. The OWASP
//! Kubernetes Security Cheat Sheet asks to keep secrets in Secret objects (ideally from an
//! external secret store) and never in the pod specification.
//!
//! ## Example
//! ```yaml
//! env:
//!   - name: POSTGRES_PASSWORD
//!     value: "s3cr3t-prod"   # flagged
//!   - name: TOKEN_TTL
//!     value: "3600"          # not flagged
//! ```
//!
//! ## Remediation
//! Rotate the credential first: it has been published to everyone who can read the
//! repository. Then store it in a Secret (created by an external-secrets operator, sealed
//! secrets or your CD tool, not committed in plain text) and reference it:
//! ```yaml
//! env:
//!   - name: POSTGRES_PASSWORD
//!     valueFrom:
//!       secretKeyRef:
//!         name: shop-db
//!         key: password
//! ```
//! Better still, mount the Secret as a file and point the application at it
//! (`POSTGRES_PASSWORD_FILE=/run/secrets/db/password`): files are not inherited by child
//! processes or printed by crash dumps the way the environment is.
//!
//! ## References
//! - CWE-798: Use of Hard-coded Credentials
//! - OWASP Top 10 2021, A07 Identification and Authentication Failures
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Secrets: using Secrets as environment variables

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, get_str, items, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/secret-in-env-literal",
    title: "Credential in a literal environment variable",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[798],
    owasp: Owasp::A07,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("secret_in_env_literal.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

/// Last words of a name that describe a credential without holding it.
const DESCRIPTIVE_SUFFIXES: &[&str] = &[
    "FILE",
    "FILES",
    "PATH",
    "DIR",
    "DIRECTORY",
    "LOCATION",
    "MOUNT",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "HOSTNAME",
    "PORT",
    "ADDR",
    "ADDRESS",
    "SERVER",
    "TTL",
    "EXPIRY",
    "EXPIRE",
    "EXPIRES",
    "EXPIRATION",
    "TIMEOUT",
    "SECONDS",
    "SECS",
    "MS",
    "MINUTES",
    "HOURS",
    "DAYS",
    "LIFETIME",
    "DURATION",
    "INTERVAL",
    "AGE",
    "ENABLED",
    "ENABLE",
    "DISABLED",
    "DISABLE",
    "REQUIRED",
    "MODE",
    "TYPE",
    "KIND",
    "METHOD",
    "METHODS",
    "PROVIDER",
    "BACKEND",
    "STORE",
    "HEADER",
    "NAME",
    "ID",
    "USER",
    "USERNAME",
    "LOGIN",
    "EMAIL",
    "LENGTH",
    "LEN",
    "SIZE",
    "LIMIT",
    "MAX",
    "MIN",
    "COUNT",
    "POLICY",
    "ALGORITHM",
    "ALG",
    "ISSUER",
    "AUDIENCE",
    "REALM",
    "SCOPE",
    "SCOPES",
    "VERSION",
    "DOMAIN",
    "PREFIX",
    "FORMAT",
    "REGION",
    "STRATEGY",
    "LEVEL",
    "ROTATION",
    "CACHE",
];

/// Two words that together name a key holding a secret (`API_KEY`, `apiKey`, `APIKEY`).
const SECRET_KEYS: &[&str] = &[
    "API",
    "PRIVATE",
    "ACCESS",
    "SECRET",
    "ENCRYPTION",
    "SIGNING",
    "MASTER",
];

/// The words of a variable name, upper-cased: split at non-alphanumerics and camelCase humps.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// How sure a variable name is to hold a credential: None when it does not look like one.
fn credential_name(name: &str) -> Option<Confidence> {
    let words = words(name);
    let last = words.last()?;
    if DESCRIPTIVE_SUFFIXES.contains(&last.as_str()) {
        return None;
    }
    let strong = words.iter().enumerate().any(|(i, w)| {
        let next_is_key = words.get(i + 1).is_some_and(|n| n == "KEY");
        w.contains("PASSWORD")
            || w.contains("PASSWD")
            || w.contains("PASSPHRASE")
            || w.contains("CREDENTIAL")
            || w == "PASS"
            || (w == "PWD" && words.len() > 1)
            || w.ends_with("SECRET")
            || w.ends_with("TOKEN")
            || (next_is_key && SECRET_KEYS.contains(&w.as_str()))
            || SECRET_KEYS.iter().any(|k| w.ends_with(&format!("{k}KEY")))
    });
    if strong {
        return Some(Confidence::High);
    }
    let weak = words.iter().any(|w| w == "AUTH" || w == "AUTHORIZATION");
    weak.then_some(Confidence::Medium)
}

/// Whether a literal value cannot be a credential: empty, a reference or placeholder, a
/// boolean, a number or duration, or a word meaning "nothing".
fn is_inert_value(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.contains("$(") || v.contains("${") || v.contains("{{") {
        return true;
    }
    if v.starts_with('<') && v.ends_with('>') {
        return true;
    }
    // A file path (`GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json`).
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

/// Whether a value is a URL with a password in its user info (`scheme://user:pass@host`).
fn url_with_password(value: &str) -> bool {
    let Some((_, rest)) = value.trim().split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _host)) = authority.rsplit_once('@') else {
        return false;
    };
    userinfo
        .split_once(':')
        .is_some_and(|(_, password)| !password.is_empty() && !is_inert_value(password))
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for container in object.containers() {
        let Some(env) = get(container.node, "env") else {
            continue;
        };
        for variable in items(env) {
            let Some(name) = get_str(variable, "name") else {
                continue;
            };
            let Some((key, value)) = entry(variable, "value") else {
                continue;
            };
            let Some(text) = scalar(value) else {
                continue;
            };
            if is_inert_value(text) {
                continue;
            }
            let (confidence, what) = if url_with_password(text) {
                (Confidence::High, "a URL with an embedded password")
            } else if let Some(confidence) = credential_name(name) {
                (confidence, "a credential")
            } else {
                continue;
            };
            cx.report(
                Finding::new(
                    &META,
                    crate::key_value_span(key, value),
                    format!(
                        "environment variable `{name}` of {} of {} holds {what} as a literal \
                         value in the manifest; take it from a Secret (`valueFrom.secretKeyRef`) \
                         and rotate it",
                        container.describe(),
                        object.describe()
                    ),
                )
                .with_confidence(confidence)
                .with_secret(crate::node_span(value)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_snake_kebab_and_camel_case() {
        assert_eq!(words("DB_PASSWORD"), ["DB", "PASSWORD"]);
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(words("x-api-key"), ["X", "API", "KEY"]);
        assert_eq!(words("OAuth2ClientSecret"), ["OAUTH2", "CLIENT", "SECRET"]);
        assert_eq!(
            words("spring.datasource.password"),
            ["SPRING", "DATASOURCE", "PASSWORD"]
        );
    }

    #[test]
    fn credential_names() {
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
        ] {
            assert_eq!(credential_name(name), Some(Confidence::High), "{name}");
        }
        for name in ["REDIS_AUTH", "BASIC_AUTH", "PROXY_AUTHORIZATION"] {
            assert_eq!(credential_name(name), Some(Confidence::Medium), "{name}");
        }
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
            "AWS_ACCESS_KEY_ID",
            "OAUTH_CLIENT_ID",
            "PASSWORD_MIN_LENGTH",
            "PASSWORD_HASH_ALGORITHM",
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
        ] {
            assert_eq!(credential_name(name), None, "{name}");
        }
    }

    #[test]
    fn inert_values() {
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
            assert!(is_inert_value(value), "{value:?}");
        }
        for value in [
            "hunter2",
            "s3cr3t-prod",
            "changeme",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "1234abcd",
            "2fa-secret",
        ] {
            assert!(!is_inert_value(value), "{value:?}");
        }
    }

    #[test]
    fn urls_with_passwords() {
        assert!(url_with_password("postgres://shop:hunter2@db:5432/shop"));
        assert!(url_with_password("amqp://guest:guest@rabbitmq:5672/"));
        assert!(url_with_password("redis://:s3cret@redis:6379/0"));
        assert!(!url_with_password("postgres://shop@db:5432/shop"));
        assert!(!url_with_password(
            "postgres://shop:$(DB_PASSWORD)@db:5432/shop"
        ));
        assert!(!url_with_password("https://auth.example.com/oauth2/token"));
        assert!(!url_with_password("https://example.com/users/@me"));
        assert!(!url_with_password("not a url: user:pass@host"));
    }
}

#[cfg(test)]
mod finding_tests {
    #[test]
    fn the_value_is_masked_and_never_in_the_message() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: x\n      env:\n        - name: DB_PASSWORD\n          value: \"hunter2-prod\"\n";
        let findings = crate::findings_of("k8s/secret-in-env-literal", text);
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.location.line(), 11);
        assert!(!f.message.contains("hunter2"), "{}", f.message);
        assert_eq!(f.secrets.len(), 1);
        let secret = f.secrets[0];
        assert_eq!((secret.start_line, secret.start_column), (11, 18));
        assert_eq!((secret.end_line, secret.end_column), (11, 32));
    }
}
