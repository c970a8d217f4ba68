//! The fixture harness. Every analyzer crate keeps example files under `fixtures/`; a line
//! in the host comment syntax above a target line says what must happen there:
//!
//! - `ruleid: <slug>`: the rule must report a finding starting on the target line;
//! - `ok: <slug>`: it must not;
//! - `todoruleid: <slug>` / `todook: <slug>`: a known gap (a miss, a false alarm) that is
//!   recorded but does not fail the run.
//!
//! The target is the next line that is not itself an annotation. `<slug>` is the part of the
//! rule id after the slash (resolved among the domains the caller names: one crate may hold
//! several) or a full id; several may be given, separated by commas. Where a rule varies its
//! severity or confidence, an annotation may pin them: `ruleid[confidence=low]: <slug>`,
//! `ruleid[severity=medium, confidence=high]: <slug>`; the finding must then have exactly
//! those values. Formats without comments (JSON) use a sidecar `<file>.expect.toml`
//! with `[[expect]]` tables of `line`, `rule` and `kind`. Any finding on a line that nobody
//! annotated for its rule fails the run.

pub mod loopback;

use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, DynAnalyzer, ScanOptions};
use palisade_core::rule::RuleMeta;
use palisade_core::{CommentStyle, Confidence, ReportedFinding, Severity};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The day a fixture with its own palisade.toml is scanned on (`--today`).
pub const FIXTURE_TODAY: &str = "2026-12-01";

/// What a fixture line expects of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expectation {
    RuleId,
    Ok,
    TodoRuleId,
    TodoOk,
}

/// One annotation: on `line` (the target), rule `rule_id` is expected to `expect`, with the
/// pinned severity and confidence if given.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Annotation {
    pub line: u32,
    pub rule_id: String,
    pub expect: Expectation,
    pub severity: Option<Severity>,
    pub confidence: Option<Confidence>,
}

/// The pins of `ruleid[severity=…, confidence=…]`, or an error naming what is wrong.
fn parse_pins(text: &str) -> Result<(Option<Severity>, Option<Confidence>), String> {
    let (mut severity, mut confidence) = (None, None);
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match pair.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
            Some(("severity", v)) => severity = Some(v.parse()?),
            Some(("confidence", v)) => confidence = Some(v.parse()?),
            _ => return Err(format!("unknown pin `{pair}` (severity=… or confidence=…)")),
        }
    }
    Ok((severity, confidence))
}

/// The outcome of checking fixtures.
#[derive(Debug, Default)]
pub struct FixtureResults {
    pub files: usize,
    pub failures: Vec<String>,
    /// Rule ids with at least one `ruleid:` annotation that passed.
    pub positive: BTreeSet<String>,
    /// Rule ids with at least one `ok:` annotation that passed.
    pub negative: BTreeSet<String>,
    /// Known gaps, for the record.
    pub todos: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    expect: Vec<SidecarEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SidecarEntry {
    line: u32,
    rule: String,
    kind: String,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    confidence: Option<Confidence>,
}

fn expectation(word: &str) -> Option<Expectation> {
    match word {
        "ruleid" => Some(Expectation::RuleId),
        "ok" => Some(Expectation::Ok),
        "todoruleid" => Some(Expectation::TodoRuleId),
        "todook" => Some(Expectation::TodoOk),
        _ => None,
    }
}

/// How bare slugs become rule ids: among the domains of the crate whose fixtures run.
pub struct Ids<'a> {
    pub domains: &'a [&'a str],
    pub registry: &'a [&'static RuleMeta],
}

impl Ids<'_> {
    /// A slug made a full id: the first of the domains that has a rule of that slug, else
    /// the first domain (an unknown rule is reported by the caller).
    fn full(&self, slug: &str) -> String {
        if slug.contains('/') {
            return slug.to_string();
        }
        let domain = self
            .domains
            .iter()
            .find(|d| {
                self.registry
                    .iter()
                    .any(|r| r.domain() == **d && r.slug() == slug)
            })
            .or(self.domains.first())
            .copied()
            .unwrap_or_default();
        format!("{domain}/{slug}")
    }
}

