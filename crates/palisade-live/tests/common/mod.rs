//! Helpers shared by the live tests: a scan of live targets through the real engine, and
//! certificates made at test time. Everything stays on 127.0.0.1.

#![allow(dead_code)]

pub mod mariadb;

use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, DynAnalyzer, NetworkAccess, ScanOptions};
use palisade_core::{Report, ReportedFinding};
use palisade_live::{LiveAnalyzer, LiveSettings};
use std::net::TcpListener;
use std::path::Path;

/// Runs an online scan of `targets` with only the live analyzer.
pub fn scan(targets: &[String], settings: LiveSettings) -> (Report, Vec<String>) {
    let (report, analyzer) = scan_with(targets, settings);
    (report, analyzer.failures())
}

/// As [`scan`], giving the analyzer back (its failures and audited servers).
pub fn scan_with(targets: &[String], settings: LiveSettings) -> (Report, &'static LiveAnalyzer) {
    let analyzer: &'static LiveAnalyzer = Box::leak(Box::new(LiveAnalyzer::new(settings)));
    let analyzers: Vec<&'static dyn DynAnalyzer> = vec![analyzer];
    let registry = engine::registry(&analyzers);
    let config = Config::default();
    let rules = RuleSet::all(&registry);
    let mut options = ScanOptions::new(Vec::new(), &config, &rules);
    options.network = NetworkAccess::Online;
    options.targets = targets;
    let report = engine::scan(&analyzers, &options).expect("scan runs");
    (report, analyzer)
}

/// `(rule id, message)` of every finding, sorted.
pub fn ids_and_messages(report: &Report) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f: &ReportedFinding| (f.rule_id.clone(), f.message.clone()))
        .collect();
    v.sort();
    v
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A test CA and a server certificate it signs for `names` (DNS names or IP addresses),
/// valid from `not_before` to `not_after` (years, months, days), written as PEM files into
/// `dir`: `ca.pem`, `server.pem`, `server.key`.
pub fn make_certs(dir: &Path, names: &[&str], not_after: (i32, u8, u8)) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.distinguished_name
        .push(DnType::CommonName, "palisade test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, names[0]);
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    let cert = params.signed_by(&key, &issuer).unwrap();
    std::fs::write(dir.join("ca.pem"), ca_cert.pem()).unwrap();
    std::fs::write(dir.join("server.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("server.key"), key.serialize_pem()).unwrap();
}
