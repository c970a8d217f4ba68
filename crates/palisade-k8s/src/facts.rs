//! What the project-wide checks need to know about each manifest, extracted once per file
//! into owned values (the parsed YAML borrows the file's text, which the project pass no
//! longer holds): RBAC roles and bindings, service accounts, workloads, namespaces, network
//! policies, backups and volume claims — each with the locations findings point at.

use crate::object::Object;
use crate::yaml::{entry, get, get_path, get_str, items, scalar};
use palisade_core::{Location, SourceFile};
use saphyr::{MarkedYaml, YamlData};
use std::collections::BTreeMap;

/// The namespace objects without `metadata.namespace` are applied to by default.
pub const DEFAULT_NAMESPACE: &str = "default";

/// Everything kept from one file.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    pub roles: Vec<Role>,
    pub bindings: Vec<Binding>,
    pub service_accounts: Vec<ServiceAccount>,
    pub workloads: Vec<Workload>,
    pub namespaces: Vec<Namespace>,
    /// Namespaces that have at least one NetworkPolicy (Kubernetes', Cilium's, Calico's or
    /// Antrea's namespaced kind).
    pub network_policies: Vec<String>,
    /// Cluster-wide network policies (CiliumClusterwideNetworkPolicy, Calico
    /// GlobalNetworkPolicy, AdminNetworkPolicy, …) by `Kind name`.
    pub cluster_network_policies: Vec<String>,
    pub backups: Vec<Backup>,
    /// For a template of a Helm chart (not analysed: it is not YAML before rendering): the
    /// chart's folder.
    pub chart_template: Option<String>,
    /// The scan root the file was found under (canonical): the project rules look at the
    /// manifests of one root at a time, so roots scanned together do not change each
    /// other's results.
    pub root: Option<std::path::PathBuf>,
    /// The report paths of test, test-data and example manifests these facts (and their
    /// findings) are in (see `test_data`).
    pub test_paths: Vec<String>,
    /// How many object-rule findings in test data were softened or left out.
    pub softened: usize,
}

// `is_empty`, `append` and `map_locations` destructure `FileFacts` without `..`: a field
// added to it is a compile error in each of them until it is handled (issue #7: `append`
// once forgot `cluster_network_policies`, so facts reaching the project pass through a
// Kustomize rendering lost them).
impl FileFacts {
    pub fn is_empty(&self) -> bool {
        let FileFacts {
            roles,
            bindings,
            service_accounts,
            workloads,
            namespaces,
            network_policies,
            cluster_network_policies,
            backups,
            chart_template,
            root: _,
            test_paths,
            softened,
        } = self;
        chart_template.is_none()
            && test_paths.is_empty()
            && *softened == 0
            && roles.is_empty()
            && bindings.is_empty()
            && service_accounts.is_empty()
            && workloads.is_empty()
            && namespaces.is_empty()
            && network_policies.is_empty()
            && cluster_network_policies.is_empty()
            && backups.is_empty()
    }

    /// Adds another set of facts to this one.
    pub fn append(&mut self, other: FileFacts) {
        let FileFacts {
            roles,
            bindings,
            service_accounts,
            workloads,
            namespaces,
            network_policies,
            cluster_network_policies,
            backups,
            chart_template,
            root,
            test_paths,
            softened,
        } = other;
        self.root = self.root.take().or(root);
        self.test_paths.extend(test_paths);
        self.softened += softened;
        self.roles.extend(roles);
        self.bindings.extend(bindings);
        self.service_accounts.extend(service_accounts);
        self.workloads.extend(workloads);
        self.namespaces.extend(namespaces);
        self.network_policies.extend(network_policies);
        self.cluster_network_policies
            .extend(cluster_network_policies);
        self.backups.extend(backups);
        self.chart_template = self.chart_template.take().or(chart_template);
    }

