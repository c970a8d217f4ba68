//! Flags web servers that answer on plain HTTP with content instead of redirecting to HTTPS.
//!
//! ## What it checks
//! nginx `server` blocks that listen on plain HTTP (a `listen` without `ssl`, or no `listen`
//! at all, which is port 80) on a non-loopback address, and serve something (`root`,
//! `alias`, `try_files`, `proxy_pass` and the other `*_pass` directives, `return 200 …`),
//! with no `return 30x https://…` or `rewrite … https://…` at server level, in `location /`
//! or in an `if`. Locations under `/.well-known/` (ACME challenges) do not count as content,
//! and servers named only `localhost` are left alone. Apache: a `<VirtualHost *:80>` with a
//! `DocumentRoot`, `ProxyPass`, `Alias` or `WSGIScriptAlias` and no `Redirect`/`RewriteRule`
//! to `https://`.
//!
//! Confidence is medium when the same file also runs TLS servers (so TLS is terminated
//! here and the plain server is a gap), low otherwise: many containers run nginx on port 80
//! behind a proxy or load balancer that does TLS, which palisade cannot see. It is low too
//! when the server `include`s a file that is not in the scan (nginx includes that are in
//! the scan are followed: a redirect or TLS server kept in an included file counts).
//!
//! ## Why it matters
//! Content served over HTTP can be read and changed by anyone on the network path, and a
//! user who types the bare host name never reaches the HTTPS site; HSTS only helps once the
//! browser has been redirected to HTTPS at least once.
//!
//! ## Example
//! ```text
//! server { listen 80; root /srv/www; }                                  # flagged
//! server { listen 80; return 301 https://$host$request_uri; }           # not flagged
//! ```
//!
//! ## Remediation
//! Keep only the redirect (and the ACME challenge location) on port 80:
//! `return 301 https://$host$request_uri;`, and serve the site from the TLS server.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - Mozilla Web Security guidelines, "HTTP Redirections"

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/http-without-https-redirect",
    title: "Web server serves content over plain HTTP without redirecting",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("http_without_https_redirect.rs"),
};

/// Reported by the server configuration pass ([`crate::server_tls`]).
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
