//! Mapping a rendering back to its sources. A rendered object is matched to the source object
//! of the same API group, kind and name (allowing the `namePrefix`/`nameSuffix` the
//! kustomizations add), and a finding's position to the same key path in the source, falling
//! back to the nearest ancestor that exists there. A value a patch sets is reported in the
//! patch. A finding whose object has no source (a generated ConfigMap, …) is reported on the
//! kustomization's first line.

use super::key_path::{Found, is_identity, is_scalar, locate, resolve};
use super::{Rendered, Role, Source};
use crate::facts::{self, FileFacts};
use crate::object::{self, Object};
use crate::rules::{K8sRule, RuleContext};
use crate::yaml;
use palisade_core::{
    CommentStyle, DiagnosticKind, FileContext, Finding, Location, Place, SourceFile, Span,
};
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

/// The sources of one rendered object: the resource object that defined it and the patch
/// objects merged into it, outermost first.
struct Origin {
    resource: Option<usize>,
    patches: Vec<usize>,
}

struct Mapper<'s, 'a, 'input> {
    loaded: &'s [Loaded],
    objects: &'s [SourceObject<'a, 'input>],
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
        Origin { resource, patches }
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

/// Checks a kustomization file whose folder rendered: runs `active` over the rendered objects
/// and reports their findings in the source files, and returns the facts of the rendered
/// objects (with their locations mapped the same way) when `project_rules` want them.
pub fn check_rendered(
    file: &SourceFile,
    rendered: &Rendered,
    active: &[&K8sRule],
    project_rules: bool,
    cx: &mut FileContext<'_>,
) -> FileFacts {
    let file_abs = file
        .abs_path
        .canonicalize()
        .unwrap_or_else(|_| file.abs_path.clone());
    let loaded: Vec<Loaded> = rendered
        .sources
        .iter()
        .filter_map(|source| {
            let text = std::fs::read_to_string(&source.path).ok()?;
            let report_path = report_path(&file.path, &file_abs, &source.path).filter(|p| {
                crate::KubernetesAnalyzer::FILES.selects(&source.path.to_string_lossy())
                    && cx.is_scanned(p)
            });
            Some(Loaded {
                source: source.clone(),
                report_path,
                text,
            })
        })
        .collect();
    let parsed: Vec<Vec<yaml::Document<'_>>> =
        loaded.iter().map(|l| yaml::load(&l.text).0).collect();
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
            for finding in findings {
                out.push(map_finding(
                    finding, &object, &origin, &mapper, &shown_dir, first_line,
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
    for finding in out {
        cx.report_in(finding);
    }
    all_facts
}

/// Points a finding on a rendered object at its source, or at the kustomization's first
/// line (path left empty: the file being checked) when the object has none.
fn map_finding(
    mut finding: Finding,
    object: &Object<'_, '_>,
    origin: &Origin,
    mapper: &Mapper<'_, '_, '_>,
    shown_dir: &str,
    first_line: Span,
) -> Finding {
    finding.fix = None;
    let Some(primary) = mapper.map(
        object,
        origin,
        finding.location.span().unwrap_or(first_line),
    ) else {
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
    finding.message = format!(
        "{} (rendered by Kustomize from {shown_dir})",
        finding.message
    );
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
