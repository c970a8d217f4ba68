//! The result cache (`--cache-dir`, `--no-cache`, `PALISADE_NO_CACHE`, `[scan] cache`): a
//! second scan of an unchanged tree answers from the cache with the same report; a changed
//! file, rule set or configuration is a miss; a corrupt entry is a miss, never an error; two
//! scans may share a cache. Every scan here names its cache folder inside a temporary folder,
//! and `XDG_CACHE_HOME`/`HOME` point there too, so no test touches the user's cache. The
//! project has files of every cached analyzer: Python, web, secrets and iOS.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const CLIENT: &str = "import requests\n\n\ndef fetch_rates(url):\n    return requests.get(url, verify=False, timeout=5)\n";
const PAGE: &str = "<!doctype html>\n<html><head><title>Shop</title></head>\n<body><script>document.write(location.hash)</script></body></html>\n";

/// A project with a Python finding, a web page, and a file only the secrets analyzer reads.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("shop");
    fs::create_dir_all(root.join("api")).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("api/client.py"), CLIENT).unwrap();
    fs::write(
        root.join("api/views.py"),
        "from api.client import fetch_rates\n\n\ndef rates(request):\n    return fetch_rates(request.GET['u'])\n",
    )
    .unwrap();
    // A query whose value comes from a caller in another file: the finding waits in the
    // facts of db.py, and the project pass grades it by the caller in search.py.
    fs::write(
        root.join("api/db.py"),
        "import sqlite3\n\n\ndef search_products(term):\n    conn = sqlite3.connect(\"shop.db\")\n    cur = conn.cursor()\n    cur.execute(f\"SELECT id FROM products WHERE name LIKE '%{term}%'\")\n    return cur.fetchall()\n",
    )
    .unwrap();
    fs::write(
        root.join("api/search.py"),
        "from flask import Flask, jsonify, request\n\nfrom api import db\n\napp = Flask(__name__)\n\n\n@app.get(\"/search\")\ndef search():\n    return jsonify(db.search_products(request.args.get(\"q\", \"\")))\n",
    )
    .unwrap();
    fs::write(root.join("templates/index.html"), PAGE).unwrap();
    fs::create_dir_all(root.join("ios/Shop")).unwrap();
    fs::write(
        root.join("ios/Shop/Info.plist"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n    <key>NSAppTransportSecurity</key>\n    <dict>\n        <key>NSAllowsArbitraryLoads</key>\n        <true/>\n    </dict>\n</dict>\n</plist>\n",
    )
    .unwrap();
    fs::write(root.join("notes.txt"), "deploy on fridays\n").unwrap();
    dir
}

fn command(tmp: &Path) -> Command {
    let mut cmd = Command::cargo_bin("palisade").unwrap();
    cmd.env_remove("PALISADE_NO_CACHE")
        .env("XDG_CACHE_HOME", tmp.join("xdg"))
        .env("HOME", tmp.join("home"))
        .current_dir(tmp);
    cmd
}

fn scan_with(tmp: &Path, args: &[&str]) -> Value {
    let out = command(tmp)
        .args([
            "scan",
            "shop",
            "--format",
            "json",
            "--fail-on",
            "none",
            "--no-progress",
            "--today",
            "2026-12-02",
        ])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn scan(tmp: &Path, args: &[&str]) -> Value {
    let cache = cache_dir(tmp);
    let mut all = vec!["--cache-dir", cache.to_str().unwrap()];
    all.extend_from_slice(args);
    scan_with(tmp, &all)
}

/// Writes `text` to `path` under `root`, making its folders.
fn write_under(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn cache_dir(tmp: &Path) -> PathBuf {
    tmp.join("cache")
}

/// The report without what differs between two runs of the same scan (timings, counts of
/// the cache itself).
fn content(report: &Value) -> Value {
    let mut report = report.clone();
    let object = report.as_object_mut().unwrap();
    object.remove("stats");
    object.remove("scanned_at");
    report
}

fn cache_stats(report: &Value) -> (u64, u64, u64) {
    let c = &report["stats"]["cache"];
    (
        c["hits"].as_u64().unwrap(),
        c["misses"].as_u64().unwrap(),
        c["writes"].as_u64().unwrap(),
    )
}

fn rule_ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

/// The files in the entry folders (`results/<build>/<shard>/`) of a cache: entries, and
/// temporary files a writer left.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(builds) = fs::read_dir(dir.join("results")) else {
        return found;
    };
    for build in builds.flatten().filter(|b| b.path().is_dir()) {
        for shard in fs::read_dir(build.path()).unwrap().flatten() {
            if shard.path().is_dir() {
                for entry in fs::read_dir(shard.path()).unwrap().flatten() {
                    found.push(entry.path());
                }
            }
        }
    }
    found
}

