//! HTTPS checks of nginx and Apache configurations (POLICY `web-frontend`: always HTTPS):
//! protocol versions, cipher lists, plain-HTTP servers that serve content instead of
//! redirecting, and HSTS on TLS servers. Each issue names the rule it belongs to
//! ([`crate::rules::tls_legacy_protocol`], [`crate::rules::tls_weak_cipher`],
//! [`crate::rules::http_without_https_redirect`], [`crate::rules::missing_hsts`]).
//!
//! nginx configurations are checked as composed by [`nginx::compose`] (their `include`s
//! spliced in), so each issue also says which file it is in. An `include` that matches no
//! scanned file stays unknown: a server block with one gets low-confidence "missing"
//! findings, since the missing line may be in the file palisade could not see.

use crate::nginx::{self, Directive};
use crate::rules;
use palisade_core::{Confidence, RuleMeta};
use std::ops::Range;

/// One HTTPS issue in a server configuration.
#[derive(Debug)]
pub struct TlsIssue {
    pub rule: &'static RuleMeta,
    pub range: Range<usize>,
    pub message: String,
    pub confidence: Option<Confidence>,
    /// The file of a composed nginx configuration the issue is in ([`Directive::file`]);
    /// 0 for a file checked alone.
    pub file: usize,
}

/// HSTS shorter than this (one year, in seconds) is flagged.
pub const MIN_HSTS_MAX_AGE: u64 = 31_536_000;

/// The HTTPS issues of a server configuration file read alone (nginx or Apache, told apart
/// by their syntax).
pub fn check(text: &str) -> Vec<TlsIssue> {
    let mut out = Vec::new();
    if is_apache(text) {
        apache(text, &mut out);
    } else {
        nginx_checks(&nginx::parse(text), &mut out);
    }
    out
}

/// The HTTPS issues of one nginx configuration (composed with its includes, see
/// [`nginx::compose`]).
pub fn check_nginx(config: &[Directive]) -> Vec<TlsIssue> {
    let mut out = Vec::new();
    nginx_checks(config, &mut out);
    out
}

/// Whether a server configuration is Apache's rather than nginx's.
pub fn is_apache(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("<VirtualHost")
            || t.starts_with("<IfModule")
            || t.starts_with("SSLProtocol")
            || t.starts_with("SSLCipherSuite")
            || t.starts_with("SSLEngine")
    })
}

// ---------------------------------------------------------------------------------------
// Shared judgements

/// The legacy protocols a list enables (Apache-style `+`/`-` words, or nginx's plain list).
fn legacy_protocols(words: &[&str], apache: bool) -> Vec<&'static str> {
    const LEGACY: &[&str] = &["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];
    let mut enabled: Vec<&'static str> = Vec::new();
    for w in words {
        let (sign, name) = match w.as_bytes().first() {
            Some(b'+') => ('+', &w[1..]),
            Some(b'-') => ('-', &w[1..]),
            _ => ('+', *w),
        };
        let names: Vec<&'static str> = if apache && name.eq_ignore_ascii_case("all") {
            // httpd 2.4: `all` is every protocol the TLS library supports; SSLv3 is gone
            // from current OpenSSL builds, TLS 1.0 and 1.1 are not.
            vec!["TLSv1", "TLSv1.1"]
        } else {
            LEGACY
                .iter()
                .copied()
                .filter(|l| l.eq_ignore_ascii_case(name))
                .collect()
        };
        for n in names {
            if sign == '+' {
                if !enabled.contains(&n) {
                    enabled.push(n);
                }
            } else {
                enabled.retain(|e| *e != n);
            }
        }
    }
    enabled
}

