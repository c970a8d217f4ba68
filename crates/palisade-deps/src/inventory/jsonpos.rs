//! Where each key of a JSON document is: serde_json gives values without positions, so a
//! small scanner walks the text once and records the byte offset of every object key by its
//! path (`["packages", "node_modules/lodash"]`). It never fails: on malformed text it stops
//! and keeps what it found (the parse error itself comes from serde_json).

use std::collections::HashMap;

/// Byte offsets of object keys, by path.
#[derive(Debug, Default)]
pub struct KeyOffsets {
    offsets: HashMap<Vec<String>, usize>,
}

impl KeyOffsets {
    pub fn scan(text: &str) -> KeyOffsets {
        let mut s = Scanner {
            b: text.as_bytes(),
            i: 0,
            path: Vec::new(),
            out: HashMap::new(),
            depth: 0,
        };
        s.value();
        KeyOffsets { offsets: s.out }
    }

    /// The offset of the key at `path`.
    pub fn get(&self, path: &[&str]) -> Option<usize> {
        let key: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.offsets.get(&key).copied()
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    path: Vec<String>,
    out: HashMap<Vec<String>, usize>,
    depth: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    /// Returns false when the text ends or is malformed.
    fn value(&mut self) -> bool {
        self.ws();
        if self.depth > 256 {
            return false;
        }
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                self.depth += 1;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'}') => {
                            self.i += 1;
                            break;
                        }
                        Some(b',') => {
                            self.i += 1;
                            continue;
                        }
                        Some(b'"') => {
                            let at = self.i;
                            let Some(key) = self.string() else {
                                return false;
                            };
                            self.ws();
                            if self.b.get(self.i) != Some(&b':') {
                                return false;
                            }
                            self.i += 1;
                            self.path.push(key);
                            self.out.entry(self.path.clone()).or_insert(at);
                            let ok = self.value();
                            self.path.pop();
                            if !ok {
                                return false;
                            }
                        }
                        _ => return false,
                    }
                }
                self.depth -= 1;
                true
            }
            Some(b'[') => {
                self.i += 1;
                self.depth += 1;
                let mut index = 0usize;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b']') => {
                            self.i += 1;
                            break;
                        }
                        Some(b',') => {
                            self.i += 1;
                        }
                        Some(_) => {
                            self.path.push(index.to_string());
                            let ok = self.value();
                            self.path.pop();
                            index += 1;
                            if !ok {
                                return false;
                            }
                        }
                        None => return false,
                    }
                }
                self.depth -= 1;
                true
            }
            Some(b'"') => self.string().is_some(),
            Some(_) => {
                while self.i < self.b.len()
                    && !matches!(self.b[self.i], b',' | b'}' | b']')
                    && !self.b[self.i].is_ascii_whitespace()
                {
                    self.i += 1;
                }
                true
            }
            None => false,
        }
    }

    /// A string at `self.i` (on its opening quote), decoded.
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = Vec::new();
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.b.get(self.i)?;
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = std::str::from_utf8(self.b.get(self.i..self.i + 4)?).ok()?;
                            self.i += 4;
                            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)
                                .unwrap_or('\u{fffd}');
                            let mut buf = [0; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_keys_by_path() {
        let text = "{\"a\": {\"x\": 1, \"b\": {\"x\": [1, {\"y\": \"q\\\"\"}]}}, \"x\": true}";
        let k = KeyOffsets::scan(text);
        assert_eq!(k.get(&["a", "x"]), Some(7));
        assert_eq!(k.get(&["x"]), text.rfind("\"x\""));
        assert!(k.get(&["a", "b", "x", "1", "y"]).is_some());
        assert_eq!(k.get(&["nope"]), None);
        // Malformed text keeps what came before.
        let k = KeyOffsets::scan("{\"a\": 1, \"b\": ");
        assert_eq!(k.get(&["a"]), Some(1));
    }
}
