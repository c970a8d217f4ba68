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
//! Only entry points are rendered (see [`Plan`]): the kustomizations no other kustomization of
//! the scan includes, all of a scan root's at once, in parallel, each once. A plain manifest
//! that a successful rendering includes is not analysed raw as well (its findings come
//! through the rendering), nor is a component's patch file (a fragment).
//!
//! Mapping back: the tree lists the source files (resources and patches); each rendered
//! object is matched to the source object it came from, and each finding's position to the
//! same key path there (see `mapping`).

mod blame;
mod inputs;
mod key_path;
mod mapping;
mod render;
mod tree;

pub use mapping::{check_rendered, every_source_scanned, report_path};
pub use render::TIMEOUT;
pub use tree::{FILE_NAMES, Inline, Role, Source, file_in, is_kustomization};

use palisade_core::{DiagnosticKind, Stash, StashKey};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tree::Refs;

/// A successful rendering.
#[derive(Debug)]
pub struct Rendered {
    /// The rendered YAML stream.
    pub text: String,
    /// The files it is made of, in the order the kustomizations list them.
    pub sources: Vec<Source>,
    /// Their canonical paths.
    pub covered: HashSet<PathBuf>,
    /// The digest of everything the rendering read (see `inputs`), when it could be told.
    pub inputs: Option<String>,
}

/// What became of a kustomization folder that was to be rendered.
#[derive(Debug)]
pub enum Outcome {
    Rendered(Rendered),
    /// Not rendered: the notice to give (once, on the kustomization file).
    NotRendered {
        kind: DiagnosticKind,
        message: String,
        /// Whether the kustomizations it includes are rendered in its place (not when the
        /// tree is too deep: each of them would be too, nearly).
        cascades: bool,
    },
}

/// What Kustomize makes of one scan root.
///
/// Only entry points are rendered: the kustomizations that no other kustomization of the
/// scan includes (as a resource, base or component). A base is deployed through its overlays,
/// so its findings are those of the overlays' renderings, and rendering it on its own too
/// would only repeat them (or report what an overlay fixes). A component is never rendered on
/// its own. When an entry point cannot be rendered (a remote base, the tool failed), the
/// kustomizations it includes are rendered in its place, and so on down.
#[derive(Debug, Default)]
pub struct Plan {
    /// The kustomization folders (canonical) that were to be rendered, and what became of
    /// them.
    outcomes: HashMap<PathBuf, Outcome>,
    /// The files a successful rendering is made of.
    covered: HashSet<PathBuf>,
    /// The patch files of components: fragments, never objects of their own, even when no
    /// overlay uses the component.
    fragments: HashSet<PathBuf>,
}

impl Plan {
    /// What became of the kustomization in `dir` (canonical); `None` when it was not to be
    /// rendered (another kustomization includes it, or it is a component).
    pub fn outcome(&self, dir: &Path) -> Option<&Outcome> {
        self.outcomes.get(dir)
    }

    /// Whether the plain manifest `file` (canonical) is checked through a rendering, or is a
    /// component's patch: either way it is not analysed raw.
    pub fn covers(&self, file: &Path) -> bool {
        self.covered.contains(file) || self.fragments.contains(file)
    }
}

type Cell = Arc<OnceLock<Arc<Plan>>>;

/// The plans of one scan, by scan root: the analyzer's scan state, made fresh by the engine
/// for every scan, so nothing outlives the scan that rendered it (a second scan in the same
/// process renders the files as they are then).
#[derive(Debug, Default)]
pub struct Renderings {
    cells: Mutex<HashMap<PathBuf, Cell>>,
    /// Whether the scan analyses a kustomization file (asked once per scan).
    kustomized: std::sync::OnceLock<bool>,
}

impl Renderings {
    /// Whether any of the scan's files (`scanned`) is a kustomization file: then manifests
    /// may be checked through renderings that read other files, and none is cached.
    pub fn scan_has_kustomization(&self, scanned: &palisade_core::ScannedPaths<'_>) -> bool {
        *self
            .kustomized
            .get_or_init(|| scanned.iter().any(|p| is_kustomization(Path::new(&*p))))
    }

