//! Flags Node.js server cookies set without `secure` or with `httpOnly` turned off:
//! Express `res.cookie`, Koa `ctx.cookies.set`, `express-session` and `cookie-session`.
//!
//! ## What it checks
//! - `res.cookie(name, value, options)` (also `response.cookie`): no options, or options
//!   without `secure: true`, or with `httpOnly: false` (Express sets neither flag by itself);
//! - `ctx.cookies.set(name, value, options)` (Koa): `secure: false` or `httpOnly: false`
//!   (Koa's `cookies` sets `Secure` by itself on HTTPS requests when `secure` is left out);
//! - `session({ cookie: {…} })` (express-session, also `expressSession(…)`): no
//!   `cookie.secure` (its default is `false`), or `httpOnly: false`;
//! - `cookieSession({…})`: `secure: false` or `httpOnly: false` written out.
//!
//! A value that is not a literal (`secure: process.env.NODE_ENV === "production"`,
//! `secure: config.https`) counts as set. Test files are skipped. Deleting a cookie
//! (`res.clearCookie`, or setting an empty value) is not flagged.
//!
//! ## Why it matters
//! A cookie without `Secure` is also sent over plain HTTP, where anyone on the path can read
//! the session; a cookie without `HttpOnly` can be read by any script in the page, so one
//! XSS steals every session.
//!
//! ## Example
//! ```js
//! app.use(session({ secret, cookie: { maxAge: 3600000 } }));          // flagged: no secure
//! res.cookie("sid", token, { httpOnly: true, secure: true, sameSite: "lax" });  // not flagged
//! ```
//!
//! ## Remediation
//! Set `secure: true` and `httpOnly: true` (and `sameSite: "lax"` or `"strict"`) on session
//! and authentication cookies; behind a TLS-terminating proxy also set
//! `app.set("trust proxy", 1)` so Express knows the request was HTTPS.
//!
//! ## References
//! - CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute
//! - CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag
//! - OWASP Session Management Cheat Sheet

use crate::js::Script;
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile,
};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "web/insecure-cookie",
    title: "Server cookie without Secure or HttpOnly",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[614, 1004],
    owasp: Owasp::A05,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("insecure_cookie.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

/// A flag's value in an options object: `Some(Some(true|false))` for a literal,
/// `Some(None)` for an expression, `None` when absent.
fn flag(s: &Script<'_>, object: Node<'_>, name: &str) -> Option<Option<bool>> {
    for i in 0..object.named_child_count() {
        let child = object.named_child(i as u32)?;
        match child.kind() {
            "pair" => {
                let key = child.child_by_field_name("key")?;
                if s.text(key).trim_matches(['"', '\'']) == name {
                    let value = child.child_by_field_name("value")?;
                    return Some(match s.text(value) {
                        "true" => Some(true),
                        "false" => Some(false),
                        _ => None,
                    });
                }
            }
            "shorthand_property_identifier" if s.text(child) == name => return Some(None),
            // `...defaults` may set anything.
            "spread_element" => return Some(None),
            _ => {}
        }
    }
    None
}

fn sub_object<'t>(s: &Script<'t>, object: Node<'t>, name: &str) -> Option<Node<'t>> {
    for i in 0..object.named_child_count() {
        let child = object.named_child(i as u32)?;
        if child.kind() == "pair"
            && let Some(key) = child.child_by_field_name("key")
            && s.text(key).trim_matches(['"', '\'']) == name
        {
            return child.child_by_field_name("value").map(|v| s.resolve(v));
        }
    }
    None
}

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    if palisade_knowledge::roles::is_test_code(&file.path) {
        return;
    }
    for &call in s.nodes("call_expression") {
        let Some(callee) = call.child_by_field_name("function") else { continue };
        let Some(args) = call.child_by_field_name("arguments").filter(|a| a.kind() == "arguments") else {
            continue;
        };
        let text = s.text(callee);
        let (what, options, secure_default_ok, httponly_default_ok) = match text {
            "res.cookie" | "response.cookie" => {
                ("res.cookie", args.named_child(2).map(|o| s.resolve(o)), false, false)
            }
            // Koa's `cookies` sets Secure by itself on HTTPS requests (`secure` left
            // undefined follows the request's protocol).
            t if t.ends_with("cookies.set") => {
                ("ctx.cookies.set", args.named_child(2).map(|o| s.resolve(o)), true, true)
            }
            "session" | "expressSession" => {
                let Some(opts) = args.named_child(0).map(|o| s.resolve(o)) else { continue };
                if opts.kind() != "object" {
                    continue;
                }
                ("express-session cookie", Some(sub_object(s, opts, "cookie").unwrap_or(opts)), false, true)
            }
            "cookieSession" => ("cookie-session", args.named_child(0).map(|o| s.resolve(o)), true, true),
            _ => continue,
        };
        // Deleting a cookie: an empty value (`ctx.cookies.set("token", "")`, `null`).
        if matches!(what, "res.cookie" | "ctx.cookies.set")
            && args.named_child(1).is_some_and(|v| {
                matches!(s.text(v), "\"\"" | "''" | "``" | "null" | "undefined")
            })
        {
            continue;
        }
        let mut problems = Vec::new();
        match options {
            Some(o) if o.kind() == "object" => {
                match flag(s, o, "secure") {
                    Some(Some(false)) => problems.push("secure: false"),
                    None if !secure_default_ok => problems.push("no secure"),
                    _ => {}
                }
                match flag(s, o, "httpOnly") {
                    Some(Some(false)) => problems.push("httpOnly: false"),
                    None if !httponly_default_ok => problems.push("no httpOnly"),
                    _ => {}
                }
            }
            // Options built elsewhere: cannot tell.
            Some(_) => continue,
            None => {
                if !secure_default_ok {
                    problems.push("no secure");
                }
                if !httponly_default_ok {
                    problems.push("no httpOnly");
                }
            }
        }
        if problems.is_empty() {
            continue;
        }
        let explicit = problems.iter().any(|p| p.contains("false"));
        cx.report(
            Finding::new(
                &META,
                s.span(file, call),
                format!("{what} is set with {}: the cookie travels over plain HTTP or is readable by scripts; set secure: true and httpOnly: true", problems.join(" and ")),
            )
            .with_confidence(if explicit { Confidence::High } else { Confidence::Medium }),
        );
    }
}
