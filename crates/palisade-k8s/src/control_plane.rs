//! Control-plane components and their command-line flags, as the control-plane rules see them.
//!
//! A component is recognised by the program a container runs, never by the container's or
//! the pod's name: the first item of `command` (`kube-apiserver`,
//! `/usr/local/bin/kube-apiserver`, or `hyperkube` followed by the component), or, when the
//! container has no `command`, the first item of `args`; a flag is never a program
//! (`--kubelet-service=kube-system/kubelet` does not make a kubelet). A container with no
//! `command` whose `args` are only flags runs its image's entrypoint: it is recognised by its
//! image (`registry.k8s.io/kube-apiserver:…`, `quay.io/coreos/etcd:…`), and since that
//! entrypoint may add flags of its own, only the flags it sets are judged, never a missing
//! one. Its flags are the remaining items of
//! `command` followed by every item of `args`, as the kubelet joins them. A flag is written
//! `--name=value`, or `--name value` (two items) for a flag that takes a value; a boolean
//! flag written bare (`--profiling`) is true and never takes the next item, as Go's flag
//! parsers read it. A program started through a shell (`sh -c "exec kube-apiserver …"`) is
//! not recognised. `_` and `-` in names are the same, as Kubernetes normalises them. When a
//! flag is repeated, the last occurrence wins.
//!
//! kubeadm configuration documents are read too: `extraArgs` of `apiServer`,
//! `controllerManager`, `scheduler` and `etcd.local` in a `ClusterConfiguration`, and
//! `nodeRegistration.kubeletExtraArgs` in an `InitConfiguration` or `JoinConfiguration`,
//! whether written as a map (v1beta3 and earlier) or as a list of `{name, value}` (v1beta4),
//! including the configurations Cluster API embeds in `KubeadmControlPlane`, `KubeadmConfig`
//! and their templates.
//! kubeadm supplies its own defaults for flags that are not listed there, so only what such a
//! document sets explicitly is judged: a missing flag is never reported for it.

use crate::object::Object;
use crate::yaml::{entry, get, get_path, get_str, items, scalar};
use crate::{node_span, nodes_span};
use palisade_core::Span;
use saphyr::MarkedYaml;

/// A control-plane or node component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
    Kubelet,
}

impl Component {
    /// The program's name.
    pub fn name(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::Etcd => "etcd",
            Component::Kubelet => "kubelet",
        }
    }

    /// The component an executable runs: `kube-apiserver`, `/usr/local/bin/kube-apiserver`.
    /// A flag is never an executable, whatever it ends with (`--kubelet-service=kube-system/kubelet`
    /// is the Prometheus operator's flag, not a kubelet).
    pub fn from_executable(word: &str) -> Option<Component> {
        let word = word.trim();
        if word.starts_with('-') || word.contains(['=', ' ', ',']) {
            return None;
        }
        let base = basename(word);
        Some(match base {
            "kube-apiserver" => Component::ApiServer,
            "kube-controller-manager" => Component::ControllerManager,
            "kube-scheduler" => Component::Scheduler,
            "etcd" => Component::Etcd,
            "kubelet" => Component::Kubelet,
            _ => return None,
        })
    }

    /// The component an image runs when the container gives it only flags: the image of a
    /// component (`registry.k8s.io/kube-apiserver:v1.30.2`, `…/kube-scheduler-amd64`,
    /// `quay.io/coreos/etcd:v3.5.15`).
    fn from_image(image: &str) -> Option<Component> {
        let name = crate::facts::image_name(image);
        let name = ["-amd64", "-arm64", "-arm", "-ppc64le", "-s390x"]
            .iter()
            .find_map(|arch| name.strip_suffix(arch))
            .unwrap_or(&name);
        Component::from_executable(name)
    }

    /// The component a `hyperkube` subcommand runs (`kube-apiserver` or `apiserver`).
    fn from_hyperkube(word: &str) -> Option<Component> {
        Some(match word {
            "kube-apiserver" | "apiserver" => Component::ApiServer,
            "kube-controller-manager" | "controller-manager" => Component::ControllerManager,
            "kube-scheduler" | "scheduler" => Component::Scheduler,
            "kubelet" => Component::Kubelet,
            _ => return None,
        })
    }
}

fn basename(word: &str) -> &str {
    let base = word.trim().rsplit(['/', '\\']).next().unwrap_or(word);
    base.strip_suffix(".exe").unwrap_or(base)
}

