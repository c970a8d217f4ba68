//! `scan --online`: what a package registry says about a package's releases, for
//! `deps/outdated-dependency`. Each registry's public metadata document, read with the
//! crate's HTTP client (the same timeouts and retries as the OSV API):
//!
//! - PyPI: `GET {pypi-url}/pypi/{name}/json` — the `releases` map, each version's files with
//!   their `upload_time` and `yanked` flag;
//! - npm: `GET {npm-url}/{name}` (a scoped name's `/` written `%2F`) — `dist-tags.latest`,
//!   the published `versions` and the `time` of each;
//! - Maven: `GET {maven-url}/{group/as/path}/{artifact}/maven-metadata.xml` — the listed
//!   `versions` (Maven Central's metadata carries no date per version); each repository of
//!   the list in turn (Maven Central, then Google's for Android artifacts) until one knows
//!   the artifact.
//!
//! Pre-releases and yanked releases (a PyPI release whose every file is yanked; an npm
//! version no longer published) never count as the latest.

use crate::inventory::Ecosystem;
use crate::net::Client;
use crate::version::{self, Version};
use palisade_core::date::Date;
use palisade_core::engine::Online;
use serde_json::Value;
use std::cmp::Ordering;

pub const DEFAULT_PYPI_URL: &str = "https://pypi.org";
pub const DEFAULT_NPM_URL: &str = "https://registry.npmjs.org";
pub const DEFAULT_MAVEN_URLS: &[&str] = &[
    "https://repo1.maven.org/maven2",
    "https://dl.google.com/android/maven2",
];

/// A registry document may be large (an npm package with thousands of versions).
const MAX_DOCUMENT_BYTES: u64 = 128 * 1024 * 1024;

/// One release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    pub version: String,
    /// When it was published, when the registry says.
    pub date: Option<Date>,
}

/// What a registry says about one package.
#[derive(Clone, Debug, Default)]
pub struct Releases {
    /// Every release that is neither a pre-release nor yanked, up to the latest, ascending
    /// (Maven: only the last, the latest, is in its place).
    pub stable: Vec<Release>,
    /// Every version the registry dates (yanked and pre-releases too), for the age of the
    /// installed one.
    pub dated: Vec<Release>,
}

impl Releases {
    /// The newest release that is neither a pre-release nor yanked.
    pub fn latest(&self) -> Option<&Release> {
        self.stable.last()
    }

    /// The publication date of `version` (compared in the ecosystem's order, so `2.0`
    /// finds `2.0.0`).
    pub fn date_of(&self, ecosystem: Ecosystem, version: &str) -> Option<Date> {
        if let Some(r) = self.dated.iter().find(|r| r.version == version) {
            return r.date;
        }
        self.dated
            .iter()
            .find(|r| version::compare(ecosystem, &r.version, version) == Some(Ordering::Equal))
            .and_then(|r| r.date)
    }

    fn finish(mut self, ecosystem: Ecosystem) -> Releases {
        let mut parsed: Vec<(Version, Release)> = self
            .stable
            .drain(..)
            .filter_map(|r| Some((Version::parse(ecosystem, &r.version)?, r)))
            .collect();
        let cmp = |a: &(Version, Release), b: &(Version, Release)| {
            a.0.compare(&b.0).unwrap_or(Ordering::Equal)
        };
        if ecosystem == Ecosystem::Maven {
            // Maven's order is not total (see `version::maven`), so never `sort_by`, which
            // may panic on such an order (the document comes from the network); and an
            // artifact may list thousands of versions. Only the latest is needed (Maven
            // ranges are not read): the greatest goes last, in one pass.
            let mut best = 0;
            for i in 1..parsed.len() {
                if cmp(&parsed[i], &parsed[best]) == Ordering::Greater {
                    best = i;
                }
            }
            if !parsed.is_empty() {
                let last = parsed.len() - 1;
                parsed.swap(best, last);
            }
        } else {
            parsed.sort_by(cmp);
        }
        self.stable = parsed.into_iter().map(|(_, r)| r).collect();
        self
    }
}

/// Why a registry could not say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No connection, or no answer after the retries: the registry is not asked again in
    /// this scan.
    Unreachable(String),
    /// This package only: an error answer or a document that cannot be read.
    Package(String),
}

/// The address of a package's document, or `None` for a name the registry cannot have.
pub fn document_url(ecosystem: Ecosystem, base: &str, name: &str) -> Option<String> {
    let base = base.trim_end_matches('/');
    match ecosystem {
        Ecosystem::PyPI => {
            let name = crate::inventory::normalise_pypi(name);
            valid_name(&name, "-_.").then(|| format!("{base}/pypi/{name}/json"))
        }
        Ecosystem::Npm => {
            let (scope, bare) = match name.strip_prefix('@') {
                Some(rest) => {
                    let (scope, bare) = rest.split_once('/')?;
                    (Some(scope), bare)
                }
                None => (None, name),
            };
            if !valid_name(bare, "-_.~") || scope.is_some_and(|s| !valid_name(s, "-_.~")) {
                return None;
            }
            Some(match scope {
                Some(scope) => format!("{base}/@{scope}%2F{bare}"),
                None => format!("{base}/{bare}"),
            })
        }
        Ecosystem::Maven => {
            let (group, artifact) = name.split_once(':')?;
            if !valid_name(group, "-_.") || !valid_name(artifact, "-_.") {
                return None;
            }
            Some(format!(
                "{base}/{}/{artifact}/maven-metadata.xml",
                group.replace('.', "/")
            ))
        }
        Ecosystem::CratesIo => None,
    }
}

