//! Parsing Content Security Policies the way browsers do (CSP Level 3, "Parse a serialized
//! CSP" and "Parse a response's Content Security Policies").
//!
//! - A header value may hold several policies separated by commas; each is a list of
//!   directives separated by semicolons.
//! - A directive name is ASCII case-insensitive; a directive whose name was already seen in the
//!   same policy is ignored (the first one wins), and so is a name with characters outside
//!   the directive-name grammar.
//! - A value is a list of source expressions separated by ASCII whitespace. Keywords are
//!   case-insensitive and quoted; nonces and hashes keep their case.

use std::ops::Range;

/// Whether a policy is enforced or only reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// `Content-Security-Policy` (or a `<meta http-equiv>`): the browser blocks what it forbids.
    Enforce,
    /// `Content-Security-Policy-Report-Only`: violations are reported, nothing is blocked.
    ReportOnly,
}

/// Where a policy was delivered: some directives are ignored in a `<meta>` element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// An HTTP response header (server configuration, hosting config, server code, or a
    /// policy string given on the command line).
    Header,
    /// `<meta http-equiv="Content-Security-Policy" content="…">` in an HTML page.
    Meta,
}

/// One directive of a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The name, lowercased (`script-src`).
    pub name: String,
    /// The name as written.
    pub raw_name: String,
    /// The source expressions (or other tokens) of its value, as written.
    pub values: Vec<Token>,
    /// Where the directive (name and value) is in the policy text.
    pub range: Range<usize>,
    /// A later directive of the same name, ignored by browsers.
    pub duplicate: bool,
}

/// One whitespace-separated token of a directive value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    /// Where it is in the policy text.
    pub range: Range<usize>,
}

/// One serialized policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub disposition: Disposition,
    pub delivery: Delivery,
    /// Every directive in the order written, duplicates included (marked).
    pub directives: Vec<Directive>,
    /// Where the policy is in the text it was parsed from.
    pub range: Range<usize>,
}

impl Policy {
    /// The directive named `name` that browsers use (the first of that name).
    pub fn get(&self, name: &str) -> Option<&Directive> {
        self.directives
            .iter()
            .find(|d| !d.duplicate && d.name == name)
    }

    /// Whether the policy has no directive at all (an empty header).
    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }
}

/// Parses one serialized policy (no commas): `text[range]` is the policy; offsets stay
/// relative to `text`.
pub fn parse_policy_at(
    text: &str,
    range: Range<usize>,
    disposition: Disposition,
    delivery: Delivery,
) -> Policy {
    let mut directives: Vec<Directive> = Vec::new();
    let body = text.get(range.clone()).unwrap_or("");
    let mut offset = range.start;
    for part in body.split(';') {
        let part_start = offset;
        offset += part.len() + 1;
        let tokens = split_tokens(part, part_start);
        let Some((first, rest)) = tokens.split_first() else {
            continue;
        };
        let name = first.text.to_ascii_lowercase();
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            // Browsers drop a directive whose name is not ALPHA / DIGIT / "-".
            directives.push(Directive {
                name,
                raw_name: first.text.clone(),
                values: rest.to_vec(),
                range: first.range.start..rest.last().map_or(first.range.end, |t| t.range.end),
                duplicate: false,
            });
            continue;
        }
        let duplicate = directives.iter().any(|d| d.name == name);
        directives.push(Directive {
            name,
            raw_name: first.text.clone(),
            values: rest.to_vec(),
            range: first.range.start..rest.last().map_or(first.range.end, |t| t.range.end),
            duplicate,
        });
    }
    Policy {
        disposition,
        delivery,
        directives,
        range,
    }
}

/// Parses one serialized policy given alone (`palisade csp '<policy>'`).
pub fn parse_policy(text: &str, disposition: Disposition, delivery: Delivery) -> Policy {
    parse_policy_at(text, 0..text.len(), disposition, delivery)
}

/// Parses a header value, which may hold several comma-separated policies (and so may a
/// header sent twice, which is the same as one joined by a comma). Empty policies are
/// dropped, as browsers do.
pub fn parse_header_value(text: &str, disposition: Disposition) -> Vec<Policy> {
    parse_header_value_at(text, 0..text.len(), disposition)
}

