//! The `controls/` rules, one per kind of control record, each registered by one line below.

use crate::rules::{DocumentRule, RecordRule, RepositoryRule};

palisade_core::register_rules! {
    /// The metadata of every control record rule.
    pub static METAS: [RuleMeta];
    /// Rules over the `[controls.*]` records of palisade.toml.
    pub static RECORD_RULES: [RecordRule] = [
        access_review_record,
        audit_record,
        backup_record,
        incident_response_record,
        training_record,
        vendor_record,
    ];
    /// Rules over the documents the records name (their outline of headings).
    pub static DOCUMENT_RULES: [DocumentRule] = [
        dr_runbook_incomplete,
        incident_response_plan_incomplete,
    ];
    /// Rules over the repository's own review and disclosure files.
    pub static REPOSITORY_RULES: [RepositoryRule] = [
        codeowners_missing_coverage,
        security_policy_missing_contact,
    ];
}
