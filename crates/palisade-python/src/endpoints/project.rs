//! Every file's facts together: definitions found by qualified name (across files, through
//! re-exports and whatever prefix the scan root adds to module names), and what each kind of
//! check — decorator, dependency, guard, mixin, inline comparison — amounts to.

use super::AuthCheck;
use super::facts::{
    AppObject, Call, Class, Dependency, DependencyAlias, FileFacts, Function, Guard, Ref,
    SecurityScheme, last,
};
use super::words::{is_auth_name, is_key_name};
use std::collections::HashMap;

/// Where a definition is: (file index, item index).
type At = (usize, usize);

/// The facts of every Python file of the scan, indexed.
pub struct Project {
    pub files: Vec<FileFacts>,
    functions: HashMap<String, At>,
    classes: HashMap<String, At>,
    objects: HashMap<String, At>,
    schemes: HashMap<String, At>,
    aliases: HashMap<String, At>,
    modules: HashMap<String, usize>,
    /// Last name part → qualified names of every definition and module, for names whose
    /// qualification differs in its prefix (`backend.shop.api` vs `shop.api`).
    by_last: HashMap<String, Vec<String>>,
}

/// How deep dependency chains and class hierarchies are followed.
const MAX_DEPTH: usize = 8;

impl Project {
    pub fn new(mut files: Vec<FileFacts>) -> Project {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut p = Project {
            files,
            functions: HashMap::new(),
            classes: HashMap::new(),
            objects: HashMap::new(),
            schemes: HashMap::new(),
            aliases: HashMap::new(),
            modules: HashMap::new(),
            by_last: HashMap::new(),
        };
        let mut names: Vec<String> = Vec::new();
        for (fi, f) in p.files.iter().enumerate() {
            p.modules.entry(f.module.clone()).or_insert(fi);
            names.push(f.module.clone());
            for (i, x) in f.functions.iter().enumerate() {
                p.functions.entry(x.qualified.clone()).or_insert((fi, i));
                names.push(x.qualified.clone());
            }
            for (i, x) in f.classes.iter().enumerate() {
                p.classes.entry(x.qualified.clone()).or_insert((fi, i));
                names.push(x.qualified.clone());
            }
            for (i, x) in f.objects.iter().enumerate() {
                p.objects.entry(x.qualified.clone()).or_insert((fi, i));
                names.push(x.qualified.clone());
            }
            for (i, x) in f.schemes.iter().enumerate() {
                p.schemes.entry(x.qualified.clone()).or_insert((fi, i));
                names.push(x.qualified.clone());
            }
            for (i, x) in f.aliases.iter().enumerate() {
                p.aliases.entry(x.qualified.clone()).or_insert((fi, i));
                names.push(x.qualified.clone());
            }
        }
        for name in names {
            let l = last(&name).to_string();
            let list = p.by_last.entry(l).or_default();
            if !list.contains(&name) {
                list.push(name);
            }
        }
        p
    }

    /// The qualified name under which `qualified` is defined in the scan: itself, a name
    /// that differs only by a leading package prefix, or the target of a re-export
    /// (`from .views import bp` in a package's `__init__.py`).
    pub fn canonical(&self, qualified: &str) -> String {
        self.canonical_in(qualified, 0)
            .unwrap_or_else(|| qualified.to_string())
    }

    fn canonical_in(&self, qualified: &str, depth: usize) -> Option<String> {
        if self.is_defined(qualified) {
            return Some(qualified.to_string());
        }
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(candidates) = self.by_last.get(last(qualified)) {
            let mut matches: Vec<&String> = candidates
                .iter()
                .filter(|c| {
                    c.ends_with(&format!(".{qualified}")) || qualified.ends_with(&format!(".{c}"))
                })
                .collect();
            matches.sort();
            if let Some(m) = matches.first() {
                return Some((*m).clone());
            }
        }
        // A re-export: `pkg.name` where module `pkg` imports `name` from elsewhere.
        let (module, name) = qualified.rsplit_once('.')?;
        let module = self.canonical_module(module)?;
        let file = &self.files[self.modules[&module]];
        if let Some(target) = file.imports.get(name) {
            if target == qualified {
                return None;
            }
            return self.canonical_in(target, depth + 1);
        }
        // `from .base_controllers import *` in the package that re-exports the name.
        file.star_imports.iter().find_map(|star| {
            let target = format!("{star}.{name}");
            (target != qualified)
                .then(|| self.canonical_in(&target, depth + 1))
                .flatten()
                .filter(|found| self.is_defined(found))
        })
    }

