//! The MySQL/MariaDB client protocol, as much as a read-only audit needs: the v10 handshake,
//! TLS upgrade (SSLRequest), `mysql_native_password` and `caching_sha2_password`
//! authentication (with auth switch), and `COM_QUERY` with text result sets. Every length
//! read from the server is bounded; nothing the server sends may panic.

use crate::tls;
use rustls::{ClientConnection, StreamOwned};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

const CLIENT_LONG_PASSWORD: u32 = 0x1;
const CLIENT_LONG_FLAG: u32 = 0x4;
const CLIENT_PROTOCOL_41: u32 = 0x200;
const CLIENT_SSL: u32 = 0x800;
const CLIENT_TRANSACTIONS: u32 = 0x2000;
const CLIENT_SECURE_CONNECTION: u32 = 0x8000;
const CLIENT_MULTI_RESULTS: u32 = 0x20000;
const CLIENT_PLUGIN_AUTH: u32 = 0x80000;
/// Largest packet the audit accepts (a result row of `SHOW GRANTS` is far smaller).
const MAX_PAYLOAD: usize = 16 << 20;
const UTF8MB4_GENERAL_CI: u8 = 45;

/// Why a connection or a query failed, as the user reads it.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, Error> {
    Err(Error(msg.into()))
}

enum Stream {
    Plain(TcpStream),
    #[cfg(unix)]
    Unix(std::os::unix::net::UnixStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
    /// Only while switching from one to the other.
    None,
}

impl Stream {
    fn is_unix(&self) -> bool {
        #[cfg(unix)]
        if let Stream::Unix(_) = self {
            return true;
        }
        false
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            #[cfg(unix)]
            Stream::Unix(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
            Stream::None => Ok(0),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            #[cfg(unix)]
            Stream::Unix(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
            Stream::None => Ok(0),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            #[cfg(unix)]
            Stream::Unix(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
            Stream::None => Ok(()),
        }
    }
}

/// What the server's handshake said about itself.
#[derive(Clone, Debug, Default)]
pub struct ServerHello {
    pub version: String,
    pub capabilities: u32,
    pub offers_tls: bool,
}

/// The TLS part of a connection, when it was used.
#[derive(Clone, Debug)]
pub struct TlsInfo {
    pub protocol: String,
    pub verification: tls::Verification,
}

/// How to connect.
pub struct ConnectOptions<'a> {
    pub host: &'a str,
    pub port: u16,
    /// Connect through this Unix socket instead of TCP. The socket is local and trusted
    /// as the servers treat it: TLS is not negotiated over it, and `require_tls` does not
    /// apply (MySQL's `require_secure_transport` accepts socket connections too).
    pub socket: Option<&'a std::path::Path>,
    pub user: &'a str,
    pub password: &'a str,
    pub timeout: Duration,
    /// Fail instead of continuing in clear when the server offers no TLS.
    pub require_tls: bool,
    pub roots: Arc<rustls::RootCertStore>,
}

/// An authenticated session.
pub struct Conn {
    stream: Stream,
    seq: u8,
    pub hello: ServerHello,
    pub tls: Option<TlsInfo>,
}

/// A text result set: column names and rows (`None` is SQL NULL).
#[derive(Clone, Debug, Default)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl ResultSet {
    /// The index of a column, case-insensitively.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
    }
}

impl Conn {
    pub fn connect(options: &ConnectOptions<'_>) -> Result<Conn, Error> {
        let stream = match options.socket {
            Some(path) => Self::open_socket(path, options.timeout)?,
            None => Stream::Plain(Self::open_tcp(options)?),
        };
        let mut conn = Conn {
            stream,
            seq: 0,
            hello: ServerHello::default(),
            tls: None,
        };
        conn.handshake(options)?;
        Ok(conn)
    }

    #[cfg(unix)]
    fn open_socket(path: &std::path::Path, timeout: Duration) -> Result<Stream, Error> {
        let s = std::os::unix::net::UnixStream::connect(path).map_err(|e| {
            Error(format!(
                "cannot connect to the socket {}: {e}",
                path.display()
            ))
        })?;
        let _ = s.set_read_timeout(Some(timeout));
        let _ = s.set_write_timeout(Some(timeout));
        Ok(Stream::Unix(s))
    }

