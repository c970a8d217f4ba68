//! Runtimes and base images: Dockerfile `FROM` lines, `.python-version`, `python_requires` in
//! `setup.py`/`setup.cfg`, `.nvmrc`.

use super::{FileFacts, ImageRef, Role, RuntimeRef};
use palisade_core::SourceFile;

/// Whether a lower-case file name is a Dockerfile (`Dockerfile`, `Dockerfile.prod`,
/// `app.dockerfile`, `Containerfile`).
pub fn is_dockerfile(lower: &str) -> bool {
    lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
}

/// Reads the `FROM` lines of a Dockerfile: each image (not a stage named earlier with `AS`,
/// not `scratch`) and the runtimes its tag names.
pub fn read_dockerfile(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, "Dockerfile", Role::Runtime, None);
    // Each stage: its name, what it is built FROM (lower case), and the images and runtimes
    // it added to the facts.
    struct Stage {
        name: Option<String>,
        base: String,
        images: std::ops::Range<usize>,
        runtimes: std::ops::Range<usize>,
    }
    let mut stages: Vec<Stage> = Vec::new();
    for (i, raw) in file.text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = raw.trim();
        let Some(rest) = line
            .get(..5)
            .filter(|w| w.eq_ignore_ascii_case("from "))
            .map(|_| line[5..].trim())
        else {
            continue;
        };
        let words: Vec<&str> = rest
            .split_whitespace()
            .filter(|w| !w.starts_with("--"))
            .collect();
        let Some(image) = words.first() else {
            facts.problem(Some(n), "FROM without an image");
            continue;
        };
        let lower = image.to_ascii_lowercase();
        let earlier_stage = stages
            .iter()
            .any(|s| s.name.as_deref() == Some(lower.as_str()));
        let name = match words.as_slice() {
            [_, kw, name, ..] if kw.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
            _ => None,
        };
        let (images, runtimes) = (facts.images.len(), facts.runtimes.len());
        if lower != "scratch" && !earlier_stage && !image.contains('$') {
            facts.images.push(ImageRef {
                image: image.to_string(),
                line: n,
                build_only: false,
            });
            facts.runtimes.extend(image_runtimes(image, n));
        }
        stages.push(Stage {
            name,
            base: lower,
            images: images..facts.images.len(),
            runtimes: runtimes..facts.runtimes.len(),
        });
    }
    // The final image is the last stage and the stages it is built FROM, by name.
    let mut runtime = vec![false; stages.len()];
    let mut at = stages.len().checked_sub(1);
    while let Some(i) = at {
        if runtime[i] {
            break;
        }
        runtime[i] = true;
        let base = &stages[i].base;
        at = stages[..i]
            .iter()
            .rposition(|s| s.name.as_deref() == Some(base.as_str()));
    }
    for (stage, in_final) in stages.iter().zip(runtime) {
        if !in_final {
            facts.images[stage.images.clone()]
                .iter_mut()
                .for_each(|i| i.build_only = true);
            facts.runtimes[stage.runtimes.clone()]
                .iter_mut()
                .for_each(|r| r.build_only = true);
        }
    }
    facts
}

/// The runtimes an image reference names: the product of the repository (`python`, `node`,
/// `debian`, `ubuntu`, `alpine`, `mysql`, `mariadb`) at the cycle of its tag, and the distro a
/// tag suffix names (`-buster`, `-alpine3.15`).
pub fn image_runtimes(image: &str, line: u32) -> Vec<RuntimeRef> {
    let name = image.split('@').next().unwrap_or(image);
    let last = name.rsplit('/').next().unwrap_or(name);
    let (repo, tag) = match last.split_once(':') {
        Some((r, t)) => (r.to_ascii_lowercase(), t.to_ascii_lowercase()),
        None => return Vec::new(),
    };
    // Only official images (no namespace, or library/): `myorg/python` is someone else's.
    let namespaced = name.matches('/').count()
        > usize::from(name.starts_with("docker.io/")) + usize::from(name.contains("/library/"));
    if namespaced {
        return Vec::new();
    }
    let how = format!("FROM {image}");
    let mut out = Vec::new();
    let mut push = |product: &str, cycle: String| {
        out.push(RuntimeRef {
            product: product.to_string(),
            cycle,
            how: how.clone(),
            line,
            lower_bound: false,
            build_only: false,
        });
    };
    let head = tag.split('-').next().unwrap_or("");
    let numeric = |parts: usize| -> Option<String> {
        let nums: Vec<&str> = head.split('.').take(parts).collect();
        (nums.len() == parts
            && nums
                .iter()
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
        .then(|| nums.join("."))
    };
    match repo.as_str() {
        "python" | "pypy" if repo == "python" => {
            if let Some(c) = numeric(2) {
                push("python", c);
            }
        }
        "node" => {
            let codename = match head {
                "dubnium" => Some("10"),
                "erbium" => Some("12"),
                "fermium" => Some("14"),
                "gallium" => Some("16"),
                "hydrogen" => Some("18"),
                "iron" => Some("20"),
                "jod" => Some("22"),
                _ => None,
            };
            if let Some(c) = codename.map(str::to_string).or_else(|| numeric(1)) {
                push("node", c);
            }
        }
        "debian" | "ubuntu" => {
            if let Some(c) = numeric(2).or_else(|| numeric(1)) {
                push(&repo, c);
            } else if head.chars().all(|c| c.is_ascii_alphabetic()) && !head.is_empty() {
                push(&repo, head.to_string());
            }
        }
        "alpine" | "mysql" | "mariadb" => {
            if let Some(c) = numeric(2) {
                push(&repo, c);
            }
        }
        _ => {}
    }
    if repo != "debian" && repo != "ubuntu" && repo != "alpine" {
        for part in tag.split('-').skip(1) {
            if let Some(v) = part.strip_prefix("alpine") {
                let nums: Vec<&str> = v.split('.').take(2).collect();
                if nums.len() == 2 {
                    push("alpine", nums.join("."));
                }
            } else if matches!(
                part,
                "jessie" | "stretch" | "buster" | "bullseye" | "bookworm" | "trixie"
            ) {
                push("debian", part.to_string());
            } else if matches!(part, "xenial" | "bionic" | "focal" | "jammy" | "noble") {
                push("ubuntu", part.to_string());
            }
        }
    }
    out
}

/// Reads `.python-version` (pyenv): the first version line.
pub fn read_python_version(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, ".python-version", Role::Runtime, None);
    for (i, line) in file.text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let nums: Vec<&str> = t.split('.').take(2).collect();
        if nums.len() == 2 && nums.iter().all(|n| n.parse::<u32>().is_ok()) {
            facts.runtimes.push(RuntimeRef {
                product: "python".to_string(),
                cycle: nums.join("."),
                how: format!(".python-version {t}"),
                line: i as u32 + 1,
                lower_bound: false,
                build_only: false,
            });
        }
        break;
    }
    facts
}

