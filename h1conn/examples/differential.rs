//! Differential fuzzing of another HTTP/1 parser (httparse here) against h1conn's verdict.
//!
//! Generates valid and hostile requests with `h1conn::gen`, serializes them, and asks both parsers.
//! Whatever h1conn accepts, a conforming parser must parse to the same method, target, version
//! and fields; whatever h1conn rejects, a parser that checks syntax only (httparse) may accept,
//! and the tally says which rules it leaves to its caller.
//!
//! ```text
//! cargo run --example differential --features arbitrary [-- ITERATIONS [SEED]]
//! ```
//!
//! The same loop body fits a `libfuzzer-sys` target: replace the PRNG by the fuzzer's bytes.

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Unstructured};
use h1conn::gen::{verdict, HostileRequest, ValidRequest, Verdict};
use h1conn::Version;

/// What httparse made of the bytes.
#[derive(Debug)]
enum Theirs {
    Complete {
        len: usize,
        method: String,
        path: Vec<u8>,
        minor: u8,
        headers: Vec<(String, Vec<u8>)>,
    },
    Partial,
    Error(httparse::Error),
}

fn httparse_verdict(bytes: &[u8]) -> Theirs {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => Theirs::Complete {
            len,
            method: req.method.unwrap_or("").to_string(),
            path: req.path.unwrap_or("").as_bytes().to_vec(),
            minor: req.version.unwrap_or(9),
            headers: req
                .headers
                .iter()
                .map(|h| (h.name.to_string(), h.value.to_vec()))
                .collect(),
        },
        Ok(httparse::Status::Partial) => Theirs::Partial,
        Err(e) => Theirs::Error(e),
    }
}

/// Compares one input; returns a finding, or `None` when the parsers agree.
fn compare(bytes: &[u8]) -> Option<String> {
    match (verdict(bytes), httparse_verdict(bytes)) {
        (
            Verdict::Accepted(a),
            Theirs::Complete {
                len,
                method,
                path,
                minor,
                headers,
            },
        ) => {
            let ours: Vec<(String, Vec<u8>)> = a.headers.clone();
            if method != a.method || path != a.target || len != a.head_len {
                return Some("both accept, request line or length differs".into());
            }
            if minor != a.minor && !(a.version == Version::Http11 && a.minor > 1) {
                return Some("both accept, version differs".into());
            }
            (headers != ours).then(|| "both accept, fields differ".into())
        }
        // RFC 9110 §6.2: HTTP/1.2 is HTTP/1.1 to a server; httparse refuses it.
        (Verdict::Accepted(a), Theirs::Error(httparse::Error::Version)) if a.minor > 1 => {
            Some("httparse rejects HTTP/1.x with x > 1".into())
        }
        (Verdict::Accepted(_), theirs) => Some(format!("h1conn accepts, httparse says {theirs:?}")),
        (Verdict::Rejected { kind, .. }, Theirs::Complete { .. }) => {
            Some(format!("httparse accepts what h1conn rejects as {kind:?}"))
        }
        (Verdict::Rejected { .. }, _) | (Verdict::Incomplete, _) => None,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let mut state: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0x5eed);
    let mut tally: BTreeMap<String, (u64, Vec<u8>)> = BTreeMap::new();
    let mut raw = vec![0u8; 512];
    for i in 0..iterations {
        for b in raw.iter_mut() {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *b = state as u8;
        }
        let mut u = Unstructured::new(&raw);
        let bytes = if i % 2 == 0 {
            HostileRequest::arbitrary(&mut u).map(|r| r.to_bytes())
        } else {
            ValidRequest::arbitrary(&mut u).map(|r| r.to_bytes())
        };
        let Ok(bytes) = bytes else { continue };
        if let Some(finding) = compare(&bytes) {
            let e = tally.entry(finding).or_insert((0, bytes.clone()));
            e.0 += 1;
        }
    }
    println!("{iterations} requests; disagreements by kind (count, first example):");
    for (finding, (n, example)) in &tally {
        let shown: String = example.escape_ascii().to_string().chars().take(160).collect();
        println!("{n:>7}  {finding}\n         {shown}");
    }
}
