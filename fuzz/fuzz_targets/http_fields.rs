//! The requests of one kept-alive connection, with field lines that repeat, change, go missing or
//! come back: the cached `http` conversion equals the plain one
//! (`h1conn_testkit::check::http_fields::http_fields`).
#![no_main]

use h1conn_testkit::check::http_fields::{http_fields, HttpFieldsInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: HttpFieldsInput| {
    http_fields(&input);
});
