//! The live analyzer's section of `palisade.toml`, `[live]`: the targets that
//! `palisade scan --live` audits beside the repository. Nothing here is contacted without
//! `--live` (or `--online --target`).
//!
//! `[live]` is a top-level table the analyzer owns ([`TABLE`]), read by the core from its one
//! parse of the file. The earlier spelling `[analyzers.live]` (the analyzer's settings
//! section) still works as an alias, so existing files keep their targets; a file that gives
//! both is an error at the `[live]` table, since which list wins would be a guess.

use palisade_core::config::{ConfigTable, TableError};
use palisade_core::options::OptionsValue;

/// Live targets of `palisade scan --live`, under `[live]` (or its alias `[analyzers.live]`).
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

/// The `[live]` table of `palisade.toml`; read the result with
/// `config.table::<LiveConfig>(TABLE.key)`.
pub const TABLE: ConfigTable = ConfigTable {
    key: "live",
    read: read_table,
    schema: table_schema,
};

fn read_table(
    value: toml::Spanned<toml::de::DeValue<'_>>,
    text: &str,
) -> Result<OptionsValue, TableError> {
    let span = value.span();
    if let Some(alias) = alias_span(text) {
        let line = text[..alias.start].matches('\n').count() + 1;
        return Err(TableError {
            span: Some(span),
            message: format!(
                "the live targets are given twice, here and under [analyzers.live] (line {line}): \
                 keep them under [live] only"
            ),
        });
    }
    let config: LiveConfig = serde::Deserialize::deserialize(toml::de::ValueDeserializer::from(
        value,
    ))
    .map_err(|e: toml::de::Error| TableError {
        span: e.span().or(Some(span)),
        message: format!("[live]: {}", e.message().trim()),
    })?;
    Ok(std::sync::Arc::new(config))
}

/// Where the file has an `[analyzers.live]` table (the alias of `[live]`), if it has one.
fn alias_span(text: &str) -> Option<std::ops::Range<usize>> {
    // The core parsed this same text before handing the table over, so this parse succeeds.
    let document = toml::de::DeTable::parse(text).ok()?;
    let analyzers = document.get_ref().get("analyzers")?;
    match analyzers.get_ref() {
        toml::de::DeValue::Table(table) => table.get("live").map(toml::Spanned::span),
        _ => None,
    }
}

fn table_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(LiveConfig)).unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
        object.insert(
            "description".to_string(),
            serde_json::Value::String(
                "Live targets audited by `palisade scan --live` (never contacted without it)."
                    .to_string(),
            ),
        );
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::config::Config;

    fn sections() -> Vec<palisade_core::config::SettingsSection> {
        vec![palisade_core::config::SettingsSection {
            analyzer: "live",
            settings: Some(palisade_core::OptionsType::of::<LiveConfig>()),
            table: Some(TABLE),
        }]
    }

    fn parse(text: &str) -> Result<Config, palisade_core::config::ConfigError> {
        Config::parse(
            text,
            std::path::Path::new("palisade.toml"),
            &[],
            &sections(),
        )
    }

    #[test]
    fn live_table_is_read() {
        let config =
            parse("[live]\nurls = [\"https://a.example/\"]\nmysql = [\"mysql://u@db\"]\n").unwrap();
        let live = config.table::<LiveConfig>("live").unwrap();
        assert_eq!(live.targets(), ["https://a.example/", "mysql://u@db"]);
    }

    #[test]
    fn unknown_key_is_located() {
        let err = parse("# targets\n[live]\nurl = [\"https://a.example/\"]\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("url"), "{err}");
    }

    #[test]
    fn both_spellings_are_an_error_at_live() {
        let text = "[analyzers.live]\nurls = [\"https://a.example/\"]\n\n[live]\nurls = [\"https://b.example/\"]\n";
        let err = parse(text).unwrap_err();
        assert!(err.line.is_some_and(|l| l >= 4), "{err}");
        assert!(err.message.contains("[analyzers.live] (line 1)"), "{err}");
    }

    #[test]
    fn alias_alone_is_not_an_error() {
        let config = parse("[analyzers.live]\nurls = [\"https://a.example/\"]\n").unwrap();
        assert!(config.table::<LiveConfig>("live").is_none());
    }
}
