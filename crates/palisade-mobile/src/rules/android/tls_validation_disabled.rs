//! Flags code that turns TLS certificate or host name checks off.
//!
//! ## What it checks
//! In Java and Kotlin files (test source sets left out; debug source sets at low severity):
//! - a `checkServerTrusted` method with an empty body: an `X509TrustManager` that accepts
//!   every certificate chain;
//! - a `verify(host, session)` method, or a lambda given to `setHostnameVerifier`,
//!   `setDefaultHostnameVerifier`, `hostnameVerifier(…)` or `HostnameVerifier { … }`, that
//!   returns `true` and nothing else; uses of `ALLOW_ALL_HOSTNAME_VERIFIER`,
//!   `AllowAllHostnameVerifier` and `NoopHostnameVerifier`;
//! - a WebView `onReceivedSslError` that calls `proceed()` outside any condition.
//!
//! A trust manager that throws, delegates to the default one, or pins; a verifier that asks
//! the default verifier; and an `onReceivedSslError` that cancels or asks the user first are
//! not reported.
//!
//! ## Why it matters
//! With validation off, anyone on the network path can present their own certificate and
//! read or change every request — logins, tokens, payments (CWE-295).
//!
//! ## Example
//! ```kotlin
//! override fun checkServerTrusted(chain: Array<X509Certificate>, authType: String) {}  // flagged
//! ```
//!
//! ## Remediation
//! Delete the custom trust manager and verifier and use the platform defaults; to trust a
//! private CA or pin, use a network security config. In `onReceivedSslError`, call
//! `handler.cancel()`.
//!
//! ## References
//! - CWE-295: Improper Certificate Validation
//! - OWASP MASVS-NETWORK-1; MASTG "Testing Endpoint Identity Verification"

use crate::android::code::{Code, Lang};
use crate::rules::CodeRule;
use crate::android::code_util::{in_source_set, is_conditional, statements};
use palisade_core::{Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "android/tls-validation-disabled",
    title: "TLS certificate or host name validation disabled",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[295],
    owasp: Owasp::A02,
    recommendation: Recommendation::Mobile,
    needs_network: false,
    options: &[],
    source: include_str!("tls_validation_disabled.rs"),
};

pub static RULE: CodeRule = CodeRule { meta: &META, check };

fn check(code: &Code<'_>, cx: &mut FileContext<'_>) {
    for f in &code.functions {
        let Some(body) = f.body else { continue };
        let name_node = f.node.child_by_field_name("name").unwrap_or(f.node);
        match f.name.as_str() {
            "checkServerTrusted" if is_empty_body(body) => cx.report(in_source_set(
                code,
                Finding::new(&META, code.span(name_node), "`checkServerTrusted` is empty: this trust manager accepts every certificate"),
            )),
            "verify" if f.params.len() == 2 && returns_only_true(code, body) => cx.report(in_source_set(
                code,
                Finding::new(&META, code.span(name_node), "this host name verifier's `verify` always returns true: any certificate's host name is accepted"),
            )),
            "onReceivedSslError" => {
                for call in code.calls.iter().filter(|c| c.name == "proceed" && c.args.is_empty()) {
                    if body.start_byte() <= call.node.start_byte()
                        && call.node.end_byte() <= body.end_byte()
                        && !is_conditional(call.node)
                    {
                        cx.report(in_source_set(
                            code,
                            Finding::new(&META, code.call_span(call), "`onReceivedSslError` proceeds on every certificate error"),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    for call in &code.calls {
        let lambda_setter = matches!(
            call.name.as_str(),
            "setHostnameVerifier" | "setDefaultHostnameVerifier" | "hostnameVerifier" | "HostnameVerifier"
        );
        if lambda_setter {
            for arg in &call.args {
                if lambda_returns_true(code, *arg) {
                    cx.report(in_source_set(
                        code,
                        Finding::new(&META, code.call_span(call), "the host name verifier accepts every host"),
                    ));
                }
            }
        }
        for arg in &call.args {
            let t = code.text(*arg);
            if t.ends_with("ALLOW_ALL_HOSTNAME_VERIFIER")
                || (t.starts_with("AllowAllHostnameVerifier") || t.starts_with("NoopHostnameVerifier"))
                || t.starts_with("new AllowAllHostnameVerifier")
                || t.starts_with("new NoopHostnameVerifier")
                || t.ends_with("NoopHostnameVerifier.INSTANCE")
            {
                cx.report(in_source_set(
                    code,
                    Finding::new(&META, code.span(*arg), "an allow-all host name verifier accepts every host"),
                ));
            }
        }
    }
}

fn is_empty_body(body: Node<'_>) -> bool {
    body.kind() == "block" && statements(body).is_empty()
}

fn returns_only_true(code: &Code<'_>, body: Node<'_>) -> bool {
    if body.kind() != "block" {
        // Kotlin `= true`.
        return code.is_true(body);
    }
    let stmts = statements(body);
    if stmts.len() != 1 {
        return false;
    }
    let s = stmts[0];
    let s = if code.lang == Lang::Kotlin && s.kind() == "return_expression" || s.kind() == "return_statement" {
        s
    } else {
        return false;
    };
    s.named_child(0).is_some_and(|v| code.is_true(v))
}

fn lambda_returns_true(code: &Code<'_>, arg: Node<'_>) -> bool {
    let lambda = match arg.kind() {
        "lambda_expression" => arg,
        "annotated_lambda" => match arg.named_children(&mut arg.walk()).find(|n| n.kind() == "lambda_literal") {
            Some(l) => l,
            None => return false,
        },
        "lambda_literal" => arg,
        _ => return false,
    };
    if lambda.kind() == "lambda_expression" {
        let Some(body) = lambda.child_by_field_name("body") else {
            return false;
        };
        return if body.kind() == "block" {
            returns_only_true(code, body)
        } else {
            code.is_true(body)
        };
    }
    // Kotlin: the last statement is the value.
    let stmts: Vec<Node<'_>> = statements(lambda)
        .into_iter()
        .filter(|n| n.kind() != "lambda_parameters")
        .collect();
    stmts.len() == 1 && code.is_true(stmts[0])
}
