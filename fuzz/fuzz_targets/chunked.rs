//! Chunked bodies through a `Connection` against the reference model, under limits the first bytes
//! make small (`h1conn_testkit::check::verdicts::chunked`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    h1conn_testkit::check::verdicts::chunked(data);
});
