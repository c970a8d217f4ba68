//! palisade's mobile analyzers (POLICY.md `mobile`): keep other apps out of ours, keep
//! sensitive data out of caches, logs and world-readable files, validate what intents and
//! deep links bring in, and use TLS properly.
//!
//! - [`AndroidAnalyzer`] reads every `AndroidManifest.xml` (all modules and source sets),
//!   the Gradle files and version catalogs (SDK levels, release build types), and the XML
//!   resources the rules need (network security configs, FileProvider paths, string and
//!   bool values) into facts; its project pass merges them into one
//!   [`android::project::Project`] that the manifest rules read. Java and Kotlin files are
//!   parsed with tree-sitter into an [`android::code::Code`] model that the code rules read,
//!   file by file.
//!   Built apps (`.apk`) are read too: their compiled manifest and XML resources are decoded
//!   from the archive ([`android::apk`], [`android::axml`]) into the same facts.
//! - [`IosAnalyzer`] reads `Info.plist` files (App Transport Security, URL schemes) and
//!   `*.entitlements` files (code-signing entitlements), XML or binary.
//!
//! Rules never see XML or syntax trees directly: they read the models.

pub mod android;
pub mod ios;
pub mod rules;
pub mod xml;

use android::code::{Code, JAVA, KOTLIN, Lang};
use android::project::{Fact, Project, SetKind, place_of};
use palisade_core::engine::ProjectContext;
use palisade_core::{
    Analyzer, DiagnosticKind, FactsCodec, FileContext, FileSelector, RuleMeta, SourceFile,
};

/// The largest APK read (256 MiB): far above `scan.max-file-size`, which is meant for
/// source files, and still bounded, since the archive is held in memory while read.
const APK_SIZE_LIMIT: u64 = 256 * 1024 * 1024;

/// The Android analyzer: manifests, Gradle, resources, Java and Kotlin.
#[derive(Debug, Default, Clone, Copy)]
pub struct AndroidAnalyzer;

/// The iOS analyzer: Info.plist and entitlements, XML or binary.
#[derive(Debug, Default, Clone, Copy)]
pub struct IosAnalyzer;

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What an Android scan does with one file before any rule runs: the floor that
/// `palisade parse-only` measures the Android analysis against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AndroidPass {
    /// Neither Java, Kotlin nor an XML file the analyzer reads (Gradle files, APKs, …).
    Other,
    /// Java or Kotlin in a test source set or folder: a scan does not parse it.
    Test,
    /// Parsed: `java`/`kotlin` with tree-sitter, `android-xml` (a manifest or an XML
    /// resource the analyzer selected) with roxmltree; whether it had an error.
    Parsed { language: &'static str, error: bool },
}

/// Parses `text` (at `path`, relative to the scan root, a file the analyzer's
/// [`Analyzer::files`] selects) as a scan would — Java/Kotlin outside test source sets with
/// the same grammars, manifests and XML resources with roxmltree — and throws the result away;
/// with `walk`, a Java or Kotlin tree after one bare traversal ([`palisade_syntax::bare_walk`]).
pub fn parse_only(path: &str, text: &str, walk: bool) -> AndroidPass {
    let lower = file_name(path).to_ascii_lowercase();
    if lower.ends_with(".java") || lower.ends_with(".kt") {
        if place_of(path).kind == SetKind::Test {
            return AndroidPass::Test;
        }
        let grammar = if lower.ends_with(".kt") {
            &*KOTLIN
        } else {
            &*JAVA
        };
        let error = !palisade_syntax::parse(grammar, text).is_ok_and(|p| {
            if walk {
                palisade_syntax::bare_walk(grammar, p.tree.root_node());
            }
            p.syntax_error.is_none()
        });
        return AndroidPass::Parsed {
            language: grammar.name(),
            error,
        };
    }
    if lower.ends_with(".xml") && !android::apk::is_archive(path) {
        return AndroidPass::Parsed {
            language: "android-xml",
            error: xml::parse(text).is_err(),
        };
    }
    AndroidPass::Other
}

impl Analyzer for AndroidAnalyzer {
    type Facts = Fact;
    type ScanState = ();

