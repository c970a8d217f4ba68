//! The per-file model that Python rules share: which names refer to which imported modules,
//! what each local name was assigned, and how to resolve an expression to a dotted name
//! (`rq.get` → `requests.get` after `import requests as rq`).
//!
//! It is built from the node lists collected in the analyzer's single traversal; rules query
//! it and never re-parse text.

use crate::grammar::field;
use std::collections::{BTreeMap, HashMap, HashSet};
use tree_sitter::Node;

/// A scope: the id of the enclosing function node, or `MODULE` for module level.
pub type ScopeId = usize;
pub const MODULE: ScopeId = usize::MAX;

/// The model of one Python file.
pub struct Model<'t> {
    source: &'t [u8],
    /// `source` as text, checked once: `None` when it is not UTF-8 (then every node's text
    /// is checked on its own).
    utf8: Option<&'t str>,
    /// The file's dotted module name (`shop.api.orders`), empty when unknown.
    module: String,
    /// The package relative imports start from (`shop.api` for `shop/api/orders.py` and for
    /// `shop/api/__init__.py`).
    package: String,
    /// Local name → what it is bound to by the file's imports (`rq` → `requests`, `fetch` →
    /// `requests.get`, `views` → `shop.api.views` after `from . import views`); the last
    /// import of a name wins.
    imports: HashMap<String, Import>,
    /// Top-level packages imported anywhere in the file (`requests`, `ssl`, …).
    imported_packages: HashSet<String>,
    /// (scope, target text) → every value assigned to it in that scope, in source order.
    assignments: HashMap<(ScopeId, String), Vec<Node<'t>>>,
    /// Parameters per function scope.
    parameters: HashMap<ScopeId, HashSet<String>>,
    /// Names of the functions and methods the file defines, at any depth: a cheap first test
    /// before a callee is looked up in the scopes.
    function_names: HashSet<&'t str>,
    /// Per-scope definition indexes, built lazily by [`crate::flow`] for the scopes a rule
    /// asks about.
    pub(crate) flow: crate::flow::FlowCache,
    /// Per-scope indexes of what binds a name besides assignments, built lazily by
    /// [`crate::values`] (as byte ranges, like `flow`).
    pub(crate) bindings: crate::values::BindingsCache,
    /// The file's tree root and the parents of its named nodes, when the analyzer's
    /// traversal recorded them ([`Model::with_tree`]): climbing the tree is then a lookup.
    root: Option<Node<'t>>,
    parents: palisade_syntax::Parents<'t>,
}

/// What an import binds a local name to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The fully qualified dotted name.
    pub qualified: String,
    /// Written as a relative import (`from .views import bp`): it names the project's own
    /// code, never a third-party library.
    pub relative: bool,
}

impl<'t> Model<'t> {
    pub fn new(source: &'t [u8]) -> Model<'t> {
        Model {
            source,
            utf8: std::str::from_utf8(source).ok(),
            module: String::new(),
            package: String::new(),
            imports: HashMap::new(),
            imported_packages: HashSet::new(),
            assignments: HashMap::new(),
            parameters: HashMap::new(),
            function_names: HashSet::new(),
            flow: crate::flow::FlowCache::default(),
            bindings: crate::values::BindingsCache::default(),
            root: None,
            parents: palisade_syntax::Parents::default(),
        }
    }

    /// The model with the file's tree root and the parents its traversal recorded.
    pub fn with_tree(self, root: Node<'t>, parents: palisade_syntax::Parents<'t>) -> Model<'t> {
        Model {
            root: Some(root),
            parents,
            ..self
        }
    }

