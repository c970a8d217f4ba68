//! palisade's Kubernetes analyzer: manifests (YAML, JSON, multi-document streams, `List`s
//! and `kubectl get -o yaml` dumps), checked object by object, each finding on the exact
//! line of the offending key.
//!
//! ## Kustomize
//!
//! A kustomization file (`kustomization.yaml`, `kustomization.yml`, `Kustomization`) is
//! checked through its folder's rendering ([`kustomize`]): `kubectl kustomize <dir>`, or
//! `kustomize build <dir>` without kubectl, never with plugins, exec functions or Helm
//! inflation, within a timeout, and not at all when a kustomization of the tree names a
//! remote resource or a folder outside the scanned root. The object rules run over the
//! rendered objects and their facts feed the project rules (the RBAC graph sees the rendered
//! names and namespaces); every finding and fact location is mapped back, by API group, kind,
//! name (prefixes and suffixes allowed) and key path, to the file and line that defined it —
//! the base manifest, or the patch that set the value, or the overlay patch that causes a
//! finding the base object does not have on its own — or to the kustomization's first line
//! for an object without a source (a generated ConfigMap). Only entry points are rendered
//! (kustomizations no other one includes). A manifest that a successful rendering includes
//! is not analysed raw as well; the engine folds the same finding reached through several
//! overlays into one. A kustomization
//! that cannot be rendered gets one notice (`skipped`: no tool, remote or outside resource,
//! kustomizations nested more than 64 levels deep; `parse`: the tool failed, with its first
//! error line) and its files are analysed raw. With the result cache, a rendering is kept
//! under the digest of every file it read (`kustomize::inputs`) and not made again while
//! they are unchanged; the checks of manifests and kustomizations are cached as well (see
//! [`KubernetesAnalyzer::cache`]).
//!
//! ## Test data
//!
//! Manifests of tests, test data and examples (the file roles every analyzer shares:
//! `tests/`, `testdata/`, `fixtures/`, `examples/`, …) describe no cluster the product
//! deploys: their findings are reported at low severity and low confidence, or as
//! `[analyzers.k8s] test-manifests` says, and one notice says how many there were
//! ([`test_data`]).
//!
//! ## Scan roots
//!
//! Roots scanned together (`palisade scan a b`) are separate projects: the project rules see
//! one root's manifests at a time, so a binding in one never completes or silences another's.
//!
//! ## Helm
//!
//! A chart's templates (`templates/**` under a folder with `Chart.yaml`) are not YAML until
//! Helm renders them: they are not parsed ([`helm`]). Each is kept as a fact, and the project
//! pass gives one notice per chart saying how many templates were not analysed and that
//! `helm template` output can be scanned instead.

pub mod control_plane;
pub mod facts;
pub mod helm;
pub mod kustomize;
pub mod object;
pub mod project;
pub mod rbac;
pub mod rules;
pub mod settings;
pub mod test_data;
pub mod vocabulary;
pub mod yaml;

use palisade_core::{
    Analyzer, DiagnosticKind, FactsCodec, FileContext, FileSelector, OptionsType, ProjectContext,
    RuleMeta, SourceFile, Span,
};
use rules::{K8sRule, ProjectRule, RuleContext};
use settings::K8sSettings;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The Kubernetes analyzer.
#[derive(Debug, Default, Clone, Copy)]
pub struct KubernetesAnalyzer;

impl KubernetesAnalyzer {
    /// YAML and JSON manifests, and Kustomize's extension-less `Kustomization`. Most YAML
    /// of a repository is no Kubernetes object; `check_file` skips it cheaply (kustomizations
    /// and Helm templates need no `apiVersion`, so there is no content sniffing here).
    /// Its name in notices, and its section of `palisade.toml`: `[analyzers.k8s]`.
    pub const NAME: &'static str = "k8s";

    pub const FILES: FileSelector = FileSelector {
        extensions: &["yaml", "yml", "json"],
        names: &["Kustomization"],
        // Package-manager lockfiles are JSON and YAML too, never manifests.
        except_names: &["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml"],
        globs: &[],
        sniff: None,
    };
}

impl Analyzer for KubernetesAnalyzer {
    type Facts = facts::FileFacts;
    type ScanState = kustomize::Renderings;

