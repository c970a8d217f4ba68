//! One traversal per file, dispatching nodes by kind id to every consumer that declared an
//! interest in their kind.
//!
//! A consumer names the node kinds it wants; [`Dispatch::new`] resolves the names once to
//! ids through the [`Grammar`] and lays out, for every kind id, which consumers want it.
//! [`Dispatch::walk`] then visits the tree once, in document order (pre-order: a node before
//! its children, children left to right), and for each node looks up its kind id in that
//! table: a node nobody wants costs one array read, and no kind name is compared per node.

use crate::grammar::Grammar;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use tree_sitter::Node;

/// Something that wants to see the nodes of some kinds during a file's one traversal: a
/// rule, an extractor, the model of a language.
pub trait Consumer<'t> {
    /// The named node kinds it wants, as the grammar spells them.
    fn kinds(&self) -> &[&'static str];

    /// Called for every node of one of its kinds, in document order.
    fn visit(&mut self, node: Node<'t>, visit: Visit);
}

/// What the traversal knows about a visited node, beside the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visit {
    /// Which of the consumer's [`Consumer::kinds`] the node is (its index in that list).
    pub kind: usize,
    /// How deep the node is: 0 for the root, 1 for its children, and so on.
    pub depth: usize,
}

/// A kind name that the grammar does not know; the consumer that asked for it would never
/// be called for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKind {
    pub grammar: &'static str,
    pub kind: String,
}

impl std::fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} grammar has no node kind `{}`",
            self.grammar, self.kind
        )
    }
}

impl std::error::Error for UnknownKind {}

/// For every kind id, the consumers that want it: a compressed table (the targets of kind
/// `k` are `targets[starts[k]..starts[k + 1]]`), in the order consumers were given.
#[derive(Debug)]
pub struct Dispatch {
    starts: Vec<u32>,
    /// (consumer index, index of the kind in that consumer's list).
    targets: Vec<(u32, u32)>,
    /// Whether each kind id is a named kind: read from here instead of asking each node
    /// (one call into tree-sitter fewer per node when parents are recorded).
    named: Vec<bool>,
}

impl Dispatch {
    /// Lays out the table for consumers that want, in order, the kinds in `interests`.
    pub fn new<'k>(
        grammar: &Grammar,
        interests: impl IntoIterator<Item = &'k [&'static str]>,
    ) -> Result<Dispatch, UnknownKind> {
        let mut wanted: Vec<(u16, u32, u32)> = Vec::new();
        for (consumer, kinds) in interests.into_iter().enumerate() {
            for (index, kind) in kinds.iter().enumerate() {
                let id = grammar.kind_id(kind).ok_or_else(|| UnknownKind {
                    grammar: grammar.name(),
                    kind: (*kind).to_string(),
                })?;
                wanted.push((id, consumer as u32, index as u32));
            }
        }
        // Stable: within a kind, consumers keep the order they were given in.
        wanted.sort_by_key(|&(id, _, _)| id);
        let count = grammar.kind_count();
        let mut starts = vec![0u32; count + 1];
        for &(id, _, _) in &wanted {
            if (id as usize) < count {
                starts[id as usize + 1] += 1;
            }
        }
        for k in 0..count {
            starts[k + 1] += starts[k];
        }
        let targets = wanted
            .into_iter()
            .filter(|&(id, _, _)| (id as usize) < count)
            .map(|(_, consumer, index)| (consumer, index))
            .collect();
        let named = (0..count)
            .map(|id| u16::try_from(id).is_ok_and(|id| grammar.language().node_kind_is_named(id)))
            .collect();
        Ok(Dispatch {
            starts,
            targets,
            named,
        })
    }

    /// The consumers (and their kind indexes) that want nodes of kind `id`.
    fn targets(&self, id: u16) -> &[(u32, u32)] {
        let id = id as usize;
        match (self.starts.get(id), self.starts.get(id + 1)) {
            (Some(&start), Some(&end)) => &self.targets[start as usize..end as usize],
            // `ERROR` and other ids past the table: nobody can have asked for them.
            _ => &[],
        }
    }

    /// Walks the tree under `root` once, handing each node to the consumers that want its
    /// kind. `consumers` must be in the order the interests were given to [`Dispatch::new`].
    pub fn walk<'t>(&self, root: Node<'t>, consumers: &mut [&mut dyn Consumer<'t>]) {
        self.walk_inner(root, consumers, None);
    }

    /// [`Dispatch::walk`], recording the parent of every named node under `root` on the way.
    pub fn walk_recording_parents<'t>(
        &self,
        root: Node<'t>,
        consumers: &mut [&mut dyn Consumer<'t>],
        parents: &mut Parents<'t>,
    ) {
        self.walk_inner(root, consumers, Some(parents));
    }

    fn walk_inner<'t>(
        &self,
        root: Node<'t>,
        consumers: &mut [&mut dyn Consumer<'t>],
        mut parents: Option<&mut Parents<'t>>,
    ) {
        let mut cursor = root.walk();
        let mut depth = 0usize;
        // The nodes above the cursor, when parents are recorded.
        let mut ancestors: Vec<Node<'t>> = Vec::new();
        loop {
            let node = cursor.node();
            let id = node.kind_id();
            if let Some(parents) = parents.as_deref_mut()
                && let Some(&parent) = ancestors.last()
                // `ERROR` and ids past the table: asked of the node.
                && self.named.get(id as usize).copied().unwrap_or_else(|| node.is_named())
            {
                parents.map.insert(node.id(), parent);
            }
            for &(consumer, kind) in self.targets(id) {
                if let Some(c) = consumers.get_mut(consumer as usize) {
                    c.visit(
                        node,
                        Visit {
                            kind: kind as usize,
                            depth,
                        },
                    );
                }
            }
            if cursor.goto_first_child() {
                depth += 1;
                if parents.is_some() {
                    ancestors.push(node);
                }
                continue;
            }
            loop {
                // The walk never leaves `root`, even when `root` has siblings.
                if depth == 0 {
                    return;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
                depth -= 1;
                ancestors.pop();
            }
        }
    }
}

