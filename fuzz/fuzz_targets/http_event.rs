#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lam::fuzzing::http_event(data);
});
