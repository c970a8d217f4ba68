//! One function per command.

use crate::cli::{
    BaselineArgs, ColorChoice, Command, CommonScanArgs, ConfidenceArg, ConfigCommand, FailOnArg,
    Format, InitArgs, ListFormat, RulesArgs, ScanArgs, SelectionArgs, StdinKind,
};
use crate::{Failure, exit, output};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use palisade_core::baseline::Baseline;
use palisade_core::cache::ResultCache;
use palisade_core::config::{Config, FailOn, RuleSet, Selection, SettingsSection};
use palisade_core::diff::ChangedLines;
use palisade_core::engine::{self, ScanOptions};
use palisade_core::engine::{NetworkAccess, Stdin};
use palisade_core::{
    CommentStyle, Confidence, Owasp, Recommendation, Report, RuleMeta, SourceFile,
};
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use palisade::analyzers;

pub fn run(cli: crate::cli::Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Init(args) => init(args),
        Command::Baseline(args) => baseline(args),
        Command::Rules(args) => rules(args),
        Command::WhoCan(args) => crate::k8s_commands::who_can(args),
        Command::Rbac(args) => crate::k8s_commands::rbac(args),
        Command::Endpoints(args) => crate::endpoints_command::endpoints(args),
        Command::Permissions(args) => crate::permissions_command::permissions(args),
        Command::Report { command } => crate::report_command::run(command),
        Command::Sbom(args) => crate::sbom_command::sbom(args),
        Command::Csp(args) => crate::csp_command::csp(args),
        Command::Probe(args) => crate::live_command::probe(args),
        Command::Mysql(args) => crate::live_command::mysql(args),
        Command::Db { command } => crate::db_command::run(command),
        Command::Explain { rule_id } => explain(&rule_id),
        Command::Config {
            command: ConfigCommand::Schema,
        } => {
            let schema = serde_json::to_string_pretty(&Config::json_schema(
                &registry(),
                &settings_sections(),
            ))
            .unwrap_or_default();
            output::write(None, &(schema + "\n"))?;
            Ok(exit::CLEAN)
        }
        Command::GenerateDocs { dir, readme } => generate_docs(&dir, readme.as_deref()),
        Command::ParseOnly { paths, walk } => parse_only(&paths, walk),
    }
}

pub fn registry() -> Vec<&'static RuleMeta> {
    engine::registry(&analyzers())
}

/// The `[analyzers.<name>]` sections palisade.toml may have.
pub fn settings_sections() -> Vec<SettingsSection> {
    engine::settings_sections(&analyzers())
}

/// A scan's settings after merging the command line over the configuration.
struct Prepared {
    config: Config,
    rules: RuleSet,
    min_confidence: Confidence,
}

