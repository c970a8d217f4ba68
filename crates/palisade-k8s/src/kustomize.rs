//! Kustomize: a folder with a kustomization is rendered with the tool the machine has
//! (`kubectl kustomize <dir>`, else `kustomize build <dir>`), the rendered objects are
//! checked, and each finding is pointed back at the file and line that defined it.
//!
//! Rendering is safe by construction: no flag that enables plugins, exec functions or Helm
//! inflation is ever passed, the tool runs with an empty environment (no `PATH`, so it cannot
//! start `git`; proxies pointed at a closed local port, so it cannot fetch anything), for at
//! most the configured timeout (`[analyzers.k8s] kustomize-timeout-seconds`, default
//! [`TIMEOUT`]), and its standard error only ever appears in a notice. A kustomization
//! that names a remote resource (`https://…`, `git::…`, `github.com/…`), or a folder or file
//! outside the scanned root, is not rendered at all: its raw files are scanned as before.
//!
//! Each kustomization folder is rendered once per process, whichever file asks first
//! ([`rendering`]); a plain manifest asks [`covers`] whether the rendering of its nearest
//! enclosing kustomization already includes it, in which case its findings come through the
//! kustomization's check and it is not analysed raw as well.
//!
//! Mapping back: the kustomization tree (`resources`, `bases`, `components`, recursively,
//! local paths only; patches of `patches`, `patchesStrategicMerge` and `patchesJson6902`) is
//! read to list the source files. A rendered object is matched to the source object of the
//! same API group, kind and name (allowing the `namePrefix`/`nameSuffix` the kustomizations
//! add), and a finding's position to the same key path in the source (list items matched by
//! their `name` when they have one), falling back to the nearest ancestor that exists there.
//! A value a patch sets is reported in the patch. A finding whose object has no source (a
//! generated ConfigMap, …) is reported on the kustomization's first line.

use crate::facts::{self, FileFacts};
use crate::object::{self, Object};
use crate::rules::{K8sRule, RuleContext};
use crate::yaml::{self, entry, get, get_str, items, scalar};
use palisade_core::{
    CommentStyle, DiagnosticKind, FileContext, Finding, Location, Place, SourceFile, Span,
};
use saphyr::{MarkedYaml, YamlData};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The names Kustomize looks for in a folder, in its order.
pub const FILE_NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// How long the rendering tool may run before it is killed, unless configured otherwise.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Rendered output beyond this is not read (the tool is then stopped by the timeout).
const MAX_OUTPUT: u64 = 64 << 20;

/// Whether `path` is a kustomization file (by name).
pub fn is_kustomization(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| FILE_NAMES.contains(&n))
}

/// The kustomization file of `dir`, if it has one.
pub fn file_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// What a source file is to the kustomization that lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Listed under `resources` (or `bases`): its objects are rendered.
    Resource,
    /// A patch: its values are merged into the resources' objects.
    Patch,
}

/// A file the rendering is made of.
#[derive(Clone, Debug)]
pub struct Source {
    /// Canonical.
    pub path: PathBuf,
    pub role: Role,
    /// The name prefix and suffix the kustomizations between the rendered one and this file
    /// add to its objects' names.
    pub prefix: String,
    pub suffix: String,
    /// For a patch with a `target:` selector: the kind and name it selects.
    pub target: Option<(Option<String>, Option<String>)>,
    /// How deep the kustomization that lists it is (0: the rendered one). Outer patches are
    /// applied last.
    pub depth: usize,
}

/// A successful rendering.
#[derive(Debug)]
pub struct Rendered {
    /// The rendered YAML stream.
    pub text: String,
    /// The files it is made of, in the order the kustomizations list them.
    pub sources: Vec<Source>,
    /// Their canonical paths.
    pub covered: HashSet<PathBuf>,
}

/// What became of a kustomization folder.
#[derive(Debug)]
pub enum Outcome {
    Rendered(Rendered),
    /// A `kind: Component` is only meaningful inside the kustomizations that include it: it
    /// is not rendered on its own (and says nothing about it).
    Component,
    /// Not rendered: the notice to give (once, on the kustomization file).
    NotRendered {
        kind: DiagnosticKind,
        message: String,
    },
}

/// One kustomization folder's rendering.
#[derive(Debug)]
pub struct Rendering {
    /// The canonical folder.
    pub dir: PathBuf,
    pub outcome: Outcome,
}

