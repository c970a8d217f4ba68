//! The hostile-tree hazards `hostile_tree.rs` does not build: a device node, an unreadable
//! file and an unreadable folder, and 100,000 files in one folder. Each gets a notice naming
//! it (the folder of 100,000 is simply read), and the scan completes with the readable
//! files' findings.
//!
//! Permission bits do not stop root: when the tests run as root, the scan runs as `nobody`
//! (setpriv, util-linux); a device node needs CAP_MKNOD. Where either is not available the
//! part that needs it is skipped with a message on stderr, never passed silently.

use serde_json::Value;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const INSECURE: &str = "import requests\n\nrequests.get(URL, verify=False, timeout=5)\n";

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Scans `dir` (as `nobody` when `as_nobody`), returns the JSON report.
fn scan(dir: &Path, as_nobody: bool) -> Value {
    let bin = assert_cmd::cargo::cargo_bin("palisade");
    let args = [
        "scan",
        "--no-progress",
        "--format",
        "json",
        "--select",
        "python/",
        ".",
    ];
    let mut command = if as_nobody {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .args(args);
        c
    } else {
        let mut c = Command::new(&bin);
        c.args(args);
        c
    };
    // A full analysis, and nothing written to the user's result cache.
    let out = command
        .env("PALISADE_NO_CACHE", "1")
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn notices(report: &Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_string(),
                d["kind"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn finding_paths(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "python/tls-verification-disabled")
        .map(|f| f["location"]["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn devices_and_unreadable_entries_get_a_notice_each() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("app")).unwrap();
    fs::write(root.join("app/client.py"), INSECURE).unwrap();
    // A character device (the null device's numbers): reading it never ends for some.
    let device = Command::new("mknod")
        .arg(root.join("app/null.py"))
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !device {
        eprintln!("skipped: no CAP_MKNOD, no device node built");
    }
    // An unreadable file and an unreadable folder (with a finding inside nobody may see).
    fs::write(root.join("app/secret.py"), INSECURE).unwrap();
    fs::set_permissions(
        root.join("app/secret.py"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    fs::create_dir_all(root.join("locked")).unwrap();
    fs::write(root.join("locked/inside.py"), INSECURE).unwrap();
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let root_user = is_root();
    let setpriv = Command::new("setpriv").arg("--version").output().is_ok();
    let unreadable = !root_user || setpriv;
    if root_user && setpriv {
        // `nobody` must reach the tree.
        fs::set_permissions(root, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(root.join("app"), fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(
            root.join("app/client.py"),
            fs::Permissions::from_mode(0o644),
        )
        .unwrap();
    } else if root_user {
        eprintln!("skipped: running as root without setpriv, permission bits cannot be tested");
    }
    let report = scan(root, root_user && setpriv);
    // Let the temporary folder be removed.
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();

    let notices = notices(&report);
    let paths = finding_paths(&report);
    assert!(paths.contains(&"app/client.py".to_string()), "{paths:?}");
    if device {
        assert!(
            notices
                .iter()
                .any(|(p, _, m)| p == "app/null.py" && m.contains("not a regular file")),
            "{notices:?}"
        );
    }
    if unreadable {
        assert!(
            notices.iter().any(|(p, _, _)| p == "app/secret.py"),
            "the unreadable file has a notice: {notices:?}"
        );
        assert!(
            notices.iter().any(|(p, _, _)| p == "locked"),
            "the unreadable folder has a notice: {notices:?}"
        );
        assert!(!paths.iter().any(|p| p.starts_with("locked")), "{paths:?}");
    }
}

#[test]
fn a_folder_of_100000_files_is_read_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let many = root.join("many");
    fs::create_dir_all(&many).unwrap();
    // Files no analyzer reads beyond discovery (the hazard is the folder, not their text),
    // and one Python file with a finding among them.
    for i in 0..100_000 {
        fs::write(many.join(format!("n{i}.txt")), "notes\n").unwrap();
    }
    fs::write(many.join("zz_client.py"), INSECURE).unwrap();
    let started = std::time::Instant::now();
    let report = scan(root, false);
    assert!(
        started.elapsed().as_secs() < 120,
        "took {:?}",
        started.elapsed()
    );
    assert!(
        report["stats"]["files_discovered"].as_u64().unwrap() >= 100_001,
        "{}",
        report["stats"]
    );
    assert_eq!(finding_paths(&report), ["many/zz_client.py"]);
}
