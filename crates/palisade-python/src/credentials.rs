//! What the hard-coded secret rules (`python/hardcoded-secret-key`,
//! `python/hardcoded-credential`) agree on: which names beyond the framework settings hold a
//! signing or API secret, which literals could be one (not a placeholder, not the name of an
//! environment variable), and which project helpers read the environment with a fallback.

use crate::grammar::field;
use crate::model::Model;
use palisade_knowledge::secrets::{
    SecretKind, Strength, cannot_be_secret, is_placeholder, looks_like_key_material, secret_name,
};
use tree_sitter::Node;

/// Whether an UPPER_CASE constant's name says it holds a signing or service secret beyond
/// the framework settings: `HMAC_KEY`, `SIGNING_KEY`, `STRIPE_SECRET_KEY`,
/// `WEBHOOK_SECRET`, `OAUTH_CLIENT_SECRET`.
pub fn is_signing_secret_name(name: &str) -> bool {
    name.chars().all(|c| !c.is_ascii_lowercase())
        && secret_name(name)
            .is_some_and(|s| s.kind == SecretKind::Secret && s.strength == Strength::Strong)
}

/// Whether a literal could be a working secret: long and random enough to be key material,
/// not a placeholder (`changeme`, `your-secret-here`, `${X}`), and not itself the name of a
/// variable (`"STRIPE_SECRET_KEY"`, `"settings.HMAC_KEY"`).
pub fn could_be_secret(value: &str) -> bool {
    let names_a_variable = value
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.')
        || value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
    // An alphabet to draw keys from (`SECRET_KEY_CHARSET = "abcdefgh…0123456789"`).
    let alphabet = ["abcdefgh", "ABCDEFGH", "0123456789"]
        .iter()
        .any(|run| value.contains(run));
    !alphabet
        && !cannot_be_secret(value)
        && !is_placeholder(value)
        && looks_like_key_material(value)
        && !names_a_variable
}

/// Whether a call is a project's own helper that reads a setting or the environment with a
/// fallback: its name says so (`get_env_variable`, `env_str`, `get_setting`,
/// `config.get`, `settings_value`) and its first argument is a literal variable name.
pub fn is_env_helper(model: &Model<'_>, call: Node<'_>) -> bool {
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return false;
    };
    // Asked of every call: the last two names of the chain, read from the nodes without
    // building the dotted name (which only tells whether the callee is a pure name chain).
    let (last, owner) = match function.kind() {
        "identifier" => (model.text(function), ""),
        "attribute" => {
            let (Some(member), Some(object)) = (
                function.child_by_field_id(*field::ATTRIBUTE),
                function.child_by_field_id(*field::OBJECT),
            ) else {
                return false;
            };
            let owner = match object.kind() {
                "identifier" => object,
                "attribute" => match object.child_by_field_id(*field::ATTRIBUTE) {
                    Some(name) => name,
                    None => return false,
                },
                _ => return false,
            };
            (model.text(member), model.text(owner))
        }
        _ => return false,
    };
    let says = |w: &str| {
        ["env", "setting", "config"].iter().any(|k| {
            w.as_bytes()
                .windows(k.len())
                .any(|s| s.eq_ignore_ascii_case(k.as_bytes()))
        })
    };
    (says(last) || (last.eq_ignore_ascii_case("get") && says(owner)))
        && model.dotted(function).is_some()
}
