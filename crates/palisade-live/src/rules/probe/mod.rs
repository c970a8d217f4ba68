//! The HTTP/TLS probe's rules (`palisade probe`).

palisade_core::register_rules! {
    /// The metadata of every `probe/` rule.
    pub static METAS: [RuleMeta] = [
        no_https_redirect,
        missing_hsts,
        missing_csp,
        weak_csp,
        missing_content_type_options,
        missing_frame_protection,
        weak_referrer_policy,
        insecure_cookie,
        permissive_cors,
        server_version_disclosure,
        certificate_untrusted,
        certificate_expired,
        certificate_hostname_mismatch,
        certificate_weak_key,
        certificate_weak_signature,
        legacy_tls_version,
    ];
}
