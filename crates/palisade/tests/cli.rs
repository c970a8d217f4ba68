//! End-to-end tests of the binary: formats, exit codes, configuration errors, output
//! writing, baseline, notices for files that cannot be analysed.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn palisade() -> Command {
    let mut cmd = Command::cargo_bin("palisade").unwrap();
    // Tests never write to the user's cache folder.
    cmd.env("PALISADE_NO_CACHE", "1");
    cmd.current_dir(workspace())
        .env_remove("NO_COLOR")
        .env("PALISADE_TODAY", "2026-11-27");
    cmd
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("valid JSON")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const CLIENT: &str = "import requests\n\n\ndef pay(url, body):\n    return requests.post(url, json=body, verify=False, timeout=5)\n";

#[test]
fn demo_scan_json_snapshot() {
    let out = palisade()
        .args(["scan", "examples/shop", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    insta::assert_json_snapshot!("shop-json", report, {
        ".stats.duration_ms" => "[duration]",
        ".tool.version" => "[version]",
    });
}

#[test]
fn demo_scan_text_snapshot() {
    let out = palisade()
        .args(["scan", "examples/shop", "--no-progress"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        !text.contains('\u{1b}'),
        "no colours when stdout is not a terminal"
    );
    insta::assert_snapshot!("shop-text", text);
}

#[test]
fn demo_scan_markdown_snapshot() {
    let out = palisade()
        .args(["scan", "examples/shop", "--format", "markdown"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let markdown = String::from_utf8(out).unwrap();
    assert!(markdown.starts_with("## palisade: ❌ fails CI"));
    assert!(markdown.encode_utf16().count() < 65_536);
    insta::assert_snapshot!("shop-markdown", markdown);
}

#[test]
fn markdown_with_a_baseline_lists_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pay.py", CLIENT);
    let baseline = dir.path().join("palisade-baseline.json");
    palisade()
        .arg("baseline")
        .arg(dir.path())
        .arg("-o")
        .arg(&baseline)
        .assert()
        .code(0);
    write(
        dir.path(),
        "pay.py",
        &format!(
            "{CLIENT}\n\ndef refund(url):\n    return requests.get(url, verify=False, timeout=5)\n"
        ),
    );
    let out = palisade()
        .arg("scan")
        .arg(dir.path())
        .arg("--baseline")
        .arg(&baseline)
        .args(["--format", "markdown", "--fail-on", "critical"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let markdown = String::from_utf8(out).unwrap();
    assert!(
        markdown
            .starts_with("## palisade: ✅ passes CI — 1 new finding, none at or above the gate"),
        "{markdown}"
    );
    assert!(markdown.contains("Gate: `--fail-on critical`, `--fail-confidence medium`."));
    assert!(markdown.contains("### New findings (not in the baseline)"));
    assert!(markdown.contains("1 already in the baseline (not shown)"));
    assert_eq!(
        markdown
            .matches("| `python/tls-verification-disabled` |")
            .count(),
        1
    );
}

#[test]
fn colours_on_request_and_never_in_json() {
    palisade()
        .args(["scan", "examples/shop", "--color", "always"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let out = palisade()
        .args(["scan", "examples/shop", "--format", "sarif"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif = json_of(&out);
    let schema_path = workspace().join("crates/palisade-report/tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );

    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    // One result per finding of the JSON report of the same scan.
    let json = palisade()
        .args(["scan", "examples/shop", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        results.len(),
        json_of(&json.stdout)["findings"].as_array().unwrap().len()
    );
    for r in results {
        assert_eq!(
            r["partialFingerprints"]["palisade/v1"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
        assert!(r["properties"]["owasp"].as_str().unwrap().contains(":2021"));
        assert!(r["properties"]["recommendation"].is_string());
    }
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| {
        r["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Remediation")
    }));
    // An invalid log must fail the same validator: the check is real.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(validator.iter_errors(&broken).next().is_some());
}

#[test]
fn exit_codes_follow_the_threshold() {
    // The demo has critical findings; its `mysql` rules (SQL injection, database TLS) find
    // at most high ones.
    palisade()
        .args(["scan", "examples/shop", "--fail-on", "critical"])
        .assert()
        .code(1);
    palisade()
        .args(["scan", "examples/shop", "--fail-on", "none"])
        .assert()
        .code(0);
    let mysql = ["scan", "examples/shop", "--recommendation", "mysql"];
    palisade()
        .args(mysql)
        .args(["--fail-on", "critical"])
        .assert()
        .code(0);
    palisade()
        .args(mysql)
        .args(["--fail-on", "high"])
        .assert()
        .code(1);
}

/// A finding the model could not decide (low confidence) is reported but fails the run only
/// when `--fail-confidence low` (or the config) asks for it.
#[test]
fn low_confidence_findings_are_reported_without_failing_ci_by_default() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "jobs.py",
        "from app.models import Order\n\n\ndef purge_old_orders(session):\n    session.execute(f\"DELETE FROM {Order.__tablename__} WHERE created < now() - interval '90 days'\")\n",
    );
    palisade()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("python/sql-injection"))
        .stdout(predicate::str::contains("confidence low"));
    palisade()
        .arg("scan")
        .arg(dir.path())
        .args(["--fail-confidence", "low"])
        .assert()
        .code(1);
    write(
        dir.path(),
        "palisade.toml",
        "[scan]\nfail-confidence = \"low\"\n",
    );
    palisade().arg("scan").arg(dir.path()).assert().code(1);
}

#[test]
fn usage_errors_exit_2_with_one_sentence() {
    palisade()
        .args(["scan", "does/not/exist"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "does/not/exist: no such file or folder",
        ))
        .stderr(predicate::str::contains("panicked").not());
    palisade().args(["scan", "--no-such-flag"]).assert().code(2);
    palisade()
        .args(["scan", "--fail-on", "severe"])
        .assert()
        .code(2);
    palisade()
        .args(["scan", "--owasp", "A11", "examples/shop"])
        .assert()
        .code(2);
    palisade()
        .args(["scan", "--domain", "cobol", "examples/shop"])
        .assert()
        .code(2);
    palisade()
        .args(["explain", "python/no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule"));
    palisade().args(["--help"]).assert().code(0);
}

#[test]
fn invalid_config_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", CLIENT);
    write(
        dir.path(),
        "palisade.toml",
        "[scan]\nfail-on = \"high\"\nmax_file_size = 10\n",
    );
    palisade()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("palisade.toml:3:"))
        .stderr(predicate::str::contains("max_file_size"));

    write(
        dir.path(),
        "palisade.toml",
        "[rules.\"python/tls-verification-disabled\"]\nseverity = 3\n",
    );
    palisade()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("palisade.toml:2:"));
}

/// Writes `config` as the root's palisade.toml and scans the root, as JSON, never failing.
fn scan_with_config(root: &Path, config: &str) -> Value {
    write(root, "palisade.toml", config);
    let out = palisade()
        .arg("scan")
        .arg(root)
        .args(["--format", "json", "--fail-on", "none"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    without_control_records(json_of(&out))
}

/// The report without the `controls/` findings a palisade.toml without records brings (every
/// record then needs attestation); `tests/control_records.rs` checks those.
fn without_control_records(mut report: Value) -> Value {
    if let Some(findings) = report["findings"].as_array_mut() {
        findings.retain(|f| {
            !f["rule_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("controls/"))
        });
    }
    report
}

#[test]
fn config_disables_rules_overrides_severity_and_ignores_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/pay.py", CLIENT);
    write(dir.path(), "tests/test_pay.py", CLIENT);
    let scan = |config: &str| scan_with_config(dir.path(), config);
    let report = scan("");
    assert_eq!(report["findings"].as_array().unwrap().len(), 2);
    let report = scan(
        "[rules.\"python/tls-verification-disabled\"]\nseverity = \"low\"\nignore-paths = [\"tests/**\"]\n",
    );
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["severity"], "low");
    assert_eq!(findings[0]["location"]["path"], "app/pay.py");
    let report = scan("[select]\ndomains = [\"k8s\"]\n");
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
}

/// A secrets rule's `ignore-paths` holds file by file, although which detectors run is worked
/// out once per scan: the rule is silent in the ignored folder only, and the other detectors
/// still run there.
#[test]
fn a_secrets_rule_ignores_its_paths_and_leaves_the_others_running_there() {
    let dir = tempfile::tempdir().unwrap();
    let env = "SENDGRID_API_KEY=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\nAIRTABLE_TOKEN=patfokCeDOHNUywr4.cc33c1ed4dff19c9dc0bb67681d901630c5973cf1e9cb63fecdcad0205852d86\n";
    write(dir.path(), "deploy/prod.txt", env);
    write(dir.path(), "deploy/staging/app.txt", env);
    let found = |report: &Value| -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap().to_string(),
                    f["location"]["path"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let pair = |rule: &str, path: &str| (rule.to_string(), path.to_string());
    let report = scan_with_config(
        dir.path(),
        "[select]\ndomains = [\"secrets\"]\n\n[rules.\"secrets/sendgrid-api-key\"]\nignore-paths = [\"deploy/staging/**\"]\n",
    );
    assert_eq!(
        found(&report),
        [
            pair("secrets/airtable-token", "deploy/prod.txt"),
            pair("secrets/airtable-token", "deploy/staging/app.txt"),
            pair("secrets/sendgrid-api-key", "deploy/prod.txt"),
        ],
        "{report:#}"
    );
}

/// `[[ignore]]` entries hide findings by path glob or fingerprint, count as suppressed, and an
/// entry that hides nothing or has expired is reported at its line in palisade.toml.
#[test]
fn central_ignore_entries_hide_findings_and_report_their_own_leftovers() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/pay.py", CLIENT);
    write(dir.path(), "tests/test_pay.py", CLIENT);
    let scan = |config: &str| scan_with_config(dir.path(), config);
    let all = scan("");
    let fingerprint = all["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let report = scan(&format!(
        "[[ignore]]\nrule = \"python/tls-verification-disabled\"\npath = \"tests/**\"\nreason = \"test doubles talk to a local stub\"\n\n[[ignore]]\nrule = \"python/tls-verification-disabled\"\nfingerprint = \"{fingerprint}\"\nreason = \"accepted until the vendor fixes its chain\"\n\n[[ignore]]\nrule = \"python/sql-injection\"\npath = \"app/**\"\nreason = \"nothing to hide\"\n\n[[ignore]]\nrule = \"python/debug-mode-enabled\"\npath = \"**\"\nreason = \"old waiver\"\nuntil = \"2020-01-31\"\n"
    ));
    let findings: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            (
                "palisade/unused-suppression".to_string(),
                "palisade.toml".to_string(),
                11
            ),
            (
                "palisade/expired-suppression".to_string(),
                "palisade.toml".to_string(),
                16
            ),
        ],
        "{report:#}"
    );
    assert_eq!(report["stats"]["suppressed"], 2);
    assert_eq!(report["findings"][0]["snippet"], "[[ignore]]");

    // An entry must say exactly where and why.
    write(
        dir.path(),
        "palisade.toml",
        "[[ignore]]\nrule = \"python/tls-verification-disabled\"\npath = \"a/**\"\ntarget = \"https://a.example\"\nreason = \"x\"\n",
    );
    palisade()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("palisade.toml:1"))
        .stderr(predicate::str::contains("exactly one of"));
}

/// `--select` and `--ignore` take rule ids or prefixes, `--exclude` globs; a pattern that
/// names no rule is a usage error with suggestions; `rules` filters repeat and are checked.
#[test]
fn select_ignore_and_exclude_on_the_command_line() {
    let rule_ids = |args: &[&str]| -> Vec<String> {
        let out = palisade()
            .arg("scan")
            .args(args)
            .args(["examples/shop", "--format", "json", "--fail-on", "none"])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let mut ids: Vec<String> = json_of(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let rbac = rule_ids(&["--select", "k8s/rbac-"]);
    assert!(!rbac.is_empty());
    assert!(
        rbac.iter()
            .all(|id| id.starts_with("k8s/rbac-") || id.starts_with("palisade/")),
        "{rbac:?}"
    );
    let python = rule_ids(&["--select", "python", "--ignore", "python/sql-injection"]);
    assert!(python.iter().any(|id| id.starts_with("python/")));
    assert!(!python.contains(&"python/sql-injection".to_string()));
    let no_backend = rule_ids(&["--select", "python", "--exclude", "backend/**"]);
    assert!(
        no_backend.iter().all(|id| !id.starts_with("python/")),
        "{no_backend:?}"
    );

    palisade()
        .args(["scan", "examples/shop", "--select", "sql-injection"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("names no rule"))
        .stderr(predicate::str::contains("python/sql-injection"));
    palisade()
        .args(["scan", "examples/shop", "--exclude", "[oops"])
        .assert()
        .code(2);
    // A selection that reads no file says so.
    palisade()
        .args(["scan", "examples/shop/k8s", "--domain", "python"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("read none of the"));
    palisade()
        .args(["rules", "--domain", "k8s", "--domain", "palisade"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("palisade/unused-suppression"))
        .stdout(predicate::str::contains("k8s/rbac-wildcard"))
        .stdout(predicate::str::contains("python/").not());
    palisade()
        .args(["rules", "--domain", "cobol"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("known:"));
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    palisade()
        .args(["scan", "examples/shop", "--format", "json", "--output"])
        .arg(&target)
        .assert()
        .code(1)
        .stdout("");
    let report = json_of(&fs::read(&target).unwrap());
    assert_eq!(report["version"], 1);

    let missing = dir.path().join("no/such/folder/report.json");
    palisade()
        .args(["scan", "examples/shop", "--output"])
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
    assert!(!missing.exists());
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(leftovers.len(), 1, "only report.json, no temporary files");
}

#[test]
fn output_to_a_fifo_or_device_writes_to_it_and_never_replaces_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo is part of coreutils");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    palisade()
        .args(["scan", "examples/shop", "--format", "json", "--output"])
        .arg(&fifo)
        .assert()
        .code(1);
    let report = json_of(&reader.join().unwrap());
    assert_eq!(report["version"], 1);
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // `/dev/null` stays the device (renaming a temporary file over it, as root, would not).
    palisade()
        .args([
            "scan",
            "examples/shop",
            "--format",
            "json",
            "-o",
            "/dev/null",
        ])
        .assert()
        .code(1);
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn baseline_survives_inserted_lines_but_not_a_changed_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pay.py", CLIENT);
    let baseline = dir.path().join("palisade-baseline.json");
    palisade()
        .arg("baseline")
        .arg(dir.path())
        .arg("-o")
        .arg(&baseline)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("recorded 1 finding"));

    let scan = || {
        let out = palisade()
            .arg("scan")
            .arg(dir.path())
            .arg("--baseline")
            .arg(&baseline)
            .args(["--format", "json"])
            .output()
            .unwrap();
        (out.status.code(), json_of(&out.stdout))
    };

    // Ten lines inserted above the finding: still baselined.
    let shifted = format!("import logging\n{}\n{CLIENT}", "# moved down\n".repeat(8));
    write(dir.path(), "pay.py", &shifted);
    let (code, report) = scan();
    assert_eq!(code, Some(0));
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["stats"]["baselined"], 1);

    // The finding's own line changes: it is new.
    write(
        dir.path(),
        "pay.py",
        &shifted.replace("requests.post(url", "requests.put(url"),
    );
    let (code, report) = scan();
    assert_eq!(code, Some(1));
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);

    // A file that is not a baseline is a usage error.
    palisade()
        .arg("scan")
        .arg(dir.path())
        .arg("--baseline")
        .arg(dir.path().join("pay.py"))
        .assert()
        .code(2);
}

#[test]
fn files_that_cannot_be_analysed_become_notices_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "good.py", CLIENT);
    write(
        root,
        "big.py",
        &format!("{CLIENT}{}", "x = 1\n".repeat(400)),
    );
    fs::write(root.join("blob.py"), b"\x00\x01\x02binary").unwrap();
    fs::write(root.join("latin1.py"), b"name = '\xe9t\xe9'\n").unwrap();
    write(
        root,
        "py2.py",
        "import requests\nprint \"hello\"\nclass Broken(:\n    pass\nrequests.get(u, verify=False)\n",
    );
    write(
        root,
        "broken.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n",
    );
    write(root, "palisade.toml", "[scan]\nmax-file-size = 1000\n");
    let out = palisade()
        .arg("scan")
        .arg(root)
        .args(["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = without_control_records(json_of(&out));
    let kinds: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("big.py", "too-large"),
        ("blob.py", "binary"),
        ("latin1.py", "encoding"),
        ("py2.py", "parse"),
        ("broken.yaml", "parse"),
    ] {
        assert!(
            kinds.contains(&(expected.0.to_string(), expected.1.to_string())),
            "missing {expected:?} in {kinds:?}"
        );
    }
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    // The Python 2 file's other lines are still checked.
    assert_eq!(paths, ["good.py", "py2.py"]);

    // The text report lists the notices too.
    palisade()
        .arg("scan")
        .arg(root)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("notices (not fully checked)"))
        .stdout(predicate::str::contains("big.py: ").and(predicate::str::contains("byte limit")));
}

#[test]
fn min_confidence_filters_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "client.py",
        "import requests\n\n\nclass Client:\n    def get(self, url):\n        return self.session.get(url, verify=False)\n",
    );
    let count = |extra: &[&str]| {
        let out = palisade()
            .arg("scan")
            .arg(dir.path())
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        json_of(&out.stdout)["findings"].as_array().unwrap().len()
    };
    assert_eq!(count(&[]), 1);
    assert_eq!(count(&["--min-confidence", "high"]), 0);
}

#[test]
fn rules_explain_and_schema() {
    let out = palisade()
        .args([
            "rules",
            "--format",
            "json",
            "--recommendation",
            "kubernetes",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let rules = json_of(&out);
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"k8s/privileged-container"), "{ids:?}");
    assert!(ids.iter().all(|id| id.starts_with("k8s/")), "{ids:?}");
    assert!(
        !ids.contains(&"k8s/cluster-admin-binding"),
        "that one is access-control"
    );
    palisade()
        .args(["rules", "--owasp", "A02"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("python/tls-verification-disabled"))
        .stdout(predicate::str::contains("k8s/weak-tls-min-version"))
        .stdout(predicate::str::contains("k8s/privileged-container").not());
    palisade()
        .args(["explain", "k8s/privileged-container"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## Why it matters"))
        .stdout(predicate::str::contains("CWE-250"));
    let out = palisade()
        .args(["config", "schema"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let schema = json_of(&out);
    assert!(schema["properties"]["rules"].is_object());
}

#[test]
fn rule_docs_pages_are_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    palisade()
        .arg("generate-docs")
        .arg(dir.path())
        .assert()
        .code(0);
    let committed = workspace().join("docs/rules");
    let mut stale = Vec::new();
    for domain in fs::read_dir(dir.path()).unwrap().flatten() {
        for page in fs::read_dir(domain.path()).unwrap().flatten() {
            let rel = page.path().strip_prefix(dir.path()).unwrap().to_path_buf();
            let fresh = fs::read_to_string(page.path()).unwrap();
            if fs::read_to_string(committed.join(&rel)).ok().as_deref() != Some(fresh.as_str()) {
                stale.push(rel.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale for {stale:?}: run `cargo run -- generate-docs docs/rules`"
    );
}

#[test]
fn readme_rule_table_is_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let committed = fs::read_to_string(workspace().join("README.md")).unwrap();
    let readme = dir.path().join("README.md");
    fs::write(&readme, &committed).unwrap();
    palisade()
        .arg("generate-docs")
        .arg(dir.path().join("pages"))
        .arg("--readme")
        .arg(&readme)
        .assert()
        .code(0);
    assert!(
        fs::read_to_string(&readme).unwrap() == committed,
        "README.md's rule table is stale: run `cargo run -- generate-docs docs/rules --readme README.md`"
    );
    // The table is what `palisade rules` prints.
    let listed = palisade()
        .arg("rules")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(committed.contains(&String::from_utf8(listed).unwrap()));
}

#[test]
fn generate_docs_refuses_a_readme_without_markers() {
    let dir = tempfile::tempdir().unwrap();
    let readme = dir.path().join("README.md");
    fs::write(&readme, "# no table here\n").unwrap();
    palisade()
        .arg("generate-docs")
        .arg(dir.path().join("pages"))
        .arg("--readme")
        .arg(&readme)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("markers"));
}

#[test]
fn standard_input_is_scanned_as_a_manifest() {
    let manifest =
        fs::read_to_string(workspace().join("examples/shop/k8s/backend-deployment.yaml")).unwrap();
    let out = palisade()
        .args(["scan", "-", "--format", "json"])
        .write_stdin(manifest.clone())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["location"]["path"] == "<stdin>"));
    let privileged = findings
        .iter()
        .find(|f| f["rule_id"] == "k8s/privileged-container")
        .expect("the privileged container is found");
    let line = manifest
        .lines()
        .position(|l| l.trim() == "privileged: true")
        .unwrap()
        + 1;
    assert_eq!(privileged["location"]["start_line"], line);
    palisade()
        .args(["scan", "-", "--stdin-kind", "python", "--format", "json"])
        .write_stdin(CLIENT)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("python/tls-verification-disabled"));
}

#[test]
fn who_can_answers_from_manifests_with_the_granting_path() {
    let data = "crates/palisade/tests/data/rbac";
    let out = palisade()
        .args(["who-can", "get", "secrets", "--format", "json", data])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    let who: Vec<(String, String)> = report["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["subject"]["name"].as_str().unwrap().to_string(),
                g["via"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        who,
        [
            (
                "jane@example.com".to_string(),
                "RoleBinding shop/shop-editors → ClusterRole edit (built-in)".to_string()
            ),
            (
                "payments-api".to_string(),
                "RoleBinding payments/payments-api-secrets → Role secret-reader".to_string()
            ),
        ]
    );
    // The namespace filter keeps cluster-wide grants and grants of that namespace only.
    palisade()
        .args(["who-can", "create", "pods/exec", "-n", "payments", data])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Group oncall"))
        .stdout(predicate::str::contains("jane@example.com").not())
        .stdout(predicate::str::contains(
            "bindings.yaml:21, rule roles.yaml:16",
        ));
    // A typo is named, with the likely word; the answer still comes.
    palisade()
        .args(["who-can", "gett", "secret", data])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("did you mean `get`"))
        .stderr(predicate::str::contains("did you mean `secrets`"));
    palisade()
        .args(["who-can", "get", "certificates.cert-manager.io", data])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
    // kubectl output on standard input.
    let dump = fs::read_to_string(workspace().join(data).join("bindings.yaml")).unwrap()
        + "---\n"
        + &fs::read_to_string(workspace().join(data).join("roles.yaml")).unwrap();
    palisade()
        .args(["who-can", "list", "secrets", "-n", "payments", "-"])
        .write_stdin(dump)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ServiceAccount payments/payments-api",
        ));
}

#[test]
fn rbac_matrix_lists_subjects_and_dangerous_permissions() {
    palisade()
        .args(["rbac", "crates/palisade/tests/data/rbac"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_match(r"Group oncall\s+-\s+-\s+cluster").unwrap())
        .stdout(
            predicate::str::is_match(r"ServiceAccount payments/payments-api\s+-\s+payments\s+-")
                .unwrap(),
        )
        .stdout(
            predicate::str::is_match(r"User jane@example.com\s+-\s+shop\s+shop\s+shop").unwrap(),
        );
    let out = palisade()
        .args([
            "rbac",
            "--format",
            "json",
            "crates/palisade/tests/data/rbac",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let matrix = json_of(&out);
    assert_eq!(matrix["subjects"].as_array().unwrap().len(), 3);
}

#[test]
fn hostile_manifests_become_notices_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // A "billion laughs" alias bomb inside something that looks like a manifest.
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    write(root, "bomb.yaml", &bomb);
    // Deep flow nesting, and a document that breaks in the middle of a stream.
    write(
        root,
        "deep.yaml",
        &format!(
            "apiVersion: v1\nkind: List\nitems: {}{}\n",
            "[".repeat(300),
            "]".repeat(300)
        ),
    );
    let manifest =
        fs::read_to_string(workspace().join("examples/shop/k8s/backend-deployment.yaml")).unwrap();
    write(
        root,
        "stream.yaml",
        &format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: [broken\n---\n{manifest}"),
    );
    let out = palisade()
        .arg("scan")
        .arg(root)
        .args(["--domain", "k8s", "--format", "json", "--fail-on", "none"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    let noticed: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(noticed.contains(&"bomb.yaml"), "{noticed:?}");
    assert!(noticed.contains(&"deep.yaml"), "{noticed:?}");
    assert!(noticed.contains(&"stream.yaml"), "{noticed:?}");
    // The intact document after the broken one is still checked.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == "k8s/privileged-container"
                && f["location"]["path"] == "stream.yaml")
    );
}

/// The findings of `rule` in a JSON report, as (path, line).
fn findings_of(report: &Value, rule: &str) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The notices of a JSON report, as (path, kind, message).
fn notices_of(report: &Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_string(),
                d["kind"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn scan_k8s_json(root: &Path, path_env: Option<&str>) -> Value {
    let mut cmd = palisade();
    if let Some(path) = path_env {
        cmd.env("PATH", path);
    }
    let out = cmd
        .arg("scan")
        .arg(root)
        .args(["--domain", "k8s", "--format", "json"])
        .output()
        .unwrap();
    json_of(&out.stdout)
}

/// Whether kubectl or kustomize can render here (see `palisade_fixtures::required_tool`).
fn kustomize_available() -> bool {
    palisade_fixtures::required_tool(&["kubectl", "kustomize"]).is_some()
}

const PRIVILEGED_DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/shop/api:2.14.0\n          securityContext:\n            privileged: true\n";

#[test]
fn kustomize_overlay_findings_land_once_in_the_files_that_define_them() {
    if !kustomize_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "base/kustomization.yaml",
        "resources:\n  - api.yaml\n  - worker.yaml\n",
    );
    write(root, "base/api.yaml", PRIVILEGED_DEPLOYMENT);
    write(
        root,
        "base/worker.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n          image: registry.example.com/shop/worker:2.14.0\n",
    );
    for env in ["prod", "staging"] {
        write(
            root,
            &format!("overlays/{env}/kustomization.yaml"),
            &format!(
                "namePrefix: {env}-\nnamespace: shop-{env}\nresources:\n  - ../../base\npatches:\n  - path: worker-debug.yaml\nconfigMapGenerator:\n  - name: settings\n    literals:\n      - LOG_LEVEL=info\n"
            ),
        );
        write(
            root,
            &format!("overlays/{env}/worker-debug.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n          securityContext:\n            privileged: true\n",
        );
    }
    let report = scan_k8s_json(root, None);
    assert_eq!(notices_of(&report), [], "{report:#}");
    // The base line once, though the base and two overlays render it; the patches' lines.
    assert_eq!(
        findings_of(&report, "k8s/privileged-container"),
        [
            ("base/api.yaml".to_string(), 12),
            ("overlays/prod/worker-debug.yaml".to_string(), 11),
            ("overlays/staging/worker-debug.yaml".to_string(), 11),
        ]
    );
    // The patches are not analysed as objects of their own: the worker's missing limits are
    // reported on the base's container, not on the patch's partial one.
    assert_eq!(
        findings_of(&report, "k8s/missing-resource-limits"),
        [
            ("base/api.yaml".to_string(), 9),
            ("base/worker.yaml".to_string(), 9),
        ]
    );

    // The overlay alone names a base outside the scanned folder: not rendered, one notice,
    // its raw files are scanned as before.
    let report = scan_k8s_json(&root.join("overlays/prod"), None);
    let notices = notices_of(&report);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].0, "kustomization.yaml");
    assert_eq!(notices[0].1, "skipped");
    assert!(
        notices[0].2.contains("outside the scanned folder"),
        "{notices:?}"
    );
    assert_eq!(
        findings_of(&report, "k8s/privileged-container"),
        [("worker-debug.yaml".to_string(), 11)]
    );
}

/// A chain of kustomizations deeper than anyone writes (each the base of the one before)
/// is not read to its end: one notice on the entry point, the manifests scanned raw, and no
/// stack exhausted (2,000 levels crashed the scan before). Two that include each other end
/// the same way as any other tree.
#[test]
fn kustomizations_nested_thousands_deep_or_in_a_cycle_give_a_notice_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let levels = 2000;
    for i in 0..levels {
        let next = if i + 1 < levels {
            format!("../k{}", i + 1)
        } else {
            "api.yaml".to_string()
        };
        write(
            root,
            &format!("chain/k{i}/kustomization.yaml"),
            &format!("resources:\n  - {next}\n"),
        );
    }
    write(
        root,
        &format!("chain/k{}/api.yaml", levels - 1),
        PRIVILEGED_DEPLOYMENT,
    );
    write(
        root,
        "cycle/a/kustomization.yaml",
        "resources:\n  - ../b\n  - api.yaml\n",
    );
    write(root, "cycle/a/api.yaml", PRIVILEGED_DEPLOYMENT);
    write(root, "cycle/b/kustomization.yaml", "resources:\n  - ../a\n");
    let out = palisade()
        .arg("scan")
        .arg(root)
        .args(["--domain", "k8s", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report = json_of(&out.stdout);
    let deep: Vec<_> = notices_of(&report)
        .into_iter()
        .filter(|n| n.2.contains("more than 64 levels deep"))
        .collect();
    assert_eq!(deep.len(), 1, "{deep:?}");
    assert_eq!(deep[0].0, "chain/k0/kustomization.yaml");
    assert_eq!(deep[0].1, "skipped");
    let privileged = findings_of(&report, "k8s/privileged-container");
    assert!(
        privileged.contains(&(format!("chain/k{}/api.yaml", levels - 1), 12)),
        "{privileged:?}"
    );
    assert!(
        privileged
            .iter()
            .any(|(path, _)| path == "cycle/a/api.yaml"),
        "{privileged:?}"
    );
}

#[test]
fn a_kustomization_that_does_not_render_gives_one_notice_and_its_files_are_scanned_raw() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "deploy/kustomization.yaml",
        "resources:\n  - api.yaml\n  - missing.yaml\n",
    );
    write(root, "deploy/api.yaml", PRIVILEGED_DEPLOYMENT);
    let expected_findings = [("deploy/api.yaml".to_string(), 12)];

    // The tool fails (a missing file): its first error line, once.
    if palisade_fixtures::find_tool(&["kubectl", "kustomize"]).is_some() {
        let report = scan_k8s_json(root, None);
        let notices = notices_of(&report);
        assert_eq!(notices.len(), 1, "{notices:?}");
        let (path, kind, message) = &notices[0];
        assert_eq!(
            (path.as_str(), kind.as_str()),
            ("deploy/kustomization.yaml", "parse")
        );
        assert!(message.contains("could not render"), "{message}");
        assert!(message.contains("missing.yaml"), "{message}");
        assert!(!message.contains('\n'), "{message}");
        assert_eq!(
            findings_of(&report, "k8s/privileged-container"),
            expected_findings
        );
    }

    // No tool at all.
    let report = scan_k8s_json(root, Some(""));
    let notices = notices_of(&report);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].1, "skipped");
    assert!(
        notices[0].2.contains("neither kubectl nor kustomize"),
        "{notices:?}"
    );
    assert_eq!(
        findings_of(&report, "k8s/privileged-container"),
        expected_findings
    );
}

#[test]
fn analyzers_k8s_kustomize_false_scans_kustomizations_raw_without_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Would not render (a missing file), and would give a notice if rendering were tried.
    write(
        root,
        "deploy/kustomization.yaml",
        "namePrefix: prod-\nresources:\n  - api.yaml\n  - missing.yaml\n",
    );
    write(root, "deploy/api.yaml", PRIVILEGED_DEPLOYMENT);
    write(
        root,
        "palisade.toml",
        "[analyzers.k8s]\nkustomize = false\n",
    );
    let report = scan_k8s_json(root, None);
    assert_eq!(notices_of(&report), [], "{report:#}");
    assert_eq!(
        findings_of(&report, "k8s/privileged-container"),
        [("deploy/api.yaml".to_string(), 12)]
    );
}

