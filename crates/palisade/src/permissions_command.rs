//! `palisade permissions`: the dangerous and special Android permissions each app module
//! requests, with the code locations that use an API needing them. A permission requested
//! and used nowhere in the project is reported (low): the minimisation advice of POLICY.md
//! `mobile`. Exit codes are the scan's (`--fail-on`, default the config's or `high`).

use crate::cli::{FailOnArg, ListFormat, PermissionsArgs};
use crate::commands::is_stdin;
use crate::{Failure, exit, output, sources};
use palisade_core::Severity;
use palisade_core::config::FailOn;
use palisade_mobile::AndroidAnalyzer;
use palisade_mobile::android::permissions::{Entry, inventory};
use palisade_mobile::android::project::Project;
use serde_json::{Value, json};

/// The id findings of this command carry (it is not a scan rule: a scan does not read the
/// code for API uses).
const UNUSED: &str = "android/permission-requested-but-unused";

/// How many uses of one permission are listed in the text table.
const SHOWN_USES: usize = 3;

pub fn permissions(args: PermissionsArgs) -> Result<u8, Failure> {
    if args.paths.iter().any(|p| is_stdin(p)) {
        return Err(Failure::usage(
            "permissions reads files and folders, not standard input",
        ));
    }
    let config = sources::load_config(args.config.as_deref(), &args.paths)?;
    let facts = sources::collect_facts(&AndroidAnalyzer, &args.paths, &config, None)?;
    let project = Project::new(facts);
    let entries = inventory(&project);
    let text = match args.format {
        ListFormat::Json => {
            let list: Vec<Value> = entries.iter().map(entry_json).collect();
            let findings: Vec<Value> = entries
                .iter()
                .filter(|e| e.uses.is_empty())
                .map(|e| {
                    json!({
                        "rule_id": UNUSED,
                        "severity": "low",
                        "path": e.manifest,
                        "line": e.span.start_line,
                        "message": unused_message(e),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&json!({
                "version": 1,
                "permissions": list,
                "findings": findings,
            }))
            .unwrap_or_default()
                + "\n"
        }
        ListFormat::Text => table(&entries),
    };
    output::write(None, &text)?;
    let fail_on = match args.fail_on {
        Some(FailOnArg::Critical) => FailOn::Critical,
        Some(FailOnArg::High) => FailOn::High,
        Some(FailOnArg::Medium) => FailOn::Medium,
        Some(FailOnArg::Low) => FailOn::Low,
        Some(FailOnArg::None) => FailOn::None,
        None => config.scan.fail_on.unwrap_or(FailOn::High),
    };
    let failing = fail_on
        .threshold()
        .is_some_and(|t| Severity::Low >= t && entries.iter().any(|e| e.uses.is_empty()));
    Ok(if failing { exit::FINDINGS } else { exit::CLEAN })
}

fn unused_message(e: &Entry<'_>) -> String {
    format!(
        "`{}` is requested but no code of the project uses an API that needs it ({}); remove it unless a library needs it",
        e.permission.name,
        e.permission
            .apis
            .iter()
            .take(4)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn entry_json(e: &Entry<'_>) -> Value {
    json!({
        "permission": e.permission.name,
        "level": e.permission.level.as_str(),
        "module": e.module,
        "source_set": e.set,
        "manifest": { "path": e.manifest, "line": e.span.start_line },
        "used": !e.uses.is_empty(),
        "uses": e.uses.iter().map(|(path, line, api)| json!({ "path": path, "line": line, "api": api })).collect::<Vec<_>>(),
    })
}

fn table(entries: &[Entry<'_>]) -> String {
    if entries.is_empty() {
        return "(no dangerous or special Android permission requested)\n".to_string();
    }
    let rows: Vec<[String; 4]> = entries
        .iter()
        .map(|e| {
            let short = e.permission.name.trim_start_matches("android.permission.");
            let uses = if e.uses.is_empty() {
                "UNUSED".to_string()
            } else {
                let mut shown: Vec<String> = e
                    .uses
                    .iter()
                    .take(SHOWN_USES)
                    .map(|(p, l, api)| format!("{p}:{l} ({api})"))
                    .collect();
                if e.uses.len() > SHOWN_USES {
                    shown.push(format!("+{} more", e.uses.len() - SHOWN_USES));
                }
                shown.join(", ")
            };
            [
                format!("{}:{}", e.manifest, e.span.start_line),
                short.to_string(),
                e.permission.level.as_str().to_string(),
                uses,
            ]
        })
        .collect();
    let mut out = crate::output::aligned_table(&["MANIFEST", "PERMISSION", "LEVEL", "USES"], &rows);
    let unused: Vec<&Entry<'_>> = entries.iter().filter(|e| e.uses.is_empty()).collect();
    out.push_str(&format!(
        "\n{} permission request{}; {} with no use in the project's code.\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        unused.len()
    ));
    for e in unused {
        out.push_str(&format!(
            "low {UNUSED} {}:{}: {}\n",
            e.manifest,
            e.span.start_line,
            unused_message(e)
        ));
    }
    out
}
