//! The database audit's rules (`palisade mysql`).

palisade_core::register_rules! {
    /// The metadata of every `mysql-server/` rule.
    pub static METAS: [RuleMeta] = [
        empty_password,
        anonymous_account,
        remote_root,
        global_admin_privilege,
        application_ddl_privilege,
        wildcard_host,
        insecure_auth_plugin,
        local_infile_enabled,
        secure_file_priv_empty,
        tls_not_offered,
        legacy_tls_version,
        secure_transport_not_required,
        unsupported_version,
        test_database,
    ];
}
