//! Nothing derived from scanned input may panic: every format's reader over arbitrary text,
//! and over lockfile-shaped text with random bytes spliced in.

use palisade_core::SourceFile;
use palisade_deps::inventory;
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "requirements.txt",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pyproject.toml",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "package.json",
    "Cargo.lock",
    "pom.xml",
    "gradle.lockfile",
    "libs.versions.toml",
    "build.gradle.kts",
    "Dockerfile",
    ".python-version",
    ".nvmrc",
    "setup.py",
    "bun.lock",
];

const SEEDS: &[&str] = &[
    "Django==3.0.7 ; python_version >= \"3.6\" \\\n --hash=sha256:ab\n-r base.txt\n",
    "[[package]]\nname = \"x\"\nversion = \"1.0\"\nsource = { git = \"u\" }\n",
    "{\"packages\": {\"node_modules/@é/x\": {\"version\": \"1.0.0\"}}, \"dependencies\": {\"a\": {\"version\": \"npm:b@1\"}}}",
    "\"@é/x@^1\", é@2:\n  version \"1.0.0\"\n  resolution: \"é@npm:1\"\n",
    "lockfileVersion: 5.4\npackages:\n  /é/1.0.0_é@1:\n    dev: true\n  'é@1(é@2)': {}\n",
    "<project><properties><v>${v}</v></properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>${v}</version></dependency></dependencies></project>",
    "FROM --platform=x é:3.8-slim-buster AS b\nFROM b\nfrom\n",
];

proptest! {
    #[test]
    fn any_text_in_any_format(text in "\\PC{0,200}", which in 0..NAMES.len()) {
        let _ = inventory::read(&SourceFile::in_memory(NAMES[which], &text));
    }

    #[test]
    fn lockfile_shaped_text_with_damage(
        seed in 0..SEEDS.len(),
        which in 0..NAMES.len(),
        cut in 0usize..400,
        insert in "\\PC{0,8}",
    ) {
        let base = SEEDS[seed];
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) {
            at -= 1;
        }
        let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
        let _ = inventory::read(&SourceFile::in_memory(NAMES[which], &text));
    }

    /// Registry documents come from the network: damaged or hostile ones are errors or
    /// odd releases, never a panic.
    #[test]
    fn registry_documents_with_damage(
        which in 0usize..3,
        cut in 0usize..300,
        insert in "\\PC{0,8}",
        versions in proptest::collection::vec("[0-9a-zA-Z.+_-]{0,8}", 0..12),
    ) {
        use palisade_deps::registry;
        let list = |f: &dyn Fn(&str) -> String| versions.iter().map(|v| f(v)).collect::<Vec<_>>().join(",");
        let base = match which {
            0 => format!(
                "{{\"info\":{{\"version\":\"1\"}},\"releases\":{{{}}}}}",
                list(&|v| format!("\"{v}\":[{{\"upload_time\":\"2020-01-0{}T00:00:00\",\"yanked\":false}}]", v.len() % 9 + 1))
            ),
            1 => format!(
                "{{\"dist-tags\":{{\"latest\":\"{}\"}},\"versions\":{{{}}},\"time\":{{{}}}}}",
                versions.first().cloned().unwrap_or_default(),
                list(&|v| format!("\"{v}\":{{}}")),
                list(&|v| format!("\"{v}\":\"{v}\""))
            ),
            _ => format!(
                "<metadata><versioning><versions>{}</versions></versioning></metadata>",
                versions.iter().map(|v| format!("<version>{v}</version>")).collect::<String>()
            ),
        };
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) {
            at -= 1;
        }
        let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
        for bytes in [base.as_bytes(), text.as_bytes()] {
            let parsed = match which {
                0 => registry::parse_pypi(bytes),
                1 => registry::parse_npm(bytes),
                _ => registry::parse_maven_metadata(bytes),
            };
            if let Ok(releases) = parsed {
                let eco = [
                    palisade_deps::inventory::Ecosystem::PyPI,
                    palisade_deps::inventory::Ecosystem::Npm,
                    palisade_deps::inventory::Ecosystem::Maven,
                ][which];
                for v in &versions {
                    let _ = releases.date_of(eco, v);
                    let _ = registry::major(eco, v);
                    let _ = palisade_deps::version::range::allows(eco, v, "1.0.0");
                }
            }
        }
    }

    /// Declared ranges are scanned text: any of them against any version.
    #[test]
    fn any_range_against_any_version(
        spec in "[0-9xX*^~<>=!|,. a-z-]{0,24}",
        version in "[0-9a-z.+-]{0,12}",
        big in proptest::bool::ANY,
    ) {
        use palisade_deps::inventory::Ecosystem;
        let spec = if big { format!("^18446744073709551615.{spec}") } else { spec };
        for eco in [Ecosystem::PyPI, Ecosystem::Npm, Ecosystem::Maven] {
            let _ = palisade_deps::version::range::allows(eco, &spec, &version);
            let _ = palisade_deps::version::range::allows(eco, &spec, "18446744073709551615.0.0");
        }
    }
}
