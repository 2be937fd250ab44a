//! Chunked bodies through a `Connection` against the reference model. `data[0]` seeds how the body
//! is cut into pieces; the rest is the body, after a chunked POST head. h1conn must accept at least
//! what the RFC grammar accepts and at most what a recipient ignoring unknown extensions may
//! tolerate, with the same data, trailers and end position.
#![no_main]

use h1conn::{Config, PeerErrorKind};
use libfuzzer_sys::fuzz_target;

use h1conn_testkit::driver::{Answer, Driver, Out};
use h1conn_testkit::model;

use model::{chunked_body, ChunkedEnd, ExtGrammar};

/// `Connection: close`: once the body ended, nothing after it is parsed, so what stays buffered is
/// exactly what follows the body.
const HEAD: &[u8] = b"POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";

enum Outcome {
    End(Vec<(Vec<u8>, Vec<u8>)>),
    Err(PeerErrorKind),
    NeedMore,
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else {
        return;
    };
    let mut d = Driver::new(Config::default()).answer(Answer::manual());
    assert_eq!(d.feed(HEAD), HEAD.len());
    let mut outcome = Outcome::NeedMore;
    let mut off = 0;
    let mut step = u64::from(seed) | 1;
    while off < body.len() {
        step = step
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = 1 + (step >> 33) as usize % (usize::from(seed % 32) + 1);
        let end = (off + n).min(body.len());
        let took = d.feed(&body[off..end]);
        off += took;
        outcome = match d.rec.outs.last() {
            Some(Out::End(t)) => Outcome::End(
                t.iter()
                    .map(|(n, v)| (n.as_bytes().to_vec(), v.clone()))
                    .collect(),
            ),
            Some(Out::Err(kind)) => Outcome::Err(*kind),
            _ if off < end => panic!("the connection stopped taking the body: {}", body.escape_ascii()),
            _ => continue,
        };
        break;
    }
    let got = match d.rec.outs.get(1) {
        Some(Out::Data(got)) => got.clone(),
        _ => Vec::new(),
    };
    let left = d.conn.buffered_input() + (body.len() - off);
    let tolerant = chunked_body(body, ExtGrammar::Tolerant);
    let strict = chunked_body(body, ExtGrammar::Strict);
    let show = || body.escape_ascii().to_string();
    // The RFC grammar accepts: h1conn must too.
    if let ChunkedEnd::Complete { .. } = strict.end {
        assert!(
            matches!(outcome, Outcome::End(_)),
            "valid body not accepted: {}",
            show()
        );
    }
    match outcome {
        Outcome::End(trailers) => {
            let ChunkedEnd::Complete {
                trailers: mt,
                consumed,
            } = tolerant.end
            else {
                panic!(
                    "h1conn accepted a body the model rejects ({:?}): {}",
                    tolerant.end,
                    show()
                );
            };
            assert_eq!(got, tolerant.data, "data differs: {}", show());
            assert_eq!(trailers, mt, "trailers differ: {}", show());
            assert_eq!(body.len() - left, consumed, "end position differs: {}", show());
        }
        Outcome::Err(kind) => {
            let limit = matches!(
                kind,
                PeerErrorKind::ChunkExtensionsTooLarge
                    | PeerErrorKind::TrailersTooLarge
                    | PeerErrorKind::BodyTooLarge
            );
            if limit {
                assert!(body.len() > 4096, "{kind:?} on a small body: {}", show());
            } else {
                assert!(
                    matches!(tolerant.end, ChunkedEnd::Invalid(_)),
                    "h1conn rejected ({kind:?}) a body the model reads as {:?}: {}",
                    tolerant.end,
                    show()
                );
            }
            assert!(
                tolerant.data.starts_with(&got),
                "data before the error differs: {}",
                show()
            );
        }
        Outcome::NeedMore => match tolerant.end {
            ChunkedEnd::Incomplete => assert_eq!(got, tolerant.data, "data differs: {}", show()),
            // A trailer section is parsed once complete: a bad line inside an unfinished one is
            // found later.
            ChunkedEnd::Invalid(rule) if rule.contains("trailer") || rule.contains("obs-fold") => {}
            other => panic!(
                "h1conn waits for more on a body the model reads as {other:?}: {}",
                show()
            ),
        },
    }
});
