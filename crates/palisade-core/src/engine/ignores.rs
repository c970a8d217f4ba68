//! Central suppressions: the `[[ignore]]` entries of `palisade.toml`, matched against every
//! reported finding once its fingerprint is known. Like inline suppressions, an entry that
//! hides nothing or has expired is reported itself, at its line in the configuration file.

use crate::config::{Config, IgnoreEntry};
use crate::date::Date;
use crate::finding::{Finding, Location, Place, ReportedFinding, Span};
use crate::rules::{expired_suppression, unused_suppression};
use globset::{Glob, GlobMatcher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The entries of one scan, compiled once, each remembering whether it hid something.
pub(crate) struct Ignores<'a> {
    entries: Vec<Compiled<'a>>,
}

struct Compiled<'a> {
    entry: &'a IgnoreEntry,
    path: Option<GlobMatcher>,
    expired: bool,
    until: Option<Date>,
    used: AtomicBool,
}

impl<'a> Ignores<'a> {
    pub(crate) fn new(config: &'a Config, today: Date) -> Ignores<'a> {
        let entries = config
            .ignore_entries()
            .map(|entry| {
                let until = entry.until.as_deref().and_then(Date::parse);
                Compiled {
                    entry,
                    // Validated when the configuration was read; an invalid glob matches
                    // nothing rather than everything.
                    path: entry
                        .path
                        .as_deref()
                        .and_then(|g| Glob::new(g).ok())
                        .map(|g| g.compile_matcher()),
                    expired: until.is_some_and(|u| u < today),
                    until,
                    used: AtomicBool::new(false),
                }
            })
            .collect();
        Ignores { entries }
    }

    /// Whether an unexpired entry hides `finding` (and marks that entry used).
    pub(crate) fn hides(&self, finding: &ReportedFinding) -> bool {
        for c in &self.entries {
            if c.expired || c.entry.rule != finding.rule_id {
                continue;
            }
            let matched = if let Some(glob) = &c.path {
                finding.location.path().is_some_and(|p| glob.is_match(p))
            } else if let Some(target) = &c.entry.target {
                matches!(&finding.location, Place::Target(t) if same_target(t, target))
            } else {
                c.entry.fingerprint.as_deref() == Some(finding.fingerprint.as_str())
            };
            if matched {
                c.used.store(true, Ordering::Relaxed);
                return true;
            }
        }
        false
    }

    /// Findings of palisade's own rules for entries that expired or hid nothing, located at
    /// the entry's line in the configuration file (`config_path`, as reports show it).
    pub(crate) fn leftovers(&self, config_path: &str, config_text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        for c in &self.entries {
            let line = c.entry.line.max(1);
            let finding = if c.expired {
                expired_suppression::finding(Span::line(line), c.until, None)
            } else if !c.used.load(Ordering::Relaxed) {
                unused_suppression::finding(Span::line(line), &c.entry.rule, true)
            } else {
                continue;
            };
            let text = config_text.lines().nth(line as usize - 1).unwrap_or("");
            let mut finding = finding.with_content(text);
            finding.location = Place::File(Location {
                path: config_path.to_string(),
                span: Span {
                    start_line: line,
                    start_column: 1,
                    end_line: line,
                    end_column: text.trim_end().chars().count() as u32 + 1,
                },
            });
            out.push(finding);
        }
        out
    }
}

/// Targets compare without a trailing slash (`https://a.example` is `https://a.example/`).
fn same_target(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// How reports name the configuration file: relative to the first scan root when it lies
/// inside it (with the root's prefix when several roots are scanned), as given otherwise.
pub(crate) fn config_display_path(config: &Path, roots: &[PathBuf], several: bool) -> String {
    let shown = || config.to_string_lossy().replace('\\', "/");
    let (Ok(abs), Some(root)) = (config.canonicalize(), roots.first()) else {
        return shown();
    };
    let Ok(root_abs) = root.canonicalize() else {
        return shown();
    };
    let base = if root_abs.is_file() {
        root_abs.parent().map(Path::to_path_buf).unwrap_or(root_abs)
    } else {
        root_abs
    };
    match abs.strip_prefix(&base) {
        Ok(rel) => {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if several {
                format!("{}/{rel}", super::display_root(root))
            } else {
                rel
            }
        }
        Err(_) => shown(),
    }
}