/// Parses the annotations of one fixture's text (comment lines of any usual syntax).
pub fn parse_annotations(text: &str, ids: &Ids<'_>) -> Result<Vec<Annotation>, String> {
    type Pending = (String, Expectation, Option<Severity>, Option<Confidence>);
    let mut pending: Vec<Pending> = Vec::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let mut body = line.trim_start();
        for opener in ["<!--", "//", "{/*", "/*", "#", "--", "*"] {
            if let Some(rest) = body.strip_prefix(opener) {
                body = rest.trim_start();
                break;
            }
        }
        let parsed = body.split_once(':').and_then(|(word, rest)| {
            let word = word.trim();
            let (word, pins) = match word.split_once('[') {
                Some((w, p)) => (w, p.strip_suffix(']')?),
                None => (word, ""),
            };
            let expect = expectation(word)?;
            (body.len() != line.trim_start().len()).then_some((expect, pins, rest))
        });
        match parsed {
            Some((expect, pins, rest)) => {
                let (severity, confidence) =
                    parse_pins(pins).map_err(|e| format!("line {line_no}: {e}"))?;
                let rest = rest.trim().trim_end_matches("-->").trim_end_matches("*/");
                for slug in rest.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let slug = slug.split_whitespace().next().unwrap_or(slug);
                    pending.push((ids.full(slug), expect, severity, confidence));
                }
            }
            None => {
                for (rule_id, expect, severity, confidence) in pending.drain(..) {
                    out.push(Annotation {
                        line: line_no,
                        rule_id,
                        expect,
                        severity,
                        confidence,
                    });
                }
            }
        }
    }
    Ok(out)
}

fn parse_sidecar(path: &Path, ids: &Ids<'_>) -> Result<Vec<Annotation>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sidecar: Sidecar = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    sidecar
        .expect
        .into_iter()
        .map(|e| {
            Ok(Annotation {
                line: e.line,
                rule_id: ids.full(&e.rule),
                expect: expectation(&e.kind)
                    .ok_or_else(|| format!("{}: unknown kind `{}`", path.display(), e.kind))?,
                severity: e.severity,
                confidence: e.confidence,
            })
        })
        .collect()
}

/// Checks every fixture under `dir` (a crate's `fixtures/` folder) against its annotations.
/// `domains` are the rule domains the crate holds (one crate may hold several, as the mobile
/// crate holds `android` and `ios`); they resolve bare slugs and name the fixtures' rules.
///
/// Each entry of `dir` is scanned on its own: a file, or a folder as one project (for rules
/// that look across files). An entry named after a rule — `<slug>.<ext>`, `<slug>-<case>.<ext>`
/// or a folder `<slug>/` (the longest matching slug wins) — runs only that rule, so a fixture
/// need not annotate what other rules think of it. A fixture of the `palisade` domain (about
/// suppressions, which concern every rule) runs the `palisade` rules and every rule it names,
/// in an annotation or a `palisade: ignore[...]` comment, so that adding a rule elsewhere does
/// not break it. Any other entry runs every rule.
pub fn check_fixture_dir(
    dir: &Path,
    domains: &[&str],
    analyzers: &[&dyn DynAnalyzer],
) -> FixtureResults {
    let registry = engine::registry(analyzers);
    let ids = Ids {
        domains,
        registry: &registry,
    };
    // palisade's own rules are about suppressions, which concern every rule.
    let about_suppressions = domains == ["palisade"];
    let mut results = FixtureResults::default();
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(e) => {
            results.failures.push(format!("{}: {e}", dir.display()));
            return results;
        }
    };
    entries.sort();
    for entry in entries {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".expect.toml") {
            continue;
        }
        let stem = if entry.is_dir() {
            name.as_str()
        } else {
            name.split('.').next().unwrap_or_default()
        };
        let scoped = (!about_suppressions)
            .then(|| rule_named_by(stem, domains, &registry))
            .flatten();
        let rules = match scoped {
            Some(id) => RuleSet::only(&registry, &[id]),
            None if about_suppressions => {
                let named = rules_named_in(&entry, &ids);
                let ids: Vec<&str> = registry
                    .iter()
                    .filter(|r| r.domain() == "palisade" || named.contains(r.id))
                    .map(|r| r.id)
                    .collect();
                RuleSet::only(&registry, &ids)
            }
            None => RuleSet::all(&registry),
        };
        check_entry(dir, &entry, &name, &ids, analyzers, &rules, &mut results);
    }
    results
}

