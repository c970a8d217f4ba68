//! Frameworks that declare routes on objects — Flask (apps and blueprints), FastAPI (apps and
//! routers) and aiohttp (applications, route tables, sub-applications): each route is placed
//! under every app it ends up in, following `register_blueprint`, `include_router`,
//! `add_subapp` and `add_routes`, with the prefixes joined the way the framework joins them
//! and the checks of every level (`before_request` guards, middlewares, router and include
//! dependencies) added to the route's own.

use super::facts::{FileFacts, Mount, ObjKind, Ref, Route};
use super::project::Project;
use super::words::is_auth_name;
use super::{AuthCheck, Endpoint, Handler, sort_methods};
use std::collections::BTreeMap;

/// HTTP method handlers of a class view.
/// (`head` and `options` are left out: frameworks answer them for every view.)
const VERBS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// An app, blueprint, router or route table in one of the places it is mounted.
#[derive(Clone)]
struct Placement {
    root: String,
    prefix: String,
    checks: Vec<AuthCheck>,
    /// Mounted, somewhere on the way to the root, only in development.
    dev_only: bool,
}

pub fn endpoints(p: &Project) -> Vec<Endpoint> {
    let mut by_owner: BTreeMap<String, Vec<(&FileFacts, &Route)>> = BTreeMap::new();
    let mut mounts: BTreeMap<String, Vec<&Mount>> = BTreeMap::new();
    for file in &p.files {
        for route in &file.routes {
            by_owner
                .entry(p.canonical(&route.owner.qualified))
                .or_default()
                .push((file, route));
        }
        for mount in &file.mounts {
            mounts
                .entry(p.canonical(&mount.child.qualified))
                .or_default()
                .push(mount);
        }
    }
    let mut out = Vec::new();
    for (owner, routes) in by_owner {
        let framework = framework_of(p, &owner, routes[0].0);
        let mut placements = placements(p, &owner, framework, &mounts, &mut Vec::new());
        if framework == "aiohttp"
            && p.object(&key_ref(&owner)).is_none()
            && !mounts.contains_key(&owner)
        {
            let adopted = guarded_apps_of_file(p, routes[0].0, &mounts);
            if !adopted.is_empty() {
                placements = adopted;
            }
        }
        for placement in &placements {
            for (file, route) in &routes {
                out.extend(route_endpoints(p, framework, placement, file, route));
            }
        }
    }
    out
}

fn key_ref(key: &str) -> Ref {
    Ref {
        text: key.to_string(),
        qualified: key.to_string(),
    }
}

/// For aiohttp routes added to a name that is no application of the scan — the parameter of
/// a registration method, `def _register_auth(self, app): app.add_routes([...])` — the
/// applications that the same file creates with authentication middlewares
/// (`web.Application(middlewares=[self.security.token_validation])`): a registration
/// helper next to the application it serves registers on it. Applications without such a
/// middleware are left out, so the routes stay unauthenticated when no guarded application
/// is in the file.
fn guarded_apps_of_file(
    p: &Project,
    file: &FileFacts,
    mounts: &BTreeMap<String, Vec<&Mount>>,
) -> Vec<Placement> {
    let mut out = Vec::new();
    for object in &file.objects {
        if object.kind != ObjKind::AiohttpApp {
            continue;
        }
        let key = p.canonical(&object.qualified);
        out.extend(
            placements(p, &key, "aiohttp", mounts, &mut Vec::new())
                .into_iter()
                .filter(|placement| !placement.checks.is_empty()),
        );
    }
    out
}

fn framework_of(p: &Project, owner: &str, file: &FileFacts) -> &'static str {
    let reference = Ref {
        text: owner.to_string(),
        qualified: owner.to_string(),
    };
    if let Some((_, object)) = p.object(&reference) {
        return match object.kind {
            ObjKind::FlaskApp | ObjKind::Blueprint => "flask",
            ObjKind::FastApi | ObjKind::ApiRouter => "fastapi",
            ObjKind::AiohttpApp | ObjKind::RouteTable => "aiohttp",
            ObjKind::DrfRouter => "django",
        };
    }
    for (package, framework) in [
        ("flask", "flask"),
        ("quart", "flask"),
        ("fastapi", "fastapi"),
        ("starlette", "fastapi"),
        ("aiohttp", "aiohttp"),
    ] {
        if file.frameworks.contains(&package) {
            return framework;
        }
    }
    "flask"
}

