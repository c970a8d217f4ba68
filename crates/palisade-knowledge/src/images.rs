//! Container image references (`registry:5000/org/app:1.2@sha256:…`): how firmly one is
//! pinned, parsed the way container runtimes parse it, so that a registry port is not
//! mistaken for a tag. Kubernetes manifests, CI pipelines and Dockerfiles all name images.

/// How an image reference is pinned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pinning<'a> {
    Digest,
    Tag(&'a str),
    /// No tag, or `latest`.
    Floating,
}

/// How `image` is pinned: by digest (`@sha256:…`, with or without a tag), by a tag, or not at
/// all (no tag, or `latest`).
pub fn pinning(image: &str) -> Pinning<'_> {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    if digest.is_some_and(|d| {
        d.split_once(':').is_some_and(|(algorithm, hex)| {
            !algorithm.is_empty() && !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
        })
    }) {
        return Pinning::Digest;
    }
    // The tag is after a colon in the last path component: a colon before the first slash is
    // a registry port.
    let last = name.rsplit('/').next().unwrap_or(name);
    match last.split_once(':') {
        Some((_, tag)) if !tag.is_empty() && tag != "latest" => Pinning::Tag(tag),
        _ => Pinning::Floating,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        assert_eq!(pinning("nginx"), Pinning::Floating);
        assert_eq!(pinning("nginx:latest"), Pinning::Floating);
        assert_eq!(pinning("nginx:"), Pinning::Floating);
        assert_eq!(pinning("registry.local:5000/app"), Pinning::Floating);
        assert_eq!(
            pinning("registry.local:5000/shop/app:latest"),
            Pinning::Floating
        );
        assert_eq!(
            pinning("registry.local:5000/shop/app:2.1"),
            Pinning::Tag("2.1")
        );
        assert_eq!(pinning("postgres:16.2"), Pinning::Tag("16.2"));
        assert_eq!(
            pinning("ghcr.io/org/tool:v1.0.0-rc.1"),
            Pinning::Tag("v1.0.0-rc.1")
        );
        assert_eq!(
            pinning(
                "redis@sha256:3134997edb04277814aa51a4175a588d45eb4299272f8eff2307bbf8b39e4d43"
            ),
            Pinning::Digest
        );
        assert_eq!(
            pinning(
                "localhost:5000/redis:7.2@sha256:3134997edb04277814aa51a4175a588d45eb4299272f8eff2307bbf8b39e4d43"
            ),
            Pinning::Digest
        );
        assert_eq!(pinning("redis:7.2@sha256:"), Pinning::Tag("7.2"));
        assert_eq!(pinning("redis@latest"), Pinning::Floating);
    }
}
