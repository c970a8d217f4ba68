//! What a rendering reads, as the key its output is stashed under between scans: the tool
//! (its path, size and time, so an upgraded kubectl renders again), the rendered folder, and
//! the content of every file the rendering could read.
//!
//! Those files are found without knowing every field of a kustomization, since a field this
//! module does not know (a new generator option, `openapi`, `replacements`, `crds`, …) must
//! not leave an input out of the key: every string of a kustomization file (a value, and
//! the part after `=` of a generator's `key=path`) that names an existing path is an input.
//! A file is read; a folder with a kustomization is followed the same way; a name that
//! exists nowhere is recorded as missing (so the key changes when it appears), and so is a
//! folder without a kustomization. Plugin configurations (`generators`, `transformers`,
//! `validators` files) are read the same way, as they name files too. Strings that name no
//! input (labels, images) only add a missing name or, when a file happens to bear their
//! name, that file's content: a key too wide, never too narrow.
//!
//! Kustomize loads files from within its root folder only (its default load restrictor) and
//! nothing outside the scanned root is ever rendered (see `tree`): a string that resolves
//! outside the scanned root is recorded by name, never read. No key is made (the rendering
//! is then not stashed) when a kustomization file cannot be read or parsed as YAML here,
//! for what it names would be unknown, nor for kustomizations that include one another
//! deeper than `tree::MAX_DEPTH` (never rendered).

use super::render::Tool;
use super::tree::{FILE_NAMES, MAX_DEPTH, file_in};
use crate::yaml::{self, get, items};
use palisade_core::StashKey;
use saphyr::{MarkedYaml, YamlData};
use std::collections::HashSet;
use std::path::Path;

/// Bumped when what goes into the key changes.
const RECIPE: &str = "palisade-kustomize-rendering/1";

/// Longest string taken for a path (longer ones are text: inline patches, literals).
const MAX_PATH: usize = 4096;

/// A rendering with an input larger than this is not stashed (its key would mean reading it
/// whole on every scan).
const MAX_INPUT: u64 = 64 << 20;

/// The key of the rendering of the kustomization in `dir` (canonical) by `tool`, under the
/// scan root `root` (canonical); `None` when its inputs cannot all be told.
pub(super) fn key(dir: &Path, root: &Path, tool: &Tool) -> Option<StashKey> {
    let mut key = StashKey::new();
    key.field(RECIPE.as_bytes())
        .field(tool.path.as_os_str().as_encoded_bytes());
    let meta = std::fs::metadata(&tool.path).ok()?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    key.field(format!("{}:{mtime}", meta.len()).as_bytes());
    let mut inputs = Inputs {
        root,
        key,
        seen: HashSet::new(),
    };
    inputs.record("rendered", dir);
    inputs.kustomization(dir, 0)?;
    Some(inputs.key)
}

struct Inputs<'a> {
    root: &'a Path,
    key: StashKey,
    /// Files and folders already in the key.
    seen: HashSet<std::path::PathBuf>,
}

