//! End-to-end tests of the control records (`[controls.*]` in palisade.toml): stale, fresh
//! and missing records and documents, `--today`, and located configuration errors.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn palisade() -> Command {
    let mut cmd = Command::cargo_bin("palisade").unwrap();
    // Tests never write to the user's cache folder.
    cmd.env("PALISADE_NO_CACHE", "1");
    cmd.env_remove("NO_COLOR")
        .env("PALISADE_TODAY", "2026-11-27");
    cmd
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const RECORDS: &str = r#"[controls.backup]
targets = ["orders-db"]
schedule = "daily"
last-restore-test = "2026-09-14"
max-age-days = 90
runbook = "docs/disaster-recovery.md"

[controls.access-review]
last-review = "2026-08-01"

[controls.audits]
last-audit = "2026-02-10"
last-pentest = "2025-11-30"
reports = ["security/pentest-2025.pdf"]
"#;

/// (rule, severity, path, line) of every controls finding of a JSON report.
fn controls_findings(root: &Path, today: &str) -> Vec<(String, String, String, u64)> {
    let out = palisade()
        .args([
            "scan", "--format", "json", "--select", "controls", "--today", today,
        ])
        .arg(root)
        .assert()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["diagnostics"], Value::Array(vec![]), "{report}");
    let mut found: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        // The records' rules only: CODEOWNERS and SECURITY.md have their own tests.
        .filter(|f| {
            !matches!(
                f["rule_id"].as_str(),
                Some(
                    "controls/codeowners-missing-coverage"
                        | "controls/security-policy-missing-contact"
                )
            )
        })
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                f["location"]["start_line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    found.sort();
    found
}

fn owned(v: &[(&str, &str, &str, u64)]) -> Vec<(String, String, String, u64)> {
    v.iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), *d))
        .collect()
}

#[test]
fn stale_fresh_and_missing_records_depend_on_today() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "palisade.toml", RECORDS);
    write(
        dir.path(),
        "docs/disaster-recovery.md",
        "# DR\n\n## Scope\nThe orders database.\n## RPO and RTO\nOne hour.\n## Restore steps\nRestore the dump.\n## Contacts\nAda.\n",
    );
    // On 2026-10-01 backup (17 days) and access review (61 days) are fresh; the pentest is
    // 305 days old (fresh), its report is missing; three records are missing.
    assert_eq!(
        controls_findings(dir.path(), "2026-10-01"),
        owned(&[
            ("controls/audit-record", "medium", "palisade.toml", 14),
            ("controls/incident-response-record", "info", "", 0),
            ("controls/training-record", "info", "", 0),
            ("controls/vendor-record", "info", "", 0),
        ])
    );
    // Two months later the restore test and the access review are past 90 days, the
    // pentest past 365.
    assert_eq!(
        controls_findings(dir.path(), "2026-12-20"),
        owned(&[
            (
                "controls/access-review-record",
                "medium",
                "palisade.toml",
                9
            ),
            ("controls/audit-record", "medium", "palisade.toml", 13),
            ("controls/audit-record", "medium", "palisade.toml", 14),
            ("controls/backup-record", "medium", "palisade.toml", 4),
            ("controls/incident-response-record", "info", "", 0),
            ("controls/training-record", "info", "", 0),
            ("controls/vendor-record", "info", "", 0),
        ])
    );
}

/// A palisade.toml without any record: every recommendation needs attestation. (Without a
/// palisade.toml at all the controls analyzer reports nothing; see its `check_sources`.)
#[test]
fn a_configuration_without_records_needs_every_attestation() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "palisade.toml", "[scan]\nexclude = []\n");
    let found = controls_findings(dir.path(), "2026-12-01");
    assert_eq!(found.len(), 6, "{found:?}");
    assert!(
        found.iter().all(|f| f.1 == "info" && f.2.is_empty()),
        "{found:?}"
    );
    fs::remove_file(dir.path().join("palisade.toml")).unwrap();
    assert_eq!(controls_findings(dir.path(), "2026-12-01"), vec![]);
}

#[test]
fn records_in_a_configuration_outside_the_scanned_folder_are_reported_there() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "palisade.toml",
        "[controls.access-review]\nlast-review = \"2026-01-01\"\n",
    );
    write(dir.path(), "app/main.py", "print('hi')\n");
    let found = controls_findings(&dir.path().join("app"), "2026-12-01");
    let stale: Vec<_> = found.iter().filter(|f| f.1 == "medium").collect();
    assert_eq!(stale.len(), 1, "{found:?}");
    assert!(stale[0].2.ends_with("palisade.toml"), "{found:?}");
    assert_eq!(stale[0].3, 2);
}

