//! The analyzer contract: what an analysis domain (Python, Kubernetes, …) implements, and the
//! contexts through which it reports.
//!
//! An analyzer checks one file at a time and may keep typed [`Analyzer::Facts`] about each
//! file for a project pass that looks across files (RBAC bindings in one file, roles in
//! another). The engine stores facts behind the object-safe [`DynAnalyzer`] adapter, so that
//! analyzers of different fact types sit in one list; an analyzer never sees another's facts
//! and never downcasts anything itself.

use super::network::{self, NetworkAccess, SourcesContext};
use crate::cache::{FactsCodec, Stash};
use crate::config::{ConfigTable, RuleSet};
use crate::coverage::CoverageNote;
use crate::discover::FileList;
use crate::finding::{Finding, Place};
use crate::options::OptionsType;
use crate::report::{Diagnostic, DiagnosticKind};
use crate::rule::RuleMeta;
use crate::source::{CommentStyle, FileSelector, SourceFile};
use std::any::Any;
use std::borrow::Cow;

/// One analysis domain: its rules and how it checks files.
pub trait Analyzer: Send + Sync + 'static {
    /// What the analyzer keeps from one file for its project pass (`()` when it has none).
    type Facts: Send + 'static;
    /// State every file of one scan shares (a cache of Kustomize renderings, …), made fresh
    /// by the engine for each scan and dropped with it, so no per-scan data lives in a global
    /// (`()` when there is none).
    type ScanState: Default + Send + Sync + 'static;

    /// The analyzer's name, used in notices (`python`, `k8s`). Its rules' ids may use one or
    /// several domains of their own.
    fn name(&self) -> &'static str;
    /// Every rule of the analyzer, in registration order.
    fn rules(&self) -> &'static [&'static RuleMeta];
    /// Which files the analyzer reads (by name, then optionally by content).
    fn files(&self) -> FileSelector;
    /// The type of its `[analyzers.<name>]` section in `palisade.toml`, if it has settings;
    /// checks read them with `cx.rules().analyzer_settings::<T>(name)`.
    fn settings(&self) -> Option<OptionsType> {
        None
    }
    /// A top-level table of `palisade.toml` the analyzer owns and reads itself (the control
    /// records of `[controls.*]`); checks read it with `cx.config().table::<T>(key)`.
    fn config_table(&self) -> Option<ConfigTable> {
        None
    }
    /// The rules that read `path`, one of the files the analyzer selected: in the coverage
    /// ledger the file counts toward these rules' recommendations only. By default every
    /// rule of the analyzer reads every one of its files.
    fn rules_for(&self, _path: &str) -> &'static [&'static RuleMeta] {
        self.rules()
    }
    /// The comment syntax of one of its files, for inline suppressions.
    fn comment_style(&self, path: &str) -> CommentStyle {
        CommentStyle::for_path(path)
    }
    /// What the analyzer reads, in a few words (`Kubernetes manifests`), for the coverage
    /// ledger's "no Kubernetes manifests found". Empty: "files for the <name> analyzer".
    fn input_kind(&self) -> &'static str {
        ""
    }
    /// Text for a binary file (NUL bytes) that the analyzer's selector took by its name, for
    /// the formats the analyzer reads in binary form (a binary plist, an APK): `None` when the
    /// bytes are not such a format (the file is then skipped as binary, as for every other
    /// analyzer), `Some(Err(why))` when they are but cannot be decoded (a notice). The text is
    /// what `check_file` gets; findings' lines and snippets refer to it (a binary plist as
    /// its XML rendering). Only files selected by name reach this, so the engine never reads
    /// every binary file of a tree. Must not panic on any bytes.
    fn decode_binary(&self, _path: &str, _bytes: &[u8]) -> Option<Result<String, String>> {
        None
    }
    /// A larger size limit than `scan.max-file-size` for one of its files, for archives it
    /// reads member by member under caps of its own (an APK is rarely under the 2 MB
    /// default meant for source files). `None` keeps the configured limit.
    fn size_limit(&self, _path: &str) -> Option<u64> {
        None
    }
    /// How the result cache stores the analyzer's facts, when its file checks may be cached
    /// (`None`, the default: they always run). An analyzer opts in only when what
    /// `check_file` reports and returns depends on nothing but the file (its path, role and
    /// text) and the rule set: no other file read from disk, no state that one file's check
    /// leaves for another's. Its checks are then not told the scan's other files
    /// ([`FileContext::scanned_paths`] is `None`). See [`crate::cache`].
    fn cache(&self) -> Option<FactsCodec<Self::Facts>> {
        None
    }
    /// For an analyzer that opts in to the cache: what its check of `file` reads besides
    /// the file's path, role, text and the rule set (whether a folder holds a marker file,
    /// where the scan root is on disk, what of the scan's other files it uses), added to the
    /// file's cache key; or `None` when the check of this file must run in this scan (it is
    /// then told the scan's files, as an uncached check is). The default: nothing more.
    /// `cx` is a context for keying only, told the scan's files and given the stash (what
    /// is reported through it is dropped). Called before the cache is looked up, for every
    /// file the analyzer takes: keep it cheap (per-scan work belongs in the scan state,
    /// computed once).
    fn cache_key(
        &self,
        _file: &SourceFile,
        _cx: &FileContext<'_>,
        _state: &Self::ScanState,
    ) -> Option<String> {
        Some(String::new())
    }
    /// Checks one file, reporting through `cx`, and returns what the project pass needs of
    /// it. Must not panic on any input: malformed input becomes `cx.notice(...)`.
    fn check_file(
        &self,
        file: &SourceFile,
        cx: &mut FileContext<'_>,
        state: &Self::ScanState,
    ) -> Option<Self::Facts>;
    /// Called once after every file was checked, with the facts `check_file` returned, for
    /// rules that look across files. Findings must name their file (`Finding::with_path`) or
    /// be about another kind of place (a folder, the repository).
    fn check_project(&self, _facts: Vec<Self::Facts>, _cx: &mut ProjectContext<'_>) {}
    /// Called once after the project pass, for checks of sources that are not files of the
    /// walk (git history, live targets, advisory data). Anything that opens a socket needs
    /// the [`super::Online`] capability, which only `cx.online()` of an online run gives.
    fn check_sources(&self, _cx: &mut SourcesContext<'_>) {}
}

/// Facts with their type erased, as the engine stores them between passes.
pub type ErasedFacts = Box<dyn Any + Send>;

/// A scan state with its type erased, as the engine holds it during a scan.
pub type ErasedState = Box<dyn Any + Send + Sync>;

/// The object-safe face of an [`Analyzer`], implemented for every analyzer: the engine holds
/// `&dyn DynAnalyzer` lists and never needs to know the fact types.
pub trait DynAnalyzer: Send + Sync {
    fn name(&self) -> &'static str;
    fn rules(&self) -> &'static [&'static RuleMeta];
    fn files(&self) -> FileSelector;
    fn settings(&self) -> Option<OptionsType>;
    fn config_table(&self) -> Option<ConfigTable>;
    fn rules_for(&self, path: &str) -> &'static [&'static RuleMeta];
    fn comment_style(&self, path: &str) -> CommentStyle;
    fn input_kind(&self) -> &'static str;
    fn decode_binary(&self, path: &str, bytes: &[u8]) -> Option<Result<String, String>>;
    fn size_limit(&self, path: &str) -> Option<u64>;
    /// A fresh scan state (see [`Analyzer::ScanState`]).
    fn new_scan_state(&self) -> ErasedState;
    fn check_file_erased(
        &self,
        file: &SourceFile,
        cx: &mut FileContext<'_>,
        state: &(dyn Any + Send + Sync),
    ) -> Option<ErasedFacts>;
    fn check_project_erased(&self, facts: Vec<ErasedFacts>, cx: &mut ProjectContext<'_>);
    /// The version of the analyzer's [`FactsCodec`], when its file checks may be cached.
    fn cache_version(&self) -> Option<u32>;
    /// See [`Analyzer::cache_key`].
    fn cache_key_erased(
        &self,
        file: &SourceFile,
        cx: &FileContext<'_>,
        state: &(dyn Any + Send + Sync),
    ) -> Option<String>;
    /// Facts as the cache stores them; `None` when they cannot be stored.
    fn encode_facts(&self, facts: &ErasedFacts) -> Option<serde_json::Value>;
    /// Facts back from the cache; `None` when the value is not this analyzer's facts.
    fn decode_facts(&self, value: serde_json::Value) -> Option<ErasedFacts>;
    fn check_sources(&self, cx: &mut SourcesContext<'_>);
}

impl<A: Analyzer> DynAnalyzer for A {
    fn name(&self) -> &'static str {
        Analyzer::name(self)
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        Analyzer::rules(self)
    }

    fn files(&self) -> FileSelector {
        Analyzer::files(self)
    }

    fn settings(&self) -> Option<OptionsType> {
        Analyzer::settings(self)
    }

    fn config_table(&self) -> Option<ConfigTable> {
        Analyzer::config_table(self)
    }

    fn rules_for(&self, path: &str) -> &'static [&'static RuleMeta] {
        Analyzer::rules_for(self, path)
    }

    fn comment_style(&self, path: &str) -> CommentStyle {
        Analyzer::comment_style(self, path)
    }

    fn input_kind(&self) -> &'static str {
        Analyzer::input_kind(self)
    }

    fn decode_binary(&self, path: &str, bytes: &[u8]) -> Option<Result<String, String>> {
        Analyzer::decode_binary(self, path, bytes)
    }

    fn size_limit(&self, path: &str) -> Option<u64> {
        Analyzer::size_limit(self, path)
    }

    fn new_scan_state(&self) -> ErasedState {
        Box::new(A::ScanState::default())
    }

    fn check_file_erased(
        &self,
        file: &SourceFile,
        cx: &mut FileContext<'_>,
        state: &(dyn Any + Send + Sync),
    ) -> Option<ErasedFacts> {
        // The engine hands each analyzer the state it made with `new_scan_state`; a state of
        // another type would be an engine bug, and the analyzer then gets a fresh one.
        let fresh;
        let state = match state.downcast_ref::<A::ScanState>() {
            Some(state) => state,
            None => {
                fresh = A::ScanState::default();
                &fresh
            }
        };
        self.check_file(file, cx, state)
            .map(|facts| Box::new(facts) as ErasedFacts)
    }

    fn check_project_erased(&self, facts: Vec<ErasedFacts>, cx: &mut ProjectContext<'_>) {
        // Only this analyzer's own facts are ever handed back to it, so every downcast
        // succeeds; anything else would be an engine bug and is dropped.
        let typed = facts
            .into_iter()
            .filter_map(|f| f.downcast::<A::Facts>().ok().map(|f| *f))
            .collect();
        self.check_project(typed, cx);
    }

    fn cache_version(&self) -> Option<u32> {
        self.cache().map(|codec| codec.version)
    }

    fn cache_key_erased(
        &self,
        file: &SourceFile,
        cx: &FileContext<'_>,
        state: &(dyn Any + Send + Sync),
    ) -> Option<String> {
        // Another state type would be an engine bug: the file is then not cached.
        self.cache_key(file, cx, state.downcast_ref::<A::ScanState>()?)
    }

    fn encode_facts(&self, facts: &ErasedFacts) -> Option<serde_json::Value> {
        self.cache()?.encode(facts.downcast_ref::<A::Facts>()?)
    }

    fn decode_facts(&self, value: serde_json::Value) -> Option<ErasedFacts> {
        let facts = self.cache()?.decode(value)?;
        Some(Box::new(facts))
    }

    fn check_sources(&self, cx: &mut SourcesContext<'_>) {
        Analyzer::check_sources(self, cx);
    }
}

