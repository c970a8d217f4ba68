//! `palisade sbom` over the demo: CycloneDX and SPDX documents of the shop's pinned packages.

use assert_cmd::Command;
use std::path::Path;

fn shop() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop")
}

fn run(format: &str) -> serde_json::Value {
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .args(["sbom", "--today", "2026-12-01", "--format", format])
        .arg(shop())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn cyclonedx_lists_every_pinned_package_with_its_purl_and_place() {
    let bom = run("cyclonedx-json");
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.6");
    assert_eq!(bom["metadata"]["timestamp"], "2026-12-01T00:00:00Z");
    let components = bom["components"].as_array().unwrap();
    let django = components
        .iter()
        .find(|c| c["purl"] == "pkg:pypi/django@3.0.7")
        .expect("Django from requirements.txt");
    assert_eq!(
        django["evidence"]["occurrences"][0],
        serde_json::json!({ "location": "backend/requirements.txt", "line": 3 })
    );
    let lodash = components
        .iter()
        .find(|c| c["purl"] == "pkg:npm/lodash@4.17.15")
        .expect("lodash from package-lock.json");
    assert_eq!(lodash["properties"][0]["value"], "direct");
    assert_eq!(lodash["hashes"][0]["alg"], "SHA-512");
    let follow = components
        .iter()
        .find(|c| c["name"] == "follow-redirects")
        .expect("a transitive npm package");
    assert_eq!(follow["properties"][0]["value"], "transitive");
}

#[test]
fn spdx_describes_every_package() {
    let doc = run("spdx-json");
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    let packages = doc["packages"].as_array().unwrap();
    assert!(packages.len() > 20);
    assert_eq!(
        doc["relationships"].as_array().unwrap().len(),
        packages.len()
    );
    assert!(
        packages
            .iter()
            .all(|p| p["externalRefs"][0]["referenceType"] == "purl")
    );
}
