//! What a run may reach over the network, and the sources that are not files of the walk.
//!
//! palisade opens no socket unless the user asked for it (`--online`, and the live commands
//! to come: `probe`, `mysql`, `db update`). The engine enforces it in two ways: a rule whose
//! metadata says `needs_network` never runs offline (its findings are dropped and a notice
//! names it), and an analyzer can only obtain the [`Online`] capability — which every piece of
//! code that opens a socket must take as an argument — from a [`SourcesContext`] of an online
//! run. A test runs a default scan under `strace` and checks that no network socket is made.

use crate::config::{Config, RuleSet};
use crate::coverage::CoverageNote;
use crate::date::Date;
use crate::finding::Finding;
use crate::report::{Diagnostic, DiagnosticKind};
use crate::rule::RuleMeta;
use crate::taxonomy::Recommendation;
use std::path::PathBuf;

/// Whether the user allowed network access for this run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NetworkAccess {
    /// The default: no socket is opened.
    #[default]
    Offline,
    /// The user passed `--online` (or ran a live command).
    Online,
}

/// The part of a repository's git history a scan reads (`scan --history [--since …]`): the
/// commits reachable from HEAD, or only those after `since` (a revision, or a
/// `YYYY-MM-DD` date).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub since: Option<String>,
}

/// Proof that the user allowed network access. Only the engine makes one, for an online
/// run; code that opens sockets takes it as an argument, so an offline run cannot reach it.
#[derive(Clone, Copy, Debug)]
pub struct Online(());

impl Online {
    pub(crate) fn granted() -> Online {
        Online(())
    }

    /// The capability for a command whose whole purpose is a download the user asked for
    /// by running it (`palisade db update`). Analyzers get theirs from their context only.
    pub fn for_download_command() -> Online {
        Online(())
    }
}

/// What an analyzer may do in its sources phase: checks of things that are not files of the
/// walk — a repository's git history, live targets named on the command line or in the
/// configuration, external data such as advisory databases.
pub struct SourcesContext<'a> {
    pub(crate) rules: &'a RuleSet,
    pub(crate) network: NetworkAccess,
    pub(crate) roots: &'a [PathBuf],
    pub(crate) walked: &'a crate::discover::FileList,
    pub(crate) targets: &'a [String],
    pub(crate) config: &'a Config,
    pub(crate) today: Date,
    pub(crate) history: Option<&'a History>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) coverage: Vec<CoverageNote>,
}

impl<'a> SourcesContext<'a> {
    /// Tells the coverage ledger that `input` (a record, a document: something that is not a
    /// file of the walk) was inspected for `recommendation`.
    pub fn inspected(&mut self, recommendation: Recommendation, input: impl Into<String>) {
        self.coverage.push(CoverageNote::Inspected {
            recommendation,
            input: input.into(),
        });
    }

    /// Tells the coverage ledger that `recommendation` needs an attestation nobody recorded
    /// (`what`: which record, where it belongs). The recommendation is then never passing.
    pub fn needs_attestation(&mut self, recommendation: Recommendation, what: impl Into<String>) {
        self.coverage.push(CoverageNote::NeedsAttestation {
            recommendation,
            what: what.into(),
        });
    }

    /// The capability to open sockets, in an online run only.
    pub fn online(&self) -> Option<Online> {
        (self.network == NetworkAccess::Online).then_some(Online(()))
    }

    /// Whether `rule` runs: enabled, and online if it needs the network.
    pub fn wants(&self, rule: &RuleMeta) -> bool {
        runs(self.rules, rule, self.network)
    }

    /// The rules of the scan, with their options.
    pub fn rules(&self) -> &RuleSet {
        self.rules
    }

    /// The configuration of the scan (`[controls.*]` records are read from it).
    pub fn config(&self) -> &Config {
        self.config
    }

    /// The scan's date: `--today` (or `PALISADE_TODAY`) when given, else today in UTC.
    pub fn today(&self) -> Date {
        self.today
    }

    /// How findings name the configuration file: relative to the first root when inside it.
    pub fn config_display_path(&self) -> Option<String> {
        let path = self.config.source.as_ref()?;
        Some(super::ignores::config_display_path(
            path,
            self.roots,
            self.roots.len() > 1,
        ))
    }

    /// The scan's roots, as the user gave them (the repository whose history to read).
    pub fn roots(&self) -> &[PathBuf] {
        self.roots
    }

    /// Every file of the scan's one walk (ignore files, pruned folders and `scan.exclude`
    /// applied), as reports name them, sorted: for checks about the repository as a whole
    /// (which sensitive files CODEOWNERS covers), so that they need no walk of their own.
    /// Listed on request: a scan of a large tree does not hold the list otherwise.
    pub fn walked_files(&self) -> Vec<String> {
        self.walked.paths().collect()
    }

    /// Live targets the user named (URLs, `mysql://user@host:port`).
    pub fn targets(&self) -> &[String] {
        self.targets
    }

    /// The git history the user asked to read (`scan --history`), if any.
    pub fn history(&self) -> Option<&History> {
        self.history
    }

    /// Reports a finding at any kind of place; a file finding must name its file.
    pub fn report(&mut self, finding: Finding) {
        if self.wants(finding.rule) {
            self.findings.push(finding);
        }
    }

    /// Records that a source could not be checked.
    pub fn notice(&mut self, kind: DiagnosticKind, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            path: None,
            line: None,
            kind,
            message: message.into(),
        });
    }
}

/// Whether `rule` runs in a run with this network access.
pub(crate) fn runs(rules: &RuleSet, rule: &RuleMeta, network: NetworkAccess) -> bool {
    rules.is_enabled(rule.id) && (network == NetworkAccess::Online || !rule.needs_network)
}

/// Domains whose rules check only live targets the user names (`palisade probe`,
/// `palisade mysql`, `scan --online --target`): without a target they have nothing to
/// check, so an offline run without targets does not list them as left out.
pub const LIVE_TARGET_DOMAINS: &[&str] = &["probe", "mysql-server"];

/// One notice naming the enabled rules an offline run left out, if any.
pub(crate) fn offline_notice(
    rules: &RuleSet,
    network: NetworkAccess,
    has_targets: bool,
) -> Option<Diagnostic> {
    if network == NetworkAccess::Online {
        return None;
    }
    let left_out: Vec<&str> = rules
        .metas()
        .filter(|r| r.needs_network)
        .filter(|r| has_targets || !LIVE_TARGET_DOMAINS.contains(&r.domain()))
        .map(|r| r.id)
        .collect();
    (!left_out.is_empty()).then(|| Diagnostic {
        path: None,
        line: None,
        kind: DiagnosticKind::Skipped,
        message: format!(
            "{} rule{} need{} network access and did not run (pass --online to allow it): {}",
            left_out.len(),
            if left_out.len() == 1 { "" } else { "s" },
            if left_out.len() == 1 { "s" } else { "" },
            left_out.join(", ")
        ),
    })
}
