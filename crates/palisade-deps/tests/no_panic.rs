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
}
