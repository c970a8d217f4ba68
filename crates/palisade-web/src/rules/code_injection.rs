//! Flags strings that become code: `eval`, `new Function`, and string timers fed with
//! attacker-controlled or unknown text.
//!
//! ## What it checks
//! `eval(x)`, `window.eval(x)`, `Function(…)` / `new Function(…)`, and `setTimeout(x, …)` /
//! `setInterval(x, …)` when `x` is text rather than a function. The value is followed like in
//! `web/dom-xss` (same sources and sanitizers). Confidence is high when a source reaches the
//! call, low when the text is not constant but of unknown origin; a timer is flagged with an
//! unknown value only when it is visibly a string (concatenation or template literal), since a
//! variable there is usually a callback. Constant code is not flagged.
//!
//! ## Why it matters
//! Text that reaches `eval` runs with the page's privileges; attacker-controlled text is
//! cross-site scripting, and the policy's `'unsafe-eval'` would not stop it.
//!
//! ## Example
//! ```js
//! setTimeout("show('" + location.hash.slice(1) + "')", 10);   // flagged
//! setTimeout(() => show(location.hash.slice(1)), 10);         // not flagged
//! ```
//!
//! ## Remediation
//! Pass functions to timers, parse data with `JSON.parse`, and look names up in an object
//! instead of building code; then drop `'unsafe-eval'` from the CSP.
//!
//! ## References
//! - CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code
//! - OWASP Top 10 2021, A03 Injection

use crate::js::{Script, Taint};
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile,
};

pub static META: RuleMeta = RuleMeta {
    id: "web/code-injection",
    title: "Text evaluated as JavaScript",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[95],
    owasp: Owasp::A03,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("code_injection.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    let calls = s.nodes("call_expression").iter().chain(s.nodes("new_expression"));
    for &call in calls {
        let callee = call
            .child_by_field_name("function")
            .or_else(|| call.child_by_field_name("constructor"));
        let Some(callee) = callee else { continue };
        let name = s.text(callee).trim_start_matches("window.").trim_start_matches("globalThis.");
        let Some(args) = call.child_by_field_name("arguments").filter(|a| a.kind() == "arguments") else {
            continue;
        };
        let (taint, timer) = match name {
            "eval" => (args.named_child(0).map(|a| s.taint(a)), false),
            "Function" => {
                let mut t = Taint::Const;
                for i in 0..args.named_child_count() {
                    if let Some(a) = args.named_child(i as u32) {
                        t = t.join(s.taint(a));
                    }
                }
                (Some(t), false)
            }
            "setTimeout" | "setInterval" => {
                let Some(first) = args.named_child(0) else { continue };
                let t = s.taint(first);
                let visibly_text = matches!(
                    s.resolve(first).kind(),
                    "binary_expression" | "template_string" | "string"
                );
                if matches!(t, Taint::Unknown) && !visibly_text {
                    continue;
                }
                (Some(t), true)
            }
            _ => continue,
        };
        let (confidence, what) = match taint {
            Some(Taint::Source(src, _)) => (Confidence::High, format!("`{src}`, which the attacker controls")),
            Some(Taint::Unknown) => (Confidence::Low, "text palisade could not trace to a constant".to_string()),
            _ => continue,
        };
        let sink = if timer { format!("{name} with a string") } else { name.to_string() };
        let mut finding = Finding::new(
            &META,
            s.span(file, call),
            format!("{sink} runs {what} as code; pass a function or parse data instead of evaluating it"),
        )
        .with_confidence(confidence);
        if confidence == Confidence::Low {
            finding = finding.with_severity(Severity::Medium);
        }
        cx.report(finding);
    }
}
