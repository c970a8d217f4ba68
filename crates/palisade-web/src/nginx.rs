//! A small reader of nginx configuration syntax: directives (`name arg …;`) and blocks
//! (`name arg … { … }`), with quoted arguments, `#` comments and the place of everything, so
//! the server checks can walk `http` → `server` → `location` as nginx does. It reads
//! syntax only; nothing is run. Unbalanced braces end the block they are in; nesting beyond
//! a bound is flattened instead of recursed into.
//!
//! [`compose`] follows `include` directives across the scanned files as nginx does: the
//! included directives take the `include` line's place (so `add_header` inheritance sees
//! them), each keeping the file it is written in.

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
    /// Which file of a composed configuration the directive is written in (an index into
    /// [`Composed::files`]; 0 for a file read alone).
    pub file: usize,
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
                                file: 0,
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

/// Whether a server configuration file is nginx's: it has a directive only nginx has (a
/// `server`, `http` or `location` block, `listen`, `add_header`, `ssl_*`, `include`, …).
pub fn looks_like_nginx(text: &str) -> bool {
    fn any(config: &[Directive], depth: usize) -> bool {
        config.iter().any(|d| {
            matches!(
                (d.name.as_str(), d.block.is_some()),
                ("server" | "http" | "location" | "upstream" | "events", true)
                    | (
                        "listen"
                            | "add_header"
                            | "more_set_headers"
                            | "ssl_protocols"
                            | "ssl_ciphers"
                            | "include"
                            | "return"
                            | "server_name"
                            | "proxy_pass"
                            | "root",
                        false
                    )
            ) || (depth < 2 && any(d.children(), depth + 1))
        })
    }
    any(&parse(text), 0)
}

/// Files that ship with nginx and hold nothing the checks read (MIME types, FastCGI, proxy
/// and uWSGI parameters, charset maps): an `include` of one that is not in the scan changes
/// nothing and is not worth a notice.
const STOCK_FILES: &[&str] = &[
    "mime.types",
    "fastcgi_params",
    "fastcgi.conf",
    "proxy_params",
    "uwsgi_params",
    "scgi_params",
    "koi-utf",
    "koi-win",
    "win-utf",
];

/// `include` chains deeper than this are not followed (nginx itself has no limit, but a
/// real configuration is a few levels deep).
const MAX_INCLUDE_DEPTH: usize = 16;

/// At most this many directives in one composed configuration (a snippet included by
/// thousands of blocks must not blow up the scan).
const MAX_COMPOSED_DIRECTIVES: usize = 200_000;

/// Whether an `include` names a file that ships with nginx (see [`STOCK_FILES`]).
pub fn is_stock_include(pattern: &str) -> bool {
    let name = pattern.rsplit('/').next().unwrap_or(pattern);
    STOCK_FILES.contains(&name)
}

/// The configurations of a scan with their `include`s followed.
#[derive(Debug, Default)]
pub struct Composed {
    /// Each configuration nginx could load: a file that no other scanned file includes, with
    /// what it includes spliced in place of each `include` line. Every directive's
    /// [`Directive::file`] says which input file it is written in.
    pub roots: Vec<Vec<Directive>>,
    /// Per input file, the `include` patterns in it that match no scanned file (files that
    /// ship with nginx left out), in order.
    pub unresolved: Vec<Vec<String>>,
}

