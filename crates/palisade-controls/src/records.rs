//! The control records of `palisade.toml` (`[controls.backup]`, `[controls.training]`, …):
//! what a team attests about its organisational controls, read with the line of every key so
//! that a stale date or a missing document is reported where it is written.
//!
//! The keys are exactly the issue's; an unknown key, a wrong type, a date not written
//! `YYYY-MM-DD` or a `max-age-days` below 1 is a [`RecordError`] with its line, which the
//! binary turns into a configuration error (exit 2) when it reads the file.

use palisade_core::date::Date;
use serde::Deserialize;
use toml::Spanned;

/// The six kinds of record, in the order POLICY.md lists their recommendations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Backup,
    IncidentResponse,
    Training,
    Audits,
    AccessReview,
    Vendors,
}

impl Kind {
    /// The table's name under `[controls.*]`.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Backup => "backup",
            Kind::IncidentResponse => "incident-response",
            Kind::Training => "training",
            Kind::Audits => "audits",
            Kind::AccessReview => "access-review",
            Kind::Vendors => "vendors",
        }
    }

    /// `max-age-days` when the record does not say: a quarter for what drifts fast (restores,
    /// access), a year for the rest.
    pub fn default_max_age_days(self) -> u32 {
        match self {
            Kind::Backup | Kind::AccessReview => 90,
            _ => 365,
        }
    }

    /// The dates a record of this kind must carry.
    pub fn required_dates(self) -> &'static [&'static str] {
        match self {
            Kind::Backup => &["last-restore-test"],
            Kind::IncidentResponse => &["last-review", "last-exercise"],
            Kind::Audits => &["last-audit", "last-pentest"],
            Kind::AccessReview => &["last-review"],
            Kind::Training | Kind::Vendors => &[],
        }
    }

    /// The documents a record of this kind must point to.
    pub fn required_files(self) -> &'static [&'static str] {
        match self {
            Kind::Backup => &["runbook"],
            Kind::IncidentResponse => &["plan"],
            Kind::Training => &["roster"],
            Kind::Vendors => &["inventory"],
            Kind::Audits | Kind::AccessReview => &[],
        }
    }
}

/// A date of a record, with its key and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dated {
    pub key: &'static str,
    pub date: Date,
    pub line: u32,
}

/// A file a record points to (relative to the configuration file's folder), with its key
/// and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRef {
    pub key: &'static str,
    pub path: String,
    pub line: u32,
}

/// One `[controls.<kind>]` table, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub kind: Kind,
    /// The line of the table's header.
    pub line: u32,
    pub max_age_days: u32,
    pub dates: Vec<Dated>,
    pub files: Vec<FileRef>,
}

/// Every record of one configuration file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Records {
    pub records: Vec<Record>,
}

impl Records {
    pub fn get(&self, kind: Kind) -> Option<&Record> {
        self.records.iter().find(|r| r.kind == kind)
    }
}

/// A record that cannot be read, with its place in the configuration text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

