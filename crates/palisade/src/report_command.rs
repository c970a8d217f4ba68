//! `palisade report merge`: the organisation view. Each repository's CI runs
//! `palisade scan --format json`; this command reads those reports back and renders one
//! report of them all (HTML, Markdown or JSON) with per-repository totals.

use crate::{Failure, exit, output};
use clap::{Args, Subcommand, ValueEnum};
use palisade_core::Report;
use palisade_report::trends::{DatedBy, DatedReport};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Merge JSON reports of several repositories (`palisade scan --format json`) into one
    /// organisation report: per-repository totals, the worst findings across repositories.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports, one per repository: `NAME=FILE`, or `FILE` (the repository is then named
    /// after the file, or after its folder when every file has the same name).
    #[arg(required = true, value_name = "[NAME=]REPORT.json")]
    pub reports: Vec<String>,
    #[arg(long, short = 'f', value_enum, default_value = "html")]
    pub format: MergeFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The HTML page's title.
    #[arg(long)]
    pub title: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    Html,
    Markdown,
    Json,
}

pub fn run(command: ReportCommand) -> Result<u8, Failure> {
    match command {
        ReportCommand::Merge(args) => merge(args),
    }
}

/// `(name, file)` for each argument. A bare file is named after its stem, unless several
/// bare files share a stem (CI artifacts downloaded as `<repo>/palisade.json`): then after
/// their folders.
fn names(args: &[String]) -> Vec<(String, PathBuf)> {
    let split: Vec<(Option<String>, PathBuf)> = args
        .iter()
        .map(|a| match a.split_once('=') {
            Some((name, file)) if !name.is_empty() && !Path::new(a).exists() => {
                (Some(name.to_string()), PathBuf::from(file))
            }
            _ => (None, PathBuf::from(a)),
        })
        .collect();
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let bare: Vec<String> = split
        .iter()
        .filter(|(n, _)| n.is_none())
        .map(|(_, p)| stem(p))
        .collect();
    let shared = bare.len() > 1 && bare.iter().all(|s| *s == bare[0]);
    split
        .into_iter()
        .map(|(name, path)| {
            let name = name.unwrap_or_else(|| {
                let folder = path
                    .parent()
                    .and_then(|p| {
                        std::fs::canonicalize(if p.as_os_str().is_empty() {
                            Path::new(".")
                        } else {
                            p
                        })
                        .ok()
                    })
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
                match (shared, folder) {
                    (true, Some(folder)) => folder,
                    _ => stem(&path),
                }
            });
            (name, path)
        })
        .collect()
}

/// When a report was made: its `scanned_at`, else (a report of an older palisade, or a
/// date that does not parse) the file's modification time, else undated.
fn report_date(report: &Report, path: &Path) -> (Option<i64>, DatedBy) {
    if let Some(at) = report
        .stats
        .scanned_at
        .as_deref()
        .and_then(palisade_core::date::parse_rfc3339)
    {
        return (Some(at), DatedBy::Scan);
    }
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    match modified {
        Some(at) => (Some(at), DatedBy::FileModified),
        None => (None, DatedBy::Undated),
    }
}

fn merge(args: MergeArgs) -> Result<u8, Failure> {
    let registry = crate::commands::registry();
    let lookup = |id: &str| registry.iter().copied().find(|r| r.id == id);
    let mut inputs: Vec<DatedReport> = Vec::new();
    for (name, path) in names(&args.reports) {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        let report = palisade_report::merge::read_json(&text, &lookup)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        let (at, dated_by) = report_date(&report, &path);
        inputs.push(DatedReport {
            name: palisade_report::merge::repository_name(&name),
            report,
            at,
            dated_by,
        });
    }
    let (merged, rows, trends) =
        palisade_report::merge::merge_dated(inputs).map_err(Failure::usage)?;
    let text = match args.format {
        MergeFormat::Json => palisade_report::merge::json(&merged, &rows, &trends),
        MergeFormat::Markdown => {
            let table = palisade_report::merge::markdown_table(&rows)
                + &palisade_report::trends::markdown(&trends);
            let options = palisade_report::MarkdownOptions {
                budget: palisade_report::markdown::DEFAULT_BUDGET
                    .saturating_sub(table.encode_utf16().count()),
                ..Default::default()
            };
            table + &palisade_report::markdown::render(&merged, options)
        }
        MergeFormat::Html => palisade_report::html::render(
            &merged,
            &palisade_report::HtmlOptions {
                title: Some(
                    args.title
                        .unwrap_or_else(|| format!("palisade: {} repositories", rows.len())),
                ),
                ledger: Some(palisade_report::html::LedgerView {
                    rows: rows.iter().flat_map(|r| r.ledger.iter().cloned()).collect(),
                })
                .filter(|l| !l.rows.is_empty()),
                repositories: rows,
                trends: Some(trends),
                ..Default::default()
            },
        ),
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(exit::CLEAN)
}
