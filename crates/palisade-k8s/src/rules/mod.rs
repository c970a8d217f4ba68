//! The Kubernetes rules, one per file, registered here in one explicit list.

pub mod capabilities_not_dropped;
pub mod dangerous_capabilities;
pub mod privilege_escalation_allowed;
pub mod privileged_container;
pub mod runs_as_root;
pub mod writable_root_filesystem;

use crate::object::Object;
use palisade_core::{FileContext, Finding, RuleMeta};

/// A Kubernetes rule: its metadata and its check, called once per object.
pub struct K8sRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Object<'_, '_>, &mut RuleContext<'_, '_>),
}

/// What a rule's check can do.
pub struct RuleContext<'a, 'f> {
    pub out: &'a mut FileContext<'f>,
}

impl RuleContext<'_, '_> {
    pub fn report(&mut self, finding: Finding) {
        self.out.report(finding);
    }
}

/// Every Kubernetes rule.
pub static RULES: &[&K8sRule] = &[
    &capabilities_not_dropped::RULE,
    &dangerous_capabilities::RULE,
    &privilege_escalation_allowed::RULE,
    &privileged_container::RULE,
    &runs_as_root::RULE,
    &writable_root_filesystem::RULE,
];

/// The metadata of every Kubernetes rule, in the same order.
pub static METAS: &[&RuleMeta] = &[
    &capabilities_not_dropped::META,
    &dangerous_capabilities::META,
    &privilege_escalation_allowed::META,
    &privileged_container::META,
    &runs_as_root::META,
    &writable_root_filesystem::META,
];
