//! The two classifications every finding carries: its OWASP Top 10 2021 category and the
//! policy recommendation (see the project's POLICY.md) that it breaks.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An OWASP Top 10 2021 category.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Owasp {
    A01,
    A02,
    A03,
    A04,
    A05,
    A06,
    A07,
    A08,
    A09,
    A10,
}

impl Owasp {
    pub const ALL: [Owasp; 10] = [
        Owasp::A01,
        Owasp::A02,
        Owasp::A03,
        Owasp::A04,
        Owasp::A05,
        Owasp::A06,
        Owasp::A07,
        Owasp::A08,
        Owasp::A09,
        Owasp::A10,
    ];

    /// The short code, e.g. `A01`.
    pub fn code(self) -> &'static str {
        match self {
            Owasp::A01 => "A01",
            Owasp::A02 => "A02",
            Owasp::A03 => "A03",
            Owasp::A04 => "A04",
            Owasp::A05 => "A05",
            Owasp::A06 => "A06",
            Owasp::A07 => "A07",
            Owasp::A08 => "A08",
            Owasp::A09 => "A09",
            Owasp::A10 => "A10",
        }
    }

    /// The category's official name in the 2021 edition.
    pub fn name(self) -> &'static str {
        match self {
            Owasp::A01 => "Broken Access Control",
            Owasp::A02 => "Cryptographic Failures",
            Owasp::A03 => "Injection",
            Owasp::A04 => "Insecure Design",
            Owasp::A05 => "Security Misconfiguration",
            Owasp::A06 => "Vulnerable and Outdated Components",
            Owasp::A07 => "Identification and Authentication Failures",
            Owasp::A08 => "Software and Data Integrity Failures",
            Owasp::A09 => "Security Logging and Monitoring Failures",
            Owasp::A10 => "Server-Side Request Forgery",
        }
    }

    /// `A01:2021 Broken Access Control`
    pub fn label(self) -> String {
        format!("{}:2021 {}", self.code(), self.name())
    }
}

impl fmt::Display for Owasp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Owasp {
    type Err = String;
    /// Accepts `A01`, `a01`, `A01:2021`.
    fn from_str(s: &str) -> Result<Self, String> {
        let code = s
            .trim()
            .split(':')
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        Owasp::ALL
            .into_iter()
            .find(|o| o.code() == code)
            .ok_or_else(|| format!("unknown OWASP 2021 category `{s}` (expected A01 … A10)"))
    }
}

/// A recommendation of the users' security policy (POLICY.md). Every rule names exactly one.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Recommendation {
    AccessControl,
    Backup,
    Training,
    VendorSecurity,
    Audits,
    IncidentResponse,
    Kubernetes,
    Mobile,
    WebFrontend,
    Mysql,
    PythonBackend,
}

impl Recommendation {
    pub const ALL: [Recommendation; 11] = [
        Recommendation::AccessControl,
        Recommendation::Backup,
        Recommendation::Training,
        Recommendation::VendorSecurity,
        Recommendation::Audits,
        Recommendation::IncidentResponse,
        Recommendation::Kubernetes,
        Recommendation::Mobile,
        Recommendation::WebFrontend,
        Recommendation::Mysql,
        Recommendation::PythonBackend,
    ];

    /// The id used in POLICY.md, configuration and reports, e.g. `python-backend`.
    pub fn id(self) -> &'static str {
        match self {
            Recommendation::AccessControl => "access-control",
            Recommendation::Backup => "backup",
            Recommendation::Training => "training",
            Recommendation::VendorSecurity => "vendor-security",
            Recommendation::Audits => "audits",
            Recommendation::IncidentResponse => "incident-response",
            Recommendation::Kubernetes => "kubernetes",
            Recommendation::Mobile => "mobile",
            Recommendation::WebFrontend => "web-frontend",
            Recommendation::Mysql => "mysql",
            Recommendation::PythonBackend => "python-backend",
        }
    }

    /// The recommendation in short, as POLICY.md states it.
    pub fn summary(self) -> &'static str {
        match self {
            Recommendation::AccessControl => {
                "Least privilege: people and tokens get only the access their job needs."
            }
            Recommendation::Backup => "Regular backups and a disaster-recovery plan.",
            Recommendation::Training => "Security awareness training for employees.",
            Recommendation::VendorSecurity => {
                "Third-party components and APIs meet security standards; no vulnerable or outdated components."
            }
            Recommendation::Audits => "Regular security audits and penetration tests.",
            Recommendation::IncidentResponse => "A documented incident response plan.",
            Recommendation::Kubernetes => {
                "Control access to the Kubernetes API: who can reach the cluster and what they may do."
            }
            Recommendation::Mobile => {
                "Disallow other apps from accessing ours; keep sensitive data out of caches; validate inputs; minimise sensitive APIs."
            }
            Recommendation::WebFrontend => {
                "Validate input against injection; a Content Security Policy that stops external scripts; always HTTPS."
            }
            Recommendation::Mysql => {
                "Prepared statements / parameterized queries against SQL injection."
            }
            Recommendation::PythonBackend => {
                "TLS for messages; different permissions for different API keys; least privilege per endpoint."
            }
        }
    }
}

impl fmt::Display for Recommendation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Recommendation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Recommendation::ALL
            .into_iter()
            .find(|r| r.id() == s.trim())
            .ok_or_else(|| {
                let ids: Vec<_> = Recommendation::ALL.iter().map(|r| r.id()).collect();
                format!(
                    "unknown recommendation `{s}` (expected one of: {})",
                    ids.join(", ")
                )
            })
    }
}
