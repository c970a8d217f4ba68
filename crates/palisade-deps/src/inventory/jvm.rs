//! JVM and Android: `pom.xml` (literal versions and `${properties}`), `gradle.lockfile`
//! and Gradle version catalogs (`gradle/libs.versions.toml`).

use super::{Declared, Ecosystem, FileFacts, Package, Role, line_at};
use palisade_core::SourceFile;
use std::collections::BTreeMap;

const ECO: Ecosystem = Ecosystem::Maven;

/// Whether a Maven version is a range (`[1.0,2.0)`) or a moving label, not one version.
fn is_range(version: &str) -> bool {
    version.starts_with('[')
        || version.starts_with('(')
        || version.contains(',')
        || matches!(version, "LATEST" | "RELEASE")
        || version.ends_with('+')
}

/// Reads `pom.xml`: each `<dependency>` (in `dependencies` and `dependencyManagement`) with
/// its version, `${name}` resolved from `<properties>` and `project.version`. A dependency
/// whose version this file's `dependencyManagement` gives is checked at that entry; one whose
/// version is left to a parent POM or an imported BOM is not resolved yet, and the file gets
/// one notice naming them (NOT CHECKED), never a silent pass.
pub fn read_pom(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, "pom.xml", Role::Lockfile, Some(ECO));
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = match roxmltree::Document::parse_with_options(&file.text, options) {
        Ok(d) => d,
        Err(e) => {
            facts.problem(Some(e.pos().row), format!("pom.xml: {e}"));
            return facts;
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "project" {
        return facts;
    }
    fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
        node.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
    }
    let text_of = |node: Option<roxmltree::Node<'_, '_>>| {
        node.and_then(|n| n.text()).map(|t| t.trim().to_string())
    };
    let mut properties: BTreeMap<String, String> = BTreeMap::new();
    if let Some(props) = child(root, "properties") {
        for p in props.children().filter(|c| c.is_element()) {
            properties.insert(
                p.tag_name().name().to_string(),
                p.text().unwrap_or("").trim().to_string(),
            );
        }
    }
    if let Some(v) = text_of(child(root, "version")) {
        properties.insert("project.version".to_string(), v);
    }
    let resolve = |value: &str| -> Option<String> {
        let mut out = value.to_string();
        // A few rounds for properties defined by other properties.
        for _ in 0..5 {
            let Some(start) = out.find("${") else {
                return Some(out);
            };
            let end = out[start..].find('}')? + start;
            let name = &out[start + 2..end];
            let value = properties.get(name)?;
            out = format!("{}{}{}", &out[..start], value, &out[end + 1..]);
        }
        (!out.contains("${")).then_some(out)
    };
    // Versions this file manages itself (`dependencyManagement`): a dependency that leaves
    // its version to them is already checked at the managed entry.
    let managed: std::collections::BTreeSet<String> = child(root, "dependencyManagement")
        .and_then(|m| child(m, "dependencies"))
        .into_iter()
        .flat_map(|d| d.children())
        .filter(|d| d.is_element() && d.tag_name().name() == "dependency")
        .filter(|d| child(*d, "version").is_some())
        .filter_map(|d| {
            Some(format!(
                "{}:{}",
                text_of(child(d, "groupId"))?,
                text_of(child(d, "artifactId"))?
            ))
        })
        .collect();
    let mut unresolved: Vec<String> = Vec::new();
    for dep in root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "dependency")
    {
        let parent = dep.parent().map(|p| p.tag_name().name()).unwrap_or("");
        if parent != "dependencies" {
            continue;
        }
        let (Some(group), Some(artifact)) = (
            text_of(child(dep, "groupId")),
            text_of(child(dep, "artifactId")),
        ) else {
            continue;
        };
        let version_node = child(dep, "version");
        let line = doc
            .text_pos_at(version_node.unwrap_or(dep).range().start)
            .row;
        let name = format!("{group}:{artifact}");
        let Some(raw) = text_of(version_node) else {
            if !managed.contains(&name) {
                unresolved.push(format!("{name} (line {line})"));
            }
            continue;
        };
        match resolve(&raw) {
            Some(v) if is_range(&v) => facts.declared.push(Declared {
                ecosystem: ECO,
                name,
                spec: v,
                line,
            }),
            Some(v) => {
                let mut p = Package::new(ECO, &name, &v, line);
                p.direct = Some(true);
                p.dev = text_of(child(dep, "scope")).as_deref() == Some("test");
                facts.packages.push(p);
            }
            None => facts.problem(
                Some(line),
                format!("{name}: version `{raw}` names a property this file does not define"),
            ),
        }
    }
    if !unresolved.is_empty() {
        let n = unresolved.len();
        let shown: Vec<&str> = unresolved.iter().take(5).map(String::as_str).collect();
        facts.skipped(format!(
            "{n} dependenc{} NOT CHECKED for known vulnerabilities: {} version comes from a parent POM or an imported BOM, which palisade does not resolve yet: {}{}",
            if n == 1 { "y" } else { "ies" },
            if n == 1 { "its" } else { "their" },
            shown.join(", "),
            if n > 5 { format!(" and {} more", n - 5) } else { String::new() }
        ));
    }
    facts
}

