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
    "your_",
    "your-",
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
