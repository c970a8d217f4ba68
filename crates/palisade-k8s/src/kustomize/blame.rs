//! Which patch of an overlay causes a finding its base does not have.
//!
//! An overlay can make a hardened base unsafe without writing any of the lines a finding
//! would point at: a JSON 6902 `remove` of `securityContext`, a strategic-merge patch that
//! sets `$patch: delete`. Mapping such a finding by key path lands on the base's line, which
//! is the one line that is right. So when the base object on its own does not have the
//! finding, the patch of the overlay that touches the object closest to the finding's
//! position takes it: the operation whose `path` shares the longest prefix with the finding's
//! key path (a removal first, on a tie), or the deepest node of a strategic-merge patch on it.

use super::key_path::{Found, Step, resolve};
use crate::yaml::{self, entry, get_str, items};
use palisade_core::Span;
use saphyr::MarkedYaml;

/// One JSON 6902 operation of a patch.
pub(super) struct Op<'a, 'input> {
    /// The `path`, split at `/` (`~1` and `~0` decoded).
    path: Vec<String>,
    removes: bool,
    /// Its `path:` line.
    span: Span,
    /// The `value` it adds or puts in place.
    value: Option<&'a MarkedYaml<'input>>,
}

impl Op<'_, '_> {
    /// Where in the patch the finding at `steps` is: inside the operation's value when the
    /// operation puts the finding's ancestor in place and the value has the rest of the
    /// path, else its `path:` line.
    pub(super) fn span_for(&self, steps: &[Step]) -> Span {
        let (common, covers, _) = op_closeness(self, steps);
        if let (true, Some(value)) = (covers, self.value) {
            let (found, (depth, _, _)) = object_closeness(value, &steps[common..]);
            return match found.key {
                Some(key) if depth > 0 => crate::key_value_span(key, found.value),
                _ => self.span,
            };
        }
        self.span
    }
}

/// The operations of a JSON 6902 patch: a list of mappings with `op` and `path` (empty for
/// anything else).
pub(super) fn json_ops<'a, 'input>(documents: &'a [yaml::Document<'input>]) -> Vec<Op<'a, 'input>> {
    let Some(root) = documents.first().map(|d| &d.root) else {
        return Vec::new();
    };
    items(root)
        .iter()
        .filter_map(|item| {
            let op = get_str(item, "op")?;
            let (key, value) = entry(item, "path")?;
            let path = crate::object::text(value)
                .split('/')
                .skip(1)
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect();
            Some(Op {
                path,
                removes: op == "remove",
                span: crate::key_value_span(key, value),
                value: crate::yaml::get(item, "value"),
            })
        })
        .collect()
}

/// How close a patch's change is to a finding's key path: the length of their common
/// prefix, whether the change covers the finding's whole path's ancestor chain, whether it
/// removes something.
pub(super) type Closeness = (usize, bool, bool);

/// How close `op` is to the finding at `steps`.
pub(super) fn op_closeness(op: &Op<'_, '_>, steps: &[Step]) -> Closeness {
    let common = op
        .path
        .iter()
        .zip(steps)
        .take_while(|(segment, step)| match step {
            Step::Key(key) => key == *segment,
            // `-` appends: the item is the list's last, which the rendering shows.
            Step::Item { index, .. } => {
                *segment == "-" || segment.parse::<usize>().ok() == Some(*index)
            }
        })
        .count();
    (common, common == op.path.len(), op.removes)
}

/// The deepest node of a strategic-merge patch object on the finding's key path, and how
/// close it is.
pub(super) fn object_closeness<'a, 'input>(
    patch: &'a MarkedYaml<'input>,
    steps: &[Step],
) -> (Found<'a, 'input>, Closeness) {
    for n in (0..=steps.len()).rev() {
        let (found, exact) = resolve(patch, &steps[..n]);
        if exact {
            return (found, (n, n == steps.len(), false));
        }
    }
    (resolve(patch, &[]).0, (0, false, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operation_nearest_the_finding_is_chosen() {
        let text = "- op: add\n  path: /spec/template/spec/containers/0/ports/0\n  value: {}\n- op: remove\n  path: /spec/template/spec/containers/0/securityContext\n";
        let (documents, _) = yaml::load(text);
        let ops = json_ops(&documents);
        assert_eq!(ops.len(), 2);
        let steps = vec![
            Step::Key("spec".into()),
            Step::Key("template".into()),
            Step::Key("spec".into()),
            Step::Key("containers".into()),
            Step::Item {
                index: 0,
                name: Some("api".into()),
            },
            Step::Key("name".into()),
        ];
        let best = ops
            .iter()
            .max_by_key(|op| op_closeness(op, &steps))
            .unwrap();
        assert_eq!(best.span_for(&steps).start_line, 5);
    }
}
