//! Callers in other files, for `python/sql-injection`'s grade.
//!
//! A value that reaches SQL as a parameter of a function nothing in its own file calls is
//! graded medium while a file is checked ([`crate::reach`]): whether a caller fills it with
//! request data or with `len(rows)` is in another file. Each file therefore leaves two kinds
//! of typed facts for the analyzer's project pass (no state is shared between files):
//!
//! - the findings it [`Deferred`], with the qualified name of the function and the
//!   parameter they wait on (`backend.shop.db.search_products`, `term`);
//! - its [`CallSite`]s of the project's own functions (callees imported from a module whose
//!   first name is a folder on the file's path, or through a relative import), each argument
//!   already graded in the caller's file by the same rules: request data or a route handler's
//!   parameter is high, constants and values the program computes are low, a parameter of
//!   the caller is medium (its own callers are not followed, which would cost a walk of the
//!   file per argument).
//!
//! The project pass ([`settle`]) then grades each deferred finding by the call sites that
//! match its function: high when one passes an outside source, low when every one passes
//! constants or values of the program, medium otherwise (or when no call site is found).
//! Callees are matched by qualified name only (`db.search_products` imported from
//! `shop.db`, `PromotionRule.get_old_channel_listing_ids` imported from `saleor.discount.
//! models`), never by a bare method name, so an unrelated method of the same name never
//! raises a grade. Test files' call sites do not count: tests are not the product's callers.

use crate::flow;
use crate::grammar::field;
use crate::model::Model;
use crate::reach;
use palisade_core::{Confidence, Finding, Location, ProjectContext, SourceFile};
use std::collections::HashMap;
use tree_sitter::Node;

/// Call sites kept, at most, per file.
const MAX_CALL_SITES_PER_FILE: usize = 4_096;

/// A finding whose confidence waits for the call sites of other files.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Deferred {
    /// The finding as its file would report it (medium), its paths filled in.
    pub finding: Finding,
    /// The qualified name of the function whose parameter reaches the sink
    /// (`backend.shop.db.search_products`, `app.models.Rule.next_ids`).
    pub function: String,
    pub parameter: String,
    /// Its position among the arguments of a call (`self`/`cls` not counted).
    pub position: Option<usize>,
    /// How the finding's message names the value (`parameter `term` of `search_products``),
    /// to say what a caller fills it with.
    pub origin: String,
}

/// One argument of a call site, graded in the caller's file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Argument {
    pub confidence: Confidence,
    /// What it passes, for messages (`request data `request.args.get("q")``).
    pub passed: Option<String>,
    pub location: Location,
}

/// A call of one of the project's own functions.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CallSite {
    /// The callee's qualified name, as the caller's imports resolve it (`shop.db.search`).
    pub callee: String,
    /// Positional arguments up to the first `*args`.
    pub positional: Vec<Argument>,
    pub keywords: Vec<(String, Argument)>,
}

/// The qualified name of a `def` other files can call: a module-level function
/// (`module.name`) or a method of a module-level class (`module.Class.name`), and whether
/// it takes `self`/`cls` first. `None` for nested functions.
pub fn qualified_function(model: &Model<'_>, function: Node<'_>) -> Option<(String, bool)> {
    let name = model.text(function.child_by_field_id(*field::NAME)?);
    let mut outer = function.parent()?;
    if outer.kind() == "decorated_definition" {
        outer = outer.parent()?;
    }
    let prefix = match outer.kind() {
        "module" => model.module().to_string(),
        "block" => {
            let mut class = outer.parent().filter(|c| c.kind() == "class_definition")?;
            let class_name = model.text(class.child_by_field_id(*field::NAME)?);
            if class
                .parent()
                .is_some_and(|p| p.kind() == "decorated_definition")
            {
                class = class.parent()?;
            }
            if class.parent().is_none_or(|p| p.kind() != "module") {
                return None;
            }
            format!("{}.{class_name}", model.module())
        }
        _ => return None,
    };
    let takes_self = flow::parameter_names(model, function)
        .first()
        .is_some_and(|p| p == "self" || p == "cls");
    let qualified = if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    };
    Some((qualified, takes_self))
}

/// The modules of a scan, for telling which call sites can name a function of the scan at
/// all: every dotted tail of every scanned file's module name (`shop.api.orders` gives
/// `shop.api.orders`, `api.orders` and `orders`).
///
/// Grading a call site's arguments costs a data-flow query per argument, and most calls of
/// imported project names cannot be a deferred finding's function: `Order.objects.filter`
/// imported from `shop.models` names `shop.models.Order.objects.filter`, and no scanned file
/// is the module `shop.models.Order.objects` or `shop.models.Order` (a deferred function is
/// always `module.function` or `module.Class.method`, see [`qualified_function`]). Such sites
/// are not recorded; every site [`settle`] could match still is.
#[derive(Debug, Default)]
pub struct ScanModules {
    /// The hashes of the module tails, sorted: a tree of many modules costs four bytes per
    /// tail, and a collision only keeps a site that [`settle`] then matches to nothing.
    tails: Vec<u32>,
}

