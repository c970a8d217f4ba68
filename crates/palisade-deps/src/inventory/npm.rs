//! npm: `package-lock.json` (v1–v3) and `npm-shrinkwrap.json`, `yarn.lock` (v1 and Berry),
//! `pnpm-lock.yaml` (v5–v9) and `package.json`.

use super::jsonpos::KeyOffsets;
use super::{Declared, Ecosystem, FileFacts, Origin, Package, Role, RuntimeRef, line_at};
use palisade_core::SourceFile;
use palisade_syntax::yaml::{self, MarkedYaml, YamlData};
use serde_json::Value;

const ECO: Ecosystem = Ecosystem::Npm;

fn origin_of(resolved: &str, version: &str) -> Origin {
    let v = if resolved.is_empty() {
        version
    } else {
        resolved
    };
    if v.starts_with("git") || v.contains("github:") {
        Origin::Git
    } else if v.starts_with("file:") || v.starts_with("link:") {
        Origin::Path
    } else if (v.starts_with("http://") || v.starts_with("https://")) && !v.contains("/-/") {
        Origin::Url
    } else {
        Origin::Registry
    }
}

fn parse_json(file: &SourceFile, format: &str, facts: &mut FileFacts) -> Option<Value> {
    match serde_json::from_str(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            facts.problem(Some(e.line() as u32), format!("{format}: {e}"));
            None
        }
    }
}

/// Reads `package-lock.json`: the `packages` map of v2/v3 (`node_modules/…` paths; the
/// root, workspace folders and links are the project's own), else v1's nested
/// `dependencies`.
pub fn read_package_lock(file: &SourceFile) -> FileFacts {
    let name = super::file_name(&file.path);
    let mut facts = FileFacts::new(&file.path, name, Role::Lockfile, Some(ECO));
    let Some(doc) = parse_json(file, name, &mut facts) else {
        return facts;
    };
    let version = doc
        .get("lockfileVersion")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    facts.format = format!("{name} v{version}");
    let keys = KeyOffsets::scan(&file.text);
    let line_of = |path: &[&str]| keys.get(path).map_or(1, |at| line_at(file, at));
    if let Some(packages) = doc.get("packages").and_then(Value::as_object) {
        // Direct dependencies are those the root package or a workspace (an entry outside
        // node_modules: `packages/ui`) names; hoisted transitive ones sit at the top of
        // node_modules too.
        let declared_by = |entry: &Value| -> std::collections::HashSet<String> {
            [
                "dependencies",
                "devDependencies",
                "optionalDependencies",
                "peerDependencies",
            ]
            .iter()
            .filter_map(|k| entry.get(*k).and_then(Value::as_object))
            .flat_map(|m| m.keys().cloned())
            .collect()
        };
        // Folder ("" for the root) → the names it declares.
        let workspaces: std::collections::HashMap<&str, std::collections::HashSet<String>> =
            packages
                .iter()
                .filter(|(path, _)| !path.contains("node_modules/"))
                .map(|(path, entry)| (path.as_str(), declared_by(entry)))
                .collect();
        let is_direct = |folder: &str, name: &str| -> bool {
            let here = workspaces
                .get(folder)
                .is_some_and(|names| names.contains(name));
            // Hoisted to the root's node_modules from a workspace that declares it (and has
            // no copy of its own in its folder).
            here || (folder.is_empty()
                && workspaces.iter().any(|(ws, names)| {
                    names.contains(name)
                        && !packages.contains_key(&format!("{ws}/node_modules/{name}"))
                }))
        };
        for (path, entry) in packages {
            let Some(at) = path.rfind("node_modules/") else {
                continue; // the root or a workspace folder
            };
            if entry.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let installed_as = &path[at + "node_modules/".len()..];
            let real = entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(installed_as);
            let line = line_of(&["packages", path]);
            let Some(v) = entry.get("version").and_then(Value::as_str) else {
                facts.problem(Some(line), format!("`{path}` has no version"));
                continue;
            };
            let resolved = entry.get("resolved").and_then(Value::as_str).unwrap_or("");
            let mut p = Package::new(ECO, real, v, line);
            p.origin = origin_of(resolved, v);
            p.dev = entry.get("dev").and_then(Value::as_bool) == Some(true);
            p.direct = Some(is_direct(path[..at].trim_end_matches('/'), installed_as));
            if let Some(i) = entry.get("integrity").and_then(Value::as_str) {
                p.hashes.push(i.to_string());
            }
            facts.packages.push(p);
        }
        return facts;
    }
    if let Some(deps) = doc.get("dependencies").and_then(Value::as_object) {
        let mut path = vec!["dependencies".to_string()];
        walk_v1(file, &keys, deps, &mut path, &mut facts);
    }
    facts
}

