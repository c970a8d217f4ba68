//! Python: `requirements*.txt`, `poetry.lock`, `pdm.lock`, `uv.lock`, `Pipfile.lock` and
//! `pyproject.toml` (PEP 621 and Poetry tables).

use super::{Declared, Ecosystem, FileFacts, Origin, Package, Role, RuntimeRef, line_at};
use palisade_core::SourceFile;
use serde::Deserialize;
use toml::Spanned;

/// Whether a path is a pip requirements or constraints file: `requirements*.txt`,
/// `*-requirements.txt`, `constraints*.txt`, or any `.txt` in a `requirements/` folder.
pub fn is_requirements(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = super::file_name(&lower);
    if !name.ends_with(".txt") {
        return false;
    }
    name.starts_with("requirements")
        || name.ends_with("requirements.txt")
        || name.starts_with("constraints")
        || lower
            .rsplit('/')
            .nth(1)
            .is_some_and(|dir| dir == "requirements")
}

/// Reads a requirements file. Each logical line (joined at `\` continuations) is a
/// requirement, an option or an include; a requirement pinned with `==` (or `===`) is a
/// package, anything else a declared range. A file whose requirements are all pinned counts
/// as a lockfile.
pub fn read_requirements(file: &SourceFile) -> FactsOf {
    let mut facts = FileFacts::new(
        &file.path,
        "requirements",
        Role::Lockfile,
        Some(Ecosystem::PyPI),
    );
    let folder = facts.folder().to_string();
    let mut logical = String::new();
    let mut first_line = 0;
    let lines: Vec<&str> = file.text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let n = i as u32 + 1;
        if logical.is_empty() {
            first_line = n;
        }
        // A comment starts at `#` at the line's start or after whitespace.
        let text = strip_comment(raw);
        if let Some(continued) = text.trim_end().strip_suffix('\\') {
            logical.push_str(continued);
            logical.push(' ');
            if i + 1 < lines.len() {
                continue;
            }
        } else {
            logical.push_str(text);
        }
        let line = std::mem::take(&mut logical);
        requirement_line(line.trim(), first_line, &folder, &mut facts);
    }
    if facts.declared.iter().any(|_| true) {
        facts.role = Role::Manifest;
    }
    mark_pulled_in(&lines, &mut facts);
    facts
}

/// `pip-compile` and `uv pip compile` write under each pin what asked for it: `# via -r
/// requirements.in` (or `# via name (pyproject.toml)`) for what the project asks for itself,
/// `# via otherpackage` for what other packages pull in. A pin whose every `via` is another
/// package is not a direct dependency.
fn mark_pulled_in(lines: &[&str], facts: &mut FileFacts) {
    for p in &mut facts.packages {
        let mut via: Vec<&str> = Vec::new();
        let mut in_via = false;
        // The comment lines right after the pin's (possibly continued) line.
        let start = lines
            .iter()
            .enumerate()
            .skip(p.line.saturating_sub(1) as usize)
            .find(|(_, l)| !l.trim_end().ends_with('\\'))
            .map_or(lines.len(), |(i, _)| i + 1);
        for line in &lines[start.min(lines.len())..] {
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                break;
            };
            let comment = comment.trim();
            if let Some(rest) = comment
                .strip_prefix("via")
                .filter(|r| r.is_empty() || r.starts_with(' '))
            {
                in_via = true;
                if !rest.trim().is_empty() {
                    via.push(rest.trim());
                }
                continue;
            }
            if in_via && line.starts_with(|c: char| c.is_whitespace()) && !comment.is_empty() {
                via.push(comment);
            } else {
                break;
            }
        }
        let by_project =
            |v: &&str| v.starts_with("-r ") || v.starts_with("--requirement") || v.ends_with(')');
        if !via.is_empty() && !via.iter().any(by_project) && p.direct == Some(true) {
            p.direct = Some(false);
        }
    }
}

type FactsOf = FileFacts;

fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