    fn is_defined(&self, q: &str) -> bool {
        self.functions.contains_key(q)
            || self.classes.contains_key(q)
            || self.objects.contains_key(q)
            || self.schemes.contains_key(q)
            || self.aliases.contains_key(q)
            || self.modules.contains_key(q)
    }

    /// The module of the scan a dotted module name refers to.
    pub fn canonical_module(&self, module: &str) -> Option<String> {
        if self.modules.contains_key(module) {
            return Some(module.to_string());
        }
        let candidates = self.by_last.get(last(module))?;
        let mut matches: Vec<&String> = candidates
            .iter()
            .filter(|c| self.modules.contains_key(*c))
            .filter(|c| c.ends_with(&format!(".{module}")) || module.ends_with(&format!(".{c}")))
            .collect();
        matches.sort();
        matches.first().map(|m| (*m).clone())
    }

    /// The file that defines a module.
    pub fn module_file(&self, module: &str) -> Option<&FileFacts> {
        let m = self.canonical_module(module)?;
        Some(&self.files[self.modules[&m]])
    }

    fn get<'a, T>(
        &'a self,
        index: &HashMap<String, At>,
        r: &Ref,
        items: impl Fn(&'a FileFacts) -> &'a [T],
    ) -> Option<(&'a FileFacts, &'a T)> {
        let q = self.canonical(&r.qualified);
        let &(fi, i) = index.get(&q)?;
        let file = &self.files[fi];
        Some((file, &items(file)[i]))
    }

    pub fn function(&self, r: &Ref) -> Option<(&FileFacts, &Function)> {
        self.get(&self.functions, r, |f| &f.functions)
    }

    pub fn class(&self, r: &Ref) -> Option<(&FileFacts, &Class)> {
        self.get(&self.classes, r, |f| &f.classes)
    }

    pub fn object(&self, r: &Ref) -> Option<(&FileFacts, &AppObject)> {
        self.get(&self.objects, r, |f| &f.objects)
    }

    fn scheme(&self, r: &Ref) -> Option<(&FileFacts, &SecurityScheme)> {
        self.get(&self.schemes, r, |f| &f.schemes)
    }

    fn alias(&self, r: &Ref) -> Option<(&FileFacts, &DependencyAlias)> {
        self.get(&self.aliases, r, |f| &f.aliases)
    }

    /// A function's methods and base classes, nearest first (a simple MRO).
    pub fn class_chain<'a>(&'a self, class: &'a Class) -> Vec<&'a Class> {
        let mut out = vec![class];
        let mut i = 0;
        while i < out.len() && out.len() < MAX_DEPTH * 2 {
            let current = out[i];
            for base in &current.bases {
                if let Some((_, c)) = self.class(base)
                    && !out.iter().any(|o| o.qualified == c.qualified)
                {
                    out.push(c);
                }
            }
            i += 1;
        }
        out
    }

    /// Every base class name (last part) of a class and its bases in the scan.
    pub fn base_names(&self, class: &Class) -> Vec<String> {
        let mut out = Vec::new();
        for c in self.class_chain(class) {
            for b in &c.bases {
                let l = b.last().to_string();
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
        out
    }

    /// A class attribute as the nearest class of the chain defines it.
    pub fn class_attr<'a>(
        &'a self,
        class: &'a Class,
        name: &str,
    ) -> Option<&'a super::facts::Attr> {
        self.class_chain(class)
            .into_iter()
            .find_map(|c| c.attrs.get(name))
    }

