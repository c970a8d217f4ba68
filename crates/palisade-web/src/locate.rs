//! Where policies are set: HTML `<meta http-equiv>`, nginx `add_header`, Apache `Header set`,
//! Netlify/Cloudflare `_headers`, `netlify.toml`, `vercel.json`, `firebase.json`,
//! `staticwebapp.config.json`, and server code that sets the header from a string literal.
//! Every policy keeps its place in the file so findings land on its line.

use crate::csp::{self, Delivery, Policy};
use std::ops::Range;

/// Policies set at one place of a file.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// What set them (`nginx add_header`, `<meta http-equiv>`, …).
    pub what: &'static str,
    pub policies: Vec<Policy>,
    /// The policy text when it is not verbatim in the file (HTML entities decoded): ranges
    /// of `policies` then point into this text and are mapped to `base`.
    pub decoded: Option<String>,
    /// Where the value starts in the file.
    pub base: usize,
    /// For a policy assembled from several literals (helmet, django-csp, Talisman): which
    /// part of `decoded` came from where in the file.
    pub pieces: Vec<Piece>,
    /// Why the policy may differ from what is served (parts that are not literals): its
    /// findings are then low confidence.
    pub uncertain: Option<String>,
    /// The same code sends X-Frame-Options (helmet and Talisman do by default), so a missing
    /// frame-ancestors is not a gap.
    pub frames_guarded: bool,
}

/// A part of an assembled policy text and where it is written in the file.
#[derive(Clone, Debug)]
pub struct Piece {
    pub decoded: Range<usize>,
    pub file: Range<usize>,
    /// The file holds the part byte for byte, so offsets inside it map one to one.
    pub verbatim: bool,
}

impl Found {
    /// A range of a policy mapped to bytes of the file.
    pub fn file_range(&self, range: Range<usize>) -> Range<usize> {
        if self.decoded.is_none() {
            return range;
        }
        let Some(piece) = self
            .pieces
            .iter()
            .find(|p| p.decoded.start <= range.start && range.start < p.decoded.end)
        else {
            return self.base..self.base;
        };
        if !piece.verbatim {
            return piece.file.clone();
        }
        let start = piece.file.start + (range.start - piece.decoded.start);
        let end = piece.file.start + (range.end.min(piece.decoded.end) - piece.decoded.start);
        start..end.max(start)
    }
}

/// The kind of file, by name, as far as policies go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigKind {
    Html,
    /// nginx or Apache configuration (both are tried: their directives do not overlap).
    Server,
    Headers,
    NetlifyToml,
    Json,
    Code,
}

/// How a file at `path` is read for policies, if at all.
pub fn config_kind(path: &str) -> Option<ConfigKind> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let in_dir = |d: &str| path.split('/').any(|p| p == d || p.starts_with(d));
    Some(match (name.as_str(), ext) {
        (_, "html" | "htm" | "xhtml") => ConfigKind::Html,
        ("_headers", _) => ConfigKind::Headers,
        ("netlify.toml", _) => ConfigKind::NetlifyToml,
        ("vercel.json" | "firebase.json" | "staticwebapp.config.json" | "now.json", _) => {
            ConfigKind::Json
        }
        (".htaccess" | "nginx.conf" | "httpd.conf" | "apache2.conf", _) => ConfigKind::Server,
        (_, "conf" | "vhost" | "nginx") => ConfigKind::Server,
        _ if (in_dir("sites-") || in_dir("conf.d") || in_dir("nginx"))
            && (ext.is_empty() || ext == "conf") =>
        {
            ConfigKind::Server
        }
        _ => return code_kind(ext),
    })
}

fn code_kind(ext: &str) -> Option<ConfigKind> {
    matches!(
        ext,
        "py" | "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" | "rb" | "php" | "go"
    )
    .then_some(ConfigKind::Code)
}

/// Every place of `text` that sets a policy.
pub fn find(kind: ConfigKind, text: &str) -> Vec<Found> {
    match kind {
        ConfigKind::Html => html_meta(text),
        ConfigKind::Server => {
            let mut found = nginx(text);
            found.extend(apache(text));
            found
        }
        ConfigKind::Headers => headers_file(text),
        ConfigKind::NetlifyToml => toml_pairs(text),
        ConfigKind::Json => json(text),
        ConfigKind::Code => code(text),
    }
}

