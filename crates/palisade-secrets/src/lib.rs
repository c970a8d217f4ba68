//! palisade's secrets analyzer: provider tokens, private keys, credentials in URLs and
//! connection strings, Kubernetes Secret manifests, `.env` files and secret-looking
//! assignments, in every text file of the scan.
//!
//! The detectors are one data table ([`detectors`]), compiled once per scan into a keyword
//! prefilter and one many-pattern pass per tier ([`matcher`]). Each detector is a rule,
//! `secrets/<detector>`, whose metadata and documentation are generated from its entry
//! ([`table`]). Every finding marks its secret with `with_secret`, so the engine masks it in
//! every report, and declares that it only reports a secret: where another analyzer reports
//! the same value more specifically (the Python hard-coded secret key rule, the Kubernetes
//! literal secret in env rule), the engine keeps that one.

pub mod context;
pub mod detectors;
pub mod history;
pub mod matcher;
pub mod table;
pub mod validate;

use matcher::{FileKind, Hit, Matcher};
use palisade_core::engine::SourcesContext;
use palisade_core::git::RootScope;
use palisade_core::{
    Analyzer, Confidence, DiagnosticKind, FactsCodec, FileContext, FileSelector, Finding, RuleMeta,
    SourceFile,
};
use palisade_knowledge::roles::FileRole;
use std::sync::LazyLock;

/// At most this many secrets are reported per file: a generated file full of tokens says
/// what it needs to in a hundred findings, and positions cost a scan of the line each.
const MAX_FINDINGS_PER_FILE: usize = 100;

/// The secrets analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct SecretsAnalyzer;

impl SecretsAnalyzer {
    /// Its name in notices.
    pub const NAME: &'static str = "secrets";

    /// Text files where secrets are written: source, configuration, manifests, scripts,
    /// notebooks, documentation, key files and `.env` files. Binary formats are not selected
    /// (the engine would read each only to skip it).
    pub const FILES: FileSelector = FileSelector {
        extensions: &[
            "py",
            "pyi",
            "ipynb",
            "js",
            "jsx",
            "mjs",
            "cjs",
            "ts",
            "tsx",
            "vue",
            "svelte",
            "html",
            "htm",
            "java",
            "kt",
            "kts",
            "gradle",
            "scala",
            "groovy",
            "go",
            "rs",
            "rb",
            "php",
            "cs",
            "fs",
            "vb",
            "swift",
            "m",
            "mm",
            "c",
            "h",
            "cc",
            "cpp",
            "hpp",
            "sh",
            "bash",
            "zsh",
            "fish",
            "ps1",
            "psm1",
            "bat",
            "cmd",
            "pl",
            "pm",
            "lua",
            "r",
            "dart",
            "ex",
            "exs",
            "erl",
            "clj",
            "sql",
            "tf",
            "tfvars",
            "hcl",
            "yaml",
            "yml",
            "json",
            "jsonc",
            "json5",
            "toml",
            "ini",
            "cfg",
            "conf",
            "cnf",
            "properties",
            "env",
            "xml",
            "plist",
            "gradle",
            "md",
            "rst",
            "txt",
            "adoc",
            "pem",
            "key",
            "p8",
            "ppk",
            "asc",
            "gpg",
            "npmrc",
            "pypirc",
            "netrc",
            "dockerfile",
            "cer",
            "crt",
        ],
        names: &[
            "Dockerfile",
            "Containerfile",
            "Makefile",
            "Jenkinsfile",
            "Procfile",
            "Vagrantfile",
            ".env",
            ".envrc",
            ".npmrc",
            ".pypirc",
            ".netrc",
            ".git-credentials",
            ".dockercfg",
            "credentials",
            "id_rsa",
            "id_dsa",
            "id_ecdsa",
            "id_ed25519",
        ],
        except_names: &[
            "package-lock.json",
            "npm-shrinkwrap.json",
            "pnpm-lock.yaml",
            "yarn.lock",
            "poetry.lock",
            "Cargo.lock",
            "composer.lock",
            "Gemfile.lock",
        ],
        globs: &["**/.env.*", "**/*.env"],
        sniff: None,
    };
}

/// The detector table compiled once per process: compiling it is most of the cost of a
/// small scan (a fixture, a fuzz input, one file in an editor), and it never changes.
static MATCHER: LazyLock<Matcher> = LazyLock::new(Matcher::new);

/// The scan state: the process's compiled table, and which detectors the scan's rule set
/// runs.
pub struct SharedMatcher {
    matcher: &'static Matcher,
    enabled: std::sync::OnceLock<Enabled>,
}

