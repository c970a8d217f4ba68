//! Flags deserializers that can run code or build arbitrary objects from the data they read.
//!
//! ## What it checks
//! Calls resolved through imports and aliases:
//! - `pickle.loads`/`load`/`Unpickler` (also `cPickle`, `_pickle`), `dill`, `cloudpickle`,
//!   `joblib.load`, `pandas.read_pickle`, `jsonpickle.decode`, `marshal.loads`/`load`;
//! - PyYAML `yaml.load`/`load_all` without a safe loader (no `Loader`, or `Loader`,
//!   `UnsafeLoader`, `CLoader`), `yaml.unsafe_load`; `FullLoader` / `yaml.full_load` with
//!   medium severity (it refuses the worst tags but still builds Python objects and has had
//!   bypasses); ruamel.yaml `YAML(typ="unsafe")`;
//! - with medium severity: `shelve.open` (a pickle database), `numpy.load(...,
//!   allow_pickle=True)`, and `torch.load` without `weights_only=True` (PyTorch before 2.6
//!   unpickles everything by default; reported with medium confidence when the argument is
//!   simply missing).
//!
//! Confidence is high when the data (the first argument) comes from outside the program —
//! a function parameter, the web request, a socket, standard input, the command line, or a
//! file whose name comes from one of those — and medium otherwise (a model file at a fixed
//! path, a cache the service wrote itself).
//!
//! Findings in test code (`tests/`, `test_*.py`, `conftest.py`) have low confidence, and so
//! does unpickling data whose HMAC was checked just before in the same function
//! (`if not hmac.compare_digest(signature, hmac.new(key, data, sha256).digest()): raise …`
//! then `pickle.loads(data)`, also with the MAC computed by a helper inside the check,
//! `compare_digest(signature, self._compute_hmac(data))`): only the key holder can produce
//! such bytes. So does reading back a cache entry the same file stores pickled
//! (`value = cache.get(key)` … `pickle.loads(value)`, where the file also calls
//! `cache.set(key, pickle.dumps(...))` on the same object): the service reads what it wrote,
//! and only someone who already controls the cache server could change it.
//!
//! Not reported: data the program serialized itself a moment before
//! (`pickle.loads(pickle.dumps(obj))`, also through a local variable), `json.loads`,
//! `yaml.safe_load`, `yaml.load(..., Loader=yaml.SafeLoader)` (also `CSafeLoader`,
//! `BaseLoader` and loaders whose name says `Safe`), `pickle.dumps`,
//! `torch.load(..., weights_only=True)`, and `load`/`loads` methods of your own objects.
//! A custom loader class whose safety cannot be read from its name is not reported.
//!
//! ## Why it matters
//! Unpickling runs whatever the data tells it to: a pickle can call `os.system` with any
//! command while it is being loaded. PyYAML's full and unsafe loaders can likewise
//! construct arbitrary Python objects and call functions. Whoever controls the bytes —
//! a request body, a message on a queue, an uploaded file, a cache an attacker can write
//! to — controls the server. `marshal` is not meant for untrusted data either.
//!
//! ## Example
//! ```python
//! import pickle
//! from flask import request
//!
//! @app.post("/cart/restore")
//! def restore_cart():
//!     # Flagged: the request body is unpickled, which runs code the client chose.
//!     cart = pickle.loads(request.get_data())
//! ```
//!
//! ## Remediation
//! Exchange data in a format that carries no code: JSON (`json.loads`), or a schema-checked
//! format (pydantic, marshmallow, protobuf). For YAML use `yaml.safe_load`. For model files
//! use `torch.load(path, weights_only=True)` or the safetensors format. If pickle cannot be
//! avoided, load only data the service wrote itself and authenticate it with an HMAC
//! (`hmac.compare_digest`) before unpickling.
//!
//! ## References
//! - CWE-502: Deserialization of Untrusted Data
//! - OWASP Top 10 2021, A08 Software and Data Integrity Failures
//! - OWASP Deserialization Cheat Sheet
//! - Python documentation, `pickle` (the warning at the top of the page)

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::model::{Model, scope_of};
use crate::values::{
    OriginKind, argument, keyword_value, literal_bool, literal_string, outside_origin,
};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/unsafe-deserialization",
    title: "Unsafe deserialization",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[502],
    owasp: Owasp::A08,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("unsafe_deserialization.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call"],
    // Sound: every sink resolves through an import of one of these packages (`_pickle`, `cPickle`, `cloudpickle`, `jsonpickle` and `ruamel.yaml` included).
    needs_text: &["pickle", "Pickle", "dill", "joblib", "pandas", "marshal", "yaml", "shelve", "numpy", "torch"],
    text_test: None,
    check,
};