fn header_found(what: &'static str, text: &str, name: &str, value: Range<usize>) -> Option<Found> {
    let disposition = csp::disposition_of_header(name)?;
    Some(Found {
        what,
        policies: csp::parse_header_value_at(text, value.clone(), disposition),
        decoded: None,
        base: value.start,
        ..Found::default()
    })
}

/// `<meta http-equiv="Content-Security-Policy" content="…">`.
fn html_meta(text: &str) -> Vec<Found> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<meta") {
        let start = from + at;
        let end = lower[start..].find('>').map_or(text.len(), |e| start + e);
        from = end.max(start + 5);
        let attrs = attributes(text, start + 5..end);
        let equiv = attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("http-equiv"))
            .map(|(_, v)| text[v.clone()].trim().to_string());
        let Some(disposition) = equiv.as_deref().and_then(csp::disposition_of_header) else {
            continue;
        };
        let Some((_, content)) = attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content"))
        else {
            continue;
        };
        let raw = &text[content.clone()];
        if raw.contains('&') {
            let decoded = decode_entities(raw);
            let policy = csp::parse_policy(&decoded, disposition, Delivery::Meta);
            out.push(Found {
                what: "<meta http-equiv>",
                policies: vec![policy],
                decoded: Some(decoded),
                base: content.start,
                ..Found::default()
            });
        } else {
            // A meta policy is one policy: commas are not separators there.
            let policy = csp::parse_policy_at(text, content.clone(), disposition, Delivery::Meta);
            out.push(Found {
                what: "<meta http-equiv>",
                policies: vec![policy],
                decoded: None,
                base: content.start,
                ..Found::default()
            });
        }
    }
    out
}

/// The attributes of a tag between `range` (after the tag name, before `>`): names and the
/// ranges of their values (without quotes).
pub(crate) fn attributes_pub(text: &str, range: Range<usize>) -> Vec<(String, Range<usize>)> {
    attributes(text, range)
}

fn attributes(text: &str, range: Range<usize>) -> Vec<(String, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    let end = range.end.min(text.len());
    while i < end {
        while i < end && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < end && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' && bytes[i] != b'/' {
            i += 1;
        }
        if i == name_start {
            i += 1;
            continue;
        }
        let name = text.get(name_start..i).unwrap_or("").to_string();
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < end && bytes[i] == b'=' {
            i += 1;
            while i < end && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < end && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let value_start = i + 1;
                let value_end = bytes[value_start..end]
                    .iter()
                    .position(|&b| b == quote)
                    .map_or(end, |p| value_start + p);
                out.push((name, value_start..value_end));
                i = value_end + 1;
            } else {
                let value_start = i;
                while i < end && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                out.push((name, value_start..i));
            }
        } else {
            out.push((name, i..i));
        }
    }
    out
}

fn decode_entities(raw: &str) -> String {
    raw.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Reads a quoted or bare value starting at `i` (after whitespace): its content range and
/// the index after it. A quoted value may span lines.
fn value_at(text: &str, mut i: usize, bare_end: &[u8]) -> Option<(Range<usize>, usize)> {
    let bytes = text.as_bytes();
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    if i >= bytes.len() {
        return None;
    }
    if bytes[i] == b'"' || bytes[i] == b'\'' {
        let quote = bytes[i];
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j] != quote {
            if bytes[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        let end = j.min(bytes.len());
        return Some((start..end, end + 1));
    }
    let start = i;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !bare_end.contains(&bytes[i]) {
        i += 1;
    }
    Some((start..i, i))
}

/// Offsets of the lines of `text` with their comment-free part's end (`#` starts a comment
/// outside quotes).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line)
    })
}

/// nginx: `add_header Content-Security-Policy "…" [always];`
fn nginx(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (start, line) in lines(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("add_header") else {
            continue;
        };
        if !rest.starts_with([' ', '\t']) {
            continue;
        }
        let at = start + (line.len() - trimmed.len()) + "add_header".len();
        let Some((name, after)) = value_at(text, at, b";") else {
            continue;
        };
        let Some((value, _)) = value_at(text, after, b";") else {
            continue;
        };
        if let Some(f) = header_found("nginx add_header", text, &text[name], value) {
            out.push(f);
        }
    }
    out
}

