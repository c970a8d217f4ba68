//! The model of one GitLab CI file (`.gitlab-ci.yml` and the files it includes from
//! `.gitlab/ci/`), as the `ci/gitlab-*` rules ask about it: the container images its jobs
//! run in, each with its line; and each job's conditions (`rules:`, `only:`/`except:`), its
//! variables and script lines, with what it inherits through `extends:` and YAML merge keys
//! (`<<: *template`) resolved, and the pipeline's `workflow: rules`.
//!
//! Top-level keywords (`stages`, `variables`, `include`, `workflow`, …) are not jobs; hidden
//! jobs (`.template:`) are, because other jobs `extends:` them and run their images.

use crate::workflow::Value;
use palisade_syntax::yaml::{MarkedYaml, YamlData, get, items, scalar};

/// Where an image is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageUse {
    /// `image:` of a job, or of `default:` / the top level (`job` is then `None`).
    Image { job: Option<String> },
    /// An item of `services:`.
    Service { job: Option<String> },
}

/// One image reference.
#[derive(Clone, Debug)]
pub struct Image {
    pub reference: Value,
    pub used_as: ImageUse,
}

/// One item of `rules:` (of a job or of `workflow:`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// A mapping: its `if:` expression (none means the rule always matches) and whether it
    /// says `when: never`.
    Clause {
        condition: Option<Value>,
        never: bool,
    },
    /// Something palisade cannot read (`!reference [.rules, rules]`, a template's anchor).
    Unknown,
}

/// A job's conditions, as written or inherited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conditions {
    /// `rules:`, when present.
    pub rules: Option<Vec<Rule>>,
    /// `only:` refs (`merge_requests`, `main`, `tags`, …), when present; `only:` written as a
    /// mapping gives its `refs:`.
    pub only: Option<Vec<String>>,
    /// `except:` refs, when present.
    pub except: Option<Vec<String>>,
}

/// One job (hidden template jobs included), with what it inherits resolved.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub name: String,
    /// The line of the job's key.
    pub line: u32,
    /// A hidden job (`.name:`) never runs on its own.
    pub hidden: bool,
    pub conditions: Conditions,
    /// Variables the job (or what it inherits) defines in the file.
    pub variables: Vec<(String, Value)>,
    /// The lines of `before_script`, `script` and `after_script`, each with its line: the
    /// job's own (or inherited through `extends:`/merge keys) first, then those of
    /// `default:` it runs because it sets none.
    pub script: Vec<Value>,
    /// Whether something it inherits could not be resolved: an `extends:` naming a job of
    /// another file, or a merge key whose template palisade could not read.
    pub unresolved: bool,
}

/// One GitLab CI file.
#[derive(Clone, Debug, Default)]
pub struct Pipeline {
    pub images: Vec<Image>,
    /// Every job, in file order.
    pub jobs: Vec<Job>,
    /// `workflow: rules`, when present.
    pub workflow_rules: Option<Vec<Rule>>,
    /// The names of the top-level `variables:` (defined in the file, not in the settings).
    pub variables: Vec<String>,
}

/// Top-level keys that are GitLab keywords, not jobs.
const KEYWORDS: &[&str] = &[
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
];