/// One occurrence of a flag.
#[derive(Clone, Copy, Debug)]
pub struct Flag<'a> {
    /// The value as written; `None` for a boolean flag written bare (which means true).
    pub value: Option<&'a str>,
    /// The flag's item (and its value's item when the value is the next item).
    pub span: Span,
}

impl<'a> Flag<'a> {
    /// The value as text, `true` for a bare boolean flag.
    pub fn text(&self) -> &'a str {
        self.value.unwrap_or("true")
    }

    /// The value read as Go's `strconv.ParseBool` reads it; `None` when it is not a boolean.
    pub fn truth(&self) -> Option<bool> {
        parse_bool(self.text())
    }
}

/// Go's `strconv.ParseBool`, which both pflag and Go's flag package use.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Whether an address means "every interface".
pub fn is_all_interfaces(address: &str) -> bool {
    matches!(
        address.trim().trim_matches(['[', ']']),
        "0.0.0.0" | "::" | "0:0:0:0:0:0:0:0"
    )
}

/// Whether every URL of a comma-separated list (etcd's `--listen-client-urls`) listens on the
/// loopback interface or a unix socket only: then nothing off the host (or the pod) reaches it.
pub fn only_loopback(urls: &str) -> bool {
    let mut any = false;
    for url in urls.split(',').map(str::trim).filter(|u| !u.is_empty()) {
        any = true;
        let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
        if scheme.starts_with("unix") {
            continue;
        }
        let authority = rest.split('/').next().unwrap_or(rest);
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
        };
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host == "::1"
            || host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !loopback {
            return false;
        }
    }
    any
}

/// Where a component's flags come from.
enum Source<'a> {
    /// Command-line items after the executable, in order; and the container's `env`, which
    /// etcd also reads its settings from.
    Command {
        items: Vec<&'a MarkedYaml<'a>>,
        env: Option<&'a MarkedYaml<'a>>,
    },
    /// kubeadm `extraArgs`: a map or a list of `{name, value}`.
    Kubeadm(&'a MarkedYaml<'a>),
}

/// One run of a component: a container's command line or a kubeadm `extraArgs` block.
pub struct Invocation<'a> {
    pub component: Component,
    describe: String,
    anchor: Span,
    source: Source<'a>,
    /// Recognised by its image, the container giving only flags: the image's entrypoint
    /// (a wrapper script, as in Bitnami's images, may set more) is unknown.
    by_image: bool,
}

impl<'a> Invocation<'a> {
    /// `container `kube-apiserver` of Pod kube-system/kube-apiserver-cp-1`, for messages.
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// Whether a missing flag can be judged: true for a container's command line, false for
    /// kubeadm configuration (kubeadm fills in its own defaults) and for a component
    /// recognised by its image (its entrypoint may add flags).
    pub fn judges_missing(&self) -> bool {
        matches!(self.source, Source::Command { .. }) && !self.by_image
    }

    /// Where a finding about a missing flag is reported: the container's `command:` key, or
    /// its `args:` key when the component was recognised there.
    pub fn missing_span(&self) -> Span {
        self.anchor
    }

    /// The last occurrence of a flag that takes a value (`--name=value` or `--name value`).
    pub fn flag(&self, name: &str) -> Option<Flag<'a>> {
        self.occurrences(name, false).pop()
    }

    /// The last occurrence of a boolean flag (`--name=value`, or bare `--name` for true).
    pub fn bool_flag(&self, name: &str) -> Option<Flag<'a>> {
        self.occurrences(name, true).pop()
    }

    /// Every occurrence of a flag that takes a value, in order.
    pub fn flags(&self, name: &str) -> Vec<Flag<'a>> {
        self.occurrences(name, false)
    }

    /// Whether the flag is given at all (with any value).
    pub fn has(&self, name: &str) -> bool {
        !self.occurrences(name, true).is_empty()
    }

    fn occurrences(&self, name: &str, boolean: bool) -> Vec<Flag<'a>> {
        match &self.source {
            Source::Command { items, env } => {
                let mut found = command_flags(items, name, boolean);
                if found.is_empty() && self.component == Component::Etcd {
                    // etcd reads every flag from ETCD_<NAME> too; the command line wins.
                    found.extend(env.and_then(|env| etcd_env(env, name)));
                }
                found
            }
            Source::Kubeadm(args) => kubeadm_flags(args, name),
        }
    }
}

/// Whether a command-line item names the flag, and its `=value` part if any.
fn split_flag<'t>(item: &'t str, name: &str) -> Option<Option<&'t str>> {
    let body = item.trim();
    let body = body.strip_prefix("--").or_else(|| body.strip_prefix('-'))?;
    let (flag, value) = match body.split_once('=') {
        Some((flag, value)) => (flag, Some(value)),
        None => (body, None),
    };
    same_name(flag, name).then_some(value)
}

