//! The `controls/` rules, one per kind of control record, each registered by one line below.

use crate::rules::RecordRule;

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
}
