//! File discovery: a parallel, .gitignore-aware walk (also outside git repositories) that
//! honours `.palisadeignore`, prunes vendored and build folders early, and never follows
//! symbolic links. Which analyzer reads a file is decided by the engine, from the analyzers'
//! own file selectors.

use crate::report::{Diagnostic, DiagnosticKind};
use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};
use palisade_knowledge::roles::{FileRole, file_role};
use std::collections::{BTreeSet, HashMap};
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

/// The files of a walk, sorted by report path, in a few bytes each beyond their names: a
/// scan of a large tree holds this list from the walk to its end, so it keeps each folder's
/// path once, one string of all file names and a 12-byte entry per file (rather than a
/// string per path and an 80-byte record), and the sizes of the few files over
/// [`WalkSettings::sizes_kept_over`] only. A report path is its folder, `/` and its name.
/// A file's path on disk is its root joined with its report path (less the root's prefix);
/// the few for which that is not true (a name that is not UTF-8, a file given as a root
/// under a prefix) keep theirs aside.
#[derive(Debug, Default)]
pub struct FileList {
    /// The folders of the report paths (`""` for a file at the top), each once per walk.
    folders: Vec<Span>,
    folder_text: String,
    /// The file names, in the order they were found.
    names: String,
    /// One per file, sorted by report path.
    entries: Vec<Entry>,
    /// By `Entry::name_start` (sorted): the size the walk saw of each file over
    /// [`WalkSettings::sizes_kept_over`].
    large: Vec<(u32, u64)>,
    roots: Vec<WalkRoot>,
    /// By entry: its index in `roots`; empty when there is one root.
    root_of: Vec<u32>,
    /// By `Entry::name_start` (sorted): the disk path of a file it cannot be derived for.
    exact: Vec<(u32, PathBuf)>,
}

/// The longest report path a list holds, in bytes (far beyond any file system's limit).
const MAX_PATH_LEN: usize = u16::MAX as usize;