type Cell = Arc<OnceLock<Arc<Rendering>>>;

fn cache() -> &'static Mutex<HashMap<(PathBuf, PathBuf), Cell>> {
    static CACHE: OnceLock<Mutex<HashMap<(PathBuf, PathBuf), Cell>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The rendering of the kustomization in `dir` (canonical) scanned under `root` (canonical):
/// made on first request, once per process, while other threads asking for the same folder
/// wait for it.
pub fn rendering(dir: &Path, root: &Path, timeout: Duration) -> Arc<Rendering> {
    let cell = {
        let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
        map.entry((dir.to_path_buf(), root.to_path_buf()))
            .or_default()
            .clone()
    };
    cell.get_or_init(|| {
        Arc::new(Rendering {
            dir: dir.to_path_buf(),
            outcome: render(dir, root, timeout),
        })
    })
    .clone()
}

/// The nearest folder at or above `file`'s (canonical) that holds a kustomization, not
/// looking above `root`.
pub fn enclosing(file: &Path, root: &Path) -> Option<PathBuf> {
    let mut dir = file.parent()?;
    loop {
        if !dir.starts_with(root) {
            return None;
        }
        if file_in(dir).is_some() {
            return Some(dir.to_path_buf());
        }
        if dir == root {
            return None;
        }
        dir = dir.parent()?;
    }
}

/// The kustomization folder whose successful rendering includes `file` (canonical), when
/// that is its nearest enclosing kustomization's.
pub fn covering(file: &Path, root: &Path, timeout: Duration) -> Option<PathBuf> {
    let dir = enclosing(file, root)?;
    match &rendering(&dir, root, timeout).outcome {
        Outcome::Rendered(r) if r.covered.contains(file) => Some(dir),
        _ => None,
    }
}

/// Whether `file` (canonical) is included in the successful rendering of its nearest
/// enclosing kustomization.
pub fn covers(file: &Path, root: &Path, timeout: Duration) -> bool {
    covering(file, root, timeout).is_some()
}

/// The kustomization tree, as far as mapping and safety need it.
#[derive(Default)]
struct Tree {
    sources: Vec<Source>,
    /// The first remote reference found.
    remote: Option<String>,
    /// The first reference that resolves outside the scanned root.
    outside: Option<String>,
}

fn render(dir: &Path, root: &Path, timeout: Duration) -> Outcome {
    let Some(file) = file_in(dir) else {
        return Outcome::Component;
    };
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let (documents, _) = yaml::load(&text);
    if documents
        .first()
        .is_some_and(|d| get_str(&d.root, "kind") == Some("Component"))
    {
        return Outcome::Component;
    }
    let mut tree = Tree::default();
    let mut visited = HashSet::from([dir.to_path_buf()]);
    walk(dir, root, 0, "", "", &mut visited, &mut tree);
    let not_rendered = |kind, message: String| Outcome::NotRendered { kind, message };
    if let Some(remote) = tree.remote {
        return not_rendered(
            DiagnosticKind::Skipped,
            format!(
                "kustomization not rendered: it names the remote resource `{remote}`, and remote resources are not fetched; raw files scanned"
            ),
        );
    }
    if let Some(outside) = tree.outside {
        return not_rendered(
            DiagnosticKind::Skipped,
            format!(
                "kustomization not rendered: `{outside}` is outside the scanned folder, which palisade does not read; raw files scanned"
            ),
        );
    }
    let Some(tool) = find_tool() else {
        return not_rendered(
            DiagnosticKind::Skipped,
            "kustomization not rendered: neither kubectl nor kustomize is installed; raw files scanned"
                .to_string(),
        );
    };
    match run(&tool, dir, timeout) {
        Ok(text) => {
            let covered = tree.sources.iter().map(|s| s.path.clone()).collect();
            Outcome::Rendered(Rendered {
                text,
                sources: tree.sources,
                covered,
            })
        }
        Err(error) => not_rendered(
            DiagnosticKind::Parse,
            format!(
                "{} could not render the kustomization: {error}; raw files scanned",
                tool.name
            ),
        ),
    }
}

