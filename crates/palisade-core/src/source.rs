//! Files as analyzers see them: decoded text, a kind, and a line index for turning byte
//! offsets into 1-based line/column spans.

use crate::finding::Span;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What a file is, decided from its name alone (never from executing or deeply sniffing it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Python,
    JavaScript,
    TypeScript,
    Vue,
    Java,
    Kotlin,
    Swift,
    Html,
    Yaml,
    Json,
    Xml,
    Plist,
    Toml,
    Lockfile,
    Dockerfile,
    Shell,
    Sql,
    Other,
}

/// How a kind writes a comment, for suppressions and fixture annotations.
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

impl FileKind {
    /// Classifies a file by its name. Lockfiles are recognised before their generic format
    /// (`package-lock.json` is a lockfile, not plain JSON).
    pub fn classify(path: &Path) -> FileKind {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if is_lockfile_name(&lower) {
            return FileKind::Lockfile;
        }
        if lower == "dockerfile"
            || lower.starts_with("dockerfile.")
            || lower.ends_with(".dockerfile")
        {
            return FileKind::Dockerfile;
        }
        // Kustomize's extension-less name for its kustomization file.
        if name == "Kustomization" {
            return FileKind::Yaml;
        }
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "py" | "pyw" | "pyi" => FileKind::Python,
            "js" | "mjs" | "cjs" | "jsx" => FileKind::JavaScript,
            "ts" | "mts" | "cts" | "tsx" => FileKind::TypeScript,
            "vue" => FileKind::Vue,
            "java" => FileKind::Java,
            "kt" | "kts" => FileKind::Kotlin,
            "swift" => FileKind::Swift,
            "html" | "htm" => FileKind::Html,
            "yaml" | "yml" => FileKind::Yaml,
            "json" => FileKind::Json,
            "xml" => FileKind::Xml,
            "plist" => FileKind::Plist,
            "toml" => FileKind::Toml,
            "sh" | "bash" => FileKind::Shell,
            "sql" => FileKind::Sql,
            _ => FileKind::Other,
        }
    }

    pub fn comment_style(self) -> CommentStyle {
        match self {
            FileKind::Python
            | FileKind::Yaml
            | FileKind::Toml
            | FileKind::Dockerfile
            | FileKind::Shell
            | FileKind::Lockfile => CommentStyle::Hash,
            FileKind::JavaScript
            | FileKind::TypeScript
            | FileKind::Java
            | FileKind::Kotlin
            | FileKind::Swift => CommentStyle::Slash,
            FileKind::Html | FileKind::Xml | FileKind::Plist | FileKind::Vue => {
                CommentStyle::Markup
            }
            FileKind::Sql => CommentStyle::DoubleDash,
            FileKind::Json | FileKind::Other => CommentStyle::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Python => "python",
            FileKind::JavaScript => "javascript",
            FileKind::TypeScript => "typescript",
            FileKind::Vue => "vue",
            FileKind::Java => "java",
            FileKind::Kotlin => "kotlin",
            FileKind::Swift => "swift",
            FileKind::Html => "html",
            FileKind::Yaml => "yaml",
            FileKind::Json => "json",
            FileKind::Xml => "xml",
            FileKind::Plist => "plist",
            FileKind::Toml => "toml",
            FileKind::Lockfile => "lockfile",
            FileKind::Dockerfile => "dockerfile",
            FileKind::Shell => "shell",
            FileKind::Sql => "sql",
            FileKind::Other => "other",
        }
    }
}

fn is_lockfile_name(lower: &str) -> bool {
    matches!(
        lower,
        "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "poetry.lock"
            | "pipfile.lock"
            | "uv.lock"
            | "pdm.lock"
            | "cargo.lock"
            | "gemfile.lock"
            | "composer.lock"
            | "go.sum"
            | "podfile.lock"
            | "gradle.lockfile"
    ) || (lower.starts_with("requirements") && lower.ends_with(".txt"))
}

/// One decoded file, shared read-only by every analyzer that checks it.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the scan root, `/`-separated; the path every report shows.
    pub path: String,
    /// Where it was read from.
    pub abs_path: PathBuf,
    pub kind: FileKind,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, abs_path: PathBuf, kind: FileKind, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path: path.into(),
            abs_path,
            kind,
            text,
            line_starts,
        }
    }

    /// A file that exists only in memory (tests, stdin).
    pub fn in_memory(path: &str, kind: FileKind, text: &str) -> Self {
        SourceFile::new(path, PathBuf::from(path), kind, text.to_string())
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

fn char_count(s: &str) -> u32 {
    s.chars().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_name() {
        let k = |p: &str| FileKind::classify(Path::new(p));
        assert_eq!(k("a/b/app.py"), FileKind::Python);
        assert_eq!(k("package-lock.json"), FileKind::Lockfile);
        assert_eq!(k("x/requirements-dev.txt"), FileKind::Lockfile);
        assert_eq!(k("deploy.YAML"), FileKind::Yaml);
        assert_eq!(k("overlays/prod/Kustomization"), FileKind::Yaml);
        assert_eq!(k("Dockerfile"), FileKind::Dockerfile);
        assert_eq!(k("notes.txt"), FileKind::Other);
        assert_eq!(k("Info.plist"), FileKind::Plist);
    }

    #[test]
    fn positions_count_characters_from_one() {
        let f = SourceFile::in_memory("x.py", FileKind::Python, "ab\nçé = 1\r\nlast");
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
