//! The kustomization tree: which files a kustomization is made of (`resources`, `bases`,
//! `components`, recursively, and the patch files), whether it names anything remote or
//! outside the scanned root (then it is not rendered), and what one kustomization names (to
//! tell entry points from the bases and components they include).

use crate::yaml::{self, get, get_str, items, scalar};
use saphyr::MarkedYaml;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The names Kustomize looks for in a folder, in its order.
pub const FILE_NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether `path` is a kustomization file (by name).
pub fn is_kustomization(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| FILE_NAMES.contains(&n))
}

/// The kustomization file of `dir`, if it has one.
pub fn file_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// What a source file is to the kustomization that lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Listed under `resources` (or `bases`): its objects are rendered.
    Resource,
    /// A patch: its values are merged into the resources' objects.
    Patch,
}

/// A file the rendering is made of.
#[derive(Clone, Debug)]
pub struct Source {
    /// Canonical.
    pub path: PathBuf,
    pub role: Role,
    /// The name prefix and suffix the kustomizations between the rendered one and this file
    /// add to its objects' names.
    pub prefix: String,
    pub suffix: String,
    /// For a patch with a `target:` selector: the kind and name it selects.
    pub target: Option<(Option<String>, Option<String>)>,
    /// How deep the kustomization that lists it is (0: the rendered one). Outer patches are
    /// applied last.
    pub depth: usize,
    /// A patch written inside the kustomization (`patch: |` under `patches`), whose `path`
    /// is then the kustomization file.
    pub inline: Option<Inline>,
}

/// A patch written inside a kustomization file.
#[derive(Clone, Debug)]
pub struct Inline {
    /// The patch's text (a strategic-merge object or a list of JSON 6902 operations).
    pub text: String,
    /// How many lines of the kustomization file come before the text's first line, and how
    /// far it is indented there.
    pub lines_before: u32,
    pub indent: u32,
}

impl Inline {
    /// Finds where `text` (the value of the node `value`) starts in the kustomization's
    /// `file_text`: at or after the node's line, the first line that holds the text's first
    /// line (a block scalar's text starts on the line after its `|`).
    fn locate(text: &str, value: &MarkedYaml<'_>, file_text: &str) -> Inline {
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let skipped = text.lines().take_while(|l| l.trim().is_empty()).count();
        let from = value.span.start.line().saturating_sub(1);
        let found = file_text
            .lines()
            .enumerate()
            .skip(from)
            .find(|(_, l)| !first.trim().is_empty() && l.trim_end().ends_with(first.trim()));
        let (lines_before, indent) = match found {
            Some((at, line)) => (
                at.saturating_sub(skipped) as u32,
                (line.len() - line.trim_start().len()) as u32,
            ),
            None => (from as u32, 0),
        };
        Inline {
            text: text.to_string(),
            lines_before,
            indent,
        }
    }
}

/// How deep kustomizations may include one another (a chain of bases, overlays of
/// overlays). Real trees are a few levels deep; a deeper one is not rendered, so that reading
/// it (recursively) never exhausts a thread's stack.
pub const MAX_DEPTH: usize = 64;

/// The kustomization tree, as far as mapping and safety need it.
#[derive(Default)]
pub(super) struct Tree {
    pub(super) sources: Vec<Source>,
    /// The first remote reference found.
    pub(super) remote: Option<String>,
    /// The first reference that resolves outside the scanned root.
    pub(super) outside: Option<String>,
    /// Whether kustomizations include one another deeper than [`MAX_DEPTH`].
    pub(super) too_deep: bool,
}
impl Tree {
    /// Reads the kustomization tree rooted at `dir` (canonical) scanned under `root`.
    pub(super) fn read(dir: &Path, root: &Path) -> Tree {
        let mut tree = Tree::default();
        let mut visited = HashSet::from([dir.to_path_buf()]);
        walk(dir, root, 0, "", "", &mut visited, &mut tree);
        tree
    }
}

/// What one kustomization names, without following it: enough to tell which kustomizations
/// are entry points (included by no other) and which files are patches.
#[derive(Debug, Default)]
pub(super) struct Refs {
    /// `kind: Component`: rendered only inside the kustomizations that include it.
    pub(super) component: bool,
    /// The folders it includes (`resources`, `bases`, `components`), canonical.
    pub(super) dirs: Vec<PathBuf>,
    /// The patch files it lists, canonical.
    pub(super) patches: Vec<PathBuf>,
}

impl Refs {
    /// Reads the kustomization file of `dir` (canonical).
    pub(super) fn read(dir: &Path) -> Option<Refs> {
        let text = std::fs::read_to_string(file_in(dir)?).ok()?;
        let (documents, _) = yaml::load(&text);
        let k = &documents.first()?.root;
        let mut refs = Refs {
            component: get_str(k, "kind") == Some("Component"),
            ..Refs::default()
        };
        let resolve = |reference: &str| dir.join(reference.trim()).canonicalize().ok();
        for key in ["resources", "bases", "components"] {
            for item in get(k, key).map(items).unwrap_or_default() {
                if let Some(path) = scalar(item).and_then(resolve).filter(|p| p.is_dir()) {
                    refs.dirs.push(path);
                }
            }
        }
        let mut patch = |reference: Option<&str>| {
            if let Some(path) = reference
                .filter(|r| !r.contains('\n'))
                .and_then(resolve)
                .filter(|p| p.is_file())
            {
                refs.patches.push(path);
            }
        };
        for item in get(k, "patchesStrategicMerge")
            .map(items)
            .unwrap_or_default()
        {
            patch(scalar(item));
        }
        for key in ["patches", "patchesJson6902"] {
            for item in get(k, key).map(items).unwrap_or_default() {
                patch(get_str(item, "path"));
            }
        }
        Some(refs)
    }
}

