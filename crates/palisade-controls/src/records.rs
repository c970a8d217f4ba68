//! The control records of `palisade.toml` (`[controls.backup]`, `[controls.training]`, …):
//! what a team attests about its organisational controls, read with the line of every key so
//! that a stale date or a missing document is reported where it is written.
//!
//! The keys are exactly the issue's; an unknown key, a wrong type, a date not written
//! `YYYY-MM-DD` or a `max-age-days` below 1 is an error at its place. The `controls` table is
//! palisade-controls' own section of the configuration ([`TABLE`]): palisade-core hands it
//! over from its one parse of the file, and a bad record is a located configuration error
//! (exit 2) like any other.

use palisade_core::config::{ConfigTable, TableError};
use palisade_core::date::Date;
use palisade_core::options::OptionsValue;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The `[controls]` table of `palisade.toml`, as the core's configuration reader hands it to
/// this crate; the analyzers read the result with `config.table::<Records>(TABLE.key)`.
pub const TABLE: ConfigTable = ConfigTable {
    key: "controls",
    read: read_table,
    schema: table_schema,
};

fn read_table(
    value: Spanned<toml::de::DeValue<'_>>,
    text: &str,
) -> Result<OptionsValue, TableError> {
    let records = read(value, text).map_err(|e| TableError {
        span: Some(e.span),
        message: e.message,
    })?;
    Ok(std::sync::Arc::new(records))
}

/// The JSON schema of `[controls]`: the six tables and their keys.
fn table_schema() -> serde_json::Value {
    let text = |what: &str| serde_json::json!({ "type": "string", "description": what });
    let date = |what: &str| serde_json::json!({ "type": "string", "format": "date", "description": format!("{what} (YYYY-MM-DD)") });
    let max_age = serde_json::json!({ "type": "integer", "minimum": 1, "description": "A date older than this many days is failing." });
    let table = |properties: serde_json::Value| serde_json::json!({ "type": "object", "additionalProperties": false, "properties": properties });
    serde_json::json!({
        "type": "object",
        "description": "Control records: what the team attests about backups, incident response, training, audits, access reviews and vendors.",
        "additionalProperties": false,
        "properties": {
            "backup": table(serde_json::json!({
                "targets": { "type": "array", "items": { "type": "string" }, "description": "What is backed up." },
                "schedule": text("How often backups run."),
                "last-restore-test": date("The last restore test"),
                "max-age-days": max_age,
                "runbook": text("The disaster-recovery runbook, relative to palisade.toml."),
            })),
            "incident-response": table(serde_json::json!({
                "plan": text("The incident response plan, relative to palisade.toml."),
                "last-review": date("The plan's last review"),
                "last-exercise": date("The last exercise"),
                "max-age-days": max_age,
            })),
            "training": table(serde_json::json!({
                "roster": text("CSV with columns name,email,role,last-completed."),
                "max-age-days": max_age,
            })),
            "audits": table(serde_json::json!({
                "last-audit": date("The last security audit"),
                "last-pentest": date("The last penetration test"),
                "reports": { "type": "array", "items": { "type": "string" }, "description": "Audit and pentest reports." },
                "max-age-days": max_age,
            })),
            "access-review": table(serde_json::json!({
                "last-review": date("The last access review"),
                "max-age-days": max_age,
            })),
            "vendors": table(serde_json::json!({
                "inventory": text("CSV with columns vendor,service,data,last-assessment."),
                "max-age-days": max_age,
            })),
        }
    })
}

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
    /// The text of every line a record, date or file is written on, by line number: the
    /// lines findings show.
    pub lines: BTreeMap<u32, String>,
}

impl Records {
    pub fn get(&self, kind: Kind) -> Option<&Record> {
        self.records.iter().find(|r| r.kind == kind)
    }

    /// The text of line `line` of the configuration file, when a record is written there.
    pub fn line_text(&self, line: u32) -> &str {
        self.lines.get(&line).map_or("", String::as_str)
    }
}

/// A record that cannot be read, with its place in the configuration text (a byte range).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    pub span: std::ops::Range<usize>,
    pub message: String,
}

impl RecordError {
    /// The 1-based line and column where the error is, in `text`.
    pub fn line_column(&self, text: &str) -> (usize, usize) {
        line_column(text, self.span.start)
    }
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

/// Reads the `[controls.*]` tables of a whole configuration file's text (tests and tools;
/// a scan gets them from the core's one parse, through [`TABLE`]).
pub fn parse(text: &str) -> Result<Records, RecordError> {
    let toml_error = |e: toml::de::Error| RecordError {
        span: e.span().unwrap_or(0..0),
        message: e.message().trim().to_string(),
    };
    let mut document = toml::de::DeTable::parse(text).map_err(toml_error)?;
    match document.get_mut().remove("controls") {
        Some(value) => read(value, text),
        None => Ok(Records::default()),
    }
}

/// Reads the value of the `controls` table; its spans are byte offsets into `text`.
pub fn read(value: Spanned<toml::de::DeValue<'_>>, text: &str) -> Result<Records, RecordError> {
    let span = value.span();
    let controls =
        ControlsShape::deserialize(toml::de::ValueDeserializer::from(value)).map_err(|e| {
            RecordError {
                span: e.span().unwrap_or(span),
                message: e.message().trim().to_string(),
            }
        })?;
    let mut b = Builder {
        text,
        records: Vec::new(),
        lines: BTreeMap::new(),
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
    Ok(Records {
        records: b.records,
        lines: b.lines,
    })
}

struct Builder<'t> {
    text: &'t str,
    records: Vec<Record>,
    lines: BTreeMap<u32, String>,
}

impl Builder<'_> {
    /// The line of a byte offset, keeping the line's text for the findings there.
    fn line(&mut self, byte: usize) -> u32 {
        let line = line_column(self.text, byte).0 as u32;
        let text = self.text.lines().nth(line as usize - 1).unwrap_or("");
        self.lines.insert(line, text.to_string());
        line
    }

    fn error(&self, byte: usize, message: String) -> RecordError {
        RecordError {
            span: byte..byte,
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
        assert_eq!(records.line_text(7), "last-restore-test = \"2026-09-14\"");
    }

    fn line_of(text: &str) -> usize {
        parse(text).unwrap_err().line_column(text).0
    }

    #[test]
    fn errors_are_located() {
        let text = "[controls.backup]\n\nlast-restore-test = \"14/09/2026\"\n";
        assert_eq!(line_of(text), 3);
        assert!(parse(text).unwrap_err().message.contains("YYYY-MM-DD"));
        assert_eq!(
            line_of("[controls.access-review]\nlast-review = 2026-08-01\n"),
            2
        );
        let text = "[controls.training]\nroster = \"r.csv\"\nowner = \"x\"\n";
        assert_eq!(line_of(text), 3);
        assert!(parse(text).unwrap_err().message.contains("owner"));
        assert_eq!(line_of("[controls.vendor]\n"), 1);
        assert_eq!(line_of("[controls.vendors]\nmax-age-days = 0\n"), 2);
        assert_eq!(line_of("[controls.audits]\nmax-age-days = \"1y\"\n"), 2);
    }
}
