//! The shape of one detector, and the rule metadata and documentation generated from it.
//!
//! Detectors are data (see [`crate::detectors`]): each entry names its keywords, its pattern,
//! the entropy its secret must reach and a validator. The rule metadata every other palisade
//! rule writes by hand (id, title, severity, CWE, OWASP category, recommendation, a doc
//! comment with the five required sections) is generated here from the entry, once per
//! process, so that `palisade explain`, the docs pages and SARIF `help` describe exactly
//! what the table checks.

use palisade_core::{Confidence, Owasp, Recommendation, RuleMeta, Severity};
use std::sync::LazyLock;

/// Which pass a detector runs in. Provider-specific patterns and generic assignments
/// overlap (`api_key = "ghp_…"`): each tier is one many-pattern pass, and a generic hit
/// whose secret a specific hit already covers is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// A token with a recognisable shape (a prefix, a checksum, a key block).
    Specific,
    /// A secret recognised only by the name it is assigned to, or by where it is.
    Generic,
}

/// Where a detector looks, besides its keywords.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Files {
    /// Every text file.
    Any,
    /// Only `.env` files (`.env`, `.env.production`, `prod.env`).
    DotEnv,
    /// Every text file except `.env` files (their own detector reads them).
    NotDotEnv,
    /// Configuration files: YAML, INI, TOML, properties, `.conf`, `.cfg`, `.cnf`.
    Config,
}

/// One secret detector: a row of the table.
#[derive(Debug)]
pub struct Detector {
    /// The slug of its rule id, `secrets/<slug>`.
    pub slug: &'static str,
    pub title: &'static str,
    /// One sentence: what the detector finds, for the docs' *What it checks*.
    pub what: &'static str,
    /// Lower-case words at least one of which a file must contain before the pattern runs
    /// (the prefilter); empty: always run.
    pub keywords: &'static [&'static str],
    /// The pattern (regex-automata syntax, ASCII classes). The group named `secret` is the
    /// secret; without it, the whole match.
    pub pattern: &'static str,
    /// The Shannon entropy (bits per character) the secret must reach; 0 for none.
    pub entropy: f32,
    /// A check of the secret's structure (a checksum, a decodable header); `None` for none.
    pub validate: Option<fn(&str) -> bool>,
    /// A realistic, invented secret the pattern must find (tested), shown in the docs.
    pub example: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    pub owasp: Owasp,
    pub recommendation: Recommendation,
    pub tier: Tier,
    pub files: Files,
    /// What to do besides removing it: how this provider's secret is revoked.
    pub revoke: &'static str,
}

impl Detector {
    /// The defaults every entry starts from (`..Detector::BASE`).
    pub const BASE: Detector = Detector {
        slug: "",
        title: "",
        what: "",
        keywords: &[],
        pattern: "",
        entropy: 0.0,
        validate: None,
        example: "",
        severity: Severity::High,
        confidence: Confidence::High,
        owasp: Owasp::A07,
        recommendation: Recommendation::AccessControl,
        tier: Tier::Specific,
        files: Files::NotDotEnv,
        revoke: "Revoke it in the provider's console and issue a new one.",
    };

    /// The detector's rule metadata (generated once per process).
    pub fn meta(&'static self) -> &'static RuleMeta {
        &METAS[self.index()]
    }

    /// The detector's place in [`crate::detectors::DETECTORS`] (and in [`METAS`]): asked for
    /// every detector a file could run, so a table lookup rather than a search.
    pub fn index(&'static self) -> usize {
        INDEXES
            .get(&(self as *const Detector as usize))
            .copied()
            .unwrap_or_default()
    }
}

/// Each detector's index in [`crate::detectors::DETECTORS`], by the detector's address.
static INDEXES: LazyLock<std::collections::HashMap<usize, usize>> = LazyLock::new(|| {
    crate::detectors::DETECTORS
        .iter()
        .enumerate()
        .map(|(i, d)| (*d as *const Detector as usize, i))
        .collect()
});

/// The rule metadata of every detector, in table order.
pub static METAS: LazyLock<Vec<RuleMeta>> = LazyLock::new(|| {
    crate::detectors::DETECTORS
        .iter()
        .map(|d| RuleMeta {
            id: leak(format!("secrets/{}", d.slug)),
            title: d.title,
            severity: d.severity,
            confidence: d.confidence,
            cwe: &[798],
            owasp: d.owasp,
            recommendation: d.recommendation,
            needs_network: false,
            options: &[],
            source: leak(doc_source(d)),
        })
        .collect()
});

/// The index of `meta` in [`METAS`] (that of its detector), when it is one of them: found
/// from its address, as it is asked for every detector a file could run.
pub fn meta_index(meta: &RuleMeta) -> Option<usize> {
    let offset = (meta as *const RuleMeta as usize).checked_sub(METAS.as_ptr() as usize)?;
    let size = std::mem::size_of::<RuleMeta>();
    Some(offset / size).filter(|&i| offset % size == 0 && i < METAS.len())
}

/// References to [`METAS`], the list the analyzer registers.
pub static META_REFS: LazyLock<Vec<&'static RuleMeta>> = LazyLock::new(|| METAS.iter().collect());

/// Rule metadata lives for the whole process; built once, never per scan.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The detector's documentation, as the `//!` block of a rule file would hold it.
fn doc_source(d: &Detector) -> String {
    let keywords = if d.keywords.is_empty() {
        "none (the pattern runs on every file)".to_string()
    } else {
        d.keywords
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut checks = vec![
        format!("- keywords (a file must contain one): {keywords}"),
        format!("- pattern: `{}`", d.pattern.replace('`', "\\`")),
    ];
    if d.entropy > 0.0 {
        checks.push(format!(
            "- the secret must reach {:.1} bits of Shannon entropy per character",
            d.entropy
        ));
    }
    if d.validate.is_some() {
        checks.push(
            "- its structure is validated (checksum or decodable parts) before it is reported"
                .into(),
        );
    }
    match d.files {
        Files::DotEnv => checks.push("- only in `.env` files".into()),
        Files::Config => checks
            .push("- only in configuration files (YAML, INI, TOML, properties, `.conf`)".into()),
        Files::Any | Files::NotDotEnv => {}
    }
    checks.push(String::new());
    checks.push(
        "Placeholders and documentation values (`changeme`, `xxxx`, `${VAR}`, `<token>`, \
         `{{ .Values.x }}`, the providers' published example keys) are not reported; in test \
         code, fixtures and examples the finding has low confidence."
            .into(),
    );
    let body = format!(
        "{what}\n\n## What it checks\n\n{checks}\n\n## Why it matters\n\n\
         A credential in a file is readable by everyone who can read the repository, any of \
         its clones and forks, CI logs and the packages built from it, for as long as the \
         history exists. Whoever holds it acts as its owner (CWE-798).\n\n## Example\n\n\
         ```text\n{example}\n```\n\n(an invented value)\n\n## Remediation\n\n{revoke} \
         Then move it to the deployment's secret store (environment, Kubernetes Secret, \
         vault) and read it at run time. Removing it from the tree does not revoke it: it \
         stays in the git history.\n\n## References\n\n\
         - [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)\n\
         - [OWASP Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)",
        what = d.what,
        checks = checks.join("\n"),
        example = d.example,
        revoke = d.revoke,
    );
    body.lines()
        .map(|l| {
            if l.is_empty() {
                "//!".to_string()
            } else {
                format!("//! {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
