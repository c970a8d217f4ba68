//! The HTML report: one self-contained file for security leads and auditors.
//!
//! - Nothing is fetched from anywhere: the style sheet and the script are inline, the charts
//!   are inline SVG drawn here, there are no fonts or images to load.
//! - A strict Content Security Policy in a `<meta>` tag (`default-src 'none'`) allows only
//!   this page's own style sheet and script, by their SHA-256 hashes computed when the page is
//!   rendered. Text from scanned files is escaped by askama (the templates are compile-time
//!   checked, HTML-escaped by default) and bidirectional and other invisible control
//!   characters are shown as `⟨U+202E⟩`; even if some text escaped that, the policy would
//!   refuse to run it.
//! - Readable without JavaScript: the overview, the charts and the findings (grouped by
//!   severity) are plain HTML. The script only adds the filter, the search and regrouping.
//!
//! The page is built from the same report model as the other formats. Optional sections
//! (the organisation view of `report merge`, the endpoint and RBAC matrices, the coverage
//! ledger) are rendered when [`HtmlOptions`] carries them.

mod chart;
mod doc;
mod model;
#[cfg(test)]
mod tests;

pub use chart::{Bar, Chart};
pub use model::{LedgerRow, LedgerView, Matrix, RepositoryRow};

use crate::markdown::Gate;
use askama::Template;
use model::Page;
use palisade_core::Report;
use sha2::{Digest, Sha256};

/// The page's style sheet, inline and allowed by its hash.
pub const STYLE: &str = include_str!("report.css");
/// The page's script (filter, search, regrouping), inline and allowed by its hash.
pub const SCRIPT: &str = include_str!("report.js");

/// What to render besides the report itself.
#[derive(Clone, Debug, Default)]
pub struct HtmlOptions {
    /// The page title; `palisade report` by default.
    pub title: Option<String>,
    /// The gate, when known: the overview says whether the run fails CI.
    pub gate: Option<Gate>,
    /// The scan was given a baseline: the findings are the new ones.
    pub baseline: bool,
    /// Per-repository totals (the organisation view of `report merge`).
    pub repositories: Vec<RepositoryRow>,
    /// The coverage ledger per policy recommendation, when the report model has one.
    pub ledger: Option<LedgerView>,
    /// Extra tables: the endpoint matrix (`endpoints`), the RBAC matrix (`rbac`).
    pub matrices: Vec<Matrix>,
    /// Totals over time, new and fixed findings, ledger changes (`report merge` given
    /// reports of several dates); shown when some repository has two reports.
    pub trends: Option<crate::trends::Trends>,
    /// Only the tables: no overview, findings, rules or notices (`rbac`/`endpoints --format html`).
    pub tables_only: bool,
}

pub fn render(report: &Report, options: &HtmlOptions) -> String {
    let page = Page::build(report, options);
    // Rendering a template into a String cannot fail for our own types; an empty report
    // page would still be better than a panic.
    page.render().unwrap_or_default()
}

/// A page of tables only (the RBAC matrix, the endpoint matrix), with the same style sheet,
/// policy and escaping as the report.
pub fn render_tables(title: &str, matrices: Vec<Matrix>) -> String {
    let empty = Report {
        roots: Vec::new(),
        findings: Vec::new(),
        diagnostics: Vec::new(),
        rules: Vec::new(),
        stats: Default::default(),
        coverage: Default::default(),
    };
    render(
        &empty,
        &HtmlOptions {
            title: Some(title.to_string()),
            matrices,
            tables_only: true,
            ..HtmlOptions::default()
        },
    )
}

/// `'sha256-…'`: the CSP source expression allowing exactly this inline text.
pub fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

/// The page's Content-Security-Policy: nothing but its own style sheet and script.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    )
}

/// Standard base64 with padding (RFC 4648 §4), for CSP hashes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Text from scanned input made safe to look at: bidirectional overrides and isolates,
/// zero-width and other control characters (which could make a snippet read differently
/// from what it is) are shown as `⟨U+XXXX⟩`. Tabs and newlines stay. HTML escaping is
/// askama's job, not this function's.
pub fn visible(text: &str) -> String {
    if !text.chars().any(is_hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}'
        | '\u{061C}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
        || (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}
