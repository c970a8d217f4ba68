//! Running `git` on a scanned repository without running anything from it: no hooks,
//! fsmonitor, external diff or textconv driver, pager or system configuration; standard
//! input closed; the caller's `GIT_DIR`-style variables removed so that `-C` decides the
//! repository. Used by the secrets history (`--history`) and diff-aware scans (`--diff`).

use std::path::Path;
use std::process::{Command, Stdio};

/// A `git` command that runs nothing from the repository at `top`: no hooks, fsmonitor,
/// external diff or textconv, pager or system configuration; standard input closed; the
/// caller's `GIT_DIR`-style variables removed so that `-C` decides the repository.
pub fn git(top: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(top)
        .args([
            "--no-pager",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "diff.external=",
            "-c",
            "core.quotePath=false",
            "-c",
            "log.showSignature=false",
        ])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_EXTERNAL_DIFF")
        .stdin(Stdio::null());
    command
}

/// Runs a short `git` command and returns its standard output, or a sentence saying why it
/// failed.
pub fn git_output(top: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = git(top).args(args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "git is not installed or not on the PATH: --history and --diff need it".to_string()
        } else {
            format!("cannot run git: {e}")
        }
    })?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// The top folder of the git repository that holds `path` (a folder or a file), or git's
/// own words on why there is none.
pub fn top_folder(path: &Path) -> Result<std::path::PathBuf, String> {
    let folder = if path.is_file() {
        path.parent().unwrap_or(Path::new("."))
    } else {
        path
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let out = git_output(folder, &["rev-parse", "--show-toplevel"])?;
    Ok(std::path::PathBuf::from(
        String::from_utf8_lossy(&out).trim().to_string(),
    ))
}

/// `root`'s path inside the repository whose top folder is `top`: `/`-separated, empty for
/// the top folder itself.
pub fn path_inside(top: &Path, root: &Path) -> String {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    canonical(root)
        .strip_prefix(canonical(top))
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}

/// The part of a repository one scanned root covers: the root's path inside the repository
/// (empty for the whole repository). Git commands are limited to it ([`RootScope::pathspec`])
/// and the paths they print become the paths findings use ([`RootScope::reported`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RootScope {
    /// `/`-separated, no trailing `/`; empty: the whole repository.
    pub prefix: String,
    /// The root is one file rather than a folder.
    pub file: bool,
    /// What reported paths start with: the root as given when a scan has several roots
    /// (as the file scan's paths do), else nothing.
    pub shown_root: Option<String>,
}

impl RootScope {
    /// The scope of `root` (a folder or a file) inside the repository whose top is `top`.
    pub fn of(top: &Path, root: &Path, several_roots: bool) -> RootScope {
        RootScope {
            prefix: path_inside(top, root),
            file: root.is_file(),
            shown_root: several_roots.then(|| crate::engine::display_root(root)),
        }
    }

    /// The git pathspec that limits a command to this scope (literal: a folder named
    /// `*` is not a glob).
    pub fn pathspec(&self) -> Option<String> {
        (!self.prefix.is_empty()).then(|| format!(":(literal){}", self.prefix))
    }

    /// A repository path as the file scan reports it: relative to the root (after the root
    /// itself when a scan has several), or `None` when it lies outside the scope.
    pub fn reported(&self, path: &str) -> Option<String> {
        let relative = if self.prefix.is_empty() {
            path
        } else if self.file {
            if path != self.prefix {
                return None;
            }
            if let Some(shown) = &self.shown_root {
                return Some(shown.clone());
            }
            path.rsplit('/').next().unwrap_or(path)
        } else {
            path.strip_prefix(self.prefix.as_str())?
                .strip_prefix('/')
                .filter(|rest| !rest.is_empty())?
        };
        Some(match &self.shown_root {
            Some(shown) => format!("{shown}/{relative}"),
            None => relative.to_string(),
        })
    }
}