    #[cfg(not(unix))]
    fn open_socket(path: &std::path::Path, _: Duration) -> Result<Stream, Error> {
        err(format!(
            "{}: Unix sockets are not supported on this platform",
            path.display()
        ))
    }

    fn open_tcp(options: &ConnectOptions<'_>) -> Result<TcpStream, Error> {
        let addrs: Vec<_> = match (options.host, options.port).to_socket_addrs() {
            Ok(a) => a.collect(),
            Err(e) => return err(format!("cannot resolve `{}`: {e}", options.host)),
        };
        if addrs.is_empty() {
            return err(format!("`{}` resolves to no address", options.host));
        }
        let mut last = None;
        let mut tcp = None;
        for addr in &addrs {
            match TcpStream::connect_timeout(addr, options.timeout) {
                Ok(s) => {
                    tcp = Some(s);
                    break;
                }
                Err(e) => last = Some(e.to_string()),
            }
        }
        let Some(tcp) = tcp else {
            return err(format!(
                "cannot connect to {}:{}: {}",
                options.host,
                options.port,
                last.unwrap_or_default()
            ));
        };
        let _ = tcp.set_read_timeout(Some(options.timeout));
        let _ = tcp.set_write_timeout(Some(options.timeout));
        let _ = tcp.set_nodelay(true);
        Ok(tcp)
    }

    /// The greeting, the TLS upgrade and authentication.
    fn handshake(&mut self, options: &ConnectOptions<'_>) -> Result<(), Error> {
        let conn = self;
        let over_socket = options.socket.is_some();
        let greeting = conn.read_packet()?;
        let (hello, scramble, plugin) = parse_handshake(&greeting)?;
        conn.hello = hello;
        let mut caps = CLIENT_LONG_PASSWORD
            | CLIENT_LONG_FLAG
            | CLIENT_PROTOCOL_41
            | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION
            | CLIENT_MULTI_RESULTS
            | CLIENT_PLUGIN_AUTH;
        if conn.hello.offers_tls && !over_socket {
            caps |= CLIENT_SSL;
            let mut req = Vec::with_capacity(32);
            req.extend_from_slice(&caps.to_le_bytes());
            req.extend_from_slice(&(MAX_PAYLOAD as u32).to_le_bytes());
            req.push(UTF8MB4_GENERAL_CI);
            req.extend_from_slice(&[0; 23]);
            conn.write_packet(&req)?;
            conn.start_tls(options)?;
        } else if options.require_tls && !over_socket {
            return err(format!(
                "{}:{} offers no TLS and --require-tls is set: the password was not sent",
                options.host, options.port
            ));
        }
        let auth = scramble_for(&plugin, options.password, &scramble);
        let mut resp = Vec::with_capacity(64 + options.user.len());
        resp.extend_from_slice(&caps.to_le_bytes());
        resp.extend_from_slice(&(MAX_PAYLOAD as u32).to_le_bytes());
        resp.push(UTF8MB4_GENERAL_CI);
        resp.extend_from_slice(&[0; 23]);
        resp.extend_from_slice(options.user.as_bytes());
        resp.push(0);
        resp.push(auth.len() as u8);
        resp.extend_from_slice(&auth);
        resp.extend_from_slice(plugin.as_bytes());
        resp.push(0);
        conn.write_packet(&resp)?;
        conn.finish_auth(options.password, plugin, scramble)
    }

