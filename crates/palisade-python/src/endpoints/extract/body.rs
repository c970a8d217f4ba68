//! What a function's body says about authentication, read during the traversal: calls of
//! checks and denials (`abort(401)`, `raise PermissionDenied`), comparisons of presented keys
//! and tokens, session and user checks, signature verifications. The result is one [`Body`]
//! per enclosing function.

use super::{Extractor, HTTP_METHODS};
use crate::endpoints::facts::{Body, KeyCompare, last};
use crate::endpoints::secrets::{
    SecretKind, is_from_request, is_not_a_secret_value, is_single_value, secret_operand,
};
use crate::endpoints::syntax::{Args, args, dotted, int_value, string_value, strings_in};
use crate::endpoints::words::{is_auth_name, is_check_name, is_scope_name, words};
use crate::grammar::field;
use tree_sitter::Node;

/// Exceptions and responses that refuse a caller.
const DENIALS: &[&str] = &[
    "HTTPUnauthorized",
    "HTTPForbidden",
    "Unauthorized",
    "Forbidden",
    "PermissionDenied",
    "NotAuthenticated",
    "AuthenticationFailed",
    "HttpResponseForbidden",
    "redirect_to_login",
];

/// Whether a called name can matter to authentication: checks, denials, signature
/// verification, responses that may carry 401/403.
fn interesting_call(name: &str) -> bool {
    let lower_has = |w: &str| contains_ignore_case(name, w);
    DENIALS.contains(&name)
        || matches!(
            name,
            "abort"
                | "redirect"
                | "url_for"
                | "compare_digest"
                | "construct_event"
                | "decode"
                | "HttpResponseRedirect"
                | "HTTPFound"
        )
        || name.ends_with("Response")
        || name.ends_with("response")
        || name.ends_with("Exception")
        || name.ends_with("Error")
        || [
            "auth",
            "login",
            "token",
            "key",
            "perm",
            "scope",
            "role",
            "jwt",
            "sign",
            "verif",
            "hmac",
            "admin",
            "staff",
            "user",
            "credential",
            "check",
            "require",
            "ensure",
        ]
        .iter()
        .any(|w| lower_has(w))
}

/// Words of a callee that change something: a save, a delete, a message sent, a job queued.
const WRITE_WORDS: &[&str] = &[
    "save",
    "create",
    "delete",
    "update",
    "add",
    "commit",
    "execute",
    "executemany",
    "insert",
    "remove",
    "put",
    "post",
    "patch",
    "send",
    "write",
    "destroy",
    "flush",
    "publish",
    "delay",
    "apply",
    "enqueue",
    "merge",
    "upsert",
    "store",
    "persist",
    "set",
    "clear",
    "process",
    "handle",
    "submit",
    "run",
    "perform",
    "do",
    "import",
    "upload",
    "register",
    "approve",
    "reject",
    "cancel",
    "archive",
    "restore",
    "reset",
    "assign",
    "transfer",
    "charge",
    "pay",
    "refund",
    "move",
    "copy",
    "rename",
    "toggle",
    "enable",
    "disable",
    "mark",
    "dismiss",
    "subscribe",
    "unsubscribe",
    "invite",
    "notify",
    "ping",
    "login",
    "logout",
    "drop",
    "purge",
    "revoke",
    "grant",
    "trigger",
    "dispatch",
    "call",
    "emit",
    "signal",
    "mail",
    "email",
    "increment",
    "decrement",
    "incr",
    "decr",
    "lock",
    "unlock",
    "transaction",
    "atomic",
    "confirm",
    "activate",
    "deactivate",
    "close",
    "resolve",
    "reply",
    "comment",
    "vote",
    "follow",
    "unfollow",
    "like",
    "share",
    "install",
    "uninstall",
    "restart",
    "start",
    "stop",
    "kill",
    "sync",
    "migrate",
    "generate",
    "issue",
    "rotate",
    "replace",
    "edit",
    "modify",
    "change",
    "append",
    "extend",
    "pop",
];

/// Whether a call (by its callee's last name) may change state: a name with one of
/// [`WRITE_WORDS`] in it (`form.save()`, `send_mail(...)`, `Order.import_rows(rows)`,
/// `db.session.commit()`). A handler with none of them only reads and answers (a preview,
/// a calculation), as far as the model can tell.
pub(crate) fn is_write_call(name: &str) -> bool {
    palisade_knowledge::words::has_word(name, WRITE_WORDS)
}

/// ASCII case-insensitive substring test, without allocating.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Whether a text mentions something that may be a secret (a cheap filter before looking
/// closer).
pub(crate) fn mentions_secret(text: &str) -> bool {
    [
        "token",
        "secret",
        "key",
        "sig",
        "digest",
        "hmac",
        "password",
        "passwd",
        "pwd",
        "authorization",
        "mac",
    ]
    .iter()
    .any(|w| contains_ignore_case(text, w))
}

