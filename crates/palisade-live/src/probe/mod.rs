//! `palisade probe URL…`: what a browser would get from a site — the plain-HTTP redirect,
//! the certificate, and the security headers of the final same-host response. Redirects are
//! followed up to [`MAX_REDIRECTS`] times and never to another host (that is said in a note).

pub mod cert;
pub mod http;
pub mod legacy;

use crate::rules::probe as r;
use http::{PROBE_ORIGIN, Response, Url};
use palisade_core::date::Date;
use palisade_core::engine::Online;
use palisade_core::{Confidence, Finding, Severity};
use palisade_web::csp::{self, Check, Disposition, EvalOptions};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub const MAX_REDIRECTS: usize = 5;
const ONE_YEAR: u64 = 31_536_000;

pub struct ProbeSettings {
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

/// What probing one URL gave.
pub struct Outcome {
    /// The URL as findings name it.
    pub target: String,
    pub findings: Vec<Finding>,
    /// What could not be checked, or was not followed.
    pub notes: Vec<String>,
    /// Set when the HTTPS site could not be fetched after some findings were made (a server
    /// that speaks only TLS 1.0): the target counts as failed.
    pub error: Option<String>,
}

struct Ctx {
    target: String,
    findings: Vec<Finding>,
    notes: Vec<String>,
}

impl Ctx {
    fn add(
        &mut self,
        meta: &'static palisade_core::RuleMeta,
        content: impl Into<String>,
        msg: String,
    ) -> &mut Finding {
        self.findings
            .push(Finding::at_target(meta, self.target.clone(), msg).with_content(content.into()));
        self.findings.last_mut().expect("just pushed")
    }
}

/// Follows same-host redirects from `url`; returns every response with its URL, the last
/// one being where it stopped.
fn follow(
    start: &Url,
    roots: &Arc<rustls::RootCertStore>,
    timeout: Duration,
    notes: &mut Vec<String>,
) -> Result<Vec<(Url, Response)>, String> {
    let mut chain = Vec::new();
    let mut url = start.clone();
    for _ in 0..=MAX_REDIRECTS {
        let response = http::get(&url, roots, timeout)?;
        let next = response
            .is_redirect()
            .then(|| response.header("location").map(|l| url.join(l)))
            .flatten();
        chain.push((url.clone(), response));
        match next {
            None => return Ok(chain),
            Some(Err(e)) => {
                notes.push(format!("redirect from {url} not followed: {e}"));
                return Ok(chain);
            }
            Some(Ok(n)) if n.host != url.host => {
                notes.push(format!(
                    "{url} redirects to another host ({n}): not followed; the headers checked are those of the redirect"
                ));
                return Ok(chain);
            }
            Some(Ok(n)) => url = n,
        }
    }
    notes.push(format!(
        "more than {MAX_REDIRECTS} redirects: stopped at {url}"
    ));
    Ok(chain)
}

pub fn probe(
    _: Online,
    url: &str,
    settings: &ProbeSettings,
    today: Date,
) -> Result<Outcome, String> {
    let start = Url::parse(url)?;
    let roots = Arc::new(crate::tls::roots(settings.ca_file.as_deref())?);
    let mut cx = Ctx {
        target: start.to_string(),
        findings: Vec::new(),
        notes: Vec::new(),
    };
    let timeout = settings.timeout;

    // The plain-HTTP variant and its redirect.
    let plain = if start.https {
        if start.default_port() {
            Some(Url {
                https: false,
                port: 80,
                ..start.clone()
            })
        } else {
            cx.notes.push(format!(
                "the HTTPS URL uses port {}: its plain-HTTP variant is unknown, the redirect was not checked (probe the http:// URL as well)",
                start.port
            ));
            None
        }
    } else {
        Some(start.clone())
    };
    let mut https_start = start.https.then(|| start.clone());
    if let Some(plain) = &plain {
        match http::get(plain, &roots, timeout) {
            Ok(response) => {
                let to = response
                    .is_redirect()
                    .then(|| response.header("location").and_then(|l| plain.join(l).ok()))
                    .flatten();
                match to {
                    Some(to) if to.https && to.host == plain.host => {
                        https_start.get_or_insert(to);
                        check_cookies(&mut cx, &response, false);
                    }
                    Some(to) => {
                        cx.add(
                            &r::no_https_redirect::META,
                            "redirect",
                            format!("{plain} redirects to {to}, not to https:// on the same host"),
                        );
                    }
                    None => {
                        cx.add(
                            &r::no_https_redirect::META,
                            "no-redirect",
                            format!(
                                "{plain} answers {} instead of redirecting to https://",
                                response.status
                            ),
                        );
                        check_cookies(&mut cx, &response, false);
                    }
                }
            }
            Err(e) if start.https => cx.notes.push(format!(
                "plain HTTP not reachable ({e}): nothing to redirect"
            )),
            Err(e) => return Err(e),
        }
    }
    let Some(https_start) = https_start else {
        // Plain HTTP only: check what it sends, without the HTTPS-only checks.
        let chain = follow(&start, &roots, timeout, &mut cx.notes)?;
        if let Some((_, last)) = chain.last() {
            check_headers(&mut cx, last, false);
        }
        return Ok(Outcome {
            target: cx.target,
            findings: cx.findings,
            notes: cx.notes,
            error: None,
        });
    };

    // TLS 1.0 / 1.1, offered one at a time by hand (also when rustls cannot connect).
    if let Ok(Some(addr)) =
        std::net::ToSocketAddrs::to_socket_addrs(&(https_start.host.as_str(), https_start.port))
            .map(|mut a| a.next())
    {
        let old = legacy::legacy_versions(addr, &https_start.host, timeout);
        if !old.is_empty() {
            cx.add(
                &r::legacy_tls_version::META,
                "legacy-tls",
                format!("the server accepts {}", old.join(" and ")),
            );
        }
    }
    let chain = match follow(&https_start, &roots, timeout, &mut cx.notes) {
        Ok(chain) => chain,
        Err(e) => {
            // The handshake may have failed over the certificate itself: still say what
            // is wrong with it.
            if let Some(verification) = http::served_chain(&https_start, &roots, timeout) {
                check_certificate(&mut cx, &verification, today);
            }
            return Ok(Outcome {
                target: cx.target,
                findings: cx.findings,
                notes: cx.notes,
                error: Some(e),
            });
        }
    };
    if let Some((_, first)) = chain.first()
        && let Some((verification, _)) = &first.tls
    {
        check_certificate(&mut cx, verification, today);
    }
    for (url, response) in &chain[..chain.len().saturating_sub(1)] {
        if url.https {
            check_cookies(&mut cx, response, true);
        }
    }
    if let Some((url, last)) = chain.last() {
        check_headers(&mut cx, last, url.https);
    }
    Ok(Outcome {
        target: cx.target,
        findings: cx.findings,
        notes: cx.notes,
        error: None,
    })
}

fn check_certificate(cx: &mut Ctx, v: &crate::tls::Verification, today: Date) {
    use crate::tls::CertProblem;
    let served: Vec<Option<cert::Summary>> = v.chain.iter().map(|c| cert::summary(c)).collect();
    for (i, summary) in served.iter().enumerate() {
        let Some(summary) = summary else {
            cx.notes.push(format!(
                "certificate {} of the served chain could not be read",
                i + 1
            ));
            continue;
        };
        let which = match (i, &summary.common_name) {
            (0, _) => "the leaf certificate".to_string(),
            (_, Some(cn)) => format!("the served intermediate `{cn}`"),
            (_, None) => format!("served certificate {}", i + 1),
        };
        if let Some(weak) = summary.key.weakness() {
            cx.add(
                &r::certificate_weak_key::META,
                format!("key:{i}"),
                format!("{which} has {weak} (at least 2048-bit RSA or 256-bit EC expected)"),
            );
        }
        if summary.signature.broken && !summary.self_signed {
            cx.add(
                &r::certificate_weak_signature::META,
                format!("signature:{i}"),
                format!(
                    "{which} is signed with {}, a broken digest",
                    summary.signature.name
                ),
            );
        }
    }
    if let Some(Some(leaf)) = served.first()
        && let Some(after) = leaf.not_after
    {
        let left = after.days_since_epoch() - today.days_since_epoch();
        if left < 0 {
            cx.add(
                &r::certificate_expired::META,
                "expired",
                format!("the certificate expired on {after}"),
            );
        } else if left < 30 {
            cx.add(
                &r::certificate_expired::META,
                "expiring",
                format!("the certificate expires on {after}, in {left} days"),
            )
            .severity = Severity::Medium;
        }
    }
    match &v.error {
        None | Some(CertProblem::Expired) => {}
        Some(CertProblem::NotValidForName) => {
            cx.add(
                &r::certificate_hostname_mismatch::META,
                "name",
                "the certificate does not name the host".to_string(),
            );
        }
        Some(CertProblem::Untrusted(why)) => {
            cx.add(
                &r::certificate_untrusted::META,
                "chain",
                format!("the certificate chain does not verify: {why}"),
            );
        }
    }
}

fn check_headers(cx: &mut Ctx, resp: &Response, https: bool) {
    let html = resp
        .header("content-type")
        .is_none_or(|t| t.to_ascii_lowercase().contains("html"));
    let page_confidence = if html { None } else { Some(Confidence::Low) };

    // HSTS.
    if https {
        match resp.header("strict-transport-security") {
            None => {
                cx.add(
                    &r::missing_hsts::META,
                    "hsts",
                    "no Strict-Transport-Security header".to_string(),
                );
            }
            Some(value) => {
                let max_age = value.split(';').find_map(|d| {
                    let (k, v) = d.split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("max-age")
                        .then(|| v.trim().trim_matches('"').parse::<u64>().ok())?
                });
                let subdomains = value.to_ascii_lowercase().contains("includesubdomains");
                match max_age {
                    Some(age) if age >= ONE_YEAR => {}
                    Some(age) => {
                        cx.add(
                            &r::missing_hsts::META,
                            "hsts",
                            format!(
                                "Strict-Transport-Security max-age={age} is under one year (31536000){}",
                                if subdomains { "" } else { "; includeSubDomains is not set either" }
                            ),
                        );
                    }
                    None => {
                        cx.add(
                            &r::missing_hsts::META,
                            "hsts",
                            format!("Strict-Transport-Security `{value}` has no valid max-age"),
                        );
                    }
                }
            }
        }
    }

    // CSP, through the web analyzer's engine. Report-only policies are evaluated apart.
    let mut enforced = Vec::new();
    let mut report_only = Vec::new();
    for (name, value) in &resp.headers {
        match csp::disposition_of_header(name) {
            Some(Disposition::Enforce) => {
                enforced.extend(csp::parse_header_value(value, Disposition::Enforce))
            }
            Some(Disposition::ReportOnly) => {
                report_only.extend(csp::parse_header_value(value, Disposition::ReportOnly))
            }
            None => {}
        }
    }
    if enforced.is_empty() {
        let note = if report_only.is_empty() {
            ""
        } else {
            " (only a report-only policy, which blocks nothing)"
        };
        let f = cx.add(
            &r::missing_csp::META,
            "csp",
            format!("no Content-Security-Policy header{note}"),
        );
        if let Some(c) = page_confidence {
            f.confidence = c;
        }
    }
    for (policies, label) in [(&enforced, ""), (&report_only, "report-only policy: ")] {
        if policies.is_empty() {
            continue;
        }
        for issue in csp::evaluate(policies, EvalOptions::default()) {
            if matches!(
                issue.check,
                Check::MissingFrameAncestors | Check::ReportOnly
            ) {
                continue; // the frame-protection rule and the missing-CSP finding say it
            }
            let content = format!(
                "{label}{:?}:{}",
                issue.check,
                issue
                    .value
                    .clone()
                    .or(issue.directive.clone())
                    .unwrap_or_default()
            );
            let f = cx.add(
                &r::weak_csp::META,
                content,
                format!("{label}{}", issue.message),
            );
            f.severity = if label.is_empty() {
                issue.severity
            } else {
                Severity::Low
            };
            if let Some(c) = issue.confidence {
                f.confidence = c;
            }
        }
    }

    // X-Content-Type-Options.
    if !resp
        .header("x-content-type-options")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("nosniff"))
    {
        cx.add(
            &r::missing_content_type_options::META,
            "nosniff",
            "no X-Content-Type-Options: nosniff".to_string(),
        );
    }

