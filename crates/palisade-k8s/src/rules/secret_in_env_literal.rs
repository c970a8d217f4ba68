//! Flags credentials written as literal environment variable values in a manifest.
//!
//! ## What it checks
//! `env[].value` of every container — regular, init or ephemeral — of a built-in workload
//! (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob, including `List` items and `kubectl get -o yaml` output) when either
//! - the variable's name says it holds a credential (palisade's shared reading of secret
//!   names): one of its words (split at `_`, `-`, `.` and camelCase humps, compared
//!   case-insensitively) contains `PASSWORD`, `PASSWD`, `PASSPHRASE` or `CREDENTIAL`, ends
//!   with `SECRET` or `TOKEN` (so `CLIENTSECRET` counts, `TOKENIZER` does not), is
//!   `TOKENS`, `PASS` or `PWD` (but not the shell's own `PWD`), or two of them spell
//!   `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`, `SECRET_KEY`, `ENCRYPTION_KEY`, `SIGNING_KEY`,
//!   `MASTER_KEY`, `HMAC_KEY`, `JWT_KEY`, `WEBHOOK_KEY`, `SSH_KEY`, `LICENSE_KEY`,
//!   `FERNET_KEY` or `AUTH_KEY` (also written as one word, `APIKEY`, or in camelCase,
//!   `apiKey`); with medium confidence, a word is `AUTH` or `AUTHORIZATION`, or the name
//!   ends in `_KEY` and no word makes it a data key (`FEED_KEY` counts, `PARTITION_KEY`,
//!   `ROUTING_KEY`, `REDIS_KEY` do not) — unless its last word describes the credential
//!   rather than holding it: `_FILE`, `_PATH`, `_DIR`, `_URL`, `_ENDPOINT`, `_HOST`,
//!   `_TTL`, `_EXPIRY`, `_TIMEOUT`, `_SECONDS`, `_ENABLED`, `_MODE`, `_TYPE`, `_METHOD`,
//!   `_NAME`, `_ID`, `_USER`, `_LENGTH`, `_POLICY`, `_ISSUER`, `_AUDIENCE` and similar (so
//!   `DB_PASSWORD_FILE`, `TOKEN_TTL`, `TOKEN_EXPIRY_SECONDS`, `AUTH_ENABLED`,
//!   `AWS_ACCESS_KEY_ID`, `SECRET_NAME` pass), or a word makes it data rather than a
//!   credential (`MAX_TOKENS`, `CACHE_KEY`, `PUBLIC_KEY`, `NEXT_PAGE_TOKEN`); digests and
//!   signatures (`IMAGE_DIGEST`) are not credentials;
//! - or, whatever its name, the value is a URL with a password in it
//!   (`postgres://shop:…@db:5432/shop`).
//!
//! Values that cannot be a credential are left alone: empty values, references to other
//! variables (`$(DB_PASSWORD)`, which Kubernetes expands), unrendered template placeholders
//! (`${DB_PASSWORD}`, `{{ … }}`, `<token>`), file paths (`GOOGLE_APPLICATION_CREDENTIALS`
//! set to `/var/secrets/google/key.json`), booleans, plain numbers and durations (`3600`,
//! `15m`), `none`/`null`/`disabled`, and a value that spells its own variable's name
//! (`GOOGLE_API_KEY: GOOGLE_API_KEY_VAL`, a stand-in the setup instructions replace). Values taken from a Secret
//! (`valueFrom.secretKeyRef`, `envFrom`) are what this rule asks for and are never flagged.
//! The finding points at the `value:` line, the value is masked in every snippet and it is
//! never repeated in the message.
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
use palisade_knowledge::hosts::parse_url;
use palisade_knowledge::secrets::{self, SecretKind, Strength};

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

/// How sure a variable name is to hold a credential: None when it does not look like one.
/// Digests and signatures (`IMAGE_DIGEST`, `WEBHOOK_SIGNATURE`) are not credentials here.
fn credential_name(name: &str) -> Option<Confidence> {
    let found = secrets::secret_name(name)?;
    if matches!(found.kind, SecretKind::Digest | SecretKind::Signature) {
        return None;
    }
    Some(match found.strength {
        Strength::Strong => Confidence::High,
        Strength::Weak => Confidence::Medium,
    })
}

/// Whether a value is a URL with a password in its user info (`scheme://user:pass@host`).
fn url_with_password(value: &str) -> bool {
    let value = value.trim();
    parse_url(value)
        .and_then(|url| url.password)
        .and_then(|range| value.get(range))
        .is_some_and(|password| !password.is_empty() && !secrets::cannot_be_secret(password))
}

/// Whether `value` is an upper-case identifier that contains the variable's own name
/// (`GOOGLE_API_KEY_VAL` for `GOOGLE_API_KEY`): a stand-in, never a credential.
fn names_itself(name: &str, value: &str) -> bool {
    let value = value.trim();
    name.len() >= 3
        && value.contains(name)
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
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
            if secrets::cannot_be_secret(text) || names_itself(name, text) {
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
    fn credential_names() {
        // The name list itself is the knowledge crate's (secrets::names tests); here only how
        // its strengths map to this rule's confidence.
        for name in [
            "POSTGRES_PASSWORD",
            "GITHUB_TOKEN",
            "HMAC_KEY",
            "API_TOKENS",
        ] {
            assert_eq!(credential_name(name), Some(Confidence::High), "{name}");
        }
        for name in [
            "REDIS_AUTH",
            "BASIC_AUTH",
            "PROXY_AUTHORIZATION",
            "FEED_KEY",
        ] {
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
            "PUBLIC_KEY",
            "ROUTING_KEY",
            "IMAGE_DIGEST",
            "WEBHOOK_SIGNATURE",
            "NEXT_PAGE_TOKEN",
        ] {
            assert_eq!(credential_name(name), None, "{name}");
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
