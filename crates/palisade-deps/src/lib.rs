//! palisade's third-party components (POLICY.md `vendor-security`, OWASP A06): the package
//! inventory of every lockfile and manifest with exact lines, known vulnerabilities from OSV
//! advisories read offline, end-of-life runtimes and base images, and dependencies no
//! lockfile pins.
//!
//! Each file is read once into [`inventory::FileFacts`] (a parser per format; what a parser
//! cannot read becomes a notice with its line and the rest of the file still counts). The
//! rules run in the project pass over the whole inventory, where the advisory database is
//! loaded once, keeping only the records about the scan's packages.

pub mod cache;
pub mod cvss;
pub mod eol;
pub mod inventory;
pub mod net;
pub mod online;
pub mod osv;
pub mod registry;
pub mod rules;
pub mod sbom;
pub mod version;

use inventory::FileFacts;
use palisade_core::config::Config;
use palisade_core::coverage::CoverageNote;
use palisade_core::options::OptionsType;
use palisade_core::taxonomy::Recommendation;
use palisade_core::{
    Analyzer, DiagnosticKind, FactsCodec, FileContext, FileSelector, ProjectContext, RuleMeta,
    SourceFile,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One path or several.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Paths {
    One(String),
    Many(Vec<String>),
}

impl Default for Paths {
    fn default() -> Self {
        Paths::Many(Vec::new())
    }
}

impl Paths {
    pub fn list(&self) -> Vec<String> {
        match self {
            Paths::One(p) => vec![p.clone()],
            Paths::Many(p) => p.clone(),
        }
    }
}

/// `[analyzers.deps]` in palisade.toml.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DepsSettings {
    /// OSV advisory data: folders of OSV JSON files (searched recursively) and/or OSV
    /// per-ecosystem `all.zip` exports; one path or a list. Relative paths start at the
    /// folder of palisade.toml. `--advisory-db` on the command line replaces it.
    pub advisory_db: Paths,
    /// Where `palisade db update` downloads OSV's exports from (`<url>/<ecosystem>/all.zip`)
    /// [default: https://osv-vulnerabilities.storage.googleapis.com]; `db update --url`
    /// replaces it.
    pub download_url: Option<String>,
    /// The OSV API that `scan --online` asks [default: https://api.osv.dev].
    pub api_url: Option<String>,
    /// The PyPI JSON API that `scan --online` asks for the latest releases
    /// (`<url>/pypi/<name>/json`) [default: https://pypi.org].
    pub pypi_url: Option<String>,
    /// The npm registry that `scan --online` asks for the latest releases (`<url>/<name>`)
    /// [default: https://registry.npmjs.org].
    pub npm_url: Option<String>,
    /// The Maven repositories that `scan --online` asks for the latest releases
    /// (`<url>/<group path>/<artifact>/maven-metadata.xml`), one or a list, asked in order
    /// until one knows the artifact [default: Maven Central
    /// (https://repo1.maven.org/maven2), then Google's Maven repository for Android
    /// artifacts (https://dl.google.com/android/maven2)].
    pub maven_url: Option<Paths>,
    /// The cache folder `db update` writes and scans read [default:
    /// $XDG_CACHE_HOME/palisade, else ~/.cache/palisade]. Relative paths start at the
    /// folder of palisade.toml.
    pub cache_dir: Option<String>,
    /// Seconds any one connect, read or write of a download or API request may wait
    /// [default: 30].
    pub timeout_seconds: Option<u64>,
    /// How often a failed request is tried again (connection failures, HTTP 429 and 5xx)
    /// [default: 2].
    pub retries: Option<u32>,
}

impl DepsSettings {
    /// The HTTP client these settings describe.
    pub fn client(&self) -> net::Client {
        net::Client::new(
            std::time::Duration::from_secs(self.timeout_seconds.unwrap_or(30).max(1)),
            self.retries.unwrap_or(2),
        )
    }

    /// The cache folder: the configured one (relative to `base`), else the user's.
    pub fn cache_dir(&self, base: &Path) -> Option<PathBuf> {
        match &self.cache_dir {
            Some(dir) => {
                let dir = PathBuf::from(dir);
                Some(if dir.is_absolute() {
                    dir
                } else {
                    base.join(dir)
                })
            }
            None => cache::default_cache_dir(),
        }
    }
}

