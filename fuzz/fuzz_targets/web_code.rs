//! `palisade::fuzz::parsers::web_code`: see its documentation (and fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| palisade::fuzz::parsers::web_code(data));
