//! JVM and Android: `pom.xml` (literal versions and `${properties}`, with what a module
//! leaves to its parent POMs and imported BOMs resolved across the scan's pom.xml files by
//! [`resolve_poms`]), `gradle.lockfile` and Gradle version catalogs
//! (`gradle/libs.versions.toml`).

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

/// What a `pom.xml` says that its modules and its own unresolved dependencies need: its
/// coordinates, its parent, its properties, its `dependencyManagement`, and the dependencies
/// whose version this file alone cannot give.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PomModel {
    /// `groupId` (inherited from the parent when the file has none), `artifactId`,
    /// `version` (likewise inherited), as written.
    pub group: Option<String>,
    pub artifact: Option<String>,
    pub version: Option<String>,
    pub parent: Option<ParentRef>,
    /// `<properties>`, as written.
    pub properties: BTreeMap<String, String>,
    /// `dependencyManagement` entries, in order, versions as written.
    pub managed: Vec<Managed>,
    /// Dependencies whose version needs a parent POM or an imported BOM.
    pub pending: Vec<Pending>,
}

/// A `<parent>`.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ParentRef {
    pub group: String,
    pub artifact: String,
    pub version: Option<String>,
    /// Where the parent's pom.xml is, relative to this file's folder (`../pom.xml` unless
    /// `<relativePath>` says otherwise; empty when it says the parent is not in the tree).
    pub relative_path: String,
}

/// A `dependencyManagement` entry.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Managed {
    pub group: String,
    pub artifact: String,
    pub version: Option<String>,
    /// `<scope>import</scope>`: a BOM whose own `dependencyManagement` is imported.
    pub import: bool,
}

/// A dependency this file alone cannot give a version for.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    /// `group:artifact`.
    pub name: String,
    /// The version as written (`${spring.version}`), or `None` when it is left to a
    /// `dependencyManagement` entry.
    pub version: Option<String>,
    pub line: u32,
    pub dev: bool,
}

/// `${name}` references of `value` replaced from `properties` (a few rounds, for properties
/// made of other properties); `None` when one is not defined.
fn interpolate(value: &str, properties: &BTreeMap<String, String>) -> Option<String> {
    let mut out = value.to_string();
    for _ in 0..8 {
        let Some(start) = out.find("${") else {
            return Some(out);
        };
        let end = out[start..].find('}')? + start;
        let name = &out[start + 2..end];
        let value = properties.get(name)?;
        out = format!("{}{}{}", &out[..start], value, &out[end + 1..]);
    }
    (!out.contains("${")).then_some(out)
}

/// The built-in properties of a model (`project.version`, `project.groupId`, …) beside its
/// own.
fn builtin_properties(model: &PomModel, properties: &mut BTreeMap<String, String>) {
    let mut set = |names: &[&str], value: &Option<String>| {
        if let Some(v) = value {
            for name in names {
                properties.insert(name.to_string(), v.clone());
            }
        }
    };
    set(
        &["project.version", "pom.version", "version"],
        &model.version,
    );
    set(&["project.groupId", "pom.groupId", "groupId"], &model.group);
    set(&["project.artifactId", "pom.artifactId"], &model.artifact);
    if let Some(parent) = &model.parent {
        set(
            &["project.parent.version", "parent.version"],
            &parent.version,
        );
        set(
            &["project.parent.groupId", "parent.groupId"],
            &Some(parent.group.clone()),
        );
    }
}

