//! Software bills of materials from the inventory: CycloneDX 1.6 JSON and SPDX 2.3 JSON, one
//! component per distinct package version (with every file and line it was found at), its
//! package URL, whether the lockfile says it is a direct dependency, and its hashes where the
//! lockfile records them in a form the formats accept (hexadecimal SHA-256 / SHA-512).

use crate::inventory::{Ecosystem, FileFacts, Origin, Package, normalise_pypi};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The package URL of a package (`pkg:pypi/django@3.0.7`, `pkg:npm/%40scope/x@1.0.0`,
/// `pkg:cargo/smallvec@1.6.0`, `pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1`).
pub fn purl(p: &Package) -> String {
    let enc = |s: &str| {
        s.chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '_' | '~' => c.to_string(),
                other => {
                    let mut buf = [0; 4];
                    other
                        .encode_utf8(&mut buf)
                        .bytes()
                        .map(|b| format!("%{b:02X}"))
                        .collect()
                }
            })
            .collect::<String>()
    };
    let version = enc(&p.version);
    match p.ecosystem {
        Ecosystem::PyPI => format!("pkg:pypi/{}@{version}", enc(&normalise_pypi(&p.name))),
        Ecosystem::CratesIo => format!("pkg:cargo/{}@{version}", enc(&p.name)),
        Ecosystem::Npm => match p.name.split_once('/') {
            Some((scope, name)) if scope.starts_with('@') => {
                format!("pkg:npm/{}/{}@{version}", enc(scope), enc(name))
            }
            _ => format!("pkg:npm/{}@{version}", enc(&p.name)),
        },
        Ecosystem::Maven => match p.name.split_once(':') {
            Some((group, artifact)) => {
                format!("pkg:maven/{}/{}@{version}", enc(group), enc(artifact))
            }
            None => format!("pkg:maven/{}@{version}", enc(&p.name)),
        },
    }
}

/// One component: a package version and every place it was found.
struct Component<'a> {
    package: &'a Package,
    places: Vec<(&'a str, u32)>,
    direct: Option<bool>,
}

fn components(files: &[FileFacts]) -> BTreeMap<String, Component<'_>> {
    let mut out: BTreeMap<String, Component<'_>> = BTreeMap::new();
    for file in files {
        for p in &file.packages {
            // A package without a version (a git or path dependency named in a manifest)
            // cannot be identified by a package URL.
            if p.version.is_empty() || p.origin != Origin::Registry {
                continue;
            }
            let c = out.entry(purl(p)).or_insert(Component {
                package: p,
                places: Vec::new(),
                direct: None,
            });
            c.places.push((&file.path, p.line));
            c.direct = match (c.direct, p.direct) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (a, b) => a.or(b),
            };
        }
    }
    out
}

/// `(algorithm, hex)` of the hashes a format can carry: `sha256:<hex>`, `sha512:<hex>`, and
/// npm's `sha512-<base64>` integrity converted to hexadecimal.
fn hashes(p: &Package) -> Vec<(&'static str, String)> {
    p.hashes
        .iter()
        .filter_map(|h| {
            if let Some(hex) = h.strip_prefix("sha256:") {
                return is_hex(hex, 64).then(|| ("SHA-256", hex.to_ascii_lowercase()));
            }
            if let Some(hex) = h.strip_prefix("sha512:") {
                return is_hex(hex, 128).then(|| ("SHA-512", hex.to_ascii_lowercase()));
            }
            if let Some(b64) = h.strip_prefix("sha512-") {
                let bytes = base64(b64)?;
                return (bytes.len() == 64).then(|| ("SHA-512", to_hex(&bytes)));
            }
            if let Some(b64) = h.strip_prefix("sha256-") {
                let bytes = base64(b64)?;
                return (bytes.len() == 32).then(|| ("SHA-256", to_hex(&bytes)));
            }
            None
        })
        .collect()
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Standard base64 (with or without padding); `None` on any other character.
fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A CycloneDX 1.6 JSON document. `timestamp` is RFC 3339 (`2026-12-01T00:00:00Z`).
pub fn cyclonedx(files: &[FileFacts], name: &str, timestamp: &str) -> Value {
    let list: Vec<Value> = components(files)
        .into_iter()
        .map(|(purl, c)| {
            let p = c.package;
            let mut component = json!({
                "type": "library",
                "bom-ref": purl,
                "name": p.name,
                "version": p.version,
                "purl": purl,
                "scope": if p.dev { "optional" } else { "required" },
                "evidence": {
                    "occurrences": c.places.iter().map(|(path, line)| json!({
                        "location": path, "line": line,
                    })).collect::<Vec<_>>(),
                },
            });
            if let Some((group, artifact)) = p
                .name
                .split_once(':')
                .filter(|_| p.ecosystem == Ecosystem::Maven)
            {
                component["group"] = json!(group);
                component["name"] = json!(artifact);
            }
            let h = hashes(p);
            if !h.is_empty() {
                component["hashes"] = h
                    .iter()
                    .map(|(alg, content)| json!({ "alg": alg, "content": content }))
                    .collect();
            }
            if let Some(direct) = c.direct {
                component["properties"] = json!([{
                    "name": "palisade:dependency",
                    "value": if direct { "direct" } else { "transitive" },
                }]);
            }
            component
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": { "components": [{
                "type": "application", "name": "palisade", "version": env!("CARGO_PKG_VERSION"),
            }] },
            "component": { "type": "application", "name": name, "bom-ref": "root" },
        },
        "components": list,
    })
}

