//! The HTTP/TLS probe against servers this test starts on 127.0.0.1: a rustls HTTPS server
//! with certificates made by rcgen at test time, a plain-HTTP server that redirects (or not),
//! and misbehaving servers. Nothing beyond the loopback address is contacted.

mod common;

use palisade_core::date::Date;
use palisade_live::LiveSettings;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn read_head(s: &mut impl Read) {
    let mut buf = Vec::new();
    let mut b = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut b) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&b[..n]),
        }
    }
}

/// An HTTPS server answering every request with `head` (status line and headers).
fn https_server(dir: &Path, head: String) -> u16 {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(dir.join("server.pem"))
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, stream);
            read_head(&mut tls);
            let _ = tls.write_all(format!("{head}\r\nContent-Length: 0\r\n\r\n").as_bytes());
            let _ = tls.flush();
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    port
}

/// A plain TCP server answering every connection with `reply` (after reading a request
/// head when `read` is set), or with nothing when `reply` is `None`.
fn raw_server(reply: Option<Vec<u8>>, read: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            if read {
                read_head(&mut stream);
            }
            match &reply {
                Some(bytes) => {
                    let _ = stream.write_all(bytes);
                }
                None => std::thread::sleep(Duration::from_secs(4)),
            }
        }
    });
    port
}

fn settings(dir: Option<&Path>) -> LiveSettings {
    LiveSettings {
        ca_file: dir.map(|d| d.join("ca.pem")),
        timeout: Some(Duration::from_secs(2)),
        ..LiveSettings::default()
    }
}

fn ids(report: &palisade_core::Report) -> Vec<String> {
    common::ids_and_messages(report)
        .into_iter()
        .map(|(i, _)| i)
        .collect()
}

const WEAK_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nServer: nginx/1.18.0\r\nStrict-Transport-Security: max-age=3600\r\nContent-Security-Policy: script-src 'self' 'unsafe-inline'; object-src 'none'\r\nReferrer-Policy: unsafe-url\r\nSet-Cookie: session=abc123; Path=/\r\nSet-Cookie: prefs=dark; Path=/; Secure; HttpOnly; SameSite=Lax\r\nAccess-Control-Allow-Origin: https://palisade-probe.invalid\r\nAccess-Control-Allow-Credentials: true";

const STRICT_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nServer: nginx\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains\r\nContent-Security-Policy: script-src 'nonce-r4nd0mN0nc3Th4tIsL0ng3nough' 'strict-dynamic'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: strict-origin-when-cross-origin\r\nSet-Cookie: __Host-session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax";

#[test]
fn weak_site_behind_a_redirect_reports_each_header_hazard() {
    let dir = tempfile::tempdir().unwrap();
    common::make_certs(dir.path(), &["127.0.0.1", "localhost"], (2099, 1, 1));
    let tls = https_server(dir.path(), WEAK_HEAD.to_string());
    let plain = raw_server(
        Some(format!("HTTP/1.1 301 Moved Permanently\r\nLocation: https://127.0.0.1:{tls}/\r\nContent-Length: 0\r\n\r\n").into_bytes()),
        true,
    );
    let target = format!("http://127.0.0.1:{plain}/");
    let (report, failures) =
        common::scan(std::slice::from_ref(&target), settings(Some(dir.path())));
    assert!(failures.is_empty(), "{failures:?}");
    let found = common::ids_and_messages(&report);
    let mut kinds = ids(&report);
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "probe/insecure-cookie",
            "probe/missing-content-type-options",
            "probe/missing-frame-protection",
            "probe/missing-hsts",
            "probe/permissive-cors",
            "probe/server-version-disclosure",
            "probe/weak-csp",
            "probe/weak-referrer-policy",
        ],
        "{found:#?}"
    );
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert!(
        messages.contains(&"cookie `session` is set without Secure, HttpOnly, SameSite"),
        "{messages:#?}"
    );
    assert!(
        !messages
            .iter()
            .any(|m| m.contains("prefs") || m.contains("abc123"))
    );
    assert!(
        messages.iter().any(|m| m.contains("unsafe-inline")),
        "{messages:#?}"
    );
    assert!(messages.contains(&"server: nginx/1.18.0"));
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("Strict-Transport-Security max-age=3600 is under one year"))
    );
    let cors = report
        .findings
        .iter()
        .find(|f| f.rule_id == "probe/permissive-cors")
        .unwrap();
    assert_eq!(cors.severity, palisade_core::Severity::High);
    for f in &report.findings {
        assert_eq!(f.location, palisade_core::Place::Target(target.clone()));
    }
}

