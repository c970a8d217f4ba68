//! Flags Ingresses that serve their hosts over plain HTTP.
//!
//! ## What it checks
//! Every `Ingress` of the built-in API groups (`networking.k8s.io/v1`, and the older
//! `networking.k8s.io/v1beta1` and `extensions/v1beta1`), including the items of a `List` and
//! `kubectl get ingress -o yaml` output. Three things are reported:
//! - **No TLS at all**: no entries under `spec.tls`, and no annotation saying that the
//!   controller or the cloud load balancer terminates TLS itself. The finding points at the
//!   Ingress's `spec:` line and names the hosts served over plain HTTP. When a cert-manager
//!   annotation (`cert-manager.io/cluster-issuer`, `cert-manager.io/issuer`, the older
//!   `certmanager.k8s.io/…` ones, or `kubernetes.io/tls-acme`) is present, the author clearly
//!   meant to have HTTPS; the message explains that cert-manager only issues a certificate
//!   for the hosts and `secretName` of a `tls` entry, and the confidence is medium.
//! - **A host left out of TLS**: a `rules[].host` that no `tls[].hosts` entry covers (a
//!   wildcard `*.example.com` covers `shop.example.com` but neither `example.com` nor
//!   `a.b.example.com`; names are compared case-insensitively). The finding points at that
//!   rule's `host:` line. A `tls` entry without `hosts` is taken to cover every host, as the
//!   Ingress API describes (the controller's default certificate).
//! - **An annotation that keeps plain HTTP open** on an Ingress that otherwise has TLS, at
//!   the annotation's line: `nginx.ingress.kubernetes.io/ssl-redirect: "false"` and
//!   `ingress.kubernetes.io/ssl-redirect: "false"` (no redirect from HTTP to HTTPS);
//!   `traefik.ingress.kubernetes.io/router.entrypoints` naming only the plain-HTTP entry
//!   points `web`/`http` without `traefik.ingress.kubernetes.io/router.tls: "true"`; and an
//!   AWS ALB whose `alb.ingress.kubernetes.io/listen-ports` opens both HTTP and HTTPS without
//!   `alb.ingress.kubernetes.io/ssl-redirect`. On an Ingress without any TLS these annotations
//!   are given as related locations of the first finding rather than reported twice.
//!   `nginx.ingress.kubernetes.io/force-ssl-redirect: "false"` is its default and is fine.
//!
//! TLS terminated outside the Ingress's `tls` section counts as TLS: an ALB certificate
//! (`alb.ingress.kubernetes.io/certificate-arn`, or `listen-ports` with HTTPS), GKE
//! certificates (`ingress.gcp.kubernetes.io/pre-shared-cert`,
//! `networking.gke.io/managed-certificates`) or `kubernetes.io/ingress.allow-http: "false"`,
//! an Azure Application Gateway certificate (`appgw.ingress.kubernetes.io/appgw-ssl-certificate`),
//! and Traefik's `router.tls: "true"` or `router.entrypoints: websecure`. Gateway API objects,
//! Traefik `IngressRoute`s and custom resources named `Ingress` in other groups are not
//! checked.
//!
//! ## Why it matters
//! Whatever crosses the network in plain HTTP can be read and changed by anyone on the path:
//! a Wi-Fi access point, an ISP, a compromised router. Session cookies, passwords and API
//! tokens are stolen that way, and injected scripts run with the site's authority. The
//! policy asks for HTTPS everywhere, and an Ingress is where a cluster's public HTTP traffic
//! enters: a host missing from its `tls` section, or a redirect turned off, leaves a plain
//! HTTP door open even when the rest of the site uses HTTPS, and HSTS cannot protect a
//! user's first visit through it.
//!
//! ## Example
//! ```yaml
//! apiVersion: networking.k8s.io/v1
//! kind: Ingress
//! metadata:
//!   name: storefront
//!   annotations:
//!     cert-manager.io/cluster-issuer: letsencrypt-prod
//! spec:                       # flagged: no tls entries, cert-manager cannot issue
//!   ingressClassName: nginx
//!   rules:
//!     - host: shop.example.com
//!       http:
//!         paths:
//!           - path: /
//!             pathType: Prefix
//!             backend:
//!               service:
//!                 name: storefront
//!                 port:
//!                   name: http
//! ```
//!
//! ## Remediation
//! Add a `tls` entry listing every host of the rules, with the Secret that holds (or, with
//! cert-manager, will hold) the certificate:
//! ```yaml
//! spec:
//!   tls:
//!     - hosts:
//!         - shop.example.com
//!       secretName: storefront-tls
//! ```
//! Keep the controller's redirect from HTTP to HTTPS on (remove `ssl-redirect: "false"`),
//! route Traefik Ingresses through the TLS entry point, and add an HSTS header once every
//! host is served over HTTPS.
//!
//! ## References
//! - CWE-319: Cleartext Transmission of Sensitive Information
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP Transport Layer Security Cheat Sheet
//! - Kubernetes documentation, Ingress: TLS
//! - cert-manager documentation, Securing Ingress Resources

