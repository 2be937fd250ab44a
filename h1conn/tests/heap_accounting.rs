//! `heap_bytes()` against a counting allocator: while the application keeps nothing it was given,
//! what the connection reports is exactly what it holds (RFC-independent; the memory bound of the
//! application contract).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::Arc;

use core::time::Duration;
use h1conn::{Config, Connection, Event, Response};

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

thread_local! {
    /// Set on the test's thread, where the connection lives: only its allocations count, not those
    /// of the test harness's own thread (which allocates and frees now and then while it waits).
    static COUNTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn add(bytes: isize) {
    if COUNTED.with(std::cell::Cell::get) {
        LIVE.fetch_add(bytes, Ordering::SeqCst);
    }
}

// SAFETY: forwards every call to the system allocator unchanged; only counts bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        add(l.size() as isize);
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        add(-(l.size() as isize));
        // SAFETY: as above.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        add(n as isize - l.size() as isize);
        // SAFETY: as above.
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

const T: Duration = Duration::ZERO;

/// What the test owns that the connection does not, taken before the connection exists.
fn live() -> isize {
    LIVE.load(Ordering::SeqCst)
}

/// Drains events, dropping each; answers requests with `answer` (status, body) or not at all.
fn drain(c: &mut Connection, answer: Option<(u16, &[u8])>) {
    while let Some(ev) = c.poll_event() {
        if let (Event::End(_), Some((status, body))) = (&ev, answer) {
            c.send_full(&Response::new(status), body, T).unwrap();
        }
    }
}

/// `what` is formatted only on failure, so the check itself allocates nothing.
fn check(c: &Connection, base: isize, what: impl Fn() -> String) {
    let held = (live() - base) as usize;
    let reported = c.heap_bytes();
    if reported != held {
        panic!(
            "{}: heap_bytes() {reported} against the allocator's {held}",
            what()
        );
    }
}

/// One test: the allocator counts this thread's allocations, so nothing else may run on it.
#[test]
fn heap_accounting() {
    COUNTED.with(|c| c.set(true));
    heap_bytes_agrees_with_a_counting_allocator();
    a_pipelining_client_costs_at_most_the_input_bound();
}

fn heap_bytes_agrees_with_a_counting_allocator() {
    // Only this thread is counted, and nothing else allocates on it meanwhile.
    let cfg = Arc::new(Config {
        release_idle_memory: false,
        ..Config::default()
    });
    let one =
        b"GET /some/path HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n".to_vec();
    let many: Vec<u8> = one.iter().copied().cycle().take(one.len() * 3000).collect();
    let upload_head = b"POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let chunk = b"1000\r\n"
        .iter()
        .copied()
        .chain([b'u'; 4096])
        .chain(*b"\r\n")
        .collect::<Vec<u8>>();

    let base = live();
    let mut c = Connection::new(Arc::clone(&cfg), T);
    check(&c, base, || "new".into());

    // Steady keep-alive, one request at a time.
    for _ in 0..50 {
        c.handle_input(&one, T);
        drain(&mut c, Some((200, b"hello")));
        check(&c, base, || "after a request, output pending".into());
        let n = c.transmit().len();
        c.handle_written(n, T).unwrap();
        check(&c, base, || "after a request, output written".into());
    }

    // Pipelined: the application answers nothing; heads queue up, input keeps coming.
    let mut off = 0;
    for round in 0..20 {
        off += c.handle_input(&many[off..], T);
        drain(&mut c, None);
        check(&c, base, || format!("pipelined, round {round}"));
    }
    // Now it answers everything, and output is written as it comes.
    for round in 0..200 {
        drain(&mut c, Some((200, b"")));
        let n = c.transmit().len();
        c.handle_written(n, T).unwrap();
        off += c.handle_input(&many[off..], T);
        check(&c, base, || format!("answering, round {round}"));
    }

    // A chunked upload whose pieces the application drops.
    let mut c = Connection::new(Arc::clone(&cfg), T);
    let base = live() - c.heap_bytes() as isize;
    c.handle_input(&upload_head, T);
    drain(&mut c, None);
    for i in 0..100 {
        c.handle_input(&chunk, T);
        drain(&mut c, None);
        check(&c, base, || format!("upload, chunk {i}"));
    }
}

/// The memory bound holds for everything the connection keeps: a client that pipelines 3,000 GETs
/// while the application holds request 0 and answers nothing costs one input buffer of at most
/// `max_buffered`, the queued heads' field positions and the in-flight state (before, heads parsed
/// ahead pinned old input buffers while new ones were allocated: about 1 MB).
fn a_pipelining_client_costs_at_most_the_input_bound() {
    let cfg = Arc::new(Config::default());
    let one =
        b"GET /some/path HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n".to_vec();
    let many: Vec<u8> = one.iter().copied().cycle().take(one.len() * 3000).collect();
    let base = live();
    let mut c = Connection::new(Arc::clone(&cfg), T);
    let mut off = 0;
    let mut held = None;
    for _ in 0..50 {
        off += c.handle_input(&many[off..], T);
        while let Some(ev) = c.poll_event() {
            if let Event::Request(r) = ev {
                held.get_or_insert(r);
            }
        }
    }
    let live_now = (live() - base) as usize;
    let bound = cfg.max_buffered + 16 * 1024;
    assert!(
        live_now <= bound,
        "{live_now} bytes live for one connection, bound {bound}"
    );
    assert!(c.heap_bytes() <= live_now);
    drop(held);
}
