//! What the rules need from Gradle build files and version catalogs, read from literals
//! (palisade never runs Gradle): the SDK levels, the module's plugin and namespace, and
//! whether a release build type is debuggable.

/// An SDK level as a build file writes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Level {
    Literal(u32),
    /// A reference to a value defined elsewhere (`libs.versions.targetSdk.get().toInt()`,
    /// `rootProject.ext.targetSdkVersion`): the name to look up.
    Named(String),
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Gradle {
    pub target_sdk: Option<Level>,
    pub min_sdk: Option<Level>,
    /// `com.android.application` (true), `com.android.library` (false), unknown (None).
    pub application: Option<bool>,
    pub namespace: Option<String>,
    /// Lines where a release build type sets `debuggable true` / `isDebuggable = true`.
    pub release_debuggable: Vec<u32>,
    /// Every `name = <integer>` (and `name <integer>`) literal, for references from other
    /// files (`ext { targetSdkVersion = 34 }`).
    pub literals: Vec<(String, u32)>,
}

/// Reads a `build.gradle` or `build.gradle.kts`.
pub fn parse(text: &str) -> Gradle {
    let mut g = Gradle::default();
    // Stack of open blocks by name, to know when we are inside `release { … }`.
    let mut blocks: Vec<String> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        if line.contains("com.android.application") {
            g.application = Some(true);
        } else if line.contains("com.android.library") && g.application.is_none() {
            g.application = Some(false);
        }
        if let Some(at) = word_at(line, "namespace")
            && let Some(value) = quoted(&line[at + "namespace".len()..])
        {
            g.namespace = Some(value);
        }
        for (key, slot) in [("targetSdk", 0), ("minSdk", 1)] {
            if let Some(level) = level_after(line, key) {
                if slot == 0 {
                    g.target_sdk.get_or_insert(level);
                } else {
                    g.min_sdk.get_or_insert(level);
                }
            }
        }
        if let Some((name, value)) = int_literal(line) {
            g.literals.push((name, value));
        }
        let in_release = blocks.iter().any(|b| b == "release");
        if in_release {
            let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.starts_with("debuggabletrue")
                || compact.starts_with("debuggable=true")
                || compact.starts_with("isDebuggable=true")
                || compact.starts_with("debuggable(true)")
            {
                g.release_debuggable.push(line_no);
            }
        }
        // Track blocks: `name {`, `getByName("release") {`, `named("release") {`.
        for (pos, c) in line.char_indices() {
            match c {
                '{' => blocks.push(block_name(&line[..pos])),
                '}' => {
                    blocks.pop();
                }
                _ => {}
            }
        }
    }
    g
}