/// Reads `gradle.lockfile`: `group:artifact:version=configurations` lines.
pub fn read_gradle_lockfile(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, "gradle.lockfile", Role::Lockfile, Some(ECO));
    for (i, raw) in file.text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let coordinates = line.split('=').next().unwrap_or(line);
        let parts: Vec<&str> = coordinates.split(':').collect();
        match parts.as_slice() {
            [group, artifact, version] if !version.is_empty() => {
                let mut p = Package::new(ECO, &format!("{group}:{artifact}"), version, n);
                p.dev = line
                    .split_once('=')
                    .is_some_and(|(_, c)| c.split(',').all(|c| c.to_lowercase().contains("test")));
                facts.packages.push(p);
            }
            _ => facts.problem(Some(n), format!("unreadable line `{line}`")),
        }
    }
    facts
}

/// Reads a Gradle version catalog: `[libraries]` as `"g:a:v"` strings or tables of `module`
/// (or `group` + `name`) with `version` or `version.ref` into `[versions]`.
pub fn read_version_catalog(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, "libs.versions.toml", Role::Lockfile, Some(ECO));
    let doc: toml::Table = match toml::from_str(&file.text) {
        Ok(d) => d,
        Err(e) => {
            let line = e.span().map(|s| line_at(file, s.start));
            facts.problem(line, format!("libs.versions.toml: {}", e.message().trim()));
            return facts;
        }
    };
    let versions = doc.get("versions").and_then(|v| v.as_table());
    let version_text = |v: &toml::Value| -> Option<String> {
        match v {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Table(t) => t
                .get("strictly")
                .or_else(|| t.get("require"))
                .or_else(|| t.get("prefer"))
                .and_then(|s| s.as_str())
                .map(str::to_string),
            _ => None,
        }
    };
    let Some(libraries) = doc.get("libraries").and_then(|l| l.as_table()) else {
        return facts;
    };
    for (alias, lib) in libraries {
        let line = key_line(&file.text, "libraries", alias);
        let (module, version) = match lib {
            toml::Value::String(s) => {
                let parts: Vec<&str> = s.split(':').collect();
                match parts.as_slice() {
                    [g, a, v] => (format!("{g}:{a}"), Some(v.to_string())),
                    [g, a] => (format!("{g}:{a}"), None),
                    _ => {
                        facts.problem(Some(line), format!("`{alias}`: unreadable coordinates"));
                        continue;
                    }
                }
            }
            toml::Value::Table(t) => {
                let module = match (
                    t.get("module").and_then(|m| m.as_str()),
                    t.get("group").and_then(|g| g.as_str()),
                    t.get("name").and_then(|n| n.as_str()),
                ) {
                    (Some(m), _, _) => m.to_string(),
                    (None, Some(g), Some(n)) => format!("{g}:{n}"),
                    _ => {
                        facts.problem(Some(line), format!("`{alias}`: no module"));
                        continue;
                    }
                };
                let version = match t.get("version") {
                    Some(toml::Value::Table(v)) if v.contains_key("ref") => v
                        .get("ref")
                        .and_then(|r| r.as_str())
                        .and_then(|r| versions?.get(r))
                        .and_then(version_text),
                    Some(v) => version_text(v),
                    None => None,
                };
                (module, version)
            }
            _ => continue,
        };
        // A library without a version takes it from a platform (BOM): not known here.
        let Some(version) = version else { continue };
        if is_range(&version) {
            facts.declared.push(Declared {
                ecosystem: ECO,
                name: module,
                spec: version,
                line,
            });
        } else {
            let mut p = Package::new(ECO, &module, &version, line);
            p.direct = Some(true);
            facts.packages.push(p);
        }
    }
    facts
}

