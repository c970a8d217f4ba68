//! palisade's organisational controls. The `ci` analyzer reads GitHub Actions workflows and
//! GitLab CI files and checks that pipelines run with least privilege, on pinned code, and
//! cannot be steered by outsiders (POLICY.md `access-control` and `vendor-security`). The
//! `controls` analyzer reads the control records of palisade.toml (`[controls.backup]`, …)
//! and reports what is unattested, stale or points at a missing document.
//!
//! Each file is loaded once (palisade-syntax's YAML reader, with positions) into a
//! [`workflow::Workflow`] or a [`gitlab::Pipeline`] model; every enabled rule then reads the
//! model. Rules never see YAML.

mod attest;
pub mod documents;
pub mod expressions;
pub mod gitlab;
pub mod init;
pub mod outline;
pub mod records;
pub mod repository;
mod roster;
pub mod rules;
pub mod sensitive;
pub mod vendors;
pub mod workflow;

use gitlab::Pipeline;
use palisade_core::engine::SourcesContext;
use palisade_core::{
    Analyzer, DiagnosticKind, FactsCodec, FileContext, FileSelector, RuleMeta, SourceFile,
};
use std::sync::LazyLock;
use workflow::Workflow;

/// The CI pipeline analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct CiAnalyzer;

impl Analyzer for CiAnalyzer {
    type Facts = ();
    type ScanState = ();

    fn name(&self) -> &'static str {
        "ci"
    }

    fn input_kind(&self) -> &'static str {
        "GitHub Actions workflows or GitLab CI files"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::METAS
    }

    fn files(&self) -> FileSelector {
        FileSelector {
            names: &[".gitlab-ci.yml"],
            globs: &[
                "**/.github/workflows/*.yml",
                "**/.github/workflows/*.yaml",
                "**/.gitlab/ci/*.yml",
                "**/.gitlab/ci/*.yaml",
                "**/*.gitlab-ci.yml",
            ],
            ..FileSelector::default()
        }
    }

    /// A GitHub workflow counts toward the recommendations of the workflow rules, a GitLab
    /// file toward those of the pipeline rules.
    fn rules_for(&self, path: &str) -> &'static [&'static RuleMeta] {
        static WORKFLOW: LazyLock<Vec<&'static RuleMeta>> =
            LazyLock::new(|| rules::WORKFLOW_RULES.iter().map(|r| r.meta).collect());
        static PIPELINE: LazyLock<Vec<&'static RuleMeta>> =
            LazyLock::new(|| rules::PIPELINE_RULES.iter().map(|r| r.meta).collect());
        if is_github_workflow(path) {
            WORKFLOW.as_slice()
        } else {
            PIPELINE.as_slice()
        }
    }

    /// Cached: a pipeline's findings depend on its text, its path and the rules, and on
    /// whether it lives under `.github/workflows/` on disk (a workflow named alone on the
    /// command line is reported under its file name), which is in the key.
    fn cache(&self) -> Option<FactsCodec<()>> {
        Some(FactsCodec::json(1))
    }

    fn cache_key(&self, file: &SourceFile, _cx: &FileContext<'_>, _state: &()) -> Option<String> {
        Some(format!(
            "github={}",
            is_github_workflow(&file.abs_path.to_string_lossy())
        ))
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileContext<'_>, _state: &()) -> Option<()> {
        // A file named directly on the command line is reported under its file name alone;
        // the path it was given as still says where it lives.
        let github =
            is_github_workflow(&file.path) || is_github_workflow(&file.abs_path.to_string_lossy());
        let text = if github {
            std::borrow::Cow::Borrowed(file.text.as_str())
        } else {
            without_merge_keys(&file.text)
        };
        let (documents, errors) = palisade_syntax::yaml::load(&text);
        for error in errors {
            cx.notice(
                DiagnosticKind::Parse,
                Some(error.line),
                format!("CI YAML: {}", error.message),
            );
        }
        let root = documents.first().map(|d| &d.root)?;
        if !github {
            let Some(pipeline) = Pipeline::from_yaml(root) else {
                cx.notice(
                    DiagnosticKind::Skipped,
                    None,
                    "not a GitLab CI file (not a mapping)",
                );
                return None;
            };
            let mut rcx = rules::RuleContext { file, out: cx };
            for rule in rules::PIPELINE_RULES {
                if rcx.out.wants(rule.meta) {
                    (rule.check)(&pipeline, &mut rcx);
                }
            }
            return None;
        }
        let Some(workflow) = Workflow::from_yaml(root) else {
            cx.notice(
                DiagnosticKind::Skipped,
                None,
                "not a GitHub Actions workflow (no `jobs:` mapping)",
            );
            return None;
        };
        let mut rcx = rules::RuleContext { file, out: cx };
        for rule in rules::WORKFLOW_RULES {
            if rcx.out.wants(rule.meta) {
                (rule.check)(&workflow, &mut rcx);
            }
        }
        None
    }
}

