//! Files as analyzers see them: decoded text, a kind, and a line index for turning byte
//! offsets into 1-based line/column spans.

use crate::finding::Span;
use palisade_knowledge::roles::{FileRole, file_role};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// How a file writes a comment, for suppressions and fixture annotations. Each analyzer
/// says which style its files use ([`crate::engine::Analyzer::comment_style`]); the default
/// is [`CommentStyle::for_path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentStyle {
    /// `# …`
    Hash,
    /// `// …` and `/* … */`
    Slash,
    /// `<!-- … -->`
    Markup,
    /// `-- …`
    DoubleDash,
    /// The format has no comments (JSON): fixtures use a sidecar file.
    None,
}

impl CommentStyle {
    /// The comment syntax a file's name implies, for the formats palisade reads or is
    /// likely to read: Python, YAML, TOML, shell, Dockerfiles, `.env`, nginx and Apache
    /// configurations use `#`; JavaScript/TypeScript, Java, Kotlin, Swift and Go use `//`;
    /// HTML, XML, plists (also `.entitlements`), Vue and Markdown use `<!-- -->`; SQL uses `--`; JSON has none.
    pub fn for_path(path: &str) -> CommentStyle {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        if lower == "dockerfile"
            || lower.starts_with("dockerfile.")
            || lower.ends_with(".dockerfile")
            || lower == ".env"
            || lower.starts_with(".env.")
            || lower == ".htaccess"
            || lower == "kustomization"
        {
            return CommentStyle::Hash;
        }
        // Bun's text lockfile is JSONC: `//` comments, unlike the other `.lock` files.
        if lower == "bun.lock" {
            return CommentStyle::Slash;
        }
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "py" | "pyw" | "pyi" | "yaml" | "yml" | "toml" | "sh" | "bash" | "env" | "conf"
            | "cfg" | "ini" | "properties" | "lock" | "txt" | "rb" | "tf" => CommentStyle::Hash,
            "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" | "java" | "kt" | "kts"
            | "swift" | "go" | "gradle" | "rs" | "c" | "h" | "cc" | "cpp" | "m" | "scss"
            | "css" => CommentStyle::Slash,
            "html" | "htm" | "xml" | "plist" | "entitlements" | "vue" | "md" | "markdown"
            | "svg" => CommentStyle::Markup,
            "sql" => CommentStyle::DoubleDash,
            _ => CommentStyle::None,
        }
    }
}

/// Which files an analyzer wants: by extension, exact file name or glob, decided from the
/// path alone, then optionally confirmed by the text once the file is read (`sniff`), so that
/// "YAML that holds Kubernetes objects", "HTML with a doctype" or "a GitHub Actions workflow"
/// need no file kind in core.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileSelector {
    /// Lower-case extensions without the dot (`py`, `yaml`); matched case-insensitively.
    pub extensions: &'static [&'static str],
    /// Exact file names (`Kustomization`, `Dockerfile`), matched case-sensitively.
    pub names: &'static [&'static str],
    /// File names the extensions would select but that are not the analyzer's (a YAML
    /// analyzer and `pnpm-lock.yaml`), matched case-insensitively.
    pub except_names: &'static [&'static str],
    /// Globs over the path as reports show it (`**/.github/workflows/*.yml`; start a glob
    /// with `**/` to match under any folder and any root). An invalid glob matches nothing.
    pub globs: &'static [&'static str],
    /// A check of the text after reading: the analyzer only gets files it returns true
    /// for. `None` takes every file the name selects.
    pub sniff: Option<fn(&str) -> bool>,
}

impl FileSelector {
    /// Whether the file at `path` (any `/`-separated path) is selected by its name or a
    /// glob. Compiles the globs on each call: the engine uses [`FileSelector::compile`].
    pub fn selects(&self, path: &str) -> bool {
        self.compile().selects(path)
    }

    /// The selector with its globs compiled, for matching many paths. The globs are
    /// `'static`, so each list is compiled once per process and shared: every scan compiles
    /// every analyzer's selector, and building a glob set costs far more than a small scan
    /// (a fuzz target or an editor scanning one file at a time).
    pub fn compile(&self) -> CompiledSelector {
        let globs = (!self.globs.is_empty()).then(|| glob_set(self.globs));
        CompiledSelector {
            selector: *self,
            globs,
        }
    }

    /// Whether the analyzer takes this text (after the name or glob selected the file).
    pub fn takes(&self, text: &str) -> bool {
        self.sniff.is_none_or(|sniff| sniff(text))
    }
}

