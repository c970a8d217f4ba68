//! The rules of one run, resolved once from the registry, `palisade.toml` and the command
//! line: which run, at which severity, on which paths, with which parsed options and analyzer
//! settings. Checks ask it through their context (`cx.rules()`).

use crate::config::{Config, Selection};
use crate::finding::Severity;
use crate::options::{OptionsType, OptionsValue};
use crate::rule::RuleMeta;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A rule as it will run: whether, how severe, where not, and with which options.
#[derive(Debug)]
pub struct ActiveRule {
    pub meta: &'static RuleMeta,
    pub severity: Severity,
    pub ignore_paths: Option<GlobSet>,
    /// The rule's parsed options (configured, else defaults); `None` when it has none.
    pub options: Option<OptionsValue>,
}

/// The rules of one run, resolved from the registry, the configuration and the command line.
#[derive(Debug, Default)]
pub struct RuleSet {
    active: BTreeMap<&'static str, ActiveRule>,
    known: std::collections::BTreeSet<&'static str>,
    /// Each configured `[analyzers.<name>]` section, parsed.
    analyzer_settings: BTreeMap<String, OptionsValue>,
    /// What the configuration said of each running rule and analyzer, as written, for the
    /// result cache's keys (see [`RuleSet::cache_material`]).
    configured: Configured,
}

/// The configured settings a rule set was resolved from, as text.
#[derive(Debug, Default)]
struct Configured {
    rules: BTreeMap<&'static str, String>,
    analyzers: BTreeMap<String, String>,
}

impl Configured {
    fn analyzers_of(config: &Config) -> BTreeMap<String, String> {
        config
            .analyzers
            .iter()
            .map(|(name, table)| (name.clone(), table.to_string()))
            .collect()
    }
}

