//! Database connection strings as Python drivers read them: which TLS behaviour a
//! SQLAlchemy / dj-database-url URL scheme implies, what its query parameters and a libpq
//! keyword DSN (`host=db sslmode=disable`) say about TLS, and where a password sits in them.
//! Plain text in, plain facts out; the rule `python/database-connection-without-tls` finds
//! the strings and reports.

use palisade_knowledge::hosts::UrlParts;
use std::ops::Range;

/// How a driver behaves when no TLS option is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Driver {
    /// Plaintext unless asked (PyMySQL, aiomysql, asyncmy, MariaDB Connector/Python).
    Plain,
    /// TLS if the server offers it, unverified (mysql-connector, mysqlclient).
    Preferred,
    /// libpq: `sslmode=prefer` by default (psycopg, psycopg2).
    Libpq,
    /// asyncpg: `ssl` defaults to `prefer`.
    Asyncpg,
}

/// What a connection's options say about TLS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tls {
    /// TLS is required (or configured in a way the source does not fully show).
    Required,
    /// No TLS option: the driver's default.
    Default,
    /// Explicitly off or optional (`sslmode=prefer`): the option as written.
    Weak(String),
}

/// The TLS setting of a libpq `sslmode` (`require`, `verify-full` → required; anything else,
/// such as `prefer` or `disable`, is weak).
pub fn libpq_mode(mode: &str) -> Tls {
    match mode.to_ascii_lowercase().as_str() {
        "require" | "verify-ca" | "verify-full" | "verify_ca" | "verify_full" => Tls::Required,
        _ => Tls::Weak(format!("sslmode={mode}")),
    }
}

/// The driver behaviour a SQLAlchemy / dj-database-url scheme implies.
pub fn url_driver(scheme: &str) -> Option<Driver> {
    let (dialect, driver) = scheme.split_once('+').unwrap_or((scheme, ""));
    match dialect {
        "mysql" | "mariadb" => Some(match driver {
            "pymysql" | "aiomysql" | "asyncmy" | "mariadbconnector" | "cymysql" => Driver::Plain,
            _ => Driver::Preferred,
        }),
        "postgresql" | "postgres" | "postgis" | "pgsql" => Some(match driver {
            "asyncpg" => Driver::Asyncpg,
            _ => Driver::Libpq,
        }),
        _ => None,
    }
}

pub fn url_tls(parts: &UrlParts, driver: Driver) -> Tls {
    match driver {
        Driver::Libpq | Driver::Asyncpg => {
            if let Some(mode) = parts
                .query_param("sslmode")
                .or_else(|| parts.query_param("ssl"))
            {
                return match mode.to_ascii_lowercase().as_str() {
                    "true" | "1" => Tls::Required,
                    "false" | "0" => Tls::Weak(format!("ssl={mode}")),
                    _ => libpq_mode(mode),
                };
            }
            if parts.query_param("sslrootcert").is_some() {
                return Tls::Required;
            }
            Tls::Default
        }
        Driver::Plain | Driver::Preferred => {
            if let Some(mode) = parts.query_param("ssl_mode") {
                return match mode.to_ascii_uppercase().as_str() {
                    "REQUIRED" | "VERIFY_CA" | "VERIFY_IDENTITY" => Tls::Required,
                    _ => Tls::Weak(format!("ssl_mode={mode}")),
                };
            }
            if let Some(disabled) = parts.query_param("ssl_disabled") {
                if disabled.eq_ignore_ascii_case("true") || disabled == "1" {
                    return Tls::Weak(format!("ssl_disabled={disabled}"));
                }
                return Tls::Required;
            }
            let configured = [
                "ssl",
                "ssl_ca",
                "ssl_cert",
                "ssl_key",
                "ssl_verify_cert",
                "ssl_verify_identity",
                "ssl_check_hostname",
            ]
            .iter()
            .any(|k| {
                parts
                    .query_param(k)
                    .is_some_and(|v| !v.eq_ignore_ascii_case("false") && v != "0")
            });
            if configured {
                Tls::Required
            } else {
                Tls::Default
            }
        }
    }
}

/// What a libpq keyword DSN says: `host=db.example.com dbname=shop password=… sslmode=disable`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeywordDsn {
    /// `host` or `hostaddr`, the last one written.
    pub host: Option<String>,
    /// `sslmode`, or `sslrootcert` without a mode (which implies verification).
    pub tls: Tls,
    /// Where each `password=` value is, as byte ranges of the DSN.
    pub passwords: Vec<Range<usize>>,
}

/// Reads a libpq keyword DSN (space-separated `key=value` pairs).
pub fn parse_keyword_dsn(body: &str) -> KeywordDsn {
    let mut host = None;
    let mut tls = Tls::Default;
    let mut passwords = Vec::new();
    let mut offset = 0;
    for part in body.split(' ') {
        if let Some((key, value)) = part.split_once('=') {
            match key.to_ascii_lowercase().as_str() {
                "host" | "hostaddr" => host = Some(value.to_string()),
                "sslmode" => tls = libpq_mode(value),
                "sslrootcert" if tls == Tls::Default => tls = Tls::Required,
                "password" => {
                    let from = offset + key.len() + 1;
                    passwords.push(from..from + value.len());
                }
                _ => {}
            }
        }
        offset += part.len() + 1;
    }
    KeywordDsn {
        host,
        tls,
        passwords,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_knowledge::hosts::parse_url;

    #[test]
    fn keyword_dsns() {
        let dsn = "host=db.example.com dbname=shop password=s3cret sslmode=disable";
        let parsed = parse_keyword_dsn(dsn);
        assert_eq!(parsed.host.as_deref(), Some("db.example.com"));
        assert_eq!(parsed.tls, Tls::Weak("sslmode=disable".into()));
        assert_eq!(&dsn[parsed.passwords[0].clone()], "s3cret");
        assert_eq!(
            parse_keyword_dsn("host=db sslrootcert=/ca.pem").tls,
            Tls::Required
        );
        assert_eq!(parse_keyword_dsn("").tls, Tls::Default);
    }

    #[test]
    fn url_schemes_and_parameters() {
        assert_eq!(url_driver("mysql+pymysql"), Some(Driver::Plain));
        assert_eq!(url_driver("mysql"), Some(Driver::Preferred));
        assert_eq!(url_driver("postgresql+asyncpg"), Some(Driver::Asyncpg));
        assert_eq!(url_driver("postgres"), Some(Driver::Libpq));
        assert_eq!(url_driver("sqlite"), None);
        let tls = |url: &str| {
            let parts = parse_url(url).unwrap();
            url_tls(&parts, url_driver(&parts.scheme).unwrap())
        };
        assert_eq!(
            tls("postgresql://u@db/shop?sslmode=verify-full"),
            Tls::Required
        );
        assert_eq!(
            tls("postgresql://u@db/shop?sslmode=prefer"),
            Tls::Weak("sslmode=prefer".into())
        );
        assert_eq!(tls("mysql+pymysql://u@db/shop"), Tls::Default);
        assert_eq!(
            tls("mysql+pymysql://u@db/shop?ssl_ca=/ca.pem"),
            Tls::Required
        );
        assert_eq!(
            tls("mysql://u@db/shop?ssl_disabled=true"),
            Tls::Weak("ssl_disabled=true".into())
        );
    }
}