    /// Calls `f` on every location the facts hold (to point the facts of a rendered
    /// Kustomize object at the files that defined it).
    pub fn map_locations(&mut self, mut f: impl FnMut(&mut Location)) {
        let FileFacts {
            roles,
            bindings,
            service_accounts,
            workloads,
            namespaces,
            // Namespace names and `Kind name` strings: no location to map.
            network_policies: _,
            cluster_network_policies: _,
            backups,
            chart_template: _,
            root: _,
            test_paths: _,
            softened: _,
        } = self;
        for role in roles {
            f(&mut role.location);
            for rule in &mut role.rules {
                f(&mut rule.location);
                for item in rule
                    .api_groups
                    .iter_mut()
                    .chain(&mut rule.resources)
                    .chain(&mut rule.verbs)
                {
                    f(&mut item.location);
                }
            }
        }
        for binding in bindings {
            f(&mut binding.location);
            f(&mut binding.role_name.location);
            for subject in &mut binding.subjects {
                f(&mut subject.location);
            }
        }
        for account in service_accounts {
            f(&mut account.location);
        }
        for workload in workloads {
            f(&mut workload.location);
            f(&mut workload.containers_location);
            if let Some(at) = &mut workload.service_account_location {
                f(at);
            }
            if let Some((_, at)) = &mut workload.automount {
                f(at);
            }
        }
        for namespace in namespaces {
            f(&mut namespace.location);
        }
        for backup in backups {
            f(&mut backup.location);
        }
    }
}

/// A string in a manifest and where it is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    pub value: String,
    pub location: Location,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum RoleKind {
    Role,
    ClusterRole,
}

/// A Role or ClusterRole.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Role {
    pub kind: RoleKind,
    pub name: String,
    /// `None` for ClusterRoles.
    pub namespace: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// `aggregationRule.clusterRoleSelectors[].matchLabels`.
    pub aggregation: Vec<BTreeMap<String, String>>,
    pub rules: Vec<PolicyRule>,
    /// The `name:` line.
    pub location: Location,
    /// Not in the repository: one of Kubernetes' default ClusterRoles.
    pub built_in: bool,
}

/// One entry of a role's `rules`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PolicyRule {
    pub api_groups: Vec<Item>,
    pub resources: Vec<Item>,
    pub verbs: Vec<Item>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
    /// The rule's first line.
    pub location: Location,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum BindingKind {
    RoleBinding,
    ClusterRoleBinding,
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Binding {
    pub kind: BindingKind,
    pub name: String,
    /// The namespace a RoleBinding grants in (`default` when unset); `None` for cluster bindings.
    pub namespace: Option<String>,
    pub role_kind: RoleKind,
    pub role_name: Item,
    pub subjects: Vec<Subject>,
    pub location: Location,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum SubjectKind {
    User,
    Group,
    ServiceAccount,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::User => "User",
            SubjectKind::Group => "Group",
            SubjectKind::ServiceAccount => "ServiceAccount",
        }
    }
}

/// Who a binding grants to.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub name: String,
    /// For service accounts: their namespace (the binding's when unset).
    pub namespace: Option<String>,
    pub location: Location,
}

impl Subject {
    /// `ServiceAccount shop/default`, `Group system:authenticated`.
    pub fn describe(&self) -> String {
        match (&self.kind, &self.namespace) {
            (SubjectKind::ServiceAccount, Some(ns)) => format!("ServiceAccount {ns}/{}", self.name),
            (kind, _) => format!("{} {}", kind.as_str(), self.name),
        }
    }

    /// A stable key for grouping grants by subject.
    pub fn key(&self) -> (SubjectKind, String, String) {
        (
            self.kind,
            self.namespace.clone().unwrap_or_default(),
            self.name.clone(),
        )
    }

    /// Kubernetes' own components: `system:` users and groups other than the anonymous,
    /// all-authenticated and service-account groups, and the service accounts of kube-system
    /// that the controller manager's own controllers run as ([`CONTROLLER_ACCOUNTS`]). Any
    /// other service account of kube-system (an add-on's, or one made for a person) is not a
    /// component: a cluster-admin binding to `kube-system/superadmin` is a finding.
    pub fn is_system_component(&self) -> bool {
        match self.kind {
            SubjectKind::ServiceAccount => {
                self.namespace.as_deref() == Some("kube-system")
                    && CONTROLLER_ACCOUNTS.contains(&self.name.as_str())
            }
            _ => {
                self.service_account_group().is_none()
                    && self.name.starts_with("system:")
                    && !self.is_everyone()
            }
        }
    }

