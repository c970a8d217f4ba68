//! Stable finding fingerprints.
//!
//! A fingerprint is a hash of the rule id, the file path and the finding's *normalised
//! content* (the primary span's source lines with whitespace collapsed), plus an occurrence
//! number that tells apart identical lines in one file. Line numbers are not part of it, so a
//! finding keeps its fingerprint when code is inserted above it, and loses it when its own
//! line changes.
//!
//! Findings that are not in a file of the scan have a recipe per kind of place, so that each
//! survives what should not change it (see [`place_key`]):
//!
//! | place | hashed besides the rule id and occurrence |
//! |---|---|
//! | a file region | the path and the normalised lines of the span |
//! | a whole file or folder | `path:` + the path, and the rule's content (else its message) |
//! | the repository | `repository`, and the rule's content (else its message) |
//! | a live target | `target:` + the target, and the rule's content (else its message) |
//! | a region in a commit | `commit:` + the path, and the normalised lines (not the commit id, so a rebase keeps it) |
//!
//! The hash is 128-bit FNV-1a: tiny, dependency-free and fixed forever (baselines written by
//! one palisade version must match in the next).

/// FNV-1a, 128-bit.
pub fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut hash = OFFSET;
    for &b in bytes {
        hash ^= u128::from(b);
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

/// Collapses runs of whitespace so re-indentation does not change a fingerprint.
pub fn normalise(content: &str) -> String {
    content.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of a fingerprint that says where: a file region's path as it always was, and a
/// prefixed form for the other kinds so that they never collide with a file of that name.
pub fn place_key(place: &crate::finding::Place) -> String {
    use crate::finding::Place;
    match place {
        Place::File(l) => l.path.clone(),
        Place::Path(p) => format!("path:{p}"),
        Place::Repository => "repository".to_string(),
        Place::Target(t) => format!("target:{}", t.trim_end_matches('/')),
        Place::Commit { location, .. } => format!("commit:{}", location.path),
    }
}

/// The fingerprint of the `occurrence`-th (0-based) finding of `rule_id` in `path` whose
/// normalised content is `content`.
pub fn fingerprint(rule_id: &str, path: &str, content: &str, occurrence: usize) -> String {
    let mut input = Vec::with_capacity(rule_id.len() + path.len() + content.len() + 8);
    for part in [rule_id, path, &normalise(content)] {
        input.extend_from_slice(part.as_bytes());
        input.push(0);
    }
    input.extend_from_slice(occurrence.to_string().as_bytes());
    format!("{:032x}", fnv1a_128(&input))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        // FNV-1a 128 of the empty input is the offset basis.
        assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
    }

    #[test]
    fn whitespace_does_not_matter_but_content_does() {
        let a = fingerprint("r/x", "a.py", "  x = f(verify=False)", 0);
        let b = fingerprint("r/x", "a.py", "x  =  f(verify=False)\t", 0);
        let c = fingerprint("r/x", "a.py", "x = g(verify=False)", 0);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, fingerprint("r/x", "a.py", "x = f(verify=False)", 1));
        assert_ne!(a, fingerprint("r/y", "a.py", "x = f(verify=False)", 0));
    }
}
