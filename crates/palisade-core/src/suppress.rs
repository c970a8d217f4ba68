//! Inline suppressions: `palisade: ignore[<rule-id>, ...] <reason>` in a comment, on the
//! finding's line (trailing the code) or alone on the line above it. `until:YYYY-MM-DD`
//! anywhere in the reason makes the suppression expire after that day.
//!
//! A suppression that hides nothing, or that has expired, is reported itself
//! (`palisade/unused-suppression`, `palisade/expired-suppression`), so stale ignores do not
//! pile up unseen.

use crate::date::Date;
use crate::finding::{Finding, Span};
use crate::source::{CommentStyle, SourceFile};

const MARKER: &str = "palisade: ignore[";

/// One parsed suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Where the comment is (the `palisade: ignore[...]` text).
    pub span: Span,
    /// The line whose findings it hides.
    pub target_line: u32,
    /// The rules it hides, by their current ids (an old id of a renamed rule is replaced).
    pub rule_ids: Vec<String>,
    /// Old ids of renamed rules written in the comment, with their current ids.
    pub renamed: Vec<(String, &'static str)>,
    pub reason: String,
    pub until: Option<Date>,
    /// `until:` was present but not a valid date.
    pub bad_until: Option<String>,
}

impl Suppression {
    /// Expired, or its `until:` is not a date (then it never hides anything, so a typo
    /// cannot make a suppression permanent).
    pub fn is_expired(&self, today: Date) -> bool {
        self.bad_until.is_some() || self.until.is_some_and(|until| until < today)
    }
}

/// Finds every suppression comment in a file.
pub fn parse(file: &SourceFile) -> Vec<Suppression> {
    let openers: &[&str] = match file.comment {
        CommentStyle::Hash => &["#"],
        CommentStyle::Slash => &["//", "/*", "*"],
        CommentStyle::Markup => &["<!--"],
        CommentStyle::DoubleDash => &["--"],
        CommentStyle::None => return Vec::new(),
    };
    // Cheap test first: most files have no suppression at all.
    if !file.text.contains(MARKER) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for line_no in 1..=file.line_count() {
        let line = file.line(line_no);
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = &line[..at];
        // The marker must follow a comment opener: `x = 1  # palisade: ignore[...]`.
        let Some(opener_at) = openers
            .iter()
            .filter_map(|o| before.find(o))
            .filter(|&at| !inside_string(&before[..at]))
            .min()
        else {
            continue;
        };
        let own_line = before[..opener_at].trim().is_empty();
        let after = &line[at + MARKER.len()..];
        let Some(close) = after.find(']') else {
            continue;
        };
        let mut renamed = Vec::new();
        let rule_ids: Vec<String> = after[..close]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|id| match crate::rule::renamed_rule(id) {
                Some(new) => {
                    renamed.push((id.to_string(), new));
                    new.to_string()
                }
                None => id.to_string(),
            })
            .collect();
        let mut rest = after[close + 1..].trim();
        for closer in ["-->", "*/"] {
            rest = rest.strip_suffix(closer).unwrap_or(rest).trim_end();
        }
        let (mut until, mut bad_until) = (None, None);
        let mut reason_words = Vec::new();
        for word in rest.split_whitespace() {
            if let Some(date) = word.strip_prefix("until:") {
                match Date::parse(date) {
                    Some(d) => until = Some(d),
                    None => bad_until = Some(date.to_string()),
                }
            } else {
                reason_words.push(word);
            }
        }
        let start_column = before.chars().count() as u32 + 1;
        let marker_len = MARKER.chars().count() + after[..=close].chars().count();
        found.push(Suppression {
            span: Span {
                start_line: line_no,
                start_column,
                end_line: line_no,
                end_column: start_column + marker_len as u32,
            },
            target_line: if own_line { line_no + 1 } else { line_no },
            rule_ids,
            renamed,
            reason: reason_words.join(" "),
            until,
            bad_until,
        });
    }
    found
}

/// Whether text ending here is inside a string literal opened on the same line: an odd
/// number of unescaped quotes of one kind before it. (`"see # palisade: ignore[x]"` is a
/// string, not a comment.)
fn inside_string(before: &str) -> bool {
    let mut double = false;
    let mut single = false;
    let mut escaped = false;
    for c in before.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped && !single => double = !double,
            '\'' if !escaped && !double => single = !single,
            _ => {}
        }
        escaped = false;
    }
    double || single
}

/// What applying a file's suppressions did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings that are still reported.
    pub kept: Vec<Finding>,
    /// How many were hidden.
    pub suppressed: usize,
    /// The recommendation and confidence of each hidden finding, for the coverage ledger.
    pub hidden: Vec<(crate::taxonomy::Recommendation, crate::finding::Confidence)>,
    /// For each suppression (same order as given), for each of its rule ids, whether it hid
    /// something.
    pub used: Vec<Vec<bool>>,
}

