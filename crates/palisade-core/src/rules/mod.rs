//! palisade's own rules, about the suppressions in scanned files. They are not about the
//! product's security directly, but about keeping the record of accepted risks honest.
//!
//! A rule is registered by its one line below (see `register_rules!`).

crate::register_rules! {
    /// Every rule of the `palisade` domain.
    pub static RULES: [RuleMeta] = [
        expired_suppression,
        unused_suppression,
    ];
}
