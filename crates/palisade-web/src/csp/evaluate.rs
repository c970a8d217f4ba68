//! Evaluating the policies a page or response receives: what the browser lets scripts,
//! plugins and `<base>` do under all of them together, and what is written wrongly.
//!
//! Several enforced policies are all applied: a script runs only if every one allows it, so a
//! weakness is reported only when each enforced policy has it. Report-only policies protect
//! nothing; they are never counted as protection and only get a [`Check::ReportOnly`] issue
//! (plus their syntax checks) when no enforced policy is present.

use super::parse::{Delivery, Directive, Disposition, Keyword, Policy, Source, parse_source};
use palisade_core::{Confidence, Severity};
use std::ops::Range;

/// What an issue is about; each kind is one `web/csp-…` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Neither `script-src` (nor `script-src-elem`/`-attr`) nor `default-src`.
    MissingScriptRestriction,
    /// `'unsafe-inline'` that takes effect (no nonce, hash or `'strict-dynamic'` beside it).
    UnsafeInline,
    /// `'unsafe-eval'` in the scripts' list.
    UnsafeEval,
    /// `*`, `http:`, `https:`, `data:`, `blob:`, `filesystem:` or a `*` host in script sources.
    PermissiveScriptSource,
    /// An allow-listed host that serves JSONP, old AngularJS or anyone's files.
    BypassableHost,
    /// Plugins (`<object>`, `<embed>`) not restricted.
    MissingObjectSrc,
    /// No `base-uri` in a nonce- or hash-based policy.
    MissingBaseUri,
    /// No `frame-ancestors` in a header policy.
    MissingFrameAncestors,
    /// A source reached over plain HTTP.
    PlainHttpSource,
    /// Unknown, misspelled, deprecated, duplicated or ignored directive.
    InvalidDirective,
    /// Unquoted keyword, unknown keyword, malformed source, `'none'` beside other sources.
    InvalidSource,
    /// A nonce shorter than 128 bits, or a fixed nonce written in a static file.
    WeakNonce,
    /// `'strict-dynamic'` with no nonce or hash to start the trust from.
    StrictDynamicWithoutNonce,
    /// Only a report-only policy: nothing is blocked.
    ReportOnly,
}

/// One thing found in a set of policies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub check: Check,
    pub severity: Severity,
    /// Set when the check is less sure than its rule's default.
    pub confidence: Option<Confidence>,
    /// Which policy of the evaluated slice it is in.
    pub policy: usize,
    /// The directive it is about (as used: the fallback directive when one applied).
    pub directive: Option<String>,
    /// The offending source expression or directive name, as written.
    pub value: Option<String>,
    /// Where in the text the policies were parsed from (a token, a directive, a policy).
    pub range: Range<usize>,
    pub message: String,
}

/// How the policies reached the evaluator.
#[derive(Clone, Copy, Debug, Default)]
pub struct EvalOptions {
    /// The policy is written literally in a file served as is (a static HTML page, a web
    /// server configuration): a nonce in it is the same for every response.
    pub static_source: bool,
}

/// The strict policy every script finding points to.
pub const STRICT_POLICY_HINT: &str = "a strict policy loads scripts by nonce or hash: script-src 'nonce-{random}' 'strict-dynamic'; object-src 'none'; base-uri 'none'";

const KNOWN_DIRECTIVES: &[&str] = &[
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "object-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "fenced-frame-src",
    "base-uri",
    "sandbox",
    "form-action",
    "frame-ancestors",
    "report-uri",
    "report-to",
    "upgrade-insecure-requests",
    "require-trusted-types-for",
    "trusted-types",
    "webrtc",
];

/// Directives browsers removed or never shipped, with what to use instead.
const DEPRECATED_DIRECTIVES: &[(&str, &str)] = &[
    (
        "block-all-mixed-content",
        "browsers now block or upgrade mixed content by themselves; use upgrade-insecure-requests if needed",
    ),
    (
        "plugin-types",
        "removed from CSP Level 3; use object-src 'none'",
    ),
    (
        "referrer",
        "never part of a CSP standard browsers keep; use the Referrer-Policy header",
    ),
    (
        "reflected-xss",
        "removed; browsers dropped their XSS auditors",
    ),
    (
        "disown-opener",
        "never shipped; use the Cross-Origin-Opener-Policy header",
    ),
    (
        "prefetch-src",
        "removed from CSP Level 3; default-src or the fetch directive of the resource applies",
    ),
    ("navigate-to", "removed from CSP Level 3 before shipping"),
    (
        "require-sri-for",
        "never shipped in current browsers; add integrity attributes instead",
    ),
];