/// Cipher families a cipher string enables that give no or broken protection.
fn weak_ciphers(spec: &str) -> Vec<String> {
    // (token in the cipher string, what it is)
    const WEAK: &[(&str, &str)] = &[
        ("NULL", "no encryption"),
        ("eNULL", "no encryption"),
        ("aNULL", "no authentication"),
        ("ADH", "anonymous Diffie-Hellman"),
        ("AECDH", "anonymous ECDH"),
        ("EXPORT", "export-grade keys"),
        ("EXP", "export-grade keys"),
        ("RC4", "RC4"),
        ("DES", "DES or 3DES (64-bit blocks)"),
        ("3DES", "3DES (64-bit blocks)"),
        ("DES-CBC3", "3DES (64-bit blocks)"),
        ("MD5", "MD5"),
        ("RC2", "RC2"),
        ("IDEA", "IDEA (64-bit blocks)"),
        ("LOW", "low-strength suites"),
        ("ALL", "every suite, including broken ones"),
        ("COMPLEMENTOFALL", "suites without encryption"),
    ];
    let items: Vec<&str> = spec
        .split([':', ',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let excluded = |family: &str| {
        items.iter().any(|i| {
            i.strip_prefix('!')
                .or_else(|| i.strip_prefix('-'))
                .is_some_and(|x| x.eq_ignore_ascii_case(family))
        })
    };
    let mut out: Vec<String> = Vec::new();
    for item in &items {
        if item.starts_with(['!', '-', '+', '@']) {
            continue;
        }
        for part in item.split('+') {
            for (family, what) in WEAK {
                // A cipher name (`DES-CBC3-SHA`, `RC4-MD5`) or a family keyword.
                let named = part.eq_ignore_ascii_case(family)
                    || part
                        .split(['-', '_'])
                        .any(|p| p.eq_ignore_ascii_case(family) && *family != "EXP")
                    || (*family == "EXP" && part.starts_with("EXP-"));
                if !named || excluded(family) {
                    continue;
                }
                // `ALL` is broken only if what it brings in is not excluded.
                if *family == "ALL"
                    && [
                        "aNULL", "eNULL", "RC4", "DES", "3DES", "EXPORT", "MD5", "LOW",
                    ]
                    .iter()
                    .all(|f| excluded(f))
                {
                    continue;
                }
                // `DES` inside `DES-CBC3-SHA` is 3DES; `EDH`/`DHE` names are not DES.
                let label = format!("`{part}` ({what})");
                if !out.contains(&label) {
                    out.push(label);
                }
            }
        }
    }
    out
}

/// `max-age=N` of an HSTS value.
fn hsts_max_age(value: &str) -> Option<u64> {
    value.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())
            .flatten()
    })
}

fn issue(rule: &'static RuleMeta, range: Range<usize>, message: String) -> TlsIssue {
    TlsIssue {
        rule,
        range,
        message,
        confidence: None,
        file: 0,
    }
}

/// An issue at a place of `d`'s file.
fn issue_at(
    rule: &'static RuleMeta,
    d: &Directive,
    range: Range<usize>,
    message: String,
) -> TlsIssue {
    TlsIssue {
        file: d.file,
        ..issue(rule, range, message)
    }
}

// ---------------------------------------------------------------------------------------
// nginx

/// The `ssl_protocols` / `ssl_ciphers` lines of a level (the top of a file or an `http`
/// block) that no TLS server inherits: every TLS server of the level sets its own
/// (directly or through an included file), which replaces them.
fn overridden_at_level(config: &[Directive]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut levels: Vec<&[Directive]> = vec![config];
    levels.extend(
        config
            .iter()
            .filter(|d| d.name == "http")
            .map(|d| d.children()),
    );
    for level in levels {
        let servers: Vec<&Directive> = level
            .iter()
            .filter(|d| d.name == "server" && d.block.is_some() && listens_tls(d))
            .collect();
        if servers.is_empty() {
            continue;
        }
        for name in ["ssl_protocols", "ssl_ciphers"] {
            // A server that includes a file not in the scan may set its own there.
            if servers.iter().all(|s| {
                s.children()
                    .iter()
                    .any(|c| c.name == name || c.name == "include")
            }) {
                out.extend(
                    level
                        .iter()
                        .filter(|d| d.name == name)
                        .map(|d| (d.file, d.range.start)),
                );
            }
        }
    }
    out
}

