//! `poll_timeout` and `handle_timeout` (nothing expired) on an idle keep-alive connection after 1,
//! 1000 and 100000 requests: the cost must not grow with the requests served.
//!
//! `cargo bench -p h1conn-benches --bench timers -- --measurement-time 3 --warm-up-time 1`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion};

use common::{config, served_connection, MINIMAL};
use h1conn_benches as common;

fn timers(c: &mut Criterion) {
    let mut group = c.benchmark_group("timers_idle");
    let cfg = config(true);
    for served in [1usize, 1000, 100_000] {
        let (mut conn, now) = served_connection(served, MINIMAL, &cfg);
        assert_eq!(conn.requests_served() as usize, served);
        let deadline = conn.poll_timeout().expect("keep-alive timer armed");
        assert!(deadline > now);
        group.bench_function(BenchmarkId::new("poll_timeout", served), |b| {
            b.iter(|| black_box(&conn).poll_timeout())
        });
        group.bench_function(BenchmarkId::new("handle_timeout", served), |b| {
            b.iter(|| {
                conn.handle_timeout(black_box(now));
                black_box(&conn);
            })
        });
        assert_eq!(conn.poll_timeout(), Some(deadline));
        assert!(conn.poll_close().is_none());
    }
    group.finish();
}

h1conn_benches::bench_main!(timers, samples: 20, seconds: 2);