    fn start_tls(&mut self, options: &ConnectOptions<'_>) -> Result<(), Error> {
        let (config, seen) = tls::client_config(options.roots.clone(), false).map_err(Error)?;
        let name = tls::server_name(options.host).map_err(Error)?;
        let client = ClientConnection::new(config, name).map_err(|e| Error(format!("TLS: {e}")))?;
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::None) else {
            return err("TLS started twice");
        };
        let mut tls_stream = StreamOwned::new(client, tcp);
        while tls_stream.conn.is_handshaking() {
            tls_stream
                .conn
                .complete_io(&mut tls_stream.sock)
                .map_err(|e| Error(format!("TLS handshake with {}: {e}", options.host)))?;
        }
        let verification = seen.lock().map(|v| v.clone()).unwrap_or_default();
        if let Some(problem) = &verification.error {
            // Never send the password to a server whose certificate does not verify.
            return err(format!(
                "the server's TLS certificate is not trusted ({problem}); pass --ca-file with the CA that signed it. The password was not sent"
            ));
        }
        let protocol = tls_stream
            .conn
            .protocol_version()
            .map(|v| format!("{v:?}"))
            .unwrap_or_default();
        self.stream = Stream::Tls(Box::new(tls_stream));
        self.tls = Some(TlsInfo {
            protocol,
            verification,
        });
        Ok(())
    }

    fn finish_auth(
        &mut self,
        password: &str,
        mut plugin: String,
        mut scramble: Vec<u8>,
    ) -> Result<(), Error> {
        for _ in 0..4 {
            let packet = self.read_packet()?;
            match packet.first() {
                Some(0x00) => return Ok(()),
                Some(0xFF) => return Err(server_error(&packet, "authentication failed")),
                Some(0xFE) => {
                    // Auth switch: plugin name, then its data.
                    let rest = &packet[1..];
                    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
                    plugin = String::from_utf8_lossy(&rest[..end]).into_owned();
                    let mut data = rest.get(end + 1..).unwrap_or_default().to_vec();
                    if data.last() == Some(&0) {
                        data.pop();
                    }
                    scramble = data;
                    if !matches!(
                        plugin.as_str(),
                        "mysql_native_password" | "caching_sha2_password"
                    ) {
                        return err(format!(
                            "the server asks for the `{plugin}` authentication plugin, which palisade does not speak (it speaks mysql_native_password and caching_sha2_password)"
                        ));
                    }
                    let auth = scramble_for(&plugin, password, &scramble);
                    self.write_packet(&auth)?;
                }
                Some(0x01) if plugin == "caching_sha2_password" => match packet.get(1) {
                    Some(0x03) => continue, // fast auth succeeded; OK follows
                    Some(0x04) => {
                        // Full authentication sends the password itself: only over TLS or
                        // a local socket. Over plain TCP the server would offer its RSA key;
                        // palisade does not implement that exchange and refuses instead.
                        let secure = self.tls.is_some() || self.stream.is_unix();
                        if !secure {
                            return err(
                                "caching_sha2_password asks for a full authentication, which palisade does only over TLS or a Unix socket (it does not implement the RSA key exchange for plain TCP): enable TLS on the server, or connect through its socket. The password was not sent",
                            );
                        }
                        let mut clear = password.as_bytes().to_vec();
                        clear.push(0);
                        self.write_packet(&clear)?;
                    }
                    _ => return err("unexpected caching_sha2_password answer"),
                },
                _ => return err("unexpected answer during authentication"),
            }
        }
        let _ = scramble;
        err("authentication did not finish")
    }

    /// Runs one statement and reads its text result set (empty for statements without one).
    pub fn query(&mut self, sql: &str) -> Result<ResultSet, Error> {
        self.seq = 0;
        let mut payload = Vec::with_capacity(sql.len() + 1);
        payload.push(0x03);
        payload.extend_from_slice(sql.as_bytes());
        self.write_packet(&payload)?;
        let first = self.read_packet()?;
        match first.first() {
            Some(0x00) => return Ok(ResultSet::default()),
            Some(0xFF) => return Err(server_error(&first, sql)),
            _ => {}
        }
        let mut pos = 0;
        let count = lenenc_int(&first, &mut pos).ok_or_else(|| Error("bad column count".into()))?;
        if count > 4096 {
            return err("implausible column count");
        }
        let mut columns = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let def = self.read_packet()?;
            let mut p = 0;
            // catalog, schema, table, org_table, name
            let mut name = String::new();
            for i in 0..5 {
                let s = lenenc_str(&def, &mut p).ok_or_else(|| Error("bad column".into()))?;
                if i == 4 {
                    name = String::from_utf8_lossy(s).into_owned();
                }
            }
            columns.push(name);
        }
        let eof = self.read_packet()?;
        if !is_eof(&eof) {
            return err("expected the end of the column definitions");
        }
        let mut rows = Vec::new();
        loop {
            let packet = self.read_packet()?;
            if is_eof(&packet) {
                break;
            }
            if packet.first() == Some(&0xFF) {
                return Err(server_error(&packet, sql));
            }
            let mut p = 0;
            let mut row = Vec::with_capacity(columns.len());
            for _ in 0..columns.len() {
                if packet.get(p) == Some(&0xFB) {
                    p += 1;
                    row.push(None);
                } else {
                    let s = lenenc_str(&packet, &mut p).ok_or_else(|| Error("bad row".into()))?;
                    row.push(Some(String::from_utf8_lossy(s).into_owned()));
                }
            }
            rows.push(row);
            if rows.len() > 1_000_000 {
                return err("result too large");
            }
        }
        Ok(ResultSet { columns, rows })
    }

    /// Says goodbye (COM_QUIT); errors are irrelevant at that point.
    pub fn quit(mut self) {
        self.seq = 0;
        let _ = self.write_packet(&[0x01]);
    }

    fn read_packet(&mut self) -> Result<Vec<u8>, Error> {
        let mut payload = Vec::new();
        loop {
            let mut header = [0u8; 4];
            self.stream
                .read_exact(&mut header)
                .map_err(|e| io_error(e, "reading from the server"))?;
            let len = u32::from_le_bytes([header[0], header[1], header[2], 0]) as usize;
            self.seq = header[3].wrapping_add(1);
            if payload.len() + len > MAX_PAYLOAD {
                return err("the server sent a packet larger than 16 MiB");
            }
            let start = payload.len();
            payload.resize(start + len, 0);
            self.stream
                .read_exact(&mut payload[start..])
                .map_err(|e| io_error(e, "reading from the server"))?;
            if len < 0xFF_FFFF {
                return Ok(payload);
            }
        }
    }

    fn write_packet(&mut self, payload: &[u8]) -> Result<(), Error> {
        let len = payload.len() as u32;
        let mut buf = Vec::with_capacity(payload.len() + 4);
        buf.extend_from_slice(&len.to_le_bytes()[..3]);
        buf.push(self.seq);
        buf.extend_from_slice(payload);
        self.seq = self.seq.wrapping_add(1);
        self.stream
            .write_all(&buf)
            .and_then(|_| self.stream.flush())
            .map_err(|e| io_error(e, "writing to the server"))
    }
}

