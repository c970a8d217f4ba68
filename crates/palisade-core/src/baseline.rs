//! Baselines: the fingerprints of findings a team has already seen, so that a scan can report
//! only what is new (`palisade baseline` writes one, `palisade scan --baseline FILE` reads it).

use crate::finding::ReportedFinding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The file format, versioned like the JSON report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub tool: String,
    pub findings: Vec<BaselineEntry>,
}

/// One recorded finding. Only the fingerprint is matched; rule, path and line make the file
/// readable in a code review.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule_id: String,
    pub path: String,
    pub line: u32,
    /// The kind of place when it is not a file region (`path`, `repository`, `target`,
    /// `commit`); then `path` holds the folder, `repository` or the target, and `line` is 0
    /// where the place has no lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("baseline {path} is not a palisade baseline: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("baseline {path} has version {version}; this palisade reads version 1")]
    Version { path: String, version: u32 },
}

impl Baseline {
    pub const VERSION: u32 = 1;

    pub fn from_findings(findings: &[ReportedFinding]) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule_id.clone(),
                path: f.location.display_path(),
                line: f.location.span().map_or(0, |s| s.start_line),
                kind: (f.location.kind() != "file").then(|| f.location.kind().to_string()),
            })
            .collect();
        entries.sort_by(|a, b| (&a.path, a.line, &a.rule_id).cmp(&(&b.path, b.line, &b.rule_id)));
        Baseline {
            version: Baseline::VERSION,
            tool: format!("palisade {}", env!("CARGO_PKG_VERSION")),
            findings: entries,
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: shown.clone(),
            source,
        })?;
        let baseline: Baseline =
            serde_json::from_str(&text).map_err(|source| BaselineError::Parse {
                path: shown.clone(),
                source,
            })?;
        if baseline.version != Baseline::VERSION {
            return Err(BaselineError::Version {
                path: shown,
                version: baseline.version,
            });
        }
        Ok(baseline)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    pub fn fingerprints(&self) -> BTreeSet<&str> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect()
    }
}