/// The control records analyzer: reads no file of the walk, only the `[controls.*]` tables
/// of the configuration file (its own section, read with the rest of the file by the core),
/// in the sources phase (where the scan's date and configuration are known).
#[derive(Debug, Default, Clone, Copy)]
pub struct ControlsAnalyzer;

impl Analyzer for ControlsAnalyzer {
    type Facts = ();
    type ScanState = ();

    fn name(&self) -> &'static str {
        "controls"
    }

    fn input_kind(&self) -> &'static str {
        "control records in palisade.toml"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::controls::METAS
    }

    fn files(&self) -> FileSelector {
        FileSelector::default()
    }

    fn config_table(&self) -> Option<palisade_core::config::ConfigTable> {
        Some(records::TABLE)
    }

    fn check_file(&self, _file: &SourceFile, _cx: &mut FileContext<'_>, _state: &()) -> Option<()> {
        None
    }

    fn check_sources(&self, cx: &mut SourcesContext<'_>) {
        repository_rules(cx);
        // Without a palisade.toml the project keeps no records with palisade at all: the
        // organisational recommendations are unattested as a whole (the coverage ledger's
        // business), and six findings in every scan of a file or of standard input would
        // bury the rest. Once the file exists, every missing record is reported.
        let Some(source) = cx.config().source.clone() else {
            for rule in rules::controls::RECORD_RULES {
                if cx.wants(rule.meta) {
                    cx.needs_attestation(
                        rule.meta.recommendation,
                        format!(
                            "[controls.{}] (there is no palisade.toml; `palisade init` writes one)",
                            rule.kind.table()
                        ),
                    );
                }
            }
            return;
        };
        // Read by the core with the rest of the file (`records::TABLE`); none when the file
        // has no `[controls]` table.
        let records = cx
            .config()
            .table::<records::Records>(records::TABLE.key)
            .cloned()
            .unwrap_or_default();
        let shown = cx
            .config_display_path()
            .unwrap_or_else(|| palisade_core::config::CONFIG_FILE_NAME.to_string());
        let base_dir = source
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let attestations = attest::Attestations {
            records: &records,
            shown_path: &shown,
            base_dir: &base_dir,
            today: cx.today(),
        };
        let mut notices = Vec::new();
        for rule in rules::controls::RECORD_RULES {
            if !cx.wants(rule.meta) {
                continue;
            }
            let recommendation = rule.meta.recommendation;
            let table = rule.kind.table();
            match records.get(rule.kind) {
                None => {
                    cx.needs_attestation(recommendation, format!("[controls.{table}] in {shown}"))
                }
                Some(record) => {
                    cx.inspected(recommendation, format!("{shown} [controls.{table}]"));
                    for file in &record.files {
                        if base_dir.join(&file.path).is_file() {
                            cx.inspected(recommendation, file.path.clone());
                        }
                    }
                }
            }
            for finding in attestations.check(rule.meta, rule.kind, &mut notices) {
                cx.report(finding);
            }
        }
        for rule in rules::controls::DOCUMENT_RULES {
            if !cx.wants(rule.meta) {
                continue;
            }
            let Some(record) = records.get(rule.kind) else {
                continue;
            };
            let parts = (rule.parts)(cx.rules());
            for file in record.files.iter().filter(|f| f.key == rule.key) {
                let path = base_dir.join(&file.path);
                if !path.is_file() {
                    continue; // the record rule reports it
                }
                let text =
                    match std::fs::read(&path).map(|b| String::from_utf8_lossy(&b).into_owned()) {
                        Ok(text) => text,
                        Err(e) => {
                            notices.push(format!(
                                "{}: cannot read the {}: {e}",
                                file.path, rule.document
                            ));
                            continue;
                        }
                    };
                let shown_doc = document_path(&shown, &file.path);
                let doc = documents::Document {
                    shown: &shown_doc,
                    written: &file.path,
                    text: &text,
                    what: rule.document,
                };
                for finding in documents::check(rule.meta, &doc, &parts) {
                    cx.report(finding);
                }
            }
        }
        for notice in notices {
            cx.notice(DiagnosticKind::Parse, format!("control records: {notice}"));
        }
    }
}

