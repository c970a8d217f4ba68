//! A small HTTP/1.1 client for the two network uses of this crate, both asked for by the
//! user: `palisade db update` (downloads of OSV exports) and `scan --online` (the OSV API).
//! Every request needs the engine's [`Online`] capability. Plain HTTP (loopback test
//! servers, mirrors) or HTTPS through rustls with the webpki roots; bounded everywhere:
//! connect/read/write timeouts, 64 KiB of headers, a size limit on every body, retries with
//! back-off on connection failures, 429 and 5xx answers, at most five redirects.

use palisade_core::engine::Online;
pub use palisade_core::http_url::Url;
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const MAX_HEADER_BYTES: usize = 64 * 1024;
const MAX_REDIRECTS: usize = 5;

/// The connection, plain or TLS.
enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// One answer: the status, the headers (names lower-cased) and the body, not yet read.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    body: Box<dyn Read + Send>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The whole body, refused beyond `limit` bytes.
    pub fn body(self, limit: u64) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        self.copy_body(&mut out, limit)?;
        Ok(out)
    }

    /// Copies the body into `sink`, refused beyond `limit` bytes; returns its length.
    pub fn copy_body(mut self, sink: &mut dyn Write, limit: u64) -> Result<u64, String> {
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = match self.body.read(&mut buf) {
                Ok(0) => return Ok(total),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("reading the answer: {e}")),
            };
            total += n as u64;
            if total > limit {
                return Err(format!("the answer is larger than {limit} bytes"));
            }
            sink.write_all(&buf[..n])
                .map_err(|e| format!("writing the answer: {e}"))?;
        }
    }
}

/// A body sent with `Transfer-Encoding: chunked`, decoded.
struct Chunked<R> {
    inner: R,
    left_in_chunk: u64,
    done: bool,
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        if self.left_in_chunk == 0 {
            let mut line = String::new();
            (&mut self.inner).take(1024).read_line(&mut line)?;
            let size = line.trim().split(';').next().unwrap_or("").trim();
            self.left_in_chunk = u64::from_str_radix(size, 16).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "bad chunk size")
            })?;
            if self.left_in_chunk == 0 {
                self.done = true;
                return Ok(0);
            }
        }
        let want = buf.len().min(self.left_in_chunk as usize);
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.left_in_chunk -= n as u64;
        if self.left_in_chunk == 0 {
            let mut crlf = String::new();
            (&mut self.inner).take(2).read_line(&mut crlf)?;
        }
        Ok(n)
    }
}

/// A body without a length: everything until the server closes. A TLS peer that closes
/// without `close_notify` ends it too (the server promised no length to check against).
struct UntilClose<R>(R);

impl<R: Read> Read for UntilClose<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(0),
            other => other,
        }
    }
}

/// How requests are made: timeouts and retries.
pub struct Client {
    pub timeout: Duration,
    /// How many times a failed request is tried again (connection failures, 429, 5xx).
    pub retries: u32,
    /// The pause before the first retry; it doubles each time.
    pub backoff: Duration,
    tls: OnceLock<Result<Arc<ClientConfig>, String>>,
}

impl Client {
    pub fn new(timeout: Duration, retries: u32) -> Client {
        Client {
            timeout,
            retries,
            backoff: Duration::from_millis(500),
            tls: OnceLock::new(),
        }
    }

    fn tls_config(&self) -> Result<Arc<ClientConfig>, String> {
        self.tls
            .get_or_init(|| {
                let mut roots = RootCertStore::empty();
                roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
                let provider = Arc::new(rustls::crypto::ring::default_provider());
                let config = ClientConfig::builder_with_provider(provider)
                    .with_safe_default_protocol_versions()
                    .map_err(|e| format!("TLS configuration: {e}"))?
                    .with_root_certificates(roots)
                    .with_no_client_auth();
                Ok(Arc::new(config))
            })
            .clone()
    }

    /// A GET, following redirects, with retries.
    pub fn get(&self, online: Online, url: &str) -> Result<Response, String> {
        self.call(online, "GET", url, None)
    }

    /// A POST of a JSON body, with retries (the OSV API's queries change nothing, so
    /// sending one again is harmless).
    pub fn post_json(&self, online: Online, url: &str, body: &[u8]) -> Result<Response, String> {
        self.call(online, "POST", url, Some(body))
    }

    fn call(
        &self,
        online: Online,
        method: &str,
        url: &str,
        body: Option<&[u8]>,
    ) -> Result<Response, String> {
        let mut url = Url::parse(url)?;
        let mut redirects = 0;
        let mut attempt = 0;
        loop {
            let outcome = self.once(online, method, &url, body);
            let retry_after = match &outcome {
                Ok(r) if matches!(r.status, 301 | 302 | 303 | 307 | 308) && method == "GET" => {
                    let location = r
                        .header("location")
                        .ok_or_else(|| format!("{url}: redirect without a Location"))?;
                    redirects += 1;
                    if redirects > MAX_REDIRECTS {
                        return Err(format!("{url}: more than {MAX_REDIRECTS} redirects"));
                    }
                    url = url.join(location)?;
                    continue;
                }
                Ok(r) if r.status == 429 || r.status >= 500 => {
                    // A server that says when to come back is believed, within reason.
                    r.header("retry-after")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(|s| Duration::from_secs(s.min(30)))
                }
                Ok(_) => return outcome,
                Err(_) => None,
            };
            if attempt >= self.retries {
                return match outcome {
                    Ok(r) => Err(format!("{url}: the server answered HTTP {}", r.status)),
                    Err(e) => Err(e),
                };
            }
            let pause = retry_after.unwrap_or(self.backoff * 2u32.saturating_pow(attempt));
            std::thread::sleep(pause);
            attempt += 1;
        }
    }

