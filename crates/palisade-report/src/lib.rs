//! Renderers of one report model: human text, versioned JSON, SARIF 2.1.0, Markdown
//! (pull-request comments and GitHub step summaries) and a self-contained HTML page.

pub mod defectdojo;
pub mod html;
pub mod json;
pub mod markdown;
pub mod merge;
pub mod sarif;
pub mod text;
pub mod trends;

use palisade_core::Place;

/// Where a finding is, in one line, for the formats that show it as text: `path:line` (with
/// `:column` when asked), `folder (whole file or folder)`, `the repository as a whole`,
/// `live target URL`, or `path:line in commit abc123def456`.
pub(crate) fn place_in_words(place: &Place, with_column: bool) -> String {
    match place {
        Place::File(l) if with_column => {
            format!("{}:{}:{}", l.path, l.span.start_line, l.span.start_column)
        }
        Place::File(l) => format!("{}:{}", l.path, l.span.start_line),
        Place::Path(p) => format!("{p} (whole file or folder)"),
        Place::Repository => "the repository as a whole".to_string(),
        Place::Target(t) => format!("live target {t}"),
        Place::Commit { commit, location } => format!(
            "{}:{} in commit {}",
            location.path,
            location.span.start_line,
            commit.chars().take(12).collect::<String>()
        ),
    }
}

pub use html::HtmlOptions;
pub use markdown::MarkdownOptions;
pub use text::TextOptions;