    /// The parent of a node of the file (`Node::parent`, through the recorded parents).
    pub fn parent(&self, node: Node<'t>) -> Option<Node<'t>> {
        self.parents.get(node)
    }

    /// The root of the tree `node` is in.
    pub fn root_of(&self, node: Node<'t>) -> Node<'t> {
        if let Some(root) = self.root {
            return root;
        }
        let mut root = node;
        while let Some(parent) = root.parent() {
            root = parent;
        }
        root
    }

    /// The model of the file at `path` (relative to the scan root): relative imports are
    /// resolved from its package, and names it defines are qualified with its module.
    pub fn for_file(source: &'t [u8], path: &str) -> Model<'t> {
        let module = module_of(path);
        let package = if path.ends_with("__init__.py") {
            module.clone()
        } else {
            module
                .rsplit_once('.')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default()
        };
        Model {
            module,
            package,
            ..Model::new(source)
        }
    }

    /// The file's dotted module name.
    pub fn module(&self) -> &str {
        &self.module
    }

    /// The whole file's text.
    pub fn source_text(&self) -> &'t str {
        self.utf8.unwrap_or("")
    }

    /// The source text of a node.
    pub fn text(&self, node: Node<'_>) -> &'t str {
        match self.utf8 {
            Some(text) => palisade_syntax::text(node, text),
            None => palisade_syntax::text(node, self.source),
        }
    }

    /// Records an `import …` or `from … import …` statement.
    pub fn add_import(&mut self, node: Node<'t>) {
        let bindings = self.import_bindings(node);
        if node.kind() == "import_from_statement" {
            // `from ssl import *` imports `ssl` too, though it binds no name we can read.
            if let Some(module) = node
                .child_by_field_id(*field::MODULE_NAME)
                .filter(|m| m.kind() == "dotted_name")
            {
                self.note_package(self.text(module));
            }
        } else {
            for (_, import) in &bindings {
                self.note_package(&import.qualified);
            }
        }
        self.imports.extend(bindings);
    }

    /// The names one import statement binds, with what they are bound to (relative imports
    /// resolved from the file's package). The one place Python imports are read.
    pub fn import_bindings(&self, node: Node<'_>) -> Vec<(String, Import)> {
        let mut out = Vec::new();
        let mut cursor = node.walk();
        let absolute = |qualified: String| Import {
            qualified,
            relative: false,
        };
        if node.kind() == "import_statement" {
            for name in node.children_by_field_name("name", &mut cursor) {
                match name.kind() {
                    "dotted_name" => {
                        // `import urllib3.util` binds `urllib3`.
                        let first = self.text(name).split('.').next().unwrap_or("");
                        out.push((first.to_string(), absolute(first.to_string())));
                    }
                    "aliased_import" => {
                        if let (Some(n), Some(alias)) = (
                            name.child_by_field_id(*field::NAME),
                            name.child_by_field_id(*field::ALIAS),
                        ) {
                            let dotted = self.text(n).to_string();
                            out.push((self.text(alias).to_string(), absolute(dotted)));
                        }
                    }
                    _ => {}
                }
            }
            return out;
        }
        if node.kind() != "import_from_statement" {
            return out;
        }
        let Some(module) = node.child_by_field_id(*field::MODULE_NAME) else {
            return out;
        };
        let (base, relative) = match module.kind() {
            "dotted_name" => (self.text(module).to_string(), false),
            "relative_import" => (self.relative_base(module), true),
            _ => return out,
        };
        for name in node.children_by_field_name("name", &mut cursor) {
            let (imported, local) = match name.kind() {
                "dotted_name" => (self.text(name), self.text(name)),
                "aliased_import" => match (
                    name.child_by_field_id(*field::NAME),
                    name.child_by_field_id(*field::ALIAS),
                ) {
                    (Some(n), Some(a)) => (self.text(n), self.text(a)),
                    _ => continue,
                },
                _ => continue,
            };
            let qualified = if base.is_empty() {
                imported.to_string()
            } else {
                format!("{base}.{imported}")
            };
            out.push((
                local.to_string(),
                Import {
                    qualified,
                    relative,
                },
            ));
        }
        out
    }

    /// The module a `from … import *` statement imports everything from (relative ones
    /// resolved); `None` for any other statement.
    pub fn star_import(&self, node: Node<'_>) -> Option<String> {
        if node.kind() != "import_from_statement" {
            return None;
        }
        let mut cursor = node.walk();
        if !node
            .named_children(&mut cursor)
            .any(|c| c.kind() == "wildcard_import")
        {
            return None;
        }
        let module = node.child_by_field_id(*field::MODULE_NAME)?;
        match module.kind() {
            "dotted_name" => Some(self.text(module).to_string()),
            "relative_import" => Some(self.relative_base(module)),
            _ => None,
        }
    }

    /// The module a relative import's dots and name point to (`..models` from
    /// `shop/api/orders.py` → `shop.models`).
    fn relative_base(&self, module: Node<'_>) -> String {
        let mut dots = 0;
        let mut rest = "";
        let mut cursor = module.walk();
        for child in module.named_children(&mut cursor) {
            match child.kind() {
                "import_prefix" => dots = self.text(child).len(),
                "dotted_name" => rest = self.text(child),
                _ => {}
            }
        }
        let mut parts: Vec<&str> = if self.package.is_empty() {
            Vec::new()
        } else {
            self.package.split('.').collect()
        };
        for _ in 1..dots {
            parts.pop();
        }
        if !rest.is_empty() {
            parts.push(rest);
        }
        parts.join(".")
    }

    /// Local name → qualified name of every import, relative ones included.
    pub fn import_table(&self) -> BTreeMap<String, String> {
        self.imports
            .iter()
            .map(|(local, import)| (local.clone(), import.qualified.clone()))
            .collect()
    }

    /// Whether the first part of a dotted name is bound by an import.
    pub fn is_imported(&self, dotted: &str) -> bool {
        self.imports
            .contains_key(dotted.split('.').next().unwrap_or(dotted))
    }

    /// The qualified name of a dotted name written in this file: imported names through
    /// their import (relative ones included), anything else as defined in this module.
    pub fn qualify(&self, dotted: &str) -> String {
        let (first, rest) = match dotted.split_once('.') {
            Some((f, r)) => (f, Some(r)),
            None => (dotted, None),
        };
        let base = match self.imports.get(first) {
            Some(import) => import.qualified.clone(),
            None if self.module.is_empty() => first.to_string(),
            None => format!("{}.{first}", self.module),
        };
        match rest {
            Some(rest) => format!("{base}.{rest}"),
            None => base,
        }
    }

    fn note_package(&mut self, dotted: &str) {
        if let Some(first) = dotted.split('.').next() {
            self.imported_packages.insert(first.to_string());
        }
    }

    /// Whether the file imports `package` (or a module inside it) anywhere.
    pub fn imports_package(&self, package: &str) -> bool {
        self.imported_packages.contains(package)
    }

    /// Records `target = value` (also `with value as target`) in `scope`. Tuple targets and
    /// augmented assignments are recorded without a usable value, so that a name assigned
    /// that way is never mistaken for a constant.
    pub fn add_assignment(&mut self, scope: ScopeId, target: Node<'t>, value: Node<'t>) {
        match target.kind() {
            "identifier" | "attribute" => {
                self.assignments
                    .entry((scope, self.text(target).to_string()))
                    .or_default()
                    .push(value);
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" => {
                let mut cursor = target.walk();
                for element in target.named_children(&mut cursor) {
                    // The element's value is unknown: record the whole right-hand side,
                    // which no rule will take for a constant of the element.
                    self.add_assignment(scope, element, target);
                }
            }
            _ => {}
        }
    }

    /// Records a `function_definition`: its name and its parameters.
    pub fn add_function(&mut self, definition: Node<'t>) {
        if let Some(name) = definition.child_by_field_id(*field::NAME) {
            self.function_names.insert(self.text(name));
        }
        if let Some(parameters) = definition.child_by_field_id(*field::PARAMETERS) {
            self.add_parameters(definition.id(), parameters);
        }
    }

    /// Whether the file defines a function or method of this name anywhere.
    pub fn defines_function(&self, name: &str) -> bool {
        self.function_names.contains(name)
    }

    /// Records a function's parameter names.
    fn add_parameters(&mut self, scope: ScopeId, parameters: Node<'t>) {
        let mut names = HashSet::new();
        let mut cursor = parameters.walk();
        for p in parameters.named_children(&mut cursor) {
            let name = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => {
                    p.child_by_field_id(*field::NAME)
                }
                "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                    p.named_child(0)
                }
                _ => None,
            };
            if let Some(n) = name {
                names.insert(self.text(n).to_string());
            }
        }
        self.parameters.entry(scope).or_default().extend(names);
    }

    /// The value a name or attribute chain holds at `scope`, when it is assigned exactly once
    /// there (or, if not at all in a function, exactly once at module level) and is not a
    /// parameter. Anything assigned twice or more is unknown.
    pub fn single_value(&self, scope: ScopeId, target: &str) -> Option<Node<'t>> {
        let here = self.assignments.get(&(scope, target.to_string()));
        match here {
            Some(values) => (values.len() == 1).then(|| values[0]),
            None if scope != MODULE => {
                if self
                    .parameters
                    .get(&scope)
                    .is_some_and(|p| p.contains(target))
                {
                    return None;
                }
                self.single_value(MODULE, target)
            }
            None => None,
        }
    }