/// What an analyzer may do in its project pass.
pub struct ProjectContext<'a> {
    pub(crate) rules: &'a RuleSet,
    pub(crate) network: NetworkAccess,
    pub(crate) config: Option<&'a crate::config::Config>,
    pub(crate) today: Option<crate::date::Date>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) coverage: Vec<CoverageNote>,
}

impl<'a> ProjectContext<'a> {
    pub(crate) fn new(rules: &'a RuleSet, network: NetworkAccess) -> ProjectContext<'a> {
        ProjectContext {
            rules,
            network,
            config: None,
            today: None,
            findings: Vec::new(),
            diagnostics: Vec::new(),
            coverage: Vec::new(),
        }
    }

    /// Tells the coverage ledger something besides findings (see [`CoverageNote`]).
    pub fn coverage(&mut self, note: CoverageNote) {
        self.coverage.push(note);
    }

    /// The same context, with the scan's configuration and date.
    pub(crate) fn with_scan(
        mut self,
        config: &'a crate::config::Config,
        today: crate::date::Date,
    ) -> ProjectContext<'a> {
        self.config = Some(config);
        self.today = Some(today);
        self
    }

    /// The configuration of the scan (its `source` says where relative paths in it start).
    pub fn config(&self) -> Option<&crate::config::Config> {
        self.config
    }

