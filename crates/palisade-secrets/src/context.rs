//! What makes a pattern's match not a finding: placeholders and references (from
//! `palisade-knowledge`, shared with every analyzer), the values providers publish in their
//! documentation, masked or elided values, and file names that hold environment settings.

use palisade_knowledge::secrets::{is_placeholder, is_reference};

/// Values the providers publish in their own documentation, matched as substrings (a
/// documented key is often quoted inside a longer line).
const PUBLISHED_EXAMPLES: &[&str] = &[
    // AWS's documented access key id and secret key.
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    // Azure Storage's emulator (Azurite) account key, published and the same everywhere.
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    // Stripe's documentation key.
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    // Google Cloud's documented API key string (cloud.google.com/docs/authentication/api-keys).
    "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
    // jwt.io's default token signature.
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
];

/// Words inside a value that mark it as written for documentation or tests, not issued by
/// a provider (`sk_live_EXAMPLE…`, `ghp_your_token_here`).
const DOCUMENTATION_WORDS: &[&str] = &[
    "example",
    "sample",
    "dummy",
    "placeholder",
    "changeme",
    "change_me",
    "replace",
    "redacted",
    "your",
    "&lt;",
    "insert",
    "fake",
    "notreal",
    "not_real",
    "not-a-real",
    "xxxx",
    "****",
    "…",
    "...",
    "<",
    ">",
];

/// Whether a matched secret is a documentation value or a placeholder rather than a secret:
/// a published example, a reference (`${VAR}`, `{{ .Values.x }}`), a placeholder word, a
/// value that spells out that it is an example, masked (`****`) or elided (`…`), or a run of
/// one repeated character or a counting sequence (`abcdef…`, `123456…`).
pub fn is_documentation_value(secret: &str) -> bool {
    if is_reference(secret) || is_placeholder(secret) {
        return true;
    }
    if PUBLISHED_EXAMPLES.iter().any(|e| secret.contains(e)) {
        return true;
    }
    let lower = secret.to_ascii_lowercase();
    if DOCUMENTATION_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    counting_run(&lower)
}

/// Whether the value holds a long run of one character or of consecutive characters
/// (`000000`, `abcdefgh`, `12345678`): typed by a person, not generated.
fn counting_run(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (mut same, mut step) = (1, 1);
    for w in bytes.windows(2) {
        same = if w[1] == w[0] { same + 1 } else { 1 };
        step = if w[1] == w[0].wrapping_add(1) {
            step + 1
        } else {
            1
        };
        if same >= 6 || step >= 8 {
            return true;
        }
    }
    false
}

/// Whether the file holds environment settings: `.env`, `.env.production`, `prod.env`,
/// `.envrc` (not `.environment.js`).
pub fn is_dotenv(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name == ".env"
        || name == ".envrc"
        || name.starts_with(".env.")
        || name.ends_with(".env")
        || name == "env"
}

/// Folder or file-name words that mark test code and test data beyond what
/// `palisade-knowledge`'s file roles see (`unittests/scans/…`, `integration_tests.yml`,
/// recorded HTTP `cassettes/`).
const TEST_WORDS: &[&str] = &[
    "test",
    "tests",
    "unittest",
    "unittests",
    "testdata",
    "testing",
    "spec",
    "specs",
    "fixture",
    "fixtures",
    "mock",
    "mocks",
    "cassettes",
    "e2e",
    "cypress",
];

/// Whether a path is test code or test data: a folder or file-name word says so. The
/// CI-only parts count too: a `.ci/` folder, or a file whose name carries `ci` between dots
/// (`compose.ci.yaml`, `docker-compose.ci.yml`), which hold the throwaway passwords of the
/// databases a pipeline starts for its tests.
pub fn is_test_path(path: &str) -> bool {
    path.split('/').any(|segment| {
        let stem = segment.split('.').next().unwrap_or(segment);
        let ci_only = segment.eq_ignore_ascii_case(".ci")
            || segment
                .split('.')
                .skip(1)
                .any(|part| part.eq_ignore_ascii_case("ci") || part.eq_ignore_ascii_case("test"));
        ci_only
            || palisade_knowledge::words::words(stem)
                .iter()
                .any(|w| TEST_WORDS.contains(&w.as_str()))
    })
}

