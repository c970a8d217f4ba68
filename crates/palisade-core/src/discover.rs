//! File discovery: a parallel, .gitignore-aware walk (also outside git repositories) that
//! honours `.palisadeignore`, prunes vendored and build folders early, and never follows
//! symbolic links. Which analyzer reads a file is decided by the engine, from the analyzers'
//! own file selectors.

use crate::report::{Diagnostic, DiagnosticKind};
use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};
use palisade_knowledge::roles::{FileRole, file_role};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The ignore file palisade reads beside `.gitignore`, with the same syntax.
pub const IGNORE_FILE_NAME: &str = ".palisadeignore";

/// One file found by the walk, owned (for callers that keep a few files; a scan keeps the
/// walk as a [`FileList`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscoveredFile {
    /// The path reports show: relative to the scan root, `/`-separated.
    pub path: String,
    pub abs_path: PathBuf,
    /// Its size, when the walk kept it (see [`WalkedFile::large_size`]).
    pub large_size: Option<u64>,
    /// What the file is for (source, test, fixture, example, generated, vendored), decided
    /// once by the walk from its path relative to its own root (a root's name never makes
    /// its files test code) and shared by every analyzer through `SourceFile::role`.
    pub role: FileRole,
    /// The root it was found under, as given to the walk (for a file given as a root, its
    /// folder): shared by all its files.
    pub root: Arc<Path>,
}

/// The files of a walk, sorted by report path, in a few bytes each beyond their paths: a
/// scan of a large tree holds this list from the walk to its end, so it keeps one string of
/// all paths and an 8-byte entry per file, rather than two strings and an 80-byte record,
/// and the sizes of the few files over [`WalkSettings::sizes_kept_over`] only.
/// A file's path on disk is its root joined with its report path (less the root's prefix);
/// the few for which that is not true (a name that is not UTF-8, a file given as a root
/// under a prefix) keep theirs aside.
#[derive(Debug, Default)]
pub struct FileList {
    /// The report paths, in the order they were found.
    text: String,
    /// One per file, sorted by report path.
    entries: Vec<Entry>,
    /// By `Entry::start` (sorted): the size the walk saw of each file over
    /// [`WalkSettings::sizes_kept_over`].
    large: Vec<(u32, u64)>,
    roots: Vec<WalkRoot>,
    /// By entry: its index in `roots`; empty when there is one root.
    root_of: Vec<u32>,
    /// By `Entry::start` (sorted): the disk path of a file it cannot be derived for.
    exact: Vec<(u32, PathBuf)>,
}

/// The longest report path a list holds, in bytes (far beyond any file system's limit).
const MAX_PATH_LEN: usize = u16::MAX as usize;

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Where the report path lies in `FileList::text` (unique per entry).
    start: u32,
    len: u16,
    role: FileRole,
}

#[derive(Debug)]
struct WalkRoot {
    /// The folder the walk started from (a single file's folder).
    dir: Arc<Path>,
    /// How many leading bytes of a report path are the root's prefix (and its `/`).
    prefix_len: usize,
}

/// One file of a [`FileList`].
#[derive(Clone, Copy, Debug)]
pub struct WalkedFile<'a> {
    pub path: &'a str,
    /// Its size when the walk saw it, if that was over the walk's
    /// [`WalkSettings::sizes_kept_over`] (`None`: no larger).
    pub large_size: Option<u64>,
    pub role: FileRole,
    /// The root it was found under (see [`DiscoveredFile::root`]).
    pub root: &'a Arc<Path>,
    list: &'a FileList,
    index: usize,
}

impl WalkedFile<'_> {
    /// Its index in its list.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Its path on disk.
    pub fn abs_path(&self) -> PathBuf {
        let entry = &self.list.entries[self.index];
        if let Ok(at) = self
            .list
            .exact
            .binary_search_by_key(&entry.start, |(s, _)| *s)
        {
            return self.list.exact[at].1.clone();
        }
        let prefix_len = self.list.roots[self.list.root_index(self.index)].prefix_len;
        self.root
            .join(self.path.get(prefix_len..).unwrap_or(self.path))
    }

    pub fn to_owned(&self) -> DiscoveredFile {
        DiscoveredFile {
            path: self.path.to_string(),
            abs_path: self.abs_path(),
            large_size: self.large_size,
            role: self.role,
            root: Arc::clone(self.root),
        }
    }
}

