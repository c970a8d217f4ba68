//! Mapping a rendering back to its sources. A rendered object is matched to the source object
//! of the same API group, kind and name (allowing the `namePrefix`/`nameSuffix` the
//! kustomizations add), and a finding's position to the same key path in the source, falling
//! back to the nearest ancestor that exists there. A value a patch sets is reported in the
//! patch. A finding whose object has no source (a generated ConfigMap, …) is reported on the
//! kustomization's first line.

use super::blame::{self, Closeness, Op};
use super::key_path::{Found, is_identity, is_scalar, locate, resolve};
use super::{Rendered, Role, Source};
use crate::facts::{self, FileFacts};
use crate::object::{self, Object};
use crate::rules::{K8sRule, RuleContext};
use crate::settings::TestManifests;
use crate::test_data::{is_test_data, soften};
use crate::yaml;
use palisade_core::{
    CommentStyle, DiagnosticKind, FileContext, Finding, Location, Place, SourceFile, Span,
};
use palisade_knowledge::roles::file_role;
use std::collections::HashSet;
use std::path::Path;

/// A source file, read and parsed.
struct Loaded {
    source: Source,
    /// Its path in the report, when the scan analyses it.
    report_path: Option<String>,
    text: String,
}

/// An object of a source file.
struct SourceObject<'a, 'input> {
    file: usize,
    object: Object<'a, 'input>,
}

/// Where a position of the rendering comes from.
struct Mapped {
    path: String,
    span: Span,
    exact: bool,
}

/// The sources of one rendered object: the resource object that defined it, the patch
/// objects merged into it (outermost first), and the JSON 6902 patches that target it.
struct Origin {
    resource: Option<usize>,
    patches: Vec<usize>,
    json: Vec<usize>,
}

/// A JSON 6902 patch (a file, or inline in a kustomization): its operations.
struct JsonPatch<'a, 'input> {
    file: usize,
    ops: Vec<Op<'a, 'input>>,
}

struct Mapper<'s, 'a, 'input> {
    loaded: &'s [Loaded],
    objects: &'s [SourceObject<'a, 'input>],
    json: &'s [JsonPatch<'a, 'input>],
}

