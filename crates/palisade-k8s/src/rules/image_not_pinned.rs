//! Flags container images that are not pinned to a digest.
//!
//! ## What it checks
//! The `image:` of every container — regular, init or ephemeral — of a built-in workload
//! (Pod, PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob, including `List` items and `kubectl get -o yaml` output). The reference is
//! parsed the way container runtimes parse it, so a registry port is not mistaken for a tag
//! (`registry.local:5000/shop/api` has no tag):
//! - no tag at all, or the `latest` tag: *medium*;
//! - a tag but no digest (`postgres:16.2`): *low*;
//! - a digest, with or without a tag (`postgres:16.2@sha256:…`): fine.
//!
//! A bare one-word name that is no Docker Hub official image (`image: adservice`) cannot be
//! pulled as written: Docker Hub's top level holds only its official images. It is a name a
//! build tool replaces before deploying (skaffold's and Tilt's artifacts) or an image loaded
//! into the nodes by hand, so it is reported at low confidence.
//!
//! The finding points at the `image:` line. Unrendered placeholders (`${IMAGE}`, `{{ … }}`),
//! custom resources that share a workload's kind name and YAML that is not a Kubernetes
//! object are not checked. palisade does not see admission controllers that resolve tags to
//! digests at deploy time (Kyverno's `mutateDigest`, k8s-digester); in a cluster that has one,
//! the *low* findings can be suppressed in configuration.
//!
//! ## Why it matters
//! A tag is a movable label. Whoever can push to the repository — the vendor, an attacker with
//! a stolen registry token, a compromised upstream build — can point `latest` or even `1.4.2`
//! at different content, and every node that pulls the image afterwards (a new node, an
//! evicted pod, `imagePullPolicy: Always`) runs it without any change to the manifest. The
//! same Deployment may then run two different builds side by side, and what was reviewed,
//! scanned and signed is not what runs. Without a tag the node pulls `latest`, whatever that
//! is today. A digest names the exact content: the runtime refuses anything else. The OWASP
//! Kubernetes Security Cheat Sheet asks for images from trusted registries, referenced
//! immutably.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: api
//!     image: registry.example.com/shop/api:latest   # flagged, medium
//!   - name: db
//!     image: postgres:16.2                          # flagged, low
//!   - name: cache
//!     image: redis:7.2.4@sha256:3134997edb04277814aa51a4175a588d45eb4299272f8eff2307bbf8b39e4d43
//! ```
//!
//! ## Remediation
//! Reference each image by digest, keeping the tag for readers:
//! `postgres:16.2@sha256:<digest>` (`crane digest postgres:16.2` or `docker buildx
//! imagetools inspect` prints it). Let a bot (Renovate, Dependabot) propose digest updates so
//! that pinning does not mean never patching, and verify signatures at admission where you
//! can.
//!
//! ## References
//! - CWE-829: Inclusion of Functionality from Untrusted Control Sphere
//! - OWASP Top 10 2021, A08 Software and Data Integrity Failures
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Images: image names and digests

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use palisade_knowledge::images::{Pinning, pinning};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/image-not-pinned",
    title: "Container image not pinned to a digest",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[829],
    owasp: Owasp::A08,
    recommendation: Recommendation::VendorSecurity,
    needs_network: false,
    options: &[],
    source: include_str!("image_not_pinned.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for container in object.containers() {
        let Some((key, value)) = entry(container.node, "image") else {
            continue;
        };
        let Some(image) = scalar(value).map(str::trim) else {
            continue;
        };
        if image.is_empty() || image.contains("${") || image.contains("{{") || image.contains("$(")
        {
            continue;
        }
        let subject = format!(
            "{} of {} runs image `{image}`",
            container.describe(),
            object.describe()
        );
        let finding = match pinning(image) {
            Pinning::Digest => continue,
            Pinning::Floating => Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{subject}, which names no fixed version: nodes pull whatever `latest` \
                     points to when they start the pod; pin a version tag and its digest"
                ),
            ),
            Pinning::Tag(tag) => Finding::new(
                &META,
                crate::key_value_span(key, value),
                format!(
                    "{subject} by tag only: `{tag}` can be moved to other content; pin its \
                     digest (`@sha256:…`)"
                ),
            )
            .with_severity(Severity::Low),
        };
        let finding = if is_build_placeholder(image) {
            let mut finding = finding.with_confidence(Confidence::Low);
            finding.message.push_str(
                " (a bare name that is no Docker Hub official image: most likely one a build \
                 tool such as skaffold or Tilt replaces before deploying)",
            );
            finding
        } else {
            finding
        };
        cx.report(finding);
    }
}

/// Docker Hub official images a manifest may name bare (`redis`, `nginx:1.25`): the
/// top-level names Docker Hub serves, which a node can pull as written.
const OFFICIAL_IMAGES: &[&str] = &[
    "adminer", "almalinux", "alpine", "amazoncorretto", "amazonlinux", "arangodb",
    "archlinux", "bash", "buildpack-deps", "busybox", "caddy", "cassandra", "centos",
    "clickhouse", "consul", "couchbase", "couchdb", "debian", "docker", "drupal",
    "eclipse-mosquitto", "eclipse-temurin", "elasticsearch", "erlang", "fedora", "flink",
    "fluentd", "gcc", "ghost", "golang", "gradle", "groovy", "haproxy", "hello-world",
    "httpd", "influxdb", "jenkins", "jetty", "joomla", "kibana", "kong", "logstash",
    "mariadb", "matomo", "maven", "mediawiki", "memcached", "mongo", "mongo-express",
    "mysql", "nats", "neo4j", "nextcloud", "nginx", "node", "odoo", "openjdk",
    "oraclelinux", "percona", "perl", "php", "phpmyadmin", "postgres", "pypy", "python",
    "rabbitmq", "redis", "redmine", "registry", "rockylinux", "ruby", "rust", "solr",
    "sonarqube", "spark", "telegraf", "tomcat", "traefik", "ubuntu", "vault", "wordpress",
    "zookeeper",
];

/// Whether `image` is a bare one-word name (no registry, no namespace, no tag or `latest`)
/// that is no Docker Hub official image.
fn is_build_placeholder(image: &str) -> bool {
    let name = image.strip_suffix(":latest").unwrap_or(image);
    !name.contains(['/', ':', '@', '.'])
        && !OFFICIAL_IMAGES.contains(&name.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_placeholders() {
        assert!(is_build_placeholder("adservice"));
        assert!(is_build_placeholder("argocd-job:latest"));
        assert!(!is_build_placeholder("redis"));
        assert!(!is_build_placeholder("nginx:latest"));
        assert!(!is_build_placeholder("docker.io/shop/api"));
        assert!(!is_build_placeholder("shop/api"));
    }
}

#[cfg(test)]
mod severity_tests {
    use palisade_core::Severity;

    #[test]
    fn floating_images_are_medium_tagged_images_low() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx\n    - name: b\n      image: nginx:1.25.4\n    - name: c\n      image: registry.local:5000/nginx:latest\n";
        let got: Vec<(u32, Severity)> = crate::findings_of("k8s/image-not-pinned", text)
            .iter()
            .map(|f| (f.location.line(), f.severity))
            .collect();
        assert_eq!(
            got,
            [
                (8, Severity::Medium),
                (10, Severity::Low),
                (12, Severity::Medium)
            ]
        );
    }
}
