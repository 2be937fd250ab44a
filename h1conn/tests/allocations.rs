//! Allocations, counted by a global allocator: steady keep-alive allocates nothing per request with
//! the plain loop (the application drops each request; nothing is handed back).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use core::time::Duration;
use h1conn::{Config, Connection, Event, Response};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the test's thread: only its allocations count, not those of the test harness's own
    /// thread (which allocates now and then while it waits).
    static COUNTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn count() {
    if COUNTED.with(std::cell::Cell::get) {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// One turn of a plain adapter loop: input, every event (requests dropped), output acknowledged.
fn turn(c: &mut Connection, input: &[u8], now: Duration) {
    let mut off = 0;
    while off < input.len() {
        off += c.handle_input(&input[off..], now);
        while let Some(ev) = c.poll_event() {
            if let Event::End(_) = ev {
                let r = Response::new(200).headers(&[("Content-Type", b"text/plain")]);
                c.send_full(&r, b"hello", now).unwrap();
            }
        }
        let n = c.transmit().len();
        c.handle_written(n, now).unwrap();
    }
}

/// Steady keep-alive, one request per read and 16 pipelined, small and browser-sized heads: no
/// allocation per request once the buffers are warm, with no `recycle`-style call.
#[test]
fn steady_keep_alive_allocates_nothing_per_request() {
    COUNTED.with(|c| c.set(true));
    let small = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec();
    let big = format!(
        "GET /a/b?c=d HTTP/1.1\r\nHost: www.example.com\r\n{}\r\n",
        (0..12)
            .map(|i| format!("X-Field-{i}: value number {i} of twelve\r\n"))
            .collect::<String>()
    )
    .into_bytes();
    for (name, one) in [("small", &small), ("browser-sized", &big)] {
        for batch in [1, 16] {
            let input: Vec<u8> = one.iter().copied().cycle().take(one.len() * batch).collect();
            let mut cfg = Config::default();
            cfg.keep_alive.max_requests = 0;
            let mut c = Connection::new(cfg, Duration::ZERO);
            for i in 0..200 {
                turn(&mut c, &input, Duration::from_micros(i));
            }
            let before = ALLOCS.load(Ordering::SeqCst);
            for i in 200..1200 {
                turn(&mut c, &input, Duration::from_micros(i));
            }
            let per_request = (ALLOCS.load(Ordering::SeqCst) - before) as f64 / (1000 * batch) as f64;
            assert_eq!(per_request, 0.0, "{name}, {batch} per read");
        }
    }
}
