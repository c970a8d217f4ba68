//! One small entry per parser palisade owns or feeds, for the cargo-fuzz targets in `fuzz/`
//! (one target each) and the smoke test that replays their seeds on every CI run
//! (`tests/fuzz_smoke.rs`). Each takes the fuzzer's bytes, runs the parser and what is
//! built from its output, and panics only on a bug: a parser's own panic, or a property
//! that must hold (a version order that is not a total order).
//!
//! Where one target covers several formats, the first byte picks the format and the rest
//! is the input (`fuzz/seeds.sh` writes the seeds that way).

use palisade_core::{CommentStyle, SourceFile};
use palisade_deps::inventory::{self, Ecosystem};
use palisade_deps::osv::{self, Database, Record};
use palisade_deps::version::Version;
use palisade_mobile::android::{apk, axml, gradle, manifest::Manifest, resources};
use palisade_mobile::ios::{binary, plist::Plist};
use palisade_web::csp::{self, Disposition, EvalOptions};
use palisade_web::literal::Lang;
use palisade_web::locate::{self, ConfigKind};
use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::PathBuf;

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The first byte as an index into `n` choices, and the rest.
fn pick(data: &[u8], n: usize) -> Option<(usize, &[u8])> {
    let (&first, rest) = data.split_first()?;
    Some((usize::from(first) % n, rest))
}

fn no_internal_error(analyzer: &'static str, path: &str, text: String) {
    let report = super::scan_named(analyzer, path, CommentStyle::for_path(path), text);
    let errors = super::internal_errors(&report);
    assert!(errors.is_empty(), "{path}: {errors:?}");
}

/// The CSP engine: a header value parsed (enforced or report-only, first byte) and
/// evaluated as a static and as a dynamic policy; each token read as a source.
pub fn csp(data: &[u8]) {
    let Some((which, rest)) = pick(data, 2) else {
        return;
    };
    let Some(value) = text(rest) else { return };
    let disposition = [Disposition::Enforce, Disposition::ReportOnly][which];
    let policies = csp::parse_header_value(value, disposition);
    for static_source in [false, true] {
        std::hint::black_box(csp::evaluate(&policies, EvalOptions { static_source }));
    }
    for token in value.split_ascii_whitespace().take(64) {
        std::hint::black_box(csp::parse_source(token));
    }
    std::hint::black_box(csp::parse_named_header(
        "content-security-policy-report-only",
        value,
    ));
}

/// The files web servers and hosts read policies from, through [`locate::find`] as the web
/// analyzer reads them, by the first byte: an nginx or Apache configuration, Netlify's
/// `_headers`, `netlify.toml`, a JSON host config (`vercel.json`, `firebase.json`), an HTML
/// page, and code (helmet, django-csp) in JavaScript and Python. Server configurations also
/// go through the nginx reader and the TLS checks.
pub fn web_config(data: &[u8]) {
    const KINDS: &[ConfigKind] = &[
        ConfigKind::Server,
        ConfigKind::Headers,
        ConfigKind::NetlifyToml,
        ConfigKind::Json,
        ConfigKind::Html,
        ConfigKind::Code,
        ConfigKind::Code,
    ];
    let Some((which, rest)) = pick(data, KINDS.len()) else {
        return;
    };
    let Some(text) = text(rest) else { return };
    let kind = KINDS[which];
    let found = if kind == ConfigKind::Code {
        let lang = if which == 5 { Lang::Js } else { Lang::Python };
        let code = palisade_web::code_policy::find(text, lang);
        for (at, _) in &code.unreadable {
            assert!(*at <= text.len(), "unreadable policy at {at}, past the end");
        }
        code.found
    } else {
        locate::find(kind, text)
    };
    for f in &found {
        let source = f.decoded.as_deref().unwrap_or(text);
        for policy in &f.policies {
            for directive in &policy.directives {
                std::hint::black_box(source.get(directive.range.clone()));
                std::hint::black_box(f.file_range(directive.range.clone()));
            }
        }
        std::hint::black_box(csp::evaluate(
            &f.policies,
            EvalOptions {
                static_source: true,
            },
        ));
    }
    if kind == ConfigKind::Server {
        let config = palisade_web::nginx::parse(text);
        std::hint::black_box(palisade_web::nginx::servers(&config));
        std::hint::black_box(palisade_web::server_tls::check(text));
        std::hint::black_box(palisade_web::nginx::dropped_policies(&config));
        let composed = palisade_web::nginx::compose(&[
            ("nginx.conf", Some(text)),
            ("conf.d/a.conf", Some(text)),
        ]);
        for root in &composed.roots {
            std::hint::black_box(palisade_web::server_tls::check_nginx(root));
        }
    }
    std::hint::black_box(locate::mentions_csp(text));
}