/// Directives a `<meta>` element cannot set (CSP Level 3, section 3.3).
const IGNORED_IN_META: &[&str] = &["frame-ancestors", "report-uri", "sandbox"];

/// Directives whose value is a source list.
fn takes_sources(name: &str) -> bool {
    name.ends_with("-src")
        || name.ends_with("-src-elem")
        || name.ends_with("-src-attr")
        || matches!(name, "base-uri" | "form-action" | "frame-ancestors")
}

/// The directive that governs script elements (`script-src-elem` → `script-src` →
/// `default-src`).
pub fn script_elem_directive(policy: &Policy) -> Option<&Directive> {
    policy
        .get("script-src-elem")
        .or_else(|| policy.get("script-src"))
        .or_else(|| policy.get("default-src"))
}

/// The directive that governs inline event handlers (`script-src-attr` → `script-src` →
/// `default-src`).
pub fn script_attr_directive(policy: &Policy) -> Option<&Directive> {
    policy
        .get("script-src-attr")
        .or_else(|| policy.get("script-src"))
        .or_else(|| policy.get("default-src"))
}

/// The directive that governs `eval` and friends (`script-src` → `default-src`).
pub fn eval_directive(policy: &Policy) -> Option<&Directive> {
    policy
        .get("script-src")
        .or_else(|| policy.get("default-src"))
}

/// The directive that governs `<object>`/`<embed>` (`object-src` → `default-src`).
pub fn object_directive(policy: &Policy) -> Option<&Directive> {
    policy
        .get("object-src")
        .or_else(|| policy.get("default-src"))
}

/// A directive's sources, parsed, each with its token.
fn sources(d: &Directive) -> impl Iterator<Item = (Source, &super::parse::Token)> {
    d.values.iter().map(|t| (parse_source(&t.text), t))
}

fn has_keyword(d: &Directive, k: Keyword) -> bool {
    sources(d).any(|(s, _)| s == Source::Keyword(k))
}

fn has_nonce_or_hash(d: &Directive) -> bool {
    sources(d).any(|(s, _)| matches!(s, Source::Nonce(_) | Source::Hash(..)))
}

/// Whether a list of script sources trusts hosts and schemes at all (`'strict-dynamic'`
/// makes browsers ignore them, and `'unsafe-inline'` and `'self'` too).
fn hosts_ignored(d: &Directive) -> bool {
    has_keyword(d, Keyword::StrictDynamic)
}

/// Whether `'unsafe-inline'` in `d` takes effect.
fn inline_allowed(d: &Directive) -> bool {
    has_keyword(d, Keyword::UnsafeInline) && !has_nonce_or_hash(d) && !hosts_ignored(d)
}

/// Whether the source is one that lets any script in (for the script lists).
fn permissive(source: &Source) -> Option<&'static str> {
    match source {
        Source::Wildcard => Some("`*` allows scripts from any host"),
        Source::Scheme(s) => match s.as_str() {
            "http" => Some("`http:` allows scripts from any host over plain HTTP"),
            "https" => Some("`https:` allows scripts from any HTTPS host"),
            "data" => Some("`data:` allows scripts written into the URL itself"),
            "blob" => Some("`blob:` allows scripts built from page-created blobs"),
            "filesystem" => Some("`filesystem:` allows scripts from the page's file system"),
            "ws" | "wss" => None,
            _ => None,
        },
        Source::Host(h) if h.host == "*" => Some("a `*` host allows scripts from any host"),
        _ => None,
    }
}

/// The bypass table: (host pattern, kind, provenance).
fn bypass_table() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    include_str!("bypass_hosts.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut parts = l.split('\t');
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
}