fn valid_name(name: &str, punctuation: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || punctuation.contains(c))
}

/// Asks the registries at `bases`, in order, about one package: the first that knows it
/// answers; `Ok(None)` when none does. A registry that cannot be reached makes the answer
/// `Unreachable` only when no other one knows the package.
pub fn fetch_first(
    online: Online,
    client: &Client,
    ecosystem: Ecosystem,
    bases: &[String],
    name: &str,
) -> Result<Option<Releases>, Failure> {
    let mut unreachable = None;
    for base in bases {
        match fetch(online, client, ecosystem, base, name) {
            Ok(None) => {}
            Err(Failure::Unreachable(e)) => {
                unreachable.get_or_insert(e);
            }
            other => return other,
        }
    }
    match unreachable {
        Some(e) => Err(Failure::Unreachable(e)),
        None => Ok(None),
    }
}

/// Asks the registry at `base` about one package: `Ok(None)` when it does not know it.
pub fn fetch(
    online: Online,
    client: &Client,
    ecosystem: Ecosystem,
    base: &str,
    name: &str,
) -> Result<Option<Releases>, Failure> {
    let Some(url) = document_url(ecosystem, base, name) else {
        return Err(Failure::Package(format!(
            "`{name}` is not a name the registry can have"
        )));
    };
    let answer = client.get(online, &url).map_err(Failure::Unreachable)?;
    match answer.status {
        200 => {}
        404 | 410 => return Ok(None),
        status => {
            return Err(Failure::Package(format!(
                "{url}: the server answered HTTP {status}"
            )));
        }
    }
    let bytes = answer
        .body(MAX_DOCUMENT_BYTES)
        .map_err(|e| Failure::Package(format!("{url}: {e}")))?;
    let parsed = match ecosystem {
        Ecosystem::PyPI => parse_pypi(&bytes),
        Ecosystem::Npm => parse_npm(&bytes),
        Ecosystem::Maven => parse_maven_metadata(&bytes),
        Ecosystem::CratesIo => Err("not asked".to_string()),
    };
    parsed
        .map(Some)
        .map_err(|e| Failure::Package(format!("{url}: {e}")))
}

/// The date of an ISO 8601 timestamp (`2019-05-01T12:00:00Z`, `2019-05-01T12:00:00.123`).
fn date_of(text: &str) -> Option<Date> {
    Date::parse(text.get(..10)?)
}

/// PyPI's JSON API document (`/pypi/{name}/json`).
pub fn parse_pypi(bytes: &[u8]) -> Result<Releases, String> {
    let doc: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not a PyPI JSON document: {e}"))?;
    let releases = doc
        .get("releases")
        .and_then(Value::as_object)
        .ok_or("not a PyPI JSON document: no `releases`")?;
    let mut out = Releases::default();
    for (text, files) in releases {
        let files = files.as_array().map(Vec::as_slice).unwrap_or_default();
        // A release is published when its first file is.
        let date = files
            .iter()
            .filter_map(|f| {
                f.get("upload_time_iso_8601")
                    .or_else(|| f.get("upload_time"))
                    .and_then(Value::as_str)
                    .and_then(date_of)
            })
            .min();
        out.dated.push(Release {
            version: text.clone(),
            date,
        });
        let yanked = !files.is_empty()
            && files
                .iter()
                .all(|f| f.get("yanked").and_then(Value::as_bool) == Some(true));
        let stable = version::pep440::Pep440::parse(text).is_some_and(|v| !v.is_prerelease());
        if !files.is_empty() && !yanked && stable {
            out.stable.push(Release {
                version: text.clone(),
                date,
            });
        }
    }
    Ok(out.finish(Ecosystem::PyPI))
}

/// npm's registry document (`/{name}`).
pub fn parse_npm(bytes: &[u8]) -> Result<Releases, String> {
    let doc: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not an npm registry document: {e}"))?;
    let versions = doc
        .get("versions")
        .and_then(Value::as_object)
        .ok_or("not an npm registry document: no `versions`")?;
    let time = doc.get("time").and_then(Value::as_object);
    let dated = |v: &str| {
        time.and_then(|t| t.get(v))
            .and_then(Value::as_str)
            .and_then(date_of)
    };
    let mut out = Releases::default();
    if let Some(time) = time {
        for (v, when) in time {
            if v != "created" && v != "modified" {
                out.dated.push(Release {
                    version: v.clone(),
                    date: when.as_str().and_then(date_of),
                });
            }
        }
    }
    let tagged = doc
        .get("dist-tags")
        .and_then(|t| t.get("latest"))
        .and_then(Value::as_str)
        .and_then(|v| {
            let parsed = version::parse_semver(v)?;
            (parsed.pre.is_empty() && versions.contains_key(v)).then_some(parsed)
        });
    for v in versions.keys() {
        let Some(parsed) = version::parse_semver(v) else {
            continue;
        };
        // Releases above the `latest` tag (a newer line published under another tag) are
        // not what an install picks.
        let above_latest = tagged
            .as_ref()
            .is_some_and(|t| parsed.cmp_precedence(t) == Ordering::Greater);
        if parsed.pre.is_empty() && !above_latest {
            out.stable.push(Release {
                version: v.clone(),
                date: dated(v),
            });
        }
    }
    Ok(out.finish(Ecosystem::Npm))
}