fn walk_v1(
    file: &SourceFile,
    keys: &KeyOffsets,
    deps: &serde_json::Map<String, Value>,
    path: &mut Vec<String>,
    facts: &mut FileFacts,
) {
    let top = path.len() == 1;
    for (name, entry) in deps {
        path.push(name.clone());
        let at: Vec<&str> = path.iter().map(String::as_str).collect();
        let line = keys.get(&at).map_or(1, |o| line_at(file, o));
        if let Some(v) = entry.get("version").and_then(Value::as_str) {
            let resolved = entry.get("resolved").and_then(Value::as_str).unwrap_or("");
            // An alias (`npm:real@1.2.3`) names the real package.
            let (real, version) = match v.strip_prefix("npm:") {
                Some(alias) => match alias.rfind('@') {
                    Some(i) if i > 0 => (&alias[..i], &alias[i + 1..]),
                    _ => (name.as_str(), v),
                },
                None => (name.as_str(), v),
            };
            let mut p = Package::new(ECO, real, version, line);
            p.origin = origin_of(resolved, version);
            p.dev = entry.get("dev").and_then(Value::as_bool) == Some(true);
            // A v1 lockfile hoists transitive packages to the top level beside the direct
            // ones and does not say which are which (the package.json beside it does);
            // nested ones are transitive.
            p.direct = if top { None } else { Some(false) };
            if let Some(i) = entry.get("integrity").and_then(Value::as_str) {
                p.hashes.push(i.to_string());
            }
            facts.packages.push(p);
        } else {
            facts.problem(Some(line), format!("`{name}` has no version"));
        }
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            path.push("dependencies".to_string());
            walk_v1(file, keys, nested, path, facts);
            path.pop();
        }
        path.pop();
    }
}

/// The package name of a `name@range` descriptor (`@scope/name@^1`, `name@npm:^1`).
fn descriptor_name(descriptor: &str) -> &str {
    let d = descriptor.trim().trim_matches('"');
    // The first character may be the `@` of a scope.
    let first = d.chars().next().map_or(0, char::len_utf8);
    match d[first..].find('@') {
        Some(i) => &d[..first + i],
        None => d,
    }
}

