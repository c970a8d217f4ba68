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

/// Where a finding is. Most findings are about a region of a file; others are about a whole
/// file or folder ("no Content Security Policy anywhere in `frontend/`"), the repository as a
/// whole ("no incident response plan"), a live target (`https://shop.example`,
/// `mysql://app@db:3306`) or a region of a file as it was in a commit (a secret in history).
///
/// Each kind has its own fingerprint recipe (see `fingerprint.rs`) and its own rendering in
/// every output format.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Place {
    /// A region of a file of the scan.
    File(Location),
    /// A whole file or folder, relative to the scan root (a folder without a trailing `/`).
    Path(String),
    /// The repository (the scan's roots) as a whole.
    Repository,
    /// A live target, written as the user named it: an URL or `mysql://user@host:port`.
    Target(String),
    /// A region of a file as it was in a commit.
    Commit { commit: String, location: Location },
}

impl Place {
    /// The kind's name in reports: `file`, `path`, `repository`, `target` or `commit`.
    pub fn kind(&self) -> &'static str {
        match self {
            Place::File(_) => "file",
            Place::Path(_) => "path",
            Place::Repository => "repository",
            Place::Target(_) => "target",
            Place::Commit { .. } => "commit",
        }
    }

    /// The file or folder the place is in, if it has one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Place::File(l) | Place::Commit { location: l, .. } => Some(&l.path),
            Place::Path(p) => Some(p),
            Place::Repository | Place::Target(_) => None,
        }
    }

    /// What a baseline records as the place's path: the path, the target, or `repository`.
    pub fn display_path(&self) -> String {
        match self {
            Place::Target(t) => t.clone(),
            Place::Repository => "repository".to_string(),
            other => other.path().unwrap_or_default().to_string(),
        }
    }

    /// The region, for places that have one.
    pub fn span(&self) -> Option<Span> {
        match self {
            Place::File(l) | Place::Commit { location: l, .. } => Some(l.span),
            _ => None,
        }
    }

    /// The first line of the region, 0 for places without lines.
    pub fn line(&self) -> u32 {
        self.span().map_or(0, |s| s.start_line)
    }

    /// The file region of a finding in a file of the scan.
    pub fn file(&self) -> Option<&Location> {
        match self {
            Place::File(l) => Some(l),
            _ => None,
        }
    }

    /// A short human form: `a.py:3`, `frontend/`, `repository`, the target, or
    /// `commit 1a2b3c4d a.py:3`.
    pub fn display(&self) -> String {
        match self {
            Place::File(l) => format!("{}:{}", l.path, l.span.start_line),
            Place::Path(p) => p.clone(),
            Place::Repository => "repository".to_string(),
            Place::Target(t) => t.clone(),
            Place::Commit { commit, location } => format!(
                "commit {} {}:{}",
                &commit[..commit.len().min(12)],
                location.path,
                location.span.start_line
            ),
        }
    }

    /// The order reports use: files first (by path and position), then paths, commits,
    /// targets and the repository.
    pub fn sort_key(&self) -> (u8, &str, &str, u32, u32) {
        let span = self.span().unwrap_or(Span::line(0));
        match self {
            Place::File(l) => (0, &l.path, "", span.start_line, span.start_column),
            Place::Path(p) => (1, p, "", 0, 0),
            Place::Commit { commit, location } => (
                2,
                &location.path,
                commit,
                span.start_line,
                span.start_column,
            ),
            Place::Target(t) => (3, t, "", 0, 0),
            Place::Repository => (4, "", "", 0, 0),
        }
    }
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

