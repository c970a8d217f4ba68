//! The finding model: what a rule reports, where, and how sure it is.

use crate::rule::RuleMeta;
use crate::taxonomy::{Owasp, Recommendation};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad the hazard is if the finding is true. Ordered from least to most severe.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Most severe first, the order reports use.
    pub const DESCENDING: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(format!(
                "unknown severity `{s}` (expected critical, high, medium, low or info)"
            )),
        }
    }
}

/// How sure the rule is that the finding is a true positive. Ordered from least to most sure.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            _ => Err(format!(
                "unknown confidence `{s}` (expected high, medium or low)"
            )),
        }
    }
}

/// A region of one file. Lines and columns are 1-based; columns count Unicode scalar values
/// (characters); `end_column` is exclusive, as in SARIF.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct Span {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    /// A span covering a whole line (column 1 to the line's end is filled in by the engine
    /// when it knows the text; here the end column is left at 1).
    pub fn line(line: u32) -> Span {
        Span {
            start_line: line,
            start_column: 1,
            end_line: line,
            end_column: 1,
        }
    }
}

/// A span in a named file. `path` is relative to the scan root, with `/` separators.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    #[serde(flatten)]
    pub span: Span,
}

/// A secondary location that explains a finding (where a value came from, the binding that
/// grants a permission, …).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// A suggested edit: replace the text of `span` (in the finding's file) with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub description: String,
    pub span: Span,
    pub replacement: String,
}

/// One reported hazard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub title: String,
    pub message: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub owasp: Owasp,
    pub cwe: Vec<u32>,
    pub recommendation: Recommendation,
    pub location: Location,
    pub related: Vec<Related>,
    /// The source lines of the primary span (at most a few), filled in by the engine.
    pub snippet: String,
    /// Stable across edits elsewhere in the file; see `fingerprint.rs`.
    pub fingerprint: String,
    pub help_uri: String,
    pub fix: Option<Fix>,
    /// Parts of the primary span's lines that hold a secret: the engine masks them in the
    /// snippet (and so in every report and fingerprint), because palisade never prints a
    /// found secret in full.
    #[serde(skip)]
    pub secrets: Vec<Span>,
}

impl Finding {
    /// Starts a finding of `rule` at `span` of the file being checked. The path, snippet and
    /// fingerprint are filled in by the engine, which knows the file; everything else comes
    /// from the rule's metadata and can be refined with the `with_*` methods.
    pub fn new(rule: &RuleMeta, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            rule_id: rule.id.to_string(),
            title: rule.title.to_string(),
            message: message.into(),
            severity: rule.severity,
            confidence: rule.confidence,
            owasp: rule.owasp,
            cwe: rule.cwe.to_vec(),
            recommendation: rule.recommendation,
            location: Location {
                path: String::new(),
                span,
            },
            related: Vec::new(),
            snippet: String::new(),
            fingerprint: String::new(),
            help_uri: rule.help_uri(),
            fix: None,
            secrets: Vec::new(),
        }
    }

    /// Puts the finding in a named file (project-level checks, which see many files).
    pub fn with_path(mut self, path: impl Into<String>) -> Finding {
        self.location.path = path.into();
        self
    }

    pub fn with_confidence(mut self, confidence: Confidence) -> Finding {
        self.confidence = confidence;
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// Adds a related location in the same file as the finding.
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.related.push(Related {
            location: Location {
                path: String::new(),
                span,
            },
            message: message.into(),
        });
        self
    }

    /// Adds a related location in another file (path relative to the scan root).
    pub fn with_related_in(mut self, location: Location, message: impl Into<String>) -> Finding {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// Marks a region (on the finding's lines) as a secret to mask in the snippet.
    pub fn with_secret(mut self, span: Span) -> Finding {
        self.secrets.push(span);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// The order every report uses: by path, position, then rule id and message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.location.path,
            self.location.span.start_line,
            self.location.span.start_column,
            &self.rule_id,
            &self.message,
        )
    }
}
