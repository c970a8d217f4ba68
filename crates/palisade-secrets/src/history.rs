//! Secrets in a repository's git history (`palisade scan --history [--since REF|DATE]`):
//! every line added by a commit reachable from HEAD is read with the same detectors as the
//! working tree ([`crate::secret_hits`]).
//!
//! History is read with the `git` command (`git log -p`), configured so that nothing from
//! the scanned repository runs: no hooks, no fsmonitor, no external diff or textconv
//! driver, no pager, no system configuration, standard input closed. The CLI was measured
//! against gix 0.87 (a tree diff to the parent and a line diff of every changed blob of
//! every non-merge commit, as `git log -p` does): on redash (7,979 commits) 2.1 s of CPU
//! either way, on healthchecks (3,918) 1.0–1.3 s either way. gix is no faster here, would
//! add a hundred crates to a security tool's dependencies, and the CLI is on every machine
//! that has a repository.
//!
//! Each secret value is reported once, at the oldest commit that added it, and only when it
//! is no longer in the working tree: a secret still in the tree is already a finding of the
//! file scan. A secret that was removed is still a finding — whoever cloned the repository
//! has it, so it must be rotated.

mod patch;

use crate::matcher::Matcher;
use crate::{Positions, SecretsAnalyzer, is_lowered_by_path, lowering_note, secret_hits};
use aho_corasick::AhoCorasick;
use palisade_core::git::{RootScope, git, git_output, top_folder};
use palisade_core::{Confidence, Finding, Location, RuleMeta, Span};
use patch::{Block, Commit, PatchReader};
pub use patch::{MAX_ADDED_BYTES, Skipped};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A working-tree file larger than this is not read when checking whether a history secret
/// is still in the tree.
const MAX_TREE_FILE: u64 = 32 * 1024 * 1024;

/// What a history scan found and skipped.
#[derive(Debug, Default)]
pub struct HistoryScan {
    /// One finding per secret value no longer in the working tree, at its first commit.
    pub findings: Vec<Finding>,
    /// Commits read.
    pub commits: usize,
    /// Secret values found in history that are still in the working tree (reported by the
    /// file scan, not again).
    pub still_in_tree: usize,
    pub skipped: Skipped,
    /// Why git stopped before the end of the history (a repository with missing objects):
    /// what was read before is still reported.
    pub incomplete: Option<String>,
}

/// The top folder of the git repository that holds `path` (a folder or a file).
pub fn repository_root(path: &Path) -> Result<PathBuf, String> {
    top_folder(path).map_err(|e| {
        if e.starts_with("git is not installed") {
            e
        } else {
            format!(
                "{} is not in a git repository, so --history has no history to read ({e})",
                path.display()
            )
        }
    })
}

/// Whether `since` is a date, `YYYY-MM-DD`.
fn is_date(since: &str) -> bool {
    let b = since.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Checks `--since`: a `YYYY-MM-DD` date, or a revision of the repository.
pub fn check_since(top: &Path, since: &str) -> Result<(), String> {
    if is_date(since) {
        return Ok(());
    }
    if since.starts_with('-') {
        return Err(format!(
            "--since `{since}`: neither a YYYY-MM-DD date nor a revision"
        ));
    }
    git_output(
        top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{since}^{{commit}}"),
        ],
    )
    .map(|_| ())
    .map_err(|_| {
        format!("--since `{since}`: neither a YYYY-MM-DD date nor a commit of the repository")
    })
}

/// Reads the history of the repository at `top` within `scope` (commits after `since`, or
/// all reachable from HEAD) and returns one finding per secret value that a commit added
/// and that is no longer in the scope's working tree, at its oldest commit.
pub fn scan(
    top: &Path,
    scope: &RootScope,
    since: Option<&str>,
    matcher: &Matcher,
    wants: &dyn Fn(&RuleMeta) -> bool,
) -> Result<HistoryScan, String> {
    let mut command = git(top);
    command.args([
        "log",
        "-p",
        "--reverse",
        "--no-ext-diff",
        "--no-textconv",
        "--no-color",
        "--unified=0",
        "--date=short",
        "--format=%x01%H%x00%an%x00%ad",
    ]);
    match since {
        Some(date) if is_date(date) => {
            command.arg(format!("--since={date}")).arg("HEAD");
        }
        Some(revision) => {
            command.arg(format!("{revision}..HEAD"));
        }
        None => {
            command.arg("HEAD");
        }
    }
    command.arg("--");
    command.args(scope.pathspec());
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run git log: {e}"))?;
    // Standard error is read beside standard output, so that a chatty git never blocks.
    let stderr = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        })
    });
    let selector = SecretsAnalyzer::FILES.compile();
    let selects = |path: &str| selector.selects(path);
    let mut reader = PatchReader::new(&selects);
    let mut seen: HashSet<String> = HashSet::new();
    let mut found: Vec<(String, Finding)> = Vec::new();
    let mut emit = |commit: &Commit, path: &str, blocks: &[Block]| {
        let Some(path) = scope.reported(path) else {
            return;
        };
        let path = path.as_str();
        for block in blocks {
            for (value, finding) in block_findings(commit, path, block, matcher, wants) {
                if seen.insert(value.clone()) {
                    found.push((value, finding));
                }
            }
        }
    };
    let mut read_error = None;
    if let Some(stdout) = child.stdout.take() {
        let mut stdout = BufReader::with_capacity(1 << 16, stdout);
        let mut line = Vec::new();
        loop {
            line.clear();
            match stdout.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => reader.line(&line, &mut emit),
                Err(e) => {
                    read_error = Some(format!("cannot read git log: {e}"));
                    let _ = child.kill();
                    break;
                }
            }
        }
    }
    reader.finish(&mut emit);
    let status = child
        .wait()
        .map_err(|e| format!("cannot run git log: {e}"))?;
    let errors = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    let incomplete = read_error
        .or_else(|| (!status.success()).then(|| format!("git log failed: {}", errors.trim())));
    if let Some(why) = &incomplete
        && reader.commits == 0
    {
        return Err(why.clone());
    }
    let commits = reader.commits;
    let skipped = reader.skipped;
    let in_tree = values_in_tree(top, scope, found.iter().map(|(v, _)| v.as_str()));
    let still_in_tree = in_tree.len();
    let findings = found
        .into_iter()
        .filter(|(v, _)| !in_tree.contains(v))
        .map(|(_, f)| f)
        .collect();
    Ok(HistoryScan {
        findings,
        commits,
        still_in_tree,
        skipped,
        incomplete,
    })
}

