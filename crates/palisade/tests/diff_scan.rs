//! `palisade scan --diff BASE_REF` on a git repository built by the test: only findings on
//! lines changed since the merge base (committed, uncommitted or in untracked files) are
//! reported; the JSON says the scan was diff-aware; a revision that is not a commit is a
//! usage error.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Tess Ter")
        .env("GIT_AUTHOR_EMAIL", "tess@example.com")
        .env("GIT_COMMITTER_NAME", "Tess Ter")
        .env("GIT_COMMITTER_EMAIL", "tess@example.com")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

const CLIENT: &str = "import requests\n\n\ndef fetch_rates(url):\n    return requests.get(url, verify=False, timeout=5)\n";

/// A repository whose `main` has one insecure call in `api/client.py`, and a branch
/// `feature` that adds a second one to that file; returns it checked out on `feature`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    fs::create_dir_all(root.join("api")).unwrap();
    fs::write(root.join("api/client.py"), CLIENT).unwrap();
    fs::write(root.join("README.md"), "# shop\n").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "client"]);
    git(root, &["checkout", "-q", "-b", "feature"]);
    let more = format!(
        "{CLIENT}\n\ndef fetch_stock(url):\n    return requests.post(url, verify=False, timeout=5)\n"
    );
    fs::write(root.join("api/client.py"), more).unwrap();
    git(root, &["commit", "-q", "-a", "-m", "stock"]);
    dir
}

fn scan(root: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(root)
        .args([
            "scan",
            "--no-progress",
            "--select",
            "python/",
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), report, stderr)
}

fn lines(report: &Value) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn has_git() -> bool {
    palisade_fixtures::required_tool(&["git"]).is_some()
}

#[test]
fn only_the_changed_lines_findings_are_reported() {
    if !has_git() {
        return;
    }
    let dir = repository();
    let root = dir.path();
    let (_, full, _) = scan(root, &["."]);
    assert_eq!(
        lines(&full),
        [
            ("api/client.py".to_string(), 5),
            ("api/client.py".to_string(), 9)
        ]
    );
    assert!(full["stats"].get("diff").is_none(), "{full}");

    let (code, diff, err) = scan(root, &["--diff", "main", "."]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(lines(&diff), [("api/client.py".to_string(), 9)]);
    assert_eq!(diff["stats"]["outside_diff"], 1);
    assert_eq!(diff["stats"]["diff"]["base"], "main");
    assert_eq!(diff["stats"]["diff"]["files_changed"], 1);

    // Uncommitted and untracked changes count too; a subfolder root keeps its own paths.
    fs::write(
        root.join("api/sync.py"),
        "import requests\n\nrequests.get('https://erp.internal/api', verify=False)\n",
    )
    .unwrap();
    let (_, diff, _) = scan(root, &["--diff", "main", "api"]);
    assert_eq!(
        lines(&diff),
        [("client.py".to_string(), 9), ("sync.py".to_string(), 3)]
    );

    // Against itself, nothing changed: nothing is reported and the run passes.
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "sync"]);
    let (code, diff, _) = scan(root, &["--diff", "HEAD", "."]);
    assert_eq!(code, Some(0));
    assert!(lines(&diff).is_empty(), "{diff}");
    assert_eq!(diff["stats"]["diff"]["files_changed"], 0);
}

#[test]
fn a_base_that_is_not_a_commit_is_a_usage_error() {
    if !has_git() {
        return;
    }
    let dir = repository();
    let (code, _, err) = scan(dir.path(), &["--diff", "no-such-branch", "."]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--diff `no-such-branch`"), "{err}");
    let (code, _, err) = scan(dir.path(), &["--diff", "--all", "."]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn with_several_roots_paths_start_with_their_root() {
    if !has_git() {
        return;
    }
    let dir = repository();
    fs::create_dir_all(dir.path().join("tools")).unwrap();
    fs::write(dir.path().join("tools/keep.py"), "X = 1\n").unwrap();
    let (_, diff, err) = scan(dir.path(), &["--diff", "main", "api", "tools"]);
    assert_eq!(lines(&diff), [("api/client.py".to_string(), 9)], "{err}");
}