    /// The scan's date: `--today` (or `PALISADE_TODAY`) when given, else today in UTC.
    pub fn today(&self) -> crate::date::Date {
        self.today.unwrap_or_else(crate::date::Date::today)
    }

    pub fn wants(&self, rule: &RuleMeta) -> bool {
        network::runs(self.rules, rule, self.network)
    }

    /// The capability to open sockets, in an online run only (e.g. to ask an advisory
    /// service about the project's packages).
    pub fn online(&self) -> Option<super::Online> {
        (self.network == NetworkAccess::Online).then_some(super::network::Online::granted())
    }

    pub fn rules(&self) -> &RuleSet {
        self.rules
    }

    /// Reports a finding; a file finding's location must carry the file's path.
    pub fn report(&mut self, finding: Finding) {
        if applies(self.rules, &finding, self.network) {
            self.findings.push(finding);
        }
    }

    /// Records that something could not be checked (one notice for a whole Helm chart, …).
    pub fn notice(&mut self, path: Option<&str>, kind: DiagnosticKind, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            path: path.map(str::to_string),
            line: None,
            kind,
            message: message.into(),
        });
    }
}

/// Whether the finding's rule runs where the finding is (its `ignore-paths` do not cover it,
/// and it needs no network in an offline run).
fn applies(rules: &RuleSet, finding: &Finding, network: NetworkAccess) -> bool {
    if finding.rule.needs_network && network == NetworkAccess::Offline {
        return false;
    }
    match finding.location.path() {
        Some(path) => rules.applies(finding.rule.id, path),
        None => rules.is_enabled(finding.rule.id),
    }
}

