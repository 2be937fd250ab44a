//! Every stored fuzz input run through its target's checker again: the corpus in
//! `fuzz/corpus/<target>` (the inputs a campaign kept for their coverage) and the findings in
//! `fuzz/regressions/<target>` (each a failure once, fixed since). Run under `cargo llvm-cov`, this
//! is also how the campaign's coverage of the core is measured (docs/RELIABILITY.md).

use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};
#[cfg(feature = "http")]
use h1conn_testkit::check::http_fields::{http_fields, HttpFieldsInput};
use h1conn_testkit::check::ops::{connection_ops, OpsInput};
use h1conn_testkit::check::verdicts::{self, HeaderRulesInput};

/// The stored inputs of `target`, corpus and regressions, sorted by path.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut found = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let path = e.expect("a readable directory").path();
            let bytes = std::fs::read(&path).expect("a readable input");
            found.push((path, bytes));
        }
    }
    found.sort();
    found
}

/// Runs `check` on every stored input of `target`, naming the input that fails.
fn replay(target: &str, check: impl Fn(&[u8])) {
    let all = inputs(target);
    assert!(!all.is_empty(), "no stored inputs for {target}");
    for (path, bytes) in &all {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(bytes)));
        assert!(run.is_ok(), "{target}: {} fails", path.display());
    }
}

/// A typed input the way libFuzzer's `fuzz_target!` builds it; `None` when the bytes make none.
fn typed<'a, T: Arbitrary<'a>>(bytes: &'a [u8]) -> Option<T> {
    T::arbitrary_take_rest(Unstructured::new(bytes)).ok()
}

/// Scenario: the `request_stream` target's corpus and findings (RFC 9112 §2–§7 against the
/// reference model, under small limits and timers).
#[test]
fn fuzz_corpus_request_stream() {
    replay("request_stream", verdicts::request_stream);
}

/// Scenario: the `header_rules` target's corpus and findings (RFC 9112 §3, §5, §6; RFC 9110 §5,
/// §7.2, §10.1.1 against the reference model).
#[test]
fn fuzz_corpus_header_rules() {
    replay("header_rules", |b| {
        if let Some(input) = typed::<HeaderRulesInput>(b) {
            verdicts::header_rules(&input);
        }
    });
}

/// Scenario: the `chunked` target's corpus and findings (RFC 9112 §7.1 against the reference
/// model).
#[test]
fn fuzz_corpus_chunked() {
    replay("chunked", verdicts::chunked);
}

/// Scenario: the `connection_ops` target's corpus and findings (response invariants of RFC 9112
/// §6, §9 and RFC 9110 §6.4 under arbitrary operation sequences).
#[test]
fn fuzz_corpus_connection_ops() {
    replay("connection_ops", |b| {
        if let Some(input) = typed::<OpsInput>(b) {
            connection_ops(&input);
        }
    });
}

/// Scenario: the `http_fields` target's corpus and findings (RFC 9110 §5: a kept-alive
/// connection's requests convert to the same `http` parts with its field cache as without).
#[cfg(feature = "http")]
#[test]
fn fuzz_corpus_http_fields() {
    replay("http_fields", |b| {
        if let Some(input) = typed::<HttpFieldsInput>(b) {
            http_fields(&input);
        }
    });
}
