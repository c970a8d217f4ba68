//! SQL as text: a small lexer and the checks that tell a SQL statement or fragment from
//! prose, for rules that must decide whether a string built in code is a query.
//!
//! The lexer is forgiving (it never fails, whatever the input) and keeps only what the checks
//! need: upper-cased words, numbers, quoted literals and punctuation, with `--`, `#` and
//! `/* */` comments skipped. Interpolated parts are expected to be replaced by a placeholder
//! word (such as `__hole__`) before the text is checked.

/// Statement keywords the SQL-ness check accepts as a first word.
const STATEMENT_KEYWORDS: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "CREATE", "ALTER", "DROP",
    "TRUNCATE", "MERGE", "CALL", "EXEC", "EXECUTE", "SHOW", "DESCRIBE", "DESC", "GRANT", "REVOKE",
    "SET", "USE", "LOCK", "UNLOCK", "LOAD", "EXPLAIN", "PRAGMA", "VACUUM", "ANALYZE", "OPTIMIZE",
    "REINDEX", "REFRESH", "COPY", "RENAME", "ATTACH", "DETACH",
];

/// Object kinds after CREATE / ALTER / DROP.
const OBJECT_KINDS: &[&str] = &[
    "TABLE",
    "VIEW",
    "INDEX",
    "DATABASE",
    "SCHEMA",
    "USER",
    "ROLE",
    "TRIGGER",
    "PROCEDURE",
    "FUNCTION",
    "SEQUENCE",
    "EVENT",
    "TYPE",
    "EXTENSION",
    "MATERIALIZED",
    "TEMPORARY",
    "TEMP",
    "UNIQUE",
    "OR",
    "TABLESPACE",
    "COLUMN",
    "CONSTRAINT",
    "DOMAIN",
    "POLICY",
];

/// Words that appear in English sentences and not in SQL.
const PROSE_WORDS: &[&str] = &[
    "THE", "YOUR", "YOU", "PLEASE", "THESE", "THOSE", "WOULD", "COULD", "SHOULD", "WAS", "WERE",
    "OUR", "THEIR", "WE", "THEM", "MY", "ITS", "BEEN", "WILL", "HAVE", "HAS",
];

/// Words that show a fragment is SQL (an expression, a clause).
const FRAGMENT_WORDS: &[&str] = &[
    "AND", "OR", "NOT", "IN", "LIKE", "ILIKE", "IS", "NULL", "BETWEEN", "ASC", "DESC", "WHERE",
    "ORDER", "BY", "GROUP", "HAVING", "LIMIT", "OFFSET", "CASE", "WHEN", "THEN", "END", "COALESCE",
    "LOWER", "UPPER", "COUNT", "SUM", "AVG", "MAX", "MIN", "AS", "ON", "JOIN", "EXISTS", "REGEXP",
    "INTERVAL", "DISTINCT", "CAST", "SELECT", "FROM",
];

/// One token of SQL-ish text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// A word or bare identifier, upper-cased; a `` `quoted` `` identifier is a word too.
    Word(String),
    /// A number (`42`, `0.5`, `1e9`).
    Number,
    /// A `'string'` or `"quoted"` literal (its content is dropped).
    Quoted,
    /// Any other character (`(`, `=`, `,`, `;`).
    Punct(char),
}

