//! The detector table compiled once per scan: a keyword prefilter (one Aho-Corasick
//! automaton over every detector's keywords) and one many-pattern regex per [`Tier`]
//! (regex-automata's meta engine: which pattern matched and where, in one pass).
//!
//! Both are linear in the text: the prefilter is one pass, each tier one pass plus, for a
//! candidate that a check rejects, a rescan of at most that match's length (so that a
//! rejected generic match does not hide a secret inside it). Every detector's match length
//! is bounded except the key blocks, which need their `BEGIN` marker to start.

use crate::context;
use crate::detectors::DETECTORS;
use crate::table::{Detector, Files, Tier};
use crate::validate;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use palisade_core::Confidence;
use palisade_knowledge::hosts::{HostClass, host_class};
use palisade_knowledge::secrets::{SecretKind, cannot_be_secret, secret_name};
use regex_automata::meta::Regex;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, PatternID};
use std::ops::Range;

/// A tier stops after this many hits in one text: the report keeps far fewer per file, and
/// folding generic hits into specific ones compares the two lists.
const MAX_HITS_PER_TIER: usize = 1000;

/// The lazy DFA's cache per tier and thread. The default (2 MiB) is too small for a tier of
/// dozens of patterns: it filled and was cleared over and over, and rebuilding states took a
/// quarter of a secrets scan's time.
const LAZY_DFA_CACHE_BYTES: usize = 32 << 20;

/// The longest value a generic detector reports.
const MAX_GENERIC_SECRET: usize = 256;

/// One tier's detectors and their many-pattern regex (pattern `i` is `detectors[i]`).
struct TierMatcher {
    detectors: Vec<&'static Detector>,
    regex: Option<Regex>,
}

/// The compiled table: build it once and share it between files (it is `Sync`).
pub struct Matcher {
    keywords: AhoCorasick,
    /// For each keyword of the automaton, the detectors (indexes in [`DETECTORS`]) it gates.
    keyword_detectors: Vec<Vec<usize>>,
    /// Per kind of file (plain, `.env`, configuration), the two tiers of the detectors that
    /// look at it: a pattern for `.env` lines never runs over source code.
    tiers: [[TierMatcher; 2]; 3],
}

/// A secret found in a text: which detector, the whole match and the secret's bytes.
#[derive(Clone, Debug)]
pub struct Hit {
    pub detector: &'static Detector,
    pub matched: Range<usize>,
    pub secret: Range<usize>,
    pub confidence: Confidence,
}

/// The file a text comes from, as far as detection cares.
#[derive(Clone, Copy, Debug)]
pub struct FileKind {
    pub dotenv: bool,
    pub config: bool,
}

/// The three kinds of file the tiers are compiled for.
const KINDS: [FileKind; 3] = [
    FileKind {
        dotenv: false,
        config: false,
    },
    FileKind {
        dotenv: true,
        config: false,
    },
    FileKind {
        dotenv: false,
        config: true,
    },
];

impl FileKind {
    pub fn of(path: &str) -> FileKind {
        let lower = path.to_ascii_lowercase();
        let config = [
            ".yaml",
            ".yml",
            ".ini",
            ".toml",
            ".properties",
            ".conf",
            ".cfg",
            ".cnf",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext));
        FileKind {
            dotenv: context::is_dotenv(path),
            config,
        }
    }

    fn admits(self, files: Files) -> bool {
        match files {
            Files::Any => true,
            Files::DotEnv => self.dotenv,
            Files::NotDotEnv => !self.dotenv,
            Files::Config => self.config && !self.dotenv,
        }
    }
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher::new()
    }
}