#[test]
fn strict_site_gives_no_finding_and_plain_http_without_redirect_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    common::make_certs(dir.path(), &["127.0.0.1"], (2099, 1, 1));
    let tls = https_server(dir.path(), STRICT_HEAD.to_string());
    let plain = raw_server(
        Some(
            format!(
                "HTTP/1.1 308 Permanent Redirect\r\nLocation: https://127.0.0.1:{tls}/\r\n\r\n"
            )
            .into_bytes(),
        ),
        true,
    );
    let (report, failures) = common::scan(
        &[format!("http://127.0.0.1:{plain}/")],
        settings(Some(dir.path())),
    );
    assert!(failures.is_empty(), "{failures:?}");
    assert!(
        report.findings.is_empty(),
        "{:#?}",
        common::ids_and_messages(&report)
    );

    // The HTTPS URL itself (port not 443: the plain variant is noted, not guessed).
    let (report, _) = common::scan(
        &[format!("https://127.0.0.1:{tls}/")],
        settings(Some(dir.path())),
    );
    assert!(report.findings.is_empty());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("redirect was not checked"))
    );

    // A plain site that serves content over HTTP.
    let served = raw_server(
        Some(
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Content-Type-Options: nosniff\r\n\r\n"
                .to_vec(),
        ),
        true,
    );
    let (report, _) = common::scan(&[format!("http://127.0.0.1:{served}/")], settings(None));
    assert!(ids(&report).contains(&"probe/no-https-redirect".to_string()));
    assert!(!ids(&report).contains(&"probe/missing-hsts".to_string()));
}

fn date_in(days: i64) -> (i32, u8, u8) {
    let d = Date::from_days_since_epoch(Date::today().days_since_epoch() + days).to_string();
    (
        d[..4].parse().unwrap(),
        d[5..7].parse().unwrap(),
        d[8..10].parse().unwrap(),
    )
}

#[test]
fn certificate_problems() {
    // Expiring in 10 days: a medium warning.
    let dir = tempfile::tempdir().unwrap();
    common::make_certs(dir.path(), &["127.0.0.1"], date_in(10));
    let port = https_server(dir.path(), STRICT_HEAD.to_string());
    let url = format!("https://127.0.0.1:{port}/");
    let (report, _) = common::scan(std::slice::from_ref(&url), settings(Some(dir.path())));
    assert_eq!(ids(&report), ["probe/certificate-expired"]);
    assert_eq!(report.findings[0].severity, palisade_core::Severity::Medium);
    assert!(
        report.findings[0].message.contains("in 10 days")
            || report.findings[0].message.contains("in 9 days")
    );

    // The same server without the test CA: not trusted.
    let (report, _) = common::scan(std::slice::from_ref(&url), settings(None));
    assert!(ids(&report).contains(&"probe/certificate-untrusted".to_string()));

    // Expired.
    let dir = tempfile::tempdir().unwrap();
    common::make_certs(dir.path(), &["127.0.0.1"], date_in(-3));
    let port = https_server(dir.path(), STRICT_HEAD.to_string());
    let (report, _) = common::scan(
        &[format!("https://127.0.0.1:{port}/")],
        settings(Some(dir.path())),
    );
    assert_eq!(ids(&report), ["probe/certificate-expired"]);
    assert_eq!(report.findings[0].severity, palisade_core::Severity::High);

    // Another host's certificate.
    let dir = tempfile::tempdir().unwrap();
    common::make_certs(dir.path(), &["other.example"], (2099, 1, 1));
    let port = https_server(dir.path(), STRICT_HEAD.to_string());
    let (report, _) = common::scan(
        &[format!("https://127.0.0.1:{port}/")],
        settings(Some(dir.path())),
    );
    assert_eq!(ids(&report), ["probe/certificate-hostname-mismatch"]);
}

