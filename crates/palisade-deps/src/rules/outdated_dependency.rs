//! A direct dependency is a major version behind its latest release, or its release is old.
//!
//! ## What it checks
//! Only with `--online`: the rule asks each package's registry for its releases (PyPI's JSON
//! API, the npm registry, `maven-metadata.xml` of Maven Central then Google's Maven
//! repository for Android artifacts; addresses `pypi-url`, `npm-url`, `maven-url` (one or a
//! list) in `[analyzers.deps]`, with the same `timeout-seconds` and
//! `retries` as the OSV API). Offline it opens no socket and reports nothing: a notice
//! counts the direct dependencies NOT CHECKED (only in scans that have some, so scans
//! without dependency files are not told about registries).
//!
//! Only **direct** dependencies count — those the project asks for itself:
//! - a lockfile entry its lockfile marks direct (`package-lock.json`, `pnpm-lock.yaml`,
//!   `bun.lock`), or, where the lockfile does not say (`poetry.lock`, `uv.lock`,
//!   `pdm.lock`, `yarn.lock`), one that the `pyproject.toml` or `package.json` it locks
//!   names;
//! - an `==` pin of a requirements file, except those `pip-compile`/`uv pip compile` mark as
//!   pulled in by other packages only (`# via somepackage`, not `# via -r requirements.in`);
//! - a `pom.xml` dependency, a Gradle version catalog entry, a literal coordinate in
//!   `build.gradle(.kts)`;
//! - a range in a manifest no lockfile pins (`flask>=2,<3`, `"lodash": "^3.10.0"`): the
//!   version it stands for is the newest release the range admits, so a range that already
//!   admits the latest release is never reported.
//!
//! The latest release is the newest that is neither a pre-release nor yanked (a PyPI release
//! whose every file is yanked, an npm version no longer published, or above the `latest`
//! tag), in the ecosystem's own version order. A dependency older than it is reported when
//! it is at least `majors-behind` major versions behind (default 1), or when the installed
//! release was published more than `max-age-days` days ago (default 730). The finding names
//! the installed and latest versions, how many majors behind, and the release dates; the JSON
//! carries them as `properties`. Maven Central does not date each version, so Maven
//! dependencies are judged by major version only.
//!
//! A registry that cannot be reached is a notice (the dependencies it would have answered
//! for are NOT CHECKED) and the scan goes on; a package the registry does not know (a
//! private package) is counted in a notice.
//!
//! ## Why it matters
//! An old major version stops receiving fixes: when its next vulnerability is published,
//! the fix exists only in a release the project cannot take without migrating first. Old
//! releases also miss hardening that never got an advisory (OWASP A06:2021).
//!
//! ## Example
//! ```text
//! # requirements.txt (latest Django on PyPI: 5.1.4)
//! django==3.2.25        # flagged: 2 major versions behind, released 2024-03-04
//! ```
//!
//! ## Remediation
//! Plan the upgrade to the latest major version (read its migration notes), update the
//! lockfile, and run the tests. Keep dependencies current with a bot (Dependabot, Renovate)
//! so the gap never grows to several majors.
//!
//! ## References
//! - CWE-1104: Use of Unmaintained Third Party Components
//! - OWASP Top 10 2021 A06: Vulnerable and Outdated Components
//! - POLICY.md, recommendation `vendor-security`

use super::{Project, ProjectRule, at_line};
use crate::inventory::{Ecosystem, FileFacts, Origin, Role};
use crate::registry::{self, Failure, Releases};
use crate::rules::unlocked_dependencies::locks;
use crate::version::{self, range};
use palisade_core::coverage::CoverageNote;
use palisade_core::options::OptionsType;
use palisade_core::{
    Confidence, DiagnosticKind, Owasp, ProjectContext, Recommendation, RuleMeta, Severity,
};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Mutex;