use super::{K8sRule, RuleContext};
use crate::object::Object;
use crate::yaml::{entry, get, get_path, items, scalar};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity, Span};
use saphyr::MarkedYaml;

pub static META: RuleMeta = RuleMeta {
    id: "k8s/ingress-without-tls",
    title: "Ingress serves hosts over plain HTTP",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[319],
    owasp: Owasp::A02,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("ingress_without_tls.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

const CERT_MANAGER_ANNOTATIONS: [&str; 5] = [
    "cert-manager.io/cluster-issuer",
    "cert-manager.io/issuer",
    "certmanager.k8s.io/cluster-issuer",
    "certmanager.k8s.io/issuer",
    "kubernetes.io/tls-acme",
];

/// The Ingress's annotations, read as strings.
struct Annotations<'a, 'input>(Option<&'a MarkedYaml<'input>>);

impl<'a, 'input> Annotations<'a, 'input> {
    fn entry(&self, name: &str) -> Option<(&'a MarkedYaml<'input>, &'a MarkedYaml<'input>)> {
        self.0.and_then(|a| entry(a, name))
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.entry(name).and_then(|(_, v)| scalar(v)).map(str::trim)
    }

    fn is_set(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| !v.is_empty())
    }

    fn is_false(&self, name: &str) -> bool {
        self.get(name).is_some_and(parses_false)
    }

    fn is_true(&self, name: &str) -> bool {
        self.get(name).is_some_and(parses_true)
    }
}

/// Go's `strconv.ParseBool`, which ingress controllers use for their annotations.
fn parses_false(value: &str) -> bool {
    matches!(value, "false" | "False" | "FALSE" | "0" | "f" | "F")
}

fn parses_true(value: &str) -> bool {
    matches!(value, "true" | "True" | "TRUE" | "1" | "t" | "T")
}

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    if object.kind != "Ingress"
        || !matches!(
            object.api_version,
            "networking.k8s.io/v1" | "networking.k8s.io/v1beta1" | "extensions/v1beta1"
        )
    {
        return;
    }
    let Some((spec_key, spec)) = entry(object.node, "spec") else {
        return;
    };
    let annotations = Annotations(get_path(object.node, &["metadata", "annotations"]));
    let tls_entries = get(spec, "tls").map(items).unwrap_or_default();
    let plain_http = plain_http_annotations(&annotations);

    if tls_entries.is_empty() && !tls_elsewhere(&annotations) {
        let hosts = rule_hosts(spec);
        let served = if hosts.is_empty() {
            "every request it routes is served over plain HTTP".to_string()
        } else {
            let names: Vec<String> = hosts.iter().map(|(_, _, h)| format!("`{h}`")).collect();
            format!("{} served over plain HTTP", plural(&names))
        };
        let cert_manager = CERT_MANAGER_ANNOTATIONS
            .iter()
            .find(|name| annotations.is_set(name));
        let mut finding = match cert_manager {
            Some(name) => Finding::new(
                &META,
                crate::node_span(spec_key),
                format!(
                    "{} has no `tls` entries: {served}. The `{name}` annotation does not help: \
                     cert-manager only issues a certificate for the hosts and `secretName` of \
                     a `tls` entry",
                    object.describe()
                ),
            )
            .with_confidence(Confidence::Medium),
            None => Finding::new(
                &META,
                crate::node_span(spec_key),
                format!("{} has no `tls` entries: {served}", object.describe()),
            ),
        };
        for (span, message) in plain_http {
            finding = finding.with_related(span, message);
        }
        cx.report(finding);
        return;
    }

    for (span, message) in plain_http {
        cx.report(Finding::new(
            &META,
            span,
            format!("{}: {message}", object.describe()),
        ));
    }

    if tls_entries.is_empty() {
        return;
    }
    let mut tls_hosts: Vec<&str> = Vec::new();
    for tls in tls_entries {
        let hosts = get(tls, "hosts").map(items).unwrap_or_default();
        if hosts.is_empty() {
            // The controller's default certificate: taken to cover every host.
            return;
        }
        tls_hosts.extend(hosts.iter().filter_map(scalar));
    }
    for (key, value, host) in rule_hosts(spec) {
        if tls_hosts.iter().any(|pattern| covers(pattern, host)) {
            continue;
        }
        cx.report(Finding::new(
            &META,
            crate::key_value_span(key, value),
            format!(
                "host `{host}` of {} is in no `tls` entry's hosts: it is served over plain HTTP",
                object.describe()
            ),
        ));
    }
}

/// `a`, `a and b`, `a, b and c` followed by the right verb.
fn plural(names: &[String]) -> String {
    match names {
        [one] => format!("{one} is"),
        [rest @ .., last] => format!("{} and {last} are", rest.join(", ")),
        [] => String::new(),
    }
}

