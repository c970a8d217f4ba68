//! The palisade command line: wires the analyzers, the engine and the renderers together,
//! and turns every outcome into one of the documented exit codes.

mod cli;
mod commands;
mod csp_command;
mod db_command;
mod endpoints_command;
mod k8s_commands;
mod live_command;
mod output;
mod permissions_command;
mod report_command;
mod sbom_command;
mod scan_matrices;
mod sources;

use clap::Parser;
use std::process::ExitCode;

/// Exit codes, as documented in the README.
pub mod exit {
    /// No finding at or above the `--fail-on` threshold.
    pub const CLEAN: u8 = 0;
    /// Findings at or above the threshold, or a recommendation in a `--fail-on-coverage` status.
    pub const FINDINGS: u8 = 1;
    /// Usage or configuration error (bad flag, missing path, invalid palisade.toml, unwritable output).
    pub const USAGE: u8 = 2;
    /// A bug in palisade.
    pub const INTERNAL: u8 = 3;
}

/// An error to show the user, with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: exit::USAGE,
            message: message.into(),
        }
    }
}

fn main() -> ExitCode {
    // A panic is a bug in palisade: one clear sentence and exit code 3, never a backtrace
    // mixed into a report.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "palisade: internal error{location}: {}; please report it",
            info.payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string())
        );
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::CLEAN
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match std::panic::catch_unwind(|| commands::run(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(failure)) => {
            eprintln!("palisade: {}", failure.message);
            ExitCode::from(failure.code)
        }
        Err(_) => ExitCode::from(exit::INTERNAL),
    }
}
