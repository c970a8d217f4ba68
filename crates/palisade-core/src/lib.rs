//! palisade's engine: the finding model, rule metadata, configuration, file discovery,
//! suppressions, baseline and the scan pipeline that runs every analyzer.
//!
//! Analyzer crates depend on this crate and on nothing else of palisade's; the binary wires
//! analyzers and renderers together.

pub mod baseline;
pub mod cache;
pub mod config;
pub mod coverage;
pub mod date;
pub mod diff;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod fingerprint;
pub mod git;
pub mod http_url;
pub mod options;
mod register;
pub mod report;
pub mod rule;
mod rule_set;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod taxonomy;

pub use cache::{FactsCodec, Stash, StashKey};
pub use coverage::{Coverage, CoverageEntry, CoverageNote, CoverageStatus};
pub use engine::{Analyzer, DynAnalyzer, FileContext, ProjectContext, ScanOptions, ScannedPaths};
pub use finding::{Confidence, Finding, Location, Place, Related, ReportedFinding, Severity, Span};
pub use options::OptionsType;
pub use report::{Diagnostic, DiagnosticKind, Report};
pub use rule::{RuleDoc, RuleMeta, renamed_rule};
pub use source::{CommentStyle, CompiledSelector, FileSelector, SourceFile};
pub use taxonomy::{Owasp, Recommendation};
