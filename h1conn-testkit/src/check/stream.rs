//! The `request_stream` checker: raw bytes fed in seeded pieces with clock ticks between them,
//! every request answered with a 200.

use core::time::Duration;

use h1conn::{BodyFraming, Config, Method, Request, Version};

use super::{event_order, is_token};
use crate::driver::{Answer, Driver, Out};
use crate::wire;

/// One request as the `request_stream` target saw it.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    /// The raw head bytes as h1conn kept them.
    pub head: Vec<u8>,
    /// The method.
    pub method: Method,
    /// The framing h1conn chose.
    pub body: BodyFraming,
    /// The body bytes delivered.
    pub data: Vec<u8>,
    /// The body ended (Event::End).
    pub ended: bool,
}

/// What the `request_stream` target observed, for further checks by the caller.
#[derive(Debug, Clone, Default)]
pub struct StreamReport {
    /// Requests surfaced, in order.
    pub requests: Vec<SeenRequest>,
    /// The peer error, if one was reported.
    pub error: Option<u16>,
    /// Everything the connection transmitted.
    pub wire: Vec<u8>,
    /// Bytes of the stream the connection took before it stopped taking input (all of them unless
    /// it closed early, after a timeout or an error).
    pub taken: usize,
}

const PEER_STATUSES: [u16; 8] = [400, 408, 413, 414, 417, 431, 501, 505];

/// A small deterministic generator for split points and clock ticks (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// `data[0]` seeds how the rest is cut into pieces and how far the clock moves between them
/// (below every default timeout); the rest is the byte stream, followed by the end of input. Every
/// request is answered with a `200`. Panics when an invariant breaks:
///
/// * every request surfaced is HTTP/1.0 or 1.1 with a token method and a target of visible bytes,
///   has at most one Host and exactly one when HTTP/1.1, and never carries both Content-Length and
///   Transfer-Encoding, nor Transfer-Encoding in HTTP/1.0;
/// * its body framing agrees with its header fields, and its body has the length announced;
/// * a peer error carries one of 400/408/413/414/417/431/501/505, and nothing is surfaced after it;
/// * the output starts with `HTTP/1.1 ` and every response head on it parses.
pub fn request_stream(data: &[u8]) -> StreamReport {
    request_stream_with(data, Config::default())
}

/// [`request_stream`] on a connection configured with `cfg`. With timers smaller than the
/// ticks (see [`small_head_limits`](super::limits::small_head_limits)), a 408 may end the
/// stream early.
pub fn request_stream_with(data: &[u8], cfg: Config) -> StreamReport {
    let mut report = StreamReport::default();
    let Some((&seed, stream)) = data.split_first() else {
        return report;
    };
    let mut rng = Rng(u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let max_piece = (seed as usize % 23) + 1;
    let (mut pieces, mut ticks) = (Vec::new(), Vec::new());
    let mut off = 0;
    while off < stream.len() {
        let end = (off + 1 + (rng.next() as usize % max_piece)).min(stream.len());
        pieces.push(&stream[off..end]);
        // Ticks stay far below every default timeout (idle 5 s, header 20 s, body 20 s).
        ticks.push(Duration::from_micros(rng.next() % 2_000));
        off = end;
    }
    let mut d = Driver::new(cfg).answer(Answer::with(|_| (200, Some(b"ok".to_vec()))));
    for (piece, tick) in pieces.iter().zip(&ticks) {
        d.advance(*tick);
        let took = d.feed(piece);
        report.taken += took;
        if took < piece.len() {
            break;
        }
    }
    d.eof();
    event_order(&d.rec);
    let mut heads = d.rec.requests.iter();
    for o in &d.rec.outs {
        match o {
            Out::Req { .. } => {
                let r = heads.next().expect("a request per Req");
                check_request_head(r);
                report.requests.push(SeenRequest {
                    head: r.head.as_bytes().to_vec(),
                    method: r.head.method(),
                    body: r.framing,
                    data: Vec::new(),
                    ended: false,
                });
            }
            Out::Data(data) => {
                let last = report.requests.last_mut().expect("data without a request");
                last.data.extend_from_slice(data);
                if let BodyFraming::Length(n) = last.body {
                    assert!(last.data.len() as u64 <= n, "more body than Content-Length");
                }
            }
            Out::End(_) => {
                let last = report.requests.last_mut().expect("End without a request");
                last.ended = true;
                match last.body {
                    BodyFraming::Length(n) => {
                        assert_eq!(
                            last.data.len() as u64,
                            n,
                            "body shorter than Content-Length at End"
                        )
                    }
                    BodyFraming::None => assert!(last.data.is_empty()),
                    BodyFraming::Chunked => {}
                }
            }
            Out::Err(kind) => {
                assert!(
                    PEER_STATUSES.contains(&kind.status()),
                    "peer error status {}",
                    kind.status()
                );
                report.error = Some(kind.status());
            }
            Out::Discarded | Out::Upgrade(_) => {}
        }
    }
    report.wire = d.rec.wire;
    let w = &report.wire;
    assert!(
        w.is_empty() || w.starts_with(b"HTTP/1.1 "),
        "output starts with {:?}",
        &w[..9.min(w.len())]
    );
    let requests = &report.requests;
    wire::parse(w, &mut |k, r| {
        requests
            .get(k)
            .is_some_and(|q| r.status == 200 && (q.method == Method::Head || q.method == Method::Connect))
    });
    report
}

/// The rules every surfaced request head keeps.
fn check_request_head(r: &Request) {
    let h = &r.head;
    assert!(is_token(h.method_str().as_bytes()), "method {:?}", h.method_str());
    assert!(!h.target().is_empty());
    assert!(
        h.target().iter().all(|&b| b > 0x20 && b != 0x7f),
        "target {:?}",
        h.target()
    );
    assert!(h.minor_version() <= 9);
    assert_eq!(h.version() == Version::Http10, h.minor_version() == 0);
    let headers = h.headers();
    let hosts = headers.get_all("host").count();
    assert!(hosts <= 1, "two Host fields accepted");
    if h.version() == Version::Http11 {
        assert_eq!(hosts, 1, "HTTP/1.1 request without Host accepted");
    }
    let te = headers.contains("transfer-encoding");
    let cl = headers.contains("content-length");
    assert!(!(te && cl), "both Content-Length and Transfer-Encoding accepted");
    if te {
        assert_eq!(
            h.version(),
            Version::Http11,
            "Transfer-Encoding accepted in HTTP/1.0"
        );
        assert_eq!(r.framing, BodyFraming::Chunked);
    } else if cl {
        let v = headers.get("content-length").unwrap_or(b"");
        assert!(
            !v.is_empty() && v.iter().all(u8::is_ascii_digit),
            "Content-Length {v:?} accepted"
        );
        assert_eq!(
            headers.get_all("content-length").count(),
            1,
            "repeated Content-Length accepted"
        );
        let n = std::str::from_utf8(v).ok().and_then(|s| s.parse::<u64>().ok());
        assert_eq!(Some(r.framing), n.map(BodyFraming::Length));
    } else {
        assert_eq!(r.framing, BodyFraming::None);
    }
    for f in headers.iter() {
        assert!(is_token(f.name.as_bytes()));
        assert!(
            f.value.iter().all(|&b| b == b'\t' || b >= 0x20 && b != 0x7f),
            "control byte in field value {:?}",
            f.value
        );
        assert!(!f.value.first().is_some_and(|&b| b == b' ' || b == b'\t'));
        assert!(!f.value.last().is_some_and(|&b| b == b' ' || b == b'\t'));
    }
}
