//! The Kubernetes rules, one per file, registered here in one explicit list.

pub mod host_namespaces;
pub mod host_path_mount;
pub mod image_not_pinned;
pub mod missing_resource_limits;
pub mod no_seccomp_profile;
pub mod privileged_container;
pub mod secret_in_env_literal;

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
    &host_namespaces::RULE,
    &host_path_mount::RULE,
    &image_not_pinned::RULE,
    &missing_resource_limits::RULE,
    &no_seccomp_profile::RULE,
    &privileged_container::RULE,
    &secret_in_env_literal::RULE,
];

/// The metadata of every Kubernetes rule, in the same order.
pub static METAS: &[&RuleMeta] = &[
    &host_namespaces::META,
    &host_path_mount::META,
    &image_not_pinned::META,
    &missing_resource_limits::META,
    &no_seccomp_profile::META,
    &privileged_container::META,
    &secret_in_env_literal::META,
];
