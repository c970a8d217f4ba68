//! The Android project model: every manifest, Gradle file, version catalog and XML resource
//! of the scan, grouped by module and source set, with the answers the manifest merger would
//! give for the questions the rules ask (is a component removed from the release build, what
//! is a module's target SDK, what protection level does a permission have).

use super::gradle::{Gradle, Level};
use super::manifest::{Component, Manifest, PermissionDef};
use super::permissions::ApiUse;
use super::resources::Resource;
use std::collections::HashMap;

/// What one file contributes to the project model.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum Fact {
    Manifest(String, Box<Manifest>),
    Gradle(String, Gradle),
    Catalog(Vec<(String, u32)>),
    Resource(String, Resource),
    /// A file that exists only decoded, inside an archive (`app.apk!/AndroidManifest.xml`),
    /// with its decoded text: findings in it carry their lines, since the engine cannot
    /// read them from disk.
    Rendering(String, String),
    /// What one archive contributes: several facts from one file.
    Many(Vec<Fact>),
    /// The permission-needing APIs a Java or Kotlin file names (collect runs only, for
    /// `palisade permissions`; collect runs are never cached, so these are not stored).
    #[serde(skip)]
    ApiUses(String, Vec<ApiUse>),
}

/// Which builds a source set goes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetKind {
    /// `src/main`: every build.
    Main,
    /// `src/release`, flavors (`src/free`, `src/freeRelease`): release builds too.
    Release,
    /// `src/debug`, `src/freeDebug`, `src/staging` (by name): debug builds only.
    Debug,
    /// `src/test`, `src/androidTest`: never shipped.
    Test,
}

/// Where a file sits: its module folder and source set.
#[derive(Clone, Debug)]
pub struct Place {
    pub module: String,
    pub set: String,
    pub kind: SetKind,
}

/// The module folder and source set of a path (`app/src/freeDebug/AndroidManifest.xml` →
/// `app`, `freeDebug`, debug). Files outside `src/<set>/` belong to their folder, `main`,
/// unless the path is test data (`unittests/scans/AndroidManifest.xml` in a scanner's test
/// suite is a sample, not an app that ships): then they are a test set.
pub fn place_of(path: &str) -> Place {
    // Inside a built app (`out/app.apk!/res/xml/x.xml`): the archive is the module, and
    // everything in it ships.
    if let Some((archive, _)) = path.split_once("!/") {
        return Place {
            module: format!("{archive}!"),
            set: "main".into(),
            kind: SetKind::Main,
        };
    }
    let parts: Vec<&str> = path.split('/').collect();
    let test_data = matches!(
        palisade_knowledge::roles::file_role(path),
        palisade_knowledge::roles::FileRole::Test | palisade_knowledge::roles::FileRole::Fixture
    );
    if let Some(i) = parts.iter().rposition(|p| *p == "src")
        && i + 2 < parts.len()
    {
        let set = parts[i + 1].to_string();
        return Place {
            module: parts[..i].join("/"),
            kind: if test_data {
                SetKind::Test
            } else {
                set_kind(&set)
            },
            set,
        };
    }
    let module = parts[..parts.len().saturating_sub(1)].join("/");
    Place {
        module,
        set: "main".into(),
        kind: if test_data {
            SetKind::Test
        } else {
            SetKind::Main
        },
    }
}

fn set_kind(set: &str) -> SetKind {
    let lower = set.to_ascii_lowercase();
    if lower == "main" {
        SetKind::Main
    } else if lower.contains("test") {
        SetKind::Test
    } else if lower.ends_with("debug")
        || matches!(
            lower.as_str(),
            "dev" | "development" | "staging" | "internal" | "qa"
        )
    {
        SetKind::Debug
    } else {
        SetKind::Release
    }
}

/// A manifest with where it sits.
#[derive(Debug)]
pub struct ManifestFile {
    pub path: String,
    pub place: Place,
    pub manifest: Manifest,
}