impl Inputs<'_> {
    /// Adds a tagged path, relative to the root, to the key.
    fn record(&mut self, tag: &str, path: &Path) {
        let relative = path.strip_prefix(self.root).unwrap_or(path);
        self.key
            .field(tag.as_bytes())
            .field(relative.as_os_str().as_encoded_bytes());
    }

    /// Adds the kustomization of `dir` (canonical, under the root), `depth` levels below the
    /// rendered one, and what it names.
    fn kustomization(&mut self, dir: &Path, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        if !self.seen.insert(dir.to_path_buf()) {
            return Some(());
        }
        // Kustomize refuses a folder with more than one of its file names.
        for name in FILE_NAMES {
            if dir.join(name).exists() {
                self.record("kustomization-name", &dir.join(name));
            }
        }
        let Some(file) = file_in(dir) else {
            self.record("no-kustomization", dir);
            return Some(());
        };
        let file = file
            .canonicalize()
            .ok()
            .filter(|f| f.starts_with(self.root))?;
        let text = std::fs::read_to_string(&file).ok()?;
        self.key.field(text.as_bytes());
        self.names_in(&text, dir, depth, true)
    }

    /// Adds every input the strings of the YAML `text` name, relative to `dir`.
    /// `plugins`: whether its plugin configurations are followed (in a kustomization).
    fn names_in(&mut self, text: &str, dir: &Path, depth: usize, plugins: bool) -> Option<()> {
        let (documents, errors) = yaml::load(text);
        if !errors.is_empty() {
            return None;
        }
        let mut strings = Vec::new();
        for document in &documents {
            strings_of(&document.root, &mut strings);
        }
        for string in strings {
            self.name(string, dir, depth)?;
        }
        if plugins {
            for document in &documents {
                for key in ["generators", "transformers", "validators"] {
                    for item in get(&document.root, key).map(items).unwrap_or_default() {
                        let Some(config) = yaml::scalar(item).and_then(|s| self.inside(s, dir))
                        else {
                            continue;
                        };
                        if config.is_file() {
                            let text = std::fs::read_to_string(&config).ok()?;
                            self.names_in(&text, dir, depth, false)?;
                        }
                    }
                }
            }
        }
        Some(())
    }

    /// The canonical path `string` names relative to `dir`, when it exists under the root.
    fn inside(&self, string: &str, dir: &Path) -> Option<std::path::PathBuf> {
        dir.join(string.trim())
            .canonicalize()
            .ok()
            .filter(|p| p.starts_with(self.root))
    }

    /// Adds what one string names (itself, or after a `key=` prefix), if anything.
    fn name(&mut self, string: &str, dir: &Path, depth: usize) -> Option<()> {
        let whole = string.trim();
        let after_key = whole.split_once('=').map(|(_, path)| path.trim());
        for candidate in std::iter::once(whole).chain(after_key) {
            if candidate.is_empty() || candidate.len() > MAX_PATH || candidate.contains('\n') {
                continue;
            }
            let joined = dir.join(candidate);
            let Ok(path) = joined.canonicalize() else {
                self.key.field(b"missing").field(candidate.as_bytes());
                continue;
            };
            if !path.starts_with(self.root) {
                self.key.field(b"outside").field(candidate.as_bytes());
                continue;
            }
            if path.is_dir() {
                if file_in(&path).is_some() {
                    self.kustomization(&path, depth + 1)?;
                } else if self.seen.insert(path.clone()) {
                    self.record("folder", &path);
                }
            } else if !path.is_file() {
                // A FIFO or a device: never opened (reading one could block the scan).
                self.record("special", &path);
            } else if self.seen.insert(path.clone()) {
                self.record("file", &path);
                let size = std::fs::metadata(&path).ok()?.len();
                if size > MAX_INPUT {
                    return None;
                }
                let content = std::fs::read(&path).ok()?;
                self.key.field(&content);
            }
        }
        Some(())
    }
}