    /// Every value assigned to `target` in `scope` or, failing that, at module level.
    pub fn values(&self, scope: ScopeId, target: &str) -> &[Node<'t>] {
        self.assignments
            .get(&(scope, target.to_string()))
            .or_else(|| self.assignments.get(&(MODULE, target.to_string())))
            .map_or(&[], Vec::as_slice)
    }

    /// The dotted name an expression refers to, with its first part resolved through the
    /// file's imports: `rq.Session` → `requests.Session`. `None` for anything that is not a
    /// name or attribute chain, or whose first part was not imported.
    pub fn resolve(&self, node: Node<'_>) -> Option<String> {
        // Most chains do not start with an imported name (`self.x`, locals, builtins): look
        // at the first name before building any text (rules ask this of nearly every call).
        let mut first = node;
        while first.kind() == "attribute" {
            first = first.child_by_field_id(*field::OBJECT)?;
        }
        if first.kind() != "identifier" {
            return None;
        }
        self.imports.get(self.text(first)).filter(|i| !i.relative)?;
        let dotted = self.dotted(node)?;
        let (first, rest) = match dotted.split_once('.') {
            Some((f, r)) => (f, Some(r)),
            None => (dotted.as_str(), None),
        };
        // Relative imports name the project's own code, never a library a rule knows.
        let base = self.imports.get(first).filter(|i| !i.relative)?;
        Some(match rest {
            Some(rest) => format!("{}.{rest}", base.qualified),
            None => base.qualified.clone(),
        })
    }