impl ScanModules {
    /// The module tails of every scanned path that the Python analyzer reads (the others
    /// define no function). `paths` is called twice: to count the tails, then to gather them.
    pub fn new<P, S>(paths: impl Fn() -> P) -> ScanModules
    where
        P: Iterator<Item = S>,
        S: AsRef<str>,
    {
        let python = |p: &S| {
            [".py", ".pyw", ".pyi"]
                .iter()
                .any(|ext| p.as_ref().ends_with(ext))
        };
        // Counted first: on a large tree a growing list would reach twice its size, and its
        // copy when shrunk three times.
        let count = paths()
            .filter(python)
            .map(|path| crate::model::module_of(path.as_ref()).split('.').count())
            .sum();
        let mut tails = Vec::with_capacity(count);
        for path in paths().filter(python) {
            let module = crate::model::module_of(path.as_ref());
            let mut rest = module.as_str();
            while !rest.is_empty() {
                tails.push(tail_hash(rest));
                rest = rest.split_once('.').map_or("", |(_, tail)| tail);
            }
        }
        tails.sort_unstable();
        tails.dedup();
        ScanModules { tails }
    }

    /// Whether some function of the scan can be named `callee` (as [`settle`] matches them):
    /// `module.function` whose module ends with all of `callee` but its last name, or
    /// `module.Class.method` whose module ends with all of it but its last two names (any
    /// module when only two are left).
    pub fn may_define(&self, callee: &str) -> bool {
        let Some((owner, _)) = callee.rsplit_once('.') else {
            return true;
        };
        let known = |tail: &str| self.tails.binary_search(&tail_hash(tail)).is_ok();
        known(owner)
            || owner
                .rsplit_once('.')
                .is_none_or(|(module, _)| known(module))
    }
}

fn tail_hash(tail: &str) -> u32 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    // The high half of the hash: on a tree of a million tails, one callee in about 4,000
    // matches a tail by chance, which only keeps its site.
    (BuildHasherDefault::<DefaultHasher>::default().hash_one(tail) >> 32) as u32
}

/// The call sites of `calls` (every `call` node of the file) that call the project's own
/// functions, each argument graded here. Nothing for test files. With `modules`, only the
/// sites whose callee a scanned module can define.
pub fn record<'t>(
    model: &Model<'t>,
    file: &SourceFile,
    calls: &[Node<'t>],
    modules: Option<&ScanModules>,
) -> Vec<CallSite> {
    if file.role.is_test() {
        return Vec::new();
    }
    let folders: Vec<&str> = file.path.split('/').collect();
    let own = |qualified: &str| {
        let first = qualified.split('.').next().unwrap_or(qualified);
        qualified.contains('.') && folders.contains(&first)
    };
    let mut sites = Vec::new();
    for &call in calls {
        if sites.len() >= MAX_CALL_SITES_PER_FILE {
            break;
        }
        let Some(callee) = call.child_by_field_id(*field::FUNCTION) else {
            continue;
        };
        if !matches!(callee.kind(), "identifier" | "attribute") {
            continue;
        }
        let Some(dotted) = model.dotted(callee) else {
            continue;
        };
        if !model.is_imported(&dotted) {
            continue;
        }
        let qualified = model.qualify(&dotted);
        if !own(&qualified) || modules.is_some_and(|m| !m.may_define(&qualified)) {
            continue;
        }
        let Some(arguments) = call.child_by_field_id(*field::ARGUMENTS) else {
            continue;
        };
        let mut site = CallSite {
            callee: qualified,
            positional: Vec::new(),
            keywords: Vec::new(),
        };
        let mut splat = false;
        let mut cursor = arguments.walk();
        for argument in arguments.named_children(&mut cursor) {
            match argument.kind() {
                "keyword_argument" => {
                    if let (Some(name), Some(value)) = (
                        argument.child_by_field_id(*field::NAME),
                        argument.child_by_field_id(*field::VALUE),
                    ) {
                        site.keywords.push((
                            model.text(name).to_string(),
                            grade_argument(model, file, value),
                        ));
                    }
                }
                "list_splat" | "dictionary_splat" => splat = true,
                "comment" => {}
                _ if !splat => site.positional.push(grade_argument(model, file, argument)),
                _ => {}
            }
        }
        if !site.positional.is_empty() || !site.keywords.is_empty() {
            sites.push(site);
        }
    }
    sites
}

