//! Typed options: a rule's `[rules."<id>".options]` and an analyzer's `[analyzers.<name>]`.
//!
//! Each is a Rust struct that derives `Deserialize`, `Serialize` (for its defaults in the
//! schema and the docs), `JsonSchema` and `Default`, with `#[serde(default, deny_unknown_fields,
//! rename_all = "kebab-case")]`. Its doc comments are the options' documentation. The
//! configuration is parsed into that struct once, when `palisade.toml` is read; checks read it
//! through a typed accessor ([`crate::config::RuleSet::options`]) and never parse again.

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// A parsed options value, its type erased (the accessors give it back typed).
pub type OptionsValue = Arc<dyn Any + Send + Sync>;

/// An options struct, as the configuration reader, the schema and the docs need it. Built in a
/// `static` with [`OptionsType::of`].
#[derive(Clone, Copy)]
pub struct OptionsType {
    parse: fn(toml::Table) -> Result<OptionsValue, toml::de::Error>,
    defaults: fn() -> OptionsValue,
    schema: fn() -> serde_json::Value,
}

impl fmt::Debug for OptionsType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OptionsType")
            .field("schema", &(self.schema)())
            .finish()
    }
}

/// One option as `palisade explain` and the docs pages list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionDoc {
    pub name: String,
    /// `Bool`, `Integer`, `String` or `StringList`.
    pub kind: String,
    /// The default, written as TOML.
    pub default: String,
    pub description: String,
}

impl OptionsType {
    pub const fn of<T>() -> OptionsType
    where
        T: DeserializeOwned + Serialize + JsonSchema + Default + Send + Sync + 'static,
    {
        OptionsType {
            parse: parse::<T>,
            defaults: defaults::<T>,
            schema: schema::<T>,
        }
    }

    /// Parses a configured table (unknown keys and wrong types are errors).
    pub fn parse(&self, table: toml::Table) -> Result<OptionsValue, toml::de::Error> {
        (self.parse)(table)
    }

    /// The value when nothing is configured.
    pub fn defaults(&self) -> OptionsValue {
        (self.defaults)()
    }

    /// The JSON schema of the table.
    pub fn schema(&self) -> serde_json::Value {
        (self.schema)()
    }

    /// The names of the options, in the schema's (alphabetical) order.
    pub fn names(&self) -> Vec<String> {
        self.docs().into_iter().map(|d| d.name).collect()
    }

    /// Every option's name, type, default and description, from the schema.
    pub fn docs(&self) -> Vec<OptionDoc> {
        let schema = self.schema();
        let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) else {
            return Vec::new();
        };
        properties
            .iter()
            .map(|(name, p)| OptionDoc {
                name: name.clone(),
                kind: kind_of(p),
                default: p.get("default").map(toml_text).unwrap_or_default(),
                description: p
                    .get("description")
                    .and_then(|d| d.as_str())
                    .unwrap_or_default()
                    .to_string(),
            })
            .collect()
    }

    /// The option in `table` whose value this type rejects, when exactly that key is to blame
    /// (for an error message that points at its line).
    pub fn offending_key<'t>(&self, table: &'t toml::Table) -> Option<&'t str> {
        table.iter().find_map(|(key, value)| {
            let alone = toml::Table::from_iter([(key.clone(), value.clone())]);
            self.parse(alone).is_err().then_some(key.as_str())
        })
    }
}

fn parse<T>(table: toml::Table) -> Result<OptionsValue, toml::de::Error>
where
    T: DeserializeOwned + Send + Sync + 'static,
{
    let value: T = toml::Value::Table(table).try_into()?;
    Ok(Arc::new(value))
}

fn defaults<T: Default + Send + Sync + 'static>() -> OptionsValue {
    Arc::new(T::default())
}

fn schema<T: JsonSchema>() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
        object.remove("title");
    }
    schema
}

/// The docs' name of a property's type.
fn kind_of(property: &serde_json::Value) -> String {
    let type_of = |v: &serde_json::Value| {
        v.get("type")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string()
    };
    match type_of(property).as_str() {
        "boolean" => "Bool".to_string(),
        "integer" => "Integer".to_string(),
        "string" => "String".to_string(),
        "array" if property.get("items").map(type_of).as_deref() == Some("string") => {
            "StringList".to_string()
        }
        other => other.to_string(),
    }
}

/// A JSON default written as TOML (`["a", "b"]`, `true`, `60`).
fn toml_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => format!("{s:?}"),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(toml_text).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options of an example rule.
    #[derive(Clone, Debug, serde::Deserialize, Serialize, JsonSchema, PartialEq)]
    #[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
    struct Example {
        /// Hosts that are fine.
        allow_hosts: Vec<String>,
        /// Skip tests.
        skip_tests: bool,
    }

    impl Default for Example {
        fn default() -> Self {
            Example {
                allow_hosts: vec!["localhost".into()],
                skip_tests: false,
            }
        }
    }

    static EXAMPLE: OptionsType = OptionsType::of::<Example>();

    #[test]
    fn documents_parses_and_blames_one_key() {
        let docs = EXAMPLE.docs();
        assert_eq!(docs[0].name, "allow-hosts");
        assert_eq!(docs[0].kind, "StringList");
        assert_eq!(docs[0].default, "[\"localhost\"]");
        assert_eq!(docs[0].description, "Hosts that are fine.");
        assert_eq!(docs[1].kind, "Bool");
        let parsed = EXAMPLE
            .parse(toml::from_str("skip-tests = true").unwrap())
            .unwrap();
        let parsed = parsed.downcast_ref::<Example>().unwrap();
        assert!(parsed.skip_tests);
        assert_eq!(parsed.allow_hosts, ["localhost"]);
        let bad: toml::Table = toml::from_str("allow-hosts = []\nskip-tests = 1").unwrap();
        assert!(EXAMPLE.parse(bad.clone()).is_err());
        assert_eq!(EXAMPLE.offending_key(&bad), Some("skip-tests"));
    }
}
