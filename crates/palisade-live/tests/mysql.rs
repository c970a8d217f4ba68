//! The database audit against a real MariaDB server started by the test on 127.0.0.1 with a
//! throwaway data folder: accounts and settings with known hazards, one audit, the exact
//! findings. Skipped with a message when mariadbd is not installed (`.ci/test` installs
//! Debian's mariadb-server; under `CI` a missing server fails).

mod common;

use common::mariadb::start;
use palisade_live::LiveSettings;
use std::time::{Duration, Instant};

#[test]
fn mariadb_audit_reports_each_hazard_and_nothing_else() {
    let Some(server) = start() else { return };
    let target = format!("mysql://auditor@127.0.0.1:{}", server.port);
    let settings = LiveSettings {
        mysql_password: Some("audit-pw-1".to_string()),
        ca_file: Some(server.dir.path().join("ca.pem")),
        ..LiveSettings::default()
    };
    let (report, analyzer) = common::scan_with(std::slice::from_ref(&target), settings);
    let failures = analyzer.failures();
    assert!(failures.is_empty(), "{failures:?}");
    // The grants matrix: one line per account, `x` where it holds the privilege.
    let servers = analyzer.servers();
    let matrix = palisade_live::mysql::audit::matrix_text(&servers[0].1);
    let line = |account: &str| -> String {
        matrix
            .lines()
            .find(|l| l.starts_with(account))
            .map(|l| {
                l[account.len()..]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    };
    assert_eq!(line("'app'@'%'"), "x x x x x x x x -", "{matrix}");
    assert_eq!(line("'ops'@'10.0.0.5'"), ". . x x . . . . -", "{matrix}");
    assert_eq!(line("'reader'@'10.0.0.6'"), ". . . . . . . . -", "{matrix}");
    assert_eq!(
        line("'bob'@'10.0.0.8'"),
        ". . . . . . r . dba_role (default)",
        "{matrix}"
    );
    assert_eq!(
        line("'monitor'@'10.0.0.11'"),
        ". . . . . . . . -",
        "{matrix}"
    );
    assert!(!matrix.contains("mariadb.sys"));
    assert!(
        !matrix.contains("'dba_role'"),
        "roles are not rows: {matrix}"
    );
    let json = palisade_live::mysql::audit::matrix_json(&servers[0].1);
    let bob = json.iter().find(|r| r.user == "bob").unwrap();
    assert_eq!(bob.privileges, ["BINLOG ADMIN", "CONNECTION ADMIN"]);
    assert!(
        bob.through_roles
            .iter()
            .all(|h| h.via.as_deref() == Some("dba_role"))
    );
    let found = common::ids_and_messages(&report);
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    let expected = [
        "mysql-server/anonymous-account",
        "mysql-server/application-ddl-privilege",
        "mysql-server/empty-password",
        "mysql-server/empty-password",
        "mysql-server/global-admin-privilege",
        "mysql-server/global-admin-privilege",
        "mysql-server/global-admin-privilege",
        "mysql-server/global-admin-privilege",
        "mysql-server/global-admin-privilege",
        "mysql-server/insecure-auth-plugin",
        "mysql-server/legacy-tls-version",
        "mysql-server/local-infile-enabled",
        "mysql-server/remote-root",
        "mysql-server/secure-file-priv-empty",
        "mysql-server/secure-transport-not-required",
        "mysql-server/test-database",
        "mysql-server/wildcard-host",
    ];
    assert_eq!(ids, expected, "{found:#?}");
    let message = |id: &str| -> Vec<&str> {
        found
            .iter()
            .filter(|(i, _)| i == id)
            .map(|(_, m)| m.as_str())
            .collect()
    };
    assert_eq!(
        message("mysql-server/empty-password"),
        [
            "''@'localhost' has an empty password",
            "'nopass'@'localhost' has an empty password"
        ]
    );
    assert_eq!(
        message("mysql-server/global-admin-privilege"),
        [
            "'app'@'%' holds ALL PRIVILEGES ON *.* WITH GRANT OPTION",
            "'bob'@'10.0.0.8' holds BINLOG ADMIN, CONNECTION ADMIN ON *.* through role `dba_role`",
            "'carol'@'10.0.0.9' holds UPDATE ON mysql.global_priv through role `writer_role`: it can rewrite every account's credentials and rights",
            "'meddler'@'10.0.0.7' holds SELECT, UPDATE ON mysql.*: it can rewrite every account's credentials and rights",
            "'ops'@'10.0.0.5' holds FILE, PROCESS ON *.*"
        ]
    );
    assert_eq!(
        message("mysql-server/application-ddl-privilege"),
        [
            "'shop'@'10.0.0.10' holds CREATE, DROP, ALTER ON shop.*: the account can change or drop the schema's tables"
        ]
    );
    assert_eq!(
        message("mysql-server/remote-root"),
        ["'root'@'%': root may log in from any host"]
    );
    assert_eq!(
        message("mysql-server/wildcard-host"),
        ["'app'@'%' may connect from any host"]
    );
    assert!(message("mysql-server/insecure-auth-plugin")[0].starts_with("'legacy'@'localhost'"));
    let transport = message("mysql-server/secure-transport-not-required")[0];
    assert!(
        transport.contains("'app'@'%'") && !transport.contains("reader"),
        "{transport}"
    );
    // Every finding names the target, never a password.
    for f in &report.findings {
        assert_eq!(f.location, palisade_core::Place::Target(target.clone()));
        assert!(!f.message.contains("audit-pw"));
    }
    // Fingerprints are distinct: the two empty-password accounts are two findings.
    let mut prints: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), report.findings.len());

    // The same server through its Unix socket, where the auditor is 'auditor'@'localhost':
    // the same account findings, named by the socket target. The socket is secure
    // transport, so --require-tls does not refuse it.
    let socket = server.dir.path().join("mysqld.sock");
    let by_socket = format!("mysql://auditor@localhost?socket={}", socket.display());
    let settings = LiveSettings {
        mysql_password: Some("audit-pw-1".to_string()),
        require_tls: true,
        ..LiveSettings::default()
    };
    let (socket_report, failures) = common::scan(std::slice::from_ref(&by_socket), settings);
    assert!(failures.is_empty(), "{failures:?}");
    let admin = |r: &palisade_core::Report| -> Vec<String> {
        common::ids_and_messages(r)
            .into_iter()
            .filter(|(id, _)| id.ends_with("admin-privilege") || id.ends_with("ddl-privilege"))
            .map(|(_, m)| m)
            .collect()
    };
    assert_eq!(admin(&socket_report), admin(&report));
    for f in &socket_report.findings {
        assert_eq!(f.location, palisade_core::Place::Target(by_socket.clone()));
    }
    // A socket path that does not exist is a clear failure.
    let missing = format!(
        "mysql://auditor@localhost?socket={}",
        server.dir.path().join("absent.sock").display()
    );
    let settings = LiveSettings {
        mysql_password: Some("audit-pw-1".to_string()),
        ..LiveSettings::default()
    };
    let (_, failures) = common::scan(&[missing], settings);
    assert!(
        failures[0].contains("cannot connect to the socket"),
        "{failures:?}"
    );

    // Without the test CA the certificate does not verify: the password is not sent.
    let settings = LiveSettings {
        mysql_password: Some("audit-pw-1".to_string()),
        ..LiveSettings::default()
    };
    let (report, failures) = common::scan(std::slice::from_ref(&target), settings);
    assert!(report.findings.is_empty());
    assert!(
        failures[0].contains("not trusted") && failures[0].contains("password was not sent"),
        "{failures:?}"
    );

    // A wrong password is a clear failure.
    let settings = LiveSettings {
        mysql_password: Some("wrong".to_string()),
        ca_file: Some(server.dir.path().join("ca.pem")),
        ..LiveSettings::default()
    };
    let (_, failures) = common::scan(std::slice::from_ref(&target), settings);
    assert!(failures[0].contains("Access denied"), "{failures:?}");
}

#[test]
fn closed_port_and_non_mysql_answers_are_clear_failures() {
    let port = common::free_port();
    let settings = || LiveSettings {
        mysql_password: Some("x".to_string()),
        timeout: Some(Duration::from_secs(2)),
        ..LiveSettings::default()
    };
    let (_, failures) = common::scan(&[format!("mysql://a@127.0.0.1:{port}")], settings());
    assert!(failures[0].contains("cannot connect"), "{failures:?}");

    // A server that sends garbage, and one that never answers.
    for reply in [Some(&b"HTTP/1.1 400 Bad Request\r\n\r\n"[..]), None] {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                if let Some(bytes) = reply {
                    let _ = std::io::Write::write_all(&mut s, bytes);
                }
                std::thread::sleep(Duration::from_secs(3));
            }
        });
        let started = Instant::now();
        let (_, failures) = common::scan(&[format!("mysql://a@127.0.0.1:{port}")], settings());
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
        handle.join().unwrap();
    }
}