/// The `[analyzers.deps]` settings of a configuration (the defaults when it has none).
pub fn settings_of(config: &Config) -> DepsSettings {
    config
        .analyzer_settings
        .get(NAME)
        .and_then(|s| s.downcast_ref::<DepsSettings>())
        .cloned()
        .unwrap_or_default()
}

/// The analyzer's name, and its section in palisade.toml.
pub const NAME: &str = "deps";

/// Sets the advisory data of a run (`--advisory-db`), replacing the configured one; relative
/// paths are made absolute from the current folder, as a command line means them.
pub fn set_advisory_db(config: &mut Config, paths: &[PathBuf]) {
    let absolute: Vec<String> = paths
        .iter()
        .map(|p| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut settings = settings_of(config);
    settings.advisory_db = Paths::Many(absolute);
    config
        .analyzer_settings
        .insert(NAME.to_string(), Arc::new(settings));
}

/// The dependency analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct DepsAnalyzer;

static SETTINGS: OptionsType = OptionsType::of::<DepsSettings>();

impl Analyzer for DepsAnalyzer {
    type Facts = FileFacts;
    type ScanState = ();

    fn name(&self) -> &'static str {
        NAME
    }

    fn input_kind(&self) -> &'static str {
        "lockfiles, dependency manifests, Dockerfiles or Kubernetes manifests"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::METAS
    }

    fn files(&self) -> FileSelector {
        FileSelector {
            names: &[
                "poetry.lock",
                "pdm.lock",
                "uv.lock",
                "Pipfile.lock",
                "pyproject.toml",
                ".python-version",
                "setup.cfg",
                "setup.py",
                ".nvmrc",
                ".node-version",
                "package-lock.json",
                "npm-shrinkwrap.json",
                "yarn.lock",
                "pnpm-lock.yaml",
                "bun.lock",
                "package.json",
                "Cargo.lock",
                "pom.xml",
                "gradle.lockfile",
                "libs.versions.toml",
                "build.gradle",
                "build.gradle.kts",
                "Dockerfile",
                "Containerfile",
            ],
            globs: &[
                "**/requirements*.txt",
                "**/*requirements.txt",
                "**/constraints*.txt",
                "**/requirements/*.txt",
                "**/Dockerfile.*",
                "**/*.dockerfile",
            ],
            // Kubernetes manifests, for the images of their workloads (pnpm-lock.yaml is
            // named above).
            extensions: &["yaml", "yml"],
            ..FileSelector::default()
        }
    }

    fn settings(&self) -> Option<OptionsType> {
        Some(SETTINGS)
    }

    /// Cached: a file's inventory depends on its path and text alone. Everything that
    /// looks further (parent POMs, included requirements, the advisory data, the registries
    /// of an online run, the scan's date) happens in the project pass, which runs again
    /// over the cached inventories.
    fn cache(&self) -> Option<FactsCodec<FileFacts>> {
        Some(FactsCodec::json(1))
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileContext<'_>, _: &()) -> Option<FileFacts> {
        let mut facts = inventory::read(file)?;
        for problem in std::mem::take(&mut facts.problems) {
            let kind = if problem.skipped {
                DiagnosticKind::Skipped
            } else {
                DiagnosticKind::Parse
            };
            cx.notice(kind, problem.line, problem.message);
        }
        facts.packages.sort_by_key(|p| p.line);
        Some(facts)
    }

    fn check_project(&self, mut files: Vec<FileFacts>, cx: &mut ProjectContext<'_>) {
        for (path, message) in inventory::jvm::resolve_poms(&mut files) {
            cx.notice(Some(&path), DiagnosticKind::Skipped, message);
        }
        let known: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for file in &files {
            for (include, line) in &file.includes {
                if !known.contains(include.as_str()) {
                    cx.notice(
                        Some(&file.path),
                        DiagnosticKind::Skipped,
                        format!(
                            "line {line}: included file `{include}` is not part of the scan; its requirements were not read"
                        ),
                    );
                }
            }
        }
        let vulnerable = &rules::vulnerable_dependency::META;
        let db = if cx.wants(vulnerable) {
            load_database(&files, cx)
        } else {
            None
        };
        let project = rules::Project {
            files,
            db,
            today: cx.today(),
            settings: scan_settings(cx),
        };
        for rule in rules::RULES {
            if cx.wants(rule.meta) {
                (rule.check)(&project, cx);
            }
        }
    }
}