/// Reads the literal coordinates of `build.gradle` and `build.gradle.kts`: a dependency line
/// (`implementation "g:a:v"`, `api("g:a:v")`, `classpath 'g:a:v'`) whose quoted
/// `group:artifact:version` has no interpolation. Versions from variables, catalogs or
/// platforms are not known here and are left out.
pub fn read_gradle_build(file: &SourceFile) -> FileFacts {
    let name = super::file_name(&file.path).to_string();
    let mut facts = FileFacts::new(&file.path, &name, Role::Manifest, Some(ECO));
    for (i, raw) in file.text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = raw.trim_start();
        let keyword: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let rest = line[keyword.len()..].trim_start();
        if keyword.is_empty()
            || !(rest.starts_with('(') || rest.starts_with('"') || rest.starts_with('\''))
        {
            continue;
        }
        let rest = rest.trim_start_matches('(').trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            continue;
        };
        let literal = &rest[1..1 + end];
        if literal.contains('$') {
            continue;
        }
        let parts: Vec<&str> = literal.split(':').collect();
        let [group, artifact, version, ..] = parts.as_slice() else {
            continue;
        };
        let word = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        };
        if !word(group) || !word(artifact) || version.is_empty() {
            continue;
        }
        let coordinates = format!("{group}:{artifact}");
        if is_range(version) || version.starts_with("latest.") {
            facts.declared.push(Declared {
                ecosystem: ECO,
                name: coordinates,
                spec: version.to_string(),
                line: n,
            });
            continue;
        }
        let mut p = Package::new(ECO, &coordinates, version, n);
        p.direct = Some(true);
        p.dev = keyword.to_ascii_lowercase().contains("test");
        facts.packages.push(p);
    }
    facts
}

