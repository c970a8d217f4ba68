//! Diff-aware scans (`palisade scan --diff BASE_REF`): the lines that changed between the
//! merge base of `BASE_REF` and `HEAD` and the working tree, so that a pull request's scan
//! reports only the findings its change brought in (as Semgrep's diff-aware CI scans do).
//!
//! The whole tree is still scanned: project-level rules (an RBAC graph, a Kustomize
//! overlay, a cross-file SQL caller) need every file. Only the report is narrowed, by
//! [`ChangedLines::touches`]:
//! - a finding on lines is kept when one of its lines was added or changed;
//! - a finding on a whole file or folder, when a file there changed;
//! - a finding about the repository as a whole is left out (no change brought it in);
//! - findings about commits (`--history`) and live targets are kept: the user asked for them.
//!
//! Lines are those of the new side of `git diff --unified=0 --find-renames`; a file git does
//! not track yet (and does not ignore) is changed as a whole. A hunk that only deletes lines
//! changes no line of the new file.

use crate::finding::Place;
use crate::git::{RootScope, git_output, top_folder};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

/// What changed in a file, on the new side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changed {
    /// A new or untracked file: every line.
    Whole,
    /// These inclusive line ranges, in order.
    Lines(Vec<(u32, u32)>),
}

/// The mode a diff-aware scan ran in, for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffScope {
    /// The revision the user named.
    pub base: String,
    /// The commit compared with: the merge base of `base` and `HEAD` (of the first root's
    /// repository).
    pub merge_base: String,
    /// Files with at least one changed line.
    pub files_changed: usize,
}

/// The changed lines of every file of the scan, keyed by the path findings use.
#[derive(Clone, Debug)]
pub struct ChangedLines {
    scope: DiffScope,
    files: HashMap<String, Changed>,
}

impl ChangedLines {
    /// Reads what changed under each of `roots` since `base` (a branch, tag or commit). An
    /// error is a sentence for the user: not a repository, `git` missing, `base` not a
    /// commit, no common history.
    pub fn read(roots: &[PathBuf], base: &str) -> Result<ChangedLines, String> {
        if base.starts_with('-') {
            return Err(format!("--diff `{base}`: not a revision"));
        }
        let several = roots.len() > 1;
        let mut files = HashMap::new();
        let mut merge_base = None;
        for root in roots {
            let top = top_folder(root).map_err(|e| {
                format!(
                    "{} is not in a git repository, so --diff has nothing to compare ({e})",
                    root.display()
                )
            })?;
            let commit = git_output(&top, &["merge-base", base, "HEAD"]).map_err(|e| {
                let why = if e.is_empty() {
                    "it shares no history with HEAD".to_string()
                } else {
                    e
                };
                format!(
                    "--diff `{base}`: no merge base with HEAD in {} ({why})",
                    top.display()
                )
            })?;
            let commit = String::from_utf8_lossy(&commit).trim().to_string();
            let scope = RootScope::of(&top, root, several);
            let pathspec = scope.pathspec();
            let mut diff_args = vec![
                "diff",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "--unified=0",
                "--find-renames",
                commit.as_str(),
                "--",
            ];
            diff_args.extend(pathspec.as_deref());
            let patch =
                git_output(&top, &diff_args).map_err(|e| format!("git diff failed: {e}"))?;
            let mut untracked_args = vec!["ls-files", "-z", "--others", "--exclude-standard", "--"];
            untracked_args.extend(pathspec.as_deref());
            let untracked = git_output(&top, &untracked_args)
                .map_err(|e| format!("git ls-files failed: {e}"))?;
            for (path, lines) in parse_unified(&patch) {
                if let Some(path) = scope.reported(&path)
                    && !lines.is_empty()
                {
                    files.insert(path, Changed::Lines(lines));
                }
            }
            for name in untracked.split(|&b| b == 0).filter(|n| !n.is_empty()) {
                if let Some(path) = scope.reported(&String::from_utf8_lossy(name)) {
                    files.insert(path, Changed::Whole);
                }
            }
            merge_base.get_or_insert(commit);
        }
        Ok(ChangedLines {
            scope: DiffScope {
                base: base.to_string(),
                merge_base: merge_base.unwrap_or_default(),
                files_changed: files.len(),
            },
            files,
        })
    }

    /// The mode, for reports.
    pub fn scope(&self) -> &DiffScope {
        &self.scope
    }

