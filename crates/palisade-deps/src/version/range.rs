//! Whether a declared range admits a version: PEP 440 specifiers (and Poetry's `^`/`~`
//! shorthands) for PyPI, npm's range syntax for npm. Used to tell a dependency whose range
//! already lets the newest release in from one whose range keeps it out. Only released
//! versions are asked about (pre-releases are never candidates), so the pre-release rules of
//! both syntaxes do not arise. A range that cannot be read is `None`: undecided, never
//! guessed.

use super::pep440::Pep440;
use crate::inventory::Ecosystem;
use std::cmp::Ordering;

/// Whether `spec` (as declared in a manifest of `ecosystem`) admits `version`; `None` when
/// either cannot be read.
pub fn allows(ecosystem: Ecosystem, spec: &str, version: &str) -> Option<bool> {
    match ecosystem {
        Ecosystem::PyPI => pep440_allows(spec, &Pep440::parse(version)?),
        Ecosystem::Npm => npm_allows(spec, &super::parse_semver(version)?),
        _ => None,
    }
}

fn pep_cmp(a: &Pep440, b: &Pep440) -> Ordering {
    a.cmp(b)
}

/// The release numbers of `v`, padded with zeros to `n`.
fn padded(v: &Pep440, n: usize) -> Vec<u64> {
    let mut r = v.release.clone();
    r.resize(n.max(r.len()), 0);
    r
}

/// `true` when `version`'s release starts with `prefix` (the `==1.2.*` match).
fn prefix_match(version: &Pep440, prefix: &[u64]) -> bool {
    padded(version, prefix.len())[..prefix.len()] == *prefix
}

/// A version made of the release numbers `release`.
fn release(release: Vec<u64>) -> Pep440 {
    Pep440 {
        epoch: 0,
        release,
        pre: None,
        post: None,
        dev: None,
        local: Vec::new(),
    }
}

/// The upper bound of a caret (`^`) or tilde (`~`) range over `parts`: the first non-zero
/// part (caret) or the minor (tilde; the major when only it is given) goes up by one.
fn bump(parts: &[u64], caret: bool) -> Vec<u64> {
    if parts.is_empty() {
        return vec![u64::MAX];
    }
    let at = if caret {
        parts
            .iter()
            .position(|&p| p != 0)
            .unwrap_or(parts.len().saturating_sub(1))
    } else {
        // `~1.2.3` and `~1.2` allow patch releases, `~1` minor ones.
        1.min(parts.len().saturating_sub(1))
    };
    let mut upper: Vec<u64> = parts[..=at.min(parts.len() - 1)].to_vec();
    if let Some(last) = upper.last_mut() {
        *last = last.saturating_add(1);
    }
    upper
}

fn pep440_allows(spec: &str, v: &Pep440) -> Option<bool> {
    let spec = spec.trim();
    if spec.is_empty() || spec == "*" || spec == "(any version)" {
        return Some(true);
    }
    // Poetry's `||` unions.
    if spec.contains("||") {
        let mut any = false;
        for part in spec.split("||") {
            any |= pep440_allows(part, v)?;
        }
        return Some(any);
    }
    for clause in spec.split(',') {
        let clause: String = clause.chars().filter(|c| !c.is_whitespace()).collect();
        if clause.is_empty() {
            continue;
        }
        let ops = ["===", "~=", "==", "!=", "<=", ">=", "<", ">", "^", "~", "="];
        let op = ops.iter().find(|op| clause.starts_with(**op)).copied();
        let rest = &clause[op.map_or(0, str::len)..];
        let ok = if let Some(prefix) = rest.strip_suffix(".*") {
            let p = Pep440::parse(prefix)?;
            match op {
                Some("==") | Some("=") | None => prefix_match(v, &p.release),
                Some("!=") => !prefix_match(v, &p.release),
                _ => return None,
            }
        } else if rest == "*" {
            true
        } else {
            let bound = Pep440::parse(rest)?;
            let c = pep_cmp(v, &bound);
            match op {
                Some("===") | Some("==") | Some("=") | None => c == Ordering::Equal,
                Some("!=") => c != Ordering::Equal,
                Some("<=") => c != Ordering::Greater,
                Some(">=") => c != Ordering::Less,
                Some("<") => c == Ordering::Less,
                Some(">") => c == Ordering::Greater,
                Some("~=") => {
                    if bound.release.len() < 2 {
                        return None;
                    }
                    let prefix = &bound.release[..bound.release.len() - 1];
                    c != Ordering::Less && prefix_match(v, prefix)
                }
                Some(op @ ("^" | "~")) => {
                    let upper = release(bump(&bound.release, op == "^"));
                    c != Ordering::Less && pep_cmp(v, &upper) == Ordering::Less
                }
                _ => return None,
            }
        };
        if !ok {
            return Some(false);
        }
    }
    Some(true)
}

