//! Helpers for rules about transport: splitting a URL written in source into its parts, and
//! telling loopback, cluster-internal and public hosts apart.
//!
//! URLs may come from f-strings, so `{…}` parts are kept as written and a host that contains
//! one is reported as unknown.

use std::ops::Range;

/// The parts of a URL, as byte ranges into the text it was parsed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts {
    /// Lowercased scheme (`http`, `mysql+pymysql`, `postgresql`).
    pub scheme: String,
    /// The host as written (without brackets for IPv6), lowercased.
    pub host: String,
    /// Where the host is in the text.
    pub host_range: Range<usize>,
    /// Where the password of `user:password@` is in the text, if there is one.
    pub password: Option<Range<usize>>,
    /// The query string after `?`, without the `?`.
    pub query: String,
}

impl UrlParts {
    /// The value of query parameter `name`, if present (`?sslmode=require` → `require`).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            key.eq_ignore_ascii_case(name).then_some(value)
        })
    }
}

/// Parses `scheme://[user[:password]@]host[:port][/path][?query]`. `None` when `text` does
/// not start with a scheme followed by `://`.
pub fn parse_url(text: &str) -> Option<UrlParts> {
    let (scheme, rest) = text.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let authority_start = scheme.len() + 3;
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let query = rest[authority_len..]
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default();

    // The userinfo ends at the last `@` of the authority (passwords may contain `@`).
    let (password, host_part, host_offset) = match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            let password = userinfo
                .find(':')
                .map(|colon| authority_start + colon + 1..authority_start + at);
            (password, &authority[at + 1..], authority_start + at + 1)
        }
        None => (None, authority, authority_start),
    };
    let (host, host_start) = if let Some(inner) = host_part.strip_prefix('[') {
        let end = inner.find(']').unwrap_or(inner.len());
        (&inner[..end], host_offset + 1)
    } else if host_part.starts_with('{') {
        // `{host}:{port}`: the whole interpolation is the host.
        let end = host_part.find('}').map_or(host_part.len(), |i| i + 1);
        (&host_part[..end], host_offset)
    } else {
        let end = host_part.rfind(':').unwrap_or(host_part.len());
        (&host_part[..end], host_offset)
    };
    Some(UrlParts {
        scheme: scheme.to_ascii_lowercase(),
        host: host.to_ascii_lowercase(),
        host_range: host_start..host_start + host.len(),
        password,
        query,
    })
}

/// Where a host is, as far as its name tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// This machine (`localhost`, `127.0.0.1`, `::1`), the any-address `0.0.0.0`, a Unix
    /// socket path, or an endpoint that only exists in plaintext on the local link (the cloud
    /// metadata service at `169.254.169.254` / `metadata.google.internal`).
    Local,
    /// A name or address that only resolves inside a private network: a single-label name
    /// (`db`, `payments:8080` — a Docker Compose or Kubernetes service), a cluster or private
    /// domain (`.svc`, `.cluster.local`, `.internal`, `.local`, `.lan`, `.corp`,
    /// `.home.arpa`, `.consul`), or a private IP address.
    Internal,
    /// Anything else: a public name or address.
    Public,
    /// Not known from the source (an interpolation, an empty host).
    Unknown,
}

const INTERNAL_SUFFIXES: &[&str] = &[
    ".svc",
    ".cluster.local",
    ".internal",
    ".local",
    ".localdomain",
    ".lan",
    ".intranet",
    ".corp",
    ".home.arpa",
    ".consul",
];

/// Classifies a host name or address (lowercase, without port or brackets).
pub fn host_kind(host: &str) -> HostKind {
    let host = host.trim_end_matches('.');
    if host.is_empty() || host.contains('{') || host.contains('%') {
        return HostKind::Unknown;
    }
    if host.starts_with('/') {
        return HostKind::Local;
    }
    if host == "localhost"
        || host.ends_with(".localhost")
        || host == "0.0.0.0"
        || host == "::"
        || host == "::1"
        || host == "host.docker.internal"
        || host == "metadata.google.internal"
        || host == "metadata"
    {
        return HostKind::Local;
    }
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        return if ip.is_loopback() || ip.is_unspecified() || ip.is_link_local() {
            HostKind::Local
        } else if ip.is_private() || (ip.octets()[0] == 100 && (ip.octets()[1] & 0xc0) == 64) {
            HostKind::Internal
        } else {
            HostKind::Public
        };
    }
    if let Ok(ip) = host.parse::<std::net::Ipv6Addr>() {
        let first = ip.segments()[0];
        return if ip.is_loopback() || ip.is_unspecified() || (first & 0xffc0) == 0xfe80 {
            HostKind::Local
        } else if (first & 0xfe00) == 0xfc00 {
            HostKind::Internal
        } else {
            HostKind::Public
        };
    }
    if !host.contains('.') {
        return HostKind::Internal;
    }
    if INTERNAL_SUFFIXES.iter().any(|s| host.ends_with(s)) {
        return HostKind::Internal;
    }
    HostKind::Public
}

/// Whether `host` is on a user's allow list: an entry equal to it, or an entry starting with
/// `.` that it ends with (`.corp.example.com`).
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|entry| {
        let entry = entry.trim().to_ascii_lowercase();
        if entry.is_empty() {
            return false;
        }
        if entry.starts_with('.') {
            host.ends_with(&entry) || host == &entry[1..]
        } else {
            host == entry
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_database_urls_with_passwords() {
        let text = "mysql+pymysql://shop:p@ss:w0rd@db.example.com:3306/shop?charset=utf8mb4";
        let url = parse_url(text).unwrap();
        assert_eq!(url.scheme, "mysql+pymysql");
        assert_eq!(url.host, "db.example.com");
        assert_eq!(&text[url.password.clone().unwrap()], "p@ss:w0rd");
        assert_eq!(&text[url.host_range.clone()], "db.example.com");
        assert_eq!(url.query_param("charset"), Some("utf8mb4"));
    }

    #[test]
    fn parses_hosts_of_every_shape() {
        assert_eq!(parse_url("http://[::1]:8000/x").unwrap().host, "::1");
        assert_eq!(parse_url("http://{host}:{port}/x").unwrap().host, "{host}");
        assert_eq!(
            parse_url("HTTP://Api.Example.com").unwrap().host,
            "api.example.com"
        );
        assert!(parse_url("no scheme here").is_none());
        assert!(parse_url("://x").is_none());
    }

    #[test]
    fn classifies_hosts() {
        assert_eq!(host_kind("localhost"), HostKind::Local);
        assert_eq!(host_kind("127.0.0.1"), HostKind::Local);
        assert_eq!(host_kind("169.254.169.254"), HostKind::Local);
        assert_eq!(host_kind("/var/run/mysqld/mysqld.sock"), HostKind::Local);
        assert_eq!(host_kind("db"), HostKind::Internal);
        assert_eq!(host_kind("10.0.3.12"), HostKind::Internal);
        assert_eq!(
            host_kind("payments.shop.svc.cluster.local"),
            HostKind::Internal
        );
        assert_eq!(host_kind("api.example.com"), HostKind::Public);
        assert_eq!(host_kind("{host}"), HostKind::Unknown);
        assert!(host_allowed(
            "db.corp.example.com",
            &[".corp.example.com".into()]
        ));
        assert!(!host_allowed(
            "evil-corp.example.com",
            &[".corp.example.com".into()]
        ));
    }
}
