//! Flags GitLab CI jobs that run in merge-request pipelines and use secret variables.
//!
//! ## What it checks
//! Each job of `.gitlab-ci.yml` and of the files under `.gitlab/ci/` that can run in a
//! merge-request pipeline, and whose script lines (`before_script`, `script`,
//! `after_script`) or `variables:` values reference a variable whose name says it holds a
//! secret (`$DEPLOY_TOKEN`, `${REGISTRY_PASSWORD}`, `$SSH_PRIVATE_KEY`,
//! `$AWS_SECRET_ACCESS_KEY`, …) and that the file does not define itself — a variable of the
//! project's or group's CI/CD settings. GitLab's predefined variables (`CI_*`, `GITLAB_*`:
//! `$CI_JOB_TOKEN`, `$CI_REGISTRY_PASSWORD` are short-lived and scoped to the job) and
//! variables the script assigns itself (`export TOKEN=$(vault read …)`) are not counted.
//! What a template brings through `extends:` or a YAML merge key (`<<: *deploy`), and the
//! `before_script`/`after_script` of `default:` that a job runs when it sets none (unless
//! `inherit: {default: false}`), are part of the job. The finding points at the job's first
//! reference in its own lines when it has one, else at the shared line.
//!
//! When a job runs in merge-request pipelines, as GitLab evaluates `rules:` (the first
//! matching rule decides), `only:`/`except:` and `workflow: rules`:
//! - its `rules:` or `only: [merge_requests]` ask for merge-request pipelines
//!   (`if: $CI_PIPELINE_SOURCE == "merge_request_event"`, `if: $CI_MERGE_REQUEST_IID`): *medium*
//!   confidence;
//! - it has no `rules:`/`only:` of its own, or a rule without `if:`, and the pipeline creates
//!   merge-request pipelines (`workflow: rules` admit them, or another job asks for them):
//!   *medium* confidence — GitLab runs such jobs in merge-request pipelines too;
//! - its conditions name variables palisade cannot evaluate, or its rules come from a
//!   `!reference` or a template of another file: *low* confidence.
//!
//! A job without `rules:`/`only:` in a file without `workflow: rules` defaults to branch and
//! tag pipelines only, and is not reported; neither are jobs limited to the default branch
//! (`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`), tags or protected refs, nor hidden template
//! jobs on their own.
//!
//! palisade cannot read the project's settings, so it cannot tell whether the variable is
//! protected: the finding says what each case means.
//!
//! ## Why it matters
//! A merge-request pipeline runs the code and the `.gitlab-ci.yml` of the merge request's
//! source branch, before any review. GitLab gives it no protected variables. So either:
//! - the variable is protected, as it should be: the job runs without it and fails — or
//!   worse, quietly does its work without the credential (an anonymous push, a skipped
//!   signature), and the team is tempted to unprotect the variable to make it pass; or
//! - the variable is not protected: every developer who can push a branch, and every fork
//!   contributor whose merge request a maintainer runs in the parent project, can change the
//!   script to print or send the deploy token, registry password or cloud key.
//!
//! ## Example
//! ```yaml
//! deploy-review:
//!   rules:
//!     - if: $CI_PIPELINE_SOURCE == "merge_request_event"
//!   script:
//!     - kubectl --token "$KUBE_DEPLOY_TOKEN" apply -f k8s/   # flagged
//!
//! deploy-production:
//!   rules:
//!     - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
//!   script:
//!     - kubectl --token "$KUBE_DEPLOY_TOKEN" apply -f k8s/   # fine: default branch only
//! ```
//!
//! ## Remediation
//! Mark every secret variable *Protected* (Settings › CI/CD › Variables) and use it only in
//! jobs limited to protected branches or tags. Jobs that must run for merge requests (review
//! apps, integration tests) get credentials of their own with the least access: a separate,
//! unprotected variable scoped to a review environment, or short-lived ID tokens
//! (`id_tokens:`) that the cloud provider trusts only for that environment.
//!
//! ## References
//! - GitLab Docs, Merge request pipelines: they do not have access to protected variables
//! - GitLab Docs, CI/CD variables: protect variables; security of variables
//! - GitLab Docs, Pipeline security on protected branches
//! - CWE-668: Exposure of Resource to Wrong Sphere
//! - OWASP Top 10 2021, A01 Broken Access Control

