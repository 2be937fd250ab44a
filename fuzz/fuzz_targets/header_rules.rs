//! Request heads built from pieces biased to hostile spellings, under limits the input makes
//! small, checked against the reference model: accept/reject (and the status), parsed fields, body
//! framing, `100-continue`, head length and persistence
//! (`h1conn_testkit::check::verdicts::header_rules`).
#![no_main]

use h1conn_testkit::check::verdicts::{header_rules, HeaderRulesInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: HeaderRulesInput| {
    header_rules(&input);
});
