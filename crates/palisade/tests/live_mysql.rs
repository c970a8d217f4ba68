//! `palisade mysql --matrix` end to end: the binary against a real MariaDB server started on
//! 127.0.0.1 by palisade-live's test helper (accounts with known hazards), in text and JSON.
//! Skipped with a message when mariadbd is not installed; under `CI` a missing server fails.

#[path = "../../palisade-live/tests/common/mod.rs"]
mod common;

use assert_cmd::Command;
use common::mariadb::{AUDITOR_PASSWORD, start};

/// The matrix row of `account`: its cells, one word each, after the account's name.
fn row(matrix: &str, account: &str) -> Option<String> {
    matrix.lines().find(|l| l.starts_with(account)).map(|l| {
        l[account.len()..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[test]
fn mysql_matrix_in_text_and_json() {
    let Some(server) = start() else { return };
    let target = format!("mysql://auditor@127.0.0.1:{}", server.port);
    let ca = server.dir.path().join("ca.pem");
    // An empty folder as the working directory: no palisade.toml of the workspace applies.
    let cwd = tempfile::tempdir().unwrap();
    let password_file = cwd.path().join("password");
    std::fs::write(&password_file, format!("{AUDITOR_PASSWORD}\n")).unwrap();
    let matrix = |format: &str| {
        let out = Command::cargo_bin("palisade")
            .unwrap()
            .env("PALISADE_NO_CACHE", "1")
            .current_dir(cwd.path())
            .env_remove("MYSQL_PWD")
            .args([
                "mysql",
                &target,
                "--matrix",
                "--format",
                format,
                "--ca-file",
            ])
            .arg(&ca)
            .arg("--password-file")
            .arg(&password_file)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
        assert!(!stdout.contains(AUDITOR_PASSWORD) && !stderr.contains(AUDITOR_PASSWORD));
        stdout
    };

    // Text: a title line with the target and the server's version, a header, one row per
    // account; `x` held directly, `r` through a role, `.` not held.
    let text = matrix("text");
    let mut lines = text.lines();
    let title = lines.next().unwrap();
    assert!(
        title.starts_with(&format!("{target} (")) && title.contains("MariaDB"),
        "{text}"
    );
    // Columns are separated by two spaces (a privilege's name may hold one).
    let header: Vec<&str> = lines
        .next()
        .unwrap()
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        header,
        [
            "account",
            "ALL PRIVILEGES",
            "SUPER",
            "FILE",
            "PROCESS",
            "SHUTDOWN",
            "CREATE USER",
            "DYNAMIC ADMIN",
            "GRANT OPTION",
            "roles"
        ],
        "{text}"
    );
    assert_eq!(
        row(&text, "'app'@'%'").as_deref(),
        Some("x x x x x x x x -"),
        "{text}"
    );
    assert_eq!(
        row(&text, "'ops'@'10.0.0.5'").as_deref(),
        Some(". . x x . . . . -"),
        "{text}"
    );
    assert_eq!(
        row(&text, "'bob'@'10.0.0.8'").as_deref(),
        Some(". . . . . . r . dba_role (default)"),
        "{text}"
    );
    assert_eq!(
        row(&text, "'reader'@'10.0.0.6'").as_deref(),
        Some(". . . . . . . . -"),
        "{text}"
    );
    // Roles and the server's internal accounts are not rows.
    assert!(row(&text, "'dba_role'").is_none(), "{text}");
    assert!(!text.contains("mariadb.sys"), "{text}");
    // The matrix replaces the findings.
    assert!(!text.contains("mysql-server/"), "{text}");

    // JSON: one object per server, the same accounts.
    let json: serde_json::Value = serde_json::from_str(&matrix("json")).unwrap();
    let servers = json.as_array().unwrap();
    assert_eq!(servers.len(), 1, "{json}");
    assert_eq!(servers[0]["target"], target.as_str());
    assert!(
        servers[0]["version"].as_str().unwrap().contains("MariaDB"),
        "{json}"
    );
    let accounts = servers[0]["accounts"].as_array().unwrap();
    let account = |name: &str| {
        accounts
            .iter()
            .find(|a| a["account"] == name)
            .unwrap_or_else(|| panic!("no {name} in {json}"))
    };
    let app = account("'app'@'%'");
    assert_eq!(app["user"], "app");
    assert_eq!(app["host"], "%");
    // JSON names the privileges as granted (ALL PRIVILEGES covers the others, which the
    // text matrix marks one by one).
    assert_eq!(
        app["privileges"],
        serde_json::json!(["ALL PRIVILEGES", "GRANT OPTION"])
    );
    assert_eq!(app["through_roles"], serde_json::json!([]));
    assert_eq!(
        account("'ops'@'10.0.0.5'")["privileges"],
        serde_json::json!(["FILE", "PROCESS"])
    );
    let bob = account("'bob'@'10.0.0.8'");
    assert_eq!(
        bob["privileges"],
        serde_json::json!(["BINLOG ADMIN", "CONNECTION ADMIN"])
    );
    assert_eq!(bob["roles"], serde_json::json!(["dba_role (default)"]));
    assert_eq!(
        bob["through_roles"],
        serde_json::json!([
            { "privilege": "BINLOG ADMIN", "role": "dba_role" },
            { "privilege": "CONNECTION ADMIN", "role": "dba_role" }
        ])
    );
    assert_eq!(
        account("'reader'@'10.0.0.6'")["privileges"],
        serde_json::json!([])
    );
    assert!(accounts.iter().all(|a| a["user"] != "dba_role"), "{json}");
}