/// The bypass entry a host source (without a path) matches, if any.
pub fn bypass_entry(host: &str) -> Option<(&'static str, &'static str, &'static str)> {
    let host = host.trim_end_matches('.');
    bypass_table().find(|(pattern, _, _)| match pattern.strip_prefix("*.") {
        // A wildcard entry: only a source that allows every subdomain is a bypass.
        Some(suffix) => host
            .strip_prefix("*.")
            .is_some_and(|h| h == suffix || suffix.ends_with(&format!(".{h}"))),
        None => {
            host == *pattern
                || host
                    .strip_prefix("*.")
                    .is_some_and(|suffix| pattern.ends_with(&format!(".{suffix}")))
        }
    })
}

fn is_placeholder_nonce(value: &str) -> bool {
    value.contains(['$', '{', '}', '%', '<', '>', '[', ']']) || value.contains("__")
}

fn is_loopback_host(host: &str) -> bool {
    palisade_knowledge::hosts::is_loopback(host)
}

fn issue(
    check: Check,
    severity: Severity,
    policy: usize,
    directive: Option<&str>,
    value: Option<&str>,
    range: Range<usize>,
    message: String,
) -> Issue {
    Issue {
        check,
        severity,
        confidence: None,
        policy,
        directive: directive.map(str::to_string),
        value: value.map(str::to_string),
        range,
        message,
    }
}

/// Evaluates the policies one page or response receives.
pub fn evaluate(policies: &[Policy], options: EvalOptions) -> Vec<Issue> {
    let mut out = Vec::new();
    for (i, policy) in policies.iter().enumerate() {
        syntax_checks(i, policy, options, &mut out);
    }
    let enforced: Vec<(usize, &Policy)> = policies
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.disposition == Disposition::Enforce
                // A report-only policy in <meta> is ignored (reported by syntax checks).
                && !p.directives.iter().all(|d| d.duplicate)
        })
        .collect();
    if enforced.is_empty() {
        if let Some((i, p)) = policies
            .iter()
            .enumerate()
            .find(|(_, p)| p.disposition == Disposition::ReportOnly)
        {
            out.push(issue(
                Check::ReportOnly,
                Severity::Medium,
                i,
                None,
                None,
                p.range.clone(),
                "only a report-only policy is set here: browsers report violations but block nothing, so it gives no protection; enforce it with Content-Security-Policy once the reports are clean".to_string(),
            ));
        }
        return out;
    }
    weakness_checks(&enforced, &mut out);
    out
}

