//! Flags Django settings whose `ALLOWED_HOSTS` accepts any Host header.
//!
//! ## What it checks
//! In a Django settings module — a file named `settings.py`, `*_settings.py`, `settings_*.py`
//! or inside a `settings` package, or one that assigns the usual Django settings
//! (`INSTALLED_APPS`, `MIDDLEWARE`, `DATABASES`, …) — and in django-configurations classes:
//! - `ALLOWED_HOSTS = ["*"]`, or a list that contains `"*"` among real host names, also
//!   through a constant;
//! - `ALLOWED_HOSTS.append("*")`, `ALLOWED_HOSTS += ["*"]`;
//! - an environment lookup whose default is `"*"` (`os.environ.get("ALLOWED_HOSTS", "*")
//!   .split(",")`, `env.list("ALLOWED_HOSTS", default=["*"])`, `config(..., default="*")`),
//!   reported with medium confidence: the wildcard is what runs whenever the variable is
//!   missing.
//!
//! Not reported: explicit host names and `.example.com` subdomain patterns; values read from
//! the environment without a wildcard default; a wildcard chosen only when `DEBUG` is on
//! (`["*"] if DEBUG else [...]`, inside `if DEBUG:`); a wildcard that a later unconditional
//! assignment in the same module replaces; settings files for tests or local development
//! (`settings/test.py`, `local.py`, `dev.py`, `tests/…`), which are not deployed.
//!
//! ## Why it matters
//! Django builds absolute URLs — password-reset and e-mail confirmation links, redirects,
//! `request.build_absolute_uri()` — from the Host header the client sent. `ALLOWED_HOSTS` is
//! the check that this header names one of your sites. With `"*"`, an attacker can request a
//! password reset for a victim while sending `Host: attacker.example`, and the e-mail the
//! victim receives links to the attacker's site with a valid reset token. A wildcard also
//! lets cache poisoning through the Host header reach shared caches.
//!
//! ## Example
//! ```python
//! # shop/settings/production.py
//! DEBUG = False
//! ALLOWED_HOSTS = ["*"]  # flagged
//! ```
//!
//! ## Remediation
//! List the names the site is served under: `ALLOWED_HOSTS = ["shop.example.com",
//! ".api.example.com"]`, or read them from the environment without a wildcard default
//! (`env.list("DJANGO_ALLOWED_HOSTS")`). If load-balancer health checks call the pods by IP
//! address, answer them in a middleware placed before `CommonMiddleware`, or add the pod IP
//! at start-up, rather than allowing every host.
//!
//! ## References
//! - CWE-20: Improper Input Validation
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - Django documentation, settings: `ALLOWED_HOSTS`; "Host header validation"
//! - OWASP Web Security Testing Guide, "Testing for Host Header Injection"

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::model::Model;
use crate::settings::{
    Setting, SettingOp, env_default, follow, has_star_import, is_debug_condition,
    is_django_settings, string_value, top_level_settings,
};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::roles::{NameRole, deployment_role, name_role};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/django-allowed-hosts-wildcard",
    title: "Django ALLOWED_HOSTS accepts any host",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[20],
    owasp: Owasp::A05,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("django_allowed_hosts_wildcard.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["module", "class_definition"],
    // Sound: every report is about a setting spelled `ALLOWED_HOSTS`.
    needs_text: &["ALLOWED_HOSTS"],
    text_test: None,
    check,
};

fn check(node: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    match node.kind() {
        "module" if deployment_role(&cx.file.path) == NameRole::Deployed => {
            let settings = top_level_settings(model, node);
            if is_django_settings(&cx.file.path, &settings, has_star_import(node)) {
                check_settings(&settings, cx);
            }
        }
        "class_definition" => {
            // django-configurations: `class Production(Configuration): ALLOWED_HOSTS = [...]`
            let name = node
                .child_by_field_id(*field::NAME)
                .map(|n| model.text(n))
                .unwrap_or_default();
            let configuration = model.imports_package("configurations")
                || node
                    .child_by_field_id(*field::SUPERCLASSES)
                    .is_some_and(|s| model.text(s).contains("Configuration"));
            if configuration
                && name_role(name) == NameRole::Deployed
                && deployment_role(&cx.file.path) == NameRole::Deployed
                && let Some(body) = node.child_by_field_id(*field::BODY)
            {
                check_settings(&top_level_settings(model, body), cx);
            }
        }
        _ => {}
    }
}