fn io_error(e: std::io::Error, what: &str) -> Error {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
            Error(format!("timed out {what}"))
        }
        std::io::ErrorKind::UnexpectedEof => Error(format!(
            "the server closed the connection while {what} (is it a MySQL server?)"
        )),
        _ => Error(format!("{what}: {e}")),
    }
}

fn is_eof(packet: &[u8]) -> bool {
    packet.first() == Some(&0xFE) && packet.len() < 9
}

fn server_error(packet: &[u8], context: &str) -> Error {
    let code = packet
        .get(1..3)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .unwrap_or(0);
    let mut msg = packet.get(3..).unwrap_or_default();
    if msg.first() == Some(&b'#') {
        msg = msg.get(6..).unwrap_or_default();
    }
    Error(format!(
        "{context}: server error {code}: {}",
        String::from_utf8_lossy(msg)
    ))
}

fn parse_handshake(p: &[u8]) -> Result<(ServerHello, Vec<u8>, String), Error> {
    match p.first() {
        Some(10) => {}
        Some(0xFF) => return Err(server_error(p, "the server refused the connection")),
        _ => {
            return err(
                "the server's greeting is not a MySQL v10 handshake (is it a MySQL server?)",
            );
        }
    }
    let rest = &p[1..];
    let vend = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or_else(|| Error("truncated handshake".into()))?;
    let version = String::from_utf8_lossy(&rest[..vend]).into_owned();
    let mut pos = 1 + vend + 1 + 4; // version, NUL, connection id
    let part1 = p
        .get(pos..pos + 8)
        .ok_or_else(|| Error("truncated handshake".into()))?
        .to_vec();
    pos += 9; // scramble part 1, filler
    let cap_low = p
        .get(pos..pos + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]) as u32)
        .ok_or_else(|| Error("truncated handshake".into()))?;
    pos += 2;
    let mut capabilities = cap_low;
    let mut scramble = part1;
    let mut plugin = "mysql_native_password".to_string();
    if p.len() > pos + 16 {
        pos += 1 + 2; // charset, status
        let cap_high = u16::from_le_bytes([p[pos], p[pos + 1]]) as u32;
        capabilities |= cap_high << 16;
        pos += 2;
        let auth_len = p[pos] as usize;
        pos += 1 + 10;
        if capabilities & CLIENT_SECURE_CONNECTION != 0 {
            let n = auth_len.saturating_sub(8).max(13);
            if let Some(part2) = p.get(pos..pos + n) {
                let part2 = part2.strip_suffix(&[0]).unwrap_or(part2);
                scramble.extend_from_slice(part2);
            }
            pos += n;
        }
        if capabilities & CLIENT_PLUGIN_AUTH != 0
            && let Some(rest) = p.get(pos..)
        {
            let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let name = String::from_utf8_lossy(&rest[..end]).into_owned();
            if !name.is_empty() {
                plugin = name;
            }
        }
    }
    if !matches!(
        plugin.as_str(),
        "mysql_native_password" | "caching_sha2_password"
    ) {
        // Answer with native password; the server switches if the account needs another.
        plugin = "mysql_native_password".to_string();
    }
    Ok((
        ServerHello {
            version,
            capabilities,
            offers_tls: capabilities & CLIENT_SSL != 0,
        },
        scramble,
        plugin,
    ))
}