/// The rule a fixture entry is named after: the longest slug of `domains` that `stem` equals
/// or starts with, followed by `-`.
fn rule_named_by(
    stem: &str,
    domains: &[&str],
    registry: &[&'static RuleMeta],
) -> Option<&'static str> {
    registry
        .iter()
        .filter(|r| domains.contains(&r.domain()))
        .filter(|r| {
            stem == r.slug()
                || stem
                    .strip_prefix(r.slug())
                    .is_some_and(|rest| rest.starts_with('-'))
        })
        .max_by_key(|r| r.slug().len())
        .map(|r| r.id)
}

/// Every rule id a fixture entry names: in its annotations (or sidecars) and in its
/// `ignore[...]` suppression lists.
fn rules_named_in(entry: &Path, ids: &Ids<'_>) -> BTreeSet<String> {
    let files = if entry.is_dir() {
        fixture_files(entry)
    } else {
        vec![entry.to_path_buf()]
    };
    let mut named = BTreeSet::new();
    for path in files {
        let sidecar = PathBuf::from(format!("{}.expect.toml", path.with_extension("").display()));
        if let Ok(annotations) = parse_sidecar(&sidecar, ids) {
            named.extend(annotations.into_iter().map(|a| a.rule_id));
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        named.extend(
            parse_annotations(&text, ids)
                .unwrap_or_default()
                .into_iter()
                .map(|a| a.rule_id),
        );
        for (at, opener) in text.match_indices("ignore[") {
            let rest = &text[at + opener.len()..];
            let list = rest.split(']').next().unwrap_or_default();
            named.extend(list.split(',').map(|id| ids.full(id.trim())));
        }
    }
    named
}

fn check_entry(
    dir: &Path,
    entry: &Path,
    name: &str,
    ids: &Ids<'_>,
    analyzers: &[&dyn DynAnalyzer],
    rules: &RuleSet,
    results: &mut FixtureResults,
) {
    // A folder fixture may carry its own palisade.toml (control records); its runs count
    // dates from a fixed day, so that a fixture's fresh and stale records stay so.
    let own_config = entry.join(palisade_core::config::CONFIG_FILE_NAME);
    let config = if own_config.is_file() {
        let registry = engine::registry(analyzers);
        match Config::load(
            &own_config,
            &registry,
            &engine::settings_sections(analyzers),
        ) {
            Ok(config) => config,
            Err(e) => {
                results.failures.push(format!("{name}: {e}"));
                return;
            }
        }
    } else {
        Config::default()
    };
    let mut options = ScanOptions::new(vec![entry.to_path_buf()], &config, rules);
    if own_config.is_file() {
        options.today = palisade_core::date::Date::parse(FIXTURE_TODAY);
    }
    let report = match engine::scan(analyzers, &options) {
        Ok(report) => report,
        Err(e) => {
            results.failures.push(format!("{name}: {e}"));
            return;
        }
    };
    // Paths relative to the fixtures folder.
    let rel_of = |path: &str| {
        if entry.is_dir() {
            format!("{name}/{path}")
        } else {
            name.to_string()
        }
    };
    for d in &report.diagnostics {
        results.failures.push(format!(
            "{}: unexpected diagnostic: {}",
            d.path.as_deref().map_or_else(|| name.to_string(), rel_of),
            d.message
        ));
    }
    let mut by_file: BTreeMap<String, Vec<&ReportedFinding>> = BTreeMap::new();
    // Findings about no line (the repository as a whole: an unattested control record; a
    // whole document: a part an incident response plan lacks) have no line to annotate;
    // their rules' own tests check them.
    for f in report
        .findings
        .iter()
        .filter(|f| f.location.span().is_some())
    {
        by_file
            .entry(rel_of(f.location.path().unwrap_or_default()))
            .or_default()
            .push(f);
    }
    let files = if entry.is_dir() {
        fixture_files(entry)
    } else {
        vec![entry.to_path_buf()]
    };
    for path in files {
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        // Only formats without comments use a sidecar (`x.json` → `x.expect.toml`).
        let commentless = CommentStyle::for_path(&path.to_string_lossy()) == CommentStyle::None;
        let sidecar = PathBuf::from(format!("{}.expect.toml", path.with_extension("").display()));
        let annotations = if commentless {
            parse_sidecar(&sidecar, ids)
        } else {
            std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|t| parse_annotations(&t, ids))
                .map_err(|e| format!("{rel}: {e}"))
        };
        let annotations = match annotations {
            Ok(a) => a,
            Err(e) => {
                results.failures.push(e);
                continue;
            }
        };
        results.files += 1;
        let findings = by_file.remove(&rel).unwrap_or_default();
        check_file(&rel, &annotations, &findings, ids.registry, results);
    }
    for (path, findings) in by_file {
        for f in findings {
            results.failures.push(format!(
                "{path}:{}: {} reported in a file the harness did not check",
                f.location.line(),
                f.rule_id
            ));
        }
    }
}

