//! The database audit against a real MariaDB server started by the test on 127.0.0.1 with a
//! throwaway data folder: accounts and settings with known hazards, one audit, the exact
//! findings. Skipped with a message when mariadbd is not installed (`.ci/test` installs
//! Debian's mariadb-server; under `CI` a missing server fails).

mod common;

use palisade_live::LiveSettings;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tool(name: &str) -> Option<PathBuf> {
    palisade_fixtures::find_tool(&[name]).or_else(|| {
        ["/usr/sbin", "/usr/bin", "/usr/local/sbin"]
            .iter()
            .map(|d| Path::new(d).join(name))
            .find(|p| p.is_file())
    })
}

fn whoami() -> String {
    let out = Command::new("id").arg("-un").output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Installs a data folder and starts mariadbd with TLS (test CA), LOCAL INFILE on and an
/// empty secure_file_priv; `None` (with a message) when MariaDB is not installed.
fn start() -> Option<Server> {
    let (Some(install), Some(server)) = (tool("mariadb-install-db"), tool("mariadbd")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "mariadbd is required in CI (see .ci/test)"
        );
        eprintln!("mariadbd / mariadb-install-db not installed: the MariaDB audit test is skipped");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::make_certs(dir.path(), &["127.0.0.1", "localhost"], (2099, 1, 1));
    let user = whoami();
    let out = Command::new(&install)
        .args([
            "--no-defaults",
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
        ])
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--user={user}"))
        .output()
        .expect("mariadb-install-db runs");
    assert!(
        out.status.success(),
        "mariadb-install-db failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = common::free_port();
    let socket = dir.path().join("mysqld.sock");
    let child = Command::new(&server)
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--socket={}", socket.display()))
        .arg(format!(
            "--pid-file={}",
            dir.path().join("mysqld.pid").display()
        ))
        .arg(format!(
            "--log-error={}",
            dir.path().join("error.log").display()
        ))
        .arg(format!("--port={port}"))
        .arg(format!("--user={user}"))
        .args([
            "--bind-address=127.0.0.1",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=8M",
            "--local-infile=1",
            "--secure-file-priv=",
            "--tls-version=TLSv1.1,TLSv1.2,TLSv1.3",
        ])
        .arg(format!("--ssl-ca={}", dir.path().join("ca.pem").display()))
        .arg(format!(
            "--ssl-cert={}",
            dir.path().join("server.pem").display()
        ))
        .arg(format!(
            "--ssl-key={}",
            dir.path().join("server.key").display()
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("mariadbd starts");
    let server = Server { child, dir, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !socket.exists() || std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "mariadbd did not start: {}",
            std::fs::read_to_string(server.dir.path().join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Accounts with known hazards, and an auditing account, set up over the socket as the
    // data folder's owner (unix_socket authentication).
    let client = tool("mariadb").expect("the mariadb client is installed with the server");
    let setup = "
        CREATE USER 'auditor'@'127.0.0.1' IDENTIFIED BY 'audit-pw-1';
        GRANT SELECT ON mysql.* TO 'auditor'@'127.0.0.1';
        GRANT SHOW DATABASES ON *.* TO 'auditor'@'127.0.0.1';
        CREATE USER 'auditor'@'localhost' IDENTIFIED BY 'audit-pw-1';
        GRANT SELECT ON mysql.* TO 'auditor'@'localhost';
        GRANT SHOW DATABASES ON *.* TO 'auditor'@'localhost';
        CREATE USER 'nopass'@'localhost';
        CREATE USER ''@'localhost';
        CREATE USER 'root'@'%' IDENTIFIED BY 'remote-root-pw';
        CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw';
        GRANT ALL PRIVILEGES ON *.* TO 'app'@'%' WITH GRANT OPTION;
        CREATE USER 'ops'@'10.0.0.5' IDENTIFIED BY 'ops-pw' REQUIRE SSL;
        GRANT PROCESS, FILE ON *.* TO 'ops'@'10.0.0.5';
        CREATE USER 'reader'@'10.0.0.6' IDENTIFIED BY 'reader-pw' REQUIRE SSL;
        CREATE DATABASE shop;
        GRANT SELECT ON shop.* TO 'reader'@'10.0.0.6';
        CREATE USER 'legacy'@'localhost' IDENTIFIED VIA mysql_old_password USING '7c786c222596437b';
        CREATE DATABASE test;
        CREATE USER 'meddler'@'10.0.0.7' IDENTIFIED BY 'meddler-pw' REQUIRE SSL;
        GRANT SELECT, UPDATE ON mysql.* TO 'meddler'@'10.0.0.7';
        CREATE ROLE dba_role;
        GRANT BINLOG ADMIN, CONNECTION ADMIN, BINLOG MONITOR ON *.* TO dba_role;
        CREATE USER 'bob'@'10.0.0.8' IDENTIFIED BY 'bob-pw' REQUIRE SSL;
        GRANT dba_role TO 'bob'@'10.0.0.8';
        SET DEFAULT ROLE dba_role FOR 'bob'@'10.0.0.8';
        CREATE ROLE writer_role;
        CREATE ROLE nested_role;
        GRANT UPDATE ON mysql.global_priv TO nested_role;
        GRANT nested_role TO writer_role;
        CREATE USER 'carol'@'10.0.0.9' IDENTIFIED BY 'carol-pw' REQUIRE SSL;
        GRANT writer_role TO 'carol'@'10.0.0.9';
        CREATE USER 'shop'@'10.0.0.10' IDENTIFIED BY 'shop-pw' REQUIRE SSL;
        GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER ON shop.* TO 'shop'@'10.0.0.10';
        CREATE USER 'monitor'@'10.0.0.11' IDENTIFIED BY 'monitor-pw' REQUIRE SSL;
        GRANT BINLOG MONITOR, SLAVE MONITOR ON *.* TO 'monitor'@'10.0.0.11';
    ";
    let out = Command::new(client)
        .args(["--no-defaults", "-u", &user])
        .arg(format!("--socket={}", socket.display()))
        .args(["-e", setup])
        .output()
        .expect("mariadb client runs");
    assert!(
        out.status.success(),
        "setting up the accounts failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(server)
}

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