/// Whether a path is documentation: Markdown, reStructuredText or AsciiDoc, or a file
/// under `docs/`. Values there are usually examples; a real one is still reported, with low
/// confidence.
pub fn is_documentation_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".rst", ".adoc", ".mdx"]
        .iter()
        .any(|ext| lower.ends_with(ext))
        || lower
            .split('/')
            .rev()
            .skip(1)
            .any(|d| matches!(d, "docs" | "doc" | "documentation"))
}

/// Words of a secret-looking name that make its value something other than a credential:
/// a hash or checksum of one, a CSRF token or nonce (per request, not a standing secret).
const NOT_A_CREDENTIAL_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "sha",
    "sha1",
    "sha256",
    "md5",
    "checksum",
    "digest",
    "fingerprint",
    "commit",
    "etag",
    "csrf",
    "csrftoken",
    "xsrf",
    "nonce",
    "salt",
];

/// Whether a secret-looking name holds something other than a credential (`hashed_secret`,
/// `csrftoken`, `commit_w_secret`).
pub fn names_no_credential(name: &str) -> bool {
    palisade_knowledge::words::words(name)
        .iter()
        .any(|w| NOT_A_CREDENTIAL_WORDS.contains(&w.as_str()))
}

/// Whether the bytes at `at` are the default of a shell or Compose expansion
/// (`${DATABASE_URL:-postgresql://app:app@db/app}`): a fallback for development.
pub fn in_expansion_default(text: &str, at: usize) -> bool {
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..at).unwrap_or_default();
    before
        .rfind("${")
        .is_some_and(|open| before[open..].contains(":-") && !before[open..].contains('}'))
}

/// Whether a value is code rather than a literal: a call, an attribute or an index
/// (`os.environ["DB_PASSWORD"]`, `settings.SECRET`, `getenv("X")`, `process.env.TOKEN`).
pub fn is_code_reference(value: &str) -> bool {
    let v = value.trim();
    v.contains("environ")
        || v.contains("getenv")
        || v.contains("process.env")
        || v.contains("ENV[")
        || v.contains("env(")
        || v.contains("System.getenv")
        || v.starts_with('$')
        || v.starts_with('%') && v.ends_with('%')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_only_files_are_test_context() {
        for path in [
            ".ci/compose.ci.yaml",
            "docker-compose.ci.yml",
            "deploy/compose.test.yaml",
            "frontend/cypress/env.json",
            "app/tests/settings.py",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "deploy/compose.yaml",
            "circleci.py",
            "app/settings.py",
            "src/decision.py",
            "ci-tools/main.go",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
    }

    #[test]
    fn documentation_values() {
        for v in [
            "AKIAIOSFODNN7EXAMPLE",
            "changeme",
            "${GITHUB_TOKEN}",
            "{{ .Values.token }}",
            "<token>",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "sk_live_your_key_here",
            "abcdefghijklmnop",
            "sk-…",
        ] {
            assert!(is_documentation_value(v), "{v}");
        }
        for v in ["Zq3mW8pLx2Rt7VbN4cKj9HsQe1YfGa", "hunter2-prod-Q7"] {
            assert!(!is_documentation_value(v), "{v}");
        }
    }

    #[test]
    fn dotenv_names() {
        for p in [".env", "app/.env.production", "prod.env", ".envrc"] {
            assert!(is_dotenv(p), "{p}");
        }
        for p in ["environment.ts", ".environment.js", "envoy.yaml"] {
            assert!(!is_dotenv(p), "{p}");
        }
    }
}