/// Splits SQL-ish text into words (upper-cased), numbers, quoted literals and punctuation,
/// skipping `--`, `#` and `/* */` comments.
pub fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if (c == '-' && chars.get(i + 1) == Some(&'-')) || c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' || c == '"' {
            i += 1;
            while i < chars.len() {
                if chars[i] == c && chars.get(i + 1) == Some(&c) {
                    i += 2;
                } else if chars[i] == c {
                    break;
                } else {
                    i += 1;
                }
            }
            i += 1;
            out.push(Token::Quoted);
        } else if c == '`' {
            // A quoted identifier is a word.
            let start = i + 1;
            i = start;
            while i < chars.len() && chars[i] != '`' {
                i += 1;
            }
            let word: String = chars[start..i.min(chars.len())].iter().collect();
            out.push(Token::Word(word.to_ascii_uppercase()));
            i += 1;
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            out.push(Token::Number);
        } else if c.is_alphabetic() || c == '_' || c == '@' || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '@' | '$'))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(Token::Word(word.to_uppercase()));
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// Whether a token is the (upper-case) word `word`.
pub fn is_word(token: &Token, word: &str) -> bool {
    matches!(token, Token::Word(w) if w == word)
}

/// Whether text reads as an English sentence rather than SQL: it ends like one, or it has
/// words that SQL never uses (`the`, `your`, `please`).
pub fn is_prose(tokens: &[Token], text: &str) -> bool {
    let trimmed = text.trim_end();
    trimmed.ends_with('.')
        || trimmed.ends_with('!')
        || trimmed.ends_with(':')
        || tokens
            .iter()
            .any(|t| matches!(t, Token::Word(w) if PROSE_WORDS.contains(&w.as_str())))
}

/// Whether text (holes as placeholders) reads as a SQL statement: a statement keyword first
/// (after comments and opening parentheses) and the structure that keyword needs.
pub fn looks_like_statement(text: &str) -> bool {
    let tokens = tokens(text);
    if is_prose(&tokens, text) {
        return false;
    }
    let start = tokens
        .iter()
        .position(|t| *t != Token::Punct('('))
        .unwrap_or(tokens.len());
    let Some(Token::Word(first)) = tokens.get(start) else {
        return false;
    };
    if !STATEMENT_KEYWORDS.contains(&first.as_str()) {
        return false;
    }
    let rest = &tokens[start + 1..];
    let has = |word: &str| rest.iter().any(|t| is_word(t, word));
    let next_word = rest.iter().find_map(|t| match t {
        Token::Word(w) => Some(w.as_str()),
        _ => None,
    });
    match first.as_str() {
        "SELECT" => {
            has("FROM")
                // `SELECT nextval('seq')`, `SELECT @@version`
                || rest.contains(&Token::Punct('('))
                || rest
                    .iter()
                    .any(|t| matches!(t, Token::Word(w) if w.starts_with('@')))
        }
        "INSERT" | "REPLACE" => has("INTO") || has("VALUES"),
        "UPDATE" => has("SET"),
        "DELETE" => has("FROM"),
        "WITH" => {
            has("AS")
                && ["SELECT", "INSERT", "UPDATE", "DELETE"]
                    .iter()
                    .any(|w| has(w))
        }
        "CREATE" | "ALTER" | "DROP" => rest
            .iter()
            .take(5)
            .any(|t| matches!(t, Token::Word(w) if OBJECT_KINDS.contains(&w.as_str()))),
        "MERGE" => has("INTO"),
        "CALL" => rest.contains(&Token::Punct('(')),
        "GRANT" => has("TO"),
        "REVOKE" => has("FROM"),
        "SET" => {
            rest.contains(&Token::Punct('='))
                || has("TO")
                || next_word.is_some_and(|w| {
                    matches!(
                        w,
                        "NAMES"
                            | "SESSION"
                            | "GLOBAL"
                            | "LOCAL"
                            | "TRANSACTION"
                            | "CHARACTER"
                            | "ROLE"
                            | "PASSWORD"
                            | "AUTOCOMMIT"
                    )
                })
        }
        "LOCK" => has("TABLES") || has("TABLE") || has("IN"),
        "UNLOCK" => has("TABLES") || has("TABLE"),
        "LOAD" => has("DATA") || has("XML") || has("INFILE"),
        // A database name; a table name; a short object or setting name; a statement.
        "USE" => words_before_end(rest) == 1,
        "DESCRIBE" | "DESC" => (1..=3).contains(&words_before_end(rest)),
        "TRUNCATE" => (1..=4).contains(&words_before_end(rest)),
        "SHOW" => (1..=8).contains(&words_before_end(rest)),
        "EXPLAIN" => {
            ["SELECT", "INSERT", "UPDATE", "DELETE"]
                .iter()
                .any(|w| has(w))
                || (1..=3).contains(&words_before_end(rest))
        }
        "VACUUM" | "REINDEX" => words_before_end(rest) <= 4,
        "ANALYZE" | "OPTIMIZE" => has("TABLE") || (1..=3).contains(&words_before_end(rest)),
        "REFRESH" => has("MATERIALIZED"),
        "COPY" => has("FROM") || has("TO"),
        "RENAME" => has("TABLE") || has("USER"),
        "ATTACH" => has("AS"),
        "DETACH" => (1..=2).contains(&words_before_end(rest)),
        // EXEC, EXECUTE, PRAGMA: a procedure, prepared statement or pragma name follows.
        _ => next_word.is_some(),
    }
}

