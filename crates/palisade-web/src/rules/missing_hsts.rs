//! Flags TLS servers that send no Strict-Transport-Security header, or one with a max-age
//! under one year.
//!
//! ## What it checks
//! nginx `server` blocks that listen with `ssl` (or `quic`, or `ssl on;`): the
//! `add_header` lines that apply to them (their own, or the enclosing `http` level's when
//! they have none, as nginx inherits them) must include `Strict-Transport-Security`
//! (`more_set_headers` counts too). A `max-age` under 31536000 seconds is flagged at the
//! value. When the server sets HSTS, a `location` with `add_header` lines of its own loses
//! it (nginx replaces, not merges), and that location is flagged. Apache: a
//! `<VirtualHost *:443>` (or one with `SSLEngine on`) with no `Header … Strict-Transport-Security`
//! in it or at the file's top level.
//!
//! nginx `include` lines are followed across the scanned files (relative to the including
//! file's folder or the nginx prefix, absolute paths such as `/etc/nginx/snippets/…` by
//! their trailing folders, globs), so a header kept in a shared snippet counts where it is
//! included. A server with an `include` that matches no scanned file gets a low-confidence
//! finding: the header may be in it.
//!
//! ## Why it matters
//! Without HSTS a browser that follows an `http://` link or bookmark makes one plain
//! request first, which an attacker on the network can answer (SSL stripping). A short
//! max-age lets browsers forget the rule between visits.
//!
//! ## Example
//! ```text
//! server { listen 443 ssl; root /srv; }                                        # flagged
//! add_header Strict-Transport-Security "max-age=86400" always;               # flagged
//! add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;  # not flagged
//! ```
//!
//! ## Remediation
//! `add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;` in
//! every TLS server (and in each location that has its own `add_header` lines), or
//! `Header always set Strict-Transport-Security "max-age=63072000; includeSubDomains"` in
//! Apache. Add `preload` once every subdomain is HTTPS-only.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - CWE-523: Unprotected Transport of Credentials
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - RFC 6797, HTTP Strict Transport Security
//! - OWASP HTTP Strict Transport Security Cheat Sheet; Mozilla Observatory

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/missing-hsts",
    title: "TLS server without a year-long HSTS header",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[319, 523],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("missing_hsts.rs"),
};

/// Reported by the server configuration pass ([`crate::server_tls`]).
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
