//! The Python rules, one per file, registered here in explicit lists: rules that check one
//! file's syntax tree, and project rules that look at the endpoint inventory of every file
//! together (routes in one file, blueprints and settings in others).

pub mod api_key_without_scopes;
pub mod cors_any_origin_with_credentials;
pub mod database_connection_without_tls;
pub mod debug_mode_enabled;
pub mod django_allowed_hosts_wildcard;
pub mod drf_default_allow_any;
pub mod hardcoded_secret_key;
pub mod insecure_cookie_flags;
pub mod jwt_verification_disabled;
pub mod non_constant_time_secret_comparison;
pub mod plaintext_http_url;
pub mod shell_command_injection;
pub mod sql_injection;
pub mod tls_verification_disabled;
pub mod unauthenticated_state_changing_endpoint;
pub mod unsafe_deserialization;
pub mod weak_password_hash;
pub mod weak_tls_protocol;

use crate::endpoints::facts::FileFacts;
use crate::endpoints::{Endpoint, Project};
use crate::model::Model;
use palisade_core::{FileContext, Finding, ProjectContext, RuleMeta, SourceFile, Span};
use std::sync::OnceLock;
use tree_sitter::Node;

/// A Python rule: its metadata, the node kinds it inspects, and its check.
pub struct PyRule {
    pub meta: &'static RuleMeta,
    /// tree-sitter-python node kinds handed to `check`.
    pub node_kinds: &'static [&'static str],
    pub check: fn(Node<'_>, &mut RuleContext<'_, '_>),
}

/// A rule that looks across every Python file of the scan, through the endpoint inventory.
pub struct ProjectRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&ProjectModel, &mut ProjectContext<'_>),
}

/// What project rules see: every file's inventory facts, and the endpoints built from them
/// on first use.
pub struct ProjectModel {
    pub project: Project,
    endpoints: OnceLock<Vec<Endpoint>>,
}

impl ProjectModel {
    pub fn new(files: Vec<FileFacts>) -> ProjectModel {
        ProjectModel {
            project: Project::new(files),
            endpoints: OnceLock::new(),
        }
    }

    pub fn endpoints(&self) -> &[Endpoint] {
        self.endpoints
            .get_or_init(|| crate::endpoints::endpoints(&self.project))
    }
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

/// Every Python rule that checks one file at a time.
pub static RULES: &[&PyRule] = &[
    &cors_any_origin_with_credentials::RULE,
    &database_connection_without_tls::RULE,
    &debug_mode_enabled::RULE,
    &django_allowed_hosts_wildcard::RULE,
    &hardcoded_secret_key::RULE,
    &insecure_cookie_flags::RULE,
    &jwt_verification_disabled::RULE,
    &non_constant_time_secret_comparison::RULE,
    &plaintext_http_url::RULE,
    &shell_command_injection::RULE,
    &sql_injection::RULE,
    &tls_verification_disabled::RULE,
    &unsafe_deserialization::RULE,
    &weak_password_hash::RULE,
    &weak_tls_protocol::RULE,
];

/// Every Python project rule.
pub static PROJECT_RULES: &[&ProjectRule] = &[
    &api_key_without_scopes::RULE,
    &drf_default_allow_any::RULE,
    &unauthenticated_state_changing_endpoint::RULE,
];

/// The metadata of every Python rule, alphabetical by module.
pub static METAS: &[&RuleMeta] = &[
    &api_key_without_scopes::META,
    &cors_any_origin_with_credentials::META,
    &database_connection_without_tls::META,
    &debug_mode_enabled::META,
    &django_allowed_hosts_wildcard::META,
    &drf_default_allow_any::META,
    &hardcoded_secret_key::META,
    &insecure_cookie_flags::META,
    &jwt_verification_disabled::META,
    &non_constant_time_secret_comparison::META,
    &plaintext_http_url::META,
    &shell_command_injection::META,
    &sql_injection::META,
    &tls_verification_disabled::META,
    &unauthenticated_state_changing_endpoint::META,
    &unsafe_deserialization::META,
    &weak_password_hash::META,
    &weak_tls_protocol::META,
];
