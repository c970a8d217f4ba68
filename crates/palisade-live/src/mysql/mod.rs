//! `palisade mysql mysql://user@host:port`: a read-only audit of a MySQL or MariaDB server
//! (SELECT and SHOW only) — transport, accounts, privileges (global, dynamic, per schema and
//! table, through roles), server variables. `?socket=/path` connects through a Unix socket.
//!
//! The auditing account needs `SELECT` on the `mysql` schema (for `mysql.user` and for
//! `SHOW GRANTS FOR` other accounts) and may read `SHOW VARIABLES` and `SHOW DATABASES` (with
//! `SHOW DATABASES` privilege to see every schema).

pub mod audit;
pub mod grants;
pub mod proto;

use std::time::Duration;

/// A `mysql://user@host:port` target, parsed. A password in the URL is refused: it would sit
/// in the shell history and the process list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MysqlTarget {
    pub user: String,
    pub host: String,
    pub port: u16,
    /// A Unix socket to connect through instead of TCP (`?socket=/path`, or `--socket`).
    pub socket: Option<std::path::PathBuf>,
}

impl MysqlTarget {
    pub fn parse(url: &str) -> Result<MysqlTarget, String> {
        let rest = url
            .strip_prefix("mysql://")
            .or_else(|| url.strip_prefix("mariadb://"))
            .ok_or_else(|| format!("`{url}` is not a mysql://user@host:port URL"))?;
        // `?socket=/run/mysqld/mysqld.sock`: the only query parameter understood.
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let mut socket = None;
        for pair in query.into_iter().flat_map(|q| q.split('&')) {
            match pair.split_once('=') {
                Some(("socket", path)) if percent_decode(path).starts_with('/') => {
                    socket = Some(std::path::PathBuf::from(percent_decode(path)))
                }
                Some(("socket", _)) => {
                    return Err(format!(
                        "`{url}`: the socket must be an absolute path (?socket=/run/mysqld/mysqld.sock)"
                    ));
                }
                _ => {
                    return Err(format!(
                        "`{url}`: unknown parameter `{pair}` (only ?socket=/path is understood)"
                    ));
                }
            }
        }
        let rest = rest.trim_end_matches('/');
        let (userinfo, hostport) = rest
            .rsplit_once('@')
            .ok_or_else(|| format!("`{url}`: name the user (mysql://user@host:port)"))?;
        if userinfo.contains(':') {
            return Err(
                "a password in the URL is not accepted (it would show in the process list): use MYSQL_PWD or --password-file"
                    .to_string(),
            );
        }
        if userinfo.is_empty() {
            return Err(format!("`{url}`: name the user (mysql://user@host:port)"));
        }
        let (host, port) = if socket.is_some() && hostport.is_empty() {
            ("localhost".to_string(), 3306)
        } else {
            palisade_core::http_url::split_host_port(hostport, 3306)?
        };
        Ok(MysqlTarget {
            user: userinfo.to_string(),
            host,
            port,
            socket,
        })
    }

    /// How findings name the target.
    pub fn display(&self) -> String {
        if let Some(socket) = &self.socket {
            return format!(
                "mysql://{}@{}?socket={}",
                self.user,
                self.host,
                socket
                    .display()
                    .to_string()
                    .replace('%', "%25")
                    .replace('&', "%26")
                    .replace('?', "%3F")
                    .replace('#', "%23")
            );
        }
        if self.host.contains(':') {
            format!("mysql://{}@[{}]:{}", self.user, self.host, self.port)
        } else {
            format!("mysql://{}@{}:{}", self.user, self.host, self.port)
        }
    }
}

/// `%2F` and the like in a socket path.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The settings of a database audit.
#[derive(Clone, Debug)]
pub struct MysqlSettings {
    pub password: String,
    pub require_tls: bool,
    pub timeout: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = MysqlTarget::parse("mysql://audit@db.internal:3307").unwrap();
        assert_eq!(
            (t.user.as_str(), t.host.as_str(), t.port),
            ("audit", "db.internal", 3307)
        );
        assert_eq!(MysqlTarget::parse("mysql://a@h").unwrap().port, 3306);
        assert!(MysqlTarget::parse("mysql://a:secret@h").is_err());
        assert!(MysqlTarget::parse("mysql://h:1").is_err());
        let s =
            MysqlTarget::parse("mysql://audit@localhost?socket=/run/mysqld/mysqld.sock").unwrap();
        assert_eq!(
            s.socket.as_deref(),
            Some(std::path::Path::new("/run/mysqld/mysqld.sock"))
        );
        assert_eq!(
            s.display(),
            "mysql://audit@localhost?socket=/run/mysqld/mysqld.sock"
        );
        assert_eq!(
            MysqlTarget::parse("mysql://audit@/?socket=%2Ftmp%2Fm.sock")
                .unwrap()
                .socket
                .unwrap(),
            std::path::Path::new("/tmp/m.sock")
        );
        assert!(MysqlTarget::parse("mysql://a@h?socket=relative.sock").is_err());
        assert!(MysqlTarget::parse("mysql://a@h?ssl=true").is_err());
        assert_eq!(
            MysqlTarget::parse("mysql://a@[::1]:3306")
                .unwrap()
                .display(),
            "mysql://a@[::1]:3306"
        );
    }
}