#[derive(Deserialize)]
struct FileShape {
    #[serde(default)]
    controls: Option<Spanned<ControlsShape>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ControlsShape {
    backup: Option<Spanned<Backup>>,
    incident_response: Option<Spanned<IncidentResponse>>,
    training: Option<Spanned<Training>>,
    audits: Option<Spanned<Audits>>,
    access_review: Option<Spanned<AccessReview>>,
    vendors: Option<Spanned<Vendors>>,
}

type Text = Option<Spanned<String>>;
type MaxAge = Option<Spanned<i64>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Backup {
    #[allow(dead_code)] // attested scope, not checked
    targets: Option<Vec<String>>,
    #[allow(dead_code)] // attested schedule, not checked
    schedule: Option<String>,
    last_restore_test: Text,
    max_age_days: MaxAge,
    runbook: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct IncidentResponse {
    plan: Text,
    last_review: Text,
    last_exercise: Text,
    max_age_days: MaxAge,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Training {
    roster: Text,
    max_age_days: MaxAge,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Audits {
    last_audit: Text,
    last_pentest: Text,
    reports: Option<Vec<Spanned<String>>>,
    max_age_days: MaxAge,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AccessReview {
    last_review: Text,
    max_age_days: MaxAge,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Vendors {
    inventory: Text,
    max_age_days: MaxAge,
}

/// Reads the `[controls.*]` tables of a configuration file's text (other tables are left to
/// palisade-core's reader).
pub fn parse(text: &str) -> Result<Records, RecordError> {
    let shape: FileShape = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_column(text, s.start)).unzip();
        RecordError {
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let Some(controls) = shape.controls else {
        return Ok(Records::default());
    };
    let controls = controls.into_inner();
    let mut b = Builder {
        text,
        records: Vec::new(),
    };
    if let Some(t) = controls.backup {
        let line = b.line(t.span().start);
        let t = t.into_inner();
        b.record(
            Kind::Backup,
            line,
            t.max_age_days,
            &[("last-restore-test", t.last_restore_test)],
            vec![("runbook", t.runbook)],
        )?;
    }
    if let Some(t) = controls.incident_response {
        let line = b.line(t.span().start);
        let t = t.into_inner();
        b.record(
            Kind::IncidentResponse,
            line,
            t.max_age_days,
            &[
                ("last-review", t.last_review),
                ("last-exercise", t.last_exercise),
            ],
            vec![("plan", t.plan)],
        )?;
    }
    if let Some(t) = controls.training {
        let line = b.line(t.span().start);
        let t = t.into_inner();
        b.record(
            Kind::Training,
            line,
            t.max_age_days,
            &[],
            vec![("roster", t.roster)],
        )?;
    }
    if let Some(t) = controls.audits {
        let line = b.line(t.span().start);
        let t = t.into_inner();
        let reports = t.reports.unwrap_or_default();
        b.record(
            Kind::Audits,
            line,
            t.max_age_days,
            &[
                ("last-audit", t.last_audit),
                ("last-pentest", t.last_pentest),
            ],
            reports.into_iter().map(|r| ("reports", Some(r))).collect(),
        )?;
    }
    if let Some(t) = controls.access_review {
        let line = b.line(t.span().start);
        let t = t.into_inner();
        b.record(
            Kind::AccessReview,
            line,
            t.max_age_days,
            &[("last-review", t.last_review)],
            Vec::new(),
        )?;
    }
    if let Some(t) = controls.vendors {
        let line = b.line(t.span().start);
        let t = t.into_inner();
        b.record(
            Kind::Vendors,
            line,
            t.max_age_days,
            &[],
            vec![("inventory", t.inventory)],
        )?;
    }
    Ok(Records { records: b.records })
}

struct Builder<'t> {
    text: &'t str,
    records: Vec<Record>,
}

impl Builder<'_> {
    fn line(&self, byte: usize) -> u32 {
        line_column(self.text, byte).0 as u32
    }

    fn error(&self, byte: usize, message: String) -> RecordError {
        let (line, column) = line_column(self.text, byte);
        RecordError {
            line: Some(line),
            column: Some(column),
            message,
        }
    }

    fn record(
        &mut self,
        kind: Kind,
        line: u32,
        max_age: MaxAge,
        dates: &[(&'static str, Text)],
        files: Vec<(&'static str, Text)>,
    ) -> Result<(), RecordError> {
        let table = kind.table();
        let max_age_days = match max_age {
            None => kind.default_max_age_days(),
            Some(days) => match u32::try_from(*days.get_ref()) {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(self.error(
                        days.span().start,
                        format!(
                            "controls.{table}.max-age-days: must be a whole number of days, at least 1, found {}",
                            days.get_ref()
                        ),
                    ));
                }
            },
        };
        let mut parsed = Vec::new();
        for (key, value) in dates {
            let Some(value) = value else { continue };
            let Some(date) = Date::parse(value.get_ref().trim()) else {
                return Err(self.error(
                    value.span().start,
                    format!(
                        "controls.{table}.{key}: must be a date written YYYY-MM-DD, found `{}`",
                        value.get_ref()
                    ),
                ));
            };
            parsed.push(Dated {
                key,
                date,
                line: self.line(value.span().start),
            });
        }
        let mut refs = Vec::new();
        for (key, value) in files {
            let Some(value) = value else { continue };
            if value.get_ref().trim().is_empty() {
                return Err(self.error(
                    value.span().start,
                    format!("controls.{table}.{key}: must name a file, found an empty string"),
                ));
            }
            refs.push(FileRef {
                key,
                path: value.get_ref().trim().to_string(),
                line: self.line(value.span().start),
            });
        }
        self.records.push(Record {
            kind,
            line,
            max_age_days,
            dates: parsed,
            files: refs,
        });
        Ok(())
    }
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_with_lines() {
        let text = "[scan]\nexclude = []\n\n[controls.backup]\ntargets = [\"db\"]\nschedule = \"daily\"\nlast-restore-test = \"2026-09-14\"\nrunbook = \"docs/dr.md\"\n\n[controls.audits]\nreports = [\"a.pdf\", \"b.pdf\"]\nlast-audit = \"2026-02-10\"\nmax-age-days = 30\n";
        let records = parse(text).unwrap();
        let backup = records.get(Kind::Backup).unwrap();
        assert_eq!(backup.line, 4);
        assert_eq!(backup.max_age_days, 90);
        assert_eq!(backup.dates[0].line, 7);
        assert_eq!(backup.files[0].line, 8);
        let audits = records.get(Kind::Audits).unwrap();
        assert_eq!(audits.max_age_days, 30);
        assert_eq!(audits.files.len(), 2);
        assert_eq!(audits.files[1].path, "b.pdf");
        assert!(records.get(Kind::Training).is_none());
    }

    #[test]
    fn errors_are_located() {
        let err = parse("[controls.backup]\n\nlast-restore-test = \"14/09/2026\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("YYYY-MM-DD"), "{err:?}");
        let err = parse("[controls.access-review]\nlast-review = 2026-08-01\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err:?}");
        let err = parse("[controls.training]\nroster = \"r.csv\"\nowner = \"x\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err:?}");
        assert!(err.message.contains("owner"), "{err:?}");
        let err = parse("[controls.vendor]\n").unwrap_err();
        assert_eq!(err.line, Some(1), "{err:?}");
        let err = parse("[controls.vendors]\nmax-age-days = 0\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err:?}");
        let err = parse("[controls.audits]\nmax-age-days = \"1y\"\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err:?}");
    }
}