/// Reads `pom.xml`: each `<dependency>` (in `dependencies` and `dependencyManagement`) with
/// its version, `${name}` resolved from `<properties>` and `project.version`. A dependency
/// whose version this file's `dependencyManagement` gives is checked at that entry; one whose
/// version is left to a parent POM or an imported BOM, or names a property this file does
/// not define, waits for [`resolve_poms`], which reads the parents and BOMs of the scan.
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
    let mut model = PomModel {
        artifact: text_of(child(root, "artifactId")),
        ..PomModel::default()
    };
    if let Some(parent) = child(root, "parent")
        && let (Some(group), Some(artifact)) = (
            text_of(child(parent, "groupId")),
            text_of(child(parent, "artifactId")),
        )
    {
        let relative_path = match child(parent, "relativePath") {
            Some(node) => node.text().unwrap_or("").trim().to_string(),
            None => "../pom.xml".to_string(),
        };
        model.parent = Some(ParentRef {
            group,
            artifact,
            version: text_of(child(parent, "version")),
            relative_path,
        });
    }
    model.group =
        text_of(child(root, "groupId")).or_else(|| model.parent.as_ref().map(|p| p.group.clone()));
    model.version = text_of(child(root, "version"))
        .or_else(|| model.parent.as_ref().and_then(|p| p.version.clone()));
    if let Some(props) = child(root, "properties") {
        for p in props.children().filter(|c| c.is_element()) {
            model.properties.insert(
                p.tag_name().name().to_string(),
                p.text().unwrap_or("").trim().to_string(),
            );
        }
    }
    let mut properties = model.properties.clone();
    builtin_properties(&model, &mut properties);
    // Versions this file manages itself (`dependencyManagement`): a dependency that leaves
    // its version to them is already checked at the managed entry.
    for d in child(root, "dependencyManagement")
        .and_then(|m| child(m, "dependencies"))
        .into_iter()
        .flat_map(|d| d.children())
        .filter(|d| d.is_element() && d.tag_name().name() == "dependency")
    {
        let (Some(group), Some(artifact)) = (
            text_of(child(d, "groupId")),
            text_of(child(d, "artifactId")),
        ) else {
            continue;
        };
        model.managed.push(Managed {
            group,
            artifact,
            version: text_of(child(d, "version")),
            import: text_of(child(d, "scope")).as_deref() == Some("import"),
        });
    }
    let managed_here: std::collections::BTreeSet<String> = model
        .managed
        .iter()
        .filter(|m| m.version.is_some())
        .map(|m| managed_name(m, &properties))
        .collect();
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
        // `<groupId>${project.groupId}</groupId>`, common for a build's own modules.
        let group = interpolate(&group, &properties).unwrap_or(group);
        let artifact = interpolate(&artifact, &properties).unwrap_or(artifact);
        let name = format!("{group}:{artifact}");
        let dev = text_of(child(dep, "scope")).as_deref() == Some("test");
        let Some(raw) = text_of(version_node) else {
            if !managed_here.contains(&name) {
                model.pending.push(Pending {
                    name,
                    version: None,
                    line,
                    dev,
                });
            }
            continue;
        };
        match interpolate(&raw, &properties) {
            Some(v) => add_pom_dependency(&mut facts, name, v, line, dev),
            None => model.pending.push(Pending {
                name,
                version: Some(raw),
                line,
                dev,
            }),
        }
    }
    facts.pom = Some(Box::new(model));
    facts
}

/// The `group:artifact` of a managed entry, its `${…}` replaced where `properties` can.
fn managed_name(m: &Managed, properties: &BTreeMap<String, String>) -> String {
    format!(
        "{}:{}",
        interpolate(&m.group, properties).unwrap_or_else(|| m.group.clone()),
        interpolate(&m.artifact, properties).unwrap_or_else(|| m.artifact.clone())
    )
}

/// A dependency of a pom.xml with its version resolved: a package, or a declared range.
fn add_pom_dependency(facts: &mut FileFacts, name: String, version: String, line: u32, dev: bool) {
    if is_range(&version) {
        facts.declared.push(Declared {
            ecosystem: ECO,
            name,
            spec: version,
            line,
        });
    } else {
        let mut p = Package::new(ECO, &name, &version, line);
        p.direct = Some(true);
        p.dev = dev;
        facts.packages.push(p);
    }
}

