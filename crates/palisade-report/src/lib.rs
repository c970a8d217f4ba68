//! Renderers of one report model: human text, versioned JSON, SARIF 2.1.0 and Markdown
//! (pull-request comments and GitHub step summaries).

pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

pub use markdown::MarkdownOptions;
pub use text::TextOptions;