/// Functions that unpickle (or unmarshal) their input whatever it says.
const ALWAYS_UNSAFE: &[(&str, &str)] = &[
    ("pickle.loads", "pickle"),
    ("pickle.load", "pickle"),
    ("pickle.Unpickler", "pickle"),
    ("_pickle.loads", "pickle"),
    ("_pickle.load", "pickle"),
    ("cPickle.loads", "pickle"),
    ("cPickle.load", "pickle"),
    ("dill.loads", "dill (pickle)"),
    ("dill.load", "dill (pickle)"),
    ("cloudpickle.loads", "cloudpickle (pickle)"),
    ("cloudpickle.load", "cloudpickle (pickle)"),
    ("joblib.load", "joblib (pickle)"),
    ("pandas.read_pickle", "pandas.read_pickle (pickle)"),
    ("jsonpickle.decode", "jsonpickle"),
    ("jsonpickle.loads", "jsonpickle"),
    ("jsonpickle.unpickler.decode", "jsonpickle"),
    ("marshal.loads", "marshal"),
    ("marshal.load", "marshal"),
    ("yaml.unsafe_load", "PyYAML's unsafe loader"),
    ("yaml.unsafe_load_all", "PyYAML's unsafe loader"),
];

const YAML_LOAD: &[&str] = &["yaml.load", "yaml.load_all"];
const YAML_FULL: &[&str] = &["yaml.full_load", "yaml.full_load_all"];

fn check(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let Some(resolved) = model.resolve(function) else {
        return;
    };
    let callee = model.text(function);
    let name = resolved.as_str();

    if let Some((_, what)) = ALWAYS_UNSAFE.iter().find(|(n, _)| *n == name) {
        report(
            call,
            Severity::High,
            None,
            format!(
                "`{callee}` deserializes with {what}, which can run code chosen by whoever wrote the data"
            ),
            cx,
        );
        return;
    }
    if YAML_FULL.contains(&name) {
        report(
            call,
            Severity::Medium,
            None,
            format!(
                "`{callee}` uses PyYAML's FullLoader, which builds Python objects from the document; use `yaml.safe_load`"
            ),
            cx,
        );
        return;
    }
    if YAML_LOAD.contains(&name) {
        check_yaml(call, callee, cx);
        return;
    }
    match name {
        "shelve.open" => report(
            call,
            Severity::Medium,
            None,
            format!(
                "`{callee}` stores values with pickle: whoever can write the file runs code when it is read"
            ),
            cx,
        ),
        "numpy.load" => {
            if let Some(value) = keyword_value(model, call, "allow_pickle")
                && matches!(literal_bool(model, value), Some((true, _)))
            {
                report(
                    call,
                    Severity::Medium,
                    None,
                    format!(
                        "`{callee}(..., allow_pickle=True)` unpickles object arrays, which can run code"
                    ),
                    cx,
                );
            }
        }
        "torch.load" => {
            match keyword_value(model, call, "weights_only").map(|v| literal_bool(model, v)) {
                Some(Some((true, _))) => {}
                Some(Some((false, _))) => report(
                    call,
                    Severity::Medium,
                    None,
                    format!(
                        "`{callee}(..., weights_only=False)` unpickles the whole file, which can run code"
                    ),
                    cx,
                ),
                Some(None) => {}
                None => report(
                    call,
                    Severity::Medium,
                    Some(Confidence::Medium),
                    format!(
                        "`{callee}` without `weights_only=True` unpickles the whole file on PyTorch before 2.6, which can run code"
                    ),
                    cx,
                ),
            }
        }
        "ruamel.yaml.YAML" => {
            if let Some(typ) = keyword_value(model, call, "typ")
                && literal_string(model, typ).is_some_and(|t| t == "unsafe")
            {
                let finding = Finding::new(
                    &META,
                    cx.span(call),
                    "`YAML(typ=\"unsafe\")` builds arbitrary Python objects from the documents it loads",
                );
                cx.report(finding);
            }
        }
        _ => {}
    }
}

