//! What every `controls/` rule checks of its record: that it exists (else the recommendation
//! needs attestation: an info finding on the repository), that each date it must carry is
//! there, not in the future and not older than `max-age-days`, and that each document it
//! names exists. Failing findings point at the key's line in the configuration file.

use crate::records::{FileRef, Kind, Record, Records};
use palisade_core::date::Date;
use palisade_core::{Finding, Location, Place, RuleMeta, Severity, Span};
use std::path::Path;

/// What the rules read: the records, and where the configuration file is.
pub struct Attestations<'a> {
    pub records: &'a Records,
    /// The configuration file as reports name it (relative to the scan root when inside it).
    pub shown_path: &'a str,
    /// The folder referenced files are relative to (the configuration file's).
    pub base_dir: &'a Path,
    pub today: Date,
}

impl Attestations<'_> {
    /// The findings of the rule `meta` about the record of `kind`; what could not be read
    /// (a malformed roster row) goes to `notices`.
    pub fn check(
        &self,
        meta: &'static RuleMeta,
        kind: Kind,
        notices: &mut Vec<String>,
    ) -> Vec<Finding> {
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
            let path = self.base_dir.join(&file.path);
            if kind == Kind::Training && file.key == "roster" && path.is_file() {
                out.extend(self.roster(meta, record, file, &path, notices));
            }
            if kind == Kind::Vendors && file.key == "inventory" && path.is_file() {
                out.extend(self.inventory(meta, record, file, &path, notices));
            }
            if !path.is_file() {
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

    /// One finding listing everyone whose training is older than `max-age-days` or who was
    /// never trained.
    fn roster(
        &self,
        meta: &'static RuleMeta,
        record: &Record,
        file: &FileRef,
        path: &Path,
        notices: &mut Vec<String>,
    ) -> Option<Finding> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                notices.push(format!(
                    "{}: cannot read the training roster: {e}",
                    file.path
                ));
                return None;
            }
        };
        let (people, problems) = crate::roster::read(&text);
        notices.extend(problems.into_iter().map(|p| format!("{}: {p}", file.path)));
        let today = self.today.days_since_epoch();
        let late: Vec<String> = people
            .iter()
            .filter_map(|person| match person.last_completed {
                None => Some(format!("{} (never)", person.name)),
                Some(date) if today - date.days_since_epoch() > i64::from(record.max_age_days) => {
                    Some(format!("{} ({date})", person.name))
                }
                Some(_) => None,
            })
            .collect();
        (!late.is_empty()).then(|| {
            self.at(
                meta,
                file.line,
                format!(
                    "{} of {} people in `{}` overdue (max-age-days {}) or never trained: {}",
                    late.len(),
                    people.len(),
                    file.path,
                    record.max_age_days,
                    late.join(", ")
                ),
            )
        })
    }

    /// One finding at the `inventory` line naming the vendors whose last assessment is older
    /// than `max-age-days` and the vendors that receive personal data and were never
    /// assessed.
    fn inventory(
        &self,
        meta: &'static RuleMeta,
        record: &Record,
        file: &FileRef,
        path: &Path,
        notices: &mut Vec<String>,
    ) -> Vec<Finding> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                notices.push(format!(
                    "{}: cannot read the vendor inventory: {e}",
                    file.path
                ));
                return Vec::new();
            }
        };
        let (vendors, problems) = crate::vendors::read(&text);
        notices.extend(problems.into_iter().map(|p| format!("{}: {p}", file.path)));
        let today = self.today.days_since_epoch();
        let overdue: Vec<String> = vendors
            .iter()
            .filter_map(|v| {
                let date = v.last_assessment?;
                (today - date.days_since_epoch() > i64::from(record.max_age_days))
                    .then(|| format!("{} ({date})", v.vendor))
            })
            .collect();
        let unassessed: Vec<String> = vendors
            .iter()
            .filter(|v| v.last_assessment.is_none() && v.handles_personal_data())
            .map(|v| format!("{} ({}: {})", v.vendor, v.service, v.data))
            .collect();
        // One finding (two at the same line would be one place): both lists in it.
        let mut parts = Vec::new();
        if !overdue.is_empty() {
            parts.push(format!(
                "{} of {} vendors last assessed more than max-age-days ({}) ago: {}",
                overdue.len(),
                vendors.len(),
                record.max_age_days,
                overdue.join(", ")
            ));
        }
        if !unassessed.is_empty() {
            parts.push(format!(
                "{} vendor{} receiving personal data never assessed (empty last-assessment): {}",
                unassessed.len(),
                if unassessed.len() == 1 { "" } else { "s" },
                unassessed.join(", ")
            ));
        }
        if parts.is_empty() {
            return Vec::new();
        }
        vec![self.at(
            meta,
            file.line,
            format!("`{}`: {}", file.path, parts.join("; ")),
        )]
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
        let text = self.records.line_text(line);
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