    /// The plan of the scan root `root` (canonical), whose kustomization folders (canonical)
    /// are `dirs`: made on first request, while other threads asking for it wait. With a
    /// `stash` (the scan has a result cache), a rendering whose inputs are unchanged since
    /// a scan stashed it is not made again.
    pub fn plan(
        &self,
        root: &Path,
        timeout: Duration,
        stash: Option<Stash<'_>>,
        dirs: impl FnOnce() -> Vec<PathBuf>,
    ) -> Arc<Plan> {
        let cell = {
            let mut map = self.cells.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(root.to_path_buf()).or_default().clone()
        };
        cell.get_or_init(|| Arc::new(make_plan(root, timeout, stash, dirs())))
            .clone()
    }
}

/// Renders the entry points among `dirs`, in parallel, and the kustomizations included by
/// those that could not be rendered.
fn make_plan(root: &Path, timeout: Duration, stash: Option<Stash<'_>>, dirs: Vec<PathBuf>) -> Plan {
    let refs: HashMap<PathBuf, Refs> = dirs
        .into_iter()
        .filter_map(|d| Some((d.clone(), Refs::read(&d)?)))
        .collect();
    let included: HashSet<&PathBuf> = refs.values().flat_map(|r| &r.dirs).collect();
    let renders = |dir: &PathBuf| refs.get(dir).is_some_and(|r| !r.component);
    let mut wave: Vec<PathBuf> = refs
        .keys()
        .filter(|d| renders(d) && !included.contains(d))
        .cloned()
        .collect();
    wave.sort();
    let mut attempted: HashSet<PathBuf> = wave.iter().cloned().collect();
    let mut plan = Plan::default();
    // Without a tool nothing renders: one notice per entry point is enough.
    let cascade = render::find_tool().is_some();
    while !wave.is_empty() {
        let mut next = Vec::new();
        for (dir, mut outcome) in render_all(&wave, root, timeout, stash) {
            if let Outcome::NotRendered {
                message,
                cascades: true,
                ..
            } = &mut outcome
                && cascade
            {
                let children: Vec<PathBuf> = refs[&dir]
                    .dirs
                    .iter()
                    .filter(|c| renders(c) && attempted.insert((*c).clone()))
                    .cloned()
                    .collect();
                if !children.is_empty() {
                    message.push_str("; the kustomizations it includes are rendered on their own");
                }
                next.extend(children);
            }
            plan.outcomes.insert(dir, outcome);
        }
        // One that another kustomization rendered whole is checked through that rendering.
        next.retain(|child| {
            !refs.iter().any(|(d, r)| {
                r.dirs.contains(child) && matches!(plan.outcomes.get(d), Some(Outcome::Rendered(_)))
            })
        });
        next.sort();
        wave = next;
    }
    for outcome in plan.outcomes.values() {
        if let Outcome::Rendered(r) = outcome {
            plan.covered.extend(r.covered.iter().cloned());
        }
    }
    plan.fragments = refs
        .values()
        .filter(|r| r.component)
        .flat_map(|r| r.patches.iter().cloned())
        .collect();
    plan
}

/// Renders every folder of `dirs`, as many at once as the machine has cores (the tool is a
/// process of its own: plain threads, not the engine's pool, whose threads may all be
/// waiting for this plan).
fn render_all(
    dirs: &[PathBuf],
    root: &Path,
    timeout: Duration,
    stash: Option<Stash<'_>>,
) -> Vec<(PathBuf, Outcome)> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, dirs.len().max(1));
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(dirs.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(dir) = dirs.get(i) else {
                        break;
                    };
                    let outcome = render(dir, root, timeout, stash);
                    done.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((dir.clone(), outcome));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by(|a, b| a.0.cmp(&b.0));
    done
}