const OVERRIDDEN: &str = " (every TLS server here sets its own or includes a file that may, which replaces this line; it still applies to any server added later without one)";

fn nginx_checks(config: &[Directive], out: &mut Vec<TlsIssue>) {
    let overridden = overridden_at_level(config);
    let mark = |d: &Directive, mut found: TlsIssue| {
        if overridden.contains(&(d.file, d.range.start)) {
            found.confidence = Some(Confidence::Low);
            found.message.push_str(OVERRIDDEN);
        }
        found
    };
    walk(config, &mut |d| match d.name.as_str() {
        "ssl_protocols" => {
            let words: Vec<&str> = d.args.iter().map(|(a, _)| a.as_str()).collect();
            let legacy = legacy_protocols(&words, false);
            if let Some(first) = legacy.first()
                && let Some((_, at)) = d.args.iter().find(|(a, _)| a == first)
            {
                out.push(mark(d, issue_at(
                    &rules::tls_legacy_protocol::META,
                    d,
                    at.clone(),
                    format!(
                        "ssl_protocols enables {}: these versions have known attacks (BEAST, POODLE) and current browsers refuse them; use `ssl_protocols TLSv1.2 TLSv1.3;`",
                        legacy.join(", ")
                    ),
                )));
            }
        }
        "ssl_ciphers" => {
            if let Some((spec, at)) = d.args.first() {
                let weak = weak_ciphers(spec);
                if !weak.is_empty() {
                    out.push(mark(d, issue_at(
                        &rules::tls_weak_cipher::META,
                        d,
                        at.clone(),
                        format!(
                            "ssl_ciphers enables {}; use a modern list such as Mozilla's \"intermediate\" configuration (ECDHE with AES-GCM or ChaCha20-Poly1305)",
                            weak.join(", ")
                        ),
                    )));
                }
            }
        }
        _ => {}
    });
    let has_tls_server = nginx::servers(config).iter().any(|(s, _)| listens_tls(s));
    for (server, inherited) in nginx::servers(config) {
        if listens_tls(server) {
            hsts(server, &inherited, out);
        } else if let Some(listen) = plain_listen(server) {
            plain_server(server, listen, has_tls_server, out);
        }
    }
}

fn walk<'d>(config: &'d [Directive], f: &mut dyn FnMut(&'d Directive)) {
    for d in config {
        f(d);
        walk(d.children(), f);
    }
}

fn listens_tls(server: &Directive) -> bool {
    server.children().iter().any(|d| {
        (d.name == "listen" && d.args.iter().any(|(a, _)| a == "ssl" || a == "quic"))
            || (d.name == "ssl" && d.arg(0) == Some("on"))
    })
}

/// The server's first `listen` on plain HTTP to a non-loopback address (no `listen` at
/// all means port 80), with the file it is written in.
fn plain_listen(server: &Directive) -> Option<(usize, Range<usize>)> {
    let listens: Vec<&Directive> = server
        .children()
        .iter()
        .filter(|d| d.name == "listen")
        .collect();
    if listens.is_empty() {
        return Some((
            server.file,
            server.range.start..server.range.start + server.name.len(),
        ));
    }
    listens
        .into_iter()
        .find(|d| {
            let addr = d.arg(0).unwrap_or("");
            let loopback = addr.starts_with("127.")
                || addr.starts_with("localhost")
                || addr.starts_with("[::1]")
                || addr.starts_with("unix:");
            !loopback && !d.args.iter().any(|(a, _)| a == "ssl" || a == "quic")
        })
        .map(|d| (d.file, d.range.clone()))
}

/// Whether a `return`/`rewrite` sends the client to HTTPS.
fn redirects_to_https(d: &Directive) -> bool {
    match d.name.as_str() {
        "return" => {
            matches!(d.arg(0), Some("301" | "302" | "303" | "307" | "308"))
                && d.arg(1).is_some_and(|u| u.starts_with("https://"))
        }
        "rewrite" => d.arg(1).is_some_and(|u| u.starts_with("https://")),
        _ => false,
    }
}