    fn name(&self) -> &'static str {
        KubernetesAnalyzer::NAME
    }

    fn input_kind(&self) -> &'static str {
        "Kubernetes manifests"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::METAS
    }

    fn files(&self) -> FileSelector {
        Self::FILES
    }

    fn settings(&self) -> Option<OptionsType> {
        Some(OptionsType::of::<K8sSettings>())
    }

    /// Cached. A manifest's findings and facts depend on its path, role and text, the rules
    /// and `[analyzers.k8s]`, and on what of the disk goes into its key: the scan root it
    /// lies under (its facts keep it, so that roots scanned together stay separate
    /// projects), the Helm chart it is a template of (a `Chart.yaml` above it), and, in a
    /// scan with kustomizations, whether a rendering covers it (it is then not checked raw).
    /// A kustomization's check depends on its rendering: its key is the digest of every file
    /// the rendering read (`kustomize::inputs`), or says that it is not rendered on its own
    /// (a base or component, checked through the kustomizations that include it). One that
    /// did not render, whose inputs could not all be told, or one of whose sources is not a
    /// file of the scan (a finding there is reported elsewhere) is checked again. The
    /// project rules (RBAC, network policies, backups, …) run again over the cached facts.
    fn cache(&self) -> Option<FactsCodec<facts::FileFacts>> {
        Some(FactsCodec::json(1))
    }

    fn cache_key(
        &self,
        file: &SourceFile,
        cx: &FileContext<'_>,
        renderings: &kustomize::Renderings,
    ) -> Option<String> {
        let root = scan_root(file);
        let chart = helm::chart_of(file);
        let kustomized = chart.is_none()
            && settings(cx).kustomize
            && renderings.scan_has_kustomization(cx.scanned_paths()?);
        if !kustomized {
            return Some(format!("root={root:?} chart={chart:?}"));
        }
        if !kustomize::is_kustomization(Path::new(&file.path)) {
            let covered = covered_by_kustomization(file, cx, renderings);
            return Some(format!("root={root:?} covered={covered}"));
        }
        let dir = file.abs_path.canonicalize().ok()?.parent()?.to_path_buf();
        match plan(file, cx, renderings)?.outcome(&dir) {
            // A base or component: checked through the kustomizations that include it.
            None => Some(format!("root={root:?} included")),
            Some(kustomize::Outcome::Rendered(rendered))
                if kustomize::every_source_scanned(file, rendered, cx) =>
            {
                Some(format!(
                    "root={root:?} rendering={}",
                    rendered.inputs.as_ref()?
                ))
            }
            Some(_) => None,
        }
    }

    fn check_file(
        &self,
        file: &SourceFile,
        cx: &mut FileContext<'_>,
        renderings: &kustomize::Renderings,
    ) -> Option<facts::FileFacts> {
        // A collect run (`who-can`, `rbac`) wants only the facts, not the per-object rules.
        let active: Vec<&K8sRule> = rules::RULES
            .iter()
            .copied()
            .filter(|r| !cx.is_collecting() && cx.rules().is_enabled(r.meta.id))
            .collect();
        let project_rules = cx.is_collecting()
            || rules::PROJECT_RULES
                .iter()
                .any(|r| cx.rules().is_enabled(r.meta.id));
        if active.is_empty() && !project_rules {
            return None;
        }
        if let Some(chart) = helm::chart_of(file) {
            return Some(facts::FileFacts {
                chart_template: Some(chart),
                ..Default::default()
            });
        }
        let root = scan_root(file);
        if kustomize::is_kustomization(Path::new(&file.path)) {
            // Not rendering: the kustomization itself is no object, its files are checked raw.
            if !settings(cx).kustomize {
                return None;
            }
            return check_kustomization(file, &active, project_rules, cx, renderings).map(
                |mut facts| {
                    facts.root = root;
                    facts
                },
            );
        }
        // Most YAML in a repository is not Kubernetes: do not even parse it.
        if !(file.text.contains("apiVersion") && file.text.contains("kind"))
            || covered_by_kustomization(file, cx, renderings)
        {
            return None;
        }
        let test_manifests = settings(cx).test_manifests;
        let test_data = test_data::is_test_data(file.role);
        if test_data && test_manifests == settings::TestManifests::Skip {
            return Some(facts::FileFacts {
                test_paths: vec![file.path.clone()],
                softened: 1,
                ..Default::default()
            });
        }
        let (documents, errors) = yaml::load(&file.text);
        for error in errors {
            let hint = if file.text.contains("{{") {
                " (it looks like a template: render it first)"
            } else {
                ""
            };
            cx.notice(
                DiagnosticKind::Parse,
                Some(error.line),
                format!(
                    "invalid YAML near line {}: {}{hint}",
                    error.line, error.message
                ),
            );
        }
        let active: Vec<&K8sRule> = active.into_iter().filter(|r| cx.wants(r.meta)).collect();
        let mut facts = facts::FileFacts {
            root,
            ..Default::default()
        };
        if test_data {
            facts.test_paths.push(file.path.clone());
        }
        let mut rcx = RuleContext::new(cx);
        if test_data {
            rcx = rcx.in_test_data(test_manifests);
        }
        for document in &documents {
            for object in object::objects(&document.root) {
                for rule in &active {
                    (rule.check)(&object, &mut rcx);
                }
                if project_rules {
                    facts::collect(file, &object, &mut facts);
                }
            }
        }
        facts.softened += rcx.softened;
        (!facts.is_empty()).then_some(facts)
    }

    fn check_project(&self, files: Vec<facts::FileFacts>, cx: &mut ProjectContext<'_>) {
        let charts = files.iter().filter_map(|f| f.chart_template.as_deref());
        for (path, message) in helm::notices(charts) {
            cx.notice(Some(&path), DiagnosticKind::Skipped, message);
        }
        let setting = cx
            .rules()
            .analyzer_settings::<K8sSettings>(KubernetesAnalyzer::NAME)
            .test_manifests;
        let test_paths: HashSet<String> = files
            .iter()
            .flat_map(|f| f.test_paths.iter().cloned())
            .collect();
        let mut softened: usize = files.iter().map(|f| f.softened).sum();
        let example = files
            .iter()
            .filter(|f| f.softened > 0)
            .flat_map(|f| &f.test_paths)
            .min()
            .or_else(|| test_paths.iter().min())
            .cloned();
        let wanted: Vec<&ProjectRule> = rules::PROJECT_RULES
            .iter()
            .copied()
            .filter(|r| cx.wants(r.meta))
            .collect();
        // One project per scan root: a binding in one root says nothing of another's.
        let mut by_root: BTreeMap<Option<PathBuf>, Vec<facts::FileFacts>> = BTreeMap::new();
        for file in files {
            by_root.entry(file.root.clone()).or_default().push(file);
        }
        for (_, files) in by_root {
            let project = project::Project::new(files);
            let mut out = test_data::ProjectOut::new(cx, &test_paths, setting);
            for rule in &wanted {
                (rule.check)(&project, &mut out);
            }
            softened += out.softened;
        }
        if let Some(message) = test_data::notice(softened, example.as_deref(), setting) {
            cx.notice(None, DiagnosticKind::Skipped, message);
        }
    }
}

