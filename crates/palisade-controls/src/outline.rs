//! The outline of a Markdown document (an incident response plan, a DR runbook): its headings
//! with their lines, and whether each section's own text still holds a template placeholder.
//! Parsed with pulldown-cmark, so a `#` inside a code block or a table is not a heading and a
//! Setext heading (`Title` over `===`) is one.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One heading and the text up to the next heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// 1 for `#`, 2 for `##`, …
    pub level: u8,
    /// The heading's text, as written (inline markup removed).
    pub title: String,
    /// The 1-based line the heading starts on.
    pub line: u32,
    /// Words of the section's own text (not its subsections') that mark an unfinished
    /// template: `TODO`, `TBD`, `FIXME`, `XXX`.
    pub placeholder: Option<&'static str>,
    /// Whether the section has any text of its own besides placeholders.
    pub has_text: bool,
}

const PLACEHOLDERS: [&str; 4] = ["TODO", "TBD", "FIXME", "XXX"];

/// The sections of `text`, in order.
pub fn sections(text: &str) -> Vec<Section> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset) as u32;
    let mut out: Vec<Section> = Vec::new();
    let mut in_heading = false;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = true;
                out.push(Section {
                    level: level_number(level),
                    title: String::new(),
                    line: line_of(range.start),
                    placeholder: None,
                    has_text: false,
                });
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Code(t) => {
                // Code is quoted, not a placeholder: it counts as text of the section.
                if let Some(current) = out.last_mut() {
                    if in_heading {
                        current.title.push_str(&t);
                    } else {
                        current.has_text = true;
                    }
                }
            }
            Event::Text(t) => {
                let Some(current) = out.last_mut() else {
                    continue;
                };
                if in_heading {
                    current.title.push_str(&t);
                    continue;
                }
                for word in t.split(|c: char| !c.is_ascii_alphanumeric()) {
                    if let Some(p) = PLACEHOLDERS.iter().find(|p| **p == word) {
                        current.placeholder.get_or_insert(p);
                    } else if word.chars().any(|c| c.is_alphanumeric()) {
                        current.has_text = true;
                    }
                }
            }
            _ => {}
        }
    }
    for s in &mut out {
        s.title = s.title.trim().to_string();
    }
    out
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A part a document must have, and the words (lowercase, matched as the start of a word of
/// a heading) any of which names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub words: Vec<String>,
}

impl Part {
    /// `"roles and contacts: role|contact"`: the name, then the words after the colon; without
    /// a colon, the name is the only word.
    pub fn parse(spec: &str) -> Part {
        let (name, words) = spec.split_once(':').unwrap_or((spec, spec));
        Part {
            name: name.trim().to_string(),
            words: words
                .split('|')
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
        }
    }

    /// Whether a heading names this part: one of the words starts a word of the heading
    /// (`contain` names "Containment", not "Maintaining").
    pub fn named_by(&self, heading: &str) -> bool {
        let heading = heading.to_lowercase();
        self.words.iter().any(|w| {
            heading.match_indices(w.as_str()).any(|(at, _)| {
                heading[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        })
    }
}

/// The headings that can name a part: every one but a level-1 title that comes first (a plan
/// titled "Backup and restore runbook" has not thereby described its restore steps).
pub fn part_headings(sections: &[Section]) -> &[Section] {
    match sections.first() {
        Some(first) if first.level == 1 => &sections[1..],
        _ => sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_come_from_the_markdown_not_from_lines_starting_with_a_hash() {
        let text = "Plan\n====\n\nIntro.\n\n## Roles and *contacts*\n\nTODO: names.\n\n```sh\n# Containment\n```\n\n### Breach notification\nWe tell the regulator within 72 hours.\n";
        let s = sections(text);
        let titles: Vec<(&str, u32, u8)> = s
            .iter()
            .map(|s| (s.title.as_str(), s.line, s.level))
            .collect();
        assert_eq!(
            titles,
            [
                ("Plan", 1, 1),
                ("Roles and contacts", 6, 2),
                ("Breach notification", 14, 3)
            ]
        );
        assert_eq!(s[1].placeholder, Some("TODO"));
        assert_eq!(s[2].placeholder, None);
        assert!(s[2].has_text);
    }

    #[test]
    fn parts_are_named_by_the_start_of_a_word() {
        let part = Part::parse("containment: contain|isolat");
        assert_eq!(part.name, "containment");
        assert!(part.named_by("3. Containment and isolation"));
        assert!(part.named_by("Isolating hosts"));
        assert!(!part.named_by("Maintaining the plan"));
        let bare = Part::parse("recovery");
        assert_eq!(bare.words, ["recovery"]);
    }
}