/// A permission's protection, as far as the project and the platform say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protection {
    /// `signature`, `signature|privileged`, `knownSigner`, or a platform permission only the
    /// system or apps signed like the platform can hold.
    Signature,
    /// `normal` or `dangerous` (any app can get it), with where it was defined (if the
    /// project defines it).
    Weak {
        level: String,
        defined_in: Option<(String, palisade_core::Span)>,
    },
    /// Defined in no manifest of the project and not in palisade's platform table.
    Unknown,
}

#[derive(Debug, Default)]
pub struct Project {
    pub manifests: Vec<ManifestFile>,
    pub gradles: Vec<(String, Gradle)>,
    pub resources: Vec<(String, Place, Resource)>,
    literals: HashMap<String, u32>,
    values: HashMap<String, String>,
    /// The decoded text of archive members, by path (see [`Fact::Rendering`]).
    pub renderings: HashMap<String, String>,
    /// Code files and the permission-needing APIs they name (collect runs only).
    pub api_uses: Vec<(String, Vec<ApiUse>)>,
}

impl Project {
    pub fn new(facts: Vec<Fact>) -> Project {
        let mut p = Project::default();
        // An archive's facts take the place of the archive, in order.
        let mut flat = Vec::with_capacity(facts.len());
        for fact in facts {
            match fact {
                Fact::Many(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        for fact in flat {
            match fact {
                Fact::Many(_) => {}
                Fact::ApiUses(path, uses) => p.api_uses.push((path, uses)),
                Fact::Rendering(path, text) => {
                    p.renderings.insert(path, text);
                }
                Fact::Manifest(path, manifest) => p.manifests.push(ManifestFile {
                    place: place_of(&path),
                    path,
                    manifest: *manifest,
                }),
                Fact::Gradle(path, gradle) => {
                    for (name, value) in &gradle.literals {
                        p.literals.entry(norm(name)).or_insert(*value);
                    }
                    p.gradles.push((path, gradle));
                }
                Fact::Catalog(literals) => {
                    for (name, value) in literals {
                        p.literals.insert(norm(&name), value);
                    }
                }
                Fact::Resource(path, resource) => {
                    if let Resource::Values(values) = &resource {
                        for (k, v) in values {
                            p.values.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                    p.resources.push((path.clone(), place_of(&path), resource));
                }
            }
        }
        p.manifests.sort_by(|a, b| a.path.cmp(&b.path));
        p.gradles.sort_by(|a, b| a.0.cmp(&b.0));
        p.resources.sort_by(|a, b| a.0.cmp(&b.0));
        p.api_uses.sort_by(|a, b| a.0.cmp(&b.0));
        p
    }

    pub fn is_empty(&self) -> bool {
        self.manifests.is_empty() && self.resources.is_empty() && self.gradles.is_empty()
    }

    /// A value with `@string/…` and `@bool/…` references resolved (one level).
    pub fn resolve<'a>(&'a self, value: &'a str) -> &'a str {
        if value.starts_with('@') {
            self.values.get(value).map_or(value, String::as_str)
        } else {
            value
        }
    }

    /// The Gradle file of a module (`app/build.gradle[.kts]`).
    pub fn gradle_of(&self, module: &str) -> Option<&Gradle> {
        self.gradles.iter().find_map(|(path, g)| {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            (dir == module).then_some(g)
        })
    }

    fn level(&self, level: &Level) -> Option<u32> {
        match level {
            Level::Literal(n) => Some(*n),
            Level::Named(name) => self.literals.get(&norm(name)).copied(),
        }
    }

    /// The target SDK a manifest's module builds with: its Gradle file, else the manifest's
    /// `uses-sdk`, else the main manifest of its module.
    pub fn target_sdk(&self, file: &ManifestFile) -> Option<u32> {
        self.sdk(file, |g| g.target_sdk.as_ref(), |m| m.target_sdk)
    }

    pub fn min_sdk(&self, file: &ManifestFile) -> Option<u32> {
        self.sdk(file, |g| g.min_sdk.as_ref(), |m| m.min_sdk)
    }

    fn sdk(
        &self,
        file: &ManifestFile,
        from_gradle: impl Fn(&Gradle) -> Option<&Level>,
        from_manifest: impl Fn(&Manifest) -> Option<u32>,
    ) -> Option<u32> {
        if let Some(g) = self.gradle_of(&file.place.module)
            && let Some(level) = from_gradle(g)
            && let Some(n) = self.level(level)
        {
            return Some(n);
        }
        from_manifest(&file.manifest).or_else(|| {
            self.manifests
                .iter()
                .filter(|m| m.place.module == file.place.module)
                .find_map(|m| from_manifest(&m.manifest))
        })
    }

    /// Whether a module is an application (its Gradle file applies
    /// `com.android.application`); unknown modules count as applications.
    pub fn is_application(&self, module: &str) -> bool {
        self.gradle_of(module)
            .and_then(|g| g.application)
            .unwrap_or(true)
    }

    /// The package that relative component names of a manifest resolve against.
    pub fn package_of(&self, file: &ManifestFile) -> Option<String> {
        if let Some(p) = &file.manifest.package {
            return Some(p.clone());
        }
        if let Some(ns) = self
            .gradle_of(&file.place.module)
            .and_then(|g| g.namespace.clone())
        {
            return Some(ns);
        }
        self.manifests
            .iter()
            .filter(|m| m.place.module == file.place.module)
            .find_map(|m| m.manifest.package.clone())
    }

    /// A component's fully qualified class name.
    pub fn full_name(&self, file: &ManifestFile, name: &str) -> String {
        let name = self.resolve(name);
        match (name.strip_prefix('.'), self.package_of(file)) {
            (Some(rest), Some(pkg)) => format!("{pkg}.{rest}"),
            (None, Some(pkg)) if !name.contains('.') => format!("{pkg}.{name}"),
            _ => name.to_string(),
        }
    }

    /// Whether a shipped (main, release or flavor) manifest removes the component with
    /// `tools:node="remove"`: the merged release manifest does not have it.
    pub fn removed_in_release(&self, full_name: &str) -> bool {
        self.manifests
            .iter()
            .filter(|m| matches!(m.place.kind, SetKind::Main | SetKind::Release))
            .any(|m| {
                m.manifest.components.iter().any(|c| {
                    c.tools_node.as_deref() == Some("remove")
                        && self.full_name(m, &c.name) == full_name
                })
            })
    }

    /// Components that end up in some build, with their manifest: test source sets are
    /// left out, and so are components a shipped manifest removes (the `tools:node`
    /// declarations themselves are instructions to the merger, not components).
    pub fn components(&self) -> impl Iterator<Item = (&ManifestFile, &Component)> {
        self.manifests
            .iter()
            .filter(|m| m.place.kind != SetKind::Test)
            .flat_map(|m| m.manifest.components.iter().map(move |c| (m, c)))
            .filter(|(m, c)| {
                !matches!(c.tools_node.as_deref(), Some("remove" | "removeAll"))
                    && !self.removed_in_release(&self.full_name(m, &c.name))
            })
    }

    /// The definition of a permission: in a manifest of the asking module first (two apps
    /// of one repository may define the same name differently), else anywhere.
    pub fn permission_def(
        &self,
        name: &str,
        module: &str,
    ) -> Option<(&ManifestFile, &PermissionDef)> {
        let (same, other): (Vec<&ManifestFile>, Vec<&ManifestFile>) = self
            .manifests
            .iter()
            .partition(|m| m.place.module == module);
        same.into_iter().chain(other).find_map(|m| {
            m.manifest
                .permissions
                .iter()
                .find(|p| self.resolve(&p.name) == name)
                .map(|p| (m, p))
        })
    }

    /// The protection a permission gives: the project's own definition, else the platform's.
    pub fn protection(&self, name: &str, asking: &ManifestFile) -> Protection {
        let name = self.resolve(name);
        if let Some((m, def)) = self.permission_def(name, &asking.place.module) {
            let level = def.level.as_deref().unwrap_or("normal");
            return if is_signature_level(level) {
                Protection::Signature
            } else {
                Protection::Weak {
                    level: level.to_string(),
                    defined_in: Some((m.path.clone(), def.span)),
                }
            };
        }
        super::platform::protection(name)
    }
}

/// Whether a `protectionLevel` value keeps apps signed by others out.
pub fn is_signature_level(level: &str) -> bool {
    level.split('|').any(|part| {
        matches!(
            part.trim(),
            "signature" | "signatureOrSystem" | "knownSigner" | "privileged" | "system"
        ) || part.trim().starts_with("0x")
            && u32::from_str_radix(part.trim().trim_start_matches("0x"), 16)
                .is_ok_and(|v| v & 0x2 != 0)
    })
}

fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places() {
        let p = place_of("app/src/freeDebug/AndroidManifest.xml");
        assert_eq!((p.module.as_str(), p.kind), ("app", SetKind::Debug));
        assert_eq!(
            place_of("app/src/free/AndroidManifest.xml").kind,
            SetKind::Release
        );
        assert_eq!(
            place_of("lib/src/androidTest/AndroidManifest.xml").kind,
            SetKind::Test
        );
        assert_eq!(place_of("AndroidManifest.xml").module, "");
        // A scanner's sample manifest in its test suite is not an app.
        assert_eq!(
            place_of("unittests/scans/apkleaks/AndroidManifest.xml").kind,
            SetKind::Test
        );
        assert_eq!(place_of("app/AndroidManifest.xml").kind, SetKind::Main);
        assert!(is_signature_level("signature|privileged"));
        assert!(!is_signature_level("dangerous"));
    }
}

/// How a component is reachable by other apps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exposure {
    /// `android:exported="true"`.
    Explicit,
    /// No `exported`, but an intent filter and a target SDK below 31 (or a provider below
    /// 17): exported by default.
    Implicit,
    /// No `exported`, an intent filter, and no target SDK palisade could read.
    UnknownTarget,
}

impl Project {
    /// The network security config blocks that apply to shipped code: every block of every
    /// config outside test source sets, except `<debug-overrides>` (which only debuggable
    /// builds read). Each with its file and source set, so a rule can lower debug-only ones.
    pub fn shipped_network_blocks(
        &self,
    ) -> impl Iterator<Item = (&str, &Place, &super::resources::NetworkBlock)> {
        self.resources
            .iter()
            .filter(|(_, place, _)| place.kind != SetKind::Test)
            .filter_map(|(path, place, resource)| match resource {
                Resource::NetworkConfig(config) => Some((path.as_str(), place, config)),
                _ => None,
            })
            .flat_map(|(path, place, config)| {
                config
                    .blocks
                    .iter()
                    .filter(|b| b.kind != super::resources::BlockKind::DebugOverrides)
                    .map(move |block| (path, place, block))
            })
    }

    /// Whether (and how) other apps can start or bind the component.
    pub fn exposure(&self, file: &ManifestFile, c: &Component) -> Option<Exposure> {
        if c.enabled
            .as_ref()
            .is_some_and(|a| self.resolve(&a.value).trim() == "false")
        {
            return None;
        }
        if let Some(a) = &c.exported {
            return (self.resolve(&a.value).trim() == "true").then_some(Exposure::Explicit);
        }
        let target = self.target_sdk(file);
        if c.kind == super::manifest::Kind::Provider {
            return match target {
                Some(t) if t < 17 => Some(Exposure::Implicit),
                _ => None,
            };
        }
        if c.filters.is_empty() {
            return None;
        }
        match target {
            Some(t) if t >= 31 => None,
            Some(_) => Some(Exposure::Implicit),
            None => Some(Exposure::UnknownTarget),
        }
    }

    /// The permission guarding a component: its own, else the application's.
    pub fn guard<'a>(&self, file: &'a ManifestFile, c: &'a Component) -> Option<&'a str> {
        c.permission
            .as_deref()
            .or(file.manifest.application.permission.as_deref())
    }

    /// Whether the component is a standard entry point: the launcher activity, or a
    /// component whose intent filters name only the platform's actions (boot completed,
    /// `VIEW` deep links, sharing, sync adapters, widgets, push messages).
    pub fn is_standard_entry(&self, c: &Component) -> bool {
        if c.filters.is_empty() {
            return false;
        }
        c.filters
            .iter()
            .any(|f| super::platform::is_launcher(&f.actions, &f.categories))
            || c.filters.iter().all(|f| {
                !f.actions.is_empty()
                    && f.actions
                        .iter()
                        .all(|a| super::platform::is_platform_action(self.resolve(a)))
            })
    }
}