fn check_file(
    rel: &str,
    annotations: &[Annotation],
    findings: &[&ReportedFinding],
    registry: &[&'static RuleMeta],
    results: &mut FixtureResults,
) {
    let hit = |rule: &str, line: u32| {
        findings
            .iter()
            .any(|f| f.rule_id == rule && f.location.line() == line)
    };
    // A finding that a pinned annotation describes must have the pinned values.
    let pins_hold = |a: &Annotation| {
        findings
            .iter()
            .filter(|f| f.rule_id == a.rule_id && f.location.line() == a.line)
            .all(|f| {
                a.severity.is_none_or(|s| s == f.severity)
                    && a.confidence.is_none_or(|c| c == f.confidence)
            })
    };
    for a in annotations {
        let place = format!("{rel}:{}", a.line);
        if !registry.iter().any(|r| r.id == a.rule_id) {
            results.failures.push(format!(
                "{place}: annotation names unknown rule `{}`",
                a.rule_id
            ));
            continue;
        }
        let found = hit(&a.rule_id, a.line);
        match a.expect {
            Expectation::RuleId if !found => results.failures.push(format!(
                "{place}: expected a finding of {} here (ruleid), got none",
                a.rule_id
            )),
            Expectation::RuleId if !pins_hold(a) => results.failures.push(format!(
                "{place}: {} reported here, but not with the pinned {}",
                a.rule_id,
                pinned(a)
            )),
            Expectation::RuleId => {
                results.positive.insert(a.rule_id.clone());
            }
            Expectation::Ok if found => results.failures.push(format!(
                "{place}: {} must not report here (ok), but did",
                a.rule_id
            )),
            Expectation::Ok => {
                results.negative.insert(a.rule_id.clone());
            }
            Expectation::TodoRuleId | Expectation::TodoOk => results.todos.push(format!(
                "{place}: {:?} {} (currently {})",
                a.expect,
                a.rule_id,
                if found { "reported" } else { "not reported" }
            )),
        }
    }
    for f in findings {
        let line = f.location.line();
        let annotated = annotations
            .iter()
            .any(|a| a.line == line && a.rule_id == f.rule_id);
        if !annotated {
            results.failures.push(format!(
                "{rel}:{line}: unannotated finding of {}: {} (add `ruleid:` if it is right, fix the rule if not)",
                f.rule_id, f.message
            ));
        }
    }
}

/// Fails the calling test with every fixture failure, after printing the known gaps; also
/// fails when no fixture was found at all (a moved folder must not pass silently).
pub fn assert_holds(results: &FixtureResults) {
    assert!(results.files > 0, "no fixtures found");
    for todo in &results.todos {
        eprintln!("known gap: {todo}");
    }
    assert!(
        results.failures.is_empty(),
        "{} fixture failure(s):\n{}",
        results.failures.len(),
        results.failures.join("\n")
    );
}

/// The first of `names` found on the PATH, if any.
pub fn find_tool(names: &[&str]) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
            .find(|p| p.is_file())
    })
}

/// The first of `names` found on the PATH: an outside program a test needs (kubectl for
/// Kustomize, strace for the no-socket check). Outside CI a developer may lack it and the
/// test is skipped with a line on stderr; under CI (`CI` set) a missing tool fails the test,
/// because `.ci/test` installs it and a skip there would hide a broken feature.
pub fn required_tool(names: &[&str]) -> Option<PathBuf> {
    let found = find_tool(names);
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is required in CI (see .ci/test)",
            names.join(" or ")
        );
        eprintln!("none of {} on the PATH: skipped", names.join(", "));
    }
    found
}