use crate::gitlab::{Job, Pipeline, Rule};
use crate::rules::{PipelineRule, RuleContext};
use crate::workflow::Value;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "ci/gitlab-secret-in-merge-request-pipeline",
    title: "GitLab CI job uses secret variables in merge-request pipelines",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[668],
    owasp: Owasp::A01,
    recommendation: Recommendation::AccessControl,
    needs_network: false,
    options: &[],
    source: include_str!("gitlab_secret_in_merge_request_pipeline.rs"),
};

pub static RULE: PipelineRule = PipelineRule {
    meta: &META,
    check,
};

/// How many variable names a message lists.
const LISTED: usize = 4;

fn check(pipeline: &Pipeline, cx: &mut RuleContext<'_, '_>) {
    let workflow = workflow_admits(pipeline.workflow_rules.as_deref());
    // Without `workflow: rules`, merge-request pipelines exist when some job's rules match
    // in them: one that asks for them, and also one whose rule matches everywhere (GitLab's
    // "duplicate pipelines"). A rule palisade cannot evaluate leaves it open.
    let mr_pipelines = match workflow {
        Admits::Yes => Admits::Yes,
        Admits::Unknown => Admits::Unknown,
        Admits::No => Admits::No,
        Admits::NoWorkflow => {
            let reaches: Vec<Reach> = pipeline
                .jobs
                .iter()
                .filter(|j| !j.hidden)
                .map(job_reach)
                .collect();
            if reaches
                .iter()
                .any(|r| matches!(r, Reach::Explicit(_) | Reach::Always(_)))
            {
                Admits::Yes
            } else if reaches.iter().any(|r| matches!(r, Reach::Maybe(_))) {
                Admits::Unknown
            } else {
                Admits::No
            }
        }
    };
    for job in pipeline.jobs.iter().filter(|j| !j.hidden) {
        let (why, confidence) = match (job_reach(job), mr_pipelines, workflow) {
            (_, Admits::No, _) | (Reach::No, _, _) => continue,
            (Reach::Explicit(why), _, _) => (why, Confidence::Medium),
            // No rule of its own: it follows the workflow (or branch/tag pipelines only).
            (Reach::Unrestricted, _, Admits::NoWorkflow) => continue,
            (Reach::Unrestricted, Admits::Yes, _) => (
                "it has no rules of its own and `workflow: rules` create merge-request pipelines"
                    .to_string(),
                Confidence::Medium,
            ),
            (Reach::Always(why), Admits::Yes, _) => (why, Confidence::Medium),
            (Reach::Unrestricted | Reach::Always(_), _, _) => (
                "palisade could not tell which pipelines `workflow: rules` create".to_string(),
                Confidence::Low,
            ),
            (Reach::Maybe(why), _, _) => (why, Confidence::Low),
        };
        let confidence = if job.unresolved {
            Confidence::Low
        } else {
            confidence
        };
        let used = secret_references(pipeline, job);
        let Some((first, offset, first_name)) = used.first() else {
            continue;
        };
        let mut names: Vec<&str> = Vec::new();
        for (_, _, name) in &used {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        let mut listed: Vec<String> = names.iter().take(LISTED).map(|n| format!("`${n}`")).collect();
        if names.len() > LISTED {
            listed.push(format!("{} more", names.len() - LISTED));
        }
        let span = cx.span_within(first, *offset, first_name);
        let finding = Finding::new(
            &META,
            span,
            format!(
                "job `{}` can run in merge-request pipelines ({why}) and uses {}: protected variables are empty there, and unprotected ones reach the merge request's own code",
                job.name,
                listed.join(", ")
            ),
        )
        .with_confidence(confidence);
        cx.report(finding);
    }
}

/// Whether the pipeline creates merge-request pipelines, by its `workflow: rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Admits {
    Yes,
    No,
    /// A rule palisade cannot read, or conditions it cannot evaluate.
    Unknown,
    /// No `workflow: rules`: jobs decide.
    NoWorkflow,
}