/// The number of tokens before an optional closing `;`.
fn words_before_end(rest: &[Token]) -> usize {
    rest.iter()
        .position(|t| *t == Token::Punct(';'))
        .unwrap_or(rest.len())
}

/// Whether text passed where an API expects SQL reads as SQL: a statement, or a fragment
/// whose literal part has an operator or a SQL keyword.
pub fn looks_like_fragment(template: &str, literal: &str) -> bool {
    if looks_like_statement(template) {
        return true;
    }
    let all = tokens(template);
    if is_prose(&all, template) {
        return false;
    }
    tokens(literal).iter().any(|t| match t {
        Token::Punct(c) => matches!(c, '=' | '<' | '>' | '(' | ','),
        Token::Word(w) => FRAGMENT_WORDS.contains(&w.as_str()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_need_their_structure() {
        for sql in [
            "SELECT id, total FROM orders WHERE status = '__hole__'",
            "  -- report\n  select * from t where a = __hole__",
            "(SELECT a FROM t) UNION (SELECT b FROM u)",
            "INSERT INTO audit (who, what) VALUES (__hole__, 'x')",
            "UPDATE users SET email = '__hole__' WHERE id = %s",
            "DELETE FROM sessions WHERE token = '__hole__'",
            "WITH recent AS (SELECT * FROM o) SELECT * FROM recent WHERE x = __hole__",
            "CREATE TABLE IF NOT EXISTS __hole__ (id INT)",
            "DROP TABLE __hole__",
            "TRUNCATE __hole__",
            "SHOW COLUMNS FROM __hole__",
            "SELECT nextval('__hole__')",
            "USE __hole__;",
            "VACUUM ANALYZE __hole__",
            "ATTACH DATABASE '__hole__' AS archive",
            "SET search_path TO __hole__",
            "PRAGMA table_info(__hole__)",
        ] {
            assert!(looks_like_statement(sql), "{sql}");
        }
        for text in [
            "Select the items from the list for __hole__",
            "Delete from your cart: __hole__",
            "Update finished for __hole__.",
            "selected __hole__ rows",
            "orders___hole__",
            "__hole__ FROM orders",
            "UPDATE __hole__",
            "DELETE __hole__",
            "INSERT __hole__",
            "Create a new account for __hole__",
            "Select an option for __hole__",
            "Use caching for __hole__",
        ] {
            assert!(!looks_like_statement(text), "{text}");
        }
    }

    #[test]
    fn fragments_need_an_operator_or_keyword() {
        assert!(looks_like_fragment("status = '__hole__'", "status = ''"));
        assert!(looks_like_fragment("LOWER(__hole__)", "LOWER()"));
        assert!(looks_like_fragment("__hole__ DESC", " DESC"));
        assert!(!looks_like_fragment("__hole__.__hole__", "."));
        assert!(!looks_like_fragment("__hole__", ""));
    }
}
