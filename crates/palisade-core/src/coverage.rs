//! The coverage ledger: for each of the eleven policy recommendations (POLICY.md), what a scan
//! checked, what it found, and what still needs a person's word.
//!
//! Every report carries one [`Coverage`], built by the engine at the end of a scan from what it
//! already knows — which rules ran (each rule names its recommendation), which files each
//! analyzer was handed, the findings — and from what analyzers declare besides findings
//! ([`CoverageNote`]): an input that is not a file of the walk (a control record of
//! palisade.toml, the document it names), or an attestation that is not recorded. Analyzers
//! never see each other's notes; the ledger is assembled only here.
//!
//! A recommendation's status, decided in this order:
//! 1. `not-checked`: no rule of it ran (palisade has none yet, none was selected, or all need
//!    `--online`);
//! 2. `failing`: a finding above `info` severity (those a baseline hides count too: they were
//!    found and are not fixed); inline suppressions and `[[ignore]]` entries are accepted
//!    risks and do not fail it, but they are counted (`findings.suppressed`) and named in the
//!    reason, so a recommendation whose findings are all suppressed never reads as clean;
//! 3. `needs-attestation`: an analyzer declared a record missing (a `[controls.*]` table);
//! 4. `not-applicable`: its rules ran, but there was nothing for them to read (no Kubernetes
//!    manifests found), or `not-checked` when there were candidate files none of which could
//!    be read;
//! 5. `passing`: its rules ran on relevant inputs and found nothing.
//!
//! palisade's own rules (`palisade/…`, about suppressions) are left out of the ledger.

use crate::finding::{ReportedFinding, Severity};
use crate::rule::RuleMeta;
use crate::taxonomy::Recommendation;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// How many inputs an entry lists by name; `inputs_total` counts them all.
pub const MAX_LISTED_INPUTS: usize = 50;

/// Where a recommendation stands after a scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageStatus {
    /// Its rules found something (above `info`).
    Failing,
    /// Nothing found, but a record a person must keep is missing.
    NeedsAttestation,
    /// No rule of it ran, or none of its inputs could be read.
    NotChecked,
    /// Its rules ran, but the product has nothing they apply to.
    NotApplicable,
    /// Its rules ran on relevant inputs and found nothing.
    Passing,
}

impl CoverageStatus {
    pub const ALL: [CoverageStatus; 5] = [
        CoverageStatus::Failing,
        CoverageStatus::NeedsAttestation,
        CoverageStatus::NotChecked,
        CoverageStatus::NotApplicable,
        CoverageStatus::Passing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::Failing => "failing",
            CoverageStatus::NeedsAttestation => "needs-attestation",
            CoverageStatus::NotChecked => "not-checked",
            CoverageStatus::NotApplicable => "not-applicable",
            CoverageStatus::Passing => "passing",
        }
    }
}

impl fmt::Display for CoverageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CoverageStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        CoverageStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown coverage status `{s}` (expected failing, needs-attestation, not-checked, not-applicable or passing)"
                )
            })
    }
}

/// What an analyzer tells the ledger besides its findings.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CoverageNote {
    /// It inspected `input` — a record, a document, a source that is not a file of the walk —
    /// for `recommendation`.
    Inspected {
        recommendation: Recommendation,
        input: String,
    },
    /// `recommendation` needs an attestation nobody recorded: `what` says which.
    NeedsAttestation {
        recommendation: Recommendation,
        what: String,
    },
}

/// A recommendation's findings, by severity. `baselined` counts those a baseline hid and
/// `suppressed` those an inline suppression or an `[[ignore]]` entry hid (neither are in the
/// other counts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FindingCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub baselined: usize,
    pub suppressed: usize,
}

impl FindingCounts {
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    /// Findings shown in the report, every severity.
    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }

    /// Findings that make the recommendation fail: above `info`, shown or baselined.
    pub fn failing(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.baselined
    }

    /// `2 high, 1 medium` (only the non-zero counts).
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            (self.critical, "critical"),
            (self.high, "high"),
            (self.medium, "medium"),
            (self.low, "low"),
            (self.info, "info"),
            (self.baselined, "in the baseline"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        parts.join(", ")
    }
}

/// One line of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoverageEntry {
    pub recommendation: Recommendation,
    pub status: CoverageStatus,
    /// Why it has this status, in a sentence.
    pub reason: String,
    /// The rules of this recommendation that ran, sorted.
    pub rules: Vec<&'static str>,
    /// What its rules read: scanned files (relative paths) and declared inputs (records,
    /// documents), sorted; at most [`MAX_LISTED_INPUTS`].
    pub inputs: Vec<String>,
    /// How many inputs there were in all.
    pub inputs_total: usize,
    pub findings: FindingCounts,
    /// Records a person must keep that are missing, as the analyzers named them.
    pub missing_attestations: Vec<String>,
}

