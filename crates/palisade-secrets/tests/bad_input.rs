//! Bad input: a 5 MB single line, NUL bytes, invalid UTF-8, an empty file. Nothing panics,
//! time stays linear, snippets of a huge line stay small.

use palisade_core::config::{Config, RuleSet};
use palisade_core::engine::{self, ScanOptions};
use palisade_core::{Analyzer, DiagnosticKind};
use palisade_secrets::SecretsAnalyzer;
use palisade_secrets::matcher::{FileKind, Matcher};
use std::time::{Duration, Instant};

/// About `size` bytes on one line: random-looking base64 runs, near-misses of many
/// detectors (`AKIA` ids that are too short, `password=` with placeholders, key headers
/// without a body, `eyJ` fragments) and, every ~500 KB, one real-looking token.
fn one_long_line(size: usize) -> String {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let noise = [
        " AKIA1234 ",
        " password=changeme; ",
        " -----BEGIN RSA PRIVATE KEY----- ",
        " eyJhbGciOi. ",
        " api_key: \"${API_KEY}\", ",
        " https://user:pass@example.com/ ",
        " ghp_abc ",
        " key-",
        " sk_live_ ",
    ];
    let mut out = String::with_capacity(size + 100);
    let mut planted = 0;
    while out.len() < size {
        let run = 20 + (next() % 200) as usize;
        for _ in 0..run {
            out.push(B64[(next() % 64) as usize] as char);
        }
        out.push_str(noise[(next() % noise.len() as u64) as usize]);
        if out.len() / 500_000 > planted {
            planted += 1;
            out.push_str(" stripe = \"sk_live_Zq3mW8pLx2Rt7VbN4cKj9Hs");
            out.push_str(&format!("{planted:02}\" "));
        }
    }
    out
}

#[test]
fn a_five_megabyte_line_is_scanned_in_linear_time() {
    let matcher = Matcher::new();
    let small = one_long_line(500_000);
    let big = one_long_line(5_000_000);
    let time = |text: &str| {
        let start = Instant::now();
        let hits = matcher.find(text, FileKind::of("bundle.min.js"), &|_| true);
        (start.elapsed(), hits.len())
    };
    let (t_small, _) = time(&small);
    let (t_big, hits) = time(&big);
    eprintln!("0.5 MB: {t_small:?}, 5 MB: {t_big:?}, {hits} hits");
    assert!(hits >= 9, "{hits} hits");
    // Ten times the text, at most ~20 times the time (linear with slack for a noisy
    // machine), and never more than a few seconds even in a debug build.
    assert!(
        t_big < t_small * 20 + Duration::from_millis(500),
        "{t_small:?} for 0.5 MB, {t_big:?} for 5 MB"
    );
    assert!(t_big < Duration::from_secs(20), "{t_big:?}");
}

#[test]
fn binary_nul_non_utf8_huge_and_empty_files_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("bundle.min.js"), one_long_line(5_000_000)).unwrap();
    std::fs::write(root.join("nul.txt"), b"token = \"abc\0def\"\n\0\0\0").unwrap();
    std::fs::write(
        root.join("latin1.txt"),
        b"password = \"caf\xe9-\xff\xfe-x9Q2\"\n",
    )
    .unwrap();
    std::fs::write(root.join("empty.env"), b"").unwrap();
    std::fs::write(
        root.join("palisade.toml"),
        "[scan]\nmax-file-size = 10000000\n",
    )
    .unwrap();
    let registry = engine::registry(&[&SecretsAnalyzer]);
    let config = Config::load(&root.join("palisade.toml"), &registry, &[]).unwrap();
    let rules = RuleSet::all(SecretsAnalyzer.rules());
    let options = ScanOptions::new(vec![root.to_path_buf()], &config, &rules);
    let report = engine::scan(&[&SecretsAnalyzer], &options).unwrap();
    let kinds: Vec<DiagnosticKind> = report.diagnostics.iter().map(|d| d.kind).collect();
    assert!(kinds.contains(&DiagnosticKind::Binary), "{kinds:?}");
    assert!(kinds.contains(&DiagnosticKind::Encoding), "{kinds:?}");
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| !d.message.contains("internal error")),
        "{:?}",
        report.diagnostics
    );
    let in_bundle: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.location.path() == Some("bundle.min.js"))
        .collect();
    assert!(in_bundle.len() >= 9, "{}", in_bundle.len());
    for f in in_bundle {
        assert!(f.snippet.chars().count() < 500, "{}", f.snippet.len());
        assert!(f.snippet.contains("sk_l…"), "{}", f.snippet);
    }
}
