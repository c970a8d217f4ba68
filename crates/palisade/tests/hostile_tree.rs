//! A scanned tree that tries to hurt the scanner: symlink loops and links out of the root,
//! a FIFO (reading it would block forever), a 2 GB file (sparse, so the test stays cheap),
//! a file name that is not UTF-8, a folder nested 200 deep and 20,000 files in one folder.
//! The scan must complete with a notice for each hazard, follow no link out of the root,
//! and still report what the readable files hold. (Unreadable files and folders are not
//! built here: the tests may run as root, whom permission bits do not stop.)

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

const INSECURE: &str = "import requests\n\nrequests.get(URL, verify=False, timeout=5)\n";

fn build(root: &Path) {
    fs::create_dir_all(root.join("app")).unwrap();
    fs::write(root.join("app/client.py"), INSECURE).unwrap();
    // Links: a loop of two, a folder linking to its parent, links out of the root.
    std::os::unix::fs::symlink("b.py", root.join("app/a.py")).unwrap();
    std::os::unix::fs::symlink("a.py", root.join("app/b.py")).unwrap();
    std::os::unix::fs::symlink("..", root.join("app/up")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", root.join("app/passwd.py")).unwrap();
    std::os::unix::fs::symlink("/", root.join("rootfs")).unwrap();
    // A FIFO: opening it for reading would wait for a writer that never comes.
    let fifo = std::process::Command::new("mkfifo")
        .arg(root.join("app/pipe.py"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(fifo, "mkfifo is part of coreutils");
    // 2 GB, sparse.
    fs::File::create(root.join("app/huge.py"))
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    // A name that is not UTF-8 (Latin-1 `é`), with a finding inside.
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    fs::write(root.join("app").join(name), INSECURE).unwrap();
    // Deep nesting, with a finding at the bottom.
    let mut deep = root.join("deep");
    for i in 0..200 {
        deep.push(format!("d{i}"));
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("bottom.py"), INSECURE).unwrap();
    // Many files in one folder.
    let many = root.join("many");
    fs::create_dir_all(&many).unwrap();
    for i in 0..20_000 {
        fs::write(many.join(format!("m{i}.py")), "X = 1\n").unwrap();
    }
}

#[test]
fn a_hostile_tree_is_scanned_to_the_end_with_a_notice_per_hazard() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(dir.path())
        .args([
            "scan",
            "--no-progress",
            "--format",
            "json",
            "--select",
            "python/",
            ".",
        ])
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "python/tls-verification-disabled")
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"app/client.py"), "{paths:?}");
    assert!(paths.iter().any(|p| p.starts_with("app/caf")), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("d199/bottom.py")),
        "{paths:?}"
    );
    // Nothing was read through a link: /etc/passwd and the linked root hold no finding.
    assert!(
        paths
            .iter()
            .all(|p| !p.contains("passwd") && !p.starts_with("rootfs"))
    );

    let notices: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_string(),
                d["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let has = |path: &str, kind: &str| notices.iter().any(|(p, k)| p == path && k == kind);
    assert!(has("app/huge.py", "too-large"), "{notices:?}");
    assert!(has("app/passwd.py", "symlink"), "{notices:?}");
    assert!(has("rootfs", "symlink"), "{notices:?}");
    assert!(has("app/up", "symlink"), "{notices:?}");
    assert!(
        notices.iter().any(|(p, _)| p == "app/pipe.py"),
        "the FIFO has a notice: {notices:?}"
    );
    assert!(report["stats"]["files_discovered"].as_u64().unwrap() >= 20_003);
}
