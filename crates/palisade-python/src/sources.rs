//! Where data from outside a Python program enters it: the one catalogue that both value
//! models use — `values::outside_origin` (a quick "does this derive from outside?" for
//! `python/shell-command-injection` and `python/unsafe-deserialization`) and `flow` (the
//! string-construction evaluator behind `python/sql-injection`).
//!
//! Each question takes names as the models see them (an import-resolved dotted name, a
//! method name, a parameter name), so the models keep their own way of walking the tree
//! and only the knowledge of *what counts as outside* lives here.

/// What kind of outside source a value is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The web request: Flask's, Quart's or Bottle's `request` proxy, a `request`/`req`
    /// parameter, a class-based view's `self.request`.
    Request,
    /// `input()` or standard input.
    UserInput,
    /// The command line: `sys.argv`, argparse's `parse_args()`.
    CommandLine,
    /// The environment: `os.environ`, `os.getenv`.
    Environment,
    /// Bytes received from a socket: `recv`, `recvfrom`, …
    Network,
}

/// Request proxies that frameworks export as module-level names.
const REQUEST_PROXIES: &[&str] = &["flask.request", "quart.request", "bottle.request"];

/// Whether `resolved` is `prefix` or a name under it (`flask.request.args`).
fn is_under(resolved: &str, prefix: &str) -> bool {
    resolved
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// The source an imported name reads (a fully qualified, import-resolved dotted name, or a
/// name under it): `flask.request.args` → request, `sys.argv` → command line, `sys.stdin` →
/// user input, `os.environ["X"]` → environment.
pub fn imported_source(resolved: &str) -> Option<Source> {
    if REQUEST_PROXIES.iter().any(|p| is_under(resolved, p)) {
        Some(Source::Request)
    } else if is_under(resolved, "sys.argv") {
        Some(Source::CommandLine)
    } else if is_under(resolved, "sys.stdin") {
        Some(Source::UserInput)
    } else if is_under(resolved, "os.environ") || is_under(resolved, "os.environb") {
        Some(Source::Environment)
    } else {
        None
    }
}

/// The source a call to an imported function returns (its import-resolved name):
/// `os.getenv(...)`, `os.environ.get(...)`, `flask.request.args.get(...)`.
pub fn called_source(resolved: &str) -> Option<Source> {
    match resolved {
        "os.getenv" | "os.getenvb" => Some(Source::Environment),
        _ => imported_source(resolved),
    }
}

/// The source a builtin returns when it is called by this name and not shadowed: `input()`.
pub fn builtin_source(name: &str) -> Option<Source> {
    (name == "input").then_some(Source::UserInput)
}

/// Methods whose result is outside data whatever the receiver's type is known to be:
/// argparse's `parse_args()` and a socket's `recv()`.
pub fn method_source(method: &str) -> Option<Source> {
    match method {
        "parse_args" | "parse_known_args" => Some(Source::CommandLine),
        "recv" | "recvfrom" | "recv_bytes" | "recvmsg" => Some(Source::Network),
        _ => None,
    }
}

/// The source a function parameter is by its name: `request`/`req` hold the web request.
/// Other parameters are what a caller passes (the models say so in their own terms).
pub fn parameter_source(name: &str) -> Option<Source> {
    matches!(name, "request" | "req").then_some(Source::Request)
}

/// Whether a parameter is the receiver of a method (`self`, `cls`): the object, not data a
/// caller passed.
pub fn is_receiver(name: &str) -> bool {
    matches!(name, "self" | "cls")
}

/// The source an attribute chain on the method's receiver reads: a class-based view's
/// `self.request.GET` → request.
pub fn receiver_source(dotted: &str) -> Option<Source> {
    dotted
        .strip_prefix("self.request.")
        .is_some()
        .then_some(Source::Request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_catalogue_of_outside_sources() {
        assert_eq!(imported_source("flask.request"), Some(Source::Request));
        assert_eq!(imported_source("quart.request.args"), Some(Source::Request));
        assert_eq!(
            imported_source("bottle.request.query"),
            Some(Source::Request)
        );
        assert_eq!(imported_source("flask.requests"), None);
        assert_eq!(imported_source("sys.argv"), Some(Source::CommandLine));
        assert_eq!(imported_source("sys.stdin.read"), Some(Source::UserInput));
        assert_eq!(imported_source("os.environ"), Some(Source::Environment));
        assert_eq!(
            imported_source("os.environb.get"),
            Some(Source::Environment)
        );
        assert_eq!(imported_source("os.environment"), None);
        assert_eq!(called_source("os.getenv"), Some(Source::Environment));
        assert_eq!(called_source("os.environ.get"), Some(Source::Environment));
        assert_eq!(called_source("os.path.join"), None);
        assert_eq!(builtin_source("input"), Some(Source::UserInput));
        assert_eq!(method_source("parse_args"), Some(Source::CommandLine));
        assert_eq!(method_source("recv"), Some(Source::Network));
        assert_eq!(parameter_source("request"), Some(Source::Request));
        assert_eq!(parameter_source("sort"), None);
        assert!(is_receiver("self"));
        assert_eq!(receiver_source("self.request.GET"), Some(Source::Request));
        assert_eq!(receiver_source("self.requests"), None);
    }
}