fn prepare(common: &CommonScanArgs) -> Result<Prepared, Failure> {
    let registry = registry();
    for path in common.paths.iter().filter(|p| !is_stdin(p)) {
        if !path.exists() {
            return Err(Failure::usage(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
    }
    let mut config = crate::sources::load_config(common.config.as_deref(), &common.paths)?;
    for glob in &common.exclude {
        globset::Glob::new(glob)
            .map_err(|e| Failure::usage(format!("--exclude: invalid glob `{glob}`: {e}")))?;
        config.scan.exclude.push(glob.clone());
    }
    if !common.advisory_db.is_empty() {
        for path in &common.advisory_db {
            if !path.exists() {
                return Err(Failure::usage(format!(
                    "--advisory-db: {}: no such file or folder",
                    path.display()
                )));
            }
        }
        palisade_deps::set_advisory_db(&mut config, &common.advisory_db);
    }
    let selection = selection_of(&registry, &common.selection)?;
    let mut rules = RuleSet::resolve(&registry, &config, Some(&selection));
    let select = rule_patterns(&registry, "--select", &common.select)?;
    let ignore = rule_patterns(&registry, "--ignore", &common.ignore)?;
    rules.retain(|r| {
        (select.is_empty() || select.iter().any(|p| matches_pattern(r.id, p)))
            && !ignore.iter().any(|p| matches_pattern(r.id, p))
    });
    let min_confidence = match common.min_confidence {
        Some(ConfidenceArg::High) => Confidence::High,
        Some(ConfidenceArg::Medium) => Confidence::Medium,
        Some(ConfidenceArg::Low) => Confidence::Low,
        None => config.scan.min_confidence.unwrap_or(Confidence::Low),
    };
    Ok(Prepared {
        config,
        rules,
        min_confidence,
    })
}

/// The `--domain`, `--owasp` and `--recommendation` selection, each value checked.
fn selection_of(
    registry: &[&'static RuleMeta],
    args: &SelectionArgs,
) -> Result<Selection, Failure> {
    let selection = Selection {
        domains: args.domains.clone(),
        owasp: args
            .owasp
            .iter()
            .map(|o| o.parse::<Owasp>())
            .collect::<Result<_, _>>()
            .map_err(Failure::usage)?,
        recommendations: args
            .recommendations
            .iter()
            .map(|r| r.parse::<Recommendation>())
            .collect::<Result<_, _>>()
            .map_err(Failure::usage)?,
    };
    for domain in &selection.domains {
        if !registry.iter().any(|r| r.domain() == domain) {
            let mut known: Vec<&str> = registry.iter().map(|r| r.domain()).collect();
            known.sort();
            known.dedup();
            return Err(Failure::usage(format!(
                "--domain: unknown domain `{domain}` (known: {})",
                known.join(", ")
            )));
        }
    }
    Ok(selection)
}

/// Whether rule `id` is named by `pattern`: the id itself, a prefix ending in `/` or `-`, or
/// a domain (`k8s` is `k8s/`).
fn matches_pattern(id: &str, pattern: &str) -> bool {
    id == pattern
        || ((pattern.ends_with('/') || pattern.ends_with('-')) && id.starts_with(pattern))
        || id
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The `--select` / `--ignore` patterns, each of which must name at least one rule (a typo
/// must not silently select nothing or ignore nothing).
fn rule_patterns(
    registry: &[&'static RuleMeta],
    flag: &str,
    patterns: &[String],
) -> Result<Vec<String>, Failure> {
    for pattern in patterns {
        if !registry.iter().any(|r| matches_pattern(r.id, pattern)) {
            let close: Vec<&str> = registry
                .iter()
                .map(|r| r.id)
                .filter(|id| id.contains(pattern.trim_end_matches(['/', '-'])))
                .take(5)
                .collect();
            let hint = if close.is_empty() {
                " (`palisade rules` lists them)".to_string()
            } else {
                format!(" (did you mean {}?)", close.join(", "))
            };
            return Err(Failure::usage(format!(
                "{flag}: `{pattern}` names no rule{hint}"
            )));
        }
    }
    Ok(patterns.to_vec())
}

/// The result cache a scan uses, unless `--no-cache`, `PALISADE_NO_CACHE` or the
/// configuration's `scan.cache = false` turn it off, or no folder can be named for it.
fn result_cache(common: &CommonScanArgs, config: &Config) -> Option<ResultCache> {
    let off_by_env = std::env::var_os("PALISADE_NO_CACHE")
        .is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    if common.no_cache || off_by_env || config.scan.cache == Some(false) {
        return None;
    }
    let dir = match (&common.cache_dir, &config.scan.cache_dir) {
        (Some(dir), _) => std::path::absolute(dir).unwrap_or_else(|_| dir.clone()),
        (None, Some(dir)) => {
            let base = config
                .source
                .as_deref()
                .and_then(std::path::Path::parent)
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            base.join(dir)
        }
        (None, None) => palisade_core::cache::default_cache_dir()?,
    };
    let max_age = config
        .scan
        .cache_max_age_days
        .unwrap_or(palisade_core::cache::DEFAULT_MAX_AGE_DAYS);
    let max_size = config
        .scan
        .cache_max_size_mb
        .unwrap_or(palisade_core::cache::DEFAULT_MAX_SIZE_MB);
    Some(
        ResultCache::new(dir, ResultCache::build_id())
            .with_max_age_days(max_age)
            .with_max_size_mb(max_size),
    )
}

fn run_scan(
    common: &CommonScanArgs,
    prepared: &Prepared,
    baseline: Option<&Baseline>,
    diff_base: Option<&str>,
) -> Result<Report, Failure> {
    let progress = Progress::new(!common.no_progress && std::io::stderr().is_terminal());
    let callback =
        |done: usize, total: usize, findings: usize| progress.update(done, total, findings);
    let stdin = if common.paths.iter().any(|p| is_stdin(p)) {
        Some(read_stdin(common.stdin_kind)?)
    } else {
        None
    };
    let roots: Vec<std::path::PathBuf> = common
        .paths
        .iter()
        .filter(|p| !is_stdin(p))
        .cloned()
        .collect();
    let history = if common.history {
        Some(check_history(&roots, common.since.as_deref())?)
    } else {
        None
    };
    let mut targets = common.targets.clone();
    if common.live {
        let configured = palisade_live::configured_targets(&prepared.config);
        if configured.is_empty() && targets.is_empty() {
            return Err(Failure::usage(
                "--live: palisade.toml lists no target under [live] (urls, mysql)",
            ));
        }
        targets.extend(configured);
    }
    let changed = diff_base
        .map(|base| ChangedLines::read(&roots, base).map_err(Failure::usage))
        .transpose()?;
    let cache = result_cache(common, &prepared.config);
    let options = ScanOptions {
        cache: cache.as_ref(),
        roots,
        stdin,
        config: &prepared.config,
        rules: &prepared.rules,
        min_confidence: prepared.min_confidence,
        baseline,
        progress: Some(&callback),
        network: if common.online || common.live {
            NetworkAccess::Online
        } else {
            NetworkAccess::Offline
        },
        targets: &targets,
        show_secrets: common.show_secrets,
        today: common.today,
        history,
        diff: changed.as_ref(),
    };
    let report = engine::scan(&analyzers(), &options).map_err(|e| Failure::usage(e.to_string()));
    progress.finish();
    if let Ok(report) = &report
        && report.stats.files_analyzed == 0
        && report.stats.files_discovered > 0
        && report.coverage.entries.iter().all(|e| e.inputs_total == 0)
    {
        // Not an error (a Python-only selection over manifests is legitimate), but a user who
        // mistyped a selection must not read "0 findings" as "all clear". Rules that read
        // something else than files (the control records) did read something.
        eprintln!(
            "palisade: the selected rules read none of the {} files found; check --domain, --select and [select]",
            report.stats.files_discovered
        );
    }
    report
}

/// `--history [--since]` checked before the scan: every root in a git repository, `git`
/// installed, `--since` a date or a commit. A failure is a usage error (exit code 2).
fn check_history(
    roots: &[std::path::PathBuf],
    since: Option<&str>,
) -> Result<engine::History, Failure> {
    use palisade_secrets::history;
    for root in roots {
        let top = history::repository_root(root).map_err(Failure::usage)?;
        if let Some(since) = since {
            history::check_since(&top, since).map_err(Failure::usage)?;
        }
    }
    Ok(engine::History {
        since: since.map(str::to_string),
    })
}

pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Standard input as a file named `<stdin>`.
pub fn read_stdin(kind: StdinKind) -> Result<Stdin, Failure> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
        .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
    let text = engine::decode(&bytes)
        .map_err(|(_, message)| Failure::usage(format!("standard input: {message}")))?;
    let analyzer = match kind {
        StdinKind::K8s => "k8s",
        StdinKind::Python => "python",
    };
    // Both YAML manifests and Python write comments with `#`.
    let file = SourceFile::new(
        "<stdin>",
        std::path::PathBuf::from("<stdin>"),
        CommentStyle::Hash,
        text,
    );
    Ok(Stdin { file, analyzer })
}

fn scan(args: ScanArgs) -> Result<u8, Failure> {
    let prepared = prepare(&args.common)?;
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::load(path).map_err(|e| Failure::usage(e.to_string()))?),
        None => None,
    };
    let report = run_scan(
        &args.common,
        &prepared,
        baseline.as_ref(),
        args.diff.as_deref(),
    )?;
    let fail_on = match args.fail_on {
        Some(FailOnArg::Critical) => FailOn::Critical,
        Some(FailOnArg::High) => FailOn::High,
        Some(FailOnArg::Medium) => FailOn::Medium,
        Some(FailOnArg::Low) => FailOn::Low,
        Some(FailOnArg::None) => FailOn::None,
        None => prepared.config.scan.fail_on.unwrap_or(FailOn::High),
    };
    let fail_confidence = match args.fail_confidence {
        Some(ConfidenceArg::High) => Confidence::High,
        Some(ConfidenceArg::Medium) => Confidence::Medium,
        Some(ConfidenceArg::Low) => Confidence::Low,
        None => prepared
            .config
            .scan
            .fail_confidence
            .unwrap_or(Confidence::Medium),
    };
    let rendered = match args.format {
        Format::Json => palisade_report::json::render(&report),
        Format::Sarif => palisade_report::sarif::render(&report),
        Format::Markdown => palisade_report::markdown::render(
            &report,
            palisade_report::MarkdownOptions {
                gate: Some(palisade_report::markdown::Gate {
                    fail_on: fail_on.threshold(),
                    fail_confidence,
                }),
                baseline: baseline.is_some(),
                ..Default::default()
            },
        ),
        Format::Defectdojo => palisade_report::defectdojo::render(&report),
        Format::Html => palisade_report::html::render(
            &report,
            &palisade_report::HtmlOptions {
                gate: Some(palisade_report::markdown::Gate {
                    fail_on: fail_on.threshold(),
                    fail_confidence,
                }),
                baseline: baseline.is_some(),
                matrices: crate::scan_matrices::for_scan(&args.common, &prepared.config, &report),
                ..Default::default()
            },
        ),
        Format::Text => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => to_terminal && colors_allowed(),
            };
            palisade_report::text::render(&report, palisade_report::TextOptions { color })
        }
    };
    output::write(args.output.as_deref(), &rendered)?;

    let failing = fail_on
        .threshold()
        .is_some_and(|t| report.count_failing(t, fail_confidence) > 0);
    let gate: Vec<palisade_core::CoverageStatus> =
        args.fail_on_coverage.iter().map(|g| g.status()).collect();
    let uncovered: Vec<String> = report
        .coverage
        .with_status(&gate)
        .map(|e| format!("{} is {}", e.recommendation.id(), e.status))
        .collect();
    if !uncovered.is_empty() {
        eprintln!("palisade: --fail-on-coverage: {}", uncovered.join(", "));
    }
    Ok(if failing || !uncovered.is_empty() {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}

/// `NO_COLOR` (any non-empty value) and `TERM=dumb` turn colours off.
pub(crate) fn colors_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// `palisade init`: writes each planned file that does not exist yet, and says what it did.
fn init(args: InitArgs) -> Result<u8, Failure> {
    if !args.dir.is_dir() {
        return Err(Failure::usage(format!(
            "{}: no such folder",
            args.dir.display()
        )));
    }
    let config = Config::default();
    let settings = palisade_core::discover::WalkSettings {
        prune_dirs: config.prune_dirs(),
        exclude: Vec::new(),
        sizes_kept_over: u64::MAX,
    };
    let (found, _) = palisade_core::discover::walk(&args.dir, "", &settings);
    let files: Vec<String> = found.paths().collect();
    let today = args.today.unwrap_or_else(palisade_core::date::Date::today);
    for planned in palisade_controls::init::plan(&files, today) {
        let path = args.dir.join(planned.path);
        if path.exists() {
            eprintln!("palisade: kept {} (it exists)", planned.path);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::usage(format!("cannot create {}: {e}", parent.display())))?;
        }
        // `create_new`: a file that appeared since the check above is not overwritten either.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, planned.text.as_bytes()));
        match written {
            Ok(()) => eprintln!("palisade: wrote {}: {}", planned.path, planned.what),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                eprintln!("palisade: kept {} (it exists)", planned.path);
            }
            Err(e) => {
                return Err(Failure::usage(format!(
                    "cannot write {}: {e}",
                    path.display()
                )));
            }
        }
    }
    eprintln!(
        "palisade: fill in the TODOs, then uncomment the [controls.*] records in palisade.toml with real dates; until then `palisade scan` reports them as needs-attestation"
    );
    Ok(exit::CLEAN)
}

fn baseline(args: BaselineArgs) -> Result<u8, Failure> {
    let prepared = prepare(&args.common)?;
    let report = run_scan(&args.common, &prepared, None, None)?;
    let baseline = Baseline::from_findings(&report.findings);
    output::write(Some(&args.output), &baseline.to_json())?;
    eprintln!(
        "palisade: recorded {} finding{} in {}",
        report.findings.len(),
        if report.findings.len() == 1 { "" } else { "s" },
        args.output.display()
    );
    Ok(exit::CLEAN)
}

fn rules(args: RulesArgs) -> Result<u8, Failure> {
    let registry = registry();
    let selection = selection_of(&registry, &args.selection)?;
    let mut list: Vec<&RuleMeta> = registry
        .into_iter()
        .filter(|r| selection.selects(r))
        .collect();
    list.sort_by_key(|r| r.id);
    let text = match args.format {
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = list
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "title": r.title,
                        "severity": r.severity,
                        "confidence": r.confidence,
                        "owasp": r.owasp,
                        "cwe": r.cwe,
                        "recommendation": r.recommendation,
                        "needs_network": r.needs_network,
                        "summary": r.doc().summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
        }
        ListFormat::Text => rules_table(&list),
    };
    output::write(None, &text)?;
    Ok(exit::CLEAN)
}

/// The rules as `palisade rules` prints them, one per line under a header: also the README's
/// rule table.
fn rules_table(list: &[&RuleMeta]) -> String {
    let id_width = list.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let mut out = format!(
        "{:<id_width$}  {:<8}  {:<5}  {:<17}  TITLE\n",
        "ID", "SEVERITY", "OWASP", "RECOMMENDATION"
    );
    for r in list {
        out.push_str(&format!(
            "{:<id_width$}  {:<8}  {:<5}  {:<17}  {}\n",
            r.id,
            r.severity.as_str(),
            r.owasp.code(),
            r.recommendation.id(),
            r.title
        ));
    }
    out
}

fn find_rule(id: &str) -> Result<&'static RuleMeta, Failure> {
    let registry = registry();
    if let Some(new) = palisade_core::renamed_rule(id)
        && let Some(rule) = registry.iter().find(|r| r.id == new)
    {
        eprintln!(
            "palisade: {}",
            palisade_core::rule::renamed_rule_notice(id, new)
        );
        return Ok(rule);
    }
    registry
        .iter()
        .copied()
        .find(|r| r.id == id)
        .ok_or_else(|| {
            let close: Vec<&str> = registry
                .iter()
                .filter(|r| r.slug() == id || r.id.contains(id))
                .map(|r| r.id)
                .collect();
            let hint = if close.is_empty() {
                " (`palisade rules` lists them)".to_string()
            } else {
                format!(" (did you mean {}?)", close.join(", "))
            };
            Failure::usage(format!("unknown rule `{id}`{hint}"))
        })
}