    fn connect(&self, url: &Url) -> Result<Stream, String> {
        let addrs: Vec<_> = (url.host.as_str(), url.port)
            .to_socket_addrs()
            .map_err(|e| format!("{}: cannot resolve the host: {e}", url.host))?
            .collect();
        let mut last = format!("{}: no address", url.host);
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, self.timeout) {
                Ok(tcp) => {
                    let _ = tcp.set_read_timeout(Some(self.timeout));
                    let _ = tcp.set_write_timeout(Some(self.timeout));
                    if !url.https {
                        return Ok(Stream::Plain(tcp));
                    }
                    let name = ServerName::try_from(url.host.clone())
                        .map_err(|_| format!("`{}` is not a valid host name", url.host))?;
                    let connection = ClientConnection::new(self.tls_config()?, name)
                        .map_err(|e| format!("{}: TLS: {e}", url.host))?;
                    return Ok(Stream::Tls(Box::new(StreamOwned::new(connection, tcp))));
                }
                Err(e) => last = format!("{}:{}: cannot connect: {e}", url.host, url.port),
            }
        }
        Err(last)
    }

    fn once(
        &self,
        _online: Online,
        method: &str,
        url: &Url,
        body: Option<&[u8]>,
    ) -> Result<Response, String> {
        let mut stream = self.connect(url)?;
        let mut head = format!(
            "{method} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: palisade/{}\r\nAccept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n",
            url.path,
            url.authority(),
            env!("CARGO_PKG_VERSION"),
        );
        if let Some(body) = body {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        let sent = stream
            .write_all(head.as_bytes())
            .and_then(|_| stream.write_all(body.unwrap_or_default()))
            .and_then(|_| stream.flush());
        sent.map_err(|e| format!("{url}: sending the request: {e}"))?;
        let mut reader = BufReader::new(stream);
        let (status, headers) = read_head(&mut reader).map_err(|e| format!("{url}: {e}"))?;
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let body: Box<dyn Read + Send> = if header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
        {
            Box::new(Chunked {
                inner: reader,
                left_in_chunk: 0,
                done: false,
            })
        } else if let Some(length) = header("content-length") {
            let length: u64 = length
                .trim()
                .parse()
                .map_err(|_| format!("{url}: bad Content-Length `{length}`"))?;
            Box::new(reader.take(length))
        } else {
            Box::new(UntilClose(reader))
        };
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// The status line and the headers, up to the blank line.
fn read_head(reader: &mut impl BufRead) -> Result<(u16, Vec<(String, String)>), String> {
    let mut total = 0usize;
    let mut line = String::new();
    let mut next_line = |line: &mut String| -> Result<(), String> {
        line.clear();
        let n = reader
            .take((MAX_HEADER_BYTES - total) as u64)
            .read_line(line)
            .map_err(|e| format!("reading the answer: {e}"))?;
        total += n;
        if n == 0 || total >= MAX_HEADER_BYTES {
            return Err("the answer ended or grew too large before its headers did".into());
        }
        Ok(())
    };
    next_line(&mut line)?;
    let status = line
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| format!("not an HTTP answer: `{}`", line.trim_end()))?;
    let mut headers = Vec::new();
    loop {
        next_line(&mut line)?;
        let text = line.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    Ok((status, headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let u = Url::parse("https://api.osv.dev/v1/querybatch").unwrap();
        assert_eq!(
            (u.https, u.port, u.path.as_str()),
            (true, 443, "/v1/querybatch")
        );
        let u = Url::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("127.0.0.1", 8080, "/")
        );
        let u = Url::parse("http://[::1]:9/x?y#z").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("::1", 9, "/x?y")
        );
        assert_eq!(u.to_string(), "http://[::1]:9/x?y");
        assert!(Url::parse("ftp://x").is_err());
        assert!(Url::parse("http://user:pw@x/").is_err());
        assert!(Url::parse("http://x:notaport/").is_err());
    }

    #[test]
    fn chunked_bodies_and_heads() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: b\r\n\r\n4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\n\r\n";
        let mut reader = BufReader::new(&raw[..]);
        let (status, headers) = read_head(&mut reader).unwrap();
        assert_eq!(status, 200);
        assert_eq!(headers[1], ("x-a".to_string(), "b".to_string()));
        let mut body = String::new();
        Chunked {
            inner: reader,
            left_in_chunk: 0,
            done: false,
        }
        .read_to_string(&mut body)
        .unwrap();
        assert_eq!(body, "abcdefg");
        assert!(read_head(&mut BufReader::new(&b"SSH-2.0\r\n\r\n"[..])).is_err());
        assert!(read_head(&mut BufReader::new(&b"HTTP/1.1 200 OK\r\nX: y"[..])).is_err());
    }
}
