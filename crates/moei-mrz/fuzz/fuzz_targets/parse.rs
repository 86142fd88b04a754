#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The same entry point runs in the crate's unit tests, so the target
    // stays compiled and meaningful without cargo-fuzz installed.
    if let Err(violation) = moei_mrz::fuzz_entry(data) {
        panic!("invariant violated: {violation}");
    }
});