/// An SPDX 2.3 JSON document. `namespace` must be unique to this document.
pub fn spdx(files: &[FileFacts], name: &str, timestamp: &str, namespace: &str) -> Value {
    let mut packages = Vec::new();
    let mut relationships = Vec::new();
    for (i, (purl, c)) in components(files).into_iter().enumerate() {
        let p = c.package;
        let id = format!("SPDXRef-Package-{}", i + 1);
        let mut package = json!({
            "name": p.name,
            "SPDXID": id,
            "versionInfo": p.version,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "externalRefs": [{
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": purl,
            }],
            "comment": format!(
                "found at {}",
                c.places.iter().map(|(f, l)| format!("{f}:{l}")).collect::<Vec<_>>().join(", ")
            ),
        });
        let h = hashes(p);
        if !h.is_empty() {
            package["checksums"] = h
                .iter()
                .map(|(alg, value)| {
                    json!({ "algorithm": alg.replace('-', ""), "checksumValue": value })
                })
                .collect();
        }
        packages.push(package);
        relationships.push(json!({
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": id,
        }));
    }
    json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": namespace,
        "creationInfo": {
            "created": timestamp,
            "creators": [format!("Tool: palisade-{}", env!("CARGO_PKG_VERSION"))],
        },
        "packages": packages,
        "relationships": relationships,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::SourceFile;

    #[test]
    fn purls_hashes_and_documents() {
        let mut p = Package::new(Ecosystem::Npm, "@scope/x", "1.0.0", 3);
        assert_eq!(purl(&p), "pkg:npm/%40scope/x@1.0.0");
        p.hashes
            .push("sha512-".to_string() + &"A".repeat(86) + "==");
        assert_eq!(hashes(&p)[0].1, "0".repeat(128));
        let p = Package::new(Ecosystem::PyPI, "Django_REST.framework", "3.11.0", 1);
        assert_eq!(purl(&p), "pkg:pypi/django-rest-framework@3.11.0");
        let p = Package::new(Ecosystem::Maven, "org.x:y", "1.0", 1);
        assert_eq!(purl(&p), "pkg:maven/org.x/y@1.0");
        let files: Vec<FileFacts> = [
            ("requirements.txt", "Django==3.0.7\nrequests==2.19.1 --hash=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"),
            ("sub/requirements.txt", "django==3.0.7\n"),
        ]
        .iter()
        .filter_map(|(path, text)| crate::inventory::read(&SourceFile::in_memory(path, text)))
        .collect();
        let bom = cyclonedx(&files, "shop", "2026-12-01T00:00:00Z");
        let components = bom["components"].as_array().unwrap();
        assert_eq!(components.len(), 2);
        assert_eq!(components[0]["purl"], "pkg:pypi/django@3.0.7");
        assert_eq!(
            components[0]["evidence"]["occurrences"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(components[1]["hashes"][0]["alg"], "SHA-256");
        let doc = spdx(
            &files,
            "shop",
            "2026-12-01T00:00:00Z",
            "https://palisade.invalid/spdx/shop",
        );
        assert_eq!(doc["packages"].as_array().unwrap().len(), 2);
        assert_eq!(doc["packages"][1]["checksums"][0]["algorithm"], "SHA256");
        assert_eq!(doc["relationships"][0]["relationshipType"], "DESCRIBES");
    }
}
