//! `palisade who-can` and `palisade rbac`: questions about Kubernetes RBAC answered from the
//! manifests, before anything is deployed (or from `kubectl get -o yaml` output on standard
//! input, so palisade never holds cluster credentials).

use crate::cli::{ListFormat, RbacArgs, RbacInput, StdinKind, TableFormat, WhoCanArgs};
use crate::commands::{is_stdin, read_stdin};
use crate::{Failure, exit, output, sources};
use palisade_k8s::KubernetesAnalyzer;
use palisade_k8s::facts::Subject;
use palisade_k8s::rbac::{DANGERS, Grant, Graph, Scope};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Reads every manifest under the input paths into an RBAC graph. Files that cannot be read
/// or parsed are named on stderr; the rest still count.
fn load_graph(input: &RbacInput) -> Result<Graph, Failure> {
    let config = sources::load_config(input.config.as_deref(), &input.paths)?;
    let stdin = if input.paths.iter().any(|p| is_stdin(p)) {
        Some(read_stdin(StdinKind::K8s)?)
    } else {
        None
    };
    let facts = sources::collect_facts(&KubernetesAnalyzer, &input.paths, &config, stdin)?;
    Ok(Graph::build(&facts))
}

fn subject_json(s: &Subject) -> Value {
    json!({ "kind": s.kind.as_str(), "name": s.name, "namespace": s.namespace })
}

fn scope_json(scope: &Scope) -> Value {
    match scope {
        Scope::Cluster => json!({ "cluster": true, "namespace": null }),
        Scope::Namespace(ns) => json!({ "cluster": false, "namespace": ns }),
    }
}

fn place(location: &palisade_core::Location) -> String {
    format!("{}:{}", location.path, location.span.start_line)
}

/// Warns on stderr about a verb Kubernetes does not have, or a resource that is not built in
/// but close to one that is (custom resources are fine): the answer would be "nobody".
fn warn_unknown(verb: &str, resource: &str, group: Option<&str>) {
    use palisade_k8s::vocabulary::{KNOWN_RESOURCES, KNOWN_VERBS};
    use palisade_knowledge::words::closest;
    if !KNOWN_VERBS.contains(&verb) {
        let hint = closest(verb, KNOWN_VERBS)
            .map(|v| format!(" (did you mean `{v}`?)"))
            .unwrap_or_default();
        eprintln!("palisade: `{verb}` is not a Kubernetes verb{hint}; answering for it anyway");
    }
    if group.is_none()
        && !KNOWN_RESOURCES.contains(&resource)
        && let Some(known) = closest(resource, KNOWN_RESOURCES)
    {
        eprintln!(
            "palisade: `{resource}` is not a built-in resource (did you mean `{known}`?); answering for it anyway"
        );
    }
}