fn explain(id: &str) -> Result<u8, Failure> {
    let rule = find_rule(id)?;
    output::write(None, &rule.doc().to_markdown(rule))?;
    Ok(exit::CLEAN)
}

/// What `palisade parse-only` did with one file.
enum ParseOutcome {
    /// Parsed as `language`: the text's length, the time the parse took, and whether the
    /// parser reported an error.
    Parsed {
        language: &'static str,
        bytes: u64,
        elapsed: Duration,
        error: bool,
    },
    /// Left unparsed, as a scan leaves it: why.
    Skipped(&'static str),
}

/// Walks the paths as a scan does and parses every Python, JavaScript/TypeScript,
/// Java/Kotlin and Android XML file that a scan would parse (same selection, same skip
/// rules, same parsers) on all cores, without running any rule: the floor the analyses are
/// measured against (bench/). Prints per language the files, bytes and parse time. With
/// `walk`, each tree is also walked once with nobody to call (the time counts as parse time).
fn parse_only(paths: &[std::path::PathBuf], walk: bool) -> Result<u8, Failure> {
    use palisade_core::Analyzer;
    use rayon::prelude::*;
    use std::collections::BTreeMap;
    let started = Instant::now();
    // The scan's own configuration (palisade.toml), for its size limit and exclusions.
    let config = crate::sources::load_config(None, paths)?;
    let settings = palisade_core::discover::WalkSettings {
        prune_dirs: config.prune_dirs(),
        exclude: config.scan.exclude.clone(),
        sizes_kept_over: config.max_file_size(),
    };
    let python = palisade_python::PythonAnalyzer.files().compile();
    let web = palisade_web::WebAnalyzer.files().compile();
    let android = palisade_mobile::AndroidAnalyzer.files().compile();
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(Failure::usage(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
        let (found, _) = palisade_core::discover::walk(path, "", &settings);
        files.extend(
            found
                .iter()
                .filter(|f| {
                    python.selects(&f.path) || web.selects(&f.path) || android.selects(&f.path)
                })
                .map(|f| f.to_owned()),
        );
    }
    let outcomes: Vec<ParseOutcome> = files
        .par_iter()
        .filter_map(|f| {
            if f.large_size.is_some() {
                return Some(ParseOutcome::Skipped("over scan.max-file-size"));
            }
            let Some(text) = std::fs::read(&f.abs_path)
                .ok()
                .and_then(|b| engine::decode(&b).ok())
            else {
                return Some(ParseOutcome::Skipped("unreadable or not text"));
            };
            let parse_started = Instant::now();
            let parsed = |language: &'static str, error: bool| ParseOutcome::Parsed {
                language,
                bytes: text.len() as u64,
                elapsed: parse_started.elapsed(),
                error,
            };
            if python.selects(&f.path) {
                return Some(parsed("python", !palisade_python::parse_only(&text, walk)));
            }
            match palisade_web::parse_only(&f.path, &text, walk) {
                palisade_web::ScriptPass::NotScript => {}
                palisade_web::ScriptPass::Parsed {
                    language,
                    syntax_error,
                } => return Some(parsed(language, syntax_error)),
                palisade_web::ScriptPass::Skipped(palisade_web::Skipped::Minified) => {
                    return Some(ParseOutcome::Skipped("minified or bundled scripts"));
                }
                palisade_web::ScriptPass::Skipped(palisade_web::Skipped::BuildOutput) => {
                    return Some(ParseOutcome::Skipped("scripts in build output (.next/)"));
                }
                palisade_web::ScriptPass::NotProduct => {
                    return Some(ParseOutcome::Skipped(
                        "test, fixture, vendored or generated scripts",
                    ));
                }
            }
            if android.selects(&f.path) {
                return match palisade_mobile::parse_only(&f.path, &text, walk) {
                    palisade_mobile::AndroidPass::Parsed { language, error } => {
                        Some(parsed(language, error))
                    }
                    palisade_mobile::AndroidPass::Test => {
                        Some(ParseOutcome::Skipped("Java/Kotlin test sources"))
                    }
                    palisade_mobile::AndroidPass::Other => None,
                };
            }
            None
        })
        .collect();
    let mut by_language: BTreeMap<&str, (usize, u64, Duration, usize)> = BTreeMap::new();
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for outcome in outcomes {
        match outcome {
            ParseOutcome::Parsed {
                language,
                bytes,
                elapsed,
                error,
            } => {
                let tally = by_language.entry(language).or_default();
                tally.0 += 1;
                tally.1 += bytes;
                tally.2 += elapsed;
                tally.3 += usize::from(error);
            }
            ParseOutcome::Skipped(why) => *skipped.entry(why).or_default() += 1,
        }
    }
    let files: usize = by_language.values().map(|t| t.0).sum();
    let bytes: u64 = by_language.values().map(|t| t.1).sum();
    let mut out = format!(
        "parsed {files} files ({bytes} bytes) in {} ms on {} threads{}\n",
        started.elapsed().as_millis(),
        rayon::current_num_threads(),
        if walk {
            ", each tree walked once (in parse ms)"
        } else {
            ""
        }
    );
    if !by_language.is_empty() {
        out.push_str(&format!(
            "  {:<12} {:>8} {:>12} {:>10} {:>8}\n",
            "language", "files", "bytes", "parse ms", "errors"
        ));
    }
    for (language, (files, bytes, elapsed, errors)) in &by_language {
        out.push_str(&format!(
            "  {language:<12} {files:>8} {bytes:>12} {:>10} {errors:>8}\n",
            elapsed.as_millis()
        ));
    }
    if !by_language.is_empty() {
        out.push_str("  (parse ms: time spent parsing, summed over threads; errors: files with a syntax error)\n");
    }
    for (why, count) in &skipped {
        out.push_str(&format!("not parsed, as in a scan: {count} {why}\n"));
    }
    print!("{out}");
    Ok(exit::CLEAN)
}

fn generate_docs(dir: &Path, readme: Option<&Path>) -> Result<u8, Failure> {
    for rule in registry() {
        let path = dir.join(rule.domain()).join(format!("{}.md", rule.slug()));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::usage(format!("cannot create {}: {e}", parent.display())))?;
        }
        output::write(Some(&path), &rule.doc().to_markdown(rule))?;
    }
    if let Some(readme) = readme {
        let text = std::fs::read_to_string(readme)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", readme.display())))?;
        let mut list = registry();
        list.sort_by_key(|r| r.id);
        let table = format!("```\n{}```\n", rules_table(&list));
        let updated = replace_between_markers(&text, README_RULES_START, README_RULES_END, &table)
            .ok_or_else(|| {
                Failure::usage(format!(
                    "{}: no `{README_RULES_START}` … `{README_RULES_END}` markers",
                    readme.display()
                ))
            })?;
        if updated != text {
            output::write(Some(readme), &updated)?;
        }
    }
    Ok(exit::CLEAN)
}

/// The markers around the README's generated rule table.
const README_RULES_START: &str = "<!-- rules:start (generated by `cargo run -- generate-docs docs/rules --readme README.md`) -->";
const README_RULES_END: &str = "<!-- rules:end -->";

/// `text` with what lies between the lines `start` and `end` replaced by `content`; `None`
/// when a marker is missing or they are out of order.
fn replace_between_markers(text: &str, start: &str, end: &str, content: &str) -> Option<String> {
    let open = text.find(start)? + start.len();
    let close = open + text[open..].find(end)?;
    Some(format!("{}\n{content}{}", &text[..open], &text[close..]))
}

/// A progress bar on stderr that appears only when the scan takes more than a moment.
struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    const DELAY: Duration = Duration::from_millis(400);

    fn new(enabled: bool) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {pos}/{len} files  {msg}  [{elapsed}]")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    fn update(&self, done: usize, total: usize, findings: usize) {
        let Some(bar) = &self.bar else {
            return;
        };
        if bar.is_hidden() && self.started.elapsed() > Self::DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(format!("{findings} findings"));
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
