//! The `ci/` rules, one per file, each registered by one line below.

use crate::rules::{PipelineRule, WorkflowRule};

palisade_core::register_rules! {
    /// The metadata of every CI rule.
    pub static METAS: [RuleMeta];
    /// Rules over one GitHub Actions workflow.
    pub static WORKFLOW_RULES: [WorkflowRule] = [
        github_action_not_pinned,
        github_script_injection,
        github_secret_exposure,
        github_self_hosted_runner_public_trigger,
        github_token_permissions_unset,
        github_token_write_all,
        github_untrusted_checkout,
    ];
    /// Rules over one GitLab CI file.
    pub static PIPELINE_RULES: [PipelineRule] = [
        gitlab_image_not_pinned,
        gitlab_secret_in_merge_request_pipeline,
    ];
}
