//! The RBAC graph: who is granted what, where, and through which binding, role and rule.
//!
//! Built from the Roles, ClusterRoles (with label aggregation), RoleBindings and
//! ClusterRoleBindings found in the manifests, plus Kubernetes' default user-facing
//! ClusterRoles (`cluster-admin`, `admin`, `edit`, `view`), which bindings often name but
//! repositories never define. A RoleBinding grants in its namespace; a ClusterRoleBinding
//! everywhere.

use crate::facts::{Binding, BindingKind, FileFacts, Item, PolicyRule, Role, RoleKind, Subject};
use palisade_core::{Location, Span};
use std::collections::BTreeMap;

/// Where a grant applies.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Cluster,
    Namespace(String),
}

impl Scope {
    pub fn describe(&self) -> String {
        match self {
            Scope::Cluster => "in every namespace".to_string(),
            Scope::Namespace(ns) => format!("in namespace {ns}"),
        }
    }

    pub fn covers(&self, namespace: Option<&str>) -> bool {
        match (self, namespace) {
            (Scope::Cluster, _) => true,
            (Scope::Namespace(ns), Some(wanted)) => ns == wanted,
            (Scope::Namespace(_), None) => false,
        }
    }
}

/// One subject of one binding, and what the bound role grants it.
#[derive(Clone, Debug)]
pub struct Grant {
    pub subject: Subject,
    pub binding: Binding,
    /// The bound role; `None` when the binding names a role that is nowhere to be found.
    pub role: Option<Role>,
    /// The role's rules, including aggregated ones.
    pub rules: Vec<PolicyRule>,
    pub scope: Scope,
}

impl Grant {
    /// `ClusterRoleBinding ops-admins → ClusterRole cluster-admin`
    pub fn path(&self) -> String {
        let kind = match self.binding.kind {
            BindingKind::RoleBinding => "RoleBinding",
            BindingKind::ClusterRoleBinding => "ClusterRoleBinding",
        };
        let role_kind = match self.binding.role_kind {
            RoleKind::Role => "Role",
            RoleKind::ClusterRole => "ClusterRole",
        };
        let ns = self
            .binding
            .namespace
            .as_ref()
            .map(|n| format!("{n}/"))
            .unwrap_or_default();
        let built_in = if self.role.as_ref().is_some_and(|r| r.built_in) {
            " (built-in)"
        } else {
            ""
        };
        format!(
            "{kind} {ns}{} → {role_kind} {}{built_in}",
            self.binding.name, self.binding.role_name.value
        )
    }

    /// The rules of the role that allow `verb` on `resource` of API group `group`. A grant
    /// limited to a namespace allows nothing on cluster-scoped resources (nodes,
    /// PersistentVolumes, webhook configurations, users and groups to impersonate, …): the
    /// API server checks those requests outside any namespace.
    pub fn rules_allowing(&self, verb: &str, group: &str, resource: &str) -> Vec<&PolicyRule> {
        rules_allowing_in(&self.rules, &self.scope, verb, group, resource)
    }

    /// The rules of the role that give `danger` (each rule once).
    pub fn rules_granting(&self, danger: &Danger) -> Vec<&PolicyRule> {
        rules_granting_in(&self.rules, &self.scope, danger)
    }

    /// Whether the role is `cluster-admin` or grants every verb on every resource of every
    /// group.
    pub fn is_cluster_admin(&self) -> bool {
        self.binding.role_kind == RoleKind::ClusterRole
            && self.binding.role_name.value == "cluster-admin"
            || grants_everything(&self.rules)
    }
}

/// The rules among `rules` that allow `verb` on `resource` of API group `group` when granted
/// with `scope` (see [`Grant::rules_allowing`]).
pub fn rules_allowing_in<'r>(
    rules: &'r [PolicyRule],
    scope: &Scope,
    verb: &str,
    group: &str,
    resource: &str,
) -> Vec<&'r PolicyRule> {
    if matches!(scope, Scope::Namespace(_)) && is_cluster_scoped(verb, resource) {
        return Vec::new();
    }
    rules
        .iter()
        .filter(|r| allows(r, verb, group, resource))
        .collect()
}

