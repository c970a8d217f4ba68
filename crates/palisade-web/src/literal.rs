//! A small reader of literal values in Python and JavaScript/TypeScript source: strings,
//! lists/arrays/tuples, dicts/objects, booleans and `None`/`null`, with the place of every
//! part. Anything else (a call, a variable, an f-string or a template with `${…}`, a spread) is
//! kept as "not literal" with its place, so a caller can say what it could not read instead of
//! guessing. It reads only what it is pointed at; it never runs or imports anything.

use std::ops::Range;

/// Which language's comments and string forms apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Python,
    Js,
}

/// A value read from source.
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    /// A string literal (adjacent literals and `+` of literals joined). `range` is its
    /// content in the file; `verbatim` says the content is the value byte for byte (no
    /// escapes, no joining), so offsets inside it map straight to the file.
    Str {
        value: String,
        range: Range<usize>,
        verbatim: bool,
    },
    /// A list, array or tuple.
    List(Vec<Lit>, Range<usize>),
    /// A dict or object: keys that are literal names or strings, and their values. A
    /// computed key or a spread is an entry with no key.
    Map(Vec<Entry>, Range<usize>),
    Bool(bool, Range<usize>),
    /// `None`, `null`, `undefined`.
    Null(Range<usize>),
    /// A name or dotted name (`SELF`, `CSP.NONE`, `helmet.contentSecurityPolicy.x`).
    Name(String, Range<usize>),
    /// A function (`(req, res) => …`, `function …`, `lambda …`): its whole text.
    Func(Range<usize>),
    /// Anything else: a call, an f-string, an operator expression, a number.
    Other(Range<usize>),
}

/// One entry of a [`Lit::Map`].
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key, when it is a literal name or string.
    pub key: Option<String>,
    /// Where the key is written (the content of a string key).
    pub key_range: Range<usize>,
    pub value: Lit,
}

impl Lit {
    /// Where the value is in the file.
    pub fn range(&self) -> Range<usize> {
        match self {
            Lit::Str { range, .. }
            | Lit::List(_, range)
            | Lit::Map(_, range)
            | Lit::Bool(_, range)
            | Lit::Null(range)
            | Lit::Name(_, range)
            | Lit::Func(range)
            | Lit::Other(range) => range.clone(),
        }
    }

    /// The value of the entry `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        match self {
            Lit::Map(entries, _) => entries.iter().find(|e| e.key.as_deref() == Some(key)),
            _ => None,
        }
    }
}

/// Nesting beyond this is read as "not literal" (no recursion without bound).
const MAX_DEPTH: usize = 48;

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    lang: Lang,
}

/// Reads the value that starts at `at` (after optional whitespace and comments). Returns it
/// and the offset just after it, or `None` at the end of the text.
pub fn read(text: &str, at: usize, lang: Lang) -> Option<(Lit, usize)> {
    let r = Reader {
        text,
        bytes: text.as_bytes(),
        lang,
    };
    r.value(at, 0)
}