pub static META: RuleMeta = RuleMeta {
    id: "deps/outdated-dependency",
    title: "Direct dependency far behind its latest release",
    severity: Severity::Low,
    confidence: Confidence::High,
    cwe: &[1104],
    owasp: Owasp::A06,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[OptionsType::of::<RuleOptions>()],
    source: include_str!("outdated_dependency.rs"),
};

pub static RULE: ProjectRule = ProjectRule {
    meta: &META,
    check,
};

/// The rule's options, under `[rules."deps/outdated-dependency".options]`.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOptions {
    /// A dependency this many major versions (or more) behind the latest release is reported; 0 turns the major-version check off.
    pub majors_behind: u64,
    /// A dependency whose installed release was published more than this many days ago, with a newer release out, is reported; 0 turns the age check off.
    pub max_age_days: u64,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            majors_behind: 1,
            max_age_days: 730,
        }
    }
}

/// How many registry documents are asked for at once.
const PARALLEL: usize = 8;

/// One dependency to judge: a locked or pinned version, or a declared range.
struct Candidate<'a> {
    file: &'a FileFacts,
    ecosystem: Ecosystem,
    name: &'a str,
    line: u32,
    what: Installed<'a>,
}

enum Installed<'a> {
    Version(&'a str),
    Range(&'a str),
}

/// Manifest formats that name the project's own dependencies.
fn is_manifest(file: &FileFacts) -> bool {
    file.role == Role::Manifest || matches!(file.format.as_str(), "package.json" | "pyproject.toml")
}

/// The direct dependencies of the scan (see the module documentation), and how many locked
/// packages were left out because nothing says whether they are direct.
fn candidates(files: &[FileFacts]) -> (Vec<Candidate<'_>>, usize) {
    let mut out = Vec::new();
    let mut undecided = 0;
    for file in files {
        let Some(ecosystem) = file.ecosystem else { continue };
        if !matches!(ecosystem, Ecosystem::PyPI | Ecosystem::Npm | Ecosystem::Maven) {
            continue;
        }
        let locked_by_other = is_manifest(file)
            && files
                .iter()
                .any(|lock| !std::ptr::eq(lock, file) && locks(lock, file, ecosystem));
        // A manifest a lockfile pins: the lockfile's versions are checked, not its ranges.
        if locked_by_other {
            continue;
        }
        // The names the manifests this lockfile pins ask for.
        let named: HashSet<String> = files
            .iter()
            .filter(|m| is_manifest(m) && m.ecosystem == Some(ecosystem))
            .filter(|m| !std::ptr::eq(*m, file) && locks(file, m, ecosystem))
            .flat_map(|m| {
                m.declared
                    .iter()
                    .map(|d| d.name.as_str())
                    .chain(m.packages.iter().map(|p| p.name.as_str()))
            })
            .map(|n| ecosystem.normalise(n))
            .collect();
        for p in &file.packages {
            if p.origin != Origin::Registry || p.version.is_empty() {
                continue;
            }
            let direct = match p.direct {
                Some(d) => d,
                None if named.is_empty() => {
                    undecided += 1;
                    false
                }
                None => named.contains(&ecosystem.normalise(&p.name)),
            };
            if direct {
                out.push(Candidate {
                    file,
                    ecosystem,
                    name: &p.name,
                    line: p.line,
                    what: Installed::Version(&p.version),
                });
            }
        }
        for d in &file.declared {
            // `npm:` aliases name another package; Maven ranges are not read.
            if d.spec.starts_with("npm:") || ecosystem == Ecosystem::Maven {
                continue;
            }
            out.push(Candidate {
                file,
                ecosystem,
                name: &d.name,
                line: d.line,
                what: Installed::Range(&d.spec),
            });
        }
    }
    (out, undecided)
}

type Key = (Ecosystem, String);

fn check(project: &Project, cx: &mut ProjectContext<'_>) {
    let options = cx.rules().options::<RuleOptions>(&META).into_owned();
    let (candidates, undecided) = candidates(&project.files);
    let settings = &project.settings;
    let bases_of = |eco: Ecosystem| -> Vec<String> {
        let one = |configured: &Option<String>, default: &str| {
            vec![configured.clone().unwrap_or_else(|| default.to_string())]
        };
        match eco {
            Ecosystem::PyPI => one(&settings.pypi_url, registry::DEFAULT_PYPI_URL),
            Ecosystem::Npm => one(&settings.npm_url, registry::DEFAULT_NPM_URL),
            _ => match &settings.maven_url {
                Some(urls) => urls.list(),
                None => registry::DEFAULT_MAVEN_URLS
                    .iter()
                    .map(|u| u.to_string())
                    .collect(),
            },
        }
    };
    let base_of = |eco: Ecosystem| bases_of(eco).join(", ");
    let keys: BTreeSet<Key> = candidates
        .iter()
        .map(|c| (c.ecosystem, c.ecosystem.normalise(c.name)))
        .collect();
    if keys.is_empty() {
        return;
    }
    // Offline: no socket (the capability to open one exists in online runs only), and no
    // silent pass either.
    let Some(online) = cx.online() else {
        cx.notice(
            None,
            DiagnosticKind::Skipped,
            format!(
                "deps/outdated-dependency: {} direct dependenc{} NOT CHECKED for being outdated: their registries are asked only with --online",
                keys.len(),
                if keys.len() == 1 { "y" } else { "ies" }
            ),
        );
        return;
    };
    let client = settings.client();
    // Asked in parallel; a registry that cannot be reached is not asked again.
    let queue = Mutex::new(keys.iter().collect::<Vec<_>>());
    let answers: Mutex<BTreeMap<Key, Result<Option<Releases>, Failure>>> =
        Mutex::new(BTreeMap::new());
    let down: Mutex<BTreeMap<Ecosystem, String>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(keys.len()) {
            scope.spawn(|| {
                loop {
                    let Some(key) = queue.lock().map(|mut q| q.pop()).unwrap_or(None) else {
                        return;
                    };
                    if down.lock().is_ok_and(|d| d.contains_key(&key.0)) {
                        continue;
                    }
                    let answer = registry::fetch_first(online, &client, key.0, &bases_of(key.0), &key.1);
                    if let (Err(Failure::Unreachable(e)), Ok(mut d)) = (&answer, down.lock()) {
                        d.entry(key.0).or_insert_with(|| e.clone());
                    }
                    if let Ok(mut a) = answers.lock() {
                        a.insert(key.clone(), answer);
                    }
                }
            });
        }
    });
    let answers = answers.into_inner().unwrap_or_default();
    let down = down.into_inner().unwrap_or_default();

    let mut asked: BTreeMap<Ecosystem, usize> = BTreeMap::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    for (key, answer) in &answers {
        match answer {
            Ok(Some(_)) => *asked.entry(key.0).or_default() += 1,
            Ok(None) => {
                *asked.entry(key.0).or_default() += 1;
                unknown.push(format!("{} ({})", key.1, key.0.osv_name()));
            }
            Err(Failure::Package(e)) => failed.push(e.clone()),
            Err(Failure::Unreachable(_)) => {}
        }
    }
    for (eco, n) in &asked {
        cx.coverage(CoverageNote::Inspected {
            recommendation: Recommendation::VendorSecurity,
            input: format!(
                "{} registry {}: {n} direct dependenc{} asked for the latest release",
                eco.osv_name(),
                base_of(*eco),
                if *n == 1 { "y" } else { "ies" }
            ),
        });
    }
    for (eco, error) in &down {
        let n = keys.iter().filter(|k| k.0 == *eco).count();
        cx.notice(
            None,
            DiagnosticKind::Unreadable,
            format!(
                "deps/outdated-dependency: {n} direct {} dependenc{} NOT CHECKED for being outdated: the registry {} could not be reached ({error})",
                eco.osv_name(),
                if n == 1 { "y" } else { "ies" },
                base_of(*eco)
            ),
        );
    }
    if !failed.is_empty() {
        cx.notice(
            None,
            DiagnosticKind::Unreadable,
            format!(
                "deps/outdated-dependency: {} dependenc{} NOT CHECKED for being outdated: the registry's answer could not be read (first: {})",
                failed.len(),
                if failed.len() == 1 { "y" } else { "ies" },
                failed[0]
            ),
        );
    }
    if !unknown.is_empty() {
        cx.notice(
            None,
            DiagnosticKind::Skipped,
            format!(
                "deps/outdated-dependency: {} dependenc{} not found on {} registry (private packages?): {}{}",
                unknown.len(),
                if unknown.len() == 1 { "y" } else { "ies" },
                if unknown.len() == 1 { "its" } else { "their" },
                unknown.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                if unknown.len() > 5 { format!(" and {} more", unknown.len() - 5) } else { String::new() }
            ),
        );
    }
    if undecided > 0 {
        cx.notice(
            None,
            DiagnosticKind::Skipped,
            format!(
                "deps/outdated-dependency: {undecided} locked package{} not checked for being outdated: {} lockfile does not say which packages are direct, and no manifest beside it names them",
                if undecided == 1 { "" } else { "s" },
                if undecided == 1 { "its" } else { "their" },
            ),
        );
    }

    let today = project.today.days_since_epoch();
    for c in &candidates {
        let key = (c.ecosystem, c.ecosystem.normalise(c.name));
        let Some(Ok(Some(releases))) = answers.get(&key) else {
            continue;
        };
        let Some(latest) = releases.latest() else { continue };
        let installed: String = match c.what {
            Installed::Version(v) => v.to_string(),
            Installed::Range(spec) => {
                // The newest release the range admits; none readable → undecided.
                match releases
                    .stable
                    .iter()
                    .rev()
                    .find(|r| range::allows(c.ecosystem, spec, &r.version) == Some(true))
                {
                    Some(r) => r.version.clone(),
                    None => continue,
                }
            }
        };
        if version::compare(c.ecosystem, &installed, &latest.version) != Some(std::cmp::Ordering::Less) {
            continue;
        }
        let behind = match (
            registry::major(c.ecosystem, &installed),
            registry::major(c.ecosystem, &latest.version),
        ) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => 0,
        };
        let released = releases.date_of(c.ecosystem, &installed);
        let age = released.map(|d| today - d.days_since_epoch());
        let too_far = options.majors_behind > 0 && behind >= options.majors_behind;
        let too_old = options.max_age_days > 0
            && age.is_some_and(|a| a > options.max_age_days as i64);
        if !too_far && !too_old {
            continue;
        }
        let mut why = Vec::new();
        if behind > 0 {
            why.push(format!(
                "{behind} major version{} behind",
                if behind == 1 { "" } else { "s" }
            ));
        }
        if let (Some(d), Some(a)) = (released, age) {
            why.push(format!("released {d}, {}", age_text(a)));
        }
        let latest_date = latest
            .date
            .map(|d| format!(" (released {d})"))
            .unwrap_or_default();
        let what = match c.what {
            Installed::Version(_) => format!("{} {installed}", c.name),
            Installed::Range(spec) => {
                format!("{} `{spec}` (at most {installed})", c.name)
            }
        };
        let message = format!(
            "{what} ({}) is {}; the latest release is {}{latest_date}",
            c.ecosystem.osv_name(),
            why.join(", "),
            latest.version,
        );
        cx.report(
            at_line(&META, &c.file.path, c.line, message)
                .with_property("ecosystem", c.ecosystem.osv_name())
                .with_property("package", c.name.to_string())
                .with_property("version", installed.clone())
                .with_property("latest", latest.version.clone())
                .with_property("majors_behind", behind)
                .with_property("released", released.map(|d| d.to_string()))
                .with_property("age_days", age)
                .with_property("latest_released", latest.date.map(|d| d.to_string())),
        );
    }
}

/// `3 years old`, `200 days old`.
fn age_text(days: i64) -> String {
    if days >= 730 {
        format!("{} years old", days / 365)
    } else {
        format!("{days} days old")
    }
}