/// Reads `yarn.lock`: v1 (`version "1.2.3"`) and Berry (`version: 1.2.3`, `resolution:`).
/// Workspace and link entries are the project's own.
pub fn read_yarn_lock(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, "yarn.lock", Role::Lockfile, Some(ECO));
    let berry = file.text.contains("__metadata:");
    if berry {
        facts.format = "yarn.lock (Berry)".to_string();
    }
    let mut header: Option<(String, u32)> = None;
    let mut version: Option<String> = None;
    let mut resolution: Option<String> = None;
    let mut resolved = String::new();
    let flush = |header: &mut Option<(String, u32)>,
                 version: &mut Option<String>,
                 resolution: &mut Option<String>,
                 resolved: &mut String,
                 facts: &mut FileFacts| {
        if let Some((head, line)) = header.take() {
            let first = head.split(',').next().unwrap_or(&head).trim();
            let mut name = descriptor_name(first).to_string();
            let spec = first.trim_matches('"')[name.len()..].trim_start_matches('@');
            // Alias: `alias@npm:real@^1`.
            if let Some(real) = spec.strip_prefix("npm:")
                && real.contains('@')
                && !real.starts_with('^')
            {
                name = descriptor_name(real).to_string();
            }
            if let Some(res) = resolution.take() {
                let res = res.trim_matches('"');
                let n = descriptor_name(res);
                if !n.is_empty() {
                    name = n.to_string();
                }
                if res.contains("@workspace:") || res.contains("@link:") || res.contains("@portal:")
                {
                    version.take();
                    return;
                }
            }
            if name == "__metadata" {
                version.take();
                return;
            }
            match version.take() {
                Some(v) if spec.contains("@workspace:") => drop(v),
                Some(v) => {
                    let v = v.trim_matches('"').to_string();
                    let mut p = Package::new(ECO, &name, &v, line);
                    p.origin = origin_of(resolved, spec);
                    facts.packages.push(p);
                }
                None => facts.problem(Some(line), format!("`{name}` has no version")),
            }
            resolved.clear();
        }
    };
    for (i, raw) in file.text.lines().enumerate() {
        let n = i as u32 + 1;
        if raw.trim_start().starts_with('#') || raw.trim().is_empty() {
            continue;
        }
        if !raw.starts_with(' ') {
            flush(
                &mut header,
                &mut version,
                &mut resolution,
                &mut resolved,
                &mut facts,
            );
            match raw.trim_end().strip_suffix(':') {
                Some(head) => header = Some((head.to_string(), n)),
                None => facts.problem(Some(n), format!("unexpected line `{}`", raw.trim())),
            }
            continue;
        }
        // Only the entry's own fields (two spaces), not nested `dependencies:` maps.
        let indent = raw.len() - raw.trim_start().len();
        if indent != 2 {
            continue;
        }
        let t = raw.trim();
        let (key, value) = match t.split_once(':') {
            Some((k, v)) if berry => (k.trim(), v.trim()),
            _ => match t.split_once(' ') {
                Some((k, v)) => (k.trim(), v.trim()),
                None => (t, ""),
            },
        };
        match key {
            "version" => version = Some(value.to_string()),
            "resolution" => resolution = Some(value.to_string()),
            "resolved" => resolved = value.trim_matches('"').to_string(),
            _ => {}
        }
    }
    flush(
        &mut header,
        &mut version,
        &mut resolution,
        &mut resolved,
        &mut facts,
    );
    facts
}

/// The name and version of a pnpm `packages` key: `/name@1.2.3(peer@1)` (v6), `name@1.2.3`
/// (v9), `/name/1.2.3_peer@1` (v5), scoped names included.
fn pnpm_key(key: &str, v5: bool) -> Option<(String, String)> {
    let k = key.trim().trim_matches('\'').trim_matches('"');
    let k = k.strip_prefix('/').unwrap_or(k);
    let k = k.split('(').next()?;
    let first = k.chars().next().map_or(0, char::len_utf8);
    let at = k[first..].find('@').map(|i| i + first);
    if let Some(at) = at.filter(|_| !v5) {
        return Some((k[..at].to_string(), k[at + 1..].to_string()));
    }
    // v5: name/version, the version possibly followed by `_peer…`.
    let slash = k.rfind('/')?;
    let version = k[slash + 1..].split('_').next()?;
    Some((k[..slash].to_string(), version.to_string()))
}