    /// The text of a pure name/attribute chain (`self.session.get`), else `None`.
    pub fn dotted(&self, node: Node<'_>) -> Option<String> {
        match self.utf8 {
            Some(text) => crate::grammar::dotted(node, text),
            None => crate::grammar::dotted(node, self.source),
        }
    }
}

thread_local! {
    /// The function and lambda extents of the file being analysed on this thread, in source
    /// order. `Node::parent` costs a walk down from the root in tree-sitter, and `scope_of` is
    /// asked for almost every assignment and call, so the analyzer records the extents in its
    /// one traversal and `scope_of` searches them.
    static FUNCTIONS: std::cell::RefCell<Option<Vec<Extent>>> =
        const { std::cell::RefCell::new(None) };
}

/// The dotted module name of a file path: `shop/api/orders.py` → `shop.api.orders`,
/// `shop/api/__init__.py` → `shop.api`.
pub fn module_of(path: &str) -> String {
    let path = path.trim_start_matches("./");
    let stem = path
        .strip_suffix(".py")
        .or_else(|| path.strip_suffix(".pyi"))
        .unwrap_or(path);
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    let stem = if stem == "__init__" { "" } else { stem };
    stem.replace(['/', '\\'], ".")
}

/// One function's or lambda's extent, with the index of the extent that encloses it.
struct Extent {
    start: usize,
    end: usize,
    id: usize,
    parent: Option<usize>,
}

/// Keeps a file's function table installed for `scope_of` while it lives.
pub struct FunctionTable;

impl FunctionTable {
    /// Installs the (start byte, end byte, node id) extents of a file's functions and
    /// lambdas, in source order (outer before inner where they start together).
    pub fn install(functions: Vec<(usize, usize, usize)>) -> FunctionTable {
        let mut extents: Vec<Extent> = Vec::with_capacity(functions.len());
        // Extents nest: the enclosing one of each is the innermost still open where it starts.
        let mut open: Vec<usize> = Vec::new();
        for (start, end, id) in functions {
            while open.last().is_some_and(|&i| extents[i].end <= start) {
                open.pop();
            }
            extents.push(Extent {
                start,
                end,
                id,
                parent: open.last().copied(),
            });
            open.push(extents.len() - 1);
        }
        FUNCTIONS.with(|f| *f.borrow_mut() = Some(extents));
        FunctionTable
    }
}

impl Drop for FunctionTable {
    fn drop(&mut self) {
        FUNCTIONS.with(|f| *f.borrow_mut() = None);
    }
}