/// Renders the kustomization in `dir`, unless its tree names anything remote or outside
/// `root`; or takes the rendering a scan stashed when nothing it reads has changed since
/// (only successful renderings are stashed: a failure may be the machine's, a timeout).
fn render(dir: &Path, root: &Path, timeout: Duration, stash: Option<Stash<'_>>) -> Outcome {
    let tree = tree::Tree::read(dir, root);
    let not_rendered = |kind, message: String| Outcome::NotRendered {
        kind,
        message,
        cascades: true,
    };
    if let Some(remote) = tree.remote {
        return not_rendered(
            DiagnosticKind::Skipped,
            format!(
                "kustomization not rendered: it names the remote resource `{remote}`, and remote resources are not fetched; raw files scanned"
            ),
        );
    }
    if tree.too_deep {
        return Outcome::NotRendered {
            kind: DiagnosticKind::Skipped,
            message: format!(
                "kustomization not rendered: its kustomizations include one another more than {} levels deep; raw files scanned",
                tree::MAX_DEPTH
            ),
            cascades: false,
        };
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
    let key = stash.and_then(|_| inputs::key(dir, root, &tool));
    let stashed = stash.zip(key.as_ref());
    let rendered = match stashed.and_then(|(stash, key)| stash.get(key)) {
        Some(text) => Ok(text),
        None => render::run(&tool, dir, timeout).inspect(|text| {
            // Not when an input changed while the tool ran: the text may be of either.
            if let Some((stash, key)) = stashed
                && inputs::key(dir, root, &tool).is_some_and(|now| now.hex() == key.hex())
            {
                stash.put(key, text);
            }
        }),
    };
    match rendered {
        Ok(text) => {
            let covered = tree.sources.iter().map(|s| s.path.clone()).collect();
            Outcome::Rendered(Rendered {
                text,
                sources: tree.sources,
                covered,
                inputs: key.as_ref().map(StashKey::hex),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_entry_points_are_rendered_and_component_patches_are_fragments() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: a:1\n";
        write("base/kustomization.yaml", "resources:\n  - a.yaml\n");
        write("base/a.yaml", pod);
        write(
            "overlays/prod/kustomization.yaml",
            "resources:\n  - ../../base\ncomponents:\n  - ../../components/debug\n",
        );
        write(
            "components/debug/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: p.yaml\n",
        );
        write("components/debug/p.yaml", pod);
        write(
            "components/unused/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatchesStrategicMerge:\n  - q.yaml\n",
        );
        write("components/unused/q.yaml", pod);
        let dirs: Vec<PathBuf> = [
            "base",
            "overlays/prod",
            "components/debug",
            "components/unused",
        ]
        .iter()
        .map(|d| root.join(d))
        .collect();
        let plan = make_plan(&root, TIMEOUT, None, dirs);
        assert!(plan.outcome(&root.join("overlays/prod")).is_some());
        for not_on_its_own in ["base", "components/debug", "components/unused"] {
            assert!(
                plan.outcome(&root.join(not_on_its_own)).is_none(),
                "{not_on_its_own}"
            );
        }
        assert!(plan.covers(&root.join("components/unused/q.yaml")));
        if render::find_tool().is_some() {
            assert!(plan.covers(&root.join("base/a.yaml")));
            assert!(plan.covers(&root.join("components/debug/p.yaml")));
        }
    }

    #[test]
    fn the_bases_of_an_entry_point_that_cannot_render_are_rendered_instead() {
        if render::find_tool().is_none() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "overlays/prod/kustomization.yaml",
            "resources:\n  - https://github.com/example/deploy//base?ref=v1\n  - ../../base\n",
        );
        write("base/kustomization.yaml", "resources:\n  - a.yaml\n");
        write(
            "base/a.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
        );
        let dirs = vec![root.join("base"), root.join("overlays/prod")];
        let plan = make_plan(&root, TIMEOUT, None, dirs);
        match plan.outcome(&root.join("overlays/prod")) {
            Some(Outcome::NotRendered { message, .. }) => {
                assert!(message.contains("rendered on their own"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            plan.outcome(&root.join("base")),
            Some(Outcome::Rendered(_))
        ));
        assert!(plan.covers(&root.join("base/a.yaml")));
    }
}
