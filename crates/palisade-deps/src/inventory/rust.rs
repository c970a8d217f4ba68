//! Rust: `Cargo.lock` (`[[package]]` with `name`, `version` and `source`; workspace members
//! have no source and are the project's own).

use super::{Ecosystem, FileFacts, Origin, Package, Role, line_at};
use palisade_core::SourceFile;
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: Spanned<String>,
    version: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    checksum: Option<String>,
}

pub fn read_cargo_lock(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(
        &file.path,
        "Cargo.lock",
        Role::Lockfile,
        Some(Ecosystem::CratesIo),
    );
    let lock: Lock = match toml::from_str(&file.text) {
        Ok(l) => l,
        Err(e) => {
            let line = e.span().map(|s| line_at(file, s.start));
            facts.problem(line, format!("Cargo.lock: {}", e.message().trim()));
            return facts;
        }
    };
    for entry in lock.package {
        let Some(source) = entry.source else { continue };
        let line = line_at(file, entry.name.span().start);
        let mut p = Package::new(
            Ecosystem::CratesIo,
            entry.name.get_ref(),
            &entry.version,
            line,
        );
        if source.starts_with("git+") {
            p.origin = Origin::Git;
        } else if !source.starts_with("registry+") && !source.starts_with("sparse+") {
            p.origin = Origin::Url;
        }
        p.hashes
            .extend(entry.checksum.map(|c| format!("sha256:{c}")));
        facts.packages.push(p);
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_git_and_members() {
        let f = read_cargo_lock(&SourceFile::in_memory(
            "Cargo.lock",
            "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"abc\"\n\n[[package]]\nname = \"forked\"\nversion = \"0.2.0\"\nsource = \"git+https://example.invalid/forked#0123\"\n",
        ));
        let got: Vec<(&str, u32, &Origin)> = f
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.line, &p.origin))
            .collect();
        assert_eq!(
            got,
            [
                ("smallvec", 8, &Origin::Registry),
                ("forked", 14, &Origin::Git)
            ]
        );
    }
}
