//! `palisade probe URL…` and `palisade mysql mysql://user@host:port`: online scans of live
//! targets only, through the engine (so config suppressions, the baseline and every report
//! format apply). A target that cannot be reached makes the exit code 2.

use crate::cli::{FailOnArg, Format, LiveReportArgs, MysqlArgs, ProbeArgs};
use crate::{Failure, exit, output};
use palisade_core::Confidence;
use palisade_core::baseline::Baseline;
use palisade_core::config::{FailOn, RuleSet};
use palisade_core::engine::{self, DynAnalyzer, NetworkAccess, ScanOptions};
use palisade_live::{LiveAnalyzer, LiveSettings};
use std::io::IsTerminal;
use std::time::Duration;

pub fn probe(args: ProbeArgs) -> Result<u8, Failure> {
    for url in &args.urls {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Failure::usage(format!(
                "`{url}` is not an http:// or https:// URL"
            )));
        }
    }
    let settings = LiveSettings {
        ca_file: args.report.ca_file.clone(),
        timeout: Some(Duration::from_secs(args.report.timeout.max(1))),
        ..LiveSettings::default()
    };
    run(&args.urls, settings, "probe/", &args.report, false)
}

pub fn mysql(args: MysqlArgs) -> Result<u8, Failure> {
    let mut target = palisade_live::mysql::MysqlTarget::parse(&args.url).map_err(Failure::usage)?;
    if let Some(socket) = &args.socket {
        if target.socket.is_some() {
            return Err(Failure::usage(
                "give the socket once: either --socket or ?socket= in the URL",
            ));
        }
        if !socket.is_absolute() {
            return Err(Failure::usage(format!(
                "--socket {}: give an absolute path",
                socket.display()
            )));
        }
        target.socket = Some(socket.clone());
    }
    let url = target.display();
    let password = match &args.password_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::usage(format!("--password-file {}: {e}", path.display())))?;
            Some(text.lines().next().unwrap_or_default().to_string())
        }
        None => match std::env::var("MYSQL_PWD") {
            Ok(p) => Some(p),
            Err(_) => {
                return Err(Failure::usage(
                    "no password: set MYSQL_PWD or pass --password-file (never on the command line)",
                ));
            }
        },
    };
    let settings = LiveSettings {
        mysql_password: password,
        require_tls: args.require_tls,
        ca_file: args.report.ca_file.clone(),
        timeout: Some(Duration::from_secs(args.report.timeout.max(1))),
    };
    run(
        std::slice::from_ref(&url),
        settings,
        "mysql-server/",
        &args.report,
        args.matrix,
    )
}

fn run(
    targets: &[String],
    settings: LiveSettings,
    prefix: &str,
    args: &LiveReportArgs,
    matrix: bool,
) -> Result<u8, Failure> {
    let cwd = std::path::PathBuf::from(".");
    let config = crate::sources::load_config(args.config.as_deref(), std::slice::from_ref(&cwd))?;
    let registry = crate::commands::registry();
    let mut rules = RuleSet::resolve(&registry, &config, None);
    rules.retain(|r| r.id.starts_with(prefix));
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::load(path).map_err(|e| Failure::usage(e.to_string()))?),
        None => None,
    };
    // One analyzer for this run, with the command line's settings.
    let analyzer: &'static LiveAnalyzer = Box::leak(Box::new(LiveAnalyzer::new(settings)));
    let analyzers: Vec<&'static dyn DynAnalyzer> = vec![analyzer];
    let mut options = ScanOptions::new(Vec::new(), &config, &rules);
    options.network = NetworkAccess::Online;
    options.targets = targets;
    options.baseline = baseline.as_ref();
    let report = engine::scan(&analyzers, &options).map_err(|e| Failure::usage(e.to_string()))?;
    if matrix {
        return print_matrix(analyzer, args);
    }
    let rendered = match args.format {
        Format::Json => palisade_report::json::render(&report),
        Format::Sarif => palisade_report::sarif::render(&report),
        Format::Markdown => {
            palisade_report::markdown::render(&report, palisade_report::MarkdownOptions::default())
        }
        Format::Defectdojo => palisade_report::defectdojo::render(&report),
        Format::Html => palisade_report::html::render(
            &report,
            &palisade_report::HtmlOptions {
                title: Some("palisade: live audit".to_string()),
                ..Default::default()
            },
        ),
        Format::Text => {
            let color = args.output.is_none()
                && std::io::stdout().is_terminal()
                && crate::commands::colors_allowed();
            palisade_report::text::render(&report, palisade_report::TextOptions { color })
        }
    };
    output::write(args.output.as_deref(), &rendered)?;
    let failures = analyzer.failures();
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("palisade: {f}");
        }
        return Ok(exit::USAGE);
    }
    let fail_on = match args.fail_on {
        Some(FailOnArg::Critical) => FailOn::Critical,
        Some(FailOnArg::High) => FailOn::High,
        Some(FailOnArg::Medium) => FailOn::Medium,
        Some(FailOnArg::Low) => FailOn::Low,
        Some(FailOnArg::None) => FailOn::None,
        None => config.scan.fail_on.unwrap_or(FailOn::High),
    };
    let fail_confidence = config.scan.fail_confidence.unwrap_or(Confidence::Medium);
    let failing = fail_on
        .threshold()
        .is_some_and(|t| report.count_failing(t, fail_confidence) > 0);
    Ok(if failing { exit::FINDINGS } else { exit::CLEAN })
}

fn print_matrix(analyzer: &LiveAnalyzer, args: &LiveReportArgs) -> Result<u8, Failure> {
    use palisade_live::mysql::audit;
    let servers = analyzer.servers();
    let failures = analyzer.failures();
    for f in &failures {
        eprintln!("palisade: {f}");
    }
    let rendered = if args.format == Format::Json {
        let value: Vec<serde_json::Value> = servers
            .iter()
            .map(|(target, facts)| {
                serde_json::json!({
                    "target": target,
                    "version": facts.version,
                    "accounts": audit::matrix_json(facts),
                })
            })
            .collect();
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    } else {
        servers
            .iter()
            .map(|(target, facts)| {
                format!(
                    "{target} ({})\n{}",
                    facts.version,
                    audit::matrix_text(facts)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    output::write(args.output.as_deref(), &rendered)?;
    Ok(if failures.is_empty() {
        exit::CLEAN
    } else {
        exit::USAGE
    })
}