#[cfg(unix)]
#[test]
fn analyzers_k8s_kustomize_timeout_seconds_bounds_the_rendering() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    write(
        &root,
        "deploy/kustomization.yaml",
        "resources:\n  - api.yaml\n",
    );
    write(&root, "deploy/api.yaml", PRIVILEGED_DEPLOYMENT);
    write(
        &root,
        "palisade.toml",
        "[analyzers.k8s]\nkustomize-timeout-seconds = 1\n",
    );
    let tools = dir.path().join("bin");
    fs::create_dir_all(&tools).unwrap();
    let kubectl = tools.join("kubectl");
    fs::write(&kubectl, "#!/bin/sh\nexec /bin/sleep 30\n").unwrap();
    fs::set_permissions(&kubectl, fs::Permissions::from_mode(0o755)).unwrap();
    let started = std::time::Instant::now();
    let report = scan_k8s_json(&root, Some(tools.to_str().unwrap()));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let notices = notices_of(&report);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].2.contains("ran longer than"), "{notices:?}");
    assert_eq!(
        findings_of(&report, "k8s/privileged-container"),
        [("deploy/api.yaml".to_string(), 12)]
    );
}

#[test]
fn typed_options_and_analyzer_sections_are_in_the_schema_and_checked() {
    let out = palisade()
        .args(["config", "schema"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let schema = json_of(&out);
    let k8s = &schema["properties"]["analyzers"]["properties"]["k8s"]["properties"];
    assert_eq!(k8s["kustomize"]["default"], true);
    assert_eq!(k8s["kustomize-timeout-seconds"]["default"], 60);
    let options = &schema["properties"]["rules"]["properties"]["python/plaintext-http-url"]["properties"]
        ["options"];
    assert_eq!(options["properties"]["allow-hosts"]["type"], "array");
    assert_eq!(options["additionalProperties"], false);

    let dir = tempfile::tempdir().unwrap();
    for (config, expected) in [
        (
            "[analyzers.k8s]\n\nkustomize = \"no\"\n",
            "palisade.toml:3:1: analyzers.k8s.kustomize: ",
        ),
        (
            "[analyzers.k8s]\nkustomise = false\n",
            "palisade.toml:2:1: analyzers.k8s: unknown option `kustomise`",
        ),
        (
            "[rules.\"python/plaintext-http-url\".options]\nallow-hosts = \"mesh\"\n",
            "palisade.toml:2:1: rules.\"python/plaintext-http-url\".options.allow-hosts: ",
        ),
    ] {
        write(dir.path(), "palisade.toml", config);
        palisade()
            .arg("scan")
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
}

#[test]
fn a_kustomization_naming_a_remote_resource_is_not_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "kustomization.yaml",
        "resources:\n  - api.yaml\n  - nested\n",
    );
    write(root, "api.yaml", PRIVILEGED_DEPLOYMENT);
    // The remote resource is in a kustomization the first one includes.
    write(
        root,
        "nested/kustomization.yaml",
        "resources:\n  - https://github.com/example/deploy//base?ref=v1.4.0\n",
    );
    let report = scan_k8s_json(root, None);
    let notices = notices_of(&report);
    let paths: Vec<&str> = notices.iter().map(|n| n.0.as_str()).collect();
    assert_eq!(paths, ["kustomization.yaml", "nested/kustomization.yaml"]);
    for (_, kind, message) in &notices {
        assert_eq!(kind, "skipped");
        assert!(
            message.contains("remote resources are not fetched"),
            "{message}"
        );
    }
    assert_eq!(
        findings_of(&report, "k8s/privileged-container"),
        [("api.yaml".to_string(), 12)]
    );
}

#[test]
fn a_helm_chart_gives_one_notice_instead_of_parse_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "charts/shop/Chart.yaml",
        "apiVersion: v2\nname: shop\nversion: 1.4.0\n",
    );
    write(
        root,
        "charts/shop/values.yaml",
        "replicaCount: 2\nimage:\n  repository: registry.example.com/shop/api\n  tag: \"\"\n",
    );
    write(
        root,
        "charts/shop/templates/_helpers.tpl",
        "{{- define \"shop.name\" -}}{{ .Chart.Name }}{{- end }}\n",
    );
    write(
        root,
        "charts/shop/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"shop.name\" . }}\n  labels:\n    {{- include \"shop.labels\" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  template:\n    spec:\n      containers:\n        - name: api\n          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n          securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}\n",
    );
    write(
        root,
        "charts/shop/templates/service.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include \"shop.name\" . }}\nspec:\n  ports:\n    {{- range .Values.ports }}\n    - port: {{ . }}\n    {{- end }}\n",
    );
    write(
        root,
        "charts/shop/templates/ingress/ingress.yml",
        "{{- if .Values.ingress.enabled }}\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ include \"shop.name\" . }}\n{{- end }}\n",
    );
    let report = scan_k8s_json(root, None);
    assert_eq!(
        notices_of(&report),
        [(
            "charts/shop/Chart.yaml".to_string(),
            "skipped".to_string(),
            "Helm chart charts/shop: 3 templates not analysed; render them with `helm template` and scan the output".to_string()
        )]
    );
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
}