/// How an annotation's pins read in a failure message.
fn pinned(a: &Annotation) -> String {
    let mut parts = Vec::new();
    if let Some(s) = a.severity {
        parts.push(format!("severity={s}"));
    }
    if let Some(c) = a.confidence {
        parts.push(format!("confidence={c}"));
    }
    parts.join(", ")
}

/// Fixture files under `dir`, sorted; sidecars are not fixtures themselves.
pub fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.to_string_lossy().ends_with(".expect.toml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_target_the_next_plain_line() {
        let text = "# ruleid: a-rule, python/b\n# ok: c\nx = 1\n// todook: d\ny\n<!-- ruleid: e -->\n<p>\nruleid: not-a-comment\n";
        let ids = Ids {
            domains: &["python"],
            registry: &[],
        };
        let a = parse_annotations(text, &ids).unwrap();
        let got: Vec<(u32, &str, Expectation)> = a
            .iter()
            .map(|a| (a.line, a.rule_id.as_str(), a.expect))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, "python/a-rule", Expectation::RuleId),
                (3, "python/b", Expectation::RuleId),
                (3, "python/c", Expectation::Ok),
                (5, "python/d", Expectation::TodoOk),
                (7, "python/e", Expectation::RuleId),
            ]
        );
    }

    #[test]
    fn annotations_may_pin_severity_and_confidence() {
        let ids = Ids {
            domains: &["k8s"],
            registry: &[],
        };
        let text = "# ruleid[severity=medium, confidence=low]: a
x
# ok: b
y
";
        let a = parse_annotations(text, &ids).unwrap();
        assert_eq!(a[0].severity, Some(Severity::Medium));
        assert_eq!(a[0].confidence, Some(Confidence::Low));
        assert_eq!(a[1].severity, None);
        assert!(
            parse_annotations(
                "# ruleid[colour=red]: a
x
",
                &ids
            )
            .is_err()
        );
        assert!(
            parse_annotations(
                "# ruleid[confidence=sure]: a
x
",
                &ids
            )
            .is_err()
        );
    }

    #[test]
    fn bare_slugs_resolve_among_the_crate_domains() {
        static IOS: RuleMeta = scope_tests::rule("ios/ats-disabled");
        let registry: Vec<&'static RuleMeta> = vec![&IOS];
        let ids = Ids {
            domains: &["android", "ios"],
            registry: &registry,
        };
        assert_eq!(ids.full("ats-disabled"), "ios/ats-disabled");
        assert_eq!(ids.full("unknown"), "android/unknown");
        assert_eq!(ids.full("web/x"), "web/x");
    }
}

#[cfg(test)]
mod scope_tests {
    use super::*;
    use palisade_core::{Owasp, Recommendation};

    pub(super) const fn rule(id: &'static str) -> RuleMeta {
        RuleMeta {
            id,
            title: "",
            severity: Severity::Low,
            confidence: Confidence::High,
            cwe: &[],
            owasp: Owasp::A05,
            recommendation: Recommendation::Kubernetes,
            needs_network: false,
            options: &[],
            source: "",
        }
    }
    static WILDCARD: RuleMeta = rule("k8s/rbac-wildcard");
    static WILDCARD_VERBS: RuleMeta = rule("k8s/rbac-wildcard-verbs");

    #[test]
    fn a_fixture_is_scoped_to_the_longest_rule_slug_it_is_named_after() {
        let registry: Vec<&'static RuleMeta> = vec![&WILDCARD, &WILDCARD_VERBS];
        let named = |stem| rule_named_by(stem, &["k8s"], &registry);
        assert_eq!(named("rbac-wildcard"), Some("k8s/rbac-wildcard"));
        assert_eq!(named("rbac-wildcard-list"), Some("k8s/rbac-wildcard"));
        assert_eq!(
            named("rbac-wildcard-verbs-dump"),
            Some("k8s/rbac-wildcard-verbs")
        );
        assert_eq!(named("rbac-wildcardish"), None);
        assert_eq!(named("shop"), None);
        assert_eq!(rule_named_by("rbac-wildcard", &["python"], &registry), None);
    }
}
