//! The cross-file half of `python/hardcoded-secret-key`: a literal constant of one module
//! used as a JWT key in another (`from .constants import KEY` … `jwt.encode(claims, KEY)`).
//!
//! The file rule sees the use but not the literal, and the constant's own file shows a name
//! that says nothing (`KEY`, `TOKEN_SALT`). Each file records what the project pass needs —
//! its module-level constants holding key-like literals, and the imported names it gives
//! PyJWT or python-jose as a key — and the project pass joins them through the import,
//! reporting where the literal is. Names the file rule already reports where they are
//! assigned (`SECRET_KEY`, `JWT_SECRET`, `HMAC_KEY`, `*_SECRET_KEY`) are not recorded.

use crate::credentials::{could_be_secret, is_signing_secret_name};
use crate::endpoints::facts::FileFacts;
use crate::grammar::field;
use crate::model::{MODULE, Model, scope_of};
use crate::rules::hardcoded_secret_key::{META, is_jwt_function, is_secret_name};
use crate::values::{argument, enclosing_class, literal_string};
use palisade_core::{Finding, Location, ProjectContext, SourceFile, Span};
use palisade_knowledge::roles::{SettingsFlavor, is_test_code, settings_flavor};
use std::collections::HashSet;
use tree_sitter::Node;

/// What one file contributes.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SecretFacts {
    /// Module-level constants holding a literal that could be a key.
    pub constants: Vec<LiteralConstant>,
    /// Imported names given to a JWT function as its key.
    pub key_uses: Vec<KeyUse>,
}

impl SecretFacts {
    pub fn is_empty(&self) -> bool {
        self.constants.is_empty() && self.key_uses.is_empty()
    }
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct LiteralConstant {
    pub name: String,
    pub assignment: Span,
    pub literal: Span,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct KeyUse {
    /// The qualified name of the imported constant (`api.constants.KEY`).
    pub qualified: String,
    /// The key argument.
    pub at: Span,
    /// The function, as written (`jwt.encode`).
    pub callee: String,
}

/// The constants and key uses of one file (not of test code, whose keys sign nothing
/// served).
pub fn collect<'t>(
    model: &Model<'t>,
    file: &SourceFile,
    assignments: &[Node<'t>],
    calls: &[Node<'t>],
) -> SecretFacts {
    let mut facts = SecretFacts::default();
    if is_test_code(&file.path) || settings_flavor(&file.path) == Some(SettingsFlavor::Test) {
        return facts;
    }
    for &assignment in assignments {
        if scope_of(assignment) != MODULE || enclosing_class(assignment).is_some() {
            continue;
        }
        let (Some(left), Some(right)) = (
            assignment.child_by_field_id(*field::LEFT),
            assignment.child_by_field_id(*field::RIGHT),
        ) else {
            continue;
        };
        let name = model.text(left);
        if left.kind() != "identifier"
            || is_secret_name(name)
            || is_signing_secret_name(name)
            || !literal_string(model, right).is_some_and(|v| could_be_secret(&v))
        {
            continue;
        }
        facts.constants.push(LiteralConstant {
            name: name.to_string(),
            assignment: file.span(assignment.start_byte(), assignment.end_byte()),
            literal: file.span(right.start_byte(), right.end_byte()),
        });
    }
    for &call in calls {
        let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
            continue;
        };
        if !model.resolve(function).is_some_and(|r| is_jwt_function(&r)) {
            continue;
        }
        let Some(key) = argument(model, call, 1, "key") else {
            continue;
        };
        let Some(dotted) = model.dotted(key) else {
            continue;
        };
        if !model.is_imported(&dotted) || !model.values(scope_of(key), &dotted).is_empty() {
            continue;
        }
        facts.key_uses.push(KeyUse {
            qualified: model.qualify(&dotted),
            at: file.span(key.start_byte(), key.end_byte()),
            callee: model.text(function).to_string(),
        });
    }
    facts
}

/// Whether the module `module` is the one `wanted` names, allowing for a scan root above or
/// below the package root (`backend.app.core` vs `app.core`).
fn same_module(module: &str, wanted: &str) -> bool {
    module == wanted
        || module.ends_with(&format!(".{wanted}"))
        || wanted.ends_with(&format!(".{module}"))
}

/// Reports each constant that another file uses as a JWT key, once, where its literal is.
pub fn check(files: &[FileFacts], cx: &mut ProjectContext<'_>) {
    let mut reported: HashSet<(String, String)> = HashSet::new();
    for user in files {
        for key_use in &user.secrets.key_uses {
            let Some((module, name)) = key_use.qualified.rsplit_once('.') else {
                continue;
            };
            for owner in files.iter().filter(|f| same_module(&f.module, module)) {
                let Some(constant) = owner.secrets.constants.iter().find(|c| c.name == name) else {
                    continue;
                };
                if !reported.insert((owner.path.clone(), name.to_string())) {
                    continue;
                }
                let finding = Finding::new(
                    &META,
                    constant.assignment,
                    format!(
                        "`{name}` is a literal in the source, and `{}` uses it as a JWT key: anyone with the repository can mint valid tokens",
                        key_use.callee
                    ),
                )
                .with_path(owner.path.clone())
                .with_secret(constant.literal)
                .with_related_in(
                    Location {
                        path: user.path.clone(),
                        span: key_use.at,
                    },
                    format!("`{name}` is used as the key here"),
                );
                cx.report(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_module;

    #[test]
    fn modules_match_across_scan_roots() {
        assert!(same_module("api.constants", "api.constants"));
        assert!(same_module("backend.app.core.config", "app.core.config"));
        assert!(same_module("app.core.config", "backend.app.core.config"));
        assert!(!same_module("api.constants", "api.constant"));
        assert!(!same_module("myapi.constants", "api.constants"));
    }
}