/// The paths of the files a scan analyses (as reports name them): one bit per file of the
/// walk's [`FileList`] rather than a set of copies or of indices, since a scan of a large
/// tree holds it from the walk to the end of the first pass.
#[derive(Debug, Default)]
pub struct ScannedPaths<'a> {
    walk: Option<&'a FileList>,
    /// Bit `i % 64` of word `i / 64` is set when file `i` of `walk` is analysed.
    picked: Vec<u64>,
    /// Analysed paths that are not of the walk (standard input), sorted.
    others: Vec<&'a str>,
}

impl<'a> ScannedPaths<'a> {
    pub fn new(paths: impl IntoIterator<Item = &'a str>) -> ScannedPaths<'a> {
        let mut others: Vec<&'a str> = paths.into_iter().collect();
        others.sort_unstable();
        others.dedup();
        ScannedPaths {
            walk: None,
            picked: Vec::new(),
            others,
        }
    }

    /// The files of `walk` that `picks` takes (by index), and `others`. `picks` is asked
    /// once for each file, on all cores.
    pub(crate) fn of_walk(
        walk: &'a FileList,
        picks: impl Fn(usize) -> bool + Sync,
        others: impl IntoIterator<Item = &'a str>,
    ) -> ScannedPaths<'a> {
        use rayon::prelude::*;
        let picked = (0..walk.len().div_ceil(64))
            .into_par_iter()
            .map(|word| {
                (0..64)
                    .filter(|bit| {
                        let index = word * 64 + bit;
                        index < walk.len() && picks(index)
                    })
                    .fold(0u64, |bits, bit| bits | 1 << bit)
            })
            .collect();
        ScannedPaths {
            walk: Some(walk),
            picked,
            ..ScannedPaths::new(others)
        }
    }

    /// How many files it holds.
    pub fn len(&self) -> usize {
        let walked: u32 = self.picked.iter().map(|w| w.count_ones()).sum();
        walked as usize + self.others.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn is_picked(&self, index: usize) -> bool {
        self.picked
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    pub fn contains(&self, path: &str) -> bool {
        let walked = self
            .walk
            .and_then(|w| w.index_of(path))
            .is_some_and(|i| self.is_picked(i));
        walked || self.others.binary_search(&path).is_ok()
    }

    /// Every path, sorted.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'a, str>> + '_ {
        let walk = self.walk;
        let mut walked = (0..walk.map_or(0, FileList::len))
            .filter(|&i| self.is_picked(i))
            .filter_map(move |i| Some(Cow::Owned(walk?.get(i).path)))
            .peekable();
        let mut others = self.others.iter().map(|&p| Cow::Borrowed(p)).peekable();
        std::iter::from_fn(move || match (walked.peek(), others.peek()) {
            (Some(a), Some(b)) if b < a => others.next(),
            (Some(_), _) => walked.next(),
            (None, _) => others.next(),
        })
    }
}

/// What an analyzer may do while checking one file.
pub struct FileContext<'a> {
    file: &'a SourceFile,
    rules: &'a RuleSet,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    scanned: Option<&'a ScannedPaths<'a>>,
    collecting: bool,
    network: NetworkAccess,
    stash: Option<Stash<'a>>,
}

