//! Flags databases with persistent storage and no backup in the repository.
//!
//! ## What it checks
//! Workloads whose regular containers run a database or data-store image (MySQL, MariaDB,
//! Percona, PostgreSQL, MongoDB, Redis, Valkey, Elasticsearch/OpenSearch, Cassandra,
//! ClickHouse, CouchDB, InfluxDB, Neo4j, etcd, MinIO; an init container that merely waits
//! for a database does not count) and keep data on a PersistentVolumeClaim (a StatefulSet
//! `volumeClaimTemplates` entry or a mounted claim), when nothing in the scanned manifests
//! backs their namespace up: no CronJob in that namespace running a dump or backup tool
//! (mysqldump, mariadb-dump, mariabackup, xtrabackup, mydumper, pg_dump, pg_basebackup,
//! pgbackrest, wal-g, mongodump, redis-cli --rdb, restic, velero backup), using a backup
//! image (one whose name contains `backup`) or named `…backup…`; no Velero `Schedule`
//! including it (and not listing it in `excludedNamespaces`); no snapshot schedule
//! (snapscheduler, k8up, Stash) in it. A CronJob with `suspend: true` or a Velero schedule
//! with `paused: true` backs nothing up. Pods created by a StatefulSet that is also in the
//! scan are reported at the StatefulSet only. The finding points at the workload's `kind:`
//! line.
//!
//! ## Why it matters
//! A PersistentVolume is not a backup: deleting the claim, a bad migration, ransomware or a
//! lost zone take the data with them, and replicas copy a `DROP TABLE` faithfully. The
//! policy's `backup` recommendation asks for regular backups; for the data that matters most
//! the repository should show how they are made.
//!
//! ## Example
//! ```yaml
//! kind: StatefulSet       # flagged: mysql:8.0 with a volumeClaimTemplate, no backup job
//! spec:
//!   template:
//!     spec:
//!       containers: [{name: mysql, image: mysql:8.0.36}]
//!   volumeClaimTemplates: [{metadata: {name: data}}]
//! ```
//!
//! ## Remediation
//! Add a CronJob that dumps the database to storage outside the cluster (and test restoring
//! it), or a Velero `Schedule` covering the namespace with volume snapshots. If backups are
//! made outside Kubernetes (a managed service, a host agent), record that in the team's
//! backup records and suppress this finding with the reason.
//!
//! ## References
//! - CWE-1059: Insufficient Technical Documentation (no recoverable copy of the data)
//! - OWASP Top 10 2021, A04 Insecure Design
//! - OWASP Kubernetes Security Cheat Sheet
//! - Velero documentation, Schedule API type

use super::ProjectRule;
use crate::facts::image_name;
use crate::project::Project;
use crate::test_data::ProjectOut;
use palisade_core::{
    Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity,
};

pub static META: RuleMeta = RuleMeta {
    id: "k8s/stateful-data-without-backup",
    title: "Database storage with no backup in the repository",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    cwe: &[1059],
    owasp: Owasp::A04,
    recommendation: Recommendation::Backup,
    needs_network: false,
    options: &[],
    source: include_str!("stateful_data_without_backup.rs"),
};

pub static RULE: ProjectRule = ProjectRule { meta: &META, check };

/// Image names (the last path segment, before the tag) of data stores.
const DATA_STORES: &[&str] = &[
    "mysql",
    "mariadb",
    "percona",
    "percona-server",
    "postgres",
    "postgresql",
    "mongo",
    "mongodb",
    "redis",
    "valkey",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "clickhouse",
    "clickhouse-server",
    "couchdb",
    "influxdb",
    "neo4j",
    "etcd",
    "minio",
];

/// The data store an image runs, if any (`docker.io/bitnami/mysql:8.0` → `mysql`).
fn data_store(image: &str) -> Option<&'static str> {
    let name = image_name(image);
    DATA_STORES.iter().copied().find(|s| *s == name)
}

fn check(project: &Project, cx: &mut ProjectOut<'_, '_>) {
    let backups: Vec<_> = project
        .files
        .iter()
        .flat_map(|f| f.backups.iter())
        .collect();
    for workload in project.workloads() {
        if workload.kind == "CronJob" || workload.kind == "Job" || workload.claims.is_empty() {
            continue;
        }
        let Some(store) = workload.images.iter().find_map(|i| data_store(i)) else {
            continue;
        };
        let backed_up = backups.iter().any(|b| {
            !b.excluded_namespaces.contains(&workload.namespace)
                && (b.covers_all && b.kind == "Schedule"
                    || b.covers_namespaces.contains(&workload.namespace)
                    || (b.covers_namespaces.is_empty()
                        && !b.covers_all
                        && b.namespace == workload.namespace))
        });
        if backed_up {
            continue;
        }
        let finding = Finding::new(
            &META,
            workload.location.span,
            format!(
                "{} {}/{} keeps {store} data on a persistent volume, but no backup job, Velero schedule or snapshot schedule covers namespace {}",
                workload.kind, workload.namespace, workload.name, workload.namespace
            ),
        )
        .with_path(workload.location.path.clone());
        cx.report(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::data_store;

    #[test]
    fn recognises_data_store_images() {
        assert_eq!(data_store("mysql:8.0.36"), Some("mysql"));
        assert_eq!(
            data_store("docker.io/bitnami/postgresql:16.2.0"),
            Some("postgresql")
        );
        assert_eq!(
            data_store("registry.local:5000/redis@sha256:abc"),
            Some("redis")
        );
        assert_eq!(data_store("prom/mysqld-exporter:v0.15.1"), None);
        assert_eq!(data_store("registry.example.com/shop/api:1.4.2"), None);
    }
}
