//! URLs and hosts: splitting a URL written in source or configuration into its parts, and
//! telling where a host is — this machine, the local link, a private network or cluster, a
//! reserved example domain, or the public Internet.
//!
//! URLs may come from f-strings or templates, so `{…}` parts are kept as written and a host
//! that contains one is reported as unknown.

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

/// Where a host is, finely: what its name or address alone tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostClass {
    /// Not known from the text: empty, or holding an interpolation (`{host}`, `%(host)s`).
    Unknown,
    /// A Unix socket path (`/var/run/mysqld/mysqld.sock`).
    UnixSocket,
    /// This machine: `localhost`, `*.localhost`, `127.0.0.0/8`, `::1`, and Docker's
    /// `host.docker.internal`.
    Loopback,
    /// The any-address: `0.0.0.0`, `::`.
    Unspecified,
    /// The local link: `169.254.0.0/16`, `fe80::/10`, and the cloud metadata service's names
    /// (`metadata.google.internal`, `metadata`).
    LinkLocal,
    /// A private address: `10/8`, `172.16/12`, `192.168/16`, carrier-grade NAT `100.64/10`,
    /// unique-local `fc00::/7`.
    Private,
    /// A Kubernetes service name: `*.svc`, `*.svc.cluster.local`, `*.cluster.local`.
    ClusterInternal,
    /// A domain that only resolves inside a private network: `.internal`, `.local`,
    /// `.localdomain`, `.lan`, `.intranet`, `.corp`, `.home.arpa`, `.consul`.
    PrivateDomain,
    /// A name without a dot (`db`, `payments`): a Docker Compose or Kubernetes service, or a
    /// host on the local search domain.
    SingleLabel,
    /// A domain reserved for documentation and tests (RFC 2606, RFC 6761): `example.com`,
    /// `example.org`, `example.net` and their subdomains, `*.example`, `*.test`,
    /// `*.invalid`.
    Reserved,
    /// Anything else: a public name or address.
    Public,
}

/// Where a host is, coarsely, for rules that ask whether traffic leaves the machine or the
/// private network.
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
    /// Anything else: a public name or address. Reserved example domains count as public:
    /// in code they stand for the real public host that will replace them.
    Public,
    /// Not known from the source (an interpolation, an empty host).
    Unknown,
}

impl HostClass {
    /// The coarse kind of this class.
    pub fn kind(self) -> HostKind {
        match self {
            HostClass::Unknown => HostKind::Unknown,
            HostClass::UnixSocket
            | HostClass::Loopback
            | HostClass::Unspecified
            | HostClass::LinkLocal => HostKind::Local,
            HostClass::Private
            | HostClass::ClusterInternal
            | HostClass::PrivateDomain
            | HostClass::SingleLabel => HostKind::Internal,
            HostClass::Reserved | HostClass::Public => HostKind::Public,
        }
    }
}

const CLUSTER_SUFFIXES: &[&str] = &[".svc", ".cluster.local"];

const PRIVATE_DOMAIN_SUFFIXES: &[&str] = &[
    ".internal",
    ".local",
    ".localdomain",
    ".lan",
    ".intranet",
    ".corp",
    ".home.arpa",
    ".consul",
];

const RESERVED_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];
const RESERVED_SUFFIXES: &[&str] = &[".example", ".test", ".invalid"];