/// How sure it is that an outside source reaches what `argument` passes
/// ([`reach::grade_here`]: the caller's own callers are not followed).
fn grade_argument<'t>(model: &Model<'t>, file: &SourceFile, argument: Node<'t>) -> Argument {
    let mut best = Argument {
        confidence: Confidence::Low,
        passed: None,
        location: Location {
            path: file.path.clone(),
            span: file.span(argument.start_byte(), argument.end_byte()),
        },
    };
    if matches!(
        argument.kind(),
        "string" | "integer" | "float" | "true" | "false" | "none"
    ) {
        return best;
    }
    for variant in flow::construction(model, argument) {
        for hole in variant.holes() {
            let confidence = reach::grade_here(model, hole);
            if confidence > best.confidence {
                best.confidence = confidence;
                best.passed = Some(hole.origin.describe());
            }
        }
    }
    best
}

/// Whether a call site's qualified callee names `function`: the same name, or `function`
/// seen from a scan root above the caller's package root (`backend.shop.db.search` called
/// as `shop.db.search`).
fn calls(callee: &str, function: &str) -> bool {
    function == callee
        || function
            .strip_suffix(callee)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// Grades every deferred finding by the call sites of the other files and reports it.
pub fn settle(deferred: Vec<Deferred>, sites: &[CallSite], cx: &mut ProjectContext<'_>) {
    // Call sites by the callee's last name, to look only at plausible ones.
    let mut by_name: HashMap<&str, Vec<&CallSite>> = HashMap::new();
    for site in sites {
        let last = site.callee.rsplit('.').next().unwrap_or(&site.callee);
        by_name.entry(last).or_default().push(site);
    }
    for item in deferred {
        let last = item.function.rsplit('.').next().unwrap_or(&item.function);
        let matching: Vec<&CallSite> = by_name
            .get(last)
            .into_iter()
            .flatten()
            .copied()
            .filter(|site| calls(&site.callee, &item.function))
            .collect();
        if matching.is_empty() {
            cx.report(item.finding);
            continue;
        }
        let mut best: Option<&Argument> = None;
        for site in &matching {
            let argument = site
                .keywords
                .iter()
                .find(|(name, _)| *name == item.parameter)
                .map(|(_, a)| a)
                .or_else(|| item.position.and_then(|i| site.positional.get(i)));
            if let Some(argument) = argument
                && best.is_none_or(|b| argument.confidence > b.confidence)
            {
                best = Some(argument);
            }
        }
        let mut finding = item.finding;
        finding.confidence = best.map_or(Confidence::Low, |b| b.confidence);
        if let Some(argument) = best
            && let Some(passed) = &argument.passed
        {
            finding.message = finding.message.replacen(
                &item.origin,
                &format!("{}, which a caller fills with {passed}", item.origin),
                1,
            );
            finding = finding.with_related_in(
                argument.location.clone(),
                format!("a caller passes {passed} for `{}` here", item.parameter),
            );
        }
        cx.report(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::calls;

    #[test]
    fn only_callees_a_scanned_module_can_define_are_kept() {
        let paths = [
            "backend/shop/db.py",
            "backend/shop/models/__init__.py",
            "README.md",
        ];
        let modules = super::ScanModules::new(|| paths.into_iter());
        // Functions of `shop.db`, from any root.
        assert!(modules.may_define("shop.db.search"));
        assert!(modules.may_define("backend.shop.db.search"));
        // A method of a class of `shop.models`.
        assert!(modules.may_define("shop.models.Order.total"));
        // Two names: any module's `Class.method`.
        assert!(modules.may_define("Order.total"));
        // A manager's method: `shop.models.Order.objects` is no module.
        assert!(!modules.may_define("shop.models.Order.objects.filter"));
        assert!(!modules.may_define("shop.other.search"));
        // Every site `settle` matches passes the filter.
        for (callee, function) in [
            ("shop.db.search", "backend.shop.db.search"),
            ("db.search", "backend.shop.db.search"),
            ("shop.models.Order.total", "backend.shop.models.Order.total"),
        ] {
            assert!(calls(callee, function) && modules.may_define(callee));
        }
    }

    #[test]
    fn callees_match_by_qualified_name_from_any_root() {
        assert!(calls("shop.db.search", "shop.db.search"));
        assert!(calls("shop.db.search", "backend.shop.db.search"));
        assert!(!calls("db.search", "backend.shop.xdb.search"));
        assert!(!calls("other.db.search", "backend.shop.db.search"));
    }
}