/// The rules among `rules` that give `danger` when granted with `scope` (each rule once).
pub fn rules_granting_in<'r>(
    rules: &'r [PolicyRule],
    scope: &Scope,
    danger: &Danger,
) -> Vec<&'r PolicyRule> {
    let mut out: Vec<&PolicyRule> = Vec::new();
    for (verb, group, resource) in danger.permissions {
        for rule in rules_allowing_in(rules, scope, verb, group, resource) {
            if !out.iter().any(|x| std::ptr::eq(*x, rule)) {
                out.push(rule);
            }
        }
    }
    out
}

/// Whether a rule grants every verb on every resource of every group.
pub fn grants_everything(rules: &[PolicyRule]) -> bool {
    rules.iter().any(|r| {
        r.resource_names.is_empty()
            && has(&r.verbs, "*")
            && has(&r.resources, "*")
            && has(&r.api_groups, "*")
    })
}

/// Whether a role is one of Kubernetes' own: the default user-facing ClusterRoles
/// (`cluster-admin`, `admin`, `edit`, `view`), the `system:` roles, and whatever carries the
/// `kubernetes.io/bootstrapping: rbac-defaults` label (as in a `kubectl get -o yaml` dump).
pub fn is_default_role(role: &Role) -> bool {
    role.built_in
        || is_default_role_name(role.kind, role.namespace.as_deref(), &role.name)
        || role
            .labels
            .get("kubernetes.io/bootstrapping")
            .map(String::as_str)
            == Some("rbac-defaults")
}

/// Whether every cluster has a role of this kind, namespace and name from its start: the
/// default ClusterRoles, the `system:` roles, and the API server's
/// `kube-system/extension-apiserver-authentication-reader` Role (which aggregated API
/// servers such as metrics-server bind).
pub fn is_default_role_name(kind: RoleKind, namespace: Option<&str>, name: &str) -> bool {
    name.starts_with("system:")
        || match kind {
            RoleKind::ClusterRole => matches!(name, "cluster-admin" | "admin" | "edit" | "view"),
            RoleKind::Role => {
                namespace == Some("kube-system")
                    && name == "extension-apiserver-authentication-reader"
            }
        }
}

/// A role of the manifests that no binding of the manifests names.
pub struct UnboundRole<'g> {
    pub role: &'g Role,
    /// Its rules, with aggregation applied.
    pub rules: &'g [PolicyRule],
    /// Where a binding could grant it: everywhere for a ClusterRole (through a
    /// ClusterRoleBinding), its namespace for a Role.
    pub scope: Scope,
}

impl UnboundRole<'_> {
    /// `ClusterRole ci-deployer`, `Role shop/debugger`.
    pub fn describe(&self) -> String {
        match (&self.role.kind, &self.role.namespace) {
            (RoleKind::Role, Some(ns)) => format!("Role {ns}/{}", self.role.name),
            _ => format!("ClusterRole {}", self.role.name),
        }
    }
}

fn has(items: &[Item], value: &str) -> bool {
    items.iter().any(|i| i.value == value)
}

/// The API group of a well-known resource (`deployments` → `apps`); `None` for others.
pub fn group_of(resource: &str) -> Option<&'static str> {
    let base = resource.split('/').next().unwrap_or(resource);
    Some(match base {
        "pods"
        | "secrets"
        | "configmaps"
        | "services"
        | "serviceaccounts"
        | "nodes"
        | "namespaces"
        | "persistentvolumeclaims"
        | "persistentvolumes"
        | "endpoints"
        | "events"
        | "replicationcontrollers"
        | "podtemplates"
        | "resourcequotas"
        | "limitranges" => "",
        "deployments" | "statefulsets" | "daemonsets" | "replicasets" | "controllerrevisions" => {
            "apps"
        }
        "jobs" | "cronjobs" => "batch",
        "roles" | "rolebindings" | "clusterroles" | "clusterrolebindings" => {
            "rbac.authorization.k8s.io"
        }
        "certificatesigningrequests" | "signers" => "certificates.k8s.io",
        "validatingwebhookconfigurations" | "mutatingwebhookconfigurations" => {
            "admissionregistration.k8s.io"
        }
        "ingresses" | "networkpolicies" | "ingressclasses" => "networking.k8s.io",
        "users" | "groups" | "uids" | "userextras" => "",
        "tokenreviews" => "authentication.k8s.io",
        _ => return None,
    })
}