/// [`parse_header_value`] of `text[range]`, with every range relative to `text`.
pub fn parse_header_value_at(
    text: &str,
    range: Range<usize>,
    disposition: Disposition,
) -> Vec<Policy> {
    let mut policies = Vec::new();
    let mut start = range.start;
    for part in text.get(range).unwrap_or("").split(',') {
        let range = start..start + part.len();
        start += part.len() + 1;
        let policy = parse_policy_at(text, range, disposition, Delivery::Header);
        if !policy.is_empty() {
            policies.push(policy);
        }
    }
    policies
}

/// Splits on ASCII whitespace, keeping each token's range (offset by `base`).
fn split_tokens(part: &str, base: usize) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in part.char_indices() {
        if c.is_ascii_whitespace() {
            if let Some(s) = start.take() {
                tokens.push(Token {
                    text: part[s..i].to_string(),
                    range: base + s..base + i,
                });
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        tokens.push(Token {
            text: part[s..].to_string(),
            range: base + s..base + part.len(),
        });
    }
    tokens
}

/// A keyword source (`'self'`, …), case-insensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    None,
    SelfOrigin,
    UnsafeInline,
    UnsafeEval,
    UnsafeHashes,
    StrictDynamic,
    ReportSample,
    WasmUnsafeEval,
    UnsafeAllowRedirects,
    InlineSpeculationRules,
}

impl Keyword {
    fn from_quoted(inner: &str) -> Option<Keyword> {
        Some(match inner.to_ascii_lowercase().as_str() {
            "none" => Keyword::None,
            "self" => Keyword::SelfOrigin,
            "unsafe-inline" => Keyword::UnsafeInline,
            "unsafe-eval" => Keyword::UnsafeEval,
            "unsafe-hashes" => Keyword::UnsafeHashes,
            "strict-dynamic" => Keyword::StrictDynamic,
            "report-sample" => Keyword::ReportSample,
            "wasm-unsafe-eval" | "wasm-eval" => Keyword::WasmUnsafeEval,
            "unsafe-allow-redirects" => Keyword::UnsafeAllowRedirects,
            "inline-speculation-rules" => Keyword::InlineSpeculationRules,
            _ => return None,
        })
    }

    /// The keyword as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::None => "'none'",
            Keyword::SelfOrigin => "'self'",
            Keyword::UnsafeInline => "'unsafe-inline'",
            Keyword::UnsafeEval => "'unsafe-eval'",
            Keyword::UnsafeHashes => "'unsafe-hashes'",
            Keyword::StrictDynamic => "'strict-dynamic'",
            Keyword::ReportSample => "'report-sample'",
            Keyword::WasmUnsafeEval => "'wasm-unsafe-eval'",
            Keyword::UnsafeAllowRedirects => "'unsafe-allow-redirects'",
            Keyword::InlineSpeculationRules => "'inline-speculation-rules'",
        }
    }
}

/// A host source: `[scheme://]host[:port][/path]`, where host may start with `*.` or be `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostSource {
    /// Lowercased scheme without `:`, if written.
    pub scheme: Option<String>,
    /// Lowercased host (`*.example.com`, `*`, `cdn.example.com`).
    pub host: String,
    pub port: Option<String>,
    /// The path, if written (`/js/`).
    pub path: Option<String>,
}

/// A parsed source expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Keyword(Keyword),
    /// `'nonce-<value>'`: the value as written.
    Nonce(String),
    /// `'sha256-<value>'` (or 384, 512): algorithm and value.
    Hash(String, String),
    /// `https:`, `data:`, `blob:` … lowercased without the colon.
    Scheme(String),
    /// `*` alone.
    Wildcard,
    Host(HostSource),
    /// A quoted token that is no known keyword (`'unsafe-dynamic'`).
    UnknownQuoted(String),
    /// Anything else the grammar does not accept.
    Invalid(String),
}

