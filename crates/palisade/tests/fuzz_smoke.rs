//! The fuzz smoke run of every CI run: every fixture of every analyzer, read as the kind of
//! file it is (the newer analyzers' fixtures under their own paths) and then mutated in fixed, repeatable ways (cut at many points, bytes
//! flipped, a block repeated, lines indented, brackets and quotes left open), goes through
//! `palisade::fuzz::scan_as` — the function the cargo-fuzz targets in `fuzz/` call. No
//! analyzer may panic (the engine would turn it into an "internal error" notice) and no
//! input may hang the test. The long fuzz runs are not here: see fuzz/README.md.

use palisade::fuzz::parsers::files_under;
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
    let files = files_under(&root);
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

/// The parser targets (`palisade::fuzz::parsers`) a fixture seeds, with the first byte that
/// picks its format (`None`: the target reads one format), as `fuzz/seeds.sh` writes them.
fn parser_seeds_of(path: &Path) -> Vec<(&'static str, Option<u8>)> {
    let name = path.to_string_lossy().replace('\\', "/");
    let file = name.rsplit('/').next().unwrap_or(&name).to_string();
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    let lockfile = palisade::fuzz::parsers::LOCKFILES
        .iter()
        .position(|l| l.rsplit('/').next() == Some(file.as_str()))
        .or_else(|| {
            if file.ends_with(".dockerfile") {
                Some(21)
            } else if name.contains("palisade-deps") && ext == "txt" {
                Some(22)
            } else {
                None
            }
        });
    let mut out = Vec::new();
    if name.contains("palisade-web/fixtures") {
        out.push(("csp", Some(0)));
        let config = match ext {
            "conf" | "htaccess" => Some(0),
            _ if file == "_headers" => Some(1),
            _ if file == "netlify.toml" => Some(2),
            "json" => Some(3),
            "html" | "htm" => Some(4),
            "js" | "mjs" | "cjs" | "ts" | "tsx" | "jsx" => Some(5),
            "py" => Some(6),
            _ => None,
        };
        if let Some(k) = config {
            out.push(("web_config", Some(k)));
        }
    } else if name.contains("palisade-mobile/fixtures") {
        let kind = match ext {
            _ if file == "AndroidManifest.xml" => Some(0),
            "xml" => Some(1),
            "plist" | "entitlements" => Some(2),
            "gradle" | "kts" => Some(3),
            _ if file == "libs.versions.toml" => Some(4),
            _ => None,
        };
        if let Some(k) = kind {
            out.push(("mobile_xml", Some(k)));
        }
    } else if name.contains("palisade-controls/fixtures") && ext == "yml" {
        out.push(("ci", None));
    } else if name.contains("tests/data/osv") {
        out.push(("osv", None));
    }
    if let Some(i) = lockfile.filter(|_| name.contains("palisade-deps")) {
        out.push(("lockfile", Some(i as u8)));
    }
    out
}

fn target(name: &str) -> fn(&[u8]) {
    palisade::fuzz::parsers::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no target {name}"))
        .1
}