/// Whether a request for `verb` on `resource` is checked outside any namespace, so that a
/// RoleBinding cannot allow it. `bind` on ClusterRoles is the exception: it is checked in the
/// namespace of the RoleBinding being created.
pub fn is_cluster_scoped(verb: &str, resource: &str) -> bool {
    let base = resource.split('/').next().unwrap_or(resource);
    match base {
        "clusterroles" => verb != "bind",
        "nodes"
        | "persistentvolumes"
        | "namespaces"
        | "clusterrolebindings"
        | "certificatesigningrequests"
        | "signers"
        | "validatingwebhookconfigurations"
        | "mutatingwebhookconfigurations"
        | "users"
        | "groups"
        | "uids"
        | "userextras"
        | "tokenreviews"
        | "customresourcedefinitions"
        | "storageclasses"
        | "ingressclasses" => true,
        _ => false,
    }
}

/// Whether a policy rule allows `verb` on `resource` (which may carry a subresource,
/// `pods/exec`) of `group`, for any object (rules limited by `resourceNames` do not). As in
/// Kubernetes, `*` matches every resource and subresource and `*/exec` the `exec`
/// subresource of every resource, but `pods/*` matches nothing: RBAC has no such wildcard.
pub fn allows(rule: &PolicyRule, verb: &str, group: &str, resource: &str) -> bool {
    if !rule.resource_names.is_empty() {
        return false;
    }
    let verb_ok = rule.verbs.iter().any(|v| v.value == "*" || v.value == verb);
    let group_ok = rule
        .api_groups
        .iter()
        .any(|g| g.value == "*" || g.value == group);
    let sub = resource.split_once('/').map(|(_, s)| s);
    let resource_ok = rule.resources.iter().any(|r| {
        let r = r.value.as_str();
        r == "*" || r == resource || sub.is_some_and(|s| r.strip_prefix("*/") == Some(s))
    });
    verb_ok && group_ok && resource_ok
}

