//! `palisade probe URL…`.

use palisade_core::Finding;
use palisade_core::date::Date;
use palisade_core::engine::Online;
use std::path::PathBuf;
use std::time::Duration;

pub struct ProbeSettings {
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

pub struct Outcome {
    pub target: String,
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

pub fn probe(_: Online, url: &str, _: &ProbeSettings, _: Date) -> Result<Outcome, String> {
    Err(format!("{url}: not yet"))
}
