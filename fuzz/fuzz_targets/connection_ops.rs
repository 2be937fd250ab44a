//! Arbitrary operation sequences on one connection; the response invariants are checked by
//! `h1conn_testkit::check::ops::connection_ops`.
#![no_main]

use h1conn_testkit::check::ops::{connection_ops, OpsInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: OpsInput| {
    connection_ops(&input);
});
