//! proptest strategies for requests and heads, shared by the `prop_*` tests. Valid requests are
//! `h1conn::gen::ValidRequest`s, so they serialize as the fuzzing generators do.

use arbitrary::{Arbitrary, Unstructured};
use h1conn::gen::{HostileField, ValidBody, ValidRequest};
use proptest::prelude::*;
use proptest::sample::Index;

/// A field name none of the rules looks at.
pub fn plain_name() -> impl Strategy<Value = String> {
    "X-[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

/// A field value: VCHAR / obs-text with inner SP and HTAB, nothing at either end.
pub fn plain_value() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![8 => 0x21u8..=0x7e, 1 => Just(b' '), 1 => Just(b'\t'), 1 => 0x80u8..=0xff],
        0..20,
    )
    .prop_map(|mut v| {
        while v.first().is_some_and(|&b| b == b' ' || b == b'\t') {
            v.remove(0);
        }
        while v.last().is_some_and(|&b| b == b' ' || b == b'\t') {
            v.pop();
        }
        v
    })
}

fn body_strategy(minor: u8) -> BoxedStrategy<ValidBody> {
    let length = proptest::collection::vec(any::<u8>(), 0..80).prop_map(ValidBody::Length);
    if minor == 0 {
        return prop_oneof![Just(ValidBody::None), length].boxed();
    }
    let chunk = (
        proptest::collection::vec(any::<u8>(), 1..40),
        proptest::option::of("(;[a-z]{1,5}(=[a-z0-9]{1,5})?){1,2}"),
    );
    let chunked = (
        proptest::collection::vec(chunk, 0..5),
        proptest::collection::vec((plain_name(), plain_value()), 0..3),
    )
        .prop_map(|(chunks, trailers)| ValidBody::Chunked { chunks, trailers });
    prop_oneof![Just(ValidBody::None), length, chunked].boxed()
}

/// A valid request: HTTP/1.0 or 1.1, a Host where needed, plain fields, Connection options in any
/// case, a body by length or by chunks.
pub fn valid_request() -> impl Strategy<Value = ValidRequest> {
    let method = prop_oneof![
        Just("GET".to_string()),
        Just("HEAD".to_string()),
        Just("POST".to_string()),
        Just("PUT".to_string()),
        Just("DELETE".to_string()),
        Just("OPTIONS".to_string()),
        "[A-Z]{3,8}".prop_filter("CONNECT takes authority-form", |m| m != "CONNECT"),
    ];
    let target = "/[a-zA-Z0-9._~!$&'()*+,;=:@/-]{0,16}(\\?[a-z0-9=&]{0,8})?";
    (method, target, prop_oneof![1 => Just(0u8), 3 => Just(1u8)])
        .prop_flat_map(|(method, target, minor)| {
            let conn = prop_oneof![
                3 => Just(None),
                1 => prop_oneof![Just("close"), Just("Close"), Just("CLOSE"), Just("foo, close")].prop_map(Some),
                1 => prop_oneof![Just("keep-alive"), Just("Keep-Alive"), Just("KEEP-ALIVE, foo")].prop_map(Some),
            ];
            (
                Just(method),
                Just(target),
                Just(minor),
                any::<bool>(),
                proptest::collection::vec((plain_name(), plain_value()), 0..4),
                conn,
                body_strategy(minor),
                any::<bool>(),
            )
        })
        .prop_map(|(method, target, minor, host10, fields, conn, body, expect)| ValidRequest {
            method,
            target: target.into_bytes(),
            minor,
            host: (minor == 1 || host10).then(|| b"example.com".to_vec()),
            fields,
            connection: conn.map(str::to_string),
            expect_continue: expect && minor == 1,
            body,
        })
}

/// `bytes` cut at the points `cuts` pick (in any order, repeats allowed).
pub fn cut<'a>(bytes: &'a [u8], cuts: &[Index]) -> Vec<&'a [u8]> {
    let mut points: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    points.extend([0, bytes.len()]);
    points.sort_unstable();
    points.dedup();
    points.windows(2).map(|w| &bytes[w[0]..w[1]]).collect()
}

// ---- hostile heads ---------------------------------------------------------------------------------

fn pick(v: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<u8>> {
    proptest::sample::select(v).prop_map(|s| s.to_vec())
}

/// One field line biased to the spellings that matter for framing, Host and persistence: a
/// `h1conn::gen::HostileField` (the fuzzers' tables of hostile names, separators and values).
pub fn hostile_field() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 16..64).prop_filter_map("too few bytes", |raw| {
        let f = HostileField::arbitrary(&mut Unstructured::new(&raw)).ok()?;
        Some([f.name, f.separator, f.value, b"\r\n".to_vec()].concat())
    })
}

/// A request head with hostile field lines: version 1.0, 1.1 or 1.2, Host usually first.
pub fn hostile_head() -> impl Strategy<Value = Vec<u8>> {
    (
        pick(&[b"GET", b"POST", b"HEAD", b"PUT"]),
        pick(&[b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0", b"HTTP/1.2"]),
        any::<bool>(),
        proptest::collection::vec(hostile_field(), 0..6),
    )
        .prop_map(|(m, v, host, fields)| {
            let mut out = [m, b" /p ".to_vec(), v, b"\r\n".to_vec()].concat();
            if host {
                out.extend_from_slice(b"Host: example.com\r\n");
            }
            for f in fields {
                out.extend_from_slice(&f);
            }
            out.extend_from_slice(b"\r\n");
            out
        })
}