    /// For the groups Kubernetes puts service accounts in: `Some(None)` for
    /// `system:serviceaccounts` (every service account of the cluster), `Some(Some(ns))` for
    /// `system:serviceaccounts:<ns>` (every service account of namespace `ns`).
    pub fn service_account_group(&self) -> Option<Option<&str>> {
        if self.kind != SubjectKind::Group {
            return None;
        }
        match self.name.strip_prefix("system:serviceaccounts") {
            Some("") => Some(None),
            Some(rest) => rest.strip_prefix(':').filter(|ns| !ns.is_empty()).map(Some),
            None => None,
        }
    }

    /// `system:anonymous`, `system:unauthenticated` or `system:authenticated`: a grant to
    /// everyone who can reach the API server (or everyone with any credential).
    pub fn is_everyone(&self) -> bool {
        matches!(
            (self.kind, self.name.as_str()),
            (SubjectKind::User, "system:anonymous")
                | (SubjectKind::Group, "system:unauthenticated")
                | (SubjectKind::Group, "system:authenticated")
        )
    }
}

/// The kube-system service accounts that kube-controller-manager's and
/// cloud-controller-manager's controllers run as (`--use-service-account-credentials`), each
/// bound by Kubernetes to its own `system:controller:<name>` role.
pub const CONTROLLER_ACCOUNTS: &[&str] = &[
    "attachdetach-controller",
    "bootstrap-signer",
    "certificate-controller",
    "cloud-controller-manager",
    "clusterrole-aggregation-controller",
    "cronjob-controller",
    "daemon-set-controller",
    "deployment-controller",
    "disruption-controller",
    "endpoint-controller",
    "endpointslice-controller",
    "endpointslicemirroring-controller",
    "ephemeral-volume-controller",
    "expand-controller",
    "generic-garbage-collector",
    "horizontal-pod-autoscaler",
    "job-controller",
    "legacy-service-account-token-cleaner",
    "namespace-controller",
    "node-controller",
    "persistent-volume-binder",
    "pod-garbage-collector",
    "pv-protection-controller",
    "pvc-protection-controller",
    "replicaset-controller",
    "replication-controller",
    "resource-claim-controller",
    "resourcequota-controller",
    "root-ca-cert-publisher",
    "route-controller",
    "selinux-warning-controller",
    "service-account-controller",
    "service-cidrs-controller",
    "service-controller",
    "statefulset-controller",
    "storage-version-migrator-controller",
    "token-cleaner",
    "ttl-after-finished-controller",
    "ttl-controller",
    "validatingadmissionpolicy-status-controller",
    "volumeattributesclass-protection-controller",
];

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ServiceAccount {
    pub name: String,
    pub namespace: String,
    pub automount: Option<bool>,
    pub location: Location,
}

/// A pod template: a built-in workload.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Workload {
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// `serviceAccountName` (or `default`), with its line when set.
    pub service_account: String,
    pub service_account_location: Option<Location>,
    /// Pod-level `automountServiceAccountToken`, with its line.
    pub automount: Option<(bool, Location)>,
    /// The pod spec's `containers:` line.
    pub containers_location: Location,
    /// The images of its regular containers.
    pub images: Vec<String>,
    /// The images of its init and ephemeral containers.
    pub helper_images: Vec<String>,
    /// Every container's command and args, joined with spaces.
    pub commands: Vec<String>,
    /// Names of the PVCs it mounts, and of its StatefulSet volumeClaimTemplates.
    pub claims: Vec<String>,
    pub has_claim_templates: bool,
    /// The `kind` and `name` of the controller that created it (its `ownerReferences`
    /// entry with `controller: true`), as in a `kubectl get -o yaml` dump.
    pub owner: Option<(String, String)>,
    /// A CronJob with `suspend: true`.
    pub suspended: bool,
    /// The `kind:` line.
    pub location: Location,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Namespace {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub location: Location,
}