impl Matcher {
    /// Compiles every detector of the table. A pattern that does not compile is a bug of
    /// the table (a unit test compiles them all), never of the scanned input.
    pub fn new() -> Matcher {
        let mut words: Vec<&'static str> = Vec::new();
        let mut keyword_detectors: Vec<Vec<usize>> = Vec::new();
        for (i, d) in DETECTORS.iter().enumerate() {
            for &k in d.keywords {
                match words.iter().position(|w| *w == k) {
                    Some(at) => keyword_detectors[at].push(i),
                    None => {
                        words.push(k);
                        keyword_detectors.push(vec![i]);
                    }
                }
            }
        }
        let keywords = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&words)
            .expect("the detector keywords build an automaton");
        let tier = |kind: FileKind, tier: Tier| {
            let detectors: Vec<&'static Detector> = DETECTORS
                .iter()
                .copied()
                .filter(|d| d.tier == tier && kind.admits(d.files))
                .collect();
            let patterns: Vec<&str> = detectors.iter().map(|d| d.pattern).collect();
            let regex = Regex::builder()
                .syntax(syntax::Config::new().unicode(false).utf8(false))
                .configure(Regex::config().hybrid_cache_capacity(LAZY_DFA_CACHE_BYTES))
                .build_many(&patterns)
                .ok();
            TierMatcher { detectors, regex }
        };
        Matcher {
            keywords,
            keyword_detectors,
            tiers: KINDS.map(|kind| [tier(kind, Tier::Specific), tier(kind, Tier::Generic)]),
        }
    }

    /// Whether every tier compiled (a unit test asserts it).
    pub fn is_complete(&self) -> bool {
        self.tiers.iter().flatten().all(|t| t.regex.is_some())
    }

    /// Every secret in `text`, in order, one per secret: a generic hit whose secret a
    /// specific hit overlaps is dropped. `enabled` says which detectors run.
    pub fn find(
        &self,
        text: &str,
        kind: FileKind,
        enabled: &dyn Fn(&'static Detector) -> bool,
    ) -> Vec<Hit> {
        let mut gated = vec![false; DETECTORS.len()];
        for i in self.detectors_gated(text) {
            gated[i] = true;
        }
        let runs = |d: &'static Detector| {
            kind.admits(d.files)
                && (d.keywords.is_empty() || gated.get(d.index()).copied().unwrap_or(false))
                && enabled(d)
        };
        let mut hits: Vec<Hit> = Vec::new();
        // Tokens a specific detector recognised by shape and then rejected (a checksum that
        // fails, a documented example): the generic pass must not report them either.
        let mut rejected: Vec<Range<usize>> = Vec::new();
        let tiers =
            &self.tiers[usize::from(kind.dotenv) + 2 * usize::from(kind.config && !kind.dotenv)];
        // The specific pass also runs when only generic detectors are selected: what it
        // refuses, the generic pass must not report.
        let generic_runs = tiers[1].detectors.iter().any(|d| runs(d));
        for (i, tier) in tiers.iter().enumerate() {
            let needed = tier.detectors.iter().any(|d| runs(d)) || (i == 0 && generic_runs);
            if !needed {
                continue;
            }
            let Some(regex) = &tier.regex else { continue };
            let (found, refused) = scan_tier(regex, &tier.detectors, text, &runs);
            if tier
                .detectors
                .first()
                .is_some_and(|d| d.tier == Tier::Generic)
            {
                let fresh: Vec<Hit> = found
                    .into_iter()
                    .filter(|g| {
                        let reported = hits.iter().any(|s| {
                            s.secret.start < g.secret.end && g.secret.start < s.secret.end
                        });
                        let refused = rejected
                            .iter()
                            .any(|r| r.start <= g.secret.start && g.secret.end <= r.end);
                        !reported && !refused
                    })
                    .collect();
                hits.extend(fresh);
            } else {
                hits.extend(found);
                rejected.extend(refused);
            }
        }
        hits.sort_by_key(|h| (h.matched.start, h.matched.end));
        hits
    }

    /// The indexes of the detectors whose keywords occur in `text` (one pass).
    fn detectors_gated(&self, text: &str) -> Vec<usize> {
        let mut seen = vec![false; self.keyword_detectors.len()];
        let mut left = seen.len();
        for m in self.keywords.find_overlapping_iter(text) {
            let k = m.pattern().as_usize();
            if !seen[k] {
                seen[k] = true;
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        let mut out: Vec<usize> = seen
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .flat_map(|(k, _)| self.keyword_detectors[k].iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// One pass of a tier's regex over `text`, each match checked; a rejected match is searched
/// again one byte later, so that it hides nothing inside it. Returns the hits and the
/// matches every detector matching there rejected.
fn scan_tier(
    regex: &Regex,
    detectors: &[&'static Detector],
    text: &str,
    runs: &dyn Fn(&'static Detector) -> bool,
) -> (Vec<Hit>, Vec<Range<usize>>) {
    let mut hits = Vec::new();
    let mut rejected = Vec::new();
    let mut caps = regex.create_captures();
    let mut at = 0;
    while at < text.len() && hits.len() < MAX_HITS_PER_TIER {
        let Some(first) = regex.search(&Input::new(text).range(at..)) else {
            break;
        };
        // Leftmost-first reports one pattern per start; when its match is rejected, the
        // later patterns that also match at that start get their turn.
        let mut accepted = None;
        // Whether the value is refused by shape: every detector matching here found it not
        // to be its secret, whether or not that detector is selected (a checksum that fails
        // is a fact about the value, not about the selection).
        let mut refused = true;
        let mut m = Some(first);
        while let Some(current) = m.take() {
            let pid = current.pattern().as_usize();
            let detector = detectors[pid];
            let input = Input::new(text)
                .range(current.range())
                .anchored(Anchored::Pattern(current.pattern()));
            regex.search_captures(&input, &mut caps);
            let group = |name: &str| caps.get_group_by_name(name).map(|s| s.range());
            let secret = group("secret")
                .or_else(|| group("secret2"))
                .unwrap_or(current.range());
            let parts = Parts {
                text,
                secret,
                name: group("name").map(|n| whole_name(text, n)),
                host: group("host"),
                user: group("user"),
            };
            let verdict = check(detector, &parts);
            if verdict.is_some() {
                refused = false;
            }
            if runs(detector) {
                let from = parts
                    .name
                    .as_ref()
                    .map_or(current.start(), |n| n.start.min(current.start()));
                accepted = verdict.map(|confidence| Hit {
                    detector,
                    matched: from..current.end(),
                    secret: parts.secret.clone(),
                    confidence,
                });
                if accepted.is_some() {
                    break;
                }
            }
            m = (pid + 1..detectors.len()).find_map(|next| {
                let input = Input::new(text)
                    .range(first.start()..)
                    .anchored(Anchored::Pattern(PatternID::new_unchecked(next)));
                regex.search(&input)
            });
        }
        match accepted {
            Some(hit) => {
                at = hit.matched.end.max(at + 1);
                hits.push(hit);
            }
            None => {
                if refused && rejected.len() < MAX_HITS_PER_TIER {
                    rejected.push(first.range());
                }
                at = first.start() + 1;
            }
        }
        // Never resume inside a character.
        while at < text.len() && !text.is_char_boundary(at) {
            at += 1;
        }
    }
    (hits, rejected)
}

/// A name the pattern matched from its secret-looking word on (`password` in
/// `db_password`: a pattern that starts with a keyword runs much faster than one that
/// starts with any identifier), extended back to the start of the identifier.
fn whole_name(text: &str, name: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut start = name.start;
    while start > 0
        && name.start - start < 64
        && (bytes[start - 1].is_ascii_alphanumeric()
            || matches!(bytes[start - 1], b'_' | b'.' | b'-'))
    {
        start -= 1;
    }
    start..name.end
}

/// The parts of a match a check reads.
struct Parts<'t> {
    text: &'t str,
    secret: Range<usize>,
    name: Option<Range<usize>>,
    host: Option<Range<usize>>,
    user: Option<Range<usize>>,
}

impl Parts<'_> {
    fn get(&self, range: &Range<usize>) -> &str {
        self.text.get(range.clone()).unwrap_or_default()
    }
}

/// Whether a match is a secret, and how sure: placeholders, documentation values and
/// references are not; the secret must reach the detector's entropy and pass its validator;
/// a generic match's name must say it holds a secret and its value must look like one.
fn check(detector: &Detector, parts: &Parts<'_>) -> Option<Confidence> {
    let secret = parts.get(&parts.secret);
    // Generic patterns leave lengths unbounded (bounded repetitions make the automaton
    // large and slow); a value longer than this is data, not a password or token.
    let too_long = detector.tier == Tier::Generic && secret.len() > MAX_GENERIC_SECRET;
    if secret.is_empty() || too_long || context::is_documentation_value(secret) {
        return None;
    }
    if detector.entropy > 0.0 && validate::entropy(secret) < detector.entropy {
        return None;
    }
    if detector.validate.is_some_and(|v| !v(secret)) {
        return None;
    }
    let mut confidence = detector.confidence;
    if let Some(name) = &parts.name {
        let name = parts.get(name);
        let kind = secret_name(name)?.kind;
        if context::names_no_credential(name) {
            return None;
        }
        if matches!(
            kind,
            SecretKind::PasswordHash | SecretKind::Signature | SecretKind::Digest
        ) {
            return None;
        }
        if !plausible_literal(secret) {
            return None;
        }
    }
    // `app:app@db`, `${DATABASE_URL:-…}`: a development default, not a deployed secret.
    let same_as_user = parts
        .user
        .as_ref()
        .is_some_and(|u| parts.get(u).eq_ignore_ascii_case(secret));
    if same_as_user || context::in_expansion_default(parts.text, parts.secret.start) {
        confidence = Confidence::Low;
    }
    if let Some(host) = &parts.host {
        match host_class(parts.get(host)) {
            HostClass::Reserved => return None,
            HostClass::Loopback | HostClass::Unspecified => confidence = Confidence::Low,
            _ => {}
        }
    }
    Some(confidence)
}

/// Whether a value assigned to a secret-looking name could be the secret itself rather than
/// code, a reference or a word: no call, template or URL; not only letters and separators
/// (`password_field`, `auth.token.label`) unless long and mixed-case like a random token.
fn plausible_literal(value: &str) -> bool {
    // Non-ASCII: prose (a translation's "パスワード"), not a generated secret.
    if !value.is_ascii()
        || cannot_be_secret(value)
        || context::is_code_reference(value)
        || value.contains("://")
    {
        return false;
    }
    if value.contains(['(', ')', '{', '}', '[', ']', '$', '%', '<', '>']) {
        return false;
    }
    // Base64 of a placeholder (`Y2hhbmdlbWU=`, a Kubernetes Secret's `changeme`).
    let decoded = validate::base64_decode(value)
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|d| d.len() >= 4 && d.bytes().all(|b| b.is_ascii_graphic()));
    if value.len().is_multiple_of(4) && decoded.is_some_and(|d| context::is_documentation_value(&d))
    {
        return false;
    }
    let wordy = value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '.' | '-' | ' ' | '/'));
    if wordy {
        // Random letters mix cases throughout; a word has one capital at most
        // (`Gebruikerswachtwoord`).
        let mixed = value.chars().filter(char::is_ascii_uppercase).count() >= 3
            && value.chars().filter(char::is_ascii_lowercase).count() >= 3;
        return value.len() >= 20
            && mixed
            && !value.contains(['_', '.', '-', '/'])
            && !is_camel_case_words(value);
    }
    true
}

/// Whether a value is words joined in camelCase (`inputIncomingServerPassword`,
/// `liveActivityReportedTokenTags`): an identifier or a key name, not a generated secret.
/// Random letters almost never put two or more lower-case letters after every capital.
fn is_camel_case_words(value: &str) -> bool {
    let mut words = 0;
    let mut rest = value;
    while !rest.is_empty() {
        let first = rest.chars().next().unwrap_or('a');
        let tail = rest[first.len_utf8()..]
            .find(|c: char| !c.is_ascii_lowercase())
            .map_or(rest.len(), |at| at + first.len_utf8());
        let word = &rest[..tail];
        // Every word after the first starts with a capital; each has two lower-case letters
        // after its first letter at least.
        let lowers = word.len() - first.len_utf8();
        if !first.is_ascii_alphabetic() || lowers < 2 || (words > 0 && !first.is_ascii_uppercase())
        {
            return false;
        }
        words += 1;
        rest = &rest[tail..];
    }
    words >= 3
}