/// Apache: `Header [always] set|add|append|setifempty Content-Security-Policy "…"`.
fn apache(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (start, line) in lines(text) {
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let mut words = trimmed.split_ascii_whitespace();
        if !words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("header"))
        {
            continue;
        }
        // Walk to the header name: skip the condition and the action.
        let mut pos = start + lead + "header".len();
        let mut action_seen = false;
        let mut name = None;
        for _ in 0..3 {
            let Some((range, after)) = value_at(text, pos, b"") else {
                break;
            };
            let word = text[range.clone()].to_ascii_lowercase();
            pos = after;
            if !action_seen {
                if matches!(word.as_str(), "always" | "onsuccess") {
                    continue;
                }
                if matches!(
                    word.as_str(),
                    "set" | "add" | "append" | "setifempty" | "merge"
                ) {
                    action_seen = true;
                    continue;
                }
                break;
            }
            name = Some(range);
            break;
        }
        let Some(name) = name else { continue };
        let Some((value, _)) = value_at(text, pos, b"") else {
            continue;
        };
        if let Some(f) = header_found("Apache Header", text, &text[name], value) {
            out.push(f);
        }
    }
    out
}

/// Netlify / Cloudflare Pages `_headers`: `  Content-Security-Policy: …` under a path line.
fn headers_file(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (start, line) in lines(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let Some((name, value)) = trimmed.split_once(':') else {
            continue;
        };
        let lead = line.len() - trimmed.len();
        let value_start = start + lead + name.len() + 1;
        let value_trimmed = value.trim_start();
        let vs = value_start + (value.len() - value_trimmed.len());
        let ve = vs + value_trimmed.trim_end().len();
        if let Some(f) = header_found("_headers", text, name, vs..ve) {
            out.push(f);
        }
    }
    out
}

/// `netlify.toml`: `Content-Security-Policy = "…"` inside `[headers.values]`.
fn toml_pairs(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (start, line) in lines(text) {
        let trimmed = line.trim_start();
        let Some((name, _)) = trimmed.split_once('=') else {
            continue;
        };
        let name = name.trim().trim_matches(['"', '\'']);
        if csp::disposition_of_header(name).is_none() {
            continue;
        }
        let eq = start + (line.len() - trimmed.len()) + trimmed.find('=').unwrap_or(0) + 1;
        if let Some((value, _)) = value_at(text, eq, b"")
            && let Some(f) = header_found("netlify.toml", text, name, value)
        {
            out.push(f);
        }
    }
    out
}

