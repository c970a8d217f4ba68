//! Project-wide Django middlewares that require a login for every view: Django 5.1's
//! `LoginRequiredMiddleware`, a project's own class of that name (DefectDojo's
//! `dojo.middleware.LoginRequiredMiddleware`, written before Django had one), or any
//! middleware of the project whose request hook looks at the user and refuses or redirects
//! to the login page. Settings split over modules (`from .base import *`) are read together:
//! whichever settings file lists the middleware, it is installed.

//!
//! Such middlewares usually let some URLs through (`LOGIN_EXEMPT_URLS`, regular
//! expressions): a view whose path matches one is not covered by it.

use super::facts::{Ref, last};
use super::project::Project;

/// The methods through which a Django middleware sees a request before the view.
const REQUEST_HOOKS: [&str; 4] = ["__call__", "__acall__", "process_request", "process_view"];

/// How the inventory names the login middleware the project installs, if any.
pub fn login_middleware(p: &Project) -> Option<String> {
    let mut custom = None;
    for file in &p.files {
        let Some(settings) = &file.settings else {
            continue;
        };
        // Test settings do not decide what production allows.
        if palisade_knowledge::roles::is_test_settings(&file.path) {
            continue;
        }
        for m in &settings.middleware {
            if m == "django.contrib.auth.middleware.LoginRequiredMiddleware" {
                return Some("LoginRequiredMiddleware".to_string());
            }
            if custom.is_none() && (last(m) == "LoginRequiredMiddleware" || refuses_anonymous(p, m))
            {
                custom = Some(format!("middleware {m}"));
            }
        }
    }
    custom
}

/// Whether a middleware class of the scan checks the user in a request hook and refuses
/// (401/403, `PermissionDenied`) or redirects (in a middleware that looked at the user, a
/// redirect is the way to the login page, whatever variable holds its URL).
fn refuses_anonymous(p: &Project, path: &str) -> bool {
    let class = Ref {
        text: last(path).to_string(),
        qualified: path.to_string(),
    };
    let Some((_, class)) = p.class(&class) else {
        return false;
    };
    p.class_chain(class).iter().any(|c| {
        REQUEST_HOOKS.iter().any(|hook| {
            let method = Ref {
                text: (*hook).to_string(),
                qualified: format!("{}.{hook}", c.qualified),
            };
            p.function(&method)
                .is_some_and(|(_, f)| f.body.checks_user && (f.body.denies || f.body.redirects))
        })
    })
}

/// One `LOGIN_EXEMPT_URLS` entry, reduced to the literal text its regular expression starts
/// with (`^webhook/([\w-]+)$` → `webhook/`, anchored).
#[derive(Clone, Debug)]
pub struct Exempt {
    literal: String,
    anchored: bool,
}

impl Exempt {
    /// Whether a view's path (as the inventory writes it, `/webhook/<name>`) is let through.
    pub fn matches(&self, path: &str) -> bool {
        let path = path.trim_start_matches('/');
        if self.anchored {
            path.starts_with(&self.literal)
        } else {
            path.contains(&self.literal)
        }
    }
}

/// The exemptions of every non-test settings file.
pub fn login_exempt(p: &Project) -> Vec<Exempt> {
    let mut out = Vec::new();
    for file in &p.files {
        let Some(settings) = &file.settings else {
            continue;
        };
        if palisade_knowledge::roles::is_test_settings(&file.path) {
            continue;
        }
        for pattern in &settings.login_exempt {
            let anchored = pattern.starts_with('^');
            let literal: String = pattern
                .trim_start_matches('^')
                .trim_start_matches('/')
                .chars()
                .take_while(|c| !"()[]{}.*+?$\\|".contains(*c))
                .collect();
            // An entry with no literal start would exempt everything: not understood.
            if !literal.is_empty() {
                out.push(Exempt { literal, anchored });
            }
        }
    }
    out
}