impl FileList {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, index: usize) -> WalkedFile<'_> {
        let entry = &self.entries[index];
        WalkedFile {
            path: self.entry_path(entry),
            large_size: self
                .large
                .binary_search_by_key(&entry.start, |(s, _)| *s)
                .ok()
                .map(|at| self.large[at].1),
            role: entry.role,
            root: &self.roots[self.root_index(index)].dir,
            list: self,
            index,
        }
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = WalkedFile<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The report paths, sorted.
    pub fn paths(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.entries.iter().map(|e| self.entry_path(e))
    }

    /// The index of the file reported as `path`.
    pub fn index_of(&self, path: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|e| self.entry_path(e).cmp(path))
            .ok()
    }

    fn root_index(&self, index: usize) -> usize {
        self.root_of.get(index).map_or(0, |&r| r as usize)
    }

    fn entry_path(&self, entry: &Entry) -> &str {
        let start = entry.start as usize;
        self.text
            .get(start..start + usize::from(entry.len))
            .unwrap_or("")
    }

    /// Another walk's files added to these; a file found by both (a root inside another) is
    /// kept once, with the disk path that sorts first. `false` (and nothing added) when the
    /// paths together would pass 4 GB.
    pub fn merge(&mut self, other: FileList) -> bool {
        if self.roots.is_empty() {
            *self = other;
            return true;
        }
        let Ok(base) = u32::try_from(self.text.len()) else {
            return false;
        };
        if u32::try_from(self.text.len() + other.text.len()).is_err() {
            return false;
        }
        let first_root = self.roots.len() as u32;
        if self.root_of.is_empty() {
            self.root_of = vec![0; self.entries.len()];
        }
        self.root_of.extend(
            (0..other.entries.len())
                .map(|i| first_root + other.root_of.get(i).copied().unwrap_or(0)),
        );
        self.text.push_str(&other.text);
        self.roots.extend(other.roots);
        self.exact
            .extend(other.exact.into_iter().map(|(s, path)| (s + base, path)));
        self.entries
            .extend(other.entries.into_iter().map(|e| Entry {
                start: e.start + base,
                ..e
            }));
        self.large
            .extend(other.large.into_iter().map(|(s, size)| (s + base, size)));
        self.sort();
        true
    }

    /// Sorts the entries by report path (then disk path) and drops later copies of a path.
    /// In place: on a large tree the list is most of a scan's memory, and a sorted copy
    /// beside it would double it.
    fn sort(&mut self) {
        self.text.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.exact.sort_by_key(|(start, _)| *start);
        self.large.sort_by_key(|(start, _)| *start);
        self.large.shrink_to_fit();
        let disk = |list: &FileList, i: usize| list.get(i).abs_path();
        let mut order: Vec<u32> = (0..self.entries.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            self.entry_path(&self.entries[a])
                .cmp(self.entry_path(&self.entries[b]))
                .then_with(|| disk(self, a).cmp(&disk(self, b)))
        });
        permute(&mut self.entries, &order);
        permute(&mut self.root_of, &order);
        drop(order);
        // A path found again (a root inside another) follows its first copy.
        let keep: Vec<bool> = (0..self.entries.len())
            .map(|i| {
                i == 0 || self.entry_path(&self.entries[i]) != self.entry_path(&self.entries[i - 1])
            })
            .collect();
        if keep.iter().all(|&k| k) {
            return;
        }
        let retain = |i: &mut usize| {
            *i += 1;
            keep[*i - 1]
        };
        let mut at = 0;
        self.entries.retain(|_| retain(&mut at));
        let mut at = 0;
        self.root_of.retain(|_| retain(&mut at));
        let kept: std::collections::HashSet<u32> = self.entries.iter().map(|e| e.start).collect();
        self.exact.retain(|(start, _)| kept.contains(start));
        self.large.retain(|(start, _)| kept.contains(start));
    }
}