impl RuleSet {
    /// Resolves which rules run. `selection` (from the command line) replaces the
    /// configuration's `[select]` when it is not empty. Rules of the `palisade` domain (about
    /// suppressions themselves) run whatever the selection, unless disabled by id.
    pub fn resolve(
        registry: &[&'static RuleMeta],
        config: &Config,
        selection: Option<&Selection>,
    ) -> RuleSet {
        let selection = match selection {
            Some(s) if !s.is_empty() => s,
            _ => &config.select,
        };
        let mut active = BTreeMap::new();
        let mut configured = Configured {
            rules: BTreeMap::new(),
            analyzers: Configured::analyzers_of(config),
        };
        for &meta in registry {
            let settings = config.rules.get(meta.id);
            let selected = meta.domain() == "palisade" || selection.selects(meta);
            let enabled = settings.and_then(|s| s.enabled).unwrap_or(selected);
            if !enabled {
                continue;
            }
            let ignore_paths = settings
                .filter(|s| !s.ignore_paths.is_empty())
                .and_then(|s| {
                    let mut builder = GlobSetBuilder::new();
                    for glob in &s.ignore_paths {
                        builder.add(Glob::new(glob).ok()?);
                    }
                    builder.build().ok()
                });
            if let Some(s) = settings {
                configured
                    .rules
                    .insert(meta.id, format!("{:?} {}", s.ignore_paths, s.options));
            }
            active.insert(
                meta.id,
                ActiveRule {
                    meta,
                    severity: settings.and_then(|s| s.severity).unwrap_or(meta.severity),
                    ignore_paths,
                    options: settings
                        .and_then(|s| s.parsed_options.clone())
                        .or_else(|| meta.options_type().map(OptionsType::defaults)),
                },
            );
        }
        RuleSet {
            active,
            known: registry.iter().map(|r| r.id).collect(),
            analyzer_settings: config.analyzer_settings.clone(),
            configured,
        }
    }

    /// Every registered rule, enabled, with defaults (the fixture harness uses this).
    pub fn all(registry: &[&'static RuleMeta]) -> RuleSet {
        RuleSet::resolve(registry, &Config::default(), None)
    }

    /// Only the given rules, enabled with defaults (the fixture harness scopes a fixture to
    /// the rule it is named after).
    pub fn only(registry: &[&'static RuleMeta], ids: &[&str]) -> RuleSet {
        let mut set = RuleSet::all(registry);
        set.active.retain(|id, _| ids.contains(id));
        set
    }

    /// Keeps only the running rules `keep` says yes to (the command line's `--select` and
    /// `--ignore`, applied after the configuration).
    pub fn retain(&mut self, keep: impl Fn(&RuleMeta) -> bool) {
        self.active.retain(|_, rule| keep(rule.meta));
    }

    /// The same rules, with the `[analyzers.<name>]` settings of `config` (the side commands
    /// run every rule of one analyzer, but honour its settings).
    pub fn with_analyzer_settings_of(mut self, config: &Config) -> RuleSet {
        self.analyzer_settings = config.analyzer_settings.clone();
        self.configured.analyzers = Configured::analyzers_of(config);
        self
    }

    /// Everything of the rule set that can change what `analyzer`'s file checks report, as
    /// text for the result cache's keys: which of its rules (`metas`) run, with their
    /// severity, `ignore-paths` and options as configured, and its `[analyzers.<name>]`
    /// section.
    pub fn cache_material(&self, analyzer: &str, metas: &[&'static RuleMeta]) -> String {
        let mut out = String::new();
        for meta in metas {
            let Some(rule) = self.active.get(meta.id) else {
                continue;
            };
            let configured = self
                .configured
                .rules
                .get(meta.id)
                .map_or("", String::as_str);
            out.push_str(&format!("{} {} {configured}\n", meta.id, rule.severity));
        }
        let section = self.configured.analyzers.get(analyzer);
        out.push_str(&format!("[analyzers.{analyzer}] {section:?}\n"));
        out
    }

    pub fn get(&self, id: &str) -> Option<&ActiveRule> {
        self.active.get(id)
    }

    /// Whether palisade has a rule with this id, running or not.
    pub fn is_known(&self, id: &str) -> bool {
        self.known.contains(id)
    }

    pub fn is_enabled(&self, id: &str) -> bool {
        self.active.contains_key(id)
    }

    /// Whether the rule runs on some files only (it is enabled with `ignore-paths`): only then
    /// can [`RuleSet::applies`] differ from [`RuleSet::is_enabled`] from one file to the next.
    pub fn depends_on_path(&self, id: &str) -> bool {
        self.active
            .get(id)
            .is_some_and(|r| r.ignore_paths.is_some())
    }

    /// Whether the rule runs on this file (enabled, and the path not ignored for it).
    pub fn applies(&self, id: &str, path: &str) -> bool {
        self.active
            .get(id)
            .is_some_and(|r| r.ignore_paths.as_ref().is_none_or(|g| !g.is_match(path)))
    }

    pub fn metas(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        self.active.values().map(|r| r.meta)
    }

    pub fn len(&self) -> usize {
        self.active.len()
    }

    pub fn is_empty(&self) -> bool {
        self.active.is_empty()
    }

    /// A rule's options, parsed once when the configuration was read: the configured ones,
    /// else the defaults of its options type `T`. The defaults too when the rule is not running
    /// or `T` is not its options type (a mistake the fixtures would show).
    pub fn options<T: Any + Clone + Default>(&self, meta: &RuleMeta) -> Cow<'_, T> {
        let parsed = self
            .active
            .get(meta.id)
            .and_then(|r| r.options.as_deref())
            .and_then(|o| o.downcast_ref::<T>());
        parsed.map_or_else(|| Cow::Owned(T::default()), Cow::Borrowed)
    }

    /// An analyzer's `[analyzers.<name>]` settings, parsed once when the configuration was
    /// read; the defaults of `T` when the section is absent.
    pub fn analyzer_settings<T: Any + Clone + Default>(&self, analyzer: &str) -> Cow<'_, T> {
        let parsed = self
            .analyzer_settings
            .get(analyzer)
            .and_then(|o| o.downcast_ref::<T>());
        parsed.map_or_else(|| Cow::Owned(T::default()), Cow::Borrowed)
    }
}
