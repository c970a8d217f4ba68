//! The package inventory: every third-party component a lockfile or manifest names, each
//! with its exact line. One parser per format; each takes the file's text and returns
//! [`FileFacts`], with a [`Problem`] (and its line) for what it could not read — the rest of
//! the file still counts.

pub mod jsonpos;
pub mod jvm;
pub mod kubernetes;
pub mod npm;
pub mod python;
pub mod runtimes;
pub mod rust;

use palisade_core::SourceFile;
use serde::Serialize;

/// A package ecosystem, as OSV names it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub enum Ecosystem {
    PyPI,
    Npm,
    CratesIo,
    Maven,
}

impl Ecosystem {
    /// The ecosystem's name in OSV records.
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Maven => "Maven",
        }
    }

    /// The ecosystem of an OSV `ecosystem` value (`PyPI`, `npm`, `crates.io`, `Maven`, with
    /// any `:suffix` ignored).
    pub fn from_osv(name: &str) -> Option<Ecosystem> {
        match name.split(':').next().unwrap_or(name) {
            "PyPI" => Some(Ecosystem::PyPI),
            "npm" => Some(Ecosystem::Npm),
            "crates.io" => Some(Ecosystem::CratesIo),
            "Maven" => Some(Ecosystem::Maven),
            _ => None,
        }
    }

    /// The name as advisories are matched: PyPI names normalised (PEP 503), others as written.
    pub fn normalise(self, name: &str) -> String {
        match self {
            Ecosystem::PyPI => normalise_pypi(name),
            _ => name.trim().to_string(),
        }
    }
}

/// A PyPI project name in PEP 503 normal form: lower case, runs of `-`, `_`, `.` as one `-`.
pub fn normalise_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Where a package comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The ecosystem's registry: advisories apply.
    Registry,
    /// A git repository, a URL or a local path: registry advisories cannot be matched.
    Git,
    Url,
    Path,
}

/// One installed (locked or exactly pinned) package.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// As written in the file.
    pub name: String,
    pub version: String,
    /// 1-based line of the entry.
    pub line: u32,
    /// Whether the file says the project asks for it directly (`None`: it does not say).
    pub direct: Option<bool>,
    /// Only needed to develop the project (dev dependencies).
    pub dev: bool,
    pub origin: Origin,
    /// Integrity hashes the file records for it (`sha256:…`, `sha512-…`).
    pub hashes: Vec<String>,
}

impl Package {
    pub fn new(ecosystem: Ecosystem, name: &str, version: &str, line: u32) -> Package {
        Package {
            ecosystem,
            name: name.to_string(),
            version: version.to_string(),
            line,
            direct: None,
            dev: false,
            origin: Origin::Registry,
            hashes: Vec::new(),
        }
    }
}

/// A dependency declared by a range, not an exact version (`requests>=2`, `"^4.17.0"`).
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct Declared {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub spec: String,
    pub line: u32,
}

/// A language runtime or base image the file asks for, with its line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RuntimeRef {
    /// `python`, `node`, `debian`, `ubuntu`, `alpine`, `mysql`, `mariadb`.
    pub product: String,
    /// The cycle as written (`3.8`, `16`, `buster`, `5.7`), or a lower bound for a range.
    pub cycle: String,
    /// Where it is said (`FROM python:3.8-slim`, `requires-python`, …), for messages.
    pub how: String,
    pub line: u32,
    /// True when `cycle` is the lowest version a range allows (`>=3.7`), not a pin.
    pub lower_bound: bool,
    /// Named by a Dockerfile stage that the final image does not build on (a builder stage
    /// whose output is copied): it does not run in production.
    pub build_only: bool,
}

/// A `FROM` line of a Dockerfile.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct ImageRef {
    pub image: String,
    pub line: u32,
    /// In a stage the final image does not build on.
    pub build_only: bool,
}

/// What kind of file this is, for the rules that look across files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Role {
    /// Records the exact version of every package (a lockfile, a fully pinned requirements file).
    Lockfile,
    /// Declares what the project needs, in ranges (`package.json`, `pyproject.toml`).
    Manifest,
    /// A container or runtime file (Dockerfile, `.python-version`).
    Runtime,
}