/// The parents of a tree's named nodes, recorded during the one traversal
/// ([`traverse_recording_parents`]).
///
/// `Node::parent` is not a pointer read in tree-sitter: it descends from the root again,
/// scanning the children of every ancestor, so code that climbs from a node to its
/// enclosing statement, block or function pays for the width and depth of the whole file on
/// each step (a fifth of a Python scan went there). A lookup here is one hash probe; a node
/// that was not recorded (anonymous, or outside the walked subtree) falls back to
/// `Node::parent`, so the answer is always the same.
#[derive(Debug, Default)]
pub struct Parents<'t> {
    map: HashMap<usize, Node<'t>, BuildHasherDefault<NodeIdHasher>>,
}

impl<'t> Parents<'t> {
    /// A table sized for a file of `bytes` bytes (about one named node per ten bytes of
    /// Python), so that recording rarely grows it.
    pub fn for_text_of(bytes: usize) -> Parents<'t> {
        Parents {
            map: HashMap::with_capacity_and_hasher(bytes / 10, BuildHasherDefault::default()),
        }
    }

    /// The parent of `node`, as `Node::parent` gives it.
    pub fn get(&self, node: Node<'t>) -> Option<Node<'t>> {
        match self.map.get(&node.id()) {
            Some(&parent) => Some(parent),
            None => node.parent(),
        }
    }
}

/// A hasher for node ids (addresses inside the tree): one multiplication, its high bits
/// folded down so that the table's bucket bits vary even though addresses are aligned.
#[derive(Default)]
pub struct NodeIdHasher(u64);