/// Follows the `include` directives of the nginx files among `files` (path, and text for the
/// files that are nginx configurations; paths without text are scanned files that can be
/// included but hold no nginx directives). Paths are relative to the scan root, `/`-separated;
/// an include never reaches outside them.
///
/// Resolution, as nginx would find the file on the server the repository deploys to: a
/// relative path against the including file's folder, then each folder above it (nginx
/// resolves against its prefix, usually `/etc/nginx`, which is where `nginx.conf` lives); an
/// absolute path (`/etc/nginx/snippets/x.conf`) by its trailing components, the longest that
/// exists in the scan, preferring the copy nearest to the including file. Glob patterns
/// (`*`, `?`, `[…]`) expand in alphabetical order, as nginx's do. Cycles and chains deeper
/// than 16 stop where they would repeat.
pub fn compose(files: &[(&str, Option<&str>)]) -> Composed {
    let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    let parsed: Vec<Vec<Directive>> = files
        .iter()
        .map(|(_, text)| text.map(parse).unwrap_or_default())
        .collect();
    let mut composer = Composer {
        parsed: &parsed,
        resolved: Default::default(),
        budget: 0,
    };
    let mut unresolved: Vec<Vec<String>> = vec![Vec::new(); files.len()];
    let mut included = vec![false; files.len()];
    for (i, config) in parsed.iter().enumerate() {
        let mut includes = Vec::new();
        collect_includes(config, &mut includes);
        for d in includes {
            let pattern = d.arg(0).unwrap_or_default();
            let targets = resolve(pattern, paths[i], &paths);
            if targets.is_empty() {
                if !pattern.is_empty()
                    && !is_stock_include(pattern)
                    && !unresolved[i].iter().any(|u| u == pattern)
                {
                    unresolved[i].push(pattern.to_string());
                }
            } else {
                for &t in &targets {
                    if t != i {
                        included[t] = true;
                    }
                }
            }
            composer.resolved.insert((i, d.range.start), targets);
        }
    }
    let mut reached = vec![false; files.len()];
    let mut roots = Vec::new();
    let order = (0..files.len())
        .filter(|&i| files[i].1.is_some() && !included[i])
        .chain((0..files.len()).filter(|&i| files[i].1.is_some() && included[i]));
    for i in order.collect::<Vec<_>>() {
        // A file only ever included is read through its includers; one that is included
        // only inside a cycle nobody else reaches is read on its own.
        if included[i] && reached[i] {
            continue;
        }
        reached[i] = true;
        composer.budget = MAX_COMPOSED_DIRECTIVES;
        let mut stack = vec![i];
        let config = composer.expand(i, &parsed[i], &mut stack, &mut reached);
        roots.push(config);
    }
    Composed { roots, unresolved }
}

struct Composer<'p> {
    parsed: &'p [Vec<Directive>],
    /// The files each `include` (by its file and offset) resolved to.
    resolved: std::collections::HashMap<(usize, usize), Vec<usize>>,
    budget: usize,
}

impl Composer<'_> {
    fn expand(
        &mut self,
        file: usize,
        list: &[Directive],
        stack: &mut Vec<usize>,
        reached: &mut [bool],
    ) -> Vec<Directive> {
        let mut out = Vec::new();
        for d in list {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            if d.name == "include" && d.block.is_none() {
                let targets = self
                    .resolved
                    .get(&(file, d.range.start))
                    .cloned()
                    .unwrap_or_default();
                if targets.is_empty() {
                    // Kept, so the checks know something they cannot see may be there.
                    if !d.arg(0).is_some_and(is_stock_include) {
                        out.push(Directive { file, ..d.clone() });
                    }
                    continue;
                }
                for t in targets {
                    if stack.contains(&t) || stack.len() > MAX_INCLUDE_DEPTH {
                        continue;
                    }
                    reached[t] = true;
                    stack.push(t);
                    let parsed = self.parsed;
                    out.extend(self.expand(t, &parsed[t], stack, reached));
                    stack.pop();
                }
                continue;
            }
            let block = d
                .block
                .as_ref()
                .map(|children| self.expand(file, children, stack, reached));
            out.push(Directive {
                name: d.name.clone(),
                args: d.args.clone(),
                range: d.range.clone(),
                block,
                file,
            });
        }
        out
    }
}

fn collect_includes<'d>(config: &'d [Directive], out: &mut Vec<&'d Directive>) {
    for d in config {
        if d.name == "include" && d.block.is_none() {
            out.push(d);
        }
        collect_includes(d.children(), out);
    }
}