#[test]
fn bad_targets_are_clear_bounded_failures() {
    let closed = common::free_port();
    let plaintext = raw_server(Some(b"HTTP/1.1 200 OK\r\n\r\n".to_vec()), true);
    let silent = raw_server(None, false);
    let huge = raw_server(
        Some(
            [
                b"HTTP/1.1 200 OK\r\nX-Big: ".to_vec(),
                vec![b'a'; 100_000],
                b"\r\n\r\n".to_vec(),
            ]
            .concat(),
        ),
        true,
    );
    let garbage = raw_server(Some(b"SSH-2.0-OpenSSH_9.2\r\n".to_vec()), false);
    let cases = [
        (format!("http://127.0.0.1:{closed}/"), "refused"),
        (format!("https://127.0.0.1:{plaintext}/"), "TLS handshake"),
        (format!("http://127.0.0.1:{silent}/"), "in time"),
        (format!("http://127.0.0.1:{huge}/"), "exceed 64 KiB"),
        (format!("http://127.0.0.1:{garbage}/"), "not HTTP"),
        ("ftp://127.0.0.1/".to_string(), "not a live target"),
    ];
    for (url, expect) in cases {
        let started = Instant::now();
        let (report, failures) = common::scan(std::slice::from_ref(&url), settings(None));
        assert!(report.findings.is_empty(), "{url}");
        assert_eq!(failures.len(), 1, "{url}: {failures:?}");
        assert!(failures[0].contains(expect), "{url}: {failures:?}");
        assert!(
            started.elapsed() < Duration::from_secs(12),
            "{url} took {:?}",
            started.elapsed()
        );
    }
}