fn serves_content(d: &Directive) -> bool {
    matches!(
        d.name.as_str(),
        "root"
            | "alias"
            | "proxy_pass"
            | "uwsgi_pass"
            | "fastcgi_pass"
            | "grpc_pass"
            | "scgi_pass"
            | "try_files"
    ) || (d.name == "return" && matches!(d.arg(0), Some("200")) && d.args.len() > 1)
}

/// A plain-HTTP server: flagged when it serves content and does not send clients to HTTPS.
fn plain_server(
    server: &Directive,
    (listen_file, listen): (usize, Range<usize>),
    has_tls_server: bool,
    out: &mut Vec<TlsIssue>,
) {
    let children = server.children();
    let names: Vec<&str> = children
        .iter()
        .filter(|d| d.name == "server_name")
        .flat_map(|d| d.args.iter().map(|(a, _)| a.as_str()))
        .collect();
    if !names.is_empty()
        && names
            .iter()
            .all(|n| matches!(*n, "localhost" | "127.0.0.1" | "[::1]"))
    {
        return;
    }
    // A redirect at server level, or in `location /` (what every path falls back to).
    if children.iter().any(redirects_to_https) {
        return;
    }
    let mut content = children.iter().any(serves_content);
    for loc in children.iter().filter(|d| d.name == "location") {
        let path: Vec<&str> = loc.args.iter().map(|(a, _)| a.as_str()).collect();
        let acme = path.iter().any(|p| p.contains(".well-known"));
        let catch_all = path == ["/"];
        if catch_all && walk_any(loc.children(), &redirects_to_https) {
            return;
        }
        if !acme && walk_any(loc.children(), &serves_content) {
            content = true;
        }
    }
    // `if ($scheme = http) { return 301 https://…; }`
    if children
        .iter()
        .filter(|d| d.name == "if")
        .any(|d| d.children().iter().any(redirects_to_https))
    {
        return;
    }
    if !content {
        return;
    }
    let includes = children.iter().any(|d| d.name == "include");
    let mut found = issue(
        &rules::http_without_https_redirect::META,
        listen,
        if has_tls_server {
            "this server answers on plain HTTP with content instead of redirecting to HTTPS, although the same configuration runs TLS servers; add `return 301 https://$host$request_uri;` (keeping only /.well-known/acme-challenge/ on HTTP)".to_string()
        } else {
            "this server answers on plain HTTP with content and never redirects to HTTPS; if TLS is not terminated by a proxy in front of it, serve the site over HTTPS and redirect here with `return 301 https://$host$request_uri;`".to_string()
        },
    );
    found.file = listen_file;
    if !has_tls_server || includes {
        found.confidence = Some(Confidence::Low);
    }
    out.push(found);
}

fn walk_any(config: &[Directive], f: &dyn Fn(&Directive) -> bool) -> bool {
    let mut hit = false;
    walk(config, &mut |d| hit |= f(d));
    hit
}