/// What a rule emits: one hazard, where it is, and how sure the rule is. The engine turns it
/// into a [`ReportedFinding`] (path completed, suppressions and configuration applied,
/// snippet and fingerprint computed); renderers never see this type.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub message: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub location: Place,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    /// Parts of the primary span's lines that hold a secret: the engine masks them in the
    /// snippet (and so in every report and fingerprint), because palisade never prints a
    /// found secret in full.
    pub secrets: Vec<Span>,
    /// The content that identifies the finding where the engine cannot read it from a file
    /// of the scan (a commit's line, a live response): shown as the snippet and hashed into
    /// the fingerprint. For a commit it holds the lines of the span, first line first.
    pub content: Option<String>,
    /// The finding only says that a secret is there (the secrets analyzer's detectors):
    /// where another rule's finding in the same file declares an overlapping secret span, the
    /// engine keeps that one, unless this one is surer (see
    /// [`Finding::reporting_only_a_secret`]).
    pub only_a_secret: bool,
    /// Facts about the finding as named values, for machines (the JSON report's
    /// `properties`): a vulnerable package's name, version, advisory ids and fixed versions.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

impl Finding {
    /// Starts a finding of `rule` at `span` of the file being checked. The path, snippet and
    /// fingerprint are filled in by the engine, which knows the file; everything else comes
    /// from the rule's metadata and can be refined with the `with_*` methods.
    pub fn new(rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> Finding {
        Finding::at(
            rule,
            Place::File(Location {
                path: String::new(),
                span,
            }),
            message,
        )
    }

    /// Starts a finding at any kind of place.
    pub fn at(rule: &'static RuleMeta, place: Place, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            message: message.into(),
            severity: rule.severity,
            confidence: rule.confidence,
            location: place,
            related: Vec::new(),
            fix: None,
            secrets: Vec::new(),
            content: None,
            only_a_secret: false,
            properties: serde_json::Map::new(),
        }
    }

    /// A finding about a whole file or folder (relative to the scan root).
    pub fn in_path(
        rule: &'static RuleMeta,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::at(rule, Place::Path(path.into()), message)
    }

    /// A finding about the repository as a whole.
    pub fn in_repository(rule: &'static RuleMeta, message: impl Into<String>) -> Finding {
        Finding::at(rule, Place::Repository, message)
    }

    /// A finding about a live target (an URL, `mysql://user@host:port`).
    pub fn at_target(
        rule: &'static RuleMeta,
        target: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::at(rule, Place::Target(target.into()), message)
    }

    /// A finding in a file as it was in `commit`; `content` is the text of the span's lines
    /// (the engine cannot read old revisions), masked by `with_secret` spans like a snippet.
    pub fn in_commit(
        rule: &'static RuleMeta,
        commit: impl Into<String>,
        location: Location,
        content: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        let mut finding = Finding::at(
            rule,
            Place::Commit {
                commit: commit.into(),
                location,
            },
            message,
        );
        finding.content = Some(content.into());
        finding
    }

