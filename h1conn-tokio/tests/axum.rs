//! An unmodified axum `Router` with routes and extractors, served over real loopback sockets.

mod common;

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use common::*;
use h1conn_tokio::Builder;

fn app() -> Router {
    Router::new()
        .route("/", get(|| async { "hello" }))
        .route(
            "/users/{id}",
            get(|Path(id): Path<u32>| async move { format!("user {id}") }),
        )
        .route(
            "/search",
            get(|Query(q): Query<HashMap<String, String>>| async move {
                format!("q={}", q.get("q").cloned().unwrap_or_default())
            }),
        )
        .route(
            "/sum",
            post(|Json(v): Json<Vec<u64>>| async move { Json(vec![v.iter().sum::<u64>()]) }),
        )
        .route(
            "/agent",
            get(|h: HeaderMap| async move {
                h.get("user-agent")
                    .map(|v| v.to_str().unwrap_or("").to_string())
                    .unwrap_or_default()
            }),
        )
        .route("/echo", post(|body: axum::body::Bytes| async move { body }))
        .route(
            "/stream",
            get(|| async {
                let parts = (0..3).map(|i| format!("part{i};").into()).collect();
                Body::new(Parts(parts))
            }),
        )
        .route(
            "/teapot",
            get(|| async { (StatusCode::IM_A_TEAPOT, "short and stout") }),
        )
}

/// A body of a few frames and an unknown length.
struct Parts(std::collections::VecDeque<axum::body::Bytes>);
impl http_body::Body for Parts {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(self.0.pop_front().map(|b| Ok(http_body::Frame::data(b))))
    }
}

#[tokio::test]
async fn axum_routes_and_extractors_over_real_sockets() {
    let mut srv = start(Builder::new(), app()).await;
    let addr = srv.addr;

    // RFC 9112 §9.3: several requests on one persistent connection.
    let mut c = Client::connect(addr).await;
    c.send(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").await;
    let r = c.response().await.unwrap();
    assert_eq!((r.status, r.text().as_str()), (200, "hello"));
    assert!(
        r.header("date").is_some(),
        "RFC 9110 §6.6.1: an origin server sends Date"
    );

    c.send(b"GET /users/42 HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert_eq!(c.response().await.unwrap().text(), "user 42");

    c.send(b"GET /search?q=rust HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert_eq!(c.response().await.unwrap().text(), "q=rust");

    c.send(b"GET /agent HTTP/1.1\r\nHost: a\r\nUser-Agent: probe/1\r\n\r\n")
        .await;
    assert_eq!(c.response().await.unwrap().text(), "probe/1");

    let json = b"[1,2,3]";
    c.send(
        format!(
            "POST /sum HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            json.len()
        )
        .as_bytes(),
    )
    .await;
    c.send(json).await;
    let r = c.response().await.unwrap();
    assert_eq!((r.status, r.text().as_str()), (200, "[6]"));

    // RFC 9112 §7.1: a chunked request body reaches the extractor whole.
    c.send(b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        .await;
    assert_eq!(c.response().await.unwrap().text(), "abcde");

    // A streamed body of unknown length goes out chunked to HTTP/1.1 (RFC 9112 §7.1).
    c.send(b"GET /stream HTTP/1.1\r\nHost: a\r\n\r\n").await;
    let r = c.response().await.unwrap();
    assert_eq!(r.header("transfer-encoding").as_deref(), Some("chunked"));
    assert_eq!(r.text(), "part0;part1;part2;");

    c.send(b"GET /teapot HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert_eq!(c.response().await.unwrap().status, 418);

    // axum's own 404 and 405 (with Allow).
    c.send(b"GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert_eq!(c.response().await.unwrap().status, 404);
    c.send(b"DELETE /users/1 HTTP/1.1\r\nHost: a\r\n\r\n").await;
    let r = c.response().await.unwrap();
    assert_eq!(r.status, 405);
    assert!(r.header("allow").unwrap().contains("GET"));

    // RFC 9110 §9.3.2: HEAD gets GET's head without a body.
    c.send(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n").await;
    let r = c.response_to(true).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length").as_deref(), Some("5"));

    // HTTP/1.0 keep-alive (ab -k): Content-Length and Connection: keep-alive.
    let mut c10 = Client::connect(addr).await;
    c10.send(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .await;
    let r = c10.response().await.unwrap();
    assert!(r.head.starts_with("HTTP/1.1 200"));
    assert_eq!(r.header("connection").as_deref(), Some("keep-alive"));
    c10.send(b"GET /users/7 HTTP/1.0\r\n\r\n").await;
    assert_eq!(c10.response().await.unwrap().text(), "user 7");
    assert!(
        c10.closed_within(WAIT).await,
        "HTTP/1.0 without keep-alive closes"
    );

    srv.shutdown();
    tokio::time::timeout(WAIT, srv.done)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