/// Joins a prefix and a path the way the framework does.
fn join(framework: &str, prefix: &str, path: &str) -> String {
    match framework {
        "flask" => {
            if prefix.is_empty() {
                path.to_string()
            } else if path.is_empty() {
                prefix.to_string()
            } else {
                format!(
                    "{}/{}",
                    prefix.trim_end_matches('/'),
                    path.trim_start_matches('/')
                )
            }
        }
        "aiohttp" => format!("{}{}", prefix.trim_end_matches('/'), path),
        _ => format!("{prefix}{path}"),
    }
}

/// Every place an object is mounted: its root app, joined prefix and inherited checks.
fn placements(
    p: &Project,
    key: &str,
    framework: &str,
    mounts: &BTreeMap<String, Vec<&Mount>>,
    seen: &mut Vec<String>,
) -> Vec<Placement> {
    let reference = Ref {
        text: key.to_string(),
        qualified: key.to_string(),
    };
    let object = p.object(&reference).map(|(_, o)| o);
    let own_prefix = object.and_then(|o| o.prefix.clone());
    let mut own_checks: Vec<AuthCheck> = Vec::new();
    let guard_kind = if framework == "flask" {
        "before_request"
    } else {
        "middleware"
    };
    for file in &p.files {
        for guard in &file.guards {
            if p.canonical(&guard.owner.qualified) == key
                && let Some(check) = p.guard_check(guard, guard_kind)
            {
                own_checks.push(check);
            }
        }
    }
    if let Some(o) = object {
        own_checks.extend(
            o.dependencies
                .iter()
                .filter_map(|d| p.dependency_check(d, 1)),
        );
        if let Some((_, class)) = o.class.as_ref().and_then(|c| p.class(c)) {
            own_checks.extend(p.class_dependency_checks(class));
        }
    }
    let parents = mounts.get(key).cloned().unwrap_or_default();
    if parents.is_empty() || seen.contains(&key.to_string()) || seen.len() > 8 {
        return vec![Placement {
            root: key.to_string(),
            prefix: own_prefix.unwrap_or_default(),
            checks: own_checks,
            dev_only: false,
        }];
    }
    seen.push(key.to_string());
    let mut out = Vec::new();
    for mount in parents {
        let parent = p.canonical(&mount.parent.qualified);
        let mount_checks: Vec<AuthCheck> = mount
            .dependencies
            .iter()
            .filter_map(|d| p.dependency_check(d, 1))
            .collect();
        for above in placements(p, &parent, framework, mounts, seen) {
            let prefix = match framework {
                "flask" => {
                    let own = mount
                        .prefix
                        .clone()
                        .or(own_prefix.clone())
                        .unwrap_or_default();
                    join("flask", &above.prefix, &own)
                }
                "fastapi" => format!(
                    "{}{}{}",
                    above.prefix,
                    mount.prefix.as_deref().unwrap_or(""),
                    own_prefix.as_deref().unwrap_or("")
                ),
                _ => format!(
                    "{}{}",
                    above.prefix.trim_end_matches('/'),
                    mount.prefix.as_deref().unwrap_or("").trim_end_matches('/')
                ),
            };
            let mut checks = above.checks.clone();
            checks.extend(mount_checks.iter().cloned());
            checks.extend(own_checks.iter().cloned());
            out.push(Placement {
                root: above.root,
                prefix,
                checks,
                dev_only: above.dev_only || mount.dev_only,
            });
        }
    }
    seen.pop();
    out
}