fn same_name(written: &str, name: &str) -> bool {
    written.len() == name.len()
        && written
            .bytes()
            .zip(name.bytes())
            .all(|(a, b)| a == b || (a == b'_' && b == b'-'))
}

fn command_flags<'a>(items: &[&'a MarkedYaml<'a>], name: &str, boolean: bool) -> Vec<Flag<'a>> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let item = items[i];
        i += 1;
        let Some(text) = scalar(item) else { continue };
        if text.trim() == "--" {
            break; // everything after `--` is a positional argument
        }
        let Some(value) = split_flag(text, name) else {
            continue;
        };
        match value {
            Some(value) => found.push(Flag {
                value: Some(value),
                span: node_span(item),
            }),
            None if boolean => found.push(Flag {
                value: None,
                span: node_span(item),
            }),
            None => {
                let next = items.get(i).copied();
                let value = next.and_then(scalar);
                if value.is_some() {
                    i += 1;
                }
                found.push(Flag {
                    value: Some(value.unwrap_or("")),
                    span: next.map_or_else(|| node_span(item), |n| nodes_span(item, n)),
                });
            }
        }
    }
    found
}

fn etcd_env<'a>(env: &'a MarkedYaml<'a>, name: &str) -> Option<Flag<'a>> {
    let wanted: String = format!("ETCD_{}", name.replace('-', "_").to_ascii_uppercase());
    items(env)
        .iter()
        .filter(|var| get_str(var, "name") == Some(wanted.as_str()))
        .filter_map(|var| {
            let value = get(var, "value").and_then(scalar)?;
            Some(Flag {
                value: Some(value),
                span: node_span(var),
            })
        })
        .next_back()
}

fn kubeadm_flags<'a>(args: &'a MarkedYaml<'a>, name: &str) -> Vec<Flag<'a>> {
    let mut found = Vec::new();
    if let saphyr::YamlData::Mapping(map) = &args.data {
        for (key, value) in map {
            if scalar(key).is_some_and(|k| same_name(k, name)) {
                found.push(Flag {
                    value: Some(scalar(value).unwrap_or("")),
                    span: crate::key_value_span(key, value),
                });
            }
        }
    }
    for arg in items(args) {
        if get_str(arg, "name").is_some_and(|k| same_name(k, name)) {
            found.push(Flag {
                value: Some(get_str(arg, "value").unwrap_or("")),
                span: node_span(arg),
            });
        }
    }
    found
}

/// Every component run by an object: its containers' command lines, or the `extraArgs` of a
/// kubeadm configuration document.
pub fn invocations<'a>(object: &'a Object<'a, 'a>) -> Vec<Invocation<'a>> {
    let mut out = Vec::new();
    for container in object.containers() {
        if let Some(inv) = from_container(container.node) {
            let (component, anchor, items, by_image) = inv;
            out.push(Invocation {
                component,
                describe: format!("{} of {}", container.describe(), object.describe()),
                anchor,
                source: Source::Command {
                    items,
                    env: get(container.node, "env"),
                },
                by_image,
            });
        }
    }
    for (base, config) in kubeadm_documents(object) {
        let blocks: &[(&[&str], Component)] = match config {
            "ClusterConfiguration" => &[
                (&["apiServer", "extraArgs"], Component::ApiServer),
                (
                    &["controllerManager", "extraArgs"],
                    Component::ControllerManager,
                ),
                (&["scheduler", "extraArgs"], Component::Scheduler),
                (&["etcd", "local", "extraArgs"], Component::Etcd),
            ],
            _ => &[(
                &["nodeRegistration", "kubeletExtraArgs"],
                Component::Kubelet,
            )],
        };
        for (path, component) in blocks {
            let Some(args) = get_path(base, path) else {
                continue;
            };
            let (parent, last) = path.split_at(path.len() - 1);
            let anchor = get_path(base, parent)
                .and_then(|p| entry(p, last[0]))
                .map_or_else(|| node_span(args), |(key, _)| node_span(key));
            out.push(Invocation {
                component: *component,
                describe: format!(
                    "`{}` of {}",
                    path.join("."),
                    describe_kubeadm(object, config)
                ),
                anchor,
                source: Source::Kubeadm(args),
                by_image: false,
            });
        }
    }
    out
}