fn requirement_line(line: &str, n: u32, folder: &str, facts: &mut FileFacts) {
    if line.is_empty() {
        return;
    }
    if let Some(option) = line.strip_prefix('-') {
        let (flag, value) = split_option(option);
        match flag {
            "r" | "-requirement" | "c" | "-constraint"
                if !value.is_empty() && !value.contains("://") =>
            {
                let joined = if folder.is_empty() {
                    value.to_string()
                } else {
                    format!("{folder}/{value}")
                };
                facts.includes.push((normalise_path(&joined), n));
            }
            "e" | "-editable" => {
                // An editable install: a local project or a VCS checkout, not a registry package.
                if let Some(name) = egg_name(value) {
                    let mut p = Package::new(Ecosystem::PyPI, &name, "", n);
                    p.origin = if value.contains("://") {
                        Origin::Git
                    } else {
                        Origin::Path
                    };
                    p.direct = Some(true);
                    facts.packages.push(p);
                }
            }
            _ => {}
        }
        return;
    }
    // `--hash` options ride on the requirement's line.
    let mut hashes = Vec::new();
    let mut spec = line;
    if let Some(at) = line.find(" --") {
        spec = &line[..at];
        for part in line[at..].split_whitespace() {
            if let Some(h) = part.strip_prefix("--hash=") {
                hashes.push(h.to_string());
            }
        }
    }
    let Some(req) = Requirement::parse(spec) else {
        // URLs and paths of wheels or sdists: not a registry package.
        if spec.contains("://") || spec.ends_with(".whl") || spec.starts_with('.') {
            return;
        }
        facts.problem(Some(n), format!("unreadable requirement `{spec}`"));
        return;
    };
    if let Some(url) = &req.url {
        let mut p = Package::new(Ecosystem::PyPI, &req.name, "", n);
        p.origin = if url.starts_with("git+") {
            Origin::Git
        } else if url.starts_with("file:") {
            Origin::Path
        } else {
            Origin::Url
        };
        p.direct = Some(true);
        facts.packages.push(p);
        return;
    }
    match req.pinned() {
        Some(version) => {
            let mut p = Package::new(Ecosystem::PyPI, &req.name, version, n);
            p.direct = Some(true);
            p.hashes = hashes;
            facts.packages.push(p);
        }
        None => facts.declared.push(Declared {
            ecosystem: Ecosystem::PyPI,
            name: req.name,
            spec: if req.spec.is_empty() {
                "(any version)".to_string()
            } else {
                req.spec
            },
            line: n,
        }),
    }
}

fn split_option(option: &str) -> (&str, &str) {
    let option = option.trim();
    match option.find(|c: char| c == '=' || c.is_whitespace()) {
        Some(i) => (
            option[..i].trim(),
            option[i + 1..].trim_start_matches('=').trim(),
        ),
        None => (option, ""),
    }
}

fn egg_name(value: &str) -> Option<String> {
    let egg = value.split("#egg=").nth(1)?;
    Some(egg.split(['&', '[']).next()?.to_string())
}

fn normalise_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// A PEP 508 requirement, as far as the inventory needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    pub extras: Vec<String>,
    /// The version specifiers as written, without spaces (`>=2.0,<3`).
    pub spec: String,
    pub url: Option<String>,
    pub marker: Option<String>,
}

