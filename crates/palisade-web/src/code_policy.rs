//! Policies configured in server code through a library rather than written as a header
//! string: Express's helmet (`helmet({contentSecurityPolicy: …})`,
//! `helmet.contentSecurityPolicy({directives: …})`), django-csp (the 3.x `CSP_*` settings and
//! the 4.x `CONTENT_SECURITY_POLICY` dict), Django's own `SECURE_CSP` (6.0+), and
//! Flask-Talisman (`Talisman(app, content_security_policy=…)`).
//!
//! Each is turned into the header the library would send, assembled from the literals in the
//! file (and the library's documented defaults), so the same CSP engine evaluates it and every
//! finding lands on the literal or setting it comes from. Values that are not literals
//! (a variable assigned elsewhere, an environment lookup, a call) are never guessed: the parts
//! that can be read are evaluated and their findings are low confidence, with a line saying
//! what could not be read; a policy that cannot be read at all gets a notice.

use crate::csp::{self, Delivery, Disposition};
use crate::literal::{self, Entry, Lang, Lit};
use crate::locate::{Found, Piece};
use std::ops::Range;

/// The placeholder for a nonce the library generates per response (a `{…}` marks it as a
/// placeholder, so it is never judged as a fixed or short nonce).
const RUNTIME_NONCE: &str = "'nonce-{per-response}'";

/// What reading a file's library-configured policies gave.
#[derive(Debug, Default)]
pub struct CodePolicies {
    pub found: Vec<Found>,
    /// Policies that could not be read at all: where, and why.
    pub unreadable: Vec<(usize, String)>,
}

/// Reads the policies configured by helmet (JS/TS) or django-csp, Django and Flask-Talisman
/// (Python) in `text`.
pub fn find(text: &str, lang: Lang) -> CodePolicies {
    let mut out = CodePolicies::default();
    match lang {
        Lang::Js => helmet(text, &mut out),
        Lang::Python => {
            django_csp_3(text, &mut out);
            django_dict(text, &mut out);
            talisman(text, &mut out);
        }
    }
    out
}

/// The header text being assembled, with where each part comes from.
struct Builder<'t> {
    text: &'t str,
    lang: Lang,
    /// The assembled policies (one leading space so a whole-policy range starts outside
    /// every piece and maps to the setting itself).
    decoded: String,
    pieces: Vec<Piece>,
    policies: Vec<(Range<usize>, Disposition)>,
    policy_start: usize,
    directives_in_policy: usize,
    /// What could not be read, for the findings' wording.
    unresolved: Vec<String>,
    /// Where library defaults and other unplaced parts point.
    setting: Range<usize>,
    /// Why the policy holds only in some deployments (an environment variable's default).
    conditional: Vec<String>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, lang: Lang, setting: Range<usize>) -> Self {
        Builder {
            text,
            lang,
            decoded: String::new(),
            pieces: Vec::new(),
            policies: Vec::new(),
            policy_start: 0,
            directives_in_policy: 0,
            unresolved: Vec::new(),
            setting,
            conditional: Vec::new(),
        }
    }

    fn begin_policy(&mut self) {
        if !self.decoded.is_empty() {
            self.decoded.push_str(" ,");
        }
        self.decoded.push(' ');
        self.policy_start = self.decoded.len();
        self.directives_in_policy = 0;
    }

    fn end_policy(&mut self, disposition: Disposition) {
        self.policies
            .push((self.policy_start..self.decoded.len(), disposition));
    }

    /// Appends `part`, placed at `file` (verbatim or not); `None` places it at the setting.
    fn push(&mut self, part: &str, file: Option<(Range<usize>, bool)>) {
        let start = self.decoded.len();
        self.decoded.push_str(part);
        let (file, verbatim) = file.unwrap_or((self.setting.clone(), false));
        self.pieces.push(Piece {
            decoded: start..self.decoded.len(),
            file,
            verbatim,
        });
    }

    /// Appends one directive and its sources.
    fn directive(&mut self, name: &str, name_at: Option<(Range<usize>, bool)>, sources: &[Src]) {
        if self.directives_in_policy > 0 {
            self.decoded.push_str("; ");
        }
        self.directives_in_policy += 1;
        self.push(name, name_at);
        for s in sources {
            self.decoded.push(' ');
            self.push(&s.text, s.at.clone());
        }
    }

    fn unresolved(&mut self, what: &str, range: Range<usize>) {
        let line = self.text[..range.start.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        let shown: String = self
            .text
            .get(range)
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        self.unresolved
            .push(format!("{what} `{}` (line {line})", shown.trim()));
    }

    fn finish(self, what: &'static str, frames_guarded: bool) -> Option<Found> {
        if self.policies.is_empty() {
            return None;
        }
        let policies = self
            .policies
            .iter()
            .map(|(range, d)| {
                csp::parse_policy_at(&self.decoded, range.clone(), *d, Delivery::Header)
            })
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>();
        if policies.is_empty() {
            return None;
        }
        let mut notes = self.conditional.clone();
        if !self.unresolved.is_empty() {
            notes.push(format!(
                "parts of this policy are not literals palisade can read ({}), so the policy served may differ",
                self.unresolved.join(", ")
            ));
        }
        let uncertain = (!notes.is_empty()).then(|| notes.join("; "));
        Some(Found {
            what,
            policies,
            decoded: Some(self.decoded),
            base: self.setting.start,
            pieces: self.pieces,
            uncertain,
            frames_guarded,
        })
    }

    /// Follows a name to its single top-level assignment in the file (a few steps at most).
    fn resolve(&self, lit: &Lit) -> Lit {
        let mut lit = lit.clone();
        for _ in 0..4 {
            let Lit::Name(name, _) = &lit else { break };
            if name.contains('.') {
                break;
            }
            match literal::assigned_value(self.text, name, self.lang) {
                Some((value, _)) => lit = value,
                None => break,
            }
        }
        lit
    }
}

