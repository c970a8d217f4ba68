//! `palisade sbom` over the demo: CycloneDX and SPDX documents of the shop's pinned packages.

use assert_cmd::Command;
use std::path::Path;

fn shop() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop")
}

fn run(format: &str) -> serde_json::Value {
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
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
fn maven_modules_take_their_versions_from_the_parent_and_the_imported_bom() {
    let modules = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../palisade-deps/fixtures/vulnerable-dependency-maven-modules");
    let out = Command::cargo_bin("palisade")
        .unwrap()
        .env("PALISADE_NO_CACHE", "1")
        .args([
            "sbom",
            "--today",
            "2026-12-01",
            "--format",
            "cyclonedx-json",
        ])
        .arg(modules)
        .output()
        .unwrap();
    assert!(out.status.success());
    let bom: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let at = |purl: &str| -> Vec<String> {
        bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["purl"] == purl)
            .flat_map(|c| c["evidence"]["occurrences"].as_array().unwrap().clone())
            .map(|o| format!("{}:{}", o["location"].as_str().unwrap(), o["line"]))
            .collect()
    };
    // The service module's own lines, with the parent's and the BOM's versions.
    assert_eq!(
        at("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
        ["pom.xml:23", "service/pom.xml:13"]
    );
    assert_eq!(
        at("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8"),
        ["bom/pom.xml:17", "service/pom.xml:19"]
    );
    // The web module overrides the parent's property.
    assert_eq!(
        at("pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"),
        ["web/pom.xml:17"]
    );
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

/// The CycloneDX 1.6 schema with the two schemas it references, from test data (offline).
fn cyclonedx_validator() -> jsonschema::Validator {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cyclonedx");
    let load = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let registry = jsonschema::Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.schema.json",
            load("spdx.schema.json"),
        )
        .unwrap()
        .add(
            "http://cyclonedx.org/schema/jsf-0.82.schema.json",
            load("jsf-0.82.schema.json"),
        )
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .build(&load("bom-1.6.schema.json"))
        .expect("the CycloneDX schema compiles")
}

#[test]
fn cyclonedx_output_is_valid_against_the_official_schema() {
    let validator = cyclonedx_validator();
    let bom = run("cyclonedx-json");
    let errors: Vec<String> = validator
        .iter_errors(&bom)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The validator is not vacuous: a wrong spec version fails it.
    let mut wrong = bom.clone();
    wrong["components"][0]["type"] = serde_json::json!("not-a-type");
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn spdx_output_is_valid_against_the_official_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/spdx/spdx-schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SPDX schema compiles");
    let doc = run("spdx-json");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let mut wrong = doc.clone();
    wrong["packages"][0]["externalRefs"][0]["referenceCategory"] = serde_json::json!("NOPE");
    assert!(!validator.is_valid(&wrong));
}