/// The `[analyzers.deps]` settings of the scan: its configuration holds the parsed section
/// (and `--advisory-db`); the rule set carries the same settings when it was resolved from
/// that configuration.
fn scan_settings(cx: &ProjectContext<'_>) -> DepsSettings {
    cx.config()
        .and_then(|c| c.analyzer_settings.get(NAME))
        .and_then(|s| s.downcast_ref::<DepsSettings>())
        .cloned()
        .unwrap_or_else(|| {
            cx.rules()
                .analyzer_settings::<DepsSettings>(NAME)
                .into_owned()
        })
}

/// The advisory database of the run, or `None` (with a notice saying what was not checked)
/// when none was given or none could be read. The sources, first that applies: the
/// advisory data given (`--advisory-db`, `advisory-db` in palisade.toml); in an online run,
/// the OSV API; the exports `palisade db update` left in the cache.
fn load_database(files: &[FileFacts], cx: &mut ProjectContext<'_>) -> Option<osv::Database> {
    let registry_packages = || {
        files
            .iter()
            .flat_map(|f| &f.packages)
            .filter(|p| p.origin == inventory::Origin::Registry && !p.version.is_empty())
    };
    let wanted: HashSet<osv::Key> = registry_packages()
        .map(|p| (p.ecosystem, p.ecosystem.normalise(&p.name)))
        .collect();
    if wanted.is_empty() {
        return None;
    }
    let settings = scan_settings(cx);
    let base: PathBuf = cx
        .config()
        .and_then(|c| c.source.as_deref())
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let paths: Vec<PathBuf> = settings
        .advisory_db
        .list()
        .into_iter()
        .map(|p| {
            let p = PathBuf::from(p);
            if p.is_absolute() { p } else { base.join(p) }
        })
        .collect();
    let lockfiles = files.iter().filter(|f| !f.packages.is_empty()).count();
    let not_checked = |why: &str| {
        format!(
            "deps/vulnerable-dependency: {} package version{} in {lockfiles} file{} NOT CHECKED for known vulnerabilities: {why} (run `palisade db update` once to download OSV's advisory exports, pass --advisory-db PATH or set advisory-db in [analyzers.deps] of palisade.toml to a folder of OSV records or OSV all.zip exports, or pass --online to ask the OSV API)",
            wanted.len(),
            if wanted.len() == 1 { "" } else { "s" },
            if lockfiles == 1 { "" } else { "s" },
        )
    };
    let from_api = paths.is_empty() && cx.online().is_some();
    let db = if !paths.is_empty() {
        osv::Database::load(&paths, &wanted)
    } else if let Some(online) = cx.online() {
        let api = settings
            .api_url
            .clone()
            .unwrap_or_else(|| online::DEFAULT_API_URL.to_string());
        let queries: std::collections::BTreeSet<online::Query> = registry_packages()
            .map(|p| online::Query {
                ecosystem: p.ecosystem,
                name: p.ecosystem.normalise(&p.name),
                version: p.version.clone(),
            })
            .collect();
        let queries: Vec<online::Query> = queries.into_iter().collect();
        match online::query(online, &settings.client(), &api, &queries, &wanted) {
            Ok(db) => {
                cx.coverage(CoverageNote::Inspected {
                    recommendation: Recommendation::VendorSecurity,
                    input: format!(
                        "OSV API {api}: {} package version{} asked about",
                        queries.len(),
                        if queries.len() == 1 { "" } else { "s" }
                    ),
                });
                db
            }
            Err(e) => {
                cx.notice(
                    None,
                    DiagnosticKind::Unreadable,
                    not_checked(&format!("the OSV API could not be asked: {e}")),
                );
                return None;
            }
        }
    } else {
        load_cache(&settings, &base, &wanted, cx, &not_checked)?
    };
    if !db.problems.is_empty() {
        cx.notice(
            None,
            DiagnosticKind::Parse,
            format!(
                "advisory data: {} file{} or entr{} could not be read (first: {})",
                db.problems.len(),
                if db.problems.len() == 1 { "" } else { "s" },
                if db.problems.len() == 1 { "y" } else { "ies" },
                db.problems[0]
            ),
        );
    }
    if db.is_empty() && !from_api {
        cx.notice(
            None,
            DiagnosticKind::Skipped,
            not_checked("the advisory data given holds no OSV record"),
        );
        return None;
    }
    Some(db)
}