/// The path of `relative` (a file or a folder holding `pom.xml`) from `folder`, normalised
/// (`a/b` + `../pom.xml` → `a/pom.xml`); `None` when it leaves the scan root.
fn join_path(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    if parts.last().is_none_or(|last| !last.ends_with(".xml")) {
        parts.push("pom.xml");
    }
    Some(parts.join("/"))
}

/// What a POM's parents and imported BOMs add up to.
#[derive(Default)]
struct Effective {
    properties: BTreeMap<String, String>,
    /// `group:artifact` → version (resolved; `None` when a property is missing).
    managed: BTreeMap<String, Option<String>>,
    /// Parents and BOMs that are not part of the scan, for the notice.
    missing: Vec<String>,
}

/// The pom.xml files of a scan, by path and by `group:artifact`.
struct Poms<'a> {
    models: Vec<(&'a str, &'a PomModel)>,
}

impl<'a> Poms<'a> {
    fn by_path(&self, path: &str) -> Option<usize> {
        self.models.iter().position(|(p, _)| *p == path)
    }

    /// The parent of model `i` in the scan, or a description of it when it is not there.
    fn parent_of(&self, i: usize) -> Result<Option<usize>, String> {
        let (path, model) = self.models[i];
        let Some(parent) = &model.parent else {
            return Ok(None);
        };
        let describe = || {
            format!(
                "parent {}:{}{}",
                parent.group,
                parent.artifact,
                parent
                    .version
                    .as_ref()
                    .map(|v| format!(":{v}"))
                    .unwrap_or_default()
            )
        };
        let folder = path.rsplit_once('/').map_or("", |(d, _)| d);
        let found = (!parent.relative_path.is_empty())
            .then(|| join_path(folder, &parent.relative_path))
            .flatten()
            .and_then(|p| self.by_path(&p))
            .filter(|&j| {
                let m = self.models[j].1;
                m.group.as_deref() == Some(parent.group.as_str())
                    && m.artifact.as_deref() == Some(parent.artifact.as_str())
            })
            // A parent elsewhere in the tree, found by its coordinates.
            .or_else(|| {
                self.by_coordinates(&parent.group, &parent.artifact, parent.version.as_deref())
            });
        match found {
            Some(j) if j != i => Ok(Some(j)),
            _ => Err(describe()),
        }
    }

    /// The only POM of the scan with these coordinates (and version, when both say).
    fn by_coordinates(&self, group: &str, artifact: &str, version: Option<&str>) -> Option<usize> {
        let mut found = self.models.iter().enumerate().filter(|(_, (_, m))| {
            m.group.as_deref() == Some(group)
                && m.artifact.as_deref() == Some(artifact)
                && (version.is_none() || m.version.is_none() || m.version.as_deref() == version)
        });
        let first = found.next().map(|(j, _)| j);
        found.next().is_none().then_some(first).flatten()
    }