/// The repository rules (CODEOWNERS, SECURITY.md), when the scan has one root that is a
/// repository's root folder: its files are the scan's own walk.
fn repository_rules(cx: &mut SourcesContext<'_>) {
    let wanted: Vec<&rules::RepositoryRule> = rules::controls::REPOSITORY_RULES
        .iter()
        .copied()
        .filter(|r| cx.wants(r.meta))
        .collect();
    let [root] = cx.roots() else {
        return;
    };
    if wanted.is_empty() || !root.is_dir() {
        return;
    }
    // Only at a repository's root (a scan of `backend/` has no business with SECURITY.md):
    // a git checkout, a folder with palisade.toml, or one holding the files themselves.
    let at_root = [".git", palisade_core::config::CONFIG_FILE_NAME]
        .iter()
        .chain(&repository::CODEOWNERS_PLACES)
        .chain(&repository::SECURITY_PLACES)
        .any(|p| root.join(p).exists());
    if !at_root {
        return;
    }
    let root = root.clone();
    // The scan's own walk: one root, so its paths are relative to it.
    let walked = cx.walked_files();
    let files: Vec<&str> = walked.iter().map(String::as_str).collect();
    let repo = repository::Repo {
        root: &root,
        files: &files,
    };
    for rule in wanted {
        let outcome = (rule.check)(&repo);
        for input in outcome.inspected {
            cx.inspected(rule.meta.recommendation, input);
        }
        for finding in outcome.findings {
            cx.report(finding);
        }
        for notice in outcome.notices {
            cx.notice(DiagnosticKind::Unreadable, notice);
        }
    }
}

/// How reports name a document a record points to: its path relative to palisade.toml's
/// folder, put after that folder as reports name the configuration file.
fn document_path(config_shown: &str, written: &str) -> String {
    let written = written.trim_start_matches("./");
    match config_shown.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{written}"),
        None => written.to_string(),
    }
}

/// Whether a selected file is a GitHub workflow (the rest are GitLab CI files).
fn is_github_workflow(path: &str) -> bool {
    path.replace('\\', "/").contains(".github/workflows/")
}

/// The text with every YAML merge key (`<<: *template`) renamed `<<1`, `<<2`, … GitLab files
/// often merge several templates into one job, which repeats the `<<` key — legal for GitLab,
/// a duplicate key for a strict YAML parser. Renamed, each stays a key whose value is the
/// template (aliases are expanded by the loader), and the GitLab model applies them under the
/// job's own keys as GitLab does. Every line stays where it was.
fn without_merge_keys(text: &str) -> std::borrow::Cow<'_, str> {
    let is_merge = |line: &str| {
        let trimmed = line.trim_start().trim_start_matches("- ");
        trimmed.starts_with("<<:") || trimmed.starts_with("<< :")
    };
    if !text.lines().any(is_merge) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut n = 0;
    for line in text.split_inclusive('\n') {
        match line.find("<<").filter(|_| is_merge(line)) {
            Some(at) => {
                n += 1;
                out.push_str(&line[..at + 2]);
                out.push_str(&n.to_string());
                out.push_str(&line[at + 2..]);
            }
            None => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}
