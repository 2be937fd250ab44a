//! Arbitrary operation sequences on one connection; the response invariants are checked by
//! `h1conn::gen::connection_ops`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: h1conn::gen::OpsInput| {
    h1conn::gen::connection_ops(&input);
});