/// A [`FileSelector`] ready to match many paths.
#[derive(Clone, Debug)]
pub struct CompiledSelector {
    selector: FileSelector,
    globs: Option<Arc<globset::GlobSet>>,
}

/// The glob set of a static list of globs, built on first use and kept (the lists are the
/// analyzers' own constants, so the cache holds a handful of sets). An invalid glob matches
/// nothing.
fn glob_set(globs: &'static [&'static str]) -> Arc<globset::GlobSet> {
    type Cache = Mutex<HashMap<&'static [&'static str], Arc<globset::GlobSet>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(set) = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(globs)
    {
        return Arc::clone(set);
    }
    let mut builder = globset::GlobSetBuilder::new();
    for glob in globs {
        if let Ok(glob) = globset::Glob::new(glob) {
            builder.add(glob);
        }
    }
    let set = Arc::new(
        builder
            .build()
            .unwrap_or_else(|_| globset::GlobSet::empty()),
    );
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    Arc::clone(cache.entry(globs).or_insert(set))
}

impl CompiledSelector {
    /// Whether the file at `path` is selected by its name or a glob.
    pub fn selects(&self, path: &str) -> bool {
        self.selector.selects_by_name(path) || self.globs.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// Whether the analyzer takes this text.
    pub fn takes(&self, text: &str) -> bool {
        self.selector.takes(text)
    }
}

impl FileSelector {
    fn selects_by_name(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        if self.names.contains(&name) {
            return true;
        }
        if self
            .except_names
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
        {
            return false;
        }
        let Some((_, ext)) = name.rsplit_once('.') else {
            return false;
        };
        self.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext))
    }
}

/// One decoded file, shared read-only by every analyzer that checks it.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the scan root, `/`-separated; the path every report shows.
    pub path: String,
    /// Where it was read from.
    pub abs_path: PathBuf,
    /// The comment syntax of the file (from the analyzers that read it).
    pub comment: CommentStyle,
    /// What the file is for, decided once by the walk (see `DiscoveredFile::role`); from
    /// the path for files made otherwise.
    pub role: FileRole,
    /// The scan root it was found under, as given to the walk (`None` for a file made
    /// otherwise: standard input, tests).
    pub root: Option<PathBuf>,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// The scan root this file was found under: the one the walk recorded, else its absolute
    /// path minus its relative one.
    pub fn scan_root(&self) -> Option<PathBuf> {
        if let Some(root) = &self.root {
            return Some(root.clone());
        }
        let depth = self.path.split('/').count();
        let mut root = self.abs_path.as_path();
        for _ in 0..depth {
            root = root.parent()?;
        }
        Some(root.to_path_buf())
    }

    pub fn new(
        path: impl Into<String>,
        abs_path: PathBuf,
        comment: CommentStyle,
        text: String,
    ) -> Self {
        let path: String = path.into();
        let role = file_role(&path);
        SourceFile::from_walk(path, abs_path, comment, role, text)
    }

    /// A file the walk found, with the role the walk already decided (not judged again).
    pub fn from_walk(
        path: String,
        abs_path: PathBuf,
        comment: CommentStyle,
        role: FileRole,
        text: String,
    ) -> Self {
        SourceFile {
            line_starts: line_starts(&text),
            path,
            abs_path,
            comment,
            role,
            root: None,
            text,
        }
    }

    /// The same file, known to be found under the scan root `root`.
    pub fn with_root(mut self, root: PathBuf) -> Self {
        self.root = Some(root);
        self
    }

    /// A file that exists only in memory (tests, stdin), with the comment syntax its name
    /// implies.
    pub fn in_memory(path: &str, text: &str) -> Self {
        SourceFile::new(
            path,
            PathBuf::from(path),
            CommentStyle::for_path(path),
            text.to_string(),
        )
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The text of 1-based line `n`, without its line ending; empty past the end.
    pub fn line(&self, n: u32) -> &str {
        let i = n as usize;
        if i == 0 || i > self.line_starts.len() {
            return "";
        }
        let start = self.line_starts[i - 1];
        let end = self
            .line_starts
            .get(i)
            .map_or(self.text.len(), |next| next - 1);
        let line = self.text.get(start..end).unwrap_or("");
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&self, byte: usize) -> (u32, u32) {
        let byte = byte.min(self.text.len());
        let line_index = self.line_starts.partition_point(|&s| s <= byte) - 1;
        let start = self.line_starts[line_index];
        let column = char_count(self.text.get(start..byte).unwrap_or_default());
        (line_index as u32 + 1, column + 1)
    }

    /// The span of the bytes `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let (start_line, start_column) = self.position(start);
        let (end_line, end_column) = self.position(end.max(start));
        Span {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }

    /// The span of a whole line, from its first non-blank character to its end.
    pub fn line_span(&self, n: u32) -> Span {
        let line = self.line(n);
        let indent = char_count(line) - char_count(line.trim_start());
        Span {
            start_line: n,
            start_column: indent + 1,
            end_line: n,
            end_column: char_count(line.trim_end()) + 1,
        }
    }
}