/// Every parser target on the fixtures that seed it, and their mutations: what a short fuzz
/// run starts from. A panic fails the test (the targets assert their properties too).
#[test]
fn parser_targets_replay_their_seeds_and_mutations() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen: std::collections::BTreeMap<&str, usize> = Default::default();
    let dirs = [
        crates.join("palisade-web/fixtures"),
        crates.join("palisade-mobile/fixtures"),
        crates.join("palisade-controls/fixtures"),
        crates.join("palisade-deps/fixtures"),
        crates.join("palisade-deps/tests/data/osv"),
    ];
    for path in dirs.iter().flat_map(|d| files_under(d)) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (name, byte) in parser_seeds_of(&path) {
            *seen.entry(name).or_default() += 1;
            let run = target(name);
            for input in std::iter::once(text.clone()).chain(mutations(&text)) {
                let mut bytes: Vec<u8> = byte.into_iter().collect();
                bytes.extend_from_slice(input.as_bytes());
                run(&bytes);
            }
        }
    }
    // The code model through the engine: the fixtures once each (their mutations go
    // through the web analyzer in web_fixtures_and_mutations_never_panic).
    for path in files_under(&crates.join("palisade-web/fixtures")) {
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("js") => 0,
            Some("ts") => 1,
            Some("tsx") => 2,
            Some("jsx") => 3,
            Some("vue") => 4,
            Some("html") => 5,
            _ => continue,
        };
        let mut bytes = vec![kind];
        bytes.extend(std::fs::read(&path).unwrap());
        target("web_code")(&bytes);
        *seen.entry("web_code").or_default() += 1;
    }
    // Versions: every event of the OSV fixtures, per ecosystem, in both orders.
    for (i, eco) in ["PyPI", "npm", "crates.io", "Maven"].iter().enumerate() {
        let mut versions = Vec::new();
        for path in files_under(&crates.join("palisade-deps/tests/data/osv").join(eco)) {
            let record: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for affected in record["affected"].as_array().into_iter().flatten() {
                for range in affected["ranges"].as_array().into_iter().flatten() {
                    for event in range["events"].as_array().into_iter().flatten() {
                        for v in event.as_object().into_iter().flat_map(|o| o.values()) {
                            versions.extend(v.as_str().map(str::to_string));
                        }
                    }
                }
            }
        }
        for list in [
            versions.join("\n"),
            versions
                .iter()
                .rev()
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
        ] {
            let mut bytes = vec![i as u8];
            bytes.extend(list.as_bytes());
            target("version_order")(&bytes);
        }
        *seen.entry("version_order").or_default() += 1;
    }
    // The binary targets: the mobile fixtures compiled, each cut at eight places and with
    // bytes flipped at eight.
    for (name, _, bytes) in
        palisade::fuzz::parsers::binary_seeds(&crates.join("palisade-mobile/fixtures"))
    {
        *seen.entry(name).or_default() += 1;
        let run = target(name);
        run(&bytes);
        for i in 1..8 {
            let at = bytes.len() * i / 8;
            run(&bytes[..at]);
            let mut flipped = bytes.clone();
            flipped[at] ^= 0xFF;
            run(&flipped);
        }
    }
    for (name, _) in palisade::fuzz::parsers::TARGETS {
        assert!(
            seen.get(name).copied().unwrap_or(0) > 0,
            "no seed for {name}: {seen:?}"
        );
    }
}

/// Writes the binary targets' seeds into `$FUZZ_SEEDS_DIR/<target>/` (run by fuzz/seeds.sh).
#[test]
#[ignore = "writes the fuzz seeds; run by fuzz/seeds.sh"]
fn write_binary_seeds() {
    let dir = PathBuf::from(std::env::var("FUZZ_SEEDS_DIR").expect("FUZZ_SEEDS_DIR"));
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (name, seed, bytes) in
        palisade::fuzz::parsers::binary_seeds(&crates.join("palisade-mobile/fixtures"))
    {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        std::fs::write(dir.join(name).join(seed), bytes).unwrap();
    }
}

/// Inputs the parser targets crashed on, replayed: each was a bug, now fixed.
#[test]
fn parser_target_crashes_stay_fixed() {
    // version_order: Maven's order is not transitive (`1.0-SNAPSHOT < 1.0.0 < 1.w4…` but
    // `1.0-SNAPSHOT > 1.w4…`), and a sort by it could panic; palisade sorts by rank.
    let maven =
        b"\x032.0\n1.0-SNAPSHOT\n1.0-alpha-1\n1.0.0\n1-rc\n1.w4.w11.0-final0\n10%sp.RELEASE\n";
    target("version_order")(maven);
    let mut many = vec![3u8];
    for _ in 0..30 {
        many.extend_from_slice(b"1.0-SNAPSHOT\n1.0.0\n1.w\n");
    }
    target("version_order")(&many);
    // The same cycle as the events of one OSV range (sorted before the sweep).
    let events: Vec<String> = ["1.0-SNAPSHOT", "1.0.0", "1.w"]
        .iter()
        .cycle()
        .take(60)
        .enumerate()
        .map(|(i, v)| {
            let kind = if i % 2 == 0 { "introduced" } else { "fixed" };
            format!("{{\"{kind}\": \"{v}\"}}")
        })
        .collect();
    let record = format!(
        "{{\"id\": \"X-1\", \"affected\": [{{\"package\": {{\"ecosystem\": \"Maven\", \
         \"name\": \"g:a\"}}, \"ranges\": [{{\"type\": \"ECOSYSTEM\", \"events\": [{}]}}]}}]}}",
        events.join(", ")
    );
    target("osv")(record.as_bytes());
}
