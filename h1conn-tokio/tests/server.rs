//! The server's own duties over real sockets and in memory: graceful shutdown, the connection
//! limit, accept errors, back-pressure on request bodies, `100 Continue`, trailers, idle memory.
//! Each test names the scenario or RFC section it checks.

mod common;

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use axum::routing::{get, post};
use axum::Router;
use common::*;
use h1conn_tokio::{Builder, Incoming, Listener};
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::Notify;
use tokio::time::Instant;

/// A route that waits for `gate` (after telling `entered`), and one that counts a body after the
/// gate opens.
#[derive(Clone, Default)]
struct Gates {
    entered: Arc<Notify>,
    gate: Arc<Notify>,
}

fn gated(g: Gates) -> Router {
    let g2 = g.clone();
    Router::new()
        .route("/", get(|| async { "hi" }))
        .route(
            "/slow",
            get(move || {
                let g = g.clone();
                async move {
                    g.entered.notify_one();
                    g.gate.notified().await;
                    "done"
                }
            }),
        )
        .route(
            "/upload",
            post(move |body: axum::body::Body| {
                let g = g2.clone();
                async move {
                    g.entered.notify_one();
                    g.gate.notified().await;
                    let mut body = body;
                    let mut n = 0u64;
                    while let Some(f) = body.frame().await {
                        if let Ok(d) = f.unwrap().into_data() {
                            n += d.len() as u64;
                        }
                    }
                    format!("received {n}")
                }
            }),
        )
}

