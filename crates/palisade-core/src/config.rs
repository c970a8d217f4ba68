//! `palisade.toml`: which rules run, how severe they are, which paths they ignore, their
//! options, and scan-wide settings. Unknown keys and wrong types are errors that name the
//! file, line and key, because a typo in a security tool's configuration must never silently
//! turn a check off.

use crate::finding::{Confidence, Severity};
use crate::options::{OptionsType, OptionsValue};
use crate::rule::RuleMeta;
pub use crate::rule_set::{ActiveRule, RuleSet};
use crate::taxonomy::{Owasp, Recommendation};
use globset::Glob;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The file name palisade looks for in the scan root and its parents.
pub const CONFIG_FILE_NAME: &str = "palisade.toml";

/// Folders never descended into unless `scan.prune-dirs` says otherwise.
pub const DEFAULT_PRUNE_DIRS: [&str; 11] = [
    "node_modules",
    ".git",
    "target",
    "build",
    "dist",
    ".venv",
    "venv",
    "__pycache__",
    ".gradle",
    "Pods",
    ".tox",
];

/// Files larger than this are skipped with a notice, unless `scan.max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// The whole configuration file.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "palisade.toml")]
pub struct Config {
    /// Scan-wide settings.
    #[serde(default)]
    pub scan: ScanSettings,
    /// Which rules run, by domain, OWASP category or policy recommendation. Empty lists
    /// select everything.
    #[serde(default)]
    pub select: Selection,
    /// Per-rule settings, keyed by rule id (e.g. `[rules."python/tls-verification-disabled"]`).
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSettings>,
    /// Per-analyzer settings, keyed by analyzer name (e.g. `[analyzers.k8s]`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub analyzers: BTreeMap<String, toml::Table>,
    /// The `[analyzers.<name>]` sections parsed into their analyzers' types (set by
    /// [`Config::parse`]; an analyzer without a section gets its defaults).
    #[serde(skip)]
    #[schemars(skip)]
    pub analyzer_settings: BTreeMap<String, OptionsValue>,
    /// The top-level tables analyzers own (`[controls.*]`, the control records), each read
    /// by its analyzer's [`ConfigTable`] from the same parse as the rest of the file (set by
    /// [`Config::parse`]; see [`Config::table`]).
    #[serde(skip)]
    #[schemars(skip)]
    pub tables: BTreeMap<String, OptionsValue>,
    /// Central suppressions (`[[ignore]]`): for findings that have no comment line (a
    /// folder, the repository, a live target) or that a team prefers to waive in one place.
    #[serde(default)]
    #[schemars(with = "Vec<IgnoreEntry>")]
    pub ignore: Vec<toml::Spanned<IgnoreEntry>>,
    /// The file the configuration was read from (set by [`Config::parse`]).
    #[serde(skip)]
    #[schemars(skip)]
    pub source: Option<PathBuf>,
    /// What the user should fix although it still works (old ids of renamed rules), as
    /// `file:line: message`; the binary prints them on stderr.
    #[serde(skip)]
    #[schemars(skip)]
    pub notices: Vec<String>,
}

/// One `[[ignore]]` entry: hides the findings of `rule` at a `path` (a glob relative to the
/// scan root), at a live `target`, or with one `fingerprint` — exactly one of the three.
/// `reason` is required; after `until` (`YYYY-MM-DD`) the entry hides nothing and is itself
/// reported, like an expired inline suppression.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// The rule id whose findings are hidden.
    pub rule: String,
    /// A glob over the finding's path, relative to the scan root (`frontend/**`).
    pub path: Option<String>,
    /// A live target exactly as reported (`https://shop.example/`).
    pub target: Option<String>,
    /// One finding's fingerprint, as the JSON and SARIF reports show it.
    pub fingerprint: Option<String>,
    /// Why the finding is accepted; shown in reviews of the configuration.
    pub reason: String,
    /// The last day the entry applies (`YYYY-MM-DD`).
    pub until: Option<String>,
    /// The entry's line in the configuration file (set by [`Config::parse`]).
    #[serde(skip)]
    #[schemars(skip)]
    pub line: u32,
}

