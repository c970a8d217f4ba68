//! What names say: a decorator, dependency, mixin or middleware whose name is about
//! authentication (`login_required`, `jwt_required`, `require_api_key`, `HasScope`,
//! `get_current_user`), and whether it is about API keys.

pub use palisade_knowledge::words::words;

/// Words that make a name about authentication or authorization.
fn is_auth_word(w: &str) -> bool {
    w.starts_with("authenticat")
        || w.starts_with("authoriz")
        || w.starts_with("authoris")
        || matches!(
            w,
            "auth"
                | "authn"
                | "authz"
                | "authed"
                | "auth0"
                | "oauth"
                | "oauth2"
                | "login"
                | "logged"
                | "signin"
                | "jwt"
                | "token"
                | "tokens"
                | "apikey"
                | "apikeys"
                | "key"
                | "keys"
                | "permission"
                | "permissions"
                | "perm"
                | "perms"
                | "scope"
                | "scopes"
                | "role"
                | "roles"
                | "credential"
                | "credentials"
                | "bearer"
                | "acl"
                | "rbac"
                | "admin"
                | "admins"
                | "staff"
                | "superuser"
                | "principal"
        )
}

/// Words that turn an authentication name into its opposite (`login_not_required`,
/// `auth_exempt`, `optional_auth`).
fn is_negation(w: &str) -> bool {
    matches!(
        w,
        "not" | "exempt" | "optional" | "anonymous" | "public" | "skip" | "no" | "without"
    )
}

/// Whether a name (a decorator, dependency, mixin, middleware or guard function) is about
/// authentication: `login_required`, `auth.login_required`, `jwt_required`,
/// `require_api_key`, `requires_scope`, `IsAuthenticated`, `get_current_user`,
/// `user_passes_test`, `staff_member_required`.
pub fn is_auth_name(name: &str) -> bool {
    let ws = words(name);
    if ws.iter().any(|w| is_negation(w)) {
        return false;
    }
    if ws.iter().any(|w| is_auth_word(w)) {
        return true;
    }
    let has = |x: &str| ws.iter().any(|w| w == x);
    (has("current") && has("user")) || (has("passes") && has("test"))
}

/// Whether an authentication name is about API keys (`require_api_key`, `APIKeyHeader`,
/// `verify_key`).
pub fn is_key_name(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| matches!(w.as_str(), "key" | "keys" | "apikey" | "apikeys"))
}

/// Whether a name is about scopes, roles or permissions.
pub fn is_scope_name(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "scope" | "scopes" | "role" | "roles" | "perm" | "perms" | "permission" | "permissions"
        )
    })
}

/// Whether a called function's name says it checks something (`check_permission`,
/// `require_scope`, `verify_api_key`, `has_perm`).
pub fn is_check_name(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "check"
                | "require"
                | "requires"
                | "required"
                | "verify"
                | "ensure"
                | "validate"
                | "assert"
                | "has"
                | "must"
                | "enforce"
                | "guard"
                | "demand"
        ) || w.starts_with("authoriz")
            || w.starts_with("authoris")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_names() {
        for yes in [
            "login_required",
            "jwt_required",
            "require_api_key",
            "requires_scope",
            "auth.login_required",
            "get_current_user",
            "get_current_active_user",
            "LoginRequiredMixin",
            "IsAuthenticated",
            "user_passes_test",
            "staff_member_required",
            "roles_accepted",
            "verify_token",
        ] {
            assert!(is_auth_name(yes), "{yes}");
        }
        for no in [
            "login_not_required",
            "csrf_exempt",
            "get_db",
            "get_author",
            "monkeypatch",
            "cache.cached",
            "limiter.limit",
            "AllowAny",
            "permanent_redirect",
        ] {
            assert!(!is_auth_name(no), "{no}");
        }
        assert!(is_key_name("require_api_key"));
        assert!(is_key_name("APIKeyHeader"));
        assert!(!is_key_name("login_required"));
    }
}
