//! The `deps/` rules, one per file, each registered by one line below. Every rule reads the
//! [`Project`]: the inventory of every lockfile, manifest and Dockerfile of the scan, the
//! advisory database when one was given, and the scan's date.

use crate::inventory::FileFacts;
use crate::osv::Database;
use palisade_core::date::Date;
use palisade_core::{Finding, ProjectContext, RuleMeta};

palisade_core::register_rules! {
    /// The metadata of every rule of this crate.
    pub static METAS: [RuleMeta];
    /// Rules over the whole inventory.
    pub static RULES: [ProjectRule] = [
        vulnerable_dependency,
        end_of_life_runtime,
        unlocked_dependencies,
        base_image_not_pinned,
        outdated_dependency,
    ];
}

/// What every rule reads.
pub struct Project {
    pub files: Vec<FileFacts>,
    /// `None` when no advisory data was given: the vulnerability rule then says it did not
    /// check, never that nothing was found.
    pub db: Option<Database>,
    pub today: Date,
    /// The `[analyzers.deps]` settings of the scan (registry addresses, timeouts).
    pub settings: crate::DepsSettings,
}

/// A rule over the project's inventory.
pub struct ProjectRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Project, &mut ProjectContext<'_>),
}

/// A finding at a line of a file of the inventory.
pub fn at_line(meta: &'static RuleMeta, path: &str, line: u32, message: String) -> Finding {
    Finding::new(meta, palisade_core::Span::line(line.max(1)), message).with_path(path)
}