/// `fail-on`: the lowest severity that makes `palisade scan` exit with 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    /// Never fail because of findings.
    None,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::None => None,
        }
    }
}

impl std::str::FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "critical" => Ok(FailOn::Critical),
            "high" => Ok(FailOn::High),
            "medium" => Ok(FailOn::Medium),
            "low" => Ok(FailOn::Low),
            "none" => Ok(FailOn::None),
            _ => Err(format!(
                "unknown threshold `{s}` (expected critical, high, medium, low or none)"
            )),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScanSettings {
    /// Files larger than this many bytes are skipped with a notice (default 2 MiB).
    pub max_file_size: Option<u64>,
    /// Globs (relative to the scan root) of files and folders to leave out entirely.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Folder names never descended into. Replaces the default list (node_modules, .git,
    /// target, build, dist, .venv, venv, __pycache__, .gradle, Pods, .tox).
    pub prune_dirs: Option<Vec<String>>,
    /// Default for `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// Default for `--fail-confidence`: findings below this confidence are reported but do
    /// not fail the run (default medium).
    pub fail_confidence: Option<Confidence>,
    /// Default for `--min-confidence`.
    pub min_confidence: Option<Confidence>,
    /// Whether scans keep their per-file results in the result cache and answer unchanged
    /// files from it (default true; `--no-cache` or `PALISADE_NO_CACHE=1` turn it off too).
    pub cache: Option<bool>,
    /// The result cache's folder, relative to this file's folder [default: the user's
    /// cache folder, `$XDG_CACHE_HOME/palisade` or `~/.cache/palisade`]. `--cache-dir`
    /// replaces it.
    pub cache_dir: Option<String>,
    /// Result cache entries no scan used for this many days are removed at the end of a
    /// scan (checked at most once a day; default 30, 0 keeps them). Entries of other
    /// palisade versions and builds are removed a day after their last use whatever this
    /// says.
    pub cache_max_age_days: Option<u32>,
    /// The result cache is kept under this many MiB: at the end of a scan that finds it over
    /// it, the folders of other palisade builds not used within the hour go first, then the
    /// least recently used entries of this build, each down to 80% (default 1024, 0 for no
    /// cap). The size is measured only when what scans wrote since the last measure may
    /// have reached it, and at least once a day.
    pub cache_max_size_mb: Option<u64>,
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Selection {
    /// Rule domains, the part of a rule id before the slash (`python`, `k8s`, …).
    #[serde(default)]
    pub domains: Vec<String>,
    /// OWASP Top 10 2021 categories (`A01` … `A10`).
    #[serde(default)]
    pub owasp: Vec<Owasp>,
    /// Policy recommendations (`mysql`, `kubernetes`, …).
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
}

impl Selection {
    pub(crate) fn is_empty(&self) -> bool {
        self.domains.is_empty() && self.owasp.is_empty() && self.recommendations.is_empty()
    }

    /// Whether a rule is selected. Each non-empty list must contain the rule's value.
    pub fn selects(&self, rule: &RuleMeta) -> bool {
        (self.domains.is_empty() || self.domains.iter().any(|d| d == rule.domain()))
            && (self.owasp.is_empty() || self.owasp.contains(&rule.owasp))
            && (self.recommendations.is_empty()
                || self.recommendations.contains(&rule.recommendation))
    }
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSettings {
    /// Turn the rule on or off, whatever `[select]` says.
    pub enabled: Option<bool>,
    /// Report the rule's findings at this severity instead of its default.
    pub severity: Option<Severity>,
    /// Globs (relative to the scan root) of files this rule does not check.
    #[serde(default)]
    pub ignore_paths: Vec<String>,
    /// Rule-specific options; `palisade explain <id>` lists them.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub options: toml::Table,
    /// `options` parsed into the rule's options type (set by [`Config::parse`]).
    #[serde(skip)]
    #[schemars(skip)]
    pub parsed_options: Option<OptionsValue>,
}

/// The configuration sections an analyzer declares: `[analyzers.<analyzer>]`, parsed into the
/// analyzer's settings type, and a top-level table it owns.
#[derive(Clone, Copy, Debug)]
pub struct SettingsSection {
    pub analyzer: &'static str,
    /// The type of `[analyzers.<analyzer>]`, when the analyzer has settings.
    pub settings: Option<OptionsType>,
    /// A top-level table the analyzer owns (`[controls]`), when it has one.
    pub table: Option<ConfigTable>,
}

/// A top-level table of `palisade.toml` that one analyzer owns and reads itself, with the
/// place of every value (the control records of `[controls.*]`, whose stale dates are
/// reported at their lines). The file is parsed once: the reader gets its table's value out
/// of that parse, with spans into the file's text, and returns its typed content or an error
/// at a span, which becomes a located configuration error.
#[derive(Clone, Copy)]
pub struct ConfigTable {
    /// The table's key (`controls`).
    pub key: &'static str,
    /// Reads the table: its value (spans are byte offsets into `text`) and the file's text.
    pub read: fn(toml::Spanned<toml::de::DeValue<'_>>, &str) -> Result<OptionsValue, TableError>,
    /// The table's JSON schema.
    pub schema: fn() -> serde_json::Value,
}

impl fmt::Debug for ConfigTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigTable")
            .field("key", &self.key)
            .finish()
    }
}

/// Why an analyzer's table could not be read, and where (a byte range of the file's text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableError {
    pub span: Option<std::ops::Range<usize>>,
    pub message: String,
}