/// The `[analyzers.k8s]` settings of this scan.
fn settings(cx: &FileContext<'_>) -> K8sSettings {
    *cx.rules()
        .analyzer_settings::<K8sSettings>(KubernetesAnalyzer::NAME)
}

/// The scanned root (canonical) `file` was found under; its own folder when that cannot be
/// told (several roots at once).
fn scan_root(file: &SourceFile) -> Option<PathBuf> {
    let abs = file.abs_path.canonicalize().ok()?;
    file.scan_root()
        .and_then(|r| r.canonicalize().ok())
        .filter(|r| abs.starts_with(r))
        .or_else(|| abs.parent().map(Path::to_path_buf))
}

/// The Kustomize plan of the scan root `file` was found under.
fn plan(
    file: &SourceFile,
    cx: &FileContext<'_>,
    renderings: &kustomize::Renderings,
) -> Option<std::sync::Arc<kustomize::Plan>> {
    let root = scan_root(file)?;
    let timeout = settings(cx).kustomize_timeout();
    Some(renderings.plan(&root, timeout, cx.stash(), || {
        kustomization_dirs(file, cx, &root)
    }))
}

/// The folders (canonical) of the kustomization files this scan analyses under `root`
/// (canonical), the root of `file`.
fn kustomization_dirs(file: &SourceFile, cx: &FileContext<'_>, root: &Path) -> Vec<PathBuf> {
    let own = || {
        let abs = file.abs_path.canonicalize().ok()?;
        kustomize::is_kustomization(&abs)
            .then(|| abs.parent().map(Path::to_path_buf))
            .flatten()
    };
    // A context not told the scan's files (a file checked on its own) knows only this one.
    let (Some(scanned), Some(given_root)) = (cx.scanned_paths(), cx.root()) else {
        return own().into_iter().collect();
    };
    // The report paths of this root's files are a prefix (the root, when several are
    // scanned) and their path relative to the root.
    let Some(prefix) = file
        .abs_path
        .strip_prefix(&given_root)
        .ok()
        .and_then(|rel| rel.to_str())
        .map(|rel| rel.replace('\\', "/"))
        .and_then(|rel| file.path.strip_suffix(rel.as_str()).map(str::to_string))
    else {
        return own().into_iter().collect();
    };
    let mut dirs: Vec<PathBuf> = scanned
        .iter()
        .filter(|p| kustomize::is_kustomization(Path::new(&**p)))
        .filter_map(|p| {
            let rel = p.strip_prefix(prefix.as_str())?;
            given_root.join(rel).canonicalize().ok()
        })
        .filter(|abs| abs.starts_with(root))
        .filter_map(|abs| abs.parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// A kustomization file: when it is an entry point (or stands in for one that could not be
/// rendered), its folder's rendering is checked (findings land in the files that define the
/// objects), or, when it cannot be rendered, one notice says why. A base or component is
/// checked through the overlays that include it.
fn check_kustomization(
    file: &SourceFile,
    active: &[&K8sRule],
    project_rules: bool,
    cx: &mut FileContext<'_>,
    renderings: &kustomize::Renderings,
) -> Option<facts::FileFacts> {
    let root = scan_root(file)?;
    let plan = plan(file, cx, renderings)?;
    let dir = file
        .abs_path
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))?;
    match plan.outcome(&dir)? {
        kustomize::Outcome::Rendered(rendered) => {
            let test_manifests = settings(cx).test_manifests;
            let facts = kustomize::check_rendered(
                file,
                rendered,
                active,
                project_rules,
                cx,
                &root,
                test_manifests,
            );
            (!facts.is_empty()).then_some(facts)
        }
        kustomize::Outcome::NotRendered { kind, message, .. } => {
            cx.notice(*kind, None, message);
            None
        }
    }
}

