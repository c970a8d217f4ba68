//! Lists Services that are reachable from outside the cluster.
//!
//! ## What it checks
//! Every core `Service` (`apiVersion: v1`, including the items of a `List` and `kubectl get
//! services -o yaml` output) whose `spec.type` is `NodePort` or `LoadBalancer`. The finding
//! points at the `type:` line and is informational: exposing a service is often the point,
//! but every such entry point should be one the team meant to open.
//! - `NodePort`: the message names the node ports (or says that one is picked from the
//!   node-port range) that every node opens.
//! - `LoadBalancer`: without `spec.loadBalancerSourceRanges` (or the older annotation
//!   `service.beta.kubernetes.io/load-balancer-source-ranges`) the message says that any
//!   address can connect; with source ranges it says which ranges are allowed, and still
//!   warns when they include `0.0.0.0/0` or `::/0`.
//!
//! A `LoadBalancer` that its cloud provider makes internal, reachable from the private
//! network only, is not reported. The annotations recognised are:
//! `service.beta.kubernetes.io/aws-load-balancer-internal` (any value but `false`),
//! `service.beta.kubernetes.io/aws-load-balancer-scheme: internal`, a load balancer managed
//! by the AWS Load Balancer Controller (`service.beta.kubernetes.io/aws-load-balancer-type:
//! external` or `nlb-ip`, or `loadBalancerClass: service.k8s.aws/nlb`) without
//! `aws-load-balancer-scheme: internet-facing`, since that controller creates internal load
//! balancers by default; `networking.gke.io/load-balancer-type: Internal` and the older
//! `cloud.google.com/load-balancer-type: Internal`;
//! `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`;
//! `service.beta.kubernetes.io/openstack-internal-load-balancer: "true"`;
//! `service.beta.kubernetes.io/oci-load-balancer-internal: "true"`;
//! `service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type: private`;
//! `service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type: intranet`.
//! A `LoadBalancer` open to every address whose ports are all web ports (80 and 443) is
//! reported at low confidence: that is what a product's public web front looks like, and
//! being reachable from anywhere is its purpose; a reviewer still sees it listed.
//! `ClusterIP` services (headless ones included) and `ExternalName` services are not
//! reported, nor custom resources named `Service` in another API group.
//!
//! ## Why it matters
//! A `ClusterIP` service can only be reached from inside the cluster. A `NodePort` opens the
//! same port on every node, so anyone who can reach a node's address reaches the pods
//! behind it, bypassing the ingress controller and whatever TLS, authentication and rate
//! limiting it applies. A `LoadBalancer` asks the cloud for a public address in front of
//! those node ports; unless source ranges are set, the whole internet can connect. An
//! internal database, message broker or admin interface exposed this way is one of the most
//! common ways clusters get breached. The OWASP Kubernetes Security Cheat Sheet advises
//! keeping services internal unless they must be public, and controlling what is exposed.
//!
//! ## Example
//! ```yaml
//! apiVersion: v1
//! kind: Service
//! metadata:
//!   name: postgres
//! spec:
//!   type: LoadBalancer   # reported: any address can connect
//!   ports:
//!     - port: 5432
//! ```
//!
//! ## Remediation
//! Use `type: ClusterIP` (the default) for anything only the cluster needs, and publish
//! HTTP services through an Ingress or Gateway that terminates TLS. When a service must be
//! reachable from outside, prefer an internal load balancer (the cloud provider's internal
//! annotation) and limit who may connect with `loadBalancerSourceRanges`, plus firewall
//! rules or security groups for node ports. Review each remaining finding and record why it
//! is exposed, for instance with a `palisade: ignore[k8s/exposed-service]` comment giving
//! the reason.
//!
//! ## References
//! - CWE-668: Exposure of Resource to Wrong Sphere
//! - OWASP Top 10 2021, A05 Security Misconfiguration
//! - OWASP Kubernetes Security Cheat Sheet
//! - Kubernetes documentation, Service (type NodePort, type LoadBalancer); Create an
//!   External Load Balancer (`loadBalancerSourceRanges`)

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, get_path, get_str, items, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use saphyr::MarkedYaml;

