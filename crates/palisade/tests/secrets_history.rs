//! `palisade scan --history [--since]` on a git repository built by the test: a token
//! committed then deleted is reported once, at the commit that added it, masked in every
//! output format; `--since` that commit's successor leaves it out; a folder outside any
//! repository is a usage error.

use assert_cmd::Command;
use palisade_secrets::detectors::DETECTORS;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// The GitHub token detector's documented example (an invented value) and its secret.
fn invented_token() -> (&'static str, &'static str) {
    let detector = DETECTORS
        .iter()
        .find(|d| d.slug == "github-token")
        .expect("the github-token detector");
    let line = detector.example;
    let start = line.find("ghp_").expect("the example holds a ghp_ token");
    let secret = &line[start..start + 40];
    (line, secret)
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Tess Ter")
        .env("GIT_AUTHOR_EMAIL", "tess@example.com")
        .env("GIT_COMMITTER_NAME", "Tess Ter")
        .env("GIT_COMMITTER_EMAIL", "tess@example.com")
        .env("GIT_AUTHOR_DATE", "2024-03-05T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-03-05T10:00:00Z")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A repository whose first commit adds a token to `app.py` and whose second removes it;
/// returns it with the two commit ids.
fn repository() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (line, _) = invented_token();
    git(root, &["init", "-q"]);
    fs::write(root.join("app.py"), format!("import os\n\n{line}\n")).unwrap();
    git(root, &["add", "app.py"]);
    git(root, &["commit", "-q", "-m", "add the client"]);
    let first = git(root, &["rev-parse", "HEAD"]);
    fs::write(
        root.join("app.py"),
        "import os\n\ntoken = os.environ[\"TOKEN\"]\n",
    )
    .unwrap();
    git(
        root,
        &[
            "commit",
            "-q",
            "-a",
            "-m",
            "read the token from the environment",
        ],
    );
    let second = git(root, &["rev-parse", "HEAD"]);
    (dir, first, second)
}