/// One source expression (or several, when a string holds a space-separated list) and
/// where it is written.
#[derive(Clone, Debug)]
struct Src {
    text: String,
    at: Option<(Range<usize>, bool)>,
}

impl Src {
    fn placed(text: &str, at: Range<usize>, verbatim: bool) -> Src {
        Src {
            text: text.to_string(),
            at: Some((at, verbatim)),
        }
    }
}

/// How a library spells a source that is not a string: its constants and nonce functions.
type Constant = fn(&str) -> Option<&'static str>;

/// The sources of a directive value: a string, a list of strings, constants, nonce functions.
/// `None` means "leave the directive out" (`None`/`null`/`False`).
fn sources(b: &mut Builder<'_>, what: &str, value: &Lit, constant: Constant) -> Option<Vec<Src>> {
    let value = b.resolve(value);
    let items: Vec<Lit> = match &value {
        Lit::Null(_) | Lit::Bool(false, _) => return None,
        Lit::Bool(true, _) => return Some(Vec::new()),
        Lit::List(items, _) => items.clone(),
        other => vec![other.clone()],
    };
    let mut out = Vec::new();
    for item in &items {
        let item = b.resolve(item);
        match &item {
            Lit::Str {
                value,
                range,
                verbatim,
            } => out.push(Src::placed(value, range.clone(), *verbatim)),
            Lit::Name(name, range) => {
                let last = name.rsplit('.').next().unwrap_or(name);
                match constant(last) {
                    Some(text) => out.push(Src::placed(text, range.clone(), false)),
                    None => b.unresolved(&format!("a value of {what}"), range.clone()),
                }
            }
            Lit::Func(range) if b.text[range.clone()].contains("nonce-") => {
                out.push(Src::placed(RUNTIME_NONCE, range.clone(), false));
            }
            other => b.unresolved(&format!("a value of {what}"), other.range()),
        }
    }
    Some(out)
}

fn no_constants(_: &str) -> Option<&'static str> {
    None
}

