//! A MariaDB server for the tests: started on 127.0.0.1 with a throwaway data folder, TLS
//! from a test CA, and accounts and settings with known hazards; stopped when dropped.
//! Shared by palisade-live's tests and the palisade command-line tests (which include this
//! folder with `#[path]`). Skipped with a message when mariadbd is not installed
//! (`.ci/test` installs Debian's mariadb-server; under `CI` a missing server fails).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The auditing account's password (`auditor`@`127.0.0.1` and @`localhost`).
pub const AUDITOR_PASSWORD: &str = "audit-pw-1";

pub struct Server {
    child: Child,
    pub dir: tempfile::TempDir,
    pub port: u16,
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
pub fn start() -> Option<Server> {
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
    super::make_certs(dir.path(), &["127.0.0.1", "localhost"], (2099, 1, 1));
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
    let port = super::free_port();
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