/// Lists what the kustomization in `dir` includes, recursing into the folders it includes.
fn walk(
    dir: &Path,
    root: &Path,
    depth: usize,
    outer_prefix: &str,
    outer_suffix: &str,
    visited: &mut HashSet<PathBuf>,
    tree: &mut Tree,
) {
    let Some(file) = file_in(dir) else {
        return;
    };
    // A kustomization file linked from outside the root is not read.
    match file.canonicalize() {
        Ok(real) if real.starts_with(root) => {}
        _ => {
            tree.outside
                .get_or_insert_with(|| file.display().to_string());
            return;
        }
    }
    let Ok(text) = std::fs::read_to_string(&file) else {
        return;
    };
    let (documents, _) = yaml::load(&text);
    let Some(k) = documents.first().map(|d| &d.root) else {
        return;
    };
    let prefix = format!("{outer_prefix}{}", get_str(k, "namePrefix").unwrap_or(""));
    let suffix = format!("{}{outer_suffix}", get_str(k, "nameSuffix").unwrap_or(""));
    let mut include = |reference: &str, role: Role, target, tree: &mut Tree| {
        let reference = reference.trim();
        if reference.is_empty() {
            return;
        }
        if is_remote(reference, dir) {
            tree.remote.get_or_insert_with(|| reference.to_string());
            return;
        }
        // A missing path is for the tool to report.
        let Ok(path) = dir.join(reference).canonicalize() else {
            return;
        };
        if !path.starts_with(root) {
            tree.outside.get_or_insert_with(|| reference.to_string());
            return;
        }
        if path.is_dir() {
            if visited.insert(path.clone()) {
                walk(&path, root, depth + 1, &prefix, &suffix, visited, tree);
            }
        } else {
            tree.sources.push(Source {
                path,
                role,
                prefix: prefix.clone(),
                suffix: suffix.clone(),
                target,
                depth,
            });
        }
    };
    for key in ["resources", "bases", "components"] {
        for item in get(k, key).map(items).unwrap_or_default() {
            if let Some(reference) = scalar(item) {
                include(reference, Role::Resource, None, tree);
            }
        }
    }
    for item in get(k, "patchesStrategicMerge")
        .map(items)
        .unwrap_or_default()
    {
        // An entry is a file name or an inline patch.
        if let Some(reference) = scalar(item).filter(|r| !r.contains('\n')) {
            include(reference, Role::Patch, None, tree);
        }
    }
    for key in ["patches", "patchesJson6902"] {
        for item in get(k, key).map(items).unwrap_or_default() {
            let Some(reference) = get_str(item, "path") else {
                continue;
            };
            let target = get(item, "target").map(|t| {
                (
                    get_str(t, "kind").map(str::to_string),
                    get_str(t, "name").map(str::to_string),
                )
            });
            include(reference, Role::Patch, target, tree);
        }
    }
    // Plugin configurations may be remote too (they are loaded like resources); they are not
    // sources of objects.
    for key in ["generators", "transformers", "validators"] {
        for item in get(k, key).map(items).unwrap_or_default() {
            if let Some(reference) = scalar(item).filter(|r| !r.contains('\n'))
                && is_remote(reference.trim(), dir)
            {
                tree.remote
                    .get_or_insert_with(|| reference.trim().to_string());
            }
        }
    }
}

/// Whether a kustomization reference names something Kustomize would fetch: a URL, a git
/// repository, or a `host.tld/…` path that does not exist locally.
fn is_remote(reference: &str, dir: &Path) -> bool {
    if reference.contains("://")
        || reference.starts_with("git::")
        || reference.starts_with("git@")
        || reference.contains("?ref=")
        || reference.contains("?version=")
    {
        return true;
    }
    if dir.join(reference).exists() {
        return false;
    }
    let first = reference.split('/').next().unwrap_or_default();
    reference.contains('/') && first.contains('.') && !first.starts_with('.')
}

enum ToolKind {
    Kubectl,
    Kustomize,
}

struct Tool {
    path: PathBuf,
    name: &'static str,
    kind: ToolKind,
}

/// `kubectl`, else `kustomize`, from an absolute folder of `PATH` (never a relative one,
/// which could be inside the scanned repository).
fn find_tool() -> Option<Tool> {
    let path = std::env::var_os("PATH")?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|d| d.is_absolute())
        .collect();
    for (name, kind) in [
        ("kubectl", ToolKind::Kubectl),
        ("kustomize", ToolKind::Kustomize),
    ] {
        let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
        if let Some(found) = dirs
            .iter()
            .map(|d| d.join(&file))
            .find(|p| is_executable(p))
        {
            return Some(Tool {
                path: found,
                name,
                kind,
            });
        }
    }
    None
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = path.metadata() else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// A closed port on the loopback interface: every proxied request fails at once.
const NO_PROXY_ADDR: &str = "http://127.0.0.1:9";