impl Requirement {
    /// Parses `name[extras] (specifiers) ; marker` or `name[extras] @ url ; marker`.
    pub fn parse(text: &str) -> Option<Requirement> {
        let text = text.trim();
        let (body, marker) = match text.split_once(';') {
            Some((b, m)) => (b.trim(), Some(m.trim().to_string())),
            None => (text, None),
        };
        let end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(body.len());
        let name = &body[..end];
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return None;
        }
        let mut rest = body[end..].trim_start();
        let mut extras = Vec::new();
        if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']')?;
            extras = after[..close]
                .split(',')
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect();
            rest = after[close + 1..].trim_start();
        }
        if let Some(url) = rest.strip_prefix('@') {
            return Some(Requirement {
                name: name.to_string(),
                extras,
                spec: String::new(),
                url: Some(url.trim().to_string()),
                marker,
            });
        }
        let spec: String = rest
            .trim_start_matches('(')
            .trim_end_matches(')')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if !spec.is_empty()
            && !spec
                .split(',')
                .all(|s| s.starts_with(['=', '!', '<', '>', '~']))
        {
            return None;
        }
        Some(Requirement {
            name: name.to_string(),
            extras,
            spec,
            url: None,
            marker,
        })
    }

    /// The exact version of a `==1.2.3` or `===1.2.3` pin (not `==1.2.*`).
    pub fn pinned(&self) -> Option<&str> {
        if self.spec.contains(',') {
            return None;
        }
        let v = self
            .spec
            .strip_prefix("===")
            .or_else(|| self.spec.strip_prefix("=="))?;
        (!v.is_empty() && !v.contains('*')).then_some(v)
    }
}

#[derive(Deserialize)]
struct TomlLock {
    #[serde(default)]
    package: Vec<Spanned<TomlLockPackage>>,
}

#[derive(Deserialize)]
struct TomlLockPackage {
    name: Spanned<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: Option<toml::Value>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    groups: Option<Vec<String>>,
}

/// Reads `poetry.lock`, `pdm.lock` or `uv.lock`: `[[package]]` tables of `name`, `version`
/// and `source`. The project itself (uv's `editable`/`virtual` source) is not a dependency.
pub fn read_toml_lock(file: &SourceFile, name: &str) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, name, Role::Lockfile, Some(Ecosystem::PyPI));
    let lock: TomlLock = match toml::from_str(&file.text) {
        Ok(l) => l,
        Err(e) => {
            let line = e.span().map(|s| line_at(file, s.start));
            facts.problem(line, format!("{name}: {}", e.message().trim()));
            return facts;
        }
    };
    for entry in lock.package {
        let p = entry.get_ref();
        let line = line_at(file, p.name.span().start);
        let Some(version) = &p.version else {
            facts.problem(
                Some(line),
                format!("package `{}` has no version", p.name.get_ref()),
            );
            continue;
        };
        let mut package = Package::new(Ecosystem::PyPI, p.name.get_ref(), version, line);
        if let Some(toml::Value::Table(source)) = &p.source {
            if source.contains_key("editable") || source.contains_key("virtual") {
                continue;
            }
            if source.contains_key("git") {
                package.origin = Origin::Git;
            } else if source.contains_key("url") {
                package.origin = Origin::Url;
            } else if source.contains_key("path") || source.contains_key("directory") {
                package.origin = Origin::Path;
            }
            match source.get("type").and_then(|t| t.as_str()) {
                Some("git") => package.origin = Origin::Git,
                Some("url") => package.origin = Origin::Url,
                Some("directory" | "file") => package.origin = Origin::Path,
                _ => {}
            }
        }
        package.dev = p.category.as_deref() == Some("dev")
            || p.groups
                .as_ref()
                .is_some_and(|g| !g.is_empty() && g.iter().all(|g| g == "dev"));
        facts.packages.push(package);
    }
    facts
}

/// Reads `Pipfile.lock` (JSON): `default` and `develop` sections of `name: {version: "==x"}`.
pub fn read_pipfile_lock(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(
        &file.path,
        "Pipfile.lock",
        Role::Lockfile,
        Some(Ecosystem::PyPI),
    );
    let value: serde_json::Value = match serde_json::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            facts.problem(Some(e.line() as u32), format!("Pipfile.lock: {e}"));
            return facts;
        }
    };
    let keys = super::jsonpos::KeyOffsets::scan(&file.text);
    for section in ["default", "develop"] {
        let Some(map) = value.get(section).and_then(|s| s.as_object()) else {
            continue;
        };
        for (name, entry) in map {
            let line = keys.get(&[section, name]).map_or(1, |at| line_at(file, at));
            let version = entry.get("version").and_then(|v| v.as_str()).unwrap_or("");
            let mut p = Package::new(Ecosystem::PyPI, name, version.trim_start_matches('='), line);
            p.dev = section == "develop";
            if entry.get("git").is_some() {
                p.origin = Origin::Git;
            } else if entry.get("path").is_some() || entry.get("file").is_some() {
                p.origin = Origin::Path;
            }
            if let Some(hashes) = entry.get("hashes").and_then(|h| h.as_array()) {
                p.hashes = hashes
                    .iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect();
            }
            if p.version.is_empty() && p.origin == Origin::Registry {
                facts.problem(Some(line), format!("package `{name}` has no version"));
                continue;
            }
            facts.packages.push(p);
        }
    }
    facts
}