    /// Model `i` with its parents (properties, `dependencyManagement`) and the BOMs any of
    /// them imports. `depth` bounds chains and cycles.
    fn effective(&self, i: usize, depth: usize) -> Effective {
        let mut out = Effective::default();
        if depth > 16 {
            return out;
        }
        // The model and its parents, nearest first.
        let mut chain = vec![i];
        loop {
            let last = *chain.last().unwrap_or(&i);
            match self.parent_of(last) {
                Ok(Some(j)) if !chain.contains(&j) && chain.len() < 32 => chain.push(j),
                Ok(_) => break,
                Err(missing) => {
                    out.missing.push(missing);
                    break;
                }
            }
        }
        // Properties: the nearest definition wins.
        for &j in chain.iter().rev() {
            let model = self.models[j].1;
            out.properties
                .extend(model.properties.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        builtin_properties(self.models[i].1, &mut out.properties);
        // Managed versions: the nearest explicit entry wins, then imported BOMs in order.
        let mut imports = Vec::new();
        for &j in &chain {
            for m in &self.models[j].1.managed {
                let name = managed_name(m, &out.properties);
                if m.import {
                    imports.push(m);
                } else if let Some(v) = &m.version {
                    out.managed
                        .entry(name)
                        .or_insert_with(|| interpolate(v, &out.properties));
                }
            }
        }
        for m in imports {
            let version = m
                .version
                .as_deref()
                .and_then(|v| interpolate(v, &out.properties));
            let group = interpolate(&m.group, &out.properties).unwrap_or_else(|| m.group.clone());
            match self.by_coordinates(&group, &m.artifact, version.as_deref()) {
                Some(j) if j != i => {
                    let bom = self.effective(j, depth + 1);
                    for (name, v) in bom.managed {
                        out.managed.entry(name).or_insert(v);
                    }
                    out.missing.extend(bom.missing);
                }
                _ => out.missing.push(format!(
                    "imported BOM {group}:{}{}",
                    m.artifact,
                    version.map(|v| format!(":{v}")).unwrap_or_default()
                )),
            }
        }
        out
    }
}

/// For one pom.xml: its index, the dependencies resolved (name, version, line, test scope),
/// those still unresolved (for the notice), and the POMs not in the scan.
type Resolution = (
    usize,
    Vec<(String, String, u32, bool)>,
    Vec<String>,
    Vec<String>,
);

/// Resolves what each pom.xml of the scan left to its parent POMs and imported BOMs, from
/// the pom.xml files of the scan: a parent found by `<relativePath>` (default
/// `../pom.xml`, its coordinates checked) or, failing that, by its coordinates; BOMs by their
/// coordinates. Properties of the nearest POM win; a dependency's missing version comes
/// from the nearest `dependencyManagement` entry, then from imported BOMs. What stays
/// unresolved is named in one NOT CHECKED notice per file (returned with its path), never
/// dropped silently.
pub fn resolve_poms(files: &mut [FileFacts]) -> Vec<(String, String)> {
    let resolved: Vec<Resolution> = {
        let poms = Poms {
            models: files
                .iter()
                .filter_map(|f| Some((f.path.as_str(), f.pom.as_deref()?)))
                .collect(),
        };
        let index_of: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.pom.is_some())
            .map(|(i, _)| i)
            .collect();
        let mut out = Vec::new();
        for (k, (_, model)) in poms.models.iter().enumerate() {
            if model.pending.is_empty() {
                continue;
            }
            let effective = poms.effective(k, 0);
            let mut found = Vec::new();
            let mut unresolved = Vec::new();
            for p in &model.pending {
                let version = match &p.version {
                    Some(raw) => interpolate(raw, &effective.properties),
                    None => effective.managed.get(&p.name).cloned().flatten(),
                };
                match version {
                    Some(v) => found.push((p.name.clone(), v, p.line, p.dev)),
                    None => unresolved.push(match &p.version {
                        Some(raw) => format!("{} `{raw}` (line {})", p.name, p.line),
                        None => format!("{} (line {})", p.name, p.line),
                    }),
                }
            }
            let mut missing = effective.missing;
            missing.sort();
            missing.dedup();
            out.push((index_of[k], found, unresolved, missing));
        }
        out
    };
    let mut notices = Vec::new();
    for (i, found, unresolved, missing) in resolved {
        let facts = &mut files[i];
        for (name, version, line, dev) in found {
            add_pom_dependency(facts, name, version, line, dev);
        }
        facts.packages.sort_by_key(|p| p.line);
        if unresolved.is_empty() {
            continue;
        }
        let n = unresolved.len();
        let shown: Vec<&str> = unresolved.iter().take(5).map(String::as_str).collect();
        let its = if n == 1 { "its" } else { "their" };
        let why = if missing.is_empty() {
            format!(
                "{its} version is given neither by this file nor by its parent POMs or imported BOMs in the scan"
            )
        } else {
            format!(
                "{its} version comes from a POM that is not part of the scan ({})",
                missing.join(", ")
            )
        };
        notices.push((
            facts.path.clone(),
            format!(
                "{n} dependenc{} NOT CHECKED for known vulnerabilities: {why}: {}{}",
                if n == 1 { "y" } else { "ies" },
                shown.join(", "),
                if n > 5 {
                    format!(" and {} more", n - 5)
                } else {
                    String::new()
                }
            ),
        ));
    }
    notices
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
        // A property this file does not define waits for its parent POMs.
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        let notices = resolve_poms(&mut [f]);
        assert_eq!(notices.len(), 1);
        assert!(
            notices[0]
                .1
                .contains("given neither by this file nor by its parent POMs")
                && notices[0].1.contains("com.x:z `${missing}` (line 20)"),
            "{notices:?}"
        );
        // Versions left to this file's dependencyManagement are checked there; those left
        // to a parent or a BOM outside the scan are named in one notice.
        let f = read_pom(&SourceFile::in_memory(
            "pom.xml",
            "<project>\n  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version><relativePath/></parent>\n  <dependencyManagement><dependencies><dependency><groupId>com.x</groupId><artifactId>managed</artifactId><version>1.2</version></dependency></dependencies></dependencyManagement>\n  <dependencies>\n    <dependency><groupId>com.x</groupId><artifactId>managed</artifactId></dependency>\n    <dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId></dependency>\n  </dependencies>\n</project>\n",
        ));
        assert_eq!(pins(&f), [("com.x:managed", "1.2", 3)]);
        let mut files = [f];
        let notices = resolve_poms(&mut files);
        assert_eq!(pins(&files[0]), [("com.x:managed", "1.2", 3)]);
        assert_eq!(
            notices,
            [(
                "pom.xml".to_string(),
                "1 dependency NOT CHECKED for known vulnerabilities: its version comes from a POM that is not part of the scan (parent org.springframework.boot:spring-boot-starter-parent:3.3.0): org.yaml:snakeyaml (line 6)".to_string()
            )]
        );
        let broken = read_pom(&SourceFile::in_memory(
            "pom.xml",
            "<project>\n<a>\n</project>",
        ));
        assert_eq!(broken.problems[0].line, Some(3));
    }