/// Where a folder's path lies in `FileList::folder_text`.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    len: u16,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Its folder's index in `FileList::folders`.
    folder: u32,
    /// Where its name lies in `FileList::names` (unique per entry).
    name_start: u32,
    name_len: u16,
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
#[derive(Clone, Debug)]
pub struct WalkedFile<'a> {
    /// Its report path (put together from its folder and name when asked for).
    pub path: String,
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
            .binary_search_by_key(&entry.name_start, |(s, _)| *s)
        {
            return self.list.exact[at].1.clone();
        }
        let prefix_len = self.list.roots[self.list.root_index(self.index)].prefix_len;
        self.root
            .join(self.path.get(prefix_len..).unwrap_or(&self.path))
    }

    pub fn to_owned(&self) -> DiscoveredFile {
        DiscoveredFile {
            path: self.path.clone(),
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
                .binary_search_by_key(&entry.name_start, |(s, _)| *s)
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
    pub fn paths(&self) -> impl ExactSizeIterator<Item = String> + '_ {
        self.entries.iter().map(|e| self.entry_path(e))
    }

    /// The index of the file reported as `path`.
    pub fn index_of(&self, path: &str) -> Option<usize> {
        let (folder, name) = split_path(path);
        self.entries
            .binary_search_by(|e| {
                compare_paths(self.parts(e), (folder.as_bytes(), name.as_bytes()))
            })
            .ok()
    }

    fn root_index(&self, index: usize) -> usize {
        self.root_of.get(index).map_or(0, |&r| r as usize)
    }

    /// An entry's folder and name.
    fn parts(&self, entry: &Entry) -> (&[u8], &[u8]) {
        let folder = self
            .folders
            .get(entry.folder as usize)
            .map_or(&[][..], |span| {
                let start = span.start as usize;
                self.folder_text
                    .as_bytes()
                    .get(start..start + usize::from(span.len))
                    .unwrap_or_default()
            });
        let start = entry.name_start as usize;
        let name = self
            .names
            .as_bytes()
            .get(start..start + usize::from(entry.name_len))
            .unwrap_or_default();
        (folder, name)
    }

    fn entry_path(&self, entry: &Entry) -> String {
        let (folder, name) = self.parts(entry);
        // Both parts are slices of strings at the bounds they were pushed with.
        let folder = std::str::from_utf8(folder).unwrap_or_default();
        let name = std::str::from_utf8(name).unwrap_or_default();
        if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        }
    }

    /// Another walk's files added to these; a file found by both (a root inside another) is
    /// kept once, with the disk path that sorts first. `false` (and nothing added) when the
    /// names or folders together would pass 4 GB.
    pub fn merge(&mut self, other: FileList) -> bool {
        if self.roots.is_empty() {
            *self = other;
            return true;
        }
        let (Ok(base), Ok(folder_base)) = (
            u32::try_from(self.names.len()),
            u32::try_from(self.folders.len()),
        ) else {
            return false;
        };
        let fits = |a: usize, b: usize| u32::try_from(a + b).is_ok();
        if !fits(self.names.len(), other.names.len())
            || !fits(self.folder_text.len(), other.folder_text.len())
            || !fits(self.folders.len(), other.folders.len())
        {
            return false;
        }
        let text_base = self.folder_text.len() as u32;
        let first_root = self.roots.len() as u32;
        if self.root_of.is_empty() {
            self.root_of = vec![0; self.entries.len()];
        }
        self.root_of.extend(
            (0..other.entries.len())
                .map(|i| first_root + other.root_of.get(i).copied().unwrap_or(0)),
        );
        self.names.push_str(&other.names);
        self.folder_text.push_str(&other.folder_text);
        self.folders.extend(other.folders.into_iter().map(|s| Span {
            start: s.start + text_base,
            ..s
        }));
        self.roots.extend(other.roots);
        self.exact
            .extend(other.exact.into_iter().map(|(s, path)| (s + base, path)));
        self.large
            .extend(other.large.into_iter().map(|(s, size)| (s + base, size)));
        self.entries
            .extend(other.entries.into_iter().map(|e| Entry {
                folder: e.folder + folder_base,
                name_start: e.name_start + base,
                ..e
            }));
        self.sort();
        true
    }

    /// Sorts the entries by report path (then disk path) and drops later copies of a path.
    /// In place: on a large tree the list is most of a scan's memory, and a sorted copy
    /// beside it would double it.
    fn sort(&mut self) {
        self.names.shrink_to_fit();
        self.folder_text.shrink_to_fit();
        self.folders.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.exact.sort_by_key(|(start, _)| *start);
        self.large.sort_by_key(|(start, _)| *start);
        self.large.shrink_to_fit();
        let disk = |list: &FileList, i: usize| list.get(i).abs_path();
        let mut order: Vec<u32> = (0..self.entries.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            self.compare_entries(a, b)
                .then_with(|| disk(self, a).cmp(&disk(self, b)))
        });
        permute(&mut self.entries, &order);
        permute(&mut self.root_of, &order);
        drop(order);
        // A path found again (a root inside another) follows its first copy.
        let keep: Vec<bool> = (0..self.entries.len())
            .map(|i| i == 0 || self.compare_entries(i, i - 1).is_ne())
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
        let kept: std::collections::HashSet<u32> =
            self.entries.iter().map(|e| e.name_start).collect();
        self.exact.retain(|(start, _)| kept.contains(start));
        self.large.retain(|(start, _)| kept.contains(start));
    }

    /// The order of two entries' report paths.
    fn compare_entries(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let (a, b) = (&self.entries[a], &self.entries[b]);
        if a.folder == b.folder {
            return self.parts(a).1.cmp(self.parts(b).1);
        }
        compare_paths(self.parts(a), self.parts(b))
    }
}