/// Checks that combine the enforced policies: a weakness counts only if each has it; the
/// issue is placed in the first.
fn weakness_checks(enforced: &[(usize, &Policy)], out: &mut Vec<Issue>) {
    let (first_index, first) = enforced[0];
    let all = |f: &dyn Fn(&Policy) -> bool| enforced.iter().all(|(_, p)| f(p));

    // No script restriction at all.
    if all(&|p| script_elem_directive(p).is_none() && script_attr_directive(p).is_none()) {
        out.push(issue(
            Check::MissingScriptRestriction,
            Severity::High,
            first_index,
            None,
            None,
            first.range.clone(),
            format!(
                "the policy has neither script-src nor default-src, so it does not restrict scripts at all; {STRICT_POLICY_HINT}"
            ),
        ));
    } else {
        script_checks(enforced, out);
    }

    // Plugins.
    if all(&|p| object_directive(p).is_none()) {
        out.push(issue(
            Check::MissingObjectSrc,
            Severity::Medium,
            first_index,
            None,
            None,
            first.range.clone(),
            "no object-src (and no default-src): <object> and <embed> may load plugin content from anywhere; add object-src 'none'".to_string(),
        ));
    } else if all(&|p| {
        object_directive(p).is_some_and(|d| sources(d).any(|(s, _)| permissive(&s).is_some()))
    }) && let Some(d) = object_directive(first)
        && let Some((s, t)) = sources(d).find(|(s, _)| permissive(s).is_some())
    {
        let _ = s;
        out.push(issue(
            Check::MissingObjectSrc,
            Severity::Medium,
            first_index,
            Some(&d.name),
            Some(&t.text),
            t.range.clone(),
            format!(
                "`{}` in {} lets <object> and <embed> load plugin content from anywhere; set object-src 'none'",
                t.text, d.name
            ),
        ));
    }

    // <base> hijacking defeats nonce- and hash-based policies.
    if all(&|p| {
        p.get("base-uri").is_none() && script_elem_directive(p).is_some_and(has_nonce_or_hash)
    }) {
        let d = script_elem_directive(first);
        out.push(issue(
            Check::MissingBaseUri,
            Severity::High,
            first_index,
            d.map(|d| d.name.as_str()),
            None,
            d.map_or(first.range.clone(), |d| d.range.clone()),
            "no base-uri in a policy that trusts scripts by nonce or hash: an injected <base href> points the page's relative script URLs at the attacker's host, and nonced scripts then load from it; add base-uri 'none' (or 'self')".to_string(),
        ));
    }

    // Clickjacking: only a header can set frame-ancestors.
    if all(&|p| p.delivery == Delivery::Header && p.get("frame-ancestors").is_none()) {
        out.push(issue(
            Check::MissingFrameAncestors,
            Severity::Low,
            first_index,
            None,
            None,
            first.range.clone(),
            "no frame-ancestors: any site may frame these pages (clickjacking) unless X-Frame-Options is sent too; add frame-ancestors 'none' or 'self'".to_string(),
        ));
    }

    // Plain HTTP sources, per policy (each one loads what it allows over HTTP).
    for &(i, p) in enforced {
        for d in p
            .directives
            .iter()
            .filter(|d| !d.duplicate && takes_sources(&d.name))
        {
            let script = d.name.starts_with("script-src") || d.name == "default-src";
            for (s, t) in sources(d) {
                let plain = match &s {
                    Source::Host(h) => {
                        h.scheme.as_deref() == Some("http") && !is_loopback_host(&h.host)
                    }
                    Source::Scheme(s) => s == "http" && !script,
                    _ => false,
                };
                if plain {
                    out.push(issue(
                        Check::PlainHttpSource,
                        if script { Severity::Medium } else { Severity::Low },
                        i,
                        Some(&d.name),
                        Some(&t.text),
                        t.range.clone(),
                        format!(
                            "{} allows `{}` over plain HTTP: anyone on the network path can replace what it serves; use https://",
                            d.name, t.text
                        ),
                    ));
                }
            }
        }
    }
}