impl Pipeline {
    /// The model of a loaded GitLab CI document; `None` when it is not a mapping.
    pub fn from_yaml(root: &MarkedYaml<'_>) -> Option<Pipeline> {
        let YamlData::Mapping(map) = &root.data else {
            return None;
        };
        let mut pipeline = Pipeline::default();
        pipeline.collect(root, None);
        if let Some(default) = get(root, "default") {
            pipeline.collect(default, None);
        }
        for (key, body) in map.iter() {
            let Some(name) = scalar(key) else { continue };
            if KEYWORDS.contains(&name) || !matches!(body.data, YamlData::Mapping(_)) {
                continue;
            }
            pipeline.collect(body, Some(name));
        }
        pipeline.workflow_rules = get(root, "workflow")
            .and_then(|w| get(w, "rules"))
            .map(|r| read_rules(r, root, 0));
        pipeline.variables = get(root, "variables")
            .map(|v| {
                read_variables(v)
                    .into_iter()
                    .map(|(name, _)| name)
                    .collect()
            })
            .unwrap_or_default();
        let own: Vec<(String, u32, Own)> = map
            .iter()
            .filter_map(|(key, body)| {
                let name = scalar(key)?;
                if KEYWORDS.contains(&name) || !matches!(body.data, YamlData::Mapping(_)) {
                    return None;
                }
                Some((
                    name.to_string(),
                    key.span.start.line() as u32,
                    Own::read(body, root),
                ))
            })
            .collect();
        // `before_script`/`after_script` of `default:` (or the top level, the older way):
        // every job that sets none of its own runs them.
        let default_script = |key: &str| {
            get(root, "default")
                .and_then(|d| get(d, key))
                .or_else(|| get(root, key))
                .map(read_script)
        };
        let (default_before, default_after) = (
            default_script("before_script"),
            default_script("after_script"),
        );
        for (name, line, _) in &own {
            let resolved = resolve(name, &own, 0);
            // The job's own lines first, so that a finding about it points at them when it
            // has any; the defaults it runs after them.
            let defaults = if resolved.inherits_default {
                [
                    resolved
                        .before_script
                        .is_none()
                        .then(|| default_before.clone()),
                    resolved
                        .after_script
                        .is_none()
                        .then(|| default_after.clone()),
                ]
            } else {
                [None, None]
            };
            pipeline.jobs.push(Job {
                name: name.clone(),
                line: *line,
                hidden: name.starts_with('.'),
                conditions: Conditions {
                    rules: resolved.rules,
                    only: resolved.only,
                    except: resolved.except,
                },
                variables: resolved.variables,
                script: [
                    resolved.before_script,
                    resolved.script,
                    resolved.after_script,
                ]
                .into_iter()
                .chain(defaults.into_iter().flatten())
                .flatten()
                .flatten()
                .collect(),
                unresolved: resolved.unresolved_merge,
            });
        }
        Some(pipeline)
    }

    fn collect(&mut self, node: &MarkedYaml<'_>, job: Option<&str>) {
        let job = job.map(str::to_string);
        if let Some(image) = get(node, "image").and_then(reference) {
            self.images.push(Image {
                reference: image,
                used_as: ImageUse::Image { job: job.clone() },
            });
        }
        if let Some(services) = get(node, "services") {
            for service in items(services) {
                if let Some(image) = reference(service) {
                    self.images.push(Image {
                        reference: image,
                        used_as: ImageUse::Service { job: job.clone() },
                    });
                }
            }
        }
    }
}

/// What one job's mapping says itself, before `extends:` (merge keys already applied: their
/// keys fill in what the job does not set).
#[derive(Clone, Debug, Default)]
struct Own {
    rules: Option<Vec<Rule>>,
    only: Option<Vec<String>>,
    except: Option<Vec<String>>,
    variables: Vec<(String, Value)>,
    before_script: Option<Vec<Value>>,
    script: Option<Vec<Value>>,
    after_script: Option<Vec<Value>>,
    extends: Vec<String>,
    /// A merge key whose value is not a mapping palisade can read.
    unresolved_merge: bool,
    /// Whether the job takes `default:`'s scripts (not with `inherit: {default: false}`).
    inherits_default: bool,
}

impl Own {
    fn read(body: &MarkedYaml<'_>, root: &MarkedYaml<'_>) -> Own {
        let mut own = Own::default();
        own.fill(body, root, 0);
        // `inherit: {default: false}` takes nothing; a list names what it takes.
        own.inherits_default = match get(body, "inherit").and_then(|i| get(i, "default")) {
            None => true,
            Some(default) => match scalar(default).map(str::trim) {
                Some("false") => false,
                Some(_) => true,
                None => items(default)
                    .iter()
                    .filter_map(scalar)
                    .any(|k| k.trim() == "before_script" || k.trim() == "after_script"),
            },
        };
        own
    }

