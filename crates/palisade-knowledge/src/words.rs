//! The words of an identifier, a file name or a header name.
//!
//! One splitter for every convention palisade meets: `snake_case`, `SCREAMING_SNAKE`,
//! `camelCase`, `PascalCase` with acronyms (`APIKeyHeader` → `API`, `Key`, `Header`),
//! `kebab-case`, `dotted.names`, and digits, which stay with the word they follow
//! (`sha256`, `OAuth2`, `auth0`) while an upper-case letter after a digit starts a new word
//! (`OAuth2Client` → `OAuth2`, `Client`).
//!
//! The rules, in order, for each character:
//! - anything that is not a letter or a digit ends the current word and is dropped;
//! - an upper-case letter starts a new word after a lower-case letter or a digit
//!   (`dbPassword`, `sha256Hash`), and inside a run of capitals before a lower-case letter
//!   (`APIKey` → `API`, `Key`) — unless the run is one letter so far, so that `OAuth` and
//!   `IOError` stay readable (`OAuth`, `IO` + `Error`), and a plural acronym stays whole
//!   (`URLs`, `IDs`).
//!
//! Rules compare words case-insensitively; [`words`] gives them lowercased, and
//! [`for_each_word`] gives slices of the input without allocating, for checks that run on
//! many nodes.

/// Calls `visit` with each word of `name`, as a slice of it, in order. Stops as soon as
/// `visit` returns true, and returns whether it did. Allocates nothing.
pub fn for_each_word(name: &str, mut visit: impl FnMut(&str) -> bool) -> bool {
    let mut start: Option<usize> = None;
    let mut previous: Option<char> = None;
    for (i, c) in name.char_indices() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take()
                && visit(&name[s..i])
            {
                return true;
            }
            previous = None;
            continue;
        }
        if let (Some(s), Some(prev)) = (start, previous)
            && c.is_uppercase()
        {
            let mut after = name[i + c.len_utf8()..].chars();
            let next = after.next();
            let next_lower = next.is_some_and(char::is_lowercase);
            // `URLs`, `IDs`: a plural acronym, not `UR` + `Ls`.
            let plural = next == Some('s') && !after.next().is_some_and(char::is_lowercase);
            let run_of_one = name[s..i].chars().nth(1).is_none();
            let boundary = prev.is_lowercase()
                || prev.is_numeric()
                || (prev.is_uppercase() && next_lower && !plural && !run_of_one);
            if boundary {
                if visit(&name[s..i]) {
                    return true;
                }
                start = Some(i);
            }
        }
        start.get_or_insert(i);
        previous = Some(c);
    }
    start.is_some_and(|s| visit(&name[s..]))
}

/// The words of `name`, lowercased: `DevelopmentConfig` → `development`, `config`;
/// `x-hub-signature-256` → `x`, `hub`, `signature`, `256`.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(name, |w| {
        out.push(w.to_lowercase());
        false
    });
    out
}

/// Whether one of the words of `name` equals one of `wanted`, ignoring ASCII case.
pub fn has_word(name: &str, wanted: &[&str]) -> bool {
    for_each_word(name, |w| wanted.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// The candidate closest to `word` by edit distance (insertions, deletions, substitutions),
/// if it is close enough to be a likely typo: at most one edit for short words, two for
/// longer ones. Case is ignored. For "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = if word.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .iter()
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_likely_typos_only() {
        let verbs = ["get", "list", "watch", "create", "delete", "impersonate"];
        assert_eq!(closest("gett", &verbs), Some("get"));
        assert_eq!(closest("Lsit", &verbs), None);
        assert_eq!(closest("impersonat", &verbs), Some("impersonate"));
        assert_eq!(closest("frobnicate", &verbs), None);
        assert_eq!(edit_distance("secret", "secrets"), 1);
    }

    #[test]
    fn every_convention_splits() {
        assert_eq!(words("require_api_key"), ["require", "api", "key"]);
        assert_eq!(words("DB_PASSWORD"), ["db", "password"]);
        assert_eq!(words("dbPassword"), ["db", "password"]);
        assert_eq!(words("IsAuthenticated"), ["is", "authenticated"]);
        assert_eq!(words("x-api-key"), ["x", "api", "key"]);
        assert_eq!(words("auth.login_required"), ["auth", "login", "required"]);
        assert_eq!(
            words("spring.datasource.password"),
            ["spring", "datasource", "password"]
        );
        assert_eq!(words("settings_test"), ["settings", "test"]);
    }

    #[test]
    fn acronyms_stay_whole() {
        assert_eq!(words("APIKeyHeader"), ["api", "key", "header"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("getURL"), ["get", "url"]);
        assert_eq!(words("XMLHttpRequest"), ["xml", "http", "request"]);
        assert_eq!(words("IOError"), ["io", "error"]);
        assert_eq!(words("OAuth2ClientSecret"), ["oauth2", "client", "secret"]);
        assert_eq!(words("URLs"), ["urls"]);
        assert_eq!(words("allowedIDs"), ["allowed", "ids"]);
        assert_eq!(words("IDsList"), ["ids", "list"]);
        assert_eq!(words("HTTPS"), ["https"]);
    }

    #[test]
    fn digits_stay_with_their_word() {
        assert_eq!(words("sha256"), ["sha256"]);
        assert_eq!(words("sha256Hash"), ["sha256", "hash"]);
        assert_eq!(
            words("x-hub-signature-256"),
            ["x", "hub", "signature", "256"]
        );
        assert_eq!(words("auth0_domain"), ["auth0", "domain"]);
        assert_eq!(words("2fa_secret"), ["2fa", "secret"]);
    }

    #[test]
    fn odd_input_is_safe() {
        assert!(words("").is_empty());
        assert!(words("__--..").is_empty());
        assert_eq!(words("__init__"), ["init"]);
        assert_eq!(words("Ünïcødé_Naïve"), ["ünïcødé", "naïve"]);
        assert_eq!(words("A"), ["a"]);
        assert_eq!(words("AB"), ["ab"]);
    }

    #[test]
    fn early_stop_and_has_word() {
        let mut seen = Vec::new();
        assert!(for_each_word("one_two_three", |w| {
            seen.push(w.to_string());
            w == "two"
        }));
        assert_eq!(seen, ["one", "two"]);
        assert!(has_word("DevelopmentConfig", &["development"]));
        assert!(!has_word("testimonials", &["test"]));
    }
}
