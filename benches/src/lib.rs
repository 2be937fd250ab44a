//! Request fixtures, and the testkit's driver set up as a minimal server, shared by the
//! benchmarks.

use core::time::Duration;
use std::hint::black_box;
use std::sync::Arc;

use h1conn::{Config, Connection, Event, Request, Response};
use h1conn_testkit::driver::{Driver, Policy, Record};

/// The smallest realistic request: 35 bytes.
pub const MINIMAL: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

/// A browser navigation request with 12 header fields (about 700 bytes).
pub const BROWSER: &[u8] = b"GET /articles/2024/06/sans-io-http-servers?ref=frontpage&utm_source=newsletter HTTP/1.1\r\n\
Host: www.example.com\r\n\
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n\
Accept-Language: en-US,en;q=0.9,de;q=0.7,fr;q=0.5\r\n\
Accept-Encoding: gzip, deflate, br, zstd\r\n\
Referer: https://www.example.com/articles/2024/06/index.html?page=2\r\n\
Cookie: session=6f1c2b9e4d8a47f0b3e5c7d9a1f3e5b7; theme=dark; consent=analytics%3D0%26ads%3D0; _ga=GA1.2.1234567890.1717171717\r\n\
Connection: keep-alive\r\n\
Upgrade-Insecure-Requests: 1\r\n\
Sec-Fetch-Dest: document\r\n\
Sec-Fetch-Mode: navigate\r\n\
Sec-Fetch-Site: same-origin\r\n\
\r\n";

/// The response body every benchmark sends.
pub const BODY: &[u8] = b"hello";

/// The response header fields every benchmark sends (the connection adds Content-Length).
pub const HEADERS: &[(&str, &[u8])] = &[("Content-Type", b"text/plain")];

/// `n` copies of `req`, as one pipelined buffer.
pub fn pipelined(req: &[u8], n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(req.len() * n);
    for _ in 0..n {
        v.extend_from_slice(req);
    }
    v
}

/// The configuration the benchmarks use, shared by every connection as a server would: defaults,
/// except that a connection may serve any number of requests (the default `max_requests` of 100
/// would close it mid-run). `release_idle_memory` is the default (true: an idle connection frees
/// its buffers once idle for `release_idle_after`, 1 s) or false (buffers always kept).
pub fn config(release_idle_memory: bool) -> Arc<Config> {
    let mut cfg = Config::default();
    cfg.keep_alive.max_requests = 0;
    cfg.release_idle_memory = release_idle_memory;
    Arc::new(cfg)
}

/// [`config`] with memory released as soon as the connection is idle (`release_idle_after` = 0).
pub fn config_release_at_once() -> Arc<Config> {
    let mut cfg = (*config(true)).clone();
    cfg.release_idle_after = Duration::ZERO;
    Arc::new(cfg)
}

/// The benchmarks' application: answers every request with a 200, [`HEADERS`] and [`BODY`], and
/// drops each head.
#[derive(Debug, Default)]
pub struct Hello {
    answered: usize,
}

impl Policy for Hello {
    #[inline]
    fn request(&mut self, _: &mut Connection, req: Request, _: Duration) {
        drop(req);
    }

    #[inline]
    fn end(&mut self, conn: &mut Connection, now: Duration) {
        let resp = Response::new(200).headers(HEADERS);
        conn.send_full(&resp, BODY, now).expect("respond");
        self.answered += 1;
    }
}

/// Records nothing: counts the output bytes and keeps the optimizer from dropping them.
#[derive(Debug, Default)]
pub struct Written(usize);

impl Record for Written {
    #[inline]
    fn event(&mut self, _: &Event) {}

    #[inline]
    fn wire(&mut self, out: &[u8]) {
        self.0 += out.len();
        black_box(out);
    }
}

/// The testkit's driver with the benchmarks' application, recording nothing.
pub type Server = Driver<Hello, Written>;

