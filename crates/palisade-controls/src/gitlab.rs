//! The model of one GitLab CI file (`.gitlab-ci.yml` and the files it includes from
//! `.gitlab/ci/`), as the `ci/gitlab-*` rules ask about it: the container images its jobs
//! run in, each with its line.
//!
//! Top-level keywords (`stages`, `variables`, `include`, `workflow`, …) are not jobs; hidden
//! jobs (`.template:`) are, because other jobs `extends:` them and run their images.

use crate::workflow::Value;
use palisade_syntax::yaml::{MarkedYaml, YamlData, get, items, scalar};

/// Where an image is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageUse {
    /// `image:` of a job, or of `default:` / the top level (`job` is then `None`).
    Image { job: Option<String> },
    /// An item of `services:`.
    Service { job: Option<String> },
}

/// One image reference.
#[derive(Clone, Debug)]
pub struct Image {
    pub reference: Value,
    pub used_as: ImageUse,
}

/// One GitLab CI file.
#[derive(Clone, Debug, Default)]
pub struct Pipeline {
    pub images: Vec<Image>,
}

/// Top-level keys that are GitLab keywords, not jobs.
const KEYWORDS: &[&str] = &[
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
];

impl Pipeline {
    /// The model of a loaded GitLab CI document; `None` when it is not a mapping.
    pub fn from_yaml(root: &MarkedYaml<'_>) -> Option<Pipeline> {
        let YamlData::Mapping(map) = &root.data else {
            return None;
        };
        let mut pipeline = Pipeline::default();
        pipeline.collect(root, None);
        if let Some(default) = get(root, "default") {
            pipeline.collect(default, None);
        }
        for (key, body) in map.iter() {
            let Some(name) = scalar(key) else { continue };
            if KEYWORDS.contains(&name) || !matches!(body.data, YamlData::Mapping(_)) {
                continue;
            }
            pipeline.collect(body, Some(name));
        }
        Some(pipeline)
    }

    fn collect(&mut self, node: &MarkedYaml<'_>, job: Option<&str>) {
        let job = job.map(str::to_string);
        if let Some(image) = get(node, "image").and_then(reference) {
            self.images.push(Image {
                reference: image,
                used_as: ImageUse::Image { job: job.clone() },
            });
        }
        if let Some(services) = get(node, "services") {
            for service in items(services) {
                if let Some(image) = reference(service) {
                    self.images.push(Image {
                        reference: image,
                        used_as: ImageUse::Service { job: job.clone() },
                    });
                }
            }
        }
    }
}

/// An image reference: a string, or the `name:` of a mapping (`image: {name: …, entrypoint: …}`).
fn reference(node: &MarkedYaml<'_>) -> Option<Value> {
    let named = match &node.data {
        YamlData::Mapping(_) => get(node, "name")?,
        _ => node,
    };
    scalar(named).map(|text| Value {
        text: text.trim().to_string(),
        line: named.span.start.line() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_syntax::yaml::load;

    #[test]
    fn images_of_jobs_defaults_and_services() {
        let text = "image: python:3.12\ndefault:\n  services:\n    - postgres:16\nstages: [test]\nvariables:\n  image: not-a-job\n.base:\n  image:\n    name: registry.example.com/ci/tools:1.4\n    entrypoint: [\"\"]\ntest:\n  extends: .base\n  services:\n    - name: redis:7\n      alias: cache\n  script: [pytest]\n";
        let (docs, errors) = load(text);
        assert!(errors.is_empty(), "{errors:?}");
        let pipeline = Pipeline::from_yaml(&docs[0].root).unwrap();
        let found: Vec<(&str, u32)> = pipeline
            .images
            .iter()
            .map(|i| (i.reference.text.as_str(), i.reference.line))
            .collect();
        assert_eq!(
            found,
            [
                ("python:3.12", 1),
                ("postgres:16", 4),
                ("registry.example.com/ci/tools:1.4", 10),
                ("redis:7", 15),
            ]
        );
        assert_eq!(
            pipeline.images[2].used_as,
            ImageUse::Image {
                job: Some(".base".into())
            }
        );
    }
}
