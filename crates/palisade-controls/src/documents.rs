//! What the document rules check of a document a record names: that its outline has a
//! heading for every expected part, and that no part's section is still a placeholder.

use crate::outline::{self, Part};
use palisade_core::{Confidence, Finding, Location, Place, RuleMeta, Span};

/// One document to check.
pub struct Document<'a> {
    /// As reports name it (relative to the scan root when inside it).
    pub shown: &'a str,
    /// As the record wrote it.
    pub written: &'a str,
    pub text: &'a str,
    /// `incident response plan`.
    pub what: &'a str,
}

/// The findings of `meta` about `doc`, given the parts it must have.
pub fn check(meta: &'static RuleMeta, doc: &Document<'_>, parts: &[String]) -> Vec<Finding> {
    let sections = outline::sections(doc.text);
    let headings = outline::part_headings(&sections);
    let mut out = Vec::new();
    for spec in parts {
        let part = Part::parse(spec);
        if part.words.is_empty() {
            continue;
        }
        let named: Vec<&outline::Section> = headings
            .iter()
            .filter(|s| part.named_by(&s.title))
            .collect();
        if named.is_empty() {
            out.push(
                Finding::at(
                    meta,
                    Place::Path(doc.shown.to_string()),
                    format!(
                        "the {} `{}` has no section on {} (no heading with a word starting with {})",
                        doc.what,
                        doc.written,
                        part.name,
                        part.words
                            .iter()
                            .map(|w| format!("`{w}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_content(format!("{}: {}", doc.shown, part.name)),
            );
            continue;
        }
        // A part is still to be written when every section naming it is a placeholder.
        if let Some(section) = named.iter().find(|s| s.placeholder.is_some())
            && named.iter().all(|s| s.placeholder.is_some())
        {
            let line = section.line;
            let text = doc.text.lines().nth(line as usize - 1).unwrap_or("");
            let span = Span {
                start_line: line,
                start_column: 1,
                end_line: line,
                end_column: text.trim_end().chars().count() as u32 + 1,
            };
            out.push(
                Finding::at(
                    meta,
                    Place::File(Location {
                        path: doc.shown.to_string(),
                        span,
                    }),
                    format!(
                        "the {} section `{}` ({}) still says {}: it is the template, not the team's procedure",
                        doc.what,
                        section.title,
                        part.name,
                        section.placeholder.unwrap_or("TODO")
                    ),
                )
                .with_confidence(Confidence::High)
                .with_content(text),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::controls::incident_response_plan_incomplete::{META, RuleOptions};

    fn run(text: &str) -> Vec<String> {
        let doc = Document {
            shown: "docs/ir.md",
            written: "docs/ir.md",
            text,
            what: "incident response plan",
        };
        check(&META, &doc, &RuleOptions::default().parts)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn each_missing_part_is_a_finding_naming_it() {
        let found = run(
            "# Incident response\n\n## Roles and contacts\nAda.\n## Severity levels\nSEV1.\n## Detection and analysis\nAlerts.\n## Containment\nIsolate.\n## Recovery\nRestore.\n",
        );
        assert_eq!(found.len(), 4, "{found:#?}");
        for part in [
            "eradication",
            "communication",
            "breach notification",
            "post-incident review",
        ] {
            assert!(
                found
                    .iter()
                    .any(|m| m.contains(&format!("no section on {part} "))),
                "{part}: {found:#?}"
            );
        }
    }

    #[test]
    fn a_complete_plan_passes_and_a_template_does_not() {
        let template = include_str!("../templates/incident-response.md.tmpl");
        let found = run(template);
        assert!(
            found.iter().all(|m| m.contains("still says TODO")),
            "{found:#?}"
        );
        assert_eq!(found.len(), 9, "{found:#?}");
        let filled = template.replace("TODO", "done");
        assert_eq!(run(&filled), Vec::<String>::new());
        // The document's title alone names nothing.
        let title_only = run("# Incident response and recovery plan\n\nWe will figure it out.\n");
        assert_eq!(title_only.len(), 9);
    }
}
