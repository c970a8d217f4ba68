//! The model of one GitHub Actions workflow file, as the `ci/` rules ask about it: its
//! triggers, its token permissions, and its jobs with their runners and steps, each value
//! with the line it is written on.
//!
//! GitHub reads workflows as YAML 1.2: `on:` is a key, not the boolean YAML 1.1 makes of it,
//! and `true`/`false` are the only booleans. Scalars are kept as written; a value that is an
//! expression (`${{ … }}`) is kept as text for [`crate::expressions`] to read.

use palisade_syntax::yaml::{MarkedYaml, YamlData, entry, get, items, scalar};

/// A scalar value and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    /// 1-based line of the value (for a block scalar, the line of its `|` or `>` indicator).
    pub line: u32,
}

/// The token permissions a workflow or a job declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Permissions {
    /// `permissions: write-all`.
    WriteAll,
    /// `permissions: read-all`.
    ReadAll,
    /// A mapping of scopes to `read`, `write` or `none` (`{}` grants nothing).
    Scopes(Vec<(String, String)>),
    /// Anything else (an expression, a typo): GitHub rejects the workflow.
    Other(String),
}

impl Permissions {
    /// The scopes granted `write` (every scope for `write-all`).
    pub fn write_scopes(&self) -> Vec<&str> {
        match self {
            Permissions::WriteAll => vec!["all"],
            Permissions::Scopes(scopes) => scopes
                .iter()
                .filter(|(_, level)| level == "write")
                .map(|(scope, _)| scope.as_str())
                .collect(),
            Permissions::ReadAll | Permissions::Other(_) => Vec::new(),
        }
    }
}

/// One step of a job.
#[derive(Clone, Debug, Default)]
pub struct Step {
    /// The line of the step's first key.
    pub line: u32,
    pub name: Option<String>,
    /// `uses: owner/repo@ref`, `./local`, `docker://image`.
    pub uses: Option<Value>,
    /// The shell script of `run:`.
    pub run: Option<Value>,
    /// The inputs of `with:`, in order.
    pub with: Vec<(String, Value)>,
    /// The step's `env:`, in order.
    pub env: Vec<(String, Value)>,
}

/// One job.
#[derive(Clone, Debug, Default)]
pub struct Job {
    pub id: String,
    /// The line of the job's key.
    pub line: u32,
    pub permissions: Option<(Permissions, u32)>,
    /// The labels of `runs-on` (a string, a list, or a `labels:` mapping); a runner group
    /// (`group:`) is kept as `group:<name>`.
    pub runs_on: Vec<Value>,
    pub steps: Vec<Step>,
    /// A reusable workflow the job calls (`uses:` at job level).
    pub uses: Option<Value>,
    /// `secrets:` of a reusable-workflow call: `inherit`, or the names passed.
    pub secrets: Vec<(String, Value)>,
    /// The job's `env:`.
    pub env: Vec<(String, Value)>,
}

/// One workflow file.
#[derive(Clone, Debug, Default)]
pub struct Workflow {
    /// The events that start it, each with its line (`on: push`, `on: [push, pull_request]`,
    /// or the keys of an `on:` mapping).
    pub triggers: Vec<Value>,
    /// The line of the `on:` key (1 when it is missing).
    pub on_line: u32,
    pub permissions: Option<(Permissions, u32)>,
    /// The workflow's `env:`.
    pub env: Vec<(String, Value)>,
    pub jobs: Vec<Job>,
}

impl Workflow {
    /// The model of a loaded workflow document; `None` when it is not a workflow (no `jobs:`
    /// mapping).
    pub fn from_yaml(root: &MarkedYaml<'_>) -> Option<Workflow> {
        let jobs = get(root, "jobs")?;
        let YamlData::Mapping(job_map) = &jobs.data else {
            return None;
        };
        let mut workflow = Workflow {
            on_line: 1,
            ..Workflow::default()
        };
        if let Some((key, on)) = entry(root, "on").or_else(|| entry(root, "true")) {
            workflow.on_line = line_of(key);
            workflow.triggers = triggers(on);
        }
        workflow.permissions = permissions(root);
        workflow.env = pairs(get(root, "env"));
        for (key, body) in job_map.iter() {
            let Some(id) = scalar(key) else { continue };
            workflow.jobs.push(job(id, line_of(key), body));
        }
        Some(workflow)
    }

    /// Whether any of the workflow's triggers is one of `events`.
    pub fn triggered_by(&self, events: &[&str]) -> bool {
        self.triggers
            .iter()
            .any(|t| events.contains(&t.text.as_str()))
    }

    /// The permissions a job runs with: its own, else the workflow's, else `None` (the
    /// repository's default, which palisade cannot see).
    pub fn effective_permissions<'a>(&'a self, job: &'a Job) -> Option<&'a (Permissions, u32)> {
        job.permissions.as_ref().or(self.permissions.as_ref())
    }
}

fn line_of(node: &MarkedYaml<'_>) -> u32 {
    node.span.start.line() as u32
}

fn value(node: &MarkedYaml<'_>) -> Option<Value> {
    scalar(node).map(|text| Value {
        text: text.to_string(),
        line: line_of(node),
    })
}

