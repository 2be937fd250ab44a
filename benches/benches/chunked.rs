//! Chunked body decoding against a plain memcpy of the same bytes, in the same group and run.
//!
//! Every variant reads the same 4 MiB encoded body in 16 KiB pieces, as a socket read loop would:
//! - `memcpy`: copy each piece into one reused 16 KiB buffer (the baseline: the cheapest thing a
//!   server can do with received bytes);
//! - `decoder`: append each piece to a `BytesMut` and run `ChunkedDecoder::decode` until it needs
//!   more (the copy into the read buffer plus decoding);
//! - `decoder_only`: decode a buffer that already holds the whole body (no copy at all: data comes
//!   out as slices of the buffer);
//! - `connection`: a chunked POST through `Connection::handle_input` / `poll_event`, answered.
//!
//! `cargo bench --bench chunked -- --measurement-time 3 --warm-up-time 1`

use core::time::Duration;
use std::hint::black_box;
use std::sync::Arc;

use bytes::BytesMut;
use criterion::{criterion_group, BatchSize, BenchmarkId, Criterion, Throughput};
use h1conn::chunked::{ChunkedDecoder, Decoded};
use h1conn::{Connection, Event, Limits, Response};

use common::config;
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

fn decode_reads(src: &[u8], rbuf: &mut BytesMut, limits: &Limits) -> u64 {
    let mut d = ChunkedDecoder::new();
    let mut body = 0u64;
    for piece in src.chunks(READ) {
        rbuf.extend_from_slice(piece);
        while let Some(out) = d.decode(rbuf, limits).expect("valid body") {
            match out {
                Decoded::Data(b) => body += black_box(b).len() as u64,
                Decoded::End(_) => break,
            }
        }
    }
    assert!(d.is_done());
    body
}

fn decode_all(mut buf: BytesMut, limits: &Limits) -> u64 {
    let mut d = ChunkedDecoder::new();
    let mut body = 0u64;
    while let Some(out) = d.decode(&mut buf, limits).expect("valid body") {
        match out {
            Decoded::Data(b) => body += black_box(b).len() as u64,
            Decoded::End(_) => break,
        }
    }
    body
}

fn through_connection(conn: &mut Connection, head: &[u8], src: &[u8], now: Duration) -> u64 {
    let resp = Response::new(200);
    let mut body = 0u64;
    let mut ended = false;
    let mut pieces = core::iter::once(head).chain(src.chunks(READ));
    for _ in 0..TOTAL {
        let Some(mut piece) = pieces.next() else { break };
        // Bounded: every round takes bytes or delivers events that free the buffer.
        for _ in 0..4 {
            let took = conn.handle_input(piece, now);
            piece = &piece[took..];
            while let Some(ev) = conn.poll_event() {
                match ev {
                    Event::Data(b) => body += black_box(b).len() as u64,
                    Event::End(_) => {
                        conn.send_full(&resp, b"hello", now).expect("respond");
                        ended = true;
                    }
                    _ => {}
                }
            }
            if piece.is_empty() {
                break;
            }
        }
    }
    let n = conn.transmit().len();
    conn.handle_written(n, now).expect("ack");
    assert!(ended);
    body
}

fn chunked(c: &mut Criterion) {
    // 4 MiB in 256-byte chunks has 48 KiB of chunk-size lines, past the default budget of 16 KiB
    // (`max_chunk_lines`, a defence against endless tiny chunks): lift it for the measurement.
    let limits = Limits {
        max_chunk_lines: usize::MAX,
        ..Limits::default()
    };
    let mut cfg = (*config(true)).clone();
    cfg.limits = limits.clone();
    let cfg = Arc::new(cfg);
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
        group.bench_with_input(BenchmarkId::new("decoder", name), &enc, |b, enc| {
            let mut rbuf = BytesMut::with_capacity(2 * READ);
            b.iter(|| assert_eq!(decode_reads(black_box(enc), &mut rbuf, &limits), TOTAL as u64))
        });
        group.bench_with_input(BenchmarkId::new("decoder_only", name), &enc, |b, enc| {
            b.iter_batched(
                || BytesMut::from(&enc[..]),
                |buf| assert_eq!(decode_all(buf, &limits), TOTAL as u64),
                BatchSize::LargeInput,
            )
        });
        group.bench_with_input(BenchmarkId::new("connection", name), &enc, |b, enc| {
            let head = b"POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
            let mut conn = Connection::new(Arc::clone(&cfg), Duration::ZERO);
            let mut now = Duration::ZERO;
            b.iter(|| {
                now += Duration::from_micros(1);
                assert_eq!(
                    through_connection(&mut conn, head, black_box(enc), now),
                    TOTAL as u64
                )
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = chunked
}
fn main() {
    // Built (and run without `--bench`) by `cargo test --all-targets`: measure only under `cargo bench`.
    if common::benchmarking() {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
}
