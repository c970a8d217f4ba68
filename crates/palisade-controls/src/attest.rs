//! What every `controls/` rule checks of its record: that it exists (else the recommendation
//! needs attestation: an info finding on the repository), that each date it must carry is
//! there, not in the future and not older than `max-age-days`, and that each document it
//! names exists. Failing findings point at the key's line in the configuration file.

use crate::records::{Kind, Record, Records};
use palisade_core::date::Date;
use palisade_core::{Finding, Location, Place, RuleMeta, Severity, Span};
use std::path::Path;

/// What the rules read: the records, and where the configuration file is.
pub struct Attestations<'a> {
    pub records: &'a Records,
    /// The configuration file as reports name it (relative to the scan root when inside it).
    pub shown_path: &'a str,
    /// The configuration file's text, for the lines findings show.
    pub text: &'a str,
    /// The folder referenced files are relative to (the configuration file's).
    pub base_dir: &'a Path,
    pub today: Date,
}

impl Attestations<'_> {
    /// The findings of the rule `meta` about the record of `kind`.
    pub fn check(&self, meta: &'static RuleMeta, kind: Kind) -> Vec<Finding> {
        let table = kind.table();
        let Some(record) = self.records.get(kind) else {
            return vec![
                Finding::in_repository(
                    meta,
                    format!(
                        "needs attestation: nothing recorded for {table} (add `[controls.{table}]` to palisade.toml)"
                    ),
                )
                .with_severity(Severity::Info),
            ];
        };
        let mut out = Vec::new();
        for key in kind.required_dates() {
            if !record.dates.iter().any(|d| d.key == *key) {
                out.push(self.at(
                    meta,
                    record.line,
                    format!("`[controls.{table}]` records no `{key}` date"),
                ));
            }
        }
        for key in kind.required_files() {
            if !record.files.iter().any(|f| f.key == *key) {
                out.push(self.at(
                    meta,
                    record.line,
                    format!("`[controls.{table}]` names no `{key}`"),
                ));
            }
        }
        out.extend(self.dates(meta, record));
        for file in &record.files {
            if !self.base_dir.join(&file.path).is_file() {
                out.push(self.at(
                    meta,
                    file.line,
                    format!(
                        "`{}` names `{}`, which does not exist (paths are relative to palisade.toml's folder)",
                        file.key, file.path
                    ),
                ));
            }
        }
        out
    }

    fn dates(&self, meta: &'static RuleMeta, record: &Record) -> Vec<Finding> {
        let today = self.today.days_since_epoch();
        let mut out = Vec::new();
        for dated in &record.dates {
            let age = today - dated.date.days_since_epoch();
            if age < 0 {
                out.push(self.at(
                    meta,
                    dated.line,
                    format!(
                        "`{}` is {}, after today ({}): a date that has not come yet attests nothing",
                        dated.key, dated.date, self.today
                    ),
                ));
            } else if age > i64::from(record.max_age_days) {
                out.push(self.at(
                    meta,
                    dated.line,
                    format!(
                        "`{}` is {}, {age} days ago: older than max-age-days ({})",
                        dated.key, dated.date, record.max_age_days
                    ),
                ));
            }
        }
        out
    }

    /// A failing finding on a line of the configuration file, with the line's text.
    fn at(&self, meta: &'static RuleMeta, line: u32, message: String) -> Finding {
        let text = self
            .text
            .lines()
            .nth(line.saturating_sub(1) as usize)
            .unwrap_or("");
        let span = Span {
            start_line: line,
            start_column: 1,
            end_line: line,
            end_column: text.trim_end().chars().count() as u32 + 1,
        };
        let mut finding = Finding::at(
            meta,
            Place::File(Location {
                path: self.shown_path.to_string(),
                span,
            }),
            message,
        );
        finding.content = Some(text.to_string());
        finding
    }
}