/// The safety of a PyYAML loader, from its last name part.
enum Loader {
    Safe,
    Full,
    Unsafe,
    Unknown,
}

fn loader_kind(name: &str) -> Loader {
    let last = name.rsplit('.').next().unwrap_or(name);
    match last {
        "SafeLoader" | "CSafeLoader" | "BaseLoader" | "CBaseLoader" => Loader::Safe,
        "FullLoader" | "CFullLoader" => Loader::Full,
        "Loader" | "UnsafeLoader" | "CLoader" | "CUnsafeLoader" => Loader::Unsafe,
        _ if last.contains("Safe") => Loader::Safe,
        _ => Loader::Unknown,
    }
}

fn check_yaml(call: Node<'_>, callee: &str, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let loader = argument(model, call, 1, "Loader");
    let (severity, message) = match loader {
        None => (
            Severity::High,
            format!(
                "`{callee}` without a `Loader` builds Python objects from the document on PyYAML before 6.0 (any object before 5.1); use `yaml.safe_load`"
            ),
        ),
        Some(loader) => {
            let name = model
                .resolve(loader)
                .or_else(|| model.dotted(loader))
                .unwrap_or_default();
            match loader_kind(&name) {
                Loader::Safe | Loader::Unknown => return,
                Loader::Full => (
                    Severity::Medium,
                    format!(
                        "`{callee}` with `FullLoader` builds Python objects from the document; use `yaml.safe_load`"
                    ),
                ),
                Loader::Unsafe => (
                    Severity::High,
                    format!(
                        "`{callee}` with `{}` can build any Python object and call functions named in the document",
                        model.text(loader)
                    ),
                ),
            }
        }
    };
    report(call, severity, None, message, cx);
}

/// Reports `call`, with high confidence when its data comes from outside the program.
fn report(
    call: Node<'_>,
    severity: Severity,
    confidence: Option<Confidence>,
    message: String,
    cx: &mut RuleContext<'_, '_>,
) {
    let data = argument(cx.model, call, 0, "data");
    if data.is_some_and(|d| round_trip(cx.model, d)) {
        return;
    }
    let origin = data.and_then(|d| outside_origin(cx.model, d));
    let confidence = if cx.file.role.is_test()
        || data.is_some_and(|d| {
            authenticated_before(cx.model, call, d) || reads_own_pickled_store(cx.model, call, d)
        })
    {
        Confidence::Low
    } else {
        confidence.unwrap_or(if origin.is_some() {
            Confidence::High
        } else {
            Confidence::Medium
        })
    };
    let mut finding = Finding::new(&META, cx.span(call), message)
        .with_severity(severity)
        .with_confidence(confidence);
    if let Some(origin) = origin {
        let why = match origin.kind {
            OriginKind::Network => format!("the data is read from a socket: {}", origin.what),
            _ => format!("the data comes from {}", origin.what),
        };
        finding = finding.with_related(cx.span(origin.node), why);
    }
    cx.report(finding);
}