/// Runs the tool over `dir`, returning its output or its first error line.
fn run(tool: &Tool, dir: &Path, timeout: Duration) -> Result<String, String> {
    let mut command = Command::new(&tool.path);
    match tool.kind {
        ToolKind::Kubectl => command.arg("kustomize"),
        ToolKind::Kustomize => command.arg("build"),
    };
    command
        .arg(dir)
        .current_dir(dir)
        .env_clear()
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env(var, NO_PROXY_ADDR);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", tool.name))?;
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("it ran longer than {} s", timeout.as_secs()));
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("waiting for it failed: {e}"));
            }
        }
    };
    // Its output is complete once it exits (unless something it started holds the pipe).
    let grace = Duration::from_secs(5);
    let out = stdout.recv_timeout(grace).unwrap_or_default();
    let err = stderr.recv_timeout(grace).unwrap_or_default();
    if !status.success() {
        return Err(first_error(&err, dir));
    }
    String::from_utf8(out).map_err(|_| "its output is not UTF-8".to_string())
}

fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (send, receive) = mpsc::channel();
    if let Some(pipe) = pipe {
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let _ = pipe.take(MAX_OUTPUT).read_to_end(&mut buffer);
            let _ = send.send(buffer);
        });
    }
    receive
}

/// The tool's first error line, without kubectl's log prefix, with the folder's own path
/// left out (messages are shorter and stay relative).
fn first_error(stderr: &[u8], dir: &Path) -> String {
    let text = String::from_utf8_lossy(stderr);
    let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return "it failed without a message".to_string();
    };
    // kubectl: `E1127 22:45:43.963536   10245 run.go:72] "command failed" err="…"`
    let message = match line.find("err=\"") {
        Some(at) => {
            let rest = &line[at + 5..];
            rest.strip_suffix('"')
                .unwrap_or(rest)
                .replace("\\\"", "\"")
                .replace("\\'", "'")
        }
        None => line.strip_prefix("Error: ").unwrap_or(line).to_string(),
    };
    let message = message.replace(&format!("{}/", dir.display()), "");
    let mut short: String = message.chars().take(300).collect();
    if short.len() < message.len() {
        short.push('…');
    }
    short
}

// ----- Mapping a rendering back to its sources -----------------------------------------

/// One step of a key path: `spec`, `containers[0]` (with the item's `name`, if any).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Item { index: usize, name: Option<String> },
}

/// A node found by a key path: its value, and its key when it is a mapping value.
#[derive(Clone, Copy)]
struct Found<'a, 'input> {
    key: Option<&'a MarkedYaml<'input>>,
    value: &'a MarkedYaml<'input>,
}

fn start_of(node: &MarkedYaml<'_>) -> (usize, usize) {
    (node.span.start.line(), node.span.start.col())
}

/// The key path to the node that starts at `position` (1-based line, 0-based column) in an
/// object, or to the deepest node before it; and whether that node is a key.
fn locate(root: &MarkedYaml<'_>, position: (usize, usize)) -> (Vec<Step>, bool) {
    let mut steps = Vec::new();
    let mut node = root;
    loop {
        match &node.data {
            YamlData::Mapping(map) => {
                let best = map
                    .iter()
                    .filter(|(k, _)| start_of(k) <= position)
                    .max_by_key(|(k, _)| start_of(k));
                let Some((key, value)) = best else {
                    return (steps, false);
                };
                let Some(name) = scalar(key) else {
                    return (steps, false);
                };
                steps.push(Step::Key(name.to_string()));
                if start_of(key) == position || start_of(value) > position {
                    return (steps, true);
                }
                node = value;
            }
            YamlData::Sequence(list) => {
                let best = list
                    .iter()
                    .enumerate()
                    .rfind(|(_, item)| start_of(item) <= position);
                let Some((index, item)) = best else {
                    return (steps, false);
                };
                steps.push(Step::Item {
                    index,
                    name: get_str(item, "name").map(str::to_string),
                });
                node = item;
            }
            YamlData::Tagged(_, inner) => node = inner,
            _ => return (steps, false),
        }
    }
}