fn script_checks(enforced: &[(usize, &Policy)], out: &mut Vec<Issue>) {
    let (first_index, first) = enforced[0];
    let all = |f: &dyn Fn(&Policy) -> bool| enforced.iter().all(|(_, p)| f(p));

    // 'unsafe-inline' in effect for elements or for event-handler attributes.
    let elem_inline = |p: &Policy| script_elem_directive(p).is_none_or(inline_allowed);
    let attr_inline = |p: &Policy| script_attr_directive(p).is_none_or(inline_allowed);
    if all(&elem_inline) || all(&attr_inline) {
        let d = if all(&elem_inline) {
            script_elem_directive(first)
        } else {
            script_attr_directive(first)
        };
        if let Some(d) = d
            && let Some((_, t)) =
                sources(d).find(|(s, _)| *s == Source::Keyword(Keyword::UnsafeInline))
        {
            out.push(issue(
                Check::UnsafeInline,
                Severity::High,
                first_index,
                Some(&d.name),
                Some(&t.text),
                t.range.clone(),
                format!(
                    "'unsafe-inline' in {} lets any injected <script> or event handler run, which is what a CSP is meant to stop; {STRICT_POLICY_HINT}",
                    d.name
                ),
            ));
        }
    }

    // 'unsafe-eval'.
    if all(&|p| eval_directive(p).is_some_and(|d| has_keyword(d, Keyword::UnsafeEval)))
        && let Some(d) = eval_directive(first)
        && let Some((_, t)) = sources(d).find(|(s, _)| *s == Source::Keyword(Keyword::UnsafeEval))
    {
        out.push(issue(
            Check::UnsafeEval,
            Severity::Medium,
            first_index,
            Some(&d.name),
            Some(&t.text),
            t.range.clone(),
            format!(
                "'unsafe-eval' in {} lets strings become code (eval, new Function, string timers): an injected string reaching them runs; remove it and replace the code that needs it",
                d.name
            ),
        ));
    }

    // Sources that let in any script, and allow-listed bypass hosts.
    let permissive_in = |p: &Policy| {
        script_elem_directive(p)
            .is_some_and(|d| !hosts_ignored(d) && sources(d).any(|(s, _)| permissive(&s).is_some()))
    };
    if all(&permissive_in)
        && let Some(d) = script_elem_directive(first)
    {
        for (s, t) in sources(d) {
            if let Some(why) = permissive(&s) {
                out.push(issue(
                    Check::PermissiveScriptSource,
                    Severity::High,
                    first_index,
                    Some(&d.name),
                    Some(&t.text),
                    t.range.clone(),
                    format!(
                        "{why} ({}): an attacker who can inject a <script src> loads their own code; {STRICT_POLICY_HINT}",
                        d.name
                    ),
                ));
            }
        }
    }
    let bypass_in = |p: &Policy| {
        script_elem_directive(p).is_some_and(|d| {
            !hosts_ignored(d)
                && sources(d).any(|(s, _)| {
                    matches!(&s, Source::Host(h) if h.path.as_deref().is_none_or(|p| p == "/") && bypass_entry(&h.host).is_some())
                })
        })
    };
    if all(&bypass_in)
        && let Some(d) = script_elem_directive(first)
    {
        for (s, t) in sources(d) {
            let Source::Host(h) = &s else { continue };
            if h.path.as_deref().is_some_and(|p| p != "/") {
                continue;
            }
            if let Some((pattern, kind, _)) = bypass_entry(&h.host) {
                let what = match kind {
                    "angular" => {
                        "serves old AngularJS versions, whose template expressions run under any allow-list policy"
                    }
                    "jsonp" => "has JSONP endpoints that wrap attacker-chosen text in a callback",
                    _ => "serves files anyone can publish",
                };
                let mut found = issue(
                    Check::BypassableHost,
                    Severity::High,
                    first_index,
                    Some(&d.name),
                    Some(&t.text),
                    t.range.clone(),
                    format!(
                        "`{}` in {} {what} ({pattern}), so an injected <script src> pointing there runs the attacker's code; {STRICT_POLICY_HINT}",
                        t.text, d.name
                    ),
                );
                found.confidence = Some(Confidence::Medium);
                out.push(found);
            }
        }
    }

    // 'strict-dynamic' with nothing to trust first.
    for &(i, p) in enforced {
        if let Some(d) = script_elem_directive(p)
            && has_keyword(d, Keyword::StrictDynamic)
            && !has_nonce_or_hash(d)
            && let Some((_, t)) =
                sources(d).find(|(s, _)| *s == Source::Keyword(Keyword::StrictDynamic))
        {
            out.push(issue(
                Check::StrictDynamicWithoutNonce,
                Severity::Low,
                i,
                Some(&d.name),
                Some(&t.text),
                t.range.clone(),
                format!(
                    "'strict-dynamic' in {} makes browsers ignore host and 'self' sources, but there is no nonce or hash to start from: no script can load in current browsers (older ones fall back to the host list); add 'nonce-…' or 'sha256-…'",
                    d.name
                ),
            ));
        }
    }
}

