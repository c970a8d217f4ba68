//! Maven versions, ordered as Maven's `ComparableVersion` orders them: a version is split
//! into numbers and qualifiers at `.`, `-` and digit/letter transitions, `-` and transitions
//! open a sub-list, trailing "null" items (`0`, `ga`, `final`, `release`, empty lists) are
//! dropped, and qualifiers rank `alpha < beta < milestone < rc < snapshot < (release) < sp`,
//! any other word after those, alphabetically.
//!
//! That order is Maven's, and like Maven's it is not transitive when a sub-list meets a
//! qualifier at the same place: `1.0-SNAPSHOT < 1.0.0 < 1.w` but `1.0-SNAPSHOT > 1.w` (a
//! list is above a string, whatever it holds). Sort with [`super::sort_by_rank`], never
//! with `slice::sort_by`, which may panic on an order that is not total.

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    /// Digits without leading zeros (`""` is zero).
    Int(String),
    /// The comparable form of a qualifier (`"0"` … `"6"`, or `"7-word"`).
    Str(String),
    List(Vec<Item>),
}

/// A parsed Maven version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MavenVersion {
    items: Vec<Item>,
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE: &str = "5";

fn comparable_qualifier(word: &str) -> String {
    match QUALIFIERS.iter().position(|q| *q == word) {
        Some(i) => i.to_string(),
        None => format!("{}-{word}", QUALIFIERS.len()),
    }
}

fn string_item(word: &str, followed_by_digit: bool) -> Item {
    let word = match (word, followed_by_digit) {
        ("a", true) => "alpha",
        ("b", true) => "beta",
        ("m", true) => "milestone",
        ("ga" | "final" | "release", _) => "",
        ("cr", _) => "rc",
        (w, _) => w,
    };
    Item::Str(comparable_qualifier(word))
}

fn parse_item(digits: bool, text: &str) -> Item {
    if digits {
        Item::Int(text.trim_start_matches('0').to_string())
    } else {
        string_item(text, false)
    }
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Int(n) => n.is_empty(),
            Item::Str(q) => q == RELEASE,
            Item::List(l) => l.is_empty(),
        }
    }

    /// Compares with `other`, where `None` stands for a missing item.
    fn compare(&self, other: Option<&Item>) -> Ordering {
        match (self, other) {
            (Item::Int(n), None) => {
                if n.is_empty() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            (Item::Int(a), Some(Item::Int(b))) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
            (Item::Int(_), Some(_)) => Ordering::Greater,
            (Item::Str(q), None) => q.as_str().cmp(RELEASE),
            (Item::Str(_), Some(Item::Int(_) | Item::List(_))) => Ordering::Less,
            (Item::Str(a), Some(Item::Str(b))) => a.cmp(b),
            // ComparableVersion's ListItem against null: its first item that is not null
            // decides (`1-0.w` is above `1`: the `0` is null, the `w` a qualifier after
            // release), not its first item alone.
            (Item::List(l), None) => l
                .iter()
                .map(|i| i.compare(None))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal),
            (Item::List(_), Some(Item::Int(_))) => Ordering::Less,
            (Item::List(_), Some(Item::Str(_))) => Ordering::Greater,
            (Item::List(a), Some(Item::List(b))) => compare_lists(a, b),
        }
    }
}

fn compare_lists(a: &[Item], b: &[Item]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let result = match (a.get(i), b.get(i)) {
            (None, None) => Ordering::Equal,
            (None, Some(r)) => r.compare(None).reverse(),
            (Some(l), r) => l.compare(r),
        };
        if result.is_ne() {
            return result;
        }
    }
    Ordering::Equal
}

fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// Builds the nested lists from a path of sub-list openings: each `Open` pushes a new list
/// that the following items go into, as ComparableVersion's stack does.
enum Token {
    Item(Item),
    Open,
}

fn build(tokens: Vec<Token>) -> Vec<Item> {
    // The stack of lists being filled; each closed list is normalised and put in its parent.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    for token in tokens {
        match token {
            Token::Item(item) => stack.last_mut().map_or((), |l| l.push(item)),
            Token::Open => stack.push(Vec::new()),
        }
    }
    while stack.len() > 1 {
        let mut inner = stack.pop().unwrap_or_default();
        normalize(&mut inner);
        if let Some(parent) = stack.last_mut() {
            parent.push(Item::List(inner));
        }
    }
    let mut top = stack.pop().unwrap_or_default();
    normalize(&mut top);
    top
}