/// Where `key` starts as a word of `line` (not after a letter, `_` or `.`).
fn word_at(line: &str, key: &str) -> Option<usize> {
    line.match_indices(key).map(|(i, _)| i).find(|&i| {
        line[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
    })
}

/// A version catalog's `[versions]` integer literals (`targetSdk = "34"`).
pub fn parse_catalog(text: &str) -> Vec<(String, u32)> {
    let Ok(value) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(versions) = value.get("versions").and_then(|v| v.as_table()) else {
        return Vec::new();
    };
    versions
        .iter()
        .filter_map(|(k, v)| {
            let n = match v {
                toml::Value::String(s) => s.parse().ok()?,
                toml::Value::Integer(i) => u32::try_from(*i).ok()?,
                _ => return None,
            };
            Some((k.clone(), n))
        })
        .collect()
}

fn strip_comment(line: &str) -> &str {
    match line.find("//") {
        // `"https://…"` is not a comment.
        Some(pos) if !line[..pos].ends_with(':') => &line[..pos],
        _ => line,
    }
}

fn quoted(rest: &str) -> Option<String> {
    let start = rest.find(['"', '\''])?;
    let quote = rest[start..].chars().next()?;
    let body = &rest[start + 1..];
    let end = body.find(quote)?;
    Some(body[..end].to_string())
}

fn block_name(before: &str) -> String {
    let before = before.trim();
    if let Some(arg) = quoted(before)
        && (before.starts_with("getByName")
            || before.starts_with("named")
            || before.starts_with("create"))
    {
        return arg;
    }
    before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_string()
}

/// `targetSdk 34`, `targetSdkVersion = 34`, `targetSdkVersion(34)`, `targetSdk =
/// libs.versions.targetSdk.get().toInt()`, `targetSdkVersion rootProject.ext.targetSdk`.
fn level_after(line: &str, key: &str) -> Option<Level> {
    let at = word_at(line, key)?;
    let rest = line[at + key.len()..].split('}').next().unwrap_or("");
    let rest = rest.strip_prefix("Version").unwrap_or(rest);
    let first = rest.chars().next()?;
    if !(first.is_whitespace() || first == '=' || first == '(') {
        return None;
    }
    let value = rest
        .trim_start_matches(|c: char| c.is_whitespace() || c == '=' || c == '(')
        .replace(".get()", "")
        .replace(".toInt()", "")
        .replace(".asProvider()", "")
        .replace(".toInteger()", "")
        .replace(".toString()", "");
    let value = value.trim_end_matches(|c: char| c.is_whitespace() || c == ')' || c == ';');
    if let Ok(n) = value.parse::<u32>() {
        return Some(Level::Literal(n));
    }
    if let Some(q) = quoted(value)
        && let Ok(n) = q.parse::<u32>()
    {
        return Some(Level::Literal(n));
    }
    // The reference's meaningful name: `libs.versions.targetSdk.get().toInt()` → targetSdk;
    // `rootProject.ext.targetSdkVersion` → targetSdkVersion; `Versions.TARGET_SDK` → TARGET_SDK.
    let name = value
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|s| !s.is_empty())?;
    (!name.is_empty() && !name.chars().all(|c| c.is_ascii_digit()))
        .then(|| Level::Named(name.to_string()))
}

/// `name = 34`, `name 34`, `const val NAME = 34`, `set("name", 34)`.
fn int_literal(line: &str) -> Option<(String, u32)> {
    let line = line
        .trim_start_matches("const ")
        .trim_start_matches("val ")
        .trim_start_matches("def ")
        .trim_start_matches("ext.");
    let (name, value) = if let Some(rest) = line.strip_prefix("set(") {
        let name = quoted(rest)?;
        let value = rest.rsplit(',').next()?.trim().trim_end_matches(')').trim();
        (name, value.to_string())
    } else {
        let split = line.find(|c: char| c == '=' || c.is_whitespace())?;
        let name = line[..split].trim().to_string();
        let value = line[split..]
            .trim_start_matches(|c: char| c == '=' || c.is_whitespace())
            .trim_end_matches(';')
            .trim()
            .to_string();
        (name, value)
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return None;
    }
    let n = value.trim_matches(['"', '\'']).parse::<u32>().ok()?;
    Some((name.rsplit('.').next().unwrap_or(&name).to_string(), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_levels_plugin_and_release_debuggable() {
        let g = parse(
            "plugins { id 'com.android.application' }\nandroid {\n  namespace 'org.shop'\n  defaultConfig {\n    minSdk 24\n    targetSdkVersion rootProject.ext.targetSdk\n  }\n  buildTypes {\n    debug { debuggable true }\n    release {\n      debuggable true\n    }\n  }\n}\n",
        );
        assert_eq!(g.application, Some(true));
        assert_eq!(g.namespace.as_deref(), Some("org.shop"));
        assert_eq!(g.min_sdk, Some(Level::Literal(24)));
        assert_eq!(g.target_sdk, Some(Level::Named("targetSdk".into())));
        assert_eq!(g.release_debuggable, vec![11]);
        let k = parse(
            "android {\n buildTypes {\n  getByName(\"release\") {\n   isDebuggable = true\n  }\n }\n defaultConfig { targetSdk = libs.versions.targetSdk.get().toInt() }\n}\n",
        );
        assert_eq!(k.release_debuggable, vec![4]);
        assert_eq!(k.target_sdk, Some(Level::Named("targetSdk".into())));
        assert_eq!(
            parse("ext {\n targetSdkVersion = 33\n}").literals,
            vec![("targetSdkVersion".into(), 33)]
        );
        assert_eq!(
            parse_catalog("[versions]\ntargetSdk = \"34\"\n"),
            vec![("targetSdk".into(), 34)]
        );
    }
}