impl<'t> Extractor<'t, '_> {
    pub(super) fn add_body(&mut self, functions: &[usize], body: Option<Body>) {
        let Some(body) = body else {
            return;
        };
        for &i in functions {
            self.functions[i].body.merge(&body);
        }
    }

    /// The last name of a call's callee (`abort`, `compare_digest`), without allocating.
    pub(super) fn callee_name(&self, call: Node<'_>) -> Option<&'t str> {
        let function = call.child_by_field_id(*field::FUNCTION)?;
        match function.kind() {
            "identifier" => Some(self.text(function)),
            "attribute" => Some(self.text(function.child_by_field_id(*field::ATTRIBUTE)?)),
            _ => None,
        }
    }

    pub(super) fn body_of_call(&self, call: Node<'_>) -> Option<Body> {
        let name = self.callee_name(call)?;
        self.signed_token_call(call, name)
            .or_else(|| self.body_of_call_general(call))
    }

    fn body_of_call_general(&self, call: Node<'_>) -> Option<Body> {
        let name = self.callee_name(call)?;
        if name == "get" {
            // `session.get("user_id")`, `session.get("is_admin")`: a session login check.
            let function = call.child_by_field_id(*field::FUNCTION)?;
            let receiver = self.text(function.child_by_field_id(*field::OBJECT)?);
            let key = args(call, self.src)
                .positional
                .first()
                .and_then(|k| string_value(*k, self.src))?;
            let session = receiver == "session" || receiver.ends_with(".session");
            return (session && (key.contains("user") || is_auth_name(&key))).then(|| Body {
                checks_user: true,
                ..Body::default()
            });
        }
        if !interesting_call(name) {
            return None;
        }
        let function = call.child_by_field_id(*field::FUNCTION)?;
        let callee = match function.kind() {
            "identifier" | "attribute" => dotted(function, self.src)?,
            _ => return None,
        };
        let name = last(&callee);
        let a = args(call, self.src);
        let mut body = Body::default();
        if name == "compare_digest" && a.positional.len() >= 2 {
            let (x, y) = (a.positional[0], a.positional[1]);
            let kind = secret_operand(x, self.src).or_else(|| secret_operand(y, self.src));
            match kind {
                Some(SecretKind::Signature | SecretKind::Digest) | None => {
                    body.signature_checks.push(callee.clone());
                    body.loose_signature = true;
                }
                Some(kind) => body.key_compares.push(KeyCompare {
                    location: self.location(call),
                    api_key: kind == SecretKind::ApiKey,
                    against_single: self.single_side(x, y),
                    against: self.against(x, y),
                }),
            }
            return Some(body);
        }
        let ws = words(name);
        let has = |w: &str| ws.iter().any(|x| x == w);
        if name == "construct_event"
            || ((has("verify") || has("validate") || has("check"))
                && (has("signature") || has("sig") || has("webhook") || has("hmac")))
        {
            body.signature_checks.push(callee.clone());
        }
        if has("signature") || has("verify") || has("hmac") || name == "construct_event" {
            body.loose_signature = true;
        }
        if DENIALS.contains(&name) || self.has_denial_status(&a) {
            body.denies = true;
        }
        if matches!(
            name,
            "redirect" | "HttpResponseRedirect" | "RedirectResponse" | "HTTPFound"
        ) {
            body.redirects = true;
        }
        if matches!(name, "redirect" | "url_for")
            && a.positional
                .iter()
                .any(|p| self.text(*p).to_ascii_lowercase().contains("login"))
        {
            body.denies = true;
        }
        if ((is_auth_name(name) && is_check_name(name))
            || (callee.starts_with("jwt.") && name == "decode"))
            && !matches!(name, "authenticate" | "login" | "logout")
            // Verifying a login attempt is not checking an authenticated caller.
            && !ws.iter().any(|w| w.starts_with("credential") || w.starts_with("password"))
        {
            let mut check = self.call_of(call, function);
            if name == "decode" || name == "encode" {
                // `jwt.decode(token, KEY, algorithms=[...])`: a key and algorithms, no scope.
                check.strings.clear();
            }
            body.auth_calls.push(check);
        }
        if is_scope_name(name) {
            body.mentions_scopes = true;
        }
        Some(body)
    }

    /// `signing.loads(value)`, `signer.unsign(value)`, `unsign_object`, `unserialize(data,
    /// max_age=…)`, `serializer.loads(token, max_age=…)`: reading a signed value (a
    /// `json.loads` or `pickle.loads` is not one: a `loads` counts only from `signing` or
    /// with a `max_age`). Calls named after a token mark the body as handling one.
    fn signed_token_call(&self, call: Node<'_>, name: &str) -> Option<Body> {
        let ws = words(name);
        let token = ws.iter().any(|w| w == "token");
        let signed = matches!(name, "unsign" | "unsign_object" | "unserialize" | "loads");
        if !(token || signed) {
            return None;
        }
        let function = call.child_by_field_id(*field::FUNCTION)?;
        let callee = dotted(function, self.src).unwrap_or_else(|| name.to_string());
        let a = args(call, self.src);
        let mut body = Body {
            mentions_token: token,
            ..Body::default()
        };
        let from_signing = callee.starts_with("signing.") || callee.contains("signer");
        if matches!(name, "unsign" | "unsign_object")
            || (matches!(name, "loads" | "unserialize")
                && (from_signing || a.keyword("max_age").is_some()))
        {
            body.signed_tokens.push(callee);
            body.mentions_token = true;
        }
        // Keep what the general pass finds in the same call (`verify_token(...)` is also
        // an auth call).
        if interesting_call(name)
            && let Some(rest) = self.body_of_call_general(call)
        {
            body.merge(&rest);
        }
        Some(body)
    }

    /// Whether a user attribute is the condition of an `if` that leaves the function at once
    /// (`return`, `raise`, `abort(...)`) when the caller is not who it should be: negated for
    /// `is_authenticated`/`is_staff`/`is_superuser` (`negated`), as is for `is_anonymous`.
    fn guards_and_leaves(&self, attribute: Node<'_>, negated: bool) -> bool {
        let mut node = attribute;
        let mut saw_not = false;
        for _ in 0..4 {
            let Some(parent) = node.parent() else {
                return false;
            };
            match parent.kind() {
                "not_operator" => saw_not = true,
                "parenthesized_expression" => {}
                // `if not user.is_authenticated or not user.is_active: return …`.
                "boolean_operator"
                    if parent
                        .child_by_field_id(*field::OPERATOR)
                        .is_some_and(|o| self.text(o) == "or") => {}
                "if_statement" => {
                    let is_condition = parent
                        .child_by_field_id(*field::CONDITION)
                        .is_some_and(|c| c.id() == node.id());
                    let Some(block) = parent.child_by_field_id(*field::CONSEQUENCE) else {
                        return false;
                    };
                    let mut cursor = block.walk();
                    let leaves = block.named_children(&mut cursor).any(|statement| {
                        statement.kind() == "raise_statement"
                            || (statement.kind() == "return_statement"
                                && !self.passes_through(statement))
                            || (statement.kind() == "expression_statement"
                                && statement.named_child(0).is_some_and(|call| {
                                    call.kind() == "call" && self.callee_name(call) == Some("abort")
                                }))
                    });
                    return is_condition && leaves && saw_not == negated;
                }
                _ => return false,
            }
            node = parent;
        }
        false
    }

    /// Whether a `return` hands the request on instead of answering it
    /// (`return self.get_response(request)`, `return await handler(request)`,
    /// `return await call_next(request)`): a middleware letting anonymous callers through.
    fn passes_through(&self, statement: Node<'_>) -> bool {
        let mut value = statement.named_child(0);
        if let Some(v) = value.filter(|v| v.kind() == "await") {
            value = v.named_child(0);
        }
        value.filter(|v| v.kind() == "call").is_some_and(|call| {
            self.callee_name(call).is_some_and(|name| {
                matches!(
                    name,
                    "get_response" | "handler" | "call_next" | "next" | "app"
                )
            })
        })
    }

    /// `abort(401)`, `HTTPException(status_code=403)`, `Response(status=401)`,
    /// `HTTPException(status.HTTP_401_UNAUTHORIZED)`.
    pub(super) fn has_denial_status(&self, a: &Args<'_>) -> bool {
        let denial = |n: Node<'_>| {
            int_value(n, self.src).is_some_and(|v| v == 401 || v == 403) || {
                let t = self.text(n);
                n.kind() == "attribute"
                    && (t.contains("HTTP_401")
                        || t.contains("HTTP_403")
                        || t.ends_with("UNAUTHORIZED")
                        || t.ends_with("FORBIDDEN"))
            }
        };
        a.positional.iter().take(2).any(|p| denial(*p))
            || ["status", "status_code", "code"]
                .iter()
                .any(|k| a.keyword(k).is_some_and(denial))
    }

    /// Whether one side of a comparison is a single fixed key (the side that does not come
    /// from the request).
    pub(super) fn single_side(&self, x: Node<'_>, y: Node<'_>) -> bool {
        if is_from_request(x, self.src) {
            is_single_value(y, self.src)
        } else if is_from_request(y, self.src) {
            is_single_value(x, self.src)
        } else {
            is_single_value(x, self.src) || is_single_value(y, self.src)
        }
    }

    /// The text of the side that is not the presented value.
    pub(super) fn against(&self, x: Node<'_>, y: Node<'_>) -> String {
        let keep = if is_from_request(x, self.src)
            || !is_single_value(x, self.src) && is_single_value(y, self.src)
        {
            y
        } else {
            x
        };
        self.text(keep).to_string()
    }

    pub(super) fn body_of_comparison(&self, node: Node<'_>) -> Option<Body> {
        let t = self.text(node);
        let scopes = [
            "scope", "Scope", "SCOPE", "perm", "Perm", "PERM", "role", "Role", "ROLE",
        ]
        .iter()
        .any(|w| t.contains(w));
        let method = t.contains(".method");
        // `"user_id" not in session`, `g.user is None`, `request.user.is_anonymous`.
        let user = t.contains("user")
            && (t.contains("session") || t.contains("g.user") || t.contains("current_user"));
        if !(scopes || method || user || mentions_secret(t)) {
            return None;
        }
        let mut body = Body {
            mentions_scopes: scopes && is_scope_name(t),
            checks_user: user,
            ..Body::default()
        };
        if node.named_child_count() != 2 {
            return Some(body);
        }
        let (left, right) = (node.named_child(0)?, node.named_child(1)?);
        let mut cursor = node.walk();
        let operator: String = node
            .children_by_field_name("operators", &mut cursor)
            .map(|o| self.text(o))
            .collect::<Vec<_>>()
            .join(" ");
        let lt = self.text(left);
        if lt.ends_with(".method") && (lt.contains("request") || lt.starts_with("req")) {
            for s in strings_in(right, self.src) {
                let m = s.to_ascii_uppercase();
                if HTTP_METHODS.contains(&m.as_str()) && !body.methods.contains(&m) {
                    body.methods.push(m);
                }
            }
        }
        if !matches!(operator.as_str(), "==" | "!=" | "in" | "not in") {
            return Some(body);
        }
        let kl = secret_operand(left, self.src);
        let kr = secret_operand(right, self.src);
        let kind = match (kl, kr) {
            (Some(SecretKind::ApiKey), _) | (_, Some(SecretKind::ApiKey)) => SecretKind::ApiKey,
            // Checking a password at login verifies credentials, not a caller's session.
            (Some(SecretKind::PasswordHash), _) | (_, Some(SecretKind::PasswordHash)) => {
                return Some(body);
            }
            (Some(k), _) | (None, Some(k)) => k,
            (None, None) => return Some(body),
        };
        let other_is_plain = |secret: Option<SecretKind>, other: Node<'_>| {
            secret.is_some() && is_not_a_secret_value(other, self.src)
        };
        if other_is_plain(kl, right) || other_is_plain(kr, left) {
            return Some(body);
        }
        if kind == SecretKind::Signature || kind == SecretKind::Digest {
            body.loose_signature = true;
        }
        body.key_compares.push(KeyCompare {
            location: self.location(node),
            api_key: kind == SecretKind::ApiKey,
            against_single: matches!(operator.as_str(), "==" | "!=")
                && self.single_side(left, right),
            against: self.against(left, right),
        });
        Some(body)
    }

    pub(super) fn body_of_other(&self, node: Node<'_>) -> Option<Body> {
        let mut body = Body::default();
        match node.kind() {
            "raise_statement" => {
                let raised = node.named_child(0)?;
                if matches!(raised.kind(), "identifier" | "attribute")
                    && DENIALS.contains(&last(self.text(raised)))
                {
                    body.denies = true;
                }
            }
            "return_statement" => {
                let value = node.named_child(0)?;
                if value.kind() == "expression_list" {
                    let mut cursor = value.walk();
                    if value
                        .named_children(&mut cursor)
                        .any(|v| int_value(v, self.src).is_some_and(|c| c == 401 || c == 403))
                    {
                        body.denies = true;
                    }
                }
            }
            "attribute" => {
                let attribute = self.text(node.child_by_field_id(*field::ATTRIBUTE)?);
                match attribute {
                    "is_authenticated" | "is_anonymous" | "is_staff" | "is_superuser" => {
                        body.checks_user = true;
                        // `if not request.user.is_authenticated: return …` refuses whatever
                        // it returns, with or without an `else:`.
                        body.denies |= self.guards_and_leaves(node, attribute != "is_anonymous");
                    }
                    "token" => body.mentions_token = true,
                    "POST" | "FILES" | "body" | "data" => {
                        let object = self.text(node.child_by_field_id(*field::OBJECT)?);
                        if object.ends_with("request") {
                            body.reads_body = true;
                        }
                    }
                    _ => return None,
                }
            }
            _ => return None,
        }
        Some(body)
    }
}