fn palisade(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(root)
        .env("PALISADE_TODAY", "2026-11-27")
        .args(["scan", "--no-progress", "--select", "secrets/"])
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn has_git() -> bool {
    palisade_fixtures::required_tool(&["git"]).is_some()
}

#[test]
fn a_deleted_token_is_reported_once_at_its_first_commit() {
    if !has_git() {
        return;
    }
    let (dir, first, _) = repository();
    let (_, secret) = invented_token();

    // The working tree holds no secret: without --history, nothing.
    let (code, out, _) = palisade(dir.path(), &["--format", "json"]);
    assert_eq!(code, Some(0), "{out}");

    let (code, out, err) = palisade(dir.path(), &["--history", "--format", "json"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{out}");
    let finding = &findings[0];
    assert_eq!(finding["rule_id"], "secrets/github-token");
    assert_eq!(finding["location"]["kind"], "commit", "{finding}");
    assert_eq!(finding["location"]["commit"], first.as_str());
    assert_eq!(finding["location"]["path"], "app.py");
    assert_eq!(finding["location"]["start_line"], 3);
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains(&first[..12]), "{message}");
    assert!(message.contains("Tess Ter"), "{message}");
    assert!(message.contains("2024-03-05"), "{message}");
    assert!(message.contains("Rotate it"), "{message}");

    // No output format holds the whole secret (SARIF's rule help shows the detector's
    // documented example, the invented value this test commits: only its results count).
    for format in ["text", "json", "sarif", "markdown"] {
        let (_, mut out, err) = palisade(dir.path(), &["--history", "--format", format]);
        if format == "sarif" {
            let sarif: Value = serde_json::from_str(&out).unwrap();
            out = sarif["runs"][0]["results"].to_string();
        }
        assert!(out.contains(&secret[..4]), "{format}: {out}");
        assert!(!out.contains(secret), "{format} shows the secret: {out}");
        assert!(!err.contains(secret), "{format} shows the secret: {err}");
    }
}

#[test]
fn since_leaves_older_commits_out() {
    if !has_git() {
        return;
    }
    let (dir, first, second) = repository();
    let (code, out, err) = palisade(dir.path(), &["--history", "--since", &first]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with("0 findings"), "{out}");
    // `--since HEAD` reads no commit; `--since` a date before the first commit reads both.
    let (code, _, _) = palisade(dir.path(), &["--history", "--since", &second]);
    assert_eq!(code, Some(0));
    let (code, out, _) = palisade(dir.path(), &["--history", "--since", "2024-01-01"]);
    assert_eq!(code, Some(1), "{out}");
    let (code, _, err) = palisade(dir.path(), &["--history", "--since", "no-such-ref"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--since `no-such-ref`"), "{err}");
}

#[test]
fn a_token_still_in_the_tree_is_reported_by_the_file_scan_only() {
    if !has_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (line, _) = invented_token();
    git(dir.path(), &["init", "-q"]);
    fs::write(dir.path().join("settings.py"), format!("{line}\n")).unwrap();
    git(dir.path(), &["add", "settings.py"]);
    git(dir.path(), &["commit", "-q", "-m", "settings"]);
    let (code, out, _) = palisade(dir.path(), &["--history", "--format", "json"]);
    assert_eq!(code, Some(1));
    let report: Value = serde_json::from_str(&out).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{out}");
    assert_eq!(findings[0]["location"]["kind"], "file");
}

#[test]
fn history_outside_a_repository_is_a_usage_error() {
    if !has_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.py"), "x = 1\n").unwrap();
    // git looks no higher than the temporary folder, even if it sits inside a repository.
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["scan", "--no-progress", "--history", "."])
        .output()
        .unwrap();
    let (code, err) = (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not in a git repository"), "{err}");
}

/// Scans `target` (relative to `repo`) with `--history`, as JSON; returns the findings.
fn history_findings(repo: &Path, target: &str) -> Vec<Value> {
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(repo)
        .args(["scan", "--no-progress", "--select", "secrets/", "--history"])
        .args(["--format", "json", target])
        .output()
        .unwrap();
    let report: Value = serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap();
    report["findings"].as_array().unwrap().clone()
}

#[test]
fn a_subfolder_reads_its_own_history_with_paths_relative_to_it() {
    if !has_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (line, _) = invented_token();
    git(root, &["init", "-q"]);
    fs::create_dir_all(root.join("api/client")).unwrap();
    fs::create_dir_all(root.join("web")).unwrap();
    fs::write(root.join("api/client/app.py"), format!("{line}\n")).unwrap();
    fs::write(root.join("web/main.js"), "fetch('/api')\n").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "client"]);
    fs::write(root.join("api/client/app.py"), "token = None\n").unwrap();
    git(root, &["commit", "-q", "-a", "-m", "no token"]);

    let whole = history_findings(root, ".");
    assert_eq!(whole.len(), 1, "{whole:?}");
    assert_eq!(whole[0]["location"]["path"], "api/client/app.py");

    // The folder that held the token: the path is relative to it, as the file scan's are.
    let api = history_findings(root, "api");
    assert_eq!(api.len(), 1, "{api:?}");
    assert_eq!(api[0]["location"]["path"], "client/app.py");
    let file = history_findings(root, "api/client/app.py");
    assert_eq!(file.len(), 1, "{file:?}");
    assert_eq!(file[0]["location"]["path"], "app.py");

    // A sibling folder's history holds no secret.
    assert!(history_findings(root, "web").is_empty());

    // A copy of the token elsewhere in the tree does not hide it from the folder it left:
    // the file scan of `api` does not see that copy.
    fs::write(root.join("web/config.py"), format!("{line}\n")).unwrap();
    let api = history_findings(root, "api");
    assert_eq!(api.len(), 1, "{api:?}");
    assert_eq!(api[0]["location"]["kind"], "commit");
}