impl Mapper<'_, '_, '_> {
    /// The origin of a rendered object.
    fn origin(&self, rendered: &Object<'_, '_>) -> Origin {
        let same_type =
            |o: &Object<'_, '_>| o.kind == rendered.kind && o.group() == rendered.group();
        let resource = self
            .objects
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                self.loaded[s.file].source.role == Role::Resource && same_type(&s.object)
            })
            .filter_map(|(i, s)| {
                let source = &self.loaded[s.file].source;
                let name = s.object.name;
                let score = if format!("{}{name}{}", source.prefix, source.suffix) == rendered.name
                {
                    3
                } else if name == rendered.name {
                    2
                } else if name != "<unnamed>" && rendered.name.contains(name) {
                    1
                } else {
                    return None;
                };
                let same_namespace = s.object.namespace == rendered.namespace;
                Some(((score, same_namespace, name.len(), std::cmp::Reverse(i)), i))
            })
            .max_by_key(|(rank, _)| *rank)
            .map(|(_, i)| i);
        let base_name = resource.map(|i| self.objects[i].object.name);
        let names_it = |name: &str| name == rendered.name || Some(name) == base_name;
        let mut patches: Vec<usize> = self
            .objects
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let source = &self.loaded[s.file].source;
                if source.role != Role::Patch {
                    return false;
                }
                let by_target = source.target.as_ref().is_some_and(|(kind, name)| {
                    kind.as_deref().is_none_or(|k| k == rendered.kind)
                        && name.as_deref().is_none_or(names_it)
                });
                (s.object.kind == rendered.kind && names_it(s.object.name)) || by_target
            })
            .map(|(i, _)| i)
            .collect();
        // Outer kustomizations patch last; within one, later patches win.
        patches.sort_by_key(|&i| {
            let file = self.objects[i].file;
            (self.loaded[file].source.depth, std::cmp::Reverse(file))
        });
        let mut json: Vec<usize> = self
            .json
            .iter()
            .enumerate()
            .filter(|(_, j)| {
                self.loaded[j.file]
                    .source
                    .target
                    .as_ref()
                    .is_some_and(|(kind, name)| {
                        kind.as_deref().is_none_or(|k| k == rendered.kind)
                            && name.as_deref().is_none_or(names_it)
                    })
            })
            .map(|(i, _)| i)
            .collect();
        json.sort_by_key(|&i| self.loaded[self.json[i].file].source.depth);
        Origin {
            resource,
            patches,
            json,
        }
    }

    /// The patch that most likely causes a finding at `span` of a rendered object that its
    /// resource object does not have on its own (see `blame`): the place in that patch.
    fn blame(&self, rendered: &Object<'_, '_>, origin: &Origin, span: Span) -> Option<Mapped> {
        let position = (
            span.start_line as usize,
            span.start_column.saturating_sub(1) as usize,
        );
        let (steps, _) = locate(rendered.node, position);
        let mut best: Option<(Closeness, Mapped)> = None;
        let mut consider = |closeness: Closeness, path: Option<String>, span: Span| {
            if let Some(path) = path
                && best.as_ref().is_none_or(|(b, _)| closeness > *b)
            {
                let mapped = Mapped {
                    path,
                    span,
                    exact: false,
                };
                best = Some((closeness, mapped));
            }
        };
        for &j in &origin.json {
            let patch = &self.json[j];
            for op in &patch.ops {
                consider(
                    blame::op_closeness(op, &steps),
                    self.loaded[patch.file].report_path.clone(),
                    op.span_for(&steps),
                );
            }
        }
        for &p in &origin.patches {
            let (found, closeness) = blame::object_closeness(self.objects[p].object.node, &steps);
            let span = match found.key {
                Some(key) => crate::node_start_span(key),
                None => crate::node_start_span(found.value),
            };
            consider(
                closeness,
                self.loaded[self.objects[p].file].report_path.clone(),
                span,
            );
        }
        best.map(|(_, mapped)| mapped)
    }

    /// Maps a span of a rendered object to its source.
    fn map(&self, rendered: &Object<'_, '_>, origin: &Origin, span: Span) -> Option<Mapped> {
        let position = (
            span.start_line as usize,
            span.start_column.saturating_sub(1) as usize,
        );
        let (steps, at_key) = locate(rendered.node, position);
        let (rendered_found, _) = resolve(rendered.node, &steps);
        // Did the rendered span cover only the key, only the first character, or more?
        let key_only = at_key
            && rendered_found.key.is_some_and(|k| {
                (k.span.end.line(), k.span.end.col() + 1)
                    == (span.end_line as usize, span.end_column as usize)
            });
        let one_char = span.end_line == span.start_line && span.end_column <= span.start_column + 1;
        let shape = |found: Found<'_, '_>, exact: bool| -> Span {
            match (exact, at_key, found.key) {
                (true, true, Some(key)) if key_only => crate::node_span(key),
                (true, true, Some(key)) => crate::key_value_span(key, found.value),
                (true, _, _) if one_char => crate::node_start_span(found.value),
                (true, _, _) => crate::node_span(found.value),
                (false, _, Some(key)) => crate::node_start_span(key),
                (false, _, None) => crate::node_start_span(found.value),
            }
        };
        let report_path =
            |object: usize| self.loaded[self.objects[object].file].report_path.clone();
        // A patch owns what it sets last (a scalar value), and what the resource lacks.
        let in_resource = origin
            .resource
            .map(|r| resolve(self.objects[r].object.node, &steps));
        if !is_identity(&steps) {
            for &patch in &origin.patches {
                let (found, exact) = resolve(self.objects[patch].object.node, &steps);
                let owns = is_scalar(found.value) || !in_resource.is_some_and(|(_, e)| e);
                if exact
                    && owns
                    && let Some(path) = report_path(patch)
                {
                    return Some(Mapped {
                        path,
                        span: shape(found, true),
                        exact: true,
                    });
                }
            }
        }
        let resource = origin.resource?;
        let path = report_path(resource)?;
        let (found, exact) = in_resource?;
        Some(Mapped {
            path,
            span: shape(found, exact),
            exact,
        })
    }
}

