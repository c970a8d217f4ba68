//! The `ios/` rules, one per file, each registered by one line below.

use crate::rules::PlistRule;

palisade_core::register_rules! {
    /// The metadata of every iOS rule.
    pub static METAS: [RuleMeta];
    /// Rules over one plist (Info.plist or entitlements; each rule says which).
    pub static PLIST_RULES: [PlistRule] = [
        ats_arbitrary_loads,
        ats_insecure_http_exception,
        ats_weak_tls_version,
        custom_url_scheme,
        entitlement_get_task_allow,
        hardened_runtime_exception,
        sandbox_temporary_exception,
    ];
}