/// django-csp 4's `csp.constants` and Django's `CSP` enum.
fn django_constant(name: &str) -> Option<&'static str> {
    Some(match name {
        "SELF" => "'self'",
        "NONE" => "'none'",
        "NONCE" => RUNTIME_NONCE,
        "UNSAFE_INLINE" => "'unsafe-inline'",
        "UNSAFE_EVAL" => "'unsafe-eval'",
        "UNSAFE_HASHES" => "'unsafe-hashes'",
        "STRICT_DYNAMIC" => "'strict-dynamic'",
        "WASM_UNSAFE_EVAL" => "'wasm-unsafe-eval'",
        "REPORT_SAMPLE" => "'report-sample'",
        "UNSAFE_ALLOW_REDIRECTS" => "'unsafe-allow-redirects'",
        "INLINE_SPECULATION_RULES" => "'inline-speculation-rules'",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------
// helmet

/// helmet's default directives (helmet 5 and later, `useDefaults` unless false).
const HELMET_DEFAULTS: &[(&str, &[&str])] = &[
    ("default-src", &["'self'"]),
    ("base-uri", &["'self'"]),
    ("font-src", &["'self'", "https:", "data:"]),
    ("form-action", &["'self'"]),
    ("frame-ancestors", &["'self'"]),
    ("img-src", &["'self'", "data:"]),
    ("object-src", &["'none'"]),
    ("script-src", &["'self'"]),
    ("script-src-attr", &["'none'"]),
    ("style-src", &["'self'", "https:", "'unsafe-inline'"]),
    ("upgrade-insecure-requests", &[]),
];

/// `scriptSrc` → `script-src` (helmet accepts both spellings).
fn dashed(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn helmet(text: &str, out: &mut CodePolicies) {
    if !text.contains("helmet") {
        return;
    }
    let mut from = 0;
    while let Some(at) = text[from..].find("contentSecurityPolicy") {
        let start = from + at;
        let end = start + "contentSecurityPolicy".len();
        from = end;
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let after = text[end..].trim_start_matches(['"', '\'', ' ', '\t', '?']);
        let after_at = text.len() - after.len();
        let options = match after.as_bytes().first() {
            // `helmet.contentSecurityPolicy({…})` or an imported `contentSecurityPolicy({…})`.
            Some(b'(') => literal::call_args(text, after_at, Lang::Js)
                .into_iter()
                .next()
                .map(|(_, v)| v),
            // `helmet({ contentSecurityPolicy: {…} })`.
            Some(b':') => literal::read(text, after_at + 1, Lang::Js).map(|(v, _)| v),
            _ => continue,
        };
        let setting = start..end;
        let mut b = Builder::new(text, Lang::Js, setting.clone());
        let Some(options) = options.map(|o| b.resolve(&o)) else {
            // `contentSecurityPolicy()`: helmet's defaults, nothing to report.
            continue;
        };
        let entries = match &options {
            Lit::Map(entries, _) => entries.clone(),
            // `false` turns the policy off, `true` keeps the defaults.
            Lit::Bool(..) | Lit::Null(_) => continue,
            other => {
                out.unreadable.push((
                    start,
                    format!(
                        "web: the helmet Content-Security-Policy options here are not a literal (`{}`), so the policy was not evaluated",
                        snippet(text, other.range())
                    ),
                ));
                continue;
            }
        };
        let get = |key: &str| entries.iter().find(|e| e.key.as_deref() == Some(key));
        let use_defaults = match get("useDefaults").map(|e| b.resolve(&e.value)) {
            None | Some(Lit::Bool(true, _)) => true,
            Some(Lit::Bool(false, _)) => false,
            Some(other) => {
                b.unresolved("useDefaults", other.range());
                true
            }
        };
        let disposition = match get("reportOnly").map(|e| b.resolve(&e.value)) {
            Some(Lit::Bool(true, _)) => Disposition::ReportOnly,
            None | Some(Lit::Bool(false, _)) => Disposition::Enforce,
            Some(other) => {
                b.unresolved("reportOnly", other.range());
                Disposition::Enforce
            }
        };
        let directives: Vec<Entry> = match get("directives").map(|e| b.resolve(&e.value)) {
            Some(Lit::Map(d, _)) => d,
            None => Vec::new(),
            Some(other) => {
                out.unreadable.push((
                    start,
                    format!(
                        "web: the helmet CSP directives here are not a literal (`{}`), so the policy was not evaluated",
                        snippet(text, other.range())
                    ),
                ));
                continue;
            }
        };
        if directives.is_empty() {
            // Only helmet's defaults (or nothing): nothing of the project's own to judge.
            continue;
        }
        b.begin_policy();
        let mut written: Vec<String> = Vec::new();
        for entry in &directives {
            let Some(key) = &entry.key else {
                b.unresolved("a directive", entry.key_range.clone());
                continue;
            };
            let name = dashed(key);
            let value = b.resolve(&entry.value);
            if matches!(&value, Lit::Name(n, _) if n.ends_with("dangerouslyDisableDefaultSrc")) {
                written.push(name);
                continue;
            }
            let Some(srcs) = sources(&mut b, &format!("`{key}`"), &value, no_constants) else {
                // `null` removes a default directive.
                written.push(name);
                continue;
            };
            let verbatim = key == &name;
            b.directive(&name, Some((entry.key_range.clone(), verbatim)), &srcs);
            written.push(name);
        }
        if use_defaults {
            for (name, values) in HELMET_DEFAULTS {
                if written.iter().any(|w| w == name) {
                    continue;
                }
                let srcs: Vec<Src> = values
                    .iter()
                    .map(|v| Src {
                        text: (*v).to_string(),
                        at: None,
                    })
                    .collect();
                b.directive(name, None, &srcs);
            }
        }
        b.end_policy(disposition);
        // helmet sends X-Frame-Options too unless `frameguard: false`.
        let frames_guarded = !text.contains("frameguard: false");
        if let Some(found) = b.finish("helmet contentSecurityPolicy", frames_guarded) {
            out.found.push(found);
        }
    }
}

/// `os.environ.get("X", default)`, `os.getenv("X", default)`, `env("X", default=…)`,
/// `env.str("X", default=…)`: the default, and the variable's name.
fn environment_default(text: &str, value: &Lit) -> Option<(Lit, String)> {
    let Lit::Other(range) = value else {
        return None;
    };
    let call = &text[range.clone()];
    let open = call.find('(')?;
    let callee = call[..open].trim();
    if !matches!(
        callee,
        "os.environ.get" | "environ.get" | "os.getenv" | "getenv" | "env" | "env.str"
    ) {
        return None;
    }
    let args = literal::call_args(text, range.start + open, Lang::Python);
    let variable = match args.first() {
        Some((None, Lit::Str { value, .. })) => value.clone(),
        _ => return None,
    };
    let default = args
        .iter()
        .find(|(k, _)| k.as_deref() == Some("default"))
        .or_else(|| args.get(1).filter(|(k, _)| k.is_none()))
        .map(|(_, v)| v.clone())?;
    Some((default, variable))
}

fn snippet(text: &str, range: Range<usize>) -> String {
    let s: String = text.get(range).unwrap_or("").chars().take(40).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// django-csp 3.x: one CSP_* setting per directive.

/// The django-csp 3.x settings that name a directive.
const DJANGO_CSP_DIRECTIVES: &[&str] = &[
    "DEFAULT_SRC",
    "SCRIPT_SRC",
    "SCRIPT_SRC_ATTR",
    "SCRIPT_SRC_ELEM",
    "IMG_SRC",
    "OBJECT_SRC",
    "PREFETCH_SRC",
    "MEDIA_SRC",
    "FRAME_SRC",
    "FONT_SRC",
    "CONNECT_SRC",
    "STYLE_SRC",
    "STYLE_SRC_ATTR",
    "STYLE_SRC_ELEM",
    "BASE_URI",
    "CHILD_SRC",
    "FRAME_ANCESTORS",
    "NAVIGATE_TO",
    "FORM_ACTION",
    "SANDBOX",
    "REPORT_URI",
    "REPORT_TO",
    "MANIFEST_SRC",
    "WORKER_SRC",
    "PLUGIN_TYPES",
    "REQUIRE_SRI_FOR",
    "UPGRADE_INSECURE_REQUESTS",
    "BLOCK_ALL_MIXED_CONTENT",
    "REQUIRE_TRUSTED_TYPES_FOR",
    "TRUSTED_TYPES",
];

/// Top-level assignments `NAME = value` of the file whose name passes `wanted`: the name,
/// its range and the value.
fn top_level_settings(
    text: &str,
    wanted: impl Fn(&str) -> bool,
) -> Vec<(String, Range<usize>, Lit)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let name_len = line
            .bytes()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
            .count();
        if name_len == 0 || !wanted(&line[..name_len]) {
            continue;
        }
        let rest = line[name_len..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            continue;
        };
        if after.starts_with('=') {
            continue;
        }
        let eq = start + line.len() - after.len();
        if let Some((value, _)) = literal::read(text, eq, Lang::Python) {
            out.push((line[..name_len].to_string(), start..start + name_len, value));
        }
    }
    out
}

fn django_csp_3(text: &str, out: &mut CodePolicies) {
    if !text.contains("CSP_") {
        return;
    }
    let settings = top_level_settings(text, |n| n.starts_with("CSP_"));
    let directive_settings: Vec<&(String, Range<usize>, Lit)> = settings
        .iter()
        .filter(|(n, ..)| DJANGO_CSP_DIRECTIVES.contains(&&n[4..]))
        .collect();
    let Some(first) = directive_settings.first() else {
        return;
    };
    let mut b = Builder::new(text, Lang::Python, first.1.clone());
    let get = |name: &str| settings.iter().find(|(n, ..)| n == name);
    let disposition = match get("CSP_REPORT_ONLY").map(|(_, _, v)| b.resolve(v)) {
        Some(Lit::Bool(true, _)) => Disposition::ReportOnly,
        None | Some(Lit::Bool(false, _)) => Disposition::Enforce,
        Some(other) => {
            b.unresolved("CSP_REPORT_ONLY", other.range());
            Disposition::Enforce
        }
    };
    // Nonces go where CSP_INCLUDE_NONCE_IN says (when a template asks for one).
    let mut nonce_in: Vec<String> = Vec::new();
    if let Some((_, _, v)) = get("CSP_INCLUDE_NONCE_IN")
        && let Some(list) = sources(&mut b, "CSP_INCLUDE_NONCE_IN", v, no_constants)
    {
        nonce_in = list.into_iter().map(|s| s.text).collect();
    }
    b.begin_policy();
    if get("CSP_DEFAULT_SRC").is_none() {
        // django-csp 3.x sends default-src 'self' unless told otherwise.
        let srcs = with_nonce("default-src", Vec::new(), &nonce_in, &first.1);
        b.directive(
            "default-src",
            None,
            &[
                vec![Src {
                    text: "'self'".into(),
                    at: None,
                }],
                srcs,
            ]
            .concat(),
        );
    }
    for (name, range, value) in &directive_settings {
        let directive = name[4..].to_ascii_lowercase().replace('_', "-");
        let Some(srcs) = sources(&mut b, &format!("`{name}`"), value, no_constants) else {
            continue;
        };
        let srcs = with_nonce(&directive, srcs, &nonce_in, range);
        b.directive(&directive, Some((range.clone(), false)), &srcs);
    }
    b.end_policy(disposition);
    let guarded = text.contains("XFrameOptionsMiddleware") || text.contains("X_FRAME_OPTIONS");
    if let Some(found) = b.finish("django-csp settings", guarded) {
        out.found.push(found);
    }
}

fn with_nonce(
    directive: &str,
    mut srcs: Vec<Src>,
    nonce_in: &[String],
    at: &Range<usize>,
) -> Vec<Src> {
    if nonce_in.iter().any(|n| n == directive) {
        srcs.push(Src::placed(RUNTIME_NONCE, at.clone(), false));
    }
    srcs
}

// ---------------------------------------------------------------------------------------
// django-csp 4.x `CONTENT_SECURITY_POLICY = {"DIRECTIVES": …}` and Django 6's `SECURE_CSP`.

fn django_dict(text: &str, out: &mut CodePolicies) {
    if !text.contains("CONTENT_SECURITY_POLICY") && !text.contains("SECURE_CSP") {
        return;
    }
    let settings = top_level_settings(text, |n| {
        matches!(
            n,
            "CONTENT_SECURITY_POLICY"
                | "CONTENT_SECURITY_POLICY_REPORT_ONLY"
                | "SECURE_CSP"
                | "SECURE_CSP_REPORT_ONLY"
        )
    });
    let Some(first) = settings.first() else {
        return;
    };
    let mut b = Builder::new(text, Lang::Python, first.1.clone());
    let mut any = false;
    let django_csp_file = [
        "csp.constants",
        "\"DIRECTIVES\"",
        "'DIRECTIVES'",
        "csp.middleware",
        "django.utils.csp",
    ]
    .iter()
    .any(|sign| text.contains(sign));
    for (name, range, value) in &settings {
        let disposition = if name.ends_with("_REPORT_ONLY") {
            Disposition::ReportOnly
        } else {
            Disposition::Enforce
        };
        let mut value = b.resolve(value);
        if let Some((default, variable)) = environment_default(text, &value) {
            b.conditional.push(format!(
                "{name} is read from the environment variable {variable}; this is its default"
            ));
            value = default;
        }
        if let Lit::Str {
            value: policy,
            range: at,
            verbatim,
        } = &value
        {
            // A whole header string (Flask apps keep Talisman's policy in such a setting).
            b.setting = range.clone();
            b.begin_policy();
            b.push(policy, Some((at.clone(), *verbatim)));
            b.directives_in_policy = 1;
            b.end_policy(disposition);
            any = true;
            continue;
        }
        let directives = if name.starts_with("SECURE_CSP") {
            value
        } else {
            match &value {
                Lit::Map(..) => match value.get("DIRECTIVES") {
                    Some(e) => b.resolve(&e.value),
                    // The library's own defaults apply: nothing of the project's to judge.
                    None => continue,
                },
                other => other.clone(),
            }
        };
        let entries = match directives {
            Lit::Map(entries, _) => entries,
            Lit::Null(_) | Lit::Bool(..) => continue,
            other => {
                if !django_csp_file {
                    // Some other framework's setting of the same name.
                    continue;
                }
                out.unreadable.push((
                    range.start,
                    format!(
                        "web: {name} is not a literal dict here (`{}`), so its policy was not evaluated",
                        snippet(text, other.range())
                    ),
                ));
                continue;
            }
        };
        b.setting = range.clone();
        b.begin_policy();
        for entry in &entries {
            let Some(key) = &entry.key else {
                b.unresolved(&format!("a directive of {name}"), entry.key_range.clone());
                continue;
            };
            let Some(srcs) = sources(&mut b, &format!("`{key}`"), &entry.value, django_constant)
            else {
                continue;
            };
            b.directive(key, Some((entry.key_range.clone(), true)), &srcs);
        }
        b.end_policy(disposition);
        any = true;
    }
    if !any {
        return;
    }
    b.setting = first.1.clone();
    let guarded = text.contains("XFrameOptionsMiddleware") || text.contains("X_FRAME_OPTIONS");
    if let Some(found) = b.finish("Django CSP settings", guarded) {
        out.found.push(found);
    }
}

// ---------------------------------------------------------------------------------------
// Flask-Talisman

/// Talisman's default policy (Flask-Talisman 1.x).
const TALISMAN_DEFAULTS: &[(&str, &str)] = &[("default-src", "'self'"), ("object-src", "'none'")];

fn talisman(text: &str, out: &mut CodePolicies) {
    if !text.contains("Talisman") {
        return;
    }
    let mut calls: Vec<usize> = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("Talisman(") {
        let start = from + at;
        from = start + 1;
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        calls.push(start);
    }
    // `talisman.init_app(app, …)` on an instance made without settings.
    let mut from = 0;
    while let Some(at) = text[from..].find(".init_app(") {
        let start = from + at;
        from = start + 1;
        let receiver_len = text[..start]
            .bytes()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
            .count();
        let receiver = &text[start - receiver_len..start];
        if receiver.to_ascii_lowercase().contains("talisman") {
            calls.push(start);
        }
    }
    for start in calls {
        let Some(open) = text[start..].find('(').map(|p| start + p) else {
            continue;
        };
        let args = literal::call_args(text, open, Lang::Python);
        let name_end = open;
        let mut b = Builder::new(text, Lang::Python, start..name_end);
        let kw = |k: &str| {
            args.iter()
                .find(|(n, _)| n.as_deref() == Some(k))
                .map(|(_, v)| v)
        };
        if args.is_empty() {
            // `Talisman()`, configured later by `init_app(app, …)`.
            continue;
        }
        let disposition = match kw("content_security_policy_report_only").map(|v| b.resolve(v)) {
            Some(Lit::Bool(true, _)) => Disposition::ReportOnly,
            None | Some(Lit::Bool(false, _)) => Disposition::Enforce,
            Some(other) => {
                b.unresolved("content_security_policy_report_only", other.range());
                Disposition::Enforce
            }
        };
        let nonce_in: Vec<String> = match kw("content_security_policy_nonce_in") {
            Some(v) => sources(&mut b, "content_security_policy_nonce_in", v, no_constants)
                .unwrap_or_default()
                .into_iter()
                .map(|s| s.text)
                .collect(),
            None => Vec::new(),
        };
        let policy = kw("content_security_policy").map(|v| b.resolve(v));
        b.begin_policy();
        let mut written: Vec<String> = Vec::new();
        match &policy {
            None => {
                for (name, value) in TALISMAN_DEFAULTS {
                    let srcs = with_nonce(
                        name,
                        vec![Src {
                            text: (*value).into(),
                            at: None,
                        }],
                        &nonce_in,
                        &(start..name_end),
                    );
                    b.directive(name, None, &srcs);
                    written.push((*name).into());
                }
            }
            Some(Lit::Null(_) | Lit::Bool(false, _)) => continue,
            Some(Lit::Str {
                value,
                range,
                verbatim,
            }) => {
                // A whole policy string: kept as written.
                b.push(value, Some((range.clone(), *verbatim)));
                b.directives_in_policy = 1;
            }
            Some(Lit::Map(entries, _)) => {
                for entry in entries {
                    let Some(key) = &entry.key else {
                        b.unresolved("a directive", entry.key_range.clone());
                        continue;
                    };
                    let Some(srcs) =
                        sources(&mut b, &format!("`{key}`"), &entry.value, no_constants)
                    else {
                        continue;
                    };
                    let srcs = with_nonce(key, srcs, &nonce_in, &entry.key_range);
                    b.directive(key, Some((entry.key_range.clone(), true)), &srcs);
                    written.push(key.clone());
                }
            }
            Some(other) => {
                out.unreadable.push((
                    start,
                    format!(
                        "web: Talisman's content_security_policy is not a literal here (`{}`), so the policy was not evaluated",
                        snippet(text, other.range())
                    ),
                ));
                continue;
            }
        }
        // Talisman adds the nonce to directives it was asked to even when they are absent.
        for name in &nonce_in {
            if !written.contains(name) && !matches!(policy, Some(Lit::Str { .. })) {
                b.directive(
                    name,
                    None,
                    &[Src::placed(RUNTIME_NONCE, start..name_end, false)],
                );
            }
        }
        b.end_policy(disposition);
        // Talisman sends X-Frame-Options: SAMEORIGIN unless frame_options is turned off.
        let guarded = !matches!(
            kw("frame_options").map(|v| b.resolve(v)),
            Some(Lit::Null(_))
        );
        if let Some(found) = b.finish("Flask-Talisman content_security_policy", guarded) {
            out.found.push(found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csp::{Check, EvalOptions};

    fn checks(text: &str, lang: Lang) -> Vec<(Check, String)> {
        let found = find(text, lang).found;
        let mut out = Vec::new();
        for f in &found {
            for issue in csp::evaluate(&f.policies, EvalOptions::default()) {
                if f.frames_guarded && issue.check == Check::MissingFrameAncestors {
                    continue;
                }
                let range = f.file_range(issue.range.clone());
                out.push((issue.check, text[range].to_string()));
            }
        }
        out
    }

    #[test]
    fn helmet_directives_are_merged_with_its_defaults_and_placed() {
        let js = "const helmet = require('helmet');\napp.use(helmet.contentSecurityPolicy({\n  directives: {\n    scriptSrc: [\"'self'\", \"'unsafe-inline'\"],\n  },\n}));\n";
        let got = checks(js, Lang::Js);
        assert_eq!(
            got,
            vec![(Check::UnsafeInline, "'unsafe-inline'".to_string())]
        );
    }

    #[test]
    fn helmet_without_defaults_misses_what_it_leaves_out() {
        let js = "import helmet from 'helmet';\napp.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': [\"'self'\"] } } }));\n";
        let got: Vec<Check> = checks(js, Lang::Js).into_iter().map(|c| c.0).collect();
        assert!(got.is_empty(), "{got:?}");
        let js = "import helmet from 'helmet';\napp.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: { scriptSrc: [\"'self'\"] } } }));\n";
        let got: Vec<Check> = checks(js, Lang::Js).into_iter().map(|c| c.0).collect();
        assert_eq!(got, vec![Check::MissingObjectSrc]);
    }

    #[test]
    fn a_nonce_function_counts_as_a_nonce() {
        let js = "const helmet = require('helmet');\napp.use(helmet({ contentSecurityPolicy: { directives: { scriptSrc: [(req, res) => `'nonce-${res.locals.n}'`, \"'strict-dynamic'\", \"'unsafe-inline'\", 'https:'] } } }));\n";
        assert!(checks(js, Lang::Js).is_empty());
    }

    #[test]
    fn unresolved_values_make_the_policy_uncertain() {
        let js = "const helmet = require('helmet');\napp.use(helmet({ contentSecurityPolicy: { directives: { scriptSrc: [\"'unsafe-inline'\", ...extra] } } }));\n";
        let found = find(js, Lang::Js).found;
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .uncertain
                .as_deref()
                .is_some_and(|u| u.contains("...extra"))
        );
        let js = "const helmet = require('helmet');\napp.use(helmet({ contentSecurityPolicy: loadPolicy() }));\n";
        let got = find(js, Lang::Js);
        assert!(got.found.is_empty());
        assert_eq!(got.unreadable.len(), 1);
    }

    #[test]
    fn django_csp_3_settings() {
        let py = "CSP_DEFAULT_SRC = (\"'self'\",)\nCSP_SCRIPT_SRC = (\"'self'\", \"'unsafe-eval'\")\nCSP_INCLUDE_NONCE_IN = ['script-src']\n";
        let got = checks(py, Lang::Python);
        assert!(
            got.contains(&(Check::UnsafeEval, "'unsafe-eval'".to_string())),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(c, at)| *c == Check::MissingBaseUri && at == "CSP_SCRIPT_SRC"),
            "{got:?}"
        );
    }

    #[test]
    fn django_csp_4_and_django_6_dicts() {
        let py = "from csp.constants import SELF, UNSAFE_INLINE\nCONTENT_SECURITY_POLICY = {\n    \"DIRECTIVES\": {\n        \"default-src\": [SELF],\n        \"script-src\": [SELF, UNSAFE_INLINE],\n        \"object-src\": [\"'none'\"],\n    },\n}\n";
        let got = checks(py, Lang::Python);
        assert!(
            got.contains(&(Check::UnsafeInline, "UNSAFE_INLINE".to_string())),
            "{got:?}"
        );
        let py = "from django.utils.csp import CSP\nSECURE_CSP = {\"default-src\": [CSP.SELF], \"script-src\": [CSP.SELF, \"https:\"]}\n";
        let got = checks(py, Lang::Python);
        assert!(
            got.contains(&(Check::PermissiveScriptSource, "https:".to_string())),
            "{got:?}"
        );
    }

    #[test]
    fn a_policy_string_setting_and_its_environment_default() {
        let py = "CONTENT_SECURITY_POLICY = os.environ.get(\n    \"APP_CSP\",\n    \"default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'\",\n)\nCONTENT_SECURITY_POLICY_REPORT_ONLY = parse_boolean(os.environ.get(\"APP_CSP_RO\", \"false\"))\n";
        let got = find(py, Lang::Python);
        assert!(got.unreadable.is_empty(), "{:?}", got.unreadable);
        assert_eq!(got.found.len(), 1);
        assert!(
            got.found[0]
                .uncertain
                .as_deref()
                .is_some_and(|u| u.contains("APP_CSP"))
        );
        let checks: Vec<(Check, String)> = checks(py, Lang::Python);
        assert!(
            checks.contains(&(Check::UnsafeEval, "'unsafe-eval'".to_string())),
            "{checks:?}"
        );
    }

    #[test]
    fn talisman_dict_string_and_defaults() {
        let py = "from flask_talisman import Talisman\ncsp = {\n    'default-src': \"'self'\",\n    'script-src': [\"'self'\", '*.googleapis.com', \"'unsafe-inline'\"],\n}\nTalisman(app, content_security_policy=csp)\n";
        let got = checks(py, Lang::Python);
        assert!(
            got.contains(&(Check::UnsafeInline, "'unsafe-inline'".to_string())),
            "{got:?}"
        );
        let py = "Talisman(app, content_security_policy=\"default-src 'self'; script-src * 'unsafe-eval'\")\n";
        let got: Vec<Check> = checks(py, Lang::Python).into_iter().map(|c| c.0).collect();
        assert!(
            got.contains(&Check::UnsafeEval) && got.contains(&Check::PermissiveScriptSource),
            "{got:?}"
        );
        let py = "Talisman(app)\nTalisman(app, content_security_policy=None)\n";
        assert!(checks(py, Lang::Python).is_empty());
        let py = "Talisman(app, content_security_policy_nonce_in=['script-src'])\n";
        let got: Vec<Check> = checks(py, Lang::Python).into_iter().map(|c| c.0).collect();
        assert_eq!(got, vec![Check::MissingBaseUri]);
    }
}
