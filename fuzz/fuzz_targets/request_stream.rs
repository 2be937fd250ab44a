//! Raw bytes fed in arbitrary pieces with clock ticks between them, under limits and timers the
//! first three bytes make small: the stream invariants of `h1conn_testkit::check::stream`, and
//! every head h1conn judged checked against the reference model under the same limits
//! (`h1conn_testkit::check::verdicts::request_stream`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    h1conn_testkit::check::verdicts::request_stream(data);
});
