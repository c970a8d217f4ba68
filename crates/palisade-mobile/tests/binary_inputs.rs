//! Binary inputs: binary plists (Info.plist, entitlements) and APKs, made at test time (a
//! binary plist with the plist crate, a compiled manifest with our own encoder, the archive
//! with the zip crate), then scanned through the real engine. Hostile and broken bytes become
//! notices, never a panic.

use palisade_core::Analyzer;
use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, ScanOptions};
use palisade_core::report::Report;
use palisade_mobile::android::axml::{self, encode::Element, encode::encode};
use std::io::Write;
use std::path::Path;

fn scan(dir: &Path) -> Report {
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

fn write(root: &Path, path: &str, bytes: &[u8]) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn binary_plist(entries: &[(&str, plist::Value)]) -> Vec<u8> {
    let mut dict = plist::Dictionary::new();
    for (k, v) in entries {
        dict.insert(k.to_string(), v.clone());
    }
    let mut out = Vec::new();
    plist::Value::Dictionary(dict)
        .to_writer_binary(&mut out)
        .unwrap();
    out
}

fn found(report: &Report, rule: &str, path: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.rule_id == rule && f.location.display().starts_with(path))
        .map(|f| format!("{} {}", f.location.display(), f.snippet))
        .collect()
}

fn notices(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.path.as_deref().unwrap_or(""), d.message))
        .collect()
}

fn assert_no_internal_error(report: &Report) {
    let all = notices(report);
    assert!(
        all.iter().all(|n| !n.contains("internal error")),
        "{all:#?}"
    );
}

#[test]
fn binary_info_plist_and_entitlements_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut ats = plist::Dictionary::new();
    ats.insert("NSAllowsArbitraryLoads".into(), plist::Value::Boolean(true));
    write(
        root,
        "Shop.app/Info.plist",
        &binary_plist(&[
            ("CFBundleName", plist::Value::String("Shop".into())),
            ("NSAppTransportSecurity", plist::Value::Dictionary(ats)),
        ]),
    );
    write(
        root,
        "Shop/Shop.entitlements",
        &binary_plist(&[("get-task-allow", plist::Value::Boolean(true))]),
    );
    let report = scan(root);
    assert_no_internal_error(&report);
    let ats = found(&report, "ios/ats-arbitrary-loads", "Shop.app/Info.plist");
    assert_eq!(ats.len(), 1, "{:#?}", report.findings);
    assert!(ats[0].contains("NSAllowsArbitraryLoads"), "{ats:?}");
    assert_eq!(
        found(
            &report,
            "ios/entitlement-get-task-allow",
            "Shop/Shop.entitlements"
        )
        .len(),
        1,
        "{:#?}",
        report.findings
    );
}

/// A binary plist whose arrays share their child: 2^40 values if expanded.
fn shared_object_bomb(levels: u8) -> Vec<u8> {
    let mut bytes = b"bplist00".to_vec();
    let mut offsets = Vec::new();
    for i in 0..levels {
        offsets.push(bytes.len() as u8);
        if i + 1 == levels {
            bytes.push(0xA0); // an empty array
        } else {
            bytes.extend_from_slice(&[0xA2, i + 1, i + 1]); // [child, child]
        }
    }
    let table = bytes.len() as u64;
    bytes.extend_from_slice(&offsets);
    bytes.extend_from_slice(&[0; 6]);
    bytes.push(1); // offset size
    bytes.push(1); // reference size
    bytes.extend_from_slice(&u64::from(levels).to_be_bytes());
    bytes.extend_from_slice(&0u64.to_be_bytes());
    bytes.extend_from_slice(&table.to_be_bytes());
    bytes
}

#[test]
fn hostile_binary_plists_become_notices() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "Bomb/Info.plist", &shared_object_bomb(40));
    let good = binary_plist(&[("NSAppTransportSecurity", plist::Value::Boolean(true))]);
    write(root, "Cut/Info.plist", &good[..good.len() - 10]);
    write(
        root,
        "Noise/Info.plist",
        b"\x00\x01\x02 not a plist at all \x00",
    );
    let started = std::time::Instant::now();
    let report = scan(root);
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
    assert_no_internal_error(&report);
    let all = notices(&report);
    for path in ["Bomb/Info.plist", "Cut/Info.plist", "Noise/Info.plist"] {
        assert!(all.iter().any(|n| n.starts_with(path)), "{path}: {all:#?}");
    }
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

