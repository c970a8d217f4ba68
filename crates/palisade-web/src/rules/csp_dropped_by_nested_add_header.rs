//! Flags nginx blocks whose own `add_header` lines silently drop the Content Security Policy
//! set at an enclosing level.
//!
//! ## What it checks
//! nginx configurations (`nginx.conf`, `*.conf` under `nginx/`, `conf.d/`, `sites-*/`): a
//! block (`location`, `server`, `if`) that has `add_header` lines but no enforced
//! `Content-Security-Policy` among them (a `-Report-Only` one does not count), inside a level
//! whose `add_header` lines set one.
//! nginx inherits `add_header` from the enclosing level only when a block has none of its
//! own, so such a block serves its responses without the policy. Reported at the block's
//! first `add_header`. `include` lines are followed across the scanned files (the included
//! directives take the `include` line's place, so a policy or header kept in a snippet
//! counts where it is included, and the finding is at the line where the header is written).
//! Confidence is medium (nginx 1.29.3's `add_header_inherit merge` changes the rule), low
//! when the block `include`s a file that is not in the scan, which may hold the policy.
//!
//! ## Why it matters
//! The policy looks set for the whole site, but the pages under this location (often the
//! ones that needed a special header, such as an admin area or a download path) get none.
//!
//! ## Example
//! ```text
//! server {
//!     add_header Content-Security-Policy "default-src 'self'" always;
//!     location /admin/ {
//!         add_header Cache-Control no-store;      # flagged: /admin/ responses lose the CSP
//!     }
//! }
//! ```
//!
//! ## Remediation
//! Repeat the `Content-Security-Policy` header in every block that has its own `add_header`
//! lines (an `include` file with all security headers helps), or, on nginx 1.29.3 and later,
//! set `add_header_inherit merge;`.
//!
//! ## References
//! - nginx documentation, `ngx_http_headers_module`, `add_header` (inheritance)
//! - CWE-693: Protection Mechanism Failure
//! - OWASP Top 10 2021, A05 Security Misconfiguration

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/csp-dropped-by-nested-add-header",
    title: "nginx block drops the inherited Content Security Policy",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_dropped_by_nested_add_header.rs"),
};

/// Reported by the analyzer's nginx pass ([`crate::nginx::dropped_policies`], on each configuration with its `include`s followed).
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
