//! Cost per request of the whole machine (parse, events, response, output) against bare
//! `httparse::Request::parse` over the same pipelined bytes, in the same group and run.
//!
//! `cargo bench -p h1conn-benches --bench request -- --measurement-time 3 --warm-up-time 1`

use core::time::Duration;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput};

use common::{bare_httparse, config, httparse_respond, pipelined, serve, server, BROWSER, MINIMAL};
use h1conn_benches as common;

/// Requests per pipelined buffer.
const PIPELINE: usize = 16;

fn per_request(c: &mut Criterion) {
    let mut group = c.benchmark_group("per_request");
    // `h1conn`: the default configuration (an idle connection frees its buffers);
    // `h1conn_keep`: `release_idle_memory = false` (buffers kept for the next request).
    let configs = [("h1conn", config(true)), ("h1conn_keep", config(false))];
    for (name, req) in [("minimal_35B", MINIMAL), ("browser_12_fields", BROWSER)] {
        // 16 requests in one input buffer, as a pipelining client (wrk, ab) sends them.
        let buf = pipelined(req, PIPELINE);
        group.throughput(Throughput::Elements(PIPELINE as u64));
        group.bench_with_input(BenchmarkId::new("httparse", name), &buf, |b, buf| {
            b.iter(|| assert_eq!(bare_httparse(black_box(buf)), PIPELINE))
        });
        group.bench_with_input(BenchmarkId::new("httparse_respond", name), &buf, |b, buf| {
            let mut out = Vec::new();
            b.iter(|| assert_eq!(httparse_respond(black_box(buf), &mut out), PIPELINE))
        });
        for (label, cfg) in &configs {
            group.bench_with_input(BenchmarkId::new(*label, name), &buf, |b, buf| {
                let mut s = server(cfg);
                let mut now = Duration::ZERO;
                b.iter(|| {
                    now += Duration::from_nanos(1);
                    let (answered, _) = serve(&mut s, black_box(buf), now);
                    assert_eq!(answered, PIPELINE);
                })
            });
        }
        // One request per input call, as a non-pipelining keep-alive client produces.
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::new("httparse_single", name), req, |b, req| {
            b.iter(|| assert_eq!(bare_httparse(black_box(req)), 1))
        });
        group.bench_with_input(
            BenchmarkId::new("httparse_respond_single", name),
            req,
            |b, req| {
                let mut out = Vec::new();
                b.iter(|| assert_eq!(httparse_respond(black_box(req), &mut out), 1))
            },
        );
        for (label, cfg) in &configs {
            let id = BenchmarkId::new(format!("{label}_single"), name);
            group.bench_with_input(id, req, |b, req| {
                let mut s = server(cfg);
                let mut now = Duration::ZERO;
                b.iter(|| {
                    now += Duration::from_nanos(1);
                    let (answered, _) = serve(&mut s, black_box(req), now);
                    assert_eq!(answered, 1);
                })
            });
        }
    }
    group.finish();
}

h1conn_benches::bench_main!(per_request, samples: 20, seconds: 3);