/// Checks of how one policy is written, enforced or not.
fn syntax_checks(i: usize, policy: &Policy, options: EvalOptions, out: &mut Vec<Issue>) {
    // A policy written in a server-side template (`{{ api_url }}`, `{% … %}`, `<%= … %>`,
    // `${…}`): its template tokens are not sources, and what they become is unknown.
    let templated = policy.directives.iter().any(|d| {
        d.values.iter().any(|t| {
            ["{{", "}}", "{%", "%}", "<%", "%>", "${"]
                .iter()
                .any(|m| t.text.contains(m))
        })
    });
    if policy.delivery == Delivery::Meta && policy.disposition == Disposition::ReportOnly {
        out.push(issue(
            Check::InvalidDirective,
            Severity::Low,
            i,
            None,
            None,
            policy.range.clone(),
            "a report-only policy in <meta> is ignored by browsers; send Content-Security-Policy-Report-Only as a header".to_string(),
        ));
    }
    for d in &policy.directives {
        let name = d.name.as_str();
        if d.duplicate {
            out.push(issue(
                Check::InvalidDirective,
                Severity::Low,
                i,
                Some(name),
                Some(&d.raw_name),
                d.range.clone(),
                format!(
                    "{name} appears twice in one policy; browsers use the first and ignore this one (merge the sources into the first)"
                ),
            ));
            continue;
        }
        if let Some((_, why)) = DEPRECATED_DIRECTIVES.iter().find(|(n, _)| *n == name) {
            out.push(issue(
                Check::InvalidDirective,
                Severity::Info,
                i,
                Some(name),
                Some(&d.raw_name),
                d.range.clone(),
                format!("{name} is deprecated or unsupported: {why}"),
            ));
            continue;
        }
        if !KNOWN_DIRECTIVES.contains(&name) {
            let bare = name.trim_end_matches([':', '=']);
            let suggestion = closest_directive(bare);
            let message = match suggestion {
                Some(s) => format!(
                    "unknown directive `{}`; browsers ignore it — did you mean {s}?",
                    d.raw_name
                ),
                None => format!("unknown directive `{}`; browsers ignore it", d.raw_name),
            };
            out.push(issue(
                Check::InvalidDirective,
                if suggestion.is_some() {
                    Severity::Medium
                } else {
                    Severity::Low
                },
                i,
                Some(name),
                Some(&d.raw_name),
                d.range.clone(),
                message,
            ));
            continue;
        }
        if policy.delivery == Delivery::Meta && IGNORED_IN_META.contains(&name) {
            out.push(issue(
                Check::InvalidDirective,
                Severity::Low,
                i,
                Some(name),
                Some(&d.raw_name),
                d.range.clone(),
                format!("{name} is ignored in a <meta> policy; send it in the Content-Security-Policy header"),
            ));
            continue;
        }
        if !takes_sources(name) {
            continue;
        }
        let parsed: Vec<(Source, &super::parse::Token)> = sources(d).collect();
        if parsed.len() > 1
            && let Some((_, t)) = parsed
                .iter()
                .find(|(s, _)| *s == Source::Keyword(Keyword::None))
        {
            out.push(issue(
                Check::InvalidSource,
                Severity::Low,
                i,
                Some(name),
                Some(&t.text),
                t.range.clone(),
                format!(
                    "'none' in {name} beside other sources is ignored; the other sources apply"
                ),
            ));
        }
        for (s, t) in &parsed {
            let unquoted_keyword = matches!(
                t.text.to_ascii_lowercase().as_str(),
                "self"
                    | "none"
                    | "unsafe-inline"
                    | "unsafe-eval"
                    | "strict-dynamic"
                    | "unsafe-hashes"
                    | "report-sample"
            ) || {
                let lower = t.text.to_ascii_lowercase();
                lower.starts_with("nonce-")
                    || lower.starts_with("sha256-")
                    || lower.starts_with("sha384-")
                    || lower.starts_with("sha512-")
            };
            let message = if unquoted_keyword {
                Some(format!(
                    "`{}` in {name} lacks its single quotes, so browsers read it as a host name; write '{}'",
                    t.text, t.text
                ))
            } else {
                match s {
                    Source::UnknownQuoted(q) => {
                        Some(format!("unknown keyword {q} in {name}; browsers ignore it"))
                    }
                    Source::Invalid(_) if templated => None,
                    Source::Invalid(v) => Some(format!(
                        "`{v}` in {name} is not a valid source expression; browsers ignore it"
                    )),
                    _ => None,
                }
            };
            if let Some(message) = message {
                out.push(issue(
                    Check::InvalidSource,
                    Severity::Medium,
                    i,
                    Some(name),
                    Some(&t.text),
                    t.range.clone(),
                    message,
                ));
            }
            if let Source::Nonce(value) = s
                && !is_placeholder_nonce(value)
            {
                let bits = value.trim_end_matches('=').len() * 6;
                if bits < 128 {
                    out.push(issue(
                        Check::WeakNonce,
                        Severity::Medium,
                        i,
                        Some(name),
                        Some(&t.text),
                        t.range.clone(),
                        format!(
                            "the nonce in {name} carries about {bits} bits; use at least 128 random bits (22 base64 characters), new for every response"
                        ),
                    ));
                } else if options.static_source {
                    out.push(issue(
                        Check::WeakNonce,
                        Severity::High,
                        i,
                        Some(name),
                        Some(&t.text),
                        t.range.clone(),
                        format!(
                            "the nonce in {name} is written into a static file, so every response carries the same one and an attacker can copy it into injected scripts; generate a new random nonce per response"
                        ),
                    ));
                }
            }
        }
    }
}