/// Waits until the listener is gone (connects are refused), bounded.
async fn wait_refused(addr: std::net::SocketAddr) {
    let start = Instant::now();
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(start.elapsed() < WAIT, "the listener is still accepting");
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn graceful_shutdown_closes_idle_connections_at_once_and_stops_accepting() {
    let mut srv = start(Builder::new(), gated(Gates::default())).await;
    let mut used = Client::connect(srv.addr).await;
    used.send(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert_eq!(used.response().await.unwrap().status, 200);
    let mut fresh = Client::connect(srv.addr).await;
    srv.shutdown();
    // An idle keep-alive connection and one that never sent a request both close at once,
    // long before the 5 s keep-alive timeout.
    assert!(used.closed_within(Duration::from_secs(2)).await);
    assert!(fresh.closed_within(Duration::from_secs(2)).await);
    tokio::time::timeout(WAIT, srv.done)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(srv.addr).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test]
async fn rfc9112_9_6_graceful_shutdown_finishes_in_flight_requests_with_connection_close() {
    let g = Gates::default();
    let mut srv = start(Builder::new(), gated(g.clone())).await;
    let mut c = Client::connect(srv.addr).await;
    c.send(b"GET /slow HTTP/1.1\r\nHost: a\r\n\r\n").await;
    tokio::time::timeout(WAIT, g.entered.notified()).await.unwrap();
    srv.shutdown();
    wait_refused(srv.addr).await;
    g.gate.notify_one();
    let r = c.response().await.expect("the request in flight is answered");
    assert_eq!((r.status, r.text().as_str()), (200, "done"));
    assert_eq!(r.header("connection").as_deref(), Some("close"));
    assert!(c.closed_within(WAIT).await);
    tokio::time::timeout(WAIT, srv.done)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn graceful_shutdown_aborts_what_remains_after_the_grace_period() {
    let g = Gates::default();
    let builder = Builder::new().shutdown_grace(Duration::from_millis(200));
    let mut srv = start(builder, gated(g.clone())).await;
    let mut c = Client::connect(srv.addr).await;
    c.send(b"GET /slow HTTP/1.1\r\nHost: a\r\n\r\n").await;
    tokio::time::timeout(WAIT, g.entered.notified()).await.unwrap();
    let t0 = Instant::now();
    srv.shutdown();
    tokio::time::timeout(WAIT, srv.done)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(t0.elapsed() >= Duration::from_millis(200));
    assert!(c.closed_within(WAIT).await, "the stuck connection is aborted");
}

#[tokio::test]
async fn connection_limit_holds_extra_clients_in_the_backlog_until_one_closes() {
    let mut srv = start(Builder::new().max_connections(2), gated(Gates::default())).await;
    let mut a = Client::connect(srv.addr).await;
    let mut b = Client::connect(srv.addr).await;
    for c in [&mut a, &mut b] {
        c.send(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").await;
        assert_eq!(c.response().await.unwrap().status, 200);
    }
    let mut third = Client::connect(srv.addr).await;
    third.send(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").await;
    let mut tmp = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(300), third.s.read(&mut tmp)).await;
    assert!(
        early.is_err(),
        "a third connection is not served while two are open"
    );
    drop(a);
    let r = third.response().await.expect("served once a slot is free");
    assert_eq!(r.status, 200);
    srv.shutdown();
    tokio::time::timeout(WAIT, srv.done)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn request_body_back_pressure_the_application_pace_sets_the_read_pace() {
    let g = Gates::default();
    let mut srv = start(Builder::new(), gated(g.clone())).await;
    let mut c = Client::connect(srv.addr).await;
    let total: usize = 64 << 20;
    c.send(format!("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: {total}\r\n\r\n").as_bytes())
        .await;
    tokio::time::timeout(WAIT, g.entered.notified()).await.unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    // The handler does not read yet: the server stops reading, and the client's writes stall once
    // the kernel buffers are full.
    while sent < total {
        let n = chunk.len().min(total - sent);
        match tokio::time::timeout(Duration::from_millis(500), c.s.write(&chunk[..n])).await {
            Ok(Ok(w)) => sent += w,
            Ok(Err(e)) => panic!("write failed: {e}"),
            Err(_) => break,
        }
    }
    assert!(
        sent < total / 2,
        "the server kept reading a body nobody polled: {sent} bytes taken"
    );
    g.gate.notify_one();
    while sent < total {
        let n = chunk.len().min(total - sent);
        sent += c.s.write(&chunk[..n]).await.unwrap();
    }
    let r = c.response().await.unwrap();
    assert_eq!(r.text(), format!("received {total}"));
    srv.shutdown();
    tokio::time::timeout(WAIT, srv.done)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

/// A listener that fails with `errors` before handing out one in-memory connection, and records
/// when it was asked.
struct Flaky {
    errors: Vec<io::Error>,
    conn: Option<DuplexStream>,
    asked: Arc<Mutex<Vec<Instant>>>,
}

impl Listener for Flaky {
    type Io = DuplexStream;
    type Addr = ();
    async fn accept(&mut self) -> io::Result<(DuplexStream, ())> {
        self.asked.lock().unwrap().push(Instant::now());
        if let Some(e) = self.errors.pop() {
            return Err(e);
        }
        match self.conn.take() {
            Some(c) => Ok((c, ())),
            None => std::future::pending().await,
        }
    }
}

#[tokio::test(start_paused = true)]
async fn accept_errors_out_of_descriptors_are_survived_with_back_off() {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let asked = Arc::new(Mutex::new(Vec::new()));
    let emfile = || io::Error::from_raw_os_error(24);
    let listener = Flaky {
        // Popped from the end: a reset connection first (retried at once), then three EMFILE.
        errors: vec![
            emfile(),
            emfile(),
            emfile(),
            io::ErrorKind::ConnectionAborted.into(),
        ],
        conn: Some(server_end),
        asked: Arc::clone(&asked),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        Builder::new()
            .serve(listener, gated(Gates::default()))
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            }),
    );
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    client.read_to_end(&mut out).await.unwrap();
    assert!(
        out.starts_with(b"HTTP/1.1 200 OK\r\n"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    let times = asked.lock().unwrap().clone();
    let gaps: Vec<u128> = times.windows(2).map(|w| (w[1] - w[0]).as_millis()).collect();
    assert_eq!(gaps[..4], [0, 5, 10, 20], "back-off doubles from 5 ms: {gaps:?}");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

/// A service answering from the request alone, or after reading the body, with optional
/// trailers.
#[derive(Clone)]
struct Raw {
    read_body: bool,
    trailers: bool,
    read: Arc<AtomicU64>,
}

/// The frames in order; with `Some(n)`, a body that says its exact size is `n`.
struct WithTrailers(Vec<Frame<Bytes>>, Option<u64>);
impl Body for WithTrailers {
    type Data = Bytes;
    type Error = Infallible;
    fn size_hint(&self) -> http_body::SizeHint {
        self.1
            .map_or_else(http_body::SizeHint::default, http_body::SizeHint::with_exact)
    }
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(if self.0.is_empty() {
            None
        } else {
            Some(Ok(self.0.remove(0)))
        })
    }
}

impl tower_service::Service<http::Request<Incoming>> for Raw {
    type Response = http::Response<WithTrailers>;
    type Error = Infallible;
    type Future = Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Infallible>> + Send>>;
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, req: http::Request<Incoming>) -> Self::Future {
        let me = self.clone();
        Box::pin(async move {
            let mut body = req.into_body();
            if me.read_body {
                while let Some(f) = body.frame().await {
                    if let Ok(d) = f.unwrap().into_data() {
                        me.read.fetch_add(d.len() as u64, Ordering::SeqCst);
                    }
                }
            }
            let mut frames = vec![Frame::data(Bytes::from_static(b"ok"))];
            if me.trailers {
                let mut t = http::HeaderMap::new();
                t.insert("x-checksum", "abc".parse().unwrap());
                frames.push(Frame::trailers(t));
            }
            Ok(http::Response::new(WithTrailers(frames, None)))
        })
    }
}

/// A `Raw` service that answers at once, without trailers.
fn raw() -> Raw {
    Raw {
        read_body: false,
        trailers: false,
        read: Arc::new(AtomicU64::new(0)),
    }
}

/// Serves one in-memory connection with `svc`, sends `req`, returns everything the server wrote
/// until it closed.
async fn in_memory<S, B>(svc: S, req: &[u8]) -> String
where
    S: tower_service::Service<http::Request<Incoming>, Response = http::Response<B>> + Send + 'static,
    S::Future: Send,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let conn = Builder::new().serve_connection(server_end, svc);
    let task = tokio::spawn(conn);
    client.write_all(req).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, client.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    task.await.unwrap().unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// Scenario: a browser's requests on one kept-alive connection (RFC 9112 §9.3). Most field lines
/// repeat from one request to the next, some change, go missing or come back; the server takes
/// repeated lines from what it kept of the last request. Every request reaches the service with
/// exactly its own fields, in order, names in lower case (RFC 9110 §5).
#[tokio::test]
async fn rfc9110_5_each_kept_alive_request_reaches_the_service_with_exactly_its_fields() {
    let echo = Router::new().fallback(|h: http::HeaderMap| async move {
        h.iter()
            .map(|(n, v)| format!("{n}={}|", v.to_str().unwrap()))
            .collect::<String>()
    });
    let requests = [
        "GET /1 HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: */*\r\nCookie: a=1\r\n\r\n",
        "GET /2 HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: */*\r\nCookie: a=1\r\n\r\n",
        "GET /3 HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: */*\r\nCookie: a=1\r\n\r\n",
        "GET /4 HTTP/1.1\r\nhost: h\r\nAccept: image/*\r\ncookie: a=2\r\n\r\n",
        "GET /5 HTTP/1.1\r\nX-New: 1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: image/*\r\nCookie: a=2\r\n\r\n",
        "GET /6 HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nConnection: close\r\n\r\n",
    ];
    let out = in_memory(echo, requests.concat().as_bytes()).await;
    let bodies: Vec<&str> = out
        .split("HTTP/1.1 200 OK\r\n")
        .skip(1)
        .map(|r| r.split_once("\r\n\r\n").expect("a head").1)
        .collect();
    assert_eq!(
        bodies,
        [
            "host=h|user-agent=ua|accept=*/*|cookie=a=1|",
            "host=h|user-agent=ua|accept=*/*|cookie=a=1|",
            "host=h|user-agent=ua|accept=*/*|cookie=a=1|",
            "host=h|accept=image/*|cookie=a=2|",
            "x-new=1|host=h|user-agent=ua|accept=image/*|cookie=a=2|",
            "host=h|user-agent=ua|connection=close|",
        ]
    );
}

#[tokio::test]
async fn rfc9110_10_1_1_100_continue_is_sent_only_when_the_body_is_polled() {
    let read = Arc::new(AtomicU64::new(0));
    let req = b"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\n";
    // A service that answers without reading: no 100, and the connection closes after the
    // response since the client may or may not send the body.
    let svc = Raw {
        read_body: false,
        trailers: false,
        read: Arc::clone(&read),
    };
    let out = in_memory(svc, req).await;
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(!out.contains("100 Continue"), "{out}");

    // A service that reads: 100 Continue first, then the body arrives.
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let svc = Raw {
        read_body: true,
        trailers: false,
        read: Arc::clone(&read),
    };
    let task = tokio::spawn(Builder::new().serve_connection(server_end, svc));
    client.write_all(req).await.unwrap();
    let mut interim = [0u8; 25];
    client.read_exact(&mut interim).await.unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    client.write_all(b"abc").await.unwrap();
    let mut out = Vec::new();
    client.read_to_end(&mut out).await.unwrap();
    assert!(out.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert_eq!(read.load(Ordering::SeqCst), 3);
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn rfc9112_7_1_2_response_trailers_on_chunked_and_dropped_for_http10() {
    let read = Arc::new(AtomicU64::new(0));
    let svc = Raw {
        read_body: false,
        trailers: true,
        read,
    };
    let out = in_memory(
        svc.clone(),
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(out.contains("Transfer-Encoding: chunked\r\n"), "{out}");
    assert!(out.ends_with("2\r\nok\r\n0\r\nx-checksum: abc\r\n\r\n"), "{out}");
    // HTTP/1.0 cannot carry trailers: a close-delimited body without them.
    let out = in_memory(svc, b"GET / HTTP/1.0\r\n\r\n").await;
    assert!(out.ends_with("\r\n\r\nok"), "{out}");
}

/// A body of two bytes that says its size and ends with an `x-checksum` trailer; `announced` adds
/// the `Trailer` field to the head.
fn sized_with_trailers(
    announced: bool,
) -> FnService<impl FnMut(http::Request<Incoming>) -> http::Response<WithTrailers> + Clone> {
    tower_service_fn(move |_req| {
        let mut t = http::HeaderMap::new();
        t.insert("x-checksum", http::HeaderValue::from_static("abc"));
        let frames = vec![Frame::data(Bytes::from_static(b"ok")), Frame::trailers(t)];
        let mut resp = http::Response::new(WithTrailers(frames, Some(2)));
        if announced {
            let v = http::HeaderValue::from_static("x-checksum");
            resp.headers_mut().insert(http::header::TRAILER, v);
        }
        resp
    })
}

#[tokio::test]
async fn rfc9110_6_6_2_announced_trailers_are_sent_chunked_though_the_length_is_known() {
    let req11 = b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    // The head announces trailers: chunked to HTTP/1.1, so they arrive (RFC 9112 §7.1.2).
    let out = in_memory(sized_with_trailers(true), req11).await;
    assert!(out.contains("Transfer-Encoding: chunked\r\n"), "{out}");
    assert!(!out.contains("Content-Length"), "{out}");
    assert!(out.ends_with("2\r\nok\r\n0\r\nx-checksum: abc\r\n\r\n"), "{out}");
    // HTTP/1.0 has no chunked coding: the known length, and the content without them.
    let out = in_memory(sized_with_trailers(true), b"GET / HTTP/1.0\r\n\r\n").await;
    assert!(out.contains("Content-Length: 2\r\n"), "{out}");
    assert!(out.ends_with("\r\n\r\nok"), "{out}");
    // Not announced: the known length wins and the trailers stay behind (as with hyper).
    let out = in_memory(sized_with_trailers(false), req11).await;
    assert!(out.contains("Content-Length: 2\r\n"), "{out}");
    assert!(out.ends_with("\r\n\r\nok"), "{out}");
}

#[tokio::test]
async fn request_trailers_reach_the_service_as_a_trailers_frame() {
    #[derive(Clone)]
    struct Trailers;
    impl tower_service::Service<http::Request<Incoming>> for Trailers {
        type Response = http::Response<String>;
        type Error = Infallible;
        type Future = Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Infallible>> + Send>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, req: http::Request<Incoming>) -> Self::Future {
            Box::pin(async move {
                let c = req.into_body().collect().await.unwrap();
                let t = c
                    .trailers()
                    .and_then(|t| t.get("x-sum"))
                    .map(|v| v.to_str().unwrap().to_string());
                Ok(http::Response::new(format!(
                    "{}|{}",
                    String::from_utf8_lossy(&c.to_bytes()),
                    t.unwrap_or_default()
                )))
            })
        }
    }
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let task = tokio::spawn(Builder::new().serve_connection(server_end, Trailers));
    client
        .write_all(b"POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-Sum: 7\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    client.read_to_end(&mut out).await.unwrap();
    assert!(
        String::from_utf8_lossy(&out).ends_with("hi|7"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    task.await.unwrap().unwrap();
}

/// Idle memory: after its first response a keep-alive connection gives its buffers back at once
/// (default configuration), holding only its timer on the heap; after later responses it keeps
/// them for `release_idle_after`, so back-to-back requests reuse them.
#[tokio::test(start_paused = true)]
async fn idle_keep_alive_connection_holds_only_its_timer_on_the_heap() {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let svc = Raw {
        read_body: true,
        trailers: false,
        read: Arc::new(AtomicU64::new(0)),
    };
    let mut conn = Builder::new().serve_connection(server_end, svc);
    let exchange = async |client: &mut DuplexStream| {
        client
            .write_all(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
            .await
            .unwrap();
        let mut buf = vec![0u8; 4096];
        let mut got = Vec::new();
        while !got.ends_with(b"2\r\nok\r\n0\r\n\r\n") {
            let n = client.read(&mut buf).await.unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buf[..n]);
        }
    };
    // Lets the connection see its output acknowledged and settle.
    async fn settle<F: std::future::Future + Unpin>(conn: &mut F) {
        for _ in 0..3 {
            tokio::select! {
                biased;
                _ = &mut *conn => panic!("closed early"),
                () = tokio::task::yield_now() => {}
            }
        }
    }
    tokio::select! {
        _ = &mut conn => panic!("closed early"),
        () = exchange(&mut client) => {}
    }
    settle(&mut conn).await;
    assert_eq!(
        conn.connection().heap_bytes(),
        0,
        "released after the first response"
    );
    assert!(conn.heap_bytes() <= 256, "idle heap {} bytes", conn.heap_bytes());

    tokio::select! {
        _ = &mut conn => panic!("closed early"),
        () = exchange(&mut client) => {}
    }
    settle(&mut conn).await;
    assert!(
        conn.connection().heap_bytes() > 0,
        "kept after the second, for the next one"
    );
    // Until Config::release_idle_after (1 s) passes.
    tokio::select! {
        _ = &mut conn => panic!("closed early"),
        () = tokio::time::sleep(Duration::from_millis(1100)) => {}
    }
    assert_eq!(conn.connection().heap_bytes(), 0);
    // The field lines kept from the second request go with the rest.
    assert!(conn.heap_bytes() <= 256, "idle heap {} bytes", conn.heap_bytes());
    eprintln!(
        "idle connection: {} bytes in the task + {} on the heap",
        std::mem::size_of_val(&conn),
        conn.heap_bytes()
    );
}

/// Sends `GET /` and reads the chunked answer of a `Raw` service to its last chunk.
async fn get_chunked(client: &mut DuplexStream) {
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while !got.ends_with(b"0\r\n\r\n") {
        let n = client.read(&mut buf).await.unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
    }
}

#[tokio::test(start_paused = true)]
async fn keep_alive_timeout_closes_an_idle_connection_on_the_tokio_clock() {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let svc = raw();
    let task = tokio::spawn(Builder::new().serve_connection(server_end, svc));
    get_chunked(&mut client).await;
    let idle_from = Instant::now();
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).await.unwrap();
    let idle = idle_from.elapsed();
    // The default keep-alive timeout is 5 s (Config::keep_alive.timeout).
    assert!(
        idle >= Duration::from_secs(5) && idle < Duration::from_secs(6),
        "closed after {idle:?}"
    );
    assert!(rest.is_empty());
    task.await.unwrap().unwrap();
}

/// An in-memory transport whose shutdown is observed.
struct Observed(DuplexStream, OnShutdown);

/// What [`Observed`] does when shut down.
enum OnShutdown {
    /// Counts the call, then shuts down.
    Count(Arc<AtomicU64>),
    /// Never completes, as TLS with a peer that never finished its handshake (close_notify waits
    /// for it) or never reads (close_notify cannot be written).
    Hang,
}

impl tokio::io::AsyncRead for Observed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Observed {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &self.1 {
            OnShutdown::Count(calls) => {
                calls.fetch_add(1, Ordering::SeqCst);
                Pin::new(&mut self.0).poll_shutdown(cx)
            }
            OnShutdown::Hang => Poll::Pending,
        }
    }
}

/// A listener that hands out one connection; `DROP` is its `Listener::CLOSED_BY_DROP`.
struct Handing<const DROP: bool>(Option<Observed>);

impl<const DROP: bool> Listener for Handing<DROP> {
    type Io = Observed;
    type Addr = ();
    const CLOSED_BY_DROP: bool = DROP;
    async fn accept(&mut self) -> io::Result<(Observed, ())> {
        match self.0.take() {
            Some(c) => Ok((c, ())),
            None => std::future::pending().await,
        }
    }
}

/// Serves `req` on the one connection of a `Handing::<DROP>` listener; returns the response and
/// how many times the transport was shut down.
async fn shutdowns<const DROP: bool>(req: &[u8]) -> (String, u64) {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let calls = Arc::new(AtomicU64::new(0));
    let io = Observed(server_end, OnShutdown::Count(Arc::clone(&calls)));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        Builder::new()
            .serve(Handing::<DROP>(Some(io)), raw())
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            }),
    );
    client.write_all(req).await.unwrap();
    let mut out = Vec::new();
    client.read_to_end(&mut out).await.unwrap();
    drop(client);
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    (String::from_utf8(out).unwrap(), calls.load(Ordering::SeqCst))
}

/// RFC 9112 §9.6: the transports of a listener whose `CLOSED_BY_DROP` is true (plain TCP and
/// Unix sockets) close gracefully by their drop: the close sends the FIN, and a shutdown just
/// before would change nothing on the wire. A lingering close still shuts the writing side down
/// first and reads on; a listener with the default (TLS sends close_notify there) always does.
#[tokio::test]
async fn rfc9112_9_6_a_plain_socket_closes_gracefully_without_a_shutdown() {
    let close = b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    let (out, calls) = shutdowns::<true>(close).await;
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert_eq!(calls, 0);
    assert_eq!(shutdowns::<false>(close).await.1, 1);
    let bad = b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n";
    let (out, calls) = shutdowns::<true>(bad).await;
    assert!(out.starts_with("HTTP/1.1 400 "), "{out}");
    assert_eq!(calls, 1, "a lingering close shuts down first");
}

/// Scenario: a graceful close whose transport shutdown waits on the peer forever. The wait is
/// output making no progress, so it ends with the send timeout (`Config::timeouts.send`): the
/// connection's task ends and its slot is free, instead of holding on until the client leaves.
#[tokio::test(start_paused = true)]
async fn a_transport_shutdown_that_never_completes_ends_with_the_send_timeout() {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let svc = raw();
    let mut config = h1conn::Config::default();
    config.keep_alive.timeout = Duration::from_secs(5);
    config.timeouts.send = Duration::from_secs(7);
    let task = tokio::spawn(
        Builder::new()
            .with_config(config)
            .serve_connection(Observed(server_end, OnShutdown::Hang), svc),
    );
    get_chunked(&mut client).await;
    let idle_from = Instant::now();
    // Closed by the keep-alive timeout after 5 s; the shutdown then waits 7 s more.
    let ended = tokio::time::timeout(Duration::from_secs(60), task).await;
    let took = idle_from.elapsed();
    ended
        .expect("the connection ends although its transport never shuts down")
        .unwrap()
        .unwrap();
    assert!(
        took >= Duration::from_secs(12) && took < Duration::from_secs(13),
        "ended after {took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn rfc9110_15_5_9_header_timeout_answers_408_on_the_tokio_clock() {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let svc = raw();
    let task = tokio::spawn(Builder::new().serve_connection(server_end, svc));
    let t0 = Instant::now();
    client.write_all(b"GET / HTTP/1.1\r\nHo").await.unwrap();
    let mut out = Vec::new();
    client.read_to_end(&mut out).await.unwrap();
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 408 "), "{out}");
    assert!(
        out.contains("\r\nDate: "),
        "the server's own error carries Date: {out}"
    );
    // The default header timeout is 20 s (Config::timeouts.header).
    let took = t0.elapsed();
    assert!(
        took >= Duration::from_secs(20) && took < Duration::from_secs(21),
        "{took:?}"
    );
    task.await.unwrap().unwrap();
}

/// A response body of `frames` pieces of 64 KiB that counts how often it was polled for one.
struct Counted {
    left: usize,
    polled: Arc<AtomicU64>,
}

impl Body for Counted {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.polled.fetch_add(1, Ordering::SeqCst);
        if self.left == 0 {
            return Poll::Ready(None);
        }
        self.left -= 1;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'z'; 64 * 1024])))))
    }
}