/// TLS 1.0/1.1 acceptance, against `openssl s_server` on 127.0.0.1 allowed down to TLS 1.0
/// (flagged) and with its defaults (not flagged); the rustls servers above never are.
#[test]
fn legacy_tls_versions_are_detected_with_openssl_s_server() {
    let Some(openssl) = palisade_fixtures::find_tool(&["openssl"]) else {
        eprintln!("openssl not installed: the TLS 1.0/1.1 acceptance test is skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    common::make_certs(dir.path(), &["127.0.0.1"], (2099, 1, 1));
    let run = |legacy: bool| {
        let port = common::free_port();
        let mut cmd = std::process::Command::new(&openssl);
        cmd.arg("s_server")
            .arg("-accept")
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(dir.path().join("server.pem"))
            .arg("-key")
            .arg(dir.path().join("server.key"))
            .arg("-www")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if legacy {
            cmd.args(["-min_protocol", "TLSv1", "-cipher", "DEFAULT:@SECLEVEL=0"]);
        }
        let mut child = cmd.spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "openssl s_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let (report, _) = common::scan(
            &[format!("https://127.0.0.1:{port}/")],
            settings(Some(dir.path())),
        );
        let _ = child.kill();
        let _ = child.wait();
        common::ids_and_messages(&report)
            .into_iter()
            .filter(|(id, _)| id == "probe/legacy-tls-version")
            .map(|(_, m)| m)
            .collect::<Vec<_>>()
    };
    let flagged = run(true);
    // Some OpenSSL builds cannot speak TLS 1.0 at all; then nothing can be asserted.
    if flagged.is_empty() {
        eprintln!(
            "this OpenSSL does not accept TLS 1.0/1.1 even at SECLEVEL=0: positive case skipped"
        );
    } else {
        assert_eq!(flagged, ["the server accepts TLS 1.0 and TLS 1.1"]);
    }
    assert!(run(false).is_empty());
}

/// Runs `openssl` with `args` in `dir`, failing the test with its message if it fails.
fn openssl_in(openssl: &Path, dir: &Path, args: &[&str]) {
    let out = std::process::Command::new(openssl)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts `openssl s_server` on 127.0.0.1 at security level 0 (so it serves weak keys and
/// SHA-1 chains) with `cert`, `key` and the extra certificates in `chain`.
fn weak_s_server(
    openssl: &Path,
    dir: &Path,
    cert: &str,
    key: &str,
    chain: &str,
) -> (std::process::Child, u16) {
    let port = common::free_port();
    let child = std::process::Command::new(openssl)
        .current_dir(dir)
        .args(["s_server", "-accept", &format!("127.0.0.1:{port}")])
        .args(["-cert", cert, "-key", key, "-cert_chain", chain, "-www"])
        .args(["-cipher", "DEFAULT:@SECLEVEL=0"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "openssl s_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, port)
}

/// Weak keys and SHA-1 signatures in a served chain, built with `openssl req`/`x509` at test
/// time (rcgen makes neither 1024-bit RSA nor SHA-1): a self-signed SHA-1 root (served, never
/// flagged), an intermediate it signs with SHA-1, and leaves with 1024- and 2048-bit RSA keys.
#[test]
fn weak_certificate_keys_and_signatures_are_flagged_but_not_the_root() {
    let Some(openssl) = palisade_fixtures::find_tool(&["openssl"]) else {
        eprintln!("openssl not installed: the weak-certificate test is skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |line: &str| {
        let args: Vec<&str> = line.split_whitespace().collect();
        openssl_in(&openssl, d, &args)
    };
    std::fs::write(
        d.join("ca.ext"),
        "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n",
    )
    .unwrap();
    std::fs::write(
        d.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    run(
        "req -x509 -newkey rsa:2048 -sha1 -nodes -keyout root.key -out root.pem -days 3650 -subj /CN=legacy-root -addext basicConstraints=critical,CA:TRUE",
    );
    run("req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj /CN=legacy-intermediate");
    run(
        "x509 -req -in int.csr -CA root.pem -CAkey root.key -CAcreateserial -sha1 -days 3650 -out int.pem -extfile ca.ext",
    );
    // Leaf A: 1024-bit RSA, signed by the root with SHA-1.
    run("genrsa -out small.key 1024");
    run("req -new -key small.key -subj /CN=127.0.0.1 -out small.csr");
    run(
        "x509 -req -in small.csr -CA root.pem -CAkey root.key -CAcreateserial -sha1 -days 365 -out small.pem -extfile leaf.ext",
    );
    // Leaf B: 2048-bit RSA signed with SHA-256 by the SHA-1-signed intermediate.
    run("req -newkey rsa:2048 -nodes -keyout good.key -out good.csr -subj /CN=127.0.0.1");
    run(
        "x509 -req -in good.csr -CA int.pem -CAkey int.key -CAcreateserial -sha256 -days 365 -out good.pem -extfile leaf.ext",
    );
    let chain = [
        std::fs::read_to_string(d.join("int.pem")).unwrap(),
        std::fs::read_to_string(d.join("root.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(d.join("chain.pem"), chain).unwrap();
    let settings = || LiveSettings {
        ca_file: Some(d.join("root.pem")),
        timeout: Some(Duration::from_secs(2)),
        ..LiveSettings::default()
    };
    let weak = |report: &palisade_core::Report| -> Vec<String> {
        common::ids_and_messages(report)
            .into_iter()
            .filter(|(id, _)| id.starts_with("probe/certificate-weak"))
            .map(|(id, m)| format!("{id}: {m}"))
            .collect()
    };

    // A: rustls refuses the handshake with a 1024-bit key; the served chain is still judged.
    let (mut child, port) = weak_s_server(&openssl, d, "small.pem", "small.key", "root.pem");
    let (report, failures) = common::scan(&[format!("https://127.0.0.1:{port}/")], settings());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(
        weak(&report),
        [
            "probe/certificate-weak-key: the leaf certificate has a 1024-bit RSA key (at least 2048-bit RSA or 256-bit EC expected)",
            "probe/certificate-weak-signature: the leaf certificate is signed with sha1WithRSAEncryption, a broken digest",
        ]
    );

    // B: the handshake succeeds; only the intermediate's SHA-1 signature is weak, and the
    // served self-signed SHA-1 root is not judged.
    let (mut child, port) = weak_s_server(&openssl, d, "good.pem", "good.key", "chain.pem");
    let (report, failures) = common::scan(&[format!("https://127.0.0.1:{port}/")], settings());
    let _ = child.kill();
    let _ = child.wait();
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(
        weak(&report),
        [
            "probe/certificate-weak-signature: the served intermediate `legacy-intermediate` is signed with sha1WithRSAEncryption, a broken digest"
        ]
    );
}