/// Evidence that something is backed up: a dump CronJob, a Velero or snapshot schedule.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Backup {
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// Namespaces it covers, when it says (Velero `includedNamespaces`); empty = its own.
    pub covers_namespaces: Vec<String>,
    /// Whether it says it covers every namespace (`includedNamespaces: ["*"]` or none set
    /// for a Velero schedule).
    pub covers_all: bool,
    /// Namespaces it says it leaves out (Velero `excludedNamespaces`).
    pub excluded_namespaces: Vec<String>,
    pub location: Location,
}

/// Tools whose presence in a CronJob's command makes it a database backup.
pub const DUMP_TOOLS: &[&str] = &[
    "mysqldump",
    "mariadb-dump",
    "mariabackup",
    "xtrabackup",
    "mydumper",
    "pg_dump",
    "pg_dumpall",
    "pg_basebackup",
    "pgbackrest",
    "wal-g",
    "mongodump",
    "redis-cli --rdb",
    "redis-cli bgsave",
    "restic",
    "velero backup",
];

/// The name of an image without registry, path, tag or digest, lower-cased
/// (`docker.io/bitnami/mysql:8.0` → `mysql`).
pub fn image_name(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last).to_ascii_lowercase()
}

/// A position in the file → a `Location`.
pub fn location_of(file: &SourceFile, node: &MarkedYaml<'_>) -> Location {
    Location {
        path: file.path.clone(),
        span: node_span(node),
    }
}

pub use crate::node_span;

