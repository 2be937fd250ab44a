//! Chunked bodies through a `Connection` against the reference model. `data[0]` seeds how the body
//! is cut into pieces; `data[1]` picks the profile and which limits are made small, `data[2]` and
//! `data[3]` their values (small, so each limit is reached well within the fuzzer's `-max_len`);
//! the rest is the body, after a chunked POST head. h1conn's verdict must be the model's under the
//! same limits: the RFC 9112 §7.1.1 grammar in the strict profile, extensions skipped unread in the
//! lenient one; the same data, trailers and end position, or the same limit passed.
#![no_main]

use h1conn::{Config, PeerErrorKind, Profile};
use libfuzzer_sys::fuzz_target;

use h1conn_testkit::driver::{Answer, Driver, Out};
use h1conn_testkit::model;

use model::{chunked_body, ChunkLimits, ChunkedEnd, ExtGrammar, Limit};

/// `Connection: close`: once the body ended, nothing after it is parsed, so what stays buffered is
/// exactly what follows the body.
const HEAD: &[u8] = b"POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";

enum Outcome {
    End(Vec<(Vec<u8>, Vec<u8>)>),
    Err(PeerErrorKind),
    NeedMore,
}

/// The configuration `flags`, `a` and `b` choose, and the model's grammar for its profile.
fn config(flags: u8, a: u8, b: u8) -> (Config, ExtGrammar) {
    let mut cfg = Config::default();
    let mut grammar = ExtGrammar::Strict;
    if flags & 1 != 0 {
        cfg.profile = Profile::lenient();
        grammar = ExtGrammar::Tolerant;
    }
    if flags & 2 != 0 {
        cfg.limits.max_chunk_line = usize::from(a % 64);
    }
    if flags & 4 != 0 {
        cfg.limits.max_chunk_extensions = usize::from(b);
    }
    if flags & 8 != 0 {
        cfg.limits.max_trailers = usize::from(a / 2);
    }
    if flags & 16 != 0 {
        cfg.limits.max_body = Some(u64::from(b) * 4);
    }
    (cfg, grammar)
}

/// The limit a limit error reports.
fn limit_of(kind: PeerErrorKind) -> Option<Limit> {
    match kind {
        PeerErrorKind::ChunkLineTooLong => Some(Limit::ChunkLine),
        PeerErrorKind::ChunkExtensionsTooLarge => Some(Limit::ChunkExtensions),
        PeerErrorKind::TrailersTooLarge => Some(Limit::Trailers),
        PeerErrorKind::BodyTooLarge => Some(Limit::Body),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let [seed, flags, a, b, body @ ..] = data else {
        return;
    };
    let (cfg, grammar) = config(*flags, *a, *b);
    let limits = ChunkLimits {
        line: cfg.limits.max_chunk_line,
        extensions: cfg.limits.max_chunk_extensions,
        trailers: cfg.limits.max_trailers,
        body: cfg.limits.max_body,
    };
    let mut d = Driver::new(cfg).answer(Answer::manual());
    assert_eq!(d.feed(HEAD), HEAD.len());
    let mut outcome = Outcome::NeedMore;
    let mut off = 0;
    let mut step = u64::from(*seed) | 1;
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
    let model = chunked_body(body, grammar, &limits);
    let show = || format!("{grammar:?} {limits:?}: {}", body.escape_ascii());
    match outcome {
        Outcome::End(trailers) => {
            let ChunkedEnd::Complete {
                trailers: mt,
                consumed,
            } = model.end
            else {
                panic!(
                    "h1conn accepted a body the model reads as {:?}: {}",
                    model.end,
                    show()
                );
            };
            assert_eq!(got, model.data, "data differs: {}", show());
            assert_eq!(trailers, mt, "trailers differ: {}", show());
            assert_eq!(body.len() - left, consumed, "end position differs: {}", show());
        }
        Outcome::Err(kind) => {
            match (limit_of(kind), &model.end) {
                (Some(limit), ChunkedEnd::TooLarge(m)) if limit == *m => {}
                (None, ChunkedEnd::Invalid(_)) => {}
                (_, end) => panic!(
                    "h1conn rejected ({kind:?}) a body the model reads as {end:?}: {}",
                    show()
                ),
            }
            assert_eq!(got, model.data, "data before the error differs: {}", show());
        }
        Outcome::NeedMore => match model.end {
            ChunkedEnd::Incomplete => assert_eq!(got, model.data, "data differs: {}", show()),
            // Trailer field lines are parsed once the section is complete: a bad line inside an
            // unfinished one is found later.
            ChunkedEnd::Invalid(rule) if rule.contains("trailer field-line") => {}
            other => panic!(
                "h1conn waits for more on a body the model reads as {other:?}: {}",
                show()
            ),
        },
    }
});
