//! Renderers of one report model: human text, versioned JSON, SARIF 2.1.0, Markdown
//! (pull-request comments and GitHub step summaries) and a self-contained HTML page.

pub mod defectdojo;
pub mod html;
pub mod json;
pub mod markdown;
pub mod merge;
pub mod sarif;
pub mod text;

pub use html::HtmlOptions;
pub use markdown::MarkdownOptions;
pub use text::TextOptions;
