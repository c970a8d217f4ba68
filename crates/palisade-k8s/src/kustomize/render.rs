//! Running the rendering tool safely: `kubectl kustomize <dir>`, else `kustomize build
//! <dir>`, found in an absolute folder of `PATH`, with no flag that enables plugins, exec
//! functions or Helm inflation, an empty environment (proxies pointed at a closed local port),
//! at most [`TIMEOUT`], and only the first line of its standard error kept for a notice.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the rendering tool may run before it is killed.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Rendered output beyond this is not read (the tool is then stopped by the timeout).
const MAX_OUTPUT: u64 = 64 << 20;
pub(super) enum ToolKind {
    Kubectl,
    Kustomize,
}

pub(super) struct Tool {
    pub(super) path: PathBuf,
    pub(super) name: &'static str,
    pub(super) kind: ToolKind,
}

/// `kubectl`, else `kustomize`, from an absolute folder of `PATH` (never a relative one,
/// which could be inside the scanned repository).
pub(super) fn find_tool() -> Option<Tool> {
    let path = std::env::var_os("PATH")?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|d| d.is_absolute())
        .collect();
    for (name, kind) in [
        ("kubectl", ToolKind::Kubectl),
        ("kustomize", ToolKind::Kustomize),
    ] {
        let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
        if let Some(found) = dirs
            .iter()
            .map(|d| d.join(&file))
            .find(|p| is_executable(p))
        {
            return Some(Tool {
                path: found,
                name,
                kind,
            });
        }
    }
    None
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = path.metadata() else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// A closed port on the loopback interface: every proxied request fails at once.
const NO_PROXY_ADDR: &str = "http://127.0.0.1:9";

/// Runs the tool over `dir`, returning its output or its first error line.
pub(super) fn run(tool: &Tool, dir: &Path, timeout: Duration) -> Result<String, String> {
    let mut command = Command::new(&tool.path);
    match tool.kind {
        ToolKind::Kubectl => command.arg("kustomize"),
        ToolKind::Kustomize => command.arg("build"),
    };
    command
        .arg(dir)
        .current_dir(dir)
        .env_clear()
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env(var, NO_PROXY_ADDR);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", tool.name))?;
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("it ran longer than {} s", timeout.as_secs()));
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("waiting for it failed: {e}"));
            }
        }
    };
    // Its output is complete once it exits (unless something it started holds the pipe).
    let grace = Duration::from_secs(5);
    let out = stdout.recv_timeout(grace).unwrap_or_default();
    let err = stderr.recv_timeout(grace).unwrap_or_default();
    if !status.success() {
        return Err(first_error(&err, dir));
    }
    String::from_utf8(out).map_err(|_| "its output is not UTF-8".to_string())
}

fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (send, receive) = mpsc::channel();
    if let Some(pipe) = pipe {
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let _ = pipe.take(MAX_OUTPUT).read_to_end(&mut buffer);
            let _ = send.send(buffer);
        });
    }
    receive
}

/// The tool's first error line, without kubectl's log prefix, with the folder's own path
/// left out (messages are shorter and stay relative).
fn first_error(stderr: &[u8], dir: &Path) -> String {
    let text = String::from_utf8_lossy(stderr);
    let mut lines = text.lines();
    let Some(line) = lines.by_ref().map(str::trim).find(|l| !l.is_empty()) else {
        return "it failed without a message".to_string();
    };
    // kubectl: `E1127 22:45:43.963536   10245 run.go:72] "command failed" err="…"`, or, for
    // a message of several lines, `err=<` followed by its lines, indented, up to ` >`. The
    // log prefix (time, process) never reaches the notice: a report stays the same from one
    // scan to the next.
    let message = if let Some(at) = line.find("err=\"") {
        let rest = &line[at + 5..];
        rest.strip_suffix('"')
            .unwrap_or(rest)
            .replace("\\\"", "\"")
            .replace("\\'", "'")
    } else if line.ends_with("err=<") {
        lines
            .take_while(|l| l.trim() != ">")
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else if let Some((_, rest)) = line.split_once("] ").filter(|_| is_klog_line(line)) {
        rest.to_string()
    } else {
        line.strip_prefix("Error: ").unwrap_or(line).to_string()
    };
    let message = message.replace(&format!("{}/", dir.display()), "");
    let mut short: String = message.chars().take(300).collect();
    if short.len() < message.len() {
        short.push('…');
    }
    short
}

/// Whether `line` starts with klog's prefix: a severity letter and the date (`E1127 `).
fn is_klog_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() > 6
        && b"IWEF".contains(&bytes[0])
        && bytes[1..5].iter().all(u8::is_ascii_digit)
        && bytes[5] == b' '
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_errors_lose_their_log_prefix() {
        let stderr = br#"E1127 22:45:43.963536   10245 run.go:72] "command failed" err="accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/k/broken/missing.yaml' : lstat /k/broken/missing.yaml: no such file or directory'""#;
        let message = first_error(stderr, Path::new("/k/broken"));
        assert!(message.starts_with("accumulating resources:"), "{message}");
        assert!(!message.contains("/k/broken/"), "{message}");
        assert_eq!(
            first_error(b"Error: must build at directory\n", Path::new("/k")),
            "must build at directory"
        );
        let several = b"E1203 21:34:12.105050   29277 run.go:72] \"command failed\" err=<\n\ttrouble configuring builtin HelmChartInflationGenerator with config: `\n\tname: chart\n\t`: must specify --enable-helm\n >\n";
        assert_eq!(
            first_error(several, Path::new("/k")),
            "trouble configuring builtin HelmChartInflationGenerator with config: ` name: chart `: must specify --enable-helm"
        );
        assert_eq!(
            first_error(
                b"W1203 21:34:12.105050   29277 run.go:72] something else\n",
                Path::new("/k")
            ),
            "something else"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_tool_that_hangs_is_killed_and_one_that_fails_gives_its_first_line() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("palisade-kustomize-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = |name: &str, body: &str| {
            let path = dir.join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            Tool {
                path,
                name: "kustomize",
                kind: ToolKind::Kustomize,
            }
        };
        let hangs = script("hangs", "exec /bin/sleep 30");
        let started = Instant::now();
        let error = run(&hangs, &dir, Duration::from_millis(300)).unwrap_err();
        assert!(error.contains("ran longer than"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(10));
        let fails = script(
            "fails",
            "echo 'Error: no kustomization here' >&2\necho second >&2\nexit 1",
        );
        assert_eq!(
            run(&fails, &dir, TIMEOUT).unwrap_err(),
            "no kustomization here"
        );
        // The environment is empty: nothing to find `git` (or anything else) with.
        let env = script("env", "exec /usr/bin/env");
        let out = run(&env, &dir, TIMEOUT).unwrap();
        assert!(out.contains("HTTPS_PROXY=http://127.0.0.1:9"), "{out}");
        assert!(!out.lines().any(|l| l.starts_with("PATH=")), "{out}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
