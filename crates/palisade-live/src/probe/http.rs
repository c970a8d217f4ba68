//! A minimal HTTP/1.1 client over TCP or rustls: one GET, the status line and the headers
//! (the body is not read). Bounded everywhere: connect, read and write timeouts, an overall
//! deadline, 64 KiB of headers.

use crate::tls::{self, Verification};
pub use palisade_core::http_url::Url;
use rustls::{ClientConnection, RootCertStore, StreamOwned};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The Origin the probe sends to see how CORS answers a foreign site.
pub const PROBE_ORIGIN: &str = "https://palisade-probe.invalid";
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// One response: status and headers (names lower-cased, in order, repeats kept).
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// For HTTPS: what the certificate verification found, and the protocol version.
    pub tls: Option<(Verification, String)>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }
}

/// Sends one GET and reads the status and headers.
pub fn get(url: &Url, roots: &Arc<RootCertStore>, timeout: Duration) -> Result<Response, String> {
    let deadline = Instant::now() + timeout * 3;
    let addrs: Vec<_> = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{}` (DNS): {e}", url.host))?
        .collect();
    if addrs.is_empty() {
        return Err(format!("`{}` resolves to no address", url.host));
    }
    let mut last = String::new();
    let mut tcp = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = format!("connection refused by {addr}")
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                last = format!("no answer from {addr} within {}s", timeout.as_secs())
            }
            Err(e) => last = format!("{addr}: {e}"),
        }
    }
    let tcp = tcp.ok_or_else(|| format!("cannot connect to {}: {last}", url.origin()))?;
    let _ = tcp.set_read_timeout(Some(timeout));
    let _ = tcp.set_write_timeout(Some(timeout));
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: palisade-probe/{}\r\nAccept: text/html,*/*\r\nOrigin: {PROBE_ORIGIN}\r\nConnection: close\r\n\r\n",
        url.path,
        url.authority(),
        env!("CARGO_PKG_VERSION")
    );
    if url.https {
        let (config, seen) = tls::client_config(roots.clone(), true)?;
        let client = ClientConnection::new(config, tls::server_name(&url.host)?)
            .map_err(|e| format!("TLS: {e}"))?;
        let mut stream = StreamOwned::new(client, tcp);
        while stream.conn.is_handshaking() {
            stream.conn.complete_io(&mut stream.sock).map_err(|e| {
                format!(
                    "TLS handshake with {} failed: {} (is it an HTTPS port?)",
                    url.origin(),
                    describe(&e)
                )
            })?;
        }
        let version = stream
            .conn
            .protocol_version()
            .map(|v| format!("{v:?}"))
            .unwrap_or_default();
        let verification = seen.lock().map(|v| v.clone()).unwrap_or_default();
        let mut response = exchange(&mut stream, &request, deadline, url)?;
        response.tls = Some((verification, version));
        Ok(response)
    } else {
        let mut tcp = tcp;
        exchange(&mut tcp, &request, deadline, url)
    }
}

/// The certificates a TLS server sends, also when the handshake then fails (a key rustls
/// refuses to verify a handshake signature with, such as 1024-bit RSA): the verifier has
/// recorded the chain by then. `None` when nothing was received.
pub fn served_chain(
    url: &Url,
    roots: &Arc<RootCertStore>,
    timeout: Duration,
) -> Option<Verification> {
    let addr = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .ok()?
        .next()?;
    let tcp = TcpStream::connect_timeout(&addr, timeout).ok()?;
    let _ = tcp.set_read_timeout(Some(timeout));
    let _ = tcp.set_write_timeout(Some(timeout));
    let (config, seen) = tls::client_config(roots.clone(), true).ok()?;
    let client = ClientConnection::new(config, tls::server_name(&url.host).ok()?).ok()?;
    let mut stream = StreamOwned::new(client, tcp);
    while stream.conn.is_handshaking() {
        if stream.conn.complete_io(&mut stream.sock).is_err() {
            break;
        }
    }
    let seen = seen.lock().ok()?.clone();
    (!seen.chain.is_empty()).then_some(seen)
}

fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
            "no answer in time".to_string()
        }
        _ => e.to_string(),
    }
}

fn exchange<S: Read + Write>(
    stream: &mut S,
    request: &str,
    deadline: Instant,
    url: &Url,
) -> Result<Response, String> {
    stream
        .write_all(request.as_bytes())
        .and_then(|_| stream.flush())
        .map_err(|e| format!("sending the request to {url}: {}", describe(&e)))?;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEADER_BYTES {
            return Err(format!(
                "{url}: the response headers exceed {} KiB",
                MAX_HEADER_BYTES / 1024
            ));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{url}: the response headers did not arrive in time"
            ));
        }
        if buf.len() >= 5 && !buf.starts_with(b"HTTP/") {
            return Err(format!("{url}: the answer is not HTTP"));
        }
        match stream.read(&mut chunk) {
            Ok(0) => {
                return Err(if buf.is_empty() {
                    format!("{url}: the server closed the connection without answering")
                } else if buf.starts_with(b"HTTP/") {
                    format!("{url}: the connection closed inside the response headers")
                } else {
                    format!("{url}: the answer is not HTTP")
                });
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("reading from {url}: {}", describe(&e))),
        }
    };
    parse_head(&buf[..end]).ok_or_else(|| format!("{url}: the answer is not HTTP"))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The status line and headers of a response head (without the blank line).
pub fn parse_head(head: &[u8]) -> Option<Response> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let rest = status_line.strip_prefix("HTTP/1.")?;
    let status: u16 = rest.get(2..5)?.parse().ok()?;
    let mut headers = Vec::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    Some(Response {
        status,
        headers,
        tls: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = Url::parse("https://Shop.Example:8443/a/b?q=1#frag").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("shop.example", 8443, "/a/b?q=1")
        );
        assert_eq!(
            u.join("/login").unwrap().to_string(),
            "https://shop.example:8443/login"
        );
        assert_eq!(u.join("c").unwrap().path, "/a/c");
        assert_eq!(Url::parse("http://h").unwrap().to_string(), "http://h/");
        assert!(Url::parse("ftp://h").is_err());
        assert!(Url::parse("https://user:pw@h/").is_err());
    }

    #[test]
    fn heads() {
        let r = parse_head(
            b"HTTP/1.1 301 Moved\r\nLocation: https://h/\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2",
        )
        .unwrap();
        assert_eq!(r.status, 301);
        assert_eq!(r.all("set-cookie").count(), 2);
        assert!(parse_head(b"SSH-2.0-OpenSSH").is_none());
        assert!(parse_head(b"HTTP/1.1 abc").is_none());
    }
}