fn manifest() -> Element {
    Element::new(
        "manifest",
        &[("package", "com.example.shop")],
        vec![
            Element::new(
                "uses-sdk",
                &[
                    ("android:minSdkVersion", "24"),
                    ("android:targetSdkVersion", "34"),
                ],
                vec![],
            ),
            Element::new(
                "application",
                &[
                    ("android:debuggable", "true"),
                    ("android:allowBackup", "false"),
                    (
                        "android:networkSecurityConfig",
                        "@xml/network_security_config",
                    ),
                ],
                vec![
                    Element::new(
                        "activity",
                        &[
                            ("android:name", "com.example.shop.MainActivity"),
                            ("android:exported", "true"),
                        ],
                        vec![Element::new(
                            "intent-filter",
                            &[],
                            vec![
                                Element::new(
                                    "action",
                                    &[("android:name", "android.intent.action.MAIN")],
                                    vec![],
                                ),
                                Element::new(
                                    "category",
                                    &[("android:name", "android.intent.category.LAUNCHER")],
                                    vec![],
                                ),
                            ],
                        )],
                    ),
                    Element::new(
                        "service",
                        &[
                            ("android:name", "com.example.shop.SyncService"),
                            ("android:exported", "true"),
                        ],
                        vec![],
                    ),
                    Element::new(
                        "service",
                        &[
                            ("android:name", "com.example.shop.PrivateService"),
                            ("android:exported", "false"),
                        ],
                        vec![],
                    ),
                ],
            ),
        ],
    )
}

fn network_config() -> Element {
    Element::new(
        "network-security-config",
        &[],
        vec![Element::new(
            "base-config",
            &[("cleartextTrafficPermitted", "true")],
            vec![],
        )],
    )
}

fn zip(members: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in members {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn compiled_manifests_decode_to_what_the_source_said() {
    let text = axml::to_xml(&encode(&manifest())).unwrap();
    let m = palisade_mobile::android::manifest::Manifest::parse(&text).unwrap();
    assert_eq!(m.package.as_deref(), Some("com.example.shop"));
    assert!(text.contains("android:exported=\"true\""), "{text}");
    assert!(text.contains("android:targetSdkVersion=\"34\""), "{text}");
    assert!(text.contains("android:debuggable=\"true\""), "{text}");
}

#[test]
fn an_apk_is_checked_like_its_sources_with_findings_inside_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let apk = zip(
        &[
            ("AndroidManifest.xml", &encode(&manifest())),
            (
                "res/xml/network_security_config.xml",
                &encode(&network_config()),
            ),
            ("res/layout/main.xml", &encode(&network_config())),
            ("classes.dex", b"dex\n035\x00"),
        ],
        zip::CompressionMethod::Stored,
    );
    write(root, "out/app-release.apk", &apk);
    let report = scan(root);
    assert_no_internal_error(&report);
    let manifest = "out/app-release.apk!/AndroidManifest.xml";
    let debuggable = found(&report, "android/debuggable-build", manifest);
    assert_eq!(debuggable.len(), 1, "{:#?}", report.findings);
    assert!(
        debuggable[0].contains("android:debuggable=\"true\""),
        "{debuggable:?}"
    );
    let exported = found(
        &report,
        "android/exported-component-without-permission",
        manifest,
    );
    assert_eq!(exported.len(), 1, "{:#?}", report.findings);
    assert!(exported[0].contains("SyncService"), "{exported:?}");
    // The network config inside the archive is read; the layout folder is not.
    let cleartext = found(
        &report,
        "android/cleartext-traffic-permitted",
        "out/app-release.apk!/res/xml/network_security_config.xml",
    );
    assert_eq!(cleartext.len(), 1, "{:#?}", report.findings);
    assert!(
        found(
            &report,
            "android/cleartext-traffic-permitted",
            "out/app-release.apk!/res/layout"
        )
        .is_empty()
    );
}

#[test]
fn broken_archives_and_bundles_become_notices() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let good = zip(
        &[("AndroidManifest.xml", &encode(&manifest()))],
        zip::CompressionMethod::Stored,
    );
    write(root, "cut.apk", &good[..good.len() / 2]);
    write(root, "noise.apk", b"PK\x03\x04\x00\x00 garbage");
    let bundle = zip(
        &[("base/manifest/AndroidManifest.xml", b"\x0a\x08manifest")],
        zip::CompressionMethod::Stored,
    );
    write(root, "app.aab", &bundle);
    // 8 MB of zeros as the manifest, deflated to a few kilobytes: stopped at the cap.
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let bomb = zip(
        &[("AndroidManifest.xml", &zeros)],
        zip::CompressionMethod::Deflated,
    );
    write(root, "bomb.apk", &bomb);
    let mut bad_manifest = encode(&manifest());
    bad_manifest.truncate(bad_manifest.len() - 30);
    write(
        root,
        "truncated-manifest.apk",
        &zip(
            &[("AndroidManifest.xml", &bad_manifest)],
            zip::CompressionMethod::Stored,
        ),
    );
    let report = scan(root);
    assert_no_internal_error(&report);
    let all = notices(&report);
    for (path, says) in [
        ("cut.apk", ""),
        ("noise.apk", ""),
        ("app.aab", "protobuf"),
        ("bomb.apk", "zip bomb"),
        ("truncated-manifest.apk", "AndroidManifest.xml"),
    ] {
        assert!(
            all.iter().any(|n| n.starts_with(path) && n.contains(says)),
            "{path}: {all:#?}"
        );
    }
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

/// A small deterministic generator (xorshift), so the mutations are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_binary_xml_and_plists_never_panic() {
    let seeds = [
        encode(&manifest()),
        encode(&network_config()),
        binary_plist(&[(
            "NSAppTransportSecurity",
            plist::Value::Array(vec![
                plist::Value::Boolean(true),
                plist::Value::String("x".into()),
            ]),
        )]),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for seed in &seeds {
        // Every truncation.
        for len in 0..seed.len() {
            let _ = axml::to_xml(&seed[..len]);
            let _ = palisade_mobile::ios::binary::to_xml(&seed[..len]);
        }
        // Random byte changes, one to eight at a time.
        for _ in 0..3000 {
            let mut bytes = seed.clone();
            for _ in 0..=(rng.next() % 8) {
                let at = (rng.next() as usize) % bytes.len();
                bytes[at] = rng.next() as u8;
            }
            if let Ok(text) = axml::to_xml(&bytes) {
                let _ = palisade_mobile::android::manifest::Manifest::parse(&text);
            }
            if let Ok(text) = palisade_mobile::ios::binary::to_xml(&bytes) {
                let _ = palisade_mobile::ios::plist::Plist::parse(&text);
            }
        }
    }
}

#[test]
fn an_apk_larger_than_the_source_file_limit_is_still_read() {
    // Real APKs are megabytes of dex and assets; the 2 MB limit is meant for source files.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let dex = vec![b'd'; 3 * 1024 * 1024];
    let apk = zip(
        &[
            ("AndroidManifest.xml", &encode(&manifest())),
            ("classes.dex", &dex),
        ],
        zip::CompressionMethod::Stored,
    );
    assert!(apk.len() > 3 * 1024 * 1024);
    write(root, "app-release.apk", &apk);
    let report = scan(root);
    assert_no_internal_error(&report);
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.kind == palisade_core::DiagnosticKind::TooLarge),
        "{:#?}",
        report.diagnostics
    );
    let debuggable = found(
        &report,
        "android/debuggable-build",
        "app-release.apk!/AndroidManifest.xml",
    );
    assert_eq!(debuggable.len(), 1, "{:#?}", report.findings);
}