/// Reorders `items` (when there is one per index of `order`) so that item `i` is the one
/// that was at `order[i]`, following each cycle of the permutation in place.
fn permute<T: Copy>(items: &mut [T], order: &[u32]) {
    if items.len() != order.len() {
        return;
    }
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        let first = items[start];
        let mut at = start;
        loop {
            done[at] = true;
            let from = order[at] as usize;
            if from == start {
                items[at] = first;
                break;
            }
            items[at] = items[from];
            at = from;
        }
    }
}

/// Gathers the files of one walk, from its threads.
#[derive(Default)]
struct ListBuilder {
    list: FileList,
    /// Set when the paths outgrew the list (over 4 GB of path text).
    full: bool,
}

impl ListBuilder {
    /// Adds a file; `false` when its path is too long to keep (see [`MAX_PATH_LEN`]).
    fn push(
        &mut self,
        path: &str,
        size: Option<u64>,
        role: FileRole,
        abs_path: Option<PathBuf>,
    ) -> bool {
        let Ok(len) = u16::try_from(path.len()) else {
            return false;
        };
        let start = u32::try_from(self.list.text.len())
            .ok()
            .filter(|start| start.checked_add(u32::from(len)).is_some());
        let Some(start) = start else {
            self.full = true;
            return true;
        };
        self.list.text.push_str(path);
        self.list.entries.push(Entry { start, len, role });
        if let Some(size) = size {
            self.list.large.push((start, size));
        }
        if let Some(abs_path) = abs_path {
            self.list.exact.push((start, abs_path));
        }
        true
    }
}

/// What the walk needs to know.
#[derive(Clone, Debug, Default)]
pub struct WalkSettings {
    /// Folder names never descended into.
    pub prune_dirs: Vec<String>,
    /// Globs (relative to the root) of files and folders to leave out.
    pub exclude: Vec<String>,
    /// The list keeps the sizes of larger files only (all of them at 0): a scan passes its
    /// smallest size limit, below which a file's size decides nothing, and so keeps no size
    /// for nearly every file of a large tree.
    pub sizes_kept_over: u64,
}