/// Follows `steps` from `root`: the node reached and whether all of them were found (or the
/// deepest node that exists, and false).
fn resolve<'a, 'input>(root: &'a MarkedYaml<'input>, steps: &[Step]) -> (Found<'a, 'input>, bool) {
    let mut found = Found {
        key: None,
        value: root,
    };
    for step in steps {
        let next = match step {
            Step::Key(k) => entry(found.value, k).map(|(key, value)| Found {
                key: Some(key),
                value,
            }),
            Step::Item { index, name } => {
                let list = items(found.value);
                let item = match name {
                    Some(name) => list.iter().find(|i| get_str(i, "name") == Some(name)),
                    None => list.get(*index),
                };
                item.map(|value| Found { key: None, value })
            }
        };
        match next {
            Some(next) => found = next,
            None => return (found, false),
        }
    }
    (found, true)
}

/// Whether a key path names what identifies an object or a list item (`kind`,
/// `metadata.name`, a container's `- name: api`): a patch repeats those only to say what it
/// patches, so such a line belongs to the resource.
fn is_identity(steps: &[Step]) -> bool {
    let key = |s: &Step, name: &str| matches!(s, Step::Key(k) if k == name);
    match steps {
        [only] => key(only, "apiVersion") || key(only, "kind") || key(only, "metadata"),
        [first, second] if key(first, "metadata") => {
            key(second, "name") || key(second, "namespace")
        }
        [.., Step::Item { .. }, last] => key(last, "name"),
        _ => false,
    }
}

fn is_scalar(node: &MarkedYaml<'_>) -> bool {
    match &node.data {
        YamlData::Mapping(_) | YamlData::Sequence(_) => false,
        YamlData::Tagged(_, inner) => is_scalar(inner),
        _ => true,
    }
}

/// A source file, read and parsed.
struct Loaded {
    source: Source,
    /// Its path in the report, when the scan analyses it.
    report_path: Option<String>,
    text: String,
}

/// An object of a source file.
struct SourceObject<'a, 'input> {
    file: usize,
    object: Object<'a, 'input>,
}

/// Where a position of the rendering comes from.
struct Mapped {
    path: String,
    span: Span,
    exact: bool,
}

/// The sources of one rendered object: the resource object that defined it and the patch
/// objects merged into it, outermost first.
struct Origin {
    resource: Option<usize>,
    patches: Vec<usize>,
}

struct Mapper<'s, 'a, 'input> {
    loaded: &'s [Loaded],
    objects: &'s [SourceObject<'a, 'input>],
}

