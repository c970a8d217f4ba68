//! Whether a server still accepts TLS 1.0 or TLS 1.1. rustls never speaks them, so the probe
//! sends a hand-built ClientHello offering exactly one old version and reads the first
//! record of the answer: a ServerHello at that version means it is accepted; an alert, a
//! higher version or a closed connection means it is not. No handshake is completed.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Cipher suites a TLS 1.0/1.1 server would pick from (RSA and ECDHE with AES-CBC, 3DES).
const SUITES: &[u16] = &[0xC014, 0xC013, 0xC00A, 0xC009, 0x0035, 0x002F, 0x000A];

/// The ClientHello record for `version` (0x0301 TLS 1.0, 0x0302 TLS 1.1) naming `host`.
fn client_hello(version: u16, host: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&version.to_be_bytes());
    // 32 bytes of client random: not secret here, nothing is negotiated to completion.
    body.extend((0u8..32).map(|i| i.wrapping_mul(37).wrapping_add(11)));
    body.push(0); // no session id
    body.extend_from_slice(&((SUITES.len() * 2) as u16).to_be_bytes());
    for s in SUITES {
        body.extend_from_slice(&s.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0]); // null compression only
    let mut ext = Vec::new();
    if !host.is_empty() && host.parse::<std::net::IpAddr>().is_err() && host.len() < 256 {
        // server_name
        let name = host.as_bytes();
        ext.extend_from_slice(&[0, 0]);
        ext.extend_from_slice(&((name.len() + 5) as u16).to_be_bytes());
        ext.extend_from_slice(&((name.len() + 3) as u16).to_be_bytes());
        ext.push(0);
        ext.extend_from_slice(&(name.len() as u16).to_be_bytes());
        ext.extend_from_slice(name);
    }
    // supported_groups (secp256r1, secp384r1) and ec_point_formats (uncompressed)
    ext.extend_from_slice(&[0, 10, 0, 6, 0, 4, 0, 23, 0, 24]);
    ext.extend_from_slice(&[0, 11, 0, 2, 1, 0]);
    // renegotiation_info (empty)
    ext.extend_from_slice(&[0xFF, 0x01, 0, 1, 0]);
    body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    body.extend_from_slice(&ext);
    let mut handshake = vec![1];
    handshake.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    handshake.extend_from_slice(&body);
    let mut record = vec![0x16, 0x03, 0x01];
    record.extend_from_slice(&(handshake.len() as u16).to_be_bytes());
    record.extend_from_slice(&handshake);
    record
}

/// Whether the first bytes of an answer are a ServerHello at exactly `version`.
fn accepts(answer: &[u8], version: u16) -> bool {
    // record: type 0x16, version, length; handshake: type 2, length (3), version (2)
    answer.len() >= 11
        && answer[0] == 0x16
        && answer[5] == 2
        && u16::from_be_bytes([answer[9], answer[10]]) == version
}

/// Which of TLS 1.0 and 1.1 the server at `addr` accepts (names as `TLS 1.0`, `TLS 1.1`).
/// A connection that fails counts as not accepted.
pub fn legacy_versions(addr: SocketAddr, host: &str, timeout: Duration) -> Vec<&'static str> {
    let mut accepted = Vec::new();
    for (version, name) in [(0x0301u16, "TLS 1.0"), (0x0302, "TLS 1.1")] {
        let Ok(mut tcp) = TcpStream::connect_timeout(&addr, timeout) else {
            continue;
        };
        let _ = tcp.set_read_timeout(Some(timeout));
        let _ = tcp.set_write_timeout(Some(timeout));
        if tcp.write_all(&client_hello(version, host)).is_err() {
            continue;
        }
        let mut answer = Vec::new();
        let mut buf = [0u8; 64];
        while answer.len() < 11 {
            match tcp.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
        if accepts(&answer, version) {
            accepted.push(name);
        }
    }
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_is_well_formed() {
        let r = client_hello(0x0301, "shop.example");
        assert_eq!(r[0], 0x16);
        assert_eq!(u16::from_be_bytes([r[3], r[4]]) as usize, r.len() - 5);
        assert_eq!(r[5], 1);
        assert_eq!(&r[9..11], &[3, 1]);
        assert!(accepts(&[0x16, 3, 1, 0, 50, 2, 0, 0, 46, 3, 1], 0x0301));
        assert!(!accepts(&[0x15, 3, 1, 0, 2, 2, 70], 0x0301));
        assert!(!accepts(&[0x16, 3, 3, 0, 50, 2, 0, 0, 46, 3, 3], 0x0301));
        assert!(!accepts(&[], 0x0301));
    }
}