/// A permission: (verb, API group, resource).
pub type Permission = (&'static str, &'static str, &'static str);

/// A dangerous capability a role can give, as the permissions that each give it.
#[derive(Debug)]
pub struct Danger {
    /// Short name, for tables (`read-secrets`).
    pub id: &'static str,
    /// What the holder can do, completing "<subject> can …".
    pub description: &'static str,
    pub permissions: &'static [Permission],
}

pub const READ_SECRETS: Danger = Danger {
    id: "read-secrets",
    description: "read Secrets (get/list/watch)",
    permissions: &[
        ("get", "", "secrets"),
        ("list", "", "secrets"),
        ("watch", "", "secrets"),
    ],
};

pub const EXEC: Danger = Danger {
    id: "exec",
    description: "exec, attach or port-forward into pods, or proxy to nodes",
    permissions: &[
        ("create", "", "pods/exec"),
        ("get", "", "pods/exec"),
        ("create", "", "pods/attach"),
        ("get", "", "pods/attach"),
        ("create", "", "pods/portforward"),
        ("get", "", "pods/portforward"),
        ("create", "", "nodes/proxy"),
        ("get", "", "nodes/proxy"),
    ],
};

pub const CREATE_WORKLOADS: Danger = Danger {
    id: "create-workloads",
    description: "create pods or workload controllers (and so run as any service account)",
    permissions: &[
        ("create", "", "pods"),
        ("create", "", "replicationcontrollers"),
        ("create", "apps", "deployments"),
        ("create", "apps", "statefulsets"),
        ("create", "apps", "daemonsets"),
        ("create", "apps", "replicasets"),
        ("create", "batch", "jobs"),
        ("create", "batch", "cronjobs"),
    ],
};

pub const ESCALATE_OR_BIND: Danger = Danger {
    id: "escalate-bind",
    description: "escalate or bind roles",
    permissions: &[
        ("escalate", "rbac.authorization.k8s.io", "roles"),
        ("escalate", "rbac.authorization.k8s.io", "clusterroles"),
        ("bind", "rbac.authorization.k8s.io", "roles"),
        ("bind", "rbac.authorization.k8s.io", "clusterroles"),
    ],
};

pub const IMPERSONATE: Danger = Danger {
    id: "impersonate",
    description: "impersonate users, groups or service accounts",
    permissions: &[
        ("impersonate", "", "users"),
        ("impersonate", "", "groups"),
        ("impersonate", "", "serviceaccounts"),
        ("impersonate", "authentication.k8s.io", "uids"),
    ],
};

pub const CREATE_TOKENS: Danger = Danger {
    id: "create-tokens",
    description: "create service account tokens",
    permissions: &[("create", "", "serviceaccounts/token")],
};

pub const APPROVE_CSR: Danger = Danger {
    id: "approve-csr",
    description: "approve certificate signing requests",
    permissions: &[
        (
            "update",
            "certificates.k8s.io",
            "certificatesigningrequests/approval",
        ),
        (
            "patch",
            "certificates.k8s.io",
            "certificatesigningrequests/approval",
        ),
        ("approve", "certificates.k8s.io", "signers"),
    ],
};

pub const WEBHOOKS: Danger = Danger {
    id: "webhooks",
    description: "change admission webhooks",
    permissions: &[
        (
            "create",
            "admissionregistration.k8s.io",
            "validatingwebhookconfigurations",
        ),
        (
            "update",
            "admissionregistration.k8s.io",
            "validatingwebhookconfigurations",
        ),
        (
            "patch",
            "admissionregistration.k8s.io",
            "validatingwebhookconfigurations",
        ),
        (
            "create",
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
        ),
        (
            "update",
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
        ),
        (
            "patch",
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
        ),
    ],
};

pub const CREATE_PERSISTENT_VOLUMES: Danger = Danger {
    id: "create-pvs",
    description: "create PersistentVolumes (hostPath access to nodes)",
    permissions: &[("create", "", "persistentvolumes")],
};

/// The privilege-escalation paths Kubernetes documents.
pub const ESCALATIONS: [&Danger; 7] = [
    &CREATE_WORKLOADS,
    &ESCALATE_OR_BIND,
    &IMPERSONATE,
    &CREATE_TOKENS,
    &CREATE_PERSISTENT_VOLUMES,
    &APPROVE_CSR,
    &WEBHOOKS,
];

/// Every danger, in the order tables show them.
pub const DANGERS: [&Danger; 9] = [
    &READ_SECRETS,
    &EXEC,
    &CREATE_WORKLOADS,
    &ESCALATE_OR_BIND,
    &IMPERSONATE,
    &CREATE_TOKENS,
    &CREATE_PERSISTENT_VOLUMES,
    &APPROVE_CSR,
    &WEBHOOKS,
];

/// The RBAC graph of a set of manifests.
#[derive(Debug, Default)]
pub struct Graph {
    pub roles: Vec<Role>,
    pub grants: Vec<Grant>,
    /// Each role's rules with aggregation applied, in the order of `roles`.
    effective: Vec<Vec<PolicyRule>>,
    /// Bindings without subjects (they bind a role, but grant nobody).
    empty_bindings: Vec<Binding>,
}

impl Graph {
    pub fn build<'a>(facts: impl IntoIterator<Item = &'a FileFacts>) -> Graph {
        let mut roles = Vec::new();
        let mut bindings = Vec::new();
        for f in facts {
            roles.extend(f.roles.iter().cloned());
            bindings.extend(f.bindings.iter().cloned());
        }
        for built_in in built_in_roles() {
            let defined = roles
                .iter()
                .any(|r: &Role| r.kind == RoleKind::ClusterRole && r.name == built_in.name);
            if !defined {
                roles.push(built_in);
            }
        }
        let effective = aggregate(&roles);
        let mut grants = Vec::new();
        let empty_bindings = bindings
            .iter()
            .filter(|b| b.subjects.is_empty())
            .cloned()
            .collect();
        for binding in &bindings {
            let role_index = roles.iter().position(|r| {
                r.kind == binding.role_kind
                    && r.name == binding.role_name.value
                    && (r.kind == RoleKind::ClusterRole || r.namespace == binding.namespace)
            });
            let scope = match (&binding.kind, &binding.namespace) {
                (BindingKind::RoleBinding, Some(ns)) => Scope::Namespace(ns.clone()),
                _ => Scope::Cluster,
            };
            for subject in &binding.subjects {
                grants.push(Grant {
                    subject: subject.clone(),
                    binding: binding.clone(),
                    role: role_index.map(|i| roles[i].clone()),
                    rules: role_index.map(|i| effective[i].clone()).unwrap_or_default(),
                    scope: scope.clone(),
                });
            }
        }
        Graph {
            roles,
            grants,
            effective,
            empty_bindings,
        }
    }

    /// The roles of the manifests that no binding names, except Kubernetes' default roles
    /// and roles aggregated into another ClusterRole (their rules are judged there).
    pub fn unbound_roles(&self) -> Vec<UnboundRole<'_>> {
        let names = |b: &Binding, role: &Role| {
            b.role_kind == role.kind
                && b.role_name.value == role.name
                && (role.kind == RoleKind::ClusterRole || b.namespace == role.namespace)
        };
        let aggregated = |role: &Role| {
            role.kind == RoleKind::ClusterRole
                && self.roles.iter().any(|other| {
                    !std::ptr::eq(other, role)
                        && other.aggregation.iter().any(|selector| {
                            !selector.is_empty()
                                && selector.iter().all(|(k, v)| role.labels.get(k) == Some(v))
                        })
                })
        };
        self.roles
            .iter()
            .zip(&self.effective)
            .filter(|(role, _)| !is_default_role(role) && !aggregated(role))
            .filter(|(role, _)| {
                !self.grants.iter().any(|g| names(&g.binding, role))
                    && !self.empty_bindings.iter().any(|b| names(b, role))
            })
            .map(|(role, rules)| UnboundRole {
                role,
                rules,
                scope: match (&role.kind, &role.namespace) {
                    (RoleKind::Role, Some(ns)) => Scope::Namespace(ns.clone()),
                    _ => Scope::Cluster,
                },
            })
            .collect()
    }

    /// The bindings that name a role found nowhere in the manifests (each binding once).
    pub fn dangling_bindings(&self) -> Vec<&Binding> {
        let mut out: Vec<&Binding> = Vec::new();
        for grant in self.grants.iter().filter(|g| g.role.is_none()) {
            let same =
                |b: &&Binding| b.name == grant.binding.name && b.location == grant.binding.location;
            if !out.iter().any(same) {
                out.push(&grant.binding);
            }
        }
        out
    }

    /// Every grant that allows `verb` on `resource` (of `group`, or the resource's usual
    /// group) in `namespace` (`None`: anywhere), with the rules that allow it.
    pub fn who_can(
        &self,
        verb: &str,
        resource: &str,
        group: Option<&str>,
        namespace: Option<&str>,
    ) -> Vec<(&Grant, Vec<&PolicyRule>)> {
        let group = group.or_else(|| group_of(resource)).unwrap_or("*");
        self.grants
            .iter()
            .filter(|g| namespace.is_none() || g.scope.covers(namespace))
            .filter_map(|g| {
                let rules: Vec<&PolicyRule> = g
                    .rules
                    .iter()
                    .filter(|r| {
                        if group == "*" {
                            r.api_groups.iter().any(|_| true)
                                && r.api_groups
                                    .iter()
                                    .any(|x| allows(r, verb, &x.value, resource))
                        } else {
                            allows(r, verb, group, resource)
                        }
                    })
                    .collect();
                (!rules.is_empty()).then_some((g, rules))
            })
            .collect()
    }

    /// Grants grouped by subject, for reports.
    pub fn by_subject(&self) -> BTreeMap<(crate::facts::SubjectKind, String, String), Vec<&Grant>> {
        let mut out: BTreeMap<_, Vec<&Grant>> = BTreeMap::new();
        for g in &self.grants {
            out.entry(g.subject.key()).or_default().push(g);
        }
        out
    }
}