    /// Whether the change brought in a finding at `place` (see the module documentation).
    pub fn touches(&self, place: &Place) -> bool {
        match place {
            Place::File(location) => match self.files.get(&location.path) {
                Some(Changed::Whole) => true,
                Some(Changed::Lines(ranges)) => ranges.iter().any(|&(from, to)| {
                    from <= location.span.end_line && location.span.start_line <= to
                }),
                None => false,
            },
            Place::Path(path) => {
                let folder = format!("{}/", path.trim_end_matches('/'));
                self.files
                    .keys()
                    .any(|file| file == path || file.starts_with(&folder))
            }
            Place::Repository => false,
            Place::Target(_) | Place::Commit { .. } => true,
        }
    }
}

/// The new-side line ranges of each file of a `git diff --unified=0` patch.
fn parse_unified(patch: &[u8]) -> Vec<(String, Vec<(u32, u32)>)> {
    let mut files: Vec<(String, Vec<(u32, u32)>)> = Vec::new();
    let mut current: Option<usize> = None;
    for line in patch.split(|&b| b == b'\n') {
        if let Some(rest) = line.strip_prefix(b"+++ ") {
            current = new_side_path(rest).map(|path| {
                files.push((path, Vec::new()));
                files.len() - 1
            });
        } else if line.starts_with(b"@@ ")
            && let (Some(at), Some((start, count))) = (current, hunk_new_range(line))
            && count > 0
        {
            files[at].1.push((start, start + count - 1));
        }
    }
    files
}

/// The path of a `+++` line: `b/src/app.py`, or `"b/odd\"name"` quoted by git; `None` for
/// `/dev/null` (a deleted file).
fn new_side_path(rest: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(rest);
    let text = text.trim_end_matches('\r');
    if text == "/dev/null" {
        return None;
    }
    let path = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(quoted) => unquote(quoted),
        None => text.to_string(),
    };
    path.strip_prefix("b/").map(str::to_string)
}

/// Undoes git's C-style quoting of a path (`\"`, `\\`, `\t`, `\n`, octal bytes).
fn unquote(quoted: &str) -> String {
    let mut bytes = Vec::with_capacity(quoted.len());
    let mut it = quoted.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b't') => bytes.push(b'\t'),
            Some(b'n') => bytes.push(b'\n'),
            Some(d @ b'0'..=b'7') => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    match it.peek() {
                        Some(&o @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(o - b'0');
                            it.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `@@ -a,b +c,d @@` → `(c, d)`; a missing count is 1.
fn hunk_new_range(line: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(line).ok()?;
    let new = text.split(' ').find(|part| part.starts_with('+'))?;
    let new = new.trim_start_matches('+');
    let (start, count) = match new.split_once(',') {
        Some((s, c)) => (s.parse().ok()?, c.parse().ok()?),
        None => (new.parse().ok()?, 1),
    };
    Some((start, count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Span};

    #[test]
    fn hunks_give_new_side_ranges_and_deletions_none() {
        let patch = b"diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -3,0 +4,2 @@ def f():\n+    x = 1\n+    y = 2\n@@ -10 +12 @@\n-old\n+new\n@@ -20,3 +21,0 @@\n-a\n-b\n-c\ndiff --git a/gone.py b/gone.py\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n--- a/\"we\\\"ird\\303\\251.py\"\n+++ \"b/we\\\"ird\\303\\251.py\"\n@@ -0,0 +1 @@\n+z\n";
        let files = parse_unified(patch);
        assert_eq!(
            files,
            vec![
                ("app.py".to_string(), vec![(4, 5), (12, 12)]),
                ("we\"irdé.py".to_string(), vec![(1, 1)]),
            ]
        );
    }

    #[test]
    fn a_finding_is_kept_when_one_of_its_lines_changed() {
        let changed = ChangedLines {
            scope: DiffScope {
                base: "main".into(),
                merge_base: "abc".into(),
                files_changed: 2,
            },
            files: HashMap::from([
                (
                    "k8s/deploy.yaml".to_string(),
                    Changed::Lines(vec![(10, 12)]),
                ),
                ("new.py".to_string(), Changed::Whole),
            ]),
        };
        let at = |path: &str, start: u32, end: u32| {
            Place::File(Location {
                path: path.to_string(),
                span: Span {
                    end_line: end,
                    ..Span::line(start)
                },
            })
        };
        assert!(changed.touches(&at("k8s/deploy.yaml", 12, 14)));
        assert!(changed.touches(&at("k8s/deploy.yaml", 5, 10)));
        assert!(!changed.touches(&at("k8s/deploy.yaml", 13, 20)));
        assert!(!changed.touches(&at("k8s/other.yaml", 10, 10)));
        assert!(changed.touches(&at("new.py", 400, 400)));
        assert!(changed.touches(&Place::Path("k8s".into())));
        assert!(!changed.touches(&Place::Path("k8".into())));
        assert!(!changed.touches(&Place::Repository));
        assert!(changed.touches(&Place::Target("https://shop.example".into())));
    }
}
