//! Flags API servers that store Secrets in etcd unencrypted.
//!
//! ## What it checks
//! A container that runs `kube-apiserver` (recognised by its program, see
//! `k8s/apiserver-anonymous-auth`) without `--encryption-provider-config`, reported on the
//! container's `command:` line (or `args:`) with medium confidence, or with that flag set to
//! an empty value, reported on its line. In a kubeadm `ClusterConfiguration` only an
//! explicitly empty value under `apiServer.extraArgs` is reported. The contents of the
//! `EncryptionConfiguration` file itself (for example an `identity` provider listed first)
//! are not checked here.
//!
//! ## Why it matters
//! Without an encryption configuration the API server writes Secrets, service account
//! tokens and every other object to etcd as plain bytes. Whoever gets an etcd backup, a
//! snapshot of the control-plane disk or read access to etcd itself reads every password,
//! key and token of the cluster, without ever touching the API server or its audit log.
//!
//! ## Example
//! ```yaml
//! command:                 # flagged: no --encryption-provider-config
//!   - kube-apiserver
//!   - --etcd-servers=https://127.0.0.1:2379
//! ```
//!
//! ## Remediation
//! Write an `EncryptionConfiguration` (`apiserver.config.k8s.io/v1`) that encrypts at least
//! `secrets` with a KMS v2 provider (or `aescbc`/`secretbox` with a key kept off the etcd
//! hosts), keep `identity` last only as a fallback for reading old data, mount it into the
//! API server's pod and set `--encryption-provider-config`. Then rewrite existing Secrets
//! (`kubectl get secrets -A -o json | kubectl replace -f -`) so they are stored encrypted.
//!
//! ## References
//! - CWE-311: Missing Encryption of Sensitive Data
//! - OWASP Top 10 2021, A02 Cryptographic Failures
//! - OWASP Kubernetes Security Cheat Sheet (encrypt Secrets at rest)
//! - Kubernetes documentation, Encrypting Confidential Data at Rest
//! - CIS Kubernetes Benchmark, API server: encryption provider config

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, invocations};
use crate::object::Object;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/apiserver-encryption-at-rest-disabled",
    title: "API server does not encrypt Secrets at rest",
    severity: Severity::Medium,
    confidence: Confidence::High,
    cwe: &[311],
    owasp: Owasp::A02,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("apiserver_encryption_at_rest_disabled.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        if inv.component != Component::ApiServer {
            continue;
        }
        match inv.flag("encryption-provider-config") {
            Some(flag) if flag.text().trim().is_empty() => cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} sets --encryption-provider-config to an empty value: Secrets are \
                     written to etcd unencrypted",
                    inv.describe()
                ),
            )),
            Some(_) => {}
            None if inv.judges_missing() => cx.report(
                Finding::new(
                    &META,
                    inv.missing_span(),
                    format!(
                        "{} does not set --encryption-provider-config: Secrets are written to \
                         etcd unencrypted (the default)",
                        inv.describe()
                    ),
                )
                .with_confidence(Confidence::Medium),
            ),
            None => {}
        }
    }
}
