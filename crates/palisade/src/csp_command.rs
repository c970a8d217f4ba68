//! `palisade csp '<policy>'`: one policy string through the web analyzer's CSP rules, with
//! the scan's report formats and exit codes. Offline: the policy is the only input.

use crate::cli::{CspArgs, FailOnArg, Format};
use crate::{Failure, exit, output};
use palisade_core::config::{Config, FailOn, RuleSet};
use palisade_core::engine::{self, ScanOptions, Stdin};
use palisade_core::{CommentStyle, Confidence, SourceFile};
use std::io::IsTerminal;

pub fn csp(args: CspArgs) -> Result<u8, Failure> {
    let registry = crate::commands::registry();
    let mut rules = RuleSet::all(&registry);
    rules.retain(|r| r.id.starts_with("web/csp-"));
    let config = Config::default();
    let policy = if args.report_only {
        // The analyzer reads the text as one Content-Security-Policy value; a report-only
        // evaluation is the same text behind the report-only header name.
        format!("{}{}", palisade_web::REPORT_ONLY_PREFIX, args.policy)
    } else {
        args.policy.clone()
    };
    let file = SourceFile::new(
        palisade_web::POLICY_PATH,
        std::path::PathBuf::from(palisade_web::POLICY_PATH),
        CommentStyle::None,
        policy,
    );
    let mut options = ScanOptions::new(Vec::new(), &config, &rules);
    options.stdin = Some(Stdin {
        file,
        analyzer: "web",
    });
    let report = engine::scan(&palisade::analyzers(), &options)
        .map_err(|e| Failure::usage(e.to_string()))?;
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
                title: Some("palisade: Content Security Policy".to_string()),
                ..Default::default()
            },
        ),
        Format::Text => {
            let color = std::io::stdout().is_terminal() && crate::commands::colors_allowed();
            palisade_report::text::render(&report, palisade_report::TextOptions { color })
        }
    };
    output::write(None, &rendered)?;
    let fail_on = match args.fail_on {
        FailOnArg::Critical => FailOn::Critical,
        FailOnArg::High => FailOn::High,
        FailOnArg::Medium => FailOn::Medium,
        FailOnArg::Low => FailOn::Low,
        FailOnArg::None => FailOn::None,
    };
    let failing = fail_on
        .threshold()
        .is_some_and(|t| report.count_failing(t, Confidence::Low) > 0);
    Ok(if failing { exit::FINDINGS } else { exit::CLEAN })
}