/// Whether `data` (a local name) was authenticated earlier in the same function: an
/// `hmac.compare_digest(...)` / `secrets.compare_digest(...)` check that precedes the call
/// and either compares `data` itself or a MAC computed over it (`expected = hmac.new(key,
/// data, sha256).digest()`). Whoever can write the bytes cannot forge the MAC without the
/// key, so what is unpickled is what the program signed.
fn authenticated_before(model: &Model<'_>, call: Node<'_>, data: Node<'_>) -> bool {
    if data.kind() != "identifier" {
        return false;
    }
    let name = model.text(data);
    let mut function = call.parent();
    while let Some(node) = function {
        if node.kind() == "function_definition" {
            break;
        }
        function = node.parent();
    }
    let Some(function) = function else {
        return false;
    };
    let mut compared = false;
    let mut maced = false;
    let mut stack = vec![function];
    while let Some(node) = stack.pop() {
        if node.start_byte() >= call.start_byte() {
            continue;
        }
        if node.kind() == "call"
            && let Some(callee) = node.child_by_field_id(*field::FUNCTION)
        {
            let resolved = model.resolve(callee).unwrap_or_default();
            let arguments = node.child_by_field_id(*field::ARGUMENTS);
            let mentions = || {
                arguments.is_some_and(|args| {
                    let mut cursor = args.walk();
                    args.named_children(&mut cursor)
                        .any(|a| a.kind() == "identifier" && model.text(a) == name)
                })
            };
            match resolved.as_str() {
                "hmac.compare_digest" | "secrets.compare_digest" => {
                    compared = true;
                    // `compare_digest(signature, self._compute_hmac(data))`: the MAC is
                    // computed over `data` by a helper inside the comparison itself.
                    maced |= mentions()
                        || arguments.is_some_and(|args| mac_call_over(model, args, name));
                }
                "hmac.new" | "hmac.digest" => maced |= mentions(),
                _ => {}
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    compared && maced
}

/// Whether an argument of `arguments` is a call to a MAC helper (`self._compute_hmac(data)`,
/// `sign(data)`: a name with `hmac`, `mac` or `sign` in it) that takes `name` itself.
fn mac_call_over(model: &Model<'_>, arguments: Node<'_>, name: &str) -> bool {
    let mut cursor = arguments.walk();
    arguments.named_children(&mut cursor).any(|argument| {
        argument.kind() == "call"
            && argument.child_by_field_id(*field::FUNCTION).is_some_and(|f| {
                let callee = model.text(f);
                let last = callee.rsplit('.').next().unwrap_or(callee);
                palisade_knowledge::words::has_word(last, &["hmac", "mac", "sign", "signature"])
            })
            && argument.child_by_field_id(*field::ARGUMENTS).is_some_and(|args| {
                let mut cursor = args.walk();
                args.named_children(&mut cursor)
                    .any(|a| a.kind() == "identifier" && model.text(a) == name)
            })
    })
}

/// Whether `data` is what the file itself stored, pickled, under the same store: a local
/// assigned `store.get(...)` (`read_cache.get(key)`, `self._backend.get(self._key)`) in a file
/// that also calls `store.set(..., pickle.dumps(...))` on the same receiver. The service
/// reads back its own cache entry; only someone who can already write the cache server could
/// change it, which this file cannot tell.
fn reads_own_pickled_store(model: &Model<'_>, call: Node<'_>, data: Node<'_>) -> bool {
    if data.kind() != "identifier" {
        return false;
    }
    let values = model.values(scope_of(data), model.text(data));
    let receivers: Vec<&str> = values
        .iter()
        .filter_map(|value| {
            let (method, receiver) = crate::values::method_call(model, *value)?;
            matches!(method, "get" | "get_many" | "hget").then(|| model.text(receiver))
        })
        .collect();
    if receivers.is_empty() || receivers.len() != values.len() {
        return false;
    }
    let mut root = call;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    let mut stack = vec![root];
    let mut steps = 0u32;
    while let Some(node) = stack.pop() {
        steps += 1;
        if steps > 200_000 {
            return false;
        }
        if node.kind() == "call"
            && let Some((method, receiver)) = crate::values::method_call(model, node)
            && matches!(method, "set" | "add" | "setex" | "set_many" | "hset")
            && receivers.contains(&model.text(receiver))
            && node.child_by_field_id(*field::ARGUMENTS).is_some_and(|args| {
                let mut cursor = args.walk();
                args.named_children(&mut cursor).any(|a| is_dumps(model, a))
            })
        {
            return true;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    false
}

/// Whether `node` is a `dumps(...)` call (`pickle.dumps`, `dill.dumps`, ...).
fn is_dumps(model: &Model<'_>, node: Node<'_>) -> bool {
    node.kind() == "call"
        && node
            .child_by_field_id(*field::FUNCTION)
            .and_then(|f| model.resolve(f).or_else(|| model.dotted(f)))
            .is_some_and(|name| name == "dumps" || name.ends_with(".dumps"))
}

/// Whether `data` was serialized by the program a moment ago: a `dumps(...)` call
/// (`pickle.loads(pickle.dumps(obj))`, the copy-and-compare idiom of tests) or a local name
/// assigned only such a call.
fn round_trip(model: &Model<'_>, data: Node<'_>) -> bool {
    let is_dumps = |node: Node<'_>| is_dumps(model, node);
    if is_dumps(data) {
        return true;
    }
    if data.kind() != "identifier" {
        return false;
    }
    let values = model.values(scope_of(data), model.text(data));
    !values.is_empty() && values.iter().all(|v| is_dumps(*v))
}
