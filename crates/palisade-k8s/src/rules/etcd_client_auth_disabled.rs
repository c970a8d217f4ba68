//! Flags etcd servers that do not authenticate their clients with certificates.
//!
//! ## What it checks
//! A container that runs `etcd` (recognised by its program, see
//! `k8s/apiserver-anonymous-auth`; `etcdctl` and operators are not etcd) and:
//! - sets `--client-cert-auth=false` (or `ETCD_CLIENT_CERT_AUTH=false` in its environment,
//!   which etcd reads when the flag is absent), reported on that line; or sets neither,
//!   reported with medium confidence on its `command:` line (or `args:`), because the
//!   setting defaults to false;
//! - sets `--auto-tls=true` or `--peer-auto-tls=true` (or their environment variables),
//!   reported on that line with high severity: etcd then generates self-signed certificates
//!   and its peers and clients cannot verify whom they talk to.
//!
//! An etcd whose `--listen-client-urls` (or `ETCD_LISTEN_CLIENT_URLS`) are all on the loopback
//! interface or unix sockets, or left at their default `http://localhost:2379`, is not reachable
//! from the network and its client settings are not reported (likewise its peer settings with
//! `--listen-peer-urls`). An etcd started with `--config-file` ignores its other flags and
//! environment and is left alone. In a kubeadm `ClusterConfiguration`, only explicit values under
//! `etcd.local.extraArgs` are judged (kubeadm itself sets `--client-cert-auth=true`).
//!
//! ## Why it matters
//! etcd holds the whole state of the cluster, every Secret included, and the API server
//! trusts whatever it finds there. Without client certificate authentication any process
//! that can reach port 2379 reads every Secret and can write itself a cluster-admin binding
//! or a privileged pod, bypassing the API server's authentication, authorization, admission
//! control and audit log. Self-signed automatic certificates give encryption without
//! identity, so a man in the middle or a rogue peer goes unnoticed.
//!
//! ## Example
//! ```yaml
//! command:                      # flagged when --client-cert-auth is absent
//!   - etcd
//!   - --auto-tls=true           # flagged
//!   - --listen-client-urls=https://127.0.0.1:2379
//! ```
//!
//! ## Remediation
//! Issue etcd a server certificate from a dedicated CA and set `--client-cert-auth=true`
//! with `--trusted-ca-file`, `--cert-file` and `--key-file` (and the `--peer-` equivalents
//! with `--peer-client-cert-auth=true`), as kubeadm's `etcd.yaml` does. Remove `--auto-tls`
//! and `--peer-auto-tls`. Give the API server its own client certificate through
//! `--etcd-certfile` and `--etcd-keyfile`.
//!
//! ## References
//! - CWE-306: Missing Authentication for Critical Function
//! - OWASP Top 10 2021, A01 Broken Access Control
//! - OWASP Kubernetes Security Cheat Sheet (restrict access to etcd)
//! - etcd documentation, Transport security model
//! - Kubernetes documentation, Operating etcd clusters for Kubernetes: securing etcd
//! - CIS Kubernetes Benchmark, etcd: client certificate authentication and auto TLS

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, invocations, only_loopback};
use crate::object::Object;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/etcd-client-auth-disabled",
    title: "etcd does not authenticate clients with certificates",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[306],
    owasp: Owasp::A01,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("etcd_client_auth_disabled.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        if inv.component != Component::Etcd || inv.has("config-file") {
            continue;
        }
        // etcd listens on `http://localhost:2379` by default; kubeadm adds the node's address.
        let clients_on_loopback = match inv.flag("listen-client-urls") {
            Some(urls) => only_loopback(urls.text()),
            None => inv.judges_missing(),
        };
        let peers_on_loopback = match inv.flag("listen-peer-urls") {
            Some(urls) => only_loopback(urls.text()),
            None => inv.judges_missing(),
        };
        match inv.bool_flag("client-cert-auth") {
            _ if clients_on_loopback => {}
            Some(flag) if flag.truth() == Some(false) => cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} turns client certificate authentication off ({}): anyone who \
                     reaches its client port reads and writes the whole cluster state",
                    inv.describe(),
                    flag.text().trim()
                ),
            )),
            Some(_) => {}
            None if inv.judges_missing() => cx.report(
                Finding::new(
                    &META,
                    inv.missing_span(),
                    format!(
                        "{} does not set --client-cert-auth=true (the default is false): \
                         anyone who reaches its client port reads and writes the whole \
                         cluster state",
                        inv.describe()
                    ),
                )
                .with_confidence(Confidence::Medium),
            ),
            None => {}
        }
        for (name, whom, on_loopback) in [
            ("auto-tls", "clients", clients_on_loopback),
            ("peer-auto-tls", "peers", peers_on_loopback),
        ] {
            let Some(flag) = inv.bool_flag(name).filter(|_| !on_loopback) else {
                continue;
            };
            if flag.truth() == Some(true) {
                cx.report(
                    Finding::new(
                        &META,
                        flag.span,
                        format!(
                            "{} sets --{name}: it serves its {whom} with self-signed \
                             certificates that nobody can verify",
                            inv.describe()
                        ),
                    )
                    .with_severity(Severity::High),
                );
            }
        }
    }
}