pub fn who_can(args: WhoCanArgs) -> Result<u8, Failure> {
    // `deployments.apps` names the group like kubectl does; `pods/exec` has no dot.
    let (resource, group) = match args.resource.split_once('.') {
        Some((r, g)) => (r, Some(g)),
        None => (args.resource.as_str(), None),
    };
    warn_unknown(&args.verb, resource, group);
    let graph = load_graph(&args.input)?;
    let mut found = graph.who_can(&args.verb, resource, group, args.namespace.as_deref());
    found.sort_by(|(a, _), (b, _)| {
        (a.subject.key(), a.scope.clone(), a.binding.name.clone()).cmp(&(
            b.subject.key(),
            b.scope.clone(),
            b.binding.name.clone(),
        ))
    });
    let where_ = args
        .namespace
        .as_deref()
        .map_or("anywhere".to_string(), |ns| format!("in namespace {ns}"));
    let text = match args.format {
        ListFormat::Json => {
            let list: Vec<Value> = found
                .iter()
                .map(|(g, rules)| {
                    json!({
                        "subject": subject_json(&g.subject),
                        "system_component": g.subject.is_system_component(),
                        "scope": scope_json(&g.scope),
                        "via": g.path(),
                        "binding": place(&g.subject.location),
                        "rules": rules.iter().filter(|r| !r.location.path.is_empty()).map(|r| place(&r.location)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&json!({
                "verb": args.verb,
                "resource": args.resource,
                "namespace": args.namespace,
                "grants": list,
            }))
            .unwrap_or_default()
                + "\n"
        }
        ListFormat::Text => {
            let mut out = format!(
                "{} grant{} allow {} on {} {where_}:\n",
                found.len(),
                if found.len() == 1 { "" } else { "s" },
                args.verb,
                args.resource
            );
            for (g, rules) in &found {
                let system = if g.subject.is_system_component() {
                    " (Kubernetes component)"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "\n  {}{system}\n    {} via {}\n    binding {}",
                    g.subject.describe(),
                    g.scope.describe(),
                    g.path(),
                    place(&g.subject.location)
                ));
                let rule_places: Vec<String> = rules
                    .iter()
                    .filter(|r| !r.location.path.is_empty())
                    .map(|r| place(&r.location))
                    .collect();
                if !rule_places.is_empty() {
                    out.push_str(&format!(", rule {}", rule_places.join(", ")));
                }
                out.push('\n');
            }
            out
        }
    };
    output::write(None, &text)?;
    Ok(exit::CLEAN)
}

/// Where each subject holds each danger: cluster-wide, or in which namespaces, and through what.
#[derive(Default)]
struct Cell {
    cluster: bool,
    namespaces: Vec<String>,
    via: Vec<String>,
}

impl Cell {
    fn add(&mut self, grant: &Grant) {
        match &grant.scope {
            Scope::Cluster => self.cluster = true,
            Scope::Namespace(ns) => {
                if !self.namespaces.contains(ns) {
                    self.namespaces.push(ns.clone());
                }
            }
        }
        let via = grant.path();
        if !self.via.contains(&via) {
            self.via.push(via);
        }
    }

    fn short(&self) -> String {
        if self.cluster {
            "cluster".to_string()
        } else {
            self.namespaces.join(",")
        }
    }
}

/// The matrix's columns (cluster-admin, then each dangerous permission) and one row per
/// subject (without Kubernetes' own components unless `all`): which it holds, where, via
/// which binding.
type SubjectRows = BTreeMap<
    (palisade_k8s::facts::SubjectKind, String, String),
    (Subject, BTreeMap<&'static str, Cell>),
>;

fn subject_rows(graph: &Graph, all: bool) -> (Vec<&'static str>, SubjectRows) {
    let mut columns: Vec<&'static str> = vec!["cluster-admin"];
    columns.extend(DANGERS.iter().map(|d| d.id));
    let mut rows: SubjectRows = BTreeMap::new();
    for (key, grants) in graph.by_subject() {
        let subject = grants[0].subject.clone();
        if subject.is_system_component() && !all {
            continue;
        }
        let mut cells: BTreeMap<&str, Cell> = BTreeMap::new();
        for grant in grants {
            if grant.is_cluster_admin() {
                cells.entry("cluster-admin").or_default().add(grant);
                continue;
            }
            for danger in DANGERS {
                if !grant.rules_granting(danger).is_empty() {
                    cells.entry(danger.id).or_default().add(grant);
                }
            }
        }
        rows.insert(key, (subject, cells));
    }
    (columns, rows)
}

/// The RBAC matrix as an HTML table (`rbac -f html`, and a section of the scan's HTML
/// report).
pub fn rbac_matrix(graph: &Graph, all: bool) -> palisade_report::html::Matrix {
    let (columns, rows) = subject_rows(graph, all);
    let mut header = vec!["subject".to_string()];
    header.extend(columns.iter().map(|c| c.to_string()));
    let table = rows
        .values()
        .map(|(subject, cells)| {
            let mut row = vec![subject.describe()];
            row.extend(columns.iter().map(|c| {
                cells.get(c).map_or("-".to_string(), |x| {
                    format!("{} (via {})", x.short(), x.via.join("; "))
                })
            }));
            row
        })
        .collect();
    palisade_report::html::Matrix {
        id: "rbac".to_string(),
        title: "RBAC matrix".to_string(),
        columns: header,
        rows: table,
        note: "cluster = in every namespace; otherwise the namespaces listed. `palisade who-can VERB RESOURCE` shows the bindings and rules behind a cell.".to_string(),
    }
}

pub fn rbac(args: RbacArgs) -> Result<u8, Failure> {
    let graph = load_graph(&args.input)?;
    let (columns, rows) = subject_rows(&graph, args.all);
    let text = match args.format {
        TableFormat::Json => {
            let list: Vec<Value> = rows
                .values()
                .map(|(subject, cells)| {
                    let permissions: serde_json::Map<String, Value> = cells
                        .iter()
                        .map(|(id, c)| {
                            (
                                id.to_string(),
                                json!({ "cluster": c.cluster, "namespaces": c.namespaces, "via": c.via }),
                            )
                        })
                        .collect();
                    json!({
                        "subject": subject_json(subject),
                        "system_component": subject.is_system_component(),
                        "permissions": permissions,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&json!({ "columns": columns, "subjects": list }))
                .unwrap_or_default()
                + "\n"
        }
        TableFormat::Html => palisade_report::html::render_tables(
            "palisade: RBAC matrix",
            vec![rbac_matrix(&graph, args.all)],
        ),
        TableFormat::Text => {
            let names: Vec<String> = rows.values().map(|(s, _)| s.describe()).collect();
            let first = names.iter().map(String::len).max().unwrap_or(7).max(7);
            let widths: Vec<usize> = columns
                .iter()
                .map(|c| {
                    rows.values()
                        .map(|(_, cells)| cells.get(c).map_or(1, |x| x.short().len()))
                        .max()
                        .unwrap_or(1)
                        .max(c.len())
                })
                .collect();
            let mut line = format!("{:<first$}", "SUBJECT");
            for (c, w) in columns.iter().zip(&widths) {
                line.push_str(&format!("  {:<w$}", c.to_uppercase()));
            }
            let mut out = format!("{}\n", line.trim_end());
            for (name, (_, cells)) in names.iter().zip(rows.values()) {
                let mut line = format!("{name:<first$}");
                for (c, w) in columns.iter().zip(&widths) {
                    let cell = cells.get(c).map_or("-".to_string(), Cell::short);
                    line.push_str(&format!("  {cell:<w$}"));
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
            if rows.is_empty() {
                out.push_str("(no RoleBinding or ClusterRoleBinding grants anything to a non-system subject)\n");
            }
            out.push_str("\n`cluster` = in every namespace; otherwise the namespaces listed. `palisade who-can VERB RESOURCE` shows the bindings and rules behind a cell.\n");
            out
        }
    };
    output::write(None, &text)?;
    Ok(exit::CLEAN)
}
