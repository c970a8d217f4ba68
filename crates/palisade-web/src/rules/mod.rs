//! The web rules, one per file, each registered by one line below. The CSP rules share one
//! check (the engine in [`crate::csp`] evaluates a set of policies once); each issue kind
//! maps to its rule through [`meta_of`].

use crate::csp::Check;
use palisade_core::RuleMeta;

palisade_core::register_rules! {
    /// The metadata of every web rule.
    pub static METAS: [RuleMeta];
    /// Rules reported by the CSP evaluation, the HTML pass or the project pass.
    pub static POLICY_RULES: [PolicyRule] = [
        csp_dropped_by_nested_add_header,
        csp_missing_script_restriction,
        csp_unsafe_inline,
        csp_unsafe_eval,
        csp_permissive_script_source,
        csp_bypassable_host,
        csp_missing_object_src,
        csp_missing_base_uri,
        csp_missing_frame_ancestors,
        csp_plain_http_source,
        csp_invalid_directive,
        csp_invalid_source,
        csp_weak_nonce,
        csp_strict_dynamic_without_nonce,
        csp_report_only,
        missing_csp,
        missing_subresource_integrity,
        tls_legacy_protocol,
        tls_weak_cipher,
        http_without_https_redirect,
        missing_hsts,
    ];
    /// Rules that check one script's syntax tree and data flow.
    pub static JS_RULES: [JsRule] = [
        code_injection,
        command_injection,
        dom_xss,
        insecure_cookie,
        message_without_origin_check,
        open_redirect,
        plaintext_http_url,
        reflected_xss,
        sql_injection,
    ];
}

/// A rule whose findings come from a shared pass (the CSP engine, the HTML tag scan, the
/// project pass) rather than a check of its own.
pub struct PolicyRule {
    pub meta: &'static RuleMeta,
}

/// A rule that checks one script (a JS/TS file, an inline `<script>`, an event handler).
pub struct JsRule {
    pub meta: &'static RuleMeta,
    pub check:
        fn(&crate::js::Script<'_>, &palisade_core::SourceFile, &mut palisade_core::FileContext<'_>),
}

/// The rule an issue of the CSP engine is reported under.
pub fn meta_of(check: Check) -> &'static RuleMeta {
    match check {
        Check::MissingScriptRestriction => &csp_missing_script_restriction::META,
        Check::UnsafeInline => &csp_unsafe_inline::META,
        Check::UnsafeEval => &csp_unsafe_eval::META,
        Check::PermissiveScriptSource => &csp_permissive_script_source::META,
        Check::BypassableHost => &csp_bypassable_host::META,
        Check::MissingObjectSrc => &csp_missing_object_src::META,
        Check::MissingBaseUri => &csp_missing_base_uri::META,
        Check::MissingFrameAncestors => &csp_missing_frame_ancestors::META,
        Check::PlainHttpSource => &csp_plain_http_source::META,
        Check::InvalidDirective => &csp_invalid_directive::META,
        Check::InvalidSource => &csp_invalid_source::META,
        Check::WeakNonce => &csp_weak_nonce::META,
        Check::StrictDynamicWithoutNonce => &csp_strict_dynamic_without_nonce::META,
        Check::ReportOnly => &csp_report_only::META,
    }
}
