//! The fuzz smoke run of every CI run: every fixture of every analyzer, read as the kind of
//! file it is (the newer analyzers' fixtures under their own paths) and then mutated in fixed, repeatable ways (cut at many points, bytes
//! flipped, a block repeated, lines indented, brackets and quotes left open), goes through
//! `palisade::fuzz::scan_as` — the function the cargo-fuzz targets in `fuzz/` call. No
//! analyzer may panic (the engine would turn it into an "internal error" notice) and no
//! input may hang the test. The long fuzz runs are not here: see fuzz/README.md.

use palisade::fuzz::{KINDS, internal_errors, scan_as};
use std::path::{Path, PathBuf};

/// The kind index of `KINDS` a fixture is read as, from its path.
fn kind_of(path: &Path) -> Option<usize> {
    let name = path.to_string_lossy();
    let kind = |analyzer: &str, file: &str| {
        KINDS
            .iter()
            .position(|(a, p, _)| *a == analyzer && p.ends_with(file))
    };
    if name.contains("palisade-controls/fixtures/gitlab") {
        kind("ci", ".gitlab-ci.yml")
    } else if name.contains("palisade-controls/fixtures") && name.ends_with(".yml") {
        kind("ci", "ci.yml")
    } else if name.ends_with(".py") {
        kind("python", ".py")
    } else if name.contains("palisade-k8s/fixtures") && name.ends_with(".yaml") {
        kind("k8s", ".yaml")
    } else if name.contains("palisade-secrets/fixtures") {
        kind("secrets", ".js")
    } else {
        None
    }
}

fn fixtures() -> Vec<(usize, PathBuf)> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    for name in [
        "palisade-python",
        "palisade-k8s",
        "palisade-controls",
        "palisade-secrets",
    ] {
        let mut stack = vec![crates.join(name).join("fixtures")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Some(kind) = kind_of(&path) {
                    out.push((kind, path));
                }
            }
        }
    }
    out.sort();
    out
}

/// Fixed mutations of `text`: cut at a third and two thirds, a byte turned into a
/// structural character at six places, the first half repeated, open brackets and quotes
/// at the end.
fn mutations(text: &str) -> Vec<String> {
    let boundary = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut out = vec![
        text[..boundary(text.len() / 3)].to_string(),
        text[..boundary(text.len() * 2 / 3)].to_string(),
    ];
    for (i, replacement) in [":", "[", "\"", "(", "\\", "\n  -"].iter().enumerate() {
        let at = boundary(text.len() * (i + 1) / 7);
        let next = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        out.push(format!("{}{replacement}{}", &text[..at], &text[next..]));
    }
    let half = boundary(text.len() / 2);
    out.push(format!("{}{text}", &text[..half]));
    out.push(format!("{text}\n[{{(\"'`"));
    out
}

/// Every fixture of `analyzer` and its mutations through the engine: no internal error.
fn no_panic_on_fixtures_of(analyzer: &str, at_least: usize) {
    let fixtures: Vec<(usize, PathBuf)> = fixtures()
        .into_iter()
        .filter(|(kind, _)| KINDS[*kind].0 == analyzer)
        .collect();
    assert!(
        fixtures.len() >= at_least,
        "{analyzer}: {} fixtures",
        fixtures.len()
    );
    for (kind, path) in &fixtures {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for input in std::iter::once(text.clone()).chain(mutations(&text)) {
            let report = scan_as(*kind, input);
            let errors = internal_errors(&report);
            assert!(
                errors.is_empty(),
                "{} (or a mutation of it, read as {}): {errors:?}",
                path.display(),
                KINDS[*kind].1
            );
        }
    }
}

#[test]
fn python_fixtures_and_mutations_never_panic() {
    no_panic_on_fixtures_of("python", 250);
}

#[test]
fn kubernetes_fixtures_and_mutations_never_panic() {
    no_panic_on_fixtures_of("k8s", 100);
}

#[test]
fn ci_fixtures_and_mutations_never_panic() {
    no_panic_on_fixtures_of("ci", 15);
}

#[test]
fn secrets_fixtures_and_mutations_never_panic() {
    no_panic_on_fixtures_of("secrets", 80);
}

/// Every file fixture of `krate`, read by `analyzer` under its own path inside the
/// fixtures folder (a lockfile stays `poetry.lock`, a manifest `AndroidManifest.xml`), and
/// its mutations: no internal error.
fn no_panic_on_own_fixtures(krate: &str, analyzer: &'static str, at_least: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("fixtures");
    let mut stack = vec![root.clone()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= at_least, "{krate}: {} fixtures", files.len());
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let relative = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let comment = palisade_core::CommentStyle::for_path(&relative);
        for input in std::iter::once(text.clone()).chain(mutations(&text)) {
            let report = palisade::fuzz::scan_named(analyzer, &relative, comment, input);
            let errors = internal_errors(&report);
            assert!(
                errors.is_empty(),
                "{relative} (or a mutation of it, read by {analyzer}): {errors:?}"
            );
        }
    }
}

#[test]
fn web_fixtures_and_mutations_never_panic() {
    no_panic_on_own_fixtures("palisade-web", "web", 40);
}

#[test]
fn deps_fixtures_and_mutations_never_panic() {
    no_panic_on_own_fixtures("palisade-deps", "deps", 30);
}

#[test]
fn android_fixtures_and_mutations_never_panic() {
    no_panic_on_own_fixtures("palisade-mobile", "android", 40);
}

#[test]
fn ios_fixtures_and_mutations_never_panic() {
    no_panic_on_own_fixtures("palisade-mobile", "ios", 40);
}

#[test]
fn scan_bytes_reads_the_first_byte_as_the_kind() {
    let report =
        palisade::fuzz::scan_bytes(b"\x00import requests\nrequests.get(u, verify=False)\n")
            .expect("text");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule_id == "python/tls-verification-disabled"),
        "{:?}",
        report.findings
    );
    assert!(palisade::fuzz::scan_bytes(b"\x00text\x00with NUL bytes").is_none());
    assert!(palisade::fuzz::scan_bytes(b"").is_none());
}