/// Each role's rules, with ClusterRole aggregation applied (to a fixed point).
fn aggregate(roles: &[Role]) -> Vec<Vec<PolicyRule>> {
    let mut effective: Vec<Vec<PolicyRule>> = roles.iter().map(|r| r.rules.clone()).collect();
    for _ in 0..4 {
        let mut changed = false;
        for (i, role) in roles.iter().enumerate() {
            if role.aggregation.is_empty() {
                continue;
            }
            let mut rules = role.rules.clone();
            for (j, other) in roles.iter().enumerate() {
                let selected = i != j
                    && other.kind == RoleKind::ClusterRole
                    && role.aggregation.iter().any(|selector| {
                        !selector.is_empty()
                            && selector.iter().all(|(k, v)| other.labels.get(k) == Some(v))
                    });
                if selected {
                    rules.extend(effective[j].iter().cloned());
                }
            }
            if rules.len() != effective[i].len() {
                effective[i] = rules;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    effective
}

fn item(value: &str) -> Item {
    Item {
        value: value.to_string(),
        location: built_in_location(),
    }
}

fn built_in_location() -> Location {
    Location {
        path: String::new(),
        span: Span::line(1),
    }
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
    PolicyRule {
        api_groups: groups.iter().map(|g| item(g)).collect(),
        resources: resources.iter().map(|r| item(r)).collect(),
        verbs: verbs.iter().map(|v| item(v)).collect(),
        resource_names: Vec::new(),
        non_resource_urls: Vec::new(),
        location: built_in_location(),
    }
}

/// Kubernetes' default user-facing ClusterRoles, reduced to the permissions palisade's rules
/// ask about (the real ones list many more read-only resources).
fn built_in_roles() -> Vec<Role> {
    const READ: &[&str] = &["get", "list", "watch"];
    const WRITE: &[&str] = &[
        "create",
        "delete",
        "deletecollection",
        "patch",
        "update",
        "get",
        "list",
        "watch",
    ];
    const WORKLOADS: &[&str] = &[
        "deployments",
        "statefulsets",
        "daemonsets",
        "replicasets",
        "deployments/scale",
        "statefulsets/scale",
    ];
    let view = vec![
        rule(
            &[""],
            &[
                "pods",
                "services",
                "configmaps",
                "persistentvolumeclaims",
                "serviceaccounts",
                "endpoints",
                "events",
                "replicationcontrollers",
            ],
            READ,
        ),
        rule(&["apps"], WORKLOADS, READ),
        rule(&["batch"], &["jobs", "cronjobs"], READ),
    ];
    let mut edit = vec![
        rule(
            &[""],
            &[
                "pods",
                "services",
                "configmaps",
                "persistentvolumeclaims",
                "secrets",
                "replicationcontrollers",
            ],
            WRITE,
        ),
        rule(
            &[""],
            &["pods/exec", "pods/attach", "pods/portforward", "pods/proxy"],
            &["create", "get"],
        ),
        rule(
            &[""],
            &["serviceaccounts"],
            &["impersonate", "create", "delete", "patch", "update"],
        ),
        rule(&["apps"], WORKLOADS, WRITE),
        rule(&["batch"], &["jobs", "cronjobs"], WRITE),
        rule(
            &["networking.k8s.io"],
            &["ingresses", "networkpolicies"],
            WRITE,
        ),
    ];
    edit.extend(view.iter().cloned());
    let mut admin = edit.clone();
    admin.push(rule(
        &["rbac.authorization.k8s.io"],
        &["roles", "rolebindings"],
        WRITE,
    ));
    // `admin`, `edit` and `view` also collect the rules of every ClusterRole labelled
    // `rbac.authorization.k8s.io/aggregate-to-<name>: "true"` (operators label their CRD
    // roles so); `edit` is labelled to aggregate into `admin`, `view` into `edit`.
    let label = |to: &str| {
        BTreeMap::from([(
            format!("rbac.authorization.k8s.io/aggregate-to-{to}"),
            "true".to_string(),
        )])
    };
    let role = |name: &str, labels: BTreeMap<String, String>, rules: Vec<PolicyRule>| Role {
        kind: RoleKind::ClusterRole,
        name: name.to_string(),
        namespace: None,
        labels,
        aggregation: if name == "cluster-admin" {
            Vec::new()
        } else {
            vec![label(name)]
        },
        rules,
        location: built_in_location(),
        built_in: true,
    };
    vec![
        role(
            "cluster-admin",
            BTreeMap::new(),
            vec![rule(&["*"], &["*"], &["*"])],
        ),
        role("admin", BTreeMap::new(), admin),
        role("edit", label("admin"), edit),
        role("view", label("edit"), view),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
        rule(groups, resources, verbs)
    }

    #[test]
    fn rule_matching_follows_kubernetes() {
        let exec = r(&[""], &["pods/exec"], &["create"]);
        assert!(allows(&exec, "create", "", "pods/exec"));
        assert!(!allows(&exec, "create", "", "pods"));
        assert!(!allows(&exec, "get", "", "pods/exec"));
        // Kubernetes has no `pods/*` wildcard, only `*` and `*/<subresource>`.
        let all_sub = r(&[""], &["pods/*"], &["*"]);
        assert!(!allows(&all_sub, "create", "", "pods/exec"));
        assert!(!allows(&all_sub, "get", "", "pods"));
        let any_exec = r(&[""], &["*/exec"], &["create"]);
        assert!(allows(&any_exec, "create", "", "pods/exec"));
        assert!(!allows(&any_exec, "create", "", "pods"));
        assert!(!allows(&any_exec, "create", "", "pods/attach"));
        let all = r(&[""], &["*"], &["create"]);
        assert!(allows(&all, "create", "", "pods/exec"));
    }

    #[test]
    fn namespaced_grants_do_not_reach_cluster_scoped_resources() {
        assert!(is_cluster_scoped("get", "nodes/proxy"));
        assert!(is_cluster_scoped("impersonate", "users"));
        assert!(is_cluster_scoped("escalate", "clusterroles"));
        assert!(!is_cluster_scoped("bind", "clusterroles"));
        assert!(!is_cluster_scoped("impersonate", "serviceaccounts"));
        assert!(!is_cluster_scoped("create", "pods/exec"));
    }

    #[test]
    fn built_in_roles_aggregate_labelled_cluster_roles() {
        let mut extra = built_in_roles().remove(3);
        extra.name = "backup-viewer".into();
        extra.built_in = false;
        extra.aggregation.clear();
        extra.labels = BTreeMap::from([(
            "rbac.authorization.k8s.io/aggregate-to-view".to_string(),
            "true".to_string(),
        )]);
        extra.rules = vec![r(&[""], &["secrets"], &["get"])];
        let mut roles = built_in_roles();
        roles.push(extra);
        let effective = aggregate(&roles);
        // view, edit (through view) and admin (through edit) all pick the rule up.
        for i in 1..4 {
            assert!(
                effective[i].iter().any(|p| allows(p, "get", "", "secrets")),
                "{}",
                roles[i].name
            );
        }
        assert!(
            !roles[3]
                .rules
                .iter()
                .any(|p| allows(p, "get", "", "secrets"))
        );
        let star = r(&["*"], &["*"], &["get"]);
        assert!(allows(&star, "get", "", "secrets"));
        assert!(!allows(&star, "list", "", "secrets"));
        let apps = r(&["apps"], &["secrets"], &["get"]);
        assert!(!allows(&apps, "get", "", "secrets"));
        let mut named = r(&[""], &["secrets"], &["get"]);
        named.resource_names.push("tls-cert".into());
        assert!(!allows(&named, "get", "", "secrets"));
    }
}