    // Framing.
    let ancestors = enforced
        .iter()
        .any(|p| p.directives.iter().any(|d| d.name == "frame-ancestors"));
    let xfo = resp.header("x-frame-options").is_some_and(|v| {
        matches!(
            v.trim().to_ascii_uppercase().as_str(),
            "DENY" | "SAMEORIGIN"
        )
    });
    if !ancestors && !xfo {
        let f = cx.add(
            &r::missing_frame_protection::META,
            "framing",
            "neither CSP frame-ancestors nor X-Frame-Options DENY/SAMEORIGIN: any site may frame the page".to_string(),
        );
        if let Some(c) = page_confidence {
            f.confidence = c;
        }
    }

    // Referrer-Policy: the last value a browser knows wins.
    let policy = resp
        .all("referrer-policy")
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .last();
    match policy.as_deref() {
        None | Some("") => {
            cx.add(&r::weak_referrer_policy::META, "referrer", "no Referrer-Policy header (browsers default to strict-origin-when-cross-origin; older ones send full URLs)".to_string())
                .confidence = Confidence::Medium;
        }
        Some(p @ ("unsafe-url" | "no-referrer-when-downgrade")) => {
            cx.add(
                &r::weak_referrer_policy::META,
                "referrer",
                format!("Referrer-Policy {p} sends full URLs to other sites"),
            );
        }
        Some(_) => {}
    }

