//! Chunked body decoding through a `Connection` against a plain memcpy of the same bytes, in the
//! same group and run.
//!
//! Every variant reads the same 4 MiB encoded body in 16 KiB pieces, as a socket read loop would:
//! - `memcpy`: copy each piece into one reused 16 KiB buffer (the baseline: the cheapest thing a
//!   server can do with received bytes);
//! - `connection`: a chunked POST through `Connection::handle_input` / `poll_event` (the testkit's
//!   driver, recording nothing but the body length), answered.
//!
//! `cargo bench -p h1conn-benches --bench chunked -- --measurement-time 3 --warm-up-time 1`

use core::time::Duration;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput};
use h1conn::Event;
use h1conn_testkit::driver::{Driver, Record};

use common::{config, Hello};
use h1conn_benches as common;

const TOTAL: usize = 4 << 20;
const READ: usize = 16 << 10;

/// A chunked encoding of `TOTAL` pseudo-random bytes in chunks of `chunk` bytes.
fn encode(chunk: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(TOTAL + TOTAL / chunk * 16 + 16);
    let mut x: u32 = 0x1234_5678;
    let mut left = TOTAL;
    while left > 0 {
        let n = left.min(chunk);
        out.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        for _ in 0..n {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            out.push(x as u8);
        }
        out.extend_from_slice(b"\r\n");
        left -= n;
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn memcpy_reads(src: &[u8], scratch: &mut [u8; READ]) -> usize {
    let mut n = 0;
    for piece in src.chunks(READ) {
        scratch[..piece.len()].copy_from_slice(piece);
        black_box(&scratch[..]);
        n += piece.len();
    }
    n
}

/// Counts the body bytes and sees the end of the body; keeps nothing.
#[derive(Default)]
struct Body {
    bytes: u64,
    ended: bool,
}

impl Record for Body {
    #[inline]
    fn event(&mut self, ev: &Event) {
        match ev {
            Event::Data(b) => self.bytes += black_box(b).len() as u64,
            Event::End(_) => self.ended = true,
            _ => {}
        }
    }

    #[inline]
    fn wire(&mut self, out: &[u8]) {
        black_box(out);
    }
}

/// Feeds the head, then the body in `READ`-byte pieces; returns the body bytes delivered.
fn through_connection(d: &mut Driver<Hello, Body>, head: &[u8], src: &[u8], now: Duration) -> u64 {
    d.now = now;
    d.feed(head);
    for piece in src.chunks(READ) {
        assert_eq!(d.feed(piece), piece.len());
    }
    assert!(core::mem::take(&mut d.rec.ended));
    core::mem::take(&mut d.rec.bytes)
}

fn chunked(c: &mut Criterion) {
    // The default limits: chunk-size lines are capped one by one, so 4 MiB in 256-byte chunks
    // (48 KiB of size lines) passes as it is.
    let cfg = config(true);
    let mut group = c.benchmark_group("chunked_4MiB");
    group.throughput(Throughput::Bytes(TOTAL as u64));
    for (name, chunk) in [
        ("256B_chunks", 256),
        ("16KiB_chunks", 16 << 10),
        ("1MiB_chunks", 1 << 20),
    ] {
        let enc = encode(chunk);
        group.bench_with_input(BenchmarkId::new("memcpy", name), &enc, |b, enc| {
            let mut scratch = Box::new([0u8; READ]);
            b.iter(|| memcpy_reads(black_box(enc), &mut scratch))
        });
        group.bench_with_input(BenchmarkId::new("connection", name), &enc, |b, enc| {
            let head = b"POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
            let mut d = Driver::with(
                Arc::clone(&cfg),
                Duration::ZERO,
                Hello::default(),
                Body::default(),
            );
            let mut now = Duration::ZERO;
            b.iter(|| {
                now += Duration::from_micros(1);
                assert_eq!(
                    through_connection(&mut d, head, black_box(enc), now),
                    TOTAL as u64
                )
            })
        });
    }
    group.finish();
}

h1conn_benches::bench_main!(chunked, samples: 10, seconds: 3);