/// Lists what the kustomization in `dir` includes, recursing into the folders it includes.
fn walk(
    dir: &Path,
    root: &Path,
    depth: usize,
    outer_prefix: &str,
    outer_suffix: &str,
    visited: &mut HashSet<PathBuf>,
    tree: &mut Tree,
) {
    let Some(file) = file_in(dir) else {
        return;
    };
    // A kustomization file linked from outside the root is not read.
    match file.canonicalize() {
        Ok(real) if real.starts_with(root) => {}
        _ => {
            tree.outside
                .get_or_insert_with(|| file.display().to_string());
            return;
        }
    }
    let Ok(text) = std::fs::read_to_string(&file) else {
        return;
    };
    let (documents, _) = yaml::load(&text);
    let Some(k) = documents.first().map(|d| &d.root) else {
        return;
    };
    let prefix = format!("{outer_prefix}{}", get_str(k, "namePrefix").unwrap_or(""));
    let suffix = format!("{}{outer_suffix}", get_str(k, "nameSuffix").unwrap_or(""));
    let mut include = |reference: &str, role: Role, target, tree: &mut Tree| {
        let reference = reference.trim();
        if reference.is_empty() {
            return;
        }
        if is_remote(reference, dir) {
            tree.remote.get_or_insert_with(|| reference.to_string());
            return;
        }
        // A missing path is for the tool to report.
        let Ok(path) = dir.join(reference).canonicalize() else {
            return;
        };
        if !path.starts_with(root) {
            tree.outside.get_or_insert_with(|| reference.to_string());
            return;
        }
        if path.is_dir() {
            if depth >= MAX_DEPTH {
                tree.too_deep = true;
            } else if visited.insert(path.clone()) {
                walk(&path, root, depth + 1, &prefix, &suffix, visited, tree);
            }
        } else {
            tree.sources.push(Source {
                path,
                role,
                prefix: prefix.clone(),
                suffix: suffix.clone(),
                target,
                depth,
                inline: None,
            });
        }
    };
    for key in ["resources", "bases", "components"] {
        for item in get(k, key).map(items).unwrap_or_default() {
            if let Some(reference) = scalar(item) {
                include(reference, Role::Resource, None, tree);
            }
        }
    }
    let canonical_file = file.canonicalize().unwrap_or_else(|_| file.clone());
    let inline = |value: &MarkedYaml<'_>, target, tree: &mut Tree| {
        let Some(patch) = scalar(value) else {
            return;
        };
        tree.sources.push(Source {
            path: canonical_file.clone(),
            role: Role::Patch,
            prefix: prefix.clone(),
            suffix: suffix.clone(),
            target,
            depth,
            inline: Some(Inline::locate(patch, value, &text)),
        });
    };
    for item in get(k, "patchesStrategicMerge")
        .map(items)
        .unwrap_or_default()
    {
        // An entry is a file name or an inline patch.
        match scalar(item) {
            Some(reference) if !reference.contains('\n') => {
                include(reference, Role::Patch, None, tree);
            }
            Some(_) => inline(item, None, tree),
            None => {}
        }
    }
    for key in ["patches", "patchesJson6902"] {
        for item in get(k, key).map(items).unwrap_or_default() {
            let target = get(item, "target").map(|t| {
                (
                    get_str(t, "kind").map(str::to_string),
                    get_str(t, "name").map(str::to_string),
                )
            });
            if let Some(reference) = get_str(item, "path") {
                include(reference, Role::Patch, target, tree);
            } else if let Some(patch) = get(item, "patch") {
                inline(patch, target, tree);
            }
        }
    }
    // Plugin configurations may be remote too (they are loaded like resources); they are not
    // sources of objects.
    for key in ["generators", "transformers", "validators"] {
        for item in get(k, key).map(items).unwrap_or_default() {
            if let Some(reference) = scalar(item).filter(|r| !r.contains('\n'))
                && is_remote(reference.trim(), dir)
            {
                tree.remote
                    .get_or_insert_with(|| reference.trim().to_string());
            }
        }
    }
}

/// Whether a kustomization reference names something Kustomize would fetch: a URL, a git
/// repository, or a `host.tld/…` path that does not exist locally.
fn is_remote(reference: &str, dir: &Path) -> bool {
    if reference.contains("://")
        || reference.starts_with("git::")
        || reference.starts_with("git@")
        || reference.contains("?ref=")
        || reference.contains("?version=")
    {
        return true;
    }
    if dir.join(reference).exists() {
        return false;
    }
    let first = reference.split('/').next().unwrap_or_default();
    reference.contains('/') && first.contains('.') && !first.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_references_are_recognised() {
        let here = Path::new("/nonexistent-folder");
        for remote in [
            "https://github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v1.0.6",
            "github.com/example/deploy/base?ref=main",
            "git::https://example.com/deploy.git//base",
            "git@github.com:example/deploy.git/base",
            "ssh://git@example.com/deploy.git",
            "gitlab.com/example/deploy/base",
        ] {
            assert!(is_remote(remote, here), "{remote}");
        }
        for local in [
            "../../base",
            "deployment.yaml",
            "sub/missing.yaml",
            "./x.yaml",
        ] {
            assert!(!is_remote(local, here), "{local}");
        }
    }
}
