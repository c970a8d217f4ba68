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

/// One file found by the walk.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscoveredFile {
    /// The path reports show: relative to the scan root, `/`-separated.
    pub path: String,
    pub abs_path: PathBuf,
    pub size: u64,
    /// What the file is for (source, test, fixture, example, generated, vendored), decided
    /// once here from its path relative to its own root (a root's name never makes its
    /// files test code) and shared by every analyzer through `SourceFile::role`.
    pub role: FileRole,
    /// The root it was found under, as given to the walk (for a file given as a root, its
    /// folder): shared by all its files.
    pub root: Arc<Path>,
}

/// What the walk needs to know.
#[derive(Clone, Debug, Default)]
pub struct WalkSettings {
    /// Folder names never descended into.
    pub prune_dirs: Vec<String>,
    /// Globs (relative to the root) of files and folders to leave out.
    pub exclude: Vec<String>,
}

/// Walks `root` (a folder or a single file). `prefix` is put before every relative path
/// (used when several roots are scanned at once, so their paths stay distinct).
pub fn walk(
    root: &Path,
    prefix: &str,
    settings: &WalkSettings,
) -> (Vec<DiscoveredFile>, Vec<Diagnostic>) {
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
        let path = if prefix.is_empty() {
            name
        } else {
            prefix.to_string()
        };
        let file = DiscoveredFile {
            role: file_role(&name_for_role(root)),
            root: Arc::from(root.parent().unwrap_or(Path::new(""))),
            path,
            abs_path: root.to_path_buf(),
            size,
        };
        return (vec![file], Vec::new());
    }

    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let prune: BTreeSet<String> = settings.prune_dirs.iter().cloned().collect();
    let exclude = build_globs(&settings.exclude);

    let files = Mutex::new(Vec::new());
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

    let shared_root: Arc<Path> = Arc::from(root);
    walker.run(|| {
        let files = &files;
        let diagnostics = &diagnostics;
        let root = root.to_path_buf();
        let shared_root = Arc::clone(&shared_root);
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
            push(
                files,
                DiscoveredFile {
                    path: display(&rel),
                    abs_path: entry.path().to_path_buf(),
                    size,
                    role: file_role(&rel),
                    root: Arc::clone(&shared_root),
                },
            );
            WalkState::Continue
        })
    });

    let mut files = files.into_inner().unwrap_or_default();
    files.sort();
    let mut diagnostics = diagnostics.into_inner().unwrap_or_default();
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
        };
        let (files, diags) = walk(dir.path(), "", &settings);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
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
