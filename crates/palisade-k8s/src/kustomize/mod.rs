//! Kustomize: a folder with a kustomization is rendered with the tool the machine has
//! (`kubectl kustomize <dir>`, else `kustomize build <dir>`), the rendered objects are
//! checked, and each finding is pointed back at the file and line that defined it.
//!
//! The module's parts: `tree` reads the kustomization tree (what it includes, whether it names
//! anything remote or outside the scanned root, which kustomization covers a file), `render` runs
//! the tool, `mapping` (with `key_path`) points what the rules find back at the sources.
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
//! Mapping back: the tree lists the source files (resources and patches); each rendered
//! object is matched to the source object it came from, and each finding's position to the
//! same key path there (see `mapping`).

mod key_path;
mod mapping;
mod render;
mod tree;

pub use mapping::{check_rendered, report_path};
pub use render::TIMEOUT;
pub use tree::{FILE_NAMES, Role, Source, covering, enclosing, file_in, is_kustomization};

use crate::yaml::{self, get_str};
use palisade_core::DiagnosticKind;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

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

/// The renderings of one scan, by (kustomization folder, scan root): the analyzer's scan
/// state, made fresh by the engine for every scan, so nothing outlives the scan that rendered
/// it (a second scan in the same process renders the files as they are then).
#[derive(Debug, Default)]
pub struct Renderings {
    cells: Mutex<HashMap<(PathBuf, PathBuf), Cell>>,
}

impl Renderings {
    /// The rendering of the kustomization in `dir` (canonical) scanned under `root`
    /// (canonical): made on first request, while other threads asking for the same folder
    /// wait for it.
    pub fn get(&self, dir: &Path, root: &Path, timeout: Duration) -> Arc<Rendering> {
        let cell = {
            let mut map = self.cells.lock().unwrap_or_else(|e| e.into_inner());
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
}

/// Renders the kustomization in `dir`, unless it is a component or its tree names anything
/// remote or outside `root`.
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
    let tree = tree::Tree::read(dir, root);
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
    let Some(tool) = render::find_tool() else {
        return not_rendered(
            DiagnosticKind::Skipped,
            "kustomization not rendered: neither kubectl nor kustomize is installed; raw files scanned"
                .to_string(),
        );
    };
    match render::run(&tool, dir, timeout) {
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