#[test]
fn a_second_scan_of_an_unchanged_tree_answers_from_the_cache_with_the_same_report() {
    let tmp = project();
    let uncached = scan_with(tmp.path(), &["--no-cache"]);
    assert!(uncached["stats"].get("cache").is_none());
    for rule in [
        "python/tls-verification-disabled",
        "python/sql-injection",
        "ios/ats-arbitrary-loads",
    ] {
        assert!(
            rule_ids(&uncached).contains(&rule.to_string()),
            "{uncached:#}"
        );
    }

    let cold = scan(tmp.path(), &[]);
    let (hits, misses, writes) = cache_stats(&cold);
    assert_eq!(hits, 0);
    assert!(
        misses >= 4,
        "python, web and secrets each read files: {misses}"
    );
    assert_eq!(writes, misses);
    assert_eq!(entries(&cache_dir(tmp.path())).len() as u64, writes);
    assert!(cache_dir(tmp.path()).join("CACHEDIR.TAG").is_file());

    let warm = scan(tmp.path(), &[]);
    assert_eq!(cache_stats(&warm), (misses, 0, 0));
    assert_eq!(content(&warm), content(&cold));
    assert_eq!(content(&warm), content(&uncached));
}

#[test]
fn a_changed_file_is_a_miss_and_its_findings_change() {
    let tmp = project();
    let cold = scan(tmp.path(), &[]);
    let (_, misses, _) = cache_stats(&cold);
    fs::write(
        tmp.path().join("shop/api/client.py"),
        CLIENT.replace("verify=False", "verify=True"),
    )
    .unwrap();
    let warm = scan(tmp.path(), &[]);
    let (hits, changed, writes) = cache_stats(&warm);
    // The Python, web and secrets analyzers read client.py; nothing else changed.
    assert_eq!(changed, 3);
    assert_eq!(writes, 3);
    assert_eq!(hits, misses - 3);
    assert!(!rule_ids(&warm).contains(&"python/tls-verification-disabled".to_string()));
    assert_eq!(
        content(&warm),
        content(&scan_with(tmp.path(), &["--no-cache"]))
    );
}

#[test]
fn a_changed_rule_set_or_configuration_invalidates_the_entries_it_touches() {
    let tmp = project();
    let cold = scan(tmp.path(), &[]);
    let (_, misses, _) = cache_stats(&cold);

    // Another rule set for the Python analyzer: its four files miss, the others hit.
    let fewer = scan(
        tmp.path(),
        &["--ignore", "python/tls-verification-disabled"],
    );
    let (hits, missed, _) = cache_stats(&fewer);
    assert_eq!(missed, 4);
    assert_eq!(hits, misses - 4);
    assert!(!rule_ids(&fewer).contains(&"python/tls-verification-disabled".to_string()));

    // A rule's ignore-paths in palisade.toml: the Python entries miss again (and the
    // secrets analyzer reads the new palisade.toml).
    fs::write(
        tmp.path().join("shop/palisade.toml"),
        "[rules.\"python/tls-verification-disabled\"]\nignore-paths = [\"api/**\"]\n",
    )
    .unwrap();
    let configured = scan(tmp.path(), &[]);
    let (_, missed, _) = cache_stats(&configured);
    assert_eq!(missed, 5);
    assert!(!rule_ids(&configured).contains(&"python/tls-verification-disabled".to_string()));

    // `[scan] cache = false`: no cache at all.
    fs::write(
        tmp.path().join("shop/palisade.toml"),
        "[scan]\ncache = false\n",
    )
    .unwrap();
    let before = entries(&cache_dir(tmp.path())).len();
    let off = scan(tmp.path(), &[]);
    assert!(off["stats"].get("cache").is_none());
    assert_eq!(entries(&cache_dir(tmp.path())).len(), before);
}