/// Whether a Maven version is a pre-release by its qualifier (`-alpha1`, `-M2`, `-RC1`,
/// `-SNAPSHOT`, `-beta`, `.CR1`, `-preview`, `-ea`).
pub fn maven_prerelease(version: &str) -> bool {
    let lower = version.to_ascii_lowercase();
    let mut words = Vec::new();
    let mut word = String::new();
    for c in lower.chars() {
        if c.is_ascii_alphabetic() {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "alpha"
                | "a"
                | "beta"
                | "b"
                | "milestone"
                | "m"
                | "rc"
                | "cr"
                | "snapshot"
                | "preview"
                | "ea"
                | "dev"
                | "pre"
        )
    })
}

/// A Maven repository's `maven-metadata.xml`.
pub fn parse_maven_metadata(bytes: &[u8]) -> Result<Releases, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "maven-metadata.xml is not UTF-8")?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("maven-metadata.xml: {e}"))?;
    let mut out = Releases::default();
    for v in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "version")
        .filter(|n| {
            n.parent()
                .is_some_and(|p| p.tag_name().name() == "versions")
        })
        .filter_map(|n| n.text())
    {
        let v = v.trim();
        out.dated.push(Release {
            version: v.to_string(),
            date: None,
        });
        if !v.is_empty() && !maven_prerelease(v) {
            out.stable.push(Release {
                version: v.to_string(),
                date: None,
            });
        }
    }
    Ok(out.finish(Ecosystem::Maven))
}

/// The major version: the first number of the release.
pub fn major(ecosystem: Ecosystem, text: &str) -> Option<u64> {
    match Version::parse(ecosystem, text)? {
        Version::Pep440(v) => (v.epoch == 0).then(|| v.release.first().copied())?,
        Version::Semver(v) => Some(v.major),
        Version::Maven(_) => {
            let digits: String = text
                .trim()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_addresses() {
        let pypi = document_url(Ecosystem::PyPI, "http://h/", "Django_Rest.Framework");
        assert_eq!(
            pypi.as_deref(),
            Some("http://h/pypi/django-rest-framework/json")
        );
        let npm = document_url(Ecosystem::Npm, "http://h", "@types/node");
        assert_eq!(npm.as_deref(), Some("http://h/@types%2Fnode"));
        let maven = document_url(Ecosystem::Maven, "http://h/m2", "com.google.guava:guava");
        assert_eq!(
            maven.as_deref(),
            Some("http://h/m2/com/google/guava/guava/maven-metadata.xml")
        );
        assert_eq!(document_url(Ecosystem::Npm, "http://h", "../x"), None);
        assert_eq!(document_url(Ecosystem::Npm, "http://h", "a b"), None);
        assert_eq!(document_url(Ecosystem::Maven, "http://h", "nocolon"), None);
    }

    #[test]
    fn maven_qualifiers() {
        for pre in [
            "2.0.0-M1",
            "6.0.0-RC2",
            "1.0-SNAPSHOT",
            "3.0.0-beta-1",
            "1.0.alpha1",
            "5.0.0.CR1",
        ] {
            assert!(maven_prerelease(pre), "{pre}");
        }
        for release in [
            "33.0.0-jre",
            "33.0.0-android",
            "2.17.0",
            "1.0.Final",
            "4.1.100.Final",
        ] {
            assert!(!maven_prerelease(release), "{release}");
        }
    }

    #[test]
    fn odd_maven_versions_sort_without_panicking() {
        let versions: String = [
            "1", "1-0", "1.0.0.0", "1-a", "1.a", "1-1", "1.0-sp", "1-sp-1", "1.1", "1-final",
            "1.0.ga", "2", "x", "1--1", "",
        ]
        .iter()
        .map(|v| format!("<version>{v}</version>"))
        .collect();
        let doc = format!(
            "<metadata><versioning><versions>{versions}</versions></versioning></metadata>"
        );
        let releases = parse_maven_metadata(doc.as_bytes()).unwrap();
        assert_eq!(releases.latest().map(|r| r.version.as_str()), Some("2"));
    }

    #[test]
    fn majors() {
        assert_eq!(major(Ecosystem::PyPI, "4.2.11"), Some(4));
        assert_eq!(major(Ecosystem::PyPI, "1!2.0"), None);
        assert_eq!(major(Ecosystem::Npm, "18.2.0"), Some(18));
        assert_eq!(major(Ecosystem::Maven, "33.0.0-jre"), Some(33));
    }
}