    /// Takes from `node` what is not set yet; then from its merge keys (`<<`, `<<1`, …,
    /// see `without_merge_keys`), which GitLab applies under the job's own keys.
    fn fill(&mut self, node: &MarkedYaml<'_>, root: &MarkedYaml<'_>, depth: usize) {
        if self.rules.is_none() {
            self.rules = get(node, "rules").map(|r| read_rules(r, root, 0));
        }
        if self.only.is_none() {
            self.only = get(node, "only").map(read_refs);
        }
        if self.except.is_none() {
            self.except = get(node, "except").map(read_refs);
        }
        if let Some(variables) = get(node, "variables") {
            for (name, value) in read_variables(variables) {
                if !self.variables.iter().any(|(n, _)| *n == name) {
                    self.variables.push((name, value));
                }
            }
        }
        for (key, slot) in [
            ("before_script", &mut self.before_script),
            ("script", &mut self.script),
            ("after_script", &mut self.after_script),
        ] {
            if slot.is_none() {
                *slot = get(node, key).map(read_script);
            }
        }
        if self.extends.is_empty()
            && let Some(extends) = get(node, "extends")
        {
            self.extends = match scalar(extends) {
                Some(one) => vec![one.trim().to_string()],
                None => items(extends)
                    .iter()
                    .filter_map(scalar)
                    .map(|s| s.trim().to_string())
                    .collect(),
            };
        }
        let YamlData::Mapping(map) = &node.data else {
            return;
        };
        for (key, value) in map.iter() {
            if !scalar(key).is_some_and(|k| k.starts_with("<<")) {
                continue;
            }
            let templates: Vec<&MarkedYaml<'_>> = match &value.data {
                YamlData::Mapping(_) => vec![value],
                YamlData::Sequence(list) => list.iter().collect(),
                _ => Vec::new(),
            };
            if templates.is_empty() || depth > 8 {
                self.unresolved_merge = true;
            }
            for template in templates {
                if matches!(template.data, YamlData::Mapping(_)) && depth <= 8 {
                    self.fill(template, root, depth + 1);
                } else {
                    self.unresolved_merge = true;
                }
            }
        }
    }
}

/// What the job `name` amounts to once the jobs it `extends:` are merged under it (GitLab
/// merges them, the extending job's keys winning, the last of several templates before the
/// first; `variables` merge name by name).
fn resolve(name: &str, jobs: &[(String, u32, Own)], depth: usize) -> Own {
    let Some((_, _, own)) = jobs.iter().find(|(n, _, _)| n == name) else {
        // A template of another file (`include:`).
        return Own {
            unresolved_merge: true,
            ..Own::default()
        };
    };
    let mut out = own.clone();
    if depth > 10 {
        out.unresolved_merge = true;
        return out;
    }
    for parent in own.extends.iter().rev() {
        let p = resolve(parent, jobs, depth + 1);
        if out.rules.is_none() && out.only.is_none() && out.except.is_none() {
            out.rules = p.rules;
            out.only = p.only;
            out.except = p.except;
        }
        for (n, value) in p.variables {
            if !out.variables.iter().any(|(have, _)| *have == n) {
                out.variables.push((n, value));
            }
        }
        out.before_script = out.before_script.or(p.before_script);
        out.script = out.script.or(p.script);
        out.after_script = out.after_script.or(p.after_script);
        out.unresolved_merge |= p.unresolved_merge;
    }
    out
}

/// `rules:` items, with `!reference [.name, key]` tags of this file resolved (GitLab flattens
/// a referenced list into the list that references it).
fn read_rules(node: &MarkedYaml<'_>, root: &MarkedYaml<'_>, depth: usize) -> Vec<Rule> {
    if depth > 4 {
        return vec![Rule::Unknown];
    }
    if is_reference(node) {
        return match referenced(node, root) {
            Some(target) => read_rules(target, root, depth + 1),
            None => vec![Rule::Unknown],
        };
    }
    if !matches!(node.data, YamlData::Sequence(_)) {
        return vec![Rule::Unknown];
    }
    items(node)
        .iter()
        .flat_map(|item| match &item.data {
            _ if is_reference(item) => read_rules(item, root, depth + 1),
            YamlData::Mapping(_) => vec![Rule::Clause {
                condition: get(item, "if").and_then(|c| {
                    scalar(c).map(|text| Value {
                        text: text.trim().to_string(),
                        line: c.span.start.line() as u32,
                    })
                }),
                never: get(item, "when").and_then(scalar).map(str::trim) == Some("never"),
            }],
            _ => vec![Rule::Unknown],
        })
        .collect()
}

