//! Every analyzer through the whole engine: the first byte picks the kind of file
//! (`palisade::fuzz::KINDS`), the rest is the file. An analyzer's panic is caught by the
//! engine and becomes an "internal error" notice; this target turns it back into a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(report) = palisade::fuzz::scan_bytes(data) {
        let errors = palisade::fuzz::internal_errors(&report);
        assert!(errors.is_empty(), "{errors:?}");
    }
});
