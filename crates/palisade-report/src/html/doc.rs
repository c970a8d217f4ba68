//! Rule documentation (Markdown) as HTML for the report, by our own walk over
//! pulldown-cmark's events rather than its HTML writer, so that exactly these elements can
//! come out: paragraphs, emphasis, code, code blocks, lists, block quotes, tables, rules and
//! links. Everything else is text:
//! - raw HTML in the Markdown (`<script>`, `<img onerror=…>`, comments) is shown escaped,
//!   never passed through;
//! - a link keeps its `href` only when it is `http:`/`https:` or relative (no scheme, no
//!   control characters or spaces, not `//host`); any other (`javascript:`, `data:`,
//!   `vbscript:` …) leaves its text alone;
//! - images become their alternative text (the page loads nothing);
//! - headings inside a section are `<h5>`, without ids (no clash with the page's own).
//!
//! The page's Content-Security-Policy is the second wall: even an element that got through
//! could not run a script or load anything.

use super::visible;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The HTML of a piece of Markdown, safe to write unescaped into the page.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 5 / 4);
    // Whether each link opened so far got an `<a>` (only safe destinations do).
    let mut links: Vec<bool> = Vec::new();
    let mut in_table_head = false;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { .. } => out.push_str("<h5>"),
                Tag::BlockQuote(_) => out.push_str("<blockquote>"),
                Tag::CodeBlock(_) => out.push_str("<pre class=\"doc-code\"><code>"),
                Tag::List(Some(1)) => out.push_str("<ol>"),
                Tag::List(Some(start)) => out.push_str(&format!("<ol start=\"{start}\">")),
                Tag::List(None) => out.push_str("<ul>"),
                Tag::Item => out.push_str("<li>"),
                Tag::Table(_) => out.push_str("<table class=\"matrix\">"),
                Tag::TableHead => {
                    in_table_head = true;
                    out.push_str("<thead><tr>");
                }
                Tag::TableRow => out.push_str("<tr>"),
                Tag::TableCell => out.push_str(if in_table_head { "<th>" } else { "<td>" }),
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<del>"),
                Tag::Link {
                    dest_url, title, ..
                } => {
                    let safe = safe_destination(&dest_url);
                    if safe {
                        out.push_str("<a href=\"");
                        escape_into(&mut out, &dest_url);
                        out.push('"');
                        if !title.is_empty() {
                            out.push_str(" title=\"");
                            escape_into(&mut out, &title);
                            out.push('"');
                        }
                        out.push_str(" rel=\"noopener noreferrer\">");
                    }
                    links.push(safe);
                }
                Tag::Image { .. } => out.push_str("[image: "),
                // Raw HTML blocks: their text comes as `Event::Html`, escaped below.
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>\n"),
                TagEnd::Heading(_) => out.push_str("</h5>\n"),
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
                TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
                TagEnd::List(true) => out.push_str("</ol>\n"),
                TagEnd::List(false) => out.push_str("</ul>\n"),
                TagEnd::Item => out.push_str("</li>\n"),
                TagEnd::Table => out.push_str("</tbody></table>\n"),
                TagEnd::TableHead => {
                    in_table_head = false;
                    out.push_str("</tr></thead><tbody>\n");
                }
                TagEnd::TableRow => out.push_str("</tr>\n"),
                TagEnd::TableCell => out.push_str(if in_table_head { "</th>" } else { "</td>" }),
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</del>"),
                // The guard pops the link either way; only a link that opened `<a>` closes it.
                TagEnd::Link if links.pop() == Some(true) => out.push_str("</a>"),
                TagEnd::Image => out.push(']'),
                _ => {}
            },
            Event::Text(text) => escape_into(&mut out, &text),
            Event::Code(code) => {
                out.push_str("<code>");
                escape_into(&mut out, &code);
                out.push_str("</code>");
            }
            // Raw HTML is shown as what it is, text.
            Event::Html(html) | Event::InlineHtml(html) => escape_into(&mut out, &html),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            Event::FootnoteReference(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                escape_into(&mut out, &text)
            }
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
        }
    }
    out
}

/// `http:`/`https:` URLs and relative references; nothing that a browser could read as
/// another scheme (`java\tscript:` included: no whitespace or control characters at all).
fn safe_destination(url: &str) -> bool {
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return true;
    }
    if url.starts_with("//") || url.starts_with('\\') {
        return false;
    }
    // Relative: a `:` may only come after the first `/`, `?` or `#` (RFC 3986 §4.2).
    let first_delimiter = url.find(['/', '?', '#']).unwrap_or(url.len());
    !url[..first_delimiter].contains(':')
}

/// HTML-escapes text for element content and quoted attributes, with hidden characters
/// made visible as everywhere in the report.
fn escape_into(out: &mut String, text: &str) {
    for c in visible(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_the_allowed_elements() {
        let html = to_html(
            "Uses `cursor.execute` with **string** formatting.\n\n- one\n- [CWE-89](https://cwe.mitre.org/data/definitions/89.html)\n\n```python\nq = \"SELECT\" + x\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(
            html.contains(
                "<p>Uses <code>cursor.execute</code> with <strong>string</strong> formatting.</p>"
            ),
            "{html}"
        );
        assert!(html.contains("<li><a href=\"https://cwe.mitre.org/data/definitions/89.html\" rel=\"noopener noreferrer\">CWE-89</a></li>"), "{html}");
        assert!(
            html.contains(
                "<pre class=\"doc-code\"><code>q = &quot;SELECT&quot; + x\n</code></pre>"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n<tr><td>1</td><td>2</td></tr>"
            ),
            "{html}"
        );
        assert!(
            to_html("[docs](../python/sql-injection.md#fix)")
                .contains("href=\"../python/sql-injection.md#fix\"")
        );
    }

    #[test]
    fn raw_html_is_escaped_and_only_safe_links_are_links() {
        let hostile = "<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> and <!-- c -->\n\n<div onclick=\"x()\">block</div>\n\n[a](javascript:alert(3)) [b](JaVaScRiPt:alert(4)) [c](java%0ascript:alert(5)) [d](data:text/html,<script>alert(6)</script>) [e](vbscript:x) [f](//evil.example/x) [g](<java\tscript:alert(7)>) ![i](javascript:alert(8)) [t](https://ok.example \"q\\\"><script>alert(9)</script>\")\n\n# Heading {#findings onclick=x}\n";
        let html = to_html(hostile);
        for tag in ["<script", "<img", "<div", "<!--"] {
            assert!(!html.contains(tag), "{tag} in {html}");
        }
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
        let hrefs: Vec<&str> = html
            .match_indices("href=\"")
            .map(|(i, _)| &html[i..])
            .collect();
        assert_eq!(hrefs.len(), 1, "{html}");
        assert!(
            hrefs[0].starts_with("href=\"https://ok.example\" title=\"q&quot;&gt;&lt;script&gt;"),
            "{html}"
        );
        assert!(html.contains("[image: i]"), "{html}");
        assert!(html.contains("<h5>"), "{html}");
        assert!(!html.contains(" id="), "{html}");
        for url in [
            "javascript:alert(1)",
            "JAVASCRIPT:x",
            "data:x",
            "//a",
            "java\u{0}script:x",
            " javascript:x",
            "",
        ] {
            assert!(!safe_destination(url), "{url:?}");
        }
        for url in [
            "https://a.example",
            "HTTP://a",
            "a/b.md",
            "#x",
            "?q=1",
            "./a:b",
        ] {
            assert!(safe_destination(url), "{url:?}");
        }
    }
}