impl Default for SharedMatcher {
    fn default() -> Self {
        SharedMatcher {
            matcher: &MATCHER,
            enabled: std::sync::OnceLock::new(),
        }
    }
}

/// Which detectors run, by index in [`table::METAS`], worked out once per scan: asking the
/// rule set for each of some 200 rules in each file cost a tenth of a secrets scan of many
/// small files.
struct Enabled {
    /// Whether each detector's rule is enabled.
    everywhere: Vec<bool>,
    /// The enabled ones with `ignore-paths`: asked again for each file.
    by_path: Vec<usize>,
}

impl Enabled {
    fn of(cx: &FileContext<'_>) -> Enabled {
        let rules = cx.rules();
        Enabled {
            everywhere: table::META_REFS
                .iter()
                .map(|m| rules.is_enabled(m.id))
                .collect(),
            by_path: (0..table::META_REFS.len())
                .filter(|&i| rules.depends_on_path(table::META_REFS[i].id))
                .collect(),
        }
    }

    /// Whether each detector runs on the file of `cx`.
    fn for_file(&self, cx: &FileContext<'_>) -> Vec<bool> {
        let mut wanted = self.everywhere.clone();
        for &i in &self.by_path {
            wanted[i] = cx.wants(table::META_REFS[i]);
        }
        wanted
    }
}

impl Analyzer for SecretsAnalyzer {
    type Facts = ();
    type ScanState = SharedMatcher;

    fn name(&self) -> &'static str {
        SecretsAnalyzer::NAME
    }

    fn input_kind(&self) -> &'static str {
        "text files"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        &table::META_REFS
    }

    fn files(&self) -> FileSelector {
        Self::FILES
    }

    /// Cached: a file's findings depend on its text and the rules alone (the matcher is
    /// built once from palisade's own table).
    fn cache(&self) -> Option<FactsCodec<()>> {
        Some(FactsCodec::json(1))
    }

    fn check_file(
        &self,
        file: &SourceFile,
        cx: &mut FileContext<'_>,
        state: &SharedMatcher,
    ) -> Option<()> {
        if cx.is_collecting() {
            return None;
        }
        let wanted = state.enabled.get_or_init(|| Enabled::of(cx)).for_file(cx);
        if !wanted.contains(&true) {
            return None;
        }
        let wants = |meta: &RuleMeta| table::meta_index(meta).is_some_and(|i| wanted[i]);
        for finding in findings(file, state.matcher, &wants) {
            cx.report(finding);
        }
        None
    }

    /// With `--history`, the secrets the git history of each scanned repository holds and
    /// the working tree no longer does ([`history`]).
    fn check_sources(&self, cx: &mut SourcesContext<'_>) {
        let Some(since) = cx.history().map(|h| h.since.clone()) else {
            return;
        };
        let wanted: Vec<&'static str> = table::META_REFS
            .iter()
            .filter(|m| cx.wants(m))
            .map(|m| m.id)
            .collect();
        if wanted.is_empty() {
            return;
        }
        // Each root's part of its repository: a subfolder's history is its own, not the
        // whole repository's.
        let mut scopes: Vec<(std::path::PathBuf, RootScope)> = Vec::new();
        let several = cx.roots().len() > 1;
        for root in cx.roots().to_vec() {
            match history::repository_root(&root) {
                Ok(top) => {
                    let scope = RootScope::of(&top, &root, several);
                    if !scopes.iter().any(|(t, s)| *t == top && *s == scope) {
                        scopes.push((top, scope));
                    }
                }
                Err(e) => cx.notice(DiagnosticKind::Skipped, e),
            }
        }
        let matcher: &Matcher = &MATCHER;
        for (top, scope) in scopes {
            match history::scan(&top, &scope, since.as_deref(), matcher, &|m| {
                wanted.contains(&m.id)
            }) {
                Ok(scan) => {
                    for finding in scan.findings {
                        cx.report(finding);
                    }
                    if let Some(why) = &scan.incomplete {
                        cx.notice(
                            DiagnosticKind::Unreadable,
                            format!(
                                "history of {}: read {} commit(s), then {why}",
                                top.display(),
                                scan.commits
                            ),
                        );
                    }
                    let skipped = scan.skipped;
                    if skipped.non_utf8_lines > 0 || skipped.truncated_files > 0 {
                        cx.notice(
                            DiagnosticKind::Skipped,
                            format!(
                                "history of {}: {} added line(s) not UTF-8 skipped, {} file change(s) cut after {} MB",
                                top.display(),
                                skipped.non_utf8_lines,
                                skipped.truncated_files,
                                history::MAX_ADDED_BYTES / (1024 * 1024)
                            ),
                        );
                    }
                }
                Err(e) => cx.notice(
                    DiagnosticKind::Unreadable,
                    format!("history of {}: {e}", top.display()),
                ),
            }
        }
    }
}

