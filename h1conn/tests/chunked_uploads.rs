//! Long chunked uploads through a `Connection` (RFC 9112 §7.1): with no `max_body`, a chunked body
//! of any length and any number of chunks is taken whole, and the connection stays open for the
//! next request. The bytes are checked as they are delivered, never stored.

use core::time::Duration;
use std::sync::OnceLock;

use h1conn::{Config, Event, PeerErrorKind};
use h1conn_testkit::driver::{get, Answer, Driver, Record};
use h1conn_testkit::wire::statuses;

const HEAD: &[u8] = b"POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

/// Counts what the connection delivers and checks each data byte against `expect(offset)`.
struct Upload {
    /// The bytes expected from `offset` on, as long as the slice it returns.
    expect: fn(u64, usize) -> Vec<u8>,
    requests: usize,
    received: u64,
    /// The body offset of the first delivered byte that differs.
    wrong_at: Option<u64>,
    ends: usize,
    errors: Vec<PeerErrorKind>,
    wire: Vec<u8>,
}

impl Upload {
    fn new(expect: fn(u64, usize) -> Vec<u8>) -> Self {
        Upload {
            expect,
            requests: 0,
            received: 0,
            wrong_at: None,
            ends: 0,
            errors: Vec::new(),
            wire: Vec::new(),
        }
    }
}

impl Record for Upload {
    fn event(&mut self, ev: &Event) {
        match ev {
            Event::Request(_) => self.requests += 1,
            Event::Data(d) => {
                if self.wrong_at.is_none() && d[..] != (self.expect)(self.received, d.len())[..] {
                    self.wrong_at = Some(self.received);
                }
                self.received += d.len() as u64;
            }
            Event::End(_) => self.ends += 1,
            Event::Error(e) => self.errors.push(e.kind()),
            Event::Discarded | Event::Upgrade(_) => panic!("unexpected {ev:?}"),
        }
    }

    fn wire(&mut self, out: &[u8]) {
        self.wire.extend_from_slice(out);
    }
}

/// A connection with the default configuration that has taken the head of a chunked upload.
fn start(expect: fn(u64, usize) -> Vec<u8>) -> Driver<Answer, Upload> {
    let mut d = Driver::with(
        Config::default(),
        Duration::ZERO,
        Answer::default(),
        Upload::new(expect),
    );
    assert_eq!(d.feed(HEAD), HEAD.len());
    d
}

/// Feeds `body` in pieces of 4 KiB.
fn feed(d: &mut Driver<Answer, Upload>, body: &[u8]) {
    for piece in body.chunks(KIB4) {
        assert_eq!(d.feed(piece), piece.len());
    }
}

/// Ends the body and sends a next request; checks that `total` bytes came through as expected,
/// that both requests were answered 200, and that the connection stays open.
fn finish(mut d: Driver<Answer, Upload>, total: u64) {
    feed(&mut d, b"0\r\n\r\n");
    feed(&mut d, &get("/next"));
    let r = &d.rec;
    assert_eq!(r.errors, vec![]);
    assert_eq!(r.received, total);
    assert_eq!(r.wrong_at, None);
    assert_eq!((r.requests, r.ends), (2, 2));
    assert_eq!(statuses(&r.wire), vec![200, 200]);
    assert!(!String::from_utf8_lossy(&r.wire).contains("Connection: close"));
    assert_eq!(d.close(), None);
}

const KIB4: usize = 4096;

/// 8 KiB of varied bytes: chunk `i` carries `PATTERN[i % 251..][..4096]`.
fn pattern() -> &'static [u8] {
    static P: OnceLock<Vec<u8>> = OnceLock::new();
    P.get_or_init(|| (0..2 * KIB4).map(|i| (i * 7 + i / 251) as u8).collect())
}

fn chunk_4k(i: u64) -> &'static [u8] {
    &pattern()[(i % 251) as usize..][..KIB4]
}

/// What 4 KiB chunk `offset / 4096` holds from `offset` on (a piece never spans two chunks).
fn expect_4k(offset: u64, len: usize) -> Vec<u8> {
    let at = (offset % KIB4 as u64) as usize;
    chunk_4k(offset / KIB4 as u64)[at..at + len].to_vec()
}

#[test]
fn rfc9112_7_1_upload_of_20_mib_in_4_kib_chunks_then_keep_alive() {
    const CHUNKS: u64 = 20 * 256;
    let mut d = start(expect_4k);
    let mut piece = Vec::with_capacity(KIB4 + 8);
    for i in 0..CHUNKS {
        piece.clear();
        piece.extend_from_slice(b"1000\r\n");
        piece.extend_from_slice(chunk_4k(i));
        piece.extend_from_slice(b"\r\n");
        assert_eq!(d.feed(&piece), piece.len());
    }
    finish(d, CHUNKS * KIB4 as u64);
}

#[test]
fn rfc9112_7_1_upload_of_50000_one_byte_chunks_then_keep_alive() {
    const CHUNKS: usize = 50_000;
    let body: Vec<u8> = (0..CHUNKS)
        .flat_map(|i| [b'1', b'\r', b'\n', (i % 251) as u8, b'\r', b'\n'])
        .collect();
    let mut d = start(|offset, len| (offset..offset + len as u64).map(|o| (o % 251) as u8).collect());
    feed(&mut d, &body);
    finish(d, CHUNKS as u64);
}
