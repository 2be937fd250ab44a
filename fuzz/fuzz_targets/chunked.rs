//! The chunked decoder against the reference model. `data[0]` seeds how the body is cut into
//! pieces; the rest is the body. h1conn must accept at least what the RFC grammar accepts and at
//! most what a recipient ignoring unknown extensions may tolerate, with the same data, trailers and
//! end position.
#![no_main]

use bytes::BytesMut;
use h1conn::chunked::{ChunkedDecoder, Decoded};
use h1conn::{Limits, PeerErrorKind};
use libfuzzer_sys::fuzz_target;

use h1conn_testkit::model;

use model::{chunked_body, ChunkedEnd, ExtGrammar};

enum Outcome {
    End(Vec<(Vec<u8>, Vec<u8>)>),
    Err(PeerErrorKind),
    NeedMore,
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else {
        return;
    };
    let limits = Limits::default();
    let mut dec = ChunkedDecoder::new();
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    let mut outcome = Outcome::NeedMore;
    let mut off = 0;
    let mut step = u64::from(seed) | 1;
    'feed: while off < body.len() {
        step = step
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = 1 + (step >> 33) as usize % (usize::from(seed % 32) + 1);
        let end = (off + n).min(body.len());
        buf.extend_from_slice(&body[off..end]);
        off = end;
        loop {
            match dec.decode(&mut buf, &limits) {
                Ok(None) => break,
                Ok(Some(Decoded::Data(d))) => {
                    assert!(!d.is_empty(), "empty data piece");
                    got.extend_from_slice(&d);
                }
                Ok(Some(Decoded::End(t))) => {
                    let t = t
                        .map(|t| {
                            t.fields()
                                .iter()
                                .map(|f| (f.name.as_bytes().to_vec(), f.value.to_vec()))
                                .collect()
                        })
                        .unwrap_or_default();
                    outcome = Outcome::End(t);
                    break 'feed;
                }
                Err(e) => {
                    outcome = Outcome::Err(e.kind());
                    break 'feed;
                }
            }
        }
    }
    let left = buf.len() + (body.len() - off);
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