/// Its path as the report shows it: `target` (canonical) relative to the folder of the
/// file `anchor` (shown as `anchor_path`, canonical `anchor_abs`), or None when it is above
/// the scanned root.
pub fn report_path(anchor_path: &str, anchor_abs: &Path, target: &Path) -> Option<String> {
    let mut shown: Vec<&str> = anchor_path.split('/').collect();
    shown.pop();
    let mut dir = anchor_abs.parent()?;
    while !target.starts_with(dir) {
        dir = dir.parent()?;
        shown.pop()?;
    }
    let rest = target.strip_prefix(dir).ok()?;
    for part in rest.components() {
        shown.push(part.as_os_str().to_str()?);
    }
    Some(shown.join("/"))
}

/// Where the findings of a rendering's `source` may be reported: its report path, when it is
/// a manifest of the scan, seen from the kustomization `file` (canonical `file_abs`).
fn source_report_path(
    file: &SourceFile,
    file_abs: &Path,
    source: &Path,
    cx: &FileContext<'_>,
) -> Option<String> {
    report_path(&file.path, file_abs, source).filter(|p| {
        crate::KubernetesAnalyzer::FILES.selects(&source.to_string_lossy()) && cx.is_scanned(p)
    })
}

/// Whether every source of `rendered` that could take a finding is a file of the scan (`cx`
/// is told its files): then [`check_rendered`] reports the same whether it is told them or
/// not, and its result may be cached.
pub fn every_source_scanned(file: &SourceFile, rendered: &Rendered, cx: &FileContext<'_>) -> bool {
    let Ok(file_abs) = file.abs_path.canonicalize() else {
        return false;
    };
    let anywhere = FileContext::new(file, cx.rules());
    rendered.sources.iter().all(|source| {
        source_report_path(file, &file_abs, &source.path, &anywhere)
            == source_report_path(file, &file_abs, &source.path, cx)
    })
}