    /// What a decorator or wrapper amounts to: an authentication check when its name says
    /// so or when its definition in the scan checks the caller.
    pub fn decorator_check(&self, call: &Call) -> Option<AuthCheck> {
        let name = call.callee.last();
        if call.optional
            || matches!(
                name,
                "api_view"
                    | "permission_classes"
                    | "authentication_classes"
                    | "throttle_classes"
                    | "action"
                    | "wraps"
                    | "login_not_required"
            )
        {
            return None;
        }
        if name == "method_decorator" {
            // `method_decorator(login_required, name="dispatch")`.
            return call.args.iter().find_map(|inner| {
                let mut check = self.decorator_check(&Call {
                    callee: inner.clone(),
                    location: call.location.clone(),
                    ..Call::default()
                })?;
                check.scopes.extend(call.strings.iter().cloned());
                Some(check)
            });
        }
        let definition = self.function(&call.callee);
        let by_body = definition.is_some_and(|(_, f)| {
            f.body.has_auth_evidence() || !self.function_dependency_checks(f, 1).is_empty()
        });
        if !(is_auth_name(&call.callee.text) || by_body) {
            return None;
        }
        let mut check = AuthCheck {
            name: call.callee.text.clone(),
            api_key: is_key_name(&call.callee.text),
            scopes: call.strings.clone(),
            definition: None,
            applied: call.location.clone(),
            identity: self.canonical(&call.callee.qualified),
            single_key: false,
            scope_aware: !call.strings.is_empty() || super::words::is_scope_name(name),
            signature: false,
        };
        if let Some((file, f)) = definition {
            check.definition = Some(file.location(f.location.span));
            check.api_key |= f.body.key_compares.iter().any(|k| k.api_key);
            check.single_key = f.body.key_compares.iter().any(|k| k.against_single);
            check.scope_aware |= f.body.mentions_scopes;
        }
        Some(check)
    }

    /// The checks a FastAPI dependency amounts to (following its own dependencies).
    pub fn dependency_check(&self, dep: &Dependency, depth: usize) -> Option<AuthCheck> {
        let target = dep.target.as_ref()?;
        let name = format!(
            "{}({})",
            if dep.security { "Security" } else { "Depends" },
            target.text
        );
        let mut check = AuthCheck {
            name,
            api_key: is_key_name(&target.text),
            scopes: dep.scopes.clone(),
            definition: None,
            applied: dep.location.clone(),
            identity: self.canonical(&target.qualified),
            single_key: false,
            scope_aware: !dep.scopes.is_empty(),
            signature: false,
        };
        if let Some((file, scheme)) = self.scheme(target) {
            check.api_key |= scheme.class.starts_with("APIKey");
            check.definition = Some(file.location(scheme.location.span));
            return Some(check);
        }
        if let Some((file, f)) = self.function(target) {
            let nested = if depth < MAX_DEPTH {
                self.function_dependency_checks(f, depth + 1)
            } else {
                Vec::new()
            };
            if !(is_auth_name(&target.text) || !nested.is_empty() || f.body.has_auth_evidence()) {
                return None;
            }
            check.definition = Some(file.location(f.location.span));
            check.api_key |=
                nested.iter().any(|n| n.api_key) || f.body.key_compares.iter().any(|k| k.api_key);
            check.single_key = f.body.key_compares.iter().any(|k| k.against_single)
                || nested.iter().any(|n| n.single_key);
            check.scope_aware |= f.body.mentions_scopes || nested.iter().any(|n| n.scope_aware);
            for n in nested {
                for s in n.scopes {
                    if !check.scopes.contains(&s) {
                        check.scopes.push(s);
                    }
                }
            }
            return Some(check);
        }
        if let Some((file, c)) = self.class(target) {
            check.definition = Some(file.location(c.location.span));
        }
        is_auth_name(&target.text).then_some(check)
    }

    /// The authentication checks among a function's parameter dependencies (direct, and
    /// through `Annotated` aliases such as `CurrentUser`).
    pub fn function_dependency_checks(&self, f: &Function, depth: usize) -> Vec<AuthCheck> {
        let mut out: Vec<AuthCheck> = f
            .dependencies
            .iter()
            .filter_map(|d| self.dependency_check(d, depth))
            .collect();
        for t in &f.param_types {
            if let Some((_, alias)) = self.alias(t) {
                out.extend(
                    alias
                        .dependencies
                        .iter()
                        .filter_map(|d| self.dependency_check(d, depth)),
                );
            }
        }
        out
    }