impl<'a> FileContext<'a> {
    pub fn new(file: &'a SourceFile, rules: &'a RuleSet) -> FileContext<'a> {
        FileContext {
            file,
            rules,
            findings: Vec::new(),
            diagnostics: Vec::new(),
            scanned: None,
            collecting: false,
            network: NetworkAccess::Offline,
            stash: None,
        }
    }

    /// Gives the check the analyzer's [`Stash`] in the scan's result cache.
    pub fn with_stash(mut self, stash: Stash<'a>) -> FileContext<'a> {
        self.stash = Some(stash);
        self
    }

    /// The analyzer's [`Stash`], when the scan has a result cache (not with `--no-cache`).
    pub fn stash(&self) -> Option<Stash<'a>> {
        self.stash
    }

    /// Tells the context which files the scan analyses (their paths), for
    /// [`FileContext::is_scanned`].
    pub fn with_scanned(mut self, scanned: &'a ScannedPaths<'a>) -> FileContext<'a> {
        self.scanned = Some(scanned);
        self
    }

    /// Marks the context as a collect run (a side command that wants only facts): findings
    /// are dropped, so an analyzer may skip its per-file rules.
    pub fn collecting(mut self) -> FileContext<'a> {
        self.collecting = true;
        self
    }

    /// Lets rules that need the network run (an online run).
    pub fn with_network(mut self, network: NetworkAccess) -> FileContext<'a> {
        self.network = network;
        self
    }

    /// Whether this is a collect run, where only the facts matter.
    pub fn is_collecting(&self) -> bool {
        self.collecting
    }

    /// Whether the file at `path` (relative to the scan root, like `SourceFile::path`) is
    /// analysed in this scan, so that [`FileContext::report_in`] may point a finding there.
    /// True when the context was not told (a context made for a single file).
    pub fn is_scanned(&self, path: &str) -> bool {
        self.scanned.is_none_or(|s| s.contains(path))
    }

    /// The paths of every file the scan analyses, when the context was told them (see
    /// [`FileContext::is_scanned`]). A check whose result is cached is never told them
    /// ([`Analyzer::cache`]): its entry must not depend on the other files of the scan.
    pub fn scanned_paths(&self) -> Option<&ScannedPaths<'a>> {
        self.scanned
    }

    /// Whether `rule` runs on this file; analyzers skip work for rules that do not.
    pub fn wants(&self, rule: &RuleMeta) -> bool {
        self.rules.applies(rule.id, &self.file.path)
            && (self.network == NetworkAccess::Online || !rule.needs_network)
    }

    /// Whether any of `rules` runs on this file.
    pub fn wants_any(&self, rules: &[&RuleMeta]) -> bool {
        rules.iter().any(|r| self.wants(r))
    }

    pub fn rules(&self) -> &RuleSet {
        self.rules
    }

    /// Reports a finding in this file. Findings of rules that do not run here are dropped.
    pub fn report(&mut self, mut finding: Finding) {
        if !self.wants(finding.rule) {
            return;
        }
        if let Place::File(location) = &mut finding.location {
            location.path = self.file.path.clone();
        }
        self.fill_related_paths(&mut finding);
        self.findings.push(finding);
    }

    /// Reports a finding in ANOTHER file of the scan (its location's path, relative to the
    /// scan root, must be set), or about another kind of place: an analyzer that renders
    /// several files into one (Kustomize) points findings back at the file that defined the
    /// offending line.
    pub fn report_in(&mut self, finding: Finding) {
        if finding.location.path().is_some_and(str::is_empty) {
            return self.report(finding);
        }
        if applies(self.rules, &finding, self.network) {
            self.findings.push(finding);
        }
    }

    fn fill_related_paths(&self, finding: &mut Finding) {
        for related in &mut finding.related {
            if related.location.path.is_empty() {
                related.location.path = self.file.path.clone();
            }
        }
    }

    /// The scan root this file was found under: the one the walk recorded, else its absolute
    /// path minus its relative one.
    pub fn root(&self) -> Option<std::path::PathBuf> {
        self.file.scan_root()
    }

    /// Records that (part of) this file could not be checked.
    pub fn notice(&mut self, kind: DiagnosticKind, line: Option<u32>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            path: Some(self.file.path.clone()),
            line,
            kind,
            message: message.into(),
        });
    }

    pub fn into_parts(self) -> (Vec<Finding>, Vec<Diagnostic>) {
        (self.findings, self.diagnostics)
    }
}