impl From<toml::de::Error> for TableError {
    fn from(e: toml::de::Error) -> TableError {
        TableError {
            span: e.span(),
            message: e.message().trim().to_string(),
        }
    }
}

/// A configuration error, rendered as `file:line:column: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl Config {
    /// Finds `palisade.toml` in `start` (a folder, or a file's folder) or the nearest parent.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = start.canonicalize().ok()?;
        let mut dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            dir = d.parent();
        }
        None
    }

    /// Reads and validates a configuration file against the rules palisade knows.
    pub fn load(
        path: &Path,
        registry: &[&'static RuleMeta],
        sections: &[SettingsSection],
    ) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("cannot read the configuration file: {e}"),
        })?;
        Config::parse(&text, path, registry, sections)
    }

    /// Parses and validates configuration text; `path` is only used in error messages.
    pub fn parse(
        text: &str,
        path: &Path,
        registry: &[&'static RuleMeta],
        sections: &[SettingsSection],
    ) -> Result<Config, ConfigError> {
        let located = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map(|s| line_column(text, s.start)).unzip();
            ConfigError {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let toml_error = |e: toml::de::Error| located(e.span(), e.message().trim().to_string());
        // The one parse of the file: analyzers' tables are taken out of it, the rest is
        // deserialized into the core's own sections.
        let mut document = toml::de::DeTable::parse(text).map_err(toml_error)?;
        let mut owned = Vec::new();
        for table in sections.iter().filter_map(|s| s.table) {
            if let Some(value) = document.get_mut().remove(table.key) {
                owned.push((table, value));
            }
        }
        let mut config =
            Config::deserialize(toml::de::Deserializer::from(document)).map_err(toml_error)?;
        for (table, value) in owned {
            let read = (table.read)(value, text).map_err(|e| located(e.span, e.message))?;
            config.tables.insert(table.key.to_string(), read);
        }
        for entry in &mut config.ignore {
            let line = line_column(text, entry.span().start).0 as u32;
            entry.get_mut().line = line;
        }
        config.source = Some(path.to_path_buf());
        config.follow_renamed_rules(text, path)?;
        config.validate(text, path, registry)?;
        config.parse_options(text, path, registry, sections)?;
        Ok(config)
    }

    /// Replaces old ids of renamed rules in `[rules."<id>"]` and `[[ignore]]` by their
    /// current ids, with a notice for each. Settings for a rule under both its old and its new
    /// id are an error: which one should win is not for palisade to guess.
    fn follow_renamed_rules(&mut self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let line_of = |needle: &str| text.find(needle).map(|at| line_column(text, at).0);
        let place = |line: Option<usize>| match line {
            Some(line) => format!("{}:{line}", path.display()),
            None => path.display().to_string(),
        };
        let old_ids: Vec<String> = self
            .rules
            .keys()
            .filter(|id| crate::rule::renamed_rule(id).is_some())
            .cloned()
            .collect();
        for old in old_ids {
            let Some(new) = crate::rule::renamed_rule(&old) else {
                continue;
            };
            let line = line_of(&format!("\"{old}\""));
            if self.rules.contains_key(new) {
                return Err(ConfigError {
                    path: path.to_path_buf(),
                    line,
                    column: None,
                    message: format!(
                        "rules: `{old}` is the old id of `{new}`, which is configured too; keep only `{new}`"
                    ),
                });
            }
            if let Some(settings) = self.rules.remove(&old) {
                self.rules.insert(new.to_string(), settings);
            }
            self.notices.push(format!(
                "{}: {}",
                place(line),
                crate::rule::renamed_rule_notice(&old, new)
            ));
        }
        for entry in &mut self.ignore {
            let entry = entry.get_mut();
            if let Some(new) = crate::rule::renamed_rule(&entry.rule) {
                self.notices.push(format!(
                    "{}: {}",
                    place(Some(entry.line as usize)),
                    crate::rule::renamed_rule_notice(&entry.rule, new)
                ));
                entry.rule = new.to_string();
            }
        }
        Ok(())
    }

    /// Checks what serde cannot: rule ids, domains, globs and option names/types.
    fn validate(
        &self,
        text: &str,
        path: &Path,
        registry: &[&'static RuleMeta],
    ) -> Result<(), ConfigError> {
        let error = |needle: &str, message: String| error_at(text, path, needle, message);
        for domain in &self.select.domains {
            if !registry.iter().any(|r| r.domain() == domain) {
                let mut known: Vec<&str> = registry.iter().map(|r| r.domain()).collect();
                known.dedup();
                return Err(error(
                    &format!("\"{domain}\""),
                    format!(
                        "select.domains: unknown domain `{domain}` (known: {})",
                        known.join(", ")
                    ),
                ));
            }
        }
        for glob in &self.scan.exclude {
            Glob::new(glob)
                .map_err(|e| error(glob, format!("scan.exclude: invalid glob `{glob}`: {e}")))?;
        }
        for entry in &self.ignore {
            validate_ignore(entry, text, path, registry)?;
        }
        for (id, settings) in &self.rules {
            if !registry.iter().any(|r| r.id == id) {
                return Err(error(
                    id,
                    format!("rules: unknown rule id `{id}` (`palisade rules` lists them)"),
                ));
            }
            for glob in &settings.ignore_paths {
                Glob::new(glob).map_err(|e| {
                    error(
                        glob,
                        format!("rules.\"{id}\".ignore-paths: invalid glob `{glob}`: {e}"),
                    )
                })?;
            }
        }
        Ok(())
    }

    /// Parses every rule's `options` and every `[analyzers.<name>]` section into its type, once;
    /// unknown options and wrong types are errors at their line.
    fn parse_options(
        &mut self,
        text: &str,
        path: &Path,
        registry: &[&'static RuleMeta],
        sections: &[SettingsSection],
    ) -> Result<(), ConfigError> {
        let error = |needle: &str, message: String| error_at(text, path, needle, message);
        for (id, settings) in &mut self.rules {
            let Some(rule) = registry.iter().find(|r| r.id == id) else {
                continue;
            };
            let Some(options) = rule.options_type() else {
                if let Some(name) = settings.options.keys().next() {
                    return Err(error(
                        name,
                        format!("rules.\"{id}\".options: unknown option `{name}` (known: none)"),
                    ));
                }
                continue;
            };
            let parsed = parse_typed(
                options,
                &settings.options,
                &format!("rules.\"{id}\".options"),
            )
            .map_err(|(needle, message)| error(&needle, message))?;
            settings.parsed_options = Some(parsed);
        }
        for (name, table) in &self.analyzers {
            let Some(settings) = sections
                .iter()
                .find(|s| s.analyzer == name)
                .and_then(|s| s.settings)
            else {
                let known: Vec<&str> = sections
                    .iter()
                    .filter(|s| s.settings.is_some())
                    .map(|s| s.analyzer)
                    .collect();
                return Err(error(
                    &format!("analyzers.{name}"),
                    format!(
                        "analyzers: unknown analyzer `{name}` (known: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            };
            let parsed = parse_typed(&settings, table, &format!("analyzers.{name}"))
                .map_err(|(needle, message)| error(&needle, message))?;
            self.analyzer_settings.insert(name.clone(), parsed);
        }
        Ok(())
    }

    /// The `[[ignore]]` entries, without their spans.
    pub fn ignore_entries(&self) -> impl Iterator<Item = &IgnoreEntry> {
        self.ignore.iter().map(|e| e.get_ref())
    }

    /// The JSON schema of this file format, for editors and `palisade config schema`: each
    /// known rule under `rules."<id>"` with its own options, and each analyzer's section.
    pub fn json_schema(
        registry: &[&'static RuleMeta],
        sections: &[SettingsSection],
    ) -> serde_json::Value {
        let mut schema = serde_json::to_value(schemars::schema_for!(Config)).unwrap_or_default();
        let generic = schema
            .pointer("/$defs/RuleSettings")
            .cloned()
            .unwrap_or_default();
        let no_options = serde_json::json!({ "type": "object", "additionalProperties": false });
        let mut rules = serde_json::Map::new();
        for rule in registry {
            let mut settings = generic.clone();
            if let Some(properties) = settings
                .get_mut("properties")
                .and_then(|p| p.as_object_mut())
            {
                let options = rule
                    .options_type()
                    .map_or(no_options.clone(), OptionsType::schema);
                properties.insert("options".to_string(), options);
            }
            rules.insert(rule.id.to_string(), settings);
        }
        if let Some(property) = schema.pointer_mut("/properties/rules") {
            property["properties"] = serde_json::Value::Object(rules);
        }
        let analyzers: serde_json::Map<String, serde_json::Value> = sections
            .iter()
            .filter_map(|s| Some((s.analyzer.to_string(), s.settings?.schema())))
            .collect();
        if let Some(property) = schema.pointer_mut("/properties/analyzers") {
            property["properties"] = serde_json::Value::Object(analyzers);
            property["additionalProperties"] = serde_json::Value::Bool(false);
        }
        if let Some(properties) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
            for table in sections.iter().filter_map(|s| s.table) {
                properties.insert(table.key.to_string(), (table.schema)());
            }
        }
        schema
    }

    /// The typed content of an analyzer's top-level table (`"controls"`), as its
    /// [`ConfigTable`] read it; `None` when the file has no such table (or `T` is not the
    /// table's type).
    pub fn table<T: std::any::Any>(&self, key: &str) -> Option<&T> {
        self.tables.get(key).and_then(|v| v.downcast_ref::<T>())
    }

    pub fn max_file_size(&self) -> u64 {
        self.scan.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }

    pub fn prune_dirs(&self) -> Vec<String> {
        self.scan.prune_dirs.clone().unwrap_or_else(|| {
            DEFAULT_PRUNE_DIRS
                .iter()
                .map(|d| (*d).to_string())
                .collect()
        })
    }
}

/// `table` parsed into `options`, or the text to look for (the offending key) and the message.
fn parse_typed(
    options: &OptionsType,
    table: &toml::Table,
    section: &str,
) -> Result<OptionsValue, (String, String)> {
    options.parse(table.clone()).map_err(|e| {
        let known = options.names();
        match options.offending_key(table) {
            Some(key) if !known.iter().any(|k| k == key) => (
                key.to_string(),
                format!(
                    "{section}: unknown option `{key}` (known: {})",
                    known.join(", ")
                ),
            ),
            Some(key) => (
                key.to_string(),
                format!("{section}.{key}: {}", e.message().trim()),
            ),
            None => (
                section.to_string(),
                format!("{section}: {}", e.message().trim()),
            ),
        }
    })
}

/// 1-based line and column of a byte offset.
/// An error located at the first place `needle` appears in the configuration text.
fn error_at(text: &str, path: &Path, needle: &str, message: String) -> ConfigError {
    let (line, column) = text.find(needle).map(|at| line_column(text, at)).unzip();
    ConfigError {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

fn line_column(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Checks one `[[ignore]]` entry: a known rule, exactly one of path / target / fingerprint, a
/// reason, a valid glob and date.
fn validate_ignore(
    entry: &toml::Spanned<IgnoreEntry>,
    text: &str,
    path: &Path,
    registry: &[&'static RuleMeta],
) -> Result<(), ConfigError> {
    let (line, column) = line_column(text, entry.span().start);
    let error = |message: String| ConfigError {
        path: path.to_path_buf(),
        line: Some(line),
        column: Some(column),
        message,
    };
    let e = entry.get_ref();
    if !registry.iter().any(|r| r.id == e.rule) {
        return Err(error(format!(
            "ignore: unknown rule id `{}` (`palisade rules` lists them)",
            e.rule
        )));
    }
    let given = [
        e.path.is_some(),
        e.target.is_some(),
        e.fingerprint.is_some(),
    ]
    .into_iter()
    .filter(|g| *g)
    .count();
    if given != 1 {
        return Err(error(
            "ignore: give exactly one of `path`, `target` or `fingerprint`".to_string(),
        ));
    }
    if e.reason.trim().is_empty() {
        return Err(error("ignore: `reason` must say why".to_string()));
    }
    if let Some(glob) = &e.path {
        Glob::new(glob).map_err(|err| error(format!("ignore: invalid glob `{glob}`: {err}")))?;
    }
    if let Some(until) = &e.until
        && crate::date::Date::parse(until).is_none()
    {
        return Err(error(format!(
            "ignore: `until` must be a date written YYYY-MM-DD, found `{until}`"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example rule's options.
    #[derive(Clone, Debug, Default, Deserialize, serde::Serialize, JsonSchema)]
    #[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
    struct ExampleOptions {
        /// Skip test files.
        skip_tests: bool,
    }

    /// An analyzer's settings.
    #[derive(Clone, Debug, Deserialize, serde::Serialize, JsonSchema)]
    #[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
    struct ExampleSettings {
        /// Render things.
        render: bool,
        /// Seconds to wait.
        timeout_seconds: u64,
    }

    impl Default for ExampleSettings {
        fn default() -> Self {
            ExampleSettings {
                render: true,
                timeout_seconds: 60,
            }
        }
    }

    /// A table an analyzer owns: `[records]`, a map of names to dates, read with lines.
    fn read_records(
        value: toml::Spanned<toml::de::DeValue<'_>>,
        text: &str,
    ) -> Result<OptionsValue, TableError> {
        let records: BTreeMap<String, toml::Spanned<String>> =
            serde::Deserialize::deserialize(toml::de::ValueDeserializer::from(value))?;
        let mut lines = BTreeMap::new();
        for (name, date) in records {
            if crate::date::Date::parse(date.get_ref()).is_none() {
                return Err(TableError {
                    span: Some(date.span()),
                    message: format!("records.{name}: not a date"),
                });
            }
            lines.insert(name, line_column(text, date.span().start).0);
        }
        Ok(std::sync::Arc::new(lines))
    }

    const SECTIONS: &[SettingsSection] = &[
        SettingsSection {
            analyzer: "example",
            settings: Some(OptionsType::of::<ExampleSettings>()),
            table: None,
        },
        SettingsSection {
            analyzer: "recorder",
            settings: None,
            table: Some(ConfigTable {
                key: "records",
                read: read_records,
                schema: || serde_json::json!({ "type": "object" }),
            }),
        },
    ];

    static RULE: RuleMeta = RuleMeta {
        id: "python/example-rule",
        title: "Example",
        severity: Severity::High,
        confidence: Confidence::High,
        cwe: &[295],
        owasp: Owasp::A02,
        recommendation: Recommendation::PythonBackend,
        needs_network: false,
        options: &[OptionsType::of::<ExampleOptions>()],
        source: "",
    };

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("palisade.toml"), &[&RULE], SECTIONS)
    }

    #[test]
    fn the_result_cache_settings_parse() {
        let config = parse("[scan]\ncache-max-age-days = 7\ncache-max-size-mb = 0\n").unwrap();
        assert_eq!(config.scan.cache_max_age_days, Some(7));
        assert_eq!(config.scan.cache_max_size_mb, Some(0));
        assert_eq!(parse("").unwrap().scan.cache_max_size_mb, None);
        let err = parse("[scan]\ncache-max-size-mb = -1\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let err = parse("[scan]\nmax-file-size = 10\nfail_on = \"high\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("fail_on"), "{err}");
        assert!(err.to_string().starts_with("palisade.toml:3:"), "{err}");
    }

    #[test]
    fn wrong_type_is_an_error() {
        let err = parse("[rules.\"python/example-rule\"]\nenabled = \"yes\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("bool"), "{err}");
    }

    #[test]
    fn unknown_rule_and_option_are_errors() {
        let err = parse("\n[rules.\"python/nope\"]\nenabled = false\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("python/nope"));
        let err = parse("[rules.\"python/example-rule\".options]\nfoo = 1\n").unwrap_err();
        assert!(
            err.message
                .contains("unknown option `foo` (known: skip-tests)"),
            "{err}"
        );
        assert_eq!(err.line, Some(2));
        let err = parse("[rules.\"python/example-rule\".options]\n\nskip-tests = 1\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message
                .starts_with("rules.\"python/example-rule\".options.skip-tests: "),
            "{err}"
        );
        assert!(err.message.contains("bool"), "{err}");
    }

    #[test]
    fn resolves_enable_severity_and_selection() {
        let cfg = parse(
            "[select]\ndomains = [\"python\"]\n[rules.\"python/example-rule\"]\nseverity = \"low\"\nignore-paths = [\"tests/**\"]\noptions = { skip-tests = true }\n",
        )
        .unwrap();
        let set = RuleSet::resolve(&[&RULE], &cfg, None);
        let rule = set.get("python/example-rule").unwrap();
        assert_eq!(rule.severity, Severity::Low);
        assert!(set.applies("python/example-rule", "app/main.py"));
        assert!(!set.applies("python/example-rule", "tests/test_main.py"));
        assert!(set.options::<ExampleOptions>(&RULE).skip_tests);
        let unconfigured = RuleSet::all(&[&RULE]);
        assert!(!unconfigured.options::<ExampleOptions>(&RULE).skip_tests);

        let cfg = parse("[select]\nrecommendations = [\"mysql\"]\n").unwrap();
        assert!(RuleSet::resolve(&[&RULE], &cfg, None).is_empty());
        let cfg = parse("[select]\nowasp = [\"A02\"]\n").unwrap();
        assert_eq!(RuleSet::resolve(&[&RULE], &cfg, None).len(), 1);
        let cfg = parse("[rules.\"python/example-rule\"]\nenabled = false\n").unwrap();
        assert!(RuleSet::resolve(&[&RULE], &cfg, None).is_empty());
    }

    #[test]
    fn old_ids_of_renamed_rules_still_configure_and_ignore_with_a_notice() {
        let cfg = parse(
            "[rules.\"python/example-old-name\"]\nseverity = \"low\"\n\n[[ignore]]\nrule = \"python/example-old-name\"\npath = \"x/**\"\nreason = \"test\"\n",
        )
        .unwrap();
        assert!(cfg.rules.contains_key("python/example-rule"));
        assert_eq!(
            cfg.ignore_entries().next().unwrap().rule,
            "python/example-rule"
        );
        assert_eq!(cfg.notices.len(), 2, "{:?}", cfg.notices);
        assert!(
            cfg.notices[0].starts_with(
                "palisade.toml:1: rule `python/example-old-name` was renamed `python/example-rule`"
            ),
            "{:?}",
            cfg.notices
        );
        assert!(
            cfg.notices[1].starts_with("palisade.toml:4: "),
            "{:?}",
            cfg.notices
        );
        let set = RuleSet::resolve(&[&RULE], &cfg, None);
        assert_eq!(
            set.get("python/example-rule").unwrap().severity,
            Severity::Low
        );

        let err = parse("[rules.\"python/example-old-name\"]\nenabled = true\n[rules.\"python/example-rule\"]\nenabled = false\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("keep only"), "{err}");
    }

    #[test]
    fn analyzer_sections_are_typed() {
        let cfg = parse("[analyzers.example]\nrender = false\n").unwrap();
        let set = RuleSet::resolve(&[&RULE], &cfg, None);
        let settings = set.analyzer_settings::<ExampleSettings>("example");
        assert!(!settings.render);
        assert_eq!(settings.timeout_seconds, 60);
        let defaults = RuleSet::all(&[&RULE]);
        assert!(
            defaults
                .analyzer_settings::<ExampleSettings>("example")
                .render
        );
        let err = parse("[analyzers.example]\ntimeout-seconds = \"soon\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message
                .starts_with("analyzers.example.timeout-seconds: "),
            "{err}"
        );
        let err = parse("[analyzers.example]\nrender = true\nfast = true\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("unknown option `fast`"), "{err}");
        let err = parse("\n[analyzers.nope]\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message
                .contains("unknown analyzer `nope` (known: example)"),
            "{err}"
        );
    }

    #[test]
    fn analyzer_tables_are_read_from_the_one_parse_with_their_lines() {
        let cfg = parse("[scan]\nexclude = []\n\n[records]\nbackup = \"2026-01-02\"\n").unwrap();
        let lines = cfg.table::<BTreeMap<String, usize>>("records").unwrap();
        assert_eq!(lines["backup"], 5);
        assert!(
            parse("")
                .unwrap()
                .table::<BTreeMap<String, usize>>("records")
                .is_none()
        );
        let err = parse("[records]\n\nbackup = \"soon\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert_eq!(err.message, "records.backup: not a date");
        let err = parse("[records]\nbackup = 3\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        let err = parse("[recordz]\nbackup = 3\n").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
    }

    #[test]
    fn schema_names_every_section() {
        let schema = Config::json_schema(&[&RULE], SECTIONS);
        assert_eq!(
            schema["properties"]["rules"]["properties"]["python/example-rule"]["properties"]["options"]
                ["properties"]["skip-tests"]["type"],
            "boolean"
        );
        assert_eq!(
            schema["properties"]["analyzers"]["properties"]["example"]["properties"]["timeout-seconds"]
                ["default"],
            60
        );
        assert_eq!(schema["properties"]["records"]["type"], "object");
        let schema = schema.to_string();
        for key in [
            "max-file-size",
            "prune-dirs",
            "cache-max-age-days",
            "cache-max-size-mb",
            "ignore-paths",
            "recommendations",
        ] {
            assert!(schema.contains(key), "{key} missing from schema");
        }
    }
}