fn scramble_for(plugin: &str, password: &str, scramble: &[u8]) -> Vec<u8> {
    use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY as SHA1, SHA256, digest};
    if password.is_empty() {
        return Vec::new();
    }
    let scramble = scramble.get(..20).unwrap_or(scramble);
    match plugin {
        "caching_sha2_password" => {
            // SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce)
            let h1 = digest(&SHA256, password.as_bytes());
            let h2 = digest(&SHA256, h1.as_ref());
            let mut ctx = ring::digest::Context::new(&SHA256);
            ctx.update(h2.as_ref());
            ctx.update(scramble);
            let h3 = ctx.finish();
            h1.as_ref()
                .iter()
                .zip(h3.as_ref())
                .map(|(a, b)| a ^ b)
                .collect()
        }
        _ => {
            // SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw)))
            let h1 = digest(&SHA1, password.as_bytes());
            let h2 = digest(&SHA1, h1.as_ref());
            let mut ctx = ring::digest::Context::new(&SHA1);
            ctx.update(scramble);
            ctx.update(h2.as_ref());
            let h3 = ctx.finish();
            h1.as_ref()
                .iter()
                .zip(h3.as_ref())
                .map(|(a, b)| a ^ b)
                .collect()
        }
    }
}

fn lenenc_int(p: &[u8], pos: &mut usize) -> Option<u64> {
    let first = *p.get(*pos)?;
    *pos += 1;
    let width = match first {
        0..=0xFA => return Some(first as u64),
        0xFC => 2,
        0xFD => 3,
        0xFE => 8,
        _ => return None,
    };
    let bytes = p.get(*pos..*pos + width)?;
    *pos += width;
    let mut v = 0u64;
    for (i, b) in bytes.iter().enumerate() {
        v |= (*b as u64) << (8 * i);
    }
    Some(v)
}

fn lenenc_str<'p>(p: &'p [u8], pos: &mut usize) -> Option<&'p [u8]> {
    let len = usize::try_from(lenenc_int(p, pos)?).ok()?;
    let end = pos.checked_add(len)?;
    let s = p.get(*pos..end)?;
    *pos = end;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_handshakes_are_errors_not_panics() {
        for bytes in [
            &b""[..],
            &[10][..],
            &[10, b'5', 0][..],
            &[10, b'5', 0, 1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0xFF][..],
            &b"HTTP/1.1 400 Bad Request"[..],
            &[0xFF, 0x15, 0x04][..],
        ] {
            let _ = parse_handshake(bytes);
        }
        let mut pos = 0;
        assert_eq!(lenenc_str(&[0xFE, 1], &mut pos), None);
    }

    #[test]
    fn native_password_scramble_is_20_bytes() {
        assert_eq!(
            scramble_for("mysql_native_password", "x", &[7; 20]).len(),
            20
        );
        assert!(scramble_for("mysql_native_password", "", &[7; 20]).is_empty());
    }
}