/// The findings of one file: every secret the table finds in it.
pub fn findings(
    file: &SourceFile,
    matcher: &Matcher,
    wants: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Finding> {
    let hits = secret_hits(&file.path, &file.text, matcher, wants);
    let positions = Positions::of_hits(&file.text, &hits);
    let lowered = matches!(
        file.role,
        FileRole::Test | FileRole::Fixture | FileRole::Example
    ) || is_lowered_path(&file.path);
    hits.into_iter()
        .map(|hit| {
            let meta = hit.detector.meta();
            let note = lowering_note(hit.detector, &file.path, lowered);
            let confidence = if note.is_some() {
                Confidence::Low
            } else {
                hit.confidence
            };
            let where_ = note.unwrap_or("");
            let mut finding = Finding::new(
                meta,
                positions.span(&hit.matched),
                format!(
                    "{}{where_}: whoever reads the repository can use it. {}",
                    meta.title, hit.detector.revoke
                ),
            )
            .with_confidence(confidence)
            .with_secret(positions.span(&hit.secret))
            .reporting_only_a_secret();
            if let Some(pair) = &hit.paired {
                finding = finding
                    .with_secret(file.span(pair.start, pair.end))
                    .with_related(file.span(pair.start, pair.end), "its secret access key");
            }
            finding
        })
        .collect()
}

/// What a finding in tests, examples or documentation adds to its message.
const LOWERED_NOTE: &str =
    " (in tests, examples or documentation: still a secret if it was ever issued)";

/// What a Google API key in a Firebase client configuration adds to its message.
const CLIENT_CONFIG_NOTE: &str = " (in a Firebase/Google client configuration, which ships inside the app for anyone to read: restrict the key by app and API in the console rather than treat it as a secret)";

/// Why a hit is reported with low confidence, as its message says it, or `None`: a file of
/// tests, examples or documentation (`lowered`), or a Google API key in the client
/// configuration a mobile app must ship (`google-services.json`, `GoogleService-Info.plist`,
/// the `res/values` strings the Google services plugin generates).
fn lowering_note(detector: &table::Detector, path: &str, lowered: bool) -> Option<&'static str> {
    if lowered {
        return Some(LOWERED_NOTE);
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let client_config = name == "google-services.json"
        || (name.starts_with("GoogleService-Info") && name.ends_with(".plist"))
        || (path.contains("/res/values") && name.ends_with(".xml"));
    (detector.slug == "gcp-api-key" && client_config).then_some(CLIENT_CONFIG_NOTE)
}

/// Whether a path is a test or documentation path, where a secret is reported with low
/// confidence.
fn is_lowered_path(path: &str) -> bool {
    context::is_test_path(path) || context::is_documentation_path(path)
}

/// Whether a file at `path`, classified by its path alone (a file of history has no walk
/// to classify it), is one whose secrets are reported with low confidence.
fn is_lowered_by_path(path: &str) -> bool {
    matches!(
        palisade_knowledge::roles::file_role(path),
        FileRole::Test | FileRole::Fixture | FileRole::Example
    ) || is_lowered_path(path)
}

/// The secrets of a text read from a file at `path` (its kind chooses the detectors):
/// every hit of the table, at most [`MAX_FINDINGS_PER_FILE`], an AWS access key id paired
/// with its secret access key. The one detection pass both the file scan and the history
/// scan ([`history`]) use.
pub fn secret_hits(
    path: &str,
    text: &str,
    matcher: &Matcher,
    wants: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<PairedHit> {
    let mut hits = matcher.find(text, FileKind::of(path), &|d| wants(d.meta()));
    hits.truncate(MAX_FINDINGS_PER_FILE);
    pair_aws_keys(hits, text)
}

/// An AWS access key id within this many bytes of a secret access key is reported as one
/// credential pair, with high confidence.
const AWS_PAIR_DISTANCE: usize = 600;

/// Pairs each AWS access key id with the nearest secret access key hit, or, failing one, a
/// 40-character base64 string near it: an id alone identifies an account, the pair logs
/// into it.
fn pair_aws_keys(hits: Vec<Hit>, text: &str) -> Vec<PairedHit> {
    let secrets: Vec<std::ops::Range<usize>> = hits
        .iter()
        .filter(|h| h.detector.slug == "aws-secret-key")
        .map(|h| h.secret.clone())
        .collect();
    let paired: Vec<PairedHit> = hits
        .into_iter()
        .map(|hit| {
            if hit.detector.slug != "aws-access-key" {
                return PairedHit::from(hit);
            }
            let near = |r: &&std::ops::Range<usize>| {
                r.start.abs_diff(hit.secret.start) <= AWS_PAIR_DISTANCE
            };
            let paired = secrets
                .iter()
                .find(near)
                .cloned()
                .or_else(|| bare_aws_secret_near(text, &hit.secret));
            let confidence = if paired.is_some() {
                Confidence::High
            } else {
                hit.confidence
            };
            PairedHit {
                paired,
                hit: Hit { confidence, ..hit },
            }
        })
        .collect();
    // One finding per credential: a secret key taken as an id's pair is not reported again.
    let taken: Vec<std::ops::Range<usize>> =
        paired.iter().filter_map(|h| h.paired.clone()).collect();
    paired
        .into_iter()
        .filter(|h| h.detector.slug != "aws-secret-key" || !taken.contains(&h.secret))
        .collect()
}

/// A 40-character base64 string with AWS-secret-key entropy near `id` (an id and its key
/// written side by side, `AKIA… wJal…`).
fn bare_aws_secret_near(text: &str, id: &std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let mut from = id.start.saturating_sub(AWS_PAIR_DISTANCE);
    let mut to = (id.end + AWS_PAIR_DISTANCE).min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let window = text.get(from..to)?;
    let is_b64 = |b: u8| b.is_ascii_alphanumeric() || b == b'/' || b == b'+';
    let bytes = window.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_b64(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_b64(bytes[i]) {
            i += 1;
        }
        let token = &window[start..i];
        if token.len() == 40
            && validate::entropy(token) >= 4.2
            && validate::random_base62(token)
            && !context::is_documentation_value(token)
        {
            return Some(from + start..from + i);
        }
    }
    None
}

/// Lines and columns of byte offsets, found in one pass over the text (a secret at the end
/// of a 5 MB minified line costs one scan of it, not one per finding).
struct Positions {
    /// Sorted offsets and their (line, column), both 1-based, columns in characters.
    at: Vec<(usize, (u32, u32))>,
}

impl Positions {
    /// The positions of every offset the hits mark.
    fn of_hits(text: &str, hits: &[PairedHit]) -> Positions {
        Positions::new(
            text,
            hits.iter().flat_map(|h| {
                [&h.matched, &h.secret]
                    .into_iter()
                    .chain(&h.paired)
                    .flat_map(|r| [r.start, r.end])
                    .collect::<Vec<_>>()
            }),
        )
    }

    fn new(text: &str, offsets: impl Iterator<Item = usize>) -> Positions {
        let mut wanted: Vec<usize> = offsets.collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut at = Vec::with_capacity(wanted.len());
        let (mut line, mut column) = (1u32, 1u32);
        let mut next = wanted.iter().peekable();
        for (i, c) in text.char_indices() {
            while next.peek().is_some_and(|&&o| o <= i) {
                at.push((*next.next().unwrap_or(&i), (line, column)));
            }
            if next.peek().is_none() {
                break;
            }
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        for &o in next {
            at.push((o, (line, column)));
        }
        Positions { at }
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        match self.at.binary_search_by_key(&offset, |(o, _)| *o) {
            Ok(i) => self.at[i].1,
            Err(i) => self.at.get(i.saturating_sub(1)).map_or((1, 1), |(_, p)| *p),
        }
    }

    fn span(&self, range: &std::ops::Range<usize>) -> palisade_core::Span {
        let (start_line, start_column) = self.position(range.start);
        let (end_line, end_column) = self.position(range.end);
        palisade_core::Span {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }
}

/// A hit, and for an AWS access key id the secret access key found beside it.
pub struct PairedHit {
    pub hit: Hit,
    pub paired: Option<std::ops::Range<usize>>,
}

impl From<Hit> for PairedHit {
    fn from(hit: Hit) -> Self {
        PairedHit { hit, paired: None }
    }
}

impl std::ops::Deref for PairedHit {
    type Target = Hit;
    fn deref(&self) -> &Hit {
        &self.hit
    }
}

#[cfg(test)]
mod tests;