    check_cookies(cx, resp, https);

    // CORS.
    let acao = resp.header("access-control-allow-origin").map(str::trim);
    let credentials = resp
        .header("access-control-allow-credentials")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    match acao {
        Some(o) if o == PROBE_ORIGIN || o == "null" => {
            let f = cx.add(
                &r::permissive_cors::META,
                "cors-reflect",
                format!(
                    "Access-Control-Allow-Origin answers `{o}` to a request from {PROBE_ORIGIN}{}",
                    if credentials {
                        ", with credentials: any site can read users' data"
                    } else {
                        ""
                    }
                ),
            );
            if !credentials {
                f.severity = Severity::Medium;
            }
        }
        Some("*") if credentials => {
            cx.add(
                &r::permissive_cors::META,
                "cors-star",
                "Access-Control-Allow-Origin * with Access-Control-Allow-Credentials true"
                    .to_string(),
            )
            .severity = Severity::Medium;
        }
        _ => {}
    }

    // Version disclosure.
    for name in [
        "server",
        "x-powered-by",
        "x-aspnet-version",
        "x-aspnetmvc-version",
        "x-generator",
    ] {
        for value in resp.all(name) {
            if has_version(value) {
                cx.add(
                    &r::server_version_disclosure::META,
                    name,
                    format!("{name}: {value}"),
                );
            }
        }
    }
}

fn has_version(value: &str) -> bool {
    let b = value.as_bytes();
    b.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
}

fn check_cookies(cx: &mut Ctx, resp: &Response, https: bool) {
    for cookie in resp.all("set-cookie") {
        let mut parts = cookie.split(';');
        let name = parts
            .next()
            .and_then(|nv| nv.split_once('='))
            .map(|(n, _)| n.trim())
            .unwrap_or("")
            .to_string();
        if name.is_empty() {
            continue;
        }
        let attrs: Vec<String> = parts
            .map(|a| {
                a.split('=')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect();
        let has = |a: &str| attrs.iter().any(|x| x == a);
        let mut missing = Vec::new();
        if https && !has("secure") {
            missing.push("Secure");
        }
        if !has("httponly") {
            missing.push("HttpOnly");
        }
        if !has("samesite") {
            missing.push("SameSite");
        }
        if !missing.is_empty() {
            cx.add(
                &r::insecure_cookie::META,
                format!("cookie:{name}"),
                format!("cookie `{name}` is set without {}", missing.join(", ")),
            );
        }
    }
}
