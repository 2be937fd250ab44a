//! Allocations per request on a kept-alive connection, counted by a global allocator: the
//! server allocates nothing of its own per request (the service future and the response body
//! live in places kept from one request to the next; the request's field map is the emptied map
//! of the last response, or a copy of a kept map when the field section came before).

use std::alloc::{GlobalAlloc, Layout, System};
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use h1conn_tokio::{Builder, Incoming};
use http::{HeaderValue, Request, Response};
use http_body_util::Full;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the thread that runs the connection and its client: only its allocations count, not
    /// those of the test harness's own thread (which allocates now and then while it waits).
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

/// A service whose future is a plain `Ready` and whose body is a `Full`, adding one header.
#[derive(Clone)]
struct Hello;

impl tower_service::Service<Request<Incoming>> for Hello {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _req: Request<Incoming>) -> Self::Future {
        let mut resp = Response::new(Full::new(Bytes::from_static(b"hello\n")));
        resp.headers_mut()
            .insert("content-type", HeaderValue::from_static("text/plain"));
        std::future::ready(Ok(resp))
    }
}

/// Scenario: steady keep-alive (RFC 9112 §9.3), one request after another on one connection. Per
/// request only the `http` types allocate, and the server nothing of its own:
/// - the service's response `HeaderMap` (its index table and entries, 2);
/// - a request of one or two field lines fills the emptied map of the previous response (0);
/// - a request of three or more lines whose field section came before (the same request
///   repeated, or a page's kinds of request in turn) gets a copy of the map kept for it
///   (`FieldCache`: its two tables, 2), instead of filling a map line by line.
#[test]
fn keep_alive_request_allocates_only_the_http_types() {
    // The runtime runs on this thread: the connection, the service and the client alike.
    COUNTED.with(|c| c.set(true));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let (mut client, server) = tokio::io::duplex(64 * 1024);
        let mut config = h1conn::Config::default();
        // More requests than the default `max_requests` (100).
        config.keep_alive.max_requests = 0;
        let conn = tokio::spawn(Builder::new().with_config(config).serve_connection(server, Hello));
        let mut buf = [0u8; 4096];
        let mut exchange = async |client: &mut tokio::io::DuplexStream, request: &[u8]| {
            client.write_all(request).await.expect("write");
            let mut got = 0;
            while !buf[..got].ends_with(b"hello\n") {
                let n = client.read(&mut buf[got..]).await.expect("read");
                assert!(n > 0, "the server closed");
                got += n;
            }
            assert!(buf.starts_with(b"HTTP/1.1 200 OK\r\n"));
        };
        let requests: [(&[&[u8]], f64, &str); 3] = [
            (
                &[b"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n"],
                2.0,
                "the response's HeaderMap takes 2",
            ),
            (
                &[b"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n"],
                4.0,
                "the response's HeaderMap takes 2, the copy of the kept map 2",
            ),
            // A page's kinds of request in turn, each with its own Accept.
            (
                &[
                    b"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nAccept: text/html\r\n\r\n",
                    b"GET /a.css HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nAccept: text/css\r\n\r\n",
                    b"GET /a.png HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nAccept: image/*\r\n\r\n",
                ],
                4.0,
                "the response's HeaderMap takes 2, the copy of the kind's kept map 2",
            ),
        ];
        for (kinds, most, what) in requests {
            // Warm up: buffers and places reach their steady size.
            for i in 0..21 {
                exchange(&mut client, kinds[i % kinds.len()]).await;
            }
            const N: usize = 201;
            let before = ALLOCS.load(Ordering::SeqCst);
            for i in 0..N {
                exchange(&mut client, kinds[i % kinds.len()]).await;
            }
            let per_request = (ALLOCS.load(Ordering::SeqCst) - before) as f64 / N as f64;
            assert!(
                per_request <= most,
                "{per_request} allocations per request ({what})"
            );
        }
        drop(client);
        let _ = conn.await;
    });
}