/// Checks a kustomization file whose folder rendered: runs `active` over the rendered objects
/// and reports their findings in the source files, and returns the facts of the rendered
/// objects (with their locations mapped the same way) when `project_rules` want them.
///
/// Findings that land in a test, test-data or example manifest (by its path relative to the
/// scan root `root`) are reported as `test_manifests` says (see `test_data`).
pub fn check_rendered(
    file: &SourceFile,
    rendered: &Rendered,
    active: &[&K8sRule],
    project_rules: bool,
    cx: &mut FileContext<'_>,
    root: &Path,
    test_manifests: TestManifests,
) -> FileFacts {
    let file_abs = file
        .abs_path
        .canonicalize()
        .unwrap_or_else(|_| file.abs_path.clone());
    let loaded: Vec<Loaded> = rendered
        .sources
        .iter()
        .filter_map(|source| {
            let text = match &source.inline {
                Some(inline) => inline.text.clone(),
                None => std::fs::read_to_string(&source.path).ok()?,
            };
            let report_path = source_report_path(file, &file_abs, &source.path, cx);
            Some(Loaded {
                source: source.clone(),
                report_path,
                text,
            })
        })
        .collect();
    let parsed: Vec<Vec<yaml::Document<'_>>> = loaded
        .iter()
        .map(|l| match &l.source.inline {
            Some(inline) => yaml::load_at(&l.text, inline.lines_before, inline.indent).0,
            None => yaml::load(&l.text).0,
        })
        .collect();
    let json: Vec<JsonPatch> = parsed
        .iter()
        .enumerate()
        .filter(|(file, _)| loaded[*file].source.role == Role::Patch)
        .map(|(file, documents)| JsonPatch {
            file,
            ops: blame::json_ops(documents),
        })
        .filter(|j| !j.ops.is_empty())
        .collect();
    let objects: Vec<SourceObject<'_, '_>> = parsed
        .iter()
        .enumerate()
        .flat_map(|(file, documents)| {
            documents.iter().flat_map(move |d| {
                object::objects(&d.root)
                    .into_iter()
                    .map(move |object| SourceObject { file, object })
            })
        })
        .collect();
    let mapper = Mapper {
        loaded: &loaded,
        objects: &objects,
        json: &json,
    };

    let (documents, errors) = yaml::load(&rendered.text);
    if let Some(error) = errors.first() {
        cx.notice(
            DiagnosticKind::Parse,
            None,
            format!(
                "the Kustomize rendering is not valid YAML near its line {}: {}",
                error.line, error.message
            ),
        );
    }
    let shown_dir = match file.path.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => ".".to_string(),
    };
    let first_line = Span {
        start_line: 1,
        start_column: 1,
        end_line: 1,
        end_column: 1,
    };
    let facts_file = SourceFile::new(
        String::new(),
        file.abs_path.clone(),
        CommentStyle::Hash,
        String::new(),
    );
    let mut all_facts = FileFacts::default();
    let mut out = Vec::new();
    for document in &documents {
        for object in object::objects(&document.root) {
            let origin = mapper.origin(&object);
            let mut findings = Vec::new();
            let mut rcx = RuleContext::collecting(&mut findings);
            for rule in active {
                (rule.check)(&object, &mut rcx);
            }
            let base_has = base_findings(&mapper, &origin, active, !findings.is_empty());
            for finding in findings {
                out.push(map_finding(
                    finding, &object, &origin, &mapper, &shown_dir, first_line, &base_has,
                ));
            }
            if project_rules {
                let mut facts = FileFacts::default();
                facts::collect(&facts_file, &object, &mut facts);
                facts.map_locations(
                    |location| match mapper.map(&object, &origin, location.span) {
                        Some(m) => {
                            location.path = m.path;
                            location.span = m.span;
                        }
                        None => {
                            location.path = file.path.clone();
                            location.span = first_line;
                        }
                    },
                );
                all_facts.append(facts);
            }
        }
    }
    // The report paths of the test data among the sources ("" is the kustomization itself).
    let mut test_paths: HashSet<String> = loaded
        .iter()
        .filter(|l| {
            l.source
                .path
                .strip_prefix(root)
                .ok()
                .and_then(Path::to_str)
                .is_some_and(|rel| is_test_data(file_role(rel)))
        })
        .filter_map(|l| l.report_path.clone())
        .collect();
    if is_test_data(file.role) {
        test_paths.insert(String::new());
        test_paths.insert(file.path.clone());
    }
    for finding in out {
        let in_test_data = finding
            .location
            .path()
            .is_some_and(|p| test_paths.contains(p));
        if !in_test_data || test_manifests == TestManifests::Full {
            cx.report_in(finding);
            continue;
        }
        all_facts.softened += 1;
        if let Some(finding) = soften(finding, test_manifests) {
            cx.report_in(finding);
        }
    }
    test_paths.remove("");
    all_facts.test_paths.extend(test_paths);
    all_facts
}

/// The rules and lines of the findings the resource object of `origin` has on its own,
/// in its own file (when `wanted`).
fn base_findings(
    mapper: &Mapper<'_, '_, '_>,
    origin: &Origin,
    active: &[&K8sRule],
    wanted: bool,
) -> HashSet<(&'static str, u32)> {
    let Some(resource) = origin.resource.filter(|_| wanted) else {
        return HashSet::new();
    };
    let mut raw = Vec::new();
    let mut rcx = RuleContext::collecting(&mut raw);
    for rule in active {
        (rule.check)(&mapper.objects[resource].object, &mut rcx);
    }
    raw.iter()
        .filter_map(|f| Some((f.rule.id, f.location.span()?.start_line)))
        .collect()
}