/// Strings holding Unicode noncharacters (U+FFFE, U+FFFF) and other characters XML 1.0
/// cannot carry, in a binary plist and in compiled XML: a notice or findings, never a panic
/// (the fuzz targets binary_plist and axml found such strings).
#[test]
fn noncharacters_in_binary_strings_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (i, odd) in [
        "\u{FFFF}",
        "\u{FFFE}",
        "a\u{FFFF}b",
        "\u{1}\u{FFFE}",
        "\u{FDD0}",
    ]
    .iter()
    .enumerate()
    {
        let mut ats = plist::Dictionary::new();
        ats.insert((*odd).into(), plist::Value::Boolean(true));
        ats.insert("NSAllowsArbitraryLoads".into(), plist::Value::Boolean(true));
        write(
            root,
            &format!("P{i}/Info.plist"),
            &binary_plist(&[
                ("CFBundleName", plist::Value::String((*odd).into())),
                ("NSAppTransportSecurity", plist::Value::Dictionary(ats)),
            ]),
        );
        write(
            root,
            &format!("E{i}/App.entitlements"),
            &binary_plist(&[(odd, plist::Value::String((*odd).into()))]),
        );
        let manifest = Element::new(
            "manifest",
            &[("package", odd)],
            vec![Element::new(
                "application",
                &[("android:label", odd)],
                vec![Element::new(
                    odd,
                    &[("android:name", odd), ("android:exported", "true")],
                    vec![],
                )],
            )],
        );
        let apk = zip(
            &[("AndroidManifest.xml", &encode(&manifest))],
            zip::CompressionMethod::Stored,
        );
        write(root, &format!("A{i}/app.apk"), &apk);
        let decoded = axml::to_xml(&encode(&manifest));
        if let Ok(xml) = decoded {
            let _ = palisade_mobile::android::manifest::Manifest::parse(&xml);
        }
    }
    let report = scan(root);
    assert_no_internal_error(&report);
}