    fn name(&self) -> &'static str {
        "android"
    }

    fn input_kind(&self) -> &'static str {
        "Android manifests, resources or Java/Kotlin sources"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::android::METAS
    }

    fn files(&self) -> FileSelector {
        FileSelector {
            extensions: &["java", "kt", "apk", "aab"],
            names: &[
                "AndroidManifest.xml",
                "build.gradle",
                "build.gradle.kts",
                "libs.versions.toml",
            ],
            globs: &[
                "**/res/xml/*.xml",
                "**/res/values/strings.xml",
                "**/res/values/bools.xml",
            ],
            ..FileSelector::default()
        }
    }

    /// APKs are read member by member, each member capped (see `android::apk`), so the
    /// whole archive may be far larger than a source file.
    fn size_limit(&self, path: &str) -> Option<u64> {
        android::apk::is_archive(path).then_some(APK_SIZE_LIMIT)
    }

    /// APKs (zip archives) are read as their decoded manifest and XML resources.
    fn decode_binary(&self, path: &str, bytes: &[u8]) -> Option<Result<String, String>> {
        android::apk::is_archive(path).then(|| android::apk::render(bytes))
    }

    /// Cached: a manifest's, Gradle file's or resource's facts, and a source file's
    /// findings, depend on its path and text and the rules alone; merging the module's
    /// manifests, Gradle files and resources happens in the project pass, which runs again
    /// over the cached facts. APKs are decoded in memory and never cached.
    fn cache(&self) -> Option<FactsCodec<Fact>> {
        Some(FactsCodec::json(1))
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileContext<'_>, _state: &()) -> Option<Fact> {
        let name = file_name(&file.path);
        let lower = name.to_ascii_lowercase();
        if android::apk::is_archive(&file.path) {
            return if cx.is_collecting() {
                None
            } else {
                check_archive(file, cx)
            };
        }
        if lower.ends_with(".java") || lower.ends_with(".kt") {
            if cx.is_collecting() {
                // `palisade permissions` collects what the code uses; no rule runs.
                let uses = android::permissions::api_uses(&file.text);
                return (!uses.is_empty()).then(|| Fact::ApiUses(file.path.clone(), uses));
            }
            check_code(file, cx);
            return None;
        }
        if name == "AndroidManifest.xml" {
            return match android::manifest::Manifest::parse(&file.text) {
                Ok(m) => Some(Fact::Manifest(file.path.clone(), Box::new(m))),
                Err(e) => {
                    cx.notice(
                        DiagnosticKind::Parse,
                        None,
                        format!("AndroidManifest.xml: {e}"),
                    );
                    None
                }
            };
        }
        if name == "build.gradle" || name == "build.gradle.kts" {
            return Some(Fact::Gradle(
                file.path.clone(),
                android::gradle::parse(&file.text),
            ));
        }
        if name == "libs.versions.toml" {
            return Some(Fact::Catalog(android::gradle::parse_catalog(&file.text)));
        }
        if lower.ends_with(".xml") {
            return match android::resources::parse(&file.text) {
                Ok(android::resources::Resource::Other) => None,
                Ok(r) => Some(Fact::Resource(file.path.clone(), r)),
                Err(e) => {
                    cx.notice(
                        DiagnosticKind::Parse,
                        None,
                        format!("Android resource: {e}"),
                    );
                    None
                }
            };
        }
        None
    }

    fn check_project(&self, facts: Vec<Fact>, cx: &mut ProjectContext<'_>) {
        let project = Project::new(facts);
        if project.is_empty() {
            return;
        }
        let mut out = rules::ProjectOut {
            cx,
            renderings: &project.renderings,
        };
        for rule in rules::android::PROJECT_RULES {
            if out.cx.wants(rule.meta) {
                (rule.check)(&project, &mut out);
            }
        }
    }
}