fn route_endpoints(
    p: &Project,
    framework: &'static str,
    placement: &Placement,
    file: &FileFacts,
    route: &Route,
) -> Vec<Endpoint> {
    let mut checks = placement.checks.clone();
    checks.extend(route.wrappers.iter().filter_map(|w| p.decorator_check(w)));
    checks.extend(
        route
            .dependencies
            .iter()
            .filter_map(|d| p.dependency_check(d, 1)),
    );
    let mut path = join(framework, &placement.prefix, &route.path);
    if path.is_empty() {
        path = "/".to_string();
    }
    let endpoint =
        |methods: Vec<String>, checks: Vec<AuthCheck>, handler: Handler, loose: bool| Endpoint {
            framework,
            methods,
            path: path.clone(),
            handler,
            checks,
            app: placement.root.clone(),
            allow_any: None,
            loose_signature: loose,
            declared: route.location.clone(),
            public: None,
            undecided: placement.dev_only.then_some("development only"),
        };
    let function = (!route.class_view)
        .then(|| p.function(&route.handler))
        .flatten();
    if let Some((hfile, f)) = function {
        if let Some(class) = &f.class
            && let Some((_, class)) = p.class(&key_ref(class))
        {
            checks.extend(p.class_dependency_checks(class));
        }
        checks.extend(f.decorators.iter().filter_map(|d| p.decorator_check(d)));
        checks.extend(p.function_dependency_checks(f, 1));
        checks.extend(p.inline_checks(hfile, f));
        let mut methods = route.methods.clone();
        if methods.is_empty() {
            methods.push("GET".to_string());
        }
        sort_methods(&mut methods);
        let handler = Handler {
            path: hfile.path.clone(),
            line: f.line,
            name: f.name.clone(),
            location: f.location.clone(),
            resolved: true,
        };
        return vec![endpoint(methods, checks, handler, f.body.loose_signature)];
    }
    if let Some((cfile, class)) = p.class(&route.handler) {
        let chain = p.class_chain(class);
        // Class-level checks: auth mixins, `decorators = [...]`, class decorators.
        for c in &chain {
            for base in &c.bases {
                if is_auth_name(base.last()) && p.class(base).is_none() {
                    checks.push(AuthCheck {
                        name: base.last().to_string(),
                        api_key: false,
                        scopes: Vec::new(),
                        definition: None,
                        applied: c.location.clone(),
                        identity: p.canonical(&base.qualified),
                        single_key: false,
                        scope_aware: false,
                        signature: false,
                    });
                }
            }
            for d in &c.decorators {
                checks.extend(p.decorator_check(d));
            }
        }
        for name in ["decorators", "method_decorators"] {
            if let Some(attr) = p.class_attr(class, name) {
                checks.extend(attr.items.iter().filter_map(|d| p.decorator_check(d)));
            }
        }
        // Per method: its own decorators and inline checks.
        let mut groups: Vec<(Vec<String>, Vec<AuthCheck>, bool)> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for c in &chain {
            for m in &c.methods {
                let verb = m.to_ascii_uppercase();
                if !VERBS.contains(&m.as_str()) || seen.contains(&verb) {
                    continue;
                }
                if !route.methods.is_empty() && !route.methods.contains(&verb) {
                    continue;
                }
                seen.push(verb.clone());
                let mut own = Vec::new();
                let mut loose = false;
                let method_ref = Ref {
                    text: m.clone(),
                    qualified: format!("{}.{m}", c.qualified),
                };
                if let Some((mfile, f)) = p.function(&method_ref) {
                    own.extend(f.decorators.iter().filter_map(|d| p.decorator_check(d)));
                    own.extend(p.inline_checks(mfile, f));
                    loose = f.body.loose_signature;
                }
                let names: Vec<String> = own.iter().map(|c| c.name.clone()).collect();
                match groups
                    .iter_mut()
                    .find(|(_, g, _)| g.iter().map(|c| c.name.clone()).collect::<Vec<_>>() == names)
                {
                    Some(group) => group.0.push(verb),
                    None => groups.push((vec![verb], own, loose)),
                }
            }
        }
        if groups.is_empty() {
            let methods = if route.methods.is_empty() {
                vec!["GET".to_string()]
            } else {
                route.methods.clone()
            };
            groups.push((methods, Vec::new(), false));
        }
        let handler = Handler {
            path: cfile.path.clone(),
            line: class.line,
            name: class.name.clone(),
            location: class.location.clone(),
            resolved: true,
        };
        return groups
            .into_iter()
            .map(|(mut methods, own, loose)| {
                sort_methods(&mut methods);
                let mut all = checks.clone();
                all.extend(own);
                endpoint(methods, all, handler.clone(), loose)
            })
            .collect();
    }
    // A handler defined outside the scan: its route declaration stands for it.
    let mut methods = route.methods.clone();
    if methods.is_empty() {
        methods.push("GET".to_string());
    }
    let handler = Handler {
        path: file.path.clone(),
        line: route.location.span.start_line,
        name: route.handler.text.clone(),
        location: route.location.clone(),
        resolved: false,
    };
    vec![endpoint(methods, checks, handler, false)]
}
