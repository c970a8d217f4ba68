//! Key paths: the position of a node in a rendered object as `spec.containers[api].image`,
//! and the same path followed in a source object (list items matched by their `name`).

use crate::yaml::{entry, get_str, items, scalar};
use saphyr::{MarkedYaml, YamlData};

/// One step of a key path: `spec`, `containers[0]` (with the item's `name`, if any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Key(String),
    Item { index: usize, name: Option<String> },
}

/// A node found by a key path: its value, and its key when it is a mapping value.
#[derive(Clone, Copy)]
pub(super) struct Found<'a, 'input> {
    pub(super) key: Option<&'a MarkedYaml<'input>>,
    pub(super) value: &'a MarkedYaml<'input>,
}

fn start_of(node: &MarkedYaml<'_>) -> (usize, usize) {
    (node.span.start.line(), node.span.start.col())
}

/// The key path to the node that starts at `position` (1-based line, 0-based column) in an
/// object, or to the deepest node before it; and whether that node is a key.
pub(super) fn locate(root: &MarkedYaml<'_>, position: (usize, usize)) -> (Vec<Step>, bool) {
    let mut steps = Vec::new();
    let mut node = root;
    loop {
        match &node.data {
            YamlData::Mapping(map) => {
                let best = map
                    .iter()
                    .filter(|(k, _)| start_of(k) <= position)
                    .max_by_key(|(k, _)| start_of(k));
                let Some((key, value)) = best else {
                    return (steps, false);
                };
                let Some(name) = scalar(key) else {
                    return (steps, false);
                };
                steps.push(Step::Key(name.to_string()));
                if start_of(key) == position || start_of(value) > position {
                    return (steps, true);
                }
                node = value;
            }
            YamlData::Sequence(list) => {
                let best = list
                    .iter()
                    .enumerate()
                    .rfind(|(_, item)| start_of(item) <= position);
                let Some((index, item)) = best else {
                    return (steps, false);
                };
                steps.push(Step::Item {
                    index,
                    name: get_str(item, "name").map(str::to_string),
                });
                node = item;
            }
            YamlData::Tagged(_, inner) => node = inner,
            _ => return (steps, false),
        }
    }
}

/// Follows `steps` from `root`: the node reached and whether all of them were found (or the
/// deepest node that exists, and false).
pub(super) fn resolve<'a, 'input>(
    root: &'a MarkedYaml<'input>,
    steps: &[Step],
) -> (Found<'a, 'input>, bool) {
    let mut found = Found {
        key: None,
        value: root,
    };
    for step in steps {
        let next = match step {
            Step::Key(k) => entry(found.value, k).map(|(key, value)| Found {
                key: Some(key),
                value,
            }),
            Step::Item { index, name } => {
                let list = items(found.value);
                let item = match name {
                    Some(name) => list.iter().find(|i| get_str(i, "name") == Some(name)),
                    None => list.get(*index),
                };
                item.map(|value| Found { key: None, value })
            }
        };
        match next {
            Some(next) => found = next,
            None => return (found, false),
        }
    }
    (found, true)
}

/// Whether a key path names what identifies an object or a list item (`kind`,
/// `metadata.name`, a container's `- name: api`): a patch repeats those only to say what it
/// patches, so such a line belongs to the resource.
pub(super) fn is_identity(steps: &[Step]) -> bool {
    let key = |s: &Step, name: &str| matches!(s, Step::Key(k) if k == name);
    match steps {
        [only] => key(only, "apiVersion") || key(only, "kind") || key(only, "metadata"),
        [first, second] if key(first, "metadata") => {
            key(second, "name") || key(second, "namespace")
        }
        [.., Step::Item { .. }, last] => key(last, "name"),
        _ => false,
    }
}

pub(super) fn is_scalar(node: &MarkedYaml<'_>) -> bool {
    match &node.data {
        YamlData::Mapping(_) | YamlData::Sequence(_) => false,
        YamlData::Tagged(_, inner) => is_scalar(inner),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    #[test]
    fn positions_map_through_key_paths_and_item_names() {
        let rendered = "spec:\n  containers:\n  - image: a\n    name: api\n    securityContext:\n      privileged: true\n";
        let source = "spec:\n  containers:\n    - name: sidecar\n      image: b\n    - name: api\n      image: a\n      securityContext:\n        privileged: true\n";
        let (r, _) = yaml::load(rendered);
        let (s, _) = yaml::load(source);
        let (steps, at_key) = locate(&r[0].root, (6, 6));
        assert!(at_key);
        assert_eq!(
            steps,
            vec![
                Step::Key("spec".into()),
                Step::Key("containers".into()),
                Step::Item {
                    index: 0,
                    name: Some("api".into())
                },
                Step::Key("securityContext".into()),
                Step::Key("privileged".into()),
            ]
        );
        let (found, exact) = resolve(&s[0].root, &steps);
        assert!(exact);
        assert_eq!(found.key.unwrap().span.start.line(), 8);
        // A key the source lacks falls back to its nearest ancestor.
        let mut missing = steps.clone();
        missing[4] = Step::Key("runAsUser".into());
        let (found, exact) = resolve(&s[0].root, &missing);
        assert!(!exact);
        assert_eq!(found.key.unwrap().span.start.line(), 7);
    }
}
