//! The fuzz targets that compare h1conn with the reference model, as functions: the targets call
//! them, and the corpus replay test runs every stored input through them again.
//!
//! - [`request_stream`]: raw bytes in pieces, under small limits and timers, the first head's
//!   verdict and every surfaced head checked against the model;
//! - [`header_rules`]: heads built from hostile pieces: accept/reject and status, fields, framing,
//!   `100-continue`, head length and persistence;
//! - [`chunked`]: chunked bodies under small limits: data, trailers, end position, or the limit
//!   passed.

use arbitrary::Arbitrary;
use h1conn::gen::{verdict_with, HostileRequest, Verdict};
use h1conn::{BodyFraming, Config, PeerErrorKind, Profile, Version};

use super::limits::{small_head_limits, small_timers};
use super::stream::request_stream_with;
use crate::driver::{Answer, Driver, Out};
use crate::model::{self, chunked_body, ChunkLimits, ChunkedEnd, ExtGrammar, Limit};

/// The framing the model's body stands for.
fn framing(body: model::Body) -> BodyFraming {
    match body {
        model::Body::None => BodyFraming::None,
        model::Body::Length(n) => BodyFraming::Length(n),
        model::Body::Chunked => BodyFraming::Chunked,
    }
}

/// True when an empty line ends a head in `stream` (after any leading empty lines).
fn has_complete_head(stream: &[u8]) -> bool {
    let mut s = stream;
    while let Some(rest) = s.strip_prefix(b"\r\n") {
        s = rest;
    }
    s.windows(4).any(|w| w == b"\r\n\r\n")
}

/// `data[0..3]` choose small limits and timers ([`small_head_limits`]); the rest goes to
/// [`request_stream_with`] (a seed byte, then the stream). The first request's verdict is the
/// model's under the same limits, and every request surfaced is one the model accepts, with its
/// framing and head length.
pub fn request_stream(data: &[u8]) {
    let [flags, a, b, rest @ ..] = data else {
        return;
    };
    let (cfg, limits) = small_head_limits(*flags, *a, *b);
    let report = request_stream_with(rest, cfg);
    let timers = small_timers(*flags);
    if let Some(stream) = rest.get(1..) {
        // A timer may close the connection before the stream is all in: the verdict is on what
        // it took.
        let stream = &stream[..report.taken];
        let show = || format!("{limits:?} timers {timers}: {}", stream.escape_ascii());
        match (
            model::head_verdict_with(stream, &limits),
            report.requests.first(),
            report.error,
        ) {
            (model::Verdict::Accept(_), Some(_), _) => {}
            // The header timer may fire before the head is whole.
            (_, None, Some(408)) if timers => {}
            (model::Verdict::Accept(m), None, e) => {
                panic!("model accepts {m:?}, h1conn: error {e:?}: {}", show())
            }
            (model::Verdict::Reject(v), None, Some(s)) => {
                assert!(
                    v.iter().any(|x| x.status == s),
                    "status {s}, model {v:?}: {}",
                    show()
                )
            }
            // A rule broken inside a head that never completed: h1conn may wait for the end of the
            // head (and then see the end of input) instead of rejecting at once.
            (model::Verdict::Reject(_), None, None) if !has_complete_head(stream) => {}
            (model::Verdict::Reject(v), r, e) => {
                panic!(
                    "model rejects {v:?}, h1conn surfaced {r:?} / error {e:?}: {}",
                    show()
                )
            }
            (model::Verdict::Incomplete, None, None) => {}
            (model::Verdict::Incomplete, r, e) => {
                panic!(
                    "model waits for more, h1conn surfaced {r:?} / error {e:?}: {}",
                    show()
                )
            }
        }
    }
    for r in &report.requests {
        let model::Verdict::Accept(m) = model::head_verdict_with(&r.head, &limits) else {
            panic!(
                "h1conn accepted a head the model rejects under {limits:?}: {:?}\n{:?}",
                r.head.escape_ascii().to_string(),
                model::head_verdict_with(&r.head, &limits)
            );
        };
        assert_eq!(
            r.body,
            framing(m.body),
            "framing of {:?}",
            r.head.escape_ascii().to_string()
        );
        assert_eq!(m.head_len, r.head.len());
    }
}

/// The input of the `header_rules` target: a hostile head and the small limits it is judged under.
#[derive(Debug, Clone, Arbitrary)]
pub struct HeaderRulesInput {
    /// Which limits are small (bits 0–5 of [`small_head_limits`]; timers play no part here).
    pub flags: u8,
    /// The first limit value.
    pub a: u8,
    /// The second limit value.
    pub b: u8,
    /// The request.
    pub req: HostileRequest,
}

