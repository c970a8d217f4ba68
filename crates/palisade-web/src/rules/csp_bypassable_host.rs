//! Flags allow-listed script hosts that are known to let an attacker run code of their choice through the policy.
//!
//! ## What it checks
//! Host sources of the directive that governs script elements, compared with a small table
//! shipped in `crates/palisade-web/src/csp/bypass_hosts.tsv` (each entry names where it
//! comes from): public CDNs that serve old AngularJS, APIs with JSONP endpoints, and hosting
//! services where anyone can publish files (`*.s3.amazonaws.com`, `*.github.io`). A source
//! with a path is not flagged (the table lists hosts), nor a list with `'strict-dynamic'`.
//! Confidence is medium: a host's endpoints change.
//!
//! ## Why it matters
//! A JSONP endpoint returns a script whose text the caller chooses (`callback=alert(1)//`); an
//! old AngularJS library evaluates `{{…}}` expressions in the page; a file host serves the
//! attacker's upload. Research on real policies found such hosts in most allow-lists.
//!
//! ## Example
//! ```text
//! Content-Security-Policy: script-src 'self' https://ajax.googleapis.com  # flagged
//! ```
//!
//! ## Remediation
//! Serve the library from your own origin, or allow the exact file path. Prefer a strict policy, which trusts scripts by a per-response nonce (or by hash for
//! static pages) instead of by host:
//! `script-src 'nonce-{random}' 'strict-dynamic'; object-src 'none'; base-uri 'none'`.
//! Hosts and `'unsafe-inline'` may stay in the list as a fallback for old browsers: browsers
//! that understand nonces ignore them.
//!
//! ## References
//! - CWE-693
//! - OWASP Top 10 2021, A05
//! - W3C, Content Security Policy Level 3 (directives, source lists, fallback)
//! - Weichselbaum et al., "CSP Is Dead, Long Live CSP!", ACM CCS 2016
//! - Google, CSP Evaluator and "Mitigate cross-site scripting with a strict CSP" (web.dev)
//! - OWASP Content Security Policy Cheat Sheet

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "web/csp-bypassable-host",
    title: "Content Security Policy allow-lists a host that serves JSONP, AngularJS or anyone's files",
    severity: Severity::High,
    confidence: Confidence::Medium,
    cwe: &[693],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("csp_bypassable_host.rs"),
};

/// Reported by the CSP evaluation (see [`super::meta_of`]) or the project pass.
pub static RULE: super::PolicyRule = super::PolicyRule { meta: &META };