impl Mapper<'_, '_, '_> {
    /// The origin of a rendered object.
    fn origin(&self, rendered: &Object<'_, '_>) -> Origin {
        let same_type =
            |o: &Object<'_, '_>| o.kind == rendered.kind && o.group() == rendered.group();
        let resource = self
            .objects
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                self.loaded[s.file].source.role == Role::Resource && same_type(&s.object)
            })
            .filter_map(|(i, s)| {
                let source = &self.loaded[s.file].source;
                let name = s.object.name;
                let score = if format!("{}{name}{}", source.prefix, source.suffix) == rendered.name
                {
                    3
                } else if name == rendered.name {
                    2
                } else if name != "<unnamed>" && rendered.name.contains(name) {
                    1
                } else {
                    return None;
                };
                let same_namespace = s.object.namespace == rendered.namespace;
                Some(((score, same_namespace, name.len(), std::cmp::Reverse(i)), i))
            })
            .max_by_key(|(rank, _)| *rank)
            .map(|(_, i)| i);
        let base_name = resource.map(|i| self.objects[i].object.name);
        let names_it = |name: &str| name == rendered.name || Some(name) == base_name;
        let mut patches: Vec<usize> = self
            .objects
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let source = &self.loaded[s.file].source;
                if source.role != Role::Patch {
                    return false;
                }
                let by_target = source.target.as_ref().is_some_and(|(kind, name)| {
                    kind.as_deref().is_none_or(|k| k == rendered.kind)
                        && name.as_deref().is_none_or(names_it)
                });
                (s.object.kind == rendered.kind && names_it(s.object.name)) || by_target
            })
            .map(|(i, _)| i)
            .collect();
        // Outer kustomizations patch last; within one, later patches win.
        patches.sort_by_key(|&i| {
            let file = self.objects[i].file;
            (self.loaded[file].source.depth, std::cmp::Reverse(file))
        });
        Origin { resource, patches }
    }

    /// Maps a span of a rendered object to its source.
    fn map(&self, rendered: &Object<'_, '_>, origin: &Origin, span: Span) -> Option<Mapped> {
        let position = (
            span.start_line as usize,
            span.start_column.saturating_sub(1) as usize,
        );
        let (steps, at_key) = locate(rendered.node, position);
        let (rendered_found, _) = resolve(rendered.node, &steps);
        // Did the rendered span cover only the key, only the first character, or more?
        let key_only = at_key
            && rendered_found.key.is_some_and(|k| {
                (k.span.end.line(), k.span.end.col() + 1)
                    == (span.end_line as usize, span.end_column as usize)
            });
        let one_char = span.end_line == span.start_line && span.end_column <= span.start_column + 1;
        let shape = |found: Found<'_, '_>, exact: bool| -> Span {
            match (exact, at_key, found.key) {
                (true, true, Some(key)) if key_only => crate::node_span(key),
                (true, true, Some(key)) => crate::key_value_span(key, found.value),
                (true, _, _) if one_char => crate::node_start_span(found.value),
                (true, _, _) => crate::node_span(found.value),
                (false, _, Some(key)) => crate::node_start_span(key),
                (false, _, None) => crate::node_start_span(found.value),
            }
        };
        let report_path =
            |object: usize| self.loaded[self.objects[object].file].report_path.clone();
        // A patch owns what it sets last (a scalar value), and what the resource lacks.
        let in_resource = origin
            .resource
            .map(|r| resolve(self.objects[r].object.node, &steps));
        if !is_identity(&steps) {
            for &patch in &origin.patches {
                let (found, exact) = resolve(self.objects[patch].object.node, &steps);
                let owns = is_scalar(found.value) || !in_resource.is_some_and(|(_, e)| e);
                if exact
                    && owns
                    && let Some(path) = report_path(patch)
                {
                    return Some(Mapped {
                        path,
                        span: shape(found, true),
                        exact: true,
                    });
                }
            }
        }
        let resource = origin.resource?;
        let path = report_path(resource)?;
        let (found, exact) = in_resource?;
        Some(Mapped {
            path,
            span: shape(found, exact),
            exact,
        })
    }
}

/// Its path as the report shows it: `target` (canonical) relative to the folder of the
/// file `anchor` (shown as `anchor_path`, canonical `anchor_abs`), or None when it is above
/// the scanned root.
pub fn report_path(anchor_path: &str, anchor_abs: &Path, target: &Path) -> Option<String> {
    let mut shown: Vec<&str> = anchor_path.split('/').collect();
    shown.pop();
    let mut dir = anchor_abs.parent()?;
    while !target.starts_with(dir) {
        dir = dir.parent()?;
        shown.pop()?;
    }
    let rest = target.strip_prefix(dir).ok()?;
    for part in rest.components() {
        shown.push(part.as_os_str().to_str()?);
    }
    Some(shown.join("/"))
}