fn workflow_admits(rules: Option<&[Rule]>) -> Admits {
    let Some(rules) = rules else {
        return Admits::NoWorkflow;
    };
    for rule in rules {
        let Rule::Clause { condition, never } = rule else {
            return Admits::Unknown;
        };
        let kind = condition
            .as_ref()
            .map_or(Condition::Always, |c| classify(&c.text));
        match (kind, never) {
            (Condition::Mr | Condition::Always, false) => return Admits::Yes,
            (Condition::Mr | Condition::Always, true) => return Admits::No,
            (Condition::Neutral, false) => return Admits::Unknown,
            (Condition::NotMr, _) | (Condition::Neutral, true) => {}
        }
    }
    Admits::No
}

/// Whether a job runs in merge-request pipelines, by its own conditions.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Reach {
    /// Its conditions ask for merge-request pipelines; why, in words.
    Explicit(String),
    /// A rule without `if:` matches whatever the pipeline.
    Always(String),
    /// No `rules:`, `only:` or `except:`.
    Unrestricted,
    /// Conditions palisade cannot evaluate.
    Maybe(String),
    No,
}

fn job_reach(job: &Job) -> Reach {
    let c = &job.conditions;
    if let Some(rules) = &c.rules {
        for rule in rules {
            let Rule::Clause { condition, never } = rule else {
                return Reach::Maybe("its rules come from a `!reference` palisade cannot read".into());
            };
            let kind = condition
                .as_ref()
                .map_or(Condition::Always, |c| classify(&c.text));
            match (kind, never) {
                (Condition::Mr, false) => {
                    let shown = condition.as_ref().map_or("", |c| c.text.as_str());
                    return Reach::Explicit(format!("rules: `{shown}`"));
                }
                (Condition::Always, false) => {
                    return Reach::Always(
                        "a rule without `if:` matches in every pipeline the workflow creates".into(),
                    );
                }
                (Condition::Neutral, false) => {
                    let shown = condition.as_ref().map_or("", |c| c.text.as_str());
                    return Reach::Maybe(format!(
                        "rules: `{shown}`, which palisade cannot evaluate for merge requests"
                    ));
                }
                (Condition::Mr | Condition::Always, true) => return Reach::No,
                (Condition::NotMr, _) | (Condition::Neutral, true) => {}
            }
        }
        return Reach::No;
    }
    let listed = |refs: &Option<Vec<String>>| {
        refs.as_ref()
            .is_some_and(|r| r.iter().any(|x| x == "merge_requests"))
    };
    if listed(&c.except) {
        return Reach::No;
    }
    if listed(&c.only) {
        return Reach::Explicit("only: `merge_requests`".into());
    }
    match &c.only {
        Some(refs) if refs.iter().any(|r| r == "*") => Reach::Maybe(
            "`only:` conditions on variables, which palisade cannot evaluate".into(),
        ),
        Some(_) => Reach::No,
        None if c.except.is_some() => Reach::No, // `except:` alone keeps the default refs
        None => Reach::Unrestricted,
    }
}

/// What an `if:` expression says about merge-request pipelines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Condition {
    /// True only in merge-request pipelines.
    Mr,
    /// False in every merge-request pipeline.
    NotMr,
    /// Could be either.
    Neutral,
    /// No `if:`: true everywhere.
    Always,
}

/// Classifies an `if:` expression: a disjunction (`||`) of conjunctions (`&&`) of terms.
/// Parentheses are ignored, which is exact for the shapes pipelines use.
fn classify(expression: &str) -> Condition {
    let plain: String = expression
        .chars()
        .filter(|c| *c != '(' && *c != ')')
        .collect();
    let mut result = Condition::NotMr;
    for disjunct in plain.split("||") {
        let terms: Vec<Condition> = disjunct.split("&&").map(term).collect();
        let kind = if terms.contains(&Condition::NotMr) {
            Condition::NotMr
        } else if terms.contains(&Condition::Mr) {
            Condition::Mr
        } else {
            Condition::Neutral
        };
        result = match (result, kind) {
            (Condition::Mr, _) | (_, Condition::Mr) => Condition::Mr,
            (Condition::Neutral, _) | (_, Condition::Neutral) => Condition::Neutral,
            _ => Condition::NotMr,
        };
    }
    result
}