/// JavaScript, TypeScript, JSX, Vue and HTML pages through the web analyzer in the whole
/// engine (the code model: scopes, taint, inline scripts, event handlers), the first byte
/// picking the file name.
pub fn web_code(data: &[u8]) {
    const PATHS: &[&str] = &[
        "src/app.js",
        "src/app.ts",
        "src/App.tsx",
        "src/App.jsx",
        "src/App.vue",
        "public/index.html",
        "src/server.mjs",
    ];
    let Some((which, rest)) = pick(data, PATHS.len()) else {
        return;
    };
    let Ok(text) = palisade_core::engine::decode(rest) else {
        return;
    };
    no_internal_error("web", PATHS[which], text);
}

/// The mobile analyzers' text parsers, by the first byte: an AndroidManifest.xml, an
/// Android XML resource (network security config, file provider paths), a plist (Info.plist
/// or entitlements), a Gradle build file, a version catalog.
pub fn mobile_xml(data: &[u8]) {
    let Some((which, rest)) = pick(data, 5) else {
        return;
    };
    let Some(text) = text(rest) else { return };
    match which {
        0 => {
            if let Ok(m) = Manifest::parse(text) {
                std::hint::black_box(m);
            }
        }
        1 => {
            let _ = std::hint::black_box(resources::parse(text));
        }
        2 => read_plist(text),
        3 => {
            std::hint::black_box(gradle::parse(text));
        }
        _ => {
            std::hint::black_box(gradle::parse_catalog(text));
        }
    }
    let _ = std::hint::black_box(palisade_mobile::xml::parse(text).is_ok());
}

fn read_plist(text: &str) {
    if let Ok(plist) = Plist::parse(text) {
        for (key, span, value) in plist.root.entries() {
            std::hint::black_box((key, span, value.span(), value.as_str(), value.as_bool()));
            for item in value.items() {
                std::hint::black_box(item.as_str());
            }
        }
        std::hint::black_box(plist.is_debug_only());
    }
}

/// Android binary XML (a compiled manifest or resource) decoded to XML; a decoded manifest
/// is then read by the manifest parser and checked by the Android analyzer, as the engine
/// does with an APK's members.
pub fn axml(data: &[u8]) {
    let Ok(xml) = axml::to_xml(data) else { return };
    if let Ok(m) = Manifest::parse(&xml) {
        std::hint::black_box(m);
        no_internal_error("android", "app/src/main/AndroidManifest.xml", xml);
    } else {
        let _ = std::hint::black_box(resources::parse(&xml));
    }
}

/// An APK (zip) read member by member: its manifest and XML resources decoded, and the
/// rendering checked by the Android analyzer as the engine does.
pub fn apk(data: &[u8]) {
    let Ok(rendering) = apk::render(data) else {
        return;
    };
    let (members, _) = apk::split(&rendering);
    std::hint::black_box(members.len());
    no_internal_error("android", "build/app-release.apk", rendering);
}

/// A binary plist rendered as XML, the rendering read by the plist parser and checked by
/// the iOS analyzer as an Info.plist and as entitlements.
pub fn binary_plist(data: &[u8]) {
    let Ok(xml) = binary::to_xml(data) else {
        return;
    };
    read_plist(&xml);
    no_internal_error("ios", "ios/Shop/Info.plist", xml.clone());
    no_internal_error("ios", "ios/Shop/Shop.entitlements", xml);
}

/// Every file name the dependency inventory reads (lockfiles, manifests, runtime pins), as
/// a path in a project; the names follow `DepsAnalyzer::files`.
pub const LOCKFILES: &[&str] = &[
    "poetry.lock",
    "pdm.lock",
    "uv.lock",
    "Pipfile.lock",
    "pyproject.toml",
    ".python-version",
    "setup.cfg",
    "setup.py",
    ".nvmrc",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "package.json",
    "Cargo.lock",
    "pom.xml",
    "gradle.lockfile",
    "gradle/libs.versions.toml",
    "build.gradle",
    "build.gradle.kts",
    "Dockerfile",
    "requirements.txt",
    "requirements/dev.txt",
    // Appended, not sorted in, so the indices fuzz/seeds.sh writes stay valid.
    ".node-version",
    "Containerfile",
];