/// A part of a file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub line: Option<u32>,
    pub message: String,
    /// Left out on purpose (a format not read yet), not a parse error.
    pub skipped: bool,
}

/// Everything the inventory keeps of one file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    /// Relative to the scan root.
    pub path: String,
    /// The format's name (`poetry.lock`, `package-lock.json v3`, …).
    pub format: String,
    pub role: Role,
    pub ecosystem: Option<Ecosystem>,
    pub packages: Vec<Package>,
    pub declared: Vec<Declared>,
    pub runtimes: Vec<RuntimeRef>,
    pub images: Vec<ImageRef>,
    /// Other files this one includes (`-r base.txt`), relative to the scan root.
    pub includes: Vec<(String, u32)>,
    pub problems: Vec<Problem>,
    /// A `pom.xml`'s model, for what only its parent POMs and imported BOMs can resolve
    /// ([`jvm::resolve_poms`]).
    pub pom: Option<Box<jvm::PomModel>>,
}

impl FileFacts {
    pub fn new(path: &str, format: &str, role: Role, ecosystem: Option<Ecosystem>) -> FileFacts {
        FileFacts {
            path: path.to_string(),
            format: format.to_string(),
            role,
            ecosystem,
            packages: Vec::new(),
            declared: Vec::new(),
            runtimes: Vec::new(),
            images: Vec::new(),
            includes: Vec::new(),
            problems: Vec::new(),
            pom: None,
        }
    }

    pub fn problem(&mut self, line: Option<u32>, message: impl Into<String>) {
        self.problems.push(Problem {
            line,
            message: message.into(),
            skipped: false,
        });
    }

    /// Records that part of the file was left out on purpose.
    pub fn skipped(&mut self, message: impl Into<String>) {
        self.problems.push(Problem {
            line: None,
            message: message.into(),
            skipped: true,
        });
    }

    /// The folder the file is in (`""` at the root).
    pub fn folder(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// The file name of a `/`-separated path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Reads one file into its inventory, by its name; `None` when the name is not one the
/// inventory reads.
pub fn read(file: &SourceFile) -> Option<FileFacts> {
    let name = file_name(&file.path);
    let lower = name.to_ascii_lowercase();
    let facts = match lower.as_str() {
        "poetry.lock" | "pdm.lock" | "uv.lock" => python::read_toml_lock(file, name),
        "pipfile.lock" => python::read_pipfile_lock(file),
        "pyproject.toml" => python::read_pyproject(file),
        ".python-version" => runtimes::read_python_version(file),
        "setup.cfg" | "setup.py" => runtimes::read_setup(file),
        ".nvmrc" | ".node-version" => runtimes::read_nvmrc(file),
        "package-lock.json" | "npm-shrinkwrap.json" => npm::read_package_lock(file),
        "yarn.lock" => npm::read_yarn_lock(file),
        "pnpm-lock.yaml" => npm::read_pnpm_lock(file),
        "bun.lock" => npm::read_bun_lock(file),
        "package.json" => npm::read_package_json(file),
        "cargo.lock" => rust::read_cargo_lock(file),
        "pom.xml" => jvm::read_pom(file),
        "gradle.lockfile" => jvm::read_gradle_lockfile(file),
        "libs.versions.toml" => jvm::read_version_catalog(file),
        "build.gradle" | "build.gradle.kts" => jvm::read_gradle_build(file),
        _ if runtimes::is_dockerfile(&lower) => runtimes::read_dockerfile(file),
        _ if python::is_requirements(&file.path) => python::read_requirements(file),
        _ if kubernetes::is_yaml(&lower) => kubernetes::read_manifest(file)?,
        _ => return None,
    };
    let mut facts = facts;
    facts.packages.sort_by_key(|p| p.line);
    Some(facts)
}

/// The 1-based line of a byte offset.
pub fn line_at(file: &SourceFile, offset: usize) -> u32 {
    file.position(offset).0
}