/// The secrets of one block of added lines, each with its value.
fn block_findings(
    commit: &Commit,
    path: &str,
    block: &Block,
    matcher: &Matcher,
    wants: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<(String, Finding)> {
    let hits = secret_hits(path, &block.text, matcher, wants);
    if hits.is_empty() {
        return Vec::new();
    }
    let positions = Positions::of_hits(&block.text, &hits);
    // Block lines are numbered from 1; the file's from the block's first line.
    let shift = |span: Span| Span {
        start_line: span.start_line.saturating_add(block.start_line - 1),
        end_line: span.end_line.saturating_add(block.start_line - 1),
        ..span
    };
    let lowered = is_lowered_by_path(path);
    let short = commit.sha.get(..12).unwrap_or(&commit.sha);
    hits.into_iter()
        .filter_map(|hit| {
            let value = block.text.get(hit.secret.clone())?.to_string();
            let meta = hit.detector.meta();
            let in_block = positions.span(&hit.matched);
            let content: Vec<&str> = block
                .text
                .lines()
                .skip(in_block.start_line.saturating_sub(1) as usize)
                .take((in_block.end_line - in_block.start_line + 1) as usize)
                .collect();
            let (confidence, where_) = match lowering_note(hit.detector, path, lowered) {
                Some(note) => (Confidence::Low, note),
                None => (hit.confidence, ""),
            };
            let mut finding = Finding::in_commit(
                meta,
                commit.sha.clone(),
                Location {
                    path: path.to_string(),
                    span: shift(in_block),
                },
                content.join("\n"),
                format!(
                    "{}{where_}, added to {path} in commit {short} by {} on {}: removed from \
                     the tree but alive in history, so whoever cloned the repository has it. \
                     Rotate it: removing it does not revoke it. {}",
                    meta.title, commit.author, commit.date, hit.detector.revoke
                ),
            )
            .with_confidence(confidence)
            .with_secret(shift(positions.span(&hit.secret)));
            if let Some(pair) = &hit.paired {
                finding = finding.with_secret(shift(positions.span(pair)));
            }
            Some((value, finding))
        })
        .collect()
}

/// The values among `values` that a file of the working tree within `scope` holds (tracked
/// files and untracked ones git does not ignore).
fn values_in_tree<'v>(
    top: &Path,
    scope: &RootScope,
    values: impl Iterator<Item = &'v str>,
) -> HashSet<String> {
    let values: Vec<&str> = values.filter(|v| !v.is_empty()).collect();
    let mut present = HashSet::new();
    if values.is_empty() {
        return present;
    }
    let Ok(automaton) = AhoCorasick::new(&values) else {
        return present;
    };
    let mut args = vec![
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
        "--",
    ];
    let pathspec = scope.pathspec();
    args.extend(pathspec.as_deref());
    let Ok(listing) = git_output(top, &args) else {
        return present;
    };
    for name in listing.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let path = top.join(String::from_utf8_lossy(name).as_ref());
        let small = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_TREE_FILE);
        if !small {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        for m in automaton.find_overlapping_iter(&bytes) {
            present.insert(values[m.pattern().as_usize()].to_string());
        }
        if present.len() == values.len() {
            break;
        }
    }
    present
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn dates_and_revisions() {
        assert!(is_date("2024-01-31"));
        assert!(!is_date("v1.2.3"));
        assert!(!is_date("2024-1-31"));
        assert!(!is_date("abcd-ef-gh"));
    }
}