#[derive(Deserialize, Default)]
struct Pyproject {
    #[serde(default)]
    project: Option<Project>,
    #[serde(default)]
    tool: Option<Tool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct Project {
    #[serde(default)]
    dependencies: Vec<Spanned<String>>,
    #[serde(default)]
    optional_dependencies: std::collections::BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    requires_python: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
struct Tool {
    #[serde(default)]
    poetry: Option<Poetry>,
}

#[derive(Deserialize, Default)]
struct Poetry {
    #[serde(default)]
    dependencies: toml::Table,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: toml::Table,
    #[serde(default)]
    group: std::collections::BTreeMap<String, PoetryGroup>,
}

#[derive(Deserialize, Default)]
struct PoetryGroup {
    #[serde(default)]
    dependencies: toml::Table,
}

/// Reads `pyproject.toml`: PEP 621 `dependencies`, `optional-dependencies` and
/// `requires-python`; Poetry's `dependencies`, `dev-dependencies` and groups (where `python`
/// is the runtime requirement).
pub fn read_pyproject(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(
        &file.path,
        "pyproject.toml",
        Role::Manifest,
        Some(Ecosystem::PyPI),
    );
    let doc: Pyproject = match toml::from_str(&file.text) {
        Ok(d) => d,
        Err(e) => {
            let line = e.span().map(|s| line_at(file, s.start));
            facts.problem(line, format!("pyproject.toml: {}", e.message().trim()));
            return facts;
        }
    };
    if let Some(project) = doc.project {
        let all = project
            .dependencies
            .iter()
            .chain(project.optional_dependencies.values().flatten());
        for dep in all {
            let line = line_at(file, dep.span().start);
            match Requirement::parse(dep.get_ref()) {
                Some(req) if req.url.is_none() => declare(&mut facts, req, line),
                Some(_) => {}
                None => facts.problem(
                    Some(line),
                    format!("unreadable requirement `{}`", dep.get_ref()),
                ),
            }
        }
        if let Some(rp) = project.requires_python {
            let line = line_at(file, rp.span().start);
            if let Some(r) = python_lower_bound(rp.get_ref(), "requires-python", line) {
                facts.runtimes.push(r);
            }
        }
    }
    if let Some(poetry) = doc.tool.and_then(|t| t.poetry) {
        let tables = std::iter::once(&poetry.dependencies)
            .chain(std::iter::once(&poetry.dev_dependencies))
            .chain(poetry.group.values().map(|g| &g.dependencies));
        for table in tables {
            for (name, value) in table {
                let line = poetry_key_line(file, name);
                let spec = match value {
                    toml::Value::String(s) => Some(s.clone()),
                    toml::Value::Table(t) => t
                        .get("version")
                        .and_then(|v| v.as_str())
                        .map(str::to_string),
                    _ => None,
                };
                if name == "python" {
                    if let Some(r) = spec
                        .as_deref()
                        .and_then(|s| python_lower_bound(s, "tool.poetry python", line))
                    {
                        facts.runtimes.push(r);
                    }
                    continue;
                }
                // git, path and url dependencies have no version to pin.
                let Some(spec) = spec else { continue };
                facts.declared.push(Declared {
                    ecosystem: Ecosystem::PyPI,
                    name: name.clone(),
                    spec,
                    line,
                });
            }
        }
    }
    facts
}

fn declare(facts: &mut FileFacts, req: Requirement, line: u32) {
    match req.pinned() {
        Some(v) => {
            let mut p = Package::new(Ecosystem::PyPI, &req.name, v, line);
            p.direct = Some(true);
            facts.packages.push(p);
        }
        None => facts.declared.push(Declared {
            ecosystem: Ecosystem::PyPI,
            spec: if req.spec.is_empty() {
                "(any version)".to_string()
            } else {
                req.spec
            },
            name: req.name,
            line,
        }),
    }
}

/// The line of a Poetry dependency key (`name = …`), or 1.
fn poetry_key_line(file: &SourceFile, name: &str) -> u32 {
    for (i, line) in file.text.lines().enumerate() {
        let t = line.trim_start();
        let t = t.strip_prefix('"').unwrap_or(t);
        if let Some(rest) = t.strip_prefix(name) {
            let rest = rest.strip_prefix('"').unwrap_or(rest);
            if rest.trim_start().starts_with('=') {
                return i as u32 + 1;
            }
        }
    }
    1
}

/// The lowest Python a `requires-python`-style spec allows (`>=3.7`, `^3.8`, `~=3.9`,
/// `==3.8.*`, `3.8`), as a runtime reference.
pub fn python_lower_bound(spec: &str, how: &str, line: u32) -> Option<RuntimeRef> {
    let spec = spec.trim();
    let mut lowest: Option<(u32, u32)> = None;
    let mut exact = false;
    for part in spec.split([',', '|']) {
        let part = part.trim();
        let (op, version) = match part.find(|c: char| c.is_ascii_digit()) {
            Some(i) => (part[..i].trim(), &part[i..]),
            None => continue,
        };
        if !matches!(op, ">=" | ">" | "~=" | "^" | "~" | "==" | "" | "=") {
            continue;
        }
        let mut nums = version
            .split('.')
            .map(|n| n.trim_end_matches('*').parse::<u32>());
        let major = nums.next()?.ok()?;
        let minor = nums.next().and_then(Result::ok).unwrap_or(0);
        if major < 2 {
            continue;
        }
        exact |= matches!(op, "==" | "" | "=");
        if lowest.is_none_or(|l| (major, minor) < l) {
            lowest = Some((major, minor));
        }
    }
    let (major, minor) = lowest?;
    Some(RuntimeRef {
        product: "python".to_string(),
        cycle: format!("{major}.{minor}"),
        how: format!("{how} {spec}"),
        line,
        lower_bound: !exact,
        build_only: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(path: &str, text: &str) -> FileFacts {
        super::super::read(&SourceFile::in_memory(path, text)).unwrap()
    }

    #[test]
    fn requirements_pins_ranges_markers_hashes_includes() {
        let f = facts(
            "app/requirements.txt",
            "# comment\n-r ../base.txt\n--index-url https://pypi.example/simple\n\
             Django==3.2.0 ; python_version >= \"3.8\"\nrequests[security,socks] == 2.19.1 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n\
             flask>=2.0\nurllib3==1.26.*\nmypkg @ git+https://example.invalid/x.git\n-e git+https://example.invalid/y.git#egg=ylib\n\
             Jinja2==2.10 # pinned\n",
        );
        let pins: Vec<(&str, &str, u32)> = facts_pins(&f);
        assert_eq!(
            pins,
            [
                ("Django", "3.2.0", 4),
                ("requests", "2.19.1", 5),
                ("mypkg", "", 10),
                ("ylib", "", 11),
                ("Jinja2", "2.10", 12)
            ]
        );
        assert_eq!(f.packages[1].hashes, ["sha256:abc", "sha256:def"]);
        assert_eq!(f.packages[2].origin, Origin::Git);
        let declared: Vec<(&str, u32)> = f
            .declared
            .iter()
            .map(|d| (d.name.as_str(), d.line))
            .collect();
        assert_eq!(declared, [("flask", 8), ("urllib3", 9)]);
        assert_eq!(f.includes, [("base.txt".to_string(), 2)]);
        assert_eq!(f.role, Role::Manifest);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }

    fn facts_pins(f: &FileFacts) -> Vec<(&str, &str, u32)> {
        f.packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line))
            .collect()
    }

    #[test]
    fn pep508_requirements() {
        let r = Requirement::parse("name[a, b] (>= 1.0, < 2) ; os_name == 'nt'").unwrap();
        assert_eq!(r.name, "name");
        assert_eq!(r.extras, ["a", "b"]);
        assert_eq!(r.spec, ">=1.0,<2");
        assert_eq!(r.marker.as_deref(), Some("os_name == 'nt'"));
        assert_eq!(Requirement::parse("x===1.0").unwrap().pinned(), Some("1.0"));
        assert!(Requirement::parse("x 1.0").is_none());
        assert!(Requirement::parse("-x").is_none());
    }

    #[test]
    fn toml_locks_and_broken_ones() {
        let f = facts(
            "poetry.lock",
            "[[package]]\nname = \"django\"\nversion = \"3.2.0\"\ncategory = \"main\"\n\n[[package]]\nname = \"lib\"\nversion = \"1.0\"\n[package.source]\ntype = \"git\"\nurl = \"https://example.invalid/lib.git\"\n",
        );
        assert_eq!(facts_pins(&f), [("django", "3.2.0", 2), ("lib", "1.0", 7)]);
        assert_eq!(f.packages[1].origin, Origin::Git);
        let uv = facts(
            "uv.lock",
            "version = 1\n[[package]]\nname = \"me\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n[[package]]\nname = \"idna\"\nversion = \"3.6\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
        );
        assert_eq!(facts_pins(&uv), [("idna", "3.6", 7)]);
        let broken = facts("poetry.lock", "[[package]]\nname = \"x\"\nversion = \n");
        assert_eq!(broken.problems.len(), 1);
        assert_eq!(broken.problems[0].line, Some(3));
    }

    #[test]
    fn pipfile_lock_sections_and_sources() {
        let f = facts(
            "Pipfile.lock",
            "{\n  \"_meta\": {\"hash\": {\"sha256\": \"x\"}},\n  \"default\": {\n    \"django\": {\"version\": \"==3.0.7\", \"hashes\": [\"sha256:a\"], \"markers\": \"python_version >= '3.6'\"},\n    \"lib\": {\"git\": \"https://example.invalid/lib.git\", \"ref\": \"abc\"}\n  },\n  \"develop\": {\n    \"pytest\": {\"version\": \"==5.4.3\"}\n  }\n}\n",
        );
        assert_eq!(
            facts_pins(&f),
            [
                ("django", "3.0.7", 4),
                ("lib", "", 5),
                ("pytest", "5.4.3", 8)
            ]
        );
        assert_eq!(f.packages[0].hashes, ["sha256:a"]);
        assert_eq!(f.packages[1].origin, Origin::Git);
        assert!(f.packages[2].dev);
        let broken = facts("Pipfile.lock", "{\n  \"default\": {\n");
        assert_eq!(broken.problems[0].line, Some(3));
    }

    #[test]
    fn pyproject_tables() {
        let f = facts(
            "pyproject.toml",
            "[project]\nname = \"shop\"\nrequires-python = \">=3.7\"\ndependencies = [\n  \"flask>=2\",\n  \"pyyaml==5.3\",\n]\n[project.optional-dependencies]\ndev = [\"pytest\"]\n[tool.poetry.dependencies]\npython = \"^3.9\"\nrequests = \"^2.0\"\nlocal = { path = \"../local\" }\n",
        );
        assert_eq!(facts_pins(&f), [("pyyaml", "5.3", 6)]);
        let declared: Vec<(&str, u32)> = f
            .declared
            .iter()
            .map(|d| (d.name.as_str(), d.line))
            .collect();
        assert_eq!(declared, [("flask", 5), ("pytest", 9), ("requests", 12)]);
        assert_eq!(f.runtimes[0].cycle, "3.7");
        assert_eq!(f.runtimes[0].line, 3);
        assert_eq!(f.runtimes[1].cycle, "3.9");
    }
}
