//! The Python rules, one per file, each registered by one line below: in `RULES` if it
//! checks one file's syntax tree, in `PROJECT_RULES` if it looks at the endpoint inventory of
//! every file together (routes in one file, blueprints and settings in others).

use crate::endpoints::facts::FileFacts;
use crate::endpoints::{Endpoint, Project};
use crate::model::Model;
use palisade_core::{FileContext, Finding, ProjectContext, RuleMeta, SourceFile, Span};
use std::sync::OnceLock;
use tree_sitter::Node;

palisade_core::register_rules! {
    /// The metadata of every Python rule.
    pub static METAS: [RuleMeta];
    /// Every Python rule that checks one file at a time.
    pub static RULES: [PyRule] = [
        code_injection,
        cors_any_origin_with_credentials,
        database_connection_without_tls,
        debug_mode_enabled,
        django_allowed_hosts_wildcard,
        hardcoded_credential,
        hardcoded_secret_key,
        insecure_cookie_flags,
        jwt_verification_disabled,
        non_constant_time_secret_comparison,
        plaintext_http_url,
        shell_command_injection,
        sql_injection,
        tls_verification_disabled,
        unsafe_deserialization,
        weak_password_hash,
        weak_tls_protocol,
    ];
    /// Every Python project rule.
    pub static PROJECT_RULES: [ProjectRule] = [
        api_key_without_scopes,
        drf_default_allow_any,
        unauthenticated_state_changing_endpoint,
    ];
}

/// A Python rule: its metadata, the node kinds it inspects, and its check.
pub struct PyRule {
    pub meta: &'static RuleMeta,
    /// tree-sitter-python node kinds handed to `check`.
    pub node_kinds: &'static [&'static str],
    pub check: fn(Node<'_>, &mut RuleContext<'_, '_>),
    /// A cheap first test: the rule can only report in a file whose text contains one of
    /// these (empty: in any file). A file without any is not shown to the rule, and the
    /// node kinds only it wants are not collected.
    pub needs_text: &'static [&'static str],
    /// A finer first test, for a rule whose necessary words are too common as parts of
    /// other words for `needs_text` (asked when `needs_text` finds none of its words).
    pub text_test: Option<fn(&str) -> bool>,
}

impl PyRule {
    /// Whether the rule can report anything in a file with this text.
    pub fn may_match(&self, text: &str) -> bool {
        match self.text_test {
            None => self.needs_text.is_empty() || self.needs_text.iter().any(|t| text.contains(t)),
            Some(test) => self.needs_text.iter().any(|t| text.contains(t)) || test(text),
        }
    }
}

/// Whether `text` can hold the name `word` (an identifier token, as an attribute or a
/// variable): an occurrence not inside a longer name. The tokenizer takes every ASCII letter,
/// digit and `_` next to a name into it, so `draw` and `raw_data` hold no `raw`; the one
/// exception is a number right before it (`1raw` lexes as `1` and `raw`), which counts as a
/// boundary, and so does any non-ASCII neighbour (on the safe side).
/// Occurrences in strings and comments count too: it is a first test only.
pub fn has_name(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    let name_byte = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    text.match_indices(word).any(|(at, _)| {
        if bytes.get(at + word.len()).is_some_and(name_byte) {
            return false;
        }
        // The run of name bytes right before: none, or a number's (a run longer than
        // `MAX_RUN` counts as one too, so that a file of one long name stays linear).
        const MAX_RUN: usize = 256;
        let run = bytes[..at]
            .iter()
            .rev()
            .take(MAX_RUN + 1)
            .take_while(|b| name_byte(b))
            .count();
        run == 0 || run > MAX_RUN || bytes[at - run].is_ascii_digit()
    })
}

/// A rule that looks across every Python file of the scan, through the endpoint inventory.
pub struct ProjectRule {
    pub meta: &'static RuleMeta,
    pub check: fn(&ProjectModel, &mut ProjectContext<'_>),
}

/// What project rules see: every file's inventory facts, and the endpoints built from them
/// on first use.
pub struct ProjectModel {
    pub project: Project,
    endpoints: OnceLock<Vec<Endpoint>>,
}

impl ProjectModel {
    pub fn new(files: Vec<FileFacts>) -> ProjectModel {
        ProjectModel {
            project: Project::new(files),
            endpoints: OnceLock::new(),
        }
    }

    pub fn endpoints(&self) -> &[Endpoint] {
        self.endpoints
            .get_or_init(|| crate::endpoints::endpoints(&self.project))
    }
}

/// What a rule's check can see and do.
pub struct RuleContext<'a, 'f> {
    pub model: &'a Model<'a>,
    pub file: &'a SourceFile,
    pub out: &'a mut FileContext<'f>,
    /// Findings whose grade waits for the callers of other files (the project pass settles
    /// them; see [`crate::call_sites`]).
    pub deferred: Vec<crate::call_sites::Deferred>,
}

impl RuleContext<'_, '_> {
    /// The span of a node, in characters.
    pub fn span(&self, node: Node<'_>) -> Span {
        self.file.span(node.start_byte(), node.end_byte())
    }

    pub fn report(&mut self, finding: Finding) {
        self.out.report(finding);
    }

    /// Leaves a finding to the project pass, which grades it by the call sites of
    /// `function`'s `parameter` in other files (dropped when its rule does not run here).
    pub fn defer(
        &mut self,
        mut finding: Finding,
        function: String,
        parameter: String,
        position: Option<usize>,
        origin: String,
    ) {
        if !self.out.wants(finding.rule) {
            return;
        }
        finding = finding.with_path(self.file.path.clone());
        for related in &mut finding.related {
            if related.location.path.is_empty() {
                related.location.path = self.file.path.clone();
            }
        }
        self.deferred.push(crate::call_sites::Deferred {
            finding,
            function,
            parameter,
            position,
            origin,
        });
    }
}