    fn pom(path: &str, text: &str) -> FileFacts {
        read_pom(&SourceFile::in_memory(path, text))
    }

    #[test]
    fn parent_poms_and_imported_boms_of_the_tree() {
        let dep = |g: &str, a: &str, v: &str| {
            let v = if v.is_empty() {
                String::new()
            } else {
                format!("<version>{v}</version>")
            };
            format!(
                "<dependency><groupId>{g}</groupId><artifactId>{a}</artifactId>{v}</dependency>"
            )
        };
        let root = format!(
            "<project>\n<groupId>shop</groupId><artifactId>parent</artifactId><version>1.0</version><packaging>pom</packaging>\n<properties><log4j.version>2.14.1</log4j.version></properties>\n<dependencyManagement><dependencies>\n{}\n<dependency><groupId>shop</groupId><artifactId>bom</artifactId><version>${{project.version}}</version><type>pom</type><scope>import</scope></dependency>\n</dependencies></dependencyManagement>\n</project>\n",
            dep("org.apache.logging.log4j", "log4j-core", "${log4j.version}")
        );
        let bom = format!(
            "<project>\n<groupId>shop</groupId><artifactId>bom</artifactId><version>1.0</version><packaging>pom</packaging>\n<properties><jackson.version>2.9.8</jackson.version></properties>\n<dependencyManagement><dependencies>\n{}\n</dependencies></dependencyManagement>\n</project>\n",
            dep(
                "com.fasterxml.jackson.core",
                "jackson-databind",
                "${jackson.version}"
            )
        );
        let service = format!(
            "<project>\n<parent><groupId>shop</groupId><artifactId>parent</artifactId><version>1.0</version></parent>\n<artifactId>service</artifactId>\n<dependencies>\n{}\n{}\n{}\n{}\n</dependencies>\n</project>\n",
            dep("org.apache.logging.log4j", "log4j-core", ""),
            dep("com.fasterxml.jackson.core", "jackson-databind", ""),
            dep("org.apache.logging.log4j", "log4j-api", "${log4j.version}"),
            dep("org.yaml", "snakeyaml", ""),
        );
        // A module that overrides the parent's property: its own value wins.
        let web = format!(
            "<project>\n<parent><groupId>shop</groupId><artifactId>parent</artifactId><version>1.0</version><relativePath>../pom.xml</relativePath></parent>\n<artifactId>web</artifactId>\n<properties><log4j.version>2.17.1</log4j.version></properties>\n<dependencies>\n{}\n</dependencies>\n</project>\n",
            dep("org.apache.logging.log4j", "log4j-core", ""),
        );
        // Two folders down, with the relativePath that says so.
        let deep = format!(
            "<project>\n<parent><groupId>shop</groupId><artifactId>parent</artifactId><version>1.0</version><relativePath>../../pom.xml</relativePath></parent>\n<artifactId>deep</artifactId>\n<dependencies>\n{}\n</dependencies>\n</project>\n",
            dep("org.apache.logging.log4j", "log4j-core", ""),
        );
        // ../pom.xml is not this module's parent (other coordinates): not used.
        let stranger = format!(
            "<project>\n<parent><groupId>com.other</groupId><artifactId>parent</artifactId><version>1.0</version></parent>\n<artifactId>stranger</artifactId>\n<dependencies>\n{}\n</dependencies>\n</project>\n",
            dep("org.apache.logging.log4j", "log4j-core", ""),
        );
        let mut files = [
            pom("pom.xml", &root),
            pom("bom/pom.xml", &bom),
            pom("service/pom.xml", &service),
            pom("web/pom.xml", &web),
            pom("libs/deep/pom.xml", &deep),
            pom("stranger/pom.xml", &stranger),
        ];
        let notices = resolve_poms(&mut files);
        assert_eq!(
            pins(&files[0]),
            [
                ("org.apache.logging.log4j:log4j-core", "2.14.1", 5),
                ("shop:bom", "1.0", 6)
            ]
        );
        assert_eq!(
            pins(&files[1]),
            [("com.fasterxml.jackson.core:jackson-databind", "2.9.8", 5)]
        );
        assert_eq!(
            pins(&files[2]),
            [
                ("org.apache.logging.log4j:log4j-core", "2.14.1", 5),
                ("com.fasterxml.jackson.core:jackson-databind", "2.9.8", 6),
                ("org.apache.logging.log4j:log4j-api", "2.14.1", 7),
            ]
        );
        assert!(files[2].packages.iter().all(|p| p.direct == Some(true)));
        assert_eq!(
            pins(&files[3]),
            [("org.apache.logging.log4j:log4j-core", "2.17.1", 6)]
        );
        assert_eq!(
            pins(&files[4]),
            [("org.apache.logging.log4j:log4j-core", "2.14.1", 5)]
        );
        assert!(pins(&files[5]).is_empty());
        assert_eq!(
            notices,
            [
                (
                    "service/pom.xml".to_string(),
                    "1 dependency NOT CHECKED for known vulnerabilities: its version is given neither by this file nor by its parent POMs or imported BOMs in the scan: org.yaml:snakeyaml (line 8)".to_string()
                ),
                (
                    "stranger/pom.xml".to_string(),
                    "1 dependency NOT CHECKED for known vulnerabilities: its version comes from a POM that is not part of the scan (parent com.other:parent:1.0): org.apache.logging.log4j:log4j-core (line 5)".to_string()
                ),
            ]
        );
        // A parent that names itself, or two that name each other, end the chain.
        let looped = "<project>\n<parent><groupId>a</groupId><artifactId>b</artifactId><version>1</version><relativePath>pom.xml</relativePath></parent>\n<groupId>a</groupId><artifactId>b</artifactId><version>1</version>\n<dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId></dependency></dependencies>\n</project>\n";
        let notices = resolve_poms(&mut [pom("pom.xml", looped)]);
        assert_eq!(notices.len(), 1);
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
