//! `caching_sha2_password` (MySQL 8's default authentication) against a scripted protocol
//! peer on 127.0.0.1: no MySQL 8 server can be installed here, and Debian's MariaDB 10.11 has
//! no server-side caching_sha2_password plugin. The peer speaks the documented exchange —
//! greeting, optional SSLRequest and TLS, handshake response, then fast-auth success (0x01
//! 0x03) or a full-authentication request (0x01 0x04) — and checks what the client sends.

mod common;

use palisade_live::mysql::proto::{Conn, ConnectOptions};
use ring::digest::{SHA256, digest};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

const NONCE: [u8; 20] = *b"0123456789abcdefghij";
const PASSWORD: &str = "s3cret-pw";

fn write_packet(s: &mut impl Write, seq: u8, payload: &[u8]) {
    let len = (payload.len() as u32).to_le_bytes();
    let mut buf = vec![len[0], len[1], len[2], seq];
    buf.extend_from_slice(payload);
    s.write_all(&buf).unwrap();
    s.flush().unwrap();
}

/// `None` when the client closed the connection.
fn read_packet(s: &mut impl Read) -> Option<(u8, Vec<u8>)> {
    let mut header = [0u8; 4];
    s.read_exact(&mut header).ok()?;
    let len = u32::from_le_bytes([header[0], header[1], header[2], 0]) as usize;
    let mut payload = vec![0; len];
    s.read_exact(&mut payload).ok()?;
    Some((header[3], payload))
}

fn greeting(plugin: &str, tls: bool) -> Vec<u8> {
    let caps: u32 = 0x1 | 0x200 | 0x8000 | 0x80000 | if tls { 0x800 } else { 0 };
    let mut p = vec![10];
    p.extend_from_slice(b"8.0.36\0");
    p.extend_from_slice(&7u32.to_le_bytes());
    p.extend_from_slice(&NONCE[..8]);
    p.push(0);
    p.extend_from_slice(&caps.to_le_bytes()[..2]);
    p.push(255); // utf8mb4_0900_ai_ci
    p.extend_from_slice(&[2, 0]);
    p.extend_from_slice(&caps.to_le_bytes()[2..]);
    p.push(21);
    p.extend_from_slice(&[0; 10]);
    p.extend_from_slice(&NONCE[8..]);
    p.push(0);
    p.extend_from_slice(plugin.as_bytes());
    p.push(0);
    p
}

/// The auth data of a HandshakeResponse41.
fn auth_data(response: &[u8]) -> Vec<u8> {
    let rest = &response[32..];
    let user_end = rest.iter().position(|&b| b == 0).unwrap();
    let rest = &rest[user_end + 1..];
    let len = rest[0] as usize;
    rest[1..1 + len].to_vec()
}

/// SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) || nonce), what a server checks in fast auth.
fn sha2_scramble(password: &str) -> Vec<u8> {
    let h1 = digest(&SHA256, password.as_bytes());
    let h2 = digest(&SHA256, h1.as_ref());
    let mut both = h2.as_ref().to_vec();
    both.extend_from_slice(&NONCE);
    let h3 = digest(&SHA256, &both);
    h1.as_ref()
        .iter()
        .zip(h3.as_ref())
        .map(|(a, b)| a ^ b)
        .collect()
}

const OK: &[u8] = &[0, 0, 0, 2, 0, 0, 0];

fn access_denied() -> Vec<u8> {
    let mut p = vec![0xFF, 0x15, 0x04];
    p.extend_from_slice(b"#28000Access denied for user 'app'@'127.0.0.1'");
    p
}

/// How the peer ends the authentication.
#[derive(Clone, Copy, PartialEq)]
enum Script {
    /// Greets with caching_sha2_password; fast auth succeeds if the scramble is right.
    Fast,
    /// Greets with mysql_native_password, switches to caching_sha2_password, fast auth.
    SwitchThenFast,
    /// Asks for full authentication (the account is not in the server's cache).
    Full,
}

/// Starts the peer; the thread returns the cleartext password it was sent, if any.
fn peer(
    script: Script,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> (u16, JoinHandle<Option<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut tcp, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let plugin = if script == Script::SwitchThenFast {
            "mysql_native_password"
        } else {
            "caching_sha2_password"
        };
        write_packet(&mut tcp, 0, &greeting(plugin, tls.is_some()));
        match tls {
            Some(config) => {
                let (seq, ssl_request) = read_packet(&mut tcp).unwrap();
                assert_eq!((seq, ssl_request.len()), (1, 32), "an SSLRequest first");
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut stream = rustls::StreamOwned::new(conn, tcp);
                authenticate(&mut stream, script, 2)
            }
            None => authenticate(&mut tcp, script, 1),
        }
    });
    (port, handle)
}