/// Hides the findings that an unexpired suppression covers.
pub fn apply(findings: Vec<Finding>, suppressions: &[Suppression], today: Date) -> Applied {
    let mut applied = Applied {
        used: suppressions
            .iter()
            .map(|s| vec![false; s.rule_ids.len()])
            .collect(),
        ..Applied::default()
    };
    'findings: for finding in findings {
        for (si, s) in suppressions.iter().enumerate() {
            let line = finding.location.span().map(|s| s.start_line);
            if line != Some(s.target_line) || s.is_expired(today) {
                continue;
            }
            if let Some(ri) = s.rule_ids.iter().position(|id| id == finding.rule.id) {
                applied.used[si][ri] = true;
                applied.suppressed += 1;
                applied
                    .hidden
                    .push((finding.rule.recommendation, finding.confidence));
                continue 'findings;
            }
        }
        applied.kept.push(finding);
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::in_memory(name, text)
    }

    #[test]
    fn own_line_and_trailing_comments() {
        let f = file(
            "f.py",
            "# palisade: ignore[python/a, python/b] vendor sandbox until:2027-01-31\nx = 1\ny = 2  # palisade: ignore[python/c]\ns = \"palisade: ignore[python/d]\"\n",
        );
        let s = parse(&f);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].target_line, 2);
        assert_eq!(s[0].rule_ids, ["python/a", "python/b"]);
        assert_eq!(s[0].reason, "vendor sandbox");
        assert_eq!(
            s[0].until.map(|d| d.to_string()).as_deref(),
            Some("2027-01-31")
        );
        assert_eq!(s[1].target_line, 3);
        assert_eq!(s[1].rule_ids, ["python/c"]);
    }

    #[test]
    fn an_old_id_of_a_renamed_rule_suppresses_the_rule_under_its_new_id() {
        let f = file(
            "f.py",
            "x = 1  # palisade: ignore[python/example-old-name, python/c] known\n",
        );
        let s = parse(&f);
        assert_eq!(s[0].rule_ids, ["python/example-rule", "python/c"]);
        assert_eq!(
            s[0].renamed,
            [("python/example-old-name".to_string(), "python/example-rule")]
        );
    }

    /// Through a whole scan: the old id hides the renamed rule's finding, and a notice on the
    /// comment's line names the new id.
    #[test]
    fn a_scan_follows_a_renamed_id_in_an_inline_suppression_with_a_notice() {
        use crate::config::{Config, RuleSet};
        use crate::engine::{self, Analyzer, FileContext, ScanOptions};
        use crate::finding::{Confidence, Severity};
        use crate::rule::RuleMeta;
        use crate::source::FileSelector;
        use crate::taxonomy::{Owasp, Recommendation};

        static RENAMED: RuleMeta = RuleMeta {
            id: "python/example-rule",
            title: "Example",
            severity: Severity::High,
            confidence: Confidence::High,
            cwe: &[],
            owasp: Owasp::A05,
            recommendation: Recommendation::PythonBackend,
            needs_network: false,
            options: &[],
            source: "",
        };
        struct EveryLine;
        impl Analyzer for EveryLine {
            type Facts = ();
            type ScanState = ();
            fn name(&self) -> &'static str {
                "example"
            }
            fn rules(&self) -> &'static [&'static RuleMeta] {
                static RULES: [&RuleMeta; 1] = [&RENAMED];
                &RULES
            }
            fn files(&self) -> FileSelector {
                FileSelector {
                    extensions: &["py"],
                    names: &[],
                    except_names: &[],
                    globs: &[],
                    sniff: None,
                }
            }
            fn check_file(
                &self,
                file: &SourceFile,
                cx: &mut FileContext<'_>,
                _state: &(),
            ) -> Option<()> {
                cx.report(Finding::new(&RENAMED, file.line_span(2), "found"));
                None
            }
        }

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("app.py"),
            "# palisade: ignore[python/example-old-name] accepted\nx = 1\n",
        )
        .unwrap();
        let analyzers: [&dyn engine::DynAnalyzer; 1] = [&EveryLine];
        let registry = engine::registry(&analyzers);
        let config = Config::default();
        let rules = RuleSet::all(&registry);
        let options = ScanOptions::new(vec![dir.path().to_path_buf()], &config, &rules);
        let report = engine::scan(&analyzers, &options).unwrap();
        assert!(report.findings.is_empty(), "{:?}", report.findings);
        assert_eq!(report.stats.suppressed, 1);
        let notice = &report.diagnostics[0];
        assert_eq!(notice.kind, crate::report::DiagnosticKind::RenamedRule);
        assert_eq!(notice.line, Some(1));
        assert!(
            notice.message.contains("renamed `python/example-rule`"),
            "{notice:?}"
        );
    }

    #[test]
    fn host_comment_syntaxes() {
        let html = file(
            "f.html",
            "<!-- palisade: ignore[web/x] legacy page -->\n<p>\n",
        );
        let s = parse(&html);
        assert_eq!(s[0].reason, "legacy page");
        let java = file("F.java", "call(); /* palisade: ignore[java/x] */\n");
        assert_eq!(parse(&java)[0].target_line, 1);
        let string = file(
            "f.py",
            "hint = \"add '# palisade: ignore[x/y] why' above\"\n",
        );
        assert!(parse(&string).is_empty());
        let json = file("f.json", "{\"a\": \"# palisade: ignore[x/y]\"}");
        assert!(parse(&json).is_empty());
    }

    #[test]
    fn bad_until_is_kept_for_reporting() {
        let f = file("f.yaml", "# palisade: ignore[k8s/x] until:2026-02-30\n");
        assert_eq!(parse(&f)[0].bad_until.as_deref(), Some("2026-02-30"));
    }
}
