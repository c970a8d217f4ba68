//! Times the JavaScript/TypeScript analysis against a parse-only pass over the same files:
//! `cargo run --release -p palisade-web --example js_bench -- <folder>` (not a timed test;
//! figures go into bench notes). Files are read first, so both passes time only the work on
//! text in memory; minified bundles are skipped as the analyzer skips them.

use palisade_core::config::RuleSet;
use palisade_core::{FileContext, SourceFile};
use palisade_web::{html, js, rules};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "node_modules" | ".git" | "dist" | "build" | ".next"
            ) {
                walk(&path, out);
            }
        } else if js::grammar_for(name.rsplit_once('.').map_or("", |(_, e)| e)).is_some()
            && !name.contains(".min.")
        {
            out.push(path);
        }
    }
}

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".to_string());
    let mut paths = Vec::new();
    walk(Path::new(&root), &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let lines = text.lines().count().max(1);
            (text.len() / lines <= 300).then(|| (p.display().to_string(), text))
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let grammar = |p: &str| js::grammar_for(p.rsplit_once('.').map_or("", |(_, e)| e)).unwrap();

    let started = Instant::now();
    for (path, text) in &files {
        let _ = palisade_syntax::parse(grammar(path), text);
    }
    let parse_only = started.elapsed();

    let registry: Vec<_> = rules::METAS.to_vec();
    let set = RuleSet::all(&registry);
    let js_rules: Vec<&rules::JsRule> = rules::JS_RULES.to_vec();
    let started = Instant::now();
    let mut findings = 0;
    for (path, text) in &files {
        let file = SourceFile::in_memory(path, text);
        let mut cx = FileContext::new(&file, &set);
        let _ = js::with_script(grammar(path), text, 0, |s| {
            html::run(s, &file, &mut cx, &js_rules)
        });
        findings += cx.into_parts().0.len();
    }
    let analysis = started.elapsed();
    println!(
        "{} files, {:.1} MB: parse-only {:.2?}, parse + model + {} JS rules {:.2?} ({:.2}x), {findings} findings",
        files.len(),
        bytes as f64 / 1e6,
        parse_only,
        js_rules.len(),
        analysis,
        analysis.as_secs_f64() / parse_only.as_secs_f64().max(1e-9)
    );
}
