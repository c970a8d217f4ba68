//! One entry point for fuzzing every analyzer through the whole engine (parse, rules,
//! project pass, suppressions, snippets, fingerprints), without touching the disk: the
//! fuzz targets in `fuzz/` (cargo fuzz, nightly) and the smoke test that replays the
//! fixtures with mutations on every CI run (`tests/fuzz_smoke.rs`) both call it.
//!
//! An input's first byte picks the kind of file it is read as; the rest is the file. A
//! panic inside an analyzer is caught by the engine and becomes an "internal error" notice:
//! [`internal_errors`] finds those, so that a harness can fail on them.

pub mod parsers;

use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, DynAnalyzer, ScanOptions, Stdin};
use palisade_core::{CommentStyle, Report, SourceFile};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The kinds of file an input is read as: the analyzer that reads it and the path it is
/// given (analyzers look at names: a workflow, a `.env` file).
pub const KINDS: &[(&str, &str, CommentStyle)] = &[
    ("python", "shop/views.py", CommentStyle::Hash),
    ("k8s", "k8s/deployment.yaml", CommentStyle::Hash),
    ("ci", ".github/workflows/ci.yml", CommentStyle::Hash),
    ("ci", ".gitlab-ci.yml", CommentStyle::Hash),
    ("secrets", "config/.env.production", CommentStyle::Hash),
    ("secrets", "src/settings.js", CommentStyle::Slash),
    ("web", "public/index.html", CommentStyle::Markup),
    ("web", "src/checkout.js", CommentStyle::Slash),
    ("web", "deploy/nginx.conf", CommentStyle::Hash),
    ("deps", "requirements.txt", CommentStyle::Hash),
    ("deps", "package-lock.json", CommentStyle::None),
    ("deps", "poetry.lock", CommentStyle::Hash),
    (
        "android",
        "app/src/main/AndroidManifest.xml",
        CommentStyle::Markup,
    ),
    (
        "android",
        "app/src/main/java/shop/Checkout.kt",
        CommentStyle::Slash,
    ),
    ("ios", "ios/Shop/Info.plist", CommentStyle::Markup),
];

/// Scans `data` as the kind its first byte picks. `None` when the input is not text (the
/// engine turns those into a notice before any analyzer sees them).
pub fn scan_bytes(data: &[u8]) -> Option<Report> {
    let (&first, rest) = data.split_first()?;
    let kind = usize::from(first) % KINDS.len();
    let text = engine::decode(rest).ok()?;
    Some(scan_as(kind, text))
}

/// Scans `text` as the file of [`KINDS`]`[kind]`, with every rule of every analyzer.
pub fn scan_as(kind: usize, text: String) -> Report {
    let (analyzer, path, comment) = KINDS[kind % KINDS.len()];
    scan_named(analyzer, path, comment, text)
}

/// Scans `text` as the file at `path`, read by `analyzer` (its [`Analyzer::name`]), with
/// every rule of every analyzer.
///
/// [`Analyzer::name`]: palisade_core::Analyzer::name
pub fn scan_named(
    analyzer: &'static str,
    path: &str,
    comment: CommentStyle,
    text: String,
) -> Report {
    let Setup {
        analyzers,
        config,
        rules,
    } = setup();
    let file = SourceFile::new(path, PathBuf::from(path), comment, text);
    let options = ScanOptions {
        stdin: Some(Stdin { file, analyzer }),
        ..ScanOptions::new(Vec::new(), config, rules)
    };
    engine::scan(analyzers, &options).expect("a scan without roots cannot fail to start")
}

/// What every scan of [`scan_named`] shares: the analyzers, the default configuration and
/// every rule. Built once per process (a fuzz target scans one small file per input); none
/// of it changes during a scan.
struct Setup {
    analyzers: Vec<&'static dyn DynAnalyzer>,
    config: Config,
    rules: RuleSet,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let analyzers = crate::analyzers();
        let rules = RuleSet::all(&engine::registry(&analyzers));
        Setup {
            analyzers,
            config: Config::default(),
            rules,
        }
    })
}

/// The engine's notices that an analyzer panicked.
pub fn internal_errors(report: &Report) -> Vec<&str> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("internal error"))
        .map(|d| d.message.as_str())
        .collect()
}