    /// The id of the rule that reported it.
    pub fn rule_id(&self) -> &'static str {
        self.rule.id
    }

    /// Puts a file finding in a named file (project-level checks, which see many files).
    pub fn with_path(mut self, path: impl Into<String>) -> Finding {
        match &mut self.location {
            Place::File(l) | Place::Commit { location: l, .. } => l.path = path.into(),
            Place::Path(p) => *p = path.into(),
            Place::Repository | Place::Target(_) => {}
        }
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

    /// Sets the content that identifies a finding that has no line of a scanned file (see
    /// [`Finding::content`]); for a path, repository or target finding it replaces the
    /// message in the fingerprint, so a message that carries counts can change freely.
    pub fn with_content(mut self, content: impl Into<String>) -> Finding {
        self.content = Some(content.into());
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

    /// Declares that the finding reports nothing but the secrets it marks: one secret is
    /// reported once, so another rule's finding on the same secret (which says more: the
    /// setting, the manifest field) is kept instead, unless this one is surer.
    pub fn reporting_only_a_secret(mut self) -> Finding {
        self.only_a_secret = true;
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// Adds a named fact for machines (see [`Finding::properties`]).
    pub fn with_property(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Finding {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// The order findings are processed in: by place, then rule id and message.
    pub fn sort_key(&self) -> ((u8, &str, &str, u32, u32), &str, &str) {
        (self.location.sort_key(), self.rule.id, &self.message)
    }
}

/// A finding as the result cache stores it: its rule by id.
#[derive(Serialize, Deserialize)]
struct StoredFinding {
    rule: String,
    message: String,
    severity: Severity,
    confidence: Confidence,
    location: Place,
    #[serde(default)]
    related: Vec<Related>,
    #[serde(default)]
    fix: Option<Fix>,
    #[serde(default)]
    secrets: Vec<Span>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    only_a_secret: bool,
    #[serde(default)]
    properties: serde_json::Map<String, serde_json::Value>,
}

thread_local! {
    /// The rules a finding being decoded may name (see [`with_rules`]).
    static DECODING_RULES: std::cell::Cell<&'static [&'static RuleMeta]> =
        const { std::cell::Cell::new(&[]) };
}

/// Runs `decode` with `rules` as the rules that decoded findings may name: a finding is
/// stored with its rule's id, and a rule must be found again by id (an id not among them
/// fails the decoding, as a stored entry of another palisade would).
pub fn with_rules<T>(rules: &'static [&'static RuleMeta], decode: impl FnOnce() -> T) -> T {
    let before = DECODING_RULES.with(|r| r.replace(rules));
    let result = decode();
    DECODING_RULES.with(|r| r.set(before));
    result
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredFinding {
            rule: self.rule.id.to_string(),
            message: self.message.clone(),
            severity: self.severity,
            confidence: self.confidence,
            location: self.location.clone(),
            related: self.related.clone(),
            fix: self.fix.clone(),
            secrets: self.secrets.clone(),
            content: self.content.clone(),
            only_a_secret: self.only_a_secret,
            properties: self.properties.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Finding, D::Error> {
        let stored = StoredFinding::deserialize(deserializer)?;
        let rule = DECODING_RULES
            .with(|r| r.get().iter().copied().find(|m| m.id == stored.rule))
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{}`", stored.rule)))?;
        Ok(Finding {
            rule,
            message: stored.message,
            severity: stored.severity,
            confidence: stored.confidence,
            location: stored.location,
            related: stored.related,
            fix: stored.fix,
            secrets: stored.secrets,
            content: stored.content,
            only_a_secret: stored.only_a_secret,
            properties: stored.properties,
        })
    }
}

/// A finding as reports show it: the emitted [`Finding`] with its rule's classification, the
/// configured severity, its snippet (secrets masked) and its stable fingerprint. This is the
/// one model every renderer and side command reads.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportedFinding {
    pub rule_id: String,
    pub title: String,
    pub message: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub owasp: Owasp,
    pub cwe: Vec<u32>,
    pub recommendation: Recommendation,
    pub location: Place,
    pub related: Vec<Related>,
    /// The source lines of the primary span (at most a few), secrets masked; empty for a
    /// place without lines.
    pub snippet: String,
    /// Stable across edits elsewhere in the file; see `fingerprint.rs`.
    pub fingerprint: String,
    pub help_uri: String,
    pub fix: Option<Fix>,
    /// Named facts for machines (see [`Finding::properties`]); usually empty.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

impl ReportedFinding {
    /// The reported form of an emitted finding, with the snippet and fingerprint the engine
    /// computed for it.
    pub fn new(finding: Finding, snippet: String, fingerprint: String) -> ReportedFinding {
        let rule = finding.rule;
        ReportedFinding {
            rule_id: rule.id.to_string(),
            title: rule.title.to_string(),
            message: finding.message,
            severity: finding.severity,
            confidence: finding.confidence,
            owasp: rule.owasp,
            cwe: rule.cwe.to_vec(),
            recommendation: rule.recommendation,
            location: finding.location,
            related: finding.related,
            snippet,
            fingerprint,
            help_uri: rule.help_uri(),
            fix: finding.fix,
            properties: finding.properties,
        }
    }

    /// The order every report uses: by place (files first, by path and position), then rule
    /// id and message.
    pub fn sort_key(&self) -> ((u8, &str, &str, u32, u32), &str, &str) {
        (self.location.sort_key(), &self.rule_id, &self.message)
    }
}