/// Points a finding on a rendered object at its source, or at the kustomization's first
/// line (path left empty: the file being checked) when the object has none. A finding
/// that lands in the resource's file but that the resource object does not have on its own
/// (`base_has`) is caused by the overlay: it goes to the patch that most likely causes it,
/// or to the kustomization when no patch targets the object (a transformer did it).
fn map_finding(
    mut finding: Finding,
    object: &Object<'_, '_>,
    origin: &Origin,
    mapper: &Mapper<'_, '_, '_>,
    shown_dir: &str,
    first_line: Span,
    base_has: &HashSet<(&'static str, u32)>,
) -> Finding {
    finding.fix = None;
    let span = finding.location.span().unwrap_or(first_line);
    let mut primary = mapper.map(object, origin, span);
    let resource_path = origin
        .resource
        .and_then(|r| mapper.loaded[mapper.objects[r].file].report_path.as_deref());
    if let Some(mapped) = &primary
        && Some(mapped.path.as_str()) == resource_path
        && !base_has.contains(&(finding.rule.id, mapped.span.start_line))
    {
        let base = mapped.path.clone();
        match mapper.blame(object, origin, span) {
            Some(patch) => {
                finding.message = format!(
                    "{} (rendered by Kustomize from {shown_dir}; {base} alone does not have it, this patch makes it)",
                    finding.message
                );
                primary = Some(patch);
            }
            None => {
                finding.message = format!(
                    "{} (rendered by Kustomize from {shown_dir}; {base} alone does not have it, a transformer of the kustomization makes it)",
                    finding.message
                );
                primary = None;
            }
        }
        if primary.is_none() {
            finding.location = Place::File(Location {
                path: String::new(),
                span: first_line,
            });
            finding.related.clear();
            finding.secrets.clear();
            return finding;
        }
    } else if primary.is_some() {
        finding.message = format!(
            "{} (rendered by Kustomize from {shown_dir})",
            finding.message
        );
    }
    let Some(primary) = primary else {
        finding.message = format!(
            "{} (in the Kustomize rendering of {shown_dir}; the file that defines {} was not found)",
            finding.message,
            object.describe()
        );
        finding.location = Place::File(Location {
            path: String::new(),
            span: first_line,
        });
        finding.related.clear();
        finding.secrets.clear();
        return finding;
    };
    let mut secrets = Vec::new();
    let mut unmapped_secret = false;
    for secret in &finding.secrets {
        match mapper.map(object, origin, *secret) {
            Some(m) if m.exact && m.path == primary.path => secrets.push(m.span),
            _ => unmapped_secret = true,
        }
    }
    if unmapped_secret {
        // Mask the whole of the primary lines rather than risk showing the value.
        secrets.push(Span {
            start_line: primary.span.start_line,
            start_column: 1,
            end_line: primary.span.end_line,
            end_column: u32::MAX,
        });
    }
    finding.secrets = secrets;
    let related = std::mem::take(&mut finding.related);
    for mut r in related {
        if !r.location.path.is_empty() {
            finding.related.push(r);
            continue;
        }
        if let Some(m) = mapper.map(object, origin, r.location.span) {
            r.location = Location {
                path: m.path,
                span: m.span,
            };
            finding.related.push(r);
        }
    }
    finding.location = Place::File(Location {
        path: primary.path,
        span: primary.span,
    });
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_paths_stay_inside_the_root() {
        let anchor = Path::new("/repo/deploy/overlays/prod/kustomization.yaml");
        let shown = "deploy/overlays/prod/kustomization.yaml";
        assert_eq!(
            report_path(shown, anchor, Path::new("/repo/deploy/base/api.yaml")).as_deref(),
            Some("deploy/base/api.yaml")
        );
        assert_eq!(
            report_path(
                shown,
                anchor,
                Path::new("/repo/deploy/overlays/prod/patch.yaml")
            )
            .as_deref(),
            Some("deploy/overlays/prod/patch.yaml")
        );
        assert_eq!(
            report_path(shown, anchor, Path::new("/elsewhere/x.yaml")),
            None
        );
    }
}