/// The exports `palisade db update` left in the cache, for the scan's ecosystems; says how
/// old each is (the coverage ledger), warns when one is stale or missing.
fn load_cache(
    settings: &DepsSettings,
    base: &Path,
    wanted: &HashSet<osv::Key>,
    cx: &mut ProjectContext<'_>,
    not_checked: &dyn Fn(&str) -> String,
) -> Option<osv::Database> {
    let ecosystems: std::collections::BTreeSet<inventory::Ecosystem> =
        wanted.iter().map(|(eco, _)| *eco).collect();
    let ecosystems: Vec<inventory::Ecosystem> = ecosystems.into_iter().collect();
    let Some(dir) = settings.cache_dir(base) else {
        cx.notice(
            None,
            DiagnosticKind::Skipped,
            not_checked("no advisory data was given, and there is no cache folder (neither XDG_CACHE_HOME nor HOME is set)"),
        );
        return None;
    };
    let exports = cache::cached_exports(&dir, &ecosystems);
    if exports.is_empty() {
        cx.notice(
            None,
            DiagnosticKind::Skipped,
            not_checked(&format!(
                "no advisory data was given, and the cache {} holds no OSV export",
                dir.display()
            )),
        );
        return None;
    }
    let today = cx.today();
    let mut stale = Vec::new();
    for export in &exports {
        let name = export.ecosystem.osv_name();
        let input = match &export.meta {
            Some(meta) => {
                let age = (today.days_since_epoch() - meta.date().days_since_epoch()).max(0);
                if age > cache::STALE_AFTER_DAYS {
                    stale.push(format!("{name} ({age} days)"));
                }
                format!(
                    "OSV {name} export {}, downloaded {} from {} ({age} day{} old)",
                    export.zip.display(),
                    meta.downloaded_at,
                    meta.url,
                    if age == 1 { "" } else { "s" }
                )
            }
            None => {
                stale.push(format!("{name} (download date unknown)"));
                format!(
                    "OSV {name} export {} (no meta.json: download date unknown)",
                    export.zip.display()
                )
            }
        };
        cx.coverage(CoverageNote::Inspected {
            recommendation: Recommendation::VendorSecurity,
            input,
        });
    }
    if !stale.is_empty() {
        cx.notice(
            None,
            DiagnosticKind::Skipped,
            format!(
                "advisory data: the cached OSV export{} of {} {} older than {} days; advisories published since are missing (run `palisade db update`)",
                if stale.len() == 1 { "" } else { "s" },
                stale.join(", "),
                if stale.len() == 1 { "is" } else { "are" },
                cache::STALE_AFTER_DAYS
            ),
        );
    }
    let missing: Vec<&str> = ecosystems
        .iter()
        .filter(|eco| !exports.iter().any(|e| e.ecosystem == **eco))
        .map(|eco| eco.osv_name())
        .collect();
    if !missing.is_empty() {
        let count = wanted
            .iter()
            .filter(|(eco, _)| missing.contains(&eco.osv_name()))
            .count();
        cx.notice(
            None,
            DiagnosticKind::Skipped,
            format!(
                "deps/vulnerable-dependency: {count} package{} of {} NOT CHECKED for known vulnerabilities: the cache {} holds no export of {} (run `palisade db update --ecosystem {}`)",
                if count == 1 { "" } else { "s" },
                missing.join(", "),
                dir.display(),
                if missing.len() == 1 { "it" } else { "them" },
                missing.join(","),
            ),
        );
    }
    let zips: Vec<PathBuf> = exports.into_iter().map(|e| e.zip).collect();
    Some(osv::Database::load(&zips, wanted))
}
