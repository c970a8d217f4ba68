//! Malformed, hostile and oversized input becomes notices, never a panic or a finding.

use palisade_core::Analyzer;
use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, ScanOptions};
use std::path::Path;

fn scan(dir: &Path) -> palisade_core::report::Report {
    let config = Config::default();
    let mut metas = palisade_mobile::AndroidAnalyzer.rules().to_vec();
    metas.extend(palisade_mobile::IosAnalyzer.rules());
    let rules = RuleSet::all(&metas);
    let options = ScanOptions::new(vec![dir.to_path_buf()], &config, &rules);
    engine::scan(
        &[
            &palisade_mobile::AndroidAnalyzer,
            &palisade_mobile::IosAnalyzer,
        ],
        &options,
    )
    .unwrap()
}

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn malformed_files_become_notices() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "App/Info.plist",
        "<plist version=\"1.0\"><dict><key>NSAppTransportSecurity</key><dict>\n",
    );
    write(
        root,
        "app/src/main/AndroidManifest.xml",
        "<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\"><application><activity android:name=\".A\" android:exported=\"true\">\n",
    );
    // A DTD with entities (a billion-laughs start) is refused, not expanded.
    write(
        root,
        "app/src/main/res/xml/network_security_config.xml",
        "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<network-security-config><base-config cleartextTrafficPermitted=\"true\"/></network-security-config>\n",
    );
    write(
        root,
        "app/src/main/res/values/strings.xml",
        "<resources><string name=\"x\">unterminated</resources>",
    );
    write(
        root,
        "app/build.gradle",
        "android { defaultConfig { targetSdk = \n }}}}}} {{{{ release {",
    );
    write(root, "gradle/libs.versions.toml", "[versions\ntargetSdk = ");
    write(
        root,
        "app/src/main/java/A.java",
        "class A { void f( { db.rawQuery(\"x\" + ; }",
    );
    write(root, "app/src/main/java/B.kt", "fun f( = { Log.d(TAG, \"$");
    write(
        root,
        "App/Other-Info.plist",
        "{ NSAppTransportSecurity = { NSAllowsArbitraryLoads = ",
    );
    let report = scan(root);
    let messages: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.path.as_deref().unwrap_or(""), d.message))
        .collect();
    for needle in [
        "App/Info.plist",
        "app/src/main/AndroidManifest.xml",
        "network_security_config.xml",
        "A.java",
        "B.kt",
        "App/Other-Info.plist",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "no notice for {needle}: {messages:#?}"
        );
    }
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn deep_and_huge_input_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Deeply nested plist: read up to a depth limit, no stack overflow.
    let mut deep = String::from("<plist><dict><key>k</key>");
    for _ in 0..2000 {
        deep.push_str("<array>");
    }
    for _ in 0..2000 {
        deep.push_str("</array>");
    }
    deep.push_str("</dict></plist>");
    write(root, "Deep/Info.plist", &deep);
    // A huge network config: over the XML size limit, a notice.
    let mut huge = String::from("<network-security-config>");
    while huge.len() < 5 * 1024 * 1024 {
        huge.push_str("<domain-config cleartextTrafficPermitted=\"true\"><domain>a.example</domain></domain-config>");
    }
    huge.push_str("</network-security-config>");
    write(root, "app/src/main/res/xml/big.xml", &huge);
    let report = scan(root);
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.location.display().contains("big.xml"))
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.path.as_deref().is_some_and(|p| p.contains("big.xml"))),
        "{:?}",
        report.diagnostics
    );
}

/// A file built to make the taint questions fan out (one helper called from hundreds of
/// places, a name assigned hundreds of times, chains of helpers) is scanned in bounded time.
#[test]
fn taint_fan_out_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut kt = String::from(
        "package x\n\nimport java.io.File\n\nclass Hostile : android.app.Activity() {\n    var name = \"\"\n",
    );
    for i in 0..300 {
        kt.push_str(&format!("    fun f{i}(a: String) {{ name = a; f{}(name); File(filesDir, a).delete(); Runtime.getRuntime().exec(a) }}\n", (i + 1) % 300));
    }
    kt.push_str("    fun start() {\n");
    for i in 0..300 {
        kt.push_str(&format!(
            "        f{i}(name)\n        name = name + \"{i}\"\n"
        ));
    }
    kt.push_str("    }\n}\n");
    write(root, "app/src/main/java/x/Hostile.kt", &kt);
    let started = std::time::Instant::now();
    let report = scan(root);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.path.as_deref().is_some_and(|p| p.ends_with("Hostile.kt"))),
        "{:?}",
        report.diagnostics
    );
}