/// The ledger: one entry per recommendation, in POLICY.md's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Coverage {
    pub entries: Vec<CoverageEntry>,
}

impl Coverage {
    pub fn get(&self, recommendation: Recommendation) -> Option<&CoverageEntry> {
        self.entries
            .iter()
            .find(|e| e.recommendation == recommendation)
    }

    /// The recommendations whose status is one of `statuses`.
    pub fn with_status<'a>(
        &'a self,
        statuses: &'a [CoverageStatus],
    ) -> impl Iterator<Item = &'a CoverageEntry> + 'a {
        self.entries
            .iter()
            .filter(move |e| statuses.contains(&e.status))
    }

    /// How many recommendations have `status`.
    pub fn count(&self, status: CoverageStatus) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }
}

/// What the engine gathered about one analyzer: its rules and what it reads. The files it
/// was handed are counted in [`FileInputs`], per recommendation.
pub(crate) struct AnalyzerInputs {
    pub rules: &'static [&'static RuleMeta],
    /// What the analyzer reads, for "no … found" (`Kubernetes manifests`).
    pub description: String,
    /// Files its selector took by name that could not be read (too large, binary, …).
    pub unreadable: usize,
}

/// The files of the scan that count as inputs of each recommendation, built from each file's
/// [`file_input_bits`] (set while the file is analysed), so that no list of paths per
/// recommendation is kept for a tree of any size: a count, the first paths to list, and a
/// lookup that keeps an inspected input that is also a file from counting twice.
pub(crate) struct FileInputs<'a> {
    /// By recommendation, in [`Recommendation::ALL`] order.
    counts: [usize; Recommendation::ALL.len()],
    /// By recommendation: its first [`MAX_LISTED_INPUTS`] files, sorted.
    listed: [Vec<String>; Recommendation::ALL.len()],
    /// The bits of a walked file (0 for a path that is none).
    bits_of: &'a dyn Fn(&str) -> u16,
}

impl<'a> FileInputs<'a> {
    /// `files`: every file with its bits, sorted by path.
    pub(crate) fn new(
        files: impl IntoIterator<Item = (String, u16)>,
        bits_of: &'a dyn Fn(&str) -> u16,
    ) -> FileInputs<'a> {
        let mut counts = [0; Recommendation::ALL.len()];
        let mut listed: [Vec<String>; Recommendation::ALL.len()] = Default::default();
        for (path, bits) in files {
            for (index, count) in counts.iter_mut().enumerate() {
                if bits & (1 << index) != 0 {
                    *count += 1;
                    if listed[index].len() < MAX_LISTED_INPUTS {
                        listed[index].push(path.clone());
                    }
                }
            }
        }
        FileInputs {
            counts,
            listed,
            bits_of,
        }
    }
}

/// A recommendation's place in [`Recommendation::ALL`], its bit in [`file_input_bits`].
fn rec_index(recommendation: Recommendation) -> usize {
    Recommendation::ALL
        .iter()
        .position(|r| *r == recommendation)
        .unwrap_or(0)
}

/// The recommendations a file counts as an input of, one bit each: those of the rules that
/// read it (`readers`, by every analyzer that took it: `Analyzer::rules_for`) that ran and
/// apply to its path (`applies`: not in their `ignore-paths`).
pub(crate) fn file_input_bits<'r>(
    readers: impl IntoIterator<Item = &'r &'static RuleMeta>,
    ran: impl Fn(&RuleMeta) -> bool,
    applies: impl Fn(&str) -> bool,
) -> u16 {
    let mut bits = 0;
    for rule in readers {
        let bit = 1 << rec_index(rule.recommendation);
        if bits & bit == 0 && counted(rule.id) && ran(rule) && applies(rule.id) {
            bits |= bit;
        }
    }
    bits
}

/// Everything [`build`] needs.
pub(crate) struct LedgerFacts<'a> {
    /// Every rule palisade has (to tell "no rule yet" from "not selected").
    pub registry: &'a [&'static RuleMeta],
    /// Whether rule `id` ran.
    pub ran: &'a dyn Fn(&RuleMeta) -> bool,
    /// Every analyzer that took part (those with at least one rule that ran).
    pub analyzers: &'a [AnalyzerInputs],
    pub files: FileInputs<'a>,
    pub notes: &'a [CoverageNote],
    pub findings: &'a [ReportedFinding],
    /// Findings a baseline hid, by recommendation and severity.
    pub baselined: &'a [(Recommendation, Severity)],
    /// The recommendation of each finding an inline suppression or `[[ignore]]` entry hid.
    pub suppressed: &'a [Recommendation],
}