/// A partial npm version: `1`, `1.2`, `1.2.3`, with `x`/`X`/`*` parts as missing.
fn npm_partial(text: &str) -> Option<Vec<u64>> {
    let t = text.trim();
    let t = t.strip_prefix('v').unwrap_or(t);
    // Pre-release and build parts do not change the numbers' bounds for released versions.
    let t = t.split(['-', '+']).next().unwrap_or(t);
    let mut parts = Vec::new();
    for part in t.split('.') {
        if matches!(part, "x" | "X" | "*" | "") {
            break;
        }
        parts.push(part.parse().ok()?);
    }
    if parts.len() > 3 {
        return None;
    }
    Some(parts)
}

fn semver_of(parts: &[u64]) -> semver::Version {
    let get = |i: usize| parts.get(i).copied().unwrap_or(0);
    semver::Version::new(get(0), get(1), get(2))
}

/// `parts` with the last given part raised by one (`1.2` → `1.3.0`): the first version a
/// partial `<=`/`>` bound no longer covers.
fn next_after(parts: &[u64]) -> semver::Version {
    let mut up = parts.to_vec();
    if let Some(last) = up.last_mut() {
        *last = last.saturating_add(1);
    }
    semver_of(&up)
}

fn npm_allows(spec: &str, v: &semver::Version) -> Option<bool> {
    let spec = spec.trim();
    let mut any = false;
    for set in spec.split("||") {
        any |= npm_set_allows(set.trim(), v)?;
    }
    Some(any)
}

