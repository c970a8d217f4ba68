//! Flags passwords and cloud access keys written into the source as literals.
//!
//! ## What it checks
//! - A password parameter with a literal default: `def connect(host, password="Sup3r-s3cret")`,
//!   `def __init__(self, user="admin", db_password="admin123")`. The parameter's name must
//!   name the password itself (`password`, `passwd`, `db_pass`, `smtp_password`), not
//!   something about passwords (`password_min_length`, `password_reset_url`). Medium
//!   confidence: a caller may always pass the real one, but whoever forgets to gets the
//!   published one.
//! - AWS credentials passed as literals to boto3, aiobotocore or any client taking the same
//!   keywords: `aws_secret_access_key="…"` and `aws_session_token="…"` (`boto3.client`,
//!   `boto3.resource`, `boto3.Session`, `session.client(...)`). High confidence; low when the
//!   client talks to a local emulator (`endpoint_url="http://localhost:4566"`, LocalStack or
//!   MinIO), whose keys are not real.
//!
//! Not reported: placeholders (`changeme`, `your-password-here`, `${DB_PASSWORD}`, the
//! empty string, `None`), passwords made up for tests (`testpass123`, `fake-password`), AWS's documentation keys (`…EXAMPLE…`), values read from the
//! environment or a secret store, and test code (`tests/`, `test_*.py`, `conftest.py`).
//! Signing keys and framework `SECRET_KEY`s are `python/hardcoded-secret-key`'s.
//!
//! ## Why it matters
//! A credential in the source is known to everyone who can read the repository, its forks,
//! CI logs and backups, and it cannot be rotated without a code change. An AWS secret key
//! gives its holder whatever the key's IAM policy allows — often every bucket of the
//! account; a default password becomes the password of every deployment that does not
//! override it.
//!
//! ## Example
//! ```python
//! import boto3
//!
//! # Flagged: the key pair is readable by anyone with the repository.
//! s3 = boto3.client(
//!     "s3",
//!     aws_access_key_id="AKIA4SGYZ3QWXKQ6J2LD",
//!     aws_secret_access_key="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",
//! )
//! ```
//!
//! ## Remediation
//! Read credentials at run time: let boto3 find them (instance or task roles, `AWS_PROFILE`,
//! environment variables) instead of passing keys, and read passwords from the environment
//! or a secret manager without a default (`os.environ["DB_PASSWORD"]`). Rotate every
//! credential that was committed: it must be treated as public.
//!
//! ## References
//! - CWE-798: Use of Hard-coded Credentials
//! - OWASP Top 10 2021, A07 Identification and Authentication Failures
//! - OWASP Secrets Management Cheat Sheet
//! - AWS documentation, "Best practices for managing AWS access keys"

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::credentials::could_be_secret;
use crate::values::{keyword_value, literal_string};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::hosts::{HostKind, host_kind, parse_url};
use palisade_knowledge::roles::is_test_code;
use palisade_knowledge::secrets::{is_password_name, is_placeholder};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/hardcoded-credential",
    title: "Password or cloud access key hard-coded in the source",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[798],
    owasp: Owasp::A07,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("hardcoded_credential.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["default_parameter", "typed_default_parameter", "call"],
    needs_text: &[],
    text_test: None,
    check,
};

/// Keywords whose value is an AWS secret (the access key id alone is not one).
const AWS_SECRET_KEYWORDS: &[&str] = &["aws_secret_access_key", "aws_session_token"];

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    if is_test_code(&cx.file.path) {
        return;
    }
    match node.kind() {
        "call" => check_aws_keys(node, cx),
        _ => check_password_default(node, cx),
    }
}

fn check_password_default(parameter: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let (Some(name), Some(value)) = (
        parameter.child_by_field_id(*field::NAME),
        parameter.child_by_field_id(*field::VALUE),
    ) else {
        return;
    };
    // Only the parameters of a `def` (a lambda's defaults are rare and local).
    if parameter
        .parent()
        .and_then(|p| p.parent())
        .is_none_or(|f| f.kind() != "function_definition")
    {
        return;
    }
    let name = model.text(name);
    if !is_password_name(name) || name.to_ascii_lowercase().contains("hash") {
        return;
    }
    let Some(password) = literal_string(model, value) else {
        return;
    };
    if !could_be_password(&password) {
        return;
    }
    let function = parameter
        .parent()
        .and_then(|p| p.parent())
        .and_then(|f| f.child_by_field_id(*field::NAME))
        .map_or("", |n| model.text(n));
    let finding = Finding::new(
        &META,
        cx.span(parameter),
        format!(
            "parameter `{name}` of `{function}` defaults to a password written in the source: every caller that does not pass one uses a published password"
        ),
    )
    .with_confidence(Confidence::Medium)
    .with_secret(cx.span(value));
    cx.report(finding);
}

/// Words that mark a password as made up for tests or examples (`testpass123`,
/// `fake-password`): what factories and fixtures outside `tests/` pass.
const MADE_UP: &[&str] = &["test", "example", "dummy", "fake", "sample"];

/// A literal that could be a working password: not empty or a placeholder, not a reference,
/// not made up for tests.
fn could_be_password(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    !v.is_empty()
        && !MADE_UP.iter().any(|w| lower.contains(w))
        && !is_placeholder(v)
        && !palisade_knowledge::secrets::cannot_be_secret(v)
        && !v.contains(char::is_whitespace)
}

fn check_aws_keys(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    for keyword in AWS_SECRET_KEYWORDS {
        let Some(value) = keyword_value(model, call, keyword) else {
            continue;
        };
        let Some(secret) = literal_string(model, value) else {
            continue;
        };
        if !could_be_secret(&secret) || secret.to_ascii_lowercase().contains("example") {
            continue;
        }
        let local = keyword_value(model, call, "endpoint_url")
            .and_then(|u| literal_string(model, u))
            .and_then(|u| parse_url(&u))
            .is_some_and(|u| host_kind(&u.host) == HostKind::Local);
        let (confidence, whose) = if local {
            (
                Confidence::Low,
                " (the client talks to a local emulator, whose keys may not be real)",
            )
        } else {
            (Confidence::High, "")
        };
        let callee = call
            .child_by_field_id(*field::FUNCTION)
            .map_or("", |f| model.text(f));
        let at = value.parent().unwrap_or(value);
        let finding = Finding::new(
            &META,
            cx.span(at),
            format!(
                "`{callee}` is given `{keyword}` as a literal written in the source: anyone with the repository holds this AWS credential{whose}"
            ),
        )
        .with_confidence(confidence)
        .with_secret(cx.span(value));
        cx.report(finding);
    }
}