/// The indices of the `paths` an `include` pattern written in the file at `from` names
/// (see [`compose`]), in nginx's order.
pub fn resolve(pattern: &str, from: &str, paths: &[&str]) -> Vec<usize> {
    if pattern.is_empty() || pattern.contains('$') {
        return Vec::new();
    }
    let comps: Vec<&str> = pattern
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    let mut from_dir: Vec<&str> = from.split('/').collect();
    from_dir.pop();
    let split: Vec<Vec<&str>> = paths.iter().map(|p| p.split('/').collect()).collect();
    let absolute = pattern.starts_with('/');
    let last = if absolute {
        comps.len().saturating_sub(1)
    } else {
        0
    };
    // nginx's own prefix in an absolute path (`/etc/nginx`, `/usr/local/nginx/conf`): the
    // folders after it are the configuration's layout, which the repository may flatten.
    let prefix = comps.iter().rposition(|c| *c == "nginx").map_or(0, |n| {
        n + 1 + usize::from(comps.get(n + 1) == Some(&"conf"))
    });
    for k in 0..=last {
        let suffix = &comps[k.min(comps.len())..];
        if suffix.is_empty() {
            break;
        }
        // A bare glob left after dropping folders of the layout (`default.d/*.conf` →
        // `*.conf`) would match unrelated files next to the including one.
        if absolute && k > prefix && suffix.len() == 1 && suffix[0].contains(['*', '?', '[']) {
            break;
        }
        // The including file's folder, then each one above it.
        for up in (0..=from_dir.len()).rev() {
            let Some(full) = join(&from_dir[..up], suffix) else {
                continue;
            };
            let hits: Vec<usize> = (0..paths.len())
                .filter(|&i| components_match(&full, &split[i]))
                .collect();
            if !hits.is_empty() {
                return sorted(hits, paths);
            }
        }
        // Anywhere in the scan by its last two or more components, nearest copy first.
        if suffix.len() >= 2 && !suffix.contains(&"..") {
            let mut best: Option<(usize, Vec<&str>)> = None;
            let mut hits = Vec::new();
            for (i, p) in split.iter().enumerate() {
                if p.len() < suffix.len() {
                    continue;
                }
                let base = &p[..p.len() - suffix.len()];
                if !components_match(suffix, &p[base.len()..]) {
                    continue;
                }
                let near = base
                    .iter()
                    .zip(&from_dir)
                    .take_while(|(a, b)| a == b)
                    .count();
                match &best {
                    Some((n, b)) if *n > near || (*n == near && b.as_slice() < base) => {}
                    Some((n, b)) if *n == near && b.as_slice() == base => hits.push(i),
                    _ => {
                        best = Some((near, base.to_vec()));
                        hits = vec![i];
                    }
                }
            }
            if !hits.is_empty() {
                return sorted(hits, paths);
            }
        }
    }
    Vec::new()
}

fn sorted(mut hits: Vec<usize>, paths: &[&str]) -> Vec<usize> {
    hits.sort_by(|a, b| paths[*a].cmp(paths[*b]));
    hits
}

