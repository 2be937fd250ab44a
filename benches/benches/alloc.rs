//! Allocations per request in steady keep-alive state, and memory held by an idle keep-alive
//! connection, counted exactly by a global allocator that wraps the system one.
//!
//! `cargo bench -p h1conn-benches --bench alloc`

use core::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use core::time::Duration;
use std::alloc::{GlobalAlloc, Layout, System};
use std::mem::size_of;
use std::sync::Arc;

use h1conn::{Config, Connection, Event, Request, RequestHead, Timer};

use common::{
    config, config_release_at_once, pipelined, serve, served_connection, server, Server, BROWSER, MINIMAL,
};
use h1conn_benches as common;

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);
static FREES: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicI64 = AtomicI64::new(0);

// SAFETY: every call forwards to the system allocator with the same arguments; the counters are
// plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        LIVE.fetch_add(layout.size() as i64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        FREES.fetch_add(1, Relaxed);
        LIVE.fetch_sub(layout.size() as i64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size as u64, Relaxed);
        LIVE.fetch_add(new_size as i64 - layout.size() as i64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[derive(Clone, Copy)]
struct Snap {
    allocs: u64,
    reallocs: u64,
    frees: u64,
    bytes: u64,
    live: i64,
}

fn snap() -> Snap {
    Snap {
        allocs: ALLOCS.load(Relaxed),
        reallocs: REALLOCS.load(Relaxed),
        frees: FREES.load(Relaxed),
        bytes: BYTES.load(Relaxed),
        live: LIVE.load(Relaxed),
    }
}

const WARM: usize = 1_000;
const MEASURED: usize = 10_000;

/// Serves `MEASURED` requests after `WARM` on one keep-alive connection, `per_input` requests per
/// input call (each head dropped as the application is done with it), `gap` apart (with the `handle_timeout` call a
/// server makes when a deadline passes in between), and prints allocator calls per request.
fn steady(name: &str, req: &[u8], per_input: usize, gap: Duration, cfg: &Arc<Config>) {
    let input = pipelined(req, per_input);
    let mut s = server(cfg);
    let mut now = Duration::ZERO;
    let mut run = |s: &mut Server, n: usize| {
        for _ in 0..n / per_input {
            now += gap;
            if s.conn.poll_timeout().is_some_and(|d| d <= now) {
                s.conn.handle_timeout(now);
            }
            let (answered, _) = serve(s, &input, now);
            assert_eq!(answered, per_input);
            assert!(s.close().is_none());
        }
    };
    run(&mut s, WARM);
    let a = snap();
    run(&mut s, MEASURED);
    let b = snap();
    let per = |x: u64| x as f64 / MEASURED as f64;
    println!(
        "{name:<52} allocs/req {:>6.3}  reallocs/req {:>6.3}  frees/req {:>6.3}  bytes/req {:>7.1}",
        per(b.allocs - a.allocs),
        per(b.reallocs - a.reallocs),
        per(b.frees - a.frees),
        per(b.bytes - a.bytes),
    );
    drop(s);
}

/// Heap bytes an idle connection keeps after `served` requests of `req` (counted by the allocator),
/// right after the last response and once its release deadline (if any) has passed, and what the
/// connection itself reports (`heap_bytes`) at that point.
fn idle_heap(served: usize, req: &[u8], cfg: &Arc<Config>) -> (i64, i64, usize) {
    let before = snap();
    let (mut conn, _) = served_connection(served, req, cfg);
    assert!(conn.poll_close().is_none() && conn.buffered_input() == 0 && conn.transmit().is_empty());
    let held_at_once = snap().live - before.live;
    if let Some(at) = conn.timer(Timer::Release) {
        conn.handle_timeout(at);
        assert!(conn.poll_close().is_none(), "still open after the release");
    }
    let held_later = snap().live - before.live;
    let reported = conn.heap_bytes();
    drop(conn);
    (held_at_once, held_later, reported)
}

fn main() {
    // Built (and run without `--bench`) by `cargo test --all-targets`: measure only under `cargo bench`.
    if !common::benchmarking() {
        return;
    }
    // One configuration of each kind, shared by every connection (allocated here, outside every
    // count).
    let default = config(true);
    let at_once = config_release_at_once();
    let keep = config(false);
    let configs = [
        ("default (release after 1 s)", &default),
        ("release at once", &at_once),
        ("keep buffers", &keep),
    ];
    println!("== allocations per request, steady keep-alive ({WARM} warm-up, {MEASURED} measured)");
    println!("   baseline: httparse::Request::parse allocates nothing; target 0");
    let back_to_back = Duration::from_micros(5);
    for (cname, cfg) in configs {
        for (rname, req) in [("35 B", MINIMAL), ("718 B", BROWSER)] {
            for per_input in [1, 16] {
                let name = format!("{cname}, {rname}, {per_input} per input");
                steady(&name, req, per_input, back_to_back, cfg);
            }
        }
    }
    // Requests further apart than the release delay find the connection released.
    steady(
        "default (release after 1 s), 35 B, 1 per input, 2 s apart",
        MINIMAL,
        1,
        Duration::from_secs(2),
        &default,
    );

    println!();
    println!("== memory per idle keep-alive connection (target <= 256 B; nginx ~250 B)");
    let conn_size = size_of::<Connection>();
    println!(
        "size_of::<Connection>()  {conn_size} B  (Config {} B, shared through an Arc)",
        size_of::<Config>()
    );
    println!(
        "size_of Event {} B, Request {} B, RequestHead {} B",
        size_of::<Event>(),
        size_of::<Request>(),
        size_of::<RequestHead>()
    );
    println!(
        "{:<30} {:<36} {:>10} {:>10} {:>13}",
        "", "", "heap now", "heap later", "heap_bytes()"
    );
    for (cname, cfg) in configs {
        let fresh = {
            let before = snap();
            let conn = Connection::new(Arc::clone(cfg), Duration::ZERO);
            let held = snap().live - before.live;
            drop(conn);
            held
        };
        println!("{cname:<30} {:<36} {fresh:>8} B", "new connection");
        for (rname, served, req) in [
            ("idle after 1 x 35 B", 1, MINIMAL),
            ("idle after 1000 x 35 B", 1000, MINIMAL),
            ("idle after 1 x 718 B", 1, BROWSER),
            ("idle after 1000 x 718 B, 16 pipelined", 1000, BROWSER),
        ] {
            let (now, later, reported) = idle_heap(served, req, cfg);
            println!("{cname:<30} {rname:<36} {now:>8} B {later:>8} B {reported:>11} B");
        }
    }
    println!("(total per idle connection = size_of::<Connection>() + heap; \"later\" = after the release deadline)");
    let s = snap();
    println!();
    println!(
        "(process totals: {} allocs, {} reallocs, {} frees, {} B allocated)",
        s.allocs, s.reallocs, s.frees, s.bytes
    );
}