impl Hasher for NodeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b) ^ self.0.rotate_left(8));
        }
    }

    fn write_u64(&mut self, value: u64) {
        let product = (value ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = product ^ (product >> 32);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

/// The scan's traversal of `root` with nobody to dispatch to: every node visited once, in
/// the same loop, and nothing else. `palisade parse-only --walk` adds it to the parse floor,
/// to measure what visiting a tree costs before any rule looks at a node.
pub fn bare_walk(grammar: &Grammar, root: Node<'_>) {
    if let Ok(dispatch) = Dispatch::new(grammar, std::iter::empty()) {
        dispatch.walk(root, &mut []);
    }
}

/// Walks `root` once for `consumers`, each asking for its own [`Consumer::kinds`].
pub fn traverse<'t>(
    grammar: &Grammar,
    root: Node<'t>,
    consumers: &mut [&mut dyn Consumer<'t>],
) -> Result<(), UnknownKind> {
    let dispatch = Dispatch::new(grammar, consumers.iter().map(|c| c.kinds()))?;
    dispatch.walk(root, consumers);
    Ok(())
}

/// [`traverse`], recording every named node's parent in `parents` on the way.
pub fn traverse_recording_parents<'t>(
    grammar: &Grammar,
    root: Node<'t>,
    consumers: &mut [&mut dyn Consumer<'t>],
    parents: &mut Parents<'t>,
) -> Result<(), UnknownKind> {
    let dispatch = Dispatch::new(grammar, consumers.iter().map(|c| c.kinds()))?;
    dispatch.walk_recording_parents(root, consumers, parents);
    Ok(())
}

/// A consumer that keeps the nodes of its kinds, by kind and in document order, for code
/// that must see the whole file before it looks at any node (rules that ask a model built
/// from every import and assignment).
#[derive(Debug, Default)]
pub struct NodesByKind<'t> {
    kinds: Vec<&'static str>,
    lists: Vec<Vec<Node<'t>>>,
}

impl<'t> NodesByKind<'t> {
    /// Collects the nodes of `kinds` (duplicates are collected once).
    pub fn new<'k>(kinds: impl IntoIterator<Item = &'k &'static str>) -> NodesByKind<'t> {
        let mut out = NodesByKind::default();
        for &kind in kinds {
            if !out.kinds.contains(&kind) {
                out.kinds.push(kind);
                out.lists.push(Vec::new());
            }
        }
        out
    }

    /// The nodes of one kind, in document order; empty for a kind it was not asked for.
    pub fn get(&self, kind: &str) -> &[Node<'t>] {
        self.kinds
            .iter()
            .position(|k| *k == kind)
            .map_or(&[], |i| self.lists[i].as_slice())
    }
}

impl<'t> Consumer<'t> for NodesByKind<'t> {
    fn kinds(&self) -> &[&'static str] {
        &self.kinds
    }

    fn visit(&mut self, node: Node<'t>, visit: Visit) {
        if let Some(list) = self.lists.get_mut(visit.kind) {
            list.push(node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::parse;
    use std::sync::LazyLock;

    static PYTHON: LazyLock<Grammar> =
        LazyLock::new(|| Grammar::new("python", tree_sitter_python::LANGUAGE));

    /// Records what it saw as (kind, text, depth).
    struct Recorder<'s> {
        kinds: Vec<&'static str>,
        source: &'s str,
        seen: Vec<(&'static str, String, usize)>,
    }

    impl<'t> Consumer<'t> for Recorder<'_> {
        fn kinds(&self) -> &[&'static str] {
            &self.kinds
        }
        fn visit(&mut self, node: Node<'t>, visit: Visit) {
            self.seen.push((
                self.kinds[visit.kind],
                self.source[node.byte_range()].to_string(),
                visit.depth,
            ));
        }
    }

    const SOURCE: &str = "import os\ndef f(a):\n    return g(a, h(1))\nx = 'lit'\n";

    #[test]
    fn each_consumer_sees_its_kinds_in_document_order() {
        let parsed = parse(&PYTHON, SOURCE).unwrap();
        let mut calls = Recorder {
            kinds: vec!["call"],
            source: SOURCE,
            seen: Vec::new(),
        };
        let mut mixed = Recorder {
            kinds: vec!["string", "import_statement", "call"],
            source: SOURCE,
            seen: Vec::new(),
        };
        traverse(
            &PYTHON,
            parsed.tree.root_node(),
            &mut [&mut calls, &mut mixed],
        )
        .unwrap();
        let texts =
            |r: &Recorder<'_>| -> Vec<String> { r.seen.iter().map(|s| s.1.clone()).collect() };
        assert_eq!(texts(&calls), ["g(a, h(1))", "h(1)"]);
        assert_eq!(texts(&mixed), ["import os", "g(a, h(1))", "h(1)", "'lit'"]);
        assert_eq!(mixed.seen[0].0, "import_statement");
        assert_eq!(mixed.seen[0].2, 1, "a statement is a child of the module");
        assert!(
            calls.seen[1].2 > calls.seen[0].2,
            "the inner call is deeper"
        );
    }

    #[test]
    fn an_unknown_kind_is_an_error_not_silence() {
        let parsed = parse(&PYTHON, SOURCE).unwrap();
        let mut typo = NodesByKind::new(&["cal"]);
        let err = traverse(&PYTHON, parsed.tree.root_node(), &mut [&mut typo]).unwrap_err();
        assert_eq!(err.kind, "cal");
    }

    #[test]
    fn nodes_by_kind_keeps_each_kind_in_order() {
        let parsed = parse(&PYTHON, SOURCE).unwrap();
        let mut nodes = NodesByKind::new(&["call", "identifier", "call"]);
        traverse(&PYTHON, parsed.tree.root_node(), &mut [&mut nodes]).unwrap();
        let calls: Vec<&str> = nodes
            .get("call")
            .iter()
            .map(|n| &SOURCE[n.byte_range()])
            .collect();
        assert_eq!(calls, ["g(a, h(1))", "h(1)"]);
        assert_eq!(nodes.get("identifier").len(), 7);
        assert!(nodes.get("string").is_empty());
    }

    #[test]
    fn recorded_parents_are_the_trees_parents() {
        let source = "import os\n# note\nclass C:\n    def f(self, a=(1, [2])):\n        return {k: v for k, v in a}  # why\n";
        let parsed = parse(&PYTHON, source).unwrap();
        let root = parsed.tree.root_node();
        let mut parents = Parents::default();
        traverse_recording_parents(&PYTHON, root, &mut [], &mut parents).unwrap();
        let mut stack = vec![root];
        let mut checked = 0;
        while let Some(node) = stack.pop() {
            assert_eq!(parents.get(node), node.parent(), "{node:?}");
            checked += 1;
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
        assert!(checked > 40);
        assert!(parents.map.len() > 20, "named nodes are recorded");
    }

    #[test]
    fn a_subtree_walk_stays_inside_it() {
        let parsed = parse(&PYTHON, SOURCE).unwrap();
        let function = parsed.tree.root_node().named_child(1).unwrap();
        let mut nodes = NodesByKind::new(&["identifier", "import_statement"]);
        traverse(&PYTHON, function, &mut [&mut nodes]).unwrap();
        assert!(nodes.get("import_statement").is_empty());
        assert_eq!(nodes.get("identifier").len(), 5);
    }
}