/// An APK, as the engine handed it over (its members decoded, see [`android::apk`]): the
/// manifest and XML resources become facts located inside the archive
/// (`app.apk!/AndroidManifest.xml`).
fn check_archive(file: &SourceFile, cx: &mut FileContext<'_>) -> Option<Fact> {
    let (members, problems) = android::apk::split(&file.text);
    for problem in problems {
        cx.notice(DiagnosticKind::Parse, None, problem);
    }
    let mut facts = Vec::new();
    for member in members {
        let path = format!("{}!/{}", file.path, member.path);
        let fact = if member.path == "AndroidManifest.xml" {
            match android::manifest::Manifest::parse(&member.text) {
                Ok(m) => Fact::Manifest(path.clone(), Box::new(m)),
                Err(e) => {
                    cx.notice(DiagnosticKind::Parse, None, format!("{}: {e}", member.path));
                    continue;
                }
            }
        } else {
            match android::resources::parse(&member.text) {
                Ok(android::resources::Resource::Other) => continue,
                Ok(r) => Fact::Resource(path.clone(), r),
                Err(e) => {
                    cx.notice(DiagnosticKind::Parse, None, format!("{}: {e}", member.path));
                    continue;
                }
            }
        };
        facts.push(fact);
        facts.push(Fact::Rendering(path, member.text));
    }
    Some(Fact::Many(facts))
}

fn check_code(file: &SourceFile, cx: &mut FileContext<'_>) {
    if cx.is_collecting() || place_of(&file.path).kind == SetKind::Test {
        return;
    }
    if !rules::android::CODE_RULES.iter().any(|r| cx.wants(r.meta)) {
        return;
    }
    let lang = if file.path.to_ascii_lowercase().ends_with(".kt") {
        Lang::Kotlin
    } else {
        Lang::Java
    };
    let grammar = match lang {
        Lang::Java => &*JAVA,
        Lang::Kotlin => &*KOTLIN,
    };
    let parsed = match palisade_syntax::parse(grammar, &file.text) {
        Ok(p) => p,
        Err(e) => {
            cx.notice(
                DiagnosticKind::Parse,
                None,
                format!("{}: {e}", grammar.name()),
            );
            return;
        }
    };
    if let Some(error) = &parsed.syntax_error {
        cx.notice(
            DiagnosticKind::Parse,
            Some(error.line),
            format!(
                "{} syntax error; the rest of the file is still checked",
                grammar.name()
            ),
        );
    }
    let code = Code::build(lang, file, parsed.tree.root_node());
    for rule in rules::android::CODE_RULES {
        if cx.wants(rule.meta) {
            (rule.check)(&code, cx);
        }
    }
    if code.taint_budget_exhausted() {
        cx.notice(
            DiagnosticKind::Skipped,
            None,
            format!(
                "{}: data flow from intents and links was cut short (too many assignments and calls to follow); some input rules may miss findings here",
                grammar.name()
            ),
        );
    }
}

impl Analyzer for IosAnalyzer {
    type Facts = ();
    type ScanState = ();

    fn name(&self) -> &'static str {
        "ios"
    }

    fn input_kind(&self) -> &'static str {
        "iOS Info.plist or entitlements files"
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        rules::ios::METAS
    }

    fn files(&self) -> FileSelector {
        FileSelector {
            extensions: &["entitlements"],
            names: &["Info.plist"],
            globs: &["**/*-Info.plist", "**/*_Info.plist"],
            ..FileSelector::default()
        }
    }

    /// Binary plists (a built app's `Info.plist`, an entitlements file saved by Xcode in
    /// binary form) are read as their XML rendering.
    fn decode_binary(&self, _path: &str, bytes: &[u8]) -> Option<Result<String, String>> {
        bytes
            .starts_with(ios::binary::MAGIC)
            .then(|| ios::binary::to_xml(bytes))
    }

    /// Cached: a plist's findings depend on its path, its text and the rules alone (a binary
    /// plist's rendering is never cached: the engine caches files it can read again as text).
    fn cache(&self) -> Option<FactsCodec<()>> {
        Some(FactsCodec::json(1))
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileContext<'_>, _state: &()) -> Option<()> {
        if cx.is_collecting() {
            return None;
        }
        let kind = ios::plist::PlistKind::of_path(&file.path);
        match ios::plist::Plist::parse(&file.text) {
            Ok(mut plist) => {
                plist.kind = kind;
                plist.path = file.path.clone();
                for rule in rules::ios::PLIST_RULES {
                    if rule.kind == kind && cx.wants(rule.meta) {
                        (rule.check)(&plist, cx);
                    }
                }
            }
            Err(e) => cx.notice(
                DiagnosticKind::Parse,
                None,
                format!("{}: {e}", kind.describe()),
            ),
        }
        None
    }
}
