//! The repository's own review and disclosure files: CODEOWNERS (who must review changes to
//! sensitive paths) and SECURITY.md (whom to tell about a vulnerability). Read in the controls
//! analyzer's sources phase, with the list of the repository's files from the same walk a scan
//! makes (ignore files, pruned folders and `scan.exclude` apply).

use crate::sensitive::{self, Sensitive};
use globset::{Glob, GlobBuilder, GlobMatcher};
use palisade_core::{Finding, Location, Place, RuleMeta, Span};
use std::collections::BTreeMap;
use std::path::Path;

/// The repository a repository rule reads: the scan root and its files.
pub struct Repo<'a> {
    pub root: &'a Path,
    /// Every file of the walk, relative to the root, `/`-separated, sorted.
    pub files: &'a [&'a str],
}

impl Repo<'_> {
    /// The first of `places` the repository has, with its text (`None` when unreadable).
    pub fn first_of(&self, places: &[&str]) -> Option<(String, Option<String>)> {
        places
            .iter()
            .find(|p| self.files.iter().any(|f| f == *p))
            .map(|p| {
                (
                    p.to_string(),
                    std::fs::read_to_string(self.root.join(p)).ok(),
                )
            })
    }
}

/// What a repository rule found, and what it read (for the coverage ledger).
#[derive(Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub inspected: Vec<String>,
    pub notices: Vec<String>,
}

/// A finding at `line` of `path`, carrying the line's text (the file may be read by no
/// analyzer, so the engine cannot take the snippet from it).
pub fn at_line(
    meta: &'static RuleMeta,
    path: &str,
    text: &str,
    line: u32,
    message: String,
) -> Finding {
    let content = text
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or("");
    let span = Span {
        start_line: line,
        start_column: 1,
        end_line: line,
        end_column: content.trim_end().chars().count() as u32 + 1,
    };
    Finding::at(
        meta,
        Place::File(Location {
            path: path.to_string(),
            span,
        }),
        message,
    )
    .with_content(content)
}

/// The first line of a Markdown `text` that is not blank nor in an HTML comment, else 1.
pub fn first_content_line(text: &str) -> u32 {
    let mut in_comment = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if in_comment {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.starts_with("<!--") {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.is_empty() {
            continue;
        }
        return i as u32 + 1;
    }
    1
}

/// Where GitHub looks for CODEOWNERS, in its order.
pub const CODEOWNERS_PLACES: [&str; 3] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// Where SECURITY.md may be.
pub const SECURITY_PLACES: [&str; 3] = ["SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md"];

/// One line of a CODEOWNERS file.
pub struct OwnerRule {
    pub line: u32,
    matcher: Option<GlobMatcher>,
    /// Without owners, the line takes ownership away from the paths it matches.
    pub owners: Vec<String>,
}

impl OwnerRule {
    fn matches(&self, path: &str) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.is_match(path))
    }
}

/// The rules of a CODEOWNERS file, in order, and its first rule's line (where findings go).
pub fn parse_codeowners(text: &str) -> (Vec<OwnerRule>, Option<u32>) {
    let mut rules = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.split(" #").next().unwrap_or(line);
        let mut words = line.split_whitespace();
        let Some(pattern) = words.next() else {
            continue;
        };
        rules.push(OwnerRule {
            line: i as u32 + 1,
            matcher: pattern_matcher(pattern),
            owners: words.map(str::to_string).collect(),
        });
    }
    let first = rules.first().map(|r| r.line);
    (rules, first)
}