/// Routes that tests and examples declare are not the product's endpoints, and neither are
/// the product's routes as a test app mounts them under a prefix of its own: the inventory
/// lists the product's routes once, as the product mounts them.
#[test]
fn endpoints_leaves_out_what_tests_and_examples_declare_or_mount() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "shop/orders.py",
        "from flask import Blueprint\n\nbp = Blueprint(\"orders\", __name__)\n\n\n@bp.route(\"/orders\", methods=[\"POST\"])\ndef create_order():\n    return {}, 201\n",
    );
    write(
        root,
        "shop/app.py",
        "from flask import Flask\n\nfrom shop.orders import bp\n\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix=\"/api\")\n",
    );
    write(
        root,
        "tests/test_orders.py",
        "from flask import Flask\n\nfrom shop.orders import bp\n\ntest_app = Flask(__name__)\ntest_app.register_blueprint(bp, url_prefix=\"/sandbox\")\n\n\n@test_app.route(\"/reset\", methods=[\"POST\"])\ndef reset_database():\n    return \"\"\n\n\ndef test_create_order():\n    client = test_app.test_client()\n    assert client.post(\"/sandbox/orders\").status_code == 201\n",
    );
    write(
        root,
        "examples/minimal.py",
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/hello\", methods=[\"POST\"])\ndef hello():\n    return \"hi\"\n",
    );
    let out = palisade()
        .args(["endpoints", root.to_str().unwrap(), "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    let listed: Vec<(String, String)> = report["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["handler"]["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [("/api/orders".to_string(), "shop/orders.py".to_string())],
        "{report:#}"
    );
}

#[test]
fn endpoints_lists_every_route_with_joined_paths_auth_and_scopes() {
    let fastapi = "crates/palisade-python/fixtures/unauthenticated-state-changing-endpoint-fastapi";
    let out = palisade()
        .args(["endpoints", fastapi, "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    assert_eq!(report["version"], 1);
    let endpoints = report["endpoints"].as_array().unwrap();
    let find = |method: &str, path: &str| {
        endpoints
            .iter()
            .find(|e| {
                e["path"] == path && e["methods"].as_array().unwrap().iter().any(|m| m == method)
            })
            .unwrap_or_else(|| panic!("no {method} {path} in {endpoints:#?}"))
    };
    // Router prefix under the include prefix; scopes from `Security(..., scopes=[...])`.
    let read = find("GET", "/v1/items/{item_id}");
    assert_eq!(read["methods"], serde_json::json!(["GET"]));
    assert_eq!(read["auth"], "Security(get_current_user)");
    assert_eq!(read["scopes"], serde_json::json!(["items:read"]));
    assert_eq!(read["handler"]["path"], "app/routers/items.py");
    assert_eq!(read["handler"]["line"], 12);
    // The same path without any check: `auth` is null, `scopes` empty.
    let delete = find("DELETE", "/v1/items/{item_id}");
    assert_eq!(delete["auth"], serde_json::Value::Null);
    assert_eq!(delete["scopes"], serde_json::json!([]));
    // Dependencies given to `include_router` in another file apply to the router's routes.
    assert_eq!(
        find("POST", "/internal/admin/reindex")["auth"],
        "Depends(verify_internal_token)"
    );
    assert_eq!(
        find("POST", "/v1/orders/")["auth"],
        "Depends(get_current_user)"
    );
    // `Annotated` aliases count: `user: CurrentUser`.
    assert_eq!(
        find("PUT", "/v1/items/{item_id}")["auth"],
        "Depends(get_current_user)"
    );
    assert_eq!(
        find("POST", "/sync")["methods"],
        serde_json::json!(["POST", "PUT"])
    );

    // Flask: blueprint prefixes given at registration, in another file; the text table.
    let flask = "crates/palisade-python/fixtures/unauthenticated-state-changing-endpoint-flask";
    palisade()
        .args(["endpoints", flask])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("METHODS"))
        .stdout(predicate::str::is_match(r"PUT,PATCH +/api/orders/<int:order_id> +NONE").unwrap())
        .stdout(
            predicate::str::is_match(
                r"DELETE +/api/orders/<int:order_id> +requires_scope +orders:delete +shop/api/orders.py:39",
            )
            .unwrap(),
        )
        .stdout(predicate::str::contains("before_request require_staff"));
    palisade()
        .args(["endpoints", "no/such/folder"])
        .assert()
        .code(2);
}

/// What the inventory learnt from real products (issue #8): router classes and class-based
/// views carry their dependencies, a computed prefix is shown and never dropped, a project's
/// own login middleware and an aiohttp app's token middleware cover their routes, public
/// endpoints say why.
#[test]
fn endpoints_show_project_wide_auth_public_purposes_and_computed_prefixes() {
    let json_endpoints = |fixture: &str| {
        let out = palisade()
            .args(["endpoints", fixture, "--format", "json"])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        json_of(&out)["endpoints"].as_array().unwrap().clone()
    };
    let auth_of = |endpoints: &[serde_json::Value], method: &str, path: &str| {
        endpoints
            .iter()
            .find(|e| {
                e["path"] == path && e["methods"].as_array().unwrap().iter().any(|m| m == method)
            })
            .unwrap_or_else(|| panic!("no {method} {path} in {endpoints:#?}"))["auth"]
            .clone()
    };
    let fastapi = json_endpoints(
        "crates/palisade-python/fixtures/unauthenticated-state-changing-endpoint-fastapi-controllers",
    );
    assert_eq!(
        auth_of(&fastapi, "POST", "/api/shelves"),
        "Depends(get_current_user)"
    );
    assert_eq!(
        auth_of(&fastapi, "DELETE", "/api/admin/shelves/{shelf_id}"),
        "Depends(get_admin_user)"
    );
    assert_eq!(
        auth_of(
            &fastapi,
            "POST",
            "/api{settings.OPEN_PREFIX}/{shelf_id}/items"
        ),
        "Depends(get_current_user)"
    );
    assert_eq!(
        auth_of(
            &fastapi,
            "POST",
            "/api{settings.OPEN_PREFIX}/{shelf_id}/share"
        ),
        serde_json::Value::Null
    );
    let django = json_endpoints(
        "crates/palisade-python/fixtures/unauthenticated-state-changing-endpoint-django-custom-middleware",
    );
    assert_eq!(
        auth_of(&django, "POST", "/findings/<int:fid>/close"),
        "middleware tracker.middleware.RequireLoginMiddleware"
    );
    let aiohttp = json_endpoints(
        "crates/palisade-python/fixtures/unauthenticated-state-changing-endpoint-aiohttp-registrar",
    );
    assert_eq!(
        auth_of(&aiohttp, "POST", "/devices/{device}/restart"),
        "middleware self.security.token_validation"
    );
    palisade()
        .args([
            "endpoints",
            "crates/palisade-python/fixtures/unauthenticated-state-changing-endpoint-public.py",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::is_match(r"POST +/api/auth/token +public \(token\)").unwrap())
        .stdout(
            predicate::str::is_match(
                r"POST +/api/users/forgot-password +public \(password reset\)",
            )
            .unwrap(),
        )
        .stdout(predicate::str::is_match(r"POST +/ping/<uuid:code> +capability URL\?").unwrap())
        .stdout(predicate::str::contains("signed token (signing.loads)"))
        .stdout(predicate::str::is_match(r"POST +/api/orders/import +NONE").unwrap());
}

/// `who-can` reads manifests through the engine's collect mode, so a kustomization's
/// rendering (here: `namespace: prod`) is what it answers from — the same objects the scan's
/// `k8s/rbac-secrets-access` sees.
#[test]
fn who_can_sees_the_kustomize_rendering_that_scan_sees() {
    if !kustomize_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "deploy/kustomization.yaml",
        "namespace: prod\nresources:\n  - rbac.yaml\n",
    );
    write(
        root,
        "deploy/rbac.yaml",
        "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: secret-reader
rules:
  - apiGroups: [\"\"]
    resources: [\"secrets\"]
    verbs: [\"get\", \"list\"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reporting-reads-secrets
subjects:
  - kind: ServiceAccount
    name: reporting
roleRef:
  kind: Role
  name: secret-reader
  apiGroup: rbac.authorization.k8s.io
",
    );
    let report = scan_k8s_json(root, None);
    let secrets = findings_of(&report, "k8s/rbac-secrets-access");
    assert_eq!(secrets.len(), 1, "{report:#}");
    palisade()
        .args(["who-can", "get", "secrets", "-n", "prod"])
        .arg(root)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ServiceAccount prod/reporting"));
    palisade()
        .args(["who-can", "get", "secrets", "-n", "default"])
        .arg(root)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("reporting").not());
}

/// A default scan opens no network socket: the whole demo is scanned under `strace`, which
/// records every `socket` call of palisade and of what it starts (kubectl for Kustomize).
#[test]
fn a_default_scan_opens_no_network_socket() {
    let Some(strace) = palisade_fixtures::required_tool(&["strace"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace");
    let traced = |program: &Path, trace: &Path| {
        let mut cmd = std::process::Command::new(&strace);
        cmd.args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
            .arg(trace)
            .arg(program);
        cmd
    };
    let network_calls = |trace: &Path| -> Vec<String> {
        fs::read_to_string(trace)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("AF_INET"))
            .map(str::to_string)
            .collect()
    };
    // The check is real: a program that makes an (unconnected) IPv4 socket is caught.
    let control = dir.path().join("control");
    let made = traced(Path::new("/usr/bin/env"), &control)
        .args(["python3", "-c", "import socket; socket.socket()"])
        .status()
        .unwrap();
    if made.success() {
        assert!(!network_calls(&control).is_empty(), "strace saw no socket");
    }
    let status = traced(&assert_cmd::cargo::cargo_bin("palisade"), &trace)
        .env("PALISADE_NO_CACHE", "1")
        .args(["scan", "examples/shop", "--format", "json", "--output"])
        .arg(dir.path().join("report.json"))
        .current_dir(workspace())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "the demo has findings");
    let network = network_calls(&trace);
    assert!(network.is_empty(), "network calls:\n{}", network.join("\n"));
}

/// The live commands: a target that cannot be reached is a notice and exit code 2; a
/// password is never taken from the URL; `scan --target` needs `--online`. (The audits
/// themselves are tested against real servers on 127.0.0.1 in crates/palisade-live/tests.)
#[test]
fn live_commands_fail_clearly_on_unreachable_targets() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let out = palisade()
        .args(["probe", &url, "--timeout", "2", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("refused")
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused"));

    // A name under the reserved `.invalid` TLD (RFC 6761) resolves nowhere: a DNS error
    // that names the host, for both the HTTPS and the plain-HTTP variant, and exit code 2.
    for dead in [
        "https://no-such-host.invalid/",
        "http://no-such-host.invalid/",
    ] {
        let out = palisade()
            .args(["probe", dead, "--timeout", "2", "--format", "json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{dead}: {stderr}");
        assert!(
            stderr.contains("cannot resolve `no-such-host.invalid` (DNS)"),
            "{dead}: {stderr}"
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(json["findings"].as_array().unwrap().is_empty(), "{json}");
        assert!(
            json["diagnostics"][0]["message"]
                .as_str()
                .unwrap()
                .contains("(DNS)"),
            "{json}"
        );
    }

    let out = palisade()
        .args(["mysql", "mysql://app:secret@127.0.0.1:3306"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("password in the URL"));

    let out = palisade()
        .args([
            "mysql",
            &format!("mysql://app@127.0.0.1:{port}"),
            "--timeout",
            "2",
        ])
        .env("MYSQL_PWD", "not-shown")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("not-shown"));

    let out = palisade()
        .args(["scan", "--target", &url, "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A plain-HTTP site on 127.0.0.1 (a thread of this test) through `palisade probe`: every
/// output format carries the target, `[[ignore]]` by target hides a finding, and a baseline
/// written by `palisade baseline --online --target` hides them all.
#[test]
fn probe_findings_work_in_every_format_with_ignores_and_baselines() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = connections.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let mut seen = Vec::new();
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nServer: Apache/2.4.41 (Ubuntu)\r\nContent-Length: 0\r\n\r\n",
            );
        }
    });
    let url = format!("http://127.0.0.1:{port}/");
    let dir = tempfile::tempdir().unwrap();
    let probe = |extra: &[&str]| {
        palisade()
            .args(["probe", &url, "--timeout", "3"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = probe(&["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding_text = |json: &serde_json::Value| json["findings"].to_string();
    let text = finding_text(&json);
    assert!(text.contains("probe/no-https-redirect"), "{text}");
    assert!(text.contains("probe/server-version-disclosure"));
    assert!(text.contains(&url));
    for format in ["sarif", "markdown", "text"] {
        let out = probe(&["--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(
            s.contains("probe/no-https-redirect") && s.contains(&format!("127.0.0.1:{port}")),
            "{format}: {s}"
        );
    }

    // [[ignore]] by target.
    let config = dir.path().join("palisade.toml");
    std::fs::write(
        &config,
        format!("[[ignore]]\nrule = \"probe/no-https-redirect\"\ntarget = \"{url}\"\nreason = \"internal test site\"\n"),
    )
    .unwrap();
    let out = probe(&["--format", "json", "--config", config.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = finding_text(&json);
    assert!(!s.contains("probe/no-https-redirect"), "{s}");
    assert!(s.contains("probe/server-version-disclosure"));
    assert!(json["stats"].to_string().contains("suppressed"), "{json}");

    // A baseline of the live findings hides them all.
    let empty = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let out = palisade()
        .args(["baseline", "--online", "--target", &url, "-o"])
        .arg(&baseline)
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = probe(&["--format", "json", "--baseline", baseline.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["findings"].as_array().unwrap().is_empty(), "{json}");

    // `[live]` targets: audited by `scan --live`, never contacted without it.
    let config = dir.path().join("live.toml");
    std::fs::write(&config, format!("[live]\nurls = [\"{url}\"]\n")).unwrap();
    let before = connections.load(std::sync::atomic::Ordering::SeqCst);
    let scan = |config: &Path, live: bool| {
        let mut cmd = palisade();
        cmd.args([
            "scan",
            "--format",
            "json",
            "--config",
            config.to_str().unwrap(),
        ]);
        if live {
            cmd.arg("--live");
        }
        let out = cmd.arg(empty.path()).output().unwrap();
        finding_text(&serde_json::from_slice(&out.stdout).unwrap())
    };
    assert!(!scan(&config, false).contains("probe/"));
    assert_eq!(
        connections.load(std::sync::atomic::Ordering::SeqCst),
        before
    );
    assert!(scan(&config, true).contains("probe/no-https-redirect"));
    assert!(connections.load(std::sync::atomic::Ordering::SeqCst) > before);

    // `[analyzers.live]`, the earlier spelling, is an alias of `[live]`.
    let alias = dir.path().join("alias.toml");
    std::fs::write(&alias, format!("[analyzers.live]\nurls = [\"{url}\"]\n")).unwrap();
    assert!(scan(&alias, true).contains("probe/no-https-redirect"));

    // Both spellings in one file: a configuration error at `[live]`, nothing contacted.
    let both = dir.path().join("both.toml");
    std::fs::write(
        &both,
        format!("[analyzers.live]\nurls = [\"{url}\"]\n\n[live]\nurls = [\"{url}\"]\n"),
    )
    .unwrap();
    let before = connections.load(std::sync::atomic::Ordering::SeqCst);
    let out = palisade()
        .args(["scan", "--live", "--config", both.to_str().unwrap()])
        .arg(empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("both.toml:4:"), "{stderr}");
    assert!(stderr.contains("[analyzers.live] (line 1)"), "{stderr}");
    assert_eq!(
        connections.load(std::sync::atomic::Ordering::SeqCst),
        before
    );
}

/// A small Android project for `palisade permissions`: an app module asking for the camera
/// (used through a library module's code), location (used) and contacts (never used), and
/// a test that touches contacts (test code does not count).
fn permissions_project(root: &Path) {
    write(
        root,
        "app/build.gradle.kts",
        "plugins { id(\"com.android.application\") }\nandroid { namespace = \"org.shop\"\n defaultConfig { targetSdk = 34 } }\n",
    );
    write(
        root,
        "app/src/main/AndroidManifest.xml",
        r#"<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <uses-permission android:name="android.permission.INTERNET" />
    <uses-permission android:name="android.permission.CAMERA" />
    <uses-permission android:name="android.permission.ACCESS_FINE_LOCATION" />
    <uses-permission android:name="android.permission.READ_CONTACTS" />
    <application />
</manifest>
"#,
    );
    write(
        root,
        "app/src/main/java/org/shop/Where.kt",
        "package org.shop\n\nimport android.location.LocationManager\n\nclass Where(private val lm: LocationManager) {\n    // ContactsContract is not used here, only named in a comment\n    fun last() = lm.getLastKnownLocation(\"gps\")\n}\n",
    );
    write(
        root,
        "scanner/src/main/java/org/shop/scan/Scanner.java",
        "package org.shop.scan;\n\nclass Scanner {\n    void open(android.content.Context c) {\n        Object m = c.getSystemService(android.hardware.camera2.CameraManager.class);\n    }\n}\n",
    );
    write(
        root,
        "app/src/test/java/org/shop/ContactsTest.kt",
        "package org.shop\n\nclass ContactsTest { val uri = android.provider.ContactsContract.Contacts.CONTENT_URI }\n",
    );
}

#[test]
fn permissions_lists_requested_dangerous_permissions_with_their_uses() {
    let dir = tempfile::tempdir().unwrap();
    permissions_project(dir.path());
    let out = palisade()
        .args([
            "permissions",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    assert_eq!(report["version"], 1);
    let list = report["permissions"].as_array().unwrap();
    // INTERNET is a normal permission: not in the inventory.
    let names: Vec<&str> = list
        .iter()
        .map(|p| p["permission"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "android.permission.CAMERA",
            "android.permission.ACCESS_FINE_LOCATION",
            "android.permission.READ_CONTACTS"
        ]
    );
    let camera = &list[0];
    assert_eq!(camera["level"], "dangerous");
    assert_eq!(camera["module"], "app");
    assert_eq!(camera["manifest"]["line"], 3);
    assert_eq!(
        camera["uses"][0]["path"],
        "scanner/src/main/java/org/shop/scan/Scanner.java"
    );
    assert_eq!(camera["uses"][0]["api"], "CameraManager");
    let location = &list[1];
    assert_eq!(
        location["uses"][0]["path"],
        "app/src/main/java/org/shop/Where.kt"
    );
    assert_eq!(location["uses"][0]["line"], 5);
    // Contacts: named only in a comment and in test code.
    assert_eq!(list[2]["used"], false);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0]["rule_id"],
        "android/permission-requested-but-unused"
    );
    assert_eq!(findings[0]["severity"], "low");
    assert_eq!(findings[0]["line"], 5);
}

#[test]
fn permissions_exit_codes_follow_fail_on_like_scan() {
    let dir = tempfile::tempdir().unwrap();
    permissions_project(dir.path());
    let path = dir.path().to_str().unwrap();
    palisade()
        .args(["permissions", path, "--fail-on", "low"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("READ_CONTACTS"))
        .stdout(predicate::str::contains("UNUSED"))
        .stdout(predicate::str::contains(
            "3 permission requests; 1 with no use",
        ));
    palisade()
        .args(["permissions", path, "--fail-on", "medium"])
        .assert()
        .code(0);
    // Nothing dangerous requested: an empty inventory, exit 0 even at --fail-on low.
    let empty = tempfile::tempdir().unwrap();
    write(
        empty.path(),
        "app/src/main/AndroidManifest.xml",
        "<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\"><uses-permission android:name=\"android.permission.INTERNET\" /></manifest>\n",
    );
    palisade()
        .args([
            "permissions",
            empty.path().to_str().unwrap(),
            "--fail-on",
            "low",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "no dangerous or special Android permission",
        ));
    palisade().args(["permissions", "-"]).assert().code(2);
}

/// `palisade parse-only` reads the scan's palisade.toml: a file over its `max-file-size`
/// and a folder its `exclude` leaves out are not parsed, as a scan would not read them.
#[test]
fn parse_only_follows_the_configured_size_limit_and_exclusions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "palisade.toml",
        "[scan]\nmax-file-size = 200\nexclude = [\"legacy/**\"]\n",
    );
    write(root, "api/app.py", "import os\nprint(os.getcwd())\n");
    write(root, "api/tables.py", &"ROW = 1\n".repeat(40));
    write(root, "legacy/old.py", "print('old')\n");
    let out = palisade()
        .args(["parse-only", root.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("parsed 1 files ("), "{text}");
    assert!(text.contains("1 over scan.max-file-size"), "{text}");
}

/// `palisade parse-only` parses what a scan would parse, per language, and leaves out what a
/// scan leaves out (pruned folders, minified bundles, test scripts and test source sets,
/// files no analyzer parses).
#[test]
fn parse_only_counts_per_language_as_a_scan_selects() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "api/app.py", "import os\nprint(os.getcwd())\n");
    write(root, "web/main.js", "document.title = 'shop';\n");
    write(root, "web/cart.mjs", "export const n = 1;\n");
    write(
        root,
        "web/api.ts",
        "export const f = (x: number): number => x + 1;\n",
    );
    write(
        root,
        "web/View.tsx",
        "export const V = () => <div>{1}</div>;\n",
    );
    // Skipped as a scan skips them: a minified bundle, a test script, node_modules and
    // dist/ (pruned by the walk), a stylesheet no analyzer parses.
    write(root, "web/vendor.min.js", "var a=1;\n");
    write(root, "web/tests/cart.test.ts", "it('adds', () => {});\n");
    write(
        root,
        "web/node_modules/lib/index.js",
        "module.exports = 1;\n",
    );
    write(root, "web/dist/app.js", "var b = 2;\n");
    write(root, "web/site.css", "body { color: red }\n");
    write(
        root,
        "app/src/main/java/shop/Main.java",
        "package shop;\nclass Main { void run() {} }\n",
    );
    write(
        root,
        "app/src/main/kotlin/shop/Cart.kt",
        "package shop\nclass Cart { fun add() {} }\n",
    );
    write(
        root,
        "app/src/test/java/shop/MainTest.java",
        "package shop;\nclass MainTest {}\n",
    );
    write(
        root,
        "app/src/main/AndroidManifest.xml",
        "<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\" package=\"shop\"/>\n",
    );
    write(
        root,
        "app/src/main/res/xml/network_security_config.xml",
        "<network-security-config><base-config cleartextTrafficPermitted=\"false\"/></network-security-config>\n",
    );
    // A layout: no Android rule reads it, so neither a scan nor the floor parses it.
    write(
        root,
        "app/src/main/res/layout/main.xml",
        "<LinearLayout/>\n",
    );
    write(root, "app/build.gradle", "android { compileSdk 34 }\n");
    let out = palisade()
        .args(["parse-only", root.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let row = |language: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(language))
            .unwrap_or_else(|| panic!("no {language} row in:\n{text}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert!(text.starts_with("parsed 9 files ("), "{text}");
    assert_eq!(row("python")[1], "1", "{text}");
    assert_eq!(row("javascript")[1], "2", "{text}");
    assert_eq!(row("typescript")[1], "1", "{text}");
    assert_eq!(row("tsx")[1], "1", "{text}");
    assert_eq!(row("java")[1], "1", "{text}");
    assert_eq!(row("kotlin")[1], "1", "{text}");
    assert_eq!(row("android-xml")[1], "2", "{text}");
    // Bytes are the decoded text's: main.js is 25 bytes, cart.mjs 20.
    assert_eq!(row("javascript")[2], "45", "{text}");
    for row_name in ["python", "javascript", "java", "android-xml"] {
        assert_eq!(row(row_name)[4], "0", "no syntax error expected:\n{text}");
    }
    assert!(
        text.contains("not parsed, as in a scan: 1 minified or bundled scripts"),
        "{text}"
    );
    assert!(
        text.contains("not parsed, as in a scan: 1 test, fixture, vendored or generated scripts"),
        "{text}"
    );
    assert!(
        text.contains("not parsed, as in a scan: 1 Java/Kotlin test sources"),
        "{text}"
    );
    // With --walk every tree is also walked once: the same files, bytes and syntax errors
    // (only the time differs).
    let walked = palisade()
        .args(["parse-only", "--walk", root.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let walked = String::from_utf8(walked).unwrap();
    let counts = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(|l| {
                let cells: Vec<&str> = l.split_whitespace().collect();
                if cells.len() == 5 {
                    // language, files, bytes, (time), syntax errors
                    vec![cells[0], cells[1], cells[2], cells[4]]
                } else if l.starts_with("parsed ") {
                    cells.into_iter().take(2).collect()
                } else {
                    cells
                }
                .into_iter()
                .map(str::to_string)
                .collect()
            })
            .collect()
    };
    assert_eq!(counts(&walked), counts(&text), "{walked}\n{text}");
    // A folder that does not exist is a usage error.
    palisade()
        .args(["parse-only", root.join("nope").to_str().unwrap()])
        .assert()
        .code(2);
}