/// Reads `pnpm-lock.yaml`: the keys of `packages` (v5–v9); v9's `snapshots` repeat them and
/// are not counted twice.
pub fn read_pnpm_lock(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, "pnpm-lock.yaml", Role::Lockfile, Some(ECO));
    let (docs, errors) = yaml::load(&file.text);
    for e in errors {
        facts.problem(Some(e.line), format!("pnpm-lock.yaml: {}", e.message));
    }
    let Some(root) = docs.first().map(|d| &d.root) else {
        return facts;
    };
    let mut v5 = false;
    if let Some(v) = yaml::get_str(root, "lockfileVersion") {
        let v = v.trim_matches('\'').trim_matches('"');
        facts.format = format!("pnpm-lock.yaml v{v}");
        v5 = v.parse::<f64>().is_ok_and(|n| n < 6.0);
    }
    let Some(YamlData::Mapping(packages)) = yaml::get(root, "packages").map(|p| &p.data) else {
        return facts;
    };
    for (key, value) in packages {
        let Some(k) = yaml::scalar(key) else { continue };
        let line = key.span.start.line() as u32;
        let Some((name, mut version)) = pnpm_key(k, v5) else {
            facts.problem(Some(line), format!("unreadable package key `{k}`"));
            continue;
        };
        let resolution = resolution_of(value);
        if let Some(v) = yaml::get_str(value, "version") {
            version = v.to_string();
        }
        let name = yaml::get_str(value, "name").map_or(name, str::to_string);
        let mut p = Package::new(ECO, &name, &version, line);
        p.origin = origin_of(&resolution, &version);
        p.dev = yaml::get_str(value, "dev") == Some("true");
        if let Some(i) = yaml::get(value, "resolution").and_then(|r| yaml::get_str(r, "integrity"))
        {
            p.hashes.push(i.to_string());
        }
        facts.packages.push(p);
    }
    facts
}

fn resolution_of(value: &MarkedYaml<'_>) -> String {
    let Some(r) = yaml::get(value, "resolution") else {
        return String::new();
    };
    yaml::get_str(r, "tarball")
        .or_else(|| yaml::get_str(r, "repo"))
        .map(str::to_string)
        .or_else(|| yaml::get_str(r, "type").map(|t| format!("{t}:")))
        .unwrap_or_default()
}

/// Reads Bun's text lockfile `bun.lock` (JSONC: comments and trailing commas allowed). Each
/// `packages` entry is an array whose first item is `name@version` (the real name, also for
/// aliases and nested copies such as `parent/child`); a version with a protocol
/// (`github:`, `git+…`, `file:`, `link:`, a tarball URL) is not from the registry, and
/// `workspace:` entries are the project's own. Direct dependencies are those a workspace
/// (the root `""` or a member) names.
pub fn read_bun_lock(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, "bun.lock", Role::Lockfile, Some(ECO));
    let text = jsonc_to_json(&file.text);
    let doc: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            facts.problem(Some(e.line() as u32), format!("bun.lock: {e}"));
            return facts;
        }
    };
    let version = doc
        .get("lockfileVersion")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    facts.format = format!("bun.lock v{version}");
    let keys = KeyOffsets::scan(&text);
    let line_of = |path: &[&str]| keys.get(path).map_or(1, |at| line_at(file, at));
    // Every workspace's own dependencies are direct (the root's and each member's).
    let workspaces: Vec<&Value> = doc
        .get("workspaces")
        .and_then(Value::as_object)
        .map(|w| w.values().collect())
        .unwrap_or_default();
    let section = |name: &str| -> std::collections::HashSet<&str> {
        workspaces
            .iter()
            .filter_map(|w| w.get(name).and_then(Value::as_object))
            .flat_map(|m| m.keys().map(String::as_str))
            .collect()
    };
    let dev = section("devDependencies");
    let direct: std::collections::HashSet<&str> =
        ["dependencies", "optionalDependencies", "peerDependencies"]
            .iter()
            .flat_map(|s| section(s))
            .chain(dev.iter().copied())
            .collect();
    let Some(packages) = doc.get("packages").and_then(Value::as_object) else {
        return facts;
    };
    for (key, entry) in packages {
        let line = line_of(&["packages", key]);
        let Some(spec) = entry.get(0).and_then(Value::as_str) else {
            facts.problem(Some(line), format!("`{key}`: no `name@version` entry"));
            continue;
        };
        // The name may start with `@` (a scope): the version follows the last `@` after it.
        let Some(at) = spec
            .get(1..)
            .and_then(|rest| rest.rfind('@'))
            .map(|i| i + 1)
        else {
            facts.problem(Some(line), format!("`{key}`: `{spec}` is not name@version"));
            continue;
        };
        let (name, version) = (&spec[..at], &spec[at + 1..]);
        if version.starts_with("workspace:") {
            continue;
        }
        let mut p = Package::new(ECO, name, version, line);
        if version.contains(':') {
            // A protocol: where it came from (a commit, a path, a tarball), not a registry
            // version; a `:` of no known protocol is still no registry version.
            p.origin = match origin_of(version, version) {
                Origin::Registry => Origin::Url,
                other => other,
            };
            p.version = String::new();
        }
        p.direct = Some(direct.contains(key.as_str()));
        p.dev = dev.contains(key.as_str());
        if let Some(hash) = entry
            .as_array()
            .and_then(|a| a.iter().rev().find_map(Value::as_str))
            .filter(|h| h.starts_with("sha"))
        {
            p.hashes.push(hash.to_string());
        }
        facts.packages.push(p);
    }
    facts
}

