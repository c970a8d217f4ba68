//! The Python rules, one per file, registered here in one explicit list.

pub mod sql_injection;
pub mod tls_verification_disabled;

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
pub static RULES: &[&PyRule] = &[&sql_injection::RULE, &tls_verification_disabled::RULE];

/// The metadata of every Python rule, in the same order.
pub static METAS: &[&RuleMeta] = &[&sql_injection::META, &tls_verification_disabled::META];
