//! The `android/` rules, one per file, each registered by one line below.

use crate::rules::{CodeRule, ProjectRule};

palisade_core::register_rules! {
    /// The metadata of every Android rule.
    pub static METAS: [RuleMeta];
    /// Rules over the whole Android project (manifests, Gradle, resources).
    pub static PROJECT_RULES: [ProjectRule] = [
        backup_allowed,
        cleartext_traffic_permitted,
        debuggable_build,
        exported_component_without_permission,
        file_provider_broad_paths,
        network_config_overrides_pins,
        network_config_pin_set,
        network_config_trusts_user_certificates,
        task_affinity_hijacking,
        weak_permission_protection_level,
    ];
    /// Rules over one Java or Kotlin file.
    pub static CODE_RULES: [CodeRule] = [
        broadcast_sensitive_extras,
        command_injection,
        dynamic_receiver_exported,
        hard_coded_crypto_key,
        insecure_random_for_secret,
        path_traversal,
        pending_intent_mutable_implicit,
        sensitive_data_in_cache_or_external_storage,
        sensitive_data_in_shared_preferences,
        sensitive_data_logged,
        sql_injection,
        tls_validation_disabled,
        weak_cipher_mode,
        weak_hash_for_secret,
        webview_debugging_enabled,
        webview_file_url_access,
        webview_javascript_interface,
        webview_loads_untrusted_url,
        world_readable_file,
    ];
}