/// Checks a kustomization file whose folder rendered: runs `active` over the rendered objects
/// and reports their findings in the source files, and returns the facts of the rendered
/// objects (with their locations mapped the same way) when `project_rules` want them.
pub fn check_rendered(
    file: &SourceFile,
    rendered: &Rendered,
    active: &[&K8sRule],
    project_rules: bool,
    cx: &mut FileContext<'_>,
) -> FileFacts {
    let file_abs = file
        .abs_path
        .canonicalize()
        .unwrap_or_else(|_| file.abs_path.clone());
    let loaded: Vec<Loaded> = rendered
        .sources
        .iter()
        .filter_map(|source| {
            let text = std::fs::read_to_string(&source.path).ok()?;
            let report_path = report_path(&file.path, &file_abs, &source.path).filter(|p| {
                crate::KubernetesAnalyzer::FILES.selects(&source.path.to_string_lossy())
                    && cx.is_scanned(p)
            });
            Some(Loaded {
                source: source.clone(),
                report_path,
                text,
            })
        })
        .collect();
    let parsed: Vec<Vec<yaml::Document<'_>>> =
        loaded.iter().map(|l| yaml::load(&l.text).0).collect();
    let objects: Vec<SourceObject<'_, '_>> = parsed
        .iter()
        .enumerate()
        .flat_map(|(file, documents)| {
            documents.iter().flat_map(move |d| {
                object::objects(&d.root)
                    .into_iter()
                    .map(move |object| SourceObject { file, object })
            })
        })
        .collect();
    let mapper = Mapper {
        loaded: &loaded,
        objects: &objects,
    };

    let (documents, errors) = yaml::load(&rendered.text);
    if let Some(error) = errors.first() {
        cx.notice(
            DiagnosticKind::Parse,
            None,
            format!(
                "the Kustomize rendering is not valid YAML near its line {}: {}",
                error.line, error.message
            ),
        );
    }
    let shown_dir = match file.path.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => ".".to_string(),
    };
    let first_line = Span {
        start_line: 1,
        start_column: 1,
        end_line: 1,
        end_column: 1,
    };
    let facts_file = SourceFile::new(
        String::new(),
        file.abs_path.clone(),
        CommentStyle::Hash,
        String::new(),
    );
    let mut all_facts = FileFacts::default();
    let mut out = Vec::new();
    for document in &documents {
        for object in object::objects(&document.root) {
            let origin = mapper.origin(&object);
            let mut findings = Vec::new();
            let mut rcx = RuleContext::collecting(&mut findings);
            for rule in active {
                (rule.check)(&object, &mut rcx);
            }
            for finding in findings {
                out.push(map_finding(
                    finding, &object, &origin, &mapper, &shown_dir, first_line,
                ));
            }
            if project_rules {
                let mut facts = FileFacts::default();
                facts::collect(&facts_file, &object, &mut facts);
                facts.map_locations(
                    |location| match mapper.map(&object, &origin, location.span) {
                        Some(m) => {
                            location.path = m.path;
                            location.span = m.span;
                        }
                        None => {
                            location.path = file.path.clone();
                            location.span = first_line;
                        }
                    },
                );
                all_facts.append(facts);
            }
        }
    }
    for finding in out {
        cx.report_in(finding);
    }
    all_facts
}