/// JSONC as JSON of the same length: comments and trailing commas become spaces (newlines
/// stay), so byte offsets and lines still point into the original text.
fn jsonc_to_json(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let b = text.as_bytes();
    let mut i = 0;
    // Where the last comma outside strings was, until something other than space or a
    // comment follows it.
    let mut pending_comma: Option<usize> = None;
    while i < b.len() {
        match b[i] {
            b'"' => {
                pending_comma = None;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                for slot in &mut out[i..end] {
                    if *slot != b'\n' {
                        *slot = b' ';
                    }
                }
                i = end;
            }
            b',' => {
                pending_comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(at) = pending_comma.take() {
                    out[at] = b' ';
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                pending_comma = None;
                i += 1;
            }
        }
    }
    // Only ASCII bytes outside strings were replaced by ASCII spaces: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Reads `package.json`: every dependency section as declared ranges (an exact version is a
/// pin), and `engines.node` as the runtime it needs.
pub fn read_package_json(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, "package.json", Role::Manifest, Some(ECO));
    let Some(doc) = parse_json(file, "package.json", &mut facts) else {
        return facts;
    };
    let keys = KeyOffsets::scan(&file.text);
    let line_of = |path: &[&str]| keys.get(path).map_or(1, |at| line_at(file, at));
    for section in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        let Some(map) = doc.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (name, spec) in map {
            let Some(spec) = spec.as_str() else { continue };
            let line = line_of(&[section, name]);
            let local = spec.starts_with("file:")
                || spec.starts_with("link:")
                || spec.starts_with("workspace:")
                || spec.contains("://")
                || spec.starts_with("git")
                || spec.contains('/') && !spec.starts_with("npm:");
            if local {
                continue;
            }
            facts.declared.push(Declared {
                ecosystem: ECO,
                name: name.clone(),
                spec: spec.to_string(),
                line,
            });
        }
    }
    if let Some(node) = doc
        .get("engines")
        .and_then(|e| e.get("node"))
        .and_then(Value::as_str)
    {
        let line = line_of(&["engines", "node"]);
        if let Some(major) = node_lower_bound(node) {
            facts.runtimes.push(RuntimeRef {
                product: "node".to_string(),
                cycle: major.to_string(),
                how: format!("engines.node {node}"),
                line,
                lower_bound: true,
                build_only: false,
            });
        }
    }
    facts
}