/// A CODEOWNERS pattern as a glob over repository-relative paths. CODEOWNERS follows
/// gitignore's rules: a leading `/` or a `/` inside anchors the pattern at the root, else it
/// matches at any depth; a trailing `/` means a folder's contents; `*` stays within one path
/// segment, `**` crosses them; a pattern naming a folder covers everything under it.
pub fn pattern_matcher(pattern: &str) -> Option<GlobMatcher> {
    let dir_only = pattern.ends_with('/');
    let body = pattern.trim_end_matches('/');
    let anchored = body.starts_with('/') || body.trim_start_matches('/').contains('/');
    let body = body.trim_start_matches('/');
    if body.is_empty() {
        return None;
    }
    let base = if anchored {
        body.to_string()
    } else {
        format!("**/{body}")
    };
    let glob = if dir_only {
        format!("{base}/**")
    } else {
        format!("{{{base},{base}/**}}")
    };
    let built: Result<Glob, _> = GlobBuilder::new(&glob).literal_separator(true).build();
    built.ok().map(|g| g.compile_matcher())
}

/// The sensitive files of `files` that no CODEOWNERS rule gives an owner (the last matching
/// rule decides), grouped by why they are sensitive.
pub fn uncovered<'f>(rules: &[OwnerRule], files: &[&'f str]) -> BTreeMap<Sensitive, Vec<&'f str>> {
    let mut out: BTreeMap<Sensitive, Vec<&str>> = BTreeMap::new();
    for &path in files {
        let Some((kind, _)) = sensitive::classify(path) else {
            continue;
        };
        let owned = rules
            .iter()
            .rev()
            .find(|r| r.matches(path))
            .is_some_and(|r| !r.owners.is_empty());
        if !owned {
            out.entry(kind).or_default().push(path);
        }
    }
    out
}

/// Whether SECURITY.md's text names a way to reach someone: an email address, a web address,
/// or GitHub's private vulnerability reporting / security advisories. Placeholders do not count.
pub fn has_contact(text: &str) -> bool {
    let lower = text.to_lowercase();
    let email = text
        .split(|c: char| c.is_whitespace() || "<>()[],;:\"'`".contains(c))
        .any(|w| {
            let w = w.trim_end_matches('.');
            w.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && host.contains('.')
                    && !host.ends_with("example.com")
                    && !host.contains("your-domain")
            })
        });
    let web = lower.contains("https://") && !lower.contains("https://example");
    let github = lower.contains("security advisor")
        || lower.contains("private vulnerability report")
        || lower.contains("/security/advisories");
    email || web || github
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(text: &str, path: &str) -> bool {
        let (rules, _) = parse_codeowners(text);
        uncovered(&rules, &[path]).is_empty()
    }

    #[test]
    fn codeowners_patterns_follow_gitignore_rules() {
        assert!(owned("* @team\n", ".github/workflows/ci.yml"));
        assert!(owned("/.github/ @team\n", ".github/workflows/ci.yml"));
        assert!(owned("migrations/ @db\n", "app/orders/migrations/0001.py"));
        assert!(owned("*.lock @team\n", "backend/poetry.lock"));
        assert!(!owned("/*.lock @team\n", "backend/poetry.lock"));
        assert!(owned("/k8s @ops\n", "k8s/base/deploy.yaml"));
        assert!(!owned("/k8s/*.yaml @ops\n", "k8s/base/deploy.yaml"));
        assert!(owned("/k8s/**/*.yaml @ops\n", "k8s/base/deploy.yaml"));
        // The last matching rule wins, and a rule without owners takes ownership away.
        assert!(!owned("* @team\n/palisade.toml\n", "palisade.toml"));
        assert!(owned("/palisade.toml\n* @team\n", "palisade.toml"));
        assert!(owned(
            "# comment\n\npalisade.toml @sec # trailing\n",
            "palisade.toml"
        ));
        assert!(!owned("", "palisade.toml"));
    }

    #[test]
    fn a_security_policy_needs_a_real_contact() {
        assert!(has_contact("Mail security@shop.dev please."));
        assert!(has_contact("Use GitHub's private vulnerability reporting."));
        assert!(has_contact("See https://shop.dev/security"));
        assert!(!has_contact(
            "Report it privately to TODO (security@your-domain)."
        ));
        assert!(!has_contact("Write to security@example.com"));
        assert!(!has_contact("# Security\n\nWe take security seriously.\n"));
    }
}