impl MavenVersion {
    /// Parses any string (every string is a Maven version).
    pub fn parse(text: &str) -> MavenVersion {
        let v = text.trim().to_ascii_lowercase();
        let chars: Vec<char> = v.chars().collect();
        let mut tokens = Vec::new();
        let mut digits = false;
        let mut start = 0;
        let sub = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        for (i, &c) in chars.iter().enumerate() {
            if c == '.' || c == '-' {
                if i == start {
                    tokens.push(Token::Item(Item::Int(String::new())));
                } else {
                    tokens.push(Token::Item(parse_item(digits, &sub(start, i))));
                }
                start = i + 1;
                if c == '-' {
                    tokens.push(Token::Open);
                }
            } else if c.is_ascii_digit() {
                if !digits && i > start {
                    tokens.push(Token::Item(string_item(&sub(start, i), true)));
                    start = i;
                    tokens.push(Token::Open);
                }
                digits = true;
            } else {
                if digits && i > start {
                    tokens.push(Token::Item(parse_item(true, &sub(start, i))));
                    start = i;
                    tokens.push(Token::Open);
                }
                digits = false;
            }
        }
        if chars.len() > start {
            tokens.push(Token::Item(parse_item(digits, &sub(start, chars.len()))));
        }
        MavenVersion {
            items: build(tokens),
        }
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_lists(&self.items, &other.items)
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> MavenVersion {
        MavenVersion::parse(s)
    }

    /// The qualifier and number orders of Maven's own ComparableVersion tests.
    #[test]
    fn maven_reference_orders() {
        let qualifiers = [
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ];
        let numbers = [
            "2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b",
            "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11",
            "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
        ];
        for list in [&qualifiers[..], &numbers[..]] {
            for pair in list.windows(2) {
                assert!(m(pair[0]) < m(pair[1]), "{} < {}", pair[0], pair[1]);
            }
        }
    }

    #[test]
    fn equal_spellings() {
        for (a, b) in [
            ("1", "1.0.0"),
            ("1", "1-0"),
            ("1.0-ga", "1"),
            ("1-final", "1.0"),
            ("1a1", "1-alpha-1"),
            ("1cr1", "1rc1"),
            ("1.0.0-RELEASE", "1"),
            ("01.002", "1.2"),
        ] {
            assert_eq!(m(a).cmp(&m(b)), Ordering::Equal, "{a} == {b}");
        }
        assert!(m("2.17.0") > m("2.16.0"));
        assert!(m("2.15.0-rc1") < m("2.15.0"));
        assert!(m("1.2.3") < m("1.2.10"));
    }

    /// A sub-list against nothing is decided by its first item that is not null (found by
    /// the version_order fuzz target).
    #[test]
    fn a_list_against_nothing_reads_past_its_null_items() {
        assert_eq!(m("1-0.w").cmp(&m("1")), Ordering::Greater);
        assert_eq!(m("1").cmp(&m("1-0.w")), Ordering::Less);
        assert_eq!(m("1-0.rc").cmp(&m("1")), Ordering::Less);
        assert_eq!(m("1-0-0").cmp(&m("1")), Ordering::Equal);
    }

    /// Maven's order is not transitive across a sub-list and a qualifier (found by the
    /// version_order fuzz target); sorting by rank still puts every version somewhere and
    /// does not panic, and agrees with the order where it is total.
    #[test]
    fn maven_is_not_transitive_and_ranking_copes() {
        let (a, b, c) = (m("1.0-SNAPSHOT"), m("1.0.0"), m("1.w"));
        assert!(a < b && b < c && a > c);
        let mut many: Vec<MavenVersion> = ["1.w", "1.0.0", "1.0-SNAPSHOT"]
            .iter()
            .cycle()
            .take(60)
            .map(|s| m(s))
            .collect();
        crate::version::sort_by_rank(&mut many, |x, y| x.cmp(y));
        assert_eq!(many.len(), 60);
        let mut plain: Vec<MavenVersion> = ["2.0", "1.0", "1.5", "1.0-rc1", "1.10"]
            .iter()
            .map(|s| m(s))
            .collect();
        crate::version::sort_by_rank(&mut plain, |x, y| x.cmp(y));
        let expected: Vec<MavenVersion> = ["1.0-rc1", "1.0", "1.5", "1.10", "2.0"]
            .iter()
            .map(|s| m(s))
            .collect();
        assert_eq!(plain, expected);
    }
}
