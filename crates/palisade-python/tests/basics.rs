//! The backend-basics rules on inputs the fixtures cannot hold: broken and Python 2 files,
//! cyclic assignments, and the promise never to reveal a found secret.

use palisade_core::config::RuleSet;
use palisade_core::{Analyzer, Finding, SourceFile};
use palisade_core::{Diagnostic, FileContext};
use palisade_python::PythonAnalyzer;

fn scan(path: &str, text: &str) -> (Vec<Finding>, Vec<Diagnostic>) {
    let analyzer = PythonAnalyzer;
    let rules = RuleSet::all(analyzer.rules());
    let file = SourceFile::in_memory(path, text);
    let mut cx = FileContext::new(&file, &rules);
    let _ = analyzer.check_file(&file, &mut cx, &Default::default());
    let (findings, diagnostics) = cx.into_parts();
    (findings, diagnostics)
}

fn rules_at(findings: &[Finding]) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = findings
        .iter()
        .map(|f| (f.rule_id().to_string(), f.location.line()))
        .collect();
    out.sort();
    out
}

#[test]
fn python2_file_with_a_syntax_error_gets_a_notice_and_its_findings() {
    // tree-sitter-python still parses Python 2 `print` statements; `if mode = 1:` below
    // is a syntax error in every Python.
    let text = r#"import os, sys, pickle
import cPickle

print "restoring", sys.argv[1]; if mode = 1: pass
os.system("tar xzf " + sys.argv[1])
state = cPickle.loads(open(sys.argv[2]).read())
SECRET_KEY = "py2-era-secret"
"#;
    let (findings, diagnostics) = scan("legacy/restore.py", text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let found = rules_at(&findings);
    assert!(
        found.contains(&("python/shell-command-injection".to_string(), 5)),
        "{found:?}"
    );
    assert!(
        found.contains(&("python/unsafe-deserialization".to_string(), 6)),
        "{found:?}"
    );
    assert!(
        found.contains(&("python/hardcoded-secret-key".to_string(), 7)),
        "{found:?}"
    );
}

#[test]
fn cyclic_assignments_end_as_unknown() {
    let text = r#"import os
import subprocess

def loop(a):
    cmd = cmd2 + " -v"
    cmd2 = cmd + a
    cmd += cmd2
    os.system(cmd)

def constant_cycle():
    x = y
    y = x
    subprocess.run(x, shell=True)
"#;
    let (findings, diagnostics) = scan("ops/cycle.py", text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let found = rules_at(&findings);
    assert_eq!(
        found,
        vec![
            ("python/shell-command-injection".to_string(), 8),
            ("python/shell-command-injection".to_string(), 13),
        ]
    );
}

/// Names assigned from several other names each, many deep: following every path would take
/// minutes (as a fuzzed file did); the budget per question ends it, and the parameter that
/// reaches the command on the shortest path is still found.
#[test]
fn branching_assignment_chains_are_followed_within_a_budget() {
    let mut text = String::from("import os\n\ndef build(arg):\n    v0 = arg\n");
    for i in 1..=12 {
        let p = i - 1;
        text.push_str(&format!(
            "    v{i} = v{p} + '-' + v{p}\n    if v{p}:\n        v{i} = v{p} + v{p} + v{p}\n"
        ));
    }
    text.push_str("    os.system(v12)\n    os.system(v3)\n");
    // (The flow index may note that it did not follow the chain to its end.)
    let (findings, _) = scan("ops/chain.py", &text);
    let found = rules_at(&findings);
    assert!(
        found.contains(&("python/shell-command-injection".to_string(), 42)),
        "{found:?}"
    );
}

#[test]
fn secrets_are_masked_and_never_in_messages() {
    let literal = "q7w-x0k2-z9v-t1m3";
    let text = format!(
        "import jwt\n\nSECRET_KEY = \"{literal}\"\n\ndef token(p):\n    return jwt.encode(p, \"{literal}\", algorithm=\"HS256\")\n"
    );
    let (findings, _) = scan("shop/settings.py", &text);
    let secrets: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule_id() == "python/hardcoded-secret-key")
        .collect();
    assert_eq!(secrets.len(), 2, "{findings:?}");
    for f in secrets {
        assert!(!f.message.contains(literal), "{}", f.message);
        assert_eq!(f.secrets.len(), 1, "the literal must be marked for masking");
        let span = f.secrets[0];
        assert_eq!(span.start_line, f.location.line());
    }
}

#[test]
fn test_code_and_test_settings_are_quiet() {
    let text = "DEBUG = True\nSECRET_KEY = \"x-test-key\"\nINSTALLED_APPS = []\n";
    for path in [
        "config/settings/test.py",
        "mysite/test_settings.py",
        "mysite/settings_test.py",
        "tests/settings.py",
    ] {
        let (findings, _) = scan(path, text);
        assert!(findings.is_empty(), "{path}: {findings:?}");
    }
    let (findings, _) = scan("mysite/settings.py", text);
    assert_eq!(findings.len(), 2, "{findings:?}");
}

#[test]
fn non_settings_modules_may_say_debug() {
    let text = "DEBUG = True\nVERBOSE = True\n";
    let (findings, _) = scan("billing/flags.py", text);
    assert!(findings.is_empty(), "{findings:?}");
    // …unless they are settings by what they define.
    let text = "DEBUG = True\nROOT_URLCONF = \"mysite.urls\"\n";
    let (findings, _) = scan("mysite/conf_prod.py", text);
    assert_eq!(
        rules_at(&findings),
        vec![("python/debug-mode-enabled".to_string(), 1)]
    );
}

/// Many deserialization calls at module level, each tracing a branching chain of names
/// through a long module: each name followed walked the whole module again for its bindings
/// (a fuzzed 24 KB file took 10 s; this one several minutes in a debug build); each scope
/// is now walked once per file, and the origin on the shortest path is still found.
#[test]
fn many_questions_in_one_long_scope_walk_it_once() {
    let mut text = String::from("import pickle\nimport sys\n\nv0 = sys.argv[1]\n");
    for i in 1..=12 {
        let p = i - 1;
        text.push_str(&format!(
            "v{i} = v{p} + '-' + v{p}\nif v{p}:\n    v{i} = v{p} + v{p} + v{p}\n"
        ));
    }
    for i in 0..1500 {
        text.push_str(&format!(
            "setting_{i} = load_setting('key_{i}', default={i})\n"
        ));
    }
    for i in 0..20 {
        text.push_str(&format!("state_{i} = pickle.loads(v12)\n"));
    }
    text.push_str("restored = pickle.loads(v3)\n");
    let last = text.lines().count() as u32;
    let (findings, _) = scan("ops/restore.py", &text);
    let deserialized: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule_id() == "python/unsafe-deserialization")
        .collect();
    assert_eq!(deserialized.len(), 21, "{findings:?}");
    let restored = deserialized
        .iter()
        .find(|f| f.location.line() == last)
        .expect("the last call is reported");
    assert_eq!(restored.confidence, palisade_core::Confidence::High);
}