/// Walks `root` (a folder or a single file). `prefix` is put before every relative path
/// (used when several roots are scanned at once, so their paths stay distinct).
pub fn walk(root: &Path, prefix: &str, settings: &WalkSettings) -> (FileList, Vec<Diagnostic>) {
    let display = |rel: &str| {
        if prefix.is_empty() {
            rel.to_string()
        } else if rel.is_empty() {
            prefix.to_string()
        } else {
            format!("{}/{}", prefix.trim_end_matches('/'), rel)
        }
    };

    if root.is_file() {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let size = root.metadata().map_or(0, |m| m.len());
        let size = (size > settings.sizes_kept_over).then_some(size);
        let path = if prefix.is_empty() {
            name
        } else {
            prefix.to_string()
        };
        let dir: Arc<Path> = Arc::from(root.parent().unwrap_or(Path::new("")));
        // Its disk path is its folder joined with its name, unless it is shown under a prefix
        // or its name is not UTF-8.
        let exact = (dir.join(&path) != root).then(|| root.to_path_buf());
        let mut builder = ListBuilder::default();
        builder.list.roots.push(WalkRoot { dir, prefix_len: 0 });
        builder.push(&path, size, file_role(&name_for_role(root)), exact);
        return (builder.list, Vec::new());
    }

    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let prune: BTreeSet<String> = settings.prune_dirs.iter().cloned().collect();
    let exclude = build_globs(&settings.exclude);
    let sizes_kept_over = settings.sizes_kept_over;

    let prefix_len = match prefix.trim_end_matches('/') {
        "" if prefix.is_empty() => 0,
        trimmed => trimmed.len() + 1,
    };
    let files = Mutex::new(ListBuilder::default());
    let diagnostics = Mutex::new(Vec::new());
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(true)
        .follow_links(false)
        .add_custom_ignore_filename(IGNORE_FILE_NAME)
        .filter_entry({
            let root = root.to_path_buf();
            let exclude = exclude.clone();
            move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if is_dir
                    && entry.depth() > 0
                    && prune.contains(entry.file_name().to_string_lossy().as_ref())
                {
                    return false;
                }
                match (&exclude, entry.path().strip_prefix(&root)) {
                    (Some(globs), Ok(rel)) if entry.depth() > 0 => !globs.is_match(rel),
                    _ => true,
                }
            }
        })
        .build_parallel();

    walker.run(|| {
        let files = &files;
        let diagnostics = &diagnostics;
        let root = root.to_path_buf();
        let canonical_root = canonical_root.clone();
        Box::new(move |result| {
            let entry = match result {
                Ok(entry) => entry,
                Err(err) => {
                    push(diagnostics, walk_error(&root, err));
                    return WalkState::Continue;
                }
            };
            let rel = relative(&root, entry.path());
            if entry.path_is_symlink() {
                push(
                    diagnostics,
                    symlink_notice(entry.path(), &canonical_root, &display(&rel)),
                );
                return WalkState::Continue;
            }
            match entry.file_type() {
                Some(t) if t.is_file() => {}
                Some(t) if t.is_dir() => return WalkState::Continue,
                _ => {
                    // A FIFO, socket or device: reading it could block or never end.
                    push(
                        diagnostics,
                        Diagnostic::file(
                            &display(&rel),
                            DiagnosticKind::Skipped,
                            "not a regular file (a FIFO, socket or device); not read",
                        ),
                    );
                    return WalkState::Continue;
                }
            }
            let size = entry.metadata().map_or(0, |m| m.len());
            let size = (size > sizes_kept_over).then_some(size);
            // The disk path is derived from the report path, except for a name that is not
            // UTF-8 (whose report path is lossy) or a path outside the root.
            let exact = (entry.path().to_str().is_none() || !entry.path().starts_with(&root))
                .then(|| entry.path().to_path_buf());
            let role = file_role(&rel);
            let path = display(&rel);
            let kept = files
                .lock()
                .map_or(true, |mut files| files.push(&path, size, role, exact));
            if !kept {
                push(
                    diagnostics,
                    Diagnostic::file(
                        &path,
                        DiagnosticKind::Skipped,
                        format!("a path longer than {MAX_PATH_LEN} bytes; not read"),
                    ),
                );
            }
            WalkState::Continue
        })
    });

    let mut builder = files.into_inner().unwrap_or_default();
    let mut diagnostics = diagnostics.into_inner().unwrap_or_default();
    if builder.full {
        diagnostics.push(Diagnostic {
            path: None,
            line: None,
            kind: DiagnosticKind::Walk,
            message: "the tree's paths exceed 4 GB; the files found after that were not scanned"
                .to_string(),
        });
    }
    builder.list.roots.push(WalkRoot {
        dir: Arc::from(root),
        prefix_len,
    });
    let mut files = builder.list;
    files.sort();
    diagnostics.sort();
    (files, diagnostics)
}

/// A single file given as a root is judged by its name alone.
fn name_for_role(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    if let Ok(mut list) = list.lock() {
        list.push(item);
    }
}

fn build_globs(globs: &[String]) -> Option<GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        // Invalid globs were rejected when the configuration was loaded.
        if let Ok(glob) = Glob::new(glob) {
            builder.add(glob);
        }
    }
    builder.build().ok()
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Symbolic links are never followed: one pointing outside the root could leak files the
/// user did not ask to scan, one pointing inside would scan a file twice, and a linked folder
/// could loop. Each is named in a notice instead.
fn symlink_notice(path: &Path, canonical_root: &Path, shown: &str) -> Diagnostic {
    let message = match path.canonicalize() {
        Ok(target) if target.starts_with(canonical_root) => format!(
            "symbolic link to {} (inside the scanned root) not followed; the target is scanned at its own path",
            relative(canonical_root, &target)
        ),
        Ok(_) => "symbolic link points outside the scanned root; not followed".to_string(),
        Err(_) => "broken symbolic link; not followed".to_string(),
    };
    Diagnostic::file(shown, DiagnosticKind::Symlink, message)
}