fn counted(rule_id: &str) -> bool {
    !rule_id.starts_with("palisade/")
}

/// Builds the ledger.
pub(crate) fn build(facts: &LedgerFacts<'_>) -> Coverage {
    let entries = Recommendation::ALL
        .into_iter()
        .map(|rec| entry(rec, facts))
        .collect();
    Coverage { entries }
}

fn entry(rec: Recommendation, facts: &LedgerFacts<'_>) -> CoverageEntry {
    let of_rec = |r: &&&'static RuleMeta| r.recommendation == rec && counted(r.id);
    let known: Vec<&'static RuleMeta> = facts.registry.iter().filter(of_rec).copied().collect();
    let mut rules: Vec<&'static str> = known
        .iter()
        .filter(|r| (facts.ran)(r))
        .map(|r| r.id)
        .collect();
    rules.sort_unstable();
    rules.dedup();

    let mut unreadable = 0;
    let mut descriptions: Vec<&str> = Vec::new();
    for analyzer in facts.analyzers {
        let own = analyzer.rules.iter().any(|r| {
            r.recommendation == rec && counted(r.id) && rules.binary_search(&r.id).is_ok()
        });
        if !own {
            continue;
        }
        if !analyzer.description.is_empty() && !descriptions.contains(&&*analyzer.description) {
            descriptions.push(&analyzer.description);
        }
        unreadable += analyzer.unreadable;
    }
    let bit = 1 << rec_index(rec);
    let mut n_inputs = facts.files.counts[rec_index(rec)];
    // Listed: the first files and the inspected inputs that are not files of the scan,
    // sorted together.
    let mut inputs: BTreeSet<&str> = facts.files.listed[rec_index(rec)]
        .iter()
        .map(String::as_str)
        .collect();
    let mut missing = Vec::new();
    for note in facts.notes {
        match note {
            CoverageNote::Inspected {
                recommendation,
                input,
            } if *recommendation == rec
                && (facts.files.bits_of)(input) & bit == 0
                && inputs.insert(input) =>
            {
                n_inputs += 1;
            }
            CoverageNote::NeedsAttestation {
                recommendation,
                what,
            } if *recommendation == rec && !missing.contains(what) => {
                missing.push(what.clone());
            }
            _ => {}
        }
    }

    let mut findings = FindingCounts::default();
    for f in facts
        .findings
        .iter()
        .filter(|f| f.recommendation == rec && counted(&f.rule_id))
    {
        findings.add(f.severity);
    }
    for (r, severity) in facts.baselined {
        if *r == rec && *severity > Severity::Info {
            findings.baselined += 1;
        }
    }
    findings.suppressed = facts.suppressed.iter().filter(|r| **r == rec).count();

    let n_rules = rules.len();
    let rules_text = format!("{n_rules} rule{}", if n_rules == 1 { "" } else { "s" });
    let inputs_text = format!("{n_inputs} input{}", if n_inputs == 1 { "" } else { "s" });
    let (status, reason) = if rules.is_empty() {
        let reason = if known.is_empty() {
            "no palisade rule checks it yet".to_string()
        } else if known.iter().all(|r| r.needs_network) {
            "its rules need network access and did not run (pass --online)".to_string()
        } else {
            format!(
                "none of its {} rule{} was selected",
                known.len(),
                if known.len() == 1 { "" } else { "s" }
            )
        };
        (CoverageStatus::NotChecked, reason)
    } else if findings.failing() > 0 {
        (
            CoverageStatus::Failing,
            format!(
                "{} finding{} ({}) from {rules_text} on {inputs_text}",
                findings.failing(),
                if findings.failing() == 1 { "" } else { "s" },
                findings.summary()
            ),
        )
    } else if !missing.is_empty() {
        (
            CoverageStatus::NeedsAttestation,
            format!("not recorded: {}", missing.join("; ")),
        )
    } else if n_inputs == 0 && unreadable > 0 {
        (
            CoverageStatus::NotChecked,
            format!(
                "{unreadable} candidate file{} could not be read (see the notices)",
                if unreadable == 1 { "" } else { "s" }
            ),
        )
    } else if n_inputs == 0 {
        let what = if descriptions.is_empty() {
            "inputs for its rules".to_string()
        } else {
            descriptions.join(" or ")
        };
        (CoverageStatus::NotApplicable, format!("no {what} found"))
    } else {
        (
            CoverageStatus::Passing,
            format!("{rules_text} ran on {inputs_text} and found nothing"),
        )
    };
    let reason = match findings.suppressed {
        0 => reason,
        n if status == CoverageStatus::Passing => format!(
            "{rules_text} ran on {inputs_text}; every finding ({n}) is suppressed as an accepted risk (inline or `[[ignore]]`)"
        ),
        n => format!(
            "{reason}; {n} more suppressed as accepted risk{}",
            if n == 1 { "" } else { "s" }
        ),
    };
    CoverageEntry {
        recommendation: rec,
        status,
        reason,
        rules,
        inputs_total: n_inputs,
        inputs: inputs
            .into_iter()
            .take(MAX_LISTED_INPUTS)
            .map(str::to_string)
            .collect(),
        findings,
        missing_attestations: missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Confidence, Finding, Span};
    use crate::taxonomy::Owasp;

    const fn rule(id: &'static str, recommendation: Recommendation) -> RuleMeta {
        RuleMeta {
            id,
            title: "",
            severity: Severity::Medium,
            confidence: Confidence::High,
            cwe: &[],
            owasp: Owasp::A05,
            recommendation,
            needs_network: false,
            options: &[],
            source: "",
        }
    }
    static K8S: RuleMeta = rule("k8s/x", Recommendation::Kubernetes);
    static BACKUP: RuleMeta = rule("controls/backup-record", Recommendation::Backup);
    static PY: RuleMeta = rule("python/x", Recommendation::PythonBackend);
    static OWN: RuleMeta = rule("palisade/unused-suppression", Recommendation::Audits);
    static K8S_RULES: [&RuleMeta; 1] = [&K8S];
    static PY_RULES: [&RuleMeta; 1] = [&PY];

    fn finding(rule: &'static RuleMeta, severity: Severity) -> ReportedFinding {
        let f = Finding::new(rule, Span::line(1), "x")
            .with_path("a")
            .with_severity(severity);
        ReportedFinding::new(f, String::new(), "0".into())
    }

    fn ledger(
        files: Vec<String>,
        notes: &[CoverageNote],
        findings: &[ReportedFinding],
        baselined: &[(Recommendation, Severity)],
    ) -> Coverage {
        ledger_with(files, notes, findings, baselined, &[])
    }

    fn ledger_with(
        files: Vec<String>,
        notes: &[CoverageNote],
        findings: &[ReportedFinding],
        baselined: &[(Recommendation, Severity)],
        suppressed: &[Recommendation],
    ) -> Coverage {
        let registry: Vec<&'static RuleMeta> = vec![&K8S, &BACKUP, &PY, &OWN];
        let analyzers = vec![
            AnalyzerInputs {
                rules: &K8S_RULES,
                description: "Kubernetes manifests".into(),
                unreadable: 0,
            },
            AnalyzerInputs {
                rules: &PY_RULES,
                description: "Python files".into(),
                unreadable: 2,
            },
        ];
        let ran = |r: &RuleMeta| r.id != "controls/backup-record" || !notes.is_empty();
        // The files the k8s analyzer took, as the engine marks them; `backup.yaml` is read by
        // no k8s rule (as an analyzer's `rules_for` can say).
        let mut marked: Vec<(String, u16)> = files
            .into_iter()
            .map(|f| {
                let readers: &[&'static RuleMeta] =
                    if f == "backup.yaml" { &[] } else { &K8S_RULES };
                let bits = file_input_bits(readers, ran, |_| f != "ignored.yaml");
                (f, bits)
            })
            .collect();
        marked.sort();
        let bits_of = |path: &str| {
            marked
                .iter()
                .find(|(f, _)| f == path)
                .map_or(0, |(_, bits)| *bits)
        };
        build(&LedgerFacts {
            registry: &registry,
            ran: &ran,
            analyzers: &analyzers,
            files: FileInputs::new(marked.iter().map(|(f, b)| (f.clone(), *b)), &bits_of),
            notes,
            findings,
            baselined,
            suppressed,
        })
    }

    #[test]
    fn a_file_counts_only_toward_the_rules_that_read_it() {
        let c = ledger(vec!["backup.yaml".into()], &[], &[], &[]);
        let k8s = c.get(Recommendation::Kubernetes).unwrap();
        assert_eq!(k8s.status, CoverageStatus::NotApplicable, "{k8s:?}");
        assert!(k8s.inputs.is_empty());
    }

    #[test]
    fn suppressed_findings_are_counted_and_named() {
        let c = ledger_with(
            vec!["a.yaml".into()],
            &[],
            &[],
            &[],
            &[Recommendation::Kubernetes, Recommendation::Kubernetes],
        );
        let k8s = c.get(Recommendation::Kubernetes).unwrap();
        assert_eq!(k8s.status, CoverageStatus::Passing);
        assert_eq!(k8s.findings.suppressed, 2);
        assert_eq!(
            k8s.reason,
            "1 rule ran on 1 input; every finding (2) is suppressed as an accepted risk (inline or `[[ignore]]`)"
        );
        let c = ledger_with(
            vec!["a.yaml".into()],
            &[],
            &[finding(&K8S, Severity::High)],
            &[],
            &[Recommendation::Kubernetes],
        );
        let k8s = c.get(Recommendation::Kubernetes).unwrap();
        assert_eq!(k8s.status, CoverageStatus::Failing);
        assert!(
            k8s.reason.ends_with("; 1 more suppressed as accepted risk"),
            "{k8s:?}"
        );
        assert_eq!(
            c.get(Recommendation::Backup).unwrap().findings.suppressed,
            0
        );
    }

    #[test]
    fn every_recommendation_has_a_status_with_a_reason() {
        let c = ledger(vec!["ignored.yaml".into()], &[], &[], &[]);
        assert_eq!(c.entries.len(), 11);
        let k8s = c.get(Recommendation::Kubernetes).unwrap();
        assert_eq!(k8s.status, CoverageStatus::NotApplicable);
        assert_eq!(k8s.reason, "no Kubernetes manifests found");
        let py = c.get(Recommendation::PythonBackend).unwrap();
        assert_eq!(py.status, CoverageStatus::NotChecked, "{py:?}");
        assert!(py.reason.contains("could not be read"), "{py:?}");
        let backup = c.get(Recommendation::Backup).unwrap();
        assert_eq!(backup.status, CoverageStatus::NotChecked);
        assert_eq!(backup.reason, "none of its 1 rule was selected");
        let mobile = c.get(Recommendation::Mobile).unwrap();
        assert_eq!(mobile.reason, "no palisade rule checks it yet");
        let audits = c.get(Recommendation::Audits).unwrap();
        assert_eq!(
            audits.status,
            CoverageStatus::NotChecked,
            "palisade's own rules do not count"
        );
    }

    #[test]
    fn passing_needs_inputs_and_no_findings() {
        let c = ledger(vec!["a.yaml".into()], &[], &[], &[]);
        let k8s = c.get(Recommendation::Kubernetes).unwrap();
        assert_eq!(k8s.status, CoverageStatus::Passing);
        assert_eq!(k8s.inputs, ["a.yaml"]);
        assert_eq!(k8s.rules, ["k8s/x"]);

        let c = ledger(
            vec!["a.yaml".into()],
            &[],
            &[finding(&K8S, Severity::Info)],
            &[],
        );
        assert_eq!(
            c.get(Recommendation::Kubernetes).unwrap().status,
            CoverageStatus::Passing,
            "an info finding does not fail"
        );
        let c = ledger(
            vec!["a.yaml".into()],
            &[],
            &[],
            &[(Recommendation::Kubernetes, Severity::High)],
        );
        let k8s = c.get(Recommendation::Kubernetes).unwrap();
        assert_eq!(k8s.status, CoverageStatus::Failing);
        assert!(k8s.reason.contains("1 in the baseline"), "{k8s:?}");
    }

    #[test]
    fn missing_records_need_attestation_unless_something_fails() {
        let notes = [
            CoverageNote::NeedsAttestation {
                recommendation: Recommendation::Backup,
                what: "[controls.backup] in palisade.toml".into(),
            },
            CoverageNote::Inspected {
                recommendation: Recommendation::Backup,
                input: "palisade.toml".into(),
            },
        ];
        let c = ledger(Vec::new(), &notes, &[], &[]);
        let backup = c.get(Recommendation::Backup).unwrap();
        assert_eq!(backup.status, CoverageStatus::NeedsAttestation);
        assert_eq!(backup.inputs, ["palisade.toml"]);
        let c = ledger(
            Vec::new(),
            &notes,
            &[finding(&BACKUP, Severity::Medium)],
            &[],
        );
        let backup = c.get(Recommendation::Backup).unwrap();
        assert_eq!(backup.status, CoverageStatus::Failing);
        assert_eq!(backup.missing_attestations.len(), 1);
        assert_eq!(
            "needs-attestation".parse(),
            Ok(CoverageStatus::NeedsAttestation)
        );
    }
}
