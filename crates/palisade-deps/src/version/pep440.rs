//! PEP 440 versions (PyPI): parsing in the normalised and the permitted spellings, and the
//! total order of the specification — epoch, release (trailing zeros ignored), then
//! `dev < a < b < rc < final < post`, a local label above its public version.

use std::cmp::Ordering;

/// A parsed PEP 440 version. Equality is the order's (`1.0 == 1.0.0`).
#[derive(Clone, Debug)]
pub struct Pep440 {
    pub epoch: u64,
    pub release: Vec<u64>,
    /// `(0 = a, 1 = b, 2 = rc, n)`.
    pub pre: Option<(u8, u64)>,
    pub post: Option<u64>,
    pub dev: Option<u64>,
    pub local: Vec<LocalPart>,
}

/// One segment of a local version label: numbers sort above words.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LocalPart {
    Word(String),
    Number(u64),
}

impl Pep440 {
    /// Parses a version as pip accepts it: case-insensitive, an optional `v`, `-`/`_`/`.`
    /// separators, `alpha`/`beta`/`c`/`pre`/`preview`, `rev`/`r` and implicit `-N` post
    /// releases. `None` for anything else (a legacy version such as `2004d`).
    pub fn parse(text: &str) -> Option<Pep440> {
        let s = text.trim().to_ascii_lowercase();
        let s = s.strip_prefix('v').unwrap_or(&s);
        let (public, local) = match s.split_once('+') {
            Some((p, l)) => (p, Some(l)),
            None => (s, None),
        };
        let b = public.as_bytes();
        let mut i = 0;
        let number = |i: &mut usize| -> Option<u64> {
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            if *i == start {
                return None;
            }
            public[start..*i].parse().ok()
        };
        let mut epoch = 0;
        if let Some(bang) = public.find('!') {
            epoch = public[..bang].parse().ok()?;
            i = bang + 1;
        }
        let mut release = vec![number(&mut i)?];
        while i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            release.push(number(&mut i)?);
        }
        let sep = |i: &mut usize| {
            if *i < b.len() && matches!(b[*i], b'.' | b'-' | b'_') {
                *i += 1;
            }
        };
        let word = |i: &mut usize, words: &[&str]| -> Option<usize> {
            // Longest first so that `preview` is not read as `pre`.
            let mut best: Option<(usize, usize)> = None;
            for (k, w) in words.iter().enumerate() {
                if public[*i..].starts_with(w) && best.is_none_or(|(_, l)| w.len() > l) {
                    best = Some((k, w.len()));
                }
            }
            let (k, l) = best?;
            *i += l;
            Some(k)
        };
        let mut pre = None;
        let mut post = None;
        let mut dev = None;
        // Pre-release.
        let save = i;
        sep(&mut i);
        const PRE: [&str; 8] = ["a", "alpha", "b", "beta", "c", "rc", "pre", "preview"];
        if let Some(k) = word(&mut i, &PRE) {
            let kind = match k {
                0 | 1 => 0,
                2 | 3 => 1,
                _ => 2,
            };
            sep(&mut i);
            let n = number(&mut i).unwrap_or(0);
            pre = Some((kind, n));
        } else {
            i = save;
        }
        // Post-release.
        let save = i;
        if i < b.len() && b[i] == b'-' && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
            i += 1;
            post = Some(number(&mut i)?);
        } else {
            sep(&mut i);
            if word(&mut i, &["post", "rev", "r"]).is_some() {
                sep(&mut i);
                post = Some(number(&mut i).unwrap_or(0));
            } else {
                i = save;
            }
        }
        // Development release.
        let save = i;
        sep(&mut i);
        if word(&mut i, &["dev"]).is_some() {
            sep(&mut i);
            dev = Some(number(&mut i).unwrap_or(0));
        } else {
            i = save;
        }
        if i != b.len() {
            return None;
        }
        let local = match local {
            None => Vec::new(),
            Some(l) => {
                let parts: Vec<LocalPart> = l
                    .split(['.', '-', '_'])
                    .map(|p| match p.parse::<u64>() {
                        Ok(n) if p.bytes().all(|c| c.is_ascii_digit()) => LocalPart::Number(n),
                        _ => LocalPart::Word(p.to_string()),
                    })
                    .collect();
                let valid = parts.iter().all(|p| match p {
                    LocalPart::Word(w) => {
                        !w.is_empty() && w.bytes().all(|c| c.is_ascii_alphanumeric())
                    }
                    LocalPart::Number(_) => true,
                });
                if !valid {
                    return None;
                }
                parts
            }
        };
        Some(Pep440 {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// The release with trailing zeros removed (`1.0.0` == `1`).
    fn release_key(&self) -> &[u64] {
        let mut end = self.release.len();
        while end > 1 && self.release[end - 1] == 0 {
            end -= 1;
        }
        &self.release[..end]
    }

    /// Whether this is a pre-release or development release.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }
}

/// A sort key: `Low` below every value, `High` above.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Bound<T> {
    Low,
    Value(T),
    High,
}

impl Ord for Pep440 {
    fn cmp(&self, other: &Self) -> Ordering {
        let key = |v: &Pep440| {
            // A dev release of a final version sorts before its pre-releases.
            let pre = match (v.pre, v.post, v.dev) {
                (None, None, Some(_)) => Bound::Low,
                (None, _, _) => Bound::High,
                (Some(p), _, _) => Bound::Value(p),
            };
            let post = v.post.map_or(Bound::Low, Bound::Value);
            let dev = v.dev.map_or(Bound::High, Bound::Value);
            (pre, post, dev)
        };
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| {
                let (a, b) = (self.release_key(), other.release_key());
                // Missing components are zeros.
                let n = a.len().max(b.len());
                (0..n)
                    .map(|k| {
                        a.get(k)
                            .copied()
                            .unwrap_or(0)
                            .cmp(&b.get(k).copied().unwrap_or(0))
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
            .then_with(|| key(self).cmp(&key(other)))
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl PartialEq for Pep440 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Pep440 {}

impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Pep440 {
        Pep440::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn the_specification_order() {
        let ordered = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "1!0.5",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn permitted_spellings_normalise() {
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1.0-ALPHA.1"), v("1.0a1"));
        assert_eq!(v("1.0c1"), v("1.0rc1"));
        assert_eq!(v("1.0preview2"), v("1.0rc2"));
        assert_eq!(v("1.0-1"), v("1.0.post1"));
        assert_eq!(v("1.0.rev"), v("1.0.post0"));
        assert_eq!(v("v2.3_dev"), v("2.3.dev0"));
        assert!(Pep440::parse("2004d").is_none());
        assert!(Pep440::parse("").is_none());
        assert!(Pep440::parse("1.0+").is_none());
        assert!(Pep440::parse("1..0").is_none());
    }
}
