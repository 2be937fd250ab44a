//! Allocations per request in steady keep-alive state, and memory held by an idle keep-alive
//! connection, counted exactly by a global allocator that wraps the system one.
//!
//! `cargo bench --bench alloc`

use core::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use core::time::Duration;
use std::alloc::{GlobalAlloc, Layout, System};
use std::mem::size_of;
use std::sync::Arc;

use h1conn::{Config, Connection, Event, Request, RequestHead};

mod common;
use common::{config, pipelined, serve, served_connection, BROWSER, MINIMAL};

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
/// input call (each head given back with `recycle`), and prints allocator calls per request.
fn steady(name: &str, req: &[u8], per_input: usize, cfg: &Arc<Config>) {
    let input = pipelined(req, per_input);
    let mut conn = Connection::new(Arc::clone(cfg), Duration::ZERO);
    let mut now = Duration::ZERO;
    let mut run = |conn: &mut Connection, n: usize| {
        for _ in 0..n / per_input {
            now += Duration::from_micros(5);
            let (answered, _) = serve(conn, &input, now);
            assert_eq!(answered, per_input);
        }
    };
    run(&mut conn, WARM);
    let a = snap();
    run(&mut conn, MEASURED);
    let b = snap();
    let per = |x: u64| x as f64 / MEASURED as f64;
    println!(
        "{name:<44} allocs/req {:>6.3}  reallocs/req {:>6.3}  frees/req {:>6.3}  bytes/req {:>7.1}  live +{} B",
        per(b.allocs - a.allocs),
        per(b.reallocs - a.reallocs),
        per(b.frees - a.frees),
        per(b.bytes - a.bytes),
        b.live - a.live,
    );
    drop(conn);
}

/// Heap bytes an idle connection keeps after `served` requests of `req` (counted by the allocator),
/// and what the connection itself reports (`heap_bytes`).
fn idle_heap(served: usize, req: &[u8], cfg: &Arc<Config>) -> (i64, usize) {
    let before = snap();
    let (conn, _) = served_connection(served, req, cfg);
    let after = snap();
    assert!(conn.poll_close().is_none() && conn.buffered_input() == 0 && conn.transmit().is_empty());
    let held = after.live - before.live;
    let reported = conn.heap_bytes();
    drop(conn);
    (held, reported)
}

fn main() {
    // Built (and run without `--bench`) by `cargo test --all-targets`: measure only under `cargo bench`.
    if !common::benchmarking() {
        return;
    }
    // One configuration shared by every connection (allocated here, outside every count).
    let release = config(true);
    let keep = config(false);
    println!("== allocations per request, steady keep-alive ({WARM} warm-up, {MEASURED} measured)");
    println!("   baseline: httparse::Request::parse allocates nothing; target 0");
    for (cname, cfg) in [("default", &release), ("keep buffers", &keep)] {
        for (rname, req) in [("minimal 35 B", MINIMAL), ("browser 12 fields", BROWSER)] {
            for per_input in [1, 16] {
                let name = format!("{cname}, {rname}, {per_input} per input");
                steady(&name, req, per_input, cfg);
            }
        }
    }

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
    for (cname, cfg) in [("default", &release), ("keep buffers", &keep)] {
        let fresh = {
            let before = snap();
            let conn = Connection::new(Arc::clone(cfg), Duration::ZERO);
            let held = snap().live - before.live;
            drop(conn);
            held
        };
        let total = conn_size as i64 + fresh;
        println!("{cname:<13} new connection                 heap {fresh:>6} B  total {total:>6} B");
        for (rname, served, req) in [
            ("after 1 minimal", 1, MINIMAL),
            ("after 1000 minimal", 1000, MINIMAL),
            ("after 1 browser", 1, BROWSER),
            ("after 1000 browser (16 pipelined)", 1000, BROWSER),
        ] {
            let (held, reported) = idle_heap(served, req, cfg);
            let total = conn_size as i64 + held;
            println!("{cname:<13} idle {rname:<34} heap {held:>6} B  total {total:>6} B  (heap_bytes() {reported})");
        }
    }
    let s = snap();
    println!();
    println!(
        "(process totals: {} allocs, {} reallocs, {} frees, {} B allocated)",
        s.allocs, s.reallocs, s.frees, s.bytes
    );
}
