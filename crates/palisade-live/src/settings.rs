//! The live analyzer's section of `palisade.toml`, `[analyzers.live]`: the targets that
//! `palisade scan --live` audits beside the repository. Nothing here is contacted without
//! `--live` (or `--online --target`).

/// Live targets of `palisade scan --live`, under `[analyzers.live]`.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LiveConfig {
    /// http:// or https:// URLs probed by `palisade scan --live` (headers, redirect, certificate).
    pub urls: Vec<String>,
    /// `mysql://user@host:port` servers audited by `palisade scan --live` (password from MYSQL_PWD; never written here).
    pub mysql: Vec<String>,
}

impl LiveConfig {
    /// Every target, URLs first.
    pub fn targets(&self) -> Vec<String> {
        self.urls.iter().chain(&self.mysql).cloned().collect()
    }
}
