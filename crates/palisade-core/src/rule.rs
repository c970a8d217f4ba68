//! Rule metadata and rule documentation.
//!
//! Each rule lives in its own file whose leading `//!` comment is its documentation, with the
//! sections *What it checks*, *Why it matters*, *Example*, *Remediation* and *References*.
//! The rule's `RuleMeta` points at that file's source (`include_str!`), so the same text
//! serves `palisade explain`, the docs pages and SARIF `help` without being written twice.

use crate::finding::{Confidence, Severity};
use crate::options::OptionsType;
use crate::taxonomy::{Owasp, Recommendation};

/// The documentation sections every rule must have, in this order.
pub const REQUIRED_SECTIONS: [&str; 5] = [
    "What it checks",
    "Why it matters",
    "Example",
    "Remediation",
    "References",
];

/// Everything palisade knows about a rule besides its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// `<domain>/<hazard>`, kebab-case, never reused.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: &'static [u32],
    pub owasp: Owasp,
    pub recommendation: Recommendation,
    /// Whether the rule only runs when the user allowed network access.
    pub needs_network: bool,
    /// The rule's options under `[rules."<id>".options]`: `&[]`, or one
    /// `OptionsType::of::<Options>()` naming the struct they are parsed into.
    pub options: &'static [OptionsType],
    /// The source of the rule's file; its leading `//!` block is the documentation.
    pub source: &'static str,
}

impl RuleMeta {
    /// The part of the id before the slash (`python`, `k8s`, `palisade`, …).
    pub fn domain(&self) -> &'static str {
        self.id.split_once('/').map_or(self.id, |(d, _)| d)
    }

    /// The part of the id after the slash.
    pub fn slug(&self) -> &'static str {
        self.id.split_once('/').map_or(self.id, |(_, s)| s)
    }

    pub fn doc(&self) -> RuleDoc {
        RuleDoc::from_source(self.source)
    }

    /// Where the rule's page lives in palisade's repository (a relative URI reference).
    pub fn help_uri(&self) -> String {
        format!("docs/rules/{}/{}.md", self.domain(), self.slug())
    }

    /// The type the rule's options are parsed into, if it has options.
    pub fn options_type(&self) -> Option<&'static OptionsType> {
        self.options.first()
    }
}

/// A rule's documentation, split into its summary and `## ` sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleDoc {
    /// The text before the first section: one or two sentences.
    pub summary: String,
    pub sections: Vec<(String, String)>,
}

impl RuleDoc {
    /// Extracts the leading `//!` block of a Rust source file.
    pub fn from_source(source: &str) -> RuleDoc {
        let mut text = String::new();
        for line in source.lines() {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("//!") {
                text.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                text.push('\n');
            } else if trimmed.is_empty() && text.is_empty() {
                continue;
            } else {
                break;
            }
        }
        RuleDoc::from_markdown(&text)
    }

    pub fn from_markdown(text: &str) -> RuleDoc {
        let mut doc = RuleDoc::default();
        let mut current: Option<(String, String)> = None;
        for line in text.lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                if let Some(section) = current.take() {
                    doc.sections.push(section);
                }
                current = Some((heading.trim().to_string(), String::new()));
            } else if let Some((_, body)) = current.as_mut() {
                body.push_str(line);
                body.push('\n');
            } else if !line.starts_with("# ") {
                doc.summary.push_str(line);
                doc.summary.push('\n');
            }
        }
        if let Some(section) = current.take() {
            doc.sections.push(section);
        }
        doc.summary = doc.summary.trim().to_string();
        for (_, body) in &mut doc.sections {
            *body = body.trim().to_string();
        }
        doc
    }

    pub fn section(&self, heading: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(heading))
            .map(|(_, b)| b.as_str())
    }

    /// The required sections this documentation lacks or leaves empty.
    pub fn missing_sections(&self) -> Vec<&'static str> {
        REQUIRED_SECTIONS
            .into_iter()
            .filter(|s| self.section(s).is_none_or(str::is_empty))
            .collect()
    }

    /// The whole documentation as Markdown, with a title.
    pub fn to_markdown(&self, meta: &RuleMeta) -> String {
        let mut out = format!("# {} — {}\n\n", meta.id, meta.title);
        let cwe: Vec<String> = meta.cwe.iter().map(|c| format!("CWE-{c}")).collect();
        out.push_str(&format!(
            "| severity | confidence | OWASP 2021 | CWE | recommendation |\n|---|---|---|---|---|\n| {} | {} | {} | {} | `{}` |\n\n",
            meta.severity,
            meta.confidence,
            meta.owasp.label(),
            cwe.join(", "),
            meta.recommendation.id()
        ));
        if !self.summary.is_empty() {
            out.push_str(&self.summary);
            out.push_str("\n\n");
        }
        for (heading, body) in &self.sections {
            out.push_str(&format!("## {heading}\n\n{body}\n\n"));
        }
        let options = meta
            .options_type()
            .map(OptionsType::docs)
            .unwrap_or_default();
        if !options.is_empty() {
            out.push_str(
                "## Options\n\n| option | type | default | meaning |\n|---|---|---|---|\n",
            );
            for o in options {
                out.push_str(&format!(
                    "| `{}` | {} | `{}` | {} |\n",
                    o.name, o.kind, o.default, o.description
                ));
            }
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }
}