/// A server on a new connection with `cfg`.
pub fn server(cfg: &Arc<Config>) -> Server {
    Driver::with(
        Arc::clone(cfg),
        Duration::ZERO,
        Hello::default(),
        Written::default(),
    )
}

/// Feeds `input` at `now`, answers every request, and writes all output (acknowledged in one
/// `handle_written` per input call, as after one successful write). Returns how many requests were
/// answered and how many output bytes were produced.
#[inline]
pub fn serve(s: &mut Server, input: &[u8], now: Duration) -> (usize, usize) {
    s.now = now;
    s.feed(input);
    served(s)
}

/// How many requests were answered and how many output bytes were produced since the last ask.
#[inline]
pub fn served(s: &mut Server) -> (usize, usize) {
    (
        core::mem::take(&mut s.policy.answered),
        core::mem::take(&mut s.rec.0),
    )
}

/// A connection that has served `n` requests and sits idle in keep-alive.
pub fn served_connection(n: usize, req: &[u8], cfg: &Arc<Config>) -> (Connection, Duration) {
    let mut now = Duration::ZERO;
    let mut s = server(cfg);
    let batch = pipelined(req, 16);
    let mut left = n;
    while left > 0 {
        let k = left.min(16);
        now += Duration::from_micros(10);
        let (answered, _) = serve(&mut s, &batch[..k * req.len()], now);
        assert_eq!(answered, k, "every request answered");
        left -= k;
    }
    (s.conn, now)
}

/// True under `cargo bench` (which passes `--bench`); false when `cargo test --all-targets` runs the
/// binary, so tests only check that the benchmarks build.
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Parses every request in `buf` with httparse, calling `then` after each; returns how many were
/// parsed.
#[inline(always)]
fn each_request(buf: &[u8], mut then: impl FnMut()) -> usize {
    let mut off = 0;
    let mut n = 0;
    while off < buf.len() {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf[off..]) {
            Ok(httparse::Status::Complete(len)) => {
                black_box(&req);
                then();
                off += len;
                n += 1;
            }
            _ => break,
        }
    }
    n
}

/// Parses every request in `buf` with httparse alone; returns how many were parsed.
pub fn bare_httparse(buf: &[u8]) -> usize {
    each_request(buf, || {})
}

/// The same job as [`serve`] without a state machine, as a minimal hand-written server does it:
/// parse each request with httparse, append the bytes h1conn writes for the same response (status
/// line, Content-Type, Content-Length, body) to a reused output buffer, then drain it.
pub fn httparse_respond(buf: &[u8], out: &mut Vec<u8>) -> usize {
    const { assert!(BODY.len() == 5) };
    let n = each_request(buf, || {
        out.extend_from_slice(b"HTTP/1.1 200 OK\r\n");
        for (name, value) in HEADERS {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        // The body is fixed, so a hand-written server writes its length as a constant.
        out.extend_from_slice(b"Content-Length: 5\r\n\r\n");
        out.extend_from_slice(BODY);
    });
    black_box(&out[..]);
    out.clear();
    n
}

/// A criterion group `benches` of `$target` (`$samples` samples, 1 s warm-up, `$secs` s of
/// measurement) and a `main` that measures only under `cargo bench`: `cargo test --all-targets`
/// builds the binary and runs it without `--bench`, which only checks that it builds.
#[macro_export]
macro_rules! bench_main {
    ($target:path, samples: $samples:expr, seconds: $secs:expr) => {
        ::criterion::criterion_group! {
            name = benches;
            config = ::criterion::Criterion::default()
                .sample_size($samples)
                .warm_up_time(::core::time::Duration::from_secs(1))
                .measurement_time(::core::time::Duration::from_secs($secs));
            targets = $target
        }
        fn main() {
            if $crate::benchmarking() {
                benches();
                ::criterion::Criterion::default()
                    .configure_from_args()
                    .final_summary();
            }
        }
    };
}
