//! A small reader of nginx configuration syntax: directives (`name arg …;`) and blocks
//! (`name arg … { … }`), with quoted arguments, `#` comments and the place of everything, so
//! the server checks can walk `http` → `server` → `location` as nginx does. It reads
//! syntax only; nothing is resolved or run. Unbalanced braces end the block they are in;
//! nesting beyond a bound is flattened instead of recursed into.

use std::ops::Range;

/// One directive, or a block with its children.
#[derive(Clone, Debug, Default)]
pub struct Directive {
    pub name: String,
    /// The arguments, unquoted, each with where it is written.
    pub args: Vec<(String, Range<usize>)>,
    /// From the name to the `;` or the closing `}`.
    pub range: Range<usize>,
    /// `Some` for a block.
    pub block: Option<Vec<Directive>>,
}

impl Directive {
    pub fn children(&self) -> &[Directive] {
        self.block.as_deref().unwrap_or(&[])
    }

    pub fn arg(&self, i: usize) -> Option<&str> {
        self.args.get(i).map(|(a, _)| a.as_str())
    }
}

/// Blocks nested deeper than this are read as flat lists (no unbounded recursion).
const MAX_DEPTH: usize = 64;

/// Reads a whole configuration file.
pub fn parse(text: &str) -> Vec<Directive> {
    let mut i = 0;
    block(text, &mut i, 0)
}

fn block(text: &str, i: &mut usize, depth: usize) -> Vec<Directive> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    loop {
        let mut current: Option<Directive> = None;
        loop {
            skip_space(b, i);
            let Some(&c) = b.get(*i) else {
                if let Some(d) = current.take() {
                    out.push(d);
                }
                return out;
            };
            match c {
                b';' => {
                    *i += 1;
                    if let Some(mut d) = current.take() {
                        d.range.end = *i;
                        out.push(d);
                    }
                    break;
                }
                b'{' => {
                    *i += 1;
                    let mut d = current.take().unwrap_or_default();
                    if d.name.is_empty() {
                        d.range = *i - 1..*i;
                    }
                    let children = if depth < MAX_DEPTH {
                        block(text, i, depth + 1)
                    } else {
                        Vec::new()
                    };
                    d.block = Some(children);
                    d.range.end = *i;
                    out.push(d);
                    break;
                }
                b'}' => {
                    *i += 1;
                    if let Some(d) = current.take() {
                        out.push(d);
                    }
                    if depth > 0 {
                        return out;
                    }
                    break;
                }
                _ => {
                    let (word, range) = word(text, i);
                    match current.as_mut() {
                        None => {
                            current = Some(Directive {
                                name: word,
                                args: Vec::new(),
                                range: range.clone(),
                                block: None,
                            })
                        }
                        Some(d) => {
                            d.args.push((word, range.clone()));
                            d.range.end = range.end;
                        }
                    }
                }
            }
        }
    }
}

fn skip_space(b: &[u8], i: &mut usize) {
    while *i < b.len() {
        if b[*i].is_ascii_whitespace() {
            *i += 1;
        } else if b[*i] == b'#' {
            while *i < b.len() && b[*i] != b'\n' {
                *i += 1;
            }
        } else {
            return;
        }
    }
}

/// A bare or quoted word at `i` (quotes removed, `\` escapes kept as written).
fn word(text: &str, i: &mut usize) -> (String, Range<usize>) {
    let b = text.as_bytes();
    let start = *i;
    if b[start] == b'"' || b[start] == b'\'' {
        let q = b[start];
        let mut j = start + 1;
        while j < b.len() && b[j] != q {
            if b[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        let end = j.min(b.len());
        *i = (end + 1).min(b.len());
        return (text[start + 1..end].to_string(), start + 1..end);
    }
    let mut j = start;
    while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b';' | b'{' | b'}') {
        // `${var}` inside a word keeps its braces.
        if b[j] == b'$' && b.get(j + 1) == Some(&b'{') {
            j = text[j..].find('}').map_or(b.len(), |e| j + e + 1);
            continue;
        }
        j += 1;
    }
    let j = j.max(start + 1).min(b.len());
    *i = j;
    (text[start..j].to_string(), start..j)
}

/// Every `server` block of the file, whether at the top (an included file) or in `http`,
/// with the `add_header` lines of the level it inherits from (`http`).
pub fn servers(config: &[Directive]) -> Vec<(&Directive, Vec<&Directive>)> {
    let mut out = Vec::new();
    let top_headers: Vec<&Directive> = config.iter().filter(|d| d.name == "add_header").collect();
    for d in config {
        match (d.name.as_str(), &d.block) {
            ("server", Some(_)) => out.push((d, top_headers.clone())),
            ("http", Some(children)) => {
                let http_headers: Vec<&Directive> =
                    children.iter().filter(|d| d.name == "add_header").collect();
                for s in children
                    .iter()
                    .filter(|c| c.name == "server" && c.block.is_some())
                {
                    out.push((s, http_headers.clone()));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_directives_and_quotes() {
        let text = "http {\n  add_header X-A \"a b\" always; # c\n  server {\n    listen 443 ssl;\n    location / { return 301 https://$host$request_uri; }\n  }\n}\n";
        let config = parse(text);
        assert_eq!(config.len(), 1);
        let servers = servers(&config);
        assert_eq!(servers.len(), 1);
        let (server, inherited) = &servers[0];
        assert_eq!(inherited.len(), 1);
        assert_eq!(inherited[0].arg(1), Some("a b"));
        assert_eq!(server.children()[0].name, "listen");
        assert_eq!(server.children()[1].children()[0].arg(0), Some("301"));
    }

    #[test]
    fn broken_and_deep_input() {
        for text in [
            "}",
            "{",
            "server {",
            "a \"b",
            "listen 80",
            ";;;",
            "${",
            "a ${b",
        ] {
            let _ = parse(text);
        }
        let deep = format!("{}{}", "a {".repeat(10_000), "}".repeat(10_000));
        let _ = parse(&deep);
    }
}