/// The byte offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    // memchr's vectorised search: every file read is split into lines, and on a tree of
    // many small files std's `match_indices` was a twentieth of a secrets scan.
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    starts
}

fn char_count(s: &str) -> u32 {
    s.chars().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_match_extensions_and_names() {
        let yaml = FileSelector {
            extensions: &["yaml", "yml"],
            names: &["Kustomization"],
            except_names: &["pnpm-lock.yaml"],
            globs: &[],
            sniff: Some(|t| t.contains("apiVersion")),
        };
        assert!(!yaml.selects("web/PNPM-lock.yaml"));
        assert!(yaml.selects("deploy/app.YAML"));
        assert!(yaml.selects("overlays/prod/Kustomization"));
        assert!(!yaml.selects("overlays/prod/kustomization"));
        assert!(!yaml.selects("notes.txt"));
        assert!(!yaml.selects("yaml"));
        assert!(yaml.takes("apiVersion: v1"));
        assert!(!yaml.takes("services: {}"));
        let workflows = FileSelector {
            globs: &["**/.github/workflows/*.yml", "**/.github/workflows/*.yaml"],
            ..FileSelector::default()
        }
        .compile();
        assert!(workflows.selects(".github/workflows/ci.yml"));
        assert!(workflows.selects("backend/.github/workflows/release.yaml"));
        assert!(!workflows.selects("docs/workflows/ci.yml"));
        assert!(!workflows.selects(".github/dependabot.yml"));
    }

    /// Every scan compiles every analyzer's selector; a fuzz target scanning one small
    /// file per input spent three quarters of its time building the same glob sets
    /// (web_code: ~145 inputs a second). Equal lists share one compiled set; another list
    /// gets its own.
    #[test]
    fn a_glob_list_is_compiled_once() {
        const GLOBS: &[&str] = &["**/deploy/*.tmpl", "**/[bad"];
        let a = FileSelector {
            globs: GLOBS,
            ..FileSelector::default()
        }
        .compile();
        let b = FileSelector {
            globs: &["**/deploy/*.tmpl", "**/[bad"],
            ..FileSelector::default()
        }
        .compile();
        let (Some(ga), Some(gb)) = (&a.globs, &b.globs) else {
            panic!("globs compiled")
        };
        assert!(Arc::ptr_eq(ga, gb));
        assert!(a.selects("x/deploy/app.tmpl") && b.selects("deploy/app.tmpl"));
        assert!(!a.selects("deploy/[bad"), "an invalid glob matches nothing");
        let other = FileSelector {
            globs: &["**/deploy/*.tmpl"],
            ..FileSelector::default()
        }
        .compile();
        assert!(other.selects("deploy/app.tmpl"));
        assert!(!Arc::ptr_eq(ga, other.globs.as_ref().expect("compiled")));
    }

    #[test]
    fn comment_syntax_by_name() {
        let c = CommentStyle::for_path;
        assert_eq!(c("a/b/app.py"), CommentStyle::Hash);
        assert_eq!(c("web/index.html"), CommentStyle::Markup);
        assert_eq!(c("web/App.vue"), CommentStyle::Markup);
        assert_eq!(c("src/main.tsx"), CommentStyle::Slash);
        assert_eq!(c("deploy/nginx.conf"), CommentStyle::Hash);
        assert_eq!(c(".env.production"), CommentStyle::Hash);
        assert_eq!(c("Dockerfile"), CommentStyle::Hash);
        assert_eq!(c("docs/SECURITY.md"), CommentStyle::Markup);
        assert_eq!(c("db/schema.sql"), CommentStyle::DoubleDash);
        assert_eq!(c("package.json"), CommentStyle::None);
    }

    #[test]
    fn positions_count_characters_from_one() {
        let f = SourceFile::in_memory("x.py", "ab\nçé = 1\r\nlast");
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(3), (2, 1));
        // "çé" are two bytes each: byte 7 is after them.
        assert_eq!(f.position(7), (2, 3));
        assert_eq!(f.line(2), "çé = 1");
        assert_eq!(f.line(3), "last");
        assert_eq!(f.line(9), "");
        assert_eq!(f.position(999), (3, 5));
    }
}