pub static META: RuleMeta = RuleMeta {
    id: "k8s/exposed-service",
    title: "Service is reachable from outside the cluster",
    severity: Severity::Info,
    confidence: Confidence::High,
    cwe: &[668],
    owasp: Owasp::A05,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("exposed_service.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.kind != "Service" || object.api_version != "v1" {
        return;
    }
    let Some(spec) = get(object.node, "spec") else {
        return;
    };
    let Some((key, value)) = entry(spec, "type") else {
        return;
    };
    let span = crate::key_value_span(key, value);
    let annotations = get_path(object.node, &["metadata", "annotations"]);
    match scalar(value) {
        Some("NodePort") => {
            let ports = node_ports(spec);
            let opened = if ports.is_empty() {
                "a port from the node-port range (30000-32767 by default)".to_string()
            } else {
                format!("port {}", ports.join(", "))
            };
            cx.report(Finding::new(
                &META,
                span,
                format!(
                    "{} is of type NodePort: every node opens {opened} to it, reachable by \
                     anyone who can reach a node's address",
                    object.describe()
                ),
            ));
        }
        Some("LoadBalancer") => {
            if is_internal(spec, annotations) {
                return;
            }
            let ranges = source_ranges(spec, annotations);
            let open_to_all =
                ranges.is_empty() || ranges.iter().any(|r| r == "0.0.0.0/0" || r == "::/0");
            let public_web_front = open_to_all && serves_only_web_ports(spec);
            let message = if ranges.is_empty() {
                format!(
                    "{} is of type LoadBalancer without `loadBalancerSourceRanges`: it is \
                     reachable from outside the cluster and any address can connect",
                    object.describe()
                )
            } else if ranges.iter().any(|r| r == "0.0.0.0/0" || r == "::/0") {
                format!(
                    "{} is of type LoadBalancer and its source ranges ({}) include every \
                     address: anyone can connect",
                    object.describe(),
                    ranges.join(", ")
                )
            } else {
                format!(
                    "{} is of type LoadBalancer, reachable from outside the cluster; its \
                     source ranges restrict it to {}",
                    object.describe(),
                    ranges.join(", ")
                )
            };
            let mut finding = Finding::new(&META, span, message);
            if public_web_front {
                finding = finding.with_confidence(Confidence::Low);
                finding.message.push_str(
                    " (it serves only the web ports 80/443, as a public web front does by design)",
                );
            }
            cx.report(finding);
        }
        _ => {}
    }
}

/// Whether the service has ports and every one is 80 or 443.
fn serves_only_web_ports(spec: &MarkedYaml<'_>) -> bool {
    let ports = get(spec, "ports").map(items).unwrap_or_default();
    !ports.is_empty()
        && ports
            .iter()
            .all(|p| matches!(get_str(p, "port").map(str::trim), Some("80" | "443")))
}

/// The `nodePort`s a service asks for explicitly.
fn node_ports(spec: &MarkedYaml<'_>) -> Vec<String> {
    get(spec, "ports")
        .map(items)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| get_str(p, "nodePort"))
        .map(str::to_string)
        .collect()
}

/// An annotation's value, trimmed.
fn annotation<'a>(annotations: Option<&'a MarkedYaml<'_>>, name: &str) -> Option<&'a str> {
    annotations.and_then(|a| get_str(a, name)).map(str::trim)
}

/// `spec.loadBalancerSourceRanges`, or the annotation Kubernetes reads when the field is
/// empty.
fn source_ranges(spec: &MarkedYaml<'_>, annotations: Option<&MarkedYaml<'_>>) -> Vec<String> {
    let from_spec: Vec<String> = get(spec, "loadBalancerSourceRanges")
        .map(items)
        .unwrap_or_default()
        .iter()
        .filter_map(scalar)
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    if !from_spec.is_empty() {
        return from_spec;
    }
    annotation(annotations, SOURCE_RANGES_ANNOTATION)
        .unwrap_or("")
        .split(',')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect()
}

/// Whether a cloud provider's annotation (or the AWS Load Balancer Controller's default)
/// makes the load balancer internal.
fn is_internal(spec: &MarkedYaml<'_>, annotations: Option<&MarkedYaml<'_>>) -> bool {
    let annotation = |name: &str| annotation(annotations, name);
    let is =
        |name: &str, wanted: &str| annotation(name).is_some_and(|v| v.eq_ignore_ascii_case(wanted));
    // The in-tree AWS provider treats any value but "false" as internal.
    if annotation("service.beta.kubernetes.io/aws-load-balancer-internal")
        .is_some_and(|v| !v.is_empty() && v != "false")
    {
        return true;
    }
    let scheme = annotation("service.beta.kubernetes.io/aws-load-balancer-scheme");
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case("internal")) {
        return true;
    }
    let aws_controller = matches!(
        annotation("service.beta.kubernetes.io/aws-load-balancer-type"),
        Some("external" | "nlb-ip")
    ) || get_str(spec, "loadBalancerClass") == Some("service.k8s.aws/nlb");
    if aws_controller && scheme.is_none_or(|s| s.is_empty()) {
        return true;
    }
    is("networking.gke.io/load-balancer-type", "internal")
        || is("cloud.google.com/load-balancer-type", "internal")
        || is(
            "service.beta.kubernetes.io/azure-load-balancer-internal",
            "true",
        )
        || is(
            "service.beta.kubernetes.io/openstack-internal-load-balancer",
            "true",
        )
        || is(
            "service.beta.kubernetes.io/oci-load-balancer-internal",
            "true",
        )
        || is(
            "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
            "private",
        )
        || is(
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
            "intranet",
        )
}

#[cfg(test)]
mod tests {
    use palisade_core::Severity;

    #[test]
    fn findings_are_informational_and_name_the_ranges() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges:\n    - 203.0.113.0/24\n  ports:\n    - port: 443\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: debug\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 30080\n";
        let findings = crate::findings_of("k8s/exposed-service", text);
        assert_eq!(findings.len(), 2);
        assert!(findings.iter().all(|f| f.severity == Severity::Info));
        assert!(
            findings[0]
                .message
                .contains("restrict it to 203.0.113.0/24")
        );
        assert!(findings[1].message.contains("port 30080"));
    }
}