/// Reads `.nvmrc` / `.node-version`: a Node.js major (`16`, `v16.20.0`, `lts/gallium`).
pub fn read_nvmrc(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(&file.path, ".nvmrc", Role::Runtime, None);
    if let Some((i, line)) = file
        .text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty() && !l.trim().starts_with('#'))
    {
        let t = line.trim();
        let major = t.trim_start_matches('v').split('.').next().unwrap_or("");
        let cycle = if major.parse::<u32>().is_ok() {
            Some(major.to_string())
        } else {
            image_runtimes(&format!("node:{}", t.trim_start_matches("lts/")), 0)
                .into_iter()
                .next()
                .map(|r| r.cycle)
        };
        if let Some(cycle) = cycle {
            facts.runtimes.push(RuntimeRef {
                product: "node".to_string(),
                cycle,
                how: format!("{} {t}", super::file_name(&file.path)),
                line: i as u32 + 1,
                lower_bound: false,
                build_only: false,
            });
        }
    }
    facts
}

/// Reads `python_requires` from `setup.py` (a string literal argument) or `setup.cfg`.
pub fn read_setup(file: &SourceFile) -> FileFacts {
    let mut facts = FileFacts::new(
        &file.path,
        super::file_name(&file.path),
        Role::Runtime,
        None,
    );
    for (i, line) in file.text.lines().enumerate() {
        let Some(at) = line.find("python_requires") else {
            continue;
        };
        let rest = line[at + "python_requires".len()..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            continue;
        };
        let value = value.trim().trim_end_matches(',');
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        if let Some(r) = super::python::python_lower_bound(value, "python_requires", i as u32 + 1) {
            facts.runtimes.push(r);
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycles(image: &str) -> Vec<(String, String)> {
        image_runtimes(image, 1)
            .into_iter()
            .map(|r| (r.product, r.cycle))
            .collect()
    }

    fn pc(p: &str, c: &str) -> (String, String) {
        (p.to_string(), c.to_string())
    }

    #[test]
    fn image_tags() {
        assert_eq!(
            cycles("python:3.8-slim-buster"),
            [pc("python", "3.8"), pc("debian", "buster")]
        );
        assert_eq!(
            cycles("node:16-alpine3.15"),
            [pc("node", "16"), pc("alpine", "3.15")]
        );
        assert_eq!(cycles("node:gallium"), [pc("node", "16")]);
        assert_eq!(
            cycles("docker.io/library/debian:10-slim"),
            [pc("debian", "10")]
        );
        assert_eq!(cycles("ubuntu:bionic"), [pc("ubuntu", "bionic")]);
        assert_eq!(cycles("mysql:5.7.44"), [pc("mysql", "5.7")]);
        assert_eq!(cycles("myorg/python:3.6"), []);
        assert_eq!(cycles("python"), []);
        assert_eq!(cycles("python:3"), []);
    }

    #[test]
    fn dockerfile_stages() {
        let f = read_dockerfile(&SourceFile::in_memory(
            "Dockerfile",
            "FROM --platform=$BUILDPLATFORM node:16 AS build\nRUN x\nFROM build AS test\nFROM scratch\nfrom nginx\nFROM ${BASE}\n",
        ));
        let images: Vec<(&str, u32)> = f
            .images
            .iter()
            .map(|i| (i.image.as_str(), i.line))
            .collect();
        assert_eq!(images, [("node:16", 1), ("nginx", 5)]);
        let f = read_dockerfile(&SourceFile::in_memory(
            "Dockerfile",
            "FROM node:16 AS assets\nFROM python:3.8 AS base\nFROM base AS app\nCOPY --from=assets /a /a\n",
        ));
        let build: Vec<(&str, bool)> = f
            .images
            .iter()
            .map(|i| (i.image.as_str(), i.build_only))
            .collect();
        assert_eq!(build, [("node:16", true), ("python:3.8", false)]);
        assert!(
            f.runtimes
                .iter()
                .any(|r| r.product == "node" && r.build_only)
        );
    }
}
