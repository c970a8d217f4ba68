//! The Kubernetes rules, one per file, registered here in one explicit list.

pub mod apiserver_anonymous_auth;
pub mod apiserver_audit_log_disabled;
pub mod apiserver_authorization_always_allow;
pub mod apiserver_encryption_at_rest_disabled;
pub mod apiserver_insecure_port;
pub mod control_plane_bound_to_all_interfaces;
pub mod control_plane_profiling_enabled;
pub mod etcd_client_auth_disabled;
pub mod kubelet_anonymous_auth;
pub mod kubelet_authorization_always_allow;
pub mod kubelet_read_only_port;
pub mod privileged_container;
pub mod weak_tls_min_version;

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
    &apiserver_anonymous_auth::RULE,
    &apiserver_audit_log_disabled::RULE,
    &apiserver_authorization_always_allow::RULE,
    &apiserver_encryption_at_rest_disabled::RULE,
    &apiserver_insecure_port::RULE,
    &control_plane_bound_to_all_interfaces::RULE,
    &control_plane_profiling_enabled::RULE,
    &etcd_client_auth_disabled::RULE,
    &kubelet_anonymous_auth::RULE,
    &kubelet_authorization_always_allow::RULE,
    &kubelet_read_only_port::RULE,
    &privileged_container::RULE,
    &weak_tls_min_version::RULE,
];

/// The metadata of every Kubernetes rule, in the same order.
pub static METAS: &[&RuleMeta] = &[
    &apiserver_anonymous_auth::META,
    &apiserver_audit_log_disabled::META,
    &apiserver_authorization_always_allow::META,
    &apiserver_encryption_at_rest_disabled::META,
    &apiserver_insecure_port::META,
    &control_plane_bound_to_all_interfaces::META,
    &control_plane_profiling_enabled::META,
    &etcd_client_auth_disabled::META,
    &kubelet_anonymous_auth::META,
    &kubelet_authorization_always_allow::META,
    &kubelet_read_only_port::META,
    &privileged_container::META,
    &weak_tls_min_version::META,
];