/// `base` + `rel`, with `..` taken back; `None` above the scan root.
fn join<'a>(base: &[&'a str], rel: &[&'a str]) -> Option<Vec<&'a str>> {
    let mut out = base.to_vec();
    for c in rel {
        if *c == ".." {
            out.pop()?;
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn components_match(pattern: &[&str], path: &[&str]) -> bool {
    pattern.len() == path.len()
        && pattern.iter().zip(path).all(|(p, s)| {
            // As glob(3) without GLOB_PERIOD: a wildcard never matches a leading dot
            // (`conf.d/*.conf` leaves out a disabled `.default.conf`).
            (!s.starts_with('.') || p.starts_with('.')) && glob(p.as_bytes(), s.as_bytes())
        })
}

/// One path component against a glob(3) pattern: `*`, `?` and `[…]` (with `!`/`^` and
/// ranges).
fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                b'*' => {
                    star = Some((pi, si));
                    pi += 1;
                    continue;
                }
                b'?' => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                b'[' => {
                    if let Some((ok, next)) = class(p, pi, s[si]) {
                        if ok {
                            pi = next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == b'[' {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                c if c == s[si] => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// A `[…]` class at `p[at]`: whether `c` is in it, and where the pattern continues; `None`
/// when the bracket is not closed (then it is a literal `[`).
fn class(p: &[u8], at: usize, c: u8) -> Option<(bool, usize)> {
    let mut i = at + 1;
    let negate = matches!(p.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    while i < p.len() && (p[i] != b']' || first) {
        first = false;
        if p.get(i + 1) == Some(&b'-') && p.get(i + 2).is_some_and(|&e| e != b']') {
            hit |= p[i] <= c && c <= p[i + 2];
            i += 3;
        } else {
            hit |= p[i] == c;
            i += 1;
        }
    }
    (i < p.len()).then_some((hit != negate, i + 1))
}

/// A block whose own `add_header` lines drop an enforced Content Security Policy it would
/// otherwise inherit (nginx inherits `add_header` from the enclosing level only when a block
/// has none of its own).
#[derive(Debug)]
pub struct DroppedPolicy<'d> {
    /// The block's first `add_header`.
    pub first: &'d Directive,
    /// The `add_header` of the lost policy.
    pub policy: &'d Directive,
    /// The block `include`s a file that is not in the scan (which may hold a policy).
    pub unseen_include: bool,
}

/// Every block of a (composed) configuration that drops the policy of the nearest level
/// above it that has `add_header` lines.
pub fn dropped_policies(config: &[Directive]) -> Vec<DroppedPolicy<'_>> {
    let mut out = Vec::new();
    let top = enforced_policy(config);
    dropped_in(config, top, &mut out);
    out
}

fn enforced_policy(level: &[Directive]) -> Option<&Directive> {
    level.iter().find(|d| {
        d.name == "add_header"
            && d.arg(0).and_then(crate::csp::disposition_of_header)
                == Some(crate::csp::Disposition::Enforce)
    })
}

fn dropped_in<'d>(
    list: &'d [Directive],
    inherited: Option<&'d Directive>,
    out: &mut Vec<DroppedPolicy<'d>>,
) {
    for d in list {
        let children = d.children();
        if d.block.is_none() {
            continue;
        }
        match children.iter().find(|c| c.name == "add_header") {
            Some(first) => {
                let own = enforced_policy(children);
                if own.is_none()
                    && let Some(policy) = inherited
                {
                    out.push(DroppedPolicy {
                        first,
                        policy,
                        unseen_include: children.iter().any(|c| c.name == "include"),
                    });
                }
                dropped_in(children, own, out);
            }
            None => dropped_in(children, inherited, out),
        }
    }
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

    #[test]
    fn globs() {
        assert!(glob(b"*.conf", b"site.conf"));
        assert!(!glob(b"*.conf", b"site.conf.bak"));
        assert!(glob(b"*", b"default"));
        assert!(glob(b"s?te.[cd]onf", b"site.conf"));
        assert!(!glob(b"[!a-z]*", b"abc"));
        assert!(glob(b"[", b"["));
        assert!(glob(b"a*b*c", b"aXbYbc"));
    }

    #[test]
    fn include_paths_resolve_like_nginx() {
        let paths = [
            "deploy/nginx/nginx.conf",
            "deploy/nginx/conf.d/app.conf",
            "deploy/nginx/conf.d/b.conf",
            "deploy/nginx/conf.d/notes.txt",
            "deploy/nginx/conf.d/.disabled.conf",
            "deploy/nginx/sites-available/shop",
            "deploy/nginx/snippets/ssl-params.conf",
            "other/nginx/snippets/ssl-params.conf",
            "top.conf",
        ];
        let names = |v: Vec<usize>| v.into_iter().map(|i| paths[i]).collect::<Vec<_>>();
        let from = "deploy/nginx/nginx.conf";
        assert_eq!(
            names(resolve("conf.d/*.conf", from, &paths)),
            ["deploy/nginx/conf.d/app.conf", "deploy/nginx/conf.d/b.conf"]
        );
        assert_eq!(
            names(resolve("/etc/nginx/conf.d/*.conf", from, &paths)),
            ["deploy/nginx/conf.d/app.conf", "deploy/nginx/conf.d/b.conf"]
        );
        // Against the prefix (the folder above sites-available), and by suffix, nearest first.
        let site = "deploy/nginx/sites-available/shop";
        assert_eq!(
            names(resolve("snippets/ssl-params.conf", site, &paths)),
            ["deploy/nginx/snippets/ssl-params.conf"]
        );
        assert_eq!(
            names(resolve("/etc/nginx/snippets/ssl-params.conf", site, &paths)),
            ["deploy/nginx/snippets/ssl-params.conf"]
        );
        assert_eq!(
            names(resolve("../top.conf", "deploy/x.conf", &paths)),
            ["top.conf"]
        );
        assert!(resolve("../../etc/passwd", "top.conf", &paths).is_empty());
        assert!(resolve("/etc/nginx/mime.types", from, &paths).is_empty());
        // A folder the repository lacks is not dropped to leave a bare glob.
        assert!(resolve("/etc/nginx/conf.d/default.d/*.conf", from, &paths).is_empty());
        // A named file kept elsewhere than nginx's layout says (a repository that installs
        // its folder as conf.d/).
        assert_eq!(
            names(resolve(
                "/etc/nginx/conf.d/top.conf",
                "deploy/x.conf",
                &paths
            )),
            ["top.conf"]
        );
        assert!(resolve("$conf/x.conf", from, &paths).is_empty());
        assert!(resolve("", from, &paths).is_empty());
    }

    #[test]
    fn includes_take_the_include_line_place() {
        let files = [
            (
                "nginx.conf",
                Some(
                    "http {\n  add_header Content-Security-Policy \"default-src 'self'\";\n  include conf.d/*.conf;\n  include mime.types;\n  include missing/*.conf;\n}\n",
                ),
            ),
            (
                "conf.d/site.conf",
                Some("server {\n  listen 443 ssl;\n  include snippets/h.conf;\n}\n"),
            ),
            (
                "snippets/h.conf",
                Some("add_header X-Frame-Options DENY;\n"),
            ),
            ("loop/a.conf", Some("include b.conf;\n")),
            (
                "loop/b.conf",
                Some("include a.conf;\nssl_protocols TLSv1;\n"),
            ),
        ];
        let composed = compose(&files);
        // nginx.conf, and the a/b cycle read once from a.
        assert_eq!(composed.roots.len(), 2, "{composed:?}");
        let http = &composed.roots[0][0];
        let server = &http.children()[1];
        assert_eq!(server.name, "server");
        assert_eq!(server.file, 1);
        let header = &server.children()[1];
        assert_eq!((header.name.as_str(), header.file), ("add_header", 2));
        // The unresolved include stays (checks lower their confidence), mime.types goes.
        assert_eq!(http.children().len(), 3);
        assert_eq!(composed.unresolved[0], vec!["missing/*.conf".to_string()]);
        let dropped = dropped_policies(&composed.roots[0]);
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0].first.file, 2);
        assert_eq!(dropped[0].policy.file, 0);
        // The cycle: a → b → (a again, not followed).
        let cycle = &composed.roots[1];
        assert_eq!(cycle.len(), 1);
        assert_eq!(cycle[0].file, 4);
        // A self-include and a deep chain end.
        let deep: Vec<(String, String)> = (0..40)
            .map(|i| (format!("d/{i}.conf"), format!("include {}.conf;\n", i + 1)))
            .collect();
        let files: Vec<(&str, Option<&str>)> = deep
            .iter()
            .map(|(p, t)| (p.as_str(), Some(t.as_str())))
            .chain([("self.conf", Some("include self.conf;"))])
            .collect();
        let _ = compose(&files);
    }
}
