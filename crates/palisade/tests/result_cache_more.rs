//! The result cache for the Kubernetes, CI, Android and dependency analyzers, and pruning:
//! a second scan answers every file of each from the cache with the same findings; an
//! edited RoleBinding is the only file analysed again and the RBAC finding follows it;
//! another build's entries are removed at the end of a scan. Every cache lives in a
//! temporary folder.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: debugger\n  namespace: shop\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"pods/exec\"]\n    verbs: [\"create\"]\n";
const BINDING: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: debuggers\n  namespace: shop\nsubjects:\n  - kind: Group\n    name: SUBJECT\n    apiGroup: rbac.authorization.k8s.io\nroleRef:\n  kind: Role\n  name: debugger\n  apiGroup: rbac.authorization.k8s.io\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("shop");
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write("deploy/role.yaml", ROLE);
    write(
        "deploy/binding.yaml",
        &BINDING.replace("SUBJECT", "shop-admins"),
    );
    write(
        "deploy/web.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n          securityContext:\n            privileged: true\n",
    );
    write(
        ".github/workflows/ci.yml",
        "on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: make\n",
    );
    write("requirements.txt", "requests==2.19.0\nflask>=1.0\n");
    write(
        "app/src/main/AndroidManifest.xml",
        "<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\" package=\"shop.app\">\n  <application android:debuggable=\"true\" android:allowBackup=\"true\">\n    <activity android:name=\".Main\" android:exported=\"true\" />\n  </application>\n</manifest>\n",
    );
    write(
        "app/src/main/java/shop/app/Main.java",
        "package shop.app;\n\nimport android.util.Log;\n\npublic class Main {\n  void f(String password) {\n    Log.d(\"x\", password);\n  }\n}\n",
    );
    dir
}

fn scan(tmp: &Path, extra: &[&str]) -> Value {
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env_remove("PALISADE_NO_CACHE")
        .env("XDG_CACHE_HOME", tmp.join("xdg"))
        .env("HOME", tmp.join("home"))
        .current_dir(tmp)
        .args(["scan", "shop", "--format", "json", "--fail-on", "none"])
        .args([
            "--no-progress",
            "--today",
            "2026-12-02",
            "--cache-dir",
            "cache",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn content(report: &Value) -> Value {
    let mut report = report.clone();
    let object = report.as_object_mut().unwrap();
    object.remove("stats");
    object.remove("scanned_at");
    report
}

fn counts(report: &Value, analyzer: &str) -> (u64, u64) {
    let c = &report["stats"]["cache"]["analyzers"][analyzer];
    (
        c["hits"].as_u64().unwrap_or(0),
        c["misses"].as_u64().unwrap_or(0),
    )
}

#[test]
fn k8s_ci_android_and_deps_answer_a_second_scan_from_the_cache() {
    let tmp = project();
    let uncached = scan(tmp.path(), &["--no-cache"]);
    let cold = scan(tmp.path(), &[]);
    let warm = scan(tmp.path(), &[]);
    assert_eq!(content(&cold), content(&uncached));
    assert_eq!(content(&warm), content(&cold));
    for analyzer in ["k8s", "ci", "android", "deps"] {
        let (hits, misses) = counts(&cold, analyzer);
        assert!(misses > 0 && hits == 0, "{analyzer}: {:#}", cold["stats"]);
        assert_eq!(counts(&warm, analyzer), (misses, 0), "{analyzer}");
    }
}

#[test]
fn an_edited_binding_is_analysed_again_and_the_rbac_findings_follow_it() {
    let tmp = project();
    let cold = scan(tmp.path(), &["--domain", "k8s"]);
    let everyone = |r: &Value| {
        r["findings"].as_array().unwrap().iter().any(|f| {
            f["location"]["path"].as_str() == Some("deploy/binding.yaml")
                && f["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("system:authenticated"))
        })
    };
    assert!(!everyone(&cold), "{cold:#}");
    fs::write(
        tmp.path().join("shop/deploy/binding.yaml"),
        BINDING.replace("SUBJECT", "system:authenticated"),
    )
    .unwrap();
    let warm = scan(tmp.path(), &["--domain", "k8s"]);
    let (hits, misses) = counts(&warm, "k8s");
    assert_eq!(misses, 1, "{:#}", warm["stats"]);
    assert_eq!(hits, counts(&cold, "k8s").1 - 1);
    assert!(everyone(&warm), "{warm:#}");
    assert_eq!(
        content(&warm),
        content(&scan(tmp.path(), &["--domain", "k8s", "--no-cache"]))
    );
}

#[test]
fn another_builds_entries_are_removed_and_this_builds_are_kept() {
    let tmp = project();
    let cold = scan(tmp.path(), &[]);
    let results = tmp.path().join("cache/results");
    // An older palisade's folder (and a format-1 shard), last used two days ago.
    let old = results.join("0123456789abcdef/ab");
    fs::create_dir_all(&old).unwrap();
    fs::write(old.join("cdef.json"), "{}").unwrap();
    let legacy = results.join("ff");
    fs::create_dir_all(&legacy).unwrap();
    fs::write(legacy.join("0011.json"), "{}").unwrap();
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    for dir in [&old.parent().unwrap().to_path_buf(), &legacy] {
        fs::File::open(dir)
            .unwrap()
            .set_modified(two_days_ago)
            .unwrap();
    }
    // A build used an hour ago is kept.
    let recent = results.join("fedcba9876543210");
    fs::create_dir_all(&recent).unwrap();
    let warm = scan(tmp.path(), &[]);
    assert!(!results.join("0123456789abcdef").exists());
    assert!(!legacy.exists());
    assert!(recent.exists());
    assert_eq!(warm["stats"]["cache"]["pruned"].as_u64(), Some(2));
    assert_eq!(warm["stats"]["cache"]["misses"].as_u64(), Some(0));
    assert_eq!(content(&warm), content(&cold));
}