fn strings(file: &SourceFile, node: Option<&MarkedYaml<'_>>) -> Vec<Item> {
    node.map(|n| {
        items(n)
            .iter()
            .filter_map(|i| {
                Some(Item {
                    value: scalar(i)?.to_string(),
                    location: location_of(file, i),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

fn string_map(node: Option<&MarkedYaml<'_>>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(YamlData::Mapping(map)) = node.map(|n| &n.data) {
        for (k, v) in map {
            if let (Some(k), Some(v)) = (scalar(k), scalar(v)) {
                out.insert(k.to_string(), v.to_string());
            }
        }
    }
    out
}

/// A boolean as Kubernetes reads it (YAML 1.1 spellings, unquoted), or `None`.
fn plain_bool(node: &MarkedYaml<'_>) -> Option<bool> {
    if crate::yaml::is_true(node) {
        Some(true)
    } else if crate::yaml::is_false(node) {
        Some(false)
    } else {
        None
    }
}

/// The line of `metadata.name` (or the object's first line).
fn name_location(file: &SourceFile, object: &Object<'_, '_>) -> Location {
    let node = get(object.node, "metadata")
        .and_then(|m| entry(m, "name"))
        .map(|(k, _)| k)
        .unwrap_or(object.node);
    location_of(file, node)
}

fn kind_location(file: &SourceFile, object: &Object<'_, '_>) -> Location {
    let node = entry(object.node, "kind")
        .map(|(k, _)| k)
        .unwrap_or(object.node);
    location_of(file, node)
}

/// Adds what one object contributes.
pub fn collect(file: &SourceFile, object: &Object<'_, '_>, facts: &mut FileFacts) {
    let namespace = object.namespace.unwrap_or(DEFAULT_NAMESPACE).to_string();
    let rbac = object.group() == "rbac.authorization.k8s.io";
    match object.kind {
        "Role" | "ClusterRole" if rbac => facts.roles.push(role(file, object)),
        "RoleBinding" | "ClusterRoleBinding" if rbac => {
            if let Some(b) = binding(file, object) {
                facts.bindings.push(b);
            }
        }
        "ServiceAccount" if object.group().is_empty() => {
            facts.service_accounts.push(ServiceAccount {
                name: object.name.to_string(),
                namespace,
                automount: get(object.node, "automountServiceAccountToken").and_then(plain_bool),
                location: name_location(file, object),
            })
        }
        "Namespace" if object.group().is_empty() => facts.namespaces.push(Namespace {
            name: object.name.to_string(),
            labels: string_map(get_path(object.node, &["metadata", "labels"])),
            location: name_location(file, object),
        }),
        "NetworkPolicy"
            if matches!(
                object.group(),
                "networking.k8s.io"
                    | "crd.projectcalico.org"
                    | "projectcalico.org"
                    | "crd.antrea.io"
            ) =>
        {
            facts.network_policies.push(namespace)
        }
        "CiliumNetworkPolicy" if object.group() == "cilium.io" => {
            facts.network_policies.push(namespace)
        }
        "CiliumClusterwideNetworkPolicy"
        | "GlobalNetworkPolicy"
        | "ClusterNetworkPolicy"
        | "AdminNetworkPolicy"
        | "BaselineAdminNetworkPolicy"
            if matches!(
                object.group(),
                "cilium.io"
                    | "crd.projectcalico.org"
                    | "projectcalico.org"
                    | "crd.antrea.io"
                    | "policy.networking.k8s.io"
            ) =>
        {
            facts
                .cluster_network_policies
                .push(format!("{} {}", object.kind, object.name))
        }
        "Schedule"
            if object.group() == "velero.io"
                && !get_path(object.node, &["spec", "paused"])
                    .is_some_and(crate::yaml::is_true) =>
        {
            let included = strings(
                file,
                get_path(object.node, &["spec", "template", "includedNamespaces"]),
            );
            let covers_all = included.is_empty() || included.iter().any(|i| i.value == "*");
            let excluded = strings(
                file,
                get_path(object.node, &["spec", "template", "excludedNamespaces"]),
            );
            facts.backups.push(Backup {
                kind: object.kind.to_string(),
                name: object.name.to_string(),
                namespace,
                covers_namespaces: included.into_iter().map(|i| i.value).collect(),
                covers_all,
                excluded_namespaces: excluded.into_iter().map(|i| i.value).collect(),
                location: name_location(file, object),
            });
        }
        // Snapshot schedulers (backube/snapscheduler, k8up, Stash): trust them for their
        // namespace.
        "SnapshotSchedule" | "BackupConfiguration" | "Schedule"
            if object.group().contains("backube")
                || object.group().contains("k8up")
                || object.group().contains("stash") =>
        {
            facts.backups.push(Backup {
                kind: object.kind.to_string(),
                name: object.name.to_string(),
                namespace,
                covers_namespaces: Vec::new(),
                covers_all: false,
                excluded_namespaces: Vec::new(),
                location: name_location(file, object),
            });
        }
        _ => {}
    }
    if let Some(w) = workload(file, object) {
        if w.kind == "CronJob" {
            let dump = w.commands.iter().any(|c| {
                let c = c.to_ascii_lowercase();
                DUMP_TOOLS.iter().any(|t| c.contains(t))
            });
            // Backup images configured through the environment (`…/postgres-backup-local`,
            // `…/mysql-backup`) and jobs running a script (`db-backup`) show no dump tool.
            let backup_image = w
                .images
                .iter()
                .chain(&w.helper_images)
                .any(|i| image_name(i).contains("backup"));
            let backup_name = w.name.to_ascii_lowercase().contains("backup");
            if (dump || backup_image || backup_name) && !w.suspended {
                facts.backups.push(Backup {
                    kind: w.kind.clone(),
                    name: w.name.clone(),
                    namespace: w.namespace.clone(),
                    covers_namespaces: Vec::new(),
                    covers_all: false,
                    excluded_namespaces: Vec::new(),
                    location: w.location.clone(),
                });
            }
        }
        facts.workloads.push(w);
    }
}

fn role(file: &SourceFile, object: &Object<'_, '_>) -> Role {
    let rules = get(object.node, "rules")
        .map(|seq| {
            items(seq)
                .iter()
                .map(|r| PolicyRule {
                    api_groups: strings(file, get(r, "apiGroups")),
                    resources: strings(file, get(r, "resources")),
                    verbs: strings(file, get(r, "verbs")),
                    resource_names: strings(file, get(r, "resourceNames"))
                        .into_iter()
                        .map(|i| i.value)
                        .collect(),
                    non_resource_urls: strings(file, get(r, "nonResourceURLs"))
                        .into_iter()
                        .map(|i| i.value)
                        .collect(),
                    location: location_of(file, r),
                })
                .collect()
        })
        .unwrap_or_default();
    let aggregation = get_path(object.node, &["aggregationRule", "clusterRoleSelectors"])
        .map(|s| {
            items(s)
                .iter()
                .map(|sel| string_map(get(sel, "matchLabels")))
                .collect()
        })
        .unwrap_or_default();
    let kind = if object.kind == "Role" {
        RoleKind::Role
    } else {
        RoleKind::ClusterRole
    };
    Role {
        kind,
        name: object.name.to_string(),
        namespace: (kind == RoleKind::Role)
            .then(|| object.namespace.unwrap_or(DEFAULT_NAMESPACE).to_string()),
        labels: string_map(get_path(object.node, &["metadata", "labels"])),
        aggregation,
        rules,
        location: name_location(file, object),
        built_in: false,
    }
}

fn binding(file: &SourceFile, object: &Object<'_, '_>) -> Option<Binding> {
    let role_ref = get(object.node, "roleRef")?;
    let (name_key, name_value) = entry(role_ref, "name")?;
    let kind = if object.kind == "RoleBinding" {
        BindingKind::RoleBinding
    } else {
        BindingKind::ClusterRoleBinding
    };
    let namespace = (kind == BindingKind::RoleBinding)
        .then(|| object.namespace.unwrap_or(DEFAULT_NAMESPACE).to_string());
    let subjects = get(object.node, "subjects")
        .map(|s| {
            items(s)
                .iter()
                .filter_map(|subject| {
                    let kind = match get_str(subject, "kind")? {
                        "User" => SubjectKind::User,
                        "Group" => SubjectKind::Group,
                        "ServiceAccount" => SubjectKind::ServiceAccount,
                        _ => return None,
                    };
                    let name = get_str(subject, "name")?.to_string();
                    // `User system:serviceaccount:<ns>:<name>` is how the API server names a
                    // service account: the same subject as `ServiceAccount <ns>/<name>`.
                    let service_account = name
                        .strip_prefix("system:serviceaccount:")
                        .and_then(|rest| rest.split_once(':'))
                        .filter(|(ns, n)| !ns.is_empty() && !n.is_empty());
                    if let (SubjectKind::User, Some((sa_namespace, sa_name))) =
                        (kind, service_account)
                    {
                        let at = entry(subject, "name").map(|(k, _)| k).unwrap_or(subject);
                        return Some(Subject {
                            kind: SubjectKind::ServiceAccount,
                            name: sa_name.to_string(),
                            namespace: Some(sa_namespace.to_string()),
                            location: location_of(file, at),
                        });
                    }
                    let subject_namespace = get_str(subject, "namespace")
                        .map(str::to_string)
                        .or_else(|| {
                            (kind == SubjectKind::ServiceAccount).then(|| {
                                namespace
                                    .clone()
                                    .unwrap_or_else(|| DEFAULT_NAMESPACE.into())
                            })
                        });
                    let at = entry(subject, "name").map(|(k, _)| k).unwrap_or(subject);
                    Some(Subject {
                        kind,
                        name,
                        namespace: subject_namespace
                            .filter(|_| kind == SubjectKind::ServiceAccount),
                        location: location_of(file, at),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Binding {
        kind,
        name: object.name.to_string(),
        namespace,
        role_kind: if get_str(role_ref, "kind") == Some("Role") {
            RoleKind::Role
        } else {
            RoleKind::ClusterRole
        },
        role_name: Item {
            value: scalar(name_value)?.to_string(),
            location: location_of(file, name_key),
        },
        subjects,
        location: name_location(file, object),
    })
}

fn workload(file: &SourceFile, object: &Object<'_, '_>) -> Option<Workload> {
    let spec = object.pod_spec().filter(|_| !object.is_fragment())?;
    let containers = object.containers();
    let mut commands = Vec::new();
    let mut images = Vec::new();
    let mut helper_images = Vec::new();
    let mut claims = Vec::new();
    for c in &containers {
        if let Some(image) = get_str(c.node, "image") {
            if c.list == "containers" {
                images.push(image.to_string());
            } else {
                helper_images.push(image.to_string());
            }
        }
        let mut words = Vec::new();
        for key in ["command", "args"] {
            if let Some(list) = get(c.node, key) {
                words.extend(items(list).iter().filter_map(scalar).map(str::to_string));
            }
        }
        commands.push(words.join(" "));
    }
    if let Some(volumes) = get(spec, "volumes") {
        for v in items(volumes) {
            if let Some(claim) =
                get(v, "persistentVolumeClaim").and_then(|p| get_str(p, "claimName"))
            {
                claims.push(claim.to_string());
            }
        }
    }
    let templates = get_path(object.node, &["spec", "volumeClaimTemplates"]);
    if let Some(t) = templates {
        for template in items(t) {
            if let Some(name) = get(template, "metadata").and_then(|m| get_str(m, "name")) {
                claims.push(name.to_string());
            }
        }
    }
    let service_account =
        entry(spec, "serviceAccountName").or_else(|| entry(spec, "serviceAccount"));
    Some(Workload {
        kind: object.kind.to_string(),
        name: object.name.to_string(),
        namespace: object.namespace.unwrap_or(DEFAULT_NAMESPACE).to_string(),
        service_account: service_account
            .and_then(|(_, v)| scalar(v))
            .unwrap_or("default")
            .to_string(),
        service_account_location: service_account.map(|(k, _)| location_of(file, k)),
        automount: entry(spec, "automountServiceAccountToken")
            .and_then(|(k, v)| Some((plain_bool(v)?, location_of(file, k)))),
        containers_location: entry(spec, "containers")
            .map(|(k, _)| location_of(file, k))
            .unwrap_or_else(|| kind_location(file, object)),
        images,
        helper_images,
        commands,
        claims,
        has_claim_templates: templates.is_some_and(|t| !items(t).is_empty()),
        owner: get_path(object.node, &["metadata", "ownerReferences"]).and_then(|refs| {
            items(refs)
                .iter()
                .find(|r| get(r, "controller").is_some_and(crate::yaml::is_true))
                .and_then(|r| Some((get_str(r, "kind")?.into(), get_str(r, "name")?.into())))
        }),
        suspended: get_path(object.node, &["spec", "suspend"]).is_some_and(crate::yaml::is_true),
        location: kind_location(file, object),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_core::CommentStyle;

    fn facts_of(text: &str) -> FileFacts {
        let file = SourceFile::new(
            "cluster.yaml",
            "/repo/cluster.yaml".into(),
            CommentStyle::Hash,
            text.to_string(),
        );
        let (documents, _) = crate::yaml::load(text);
        let mut facts = FileFacts::default();
        for document in &documents {
            for object in crate::object::objects(&document.root) {
                collect(&file, &object, &mut facts);
            }
        }
        facts
    }

    /// Issue #7: a Kustomize rendering's facts are appended object by object; each kind of
    /// fact must survive the merge.
    #[test]
    fn append_keeps_every_kind_of_fact() {
        let one = facts_of(
            "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: deny\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: wiki\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: wiki\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: wiki\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\nroleRef:\n  kind: Role\n  name: r\nsubjects:\n  - kind: ServiceAccount\n    name: wiki\n---\napiVersion: velero.io/v1\nkind: Schedule\nmetadata:\n  name: nightly\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: wiki\nspec:\n  template:\n    spec:\n      containers:\n        - name: wiki\n          image: requarks/wiki:2.5.303\n",
        );
        let counts = |f: &FileFacts| {
            [
                f.roles.len(),
                f.bindings.len(),
                f.service_accounts.len(),
                f.workloads.len(),
                f.namespaces.len(),
                f.network_policies.len(),
                f.cluster_network_policies.len(),
                f.backups.len(),
            ]
        };
        assert_eq!(counts(&one), [1; 8]);
        let mut merged = FileFacts::default();
        assert!(merged.is_empty());
        merged.append(one);
        assert_eq!(counts(&merged), [1; 8]);
        assert_eq!(
            merged.cluster_network_policies,
            ["CiliumClusterwideNetworkPolicy deny"]
        );
        merged.append(FileFacts {
            chart_template: Some("charts/wiki".into()),
            ..FileFacts::default()
        });
        assert_eq!(merged.chart_template.as_deref(), Some("charts/wiki"));
        assert!(!merged.is_empty());
    }
}