#[test]
fn bad_records_are_configuration_errors_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    for (text, line, needle) in [
        (
            "[controls.backup]\nschedule = \"daily\"\nlast-restore-test = \"14/09/2026\"\n",
            3,
            "YYYY-MM-DD",
        ),
        ("[controls.training]\nroster = 42\n", 2, "string"),
        ("[controls.vendors]\nowner = \"x\"\n", 2, "owner"),
        ("\n[controls.pentests]\n", 2, "pentests"),
        ("[controls.audits]\nmax-age-days = -5\n", 2, "at least 1"),
    ] {
        write(dir.path(), "palisade.toml", text);
        palisade()
            .arg("scan")
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("palisade.toml:{line}:")))
            .stderr(predicate::str::contains(needle));
    }
}

#[test]
fn today_must_be_a_date() {
    palisade()
        .args(["scan", "--today", "yesterday", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn the_training_roster_lists_late_people_in_one_finding_and_names_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "palisade.toml",
        "[controls.training]\nroster = \"training.csv\"\n",
    );
    write(
        dir.path(),
        "training.csv",
        "name,email,role,last-completed\n\"Lovelace, Ada\",ada@example.com,dev,2026-06-01\nBob,bob@example.com,dev,2025-01-01\nEve,eve@example.com,ops,\nMallory,m@example.com,ops,soon\n",
    );
    let out = palisade()
        .args([
            "scan",
            "--format",
            "json",
            "--select",
            "controls/training-record",
        ])
        .args(["--today", "2026-12-01"])
        .arg(dir.path())
        .assert()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["location"]["start_line"], 2);
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("2 of 3 people") && message.contains("Bob (2025-01-01), Eve (never)"),
        "{message}"
    );
    let diagnostics = report["diagnostics"].to_string();
    assert!(
        diagnostics.contains("training.csv: row 5: "),
        "{diagnostics}"
    );
}

/// Each part a plan lacks is one finding on the plan as a whole, naming the part; a part
/// whose section is still the template's TODO is a finding at its heading.
#[test]
fn the_incident_response_plan_lacks_parts_and_keeps_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "palisade.toml",
        "[controls.incident-response]\nplan = \"docs/ir.md\"\nlast-review = \"2026-10-01\"\nlast-exercise = \"2026-10-01\"\n\n[rules.\"controls/incident-response-plan-incomplete\".options]\nparts = [\"roles and contacts: role|contact\", \"containment: contain\", \"breach notification: breach|notif\"]\n",
    );
    write(
        dir.path(),
        "docs/ir.md",
        "# Plan\n\n## Roles\n\nTODO\n\n## Containment\n\nIsolate the host.\n",
    );
    let found: Vec<_> = controls_findings(dir.path(), "2026-11-27")
        .into_iter()
        .filter(|f| f.0 == "controls/incident-response-plan-incomplete")
        .collect();
    let rule = "controls/incident-response-plan-incomplete";
    assert_eq!(
        found,
        owned(&[
            (rule, "medium", "docs/ir.md", 0),
            (rule, "medium", "docs/ir.md", 3)
        ]),
    );
    let out = palisade()
        .args([
            "scan",
            "--format",
            "json",
            "--select",
            "controls/incident-response-plan-incomplete",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let whole: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["kind"] == "path")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(whole.len(), 1, "{report}");
    assert!(
        whole[0].contains("has no section on breach notification"),
        "{whole:?}"
    );
}

/// The vendor inventory: overdue assessments and never-assessed vendors of personal data in
/// one finding at the `inventory` line; a malformed row is a notice with its row number.
#[test]
fn the_vendor_inventory_names_overdue_and_unassessed_vendors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "palisade.toml",
        "[controls.vendors]\ninventory = \"security/vendors.csv\"\n",
    );
    write(
        dir.path(),
        "security/vendors.csv",
        "vendor,service,data,last-assessment\nStripe,payments,card data,2025-04-01\nMailer,newsletter,customer emails,\nPlausible,analytics,none,\nBroken,row\n",
    );
    let out = palisade()
        .args([
            "scan",
            "--format",
            "json",
            "--select",
            "controls/vendor-record",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(message.contains("Stripe (2025-04-01)"), "{message}");
    assert!(
        message.contains("Mailer (newsletter: customer emails)"),
        "{message}"
    );
    assert!(!message.contains("Plausible"), "{message}");
    assert_eq!(findings[0]["location"]["start_line"], 2);
    let notices = report["diagnostics"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{report}");
    assert!(
        notices[0]["message"]
            .as_str()
            .unwrap()
            .contains("security/vendors.csv: row 5: 2 fields"),
        "{report}"
    );
}