fn check_settings(settings: &[Setting<'_>], cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    for (i, setting) in settings.iter().enumerate() {
        if setting.name != "ALLOWED_HOSTS" || setting.debug_only {
            continue;
        }
        let replaced_later = setting.op == SettingOp::Assign
            && settings[i + 1..].iter().any(|later| {
                later.name == "ALLOWED_HOSTS" && later.op == SettingOp::Assign && !later.conditional
            });
        if replaced_later {
            continue;
        }
        let Some(wildcard) = wildcard_in(model, setting.value) else {
            continue;
        };
        let mut finding = match wildcard.confidence {
            Confidence::High => Finding::new(
                &META,
                cx.span(setting.node),
                "`ALLOWED_HOSTS` contains \"*\": Django accepts any Host header and builds password-reset links and redirects from it",
            ),
            _ => Finding::new(
                &META,
                cx.span(setting.node),
                "`ALLOWED_HOSTS` falls back to \"*\" when the environment variable is missing: Django then accepts any Host header",
            )
            .with_confidence(wildcard.confidence),
        };
        if let Some(definition) = wildcard.definition {
            finding = finding.with_related(cx.span(definition), "the wildcard comes from here");
        }
        cx.report(finding);
    }
}

struct Wildcard<'t> {
    confidence: Confidence,
    definition: Option<Node<'t>>,
}

/// Where a value allows every host: `"*"` itself, a collection holding it, an environment
/// lookup defaulting to it.
fn wildcard_in<'t>(model: &Model<'t>, value: Node<'t>) -> Option<Wildcard<'t>> {
    if value.kind() == "conditional_expression" {
        // `a if DEBUG else b`: only `b` runs in production.
        let (Some(then), Some(condition), Some(otherwise)) = (
            value.named_child(0),
            value.named_child(1),
            value.named_child(2),
        ) else {
            return None;
        };
        if is_debug_condition(model, condition) {
            return wildcard_in(model, otherwise);
        }
        return wildcard_in(model, then).or_else(|| wildcard_in(model, otherwise));
    }
    let (value, definition) = follow(model, value);
    let found = |confidence| {
        Some(Wildcard {
            confidence,
            definition,
        })
    };
    if let Some(s) = string_value(model, value) {
        return (s.trim() == "*").then_some(()).and(found(Confidence::High));
    }
    match value.kind() {
        "list" | "tuple" | "set" => {
            let mut cursor = value.walk();
            let any = value.named_children(&mut cursor).any(|element| {
                string_value(model, follow(model, element).0).is_some_and(|s| s.trim() == "*")
            });
            any.then_some(()).and(found(Confidence::High))
        }
        "binary_operator" => {
            let left = value.child_by_field_id(*field::LEFT)?;
            let right = value.child_by_field_id(*field::RIGHT)?;
            wildcard_in(model, left).or_else(|| wildcard_in(model, right))
        }
        "call" => {
            let function = value.child_by_field_id(*field::FUNCTION)?;
            // `os.environ.get("ALLOWED_HOSTS", "*").split(",")`
            if function.kind() == "attribute"
                && function
                    .child_by_field_id(*field::ATTRIBUTE)
                    .is_some_and(|a| matches!(model.text(a), "split" | "strip"))
                && let Some(object) = function.child_by_field_id(*field::OBJECT)
                && object.kind() == "call"
            {
                return wildcard_in(model, object);
            }
            let default = env_default(model, value)?;
            let default = follow(model, default).0;
            let wild = match string_value(model, default) {
                Some(s) => s.split(',').any(|h| h.trim() == "*"),
                None => wildcard_in(model, default).is_some(),
            };
            wild.then_some(()).and(found(Confidence::Medium))
        }
        _ => None,
    }
}