/// Rule ids that were renamed, as `(old id, new id)`. An id is never reused nor silently
/// renamed: when a rule must change its id, its old id goes here, so that configurations,
/// `[[ignore]]` entries, inline suppressions and `palisade explain` that still say the old id
/// keep working and are told the new one.
pub static RENAMED_RULES: &[(&str, &str)] = &[
    // Only in palisade-core's unit tests: exercises every place that reads a rule id.
    #[cfg(test)]
    ("python/example-old-name", "python/example-rule"),
];

/// The current id of a rule that was renamed (following renames of renames), or `None` when
/// `id` is not an old id.
pub fn renamed_rule(id: &str) -> Option<&'static str> {
    let mut current = RENAMED_RULES.iter().find(|(old, _)| *old == id)?.1;
    // Bounded: a cycle in the table cannot hang palisade.
    for _ in 0..RENAMED_RULES.len() {
        match RENAMED_RULES.iter().find(|(old, _)| *old == current) {
            Some((_, new)) => current = new,
            None => break,
        }
    }
    Some(current)
}

/// The notice given when an old id is used: where, which id, and what to write instead.
pub fn renamed_rule_notice(old: &str, new: &str) -> String {
    format!("rule `{old}` was renamed `{new}`; write the new id (the old one still works)")
}

/// Whether `id` is `<domain>/<slug>` with both parts lowercase kebab-case.
pub fn is_valid_rule_id(id: &str) -> bool {
    let kebab = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    matches!(id.split_once('/'), Some((d, s)) if kebab(d) && kebab(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_sections_are_split_from_the_leading_comment() {
        let src = "//! Flags a thing.\n//!\n//! ## What it checks\n//! This.\n//!\n//! ## Why it matters\n//! Because.\n\nuse x;\n//! not doc\n";
        let doc = RuleDoc::from_source(src);
        assert_eq!(doc.summary, "Flags a thing.");
        assert_eq!(doc.section("what it checks"), Some("This."));
        assert_eq!(doc.section("Why it matters"), Some("Because."));
        assert_eq!(
            doc.missing_sections(),
            vec!["Example", "Remediation", "References"]
        );
    }

    #[test]
    fn renamed_ids_lead_to_the_current_id() {
        assert_eq!(
            renamed_rule("python/example-old-name"),
            Some("python/example-rule")
        );
        assert_eq!(renamed_rule("python/example-rule"), None);
        assert_eq!(renamed_rule("python/sql-injection"), None);
    }

    #[test]
    fn rule_ids_are_domain_slash_kebab() {
        assert!(is_valid_rule_id("python/sql-injection"));
        assert!(is_valid_rule_id("k8s/rbac-wildcard-verbs"));
        assert!(!is_valid_rule_id("python/SQL"));
        assert!(!is_valid_rule_id("sql-injection"));
        assert!(!is_valid_rule_id("python/-x"));
        assert!(!is_valid_rule_id("python/a--b"));
        assert!(!is_valid_rule_id("python/a/b"));
    }
}