/// Whether a node is GitLab's `!reference [.name, key, …]`.
fn is_reference(node: &MarkedYaml<'_>) -> bool {
    matches!(&node.data, YamlData::Tagged(tag, _) if tag.suffix == "reference")
}

/// What a `!reference [.name, key, …]` points at in this file.
fn referenced<'a, 'i>(
    node: &MarkedYaml<'i>,
    root: &'a MarkedYaml<'i>,
) -> Option<&'a MarkedYaml<'i>> {
    let path: Vec<&str> = items(node).iter().filter_map(scalar).collect();
    if path.is_empty() {
        return None;
    }
    palisade_syntax::yaml::get_path(root, &path)
}

/// `only:`/`except:` refs: a list, one string, or a mapping's `refs:`.
fn read_refs(node: &MarkedYaml<'_>) -> Vec<String> {
    let list = match &node.data {
        YamlData::Mapping(_) => match get(node, "refs") {
            Some(refs) => refs,
            // `only: {variables: […]}` alone: every ref, under a condition.
            None => return vec!["*".to_string()],
        },
        _ => node,
    };
    match scalar(list) {
        Some(one) => vec![one.trim().to_string()],
        None => items(list)
            .iter()
            .filter_map(scalar)
            .map(|s| s.trim().to_string())
            .collect(),
    }
}

/// `variables:` entries: `NAME: value` or `NAME: {value: …, description: …}`.
fn read_variables(node: &MarkedYaml<'_>) -> Vec<(String, Value)> {
    let YamlData::Mapping(map) = &node.data else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(key, value)| {
            let name = scalar(key)?.trim().to_string();
            let value_node = match &value.data {
                YamlData::Mapping(_) => get(value, "value")?,
                _ => value,
            };
            let text = scalar(value_node).unwrap_or_default().to_string();
            Some((
                name,
                Value {
                    text,
                    line: value_node.span.start.line() as u32,
                },
            ))
        })
        .collect()
}

/// The lines of a script key: one string or a list of them (nested lists flattened, as
/// GitLab does for `!reference`d parts it can read).
fn read_script(node: &MarkedYaml<'_>) -> Vec<Value> {
    if let Some(text) = scalar(node) {
        return vec![Value {
            text: text.to_string(),
            line: node.span.start.line() as u32,
        }];
    }
    items(node).iter().flat_map(read_script).collect()
}

/// An image reference: a string, or the `name:` of a mapping (`image: {name: …, entrypoint: …}`).
fn reference(node: &MarkedYaml<'_>) -> Option<Value> {
    let named = match &node.data {
        YamlData::Mapping(_) => get(node, "name")?,
        _ => node,
    };
    scalar(named).map(|text| Value {
        text: text.trim().to_string(),
        line: named.span.start.line() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_syntax::yaml::load;

    #[test]
    fn images_of_jobs_defaults_and_services() {
        let text = "image: python:3.12\ndefault:\n  services:\n    - postgres:16\nstages: [test]\nvariables:\n  image: not-a-job\n.base:\n  image:\n    name: registry.example.com/ci/tools:1.4\n    entrypoint: [\"\"]\ntest:\n  extends: .base\n  services:\n    - name: redis:7\n      alias: cache\n  script: [pytest]\n";
        let (docs, errors) = load(text);
        assert!(errors.is_empty(), "{errors:?}");
        let pipeline = Pipeline::from_yaml(&docs[0].root).unwrap();
        let found: Vec<(&str, u32)> = pipeline
            .images
            .iter()
            .map(|i| (i.reference.text.as_str(), i.reference.line))
            .collect();
        assert_eq!(
            found,
            [
                ("python:3.12", 1),
                ("postgres:16", 4),
                ("registry.example.com/ci/tools:1.4", 10),
                ("redis:7", 15),
            ]
        );
        assert_eq!(
            pipeline.images[2].used_as,
            ImageUse::Image {
                job: Some(".base".into())
            }
        );
    }
}