/// JSON string literals of `text` with their content ranges (escapes left as written).
fn json_strings(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != b'"' {
                if bytes[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = j.min(bytes.len());
            out.push(start..end);
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// `vercel.json` / `firebase.json` (`{"key": "Content-Security-Policy", "value": "…"}`) and
/// `staticwebapp.config.json` (`"content-security-policy": "…"`).
fn json(text: &str) -> Vec<Found> {
    let strings = json_strings(text);
    let mut out = Vec::new();
    for (k, s) in strings.iter().enumerate() {
        let name = &text[s.clone()];
        if csp::disposition_of_header(name).is_none() {
            continue;
        }
        let after = text[s.end..].trim_start_matches(['"', ' ', '\t', '\r', '\n']);
        let value = if after.starts_with(':') {
            strings.get(k + 1)
        } else {
            // `"key": "<name>", "value": "<policy>"` (either order is rare; take the
            // `value` string right after).
            strings
                .get(k + 1)
                .filter(|v| &text[(*v).clone()] == "value")
                .and_then(|_| strings.get(k + 2))
        };
        let Some(value) = value else { continue };
        if text[value.clone()].contains('\\') {
            continue;
        }
        if let Some(f) = header_found("hosting configuration", text, name, value.clone()) {
            out.push(f);
        }
    }
    out
}

/// Server code that sets the header from a string literal on the same line:
/// `res.setHeader("Content-Security-Policy", "…")`, `response["Content-Security-Policy"] = "…"`,
/// `{"Content-Security-Policy": "…"}`.
fn code(text: &str) -> Vec<Found> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("content-security-policy") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (start, line) in lines(text) {
        let line_lower = &lower[start..start + line.len()];
        let Some(at) = line_lower.find("content-security-policy") else {
            continue;
        };
        let name_start = start + at;
        let mut name_end = name_start + "content-security-policy".len();
        if lower[name_end..].starts_with("-report-only") {
            name_end += "-report-only".len();
        }
        // The name must be a whole string literal.
        let Some(&quote) = text.as_bytes().get(name_end) else {
            continue;
        };
        if !matches!(quote, b'"' | b'\'' | b'`')
            || name_start == 0
            || text.as_bytes()[name_start - 1] != quote
        {
            continue;
        }
        let rest_start = name_end + 1;
        let rest = &text[rest_start..start + line.len()];
        let sep = rest.trim_start_matches([' ', '\t', ']', ')', ',', ':', '=']);
        let skipped = rest.len() - sep.len();
        if skipped == 0 || !rest[..skipped].contains([',', ':', '=']) {
            continue;
        }
        let Some(&q) = sep.as_bytes().first() else {
            continue;
        };
        if !matches!(q, b'"' | b'\'' | b'`') {
            continue;
        }
        let value_start = rest_start + skipped + 1;
        let Some(len) = text[value_start..start + line.len()].find(q as char) else {
            continue;
        };
        let value = value_start..value_start + len;
        if let Some(f) = header_found("server code", text, &text[name_start..name_end], value) {
            out.push(f);
        }
    }
    out
}

/// Whether the text shows a policy set in a way the locators above do not read (helmet,
/// django-csp, Flask-Talisman, a header built from variables): a project with one of these
/// is not "without a CSP".
pub fn mentions_csp(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("content-security-policy")
        || lower.contains("contentsecuritypolicy")
        || lower.contains("content_security_policy")
        || lower.contains("csp_default_src")
        || lower.contains("csp_script_src")
        || lower.contains("csp.middleware")
        || lower.contains("talisman(")
        || lower.contains("require('helmet')")
        || lower.contains("require(\"helmet\")")
        || lower.contains("from 'helmet'")
        || lower.contains("from \"helmet\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(kind: ConfigKind, text: &str) -> Vec<String> {
        find(kind, text)
            .iter()
            .flat_map(|f| f.policies.iter().map(|p| text[p.range.clone()].to_string()))
            .collect()
    }

    #[test]
    fn nginx_and_apache() {
        let conf = "server {\n  add_header Content-Security-Policy \"default-src 'self'\" always;\n  # add_header Content-Security-Policy \"x\";\n  add_header X-Frame-Options DENY;\n}\nHeader always set Content-Security-Policy \"script-src 'self'\"\n";
        assert_eq!(
            values(ConfigKind::Server, conf),
            vec!["default-src 'self'", "script-src 'self'"]
        );
    }

    #[test]
    fn meta_headers_json_code() {
        let html = "<head><META http-equiv=\"content-security-policy\" content=\"script-src 'self'\"></head>";
        assert_eq!(values(ConfigKind::Html, html), vec!["script-src 'self'"]);
        let headers =
            "/*\n  X-Frame-Options: DENY\n  Content-Security-Policy: default-src 'self'\n";
        assert_eq!(
            values(ConfigKind::Headers, headers),
            vec!["default-src 'self'"]
        );
        let json = r#"{"headers":[{"source":"/(.*)","headers":[{"key":"Content-Security-Policy","value":"default-src 'self'"}]}]}"#;
        assert_eq!(values(ConfigKind::Json, json), vec!["default-src 'self'"]);
        let js = "res.setHeader('Content-Security-Policy', \"default-src 'self'\");\n";
        assert_eq!(values(ConfigKind::Code, js), vec!["default-src 'self'"]);
        let py = "response['Content-Security-Policy'] = \"script-src 'self'\"\n";
        assert_eq!(values(ConfigKind::Code, py), vec!["script-src 'self'"]);
    }

    #[test]
    fn kinds_by_path() {
        assert_eq!(
            config_kind("deploy/nginx/site.conf"),
            Some(ConfigKind::Server)
        );
        assert_eq!(
            config_kind("etc/nginx/sites-available/default"),
            Some(ConfigKind::Server)
        );
        assert_eq!(config_kind("public/_headers"), Some(ConfigKind::Headers));
        assert_eq!(config_kind("web/index.html"), Some(ConfigKind::Html));
        assert_eq!(config_kind("README.md"), None);
    }
}