/// Pipeline sources that are not merge requests.
const OTHER_SOURCES: &[&str] = &[
    "push",
    "schedule",
    "web",
    "api",
    "trigger",
    "pipeline",
    "parent_pipeline",
    "chat",
    "webide",
    "external",
    "external_pull_request_event",
    "ondemand_dast_scan",
    "security_orchestration_policy",
];

/// One comparison or bare variable of an `if:` expression.
fn term(text: &str) -> Condition {
    let t = text.trim();
    let (variable, operator, value) = split_comparison(t);
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let negated = operator == "!=" || operator == "!~";
    let variable = variable.trim().trim_start_matches('$').trim_matches(['{', '}']);
    let compares = !operator.is_empty();
    let is_null = value == "null" || (value.is_empty() && compares);
    match variable {
        "CI_PIPELINE_SOURCE" => {
            let mr = value.contains("merge_request_event");
            let other = OTHER_SOURCES.contains(&value);
            match (negated, mr, other) {
                (false, true, _) => Condition::Mr,
                (true, true, _) => Condition::NotMr,
                (false, false, true) => Condition::NotMr,
                _ => Condition::Neutral,
            }
        }
        // Set only in merge-request pipelines.
        v if v.starts_with("CI_MERGE_REQUEST_") => match (compares, negated, is_null) {
            (false, _, _) => Condition::Mr,
            (true, false, true) | (true, true, false) => Condition::NotMr,
            _ => Condition::Mr,
        },
        // Not set in merge-request pipelines (branch and tag pipelines only).
        "CI_COMMIT_BRANCH" | "CI_COMMIT_TAG" => match (compares, negated, is_null) {
            (false, _, _) | (true, false, false) => Condition::NotMr,
            _ => Condition::Neutral,
        },
        // Merge-request pipelines do not run on a protected ref (unless a newer project
        // setting makes them, which palisade cannot see: then the variables are protected
        // anyway).
        "CI_COMMIT_REF_PROTECTED" if !negated && value == "true" => Condition::NotMr,
        "CI_COMMIT_REF_NAME" | "CI_COMMIT_REF_SLUG"
            if !negated && compares && (value.contains("CI_DEFAULT_BRANCH") || is_release_ref(value)) =>
        {
            Condition::NotMr
        }
        _ => Condition::Neutral,
    }
}

/// `main`, `master`, `/^release/`: refs a merge request's source branch is not.
fn is_release_ref(value: &str) -> bool {
    let v = value.trim_matches('/').trim_start_matches('^');
    matches!(v, "main" | "master") || v.starts_with("release")
}

/// `($VAR, operator, value)`; the operator is empty for a bare variable.
fn split_comparison(t: &str) -> (&str, &str, &str) {
    for op in ["==", "!=", "=~", "!~"] {
        if let Some((left, right)) = t.split_once(op) {
            // `"main" == $CI_COMMIT_BRANCH` is written both ways round.
            return if left.trim_start().starts_with('$') {
                (left, op, right)
            } else {
                (right, op, left)
            };
        }
    }
    (t, "", "")
}

/// Every reference to a secret-named variable of the settings in the job: the script line
/// or variable value it is in, the byte offset in it, and the name.
fn secret_references(pipeline: &Pipeline, job: &Job) -> Vec<(Value, usize, String)> {
    let assigned: Vec<String> = job.script.iter().flat_map(|l| assignments(&l.text)).collect();
    let defined = |name: &str| {
        pipeline.variables.iter().any(|v| v == name)
            || job.variables.iter().any(|(v, _)| v == name)
            || assigned.iter().any(|v| v == name)
    };
    let mut out = Vec::new();
    let values = job
        .variables
        .iter()
        .map(|(_, v)| v)
        .chain(job.script.iter());
    for value in values {
        for (offset, name) in references(&value.text) {
            if is_settings_secret(name) && !defined(name) {
                out.push((value.clone(), offset, name.to_string()));
            }
        }
    }
    // In the job's order: its variables, its own script lines, then `default:`'s.
    out
}