fn authenticate<S: Read + Write>(s: &mut S, script: Script, first_seq: u8) -> Option<Vec<u8>> {
    let (seq, response) = read_packet(s)?;
    assert_eq!(seq, first_seq);
    let mut seq = seq + 1;
    let mut auth = auth_data(&response);
    if script == Script::SwitchThenFast {
        assert_eq!(auth.len(), 20, "a native-password scramble first");
        let mut switch = vec![0xFE];
        switch.extend_from_slice(b"caching_sha2_password\0");
        switch.extend_from_slice(&NONCE);
        switch.push(0);
        write_packet(s, seq, &switch);
        let (n, data) = read_packet(s)?;
        seq = n + 1;
        auth = data;
    }
    match script {
        Script::Fast | Script::SwitchThenFast => {
            if auth == sha2_scramble(PASSWORD) {
                write_packet(s, seq, &[0x01, 0x03]);
                write_packet(s, seq + 1, OK);
            } else {
                write_packet(s, seq, &access_denied());
            }
            None
        }
        Script::Full => {
            write_packet(s, seq, &[0x01, 0x04]);
            let (n, clear) = read_packet(s)?;
            if clear == [PASSWORD.as_bytes(), b"\0"].concat() {
                write_packet(s, n + 1, OK);
            } else {
                write_packet(s, n + 1, &access_denied());
            }
            Some(clear)
        }
    }
}

fn connect(port: u16, password: &str, ca: Option<&Path>) -> Result<Conn, String> {
    let roots = Arc::new(palisade_live::tls::roots(ca).unwrap());
    Conn::connect(&ConnectOptions {
        host: "127.0.0.1",
        port,
        socket: None,
        user: "app",
        password,
        timeout: Duration::from_secs(3),
        require_tls: false,
        roots,
    })
    .map_err(|e| e.0)
}

#[test]
fn fast_auth_succeeds_with_the_right_scramble_and_fails_with_a_wrong_one() {
    let (port, peer_done) = peer(Script::Fast, None);
    let conn = connect(port, PASSWORD, None).expect("fast auth");
    assert_eq!(conn.hello.version, "8.0.36");
    conn.quit();
    assert_eq!(peer_done.join().unwrap(), None);

    let (port, peer_done) = peer(Script::Fast, None);
    let error = connect(port, "wrong", None).err().expect("refused");
    assert!(error.contains("Access denied"), "{error}");
    peer_done.join().unwrap();
}

#[test]
fn auth_switch_to_caching_sha2_password() {
    let (port, peer_done) = peer(Script::SwitchThenFast, None);
    connect(port, PASSWORD, None)
        .expect("switch, then fast auth")
        .quit();
    peer_done.join().unwrap();
}

#[test]
fn full_auth_over_plain_tcp_is_refused_without_sending_the_password() {
    let (port, peer_done) = peer(Script::Full, None);
    let error = connect(port, PASSWORD, None).err().expect("refused");
    assert!(
        error.contains("RSA") && error.contains("password was not sent"),
        "{error}"
    );
    assert_eq!(peer_done.join().unwrap(), None, "nothing after 0x01 0x04");
}

#[test]
fn full_auth_over_tls_sends_the_cleartext_password() {
    let dir = tempfile::tempdir().unwrap();
    common::make_certs(dir.path(), &["127.0.0.1"], (2099, 1, 1));
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir.path().join("server.pem"))
            .unwrap()
            .map(|c| c.unwrap())
            .collect();
    let key = PrivateKeyDer::from_pem_file(dir.path().join("server.key")).unwrap();
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
    let (port, peer_done) = peer(Script::Full, Some(config));
    let conn =
        connect(port, PASSWORD, Some(&dir.path().join("ca.pem"))).expect("full auth over TLS");
    assert!(conn.tls.is_some());
    conn.quit();
    assert_eq!(
        peer_done.join().unwrap(),
        Some([PASSWORD.as_bytes(), b"\0"].concat())
    );
}