/// The dependency inventory's reader for the file name the first byte picks
/// ([`LOCKFILES`]), then the SBOM built from what it read.
pub fn lockfile(data: &[u8]) {
    let Some((which, rest)) = pick(data, LOCKFILES.len()) else {
        return;
    };
    let Some(text) = text(rest) else { return };
    let path = LOCKFILES[which];
    let file = SourceFile::new(
        path,
        PathBuf::from(path),
        CommentStyle::for_path(path),
        text.to_string(),
    );
    let Some(facts) = inventory::read(&file) else {
        panic!("{path} is a name the inventory reads");
    };
    for p in &facts.packages {
        assert!(p.line >= 1, "{path}: {} at line 0", p.name);
        std::hint::black_box(palisade_deps::sbom::purl(p));
    }
    let files = [facts];
    std::hint::black_box(palisade_deps::sbom::cyclonedx(
        &files,
        "fuzz",
        "2026-01-01T00:00:00Z",
    ));
}

/// An OSV record: parsed, its severity computed from its CVSS vectors, indexed, and every
/// version it names (and a few more) matched against it in its ecosystem's order, with the
/// remediation that clears it.
pub fn osv(data: &[u8]) {
    let Ok(record) = serde_json::from_slice::<Record>(data) else {
        return;
    };
    std::hint::black_box(record.level());
    let mut versions: Vec<String> = vec!["0".into(), "1.0.0".into(), "2.3.4-rc.1".into()];
    for affected in &record.affected {
        versions.extend(osv::fixed_versions(affected));
        versions.extend(affected.versions.iter().cloned());
        for range in &affected.ranges {
            for event in &range.events {
                versions.extend(
                    [
                        &event.introduced,
                        &event.fixed,
                        &event.last_affected,
                        &event.limit,
                    ]
                    .into_iter()
                    .flatten()
                    .cloned(),
                );
            }
        }
    }
    versions.truncate(64);
    let packages: Vec<(Ecosystem, String)> = record
        .affected
        .iter()
        .filter_map(|a| {
            let p = a.package.as_ref()?;
            Some((Ecosystem::from_osv(&p.ecosystem)?, p.name.clone()))
        })
        .take(8)
        .collect();
    let wanted: HashSet<osv::Key> = packages
        .iter()
        .map(|(eco, name)| (*eco, eco.normalise(name)))
        .collect();
    let mut db = Database::default();
    db.add(record, &wanted);
    for (eco, name) in &packages {
        for v in &versions {
            let m = db.matches(*eco, name, v);
            std::hint::black_box(db.remediation(*eco, name, v, &m.hits));
            std::hint::black_box(osv::group_aliases(&m.hits));
        }
    }
}

/// Each ecosystem's version order (the first byte picks the ecosystem; the rest is up to 16
/// versions, one a line) must be antisymmetric, and transitive except Maven's (Maven's own
/// order is not: `1.0-SNAPSHOT < 1.0.0 < 1.w` but `1.0-SNAPSHOT > 1.w`, see
/// `palisade_deps::version::maven`); sorting by it as palisade does
/// (`palisade_deps::version::sort_by_rank`) must not panic.
pub fn version_order(data: &[u8]) {
    const ECOSYSTEMS: &[Ecosystem] = &[
        Ecosystem::PyPI,
        Ecosystem::Npm,
        Ecosystem::CratesIo,
        Ecosystem::Maven,
    ];
    let Some((which, rest)) = pick(data, ECOSYSTEMS.len()) else {
        return;
    };
    let Some(text) = text(rest) else { return };
    let eco = ECOSYSTEMS[which];
    let versions: Vec<(&str, Version)> = text
        .lines()
        .take(16)
        .filter_map(|t| Some((t, Version::parse(eco, t)?)))
        .collect();
    let cmp = |a: &Version, b: &Version| a.compare(b).expect("one ecosystem's order");
    for (ta, a) in &versions {
        assert_eq!(cmp(a, a), Ordering::Equal, "{eco:?}: {ta:?} != itself");
        for (tb, b) in &versions {
            let ab = cmp(a, b);
            assert_eq!(
                ab,
                cmp(b, a).reverse(),
                "{eco:?}: {ta:?} vs {tb:?} is not antisymmetric"
            );
            if eco == Ecosystem::Maven {
                continue;
            }
            for (tc, c) in &versions {
                if ab != Ordering::Greater && cmp(b, c) != Ordering::Greater {
                    assert_ne!(
                        cmp(a, c),
                        Ordering::Greater,
                        "{eco:?}: {ta:?} <= {tb:?} <= {tc:?} but {ta:?} > {tc:?}"
                    );
                }
            }
        }
    }
    let mut sorted: Vec<&Version> = versions.iter().map(|(_, v)| v).collect();
    palisade_deps::version::sort_by_rank(&mut sorted, |a, b| cmp(a, b));
}