/// Points a finding on a rendered object at its source, or at the kustomization's first
/// line (path left empty: the file being checked) when the object has none.
fn map_finding(
    mut finding: Finding,
    object: &Object<'_, '_>,
    origin: &Origin,
    mapper: &Mapper<'_, '_, '_>,
    shown_dir: &str,
    first_line: Span,
) -> Finding {
    finding.fix = None;
    let Some(primary) = mapper.map(
        object,
        origin,
        finding.location.span().unwrap_or(first_line),
    ) else {
        finding.message = format!(
            "{} (in the Kustomize rendering of {shown_dir}; the file that defines {} was not found)",
            finding.message,
            object.describe()
        );
        finding.location = Place::File(Location {
            path: String::new(),
            span: first_line,
        });
        finding.related.clear();
        finding.secrets.clear();
        return finding;
    };
    finding.message = format!(
        "{} (rendered by Kustomize from {shown_dir})",
        finding.message
    );
    let mut secrets = Vec::new();
    let mut unmapped_secret = false;
    for secret in &finding.secrets {
        match mapper.map(object, origin, *secret) {
            Some(m) if m.exact && m.path == primary.path => secrets.push(m.span),
            _ => unmapped_secret = true,
        }
    }
    if unmapped_secret {
        // Mask the whole of the primary lines rather than risk showing the value.
        secrets.push(Span {
            start_line: primary.span.start_line,
            start_column: 1,
            end_line: primary.span.end_line,
            end_column: u32::MAX,
        });
    }
    finding.secrets = secrets;
    let related = std::mem::take(&mut finding.related);
    for mut r in related {
        if !r.location.path.is_empty() {
            finding.related.push(r);
            continue;
        }
        if let Some(m) = mapper.map(object, origin, r.location.span) {
            r.location = Location {
                path: m.path,
                span: m.span,
            };
            finding.related.push(r);
        }
    }
    finding.location = Place::File(Location {
        path: primary.path,
        span: primary.span,
    });
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_references_are_recognised() {
        let here = Path::new("/nonexistent-folder");
        for remote in [
            "https://github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v1.0.6",
            "github.com/example/deploy/base?ref=main",
            "git::https://example.com/deploy.git//base",
            "git@github.com:example/deploy.git/base",
            "ssh://git@example.com/deploy.git",
            "gitlab.com/example/deploy/base",
        ] {
            assert!(is_remote(remote, here), "{remote}");
        }
        for local in [
            "../../base",
            "deployment.yaml",
            "sub/missing.yaml",
            "./x.yaml",
        ] {
            assert!(!is_remote(local, here), "{local}");
        }
    }

    #[test]
    fn report_paths_stay_inside_the_root() {
        let anchor = Path::new("/repo/deploy/overlays/prod/kustomization.yaml");
        let shown = "deploy/overlays/prod/kustomization.yaml";
        assert_eq!(
            report_path(shown, anchor, Path::new("/repo/deploy/base/api.yaml")).as_deref(),
            Some("deploy/base/api.yaml")
        );
        assert_eq!(
            report_path(
                shown,
                anchor,
                Path::new("/repo/deploy/overlays/prod/patch.yaml")
            )
            .as_deref(),
            Some("deploy/overlays/prod/patch.yaml")
        );
        assert_eq!(
            report_path(shown, anchor, Path::new("/elsewhere/x.yaml")),
            None
        );
    }

    #[test]
    fn kubectl_errors_lose_their_log_prefix() {
        let stderr = br#"E1127 22:45:43.963536   10245 run.go:72] "command failed" err="accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/k/broken/missing.yaml' : lstat /k/broken/missing.yaml: no such file or directory'""#;
        let message = first_error(stderr, Path::new("/k/broken"));
        assert!(message.starts_with("accumulating resources:"), "{message}");
        assert!(!message.contains("/k/broken/"), "{message}");
        assert_eq!(
            first_error(b"Error: must build at directory\n", Path::new("/k")),
            "must build at directory"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_tool_that_hangs_is_killed_and_one_that_fails_gives_its_first_line() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("palisade-kustomize-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = |name: &str, body: &str| {
            let path = dir.join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            Tool {
                path,
                name: "kustomize",
                kind: ToolKind::Kustomize,
            }
        };
        let hangs = script("hangs", "exec /bin/sleep 30");
        let started = Instant::now();
        let error = run(&hangs, &dir, Duration::from_millis(300)).unwrap_err();
        assert!(error.contains("ran longer than"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(10));
        let fails = script(
            "fails",
            "echo 'Error: no kustomization here' >&2\necho second >&2\nexit 1",
        );
        assert_eq!(
            run(&fails, &dir, TIMEOUT).unwrap_err(),
            "no kustomization here"
        );
        // The environment is empty: nothing to find `git` (or anything else) with.
        let env = script("env", "exec /usr/bin/env");
        let out = run(&env, &dir, TIMEOUT).unwrap();
        assert!(out.contains("HTTPS_PROXY=http://127.0.0.1:9"), "{out}");
        assert!(!out.lines().any(|l| l.starts_with("PATH=")), "{out}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn positions_map_through_key_paths_and_item_names() {
        let rendered = "spec:\n  containers:\n  - image: a\n    name: api\n    securityContext:\n      privileged: true\n";
        let source = "spec:\n  containers:\n    - name: sidecar\n      image: b\n    - name: api\n      image: a\n      securityContext:\n        privileged: true\n";
        let (r, _) = yaml::load(rendered);
        let (s, _) = yaml::load(source);
        let (steps, at_key) = locate(&r[0].root, (6, 6));
        assert!(at_key);
        assert_eq!(
            steps,
            vec![
                Step::Key("spec".into()),
                Step::Key("containers".into()),
                Step::Item {
                    index: 0,
                    name: Some("api".into())
                },
                Step::Key("securityContext".into()),
                Step::Key("privileged".into()),
            ]
        );
        let (found, exact) = resolve(&s[0].root, &steps);
        assert!(exact);
        assert_eq!(found.key.unwrap().span.start.line(), 8);
        // A key the source lacks falls back to its nearest ancestor.
        let mut missing = steps.clone();
        missing[4] = Step::Key("runAsUser".into());
        let (found, exact) = resolve(&s[0].root, &missing);
        assert!(!exact);
        assert_eq!(found.key.unwrap().span.start.line(), 7);
    }
}