#[test]
fn the_configured_cache_dir_is_relative_to_the_configuration() {
    let tmp = project();
    fs::write(
        tmp.path().join("shop/palisade.toml"),
        "[scan]\ncache-dir = \".palisade-cache\"\n",
    )
    .unwrap();
    let report = scan_with(tmp.path(), &[]);
    let (_, _, writes) = cache_stats(&report);
    assert!(writes > 0);
    assert_eq!(
        entries(&tmp.path().join("shop/.palisade-cache")).len() as u64,
        writes
    );
    assert!(!tmp.path().join("xdg").exists());
}

#[test]
fn without_a_cache_nothing_is_written_anywhere() {
    let tmp = project();
    let report = scan_with(tmp.path(), &["--no-cache"]);
    assert!(report["stats"].get("cache").is_none());
    let out = command(tmp.path())
        .env("PALISADE_NO_CACHE", "1")
        .args(["scan", "shop", "--format", "json", "--fail-on", "none"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!tmp.path().join("xdg").exists());
    assert!(!tmp.path().join("home").exists());
    assert!(!cache_dir(tmp.path()).exists());

    // By default the cache is the user's cache folder.
    let default = scan_with(tmp.path(), &[]);
    let (_, _, writes) = cache_stats(&default);
    assert_eq!(
        entries(&tmp.path().join("xdg/palisade")).len() as u64,
        writes
    );
}

#[test]
fn a_corrupt_or_foreign_entry_is_a_miss_not_an_error() {
    let tmp = project();
    let cold = scan(tmp.path(), &[]);
    let (_, misses, _) = cache_stats(&cold);
    let stored = entries(&cache_dir(tmp.path()));
    for (i, entry) in stored.iter().enumerate() {
        let text = fs::read_to_string(entry).unwrap();
        let spoiled = match i % 4 {
            0 => "{not json".to_string(),
            1 => String::new(),
            // Another build's entry.
            2 => text.replacen("\"build\":\"", "\"build\":\"0.0.0+", 1),
            // An entry naming a rule palisade does not have.
            _ => text
                .replace("python/", "nosuch/")
                .replace("secrets/", "nosuch/"),
        };
        fs::write(entry, spoiled).unwrap();
    }
    let warm = scan(tmp.path(), &[]);
    let (hits, missed, _) = cache_stats(&warm);
    assert!(
        missed >= stored.len() as u64 * 3 / 4,
        "{hits} hits, {missed} misses"
    );
    assert_eq!(hits + missed, misses);
    assert_eq!(content(&warm), content(&cold));
}

/// Starts a scan of `tmp`'s project with the cache `cache` and `args`, without waiting.
fn spawn_scan(tmp: &Path, cache: &Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("palisade"))
        .env_remove("PALISADE_NO_CACHE")
        .env("XDG_CACHE_HOME", tmp.join("xdg"))
        .current_dir(tmp)
        .args(["scan", "shop", "--format", "json", "--fail-on", "none"])
        .args(["--no-progress", "--today", "2026-12-02", "--cache-dir"])
        .arg(cache)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs scans with the cache `cache` at once, one per argument list; their reports.
fn scans_at_once(tmp: &Path, cache: &Path, args: &[&[&str]]) -> Vec<Value> {
    let runs: Vec<_> = args.iter().map(|a| spawn_scan(tmp, cache, a)).collect();
    runs.into_iter()
        .map(|run| {
            let out = run.wait_with_output().unwrap();
            assert!(out.status.success());
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .collect()
}

#[test]
fn two_scans_may_share_a_cache() {
    let tmp = project();
    let expected = content(&scan_with(tmp.path(), &["--no-cache"]));
    let cache = cache_dir(tmp.path());
    for _ in 0..3 {
        for report in scans_at_once(tmp.path(), &cache, &[&[], &[]]) {
            assert_eq!(content(&report), expected);
        }
    }
    // No temporary file is left behind, and every entry reads back.
    for entry in entries(&cache) {
        let name = entry.file_name().unwrap().to_string_lossy().to_string();
        assert!(!name.starts_with(".tmp-"), "{name}");
    }
    let warm = scan(tmp.path(), &[]);
    let (_, misses, writes) = cache_stats(&warm);
    assert_eq!((misses, writes), (0, 0));
}

/// A Kubernetes-only scan prunes this build's entries past `scan.cache-max-age-days` (30 by
/// default) — among them the Python ones, which it does not read — while a full scan reads
/// them: neither report changes (an entry removed under a reader is a miss), and the cache
/// still reads back.
#[test]
fn pruning_while_another_scan_uses_the_cache_never_changes_a_report() {
    let tmp = project();
    let expected = content(&scan_with(tmp.path(), &["--no-cache"]));
    let expected_k8s = content(&scan_with(tmp.path(), &["--no-cache", "--domain", "k8s"]));
    let cache = cache_dir(tmp.path());
    scan(tmp.path(), &[]);
    let forty_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(40 * 86_400);
    let mut pruned = 0;
    for round in 0..3 {
        // Every entry aged past the limit, one more that no scan reads, and the once-a-day
        // stamp gone, so that each scan's end walks the entries and removes the old ones.
        let found = entries(&cache);
        let shard = found[0].parent().unwrap().to_path_buf();
        fs::write(shard.join(format!("unused-{round}.json")), "{}").unwrap();
        for entry in entries(&cache) {
            let file = fs::File::options().write(true).open(&entry).unwrap();
            file.set_modified(forty_days_ago).unwrap();
        }
        for build in fs::read_dir(cache.join("results")).unwrap().flatten() {
            let _ = fs::remove_file(build.path().join("pruned"));
        }
        let reports = scans_at_once(tmp.path(), &cache, &[&["--domain", "k8s"], &[]]);
        assert_eq!(content(&reports[0]), expected_k8s);
        assert_eq!(content(&reports[1]), expected);
        for report in &reports {
            pruned += report["stats"]["cache"]["pruned"].as_u64().unwrap();
        }
    }
    assert!(
        pruned >= 3,
        "{pruned} entries pruned: the race was not exercised"
    );
    let after = scan(tmp.path(), &[]);
    assert_eq!(content(&after), expected);
}

/// `scan.cache-max-size-mb`: a cache over its cap loses its least recently used entries at
/// the end of a scan (counted in `stats.cache.pruned`), and the report does not change.
#[test]
fn a_cache_over_its_size_cap_loses_its_least_recently_used_entries() {
    let tmp = project();
    fs::write(
        tmp.path().join("shop/palisade.toml"),
        "[scan]\ncache-max-size-mb = 1\n",
    )
    .unwrap();
    let cold = scan(tmp.path(), &[]);
    let cache = cache_dir(tmp.path());
    let found = entries(&cache);
    assert!(!found.is_empty());
    let build = found[0].parent().unwrap().parent().unwrap().to_path_buf();
    // An entry of 2 MiB that no scan used for five days, unknown to the size ledger.
    let big = build.join("00").join(format!("{}.json", "0".repeat(62)));
    fs::create_dir_all(big.parent().unwrap()).unwrap();
    fs::write(&big, vec![b' '; 2 << 20]).unwrap();
    let five_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(5 * 86_400);
    fs::File::options()
        .write(true)
        .open(&big)
        .unwrap()
        .set_modified(five_days_ago)
        .unwrap();
    // The ledger says the cache is under its cap: the warm scan does not walk it.
    let warm = scan(tmp.path(), &[]);
    assert!(big.exists());
    assert_eq!(warm["stats"]["cache"]["pruned"].as_u64(), Some(0));
    // The daily walk measures it, over the cap, and removes the least recently used entry
    // down to 80% of the cap: the planted one, and only it.
    fs::remove_file(build.join("pruned")).unwrap();
    let after = scan(tmp.path(), &[]);
    assert!(!big.exists());
    assert_eq!(after["stats"]["cache"]["pruned"].as_u64(), Some(1));
    assert_eq!(after["stats"]["cache"]["misses"].as_u64(), Some(0));
    assert_eq!(entries(&cache).len(), found.len());
    assert_eq!(content(&after), content(&cold));
}

/// The Kubernetes, CI, Android and dependency analyzers: a second scan answers every file of
/// each from the cache with the same findings; an edited RoleBinding is the only file
/// analysed again and the RBAC finding follows it; another build's entries are removed at the
/// end of a scan.
mod other_analyzers {
    use super::{content, scan, write_under};
    use serde_json::Value;
    use std::fs;

    const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: debugger\n  namespace: shop\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"pods/exec\"]\n    verbs: [\"create\"]\n";
    const BINDING: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: debuggers\n  namespace: shop\nsubjects:\n  - kind: Group\n    name: SUBJECT\n    apiGroup: rbac.authorization.k8s.io\nroleRef:\n  kind: Role\n  name: debugger\n  apiGroup: rbac.authorization.k8s.io\n";

    /// A project with files of the Kubernetes, CI, Android and dependency analyzers.
    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("shop");
        let write = |path: &str, text: &str| write_under(&root, path, text);
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
        let two_days_ago =
            std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
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
}

/// Kustomize renderings are stashed in the cache: a re-scan whose rendering inputs are
/// unchanged does not start the tool again, and a change to any of them (a patch, a
/// generator's file) renders afresh.
mod kustomize {
    use super::*;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/shop/api:2.14.0\n";
    const PATCH: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          securityContext:\n            privileged: PRIVILEGED\n";

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("shop/deploy");
        let write = |path: &str, text: &str| write_under(&root, path, text);
        write("base/kustomization.yaml", "resources:\n  - api.yaml\n");
        write("base/api.yaml", DEPLOYMENT);
        write(
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\npatches:\n  - path: privileged.yaml\nconfigMapGenerator:\n  - name: api-settings\n    files:\n      - settings.ini\n",
        );
        write(
            "overlays/prod/privileged.yaml",
            &PATCH.replace("PRIVILEGED", "true"),
        );
        write("overlays/prod/settings.ini", "[api]\nworkers = 4\n");
        dir
    }

    /// A folder with a `kubectl` (or `kustomize`) that notes each run in `tmp/runs` and
    /// hands over to the real one.
    fn counting_tool(tmp: &Path) -> Option<PathBuf> {
        let real = palisade_fixtures::required_tool(&["kubectl", "kustomize"])?;
        let bin = tmp.join("bin");
        fs::create_dir_all(&bin).unwrap();
        let tool = bin.join(real.file_name().unwrap());
        fs::write(
            &tool,
            format!(
                "#!/bin/sh\necho run >> '{}'\nexec '{}' \"$@\"\n",
                tmp.join("runs").display(),
                real.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&tool, fs::Permissions::from_mode(0o755)).unwrap();
        Some(bin)
    }

    fn runs(tmp: &Path) -> usize {
        fs::read_to_string(tmp.join("runs"))
            .map(|t| t.lines().count())
            .unwrap_or(0)
    }

    fn scan_k8s(tmp: &Path, bin: &Path, args: &[&str]) -> Value {
        let cache = cache_dir(tmp);
        let out = command(tmp)
            .env("PATH", bin)
            .args(["scan", "shop", "--domain", "k8s", "--format", "json"])
            .args([
                "--fail-on",
                "none",
                "--no-progress",
                "--today",
                "2026-12-02",
            ])
            .args(["--cache-dir", cache.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn privileged(report: &Value) -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == "k8s/privileged-container")
            .map(|f| f["location"]["path"].as_str().unwrap().to_string())
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_rendering_is_not_made_again_and_a_changed_input_renders_afresh() {
        let tmp = project();
        let tmp = tmp.path();
        let Some(bin) = counting_tool(tmp) else {
            return;
        };
        let k8s = |r: &Value, what: &str| r["stats"]["cache"]["analyzers"]["k8s"][what].as_u64();
        let cold = scan_k8s(tmp, &bin, &[]);
        assert_eq!(runs(tmp), 1, "one entry point: {cold:#}");
        assert_eq!(privileged(&cold), ["deploy/overlays/prod/privileged.yaml"]);
        let warm = scan_k8s(tmp, &bin, &[]);
        assert_eq!(runs(tmp), 1, "answered from the stash");
        assert_eq!(content(&warm), content(&cold));
        // Every manifest and the kustomization answer from the cache too.
        assert_eq!(k8s(&warm, "misses"), Some(0), "{:#}", warm["stats"]);
        assert_eq!(k8s(&warm, "hits"), k8s(&cold, "misses"));
        // Two kustomizations, the deployment and the patch.
        assert_eq!(k8s(&cold, "misses"), Some(4), "{:#}", cold["stats"]);
        let uncached = scan_k8s(tmp, &bin, &["--no-cache"]);
        assert_eq!(runs(tmp), 2, "--no-cache renders");
        assert_eq!(content(&uncached), content(&cold));
        // A source left out of the scan takes no finding: the kustomization's check, which
        // reports elsewhere then, runs again rather than answer from an entry of a scan
        // that had it.
        let exclude = ["--exclude", "deploy/overlays/prod/privileged.yaml"];
        let excluded = scan_k8s(tmp, &bin, &exclude);
        assert_eq!(runs(tmp), 2);
        assert_eq!(k8s(&excluded, "hits"), Some(2), "{:#}", excluded["stats"]);
        let fresh = scan_k8s(tmp, &bin, &[&exclude[..], &["--no-cache"]].concat());
        assert_eq!(runs(tmp), 3);
        assert_eq!(content(&excluded), content(&fresh));
        assert_ne!(privileged(&excluded), privileged(&cold));

        // The patch changes: rendered again, and the finding goes.
        fs::write(
            tmp.join("shop/deploy/overlays/prod/privileged.yaml"),
            PATCH.replace("PRIVILEGED", "false"),
        )
        .unwrap();
        let patched = scan_k8s(tmp, &bin, &[]);
        assert_eq!(runs(tmp), 4);
        assert_eq!(privileged(&patched), Vec::<String>::new());
        // A file only a generator reads (no object of its own) changes: rendered again.
        fs::write(
            tmp.join("shop/deploy/overlays/prod/settings.ini"),
            "[api]\nworkers = 8\n",
        )
        .unwrap();
        scan_k8s(tmp, &bin, &[]);
        assert_eq!(runs(tmp), 5);
        // A file no rendering reads changes: nothing is rendered.
        fs::write(tmp.join("shop/deploy/README.md"), "how we deploy\n").unwrap();
        let again = scan_k8s(tmp, &bin, &[]);
        assert_eq!(runs(tmp), 5);
        assert_eq!(privileged(&again), Vec::<String>::new());
    }
}