/// Whether `file` is included in a successful rendering of this scan (its findings come
/// through that check), or is a component's patch (a fragment, never an object of its own).
fn covered_by_kustomization(
    file: &SourceFile,
    cx: &FileContext<'_>,
    renderings: &kustomize::Renderings,
) -> bool {
    if !settings(cx).kustomize {
        return false;
    }
    let Ok(abs) = file.abs_path.canonicalize() else {
        return false;
    };
    plan(file, cx, renderings).is_some_and(|plan| plan.covers(&abs))
}

/// The span from a key's start to its value's end (saphyr lines are 1-based, columns 0-based).
pub fn key_value_span(key: &saphyr::MarkedYaml<'_>, value: &saphyr::MarkedYaml<'_>) -> Span {
    let (start, end) = (key.span.start, value.span.end);
    let end = if end.line() < start.line() || end == saphyr::Marker::default() {
        key.span.end
    } else {
        end
    };
    Span {
        start_line: start.line() as u32,
        start_column: start.col() as u32 + 1,
        end_line: end.line() as u32,
        end_column: end.col() as u32 + 1,
    }
}

/// A one-character span at the start of a node (for a node without a usable key).
pub fn node_start_span(node: &saphyr::MarkedYaml<'_>) -> Span {
    let start = node.span.start;
    Span {
        start_line: start.line() as u32,
        start_column: start.col() as u32 + 1,
        end_line: start.line() as u32,
        end_column: start.col() as u32 + 2,
    }
}

/// The span of a whole node (a scalar: its text, quotes included).
pub fn node_span(node: &saphyr::MarkedYaml<'_>) -> Span {
    let (start, end) = (node.span.start, node.span.end);
    if end.line() < start.line() || end == saphyr::Marker::default() {
        return node_start_span(node);
    }
    Span {
        start_line: start.line() as u32,
        start_column: start.col() as u32 + 1,
        end_line: end.line() as u32,
        end_column: end.col() as u32 + 1,
    }
}

/// Runs one rule over a YAML text, for the rules' unit tests (the fixtures check lines; these
/// tests check what fixtures cannot, such as a finding's severity).
#[cfg(test)]
pub(crate) fn findings_of(rule_id: &str, text: &str) -> Vec<palisade_core::Finding> {
    let file = SourceFile::in_memory("manifest.yaml", text);
    let rules = palisade_core::config::RuleSet::only(rules::METAS, &[rule_id]);
    let mut cx = FileContext::new(&file, &rules);
    let _ = KubernetesAnalyzer.check_file(&file, &mut cx, &Default::default());
    cx.into_parts().0
}

/// The span from the start of `first` to the end of `last` (two sequence items, say).
pub fn nodes_span(first: &saphyr::MarkedYaml<'_>, last: &saphyr::MarkedYaml<'_>) -> Span {
    let (a, b) = (node_span(first), node_span(last));
    if (b.end_line, b.end_column) < (a.start_line, a.start_column) {
        return a;
    }
    Span {
        end_line: b.end_line,
        end_column: b.end_column,
        ..a
    }
}