/// The entries of a mapping whose values are scalars, in order.
fn pairs(node: Option<&MarkedYaml<'_>>) -> Vec<(String, Value)> {
    let Some(YamlData::Mapping(map)) = node.map(|n| &n.data) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(k, v)| Some((scalar(k)?.to_string(), value(v)?)))
        .collect()
}

fn triggers(on: &MarkedYaml<'_>) -> Vec<Value> {
    match &on.data {
        YamlData::Mapping(map) => map.iter().filter_map(|(k, _)| value(k)).collect(),
        YamlData::Sequence(list) => list.iter().filter_map(value).collect(),
        _ => value(on).into_iter().collect(),
    }
}

fn permissions(node: &MarkedYaml<'_>) -> Option<(Permissions, u32)> {
    let (key, value) = entry(node, "permissions")?;
    let permissions = match &value.data {
        YamlData::Mapping(map) => Permissions::Scopes(
            map.iter()
                .filter_map(|(k, v)| Some((scalar(k)?.to_string(), scalar(v)?.to_string())))
                .collect(),
        ),
        _ => match scalar(value) {
            Some("write-all") => Permissions::WriteAll,
            Some("read-all") => Permissions::ReadAll,
            // `permissions:` with nothing after it, like `{}`, grants nothing.
            Some("") | None => Permissions::Scopes(Vec::new()),
            Some(other) => Permissions::Other(other.to_string()),
        },
    };
    Some((permissions, line_of(key)))
}

fn job(id: &str, line: u32, body: &MarkedYaml<'_>) -> Job {
    let runs_on = match get(body, "runs-on") {
        Some(node) => match &node.data {
            YamlData::Sequence(list) => list.iter().filter_map(value).collect(),
            YamlData::Mapping(_) => {
                let mut labels: Vec<Value> = get(node, "labels")
                    .map(|l| match &l.data {
                        YamlData::Sequence(list) => list.iter().filter_map(value).collect(),
                        _ => value(l).into_iter().collect(),
                    })
                    .unwrap_or_default();
                if let Some(group) = get(node, "group").and_then(value) {
                    labels.push(Value {
                        text: format!("group:{}", group.text),
                        line: group.line,
                    });
                }
                labels
            }
            _ => value(node).into_iter().collect(),
        },
        None => Vec::new(),
    };
    let secrets = match get(body, "secrets") {
        Some(node) if matches!(node.data, YamlData::Mapping(_)) => pairs(Some(node)),
        Some(node) => value(node)
            .map(|v| vec![(v.text.clone(), v)])
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Job {
        id: id.to_string(),
        line,
        permissions: permissions(body),
        runs_on,
        steps: get(body, "steps")
            .map(items)
            .unwrap_or(&[])
            .iter()
            .map(step)
            .collect(),
        uses: get(body, "uses").and_then(value),
        secrets,
        env: pairs(get(body, "env")),
    }
}

fn step(node: &MarkedYaml<'_>) -> Step {
    Step {
        line: line_of(node),
        name: get(node, "name").and_then(scalar).map(str::to_string),
        uses: get(node, "uses").and_then(value),
        run: get(node, "run").and_then(value),
        with: pairs(get(node, "with")),
        env: pairs(get(node, "env")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_syntax::yaml::load;

    fn workflow(text: &str) -> Workflow {
        let (docs, errors) = load(text);
        assert!(errors.is_empty(), "{errors:?}");
        Workflow::from_yaml(&docs[0].root).expect("a workflow")
    }

    #[test]
    fn reads_triggers_permissions_jobs_and_steps_with_lines() {
        let w = workflow(
            "name: CI\non:\n  pull_request_target:\n    types: [opened]\n  push:\npermissions:\n  contents: read\n  pull-requests: write\njobs:\n  test:\n    runs-on: [self-hosted, linux]\n    permissions: write-all\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - name: Test\n        run: |\n          make test\n",
        );
        let names: Vec<&str> = w.triggers.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(names, ["pull_request_target", "push"]);
        assert_eq!(w.on_line, 2);
        let (top, line) = w.permissions.as_ref().unwrap();
        assert_eq!(*line, 6);
        assert_eq!(top.write_scopes(), ["pull-requests"]);
        let job = &w.jobs[0];
        assert_eq!((job.id.as_str(), job.line), ("test", 10));
        assert_eq!(job.runs_on[0].text, "self-hosted");
        assert_eq!(job.permissions.as_ref().unwrap().0, Permissions::WriteAll);
        assert_eq!(job.steps[0].uses.as_ref().unwrap().line, 14);
        assert_eq!(job.steps[0].with[0].1.line, 16);
        assert_eq!(job.steps[1].run.as_ref().unwrap().text, "make test\n");
        assert!(w.triggered_by(&["pull_request_target"]));
    }

    #[test]
    fn a_file_without_jobs_is_not_a_workflow() {
        let (docs, _) = load("name: config\nvalues: [1, 2]\n");
        assert!(Workflow::from_yaml(&docs[0].root).is_none());
    }

    #[test]
    fn string_and_list_triggers() {
        assert_eq!(workflow("on: push\njobs: {}\n").triggers[0].text, "push");
        let w = workflow("on: [push, pull_request]\njobs: {}\n");
        assert_eq!(w.triggers.len(), 2);
    }
}