/// The kubeadm configurations in an object, with their kind: a kubeadm document itself, or
/// the ones Cluster API embeds in `KubeadmControlPlane`, `KubeadmConfig` and their templates.
fn kubeadm_documents<'a>(object: &'a Object<'a, 'a>) -> Vec<(&'a MarkedYaml<'a>, &'static str)> {
    const KINDS: [(&str, &str); 3] = [
        ("ClusterConfiguration", "clusterConfiguration"),
        ("InitConfiguration", "initConfiguration"),
        ("JoinConfiguration", "joinConfiguration"),
    ];
    let spec: &[&str] = match (object.group(), object.kind) {
        ("kubeadm.k8s.io", kind) => {
            return KINDS
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(k, _)| (object.node, *k))
                .collect();
        }
        ("controlplane.cluster.x-k8s.io", "KubeadmControlPlane") => &["spec", "kubeadmConfigSpec"],
        ("controlplane.cluster.x-k8s.io", "KubeadmControlPlaneTemplate") => {
            &["spec", "template", "spec", "kubeadmConfigSpec"]
        }
        ("bootstrap.cluster.x-k8s.io", "KubeadmConfig") => &["spec"],
        ("bootstrap.cluster.x-k8s.io", "KubeadmConfigTemplate") => &["spec", "template", "spec"],
        _ => return Vec::new(),
    };
    let Some(spec) = get_path(object.node, spec) else {
        return Vec::new();
    };
    KINDS
        .iter()
        .filter_map(|(kind, field)| get(spec, field).map(|c| (c, *kind)))
        .collect()
}

fn describe_kubeadm(object: &Object<'_, '_>, config: &str) -> String {
    if object.group() == "kubeadm.k8s.io" {
        format!("kubeadm {config}")
    } else {
        format!("the {config} of {}", object.describe())
    }
}

fn word<'a>(node: Option<&'a MarkedYaml<'a>>) -> Option<&'a str> {
    node.and_then(scalar).map(str::trim)
}

/// The component, the key findings about missing flags point at, the items that carry its
/// flags, and whether it was recognised by its image.
type Recognised<'a> = (Component, Span, Vec<&'a MarkedYaml<'a>>, bool);

