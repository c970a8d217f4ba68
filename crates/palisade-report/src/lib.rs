//! Renderers of one report model: human text, versioned JSON and SARIF 2.1.0.

pub mod json;
pub mod sarif;
pub mod text;

pub use text::TextOptions;