/// `$NAME` and `${NAME}` in a line, with their byte offsets (of the `$`).
fn references(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && (i == 0 || bytes[i - 1] != b'$') {
            let braced = bytes.get(i + 1) == Some(&b'{');
            let start = i + 1 + usize::from(braced);
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            if end > start && !bytes[start].is_ascii_digit() {
                out.push((i, &text[start..end]));
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Variables a script line assigns: `export NAME=…`, `NAME=…`, `read NAME`.
fn assignments(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for command in line.split([';', '&', '|', '\n']) {
        let words: Vec<&str> = command.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            if let Some((name, _)) = word.split_once('=')
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && (i == 0 || matches!(words[i - 1], "export" | "local" | "declare" | "readonly" | "-x"))
            {
                out.push(name.to_string());
            }
            if *word == "read" {
                out.extend(
                    words[i + 1..]
                        .iter()
                        .take_while(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                        .filter(|w| !w.starts_with('-'))
                        .map(|w| w.to_string()),
                );
            }
        }
    }
    out
}

/// A variable of the project's settings whose name says it holds a secret. GitLab's own
/// (`CI_JOB_TOKEN`, `CI_REGISTRY_PASSWORD`, `GITLAB_USER_*`) are job-scoped or public.
fn is_settings_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if ["CI_", "GITLAB_", "RUNNER_", "FF_", "TRIGGER_", "CHAT_"]
        .iter()
        .any(|p| upper.starts_with(p))
    {
        return false;
    }
    let suffix = ["_TOKEN", "_PASSWORD", "_PASSWD", "_SECRET", "_PRIVATE_KEY"]
        .iter()
        .any(|s| upper.ends_with(s))
        || matches!(upper.as_str(), "DEPLOY_KEY" | "SSH_KEY" | "GPG_KEY" | "SIGNING_KEY");
    suffix || palisade_knowledge::secrets::secret_name(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_classified_for_merge_requests() {
        assert_eq!(classify("$CI_PIPELINE_SOURCE == \"merge_request_event\""), Condition::Mr);
        assert_eq!(classify("$CI_MERGE_REQUEST_IID"), Condition::Mr);
        assert_eq!(classify("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"), Condition::NotMr);
        assert_eq!(classify("$CI_COMMIT_TAG"), Condition::NotMr);
        assert_eq!(classify("$CI_PIPELINE_SOURCE == 'push'"), Condition::NotMr);
        assert_eq!(
            classify("$CI_MERGE_REQUEST_IID || $CI_COMMIT_BRANCH == \"main\""),
            Condition::Mr
        );
        assert_eq!(
            classify("$CI_PIPELINE_SOURCE == \"merge_request_event\" && $CI_COMMIT_TAG"),
            Condition::NotMr
        );
        assert_eq!(classify("$CI_MERGE_REQUEST_ID == null"), Condition::NotMr);
        assert_eq!(classify("$DEPLOY == \"yes\""), Condition::Neutral);
        assert_eq!(classify("$CI_COMMIT_REF_PROTECTED == \"true\""), Condition::NotMr);
    }

    #[test]
    fn settings_secrets_by_name() {
        for name in ["KUBE_DEPLOY_TOKEN", "REGISTRY_PASSWORD", "SSH_PRIVATE_KEY", "AWS_SECRET_ACCESS_KEY", "NPM_TOKEN", "DEPLOY_KEY"] {
            assert!(is_settings_secret(name), "{name}");
        }
        for name in ["CI_JOB_TOKEN", "CI_REGISTRY_PASSWORD", "GITLAB_USER_LOGIN", "IMAGE_TAG", "CACHE_KEY", "PIP_CACHE_DIR"] {
            assert!(!is_settings_secret(name), "{name}");
        }
        assert_eq!(
            references("curl -H \"$AUTH_TOKEN\" ${API_URL}/x $$LITERAL $1"),
            [(9, "AUTH_TOKEN"), (22, "API_URL")]
        );
        assert_eq!(assignments("export TOKEN=$(vault read x) && A=1 make"), ["TOKEN", "A"]);
    }
}