/// A report path's folder (`""` at the top) and name.
fn split_path(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// The order of two report paths given as folder and name, as the order of the whole paths
/// (`folder/name`, or `name` alone at the top) without putting them together.
fn compare_paths(a: (&[u8], &[u8]), b: (&[u8], &[u8])) -> std::cmp::Ordering {
    let ((folder_a, name_a), (folder_b, name_b)) = (a, b);
    if folder_a == folder_b {
        return name_a.cmp(name_b);
    }
    // Two folders that differ before either ends order their paths.
    let common = folder_a.len().min(folder_b.len());
    if folder_a[..common] != folder_b[..common] {
        return folder_a[..common].cmp(&folder_b[..common]);
    }
    whole_path(folder_a, name_a).cmp(whole_path(folder_b, name_b))
}

/// The bytes of a report path given as folder and name.
fn whole_path<'a>(folder: &'a [u8], name: &'a [u8]) -> impl Iterator<Item = &'a u8> {
    let slash: &'static [u8] = if folder.is_empty() { b"" } else { b"/" };
    folder.iter().chain(slash).chain(name)
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
    /// The index of each folder in `list.folders`.
    folder_index: HashMap<Box<str>, u32>,
    /// Set when the paths outgrew the list (over 4 GB of names or folders).
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
        if path.len() > MAX_PATH_LEN {
            return false;
        }
        let (folder, name) = split_path(path);
        let Some(folder) = self.folder(folder) else {
            self.full = true;
            return true;
        };
        let name_start = u32::try_from(self.list.names.len())
            .ok()
            .filter(|start| start.checked_add(name.len() as u32).is_some());
        let Some(name_start) = name_start else {
            self.full = true;
            return true;
        };
        self.list.names.push_str(name);
        self.list.entries.push(Entry {
            folder,
            name_start,
            // No longer than the path.
            name_len: name.len() as u16,
            role,
        });
        if let Some(size) = size {
            self.list.large.push((name_start, size));
        }
        if let Some(abs_path) = abs_path {
            self.list.exact.push((name_start, abs_path));
        }
        true
    }

    /// The index of `folder` in the list's folders, added when new; `None` past 4 GB.
    fn folder(&mut self, folder: &str) -> Option<u32> {
        if let Some(&index) = self.folder_index.get(folder) {
            return Some(index);
        }
        let index = u32::try_from(self.list.folders.len()).ok()?;
        let start = u32::try_from(self.list.folder_text.len())
            .ok()
            .filter(|start| start.checked_add(folder.len() as u32).is_some())?;
        self.list.folder_text.push_str(folder);
        self.list.folders.push(Span {
            start,
            // No longer than the path.
            len: folder.len() as u16,
        });
        self.folder_index.insert(folder.into(), index);
        Some(index)
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
    // Not needed once the walk is over; the sort is the walk's peak.
    builder.folder_index = HashMap::new();
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
        let paths: Vec<String> = files.paths().collect();
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
        let files: Vec<WalkedFile<'_>> = files.iter().collect();
        let roles: Vec<(&str, FileRole)> =
            files.iter().map(|f| (f.path.as_str(), f.role)).collect();
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
                assert_eq!(list.index_of(&file.path), Some(file.index()));
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
    fn paths_kept_as_folder_and_name_sort_as_whole_paths() {
        // Folders that are prefixes of others, and names that sort around `/`.
        let paths = [
            "a.py",
            "a",
            "a-c/x.py",
            "a/b.py",
            "a/b/c.py",
            "a/b-c.py",
            "a/b/.env",
            "ab.py",
            "a/b",
            "a.b/c",
            "b",
            "a/b/c/d",
            "a-/b",
            "a0/b",
            "é/x",
            "a/b/c.py.bak",
        ];
        for x in paths {
            for y in paths {
                let (fx, nx) = split_path(x);
                let (fy, ny) = split_path(y);
                assert_eq!(
                    compare_paths(
                        (fx.as_bytes(), nx.as_bytes()),
                        (fy.as_bytes(), ny.as_bytes())
                    ),
                    x.cmp(y),
                    "{x} against {y}"
                );
            }
        }
        let dir = tempfile::tempdir().unwrap();
        for path in [
            "a.py", "a-c/x.py", "a/b.py", "a/b/c.py", "a/b-c.py", "ab.py", "a0/b",
        ] {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x = 1\n").unwrap();
        }
        let (list, _) = walk(dir.path(), "", &WalkSettings::default());
        let listed: Vec<String> = list.paths().collect();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(listed, sorted);
        assert_eq!(listed.len(), 7);
        for (index, path) in listed.iter().enumerate() {
            assert_eq!(list.index_of(path), Some(index));
        }
        assert_eq!(list.index_of("a/b"), None);
        assert_eq!(list.index_of("a"), None);
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
        let sized: Vec<(String, Option<u64>)> = list
            .iter()
            .filter(|f| f.large_size.is_some())
            .map(|f| (f.path, f.large_size))
            .collect();
        assert_eq!(sized, [("app/big.py".to_string(), Some(6_000))]);
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
        let paths: Vec<String> = list.paths().collect();
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
