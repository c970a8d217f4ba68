//! `palisade::fuzz::parsers::version_order`: see its documentation (and fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| palisade::fuzz::parsers::version_order(data));
