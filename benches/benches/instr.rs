//! A fixed workload for exact instruction counts under callgrind: only `measured` is collected.
//!
//! ```text
//! cargo bench -p h1conn-benches --bench instr --no-run
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured*' \
//!     target/release/deps/instr-* MODE REQUEST N
//! ```
//! MODE: `httparse` (the bare parse of the same bytes), `httparse_respond` (the parse plus writing
//! the same response bytes into a reused buffer), `h1conn` (default configuration), `h1conn_keep`
//! (`release_idle_memory = false`) or `h1conn_at_once` (`release_idle_after = 0`), each optionally
//! with `_single` (one request per input call instead of 16 pipelined), `_halves` (one request in
//! two input calls, its first half and then the rest, as a head split across two reads) or
//! `_trickle` (one request fed one byte per input call, as a slow client sends it); REQUEST:
//! `minimal` or `browser`; N: requests (multiple of 16).
//! `instr timers SERVED` instead runs 10000 `handle_timeout` + `poll_timeout` rounds on an idle
//! connection that has served SERVED requests (collect `*measured_timers*`).
//! Run without arguments (as `cargo bench` and `cargo test --all-targets` do) it does nothing.

use core::time::Duration;
use std::hint::black_box;

use h1conn::Connection;

use common::{
    bare_httparse, config, config_release_at_once, httparse_respond, pipelined, serve, served,
    served_connection, server, Server, BROWSER, MINIMAL,
};
use h1conn_benches as common;

#[inline(never)]
fn measured(mode: &str, s: &mut Server, input: &[u8], rounds: usize) -> usize {
    let mut answered = 0;
    let mut out = Vec::with_capacity(4096);
    for i in 0..rounds {
        let now = Duration::from_micros(i as u64 + 100);
        answered += match mode {
            m if m.starts_with("httparse_respond") => httparse_respond(black_box(input), &mut out),
            m if m.starts_with("httparse") => bare_httparse(black_box(input)),
            m if m.ends_with("_halves") => {
                let (first, rest) = input.split_at(input.len() / 2);
                serve(s, black_box(first), now).0 + serve(s, black_box(rest), now).0
            }
            m if m.ends_with("_trickle") => {
                // An adapter's loop per input: the calls of `Driver::feed`, nothing else.
                s.now = now;
                for byte in input.chunks(1) {
                    s.feed(black_box(byte));
                }
                served(s).0
            }
            _ => serve(s, black_box(input), now).0,
        };
    }
    answered
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let [mode, served] = &args[..] {
        if mode == "timers" {
            timers(served.parse().expect("SERVED"));
        }
        return;
    }
    let [mode, req, n] = &args[..] else {
        return;
    };
    let req = match req.as_str() {
        "minimal" => MINIMAL,
        "browser" => BROWSER,
        other => panic!("unknown request {other}"),
    };
    let n: usize = n.parse().expect("N");
    let per_input = if ["_single", "_halves", "_trickle"]
        .iter()
        .any(|m| mode.ends_with(m))
    {
        1
    } else {
        16
    };
    let input = pipelined(req, per_input);
    let cfg = if mode.contains("at_once") {
        config_release_at_once()
    } else {
        config(!mode.contains("keep"))
    };
    let mut s = server(&cfg);
    // Warm the connection's buffers and queues first.
    let warm = warm_up(&mut s, &input);
    assert_eq!(warm, per_input * 4);
    let answered = measured(mode, &mut s, &input, n / per_input);
    assert_eq!(answered, n / per_input * per_input);
    println!("{mode} {} bytes/request: {answered} requests", req.len());
}

fn warm_up(s: &mut Server, input: &[u8]) -> usize {
    (0..4)
        .map(|i| serve(s, input, Duration::from_micros(i + 1)).0)
        .sum()
}

/// `timers SERVED`: 10000 rounds of `poll_timeout` + `handle_timeout` (nothing expired) on an idle
/// connection that has served SERVED requests; only `measured_timers` is collected.
fn timers(served: usize) {
    let (mut conn, now) = served_connection(served, MINIMAL, &config(true));
    let deadline = conn.poll_timeout();
    let sum = measured_timers(&mut conn, now, 10_000);
    assert_eq!(conn.poll_timeout(), deadline);
    println!("timers after {served} requests: {sum:?}");
}

#[inline(never)]
fn measured_timers(conn: &mut Connection, now: Duration, rounds: usize) -> Duration {
    let mut sum = Duration::ZERO;
    for _ in 0..rounds {
        conn.handle_timeout(black_box(now));
        sum += black_box(&*conn).poll_timeout().unwrap_or_default();
    }
    sum
}