/// Parses one source expression.
pub fn parse_source(text: &str) -> Source {
    if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') {
        let inner = &text[1..text.len() - 1];
        if let Some(k) = Keyword::from_quoted(inner) {
            return Source::Keyword(k);
        }
        let lower = inner.to_ascii_lowercase();
        if lower.starts_with("nonce-") && inner.len() > 6 {
            return Source::Nonce(inner[6..].to_string());
        }
        for alg in ["sha256", "sha384", "sha512"] {
            if let Some(rest) = lower.strip_prefix(alg)
                && rest.starts_with('-')
                && inner.len() > alg.len() + 1
            {
                return Source::Hash(alg.to_string(), inner[alg.len() + 1..].to_string());
            }
        }
        return Source::UnknownQuoted(text.to_string());
    }
    if text == "*" {
        return Source::Wildcard;
    }
    // scheme-source: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
    if let Some(scheme) = text.strip_suffix(':')
        && is_scheme(scheme)
    {
        return Source::Scheme(scheme.to_ascii_lowercase());
    }
    parse_host_source(text).map_or_else(|| Source::Invalid(text.to_string()), Source::Host)
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn parse_host_source(text: &str) -> Option<HostSource> {
    let (scheme, rest) = match text.split_once("://") {
        Some((s, rest)) if is_scheme(s) => (Some(s.to_ascii_lowercase()), rest),
        Some(_) => return None,
        None => (None, text),
    };
    let host_end = rest.find([':', '/']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if host.is_empty() {
        return None;
    }
    // host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]
    let labels = host.strip_prefix("*.").unwrap_or(host);
    if host != "*"
        && !labels.split('.').enumerate().all(|(i, l)| {
            (!l.is_empty() || i > 0) && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    {
        return None;
    }
    let mut after = &rest[host_end..];
    let mut port = None;
    if let Some(p) = after.strip_prefix(':') {
        let end = p.find('/').unwrap_or(p.len());
        let digits = &p[..end];
        if digits != "*" && (digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit())) {
            return None;
        }
        port = Some(digits.to_string());
        after = &p[end..];
    }
    let path = (!after.is_empty()).then(|| after.to_string());
    if path.as_deref().is_some_and(|p| p.contains([',', ';'])) {
        return None;
    }
    Some(HostSource {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_policies_in_one_header_value() {
        let p = parse_header_value(
            "default-src 'self'; script-src 'nonce-abc', object-src 'none'",
            Disposition::Enforce,
        );
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].directives.len(), 2);
        assert_eq!(p[1].get("object-src").unwrap().values[0].text, "'none'");
    }

    #[test]
    fn first_directive_of_a_name_wins() {
        let p = parse_policy(
            "SCRIPT-SRC 'self'; script-src *",
            Disposition::Enforce,
            Delivery::Header,
        );
        let d = p.get("script-src").unwrap();
        assert_eq!(d.values[0].text, "'self'");
        assert!(p.directives[1].duplicate);
    }

    #[test]
    fn sources_are_classified() {
        assert_eq!(parse_source("'SELF'"), Source::Keyword(Keyword::SelfOrigin));
        assert_eq!(parse_source("'nonce-AbC'"), Source::Nonce("AbC".into()));
        assert_eq!(
            parse_source("'sha256-xyz='"),
            Source::Hash("sha256".into(), "xyz=".into())
        );
        assert_eq!(parse_source("https:"), Source::Scheme("https".into()));
        assert_eq!(parse_source("*"), Source::Wildcard);
        match parse_source("https://*.example.com:443/js/") {
            Source::Host(h) => {
                assert_eq!(h.scheme.as_deref(), Some("https"));
                assert_eq!(h.host, "*.example.com");
                assert_eq!(h.port.as_deref(), Some("443"));
                assert_eq!(h.path.as_deref(), Some("/js/"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse_source("self"), Source::Host(_)));
        assert!(matches!(
            parse_source("'unsafe-dynamic'"),
            Source::UnknownQuoted(_)
        ));
        assert!(matches!(parse_source("a:b:c"), Source::Invalid(_)));
    }

    #[test]
    fn ranges_point_into_the_text() {
        let text = "default-src 'self';  script-src https://cdn.example";
        let p = parse_policy(text, Disposition::Enforce, Delivery::Header);
        let d = p.get("script-src").unwrap();
        assert_eq!(&text[d.values[0].range.clone()], "https://cdn.example");
        assert_eq!(&text[d.range.clone()], "script-src https://cdn.example");
    }
}