fn is_domain_or_subdomain(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// Classifies a host name or address (case-insensitive; without port; brackets around an
/// IPv6 address are allowed).
pub fn host_class(host: &str) -> HostClass {
    let host = host.trim().trim_end_matches('.');
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.is_empty() || host.contains('{') || host.contains('%') {
        return HostClass::Unknown;
    }
    if host.starts_with('/') {
        return HostClass::UnixSocket;
    }
    let host = host.to_ascii_lowercase();
    let host = host.as_str();
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        let [a, b, ..] = ip.octets();
        return if ip.is_loopback() {
            HostClass::Loopback
        } else if ip.is_unspecified() {
            HostClass::Unspecified
        } else if ip.is_link_local() {
            HostClass::LinkLocal
        } else if ip.is_private() || (a == 100 && (b & 0xc0) == 64) {
            HostClass::Private
        } else {
            HostClass::Public
        };
    }
    if let Ok(ip) = host.parse::<std::net::Ipv6Addr>() {
        let first = ip.segments()[0];
        return if ip.is_loopback() {
            HostClass::Loopback
        } else if ip.is_unspecified() {
            HostClass::Unspecified
        } else if (first & 0xffc0) == 0xfe80 {
            HostClass::LinkLocal
        } else if (first & 0xfe00) == 0xfc00 {
            HostClass::Private
        } else {
            HostClass::Public
        };
    }
    if host == "localhost" || host.ends_with(".localhost") || host == "host.docker.internal" {
        return HostClass::Loopback;
    }
    if host == "metadata.google.internal" || host == "metadata" {
        return HostClass::LinkLocal;
    }
    if !host.contains('.') {
        return HostClass::SingleLabel;
    }
    if CLUSTER_SUFFIXES.iter().any(|s| host.ends_with(s)) {
        return HostClass::ClusterInternal;
    }
    if PRIVATE_DOMAIN_SUFFIXES.iter().any(|s| host.ends_with(s)) {
        return HostClass::PrivateDomain;
    }
    if RESERVED_DOMAINS
        .iter()
        .any(|d| is_domain_or_subdomain(host, d))
        || RESERVED_SUFFIXES.iter().any(|s| host.ends_with(s))
    {
        return HostClass::Reserved;
    }
    HostClass::Public
}

/// Classifies a host name or address coarsely (see [`HostKind`]).
pub fn host_kind(host: &str) -> HostKind {
    host_class(host).kind()
}

/// Whether a host or bind address is this machine only (`localhost`, `127.0.0.0/8`, `::1`).
pub fn is_loopback(host: &str) -> bool {
    host_class(host) == HostClass::Loopback
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

    #[test]
    fn classifies_hosts_finely() {
        use HostClass::*;
        for (host, class) in [
            ("localhost", Loopback),
            ("LOCALHOST", Loopback),
            ("app.localhost", Loopback),
            ("127.0.0.1", Loopback),
            ("127.8.9.10", Loopback),
            ("::1", Loopback),
            ("[::1]", Loopback),
            ("0.0.0.0", Unspecified),
            ("::", Unspecified),
            ("169.254.169.254", LinkLocal),
            ("fe80::1", LinkLocal),
            ("metadata.google.internal", LinkLocal),
            ("10.0.3.12", Private),
            ("172.16.0.1", Private),
            ("172.32.0.1", Public),
            ("192.168.1.1", Private),
            ("100.64.0.1", Private),
            ("fd00::1", Private),
            ("payments.shop.svc", ClusterInternal),
            ("payments.shop.svc.cluster.local", ClusterInternal),
            ("kube-dns.cluster.local", ClusterInternal),
            ("db.internal", PrivateDomain),
            ("printer.local", PrivateDomain),
            ("db", SingleLabel),
            ("example.com", Reserved),
            ("api.example.com", Reserved),
            ("shop.example.org", Reserved),
            ("example.net", Reserved),
            ("shop.example", Reserved),
            ("api.test", Reserved),
            ("nothing.invalid", Reserved),
            ("notexample.com", Public),
            ("example.com.evil.io", Public),
            ("api.stripe.com", Public),
            ("8.8.8.8", Public),
            ("2001:4860:4860::8888", Public),
            ("", Unknown),
            ("{host}", Unknown),
            ("%(host)s", Unknown),
            ("/tmp/mysql.sock", UnixSocket),
        ] {
            assert_eq!(host_class(host), class, "{host}");
        }
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0"));
        assert!(!is_loopback("10.0.0.1"));
    }
}
