//! Flags API servers that accept anonymous requests.
//!
//! ## What it checks
//! A container that runs `kube-apiserver` (recognised by the program in its `command`, or
//! the first item of `args` when there is no `command`, in any built-in workload including
//! kubeadm's static pods under `/etc/kubernetes/manifests`; a flag such as the Prometheus
//! operator's `--kubelet-service=kube-system/kubelet` never names a program; a container
//! given only flags is recognised by its image, `registry.k8s.io/kube-apiserver:…`, and
//! then only the flags it sets are judged) and either sets
//! `--anonymous-auth=true` (or the bare `--anonymous-auth`), reported on that flag's line,
//! or does not set `--anonymous-auth` at all, reported with medium confidence on the
//! container's `command:` line (`args:` when the program is named there): the flag defaults
//! to true. A server given `--authentication-config` and no `--anonymous-auth` is left
//! alone, because anonymous access is then decided in that file. In a kubeadm
//! `ClusterConfiguration`, only an explicit `anonymous-auth: "true"` under
//! `apiServer.extraArgs` is reported. A program started through a shell
//! (`sh -c "exec kube-apiserver …"`) is not recognised: its flags are one string.
//!
//! ## Why it matters
//! With anonymous authentication on, every request that carries no credentials is served as
//! the user `system:anonymous` in the group `system:unauthenticated`. What that identity
//! can then do depends only on authorization: one careless ClusterRoleBinding to
//! `system:unauthenticated` (or an `AlwaysAllow` authorizer) hands the cluster to anyone who
//! can reach port 6443, and even the default rules disclose the server's version and
//! discovery information to unauthenticated scanners. The OWASP Kubernetes Security Cheat
//! Sheet and the CIS Kubernetes Benchmark both recommend turning it off.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: kube-apiserver
//!     command:                      # flagged when --anonymous-auth is absent
//!       - kube-apiserver
//!       - --anonymous-auth=true     # flagged
//!       - --authorization-mode=Node,RBAC
//! ```
//!
//! ## Remediation
//! Add `--anonymous-auth=false` to the API server's flags (in kubeadm,
//! `apiServer.extraArgs`). kubeadm's liveness and readiness probes call `/livez` and
//! `/readyz` without credentials, so either move them to an authenticated check or, on
//! Kubernetes 1.32 and later, use an `AuthenticationConfiguration` file
//! (`--authentication-config`) whose `anonymous` section enables anonymous access only for
//! `/livez`, `/readyz` and `/healthz`. Never bind roles to `system:anonymous` or
//! `system:unauthenticated`.
//!
//! ## References
//! - CWE-287: Improper Authentication
//! - OWASP Top 10 2021, A07 Identification and Authentication Failures
//! - OWASP Kubernetes Security Cheat Sheet (securing the API server)
//! - Kubernetes documentation, Authenticating: anonymous requests; kube-apiserver flag reference
//! - CIS Kubernetes Benchmark, API server: anonymous requests

use super::{K8sRule, RuleContext};
use crate::control_plane::{Component, invocations};
use crate::object::Object;
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/apiserver-anonymous-auth",
    title: "API server accepts anonymous requests",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[287],
    owasp: Owasp::A07,
    recommendation: Recommendation::Kubernetes,
    needs_network: false,
    options: &[],
    source: include_str!("apiserver_anonymous_auth.rs"),
};

pub static RULE: K8sRule = K8sRule { meta: &META, check };

fn check(object: &Object<'_, '_>, cx: &mut RuleContext<'_, '_>) {
    for inv in invocations(object) {
        if inv.component != Component::ApiServer {
            continue;
        }
        match inv.bool_flag("anonymous-auth") {
            Some(flag) if flag.truth() == Some(true) => cx.report(Finding::new(
                &META,
                flag.span,
                format!(
                    "{} sets --anonymous-auth={}: requests without credentials are served as \
                     system:anonymous",
                    inv.describe(),
                    flag.text()
                ),
            )),
            Some(_) => {}
            None if inv.judges_missing() && !inv.has("authentication-config") => {
                cx.report(
                    Finding::new(
                        &META,
                        inv.missing_span(),
                        format!(
                            "{} does not set --anonymous-auth, which defaults to true: \
                             requests without credentials are served as system:anonymous; \
                             add --anonymous-auth=false",
                            inv.describe()
                        ),
                    )
                    .with_confidence(Confidence::Medium),
                );
            }
            None => {}
        }
    }
}