/// Whether the connection stays open after answering the request in `bytes` with an empty 404 (not
/// a 2xx, so CONNECT and Upgrade requests get no tunnel); `None` when its body did not end.
fn persists(bytes: &[u8], cfg: &Config) -> Option<bool> {
    let mut d = Driver::new(cfg.clone()).answer(Answer::status(404));
    d.feed(bytes);
    let ended = d.rec.outs.iter().any(|o| matches!(o, Out::End(_)));
    ended.then(|| d.conn.persistence().is_open())
}

/// A head built from hostile pieces, judged by h1conn and by the model under the same limits:
/// accept/reject (and the status), parsed fields, body framing, `100-continue`, head length and
/// persistence.
pub fn header_rules(input: &HeaderRulesInput) {
    let (cfg, limits) = small_head_limits(input.flags & 63, input.a, input.b);
    let req = &input.req;
    let head = req.head_bytes();
    let expected = model::head_verdict_with(&head, &limits);
    let mut bytes = head.clone();
    let mut body_sent = true;
    match &expected {
        model::Verdict::Accept(a) => match a.body {
            model::Body::Length(n) if n <= 4096 => bytes.extend(std::iter::repeat_n(b'x', n as usize)),
            model::Body::Length(_) => body_sent = false,
            model::Body::Chunked => bytes.extend_from_slice(b"0\r\n\r\n"),
            model::Body::None => {}
        },
        _ => bytes.extend_from_slice(&req.body),
    }
    let got = verdict_with(&bytes, &cfg);
    let show = || format!("{limits:?}: {}", head.escape_ascii());
    match (&expected, &got) {
        (model::Verdict::Reject(v), Verdict::Rejected { status, kind }) => {
            assert!(
                v.iter().any(|x| x.status == *status),
                "status {status} ({kind:?}) where the model says {v:?}: {}",
                show()
            );
        }
        (model::Verdict::Accept(m), Verdict::Accepted(a)) => {
            assert_eq!(m.method, a.method.as_bytes(), "{}", show());
            assert_eq!(m.target, a.target, "{}", show());
            assert_eq!(m.minor, a.minor, "{}", show());
            assert_eq!(m.http11, a.version == Version::Http11, "{}", show());
            let fields: Vec<(Vec<u8>, Vec<u8>)> = a
                .headers
                .iter()
                .map(|(n, v)| (n.as_bytes().to_vec(), v.clone()))
                .collect();
            assert_eq!(m.fields, fields, "{}", show());
            assert_eq!(framing(m.body), a.body, "{}", show());
            assert_eq!(m.expect_continue, a.expects_continue, "{}", show());
            assert_eq!(m.head_len, a.head_len, "{}", show());
            if body_sent {
                assert_eq!(
                    persists(&bytes, &cfg),
                    Some(m.persist),
                    "persistence of {}",
                    show()
                );
            }
        }
        (e, g) => panic!("model {e:?}\nh1conn {g:?}\nhead {}", show()),
    }
}

/// `Connection: close`: once the body ended, nothing after it is parsed, so what stays buffered is
/// exactly what follows the body.
const CHUNKED_HEAD: &[u8] =
    b"POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";

/// How the connection left a chunked body.
enum Outcome {
    End(Vec<(Vec<u8>, Vec<u8>)>),
    Err(PeerErrorKind),
    NeedMore,
}

/// The configuration `flags`, `a` and `b` choose for a chunked body, and the model's grammar for
/// its profile.
fn chunked_config(flags: u8, a: u8, b: u8) -> (Config, ExtGrammar) {
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

/// Chunked bodies through a `Connection` against the model. `data[0]` seeds how the body is cut
/// into pieces; `data[1]` picks the profile and which limits are made small, `data[2]` and
/// `data[3]` their values; the rest is the body, after a chunked POST head. h1conn's verdict must
/// be the model's under the same limits: the RFC 9112 §7.1.1 grammar in the strict profile,
/// extensions skipped unread in the lenient one; the same data, trailers and end position, or the
/// same limit passed.
pub fn chunked(data: &[u8]) {
    let [seed, flags, a, b, body @ ..] = data else {
        return;
    };
    let (cfg, grammar) = chunked_config(*flags, *a, *b);
    let limits = ChunkLimits {
        line: cfg.limits.max_chunk_line,
        extensions: cfg.limits.max_chunk_extensions,
        trailers: cfg.limits.max_trailers,
        body: cfg.limits.max_body,
    };
    let mut d = Driver::new(cfg).answer(Answer::manual());
    assert_eq!(d.feed(CHUNKED_HEAD), CHUNKED_HEAD.len());
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
}