#[tokio::test]
async fn response_body_back_pressure_a_client_that_does_not_read_stops_the_body() {
    let polled = Arc::new(AtomicU64::new(0));
    let p = Arc::clone(&polled);
    let svc = tower_service_fn(move |_req| {
        http::Response::new(Counted {
            left: 100,
            polled: Arc::clone(&p),
        })
    });
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let task = tokio::spawn(Builder::new().serve_connection(server_end, svc));
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    for _ in 0..200 {
        tokio::task::yield_now().await;
    }
    // The transport holds 64 KiB and the connection stops taking frames at its
    // output_high_water (64 KiB): a handful of frames, not the 100.
    let n = polled.load(Ordering::SeqCst);
    assert!(
        (1..=4).contains(&n),
        "{n} frames taken while the client read nothing"
    );
    let mut out = Vec::new();
    client.read_to_end(&mut out).await.unwrap();
    let at = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let body_bytes = out[at..].iter().filter(|&&b| b == b'z').count();
    assert_eq!(body_bytes, 100 * 64 * 1024);
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_failing_service_gets_500_and_the_connection_closes() {
    #[derive(Clone)]
    struct Fails;
    impl tower_service::Service<http::Request<Incoming>> for Fails {
        type Response = http::Response<String>;
        type Error = std::io::Error;
        type Future = std::future::Ready<Result<Self::Response, Self::Error>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, _: http::Request<Incoming>) -> Self::Future {
            std::future::ready(Err(io::Error::other("broken")))
        }
    }
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let task = tokio::spawn(Builder::new().serve_connection(server_end, Fails));
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    client.read_to_end(&mut out).await.unwrap();
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 500 "), "{out}");
    assert!(out.contains("Connection: close\r\n"), "{out}");
    assert_eq!(out.matches("HTTP/1.1").count(), 1, "no second response: {out}");
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_response_head_the_connection_cannot_honour_gets_500_never_a_silent_drop() {
    // A Keep-Alive field is the connection's own (h1conn's HttpResponseHead refuses it).
    let svc = tower_service_fn(|_req| {
        let mut r = http::Response::new(String::from("x"));
        r.headers_mut()
            .insert("keep-alive", "timeout=99".parse().unwrap());
        r
    });
    let out = in_memory(svc, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert!(out.starts_with("HTTP/1.1 500 "), "{out}");
    assert!(!out.contains("timeout=99"), "{out}");
}

/// A service from a closure answering every request at once.
fn tower_service_fn<F, B>(f: F) -> FnService<F>
where
    F: FnMut(http::Request<Incoming>) -> http::Response<B>,
{
    FnService(f)
}

#[derive(Clone)]
struct FnService<F>(F);

impl<F, B> tower_service::Service<http::Request<Incoming>> for FnService<F>
where
    F: FnMut(http::Request<Incoming>) -> http::Response<B>,
{
    type Response = http::Response<B>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<http::Response<B>, Infallible>>;
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, req: http::Request<Incoming>) -> Self::Future {
        std::future::ready(Ok((self.0)(req)))
    }
}

/// RFC 9110 §9.3.2: a HEAD request answered by a service that gives the whole body at once (as a
/// GET would be) gets the head with the body's length and no content; the next request on the
/// connection gets its body.
#[tokio::test]
async fn rfc9110_9_3_2_head_to_a_whole_body_gets_its_length_without_content() {
    let svc = tower_service_fn(|_req| http::Response::new(String::from("hello")));
    let out = in_memory(
        svc,
        b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(out.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{out}");
    assert_eq!(out.matches("Content-Length: 5\r\n").count(), 2, "{out}");
    assert_eq!(out.matches("hello").count(), 1, "{out}");
    assert!(out.ends_with("\r\n\r\nhello"), "{out}");
}

/// RFC 9110 §5: each request's field map holds exactly the fields that request sent, in order,
/// although the server fills the emptied map of the previous response with them (the response's
/// fields, one of them a name the next request also sends, never reach the next request).
#[tokio::test]
async fn rfc9110_5_a_reused_field_map_holds_only_the_requests_own_fields() {
    let svc = tower_service_fn(|req: http::Request<Incoming>| {
        let fields: Vec<String> = req
            .headers()
            .iter()
            .map(|(n, v)| format!("{}={}", n, v.to_str().unwrap_or("?")))
            .collect();
        let mut resp = http::Response::new(fields.join(","));
        let h = resp.headers_mut();
        h.insert("x-response-only", http::HeaderValue::from_static("1"));
        h.insert("accept", http::HeaderValue::from_static("stale"));
        resp
    });
    let out = in_memory(
        svc,
        b"GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\n\r\n\
          GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(out.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{out}");
    assert!(out.contains("\r\n\r\nhost=a,accept=xHTTP/1.1"), "{out}");
    assert!(out.ends_with("\r\n\r\nhost=b,connection=close"), "{out}");
}

/// A service whose readiness a test controls: not ready until `open` (waking the connection's
/// task then), or failing when `fail`. It answers with the request's path.
#[derive(Clone, Default)]
struct Readiness {
    open: Arc<std::sync::atomic::AtomicBool>,
    waker: Arc<Mutex<Option<std::task::Waker>>>,
    fail: bool,
}

impl Readiness {
    fn open(&self) {
        self.open.store(true, Ordering::SeqCst);
        if let Some(w) = self.waker.lock().unwrap().take() {
            w.wake();
        }
    }
}

impl tower_service::Service<http::Request<Incoming>> for Readiness {
    type Response = http::Response<String>;
    type Error = io::Error;
    type Future = std::future::Ready<Result<http::Response<String>, io::Error>>;
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), io::Error>> {
        if self.fail {
            return Poll::Ready(Err(io::Error::other("the service is down")));
        }
        *self.waker.lock().unwrap() = Some(cx.waker().clone());
        match self.open.load(Ordering::SeqCst) {
            true => Poll::Ready(Ok(())),
            false => Poll::Pending,
        }
    }
    fn call(&mut self, req: http::Request<Incoming>) -> Self::Future {
        std::future::ready(Ok(http::Response::new(req.uri().path().to_owned())))
    }
}

/// Scenario: a service that is not ready (tower back-pressure, a concurrency limit) holds the
/// request until it is; pipelined requests behind it wait their turn and are answered in order.
#[tokio::test]
async fn a_service_that_is_not_ready_holds_the_request_until_it_is() {
    let svc = Readiness::default();
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let task = tokio::spawn(Builder::new().serve_connection(server_end, svc.clone()));
    client
        .write_all(
            b"GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut tmp = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(200), client.read(&mut tmp)).await;
    assert!(
        early.is_err(),
        "nothing is answered while the service is not ready"
    );
    svc.open();
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, client.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let out = String::from_utf8_lossy(&out);
    assert_eq!(out.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{out}");
    let (a, b) = (out.find("\r\n\r\n/a").unwrap(), out.find("\r\n\r\n/b").unwrap());
    assert!(a < b, "{out}");
    task.await.unwrap().unwrap();
}

/// Scenario: a service whose readiness fails gets the request answered with 503 by the server,
/// and the connection closes after it.
#[tokio::test]
async fn a_service_whose_readiness_fails_gets_503_and_the_connection_closes() {
    let svc = Readiness {
        fail: true,
        ..Readiness::default()
    };
    let out = in_memory(svc, b"GET /a HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert!(out.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), "{out}");
    assert!(out.contains("Connection: close\r\n"), "{out}");
}

/// A service that announces a Content-Length its body does not have: the response is cut short
/// (the client sees a truncated message, never a wrong one), never silently rewritten.
#[tokio::test]
async fn a_body_longer_than_its_announced_length_is_cut_short() {
    let svc = tower_service_fn(|_req| {
        let mut r = http::Response::new(String::from("hello"));
        r.headers_mut().insert("content-length", "3".parse().unwrap());
        r
    });
    let out = in_memory(svc, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert!(!out.contains("hello"), "{out}");
}

/// RFC 9112 §9.5 on the tokio clock: a connection future first polled by one task and then moved
/// to another still closes at the keep-alive timeout (its timer is registered again with the new
/// task's waker, not left with the first one's).
#[tokio::test(start_paused = true)]
// The first task hands the connection future, unfinished, to the second: it is not awaited there.
#[allow(clippy::async_yields_async)]
async fn keep_alive_timeout_fires_after_the_connection_moves_to_another_task() {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let svc = tower_service_fn(|_req| http::Response::new(String::from("hello")));
    let mut conn = Builder::new().serve_connection(server_end, svc);
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    // The first task polls until the response is out and the idle timer is armed, then ends.
    let conn = tokio::spawn(async move {
        std::future::poll_fn(|cx| {
            assert!(std::future::Future::poll(Pin::new(&mut conn), cx).is_pending());
            Poll::Ready(())
        })
        .await;
        conn
    })
    .await
    .unwrap();
    let task = tokio::spawn(conn);
    let idle_from = Instant::now();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), client.read_to_end(&mut out))
        .await
        .expect("the connection closes by itself")
        .unwrap();
    assert!(String::from_utf8_lossy(&out).ends_with("\r\n\r\nhello"));
    // The default keep-alive timeout is 5 s (Config::keep_alive.timeout).
    let idle = idle_from.elapsed();
    assert!(
        idle >= Duration::from_secs(5) && idle < Duration::from_secs(6),
        "closed after {idle:?}"
    );
    task.await.unwrap().unwrap();
}

/// Scenario: output to a client that reads at a modest steady pace shows progress as it moves,
/// and responses leave as soon as they are written. The TCP listener's `prepare` sets
/// `TCP_NOTSENT_LOWAT` (128 KiB: the socket is writable again as soon as less than that is
/// unsent, instead of once a third of the send buffer is free), which Linux gives every accepted
/// socket; `accept` sets `TCP_NODELAY` on each.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[tokio::test]
async fn accepted_tcp_connections_inherit_the_listeners_options() {
    let mut listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    Listener::prepare(&mut listener);
    let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (accepted, _) = Listener::accept(&mut listener).await.unwrap();
    let lowat = socket2::SockRef::from(&accepted).tcp_notsent_lowat().unwrap();
    assert_eq!(lowat, 128 * 1024);
    assert!(accepted.nodelay().unwrap());
}

/// nginx `keepalive_time` on the tokio clock (`Config::keep_alive.max_lifetime`): a connection
/// kept busy with a request every 4 s (under the 5 s keep-alive timeout) serves them until its
/// 10 s lifetime ends, then closes while idle, at 10 s.
#[tokio::test(start_paused = true)]
async fn lifetime_closes_a_busy_keep_alive_connection_at_its_end() {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let mut config = h1conn::Config::default();
    config.keep_alive.max_lifetime = Some(Duration::from_secs(10));
    let task = tokio::spawn(
        Builder::new()
            .with_config(config)
            .serve_connection(server_end, raw()),
    );
    let opened = Instant::now();
    for i in 0..3 {
        if i > 0 {
            tokio::time::sleep(Duration::from_secs(4)).await;
        }
        get_chunked(&mut client).await;
    }
    let mut rest = Vec::new();
    tokio::time::timeout(WAIT, client.read_to_end(&mut rest))
        .await
        .expect("the connection closes at the end of its lifetime")
        .unwrap();
    let lived = opened.elapsed();
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
    assert!(
        lived >= Duration::from_secs(10) && lived < Duration::from_millis(10_100),
        "closed after {lived:?}"
    );
    task.await.unwrap().unwrap();
}

/// RFC 9112 §9.6 on the tokio clock (`Config::timeouts.linger_idle`): a client that sent more
/// after a `Connection: close` request gets its response and the end of the server's output,
/// while the server keeps reading and dropping what it still sends (so no reset destroys the
/// response); 2 s after its last byte the server closes.
#[tokio::test(start_paused = true)]
async fn rfc9112_9_6_lingering_reads_on_until_the_client_goes_quiet() {
    let (server_end, mut client) = tokio::io::duplex(64 * 1024);
    let task = tokio::spawn(Builder::new().serve_connection(server_end, raw()));
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, client.read_to_end(&mut out))
        .await
        .expect("the response, then the end of the server's output")
        .unwrap();
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.contains("\r\nConnection: close\r\n"), "{out}");
    assert_eq!(out.matches("HTTP/1.1 ").count(), 1, "{out}");
    // The server still reads: four more bytes, one a second, are taken.
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        client.write_all(b"x").await.expect("the server still reads");
    }
    let quiet_from = Instant::now();
    tokio::time::timeout(WAIT, task)
        .await
        .expect("lingering ends")
        .unwrap()
        .unwrap();
    let quiet = quiet_from.elapsed();
    assert!(
        quiet >= Duration::from_secs(2) && quiet < Duration::from_millis(2_100),
        "closed {quiet:?} after the last byte"
    );
}