/// Every scalar value of a YAML node, in document order (mapping keys are not paths).
fn strings_of<'a>(node: &'a MarkedYaml<'_>, out: &mut Vec<&'a str>) {
    match &node.data {
        YamlData::Mapping(map) => {
            for value in map.values() {
                strings_of(value, out);
            }
        }
        YamlData::Sequence(list) => {
            for item in list {
                strings_of(item, out);
            }
        }
        YamlData::Tagged(_, inner) => strings_of(inner, out),
        _ => {
            if let Some(text) = yaml::scalar(node) {
                out.push(text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::render::ToolKind;
    use super::*;
    use std::path::PathBuf;

    struct Repo {
        _dir: tempfile::TempDir,
        root: PathBuf,
        tool: Tool,
    }

    impl Repo {
        fn new() -> Repo {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("repo");
            std::fs::create_dir_all(&root).unwrap();
            let root = root.canonicalize().unwrap();
            let tool_path = dir.path().join("kubectl");
            std::fs::write(&tool_path, "#!/bin/sh\n").unwrap();
            let tool = Tool {
                path: tool_path,
                name: "kubectl",
                kind: ToolKind::Kubectl,
            };
            Repo {
                _dir: dir,
                root,
                tool,
            }
        }

        fn write(&self, path: &str, text: &str) {
            let path = self.root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }

        /// The key of the overlay's rendering.
        fn key(&self) -> String {
            key(&self.root.join("overlays/prod"), &self.root, &self.tool)
                .expect("a key")
                .hex()
        }
    }

    fn overlay() -> Repo {
        let repo = Repo::new();
        repo.write(
            "base/kustomization.yaml",
            "resources:\n  - deployment.yaml\n",
        );
        repo.write(
            "base/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n",
        );
        repo.write(
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\npatches:\n  - path: replicas.yaml\nconfigMapGenerator:\n  - name: api\n    files:\n      - settings=config/api.ini\n    envs:\n      - api.env\nopenapi:\n  path: schema.json\ngenerators:\n  - secrets-generator.yaml\ncommonLabels:\n  app: api\n",
        );
        repo.write(
            "overlays/prod/replicas.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n",
        );
        repo.write("overlays/prod/config/api.ini", "[api]\ndebug = false\n");
        repo.write("overlays/prod/api.env", "LOG_LEVEL=info\n");
        repo.write("overlays/prod/schema.json", "{}\n");
        repo.write(
            "overlays/prod/secrets-generator.yaml",
            "apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: tls\nfiles:\n  - tls.crt\n",
        );
        repo.write("overlays/prod/tls.crt", "certificate\n");
        repo.write("README.md", "how to deploy\n");
        repo
    }

    #[test]
    fn every_file_the_rendering_reads_is_in_its_key_and_no_other() {
        let repo = overlay();
        let first = repo.key();
        assert_eq!(repo.key(), first, "the same inputs give the same key");
        repo.write("README.md", "how to deploy, again\n");
        repo.write("base/unused.yaml", "kind: ConfigMap\n");
        assert_eq!(repo.key(), first, "files the rendering does not read");
        let mut last = first;
        for (path, text) in [
            ("base/deployment.yaml", "kind: Deployment\n"),
            (
                "base/kustomization.yaml",
                "resources:\n  - deployment.yaml\nnamePrefix: a-\n",
            ),
            ("overlays/prod/replicas.yaml", "spec:\n  replicas: 4\n"),
            ("overlays/prod/config/api.ini", "[api]\ndebug = true\n"),
            ("overlays/prod/api.env", "LOG_LEVEL=debug\n"),
            ("overlays/prod/schema.json", "{\"definitions\": {}}\n"),
            ("overlays/prod/tls.crt", "another certificate\n"),
            // A name that was missing, then appears.
            ("overlays/prod/api", "a file named like the label\n"),
            // A second kustomization file in a folder the rendering reads (an error then).
            ("base/kustomization.yml", "resources: []\n"),
        ] {
            repo.write(path, text);
            let now = repo.key();
            assert_ne!(now, last, "{path} changed");
            last = now;
        }
        // The tool itself.
        std::fs::write(&repo.tool.path, "#!/bin/sh\n# another version\n").unwrap();
        assert_ne!(repo.key(), last, "another tool");
    }

    #[cfg(unix)]
    #[test]
    fn nothing_outside_the_root_nor_any_fifo_is_read_and_unreadable_kustomizations_give_no_key() {
        let repo = overlay();
        let outside = repo.root.parent().unwrap().join("outside.ini");
        std::fs::write(&outside, "secret\n").unwrap();
        std::os::unix::fs::symlink(&outside, repo.root.join("overlays/prod/linked.ini")).unwrap();
        repo.write(
            "overlays/prod/kustomization.yaml",
            "configMapGenerator:\n  - name: api\n    files:\n      - linked.ini\n",
        );
        let before = repo.key();
        std::fs::write(&outside, "another secret\n").unwrap();
        assert_eq!(repo.key(), before, "the file outside is not read");
        // A FIFO named by a generator is never opened (the key would wait for a writer).
        let fifo = repo.root.join("overlays/prod/pipe.env");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        repo.write(
            "overlays/prod/kustomization.yaml",
            "secretGenerator:\n  - name: api\n    envs:\n      - pipe.env\n",
        );
        assert!(key(&repo.root.join("overlays/prod"), &repo.root, &repo.tool).is_some());
        repo.write("overlays/prod/kustomization.yaml", "resources: [unclosed\n");
        assert!(key(&repo.root.join("overlays/prod"), &repo.root, &repo.tool).is_none());
    }
}