fn npm_set_allows(set: &str, v: &semver::Version) -> Option<bool> {
    if set.is_empty() || set == "*" || set == "latest" {
        return Some(true);
    }
    let cmp = |a: &semver::Version, b: &semver::Version| a.cmp_precedence(b);
    let mut words: Vec<String> = Vec::new();
    // Operators written apart from their version (`>= 1.2`) belong with it.
    let mut pending = String::new();
    for word in set.split_whitespace() {
        if matches!(word, ">" | ">=" | "<" | "<=" | "=" | "^" | "~" | "~>") {
            pending.push_str(word);
            continue;
        }
        words.push(format!("{pending}{word}"));
        pending.clear();
    }
    // A hyphen range: `a - b`.
    if words.len() == 3 && words[1] == "-" {
        let low = npm_partial(&words[0])?;
        let high = npm_partial(&words[2])?;
        let above = cmp(v, &semver_of(&low)) != Ordering::Less;
        let below = if high.len() < 3 && !high.is_empty() {
            cmp(v, &next_after(&high)) == Ordering::Less
        } else if high.is_empty() {
            true
        } else {
            cmp(v, &semver_of(&high)) != Ordering::Greater
        };
        return Some(above && below);
    }
    for word in &words {
        let ops = ["<=", ">=", "~>", "<", ">", "=", "^", "~"];
        let op = ops.iter().find(|op| word.starts_with(**op)).copied();
        let parts = npm_partial(&word[op.map_or(0, str::len)..])?;
        let lower = semver_of(&parts);
        let ok = match op {
            _ if parts.is_empty() => !matches!(op, Some("<") | Some(">")),
            Some(">=") => cmp(v, &lower) != Ordering::Less,
            Some("<") => cmp(v, &lower) == Ordering::Less,
            Some(">") if parts.len() < 3 => cmp(v, &next_after(&parts)) != Ordering::Less,
            Some(">") => cmp(v, &lower) == Ordering::Greater,
            Some("<=") if parts.len() < 3 => cmp(v, &next_after(&parts)) == Ordering::Less,
            Some("<=") => cmp(v, &lower) != Ordering::Greater,
            Some(op @ ("^" | "~" | "~>")) => {
                let upper = semver_of(&bump(&parts, op == "^"));
                cmp(v, &lower) != Ordering::Less && cmp(v, &upper) == Ordering::Less
            }
            // `1.2.3`, `=1.2.3`, or an x-range (`1.x`, `1.2`).
            _ if parts.len() == 3 => cmp(v, &lower) == Ordering::Equal,
            _ => cmp(v, &lower) != Ordering::Less && cmp(v, &next_after(&parts)) == Ordering::Less,
        };
        if !ok {
            return Some(false);
        }
    }
    Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(spec: &str, v: &str) -> Option<bool> {
        allows(Ecosystem::PyPI, spec, v)
    }

    fn npm(spec: &str, v: &str) -> Option<bool> {
        allows(Ecosystem::Npm, spec, v)
    }

    #[test]
    fn pep440_specifiers() {
        assert_eq!(py(">=2.0", "3.1"), Some(true));
        assert_eq!(py(">=2.0,<3", "3.1"), Some(false));
        assert_eq!(py(">=2.0, <3", "2.9.9"), Some(true));
        assert_eq!(py("~=2.2", "2.9"), Some(true));
        assert_eq!(py("~=2.2", "3.0"), Some(false));
        assert_eq!(py("~=2.2.1", "2.3.0"), Some(false));
        assert_eq!(py("==4.2.*", "4.2.11"), Some(true));
        assert_eq!(py("==4.2.*", "5.0"), Some(false));
        assert_eq!(py("!=1.5", "1.5.0"), Some(false));
        assert_eq!(py("(any version)", "9"), Some(true));
        assert_eq!(py("*", "9"), Some(true));
        // Poetry's shorthands.
        assert_eq!(py("^1.2", "1.9"), Some(true));
        assert_eq!(py("^1.2", "2.0"), Some(false));
        assert_eq!(py("^0.2.3", "0.3.0"), Some(false));
        assert_eq!(py("~1.2", "1.3"), Some(false));
        assert_eq!(py("~1", "1.9"), Some(true));
        assert_eq!(py("^1.2 || ^2.0", "2.5"), Some(true));
        assert_eq!(py("1.2.3", "1.2.3"), Some(true));
        assert_eq!(py(">=what", "1"), None);
    }

    #[test]
    fn npm_ranges() {
        assert_eq!(npm("^4.17.0", "4.17.21"), Some(true));
        assert_eq!(npm("^4.17.0", "5.0.0"), Some(false));
        assert_eq!(npm("^0.2.3", "0.2.9"), Some(true));
        assert_eq!(npm("^0.2.3", "0.3.0"), Some(false));
        assert_eq!(npm("~1.2.3", "1.2.9"), Some(true));
        assert_eq!(npm("~1.2.3", "1.3.0"), Some(false));
        assert_eq!(npm("1.x", "1.9.0"), Some(true));
        assert_eq!(npm("1.x", "2.0.0"), Some(false));
        assert_eq!(npm("1.2", "1.2.7"), Some(true));
        assert_eq!(npm("*", "9.0.0"), Some(true));
        assert_eq!(npm("", "9.0.0"), Some(true));
        assert_eq!(npm("latest", "9.0.0"), Some(true));
        assert_eq!(npm(">=1.0.0 <2", "1.5.0"), Some(true));
        assert_eq!(npm(">= 1.0.0 < 2", "2.0.0"), Some(false));
        assert_eq!(npm("<=1.2", "1.2.9"), Some(true));
        assert_eq!(npm("<=1.2", "1.3.0"), Some(false));
        assert_eq!(npm(">1", "1.9.0"), Some(false));
        assert_eq!(npm("1.0.0 - 2", "2.9.0"), Some(true));
        assert_eq!(npm("1.0.0 - 2.1.0", "2.1.1"), Some(false));
        assert_eq!(npm("^1 || ^2", "2.3.0"), Some(true));
        assert_eq!(npm("4.17.4", "4.17.21"), Some(false));
        assert_eq!(npm("next", "1.0.0"), None);
        assert_eq!(npm("npm:other@^1", "1.0.0"), None);
    }
}
