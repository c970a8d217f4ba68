//! `palisade endpoints`: the endpoint inventory of a Python backend — every route with its
//! methods, full path, handler, authentication and scopes — read from the source without
//! running any rule.

use crate::cli::{EndpointsArgs, TableFormat};
use crate::commands::is_stdin;
use crate::{Failure, exit, output, sources};
use palisade_python::PythonAnalyzer;
use palisade_python::endpoints::{Endpoint, Project};
use serde_json::{Value, json};

/// The inventory of every Python file under the given paths, as a scan's project pass sees it.
fn load(args: &EndpointsArgs) -> Result<Vec<Endpoint>, Failure> {
    if args.paths.iter().any(|p| is_stdin(p)) {
        return Err(Failure::usage(
            "endpoints reads files and folders, not standard input",
        ));
    }
    let config = sources::load_config(args.config.as_deref(), &args.paths)?;
    let facts = sources::collect_facts(&PythonAnalyzer, &args.paths, &config, None)?;
    Ok(palisade_python::endpoints::endpoints(&Project::new(facts)))
}

fn endpoint_json(e: &Endpoint) -> Value {
    json!({
        "methods": e.methods,
        "path": e.path,
        "handler": { "path": e.handler.path, "line": e.handler.line, "name": e.handler.name },
        "auth": e.auth(),
        "scopes": e.scopes(),
        "framework": e.framework,
    })
}

/// A cell shortened to a readable width (generated code can have absurdly long names).
fn cell(text: String) -> String {
    const MAX: usize = 72;
    if text.chars().count() <= MAX {
        return text;
    }
    text.chars().take(MAX - 1).collect::<String>() + "…"
}

fn table(endpoints: &[Endpoint]) -> String {
    let rows: Vec<[String; 5]> = endpoints
        .iter()
        .map(|e| {
            let scopes = e.scopes();
            [
                e.methods.join(","),
                cell(e.path.clone()),
                cell(e.auth().unwrap_or_else(|| "NONE".to_string())),
                cell(if scopes.is_empty() {
                    "-".to_string()
                } else {
                    scopes.join(", ")
                }),
                format!("{}:{}", e.handler.path, e.handler.line),
            ]
        })
        .collect();
    let mut out =
        crate::output::aligned_table(&["METHODS", "PATH", "AUTH", "SCOPES", "HANDLER"], &rows);
    let open = endpoints.iter().filter(|e| e.checks.is_empty()).count();
    let open_changing = endpoints
        .iter()
        .filter(|e| e.checks.is_empty() && e.changes_state())
        .count();
    if endpoints.is_empty() {
        out = "(no Flask, FastAPI, Django or aiohttp endpoint found)\n".to_string();
    } else {
        out.push_str(&format!(
            "\n{} endpoint{}; {open} without authentication, {open_changing} of them accepting POST, PUT, PATCH or DELETE.\n",
            endpoints.len(),
            if endpoints.len() == 1 { "" } else { "s" },
        ));
    }
    out
}

/// The endpoint matrix as an HTML table (`endpoints -f html`, and a section of the scan's
/// HTML report).
pub fn endpoint_matrix(endpoints: &[Endpoint]) -> palisade_report::html::Matrix {
    palisade_report::html::Matrix {
        id: "endpoints".to_string(),
        title: "Endpoints".to_string(),
        columns: ["methods", "path", "authentication", "scopes", "handler"]
            .map(str::to_string)
            .to_vec(),
        rows: endpoints
            .iter()
            .map(|e| {
                let scopes = e.scopes();
                vec![
                    e.methods.join(","),
                    e.path.clone(),
                    e.auth().unwrap_or_else(|| "NONE".to_string()),
                    if scopes.is_empty() {
                        "-".to_string()
                    } else {
                        scopes.join(", ")
                    },
                    format!("{}:{} {}", e.handler.path, e.handler.line, e.handler.name),
                ]
            })
            .collect(),
        note: format!(
            "{} endpoints; {} without authentication.",
            endpoints.len(),
            endpoints.iter().filter(|e| e.checks.is_empty()).count()
        ),
    }
}

pub fn endpoints(args: EndpointsArgs) -> Result<u8, Failure> {
    let endpoints = load(&args)?;
    let text = match args.format {
        TableFormat::Html => palisade_report::html::render_tables(
            "palisade: endpoints",
            vec![endpoint_matrix(&endpoints)],
        ),
        TableFormat::Json => {
            let list: Vec<Value> = endpoints.iter().map(endpoint_json).collect();
            serde_json::to_string_pretty(&json!({ "version": 1, "endpoints": list }))
                .unwrap_or_default()
                + "\n"
        }
        TableFormat::Text => table(&endpoints),
    };
    output::write(None, &text)?;
    Ok(exit::CLEAN)
}
