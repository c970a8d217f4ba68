//! palisade's own rules, about the suppressions in scanned files. They are not about the
//! product's security directly, but about keeping the record of accepted risks honest.

pub mod expired_suppression;
pub mod unused_suppression;

use crate::rule::RuleMeta;

/// Every rule of the `palisade` domain.
pub static RULES: &[&RuleMeta] = &[&expired_suppression::META, &unused_suppression::META];
