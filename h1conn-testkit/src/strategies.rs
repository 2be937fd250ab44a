//! proptest strategies for requests and heads, shared by the `prop_*` tests. Valid requests are
//! `h1conn::gen::ValidRequest`s, so they serialize as the fuzzing generators do.

use h1conn::gen::{ValidBody, ValidRequest};
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

/// The hostile field kinds: the spellings of a name, and the values to pair with them.
type FieldKind = (&'static [&'static [u8]], &'static [&'static [u8]]);

const HOSTILE_FIELDS: &[FieldKind] = &[
    (
        &[
            b"Content-Length",
            b"content-length",
            b"CONTENT-LENGTH",
            b"Content-Length ",
        ],
        &[
            b"0",
            b"3",
            b"007",
            b"+3",
            b"-1",
            b"0x3",
            b"3,3",
            b"3, 3",
            b"3,4",
            b"3,",
            b"",
            b"3 3",
            b"18446744073709551615",
            b"18446744073709551616",
            b"1_0",
        ],
    ),
    (
        &[
            b"Transfer-Encoding",
            b"transfer-encoding",
            b"TRANSFER-ENCODING",
            b"Transfer_Encoding",
        ],
        &[
            b"chunked",
            b"Chunked",
            b"CHUNKED",
            b"gzip, chunked",
            b"chunked, gzip",
            b"gzip",
            b"chunked, chunked",
            b",chunked",
            b"chunked,",
            b" , chunked",
            b"chunked;a=b",
            b"gzip;q=1, chunked",
            b"",
            b"identity",
            b"x-chunked",
            b"\"chunked\"",
            b"chunked\x0b",
        ],
    ),
    (
        &[b"Host", b"host", b"HOST"],
        &[
            b"example.com",
            b"example.com:80",
            b"example.com:",
            b"",
            b"[::1]",
            b"[::1]:80",
            b"a b",
            b"x@y",
            b"e.com:8o",
            b"%41",
            b"%4",
            b"[v1.a]",
        ],
    ),
    (
        &[b"Connection", b"connection", b"CONNECTION"],
        &[
            b"close",
            b"Close",
            b"CLOSE",
            b"keep-alive",
            b"Keep-Alive",
            b"keep-alive, close",
            b"foo,close",
            b"closed",
            b", close ,",
            b"keep-alive,,",
            b"upgrade",
            b"",
        ],
    ),
    (
        &[b"Expect", b"expect"],
        &[b"100-continue", b"100-CONTINUE", b"fail", b"100-continue, x", b""],
    ),
    (
        &[b"X-A", b"Upgrade", b"Keep-Alive"],
        &[b"a", b"a\x01b", b"a\x7f", b"\x80", b"a\x00"],
    ),
];

/// One field line biased to the spellings that matter for framing, Host and persistence.
pub fn hostile_field() -> impl Strategy<Value = Vec<u8>> {
    let field =
        proptest::sample::select(HOSTILE_FIELDS).prop_flat_map(|(names, values)| (pick(names), pick(values)));
    let sep = pick(&[b":", b": ", b":\t", b":  "]);
    let ws = || pick(&[b"", b"", b"", b" ", b"\t", b"\x0b", b"\xa0"]);
    (field, sep, ws(), ws())
        .prop_map(|((n, v), sep, pre, post)| [n, sep, pre, v, post, b"\r\n".to_vec()].concat())
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