/// The lowest Node.js major a range allows (`>=14`, `^16.0.0`, `14.x || 16.x`, `18`).
pub fn node_lower_bound(range: &str) -> Option<u64> {
    range
        .split("||")
        .filter_map(|alt| {
            let alt = alt.trim();
            let start = alt.find(|c: char| c.is_ascii_digit())?;
            let op = alt[..start].trim();
            if op.starts_with('<') {
                return None;
            }
            alt[start..]
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pins(path: &str, text: &str) -> (Vec<(String, String, u32)>, FileFacts) {
        let f = super::super::read(&SourceFile::in_memory(path, text)).unwrap();
        (
            f.packages
                .iter()
                .map(|p| (p.name.clone(), p.version.clone(), p.line))
                .collect(),
            f,
        )
    }

    fn t(n: &str, v: &str, l: u32) -> (String, String, u32) {
        (n.to_string(), v.to_string(), l)
    }

    #[test]
    fn package_lock_v3_and_v1() {
        let (p, f) = pins(
            "package-lock.json",
            r#"{
  "name": "web",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "web", "dependencies": { "lodash": "^4.17.0" } },
    "node_modules/lodash": { "version": "4.17.20", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz" },
    "node_modules/a/node_modules/lodash": { "version": "3.10.1", "dev": true },
    "node_modules/@scope/x": { "version": "1.0.0" },
    "node_modules/alias": { "name": "real", "version": "2.0.0" },
    "packages/ui": { "version": "0.0.1" },
    "node_modules/ui": { "resolved": "packages/ui", "link": true }
  }
}"#,
        );
        assert_eq!(
            p,
            [
                t("lodash", "4.17.20", 6),
                t("lodash", "3.10.1", 7),
                t("@scope/x", "1.0.0", 8),
                t("real", "2.0.0", 9)
            ]
        );
        assert!(f.packages[1].dev);
        assert_eq!(f.format, "package-lock.json v3");
        let direct: Vec<Option<bool>> = f.packages.iter().map(|p| p.direct).collect();
        assert_eq!(direct, [Some(true), Some(false), Some(false), Some(false)]);
        // A workspace's own dependencies are direct, hoisted to the root or installed in
        // its folder; what they pull in is not.
        let (_, f) = pins(
            "package-lock.json",
            r#"{
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "root", "workspaces": ["packages/ui"], "devDependencies": { "eslint": "^9" } },
    "packages/ui": { "version": "0.0.1", "dependencies": { "react": "^18", "lodash": "^3" } },
    "node_modules/ui": { "resolved": "packages/ui", "link": true },
    "node_modules/eslint": { "version": "9.1.0" },
    "node_modules/react": { "version": "18.3.1" },
    "node_modules/lodash": { "version": "4.17.21" },
    "packages/ui/node_modules/lodash": { "version": "3.10.1" },
    "node_modules/scheduler": { "version": "0.23.2" },
    "node_modules/react/node_modules/loose-envify": { "version": "1.4.0" }
  }
}"#,
        );
        let mut direct: Vec<(String, bool)> = f
            .packages
            .iter()
            .map(|p| (format!("{}@{}", p.name, p.version), p.direct == Some(true)))
            .collect();
        direct.sort();
        assert_eq!(
            direct,
            [
                ("eslint@9.1.0".to_string(), true),
                ("lodash@3.10.1".to_string(), true),
                // Hoisted for some other package: the workspace has its own copy.
                ("lodash@4.17.21".to_string(), false),
                ("loose-envify@1.4.0".to_string(), false),
                ("react@18.3.1".to_string(), true),
                ("scheduler@0.23.2".to_string(), false),
            ]
        );
        let (p, _) = pins(
            "package-lock.json",
            r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": { "version": "1.0.0", "requires": { "lodash": "^3" },
      "dependencies": {
        "lodash": { "version": "3.10.1" }
      }
    },
    "lodash": { "version": "4.17.20" },
    "x": { "version": "npm:y@2.0.0" }
  }
}"#,
        );
        assert_eq!(
            p,
            [
                t("a", "1.0.0", 4),
                t("lodash", "3.10.1", 6),
                t("lodash", "4.17.20", 9),
                t("y", "2.0.0", 10)
            ]
        );
    }

    #[test]
    fn yarn_v1_and_berry() {
        let (p, _) = pins(
            "yarn.lock",
            "# yarn lockfile v1\n\n\"@babel/core@^7.0.0\", \"@babel/core@^7.1.0\":\n  version \"7.1.2\"\n  resolved \"https://registry.yarnpkg.com/@babel/core/-/core-7.1.2.tgz\"\n  dependencies:\n    lodash \"^4\"\n\nlodash@^4:\n  version \"4.17.11\"\n\nalias@npm:real@^1:\n  version \"1.0.3\"\n",
        );
        assert_eq!(
            p,
            [
                t("@babel/core", "7.1.2", 3),
                t("lodash", "4.17.11", 9),
                t("real", "1.0.3", 12)
            ]
        );
        let (p, _) = pins(
            "yarn.lock",
            "__metadata:\n  version: 6\n\n\"lodash@npm:^4.17.0\":\n  version: 4.17.20\n  resolution: \"lodash@npm:4.17.20\"\n\n\"web@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"web@workspace:.\"\n",
        );
        assert_eq!(p, [t("lodash", "4.17.20", 4)]);
    }

    #[test]
    fn pnpm_versions() {
        let (p, _) = pins(
            "pnpm-lock.yaml",
            "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4\n        version: 4.17.20\npackages:\n  lodash@4.17.20:\n    resolution: {integrity: sha512-x}\n  '@types/node@20.1.0':\n    resolution: {integrity: sha512-y}\n  react-dom@18.2.0(react@18.2.0):\n    resolution: {integrity: sha512-z}\nsnapshots:\n  lodash@4.17.20: {}\n",
        );
        assert_eq!(
            p,
            [
                t("lodash", "4.17.20", 9),
                t("@types/node", "20.1.0", 11),
                t("react-dom", "18.2.0", 13)
            ]
        );
        let (p, _) = pins(
            "pnpm-lock.yaml",
            "lockfileVersion: 5.4\npackages:\n  /lodash/4.17.20:\n    dev: true\n  /@scope/pkg/1.0.0_react@18.0.0:\n    dev: false\n",
        );
        assert_eq!(p, [t("lodash", "4.17.20", 3), t("@scope/pkg", "1.0.0", 5)]);
        let (_, f) = pins("pnpm-lock.yaml", "packages:\n  a@1: [\n");
        assert_eq!(f.problems.len(), 1);
    }

    #[test]
    fn package_json_ranges_and_engines() {
        let (_, f) = pins(
            "package.json",
            "{\n  \"engines\": { \"node\": \">=14 <19\" },\n  \"dependencies\": {\n    \"express\": \"^4.17.1\",\n    \"local\": \"file:../local\"\n  },\n  \"devDependencies\": { \"jest\": \"29.0.0\" }\n}\n",
        );
        let d: Vec<(&str, u32)> = f
            .declared
            .iter()
            .map(|d| (d.name.as_str(), d.line))
            .collect();
        assert_eq!(d, [("express", 4), ("jest", 7)]);
        assert_eq!(f.runtimes[0].cycle, "14");
        assert_eq!(f.runtimes[0].line, 2);
        assert_eq!(node_lower_bound("^16.0.0 || ^18"), Some(16));
    }

    #[test]
    fn jsonc_keeps_strings_and_lengths() {
        let text =
            "{ /* a\n b */ \"u\": \"http://x//y\", // note\n \"l\": [1, 2,], \"q\": \"a\\\",\",\n}";
        let json = jsonc_to_json(text);
        assert_eq!(json.len(), text.len());
        assert_eq!(json.lines().count(), text.lines().count());
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["u"], "http://x//y");
        assert_eq!(v["l"], serde_json::json!([1, 2]));
        assert_eq!(v["q"], "a\",");
    }
}