/// The line of `key =` inside the TOML table `[section]`, or 1.
fn key_line(text: &str, section: &str, key: &str) -> u32 {
    let header = format!("[{section}]");
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            inside = t == header;
            continue;
        }
        if inside {
            let k = t.split('=').next().unwrap_or("").trim().trim_matches('"');
            if k == key && t.contains('=') {
                return i as u32 + 1;
            }
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pins(f: &FileFacts) -> Vec<(&str, &str, u32)> {
        f.packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line))
            .collect()
    }

    #[test]
    fn pom_properties_and_ranges() {
        let f = read_pom(&SourceFile::in_memory(
            "pom.xml",
            "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <version>1.0</version>\n  <properties>\n    <log4j.version>2.14.1</log4j.version>\n  </properties>\n  <dependencies>\n    <dependency>\n      <groupId>org.apache.logging.log4j</groupId>\n      <artifactId>log4j-core</artifactId>\n      <version>${log4j.version}</version>\n    </dependency>\n    <dependency>\n      <groupId>com.x</groupId>\n      <artifactId>y</artifactId>\n      <version>[1.0,2.0)</version>\n    </dependency>\n    <dependency>\n      <groupId>com.x</groupId>\n      <artifactId>z</artifactId>\n      <version>${missing}</version>\n    </dependency>\n  </dependencies>\n</project>\n",
        ));
        assert_eq!(
            pins(&f),
            [("org.apache.logging.log4j:log4j-core", "2.14.1", 10)]
        );
        assert_eq!(f.declared[0].line, 15);
        assert_eq!(f.problems[0].line, Some(20));
        // Versions left to this file's dependencyManagement are checked there; those left
        // to a parent or a BOM are named in one notice.
        let f = read_pom(&SourceFile::in_memory(
            "pom.xml",
            "<project>\n  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>\n  <dependencyManagement><dependencies><dependency><groupId>com.x</groupId><artifactId>managed</artifactId><version>1.2</version></dependency></dependencies></dependencyManagement>\n  <dependencies>\n    <dependency><groupId>com.x</groupId><artifactId>managed</artifactId></dependency>\n    <dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId></dependency>\n  </dependencies>\n</project>\n",
        ));
        assert_eq!(pins(&f), [("com.x:managed", "1.2", 3)]);
        assert_eq!(f.problems.len(), 1, "{:?}", f.problems);
        assert!(f.problems[0].skipped);
        assert!(
            f.problems[0]
                .message
                .starts_with("1 dependency NOT CHECKED for known vulnerabilities: its version comes from a parent POM"),
            "{}",
            f.problems[0].message
        );
        assert!(
            f.problems[0]
                .message
                .contains("org.yaml:snakeyaml (line 6)")
        );
        let broken = read_pom(&SourceFile::in_memory(
            "pom.xml",
            "<project>\n<a>\n</project>",
        ));
        assert_eq!(broken.problems[0].line, Some(3));
    }

    #[test]
    fn gradle_build_literals() {
        let f = read_gradle_build(&SourceFile::in_memory(
            "app/build.gradle.kts",
            "dependencies {\n    implementation(\"com.squareup.okhttp3:okhttp:3.12.0\")\n    api 'com.google.code.gson:gson:2.8.5'\n    implementation(\"org.x:y:$version\")\n    testImplementation(\"junit:junit:4.12\")\n    implementation(\"org.z:dyn:1.+\")\n    implementation(libs.okhttp)\n    // implementation(\"a:b:1\") is a comment\n}\n",
        ));
        assert_eq!(
            pins(&f),
            [
                ("com.squareup.okhttp3:okhttp", "3.12.0", 2),
                ("com.google.code.gson:gson", "2.8.5", 3),
                ("junit:junit", "4.12", 5)
            ]
        );
        assert!(f.packages[2].dev);
        assert_eq!(f.declared[0].spec, "1.+");
    }

    #[test]
    fn gradle_lockfile_and_catalog() {
        let f = read_gradle_lockfile(&SourceFile::in_memory(
            "gradle.lockfile",
            "# comment\ncom.google.code.gson:gson:2.8.5=compileClasspath,runtimeClasspath\njunit:junit:4.12=testCompileClasspath\nempty=\n",
        ));
        assert_eq!(
            pins(&f),
            [
                ("com.google.code.gson:gson", "2.8.5", 2),
                ("junit:junit", "4.12", 3)
            ]
        );
        assert!(f.packages[1].dev);
        let c = read_version_catalog(&SourceFile::in_memory(
            "gradle/libs.versions.toml",
            "[versions]\nokhttp = \"3.12.0\"\n\n[libraries]\nokhttp = { module = \"com.squareup.okhttp3:okhttp\", version.ref = \"okhttp\" }\ngson = \"com.google.code.gson:gson:2.8.5\"\nbom = { group = \"x\", name = \"y\" }\n",
        ));
        assert_eq!(
            pins(&c),
            [
                ("com.google.code.gson:gson", "2.8.5", 6),
                ("com.squareup.okhttp3:okhttp", "3.12.0", 5)
            ]
        );
    }
}