fn from_container<'a>(container: &'a MarkedYaml<'a>) -> Option<Recognised<'a>> {
    let command = entry(container, "command");
    let args = entry(container, "args");
    let command_items: &[MarkedYaml<'a>] = command.map_or(&[], |(_, v)| items(v));
    let arg_items: &[MarkedYaml<'a>] = args.map_or(&[], |(_, v)| items(v));

    let mut by_image = false;
    let (component, anchor_key, skip_command, skip_args) =
        if let Some(first) = word(command_items.first()) {
            let key = command.map(|(k, _)| k)?;
            if let Some(c) = Component::from_executable(first) {
                (c, key, 1, 0)
            } else if basename(first) == "hyperkube" {
                if command_items.len() > 1 {
                    (
                        Component::from_hyperkube(word(command_items.get(1))?)?,
                        key,
                        2,
                        0,
                    )
                } else {
                    (
                        Component::from_hyperkube(word(arg_items.first())?)?,
                        key,
                        1,
                        1,
                    )
                }
            } else {
                return None;
            }
        } else if command_items.is_empty() {
            let first = word(arg_items.first())?;
            let key = args.map(|(k, _)| k)?;
            if first.starts_with('-') {
                // Only flags: the image's entrypoint is the program.
                by_image = true;
                (
                    Component::from_image(get_str(container, "image")?)?,
                    key,
                    0,
                    0,
                )
            } else {
                (Component::from_executable(first)?, key, 0, 1)
            }
        } else {
            return None;
        };
    let flags = command_items
        .iter()
        .skip(skip_command)
        .chain(arg_items.iter().skip(skip_args))
        .collect();
    Some((component, node_span(anchor_key), flags, by_image))
}

/// A configuration document for messages: `KubeletConfiguration node-pool-a`, or
/// `the KubeletConfiguration` when it has no name (the usual case for a config file).
pub fn describe_document(object: &Object<'_, '_>) -> String {
    if object.name == "<unnamed>" {
        format!("the {}", object.kind)
    } else {
        object.describe()
    }
}

/// The body of a `KubeletConfiguration` document (`kubelet.config.k8s.io`, any version).
pub fn kubelet_configuration<'a>(object: &'a Object<'_, '_>) -> Option<&'a MarkedYaml<'a>> {
    (object.group() == "kubelet.config.k8s.io" && object.kind == "KubeletConfiguration")
        .then_some(object.node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::objects;
    use crate::yaml::load;

    fn with_invocations(text: &str, f: impl FnOnce(&[Invocation<'_>])) {
        let (docs, errors) = load(text);
        assert!(errors.is_empty(), "{errors:?}");
        let objs = objects(&docs[0].root);
        let inv = invocations(&objs[0]);
        f(&inv);
    }

    #[test]
    fn reads_flags_in_both_forms() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: kube-system}\nspec:\n  containers:\n  - name: x\n    command:\n    - /usr/local/bin/kube-apiserver\n    - --profiling\n    - --audit-log-path\n    - /var/log/audit.log\n    - --anonymous_auth=false\n    args: [\"--authorization-mode=Node\", \"--authorization-mode=Node,RBAC\"]\n";
        with_invocations(text, |inv| {
            assert_eq!(inv.len(), 1);
            let inv = &inv[0];
            assert_eq!(inv.component, Component::ApiServer);
            assert_eq!(inv.missing_span().start_line, 7);
            let p = inv.bool_flag("profiling").unwrap();
            assert_eq!((p.truth(), p.span.start_line), (Some(true), 9));
            let a = inv.flag("audit-log-path").unwrap();
            assert_eq!(a.value, Some("/var/log/audit.log"));
            assert_eq!((a.span.start_line, a.span.end_line), (10, 11));
            assert_eq!(
                inv.bool_flag("anonymous-auth").unwrap().truth(),
                Some(false)
            );
            assert_eq!(
                inv.flag("authorization-mode").unwrap().value,
                Some("Node,RBAC")
            );
            assert!(!inv.has("encryption-provider-config"));
        });
    }

    #[test]
    fn recognises_components_by_program_only() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers:\n      - name: kube-apiserver-proxy\n        command: [\"/bin/proxy\", \"--profiling=true\"]\n      - name: app\n        args: [\"etcd\", \"--auto-tls\"]\n        env: [{name: ETCD_CLIENT_CERT_AUTH, value: \"true\"}]\n      - name: hk\n        command: [\"/hyperkube\", \"scheduler\", \"--bind-address=0.0.0.0\"]\n";
        with_invocations(text, |inv| {
            let names: Vec<_> = inv.iter().map(|i| i.component).collect();
            assert_eq!(names, [Component::Etcd, Component::Scheduler]);
            assert_eq!(inv[0].bool_flag("auto-tls").unwrap().truth(), Some(true));
            assert_eq!(
                inv[0].bool_flag("client-cert-auth").unwrap().truth(),
                Some(true)
            );
            assert_eq!(inv[1].flag("bind-address").unwrap().value, Some("0.0.0.0"));
        });
    }

    #[test]
    fn loopback_only_listeners() {
        for only in [
            "https://127.0.0.1:2379",
            "http://localhost:2379,unix://etcd.sock",
            "https://[::1]:2379",
        ] {
            assert!(only_loopback(only), "{only}");
        }
        for exposed in [
            "https://127.0.0.1:2379,https://10.20.0.11:2379",
            "https://0.0.0.0:2379",
            "http://[::]:2379",
            "",
        ] {
            assert!(!only_loopback(exposed), "{exposed}");
        }
    }

    #[test]
    fn flags_are_not_programs_and_images_name_components() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers:\n      - name: operator\n        image: quay.io/prometheus-operator/prometheus-operator:v0.76.0\n        args: [\"--kubelet-service=kube-system/kubelet\"]\n      - name: apiserver\n        image: registry.k8s.io/kube-apiserver-amd64:v1.30.2\n        args: [\"--profiling=true\"]\n";
        with_invocations(text, |inv| {
            let names: Vec<_> = inv.iter().map(|i| i.component).collect();
            assert_eq!(names, [Component::ApiServer]);
            assert!(!inv[0].judges_missing());
            assert_eq!(inv[0].bool_flag("profiling").unwrap().truth(), Some(true));
        });
    }

    #[test]
    fn reads_kubeadm_extra_args_in_both_versions() {
        let v3 = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    profiling: \"true\"\n";
        with_invocations(v3, |inv| {
            assert_eq!(inv.len(), 1);
            assert!(!inv[0].judges_missing());
            let f = inv[0].bool_flag("profiling").unwrap();
            assert_eq!((f.truth(), f.span.start_line), (Some(true), 5));
        });
        let v4 = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrollerManager:\n  extraArgs:\n  - name: bind-address\n    value: 0.0.0.0\n";
        with_invocations(v4, |inv| {
            assert_eq!(inv[0].component, Component::ControllerManager);
            let f = inv[0].flag("bind-address").unwrap();
            assert_eq!((f.value, f.span.start_line), (Some("0.0.0.0"), 5));
        });
    }
}
