//! One registration line per rule.
//!
//! A rule is its file (documentation, `META`, and the domain's rule value `RULE`) plus one
//! line in its crate's `src/rules/mod.rs`, inside a [`register_rules!`] list. The macro writes
//! the `pub mod` declaration and every list the crate needs from that one line, so no two
//! hand-kept lists can drift apart.
//!
//! [`register_rules!`]: crate::register_rules

/// Declares a crate's rule modules and the static lists built from them.
///
/// Every name is a module `src/rules/<name>.rs` that defines `pub static META: RuleMeta` and,
/// in a typed list, `pub static RULE: <type>`. The first line names the list of every rule's
/// metadata; each following list takes the `RULE` value of the modules written in it, so a
/// rule's kind is said once, by the list it is written in.
///
/// ```ignore
/// palisade_core::register_rules! {
///     /// The metadata of every rule of this crate.
///     pub static METAS: [RuleMeta];
///     /// Rules that check one file at a time.
///     pub static RULES: [FileRule] = [
///         debug_mode_enabled,
///         sql_injection,
///     ];
///     /// Rules that look at the whole project.
///     pub static PROJECT_RULES: [ProjectRule] = [
///         api_key_without_scopes,
///     ];
/// }
/// ```
///
/// A crate whose rules have no value beyond their metadata writes only the first list, with
/// its modules: `pub static RULES: [RuleMeta] = [expired_suppression, unused_suppression];`.
#[macro_export]
macro_rules! register_rules {
    (
        $(#[$metas_attr:meta])*
        $metas_vis:vis static $metas:ident : [RuleMeta] = [ $($module:ident),* $(,)? ];
    ) => {
        $( pub mod $module; )*

        $(#[$metas_attr])*
        $metas_vis static $metas: &[&$crate::RuleMeta] = &[ $( &$module::META, )* ];
    };
    (
        $(#[$metas_attr:meta])*
        $metas_vis:vis static $metas:ident : [RuleMeta];
        $(
            $(#[$list_attr:meta])*
            $list_vis:vis static $list:ident : [$rule_type:ty] = [ $($module:ident),* $(,)? ];
        )+
    ) => {
        $( $( pub mod $module; )* )+

        $(#[$metas_attr])*
        $metas_vis static $metas: &[&$crate::RuleMeta] = &[ $( $( &$module::META, )* )+ ];

        $(
            $(#[$list_attr])*
            $list_vis static $list: &[&$rule_type] = &[ $( &$module::RULE, )* ];
        )+
    };
}
