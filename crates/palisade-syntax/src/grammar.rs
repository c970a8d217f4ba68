//! A language palisade parses: its tree-sitter language and its table of node kinds, built
//! once so that consumers name kinds as text and the traversal compares numbers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use tree_sitter::Language;

/// Gives every grammar its own key in the per-thread parser pool.
static NEXT_GRAMMAR: AtomicUsize = AtomicUsize::new(0);

/// One tree-sitter language with its named node kinds resolved to ids.
///
/// Create each grammar once (a `static` [`std::sync::LazyLock`] in the analyzer) and share
/// it: the kind table costs a scan of the grammar's symbols, and the parser pool keys its
/// parsers by grammar.
pub struct Grammar {
    key: usize,
    name: &'static str,
    language: Language,
    /// Named, visible node kind → the id tree-sitter gives nodes of that kind.
    kinds: HashMap<String, u16>,
}

impl Grammar {
    /// Builds the grammar called `name` (used in messages) for `language`.
    pub fn new(name: &'static str, language: impl Into<Language>) -> Grammar {
        let language = language.into();
        let mut kinds = HashMap::new();
        for id in 0..language.node_kind_count() {
            let Ok(id) = u16::try_from(id) else { break };
            if !(language.node_kind_is_named(id) && language.node_kind_is_visible(id)) {
                continue;
            }
            if let Some(name) = language.node_kind_for_id(id)
                && !kinds.contains_key(name)
            {
                // Aliases give one name several symbols; nodes report the public one,
                // which is what tree-sitter's own lookup returns.
                let public = language.id_for_node_kind(name, true);
                kinds.insert(name.to_string(), if public == 0 { id } else { public });
            }
        }
        Grammar {
            key: NEXT_GRAMMAR.fetch_add(1, Ordering::Relaxed),
            name,
            language,
            kinds,
        }
    }

    /// The name given at creation (`python`, `javascript`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn language(&self) -> &Language {
        &self.language
    }

    /// The id of a named node kind (`call`, `string`), or `None` when the grammar has no
    /// such kind (a typo in a rule's declaration).
    pub fn kind_id(&self, kind: &str) -> Option<u16> {
        self.kinds.get(kind).copied()
    }

    /// How many ids node kinds of this grammar can have (the size of a table indexed by id).
    pub fn kind_count(&self) -> usize {
        self.language.node_kind_count()
    }

    pub(crate) fn key(&self) -> usize {
        self.key
    }
}

impl std::fmt::Debug for Grammar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grammar")
            .field("name", &self.name)
            .field("kinds", &self.kinds.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_kinds_resolve_to_the_ids_nodes_carry() {
        let grammar = Grammar::new("python", tree_sitter_python::LANGUAGE);
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(grammar.language()).unwrap();
        let tree = parser.parse("f(x)\n", None).unwrap();
        let call = tree
            .root_node()
            .named_child(0)
            .unwrap()
            .named_child(0)
            .unwrap();
        assert_eq!(call.kind(), "call");
        assert_eq!(grammar.kind_id("call"), Some(call.kind_id()));
        assert_eq!(grammar.kind_id("no_such_kind"), None);
        // Anonymous kinds (keywords, punctuation) are not in the table.
        assert_eq!(grammar.kind_id("("), None);
    }
}