fn walk_error(root: &Path, err: ignore::Error) -> Diagnostic {
    let path = error_path(&err).map(|p| relative(root, p));
    Diagnostic {
        path,
        line: None,
        kind: DiagnosticKind::Walk,
        message: err.to_string(),
    }
}

/// The path a walk error is about. The walker wraps the path of an unreadable folder in the
/// folder's depth (`WithDepth { WithPath { … } }`), so the notice named no path.
fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("app/main.py", "x = 1\n"),
            ("app/node_modules/lib/index.js", "x\n"),
            ("app/generated.py", "x\n"),
            ("app/secret.py", "x\n"),
            ("deploy/k8s.yaml", "a: 1\n"),
            (".gitignore", "generated.py\n"),
            (".palisadeignore", "secret.py\n"),
            ("vendor/x.py", "x\n"),
        ] {
            let p = root.join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn honours_gitignore_palisadeignore_pruning_and_excludes() {
        let dir = tree();
        let settings = WalkSettings {
            prune_dirs: vec!["node_modules".into()],
            exclude: vec!["vendor/**".into()],
            ..WalkSettings::default()
        };
        let (files, diags) = walk(dir.path(), "", &settings);
        let paths: Vec<&str> = files.paths().collect();
        assert_eq!(
            paths,
            [
                ".gitignore",
                ".palisadeignore",
                "app/main.py",
                "deploy/k8s.yaml"
            ]
        );
        assert!(diags.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_reported_not_followed() {
        let dir = tree();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("passwd"), "root:x:0:0\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join("passwd"), dir.path().join("app/leak"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked-dir")).unwrap();
        let (files, diags) = walk(dir.path(), "", &WalkSettings::default());
        assert!(
            files
                .iter()
                .all(|f| !f.path.contains("leak") && !f.path.contains("linked"))
        );
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(
            diags.iter().all(|d| d.kind == DiagnosticKind::Symlink
                && d.message.contains("outside the scanned root"))
        );
    }

    #[test]
    fn roles_are_decided_from_the_path_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        // The root itself sits in a folder named `tests`: that says nothing of its files.
        let root = dir.path().join("tests").join("product");
        for path in [
            "app/views.py",
            "app/tests/test_views.py",
            "examples/demo.py",
        ] {
            let p = root.join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x = 1\n").unwrap();
        }
        let (files, _) = walk(&root, "tests/product", &WalkSettings::default());
        let roles: Vec<(&str, FileRole)> = files.iter().map(|f| (f.path, f.role)).collect();
        assert_eq!(
            roles,
            [
                ("tests/product/app/tests/test_views.py", FileRole::Test),
                ("tests/product/app/views.py", FileRole::Source),
                ("tests/product/examples/demo.py", FileRole::Example),
            ]
        );
    }

    #[test]
    fn disk_paths_are_derived_from_report_paths_and_prefixes() {
        let dir = tree();
        let (plain, _) = walk(dir.path(), "", &WalkSettings::default());
        let (prefixed, _) = walk(dir.path(), "product/", &WalkSettings::default());
        for list in [&plain, &prefixed] {
            assert_eq!(list.len(), 6);
            for file in list.iter() {
                let abs = file.abs_path();
                assert!(abs.is_file(), "{abs:?} for {}", file.path);
                assert!(abs.ends_with(file.path.trim_start_matches("product/")));
                assert_eq!(list.index_of(file.path), Some(file.index()));
                assert_eq!(file.large_size, Some(fs::metadata(&abs).unwrap().len()));
            }
        }
        assert_eq!(prefixed.get(0).path, "product/.gitignore");
        assert_eq!(plain.index_of("app/nowhere.py"), None);

        // A file given as a root: under a prefix its report path is the prefix alone.
        let single = dir.path().join("app/main.py");
        let (named, _) = walk(&single, "", &WalkSettings::default());
        let (shown, _) = walk(&single, "given/main.py", &WalkSettings::default());
        assert_eq!(named.get(0).path, "main.py");
        assert_eq!(shown.get(0).path, "given/main.py");
        assert_eq!(named.get(0).abs_path(), single);
        assert_eq!(shown.get(0).abs_path(), single);
    }

    #[test]
    fn only_sizes_over_the_threshold_are_kept() {
        let dir = tree();
        fs::write(dir.path().join("app/big.py"), "x = 1\n".repeat(1_000)).unwrap();
        let settings = WalkSettings {
            sizes_kept_over: 5_999,
            ..WalkSettings::default()
        };
        let (list, _) = walk(dir.path(), "", &settings);
        let sized: Vec<(&str, Option<u64>)> = list
            .iter()
            .filter(|f| f.large_size.is_some())
            .map(|f| (f.path, f.large_size))
            .collect();
        assert_eq!(sized, [("app/big.py", Some(6_000))]);
        let single = WalkSettings {
            sizes_kept_over: 6_000,
            ..WalkSettings::default()
        };
        let (one, _) = walk(&dir.path().join("app/big.py"), "", &single);
        assert_eq!(one.get(0).large_size, None);
    }

    #[test]
    fn merged_walks_keep_a_file_found_twice_once_and_their_own_roots() {
        let dir = tree();
        let inner = dir.path().join("app");
        let (mut list, _) = walk(dir.path(), "outer", &WalkSettings::default());
        let (nested, _) = walk(&inner, "outer/app", &WalkSettings::default());
        let (other, _) = walk(&inner, "other", &WalkSettings::default());
        let before = list.len();
        list.merge(nested);
        assert_eq!(
            list.len(),
            before,
            "the nested root's files are the outer one's"
        );
        list.merge(other);
        let paths: Vec<&str> = list.paths().collect();
        let mut sorted = paths.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(paths, sorted);
        let moved = list.get(list.index_of("other/main.py").unwrap());
        assert_eq!(moved.abs_path(), inner.join("main.py"));
        assert_eq!(&**moved.root, inner.as_path());
        let outer = list.get(list.index_of("outer/deploy/k8s.yaml").unwrap());
        assert_eq!(outer.abs_path(), dir.path().join("deploy/k8s.yaml"));
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_keeps_its_disk_path() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
        let file = dir.path().join(name);
        if fs::write(&file, "x = 1\n").is_err() {
            eprintln!("the file system refuses non-UTF-8 names: skipped");
            return;
        }
        fs::write(dir.path().join("b.py"), "x = 1\n").unwrap();
        let (list, _) = walk(dir.path(), "", &WalkSettings::default());
        assert_eq!(list.len(), 2);
        let odd = list.iter().find(|f| f.path.starts_with("caf")).unwrap();
        assert_eq!(odd.abs_path(), file);
        assert_eq!(
            list.get(list.index_of("b.py").unwrap()).abs_path(),
            dir.path().join("b.py")
        );
    }

    #[test]
    fn permuting_in_place_follows_every_cycle() {
        let order = [3u32, 0, 4, 1, 2, 5];
        let mut items = ['a', 'b', 'c', 'd', 'e', 'f'];
        permute(&mut items, &order);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c', 'f']);
        // A list of another length (no roots recorded) is left alone.
        let mut none: [u32; 0] = [];
        permute(&mut none, &order);
    }

    #[test]
    fn special_files_are_named_in_a_notice_and_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("queue");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo unavailable: skipped");
            return;
        }
        fs::write(dir.path().join("app.py"), "x = 1\n").unwrap();
        let (files, notes) = walk(dir.path(), "", &WalkSettings::default());
        assert_eq!(files.len(), 1);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].path.as_deref(), Some("queue"));
        assert_eq!(notes[0].kind, DiagnosticKind::Skipped);
    }
}