/// The HSTS value among `add_header`/`more_set_headers` lines, with where it is (the
/// directive and the value's range).
fn hsts_header<'d>(headers: &[&'d Directive]) -> Option<(String, &'d Directive, Range<usize>)> {
    for d in headers {
        match d.name.as_str() {
            "add_header"
                if d.arg(0)
                    .is_some_and(|n| n.eq_ignore_ascii_case("strict-transport-security")) =>
            {
                return d.args.get(1).map(|(v, r)| (v.clone(), *d, r.clone()));
            }
            "more_set_headers" => {
                for (a, r) in &d.args {
                    if let Some((n, v)) = a.split_once(':')
                        && n.trim().eq_ignore_ascii_case("strict-transport-security")
                    {
                        return Some((v.trim().to_string(), *d, r.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn is_header_line(d: &Directive) -> bool {
    d.name == "add_header" || d.name == "more_set_headers"
}

fn hsts(server: &Directive, inherited: &[&Directive], out: &mut Vec<TlsIssue>) {
    let children = server.children();
    let own: Vec<&Directive> = children.iter().filter(|d| is_header_line(d)).collect();
    // nginx: a level's own add_header lines replace the inherited ones.
    let effective: Vec<&Directive> = if own.iter().any(|d| d.name == "add_header") {
        own.clone()
    } else {
        inherited
            .iter()
            .copied()
            .chain(own.iter().copied())
            .collect()
    };
    let unseen = children.iter().find(|d| d.name == "include");
    let head = server.range.start..server.range.start + server.name.len();
    match hsts_header(&effective) {
        None => {
            let mut found = issue_at(
                &rules::missing_hsts::META,
                server,
                head,
                format!(
                    "this TLS server sends no Strict-Transport-Security header, so a browser that once typed the plain http:// address can be downgraded; add `add_header Strict-Transport-Security \"max-age={MIN_HSTS_MAX_AGE}; includeSubDomains\" always;`"
                ),
            );
            if let Some(include) = unseen {
                found.confidence = Some(Confidence::Low);
                found.message.push_str(&format!(
                    " (the server includes `{}`, which is not in the scan: the header may be there)",
                    include.arg(0).unwrap_or_default()
                ));
            }
            out.push(found);
        }
        Some((value, d, at)) => {
            if let Some(age) = hsts_max_age(&value)
                && age < MIN_HSTS_MAX_AGE
            {
                out.push(issue_at(
                    &rules::missing_hsts::META,
                    d,
                    at,
                    format!(
                        "Strict-Transport-Security max-age={age} is under one year ({MIN_HSTS_MAX_AGE} s): browsers forget the HTTPS-only rule soon and the next plain-HTTP visit can be intercepted; use max-age={MIN_HSTS_MAX_AGE} or more"
                    ),
                ));
                return;
            }
            // Locations with add_header lines of their own lose the server's HSTS.
            walk(children, &mut |d| {
                if d.name != "location" {
                    return;
                }
                let local: Vec<&Directive> = d
                    .children()
                    .iter()
                    .filter(|c| c.name == "add_header")
                    .collect();
                if let Some(first) = local.first()
                    && hsts_header(&local).is_none()
                {
                    out.push(issue_at(
                        &rules::missing_hsts::META,
                        first,
                        first.range.clone(),
                        "this location's own add_header lines replace the server's, so its responses lose Strict-Transport-Security; repeat the header here (or keep all security headers in one included file)".to_string(),
                    ));
                }
            });
        }
    }
}

// ---------------------------------------------------------------------------------------
// Apache

struct ApacheLine<'t> {
    name: &'t str,
    args: Vec<(&'t str, Range<usize>)>,
    range: Range<usize>,
}

/// A `<VirtualHost addr>` section: its address, where its tag is, its directive lines.
type VirtualHost<'t> = (String, Range<usize>, Vec<ApacheLine<'t>>);

/// The directive lines of an Apache file, grouped: the file's top level and each
/// `<VirtualHost>` section (with the address it listens on).
fn apache_sections(text: &str) -> (Vec<ApacheLine<'_>>, Vec<VirtualHost<'_>>) {
    let mut top = Vec::new();
    let mut vhosts: Vec<VirtualHost<'_>> = Vec::new();
    let mut inside = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let lead = start + line.len() - trimmed.len();
        if trimmed.starts_with('#') || trimmed.trim().is_empty() {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("<VirtualHost") {
            let addr = rest.trim().trim_end_matches('>').trim().to_string();
            vhosts.push((addr, lead..lead + "<VirtualHost".len(), Vec::new()));
            inside = true;
            continue;
        }
        if trimmed.starts_with("</VirtualHost") {
            inside = false;
            continue;
        }
        if trimmed.starts_with('<') {
            continue;
        }
        let mut args = Vec::new();
        let mut pos = lead;
        let mut name = "";
        for (k, word) in trimmed.trim_end().split_ascii_whitespace().enumerate() {
            let at = text[pos..].find(word).map_or(pos, |p| pos + p);
            pos = at + word.len();
            if k == 0 {
                name = word;
            } else {
                args.push((word.trim_matches('"'), at..at + word.len()));
            }
        }
        let entry = ApacheLine {
            name,
            args,
            range: lead..start + line.trim_end().len(),
        };
        match vhosts.last_mut() {
            Some((_, _, lines)) if inside => lines.push(entry),
            _ => top.push(entry),
        }
    }
    (top, vhosts)
}

fn apache(text: &str, out: &mut Vec<TlsIssue>) {
    let (top, vhosts) = apache_sections(text);
    let all_lines = top
        .iter()
        .chain(vhosts.iter().flat_map(|(_, _, l)| l.iter()));
    for l in all_lines {
        if l.name.eq_ignore_ascii_case("SSLProtocol") {
            let words: Vec<&str> = l.args.iter().map(|(a, _)| *a).collect();
            let legacy = legacy_protocols(&words, true);
            if !legacy.is_empty() {
                let at = l.args.first().map_or(l.range.clone(), |(_, r)| r.clone());
                out.push(issue(
                    &rules::tls_legacy_protocol::META,
                    at,
                    format!(
                        "SSLProtocol enables {}: these versions have known attacks and current browsers refuse them; use `SSLProtocol -all +TLSv1.2 +TLSv1.3`",
                        legacy.join(", ")
                    ),
                ));
            }
        } else if l.name.eq_ignore_ascii_case("SSLCipherSuite") {
            // An optional protocol selector comes first (`SSLCipherSuite TLSv1.3 …`).
            let spec = l
                .args
                .iter()
                .rfind(|(a, _)| !matches!(*a, "SSL" | "TLSv1.3"))
                .cloned();
            if let Some((spec, at)) = spec {
                let weak = weak_ciphers(spec);
                if !weak.is_empty() {
                    out.push(issue(
                        &rules::tls_weak_cipher::META,
                        at,
                        format!(
                            "SSLCipherSuite enables {}; use a modern list such as Mozilla's \"intermediate\" configuration",
                            weak.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    let top_hsts = top.iter().any(|l| apache_sets_hsts(l));
    for (addr, head, lines) in &vhosts {
        let tls = addr.ends_with(":443")
            || lines.iter().any(|l| {
                l.name.eq_ignore_ascii_case("SSLEngine")
                    && l.args
                        .first()
                        .is_some_and(|(a, _)| a.eq_ignore_ascii_case("on"))
            });
        let includes = lines.iter().any(|l| {
            l.name.eq_ignore_ascii_case("Include") || l.name.eq_ignore_ascii_case("IncludeOptional")
        });
        if tls {
            let hsts = lines.iter().find(|l| apache_sets_hsts(l));
            match hsts {
                None if !top_hsts => {
                    let mut found = issue(
                        &rules::missing_hsts::META,
                        head.clone(),
                        format!(
                            "this TLS virtual host sends no Strict-Transport-Security header; add `Header always set Strict-Transport-Security \"max-age={MIN_HSTS_MAX_AGE}; includeSubDomains\"`"
                        ),
                    );
                    if includes {
                        found.confidence = Some(Confidence::Low);
                    }
                    out.push(found);
                }
                Some(l) => {
                    if let Some((value, at)) = l.args.last()
                        && let Some(age) = hsts_max_age(value)
                        && age < MIN_HSTS_MAX_AGE
                    {
                        out.push(issue(
                            &rules::missing_hsts::META,
                            at.clone(),
                            format!("Strict-Transport-Security max-age={age} is under one year ({MIN_HSTS_MAX_AGE} s); use max-age={MIN_HSTS_MAX_AGE} or more"),
                        ));
                    }
                }
                None => {}
            }
        } else if addr.ends_with(":80") {
            let redirects = lines.iter().any(|l| {
                (l.name.eq_ignore_ascii_case("Redirect")
                    || l.name.eq_ignore_ascii_case("RedirectPermanent")
                    || l.name.eq_ignore_ascii_case("RedirectMatch")
                    || l.name.eq_ignore_ascii_case("RewriteRule"))
                    && l.args.iter().any(|(a, _)| a.starts_with("https://"))
            });
            let content = lines.iter().any(|l| {
                [
                    "DocumentRoot",
                    "ProxyPass",
                    "WSGIScriptAlias",
                    "Alias",
                    "ScriptAlias",
                ]
                .iter()
                .any(|n| l.name.eq_ignore_ascii_case(n))
            });
            if content && !redirects {
                let has_tls = vhosts.iter().any(|(a, _, _)| a.ends_with(":443"));
                let mut found = issue(
                    &rules::http_without_https_redirect::META,
                    head.clone(),
                    "this virtual host answers on plain HTTP with content and never redirects to HTTPS; add `Redirect permanent / https://your.host/`".to_string(),
                );
                if !has_tls || includes {
                    found.confidence = Some(Confidence::Low);
                }
                out.push(found);
            }
        }
    }
}

fn apache_sets_hsts(l: &ApacheLine<'_>) -> bool {
    l.name.eq_ignore_ascii_case("Header")
        && l.args
            .iter()
            .any(|(a, _)| a.eq_ignore_ascii_case("Strict-Transport-Security"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(&'static str, String)> {
        check(text)
            .into_iter()
            .map(|i| (i.rule.id, text[i.range].to_string()))
            .collect()
    }

    #[test]
    fn protocols_and_ciphers() {
        assert_eq!(
            legacy_protocols(&["TLSv1", "TLSv1.1", "TLSv1.2"], false),
            vec!["TLSv1", "TLSv1.1"]
        );
        assert!(legacy_protocols(&["TLSv1.2", "TLSv1.3"], false).is_empty());
        assert_eq!(
            legacy_protocols(&["all", "-SSLv3"], true),
            vec!["TLSv1", "TLSv1.1"]
        );
        assert!(legacy_protocols(&["all", "-SSLv3", "-TLSv1", "-TLSv1.1"], true).is_empty());
        assert!(legacy_protocols(&["-all", "+TLSv1.2", "+TLSv1.3"], true).is_empty());
        assert!(!weak_ciphers("HIGH:!aNULL:RC4-SHA").is_empty());
        assert!(weak_ciphers("HIGH:!aNULL:!MD5").is_empty());
        assert!(weak_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-CHACHA20-POLY1305").is_empty());
        assert!(!weak_ciphers("ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA").is_empty());
        assert!(!weak_ciphers("ALL:!aNULL").is_empty());
        assert!(weak_ciphers("ALL:!aNULL:!eNULL:!RC4:!DES:!3DES:!EXPORT:!MD5:!LOW").is_empty());
        assert_eq!(
            hsts_max_age("max-age=63072000; includeSubDomains"),
            Some(63_072_000)
        );
    }

    #[test]
    fn nginx_servers() {
        let conf = "server {\n  listen 80;\n  server_name example.com;\n  return 301 https://$host$request_uri;\n}\nserver {\n  listen 443 ssl;\n  ssl_protocols TLSv1 TLSv1.2;\n  add_header Strict-Transport-Security \"max-age=3600\" always;\n  root /srv;\n}\nserver {\n  listen 8080;\n  root /srv;\n}\n";
        let got = ids(conf);
        assert!(
            got.contains(&("web/tls-legacy-protocol", "TLSv1".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("web/missing-hsts", "max-age=3600".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("web/http-without-https-redirect", "listen 8080;".into())),
            "{got:?}"
        );
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn apache_vhosts() {
        let conf = "<VirtualHost *:80>\n  DocumentRoot /var/www\n</VirtualHost>\n<VirtualHost *:443>\n  SSLEngine on\n  SSLProtocol all -SSLv3\n  SSLCipherSuite HIGH:!aNULL:!MD5\n</VirtualHost>\n";
        let got: Vec<&str> = ids(conf).into_iter().map(|(id, _)| id).collect();
        assert_eq!(
            got,
            vec![
                "web/tls-legacy-protocol",
                "web/http-without-https-redirect",
                "web/missing-hsts"
            ]
        );
    }
}