    /// The authentication among the dependencies a class gives all its routes (a
    /// class-based view's attributes, an `APIRouter` subclass's own), bases included.
    pub fn class_dependency_checks(&self, class: &Class) -> Vec<AuthCheck> {
        self.class_chain(class)
            .iter()
            .flat_map(|c| c.dependencies.iter())
            .filter_map(|d| self.dependency_check(d, 1))
            .collect()
    }

    /// A `before_request` function or a middleware, when it checks the caller.
    pub fn guard_check(&self, guard: &Guard, kind: &str) -> Option<AuthCheck> {
        let definition = self.function(&guard.function);
        let class = self.class(&guard.function);
        let by_body = definition.is_some_and(|(_, f)| f.body.has_auth_evidence());
        if !(is_auth_name(&guard.function.text) || by_body) {
            return None;
        }
        let mut check = AuthCheck {
            name: format!("{kind} {}", guard.function.text),
            api_key: is_key_name(&guard.function.text),
            scopes: Vec::new(),
            definition: None,
            applied: guard.location.clone(),
            identity: self.canonical(&guard.function.qualified),
            single_key: false,
            scope_aware: false,
            signature: false,
        };
        if let Some((file, f)) = definition {
            check.definition = Some(file.location(f.location.span));
            check.api_key |= f.body.key_compares.iter().any(|k| k.api_key);
            check.single_key = f.body.key_compares.iter().any(|k| k.against_single);
            check.scope_aware = f.body.mentions_scopes;
        } else if let Some((file, c)) = class {
            check.definition = Some(file.location(c.location.span));
        }
        Some(check)
    }

    /// Checks written inside a handler: key or token comparisons, calls such as
    /// `check_permission(request, "orders:write")`, signature verification, a look at
    /// `is_authenticated` that refuses.
    pub fn inline_checks(&self, file: &FileFacts, f: &Function) -> Vec<AuthCheck> {
        let body = &f.body;
        let at = file.location(f.location.span);
        let mut out = Vec::new();
        for sig in body.signature_checks.iter().take(1) {
            out.push(AuthCheck {
                name: format!("signature check ({sig})"),
                api_key: false,
                scopes: Vec::new(),
                definition: None,
                applied: at.clone(),
                identity: format!("signature:{sig}"),
                single_key: false,
                scope_aware: false,
                signature: true,
            });
        }
        if let Some(k) = body.key_compares.first() {
            out.push(AuthCheck {
                name: if k.api_key {
                    "inline API key comparison".to_string()
                } else {
                    "inline token comparison".to_string()
                },
                api_key: k.api_key,
                scopes: Vec::new(),
                definition: Some(k.location.clone()),
                applied: k.location.clone(),
                identity: format!("inline:{}", k.against),
                single_key: k.against_single,
                scope_aware: body.mentions_scopes,
                signature: false,
            });
        }
        for call in &body.auth_calls {
            let definition = self.function(&call.callee);
            let mut check = AuthCheck {
                name: format!("{}()", call.callee.text),
                api_key: is_key_name(&call.callee.text),
                scopes: call.strings.clone(),
                definition: None,
                applied: call.location.clone(),
                identity: self.canonical(&call.callee.qualified),
                single_key: false,
                scope_aware: !call.strings.is_empty(),
                signature: false,
            };
            if let Some((df, d)) = definition {
                check.definition = Some(df.location(d.location.span));
                check.api_key |= d.body.key_compares.iter().any(|k| k.api_key);
                check.single_key = d.body.key_compares.iter().any(|k| k.against_single);
                check.scope_aware |= d.body.mentions_scopes;
            }
            out.push(check);
        }
        if out.is_empty() && body.checks_user && body.denies {
            out.push(AuthCheck {
                name: "inline login check".to_string(),
                api_key: false,
                scopes: Vec::new(),
                definition: None,
                applied: at.clone(),
                identity: format!("inline-login:{}", f.qualified),
                single_key: false,
                scope_aware: false,
                signature: false,
            });
        }
        out
    }
}
