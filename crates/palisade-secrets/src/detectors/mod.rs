//! The detector table: every secret palisade looks for, as data. Each entry is a
//! [`Detector`]: its rule id slug, keywords for the prefilter, a pattern, an entropy floor, a
//! validator and an invented example. The entries are grouped by provider family in the
//! files below only to keep each file readable; [`DETECTORS`] is the one table.
//!
//! Patterns use ASCII classes (`\b`, `\w`, `(?i)` are ASCII-only: the matcher is built
//! without Unicode, so non-ASCII text costs nothing). The group `secret` is the secret.

mod cloud;
mod code_hosting;
mod generic;
mod keys;
mod services;
mod tools;

use crate::table::Detector;
use std::sync::LazyLock;

/// Every detector, in a fixed order: provider-specific groups first.
pub static DETECTORS: LazyLock<Vec<&'static Detector>> = LazyLock::new(|| {
    [
        cloud::DETECTORS,
        code_hosting::DETECTORS,
        services::DETECTORS,
        tools::DETECTORS,
        keys::DETECTORS,
        generic::DETECTORS,
    ]
    .into_iter()
    .flatten()
    .collect()
});