/// The known directive nearest `name` within two edits (the first of equals), for "did you
/// mean" suggestions. A fuzzed policy is thousands of unknown names: the name's characters
/// are collected once, and a directive whose length alone puts it out of reach is not
/// compared at all.
fn closest_directive(name: &str) -> Option<&'static str> {
    let name: Vec<char> = name.chars().take(64).collect();
    let mut rows = (Vec::new(), Vec::new());
    KNOWN_DIRECTIVES
        .iter()
        .filter_map(|k| Some((edit_distance_within(&name, k, 2, &mut rows)?, *k)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The Levenshtein distance between `a` and `b` (ASCII, as every known directive is) when it
/// is at most `max`; `None` beyond, decided from the lengths alone or as soon as a whole row
/// of the table exceeds `max`. `rows` are buffers reused between calls.
fn edit_distance_within(
    a: &[char],
    b: &str,
    max: usize,
    rows: &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    let b = b.as_bytes();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (prev, cur) = rows;
    prev.clear();
    prev.extend(0..=b.len());
    for (i, &ca) in a.iter().enumerate() {
        cur.clear();
        cur.push(i + 1);
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != char::from(cb));
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        if cur.iter().all(|&d| d > max) {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= max)
}

#[cfg(test)]
mod tests {
    use super::super::parse::{parse_header_value, parse_policy};
    use super::*;

    fn checks(policy: &str) -> Vec<Check> {
        let p = parse_header_value(policy, Disposition::Enforce);
        let mut c: Vec<Check> = evaluate(&p, EvalOptions::default())
            .into_iter()
            .map(|i| i.check)
            .collect();
        c.sort();
        c.dedup();
        c
    }

    #[test]
    fn a_strict_policy_has_nothing_but_the_frame_note() {
        assert_eq!(
            checks(
                "script-src 'nonce-r4nd0mR4nd0mR4nd0mR4nd0m' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'"
            ),
            vec![Check::MissingFrameAncestors]
        );
    }

    #[test]
    fn fallback_from_default_src() {
        let c = checks(
            "default-src 'self' 'unsafe-inline' 'unsafe-eval' https:; frame-ancestors 'none'",
        );
        assert_eq!(
            c,
            vec![
                Check::UnsafeInline,
                Check::UnsafeEval,
                Check::PermissiveScriptSource,
                Check::MissingObjectSrc
            ]
        );
    }

    #[test]
    fn missing_everything() {
        let c = checks("img-src 'self'; frame-ancestors 'self'");
        assert_eq!(
            c,
            vec![Check::MissingScriptRestriction, Check::MissingObjectSrc]
        );
    }

    #[test]
    fn nonce_cancels_unsafe_inline_but_needs_base_uri() {
        let c = checks(
            "script-src 'nonce-r4nd0mR4nd0mR4nd0mR4nd0m' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'",
        );
        assert_eq!(c, vec![Check::MissingBaseUri]);
    }

    #[test]
    fn a_second_policy_can_close_a_hole() {
        let c = checks("script-src 'unsafe-inline' https:, script-src 'self'; object-src 'none'");
        assert!(!c.contains(&Check::UnsafeInline), "{c:?}");
        assert!(!c.contains(&Check::PermissiveScriptSource), "{c:?}");
    }

    #[test]
    fn report_only_is_not_protection() {
        let p = parse_header_value("script-src 'self'", Disposition::ReportOnly);
        let issues = evaluate(&p, EvalOptions::default());
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].check, Check::ReportOnly);
    }

    #[test]
    fn bypass_hosts_and_wildcards() {
        let c = checks(
            "script-src 'self' ajax.googleapis.com *.github.io me.github.io; object-src 'none'; frame-ancestors 'none'",
        );
        assert_eq!(c, vec![Check::BypassableHost]);
        let p = parse_header_value(
            "script-src 'self' ajax.googleapis.com *.github.io me.github.io",
            Disposition::Enforce,
        );
        let n = evaluate(&p, EvalOptions::default())
            .into_iter()
            .filter(|i| i.check == Check::BypassableHost)
            .count();
        assert_eq!(n, 2);
        assert!(bypass_entry("*.googleapis.com").is_some());
        assert!(bypass_entry("cdn.example.com").is_none());
    }

    #[test]
    fn written_wrongly() {
        let c = checks(
            "script-src self 'nonce-abc'; scirpt-src x; default-src 'none'; reflected-xss block",
        );
        assert_eq!(
            c,
            vec![
                Check::MissingBaseUri,
                Check::MissingFrameAncestors,
                Check::InvalidDirective,
                Check::InvalidSource,
                Check::WeakNonce
            ]
        );
    }

    #[test]
    fn meta_ignores_some_directives() {
        let p = parse_policy(
            "default-src 'self'; frame-ancestors 'none'",
            Disposition::Enforce,
            Delivery::Meta,
        );
        let issues = evaluate(&[p], EvalOptions::default());
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].check, Check::InvalidDirective);
    }

    #[test]
    fn static_nonce_is_reused() {
        let p = parse_header_value(
            "script-src 'nonce-r4nd0mR4nd0mR4nd0mR4nd0m'; object-src 'none'; base-uri 'none'",
            Disposition::Enforce,
        );
        let issues = evaluate(
            &p,
            EvalOptions {
                static_source: true,
            },
        );
        assert!(issues.iter().any(|i| i.check == Check::WeakNonce));
        let templated = parse_header_value(
            "script-src 'nonce-$request_id'; object-src 'none'; base-uri 'none'",
            Disposition::Enforce,
        );
        let issues = evaluate(
            &templated,
            EvalOptions {
                static_source: true,
            },
        );
        assert!(!issues.iter().any(|i| i.check == Check::WeakNonce));
    }

    /// Plain Levenshtein, the reference for the bounded one.
    fn levenshtein(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                cur.push(
                    (prev[j] + usize::from(ca != *cb))
                        .min(prev[j + 1] + 1)
                        .min(cur[j] + 1),
                );
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn bounded_edit_distance_agrees_with_levenshtein_within_the_bound() {
        let names = [
            "",
            "s",
            "scirpt-src",
            "script-src",
            "scripts-src",
            "imgsrc",
            "img-src-",
            "base-url",
            "sandbox",
            "sandboxx",
            "frame-ancestor",
            "ｓcript-src",
            "webrtc",
            "trusted-type",
        ];
        let mut rows = (Vec::new(), Vec::new());
        for name in names {
            let chars: Vec<char> = name.chars().collect();
            for known in KNOWN_DIRECTIVES {
                let want = levenshtein(name, known);
                for max in 0..4 {
                    assert_eq!(
                        edit_distance_within(&chars, known, max, &mut rows),
                        (want <= max).then_some(want),
                        "{name} vs {known} within {max}"
                    );
                }
            }
        }
        assert_eq!(closest_directive("scirpt-src"), Some("script-src"));
        assert_eq!(closest_directive("img-src-x"), Some("img-src"));
        assert_eq!(closest_directive("frame-ancestor"), Some("frame-ancestors"));
        assert_eq!(closest_directive("completely-unknown"), None);
    }

    /// Found by the csp fuzz target (about 1,000 inputs a second, most of the time in the
    /// suggestion for unknown directives): a policy of many long unknown names is evaluated
    /// with a suggestion only where one is near, and without comparing the far ones.
    #[test]
    fn many_unknown_directives_are_suggested_for_cheaply() {
        let mut policy = String::from("scirpt-src 'self'; ");
        for i in 0..5_000 {
            policy.push_str(&format!("x-{i:0>40}-src a; y{i}-src b; "));
        }
        let p = parse_header_value(&policy, Disposition::Enforce);
        let issues = evaluate(&p, EvalOptions::default());
        let suggested = issues
            .iter()
            .filter(|i| i.check == Check::InvalidDirective && i.message.contains("did you mean"))
            .count();
        assert_eq!(suggested, 1);
        let unknown = issues
            .iter()
            .filter(|i| i.check == Check::InvalidDirective)
            .count();
        assert_eq!(unknown, 10_001);
    }
}