/// The arguments of a call whose `(` is at `open`: each with its keyword (`name=` in
/// Python) when it has one.
pub fn call_args(text: &str, open: usize, lang: Lang) -> Vec<(Option<String>, Lit)> {
    let r = Reader {
        text,
        bytes: text.as_bytes(),
        lang,
    };
    let mut out = Vec::new();
    if r.bytes.get(open) != Some(&b'(') {
        return out;
    }
    let mut i = open + 1;
    loop {
        i = r.skip_space(i);
        match r.bytes.get(i) {
            None | Some(b')') => break,
            Some(b',') => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let mut keyword = None;
        if lang == Lang::Python {
            let end = r.ident_end(i);
            let after = r.skip_space(end);
            if end > i && r.bytes.get(after) == Some(&b'=') && r.bytes.get(after + 1) != Some(&b'=')
            {
                keyword = Some(text[i..end].to_string());
                i = after + 1;
            }
        }
        let Some((value, end)) = r.value(i, 1) else {
            break;
        };
        out.push((keyword, value));
        i = r.skip_space(end);
        match r.bytes.get(i) {
            Some(b',') => i += 1,
            _ => break,
        }
    }
    out
}

impl Reader<'_> {
    fn skip_space(&self, mut i: usize) -> usize {
        let b = self.bytes;
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match (self.lang, b.get(i), b.get(i + 1)) {
                (Lang::Python, Some(b'#'), _) | (Lang::Js, Some(b'/'), Some(b'/')) => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                (Lang::Js, Some(b'/'), Some(b'*')) => {
                    i = self.text[i + 2..]
                        .find("*/")
                        .map_or(b.len(), |e| i + 2 + e + 2);
                }
                (Lang::Python, Some(b'\\'), Some(b'\n')) => i += 2,
                _ => return i,
            }
        }
    }

    fn ident_end(&self, mut i: usize) -> usize {
        let b = self.bytes;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
            i += 1;
        }
        i
    }

    /// A value and what follows it (string joining, calls, subscripts, arrows, operators).
    fn value(&self, at: usize, depth: usize) -> Option<(Lit, usize)> {
        let start = self.skip_space(at);
        if start >= self.bytes.len() {
            return None;
        }
        if depth > MAX_DEPTH {
            let end = self.expression_end(start);
            return Some((Lit::Other(start..end), end));
        }
        let (mut lit, mut end) = self.primary(start, depth)?;
        loop {
            let next = self.skip_space(end);
            let b = self.bytes.get(next).copied();
            // Python joins adjacent string literals; both languages join with `+`.
            let join_at = match b {
                Some(b'+') => Some(next + 1),
                Some(b'"' | b'\'') if self.lang == Lang::Python => Some(next),
                Some(c) if self.lang == Lang::Python && string_prefix_at(self.bytes, next, c) => {
                    Some(next)
                }
                _ => None,
            };
            if let Some(join_at) = join_at {
                let Some((right, right_end)) = self.primary(self.skip_space(join_at), depth) else {
                    return Some((Lit::Other(start..end), end));
                };
                lit = match (lit, right) {
                    (
                        Lit::Str {
                            value: a, range: r, ..
                        },
                        Lit::Str { value: b, .. },
                    ) => Lit::Str {
                        value: a + &b,
                        range: r,
                        verbatim: false,
                    },
                    _ => Lit::Other(start..right_end),
                };
                end = right_end;
                continue;
            }
            match b {
                // A call or subscript of what came before: not literal.
                Some(b'(' | b'[') if matches!(lit, Lit::Name(..) | Lit::Other(_)) => {
                    end = self.balanced_end(next);
                    lit = Lit::Other(start..end);
                }
                Some(b'=') if self.bytes.get(next + 1) == Some(&b'>') => {
                    let body_end = self.expression_end(next + 2);
                    return Some((Lit::Func(start..body_end), body_end));
                }
                Some(b'.') if !matches!(lit, Lit::Str { .. }) => {
                    let member_end = self.ident_end(next + 1);
                    if member_end == next + 1 {
                        return Some((lit, end));
                    }
                    lit = match lit {
                        Lit::Name(name, _) => Lit::Name(
                            format!("{name}.{}", &self.text[next + 1..member_end]),
                            start..member_end,
                        ),
                        _ => Lit::Other(start..member_end),
                    };
                    end = member_end;
                }
                Some(b'.') => {
                    // A method on a string (`"a b".split()`): not literal.
                    let e = self.expression_end(next);
                    return Some((Lit::Other(start..e), e));
                }
                Some(b'-' | b'*' | b'/' | b'%' | b'|' | b'&' | b'?') | Some(b'<' | b'>' | b'!') => {
                    let e = self.expression_end(next);
                    return Some((Lit::Other(start..e), e));
                }
                Some(b'i' | b'o' | b'a') if self.word_at(next, &["if", "or", "and"]) => {
                    let e = self.expression_end(next);
                    return Some((Lit::Other(start..e), e));
                }
                _ => return Some((lit, end)),
            }
        }
    }

    fn word_at(&self, i: usize, words: &[&str]) -> bool {
        let end = self.ident_end(i);
        words.contains(&&self.text[i..end])
    }

    fn primary(&self, start: usize, depth: usize) -> Option<(Lit, usize)> {
        let b = self.bytes;
        let c = *b.get(start)?;
        match c {
            b'{' => Some(self.map(start, depth)),
            b'[' => {
                let (items, end) = self.items(start, b']', depth);
                Some((Lit::List(items, start..end), end))
            }
            b'(' => {
                let close = self.balanced_end(start);
                let after = self.skip_space(close);
                if b.get(after) == Some(&b'=') && b.get(after + 1) == Some(&b'>') {
                    let end = self.expression_end(after + 2);
                    return Some((Lit::Func(start..end), end));
                }
                let (items, end) = self.items(start, b')', depth);
                let inner = &self.text[start + 1..end.saturating_sub(1).max(start + 1)];
                if items.len() == 1 && !inner.trim_end().ends_with(',') {
                    let item = items.into_iter().next()?;
                    return Some((item, end));
                }
                Some((Lit::List(items, start..end), end))
            }
            b'"' | b'\'' | b'`' => Some(self.string(start, start)),
            b'.' if b.get(start + 1) == Some(&b'.') => {
                let end = self.expression_end(start);
                Some((Lit::Other(start..end), end))
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                if self.lang == Lang::Python && string_prefix_at(b, start, c) {
                    let quote_at =
                        (start..b.len().min(start + 3)).find(|&k| b[k] == b'"' || b[k] == b'\'')?;
                    return Some(self.string(start, quote_at));
                }
                let end = self.ident_end(start);
                let word = &self.text[start..end];
                let lit = match word {
                    "True" | "true" => Lit::Bool(true, start..end),
                    "False" | "false" => Lit::Bool(false, start..end),
                    "None" | "null" | "undefined" => Lit::Null(start..end),
                    "lambda" | "function" | "async" => {
                        let e = self.expression_end(start);
                        return Some((Lit::Func(start..e), e));
                    }
                    "new" | "await" | "not" | "typeof" => {
                        let e = self.expression_end(start);
                        return Some((Lit::Other(start..e), e));
                    }
                    _ => Lit::Name(word.to_string(), start..end),
                };
                Some((lit, end))
            }
            _ => {
                let end = self.expression_end(start).max(start + 1);
                Some((Lit::Other(start..end), end))
            }
        }
    }

    /// A string at `start` (its prefix, if any) whose quote is at `quote_at`.
    fn string(&self, start: usize, quote_at: usize) -> (Lit, usize) {
        let b = self.bytes;
        let q = b[quote_at];
        let prefix = self.text[start..quote_at].to_ascii_lowercase();
        let triple = q != b'`'
            && self.lang == Lang::Python
            && b.get(quote_at + 1) == Some(&q)
            && b.get(quote_at + 2) == Some(&q);
        let open = if triple { 3 } else { 1 };
        let content_start = quote_at + open;
        let raw = prefix.contains('r');
        let mut i = content_start;
        let mut value = String::new();
        let mut verbatim = true;
        let mut interpolated = false;
        let content_end;
        loop {
            let Some(&c) = b.get(i) else {
                content_end = b.len();
                break;
            };
            if c == q && (!triple || (b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q))) {
                content_end = i;
                break;
            }
            if c == b'\n' && !triple && q != b'`' {
                // An unterminated string: stop at the line's end.
                content_end = i;
                break;
            }
            if c == b'\\' && !raw {
                verbatim = false;
                let next = b.get(i + 1).copied().unwrap_or(b'\\');
                match next {
                    b'n' => value.push('\n'),
                    b't' => value.push('\t'),
                    b'\n' => {}
                    _ => value.push(next as char),
                }
                i += 2;
                continue;
            }
            if q == b'`' && c == b'$' && b.get(i + 1) == Some(&b'{') {
                interpolated = true;
            }
            if prefix.contains('f') && c == b'{' {
                interpolated = true;
            }
            let ch_len = self.text[i..].chars().next().map_or(1, char::len_utf8);
            value.push_str(&self.text[i..i + ch_len]);
            i += ch_len;
        }
        let end = (content_end + open).min(b.len());
        if interpolated || prefix.contains('b') {
            return (Lit::Other(start..end), end);
        }
        (
            Lit::Str {
                value,
                range: content_start..content_end,
                verbatim,
            },
            end,
        )
    }

    /// Items of a list or tuple opened at `open`, up to `close`.
    fn items(&self, open: usize, close: u8, depth: usize) -> (Vec<Lit>, usize) {
        let mut items = Vec::new();
        let mut i = open + 1;
        loop {
            i = self.skip_space(i);
            match self.bytes.get(i) {
                None => return (items, self.bytes.len()),
                Some(&c) if c == close => return (items, i + 1),
                Some(b',') => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let Some((item, end)) = self.value(i, depth + 1) else {
                return (items, self.bytes.len());
            };
            items.push(item);
            i = self.skip_space(end.max(i + 1));
            match self.bytes.get(i) {
                Some(b',') => i += 1,
                Some(&c) if c == close => return (items, i + 1),
                // Something this reader does not follow (a comprehension): give up on it.
                _ => {
                    let end = self.balanced_end(open);
                    return (vec![Lit::Other(open..end)], end);
                }
            }
        }
    }

    fn map(&self, open: usize, depth: usize) -> (Lit, usize) {
        let b = self.bytes;
        let mut entries = Vec::new();
        let mut i = open + 1;
        loop {
            i = self.skip_space(i);
            match b.get(i) {
                None => return (Lit::Map(entries, open..b.len()), b.len()),
                Some(b'}') => return (Lit::Map(entries, open..i + 1), i + 1),
                Some(b',') => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // The key.
            let (key, key_range, after_key) = match b[i] {
                b'"' | b'\'' | b'`' => match self.string(i, i) {
                    (Lit::Str { value, range, .. }, end) => (Some(value), range, end),
                    (_, end) => (None, i..end, end),
                },
                b'[' => {
                    let end = self.balanced_end(i);
                    (None, i..end, end)
                }
                b'.' | b'*' => {
                    // A spread (`...x`, `**x`): an entry palisade cannot read.
                    let end = self.expression_end(i);
                    entries.push(Entry {
                        key: None,
                        key_range: i..end,
                        value: Lit::Other(i..end),
                    });
                    i = end;
                    continue;
                }
                _ => {
                    let end = self.ident_end(i);
                    if end == i {
                        let end = self.balanced_end(open);
                        return (Lit::Other(open..end), end);
                    }
                    let word = &self.text[i..end];
                    // Python dict keys that are names are variables, not strings.
                    let key = (self.lang == Lang::Js).then(|| word.to_string());
                    (key, i..end, end)
                }
            };
            let colon = self.skip_space(after_key);
            match b.get(colon) {
                Some(b':') => {
                    let Some((value, end)) = self.value(colon + 1, depth + 1) else {
                        return (Lit::Map(entries, open..b.len()), b.len());
                    };
                    entries.push(Entry {
                        key,
                        key_range,
                        value,
                    });
                    i = end;
                }
                // `{ scriptSrc }`: the value is the variable of that name.
                Some(b',' | b'}') if self.lang == Lang::Js => {
                    let name = self.text[key_range.clone()].to_string();
                    entries.push(Entry {
                        key,
                        key_range: key_range.clone(),
                        value: Lit::Name(name, key_range),
                    });
                    i = colon;
                }
                // A method or something else: skip the entry, unreadable.
                _ => {
                    let end = self.expression_end(after_key);
                    entries.push(Entry {
                        key: None,
                        key_range: key_range.start..end,
                        value: Lit::Other(key_range.start..end),
                    });
                    i = end.max(after_key + 1);
                }
            }
        }
    }

    /// The offset after the bracket that closes the one at `open` (strings skipped).
    fn balanced_end(&self, open: usize) -> usize {
        let b = self.bytes;
        let mut depth = 0usize;
        let mut i = open;
        while i < b.len() {
            match b[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b'"' | b'\'' | b'`' => {
                    let (_, end) = self.string(i, i);
                    i = end;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        b.len()
    }

    /// The end of the expression at `start`: the first `,` or unmatched closing bracket at
    /// depth 0 (or a line end in Python outside brackets).
    fn expression_end(&self, start: usize) -> usize {
        let b = self.bytes;
        let mut i = start;
        while i < b.len() {
            match b[i] {
                b'(' | b'[' | b'{' => {
                    i = self.balanced_end(i);
                    continue;
                }
                b')' | b']' | b'}' | b',' | b';' => return i,
                b'\n' if self.lang == Lang::Python => return i,
                b'"' | b'\'' | b'`' => {
                    let (_, end) = self.string(i, i);
                    i = end.max(i + 1);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        b.len()
    }
}

/// Whether a Python string prefix (`r"…"`, `f'…'`, `rb"…"`, `u"…"`) starts at `i`.
fn string_prefix_at(b: &[u8], i: usize, c: u8) -> bool {
    if !matches!(c.to_ascii_lowercase(), b'r' | b'f' | b'u' | b'b') {
        return false;
    }
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return false;
    }
    let mut k = i;
    while k < b.len() && k < i + 2 && matches!(b[k].to_ascii_lowercase(), b'r' | b'f' | b'u' | b'b')
    {
        k += 1;
    }
    matches!(b.get(k), Some(b'"' | b'\''))
}

/// The value assigned once at the top level of the file to `name` (`NAME = …` in Python,
/// `const|let|var NAME = …` in JS), if there is exactly one such assignment.
pub fn assigned_value(text: &str, name: &str, lang: Lang) -> Option<(Lit, usize)> {
    let mut found = None;
    let mut count = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let mut rest = line;
        if lang == Lang::Js {
            let trimmed = rest.trim_start();
            let Some(after) = ["const ", "let ", "var ", "export const "]
                .iter()
                .find_map(|k| trimmed.strip_prefix(k))
            else {
                continue;
            };
            rest = after;
        } else if line.starts_with([' ', '\t']) {
            continue;
        }
        let lead = line.len() - rest.len();
        let rest_trimmed = rest.trim_start();
        let lead = lead + (rest.len() - rest_trimmed.len());
        let Some(after) = rest_trimmed.strip_prefix(name) else {
            continue;
        };
        // An optional type annotation (`: dict[str, list[str]]`, `: Options`).
        let after_trimmed = after.trim_start();
        let eq = if let Some(annotated) = after_trimmed.strip_prefix(':') {
            annotated
                .find('=')
                .map(|e| after.len() - after_trimmed.len() + 1 + e)
        } else if after_trimmed.starts_with('=') && !after_trimmed.starts_with("==") {
            Some(after.len() - after_trimmed.len())
        } else {
            None
        };
        let Some(eq) = eq else { continue };
        count += 1;
        let at = start + lead + name.len() + eq + 1;
        found = read(text, at, lang).map(|(lit, _)| (lit, start + lead));
    }
    if count == 1 { found } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, lang: Lang) -> Lit {
        read(text, 0, lang).expect("a value").0
    }

    fn strings(lit: &Lit) -> Vec<String> {
        match lit {
            Lit::Str { value, .. } => vec![value.clone()],
            Lit::List(items, _) => items.iter().flat_map(strings).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn python_literals() {
        let text = "(\"'self'\", 'cdn.example.com', r\"x\" \"y\",)  # comment";
        let lit = value(text, Lang::Python);
        assert_eq!(strings(&lit), vec!["'self'", "cdn.example.com", "xy"]);
        let Lit::List(items, _) = &lit else { panic!() };
        let Lit::Str {
            range, verbatim, ..
        } = &items[1]
        else {
            panic!()
        };
        assert!(verbatim);
        assert_eq!(&text[range.clone()], "cdn.example.com");
        assert!(matches!(
            value("env.list('X')", Lang::Python),
            Lit::Other(_)
        ));
        assert!(matches!(value("f'{x}'", Lang::Python), Lit::Other(_)));
        assert!(matches!(value("SELF", Lang::Python), Lit::Name(..)));
        assert!(matches!(value("CSP.SELF", Lang::Python), Lit::Name(n, _) if n == "CSP.SELF"));
        let dict = value(
            "{\n  'DIRECTIVES': {'script-src': [SELF, 'a.com'], **extra},\n}",
            Lang::Python,
        );
        let directives = &dict.get("DIRECTIVES").expect("key").value;
        let Lit::Map(entries, _) = directives else {
            panic!()
        };
        assert_eq!(entries.len(), 2);
        assert!(entries[1].key.is_none());
    }

    #[test]
    fn js_literals() {
        let text = "{ directives: { defaultSrc: [\"'self'\"], scriptSrc: [\"'self'\", (req, res) => `'nonce-${res.locals.n}'`], 'img-src': `data:` }, reportOnly: false, ...rest }";
        let lit = value(text, Lang::Js);
        let d = &lit.get("directives").expect("directives").value;
        let script = &d.get("scriptSrc").expect("scriptSrc").value;
        let Lit::List(items, _) = script else {
            panic!()
        };
        assert!(matches!(items[1], Lit::Func(_)));
        assert_eq!(
            strings(&d.get("img-src").expect("img").value),
            vec!["data:"]
        );
        assert!(matches!(
            lit.get("reportOnly").expect("ro").value,
            Lit::Bool(false, _)
        ));
        assert!(matches!(value("a + b", Lang::Js), Lit::Other(_)));
        assert!(matches!(value("'a' + 'b'", Lang::Js), Lit::Str { value, .. } if value == "ab"));
        assert!(matches!(value("`${x}`", Lang::Js), Lit::Other(_)));
        assert!(matches!(value("getPolicy()", Lang::Js), Lit::Other(_)));
    }

    #[test]
    fn call_arguments_and_assignments() {
        let text = "Talisman(app, content_security_policy=csp, force_https=True)";
        let args = call_args(text, 8, Lang::Python);
        assert_eq!(args.len(), 3);
        assert_eq!(args[1].0.as_deref(), Some("content_security_policy"));
        let text = "csp = {'default-src': \"'self'\"}\ndef f():\n    csp = 1\n";
        assert!(assigned_value(text, "csp", Lang::Python).is_some());
        let text = "const directives = { defaultSrc: [\"'self'\"] };\n";
        assert!(assigned_value(text, "directives", Lang::Js).is_some());
        let twice = "X = ['a']\nX = ['b']\n";
        assert!(assigned_value(twice, "X", Lang::Python).is_none());
    }

    #[test]
    fn hostile_input_never_panics() {
        for text in [
            "{",
            "[",
            "(",
            "'",
            "\"\"\"",
            "{'a': ",
            "f'",
            "`${",
            "{...",
            "é'",
            "r",
            "((((",
            "a.",
            "{a",
            "{'a' 1}",
            "x => ",
            "lambda",
            "[1 for x in y]",
        ] {
            let _ = read(text, 0, Lang::Python);
            let _ = read(text, 0, Lang::Js);
            let _ = call_args(text, 0, Lang::Python);
        }
        let deep = format!("{}'x'{}", "[".repeat(10_000), "]".repeat(10_000));
        let _ = read(&deep, 0, Lang::Js);
        let deep = format!("{}{}", "{'a': ".repeat(10_000), "}".repeat(10_000));
        let _ = read(&deep, 0, Lang::Python);
    }
}