/// The CI loaders: the YAML read with positions, then modelled as a GitHub Actions workflow
/// and as a GitLab pipeline (either may refuse it); every `${{ }}` expression of the text
/// read for untrusted contexts, environment names and secrets.
pub fn ci(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (documents, _errors) = palisade_syntax::yaml::load(text);
    if let Some(root) = documents.first().map(|d| &d.root) {
        if let Some(workflow) = palisade_controls::workflow::Workflow::from_yaml(root) {
            std::hint::black_box(workflow.triggered_by(&["pull_request_target", "push"]));
            for job in &workflow.jobs {
                std::hint::black_box(workflow.effective_permissions(job));
            }
        }
        std::hint::black_box(palisade_controls::gitlab::Pipeline::from_yaml(root).is_some());
    }
    for e in palisade_controls::expressions::expressions(text)
        .iter()
        .take(256)
    {
        assert!(e.start <= e.end && e.end <= text.len(), "{e:?}");
        std::hint::black_box(palisade_controls::expressions::untrusted_context(e.inner));
        std::hint::black_box(palisade_controls::expressions::env_names(e.inner));
        std::hint::black_box(palisade_controls::expressions::reads_secret(e.inner));
    }
}

/// A parser target: its name and its entry.
pub type Target = (&'static str, fn(&[u8]));

/// The parsers above by name, for the fuzz targets and the smoke test.
pub const TARGETS: &[Target] = &[
    ("csp", csp),
    ("web_config", web_config),
    ("web_code", web_code),
    ("mobile_xml", mobile_xml),
    ("axml", axml),
    ("apk", apk),
    ("binary_plist", binary_plist),
    ("lockfile", lockfile),
    ("osv", osv),
    ("version_order", version_order),
    ("ci", ci),
];

/// A seed: its target, its name, its bytes.
pub type Seed = (&'static str, String, Vec<u8>);

/// Every file below `dir` (the repository's own fixture folders), sorted so seeds come in a
/// stable order.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
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
    files
}

/// Seeds for the binary targets, made from the mobile analyzers' XML fixtures under
/// `fixtures` (the `palisade-mobile/fixtures` folder): each Android XML file compiled to
/// binary XML (`axml`), each manifest also packed as an APK with the resources beside it
/// (`apk`), each plist converted to a binary plist (`binary_plist`). Returns (target, seed
/// name, bytes).
pub fn binary_seeds(fixtures: &std::path::Path) -> Vec<Seed> {
    use std::io::Write;
    let files = files_under(fixtures);
    let mut out = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let relative = path.strip_prefix(fixtures).unwrap_or(path);
        let seed = relative.to_string_lossy().replace(['/', '\\'], "_");
        let name = relative
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name.ends_with(".plist") || name.ends_with(".entitlements") {
            if let Some(bytes) = binary::from_xml(&text) {
                out.push(("binary_plist", seed, bytes));
            }
        } else if name.ends_with(".xml") {
            let Some(bytes) = axml::encode::from_xml(&text) else {
                continue;
            };
            if name == "AndroidManifest.xml" {
                let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
                let options = zip::write::SimpleFileOptions::default();
                let mut members = vec![("AndroidManifest.xml".to_string(), bytes.clone())];
                let res = path.parent().map(|p| p.join("res/xml"));
                for resource in res.iter().flat_map(std::fs::read_dir).flatten().flatten() {
                    let Ok(xml) = std::fs::read_to_string(resource.path()) else {
                        continue;
                    };
                    if let Some(compiled) = axml::encode::from_xml(&xml) {
                        let file = resource.file_name().to_string_lossy().to_string();
                        members.push((format!("res/xml/{file}"), compiled));
                    }
                }
                for (member, bytes) in &members {
                    if zip.start_file(member.as_str(), options).is_ok() {
                        let _ = zip.write_all(bytes);
                    }
                }
                if let Ok(cursor) = zip.finish() {
                    out.push(("apk", seed.clone(), cursor.into_inner()));
                }
            }
            out.push(("axml", seed, bytes));
        }
    }
    out
}
