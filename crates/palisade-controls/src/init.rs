//! `palisade init`: the files a team needs to start keeping its control records — a
//! palisade.toml with the `[controls.*]` tables to fill in, an incident response plan and a
//! disaster-recovery runbook to complete, a training roster and a vendor inventory with their
//! headers, SECURITY.md, a CODEOWNERS suggestion for the sensitive paths the repository has,
//! and a GitHub workflow that runs palisade with least privilege.
//!
//! Nothing written here attests anything: the records are commented out and every template is
//! full of `TODO`s, so a scan right after `init` shows each organisational recommendation as
//! needs-attestation (or failing), never passing. This module only says what to write; the
//! binary writes it, never over an existing file.

use crate::sensitive::{self, Sensitive};
use palisade_core::date::Date;
use std::collections::BTreeMap;

/// One file `init` proposes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// Relative to the repository root, `/`-separated.
    pub path: &'static str,
    pub text: String,
    /// What it is, for the command's output.
    pub what: &'static str,
}

use crate::repository::CODEOWNERS_PLACES;

/// The files to write into a repository whose files (relative paths) are `files`, on `today`.
/// A CODEOWNERS suggestion is left out when the repository already has one.
pub fn plan(files: &[String], today: Date) -> Vec<Planned> {
    let fill = |template: &str| template.replace("{{TODAY}}", &today.to_string());
    let mut out = vec![
        Planned {
            path: "palisade.toml",
            text: fill(include_str!("../templates/palisade.toml.tmpl")),
            what: "configuration with the control records to fill in",
        },
        Planned {
            path: "docs/incident-response.md",
            text: fill(include_str!("../templates/incident-response.md.tmpl")),
            what: "incident response plan template (NIST SP 800-61 phases)",
        },
        Planned {
            path: "docs/disaster-recovery.md",
            text: fill(include_str!("../templates/disaster-recovery.md.tmpl")),
            what: "disaster-recovery runbook template",
        },
        Planned {
            path: "security/training.csv",
            text: fill(include_str!("../templates/training.csv.tmpl")),
            what: "training roster (name,email,role,last-completed)",
        },
        Planned {
            path: "security/vendors.csv",
            text: fill(include_str!("../templates/vendors.csv.tmpl")),
            what: "vendor inventory (vendor,service,data,last-assessment)",
        },
        Planned {
            path: "SECURITY.md",
            text: fill(include_str!("../templates/SECURITY.md.tmpl")),
            what: "security policy with a contact to fill in",
        },
        Planned {
            path: ".github/workflows/palisade.yml",
            text: fill(include_str!("../templates/workflow.yml.tmpl")),
            what: "GitHub workflow: palisade with SARIF upload, least privilege, SHA-pinned actions",
        },
    ];
    let has_codeowners = files
        .iter()
        .any(|f| CODEOWNERS_PLACES.contains(&f.as_str()));
    if !has_codeowners {
        out.push(Planned {
            path: ".github/CODEOWNERS",
            text: codeowners(files, today),
            what: "CODEOWNERS suggestion for the sensitive paths found",
        });
    }
    out
}

/// A CODEOWNERS file covering every sensitive path among `files` (and the files `init`
/// itself writes), grouped by why they are sensitive, owned by a placeholder team.
pub fn codeowners(files: &[String], today: Date) -> String {
    let mut groups: BTreeMap<Sensitive, Vec<String>> = BTreeMap::new();
    let written = [
        ".github/workflows/palisade.yml",
        "palisade.toml",
        "SECURITY.md",
        ".github/CODEOWNERS",
    ];
    for path in files.iter().map(String::as_str).chain(written) {
        if let Some((kind, pattern)) = sensitive::classify(path) {
            let list = groups.entry(kind).or_default();
            if !list.contains(&pattern) {
                list.push(pattern);
            }
        }
    }
    let mut out = format!(
        "# CODEOWNERS suggested by `palisade init` on {today} from the files it found.\n\
         # Replace @your-org/security with the team (or people) who must review changes to\n\
         # these paths, and turn on \"Require review from Code Owners\" in branch protection.\n\
         # Later lines win: keep the most specific patterns last.\n"
    );
    for (kind, mut patterns) in groups {
        patterns.sort();
        out.push_str(&format!("\n# {}\n", kind.describe()));
        for pattern in patterns {
            out.push_str(&format!("{pattern} @your-org/security\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_every_file_and_suggests_owners_for_what_it_finds() {
        let files: Vec<String> = [
            "backend/app.py",
            "backend/migrations/0001.py",
            "k8s/deploy.yaml",
            "poetry.lock",
        ]
        .map(String::from)
        .to_vec();
        let today = Date::parse("2026-12-02").unwrap();
        let planned = plan(&files, today);
        let paths: Vec<&str> = planned.iter().map(|p| p.path).collect();
        assert!(paths.contains(&".github/CODEOWNERS"), "{paths:?}");
        assert_eq!(paths.len(), 8);
        let toml = &planned[0].text;
        assert!(toml.contains("# last-restore-test = \"2026-12-02\""));
        assert!(!toml.contains("{{"), "every placeholder filled");
        let owners = &planned.last().unwrap().text;
        for pattern in [
            "/backend/migrations/ ",
            "/k8s/ ",
            "/poetry.lock ",
            "/.github/workflows/ ",
            "/palisade.toml ",
        ] {
            assert!(owners.contains(pattern), "{pattern} in {owners}");
        }
        let with_owners = [String::from("CODEOWNERS")];
        assert_eq!(plan(&with_owners, today).len(), 7);
    }
}
