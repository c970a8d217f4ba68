//! Escaping for the Markdown report. Everything that comes from scanned files (messages that
//! quote code, snippets, paths, notice texts) passes through one of these functions, so a
//! hostile file can neither break a table, close a `<details>`, inject HTML or a link, nor
//! hide text with bidirectional control characters.
//!
//! Three contexts, three functions:
//! - [`text`]: Markdown inline text (table cells, paragraphs, list items);
//! - [`html`]: raw HTML, where Markdown is not parsed (the `<summary>` line);
//! - [`fenced`]: a fenced code block, whose content is literal.

/// Characters that must never reach the reader as themselves: bidirectional controls
/// (Trojan Source), zero-width characters, and other control characters but tab. They are
/// shown as `<U+XXXX>` instead, which also tells the reader they were there.
fn is_hidden_control(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}'
    ) || (c.is_control() && c != '\t' && c != '\n' && c != '\r')
}

/// Markdown inline text, safe inside a table cell: HTML's `<`, `>`, `&` become entities;
/// the characters that open inline Markdown are backslash-escaped (so no code span, emphasis,
/// link, image or math can start); `|` is `\|` (GFM splits cells on a bare pipe
/// even inside code spans); line breaks become spaces (a newline would end the table row).
pub fn text(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                // Table cells hold no block syntax, and palisade's own words start every
                // line, so only inline syntax needs escaping (`$` is GitHub's math).
                out.push('\\');
                out.push(c);
            }
            // An empty comment splits `@name` into two text nodes, so a file cannot make
            // the comment mention (notify) a GitHub user or team.
            '@' => out.push_str("@<!-- -->"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_hidden_control(c) => {
                out.push_str(&format!("&lt;U+{:04X}&gt;", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Raw HTML text (inside `<summary>`): entities for `<`, `>`, `&`, quotes; no line breaks
/// (a blank line would end the HTML block and let the rest be parsed as Markdown).
pub fn html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_hidden_control(c) => {
                out.push_str(&format!("&lt;U+{:04X}&gt;", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block holding `content` literally: the fence is one backtick longer than
/// the longest run of backticks in the content (at least three), so no line can close it;
/// hidden control characters are made visible. `language` must come from palisade (an info
/// string is never built from scanned text).
pub fn fenced(content: &str, language: &str) -> String {
    let mut body = String::with_capacity(content.len());
    for c in content.chars() {
        match c {
            '\r' => {}
            c if is_hidden_control(c) => body.push_str(&format!("<U+{:04X}>", c as u32)),
            c => body.push(c),
        }
    }
    let longest = longest_backtick_run(&body);
    let fence = "`".repeat((longest + 1).max(3));
    let body = body.trim_end_matches('\n');
    format!("{fence}{language}\n{body}\n{fence}\n")
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// At most `max` characters of `input`, with `…` when cut. Applied before escaping, so an
/// entity or escape is never cut in half.
pub fn clip(input: &str, max: usize) -> String {
    match input.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &input[..at]),
        None => input.to_string(),
    }
}

/// The size GitHub measures: its limit counts UTF-16 code units (JavaScript string length),
/// which is at least the number of characters.
pub fn github_length(text: &str) -> usize {
    text.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_tables_html_links_and_code() {
        let out = text("a|b <script>&x `code` [l](javascript:alert(1))\nnext");
        assert_eq!(
            out,
            "a\\|b &lt;script&gt;&amp;x \\`code\\` \\[l\\](javascript:alert(1)) next"
        );
    }

    #[test]
    fn mentions_are_broken_up() {
        assert_eq!(text("ping @org/security"), "ping @<!-- -->org/security");
    }

    #[test]
    fn bidi_and_zero_width_characters_are_shown_not_applied() {
        assert_eq!(text("a\u{202E}b\u{200B}"), "a&lt;U+202E&gt;b&lt;U+200B&gt;");
        assert_eq!(html("\u{2066}x"), "&lt;U+2066&gt;x");
        assert_eq!(fenced("x\u{202E}", ""), "```\nx<U+202E>\n```\n");
    }

    #[test]
    fn fences_are_longer_than_any_backtick_run() {
        assert_eq!(fenced("a ```` b", "py"), "`````py\na ```` b\n`````\n");
        assert_eq!(fenced("plain\n", ""), "```\nplain\n```\n");
    }

    #[test]
    fn clip_counts_characters_not_bytes() {
        assert_eq!(clip("ééé", 2), "éé…");
        assert_eq!(clip("ab", 2), "ab");
    }
}