/// The `host:` of every rule that has one: key, value and name.
fn rule_hosts<'a, 'input>(
    spec: &'a MarkedYaml<'input>,
) -> Vec<(&'a MarkedYaml<'input>, &'a MarkedYaml<'input>, &'a str)> {
    get(spec, "rules")
        .map(items)
        .unwrap_or_default()
        .iter()
        .filter_map(|rule| {
            let (key, value) = entry(rule, "host")?;
            let host = scalar(value).map(str::trim).filter(|h| !h.is_empty())?;
            Some((key, value, host))
        })
        .collect()
}

/// Whether a `tls[].hosts` entry covers a rule's host: the same name, or a wildcard
/// `*.example.com` covering exactly one more label.
fn covers(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    let host = host.trim().to_ascii_lowercase();
    if pattern == host {
        return true;
    }
    match (pattern.strip_prefix("*."), host.split_once('.')) {
        (Some(suffix), Some((first, rest))) => !first.is_empty() && first != "*" && rest == suffix,
        _ => false,
    }
}

/// Whether an annotation says that TLS is terminated by the controller or the cloud load
/// balancer without the Ingress's `tls` section.
fn tls_elsewhere(annotations: &Annotations<'_, '_>) -> bool {
    let alb_ports = annotations.get("alb.ingress.kubernetes.io/listen-ports");
    let alb = match alb_ports {
        Some(ports) => ports.contains("\"HTTPS\""),
        None => annotations.is_set("alb.ingress.kubernetes.io/certificate-arn"),
    };
    let traefik_secure = annotations
        .get("traefik.ingress.kubernetes.io/router.entrypoints")
        .is_some_and(|eps| {
            let eps = entry_points(eps);
            !eps.is_empty() && eps.iter().all(|e| matches!(*e, "websecure" | "https"))
        });
    alb || traefik_secure
        || annotations.is_set("ingress.gcp.kubernetes.io/pre-shared-cert")
        || annotations.is_set("networking.gke.io/managed-certificates")
        || annotations.is_false("kubernetes.io/ingress.allow-http")
        || annotations.is_set("appgw.ingress.kubernetes.io/appgw-ssl-certificate")
        || annotations.is_true("traefik.ingress.kubernetes.io/router.tls")
}

fn entry_points(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect()
}

/// Annotations that keep plain HTTP open: where they are, and what they do.
fn plain_http_annotations(annotations: &Annotations<'_, '_>) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let mut at = |name: &str, message: String| {
        if let Some((key, value)) = annotations.entry(name) {
            out.push((crate::key_value_span(key, value), message));
        }
    };
    for name in [
        "nginx.ingress.kubernetes.io/ssl-redirect",
        "ingress.kubernetes.io/ssl-redirect",
    ] {
        if annotations.is_false(name) {
            at(
                name,
                format!(
                    "`{name}: \"false\"` turns off the redirect from HTTP to HTTPS, so its \
                     hosts are also served over plain HTTP"
                ),
            );
        }
    }
    let traefik = "traefik.ingress.kubernetes.io/router.entrypoints";
    if let Some(value) = annotations.get(traefik) {
        let eps = entry_points(value);
        if !eps.is_empty()
            && eps.iter().all(|e| matches!(*e, "web" | "http"))
            && !annotations.is_true("traefik.ingress.kubernetes.io/router.tls")
        {
            at(
                traefik,
                format!(
                    "`{traefik}: {value}` routes it through Traefik's plain-HTTP entry point \
                     only, without `router.tls`"
                ),
            );
        }
    }
    let alb = "alb.ingress.kubernetes.io/listen-ports";
    if let Some(ports) = annotations.get(alb)
        && ports.contains("\"HTTP\"")
        && ports.contains("\"HTTPS\"")
        && !annotations.is_set("alb.ingress.kubernetes.io/ssl-redirect")
    {
        at(
            alb,
            format!(
                "`{alb}` opens plain HTTP beside HTTPS and no \
                 `alb.ingress.kubernetes.io/ssl-redirect` sends it to HTTPS"
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("*.example.com", "shop.example.com"));
        assert!(covers("Shop.Example.com", "shop.example.COM"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("*.example.com", "a.b.example.com"));
        assert!(!covers("example.com", "shop.example.com"));
        assert!(covers("*.example.com", "*.example.com"));
    }

    #[test]
    fn cert_manager_without_tls_is_medium_confidence() {
        let text = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\n    nginx.ingress.kubernetes.io/ssl-redirect: \"false\"\nspec:\n  rules:\n    - host: a.example.com\n    - host: b.example.com\n";
        let findings = crate::findings_of("k8s/ingress-without-tls", text);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].confidence, Confidence::Medium);
        assert_eq!(findings[0].location.line(), 8);
        assert!(
            findings[0]
                .message
                .contains("`a.example.com` and `b.example.com` are served over plain HTTP")
        );
        assert_eq!(findings[0].related.len(), 1);
    }
}