/// The scope a node is in: its nearest enclosing function, or the module.
pub fn scope_of(node: Node<'_>) -> ScopeId {
    let at = node.start_byte();
    let found = FUNCTIONS.with(|table| {
        let table = table.borrow();
        let table = table.as_ref()?;
        // The last function that starts before the node is the innermost candidate; when it
        // does not contain the node, only its enclosing functions can (extents nest), so the
        // search climbs that chain — a few steps, not every earlier function of the file.
        let before = table.partition_point(|extent| extent.start < at);
        let mut candidate = before.checked_sub(1);
        while let Some(i) = candidate {
            let extent = &table[i];
            if at < extent.end && extent.id != node.id() {
                return Some(extent.id);
            }
            candidate = extent.parent;
        }
        Some(MODULE)
    });
    if let Some(scope) = found {
        return scope;
    }
    let mut current = node.parent();
    while let Some(n) = current {
        if n.kind() == "function_definition" || n.kind() == "lambda" {
            return n.id();
        }
        current = n.parent();
    }
    MODULE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::PYTHON;

    /// The model of `source` as the file at `path`, with its imports recorded.
    fn imports_of(path: &str, source: &str, check: impl FnOnce(&Model<'_>, Node<'_>)) {
        let parsed = palisade_syntax::parse(&PYTHON, source).unwrap();
        let root = parsed.tree.root_node();
        let mut model = Model::for_file(source.as_bytes(), path);
        let mut cursor = root.walk();
        for statement in root.named_children(&mut cursor) {
            model.add_import(statement);
        }
        check(&model, root);
    }

    /// The extent table answers what walking up the tree answers, for every node of a file
    /// with nested functions, lambdas, methods and module-level code between and after them.
    #[test]
    fn scope_of_from_the_table_agrees_with_the_tree() {
        let source = "x = 1\n\
def outer(a):\n    b = a\n    def inner(c):\n        return lambda d: c + d\n    e = inner\n    return e\n\
y = 2\n\
class C:\n    def m(self):\n        f = [lambda: 1, lambda: 2]\n        return f\n    z = 3\n\
def last():\n    pass\n\
w = last()\n";
        let parsed = palisade_syntax::parse(&PYTHON, source).unwrap();
        let root = parsed.tree.root_node();
        let mut all = Vec::new();
        let mut functions = Vec::new();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            all.push(node);
            if matches!(node.kind(), "function_definition" | "lambda") {
                functions.push((node.start_byte(), node.end_byte(), node.id()));
            }
            let mut cursor = node.walk();
            let mut children: Vec<_> = node.children(&mut cursor).collect();
            children.reverse();
            stack.extend(children);
        }
        // A function's first token starts where the function does: the tree puts it inside,
        // the table (which compares start bytes) outside, and no rule asks about it.
        let starts: HashSet<usize> = functions.iter().map(|&(start, _, _)| start).collect();
        let asked: Vec<Node<'_>> = all
            .into_iter()
            .filter(|n| !starts.contains(&n.start_byte()) || n.is_named())
            .collect();
        let from_tree: Vec<ScopeId> = asked.iter().map(|&n| scope_of(n)).collect();
        assert!(from_tree.iter().filter(|&&s| s != MODULE).count() > 10);
        let _table = FunctionTable::install(functions);
        let from_table: Vec<ScopeId> = asked.iter().map(|&n| scope_of(n)).collect();
        assert_eq!(from_table, from_tree);
    }

    #[test]
    fn relative_imports_resolve_from_the_files_package() {
        let source =
            "from . import views\nfrom ..models import Order as O\nimport requests as rq\n";
        imports_of("shop/api/orders.py", source, |model, _| {
            let table = model.import_table();
            assert_eq!(table["views"], "shop.api.views");
            assert_eq!(table["O"], "shop.models.Order");
            assert_eq!(table["rq"], "requests");
            assert_eq!(model.qualify("views.bp"), "shop.api.views.bp");
            assert_eq!(
                model.qualify("create_order"),
                "shop.api.orders.create_order"
            );
            assert!(model.is_imported("views.bp"));
            assert!(model.imports_package("requests"));
            assert!(!model.imports_package("shop"));
        });
        imports_of(
            "shop/api/__init__.py",
            "from .views import bp\n",
            |model, _| {
                assert_eq!(model.import_table()["bp"], "shop.api.views.bp");
            },
        );
    }

    #[test]
    fn rules_never_resolve_a_name_through_a_relative_import() {
        let source = "import requests\nfrom . import requests\nrequests.get\n";
        imports_of("app/client.py", source, |model, root| {
            let expression = root.named_child(2).and_then(|s| s.named_child(0)).unwrap();
            assert_eq!(model.resolve(expression), None);
            assert_eq!(model.qualify("requests.get"), "app.requests.get");
        });
    }
}
