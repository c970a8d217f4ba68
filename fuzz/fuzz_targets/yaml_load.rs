//! The YAML reader with positions that every YAML-reading analyzer (Kubernetes, CI) uses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (documents, _errors) = palisade_syntax::yaml::load(text);
        std::hint::black_box(documents.len());
    }
});
