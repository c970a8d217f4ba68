//! The Python rules, one per file, registered here in one explicit list.

pub mod cors_any_origin_with_credentials;
pub mod database_connection_without_tls;
pub mod debug_mode_enabled;
pub mod django_allowed_hosts_wildcard;
pub mod hardcoded_secret_key;
pub mod insecure_cookie_flags;
pub mod jwt_verification_disabled;
pub mod plaintext_http_url;
pub mod shell_command_injection;
pub mod sql_injection;
pub mod tls_verification_disabled;
pub mod unsafe_deserialization;
pub mod weak_password_hash;
pub mod weak_tls_protocol;

use crate::model::Model;
use palisade_core::{FileContext, Finding, RuleMeta, SourceFile, Span};
use tree_sitter::Node;

/// A Python rule: its metadata, the node kinds it inspects, and its check.
pub struct PyRule {
    pub meta: &'static RuleMeta,
    /// tree-sitter-python node kinds handed to `check`.
    pub node_kinds: &'static [&'static str],
    pub check: fn(Node<'_>, &mut RuleContext<'_, '_>),
}

/// What a rule's check can see and do.
pub struct RuleContext<'a, 'f> {
    pub model: &'a Model<'a>,
    pub file: &'a SourceFile,
    pub out: &'a mut FileContext<'f>,
}

impl RuleContext<'_, '_> {
    /// The span of a node, in characters.
    pub fn span(&self, node: Node<'_>) -> Span {
        self.file.span(node.start_byte(), node.end_byte())
    }

    pub fn report(&mut self, finding: Finding) {
        self.out.report(finding);
    }
}

/// Every Python rule.
pub static RULES: &[&PyRule] = &[
    &cors_any_origin_with_credentials::RULE,
    &database_connection_without_tls::RULE,
    &debug_mode_enabled::RULE,
    &django_allowed_hosts_wildcard::RULE,
    &hardcoded_secret_key::RULE,
    &insecure_cookie_flags::RULE,
    &jwt_verification_disabled::RULE,
    &plaintext_http_url::RULE,
    &shell_command_injection::RULE,
    &sql_injection::RULE,
    &tls_verification_disabled::RULE,
    &unsafe_deserialization::RULE,
    &weak_password_hash::RULE,
    &weak_tls_protocol::RULE,
];

/// The metadata of every Python rule, in the same order.
pub static METAS: &[&RuleMeta] = &[
    &cors_any_origin_with_credentials::META,
    &database_connection_without_tls::META,
    &debug_mode_enabled::META,
    &django_allowed_hosts_wildcard::META,
    &hardcoded_secret_key::META,
    &insecure_cookie_flags::META,
    &jwt_verification_disabled::META,
    &plaintext_http_url::META,
    &shell_command_injection::META,
    &sql_injection::META,
    &tls_verification_disabled::META,
    &unsafe_deserialization::META,
    &weak_password_hash::META,
    &weak_tls_protocol::META,
];
