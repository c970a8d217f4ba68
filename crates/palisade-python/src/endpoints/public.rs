//! Endpoints that are public by design, and endpoints whose URL or token is the credential.
//!
//! Logging in, logging out, registering, resetting a forgotten password and exchanging
//! credentials for a token cannot require the caller to be logged in: the inventory says
//! `public (login)` for them instead of `NONE`, and the rule leaves them alone. The names
//! are read from the path's literal segments and the handler's name, word by word
//! (`forgot-password`, `reset_password`, `password-recovery`, `login_access_token`).
//!
//! A request can also carry its own authority: a signed value checked in the handler
//! (`signing.loads(signed_username, max_age=…)`, `serializer.loads(token, max_age=…)`,
//! `unsign(...)`) is a check of its own kind; a URL whose only parameter is a UUID (a
//! health-check ping URL, a share link) may be a capability — or an ordinary id the model
//! cannot tell from one — so it is shown as `capability URL?` and reported at low
//! confidence, never silenced. So is a first-run setup wizard (`/setup`, `first-run setup?`):
//! public until the product is set up, when its handler checks that.

use super::Endpoint;
use super::facts::Body;
use palisade_knowledge::words::words;

/// Why an endpoint without checks is public on purpose, if its path or handler says so.
/// `handles_token`: the handler reads a token (a password-reset confirmation must: one that
/// sets a new password for whoever names an account stays unauthenticated).
pub fn public_purpose(e: &Endpoint, handles_token: bool) -> Option<&'static str> {
    let mut ws: Vec<String> = Vec::new();
    let literal: Vec<&str> = e
        .path
        .split('/')
        .filter(|s| {
            !s.is_empty() && !s.starts_with('<') && !s.starts_with('{') && !s.starts_with('(')
        })
        .collect();
    for segment in &literal {
        ws.extend(words(segment));
    }
    ws.extend(words(&e.handler.name));
    let has = |w: &str| ws.iter().any(|x| x == w);
    let last = literal.last().map(|s| s.to_ascii_lowercase());
    if has("logout") || has("signout") || (has("sign") && has("out")) || (has("log") && has("out"))
    {
        return Some("logout");
    }
    let has_parameter = e
        .path
        .split('/')
        .any(|s| s.starts_with('<') || s.starts_with('{'));
    if (has("password") || has("username"))
        && (has("forgot")
            || has("forgotten")
            || has("recover")
            || has("recovery")
            || (has("reset") && (handles_token || has_parameter)))
    {
        return Some("password reset");
    }
    if has("login") || has("signin") || (has("sign") && has("in")) || (has("log") && has("in")) {
        return Some("login");
    }
    if has("register") || has("registration") || has("signup") || (has("sign") && has("up")) {
        return Some("registration");
    }
    // `POST /api/auth/token`, `/oauth/token`, `/token`: credentials exchanged for a token.
    // Not `/users/{id}/token`: a token made for someone else's account needs a caller.
    let token_endpoint = last.as_deref().is_some_and(|l| {
        matches!(
            l,
            "token"
                | "access-token"
                | "access_token"
                | "refresh"
                | "refresh-token"
                | "token-refresh"
        )
    });
    let under_auth = literal[..literal.len().saturating_sub(1)]
        .iter()
        .flat_map(|s| words(s))
        .all(|w| {
            matches!(
                w.as_str(),
                "api" | "auth" | "oauth" | "oauth2" | "jwt" | "token"
            ) || (w.len() > 1 && w.starts_with('v') && w[1..].chars().all(|c| c.is_ascii_digit()))
        });
    if token_endpoint && !has_parameter && under_auth {
        return Some("token");
    }
    None
}

/// Why an endpoint without checks may be public on purpose, when the model cannot confirm
/// it: a capability URL, a first-run setup wizard, a handler function (`body`) that calls
/// nothing that changes state (a POST that renders a preview: `cron_preview`).
pub fn undecided_purpose(e: &Endpoint, body: Option<&Body>) -> Option<&'static str> {
    if body.is_some_and(|b| b.calls && !b.writes) {
        return Some("no write seen");
    }
    if capability_url(&e.path) {
        return Some("capability URL");
    }
    let last = e.path.split('/').rfind(|s| !s.is_empty());
    if last.is_some_and(|l| l.eq_ignore_ascii_case("setup")) || e.handler.name == "setup" {
        return Some("first-run setup");
    }
    None
}

/// Whether the path's parameters are all UUIDs (`/ping/<uuid:code>`, `/share/{share_uuid}`):
/// the URL may be the credential.
pub fn capability_url(path: &str) -> bool {
    let params: Vec<&str> = path
        .split('/')
        .filter(|s| s.starts_with('<') || s.starts_with('{'))
        .collect();
    !params.is_empty()
        && params.iter().all(|p| {
            let p = p.to_ascii_lowercase();
            p.starts_with("<uuid:") || words(&p).iter().any(|w| w == "uuid" || w == "guid")
        })
}
